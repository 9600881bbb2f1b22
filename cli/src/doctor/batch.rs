//! `piaozone-assist doctor --companies LIST`: the connection test for every row of a company key
//! list, from the ERP server, as `doctor` runs it for one company (precheck, token call, probe of
//! the counterpart environment on a refusal).
//!
//! - at most `--parallel N` calls at once (default 4), started at most `--rate` per second;
//! - DNS, TCP and TLS are checked once per host ([`Hosts`]); a host that fails its check fails
//!   its rows without another try, and the others connect to the addresses found;
//! - a progress line on a terminal, one plain line per row otherwise (stderr);
//! - Ctrl-C stops starting rows; the calls under way finish and every finished row is printed.
//!
//! Exit codes: 0 every row's keys work; 1 any other outcome; 2 bad usage or an unreadable list;
//! 130 stopped by Ctrl-C.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use piaozone_assist::core::company_list::{ListChecker, ListCompany, Role};
use piaozone_assist::core::i18n::Lang;
use piaozone_assist::core::piaozone::{ConnectionRequest, Outcome, OutcomeKind, Secret};
use serde_json::{json, Value};

use super::wire::{HostCheck, Hosts};
use super::{diagnose, scrub, Common, Report};
use crate::args::Format;
use crate::companies::{self, List, ListSource};

pub const DEFAULT_PARALLEL: usize = 4;
pub const MAX_PARALLEL: usize = 64;
/// Secrets shorter than this are not masked in the output (see `run`).
const MIN_SCRUBBED: usize = 6;
/// Exit code after Ctrl-C, as shells report SIGINT.
const EXIT_INTERRUPTED: u8 = 130;

pub struct Options {
    pub list: ListSource,
    /// The url of rows without their own (`url` column).
    pub url: Option<String>,
    pub parallel: usize,
    /// Calls started per second, at most.
    pub rate: Option<f64>,
    pub common: Common,
}

/// One row to test. The secret is wiped when the job is dropped.
struct Job {
    company: ListCompany,
    request: ConnectionRequest,
}

struct Tested {
    company: ListCompany,
    url: String,
    report: Report,
}

pub fn run(options: Options) -> ExitCode {
    let list = match companies::load(&options.list).and_then(|list| jobs(&list, options.url.as_deref()).map(|jobs| (list, jobs))) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("piaozone-assist doctor: {message}");
            return ExitCode::from(crate::EXIT_USAGE);
        }
    };
    let (list, jobs) = list;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    if let Err(error) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        eprintln!("piaozone-assist doctor: Ctrl-C will not stop cleanly: {error}");
    }
    let hosts = Hosts::default();
    let results = test_all(&jobs, &options, &hosts, &stop);
    let stopped = stop.load(Ordering::SeqCst);
    let tested: Vec<&Tested> = results.iter().flatten().collect();
    let lang = options.common.lang;
    let printed = match options.common.format {
        Format::Text => as_text(&tested, &hosts.all(), jobs.len(), stopped, lang),
        Format::Json => format!("{:#}\n", as_json(&list, &tested, &hosts.all(), jobs.len(), stopped, lang)),
        Format::Csv => as_csv(&list, &results, &jobs, lang),
    };
    // Whatever a server echoed: no secret or signature of any row leaves in the output. The
    // secret is never sent, so this is a second line of defence; a value shorter than
    // MIN_SCRUBBED is left, as masking "x" would mangle every word holding an x.
    let signs: Vec<String> = tested.iter().flat_map(|t| t.report.signs.iter().cloned()).collect();
    let scrubbed = jobs
        .iter()
        .filter(|job| job.request.client_secret.0.trim().chars().count() >= MIN_SCRUBBED)
        .fold(printed, |printed, job| scrub(printed, &job.request.client_secret.0, &[]));
    print!("{}", scrub(scrubbed, "", &signs));
    let _ = std::io::stdout().flush();
    if stopped {
        ExitCode::from(EXIT_INTERRUPTED)
    } else if tested.iter().all(|t| t.report.outcome.is_ok()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The rows to test, with their url (their own, else `--url`). Keys must be in the list.
fn jobs(list: &List, default_url: Option<&str>) -> Result<Vec<Job>, String> {
    for role in [Role::ClientId, Role::ClientSecret] {
        if !list.columns.has(role) {
            return Err(format!("{}: no {} column: doctor needs each row's Client id and Client Secret", list.shown, role.label()));
        }
    }
    if default_url.is_none() && !list.columns.has(Role::Url) {
        return Err(format!("{}: no url column: give --url for the rows", list.shown));
    }
    Ok(list
        .table
        .rows
        .iter()
        .filter_map(|(row, cells)| {
            let company = ListChecker::company(&list.columns, *row, cells)?;
            let own = list.columns.cell(Role::Url, cells).map_or("", |c| c.text.trim());
            let url = if own.is_empty() { default_url.unwrap_or_default() } else { own }.to_string();
            // The secret as written: the precheck names blanks and quotes instead of hiding them.
            let secret = list.columns.cell(Role::ClientSecret, cells).map_or(String::new(), |c| c.text.clone());
            let request = ConnectionRequest { url, client_id: company.client_id.clone(), client_secret: Secret(secret), encrypt_key: None };
            Some(Job { company, request })
        })
        .collect())
}

/// Runs the jobs on `parallel` threads; a row's slot stays `None` when Ctrl-C came first.
fn test_all(jobs: &[Job], options: &Options, hosts: &Hosts, stop: &AtomicBool) -> Vec<Option<Tested>> {
    let net = options.common.net(Some(hosts));
    let next = AtomicUsize::new(0);
    let schedule = Mutex::new(Instant::now());
    let interval = options.rate.map(|per_second| Duration::from_secs_f64(1.0 / per_second));
    let results: Mutex<Vec<Option<Tested>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let progress = Progress::new(jobs.len(), options.common.lang);
    thread::scope(|scope| {
        for _ in 0..options.parallel.min(jobs.len()) {
            scope.spawn(|| loop {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(index) else { return };
                if let Some(interval) = interval {
                    if !wait_turn(&schedule, interval, stop) {
                        return;
                    }
                }
                let report = diagnose(&job.request, options.common.enc, &net);
                progress.done(job.company.row, &report.outcome);
                results.lock().expect("no thread panics holding it")[index] =
                    Some(Tested { company: job.company.clone(), url: job.request.url.clone(), report });
            });
        }
    });
    progress.finish();
    results.into_inner().expect("no thread panics holding it")
}

/// Waits for this call's start under the rate; `false` when Ctrl-C came meanwhile.
fn wait_turn(schedule: &Mutex<Instant>, interval: Duration, stop: &AtomicBool) -> bool {
    let start = {
        let mut next = schedule.lock().expect("no thread panics holding it");
        let start = (*next).max(Instant::now());
        *next = start + interval;
        start
    };
    while Instant::now() < start {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        thread::sleep((start - Instant::now()).min(Duration::from_millis(50)));
    }
    true
}

/// Progress on stderr: one line redrawn on a terminal, else a plain line per row (for logs).
struct Progress {
    total: usize,
    lang: Lang,
    terminal: bool,
    counts: Mutex<(usize, usize)>,
}

impl Progress {
    fn new(total: usize, lang: Lang) -> Progress {
        Progress { total, lang, terminal: std::io::stderr().is_terminal(), counts: Mutex::new((0, 0)) }
    }

    fn done(&self, row: usize, outcome: &Outcome) {
        let mut counts = self.counts.lock().expect("no thread panics holding it");
        counts.0 += 1;
        if outcome.is_ok() {
            counts.1 += 1;
        }
        let (finished, ok) = *counts;
        let line = if self.terminal {
            let width = 30;
            let filled = finished * width / self.total.max(1);
            let bar = format!("{}{}", "#".repeat(filled), "-".repeat(width - filled));
            match self.lang {
                Lang::Zh => format!("\r\x1b[K连接测试 [{bar}] {finished}/{}  ok {ok}  其他 {}", self.total, finished - ok),
                Lang::En => format!("\r\x1b[Kconnection test [{bar}] {finished}/{}  ok {ok}  other {}", self.total, finished - ok),
            }
        } else {
            let latency = outcome.latency_ms.map_or(String::new(), |ms| format!(" {ms} ms"));
            match self.lang {
                Lang::Zh => format!("第 {row} 行：{}{latency}（{finished}/{}）\n", outcome.kind.as_str(), self.total),
                Lang::En => format!("row {row}: {}{latency} ({finished}/{})\n", outcome.kind.as_str(), self.total),
            }
        };
        let _ = std::io::stderr().write_all(line.as_bytes());
    }

    fn finish(&self) {
        if self.terminal {
            let _ = std::io::stderr().write_all(b"\n");
        }
    }
}

/// How a row's outcome is counted in the summary: Piaozone's own words for a refusal
/// (`非法的客户id`), else the outcome's title.
fn summary_label(outcome: &Outcome, lang: Lang) -> String {
    match (&outcome.kind, &outcome.description) {
        (OutcomeKind::Ok, _) => "ok".to_string(),
        (OutcomeKind::CredentialsRejected, Some(description)) if !description.trim().is_empty() => description.trim().to_string(),
        _ => outcome.explain(lang).title,
    }
}

fn summary(tested: &[&Tested], lang: Lang) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for t in tested {
        *counts.entry(summary_label(&t.report.outcome, lang)).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

fn stage_line(stage: &super::StageReport) -> String {
    let mark = if stage.ok { "ok  " } else { "FAIL" };
    format!("    {:<8} {mark} {:>6} ms  {}\n", stage.stage, stage.ms, stage.detail)
}

fn as_text(tested: &[&Tested], hosts: &[HostCheck], total: usize, stopped: bool, lang: Lang) -> String {
    let mut out = String::new();
    out += match lang {
        Lang::Zh => "主机检查（每个主机只做一次 DNS / TCP / TLS）：\n",
        Lang::En => "Host checks (DNS / TCP / TLS once per host):\n",
    };
    for host in hosts {
        out += &format!("  {}\n", host.host);
        out.extend(host.stages.iter().map(stage_line));
    }
    out.push('\n');
    for t in tested {
        let explanation = t.report.outcome.explain(lang);
        let row = match lang {
            Lang::Zh => format!("第 {} 行", t.company.row),
            Lang::En => format!("row {}", t.company.row),
        };
        let latency = t.report.outcome.latency_ms.map_or(String::new(), |ms| format!(" ({ms} ms)"));
        let label = if t.report.outcome.is_ok() { explanation.title.clone() } else { summary_label(&t.report.outcome, lang) };
        out += &format!(
            "{row}  {}  {}  {}  → {}  {label}{latency}\n",
            t.company.name,
            t.company.tax_id,
            t.company.client_id,
            explanation.kind.as_str()
        );
        if !t.report.outcome.is_ok() {
            let next = if lang == Lang::Zh { "下一步" } else { "Next" };
            out += &format!("    {next}: {}\n", explanation.fix);
        }
    }
    let counts: Vec<String> = summary(tested, lang).into_iter().map(|(label, n)| format!("{n} {label}")).collect();
    out += &match lang {
        Lang::Zh => format!("\n共测试 {} 行：{}。\n", tested.len(), counts.join("，")),
        Lang::En => format!("\n{} rows tested: {}.\n", tested.len(), counts.join(", ")),
    };
    if stopped {
        out += &match lang {
            Lang::Zh => format!("已按 Ctrl-C 中断：{} 行未测试。\n", total - tested.len()),
            Lang::En => format!("Stopped by Ctrl-C: {} rows not tested.\n", total - tested.len()),
        };
    }
    out
}

fn as_json(list: &List, tested: &[&Tested], hosts: &[HostCheck], total: usize, stopped: bool, lang: Lang) -> Value {
    let hosts: Vec<Value> = hosts.iter().map(|h| json!({ "host": h.host, "ok": h.result.is_ok(), "stages": h.stages })).collect();
    let rows: Vec<Value> = tested
        .iter()
        .map(|t| {
            let explanation = t.report.outcome.explain(lang);
            json!({
                "row": t.company.row,
                "company": t.company,
                "url": t.url,
                "outcome": t.report.outcome,
                "title": explanation.title,
                "fix": explanation.fix,
                "stages": t.report.first.as_ref().map_or(Vec::new(), |call| call.stages.clone()),
                "probe": t.report.probe.as_ref().map(|(environment, call)| json!({ "environment": environment, "outcome": call.outcome })),
            })
        })
        .collect();
    let summary: serde_json::Map<String, Value> = summary(tested, lang).into_iter().map(|(label, n)| (label, json!(n))).collect();
    json!({
        "file": list.shown,
        "hosts": hosts,
        "rows": rows,
        "summary": summary,
        "tested": tested.len(),
        "not_tested": total - tested.len(),
        "stopped": stopped,
    })
}

fn as_csv(list: &List, results: &[Option<Tested>], jobs: &[Job], lang: Lang) -> String {
    let appended = match lang {
        Lang::Zh => ["连接结果", "说明"],
        Lang::En => ["connection", "message"],
    };
    let by_row: BTreeMap<usize, &Tested> = results.iter().flatten().map(|t| (t.company.row, t)).collect();
    let listed: BTreeMap<usize, ()> = jobs.iter().map(|job| (job.company.row, ())).collect();
    companies::to_csv(list, lang, appended, |row, _| match by_row.get(&row) {
        Some(t) => {
            let explanation = t.report.outcome.explain(lang);
            let message = if t.report.outcome.is_ok() {
                explanation.title
            } else {
                format!("{}：{}", summary_label(&t.report.outcome, lang), explanation.fix)
            };
            (explanation.kind.as_str().to_string(), message)
        }
        None if listed.contains_key(&row) => (if lang == Lang::Zh { "未测试" } else { "not tested" }.to_string(), String::new()),
        None => (String::new(), String::new()),
    })
}
