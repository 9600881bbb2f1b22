//! Options every subcommand reads the same way.

use piaozone_assist::core::i18n::Lang;

/// `--format text|json`, and `csv` for a company list (`--companies`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Text,
    Json,
    /// The input list with the verdict appended, for the customer.
    Csv,
}

impl Format {
    pub fn parse(text: &str) -> Result<Format, String> {
        match text {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            other => Err(format!("--format: text, json or csv (with --companies), not {other:?}")),
        }
    }

    /// A single configuration has no rows to append a verdict to.
    pub fn without_csv(self) -> Result<Format, String> {
        match self {
            Format::Csv => Err("--format csv needs --companies FILE: it appends the verdict to the list's rows".into()),
            format => Ok(format),
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
    parser.value().map_err(|error| error.to_string())?.into_string().map_err(|_| format!("{name}: not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_languages_are_read_strictly() {
        assert_eq!(Format::parse("json"), Ok(Format::Json));
        assert!(Format::parse("yaml").is_err());
        assert!(Format::parse("csv").unwrap().without_csv().is_err());
        assert_eq!(lang("en-US"), Ok(Lang::En));
        assert_eq!(lang("zh_CN"), Ok(Lang::Zh));
        assert!(lang("fr").is_err());
    }
}
