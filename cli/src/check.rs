//! `piaozone-assist check FILE`: validates a whole configuration (TOML or JSON) offline with the
//! same rules as the overlay. Exit 0 without errors, 1 with errors, 2 when the input is unreadable.
//! Secret values from the file never appear in the output: findings carry positions and lengths.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use piaozone_assist::core::guide::{self, SECTIONS};
use piaozone_assist::core::i18n::Lang;
use piaozone_assist::core::validate::{check_config, ids, Config, ConfigSection, Finding, Severity};
use serde_json::{json, Map, Value};

use crate::args::{self, value, Format};
use crate::check_list;
use crate::companies::{severity_word, ListSource};

struct Options {
    file: Option<PathBuf>,
    companies: ListSource,
    format: Format,
    lang: Lang,
}

pub const USAGE: &str = "usage: piaozone-assist check FILE [--format text|json] [--lang zh-CN|en]
       piaozone-assist check --companies LIST.csv|xlsx [--sheet NAME] [--columns HEADER=ROLE,…] [--format text|json|csv] [--lang zh-CN|en]";

pub fn run(args: Vec<String>) -> ExitCode {
    let options = match parse_args(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("piaozone-assist check: {message}\n{USAGE}");
            return ExitCode::from(crate::EXIT_USAGE);
        }
    };
    let Some(file) = &options.file else {
        return check_list::run(&options.companies, options.format, options.lang);
    };
    let document = match read(file) {
        Ok(document) => document,
        Err(message) => {
            eprintln!("piaozone-assist check: {message}");
            return ExitCode::from(crate::EXIT_USAGE);
        }
    };
    let (config, mut findings) = to_config(document);
    // A value of the wrong type was not passed on; do not also report it as empty.
    let mistyped: Vec<String> = findings.iter().map(|f| f.field.clone()).collect();
    findings.extend(check_config(&config).into_iter().filter(|f| !mistyped.contains(&f.field)));
    // Ok findings confirm a value for the overlay's green badge; a report lists what needs attention.
    findings.retain(|f| f.severity > Severity::Ok);
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = findings.iter().filter(|f| f.severity == Severity::Warning).count();
    match options.format {
        Format::Json => println!("{}", as_json(&findings, errors, warnings, options.lang)),
        Format::Text | Format::Csv => print!("{}", as_text(&findings, errors, warnings, options.lang)),
    }
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let (mut file, mut format, mut lang) = (None, Format::Text, Lang::Zh);
    let mut companies = ListSource::default();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long(option) if ListSource::OPTIONS.contains(&option) => {
                let option = option.to_owned();
                companies.take(&option, &mut parser)?;
            }
            Long("format") => format = Format::parse(&value(&mut parser, "--format")?)?,
            Long("lang") => lang = args::lang(&value(&mut parser, "--lang")?)?,
            Value(path) if file.is_none() => file = Some(PathBuf::from(path)),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    companies.check_alone()?;
    match (&file, &companies.file) {
        (None, None) => return Err("FILE or --companies LIST is required".into()),
        (Some(_), Some(_)) => return Err("give FILE or --companies LIST, not both".into()),
        (Some(_), None) => format = format.without_csv()?,
        (None, Some(_)) => {}
    }
    Ok(Options { file, companies, format, lang })
}

/// The file as a JSON value; TOML is read into the same shape. Errors name `file:line:column`.
fn read(path: &Path) -> Result<Value, String> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let is_json = match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => true,
        Some(ext) if ext.eq_ignore_ascii_case("toml") => false,
        _ => text.trim_start().starts_with('{'),
    };
    parse(&text, is_json, &shown)
}

/// Parses a `check` file's text; `shown` names it in errors.
fn parse(text: &str, is_json: bool, shown: &str) -> Result<Value, String> {
    let value = if is_json {
        serde_json::from_str::<Value>(text)
            .map_err(|e| format!("{shown}:{}:{}: invalid JSON: {}", e.line(), e.column(), json_reason(&e)))?
    } else {
        let table = toml::from_str::<toml::Table>(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |span| line_column(text, span.start));
            // The message alone: toml's Display would quote the offending line, which may hold a secret.
            format!("{shown}:{line}:{column}: invalid TOML: {}", e.message().trim_end())
        })?;
        serde_json::to_value(table).map_err(|e| format!("{shown}: {e}"))?
    };
    if value.is_object() {
        Ok(value)
    } else {
        Err(format!("{shown}:1:1: the top level must be a table of sections ({{\"auth\": {{…}}}})"))
    }
}

/// serde_json's reason without its trailing " at line L column C", which we print in front.
fn json_reason(error: &serde_json::Error) -> String {
    let full = error.to_string();
    match full.rfind(" at line ") {
        Some(at) => full[..at].to_string(),
        None => full,
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, byte: usize) -> (usize, usize) {
    let mut end = byte.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The sections in the guide's order, and the findings about values that are not text.
fn to_config(document: Value) -> (Config, Vec<Finding>) {
    let Value::Object(top) = document else { unreachable!("read() returns an object") };
    let mut entries: Vec<(String, Value)> = top.into_iter().collect();
    let order = |name: &str| SECTIONS.iter().position(|s| s.id == name).unwrap_or(SECTIONS.len());
    entries.sort_by_key(|(name, _)| order(name));

    let mut config = Config::default();
    let mut findings = Vec::new();
    let wrong_type = |key: &str, expected: &str| {
        Finding::new(key, ids::CONFIG_WRONG_TYPE, vec![("key", key.to_string()), ("expected", expected.to_string())])
    };
    for (name, value) in entries {
        let list = guide::section(&name).is_some_and(|s| s.list);
        let tables: Vec<(Option<usize>, Map<String, Value>)> = match value {
            Value::Object(table) if list => vec![(Some(0), table)],
            Value::Object(table) => vec![(None, table)],
            Value::Array(items) if list && items.iter().all(Value::is_object) => items
                .into_iter()
                .enumerate()
                .filter_map(|(i, item)| match item {
                    Value::Object(table) => Some((Some(i), table)),
                    _ => None,
                })
                .collect(),
            _ if guide::section(&name).is_none() => vec![(None, Map::new())],
            _ => {
                findings.push(wrong_type(&name, if list { "[[section]]" } else { "[section]" }));
                continue;
            }
        };
        for (index, table) in tables {
            let mut section = ConfigSection { name: name.clone(), index, values: Vec::new() };
            let path = section.path();
            for (key, value) in table {
                match text_of(&value) {
                    Some(text) => section.values.push((key, text)),
                    None => findings.push(wrong_type(&format!("{path}.{key}"), "\"text\"")),
                }
            }
            config.sections.push(section);
        }
    }
    (config, findings)
}

/// A value as the console would hold it: text; numbers and booleans as written; a list of them
/// joined by commas (职能类型 = ["法人企业", "核算组织"]). `None` for tables and nested lists.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(items) => {
            let parts: Option<Vec<String>> = items.iter().map(|v| if v.is_array() || v.is_object() { None } else { text_of(v) }).collect();
            parts.map(|p| p.join(","))
        }
        Value::Object(_) => None,
    }
}

fn as_json(findings: &[Finding], errors: usize, warnings: usize, lang: Lang) -> Value {
    let findings: Vec<Value> = findings
        .iter()
        .map(|f| {
            json!({
                "field": f.field,
                "rule": f.rule,
                "severity": f.severity,
                "message": f.message(lang),
                "fix": f.fix(lang),
            })
        })
        .collect();
    json!({ "findings": findings, "errors": errors, "warnings": warnings })
}

fn as_text(findings: &[Finding], errors: usize, warnings: usize, lang: Lang) -> String {
    let (why, fix) = match lang {
        Lang::Zh => ("原因", "修正"),
        Lang::En => ("why", "fix"),
    };
    let mut out = String::new();
    for f in findings {
        let severity = severity_word(lang, f.severity);
        out += &format!("{}: {severity} [{}] {}\n", f.field, f.rule, f.message(lang));
        out += &format!("    {why}: {}\n    {fix}: {}\n", f.why(lang), f.fix(lang));
    }
    let notes = findings.len() - errors - warnings;
    out += &match (lang, findings.is_empty()) {
        (Lang::Zh, true) => "没有发现问题。\n".to_string(),
        (Lang::En, true) => "No problems found.\n".to_string(),
        (Lang::Zh, false) => format!("{errors} 个错误，{warnings} 个警告，{notes} 条提示。\n"),
        (Lang::En, false) => {
            format!("{errors} error(s), {warnings} warning(s), {notes} note(s).\n")
        }
    };
    out
}

#[cfg(test)]
mod fuzz {
    //! The file parser and everything after it on hostile input: never a panic, always an answer.
    use super::*;
    use proptest::prelude::*;

    /// Text that looks like a `check` file often enough to get past the parser.
    fn file_like() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "url",
            "proxy",
            "client_id",
            "client_secret",
            "encrypt_key",
            "tax_id",
            "name",
            "region",
            "account",
            "x",
        ]);
        let section =
            prop::sample::select(vec!["[auth]", "[enterprise]", "[[etax]]", "[tenant]", "[expense]", "[org]", "[nope]", "[auth.x]"]);
        let line = prop_oneof![
            section.prop_map(String::from),
            (key.clone(), any::<String>()).prop_map(|(k, v)| format!("{k} = {v:?}")),
            (key.clone(), any::<i64>()).prop_map(|(k, v)| format!("{k} = {v}")),
            any::<String>(),
        ];
        prop::collection::vec(line, 0..20).prop_map(|lines| lines.join("\n"))
    }

    fn run_all(text: &str, is_json: bool) {
        if let Ok(value) = parse(text, is_json, "fuzz") {
            let (config, mut findings) = to_config(value);
            findings.extend(check_config(&config));
            let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
            let _ = as_json(&findings, errors, 0, Lang::Zh);
            let _ = as_text(&findings, errors, 0, Lang::En);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn toml_like_text_never_panics(text in file_like()) {
            run_all(&text, false);
        }

        #[test]
        fn arbitrary_text_never_panics_as_json_or_toml(text in any::<String>()) {
            run_all(&text, true);
            run_all(&text, false);
        }

        #[test]
        fn json_values_of_any_shape_never_panic(sections in prop::collection::vec((any::<String>(), any::<String>(), any::<String>()), 0..8)) {
            let mut top = serde_json::Map::new();
            for (section, key, value) in sections {
                top.insert(section, serde_json::json!({ key: value }));
            }
            run_all(&Value::Object(top).to_string(), true);
        }
    }

    #[test]
    fn a_megabyte_file_is_answered() {
        let big = format!("[auth]\nurl = {:?}\nclient_id = {:?}\n", "h".repeat(1 << 20), "\u{202e}😀".repeat(100_000));
        let started = std::time::Instant::now();
        run_all(&big, false);
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
    }
}
