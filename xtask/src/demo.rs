//! `cargo xtask demo`: build the dev extension, start the sandbox and the replica console, and say
//! how to load the extension. Runs until interrupted.

use std::process::Command;

use crate::build::{self, Flavor};
use crate::places::{replica_console, CONSOLE_PORT, SANDBOX_PORT};
use crate::tools;
use crate::{sandbox, serve, Result};

pub fn run(open: bool) -> Result<()> {
    let extension = build::run(Flavor::Dev)?;
    let sandbox = sandbox::start(SANDBOX_PORT)?;
    let console = serve::start(replica_console(), CONSOLE_PORT)?;
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
