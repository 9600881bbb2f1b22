//! Rules that compare a field with another one: the expense page against the companies seen on
//! 企业信息, the tenant id against the enterprise id, the bureau against the tax id's division code.

use super::{ids, tax_id, Context, Hit};
use crate::core::companies;
use crate::core::guide::{self, Check, Field, Severity};

/// Characters shown on each side of the first difference.
const EXCERPT: usize = 12;

/// `own`: what the field's own validator found in `value`.
pub fn check(field: &Field, value: &str, own: &[Hit], ctx: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    if !value.trim().is_empty() {
        match field.same_as {
            Some(companies::TAX_ID) => hits.extend(tax_id_of_a_known_company(field, value, own, ctx)),
            Some(companies::NAME) => hits.extend(name_of_a_known_company(field, value, ctx)),
            _ => {}
        }
    }
    if let Some(other) = field.differs_from {
        if !value.trim().is_empty() && ctx.equals(other, value) == Some(true) {
            hits.push(Hit::new(ids::CREDENTIALS_TENANT_SAME_AS_ENTERPRISE));
        }
    }
    if field.check == Check::Region {
        hits.extend(region_matches_tax_id(value, ctx));
    }
    hits
}

/// The other half of the company on this page: the value of the field of the same section that
/// must equal `target` (the expense tax id's partner is the expense name).
fn partner<'a>(field: &Field, target: &str, ctx: &'a Context) -> &'a str {
    guide::fields_of_section(field.section).find(|f| f.same_as == Some(target)).and_then(|f| ctx.get(f.id)).unwrap_or("")
}

/// A company known by the page's name must have this tax id. A tax id that no company seen has
/// (and a name none has) may be a company whose 企业信息 this browser never opened: info only.
fn tax_id_of_a_known_company(field: &Field, value: &str, own: &[Hit], ctx: &Context) -> Option<Hit> {
    let known = ctx.companies();
    if let Some(company) = known.by_name(partner(field, companies::NAME, ctx)) {
        return (!company.tax_id.is_empty() && company.tax_id != value).then(|| difference(ids::TAX_ID_DIFFERS, &company.tax_id, value));
    }
    // A malformed tax id has its own error; "not seen" would add nothing.
    let malformed = own.iter().any(|h| guide::rule(h.rule).is_some_and(|r| r.severity == Severity::Error));
    (known.by_tax_id(value).is_none() && !malformed).then(|| Hit::new(ids::TAX_ID_UNSEEN))
}

/// The company known by the page's tax id must have this name.
fn name_of_a_known_company(field: &Field, value: &str, ctx: &Context) -> Option<Hit> {
    let company = ctx.companies().by_tax_id(partner(field, companies::TAX_ID, ctx))?;
    (!company.name.is_empty() && company.name != value).then(|| difference(ids::NAME_DIFFERS, &company.name, value))
}

/// Where `found` stops being `expected`: the 1-based position and an excerpt of each from there.
fn difference(rule: &'static str, expected: &str, found: &str) -> Hit {
    let at = expected.chars().zip(found.chars()).take_while(|(a, b)| a == b).count();
    let excerpt = |s: &str| {
        let mut rest = s.chars().skip(at);
        let mut shown: String = rest.by_ref().take(EXCERPT).collect();
        if rest.next().is_some() {
            shown.push('…');
        }
        shown
    };
    Hit::new(rule).arg("position", at + 1).arg("expected", excerpt(expected)).arg("found", excerpt(found))
}

/// The bureau must serve the enterprise tax id's division: one of the five cities by characters
/// 3–6, else the province by 3–4.
fn region_matches_tax_id(value: &str, ctx: &Context) -> Option<Hit> {
    let chosen = guide::bureau(value)?;
    let division = ctx.get("enterprise.tax_id").and_then(tax_id::division)?;
    let expected = guide::bureau_for_division(division)?;
    (expected.code != chosen.code)
        .then(|| Hit::new(ids::REGION_MISMATCH).arg("division", division).arg("expected", expected.name).arg("found", chosen.name))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::core::companies::{self, KnownCompanies};
    use crate::core::validate::{check_config, ids, validate_field, verdict, Config, Context, Finding, Severity};

    fn find(field: &str, value: &str, ctx: &Context) -> Vec<Finding> {
        validate_field(field, value, ctx)
    }

    const HUAWEI: (&str, &str) = ("华为技术有限公司", "914403001922038216");
    const TENCENT: (&str, &str) = ("腾讯科技（深圳）有限公司", "9144030071526726XG");

    /// The companies seen on 企业信息, and the expense page's name and tax id.
    fn expense(known: &[(&str, &str)], name: &str, tax_id: &str) -> Context {
        let mut companies = KnownCompanies::default();
        for (n, t) in known {
            assert!(companies.remember(n, t), "{n} {t}");
        }
        Context::default().with_companies(Arc::new(companies)).with("expense.name", name).with("expense.tax_id", tax_id)
    }

    fn rules(field: &str, ctx: &Context) -> Vec<&'static str> {
        find(field, ctx.get(field).unwrap(), ctx).iter().map(|f| f.rule).collect()
    }

    #[test]
    fn a_known_company_with_its_own_name_and_tax_id_is_fine() {
        let ctx = expense(&[HUAWEI, TENCENT], TENCENT.0, TENCENT.1);
        assert!(rules("expense.name", &ctx).is_empty());
        assert!(rules("expense.tax_id", &ctx).is_empty());
    }

    #[test]
    fn a_known_tax_id_with_another_name_differs_from_that_companys_name() {
        let ctx = expense(&[HUAWEI, TENCENT], "腾讯科技深圳有限公司", TENCENT.1);
        let f = find("expense.name", "腾讯科技深圳有限公司", &ctx);
        assert_eq!(f[0].rule, ids::NAME_DIFFERS);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(
            f[0].args,
            [("position", "5".to_string()), ("expected", "（深圳）有限公司".to_string()), ("found", "深圳有限公司".to_string())]
        );
        assert!(rules("expense.tax_id", &ctx).is_empty(), "the tax id is a known company's");
    }

    #[test]
    fn a_known_name_with_another_tax_id_differs_from_that_companys_tax_id() {
        let ctx = expense(&[HUAWEI, TENCENT], TENCENT.0, "9144030071526726X0");
        let f = find("expense.tax_id", "9144030071526726X0", &ctx);
        let differs = f.iter().find(|f| f.rule == ids::TAX_ID_DIFFERS).unwrap();
        assert_eq!(differs.severity, Severity::Error);
        assert_eq!(differs.args[0], ("position", "18".to_string()));
        assert_eq!(differs.args[1], ("expected", "G".to_string()));
        assert!(rules("expense.name", &ctx).is_empty(), "the name is a known company's");
    }

    #[test]
    fn a_row_mixing_two_known_companies_is_an_error_on_both_fields() {
        let ctx = expense(&[HUAWEI, TENCENT], HUAWEI.0, TENCENT.1);
        assert_eq!(rules("expense.name", &ctx), [ids::NAME_DIFFERS]);
        assert_eq!(rules("expense.tax_id", &ctx), [ids::TAX_ID_DIFFERS]);
        let f = find("expense.tax_id", TENCENT.1, &ctx);
        assert_eq!(f[0].args[1], ("expected", "1922038216".to_string()));
    }

    #[test]
    fn a_company_never_seen_is_information_at_most() {
        // Another company than those seen; nothing seen at all; only the tax id filled in.
        for ctx in [expense(&[HUAWEI], TENCENT.0, TENCENT.1), expense(&[], TENCENT.0, TENCENT.1), expense(&[HUAWEI], "", TENCENT.1)] {
            let f = find("expense.tax_id", TENCENT.1, &ctx);
            assert_eq!(f.iter().map(|f| f.rule).collect::<Vec<_>>(), [ids::TAX_ID_UNSEEN]);
            assert_eq!(verdict(&f), Severity::Info);
            let name = ctx.get("expense.name").unwrap();
            assert!(name.is_empty() || rules("expense.name", &ctx).is_empty());
        }
        // A malformed tax id has its own error; "not seen" would add nothing.
        let ctx = expense(&[HUAWEI], TENCENT.0, "9144030071526726XH");
        assert!(!rules("expense.tax_id", &ctx).contains(&ids::TAX_ID_UNSEEN));
        assert!(find("expense.tax_id", "", &ctx).iter().all(|f| f.rule != ids::TAX_ID_UNSEEN));
    }

    #[test]
    fn a_client_id_like_another_companys_is_not_compared() {
        // Each company has its own key (是否使用原授权 = 是): the enterprise Client id of 发票云授权配置
        // is one company's, and an expense row of another company rightly differs from it.
        let ctx = expense(&[HUAWEI], HUAWEI.0, HUAWEI.1).with("auth.client_id", "pz_ent_huawei");
        assert!(find("expense.client_id", "pz_ent_tencent", &ctx).is_empty());
        assert!(find("expense.client_id", "pz_ent_huawei", &ctx).is_empty());
    }

    /// The company rules read `same_as` as "the company of 企业信息": no other target has a meaning.
    #[test]
    fn same_as_names_only_the_companys_name_or_tax_id() {
        for f in crate::core::guide::FIELDS {
            if let Some(target) = f.same_as {
                assert!(target == companies::NAME || target == companies::TAX_ID, "{} → {target}", f.id);
            }
        }
    }

    #[test]
    fn a_check_file_compares_the_expense_section_with_its_enterprise_section() {
        let config = |name: &str, tax_id: &str| {
            Config::default()
                .with_section("enterprise", [("name", TENCENT.0), ("tax_id", TENCENT.1)])
                .with_section("expense", [("name", name), ("tax_id", tax_id)])
        };
        let found = |c: &Config| -> Vec<(String, &'static str)> {
            check_config(c)
                .into_iter()
                .filter(|f| matches!(f.field.as_str(), "expense.name" | "expense.tax_id"))
                .map(|f| (f.field, f.rule))
                .collect()
        };
        assert!(found(&config(TENCENT.0, TENCENT.1)).is_empty());
        assert_eq!(found(&config("腾讯科技", TENCENT.1)), [("expense.name".to_string(), ids::NAME_DIFFERS)]);
        assert_eq!(found(&config(TENCENT.0, HUAWEI.1)), [("expense.tax_id".to_string(), ids::TAX_ID_DIFFERS)]);
        // Another company altogether: not this file's enterprise, so not comparable.
        assert_eq!(found(&config(HUAWEI.0, HUAWEI.1)), [("expense.tax_id".to_string(), ids::TAX_ID_UNSEEN)]);
        // The file's enterprise counts even with mistakes of its own (reported on [enterprise]).
        let c = Config::default()
            .with_section("enterprise", [("name", TENCENT.0), ("tax_id", "9144030071526726XH")])
            .with_section("expense", [("name", TENCENT.0), ("tax_id", TENCENT.1)]);
        assert_eq!(found(&c), [("expense.tax_id".to_string(), ids::TAX_ID_DIFFERS)]);
    }

    #[test]
    fn long_differences_are_cut_short() {
        let long = format!("{}有限公司", "甲".repeat(40));
        let ctx = expense(&[(&long, HUAWEI.1)], &format!("{}有限公司", "乙".repeat(40)), HUAWEI.1);
        let f = find("expense.name", ctx.get("expense.name").unwrap(), &ctx);
        assert_eq!(f[0].args[1].1, format!("{}…", "甲".repeat(12)));
    }

    #[test]
    fn the_bureau_must_serve_the_tax_ids_division() {
        let shenzhen = Context::default().with("enterprise.tax_id", "914403001922038216");
        let f = find("etax.region", "广东省", &shenzhen);
        assert_eq!(f[0].rule, ids::REGION_MISMATCH);
        assert!(f[0].args.contains(&("expected", "深圳市".to_string())));
        assert!(find("etax.region", "深圳", &shenzhen).is_empty());

        let beijing = Context::default().with("enterprise.tax_id", "91110108795101314G");
        assert!(find("etax.region", "北京市", &beijing).is_empty());
        assert_eq!(find("etax.region", "天津市", &beijing)[0].rule, ids::REGION_MISMATCH);

        // 3502 厦门, 3302 宁波, 3702 青岛, 2102 大连 are their own bureaus; 3501 is 福建.
        for (tax_id, bureau) in [
            ("91350200000000000X", "厦门市"),
            ("91330200000000000X", "宁波市"),
            ("91370200000000000X", "青岛市"),
            ("91210200000000000X", "大连市"),
            ("91350100M000100Y43", "福建省"),
        ] {
            let ctx = Context::default().with("enterprise.tax_id", tax_id);
            assert!(find("etax.region", bureau, &ctx).is_empty(), "{tax_id} {bureau}");
        }
        let ctx = Context::default().with("enterprise.tax_id", "91350200000000000X");
        assert_eq!(find("etax.region", "福建", &ctx)[0].args[1], ("expected", "厦门市".to_string()));
    }

    #[test]
    fn unreadable_tax_ids_do_not_judge_the_bureau() {
        for tax_id in ["", "123", "440301123456789", "9110000080210043XB"] {
            let ctx = Context::default().with("enterprise.tax_id", tax_id);
            assert!(find("etax.region", "广东省", &ctx).is_empty(), "{tax_id}");
        }
    }
}
