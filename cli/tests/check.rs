//! `piaozone-assist check`, run as the built binary against the fixtures.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_piaozone-assist");

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

fn check(args: &[&str]) -> Output {
    Command::new(BIN).arg("check").args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json(file: &str, lang: &str) -> (i32, Value) {
    let output = check(&[&fixture(file), "--format", "json", "--lang", lang]);
    let value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)));
    (output.status.code().unwrap(), value)
}

/// (field, rule) of every finding.
fn pairs(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap().to_string(), f["rule"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn a_correct_configuration_exits_0_with_nothing_to_report() {
    for file in ["good.toml", "good.json"] {
        let output = check(&[&fixture(file)]);
        assert_eq!(output.status.code(), Some(0), "{file}: {}", stdout(&output));
        assert_eq!(stdout(&output), "没有发现问题。\n");
        let (code, report) = json(file, "en");
        assert_eq!(code, 0);
        assert_eq!(report, serde_json::json!({"findings": [], "errors": 0, "warnings": 0}));
    }
}

#[test]
fn errors_in_every_section_exit_1_and_are_each_reported() {
    let (code, report) = json("bad.toml", "zh-CN");
    assert_eq!(code, 1);
    let found = pairs(&report);
    for (field, rule) in [
        ("auth.url", "url.dev_without_test"),
        ("auth.proxy", "proxy.fullwidth_colon"),
        ("auth.use_original_auth", "original_auth.yes"),
        ("auth.client_id", "credentials.tenant_on_enterprise"),
        ("auth.client_secret", "credentials.invisible"),
        ("auth.encrypt_key", "credentials.key_length"),
        ("enterprise.name", "name.spaces"),
        ("enterprise.name", "name.halfwidth_parens"),
        ("enterprise.tax_id", "tax_id.check_char"),
        ("enterprise.channel", "channel.other"),
        ("tenant.client_id", "credentials.not_tenant"),
        ("tenant.client_secret", "credentials.invisible"),
        ("tenant.encrypt_key", "credentials.key_length"),
        ("etax[0].region", "region.mismatch"),
        ("etax[0].account", "account.whitespace"),
        ("etax[0].password", "password.surrounding_space"),
        ("etax[0].role", "role.unknown"),
        ("etax[0].app_key", "app_key.required"),
        ("etax[0].app_secret", "app_key.required"),
        ("legacy.email", "email.fullwidth"),
        ("legacy.activation_code", "activation_code.whitespace"),
        ("expense.org", "org.empty"),
        ("expense.tax_id", "tax_id.differs"),
        ("expense.client_secret", "credentials.secret_is_key"),
        ("org.functional_types", "functional_types.missing_accounting"),
    ] {
        assert!(found.contains(&(field.to_string(), rule.to_string())), "missing {field} {rule} in {found:?}");
    }
    let count = |severity: &str| report["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == severity).count();
    assert_eq!(report["errors"], count("error"));
    assert_eq!(report["warnings"], count("warning"));
    assert!(count("info") >= 1);
}

#[test]
fn json_findings_have_exactly_the_documented_shape() {
    let (_, report) = json("bad.toml", "en");
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["errors", "findings", "warnings"]);
    for f in report["findings"].as_array().unwrap() {
        let keys: Vec<&String> = f.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["field", "fix", "message", "rule", "severity"], "{f}");
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()), "{f}");
        assert!(!f["message"].as_str().unwrap().is_empty() && !f["fix"].as_str().unwrap().is_empty());
    }
}

#[test]
fn the_language_switches_messages() {
    let (_, zh) = json("bad.toml", "zh-CN");
    let (_, en) = json("bad.toml", "en");
    let message = |report: &Value, field: &str| {
        report["findings"].as_array().unwrap().iter().find(|f| f["field"] == field).unwrap()["message"].as_str().unwrap().to_string()
    };
    assert_eq!(message(&zh, "auth.encrypt_key"), "加密key应为16个字符，这里是 15 个。");
    assert_eq!(message(&en, "auth.encrypt_key"), "The encrypt key must be 16 characters; this one has 15.");
    let text = stdout(&check(&[&fixture("bad.toml"), "--lang", "en"]));
    assert!(text.contains("auth.url: warning [url.dev_without_test] The test url has no /test."), "{text}");
    assert!(text.contains("    fix: Prefer https://api-dev.piaozone.com/test;"), "{text}");
    assert!(text.ends_with("note(s).\n"), "{text}");
}

#[test]
fn secrets_from_the_file_never_appear_in_the_output() {
    let source = std::fs::read_to_string(fixture("bad.toml")).unwrap();
    let secrets: Vec<&str> = source
        .split('"')
        .filter(|s| s.contains("SECRET"))
        .flat_map(|s| s.split(|c: char| c.is_whitespace() || c == '\\'))
        .filter(|s| s.len() >= 6)
        .collect();
    assert!(secrets.len() >= 8, "{secrets:?}");
    for args in [vec!["--format", "json"], vec!["--lang", "en"], vec![]] {
        let output = check(&[&[fixture("bad.toml").as_str()], args.as_slice()].concat());
        let all = stdout(&output) + &stderr(&output);
        for secret in &secrets {
            assert!(!all.contains(secret), "{secret} leaked with {args:?}");
        }
        assert!(!all.contains("SECRET"), "a secret fragment leaked with {args:?}");
    }
    // The client id may be quoted; it is not a secret.
    let good = stdout(&check(&[&fixture("good.toml")]));
    assert!(!good.contains("GOODsecret") && !good.contains("Kq8vN2xW5tY7pL3a"));
}

#[test]
fn another_companys_expense_entry_is_a_note_not_an_error() {
    let (code, report) = json("other_company.toml", "en");
    assert_eq!(code, 0);
    assert_eq!(pairs(&report), [("expense.tax_id".to_string(), "tax_id.unseen".to_string())]);
    assert_eq!(report["findings"][0]["severity"], "info");
}

#[test]
fn warnings_alone_exit_0() {
    let (code, report) = json("warnings.toml", "zh-CN");
    assert_eq!(code, 0);
    assert_eq!(report["errors"], 0);
    // The half-width brackets are a note (info): the activated name decides.
    assert_eq!(report["warnings"], 1);
    assert_eq!(
        pairs(&report),
        [
            ("enterprise.name".to_string(), "name.halfwidth_parens".to_string()),
            ("enterprise.tax_id".to_string(), "tax_id.lowercase".to_string()),
            ("enterprise.channel".to_string(), "channel.leqi".to_string()),
        ]
    );
}

#[test]
fn malformed_files_exit_2_naming_line_and_column_without_echoing_the_line() {
    let output = check(&[&fixture("malformed.toml")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("malformed.toml:3:35: invalid TOML"), "{message}");
    assert!(!message.contains("SECRETinMalformed"), "{message}");
    assert!(stdout(&output).is_empty());

    let output = check(&[&fixture("malformed.json"), "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("malformed.json:5:5: invalid JSON"), "{message}");
    assert!(!message.contains("SECRETinMalformedJson"), "{message}");
}

#[test]
fn unusable_input_and_arguments_exit_2() {
    let missing = check(&[&fixture("does-not-exist.toml")]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read"), "{}", stderr(&missing));

    let dir = std::env::temp_dir().join(format!("pa-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let top_list = dir.join("list.json");
    std::fs::write(&top_list, "[1, 2]").unwrap();
    let output = check(&[top_list.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("list.json:1:1"), "{}", stderr(&output));
    std::fs::remove_dir_all(&dir).unwrap();

    for args in [vec![], vec!["--format", "xml", "x.toml"], vec!["--lang", "fr", "x.toml"], vec!["a.toml", "b.toml"]] {
        assert_eq!(check(&args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn wrong_types_unknown_sections_and_keys_are_reported_once() {
    let (code, report) = json("types.toml", "en");
    assert_eq!(code, 1);
    assert_eq!(
        pairs(&report),
        [
            ("auth".to_string(), "config.wrong_type".to_string()),
            ("enterprise.name".to_string(), "config.wrong_type".to_string()),
            ("enterprise.chanel".to_string(), "config.unknown_key".to_string()),
            ("extras".to_string(), "config.unknown_section".to_string()),
        ]
    );
    let fix = report["findings"][2]["fix"].as_str().unwrap();
    assert_eq!(fix, "Keys of this section: name, tax_id, channel");
}
