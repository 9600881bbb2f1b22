//! Field validation: what is wrong with a value, why it matters and how to fix it.
//!
//! - [`validate_field`] checks one field as the admin types (the overlay), with a [`Context`] of the
//!   other values on the page for the cross-field rules;
//! - [`check_config`] checks a whole configuration (the `check` command).
//!
//! Each family of rules lives in its own file; which validator checks a field is data
//! (`check` in guide/fields.toml), and so are the rules' severities and texts (guide/rules.toml).
//! Every validator is linear in its input and never panics.

pub mod chars;
#[cfg(test)]
mod corpus;
mod credentials;
mod cross;
mod enterprise;
mod etax;
mod legacy;
mod org;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
mod proxy;
mod tax_id;
mod url;

pub use tax_id::with_check_characters;

use serde::Serialize;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use super::companies::{self, KnownCompanies};
use super::guide::{self, Check, Field, Rule};
use super::i18n::Lang;

/// The rule ids of guide/rules.toml as constants (`ids::URL_EMPTY` = "url.empty"), so that a
/// validator naming a rule that does not exist does not compile.
pub mod ids {
    include!(concat!(env!("OUT_DIR"), "/rule_ids.rs"));
}

/// How bad a finding is. `Ok` confirms a value (e.g. which environment a url points to); a field
/// with no findings is ok too (see [`verdict`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One thing a validator has to say about a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The field id, or for a list item its indexed name (`etax[0].region`).
    pub field: String,
    pub rule: &'static str,
    pub severity: Severity,
    /// Values for the rule's `{placeholders}`. Never a secret: positions, lengths, suggestions.
    pub args: Vec<(&'static str, String)>,
}

impl Finding {
    /// A finding of `rule` (one of [`ids`]) with the rule's severity.
    pub fn new(field: impl Into<String>, rule: &'static str, args: Vec<(&'static str, String)>) -> Finding {
        let info = guide::rule(rule).unwrap_or_else(|| panic!("rule {rule:?} is not in guide/rules.toml"));
        debug_assert!(
            info.placeholders.len() == args.len() && info.placeholders.iter().all(|p| args.iter().any(|(k, _)| k == p)),
            "{rule}: args {args:?} do not fill the placeholders {:?}",
            info.placeholders
        );
        Finding { field: field.into(), rule, severity: info.severity, args }
    }

    pub fn rule_info(&self) -> &'static Rule {
        guide::rule(self.rule).expect("findings are made from known rules")
    }

    /// What is wrong.
    pub fn message(&self, lang: Lang) -> String {
        self.fill(self.rule_info().message.get(lang))
    }

    /// Why it matters.
    pub fn why(&self, lang: Lang) -> String {
        self.fill(self.rule_info().why.get(lang))
    }

    /// How to fix it.
    pub fn fix(&self, lang: Lang) -> String {
        self.fill(self.rule_info().fix.get(lang))
    }

    /// Fills the rule's `{name}`s from the finding's arguments (one pass: see `i18n::fill`).
    fn fill(&self, template: &str) -> String {
        crate::core::i18n::fill(template, |name| self.arg(name).map(str::to_owned))
    }

    fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
}

/// The verdict for a field: its worst finding, `Ok` when there is none.
pub fn verdict(findings: &[Finding]) -> Severity {
    findings.iter().map(|f| f.severity).max().unwrap_or(Severity::Ok)
}

/// A validator's finding before it is attached to a field name.
#[derive(Debug)]
pub(crate) struct Hit {
    rule: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Hit {
    fn new(rule: &'static str) -> Hit {
        Hit { rule, args: Vec::new() }
    }

    fn arg(mut self, name: &'static str, value: impl ToString) -> Hit {
        self.args.push((name, value.to_string()));
        self
    }
}

/// The other values on the page (or in the file), for cross-field rules, and the companies the
/// expense page is compared with. Secret fields keep only whether they are filled and a digest to
/// compare against; their values are never stored.
#[derive(Debug, Clone, Default)]
pub struct Context {
    entries: Vec<(String, Entry)>,
    /// Shared: the context is cloned per validation pass, the companies change rarely.
    companies: Arc<KnownCompanies>,
}

#[derive(Debug, Clone)]
enum Entry {
    Plain(String),
    Secret { filled: bool, digest: u64 },
}

/// Only compared for equality with another field's value (a Client Secret pasted into Encrypt
/// Key), never shown or kept beyond the check. SipHash is already in every build through the
/// standard library; a SHA-256 here cost the content script's wasm about 4 KB gzip and protects
/// nothing more: the value sits in the page's own input anyway, and neither is a salted hash.
fn digest(value: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl Context {
    /// Adds (or replaces) the value of a field, by field id (`enterprise.tax_id`).
    pub fn with(mut self, field_id: &str, value: &str) -> Context {
        self.set(field_id, value);
        self
    }

    /// The companies seen on 企业信息 (see `core::companies`).
    pub fn with_companies(mut self, companies: Arc<KnownCompanies>) -> Context {
        self.companies = companies;
        self
    }

    pub fn companies(&self) -> &KnownCompanies {
        &self.companies
    }

    pub fn set(&mut self, field_id: &str, value: &str) {
        let entry = if guide::field(field_id).is_some_and(|f| f.secret) {
            Entry::Secret { filled: !value.trim().is_empty(), digest: digest(value) }
        } else {
            Entry::Plain(value.to_string())
        };
        match self.entries.iter_mut().find(|(k, _)| k == field_id) {
            Some((_, slot)) => *slot = entry,
            None => self.entries.push((field_id.to_string(), entry)),
        }
    }

    fn entry(&self, field_id: &str) -> Option<&Entry> {
        self.entries.iter().find(|(k, _)| k == field_id).map(|(_, e)| e)
    }

    /// The value of a non-secret field; `None` when unknown or secret.
    pub fn get(&self, field_id: &str) -> Option<&str> {
        match self.entry(field_id)? {
            Entry::Plain(v) => Some(v),
            Entry::Secret { .. } => None,
        }
    }

    /// Whether the field holds something other than whitespace; `None` when unknown.
    pub fn is_filled(&self, field_id: &str) -> Option<bool> {
        Some(match self.entry(field_id)? {
            Entry::Plain(v) => !v.trim().is_empty(),
            Entry::Secret { filled, .. } => *filled,
        })
    }

    /// Whether the field holds exactly `value`; `None` when unknown.
    pub fn equals(&self, field_id: &str, value: &str) -> Option<bool> {
        Some(match self.entry(field_id)? {
            Entry::Plain(v) => v == value,
            Entry::Secret { digest: d, .. } => *d == digest(value),
        })
    }
}

/// The rule ids a value gets with no other field known: what the validators' tests compare.
#[cfg(test)]
pub(crate) fn rules_of(field: &str, value: &str) -> Vec<&'static str> {
    rules_in(field, value, &Context::default())
}

/// The rule ids a value gets with `ctx` as the other fields.
#[cfg(test)]
pub(crate) fn rules_in(field: &str, value: &str, ctx: &Context) -> Vec<&'static str> {
    validate_field(field, value, ctx).iter().map(|f| f.rule).collect()
}

/// Checks one field. Unknown field ids have nothing to check.
pub fn validate_field(field_id: &str, value: &str, ctx: &Context) -> Vec<Finding> {
    match guide::field(field_id) {
        Some(field) => run(field, value, ctx).into_iter().map(|h| Finding::new(field_id, h.rule, h.args)).collect(),
        None => Vec::new(),
    }
}

/// Checks a field as the console shows it. A locked field (`.field-in-lock`: the console filled
/// it and the admin cannot edit it on this page) that is empty is not "empty and required": there
/// is nothing to fix here, so it gets no finding; a locked value is still checked.
pub fn validate_shown(field_id: &str, value: &str, locked: bool, ctx: &Context) -> Vec<Finding> {
    if locked && value.trim().is_empty() {
        return Vec::new();
    }
    validate_field(field_id, value, ctx)
}

fn run(field: &Field, value: &str, ctx: &Context) -> Vec<Hit> {
    let mut hits = match field.check {
        Check::Url => url::check(value),
        Check::Proxy => proxy::check(value),
        Check::YesNo => credentials::use_original_auth(value),
        Check::ClientId => credentials::client_id(value),
        Check::TenantClientId => credentials::tenant_client_id(value),
        Check::ClientSecret => credentials::client_secret(value, field.section, ctx),
        Check::EncryptKey => credentials::encrypt_key(value),
        Check::TaxId => tax_id::check(value),
        Check::CompanyName => enterprise::name(value),
        Check::Channel => enterprise::channel(value),
        Check::Region => etax::region(value),
        Check::Account => etax::account(value),
        Check::Password => etax::password(value),
        Check::Role => etax::role(value),
        Check::LoginType => etax::login_type(value, field.section, ctx),
        Check::AppCredential => etax::app_credential(value, field.section, ctx),
        Check::Email => legacy::email(value),
        Check::ActivationCode => legacy::activation_code(value),
        Check::Organisation => org::organisation(value),
        Check::FunctionalTypes => org::functional_types(value),
        Check::FreeText => Vec::new(),
    };
    let related = cross::check(field, value, &hits, ctx);
    hits.extend(related);
    hits
}

/// A whole configuration, as the `check` file holds it: sections of key = value.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub sections: Vec<ConfigSection>,
}

#[derive(Debug, Clone)]
pub struct ConfigSection {
    pub name: String,
    /// The position of a list item (`[[etax]]`); `None` for a plain table.
    pub index: Option<usize>,
    pub values: Vec<(String, String)>,
}

impl ConfigSection {
    /// How findings name this section: `auth`, `etax[0]`.
    pub fn path(&self) -> String {
        match self.index {
            Some(i) => format!("{}[{i}]", self.name),
            None => self.name.clone(),
        }
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.values.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

impl Config {
    /// Adds a table (`[auth]`).
    pub fn with_section<'a>(mut self, name: &str, values: impl IntoIterator<Item = (&'a str, &'a str)>) -> Config {
        self.push(name, None, values);
        self
    }

    /// Adds the next item of a list (`[[etax]]`).
    pub fn with_item<'a>(mut self, name: &str, values: impl IntoIterator<Item = (&'a str, &'a str)>) -> Config {
        let index = self.sections.iter().filter(|s| s.name == name).count();
        self.push(name, Some(index), values);
        self
    }

    fn push<'a>(&mut self, name: &str, index: Option<usize>, values: impl IntoIterator<Item = (&'a str, &'a str)>) {
        let values = values.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.sections.push(ConfigSection { name: name.to_string(), index, values });
    }
}

/// Checks a whole configuration. Absent sections are skipped; in a present section an absent key
/// counts as empty. Cross-field rules see every plain section, and a list item sees its own values.
/// `[enterprise]` is the one known company the expense section is compared with.
pub fn check_config(config: &Config) -> Vec<Finding> {
    let mut shared = Context::default();
    for section in config.sections.iter().filter(|s| s.index.is_none()) {
        for field in guide::fields_of_section(&section.name) {
            shared.set(field.id, section.value(field.key).unwrap_or(""));
        }
    }
    if let (Some(name), Some(tax_id)) = (shared.get(companies::NAME), shared.get(companies::TAX_ID)) {
        let mut known = KnownCompanies::default();
        known.put(name, tax_id);
        shared.companies = Arc::new(known);
    }
    let mut findings = Vec::new();
    for section in &config.sections {
        let path = section.path();
        if guide::section(&section.name).is_none() {
            findings.push(Finding::new(path.clone(), ids::CONFIG_UNKNOWN_SECTION, vec![("section", path)]));
            continue;
        }
        let mut ctx = shared.clone();
        for field in guide::fields_of_section(&section.name) {
            ctx.set(field.id, section.value(field.key).unwrap_or(""));
        }
        for (key, _) in &section.values {
            if guide::fields_of_section(&section.name).all(|f| f.key != key) {
                let known: Vec<_> = guide::fields_of_section(&section.name).map(|f| f.key).collect();
                let name = format!("{path}.{key}");
                findings.push(Finding::new(name.clone(), ids::CONFIG_UNKNOWN_KEY, vec![("key", name), ("known", known.join(", "))]));
            }
        }
        for field in guide::fields_of_section(&section.name) {
            let name = format!("{path}.{}", field.key);
            let value = section.value(field.key).unwrap_or("");
            findings.extend(run(field, value, &ctx).into_iter().map(|h| Finding::new(name.clone(), h.rule, h.args)));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_serialises_lower_case_and_orders_by_gravity() {
        assert_eq!(serde_json::to_string(&Severity::Error).unwrap(), "\"error\"");
        assert_eq!(serde_json::to_string(&Severity::Warning).unwrap(), "\"warning\"");
        assert_eq!(serde_json::to_string(&Severity::Info).unwrap(), "\"info\"");
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Info && Severity::Info > Severity::Ok);
        assert_eq!(verdict(&[]), Severity::Ok);
    }

    #[test]
    fn messages_fill_placeholders_in_both_languages() {
        let f = Finding::new("auth.encrypt_key", ids::CREDENTIALS_KEY_LENGTH, vec![("length", "15".into())]);
        assert!(f.message(Lang::Zh).contains("15"), "{}", f.message(Lang::Zh));
        assert!(f.message(Lang::En).contains("has 15"), "{}", f.message(Lang::En));
        assert!(!f.fix(Lang::En).is_empty() && !f.why(Lang::Zh).is_empty());
    }

    #[test]
    fn an_argument_with_braces_is_not_filled_again() {
        let f = Finding::new("auth.url", ids::URL_NEAR_MISS, vec![("suggestion", "{suggestion}x".into())]);
        assert_eq!(f.fix(Lang::En), "Change it to {suggestion}x");
    }

    #[test]
    fn every_rule_renders_without_leftover_placeholders() {
        for rule in guide::rules() {
            let args = rule.placeholders.iter().map(|p| (*p, "V".to_string())).collect();
            let f = Finding::new("x", rule.id, args);
            for lang in [Lang::Zh, Lang::En] {
                for text in [f.message(lang), f.why(lang), f.fix(lang)] {
                    assert!(!text.contains('{') && !text.is_empty(), "{}: {text}", rule.id);
                }
            }
        }
    }

    #[test]
    fn context_keeps_no_secret_value() {
        let ctx = Context::default().with("auth.client_secret", "s3cr3t-value").with("auth.client_id", "CID");
        assert_eq!(ctx.get("auth.client_secret"), None);
        assert_eq!(ctx.get("auth.client_id"), Some("CID"));
        assert_eq!(ctx.equals("auth.client_secret", "s3cr3t-value"), Some(true));
        assert_eq!(ctx.equals("auth.client_secret", "other"), Some(false));
        assert_eq!(ctx.is_filled("auth.client_secret"), Some(true));
        assert_eq!(ctx.is_filled("auth.encrypt_key"), None);
        assert!(!format!("{ctx:?}").contains("s3cr3t"));
    }

    #[test]
    fn a_locked_empty_field_is_not_empty_and_required_but_a_locked_value_is_checked() {
        assert_eq!(rules_of("etax.account", ""), ["account.empty"]);
        assert!(validate_shown("etax.account", "", true, &Context::default()).is_empty());
        assert!(validate_shown("enterprise.tax_id", " ", true, &Context::default()).is_empty());
        let locked_typo = validate_shown("enterprise.tax_id", "91440300MA5F000182", true, &Context::default());
        assert_eq!(locked_typo.iter().map(|f| f.rule).collect::<Vec<_>>(), rules_of("enterprise.tax_id", "91440300MA5F000182"));
        assert!(!locked_typo.is_empty());
    }

    #[test]
    fn unknown_fields_have_nothing_to_check() {
        assert!(validate_field("auth.nope", "", &Context::default()).is_empty());
    }

    #[test]
    fn config_names_list_items_and_reports_unknown_keys_and_sections() {
        let config = Config::default()
            .with_section("auth", [("url", "https://api.piaozone.com"), ("clientid", "x")])
            .with_item("etax", [("region", "火星")])
            .with_section("nonsense", []);
        let findings = check_config(&config);
        let has = |field: &str, rule: &str| findings.iter().any(|f| f.field == field && f.rule == rule);
        assert!(has("auth.clientid", ids::CONFIG_UNKNOWN_KEY));
        assert!(has("auth.client_id", ids::CREDENTIALS_EMPTY), "absent key counts as empty");
        assert!(has("etax[0].region", ids::REGION_UNKNOWN));
        assert!(has("nonsense", ids::CONFIG_UNKNOWN_SECTION));
        assert!(!findings.iter().any(|f| f.field.starts_with("legacy")), "absent sections are skipped");
    }

    /// Every rule a field reports must be listed for it in guide/fields.toml: the data documents
    /// the code. Runs each field against a spread of values.
    #[test]
    fn fields_report_only_their_listed_rules() {
        let values = [
            "",
            " ",
            "abc",
            "TN_abc",
            "\"abc\"",
            "ａｂｃ",
            "a\u{200B}b",
            "https://api.piaozone.com",
            "http://api-dev.piaozone.com",
            "https://api.piazzone.com",
            "https://relay.example.com",
            "172.18.1.1：10086",
            "http://1.2.3.4:99999",
            "91350100M000100Y43",
            "91350100m000100y43",
            "913501001000100Y43",
            "123456789012345",
            "深圳市",
            "广东",
            "13800138000",
            "11010519491231002X",
            "开票员",
            "小号登录",
            "人工登录",
            "APP自动登录",
            "a@b.cn",
            "是",
            "否",
            "核算组织",
            "新电子服务平台",
            "乐企",
            "0123456789abcdef",
            "A (B) C",
            " x  y ",
        ];
        let ctx = Context::default()
            .with("enterprise.tax_id", "91440300MA5DXXXX00")
            .with("enterprise.name", "甲公司")
            .with("auth.client_id", "TN_abc")
            .with("etax.login_type", "小号登录")
            .with("etax.app_key", "k");
        for field in guide::FIELDS {
            for value in values {
                for f in validate_field(field.id, value, &ctx) {
                    assert!(field.rules.contains(&f.rule), "{} reported {} for {value:?}", field.id, f.rule);
                }
            }
        }
    }
}
