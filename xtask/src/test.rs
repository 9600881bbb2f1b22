//! `cargo xtask test`: installs what is missing, then runs every test (native, browser,
//! end-to-end) and ends with one line `N passed, M failed`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::rig::E2eRig;
use crate::tools::{self, cargo, repo_root, target_dir};
use crate::Result;

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

    // Format and lints first: the whole tree, every target the extension and the CLI build for.
    tools::ensure_lint_components()?;
    tally.suite("format (cargo fmt --check)", cargo().current_dir(repo_root()).args(["fmt", "--all", "--check"]));
    tally.suite(
        "lints, native (clippy, all targets)",
        cargo().current_dir(repo_root()).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
    );
    for features in ["page", "page,english-file", "side,settings", "worker", "lists"] {
        tally.suite(
            &format!("lints, wasm {features} (clippy)"),
            cargo()
                .current_dir(repo_root())
                .args(["clippy", "--package", "piaozone-assist", "--lib", "--no-default-features", "--features", features])
                .args(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"]),
        );
    }
    tally.suite(
        "lints, wasm browser tests (clippy)",
        cargo().current_dir(repo_root()).args([
            "clippy",
            "--package",
            "piaozone-assist",
            "--tests",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    );

    tally.suite(
        "native tests (core, cli, xtask)",
        cargo().current_dir(repo_root()).args([
            "test",
            "--package",
            "piaozone-assist",
            "--package",
            "piaozone-assist-cli",
            "--package",
            "xtask",
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
    if ok {
        Ok(())
    } else {
        Err("end-to-end tests failed".into())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_result;

    #[test]
    fn reads_cargo_and_wasm_bindgen_result_lines() {
        assert_eq!(
            parse_result("test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s"),
            Some((12, 0))
        );
        assert_eq!(parse_result("test result: FAILED. 3 passed; 2 failed; 0 ignored"), Some((3, 2)));
        assert_eq!(parse_result("running 3 tests"), None);
    }
}
