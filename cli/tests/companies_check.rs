//! `check --companies`: generated lists in each file form Excel writes, each kind of bad row, the
//! three output formats, and never a secret in what is printed.

mod common;

use std::process::{Command, Output};

use common::lists::{self, company, HEADER};
use common::{TempDir as Dir, BIN};
use serde_json::Value;

fn check(args: &[&str]) -> Output {
    Command::new(BIN).arg("check").args(args).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn json(args: &[&str]) -> (i32, Value) {
    let output = check(&[args, &["--format", "json"]].concat());
    let value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", text(&output.stdout), text(&output.stderr)));
    (output.status.code().unwrap(), value)
}

/// `(row, rule)` of every finding.
fn rules(report: &Value) -> Vec<(u64, String)> {
    let mut found = Vec::new();
    for problem in report["problems"].as_array().unwrap() {
        for finding in problem["findings"].as_array().unwrap() {
            found.push((problem["row"].as_u64().unwrap(), finding["rule"].as_str().unwrap().to_string()));
        }
    }
    found
}

fn good_rows(n: usize) -> Vec<Vec<String>> {
    (0..n).map(|i| company(i).to_vec()).collect()
}

/// A list with one bad row of each kind after three good ones (rows 2–4).
fn bad_rows() -> Vec<Vec<String>> {
    let mut rows = good_rows(3);
    let row = |n: usize, edit: &dyn Fn(&mut [String; 5])| {
        let mut c = company(n);
        edit(&mut c);
        c.to_vec()
    };
    rows.push(row(0, &|_| {})); // 5: row 2 repeated
    rows.push(row(1, &|c| c[0] = "另一个名称有限公司".into())); // 6: row 3's tax id, another name
    rows.push(row(10, &|c| c[0] = company(2)[0].clone())); // 7: row 4's name, another tax id
    rows.push(row(11, &|c| c[2] = company(0)[2].clone())); // 8: row 2's Client id
    rows.push(row(12, &|c| c[2] = "TN_group_tenant".into())); // 9: a tenant key
    rows.push(row(13, &|c| c[1].replace_range(17.., "0"))); // 10: a mistyped tax id
    rows.push(row(14, &|c| c[4] = "short".into())); // 11: an Encrypt Key of 5
    rows
}

#[test]
fn a_good_list_passes_in_every_file_form_excel_writes() {
    let dir = Dir::new("companies-good");
    let csv = lists::csv(&HEADER, &good_rows(20));
    let files = [
        dir.write("utf8.csv", csv.as_bytes()),
        dir.write("bom.csv", &[b"\xEF\xBB\xBF".as_slice(), csv.as_bytes()].concat()),
        dir.write("gbk.csv", &lists::gbk(&csv)),
        dir.write("list.xlsx", &lists::xlsx(&HEADER, &good_rows(20), "Sheet1", false)),
    ];
    for file in &files {
        let (code, report) = json(&["--companies", file]);
        assert_eq!(code, 0, "{file}: {report:#}");
        assert_eq!(report["rows"], 20, "{file}");
        assert_eq!(rules(&report), [], "{file}");
        assert_eq!(report["columns"]["tax_id"], "纳税人识别号", "{file}");
    }
    let output = check(&["--companies", &files[2]]);
    assert!(text(&output.stdout).contains("共 20 行：0 行有错误，0 行有警告，20 行没有问题"), "{}", text(&output.stdout));
}

#[test]
fn each_kind_of_bad_row_is_reported_on_its_spreadsheet_row() {
    let dir = Dir::new("companies-bad");
    let rows = bad_rows();
    for file in
        [dir.write("bad.csv", &lists::gbk(&lists::csv(&HEADER, &rows))), dir.write("bad.xlsx", &lists::xlsx(&HEADER, &rows, "密钥", true))]
    {
        let args = if file.ends_with("xlsx") { vec!["--companies", &file, "--sheet", "密钥"] } else { vec!["--companies", &file] };
        let (code, report) = json(&args);
        assert_eq!(code, 1, "errors exit 1: {report:#}");
        let found = rules(&report);
        for expected in [
            (5, "list.duplicate_row"),
            (3, "list.tax_id_two_names"),
            (6, "list.tax_id_two_names"),
            (4, "list.name_two_tax_ids"),
            (7, "list.name_two_tax_ids"),
            (2, "list.client_id_shared"),
            (8, "list.client_id_shared"),
            (9, "credentials.tenant_on_enterprise"),
            (10, "tax_id.check_char"),
            (11, "credentials.key_length"),
        ] {
            assert!(found.contains(&(expected.0, expected.1.to_string())), "{file}: {expected:?} not in {found:?}");
        }
        assert!(found.iter().all(|(row, _)| (2..=11).contains(row)), "{found:?}");
        assert_eq!(report["rows"], 10);
    }
}

#[test]
fn a_tax_id_excel_stored_as_a_number_is_named_and_environments_mixed_are_marked() {
    let dir = Dir::new("companies-excel");
    let header = ["企业名称", "企业税号", "url"];
    let rows = vec![
        vec![company(0)[0].clone(), "=n:914403001000000000".into(), "https://api.piaozone.com".into()],
        vec![company(1)[0].clone(), company(1)[1].clone(), "https://api.piaozone.com".into()],
        vec![company(2)[0].clone(), company(2)[1].clone(), "https://api-dev.piaozone.com/test".into()],
    ];
    let file = dir.write("numbers.xlsx", &lists::xlsx(&header, &rows, "Sheet1", false));
    let (code, report) = json(&["--companies", &file, "--lang", "en"]);
    assert_eq!(code, 1);
    assert_eq!(rules(&report), [(2, "list.tax_id_as_number".to_string()), (4, "list.test_among_production".to_string())]);
    assert!(report["problems"][0]["findings"][0]["message"].as_str().unwrap().contains("914403001000000000"));
}

#[test]
fn no_output_format_shows_a_secret_and_csv_appends_the_verdict_for_excel() {
    let dir = Dir::new("companies-secrets");
    let mut rows = bad_rows();
    rows[1][3] = " padded-secret-value".into(); // a blank in a secret: reported by position
    rows.push(company(20).to_vec()); // row 12: nothing wrong
    let file = dir.write("bad.csv", lists::csv(&HEADER, &rows).as_bytes());
    let secrets: Vec<String> = rows.iter().flat_map(|r| [r[3].trim().to_string(), r[4].clone()]).filter(|s| s.len() > 5).collect();
    for format in ["text", "json", "csv"] {
        for lang in ["zh-CN", "en"] {
            let output = check(&["--companies", &file, "--format", format, "--lang", lang]);
            let printed = text(&output.stdout) + &text(&output.stderr);
            for secret in &secrets {
                assert!(!printed.contains(secret.as_str()), "{format}/{lang} shows {secret:?}");
            }
        }
    }
    let output = check(&["--companies", &file, "--format", "csv"]);
    let csv = text(&output.stdout);
    assert!(csv.starts_with('\u{FEFF}'), "a BOM, so that Excel shows Chinese");
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(csv.trim_start_matches('\u{FEFF}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[5..], ["检查结果", "说明"]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    assert_eq!(&records[10][5], "通过");
    assert_eq!(&records[10][6], "");
    assert_eq!(&records[0][0], rows[0][0].as_str(), "the input is kept as it is");
    assert_eq!(&records[0][3], "（D2 单元格，13 个字符）");
    assert_eq!(&records[3][5], "警告");
    assert!(records[3][6].contains("与第 2 行是同一家企业"), "{:?}", &records[3]);
    assert_eq!(&records[7][5], "错误");
}

#[test]
fn headers_no_label_matches_take_a_mapping_and_bad_input_exits_2_saying_what_to_do() {
    let dir = Dir::new("companies-headers");
    let file = dir.write(
        "custom.csv",
        lists::csv(&["公司", "税务登记号", "备注"], &[vec![company(0)[0].clone(), company(0)[1].clone(), String::new()]]).as_bytes(),
    );
    let output = check(&["--companies", &file]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--columns"), "{}", text(&output.stderr));
    let (code, report) = json(&["--companies", &file, "--columns", "公司=name,税务登记号=tax_id"]);
    assert_eq!((code, report["rows"].as_u64()), (0, Some(1)), "{report:#}");

    let xlsx = dir.write("list.xlsx", &lists::xlsx(&HEADER, &good_rows(1), "Sheet1", false));
    let missing_sheet = check(&["--companies", &xlsx, "--sheet", "不存在"]);
    assert_eq!(missing_sheet.status.code(), Some(2));
    assert!(text(&missing_sheet.stderr).contains("\"Sheet1\""), "names the sheets: {}", text(&missing_sheet.stderr));
    for args in [
        vec!["--companies", "/nonexistent/list.csv"],
        vec!["--companies", &file, "--columns", "公司=vat"],
        vec!["--sheet", "x", "config.toml"],
        vec!["config.toml", "--companies", &file],
        vec![],
    ] {
        let output = check(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output.stdout));
        assert!(!text(&output.stderr).is_empty());
    }
    let binary = dir.write("binary.csv", &[0x81, 0x30, 0xFF, 0xFF, 0x00, 0xFE]);
    assert!(text(&check(&["--companies", &binary]).stderr).contains("XLSX"));
}
