//! `piaozone-assist check --companies FILE`: every row of a company key list checked with the
//! console's field rules and the list's own (see `core::company_list`), before anyone types it
//! into 企业信息 or 费报 发票云配置. Exit codes as `check`: 0 without errors, 1 with, 2 unreadable.

use std::process::ExitCode;

use piaozone_assist::core::company_list::{check_list, ListChecker, ListReport, Role, RowReport};
use piaozone_assist::core::i18n::Lang;
use piaozone_assist::core::validate::Severity;
use serde_json::{json, Value};

use crate::args::Format;
use crate::companies::{self, severity_word, shown_cells, List, ListSource};

pub fn run(source: &ListSource, format: Format, lang: Lang) -> ExitCode {
    let list = match companies::load(source) {
        Ok(list) => list,
        Err(message) => {
            eprintln!("piaozone-assist check: {message}");
            return ExitCode::from(crate::EXIT_USAGE);
        }
    };
    let report = check(&list);
    let printed = match format {
        Format::Text => as_text(&list, &report, lang),
        Format::Json => format!("{:#}\n", as_json(&list, &report, lang)),
        Format::Csv => as_csv(&list, &report, lang),
    };
    print!("{printed}");
    if report.count(Severity::Error) > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

pub fn check(list: &List) -> ListReport {
    check_list(list.columns.clone(), list.table.rows.iter().map(|(row, cells)| (*row, cells)))
}

/// The header of the column a finding is about, as the file writes it.
fn header(list: &List, role: Role) -> &str {
    list.columns.header(role).unwrap_or(role.label())
}

fn summary(report: &ListReport, lang: Lang) -> String {
    let rows_with = |severity| report.problems.iter().filter(|r| r.severity() == severity).count();
    let (errors, warnings, notes) = (report.count(Severity::Error), report.count(Severity::Warning), report.count(Severity::Info));
    let clean = report.rows - report.problems.len();
    match lang {
        Lang::Zh => format!(
            "共 {} 行：{} 行有错误，{} 行有警告，{} 行没有问题（{errors} 个错误，{warnings} 个警告，{notes} 条提示）。\n",
            report.rows,
            rows_with(Severity::Error),
            rows_with(Severity::Warning),
            clean
        ),
        Lang::En => {
            format!(
            "{} rows: {} with errors, {} with warnings, {} without problems ({errors} error(s), {warnings} warning(s), {notes} note(s)).\n",
            report.rows, rows_with(Severity::Error), rows_with(Severity::Warning), clean
        )
        }
    }
}

fn as_text(list: &List, report: &ListReport, lang: Lang) -> String {
    let (row_word, fix_word) = match lang {
        Lang::Zh => ("第 {} 行", "修正"),
        Lang::En => ("row {}", "fix"),
    };
    let mut out = String::new();
    let cells_of = |row: usize| list.table.rows.binary_search_by_key(&row, |(n, _)| *n).ok().map(|i| &list.table.rows[i].1);
    for problem in &report.problems {
        out += &row_word.replace("{}", &problem.row.to_string());
        if let Some(cells) = cells_of(problem.row) {
            let shown = shown_cells(lang, &list.columns, problem.row, cells);
            for (role, index) in &list.columns.found {
                let value = shown.get(*index).map_or("", String::as_str);
                if !value.is_empty() {
                    out += &format!("  {}: {value}", header(list, *role));
                }
            }
        }
        out.push('\n');
        for (role, finding) in &problem.findings {
            out += &format!(
                "    {} {} [{}] {}\n      {fix_word}: {}\n",
                severity_word(lang, finding.severity),
                header(list, *role),
                finding.rule,
                finding.message(lang),
                finding.fix(lang)
            );
        }
    }
    out += &summary(report, lang);
    out
}

fn row_json(list: &List, problem: &RowReport, lang: Lang) -> Value {
    let findings: Vec<Value> = problem
        .findings
        .iter()
        .map(|(role, f)| {
            json!({
                "column": header(list, *role),
                "field": role.key(),
                "rule": f.rule,
                "severity": f.severity,
                "message": f.message(lang),
                "fix": f.fix(lang),
            })
        })
        .collect();
    json!({ "row": problem.row, "company": problem.company, "severity": problem.severity(), "findings": findings })
}

fn as_json(list: &List, report: &ListReport, lang: Lang) -> Value {
    let columns: serde_json::Map<String, Value> =
        list.columns.found.iter().map(|(role, index)| (role.key().to_string(), json!(list.columns.headers[*index]))).collect();
    json!({
        "file": list.shown,
        "columns": columns,
        "rows": report.rows,
        "problems": report.problems.iter().map(|p| row_json(list, p, lang)).collect::<Vec<_>>(),
        "errors": report.count(Severity::Error),
        "warnings": report.count(Severity::Warning),
        "notes": report.count(Severity::Info),
    })
}

fn as_csv(list: &List, report: &ListReport, lang: Lang) -> String {
    let appended = match lang {
        Lang::Zh => ["检查结果", "说明"],
        Lang::En => ["verdict", "message"],
    };
    companies::to_csv(list, lang, appended, |row, cells| match report.row(row) {
        Some(problem) => {
            let messages: Vec<String> =
                problem.findings.iter().map(|(role, f)| format!("{}: {}", header(list, *role), f.message(lang))).collect();
            (severity_word(lang, problem.severity()).to_string(), messages.join(if lang == Lang::Zh { "；" } else { "; " }))
        }
        // A row without any value stays without a verdict.
        None if ListChecker::company(&list.columns, row, cells).is_none() => (String::new(), String::new()),
        None => (severity_word(lang, Severity::Ok).to_string(), String::new()),
    })
}
