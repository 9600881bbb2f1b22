//! Bindings an administrator adds without a new release: extra formIds and marker texts per page,
//! extra keys and labels per field, in the guide's own shape. They come from the enterprise policy
//! and the options page, merge with the built-in guide and never remove a built-in entry.
//!
//! ```json
//! { "pages":  { "auth_config": { "form_ids": ["cust_pz_authconfig"], "markers": ["沿用原授权"] } },
//!   "fields": { "auth.client_secret": { "keys": ["appsecret"], "labels": ["发票云授权码"] } } }
//! ```
//! A page's `markers` are one more set of texts that, all present, name the page (the built-in
//! set still works on its own).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::guide::{self, Field};
use super::validate::chars::normalize_for_match;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bindings {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pages: BTreeMap<String, PageBinding>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldBinding>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageBinding {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldBinding {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// No extra bindings: the built-in guide alone.
pub static NONE: Bindings = Bindings { pages: BTreeMap::new(), fields: BTreeMap::new() };

impl Bindings {
    /// Reads and checks what an admin wrote. Errors name the line and say what to change; a
    /// bindings text with any error is not used at all.
    pub fn parse(text: &str) -> Result<Bindings, String> {
        if text.trim().is_empty() {
            return Ok(Bindings::default());
        }
        let bindings: Bindings = serde_json::from_str(text).map_err(|e| {
            let what = e.to_string();
            let what = what.split(" at line ").next().unwrap_or(&what).to_owned();
            format!("第 {line} 行：JSON 写法有误（{what}） / line {line}: {what}", line = e.line())
        })?;
        bindings.check().map_err(|problem| {
            let line = line_of(text, &problem.near);
            format!("第 {line} 行：{} / line {line}: {}", problem.zh, problem.en)
        })?;
        Ok(bindings)
    }

    /// The first thing wrong, in both languages (`None`: it checks out).
    pub fn problem(&self) -> Option<(String, String)> {
        self.check().err().map(|problem| (problem.zh, problem.en))
    }

    /// The first problem found.
    fn check(&self) -> Result<(), Problem> {
        for (id, page) in &self.pages {
            if guide::page(id).is_none() {
                return Err(Problem::at(
                    id,
                    format!("没有这个页面 {id:?}（例如 auth_config、enterprise_info、etax_tenant）"),
                    format!("no page {id:?} (e.g. auth_config, enterprise_info, etax_tenant)"),
                ));
            }
            for (list, values) in [("form_ids", &page.form_ids), ("markers", &page.markers)] {
                if values.iter().any(|v| v.trim().is_empty()) {
                    return Err(Problem::at(id, format!("{id}.{list} 有空值"), format!("{id}.{list} has an empty entry")));
                }
            }
        }
        for (id, field) in &self.fields {
            if guide::field(id).is_none() {
                return Err(Problem::at(
                    id,
                    format!("没有这个字段 {id:?}（例如 auth.client_id、enterprise.tax_id）"),
                    format!("no field {id:?} (e.g. auth.client_id, enterprise.tax_id)"),
                ));
            }
            for (list, values) in [("keys", &field.keys), ("labels", &field.labels)] {
                if values.iter().any(|v| v.trim().is_empty()) {
                    return Err(Problem::at(id, format!("{id}.{list} 有空值"), format!("{id}.{list} has an empty entry")));
                }
            }
            // A key is an element id: one word, nothing a selector would have to escape.
            if let Some(key) = field.keys.iter().find(|k| k.contains(|c: char| c.is_whitespace() || c == '"' || c == '\\')) {
                return Err(Problem::at(
                    id,
                    format!("{id}.keys 的 {key:?} 不是字段 key（不能含空格或引号）"),
                    format!("{key:?} in {id}.keys is not a field key (no spaces or quotes)"),
                ));
            }
        }
        Ok(())
    }

    /// `self` with `other`'s entries added (policy first, then the options page's).
    pub fn merged(mut self, other: Bindings) -> Bindings {
        for (id, page) in other.pages {
            let entry = self.pages.entry(id).or_default();
            add_new(&mut entry.form_ids, page.form_ids);
            add_new(&mut entry.markers, page.markers);
        }
        for (id, field) in other.fields {
            let entry = self.fields.entry(id).or_default();
            add_new(&mut entry.keys, field.keys);
            add_new(&mut entry.labels, field.labels);
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty() && self.fields.is_empty()
    }

    pub fn form_ids(&self, page: &str) -> &[String] {
        self.pages.get(page).map_or(&[], |p| &p.form_ids)
    }

    pub fn markers(&self, page: &str) -> &[String] {
        self.pages.get(page).map_or(&[], |p| &p.markers)
    }

    fn field_extra(&self, field: &str) -> Option<&FieldBinding> {
        self.fields.get(field)
    }

    /// The field a label on `page` stands for: the guide's labels, then the added ones.
    pub fn field_by_label(&self, page: &str, label: &str) -> Option<&'static Field> {
        guide::field_by_label(page, label).or_else(|| {
            let label = guide::label_for_match(label);
            guide::fields_on_page(page)
                .find(|f| self.field_extra(f.id).is_some_and(|extra| extra.labels.iter().any(|l| guide::label_for_match(l) == label)))
        })
    }

    /// The field whose key is `key` on `page`: the guide's keys, then the added ones.
    pub fn field_by_key(&self, page: &str, key: &str) -> Option<&'static Field> {
        guide::field_by_key(page, key).or_else(|| {
            guide::fields_on_page(page).find(|f| self.field_extra(f.id).is_some_and(|extra| extra.keys.iter().any(|k| k == key)))
        })
    }

    /// The field a `data-page-id` (`<pageId>_<key>`) names, with the added keys too.
    pub fn field_by_page_id(&self, page: &str, page_id: &str) -> Option<&'static Field> {
        guide::field_by_page_id(page, page_id).or_else(|| {
            guide::fields_on_page(page)
                .flat_map(|f| self.field_extra(f.id).into_iter().flat_map(|extra| extra.keys.iter()).map(move |k| (f, k.as_str())))
                .filter(|(_, key)| guide::page_id_names(page_id, key))
                .max_by_key(|(_, key)| key.len())
                .map(|(f, _)| f)
        })
    }
}

/// What is wrong, in both languages, and the quoted id whose line it is on.
struct Problem {
    near: String,
    zh: String,
    en: String,
}

impl Problem {
    fn at(id: &str, zh: String, en: String) -> Problem {
        Problem { near: format!("\"{id}\""), zh, en }
    }
}

fn add_new(to: &mut Vec<String>, values: Vec<String>) {
    for value in values {
        if !to.contains(&value) {
            to.push(value);
        }
    }
}

/// The 1-based line where `needle` first appears (1 when it does not).
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(1, |at| text[..at].matches('\n').count() + 1)
}

/// For an unbound label: the fields of `candidates` it looks most like. Likeness (see `squeeze`)
/// is the longest run of characters the label shares with one of the field's labels, at least 2;
/// every field with the best likeness is returned, so more than one means "one of these".
pub fn likely_fields<'a>(label: &str, candidates: impl IntoIterator<Item = &'a Field>) -> Vec<&'a Field> {
    let label: Vec<char> = squeeze(label);
    let mut best: Vec<&Field> = Vec::new();
    let mut best_score = 2;
    for field in candidates {
        let score = field.labels.iter().map(|l| longest_common_run(&label, &squeeze(l))).max().unwrap_or(0);
        if score > best_score {
            (best, best_score) = (vec![field], score);
        } else if score == best_score {
            best.push(field);
        }
    }
    best
}

/// The one field an unbound label clearly stands for (see [`likely_fields`]); a tie is none.
pub fn likely_field<'a>(label: &str, candidates: impl IntoIterator<Item = &'a Field>) -> Option<&'a Field> {
    match likely_fields(label, candidates)[..] {
        [field] => Some(field),
        _ => None,
    }
}

/// The label's characters for likeness: normalised, spaces, stars and colons dropped, and the
/// product name 发票云, which many labels share, left out.
fn squeeze(text: &str) -> Vec<char> {
    normalize_for_match(text).replace("发票云", "").chars().filter(|c| !c.is_whitespace() && *c != '*' && *c != ':').collect()
}

fn longest_common_run(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    let mut previous = vec![0; b.len() + 1];
    for &x in a {
        let mut current = vec![0; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            if x == y {
                current[j + 1] = previous[j] + 1;
                best = best.max(current[j + 1]);
            }
        }
        previous = current;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
  "pages": { "auth_config": { "form_ids": ["cust_pz_authconfig"], "markers": ["沿用原授权", "报文加密密钥"] } },
  "fields": {
    "auth.client_secret": { "labels": ["应用 Client Secret"] },
    "auth.encrypt_key": { "keys": ["msgkey"], "labels": ["报文加密密钥"] }
  }
}"#;

    #[test]
    fn added_labels_and_keys_bind_and_the_built_in_ones_still_do() {
        let bindings = Bindings::parse(SAMPLE).unwrap();
        assert_eq!(bindings.field_by_label("auth_config", "*应用 Client Secret：").unwrap().id, "auth.client_secret");
        assert_eq!(bindings.field_by_label("auth_config", "Client Secret").unwrap().id, "auth.client_secret");
        assert_eq!(bindings.field_by_key("auth_config", "msgkey").unwrap().id, "auth.encrypt_key");
        assert_eq!(bindings.field_by_page_id("auth_config", "f3c1_msgkey").unwrap().id, "auth.encrypt_key");
        assert!(bindings.field_by_page_id("auth_config", "f3c1msgkey").is_none());
        // Only on the field's own page.
        assert!(bindings.field_by_label("enterprise_info", "报文加密密钥").is_none());
        assert!(NONE.field_by_label("auth_config", "报文加密密钥").is_none());
        assert_eq!(bindings.form_ids("auth_config"), ["cust_pz_authconfig"]);
    }

    #[test]
    fn mistakes_name_their_line_and_nothing_is_used() {
        let unknown_field = SAMPLE.replace("auth.encrypt_key", "auth.encrypt_kee");
        let error = Bindings::parse(&unknown_field).unwrap_err();
        assert!(error.starts_with("第 5 行") && error.contains("auth.encrypt_kee"), "{error}");
        let unknown_page = SAMPLE.replace("\"auth_config\"", "\"auth_cfg\"");
        assert!(Bindings::parse(&unknown_page).unwrap_err().starts_with("第 2 行"));
        let empty_label = SAMPLE.replace("应用 Client Secret", " ");
        let error = Bindings::parse(&empty_label).unwrap_err();
        assert!(error.starts_with("第 4 行") && error.contains("labels"), "{error}");
        let bad_json = SAMPLE.replace("\"msgkey\"]", "\"msgkey\"");
        assert!(Bindings::parse(&bad_json).unwrap_err().starts_with("第 5 行"), "{}", Bindings::parse(&bad_json).unwrap_err());
        let spaced_key = SAMPLE.replace("\"msgkey\"", "\"msg key\"");
        assert!(Bindings::parse(&spaced_key).unwrap_err().starts_with("第 5 行"), "{}", Bindings::parse(&spaced_key).unwrap_err());
        let unknown_key = SAMPLE.replace("\"labels\": [\"应用", "\"label\": [\"应用");
        assert!(Bindings::parse(&unknown_key).unwrap_err().contains("label"));
        assert_eq!(Bindings::parse("  ").unwrap(), Bindings::default());
    }

    #[test]
    fn merging_adds_and_never_removes() {
        let policy = Bindings::parse(r#"{"fields": {"auth.url": {"labels": ["服务 URL"]}}}"#).unwrap();
        let local = Bindings::parse(
            r#"{"fields": {"auth.url": {"labels": ["服务 URL", "接口 URL"]}}, "pages": {"auth_config": {"form_ids": ["x_auth"]}}}"#,
        )
        .unwrap();
        let merged = policy.merged(local);
        assert_eq!(merged.fields["auth.url"].labels, ["服务 URL", "接口 URL"]);
        assert_eq!(merged.form_ids("auth_config"), ["x_auth"]);
        assert_eq!(merged.field_by_label("auth_config", "url").unwrap().id, "auth.url");
    }

    #[test]
    fn an_unbound_label_suggests_the_clearly_likeliest_field() {
        let auth = || guide::fields_on_page("auth_config");
        let id = |label: &str| likely_field(label, auth()).map(|f| f.id);
        assert_eq!(id("应用 Client Secret"), Some("auth.client_secret"));
        assert_eq!(id("报文加密密钥"), Some("auth.encrypt_key"));
        assert_eq!(id("发票云服务URL"), Some("auth.url"));
        assert_eq!(id("代理服务器"), Some("auth.proxy"));
        // 授权 is in both 授权账号 (Client id) and 授权密钥 (Client Secret): no guess, two candidates.
        assert_eq!(id("发票云授权码"), None);
        let candidates: Vec<_> = likely_fields("发票云授权码", auth()).iter().map(|f| f.id).collect();
        assert_eq!(candidates, ["auth.use_original_auth", "auth.client_id", "auth.client_secret"]);
        assert_eq!(id("备注"), None);
    }
}
