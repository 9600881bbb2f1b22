//! `cargo xtask demo`: build the dev extension, start the sandbox and the replica console, and say
//! how to load the extension. Runs until interrupted.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use crate::build::{self, Flavor};
use crate::tools::{self, cargo, repo_root, run_command};
use crate::{serve, Result};

/// Fixed ports, so the printed URLs and the demo environment stay the same between runs.
pub const CONSOLE_PORT: u16 = 8786;
pub const SANDBOX_PORT: u16 = 8787;

pub fn run(open: bool) -> Result<()> {
    let extension = build::run(Flavor::Dev)?;
    let sandbox = start_sandbox(SANDBOX_PORT)?;
    let console = serve::start(repo_root().join("www/demo"), CONSOLE_PORT)?;
    let start_page = format!("http://{console}/index.html");
    println!(
        "\n发票云配置助手 demo is running.\n\n\
         replica console : {start_page}\n\
         sandbox API     : {} (production) and {}/test (test)\n\
         extension       : {}\n\n\
         Load it in Chrome or Edge:\n\
         1. open chrome://extensions (Edge: edge://extensions) and turn on Developer mode;\n\
         2. click “Load unpacked” and choose the folder above;\n\
         3. open {start_page} and pick 发票云授权配置 (the dev build runs on 127.0.0.1 without a click).\n\n\
         Press Ctrl-C to stop.",
        sandbox.url,
        sandbox.url,
        extension.display()
    );
    if open {
        let browser = tools::ensure_browser()?;
        let profile = tools::target_dir().join("demo-profile");
        Command::new(&browser.chromium)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--load-extension={}", extension.display()))
            .arg(format!("--disable-extensions-except={}", extension.display()))
            .args(["--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            .arg(&start_page)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", browser.chromium.display()))?;
    }
    let mut child = sandbox.child;
    child.wait().map_err(|e| e.to_string())?;
    Err("the sandbox stopped".into())
}

pub struct Sandbox {
    pub child: Child,
    pub url: String,
}

/// Builds the CLI and starts `piaozone-assist sandbox`, returning once it listens.
pub fn start_sandbox(port: u16) -> Result<Sandbox> {
    run_command(cargo().current_dir(repo_root()).args(["build", "--quiet", "--package", "piaozone-assist-cli"]))?;
    let binary = tools::target_dir().join("debug/piaozone-assist");
    let mut child = tools::dies_with_us(&mut Command::new(&binary))
        .args(["sandbox", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).map_err(|e| e.to_string())?;
    // Keep reading, so anything the sandbox prints later never meets a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let url = first
        .trim()
        .strip_prefix("sandbox listening on ")
        .ok_or_else(|| format!("the sandbox did not start (port {port} taken?): {first:?}"))?
        .to_string();
    Ok(Sandbox { child, url })
}
