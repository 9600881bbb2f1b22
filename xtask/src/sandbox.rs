//! The Piaozone sandbox the demo and the end-to-end rig run: `piaozone-assist sandbox`.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use crate::tools::{self, cargo, repo_root, run_command};
use crate::Result;

pub struct Sandbox {
    pub child: Child,
    pub url: String,
}

/// Builds the CLI and starts `piaozone-assist sandbox`, returning once it listens.
pub fn start(port: u16) -> Result<Sandbox> {
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
