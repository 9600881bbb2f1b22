//! Finding and installing what the pipeline needs: the wasm target, wasm-bindgen-cli at exactly
//! the locked version, Chromium and chromedriver.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;

/// The checkout `cargo xtask` runs in. Read when it runs (cargo sets it for `cargo run`), not
/// when it was compiled: cargo reuses one xtask binary across checkouts that share a target dir,
/// so a compiled-in path would run another checkout's files (a CI clone testing the work tree).
pub fn repo_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    manifest_dir.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR"))).parent().unwrap().to_path_buf()
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs a command to completion, failing with its name when it fails.
pub fn run_command(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", cmd.get_program()))
    }
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"))
}

pub fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup not found ({e}); install the wasm32-unknown-unknown target yourself"))?;
    if String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    eprintln!("xtask: adding the wasm32-unknown-unknown target");
    run_command(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// rustfmt and clippy, which `cargo xtask test` runs first (in rustup's default profile, but a
/// minimal toolchain lacks them).
pub fn ensure_lint_components() -> Result<()> {
    let out = Command::new("rustup")
        .args(["component", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup not found ({e}); install rustfmt and clippy yourself"))?;
    let installed = String::from_utf8_lossy(&out.stdout).to_string();
    for component in ["rustfmt", "clippy"] {
        if !installed.lines().any(|l| l.starts_with(component)) {
            eprintln!("xtask: adding the {component} component");
            run_command(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

/// Where wasm-bindgen-cli lives: per version, so it is always the project's version. CI points
/// PA_TOOLS_DIR at a cache that outlives the clone; by default it is under target/.
fn tools_dir() -> PathBuf {
    std::env::var_os("PA_TOOLS_DIR").map(PathBuf::from).unwrap_or_else(|| target_dir().join("tools"))
}

/// Path of the bin folder holding `wasm-bindgen` and `wasm-bindgen-test-runner`, installing them
/// when missing.
pub fn wasm_bindgen_bin_dir() -> Result<PathBuf> {
    let version = locked_wasm_bindgen_version()?;
    let root = tools_dir().join(format!("wasm-bindgen-{version}"));
    let bin = root.join("bin");
    if bin.join("wasm-bindgen").exists() && bin.join("wasm-bindgen-test-runner").exists() {
        return Ok(bin);
    }
    eprintln!("xtask: installing wasm-bindgen-cli {version} into {} (about 3 minutes, once)", root.display());
    let install = |locked: bool| {
        let mut cmd = cargo();
        cmd.args(["install", "wasm-bindgen-cli", "--version", &version, "--root"]).arg(&root);
        if locked {
            cmd.arg("--locked");
        }
        run_command(&mut cmd)
    };
    // Its bundled lockfile pins crates the registry mirror may lack; then resolve afresh.
    install(true).or_else(|_| install(false))?;
    Ok(bin)
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|dir| Path::new(dir).join(name)).find(|p| p.is_file())
}

pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// A CJK font, or every Chinese label in screenshots renders as empty boxes.
const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

/// Chromium, chromedriver and a CJK font, installed through apt-get when we are root on
/// Debian/Ubuntu.
pub fn ensure_browser() -> Result<Browser> {
    let find = || {
        if !Path::new(CJK_FONT).exists() {
            return None;
        }
        let chromium = which("chromium").or_else(|| which("chromium-browser")).or_else(|| which("google-chrome"));
        let driver = std::env::var_os("CHROMEDRIVER").map(PathBuf::from).filter(|p| p.is_file()).or_else(|| which("chromedriver"));
        chromium.zip(driver).map(|(chromium, chromedriver)| Browser { chromium, chromedriver })
    };
    if let Some(found) = find() {
        return Ok(found);
    }
    let is_root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
    if !is_root || which("apt-get").is_none() {
        return Err("Chromium, chromedriver and a Chinese font are needed: install them (Debian/Ubuntu: `apt-get install chromium chromium-driver fonts-wqy-microhei`)".into());
    }
    eprintln!("xtask: installing chromium, chromium-driver and fonts-wqy-microhei with apt-get");
    run_command(Command::new("apt-get").args(["update", "-qq"]))?;
    run_command(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "chromium", "chromium-driver", "fonts-wqy-microhei"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    find().ok_or_else(|| "apt-get installed chromium but chromium/chromedriver are still not on PATH".into())
}

/// Makes a server we start die with us, even when we are killed (Ctrl-C in another terminal's
/// process group, a CI timeout's SIGTERM): no sandbox or chromedriver is left holding a port.
pub fn dies_with_us(cmd: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe and touches only the child being started.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    }
}

/// axe-core for the end-to-end accessibility audit, installed from npm into the target folder
/// when missing. Returns the path of `axe.min.js`.
pub fn ensure_axe() -> Result<PathBuf> {
    let prefix = target_dir().join("tools/axe");
    let script = prefix.join("node_modules/axe-core/axe.min.js");
    if script.exists() {
        return Ok(script);
    }
    if which("npm").is_none() {
        return Err("npm is needed once to install axe-core for the accessibility audit (Debian/Ubuntu: `apt-get install npm`)".into());
    }
    eprintln!("xtask: installing axe-core 4 from npm into {}", prefix.display());
    run_command(Command::new("npm").args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"]).arg(&prefix).arg("axe-core@4"))?;
    if script.exists() {
        Ok(script)
    } else {
        Err(format!("npm installed axe-core but {} is missing", script.display()))
    }
}
