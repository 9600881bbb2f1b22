//! `cargo xtask build`: the wasm, its JS glue, the static files and the manifest, assembled into
//! `dist/extension` (+ the store zip), or `dist/extension-dev` for the demo and the tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::places::{dist_dir, SANDBOX_PORT};
use crate::tools::{self, cargo, repo_root, run_command};
use crate::Result;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// What goes to the store: only the two Piaozone hosts, nothing local.
    Release,
    /// Demo and tests: also runs on 127.0.0.1/localhost without a click, with a fixed id.
    Dev,
}

impl Flavor {
    pub fn from_dev_flag(dev: bool) -> Flavor {
        if dev {
            Flavor::Dev
        } else {
            Flavor::Release
        }
    }

    fn dir_name(self) -> &'static str {
        match self {
            Flavor::Release => "extension",
            Flavor::Dev => "extension-dev",
        }
    }
}

/// The id Chromium gives the dev build, derived from the public key in `dev-extension-key.txt`
/// (first 32 hex digits of its SHA-256, mapped 0-f → a-p). Tests use it to open our pages.
pub const DEV_EXTENSION_ID: &str = "iodjohcjimimfbkmmbijkocjopadkegh";

/// Local hosts the dev build may reach and run on (the sandbox and the replica console).
const DEV_HOSTS: [&str; 2] = ["http://127.0.0.1/*", "http://localhost/*"];

/// Static files copied as they are from `www/`.
const STATIC_FILES: [&str; 10] = [
    "content.js",
    "fallback.js",
    "background.js",
    "popup.html",
    "popup.js",
    "options.html",
    "options.js",
    "sidepanel.html",
    "sidepanel.js",
    "managed_schema.json",
];

/// Builds one flavor and returns its unpacked folder.
pub fn run(flavor: Flavor) -> Result<PathBuf> {
    tools::ensure_wasm_target()?;
    let bindgen = tools::wasm_bindgen_bin_dir()?.join("wasm-bindgen");
    let root = repo_root();
    let out = dist_dir().join(flavor.dir_name());
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    for part in WASM_PARTS {
        let wasm = build_wasm(part.feature)?;
        run_command(
            Command::new(&bindgen)
                .args(["--target", "web", "--no-typescript", "--remove-name-section", "--remove-producers-section"])
                .args(["--out-name", part.name])
                .arg("--out-dir")
                .arg(out.join(part.dir))
                .arg(&wasm),
        )?;
    }
    let www = root.join("www");
    for file in STATIC_FILES {
        copy(&www.join(file), &out.join(file))?;
    }
    if flavor == Flavor::Dev {
        dev_loader(&out.join("content.js"))?;
    }
    copy_dir(&www.join("icons"), &out.join("icons"))?;
    copy_dir(&www.join("_locales"), &out.join("_locales"))?;
    // The page module numbers the guide's English; the worker reads them from here (`ext::english`).
    write(&out.join("english.json"), &serde_json::to_string(&piaozone_assist::core::i18n::ENGLISH[..]).unwrap())?;
    let manifest = manifest(flavor)?;
    write(&out.join("manifest.json"), &serde_json::to_string_pretty(&manifest).unwrap())?;
    if flavor == Flavor::Dev {
        write(&out.join("environments.dev.json"), &serde_json::to_string_pretty(&dev_environments()).unwrap())?;
    }
    if flavor == Flavor::Release {
        let zip = dist_dir().join(format!("piaozone-assist-{}.zip", version()?));
        zip_dir(&out, &zip)?;
        eprintln!("xtask: {}", zip.display());
    }
    eprintln!("xtask: {} ready", out.display());
    Ok(out)
}

/// The dev build's loader: our shadow root open for the tests' WebDriver shadow-root commands, and
/// the bench's marks and memory probe (see `www/content.js`).
fn dev_loader(loader: &Path) -> Result<()> {
    const STORE: &str = "const DEV_BUILD = false;";
    let text = std::fs::read_to_string(loader).map_err(|e| format!("{}: {e}", loader.display()))?;
    if !text.contains(STORE) {
        return Err(format!("{}: no `{STORE}` to turn into the dev build's", loader.display()));
    }
    write(loader, &text.replace(STORE, "const DEV_BUILD = true;"))
}

/// One wasm module of the extension: the crate built with `feature`, bound as `dir/name.js` +
/// `dir/name_bg.wasm`.
struct WasmPart {
    feature: &'static str,
    dir: &'static str,
    name: &'static str,
}

/// The content script's module (what every console page downloads), the extension pages' (the side
/// panel, the options page and the popup: never web-accessible), the background worker's, and the list reader the page (or the side panel) loads only
/// when the admin picks a company list (对照清单).
const WASM_PARTS: [WasmPart; 4] = [
    WasmPart { feature: "page,english-file", dir: "pkg", name: "piaozone_assist" },
    WasmPart { feature: "side,settings", dir: "pages", name: "pages" },
    WasmPart { feature: "worker", dir: "worker", name: "worker" },
    WasmPart { feature: "lists", dir: "lists", name: "lists" },
];

/// Builds the crate's wasm with one feature and returns the module cargo wrote. The features are
/// built one after the other because all write the same output path.
fn build_wasm(feature: &str) -> Result<PathBuf> {
    run_command(cargo().current_dir(repo_root()).args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "--package",
        "piaozone-assist",
        "--lib",
        "--no-default-features",
        "--features",
        feature,
    ]))?;
    Ok(tools::target_dir().join("wasm32-unknown-unknown/release/piaozone_assist.wasm"))
}

/// The version of the extension crate, from the workspace manifest.
pub fn version() -> Result<String> {
    let text = std::fs::read_to_string(repo_root().join("Cargo.toml")).map_err(|e| e.to_string())?;
    text.lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .map(|v| v.trim_end_matches('"').to_string())
        .ok_or_else(|| "no version in Cargo.toml".into())
}

/// `manifest.json` filled in: the version, and for the dev build the local hosts, a static content
/// script there (no popup click needed in tests) and a fixed key.
fn manifest(flavor: Flavor) -> Result<Value> {
    let path = repo_root().join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut m: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    m["version"] = json!(version()?);
    if flavor == Flavor::Dev {
        m["name"] = json!("发票云配置助手 (dev)");
        let hosts = m["host_permissions"].as_array_mut().ok_or("manifest: host_permissions")?;
        hosts.extend(DEV_HOSTS.iter().map(|h| json!(h)));
        m["content_scripts"] = json!([{
            "matches": DEV_HOSTS, "js": ["content.js"], "all_frames": true, "run_at": "document_idle"
        }]);
        let key = std::fs::read_to_string(repo_root().join("xtask/dev-extension-key.txt")).map_err(|e| e.to_string())?;
        m["key"] = json!(key.trim());
    }
    Ok(m)
}

/// The demo sandbox's production/test pair (`cargo xtask demo` runs it on this port), so that the
/// connection test's environment probe works in the demo without touching the options page.
fn dev_environments() -> Value {
    let base = format!("http://127.0.0.1:{}", SANDBOX_PORT);
    let name = "演示沙箱 / demo sandbox";
    json!([{ "name": name, "production": base, "test": format!("{base}/test") }])
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("copy {}: {e}", from.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            copy(&entry.path(), &target)?;
        }
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The store upload: the unpacked folder's files at the zip's root.
fn zip_dir(dir: &Path, zip_path: &Path) -> Result<()> {
    let file = std::fs::File::create(zip_path).map_err(|e| format!("{}: {e}", zip_path.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort(); // reproducible order
    for path in files {
        let name = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        std::io::Write::write_all(&mut zip, &bytes).map_err(|e| e.to_string())?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(())
}
