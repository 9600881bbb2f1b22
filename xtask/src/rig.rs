//! The end-to-end rig: both builds of the extension, the replica console, the sandbox and
//! chromedriver, for `cargo xtask test`, `e2e` and `bench`.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::build::{self, Flavor};
use crate::places::{dist_dir, replica_console};
use crate::sandbox::{self, Sandbox};
use crate::tools::{self, cargo, repo_root, target_dir};
use crate::{serve, Result};

/// What the end-to-end tests run against: both builds, the replica console, the sandbox and
/// chromedriver. The servers stop when it is dropped.
pub struct E2eRig {
    dev: std::path::PathBuf,
    release: std::path::PathBuf,
    console: String,
    sandbox: Sandbox,
    chromedriver: Child,
    webdriver: String,
    chromium: std::path::PathBuf,
    axe: std::path::PathBuf,
}

impl E2eRig {
    pub fn start(browser: &tools::Browser) -> Result<E2eRig> {
        let release = build::run(Flavor::Release)?;
        let dev = build::run(Flavor::Dev)?;
        let console = serve::start(replica_console(), 0)?;
        let sandbox = sandbox::start(0)?;
        let axe = tools::ensure_axe()?;
        let (chromedriver, webdriver) = start_chromedriver(&browser.chromedriver)?;
        Ok(E2eRig {
            dev,
            release,
            console: format!("http://{console}"),
            sandbox,
            chromedriver,
            webdriver,
            chromium: browser.chromium.clone(),
            axe,
        })
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
            .env("PA_E2E_RELEASE_ZIP", dist_dir().join(format!("piaozone-assist-{}.zip", build::version()?)))
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
