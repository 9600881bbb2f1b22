//! Typed view over the knowledge base in `guide/*.toml`, which `build.rs` checked and compiled
//! into the static tables included below.

pub use super::i18n::Text;
use super::validate::chars::normalize_for_match;
pub use super::validate::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Yes,
    No,
    Conditional,
}

/// Which 发票云 version a step or page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Branch {
    Both,
    V8,
    Legacy,
}

#[derive(Debug)]
pub struct Step {
    pub id: &'static str,
    pub title: Text,
    pub required: Required,
    /// Set exactly when `required` is `Conditional`.
    pub condition: Option<Text>,
    pub branch: Branch,
    pub path: Text,
    pub guidance: Text,
    /// Pages on which this step is the current one.
    pub pages: &'static [&'static str],
    /// What proves it done when the console shows it (`core::progress::shown_done`).
    pub shown_done: Option<&'static ShownDone>,
}

/// Where the console shows a step done: on `page` (any when `None`), the first of a grid's
/// `columns` or the `field`, with a value the `field`'s checks accept.
#[derive(Debug)]
pub struct ShownDone {
    pub page: Option<&'static str>,
    pub columns: &'static [&'static str],
    pub field: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Page,
    Dialog,
}

#[derive(Debug)]
pub struct Page {
    pub id: &'static str,
    pub kind: PageKind,
    /// For a dialog: the page it opens over.
    pub over: Option<&'static str>,
    pub title: Text,
    pub form_ids: &'static [&'static str],
    /// Texts that are all present when this page is open.
    pub markers: &'static [&'static str],
    pub version: Branch,
    /// The companies' grid of a list page, which 对照清单 compares with a key list.
    pub grid: Option<&'static Grid>,
    /// The console's own 连接测试, next to which the assistant's connection test goes.
    pub test_button: Option<&'static TestButton>,
    /// A dialog whose button saves rows that prove a step done (维护租户授权信息).
    pub saved_by: Option<&'static SavedBy>,
}

#[derive(Debug)]
pub struct TestButton {
    pub text: &'static str,
    /// Its element id where one is known (the replica's; live consoles' are not public).
    pub id: Option<&'static str>,
}

#[derive(Debug)]
pub struct SavedBy {
    pub button: &'static str,
    /// The account, secret and key columns of the saved grid.
    pub columns: &'static [&'static str],
}

/// Where a list page's grid shows each company: per column, the cells' `data-code`s (Cosmic's
/// field keys) and the header titles, either of which finds it.
#[derive(Debug)]
pub struct Grid {
    pub name: &'static [&'static str],
    pub tax_id: &'static [&'static str],
    pub client_id: &'static [&'static str],
}

/// A table of the `check` file; its fields are the ones whose id starts with `<id>.`.
#[derive(Debug)]
pub struct Section {
    pub id: &'static str,
    /// The file holds a list of them (`[[etax]]`).
    pub list: bool,
    pub title: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widget {
    Text,
    Password,
    Textarea,
    Combo,
    Checkbox,
}

/// Which validator of `core::validate` checks a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Url,
    Proxy,
    YesNo,
    ClientId,
    TenantClientId,
    ClientSecret,
    EncryptKey,
    TaxId,
    CompanyName,
    Channel,
    Region,
    Account,
    Password,
    Role,
    LoginType,
    AppCredential,
    Email,
    ActivationCode,
    Organisation,
    FunctionalTypes,
    FreeText,
}

#[derive(Debug)]
pub struct Field {
    /// `<section>.<key>`.
    pub id: &'static str,
    pub section: &'static str,
    pub key: &'static str,
    pub page: &'static str,
    /// Cosmic's keys for it: the field element's `id`, the suffix of its `data-page-id`
    /// (`<pageId>_<key>`). Matched before labels.
    pub console_keys: &'static [&'static str],
    /// Every label consoles show for it.
    pub labels: &'static [&'static str],
    pub widget: Widget,
    /// Never stored, logged or quoted.
    pub secret: bool,
    pub check: Check,
    /// Every rule the field can be reported under.
    pub rules: &'static [&'static str],
    /// What to enter, shown when the field gets focus.
    pub focus: Text,
    /// The field this one must equal exactly.
    pub same_as: Option<&'static str>,
    /// The field this one must not equal.
    pub differs_from: Option<&'static str>,
}

#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// About the `check` file itself rather than a field.
    pub standalone: bool,
    /// What is wrong.
    pub message: Text,
    /// Why it matters, in the guide's words.
    pub why: Text,
    /// How to fix it.
    pub fix: Text,
    /// The `{name}`s used by message, why and fix (the same in both languages).
    pub placeholders: &'static [&'static str],
}

#[derive(Debug)]
pub struct Faq {
    pub id: &'static str,
    /// Alternatives; each is fragments (normalised like `normalize_for_match`) that must appear in order.
    pub patterns: &'static [&'static [&'static str]],
    /// The patterns as written in guide/faq.toml.
    pub written: &'static [&'static str],
    pub title: Text,
    pub cause: Text,
    pub fix: Text,
    /// The step where the fix is made.
    pub step: Option<&'static str>,
    pub fields: &'static [&'static str],
    /// Where the guide says so.
    pub source: &'static str,
}

/// A provincial-level tax bureau (省级税务机关), or one of the five separately listed cities.
#[derive(Debug)]
pub struct Bureau {
    pub code: &'static str,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// The GB/T 2260 prefix of the tax ids it serves: 2 digits for a province, 4 for a city.
    pub division: &'static str,
}

#[derive(Debug)]
pub struct LoginType {
    pub name: &'static str,
    pub needs_app_keys: bool,
    pub supported: bool,
}

/// An outcome's texts (guide/outcomes.toml `[[kind]]`).
#[derive(Debug)]
pub struct KindTexts {
    pub title: Text,
    pub explanation: Text,
    pub fix: Text,
}

/// Where an unreachable call failed (guide/outcomes.toml `[[stage]]`).
#[derive(Debug)]
pub struct StageTexts {
    pub label: Text,
    pub explanation: Text,
    pub fix: Text,
}

include!(concat!(env!("OUT_DIR"), "/guide_tables.rs"));

/// Looks an id up in one of the outcome tables.
pub fn by_id<T>(table: &'static [(&'static str, T)], id: &str) -> Option<&'static T> {
    table.iter().find(|(key, _)| *key == id).map(|(_, value)| value)
}

pub fn section(id: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.id == id)
}

pub fn field(id: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.id == id)
}

pub fn rule(id: &str) -> Option<&'static Rule> {
    rules().find(|r| r.id == id)
}

/// Every rule of guide/rules.toml this build has: the UI modules leave out `TOOL_RULES`, the
/// command line's own (a company list's, the check file's), which no page shows.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().chain(TOOL_RULES)
}

pub fn faq(id: &str) -> Option<&'static Faq> {
    FAQS.iter().find(|f| f.id == id)
}

pub fn fields_of_section(section: &str) -> impl Iterator<Item = &'static Field> + '_ {
    FIELDS.iter().filter(move |f| f.section == section)
}

pub fn fields_on_page(page: &str) -> impl Iterator<Item = &'static Field> + '_ {
    FIELDS.iter().filter(move |f| f.page == page)
}

/// The field a label on `page` stands for, ignoring case, full-width forms, spacing, the
/// required star before or after the text (Cosmic renders `Client id*`; other consoles `*Client
/// id`) and a trailing colon (`*授权账号：`, `企业税号 * :`).
pub fn field_by_label(page: &str, label: &str) -> Option<&'static Field> {
    let label = label_for_match(label);
    fields_on_page(page).find(|f| f.labels.iter().any(|l| normalize_for_match(l) == label))
}

/// A label as [`field_by_label`] compares it: normalised, without the required star or colon.
pub fn label_for_match(label: &str) -> String {
    let label = normalize_for_match(label);
    label.trim_matches(|c: char| c == '*' || c == ':' || c.is_whitespace()).to_owned()
}

/// The field whose Cosmic key is `key` on `page` (the field element's `id`).
pub fn field_by_key(page: &str, key: &str) -> Option<&'static Field> {
    fields_on_page(page).find(|f| f.console_keys.contains(&key))
}

/// The field a `data-page-id` (`<pageId>_<key>`) names on `page`. Keys contain `_` themselves
/// and the pageId is not known here, so the longest key the value ends with wins (`…_client_id`
/// is `client_id`, not `id`).
pub fn field_by_page_id(page: &str, page_id: &str) -> Option<&'static Field> {
    fields_on_page(page)
        .flat_map(|f| f.console_keys.iter().map(move |k| (f, *k)))
        .filter(|(_, key)| page_id_names(page_id, key))
        .max_by_key(|(_, key)| key.len())
        .map(|(f, _)| f)
}

/// Whether a `data-page-id` is `<pageId>_<key>`.
pub fn page_id_names(page_id: &str, key: &str) -> bool {
    page_id.len() > key.len() && page_id.ends_with(key) && page_id[..page_id.len() - key.len()].ends_with('_')
}

/// The bureau named `name` (its name or an alias, e.g. 广东 / 广东省 / 国家税务总局广东省税务局).
pub fn bureau(name: &str) -> Option<&'static Bureau> {
    let name = name.trim();
    let name = name.strip_prefix("国家税务总局").unwrap_or(name);
    let name = name.strip_suffix("税务局").unwrap_or(name);
    let is = |n: &str| n == name || n.strip_suffix(['省', '市']) == Some(name);
    BUREAUS.iter().find(|b| is(b.name) || b.aliases.iter().any(|a| is(a)))
}

/// The bureau a tax id's division code belongs to: one of the five cities by its 4 digits, else the province by 2.
pub fn bureau_for_division(division: &str) -> Option<&'static Bureau> {
    let city = division.get(..4).and_then(|d| BUREAUS.iter().find(|b| b.division == d));
    city.or_else(|| division.get(..2).and_then(|d| BUREAUS.iter().find(|b| b.division == d)))
}

pub fn step(id: &str) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.id == id)
}

pub fn page(id: &str) -> Option<&'static Page> {
    PAGES.iter().find(|p| p.id == id)
}

/// The step an admin is on when `page_id` is open.
pub fn step_for_page(page_id: &str) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.pages.contains(&page_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_the_guide_in_order() {
        let ids: Vec<_> = STEPS.iter().map(|s| s.id).collect();
        let pos = |id| ids.iter().position(|s| *s == id).unwrap();
        assert!(pos("business_unit") < pos("auth_config"));
        assert!(pos("auth_config") < pos("import_org"));
        assert!(pos("import_org") < pos("enterprise_info"));
        assert!(pos("etax_tenant") < pos("etax_upgrade"));
        assert!(pos("etax_upgrade") < pos("etax_account"));
    }

    #[test]
    fn conditional_steps_say_when() {
        for s in STEPS {
            assert_eq!(s.required == Required::Conditional, s.condition.is_some(), "{}", s.id);
        }
        assert_eq!(step("etax_wechat").unwrap().required, Required::No);
        assert_eq!(step("etax_legacy").unwrap().branch, Branch::Legacy);
    }

    #[test]
    fn every_step_page_exists_and_auth_page_maps_to_its_step() {
        for s in STEPS {
            for p in s.pages {
                assert!(page(p).is_some(), "{} → {}", s.id, p);
            }
        }
        assert_eq!(step_for_page("auth_config").unwrap().id, "auth_config");
        assert_eq!(step_for_page("import_org").unwrap().id, "import_org");
    }

    #[test]
    fn thirty_six_bureaus_with_the_five_cities_by_four_digits() {
        assert_eq!(BUREAUS.len(), 36);
        let cities: Vec<_> = BUREAUS.iter().filter(|b| b.division.len() == 4).map(|b| (b.division, b.name)).collect();
        assert_eq!(cities, [("2102", "大连市"), ("3302", "宁波市"), ("3502", "厦门市"), ("3702", "青岛市"), ("4403", "深圳市")]);
        assert_eq!(bureau_for_division("440300").unwrap().name, "深圳市");
        assert_eq!(bureau_for_division("440106").unwrap().name, "广东省");
        assert_eq!(bureau_for_division("370200").unwrap().name, "青岛市");
        assert_eq!(bureau_for_division("110108").unwrap().name, "北京市");
        assert!(bureau_for_division("100000").is_none());
    }

    #[test]
    fn bureaus_are_found_by_their_common_spellings() {
        for (written, name) in [
            ("广东", "广东省"),
            ("广东省", "广东省"),
            ("深圳", "深圳市"),
            ("深圳市", "深圳市"),
            ("内蒙古", "内蒙古自治区"),
            ("广西", "广西壮族自治区"),
            ("国家税务总局广东省税务局", "广东省"),
            (" 上海市 ", "上海市"),
        ] {
            assert_eq!(bureau(written).map(|b| b.name), Some(name), "{written}");
        }
        assert!(bureau("火星").is_none());
        assert!(bureau("").is_none());
    }

    #[test]
    fn fields_are_found_by_their_cosmic_key_and_data_page_id() {
        assert_eq!(field_by_key("expense_config", "client_id").unwrap().id, "expense.client_id");
        assert_eq!(field_by_key("auth_config", "client_id").unwrap().id, "auth.client_id");
        assert_eq!(field_by_key("enterprise_info", "number").unwrap().id, "enterprise.tax_id");
        assert!(field_by_key("enterprise_info", "client_id").is_none());
        // `<pageId>_<key>`: the longest key wins, a bare key or a key without its `_` is no match.
        assert_eq!(field_by_page_id("expense_config", "8d1f0c2a9b_client_id").unwrap().id, "expense.client_id");
        assert_eq!(field_by_page_id("expense_config", "root_8d1f_encrypt_key").unwrap().id, "expense.encrypt_key");
        assert_eq!(field_by_page_id("etax_account", "a1b2_alleinvoiceaccount").unwrap().id, "etax.account");
        assert!(field_by_page_id("expense_config", "client_id").is_none());
        assert!(field_by_page_id("expense_config", "8d1fclient_id").is_none());
        assert!(field_by_page_id("expense_config", "8d1f_client_idx").is_none());
    }

    #[test]
    fn console_keys_name_fields_of_their_own_page_only_once() {
        for page in PAGES {
            let keys: Vec<_> = fields_on_page(page.id).flat_map(|f| f.console_keys.iter()).collect();
            let unique: std::collections::HashSet<_> = keys.iter().collect();
            assert_eq!(keys.len(), unique.len(), "{}", page.id);
        }
    }

    #[test]
    fn fields_are_found_by_any_label_on_their_page() {
        assert_eq!(field_by_label("auth_config", "ClientID").unwrap().id, "auth.client_id");
        assert_eq!(field_by_label("auth_config", "*Client id：").unwrap().id, "auth.client_id");
        assert_eq!(field_by_label("etax_tenant", "授权账号").unwrap().id, "tenant.client_id");
        assert_eq!(field_by_label("expense_config", "发票云授权标识").unwrap().id, "expense.client_id");
        assert_eq!(field_by_label("etax_account", "税号所属地").unwrap().id, "etax.region");
        assert!(field_by_label("auth_config", "税号所属地").is_none());
        // Cosmic's required star follows the label, in its own element or not.
        assert_eq!(field_by_label("auth_config", "Client id*").unwrap().id, "auth.client_id");
        assert_eq!(field_by_label("auth_config", "Client id *：").unwrap().id, "auth.client_id");
        assert_eq!(field_by_label("enterprise_info", "企业税号*").unwrap().id, "enterprise.tax_id");
        assert!(field_by_label("auth_config", "*").is_none());
    }

    #[test]
    fn the_tenant_dialogs_authorization_mark_is_known_and_optional() {
        let f = field_by_label("etax_tenant", "发票云租户授权标识").unwrap();
        assert_eq!(f.id, "tenant.authorization_id");
        assert!(!f.secret);
        let ctx = crate::core::validate::Context::default();
        assert!(crate::core::validate::validate_field(f.id, "", &ctx).is_empty(), "may be left empty");
        // Not the expense page's 发票云授权标识 (= Client id).
        assert_eq!(field_by_label("etax_tenant", "发票云授权标识").map(|f| f.id), None);
    }

    /// What the guide says on each step, in the console's words.
    #[test]
    fn steps_say_what_the_guide_says() {
        for (id, needles) in [
            ("admin_org", &["星瀚6.0及以上"][..]),
            ("etax_tenant", &["增行", "发票云租户授权标识", "可以不填"]),
            ("etax_account", &["单据头自动带出，不可修改", "导入数据", "查看导入结果"]),
            ("etax_wechat", &["激活码", "“确认”", "【电子税局账号管理】", "【编辑】", "【绑定】"]),
            ("etax_legacy", &["【更新】", "无需重复输入激活码", "当前登录企业具备权限"]),
            ("expense_config", &["每个企业配自己的密钥"]),
        ] {
            let s = step(id).unwrap();
            for needle in needles {
                assert!(s.guidance.zh.contains(needle), "{id}: {needle}");
            }
            assert!(s.guidance.en.len() > s.guidance.zh.len() / 2, "{id}: the en text says as much");
        }
        assert!(step("etax_account").unwrap().guidance.en.contains("cannot be edited"));
        assert!(step("etax_wechat").unwrap().guidance.en.contains("激活码"));
    }

    #[test]
    fn every_field_rule_exists_and_secrets_are_marked() {
        for f in FIELDS {
            for r in f.rules {
                assert!(rule(r).is_some(), "{} → {}", f.id, r);
            }
            assert!(section(f.section).is_some(), "{}", f.id);
        }
        let secrets: Vec<_> = FIELDS.iter().filter(|f| f.secret).map(|f| f.id).collect();
        for id in
            ["auth.client_secret", "auth.encrypt_key", "tenant.client_secret", "etax.password", "etax.app_secret", "expense.encrypt_key"]
        {
            assert!(secrets.contains(&id), "{id}");
        }
        assert!(!field("auth.client_id").unwrap().secret);
        assert_eq!(ROLES.len(), 10);
    }

    #[test]
    fn the_command_line_has_its_own_rules_too() {
        // Natively (the CLI, the worker, the list reader) every rule of guide/rules.toml is there.
        assert!(rule("list.duplicate_row").is_some() && rule("config.unknown_key").is_some());
        assert!(!TOOL_RULES.is_empty() && TOOL_RULES.iter().all(|r| r.standalone));
    }
}
