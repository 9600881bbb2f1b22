//! Where things are: the fixed ports of the demo and the folders the pipeline writes or serves.

use std::path::PathBuf;

use crate::tools::repo_root;

/// Fixed ports, so the demo's printed URLs and its environment stay the same between runs.
pub const CONSOLE_PORT: u16 = 8786;
pub const SANDBOX_PORT: u16 = 8787;

/// The built extensions and the store zip.
pub fn dist_dir() -> PathBuf {
    repo_root().join("dist")
}

/// The replica console the demo and the tests serve.
pub fn replica_console() -> PathBuf {
    repo_root().join("www/demo")
}
