//! `cargo xtask test`: installs what is missing, then runs every test (native, browser,
//! end-to-end) and ends with one line `N passed, M failed`.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::build::{self, Flavor};
use crate::tools::{self, cargo, repo_root, target_dir};
use crate::{demo, serve, Result};

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    failed_suites: Vec<String>,
}

impl Tally {
    /// Runs one cargo test invocation, echoing its output and adding up its `test result:` lines.
    fn suite(&mut self, name: &str, cmd: &mut Command) {
        eprintln!("\n== {name}");
        let started = Instant::now();
        let mut child = match cmd.stdout(Stdio::piped()).spawn() {
            Ok(child) => child,
            Err(e) => {
                eprintln!("cannot start {name}: {e}");
                self.failed_suites.push(name.into());
                return;
            }
        };
        let mut counted_failures = 0;
        for line in BufReader::new(child.stdout.take().unwrap()).lines().map_while(|l| l.ok()) {
            println!("{line}");
            if let Some((passed, failed)) = parse_result(&line) {
                self.passed += passed;
                self.failed += failed;
                counted_failures += failed;
            }
        }
        let ok = child.wait().map(|s| s.success()).unwrap_or(false);
        if !ok {
            self.failed_suites.push(name.into());
            if counted_failures == 0 {
                self.failed += 1; // a build failure or crash counts as one failure
            }
        }
        eprintln!("== {name}: {} in {:.1}s", if ok { "ok" } else { "FAILED" }, started.elapsed().as_secs_f64());
    }
}

/// `test result: ok. 12 passed; 0 failed; …` → (12, 0).
fn parse_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number = |word: &str| {
        rest.split(';').find_map(|part| part.trim().strip_suffix(word).and_then(|n| n.trim().rsplit(' ').next()?.parse().ok()))
    };
    Some((number(" passed")?, number(" failed")?))
}

pub fn run() -> Result<()> {
    let started = Instant::now();
    let browser = tools::ensure_browser()?;
    tools::ensure_wasm_target()?;
    let bindgen_bin = tools::wasm_bindgen_bin_dir()?;
    let tmp = target_dir().join("tmp");
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let mut tally = Tally::default();

    tally.suite(
        "native tests (core, cli, xtask)",
        cargo().current_dir(repo_root()).args([
            "test", "--package", "piaozone-assist", "--package", "piaozone-assist-cli", "--package", "xtask",
            "--no-default-features",
        ]),
    );

    tally.suite(
        "browser tests (wasm-bindgen-test, headless Chromium)",
        cargo()
            .current_dir(repo_root())
            .args(["test", "--package", "piaozone-assist", "--target", "wasm32-unknown-unknown", "--test", "web"])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", bindgen_bin.join("wasm-bindgen-test-runner"))
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "60")
            .env("TMPDIR", &tmp),
    );

    let rig = E2eRig::start(&browser)?;
    let mut e2e = rig.cargo_test()?;
    tally.suite("end-to-end tests (built extension, headless Chromium)", e2e.args(["--", "--test-threads=2"]));
    drop(rig);

    eprintln!("\nall suites in {:.0}s", started.elapsed().as_secs_f64());
    if !tally.failed_suites.is_empty() {
        eprintln!("failed: {}", tally.failed_suites.join(", "));
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 && tally.failed_suites.is_empty() {
        Ok(())
    } else {
        Err("tests failed".into())
    }
}

/// Only the end-to-end suite, on the same rig as `run`, with `args` passed to `cargo test`.
pub fn run_e2e(args: &[String]) -> Result<()> {
    let browser = tools::ensure_browser()?;
    tools::ensure_wasm_target()?;
    let rig = E2eRig::start(&browser)?;
    let ok = rig.cargo_test()?.args(args).status().map_err(|e| e.to_string())?.success();
    drop(rig);
    if ok { Ok(()) } else { Err("end-to-end tests failed".into()) }
}

/// What the end-to-end tests run against: both builds, the replica console, the sandbox and
/// chromedriver. The servers stop when it is dropped.
pub struct E2eRig {
    dev: std::path::PathBuf,
    release: std::path::PathBuf,
    console: String,
    sandbox: demo::Sandbox,
    chromedriver: Child,
    webdriver: String,
    chromium: std::path::PathBuf,
    axe: std::path::PathBuf,
}

impl E2eRig {
    pub fn start(browser: &tools::Browser) -> Result<E2eRig> {
        let release = build::run(Flavor::Release)?;
        let dev = build::run(Flavor::Dev)?;
        let console = serve::start(repo_root().join("www/demo"), 0)?;
        let sandbox = demo::start_sandbox(0)?;
        let axe = tools::ensure_axe()?;
        let (chromedriver, webdriver) = start_chromedriver(&browser.chromedriver)?;
        Ok(E2eRig { dev, release, console: format!("http://{console}"), sandbox, chromedriver, webdriver, chromium: browser.chromium.clone(), axe })
    }

    /// `cargo test --package e2e` with everything the harness (`e2e::Env`) reads.
    pub fn cargo_test(&self) -> Result<Command> {
        let tmp = target_dir().join("tmp");
        std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
        let mut command = cargo();
        command
            .current_dir(repo_root())
            .args(["test", "--package", "e2e"])
            .env("PA_E2E_EXTENSION", &self.dev)
            .env("PA_E2E_EXTENSION_ID", build::DEV_EXTENSION_ID)
            .env("PA_E2E_RELEASE", &self.release)
            .env("PA_E2E_RELEASE_ZIP", build::dist_dir().join(format!("piaozone-assist-{}.zip", build::version()?)))
            .env("PA_E2E_CONSOLE", &self.console)
            .env("PA_E2E_SANDBOX", &self.sandbox.url)
            .env("PA_E2E_WEBDRIVER", &self.webdriver)
            .env("PA_E2E_CHROMIUM", &self.chromium)
            .env("PA_E2E_ARTIFACTS", target_dir().join("e2e"))
            .env("PA_E2E_AXE", &self.axe)
            .env("TMPDIR", &tmp);
        Ok(command)
    }
}

impl Drop for E2eRig {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.sandbox.child.kill();
    }
}

/// Starts chromedriver on a free port and waits until it answers.
fn start_chromedriver(binary: &std::path::Path) -> Result<(Child, String)> {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let child = tools::dies_with_us(&mut Command::new(binary))
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok((child, format!("http://127.0.0.1:{port}")));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("chromedriver did not start within 20 s".into())
}

#[cfg(test)]
mod tests {
    use super::parse_result;

    #[test]
    fn reads_cargo_and_wasm_bindgen_result_lines() {
        assert_eq!(parse_result("test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s"), Some((12, 0)));
        assert_eq!(parse_result("test result: FAILED. 3 passed; 2 failed; 0 ignored"), Some((3, 2)));
        assert_eq!(parse_result("running 3 tests"), None);
    }
}
