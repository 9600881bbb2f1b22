//! Rules that compare a field with another one: the expense page against 企业信息, the tenant id
//! against the enterprise id, the bureau against the tax id's division code.

use super::{ids, tax_id, Context, Hit};
use crate::core::guide::{self, Check, Field};

/// Characters shown on each side of the first difference.
const EXCERPT: usize = 12;

pub fn check(field: &Field, value: &str, ctx: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    if let Some(other) = field.same_as.and_then(|id| ctx.get(id)) {
        let rule = if field.check == Check::TaxId {
            ids::TAX_ID_DIFFERS
        } else {
            ids::NAME_DIFFERS
        };
        if !other.trim().is_empty() && !value.trim().is_empty() && other != value {
            hits.push(difference(rule, other, value));
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

/// Where `found` stops being `expected`: the 1-based position and an excerpt of each from there.
fn difference(rule: &'static str, expected: &str, found: &str) -> Hit {
    let at = expected
        .chars()
        .zip(found.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let excerpt = |s: &str| {
        let mut rest = s.chars().skip(at);
        let mut shown: String = rest.by_ref().take(EXCERPT).collect();
        if rest.next().is_some() {
            shown.push('…');
        }
        shown
    };
    Hit::new(rule)
        .arg("position", at + 1)
        .arg("expected", excerpt(expected))
        .arg("found", excerpt(found))
}

/// The bureau must serve the enterprise tax id's division: one of the five cities by characters
/// 3–6, else the province by 3–4.
fn region_matches_tax_id(value: &str, ctx: &Context) -> Option<Hit> {
    let chosen = guide::bureau(value)?;
    let division = ctx.get("enterprise.tax_id").and_then(tax_id::division)?;
    let expected = guide::bureau_for_division(division)?;
    (expected.code != chosen.code).then(|| {
        Hit::new(ids::REGION_MISMATCH)
            .arg("division", division)
            .arg("expected", expected.name)
            .arg("found", chosen.name)
    })
}

#[cfg(test)]
mod tests {
    use crate::core::validate::{ids, validate_field, Context, Finding};

    fn find(field: &str, value: &str, ctx: &Context) -> Vec<Finding> {
        validate_field(field, value, ctx)
    }

    #[test]
    fn expense_name_and_tax_id_must_equal_the_enterprise_values() {
        let ctx = Context::default()
            .with("enterprise.name", "腾讯科技（深圳）有限公司")
            .with("enterprise.tax_id", "9144030071526726XG");
        assert!(find("expense.name", "腾讯科技（深圳）有限公司", &ctx).is_empty());
        assert!(find("expense.tax_id", "9144030071526726XG", &ctx).is_empty());

        let f = find("expense.name", "腾讯科技深圳有限公司", &ctx);
        assert_eq!(f[0].rule, ids::NAME_DIFFERS);
        assert_eq!(
            f[0].args,
            [
                ("position", "5".to_string()),
                ("expected", "（深圳）有限公司".to_string()),
                ("found", "深圳有限公司".to_string())
            ]
        );
        let f = find("expense.tax_id", "9144030071526726X0", &ctx);
        assert_eq!(f.last().unwrap().rule, ids::TAX_ID_DIFFERS);
        assert_eq!(f.last().unwrap().args[0], ("position", "18".to_string()));
    }

    #[test]
    fn long_differences_are_cut_short() {
        let ctx = Context::default().with("enterprise.name", &"甲".repeat(40));
        let f = find("expense.name", &"乙".repeat(40), &ctx);
        assert_eq!(f[0].args[1].1, format!("{}…", "甲".repeat(12)));
    }

    #[test]
    fn without_the_enterprise_values_there_is_nothing_to_compare() {
        assert!(find("expense.name", "甲公司", &Context::default()).is_empty());
        assert!(find(
            "expense.name",
            "甲公司",
            &Context::default().with("enterprise.name", "")
        )
        .is_empty());
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
        assert_eq!(
            find("etax.region", "天津市", &beijing)[0].rule,
            ids::REGION_MISMATCH
        );

        // 3502 厦门, 3302 宁波, 3702 青岛, 2102 大连 are their own bureaus; 3501 is 福建.
        for (tax_id, bureau) in [
            ("91350200000000000X", "厦门市"),
            ("91330200000000000X", "宁波市"),
            ("91370200000000000X", "青岛市"),
            ("91210200000000000X", "大连市"),
            ("91350100M000100Y43", "福建省"),
        ] {
            let ctx = Context::default().with("enterprise.tax_id", tax_id);
            assert!(
                find("etax.region", bureau, &ctx).is_empty(),
                "{tax_id} {bureau}"
            );
        }
        let ctx = Context::default().with("enterprise.tax_id", "91350200000000000X");
        assert_eq!(
            find("etax.region", "福建", &ctx)[0].args[1],
            ("expected", "厦门市".to_string())
        );
    }

    #[test]
    fn unreadable_tax_ids_do_not_judge_the_bureau() {
        for tax_id in ["", "123", "440301123456789", "9110000080210043XB"] {
            let ctx = Context::default().with("enterprise.tax_id", tax_id);
            assert!(find("etax.region", "广东省", &ctx).is_empty(), "{tax_id}");
        }
    }
}
