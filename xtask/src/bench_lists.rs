//! The company-list figures of `cargo xtask bench`: `check --companies` on a generated list of
//! 50,000 rows (wall time and peak memory of the release binary, as an implementer runs it), and
//! `doctor --companies` on 200 rows against the sandbox (wall time at the default `--parallel 4`).
//! `cargo xtask bench --lists` runs only these.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use piaozone_assist::core::validate::with_check_characters;

use crate::bench::Figure;
use crate::stats::summarize;
use crate::tools::{cargo, repo_root, run_command, target_dir};
use crate::Result;

const CHECK_ROWS: usize = 50_000;
const DOCTOR_ROWS: usize = 200;
const RUNS: usize = 3;

fn tax_id(n: usize) -> String {
    with_check_characters(&format!("91440300{:08}", 10_000_000 + n)).expect("digits are in the code's charset")
}

/// A list as customers send them: mostly good rows, one in a hundred with a mistyped check
/// character, one in two hundred repeated.
fn write_list(path: &Path, rows: usize) -> Result<()> {
    let mut text = String::from("企业名称,纳税人识别号,Client id,Client Secret,Encrypt Key,备注\r\n");
    for n in 0..rows {
        let mut tax = tax_id(n);
        if n % 100 == 99 {
            tax.replace_range(17.., if tax.ends_with('0') { "1" } else { "0" });
        }
        let source = if n % 200 == 199 { n - 1 } else { n };
        text += &format!("深圳市测试{source}号科技有限公司,{tax},pz_list_{source},list-secret-{source},ListKey{source:09},\r\n");
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Runs `command` to its end: wall seconds and peak resident memory (MB), from `wait4`'s usage.
fn measure(command: &mut Command) -> Result<(f64, f64)> {
    let started = Instant::now();
    let child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().map_err(|e| format!("{command:?}: {e}"))?;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child, which is then reaped.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    if waited < 0 {
        return Err(format!("{command:?}: wait4 failed"));
    }
    // Exit 1 is a list with errors, as intended; anything else is a failure of the run.
    let code = libc::WEXITSTATUS(status);
    if !libc::WIFEXITED(status) || code > 1 {
        return Err(format!("{command:?} ended with status {status}"));
    }
    Ok((seconds, usage.ru_maxrss as f64 / 1024.0))
}

struct Sandbox(std::process::Child, u16);

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn sandbox(binary: &Path, accounts: &Path) -> Result<Sandbox> {
    let mut child = Command::new(binary)
        .args(["sandbox", "--port", "0", "--accounts"])
        .arg(accounts)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("sandbox: {e}"))?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().ok_or("sandbox: no stdout")?).read_line(&mut line).map_err(|e| e.to_string())?;
    let port = line.trim().rsplit(':').next().and_then(|p| p.parse().ok()).ok_or_else(|| format!("sandbox said {line:?}"))?;
    Ok(Sandbox(child, port))
}

pub fn figures() -> Result<Vec<Figure>> {
    run_command(cargo().current_dir(repo_root()).args(["build", "--release", "--package", "piaozone-assist-cli"]))?;
    let binary = target_dir().join("release/piaozone-assist");
    let dir: PathBuf = target_dir().join("bench-lists");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;

    let list = dir.join("companies-50000.csv");
    write_list(&list, CHECK_ROWS)?;
    let (mut times, mut peaks) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (seconds, peak) = measure(Command::new(&binary).arg("check").arg("--companies").arg(&list))?;
        times.push(seconds);
        peaks.push(peak);
    }

    let small = dir.join("companies-200.csv");
    write_list(&small, DOCTOR_ROWS)?;
    let accounts = dir.join("accounts-200.toml");
    let mut file = std::fs::File::create(&accounts).map_err(|e| e.to_string())?;
    for n in 0..DOCTOR_ROWS {
        writeln!(file, "[[production]]\nclient_id = \"pz_list_{n}\"\nclient_secret = \"list-secret-{n}\"\nencrypt_key = \"ListKey{n:09}\"")
            .map_err(|e| e.to_string())?;
    }
    let sandbox = sandbox(&binary, &accounts)?;
    let url = format!("http://127.0.0.1:{}", sandbox.1);
    let mut doctor_times = Vec::new();
    for _ in 0..RUNS {
        let (seconds, _) = measure(Command::new(&binary).args(["doctor", "--companies"]).arg(&small).args(["--url", &url]))?;
        doctor_times.push(seconds);
    }
    drop(sandbox);

    let median = |samples: &[f64]| summarize(samples).map_or(f64::NAN, |s| s.median);
    Ok(vec![
        Figure {
            id: "list_check_50000_s".into(),
            what: format!("check --companies, {CHECK_ROWS} rows (release CLI, median of {RUNS})"),
            value: median(&times),
            unit: "s",
            budget: Some(5.0),
        },
        Figure {
            id: "list_check_50000_peak_mb".into(),
            what: format!("check --companies, {CHECK_ROWS} rows, peak resident memory (max of {RUNS})"),
            value: peaks.iter().copied().fold(0.0, f64::max),
            unit: "MB",
            budget: Some(256.0),
        },
        Figure {
            id: "list_doctor_200_s".into(),
            what: format!("doctor --companies, {DOCTOR_ROWS} rows against the local sandbox, --parallel 4 (median of {RUNS})"),
            value: median(&doctor_times),
            unit: "s",
            budget: None,
        },
    ])
}
