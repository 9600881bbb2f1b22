//! `cargo xtask bench [--check]`: what the extension costs a console page, against budgets.
//! Builds both flavours, serves generated console pages (`bench_pages`), runs the measurements in
//! headless Chromium with and without the dev extension (`tests/e2e/tests/bench.rs`) and the
//! connection test's overhead (`tests/e2e/tests/connection.rs`), then writes `bench/results.md`
//! and `bench/results.json`. `--check` fails when a budget is missed.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

use crate::rig::E2eRig;
use crate::stats::{summarize, Summary};
use crate::tools::{self, repo_root, target_dir};
use crate::{bench_lists, bench_pages, serve, Result};

const KB: f64 = 1000.0;
const MB: f64 = 1024.0 * 1024.0;

/// One line of the report; `budget` is an upper bound in the figure's unit.
pub struct Figure {
    pub id: String,
    pub what: String,
    pub value: f64,
    pub unit: &'static str,
    pub budget: Option<f64>,
}

impl Figure {
    fn ok(&self) -> bool {
        self.budget.is_none_or(|b| self.value <= b)
    }
}

/// `cargo xtask bench --lists`: only the company-list figures, printed.
pub fn run_lists() -> Result<()> {
    for f in bench_lists::figures()? {
        let budget = f.budget.map_or(String::new(), |b| format!(" (budget {b} {})", f.unit));
        println!("{}: {:.2} {}{budget}{}", f.what, f.value, f.unit, if f.ok() { "" } else { " MISSED" });
    }
    Ok(())
}

pub fn run(check: bool) -> Result<()> {
    let browser = tools::ensure_browser()?;
    tools::ensure_wasm_target()?;
    let load_before = load_average();
    let rig = E2eRig::start(&browser)?;
    let pages_dir = target_dir().join("bench-pages");
    bench_pages::write(&pages_dir)?;
    let pages = format!("http://{}", serve::start(pages_dir, 0)?);
    let raw_dir = target_dir().join("bench");
    let _ = std::fs::remove_dir_all(&raw_dir);

    let measure = |test: &str, name: &str| -> Result<()> {
        let status = rig
            .cargo_test()?
            .args(["--test", test, "--", "--ignored", "--nocapture", "--exact", name])
            .env("PA_BENCH_PAGES", &pages)
            .env("PA_BENCH_DIR", &raw_dir)
            .status()
            .map_err(|e| e.to_string())?;
        status.success().then_some(()).ok_or_else(|| format!("the measurement {test}::{name} failed"))
    };
    measure("bench", "pages_with_and_without_the_extension")?;
    measure("connection", "overhead_over_the_raw_round_trip")?;
    drop(rig);

    let release = crate::places::dist_dir().join("extension");
    let files = payload(&release)?;
    let mut worker = worker_files(&release)?;
    worker.extend(list_reader_files(&release)?);
    let read = |name: &str| -> Result<Value> {
        let path = raw_dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let mut figures = figures(&files, &read("pages.json")?, &read("connection.json")?)?;
    figures.extend(bench_lists::figures()?);
    let machine = machine(&browser.chromium, &load_before);
    write_results(&machine, &files, &worker, &figures)?;

    let misses: Vec<String> = figures
        .iter()
        .filter(|f| !f.ok())
        .map(|f| format!("{}: {:.2} {} > {:.2}", f.what, f.value, f.unit, f.budget.unwrap_or_default()))
        .collect();
    if check && !misses.is_empty() {
        return Err(format!("budgets missed:\n  {}", misses.join("\n  ")));
    }
    Ok(())
}

/// A shipped file's size as downloaded: raw and gzip -9.
struct Payload {
    path: String,
    raw: u64,
    gzip: u64,
}

/// The content script's whole download: the wasm (the guide data and the CSS are compiled into it,
/// `build.rs` and `include_str!`), its JS glue and the loader. This is what every console page
/// pays for, and what the budget is about.
fn payload(extension: &Path) -> Result<Vec<Payload>> {
    let mut files = vec!["content.js".to_string()];
    files.extend(files_in(extension, "pkg")?);
    sizes(extension, files)
}

/// The background worker's module, loaded once by the browser, never by a page: reported beside
/// the payload, not counted in it.
fn worker_files(extension: &Path) -> Result<Vec<Payload>> {
    let mut files = vec!["background.js".to_string()];
    files.extend(files_in(extension, "worker")?);
    sizes(extension, files)
}

/// The list reader (对照清单), fetched from the extension only when the admin picks a list: reported
/// beside the payload, not counted in it.
fn list_reader_files(extension: &Path) -> Result<Vec<Payload>> {
    sizes(extension, files_in(extension, "lists")?)
}

/// The files of `dir` (one level), as paths relative to the extension folder.
fn files_in(extension: &Path, dir: &str) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(extension.join(dir)).map_err(|e| format!("{}/{dir}: {e}", extension.display()))? {
        files.push(format!("{dir}/{}", entry.map_err(|e| e.to_string())?.file_name().to_string_lossy()));
    }
    files.sort();
    Ok(files)
}

fn sizes(extension: &Path, files: Vec<String>) -> Result<Vec<Payload>> {
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(extension.join(&path)).map_err(|e| format!("{path}: {e}"))?;
            Ok(Payload { raw: bytes.len() as u64, gzip: gzip_size(&bytes), path })
        })
        .collect()
}

fn gzip_size(bytes: &[u8]) -> u64 {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory").len() as u64
}

fn numbers(value: &Value) -> Vec<f64> {
    value.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
}

fn summary(what: &str, samples: &[f64]) -> Result<Summary> {
    summarize(samples).ok_or_else(|| format!("no samples for {what}"))
}

/// Milliseconds from `content.js` starting to `mark`, per load.
fn since_start(loads: &Value, mark: &str) -> Vec<f64> {
    loads.as_array().into_iter().flatten().filter_map(|load| Some(load[mark].as_f64()? - load["content_start"].as_f64()?)).collect()
}

/// Long tasks in `runs`; with `after_parsing`, only those that started after the page's own
/// parsing (a load's `parsed_at`; the typing starts later anyway): the page's own build task
/// comes before any script of ours can run, so it cannot be ours, and on the large page it hovers
/// around 50 ms with or without the extension.
fn long_task_count(runs: &[&Value], after_parsing: bool) -> f64 {
    runs.iter()
        .map(|run| {
            let parsed_at = run["parsed_at"].as_f64().filter(|_| after_parsing).unwrap_or(f64::NEG_INFINITY);
            run["long_tasks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|task| task["start"].as_f64().unwrap_or(f64::INFINITY) >= parsed_at)
                .count()
        })
        .sum::<usize>() as f64
}

fn figures(files: &[Payload], pages: &Value, connection: &Value) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    let raw: u64 = files.iter().map(|f| f.raw).sum();
    let gzip: u64 = files.iter().map(|f| f.gzip).sum();
    figures.push(Figure {
        id: "payload_raw_kb".into(),
        what: "payload, raw (wasm + glue + loader)".into(),
        value: raw as f64 / KB,
        unit: "KB",
        budget: None,
    });
    figures.push(Figure {
        id: "payload_gzip_kb".into(),
        what: "payload, gzip -9".into(),
        value: gzip as f64 / KB,
        unit: "KB",
        budget: Some(180.0),
    });

    for (page, name) in [("small.html", "small"), ("large.html", "large")] {
        let loads = &pages[page]["with"];
        let nodes = pages[page]["without"][0]["nodes"].as_f64().unwrap_or_default();
        let panel = summary("panel", &since_start(loads, "panel"))?;
        let overlay = summary("overlay", &since_start(loads, "overlay"))?;
        let n = panel.count;
        let large = name == "large";
        let wasm = summary("wasm ready", &since_start(loads, "wasm_ready"))?;
        let load_ms = |side: &str| -> Result<Summary> {
            let samples: Vec<f64> = pages[page][side].as_array().into_iter().flatten().filter_map(|l| l["loaded_at"].as_f64()).collect();
            summary("page load", &samples)
        };
        let (loaded_with, loaded_without) = (load_ms("with")?, load_ms("without")?);
        figures.push(Figure { id: format!("{name}_nodes"), what: format!("{name} page: DOM nodes"), value: nodes, unit: "", budget: None });
        figures.push(Figure {
            id: format!("{name}_panel_median_ms"),
            what: format!("{name} page: content script → panel, median of {n}"),
            value: panel.median,
            unit: "ms",
            budget: None,
        });
        figures.push(Figure {
            id: format!("{name}_panel_p95_ms"),
            what: format!("{name} page: content script → panel, p95 of {n}"),
            value: panel.p95,
            unit: "ms",
            budget: large.then_some(50.0),
        });
        figures.push(Figure {
            id: format!("{name}_overlay_median_ms"),
            what: format!("{name} page: content script → first overlay, median"),
            value: overlay.median,
            unit: "ms",
            budget: None,
        });
        figures.push(Figure {
            id: format!("{name}_overlay_p95_ms"),
            what: format!("{name} page: content script → first overlay, p95"),
            value: overlay.p95,
            unit: "ms",
            budget: large.then_some(60.0),
        });
        figures.push(Figure {
            id: format!("{name}_wasm_p95_ms"),
            what: format!("{name} page: content script → wasm ready (glue import, wasm fetch, compile, instantiate), p95"),
            value: wasm.p95,
            unit: "ms",
            budget: large.then_some(15.0),
        });
        figures.push(Figure {
            id: format!("{name}_load_median_ms"),
            what: format!(
                "{name} page: navigation → load event, median (with / without: {:.1} / {:.1} ms)",
                loaded_with.median, loaded_without.median
            ),
            value: loaded_with.median,
            unit: "ms",
            budget: None,
        });
        figures.push(Figure {
            id: format!("{name}_load_ratio"),
            what: format!("{name} page: page load, with ÷ without (medians)"),
            value: loaded_with.median / loaded_without.median,
            unit: "×",
            budget: large.then_some(1.02),
        });
    }

    let typed = &pages["typing"]["with"]["latencies"];
    let keys = typed.as_array().map_or(0, Vec::len);
    let latencies = numbers(typed);
    let keystroke = summary("keystroke → verdict", &latencies)?;
    figures.push(Figure {
        id: "keystroke_p50_ms".into(),
        what: format!("keystroke → verdict, p50 of {keys} keys typed through CDP (large page)"),
        value: keystroke.median,
        unit: "ms",
        budget: None,
    });
    figures.push(Figure {
        id: "keystroke_p95_ms".into(),
        what: "keystroke → verdict, p95".into(),
        value: keystroke.p95,
        unit: "ms",
        budget: Some(16.0),
    });
    // Event Timing, with the page's own 20 ms input handler in both browsers (see the bench's
    // `PAGE_HANDLER`): what the extension adds to each keystroke's event handling, and to its
    // INP-style latency (the longest of its events' durations to the next paint, which the
    // browser rounds to 8 ms).
    let per_key = |side: &str, field: &str| -> Vec<f64> {
        pages["typing"][side]["event_timing"].as_array().into_iter().flatten().filter_map(|k| k[field].as_f64()).collect()
    };
    let processing =
        (summary("event processing", &per_key("with", "processing"))?, summary("event processing", &per_key("without", "processing"))?);
    figures.push(Figure {
        id: "keystroke_processing_added_p95_ms".into(),
        what: format!(
            "keystroke, Event Timing: its events' processing added, p95 (with / without: {:.1} / {:.1} ms, {} / {} keys timed)",
            processing.0.p95, processing.1.p95, processing.0.count, processing.1.count
        ),
        value: processing.0.p95 - processing.1.p95,
        unit: "ms",
        budget: Some(4.0),
    });
    let inp = (summary("event duration", &per_key("with", "duration"))?, summary("event duration", &per_key("without", "duration"))?);
    figures.push(Figure {
        id: "keystroke_inp_added_p95_ms".into(),
        what: format!(
            "keystroke, Event Timing: INP-style latency added, p95 (with / without: {:.0} / {:.0} ms, in the browser's 8 ms steps)",
            inp.0.p95, inp.1.p95
        ),
        value: inp.0.p95 - inp.1.p95,
        unit: "ms",
        budget: None,
    });
    figures.push(Figure {
        id: "keystroke_inp_worst_ms".into(),
        what: format!("keystroke, Event Timing: INP-style latency, worst (with; without: {:.0} ms)", inp.1.max),
        value: inp.0.max,
        unit: "ms",
        budget: None,
    });
    figures.push(Figure {
        id: "keystrokes_without_verdict".into(),
        what: "keystrokes whose verdict never came".into(),
        value: (keys - latencies.len()) as f64,
        unit: "",
        budget: Some(0.0),
    });

    let busy = |side: &str| -> Result<Summary> {
        let samples: Vec<f64> = pages["storm"][side].as_array().into_iter().flatten().filter_map(|s| s["busy_ms"].as_f64()).collect();
        summary("mutation storm", &samples)
    };
    let (storm_with, storm_without) = (busy("with")?, busy("without")?);
    figures.push(Figure {
        id: "storm_with_ms".into(),
        what: format!("10,000-mutation storm, main-thread busy, mean of the middle half of {} (with)", storm_with.count),
        value: storm_with.middle_mean,
        unit: "ms",
        budget: None,
    });
    figures.push(Figure {
        id: "storm_without_ms".into(),
        what: "10,000-mutation storm, main-thread busy, mean of the middle half (without)".into(),
        value: storm_without.middle_mean,
        unit: "ms",
        budget: None,
    });
    figures.push(Figure {
        id: "storm_median_ratio".into(),
        what: "mutation storm, ratio of the medians (shown, not budgeted: see the middle mean)".into(),
        value: storm_with.median / storm_without.median,
        unit: "×",
        budget: None,
    });
    figures.push(Figure {
        id: "storm_ratio".into(),
        what: "mutation storm cost, with ÷ without".into(),
        value: storm_with.middle_mean / storm_without.middle_mean,
        unit: "×",
        budget: Some(1.03),
    });

    // Scale: the panel's time and the storm's cost on consoles with more hidden tabs and rows,
    // against the one-tab page's.
    let scale = |tabs: usize, rows: usize| -> Result<(Summary, f64)> {
        let page = &pages["scale"][bench_pages::scale_name(tabs, rows)];
        let panel = summary("scale panel", &since_start(&page["with"], "panel"))?;
        let busy = |side: &str| -> Result<Summary> {
            let samples: Vec<f64> = page["storm"][side].as_array().into_iter().flatten().filter_map(|s| s["busy_ms"].as_f64()).collect();
            summary("scale storm", &samples)
        };
        Ok((panel, busy("with")?.middle_mean / busy("without")?.middle_mean))
    };
    let (base_panel, base_storm) = scale(bench_pages::SCALES[0].0, bench_pages::SCALES[0].1)?;
    for (tabs, rows) in bench_pages::SCALES {
        let (panel, storm) = scale(tabs, rows)?;
        figures.push(Figure {
            id: format!("scale_{tabs}_{rows}_panel_p95_ms"),
            what: format!("{tabs} tabs × {rows}-row grids: content script → panel, p95 of {}", panel.count),
            value: panel.p95,
            unit: "ms",
            budget: None,
        });
        figures.push(Figure {
            id: format!("scale_{tabs}_{rows}_storm_ratio"),
            what: format!("{tabs} tabs × {rows}-row grids: mutation storm cost, with ÷ without"),
            value: storm,
            unit: "×",
            budget: None,
        });
        if (tabs, rows) != bench_pages::SCALES[0] {
            let base = format!("{} tab × {} rows", bench_pages::SCALES[0].0, bench_pages::SCALES[0].1);
            // Medians: a p95 of ten loads is their slowest but one.
            figures.push(Figure {
                id: format!("scale_{tabs}_{rows}_panel_vs_base"),
                what: format!("{tabs} tabs × {rows} rows ÷ {base}: panel, medians"),
                value: panel.median / base_panel.median,
                unit: "×",
                budget: Some(1.10),
            });
            figures.push(Figure {
                id: format!("scale_{tabs}_{rows}_storm_vs_base"),
                what: format!("{tabs} tabs × {rows} rows ÷ {base}: storm ratio"),
                value: storm / base_storm,
                unit: "×",
                budget: Some(1.10),
            });
        }
    }

    let side = |s: &str| -> Vec<&Value> {
        let mut runs: Vec<&Value> =
            ["small.html", "large.html"].iter().flat_map(|p| pages[p][s].as_array().into_iter().flatten()).collect();
        runs.push(&pages["typing"][s]);
        runs
    };
    let after_parsing = |s: &str| long_task_count(&side(s), true);
    let (after_parsing_with, after_parsing_without) = (after_parsing("with"), after_parsing("without"));
    for (id, what, value) in [
        ("long_tasks_all_with", "long tasks ≥ 50 ms in all loads and the typing (with)", long_task_count(&side("with"), false)),
        ("long_tasks_all_without", "long tasks ≥ 50 ms in all loads and the typing (without)", long_task_count(&side("without"), false)),
        ("long_tasks_after_parsing_with", "of those, started after the page's own parsing (with)", after_parsing_with),
        ("long_tasks_after_parsing_without", "of those, started after the page's own parsing (without)", after_parsing_without),
    ] {
        figures.push(Figure { id: id.into(), what: what.into(), value, unit: "", budget: None });
    }
    let added = after_parsing_with - after_parsing_without;
    figures.push(Figure {
        id: "long_tasks_added".into(),
        what: "long tasks added by the extension (after the page's parsing, with − without)".into(),
        value: added.max(0.0),
        unit: "",
        budget: Some(0.0),
    });

    let memory = &pages["memory"];
    let wasm = memory["with"]["wasm_bytes"].as_f64().ok_or("no wasm memory figure")?;
    let heap_with = memory["with"]["js_heap_bytes"].as_f64().ok_or("no JS heap figure")?;
    let heap_without = memory["without"]["js_heap_bytes"].as_f64().ok_or("no JS heap figure")?;
    let heap_added = (heap_with - heap_without).max(0.0);
    figures.push(Figure {
        id: "memory_wasm_mb".into(),
        what: "wasm linear memory after 10 min of simulated use".into(),
        value: wasm / MB,
        unit: "MB",
        budget: None,
    });
    figures.push(Figure {
        id: "memory_js_heap_added_mb".into(),
        what: "JS heap added (with − without, after GC)".into(),
        value: heap_added / MB,
        unit: "MB",
        budget: None,
    });
    figures.push(Figure {
        id: "memory_mb".into(),
        what: "memory: wasm + JS heap added".into(),
        value: (wasm + heap_added) / MB,
        unit: "MB",
        budget: Some(16.0),
    });

    let raw_ms = summary("raw token call", &numbers(&connection["raw_ms"]))?;
    let click_ms = summary("connection test", &numbers(&connection["extension_ms"]))?;
    figures.push(Figure {
        id: "connection_raw_ms".into(),
        what: format!("token call, raw fetch paced like the clicks, median of {}", raw_ms.count),
        value: raw_ms.median,
        unit: "ms",
        budget: None,
    });
    figures.push(Figure {
        id: "connection_click_ms".into(),
        what: "connection test, click → result card, median".into(),
        value: click_ms.median,
        unit: "ms",
        budget: None,
    });
    figures.push(Figure {
        id: "connection_overhead_ms".into(),
        what: "connection test overhead over the raw round trip".into(),
        value: click_ms.median - raw_ms.median,
        unit: "ms",
        budget: Some(4.0),
    });
    Ok(figures)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

fn machine(chromium: &Path, load_before: &str) -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("model name").map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())))
        .unwrap_or_default();
    let memory_gb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("MemTotal:")?.trim().strip_suffix(" kB")?.parse::<f64>().ok()))
        .map(|kb| kb / MB)
        .unwrap_or_default();
    let chromium_version =
        Command::new(chromium).arg("--version").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    json!({
        "nproc": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "cpu": cpu,
        "memory_gb": (memory_gb * 10.0).round() / 10.0,
        "chromium": chromium_version,
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "date": Command::new("date").arg("-u").arg("+%Y-%m-%d %H:%M UTC").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default(),
    })
}

fn write_results(machine: &Value, files: &[Payload], worker: &[Payload], figures: &[Figure]) -> Result<()> {
    let dir = repo_root().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let json = json!({
        "machine": machine,
        "payload": files.iter().map(|f| json!({ "file": f.path, "raw": f.raw, "gzip": f.gzip })).collect::<Vec<_>>(),
        "worker": worker.iter().map(|f| json!({ "file": f.path, "raw": f.raw, "gzip": f.gzip })).collect::<Vec<_>>(),
        "figures": figures.iter().map(|f| json!({ "id": f.id, "what": f.what, "value": (f.value * 100.0).round() / 100.0, "unit": f.unit, "budget": f.budget, "ok": f.ok() })).collect::<Vec<_>>(),
    });
    std::fs::write(dir.join("results.json"), serde_json::to_string_pretty(&json).unwrap() + "\n").map_err(|e| e.to_string())?;
    let mut md = markdown(machine, files, worker, figures);
    // What changed, kept by hand beside the generated table (`bench/changes.md`): each cut or
    // speed-up with its figures before and after.
    if let Ok(changes) = std::fs::read_to_string(dir.join("changes.md")) {
        md += &format!("\n{changes}");
    }
    print!("{md}");
    std::fs::write(dir.join("results.md"), md).map_err(|e| e.to_string())
}

fn markdown(machine: &Value, files: &[Payload], worker: &[Payload], figures: &[Figure]) -> String {
    let text = |key: &str| machine[key].as_str().map(str::to_string).unwrap_or_else(|| machine[key].to_string());
    let mut md = String::from("# `cargo xtask bench` results\n\n");
    md += &format!(
        "Machine: {} × {}, {} GB memory, {}. Load average {} before the run, {} after \
         (the machine was shared with other builds). {}.\n\n",
        text("nproc"),
        text("cpu"),
        text("memory_gb"),
        text("chromium"),
        text("load_average_before"),
        text("load_average_after"),
        text("date"),
    );
    md += "| measure | value | budget | |\n|---|---:|---:|---|\n";
    for f in figures {
        let budget = f.budget.map(|b| format!("≤ {b} {}", f.unit)).unwrap_or_default();
        let status = match (f.budget, f.ok()) {
            (None, _) => "",
            (Some(_), true) => "ok",
            (Some(_), false) => "**missed**",
        };
        md += &format!("| {} | {:.2} {} | {budget} | {status} |\n", f.what, f.value, f.unit);
    }
    md += "\nPayload (the CSS and the guide data are compiled into the wasm, so they have no files of their own):\n\n\
           | file | raw | gzip -9 |\n|---|---:|---:|\n";
    for f in files {
        md += &format!("| {} | {} | {} |\n", f.path, f.raw, f.gzip);
    }
    md += "\nThe background worker's own module (the token call, signing, site registration), loaded by the \
           browser once, never by a page, and the list reader (`lists/`, 对照清单's CSV/XLSX parsers), loaded \
           from the extension only when the admin picks a company list; neither is part of the payload above:\n\n\
           | file | raw | gzip -9 |\n|---|---:|---:|\n";
    for f in worker {
        md += &format!("| {} | {} | {} |\n", f.path, f.raw, f.gzip);
    }
    md += "\nHow: two headless Chromiums of the same build, one with `dist/extension-dev` and one without, \
           loading the generated pages (`xtask/src/bench_pages.rs`) in alternation; marks are \
           `performance.mark`s made by the content script (see `src/ext/marks.rs`; \
           `wasm-ready` by `content.js` once the glue is imported and the wasm fetched, compiled and \
           instantiated); the page load is the navigation entry's `loadEventEnd`; keys are typed \
           through CDP `Input.dispatchKeyEvent`; keystroke latency is from a mark made before each key to \
           the verdict's `data-severity`/`data-rule` changing in our shadow root, seen from the page; the \
           Event Timing figures come from a second pass, on a fresh load, in which the page's own `input` \
           handler takes 20 ms in both browsers (Event Timing reports only events of 16 ms or more): a \
           keystroke's processing is the sum of its events' `processingEnd − processingStart`, its \
           INP-style latency the longest of their `duration`s; the storm's cost \
           is the main thread's busy time (CDP `TaskDuration`) from the storm to 100 ms after the box's \
           removal, after unrecorded warm-up storms and alternating which browser goes \
           first; long tasks are the page's own `longtask` entries, and those budgeted started after the \
           page's DOMContentLoaded on both sides (the page's own build task precedes any script of ours); \
           memory is after \
           `gc()` with `--enable-precise-memory-info`. Raw samples: `target/bench/`.\n";
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_measured_from_the_content_scripts_start() {
        let loads = json!([{ "content_start": 100.0, "panel": 130.0 }, { "content_start": 50.0, "panel": null }]);
        assert_eq!(since_start(&loads, "panel"), [30.0]);
    }

    #[test]
    fn a_figure_over_its_budget_is_missed() {
        let figure = |value| Figure { id: "x".into(), what: "x".into(), value, unit: "ms", budget: Some(16.0) };
        assert!(figure(16.0).ok());
        assert!(!figure(16.1).ok());
    }

    #[test]
    fn gzip_shrinks_repetitive_bytes() {
        assert!(gzip_size(&[b'a'; 10_000]) < 200);
    }
}
