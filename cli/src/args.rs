//! Options every subcommand reads the same way.

use piaozone_assist::core::i18n::Lang;

/// `--format text|json`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Text,
    Json,
}

impl Format {
    pub fn parse(text: &str) -> Result<Format, String> {
        match text {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            other => Err(format!("--format: text or json, not {other:?}")),
        }
    }
}

/// `--lang zh-CN|en` (any `zh…` or `en…` tag).
pub fn lang(text: &str) -> Result<Lang, String> {
    let tag = text.to_ascii_lowercase();
    if tag == "en" || tag.starts_with("en-") || tag.starts_with("en_") {
        Ok(Lang::En)
    } else if tag.starts_with("zh") {
        Ok(Lang::Zh)
    } else {
        Err(format!("--lang: zh-CN or en, not {text:?}"))
    }
}

/// The value of option `name`, as text.
pub fn value(parser: &mut lexopt::Parser, name: &str) -> Result<String, String> {
    parser
        .value()
        .map_err(|error| error.to_string())?
        .into_string()
        .map_err(|_| format!("{name}: not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_languages_are_read_strictly() {
        assert_eq!(Format::parse("json"), Ok(Format::Json));
        assert!(Format::parse("yaml").is_err());
        assert_eq!(lang("en-US"), Ok(Lang::En));
        assert_eq!(lang("zh_CN"), Ok(Lang::Zh));
        assert!(lang("fr").is_err());
    }
}
