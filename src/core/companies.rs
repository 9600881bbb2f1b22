//! The companies seen on 企业信息 in this browser (per console origin), which the 费报 page's 企业税号
//! and 企业工商登记名 are compared with. A console serves many companies — with 是否使用原授权 = 是
//! "100个企业要配置100个不同的密钥" — so every company seen is kept, not the last one.
//!
//! Stored as `seen:<origin>` in `chrome.storage.local` exactly as [`Remembered`] serialises:
//! `{"companies": [{"name": …, "tax_id": …}, …], "client_id": …}`, oldest company first. Only the
//! non-secret fields other pages are checked against ([`is_remembered`]) are ever read into it.

use serde::{Deserialize, Deserializer, Serialize};

use super::guide;
use super::validate::{validate_field, Context, Severity};

/// Companies kept per origin. A group's console rarely holds more than a few hundred companies;
/// the bound keeps storage (about 100 bytes a company) and each lookup small whatever a site
/// shows. When full, the company seen longest ago is dropped: it only turns its expense check
/// from an error into an info.
pub const CAPACITY: usize = 500;

pub const NAME: &str = "enterprise.name";
pub const TAX_ID: &str = "enterprise.tax_id";
/// The enterprise Client id of 发票云授权配置: the tenant dialog must not reuse it.
pub const CLIENT_ID: &str = "auth.client_id";
/// Whether other pages are checked against this field: it is the target of a `same_as` or
/// `differs_from` in guide/fields.toml (费报's 企业税号 = 企业信息's; the tenant's ClientID ≠ the
/// enterprise one). Never a secret field, whatever the data says.
pub fn is_remembered(field_id: &str) -> bool {
    guide::FIELDS.iter().any(|f| f.same_as == Some(field_id) || f.differs_from == Some(field_id))
        && guide::field(field_id).is_some_and(|f| !f.secret)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub name: String,
    pub tax_id: String,
}

/// A name ↔ tax id pairing: no two companies share a name or a tax id. Oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct KnownCompanies {
    companies: Vec<Company>,
}

/// Whether the value has no error of its own: a half-typed or mistyped value is not a company.
fn acceptable(field_id: &str, value: &str) -> bool {
    validate_field(field_id, value, &Context::default()).iter().all(|f| f.severity < Severity::Error)
}

impl KnownCompanies {
    /// Remembers a company shown on 企业信息 when both values validate without error; the newest
    /// pairing wins, so a corrected name (or tax id) replaces the company's old one. Returns
    /// whether anything changed.
    pub fn remember(&mut self, name: &str, tax_id: &str) -> bool {
        acceptable(NAME, name) && acceptable(TAX_ID, tax_id) && self.put(name, tax_id)
    }

    /// Adds a pairing as it is; either part may be empty (a `check` file's `[enterprise]` without a
    /// name). Unchecked: the file says which company it describes, and its own mistakes are
    /// reported on its own section.
    pub(crate) fn put(&mut self, name: &str, tax_id: &str) -> bool {
        if name.is_empty() && tax_id.is_empty() {
            return false;
        }
        if self.companies.iter().any(|c| c.name == name && c.tax_id == tax_id) {
            return false;
        }
        self.companies.retain(|c| (c.tax_id != tax_id || tax_id.is_empty()) && (c.name != name || name.is_empty()));
        self.companies.push(Company { name: name.to_string(), tax_id: tax_id.to_string() });
        if self.companies.len() > CAPACITY {
            let excess = self.companies.len() - CAPACITY;
            self.companies.drain(..excess);
        }
        true
    }

    /// The company with this tax id.
    pub fn by_tax_id(&self, tax_id: &str) -> Option<&Company> {
        self.companies.iter().find(|c| !tax_id.is_empty() && c.tax_id == tax_id)
    }

    /// The company with this name.
    pub fn by_name(&self, name: &str) -> Option<&Company> {
        self.companies.iter().find(|c| !name.is_empty() && c.name == name)
    }

    pub fn len(&self) -> usize {
        self.companies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.companies.is_empty()
    }
}

/// Read back through [`KnownCompanies::remember`]: the stored list obeys the same rules (bound,
/// one company per name and tax id, only valid values) whatever wrote it.
impl<'de> Deserialize<'de> for KnownCompanies {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut known = KnownCompanies::default();
        for c in Vec::<Company>::deserialize(deserializer)? {
            known.remember(&c.name, &c.tax_id);
        }
        Ok(known)
    }
}

/// What one console origin's pages remember for the others' checks: the `seen:<origin>` value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct Remembered {
    pub companies: KnownCompanies,
    /// One 发票云授权配置 per console, so one enterprise Client id: the last one seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// Both shapes `seen:<origin>` has had: this one, and the single company before it
/// (`{"enterprise.name": …, "enterprise.tax_id": …, "auth.client_id": …}`), read as one company.
#[derive(Deserialize)]
struct Stored {
    #[serde(default)]
    companies: KnownCompanies,
    client_id: Option<String>,
    #[serde(rename = "enterprise.name")]
    old_name: Option<String>,
    #[serde(rename = "enterprise.tax_id")]
    old_tax_id: Option<String>,
    #[serde(rename = "auth.client_id")]
    old_client_id: Option<String>,
}

impl From<Stored> for Remembered {
    fn from(stored: Stored) -> Remembered {
        let mut remembered = Remembered { companies: stored.companies, client_id: None };
        // Half a company (a lone name or tax id) identifies nothing: dropped.
        if let (Some(name), Some(tax_id)) = (&stored.old_name, &stored.old_tax_id) {
            remembered.companies.remember(name, tax_id);
        }
        if let Some(id) = stored.client_id.or(stored.old_client_id) {
            remembered.remember_client_id(&id);
        }
        remembered
    }
}

impl Remembered {
    /// Takes in the values a page shows (field id → value): the company of 企业信息 (or of a page
    /// that echoes it) and the enterprise Client id. Every other field, secrets included, is
    /// ignored. Returns whether anything changed.
    pub fn observe<'a>(&mut self, values: impl IntoIterator<Item = (&'a str, &'a str)>) -> bool {
        let (mut name, mut tax_id, mut client_id) = (None, None, None);
        for (id, value) in values {
            match id {
                NAME => name = Some(value),
                TAX_ID => tax_id = Some(value),
                CLIENT_ID => client_id = Some(value),
                _ => {}
            }
        }
        let mut changed = false;
        if let (Some(name), Some(tax_id)) = (name, tax_id) {
            changed |= self.companies.remember(name, tax_id);
        }
        if let Some(id) = client_id {
            changed |= self.remember_client_id(id);
        }
        changed
    }

    fn remember_client_id(&mut self, id: &str) -> bool {
        if !acceptable(CLIENT_ID, id) || self.client_id.as_deref() == Some(id) {
            return false;
        }
        self.client_id = Some(id.to_string());
        true
    }

    /// Adds what `newer` (seen before this was read from storage) holds, newest last. Returns
    /// whether that changed anything.
    pub fn absorb(&mut self, newer: &Remembered) -> bool {
        let mut changed = false;
        for c in &newer.companies.companies {
            changed |= self.companies.put(&c.name, &c.tax_id);
        }
        if let Some(id) = &newer.client_id {
            changed |= self.remember_client_id(id);
        }
        changed
    }

    /// `ctx` with what other pages' checks read from this: the companies and the Client id.
    pub fn apply(&self, ctx: Context) -> Context {
        let mut ctx = ctx.with_companies(std::sync::Arc::new(self.companies.clone()));
        if let Some(id) = &self.client_id {
            ctx.set(CLIENT_ID, id);
        }
        ctx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HUAWEI: (&str, &str) = ("华为技术有限公司", "914403001922038216");
    const TENCENT: (&str, &str) = ("腾讯科技（深圳）有限公司", "9144030071526726XG");

    #[test]
    fn every_valid_company_is_kept_and_found_both_ways() {
        let mut k = KnownCompanies::default();
        assert!(k.remember(HUAWEI.0, HUAWEI.1));
        assert!(k.remember(TENCENT.0, TENCENT.1));
        assert!(!k.remember(TENCENT.0, TENCENT.1), "nothing new");
        assert_eq!(k.len(), 2);
        assert_eq!(k.by_tax_id(HUAWEI.1).unwrap().name, HUAWEI.0);
        assert_eq!(k.by_name(TENCENT.0).unwrap().tax_id, TENCENT.1);
        assert!(k.by_tax_id("").is_none() && k.by_name("").is_none());
    }

    #[test]
    fn values_with_an_error_are_not_a_company_but_warnings_are() {
        let mut k = KnownCompanies::default();
        assert!(!k.remember(HUAWEI.0, "914403001922038217"), "check character");
        assert!(!k.remember("", HUAWEI.1), "no name");
        assert!(!k.remember(HUAWEI.0, ""), "no tax id");
        assert!(k.is_empty());
        // A 15-character taxpayer id (unverifiable: a warning) and half-width brackets (a warning)
        // are right values.
        assert!(k.remember("示例个体商行", "440301123456789"));
        assert!(k.remember("腾讯科技(深圳)有限公司", TENCENT.1));
    }

    #[test]
    fn a_corrected_name_or_tax_id_replaces_the_old_pairing() {
        let mut k = KnownCompanies::default();
        k.remember("华为技术公司", HUAWEI.1);
        assert!(k.remember(HUAWEI.0, HUAWEI.1));
        assert_eq!(k.len(), 1);
        assert_eq!(k.by_tax_id(HUAWEI.1).unwrap().name, HUAWEI.0);
        assert!(k.by_name("华为技术公司").is_none());

        k.remember(TENCENT.0, "91110108795101314G");
        assert!(k.remember(TENCENT.0, TENCENT.1));
        assert_eq!(k.len(), 2);
        assert!(k.by_tax_id("91110108795101314G").is_none());
    }

    /// Distinct valid companies: tax ids of the 91440300MA5F… shape with working check characters.
    fn company(i: usize) -> (String, String) {
        const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        let body = format!("91440300MA5F{i:04}");
        let tax_id = CHARSET
            .chars()
            .flat_map(|a| {
                let body = &body;
                CHARSET.chars().map(move |b| format!("{body}{a}{b}"))
            })
            .find(|t| acceptable(TAX_ID, t))
            .unwrap();
        (format!("示例{i}有限公司"), tax_id)
    }

    #[test]
    fn the_oldest_company_is_dropped_beyond_the_bound() {
        let mut k = KnownCompanies::default();
        for i in 0..CAPACITY + 3 {
            let (name, tax_id) = company(i);
            assert!(k.remember(&name, &tax_id), "{name} {tax_id}");
        }
        assert_eq!(k.len(), CAPACITY);
        for i in 0..3 {
            assert!(k.by_tax_id(&company(i).1).is_none(), "{i} dropped");
        }
        assert!(k.by_tax_id(&company(3).1).is_some());
        assert!(k.by_tax_id(&company(CAPACITY + 2).1).is_some());

        // A stored list longer than the bound (an older build, a hand edit) is cut when read.
        let long: Vec<_> = (0..CAPACITY + 5)
            .map(|i| {
                let (name, tax_id) = company(i);
                Company { name, tax_id }
            })
            .collect();
        let read: KnownCompanies = serde_json::from_value(serde_json::to_value(long).unwrap()).unwrap();
        assert_eq!(read.len(), CAPACITY);
        assert!(read.by_tax_id(&company(4).1).is_none() && read.by_tax_id(&company(5).1).is_some());
    }

    #[test]
    fn the_stored_value_round_trips_in_its_documented_shape() {
        let mut r = Remembered::default();
        assert!(r.observe([(NAME, HUAWEI.0), (TAX_ID, HUAWEI.1)]));
        assert!(r.observe([(CLIENT_ID, "pz_ent_7f3k2m9q")]));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json, serde_json::json!({"companies": [{"name": HUAWEI.0, "tax_id": HUAWEI.1}], "client_id": "pz_ent_7f3k2m9q"}));
        assert_eq!(serde_json::from_value::<Remembered>(json).unwrap(), r);
        assert_eq!(serde_json::from_value::<Remembered>(serde_json::json!({})).unwrap(), Remembered::default());
    }

    #[test]
    fn the_old_single_company_value_is_read_as_one_company() {
        let old = serde_json::json!({
            "enterprise.name": HUAWEI.0, "enterprise.tax_id": HUAWEI.1, "auth.client_id": "pz_ent_7f3k2m9q"
        });
        let r: Remembered = serde_json::from_value(old).unwrap();
        assert_eq!(r.companies.len(), 1);
        assert_eq!(r.companies.by_tax_id(HUAWEI.1).unwrap().name, HUAWEI.0);
        assert_eq!(r.client_id.as_deref(), Some("pz_ent_7f3k2m9q"));
        // Written back in the new shape.
        assert!(serde_json::to_value(&r).unwrap().get("enterprise.name").is_none());

        // Half a company, or a wrong one, identifies nothing.
        let half: Remembered = serde_json::from_value(serde_json::json!({"enterprise.tax_id": HUAWEI.1})).unwrap();
        assert!(half.companies.is_empty());
        let wrong: Remembered =
            serde_json::from_value(serde_json::json!({"enterprise.name": HUAWEI.0, "enterprise.tax_id": "914403001922038217"})).unwrap();
        assert!(wrong.companies.is_empty());
    }

    #[test]
    fn the_remembered_fields_are_the_targets_of_the_guides_relations_and_none_is_secret() {
        let remembered: Vec<&str> = guide::FIELDS.iter().map(|f| f.id).filter(|id| is_remembered(id)).collect();
        assert_eq!(remembered, [CLIENT_ID, NAME, TAX_ID]);
        assert!(!is_remembered("auth.client_secret") && !is_remembered("expense.tax_id"));
    }

    #[test]
    fn no_secret_is_ever_remembered() {
        let mut r = Remembered::default();
        let secrets: Vec<(&str, &str)> = guide::FIELDS.iter().filter(|f| f.secret).map(|f| (f.id, "Zq7SECRETvalue42")).collect();
        assert!(!secrets.is_empty());
        let mut values = secrets.clone();
        values.extend([(NAME, HUAWEI.0), (TAX_ID, HUAWEI.1), (CLIENT_ID, "pz_ent_7f3k2m9q")]);
        assert!(r.observe(values));
        let stored = serde_json::to_string(&r).unwrap();
        assert!(!stored.contains("SECRET"), "{stored}");
        assert!(stored.contains(HUAWEI.1));
    }

    #[test]
    fn absorbing_what_was_seen_before_loading_keeps_both() {
        let mut stored = Remembered::default();
        stored.observe([(NAME, HUAWEI.0), (TAX_ID, HUAWEI.1)]);
        let mut early = Remembered::default();
        early.observe([(NAME, TENCENT.0), (TAX_ID, TENCENT.1)]);
        assert!(stored.absorb(&early));
        assert_eq!(stored.companies.len(), 2);
        assert!(!stored.absorb(&early), "nothing new the second time");
        assert!(!stored.absorb(&Remembered::default()));
    }

    #[test]
    fn a_client_id_with_an_error_is_not_remembered() {
        let mut r = Remembered::default();
        assert!(!r.observe([(CLIENT_ID, "")]));
        assert!(!r.observe([(CLIENT_ID, "pz ent")]));
        assert!(r.observe([(CLIENT_ID, "pz_ent")]));
        let ctx = r.apply(Context::default().with(TAX_ID, HUAWEI.1));
        assert_eq!(ctx.get(CLIENT_ID), Some("pz_ent"));
        assert_eq!(ctx.get(TAX_ID), Some(HUAWEI.1), "what the page echoes stays");
    }
}
