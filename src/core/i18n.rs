//! The two languages of the UI. zh-CN is the default: the users are Chinese administrators.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Reads a BCP 47 tag as the console or browser reports it (`zh-CN`, `zh_CN`, `en-US`, …).
    /// Anything that is not English falls back to the default.
    pub fn from_tag(tag: &str) -> Lang {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "en" || tag.starts_with("en-") || tag.starts_with("en_") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// The options page's `lang` setting (`auto`, `zh-CN` or `en`) decides; on `auto` (or none)
    /// the console's declared language, else the browser's.
    pub fn pick(setting: Option<&str>, console: Option<&str>, browser: Option<&str>) -> Lang {
        match setting {
            Some("zh-CN") => Lang::Zh,
            Some("en") => Lang::En,
            _ => Lang::from_tag(console.filter(|c| !c.trim().is_empty()).or(browser).unwrap_or_default()),
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// A piece of UI text in both languages, as compiled from `guide/*.toml`. In the console page's
/// module (feature `english-file`) the English is a number into the table the extension ships as
/// `english.json` ([`ENGLISH`]), which [`install_english`] puts in memory when the admin's
/// language is English: a Chinese admin's page never downloads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub zh: &'static str,
    #[cfg(not(feature = "english-file"))]
    pub en: &'static str,
    #[cfg(feature = "english-file")]
    pub en: u16,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.english().unwrap_or(self.zh),
        }
    }

    /// The English text, when it is in memory (always, but in the page module before
    /// [`install_english`]).
    #[cfg(not(feature = "english-file"))]
    pub fn english(&self) -> Option<&'static str> {
        Some(self.en)
    }

    #[cfg(feature = "english-file")]
    pub fn english(&self) -> Option<&'static str> {
        INSTALLED.with(|table| table.get().and_then(|t| t.get(usize::from(self.en)).copied()))
    }
}

#[cfg(feature = "english-file")]
thread_local! {
    static INSTALLED: std::cell::OnceCell<Vec<&'static str>> = const { std::cell::OnceCell::new() };
}

/// Whether the guide's English texts are in memory (always, but in the page module before
/// [`install_english`]).
pub fn english_installed() -> bool {
    #[cfg(feature = "english-file")]
    return INSTALLED.with(|table| table.get().is_some());
    #[cfg(not(feature = "english-file"))]
    true
}

/// Puts the table of `english.json` (a JSON array of strings, [`ENGLISH`] as the build wrote it)
/// in memory for the rest of the page's life. A table of another build (its length differs) is
/// refused, so a text can never show another text's English.
#[cfg(feature = "english-file")]
pub fn install_english(texts: Vec<String>) -> Result<(), String> {
    if texts.len() != ENGLISH_COUNT {
        return Err(format!("english.json has {} texts, this build {ENGLISH_COUNT}", texts.len()));
    }
    let table = texts.into_iter().map(|t| &*Box::leak(t.into_boxed_str())).collect();
    INSTALLED.with(|installed| {
        let _ = installed.set(table);
    });
    Ok(())
}

/// The English texts of the guide, in the order their [`Text`]s number them: what the build
/// writes to the extension's `english.json`.
#[cfg(not(feature = "english-file"))]
pub use super::guide::ENGLISH;
/// The number of English texts of the guide (the length of `english.json`).
pub use super::guide::ENGLISH_COUNT;

/// Fills a template's `{name}`s in one pass: each from `value`, which may not know it (then it
/// stays as written). A filled-in value is never read for placeholders, so a server's
/// `description` that happens to hold `{right_url}` is shown as it is.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| Some((close, value(&after[..close])?))) {
            Some((close, filled)) => {
                out.push_str(&filled);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_pick_english_only_for_english() {
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("EN"), Lang::En);
        assert_eq!(Lang::from_tag("zh_CN"), Lang::Zh);
        assert_eq!(Lang::from_tag("zh-TW"), Lang::Zh);
        assert_eq!(Lang::from_tag(""), Lang::Zh);
        assert_eq!(Lang::from_tag("english"), Lang::Zh);
    }

    #[test]
    fn the_setting_overrides_the_console_which_overrides_the_browser() {
        assert_eq!(Lang::pick(Some("en"), Some("zh-CN"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::pick(Some("zh-CN"), Some("en"), Some("en-US")), Lang::Zh);
        assert_eq!(Lang::pick(Some("auto"), Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::pick(None, Some(""), Some("en-US")), Lang::En);
        assert_eq!(Lang::pick(None, None, None), Lang::Zh);
    }

    #[test]
    fn placeholders_are_filled_in_one_pass() {
        let value = |name: &str| match name {
            "description" => Some("非法的客户id {right_url} {".to_string()),
            "right_url" => Some("https://api.piaozone.com".to_string()),
            _ => None,
        };
        assert_eq!(
            fill("发票云返回：{description}。{right_url}", value),
            "发票云返回：非法的客户id {right_url} {。https://api.piaozone.com"
        );
        assert_eq!(fill("{unknown} {right_url", value), "{unknown} {right_url", "unknown or unclosed stay as written");
        assert_eq!(fill("", value), "");
    }
}
