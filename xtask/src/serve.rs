//! A static server for the replica console (`www/demo/`), used by the demo and the tests.
//! Under `/csp/` the same files come with a CSP that forbids WebAssembly, as some hardened
//! deployments send, so the extension's "blocked" path can be shown and tested.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};

use tiny_http::{Header, Response, Server};

use crate::Result;

const STRICT_CSP: &str = "script-src 'self' 'unsafe-inline'; object-src 'none'";

/// Serves `root` on 127.0.0.1:`port` (0 = any free port) from a background thread.
pub fn start(root: PathBuf, port: u16) -> Result<SocketAddr> {
    let server = Server::http(("127.0.0.1", port)).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = server.server_addr().to_ip().ok_or("not an IP listener")?;
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let root = root.clone();
            std::thread::spawn(move || {
                let url = request.url().split(['?', '#']).next().unwrap_or("/").to_string();
                let (path, strict) = match url.strip_prefix("/csp") {
                    Some(rest) if rest.starts_with('/') => (rest.to_string(), true),
                    _ => (url, false),
                };
                let _ = match resolve(&root, &path).and_then(|file| std::fs::read(&file).ok().map(|b| (file, b))) {
                    Some((file, bytes)) => {
                        let mut response = Response::from_data(bytes).with_header(header("Content-Type", content_type(&file)));
                        response.add_header(header("Cache-Control", "no-store"));
                        if strict {
                            response.add_header(header("Content-Security-Policy", STRICT_CSP));
                        }
                        request.respond(response)
                    }
                    None => request.respond(Response::from_string("not found").with_status_code(404)),
                };
            });
        }
    });
    Ok(addr)
}

/// A request path inside `root` (no `..`), with `index.html` for folders.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let path = root.join(relative);
    let path = if path.is_dir() { path.join("index.html") } else { path };
    path.is_file().then_some(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root() {
        let root = crate::tools::repo_root().join("www");
        assert!(resolve(&root, "/content.js").is_some());
        assert!(resolve(&root, "/../Cargo.toml").is_none());
        assert!(resolve(&root, "/%2e%2e/Cargo.toml").is_none());
        assert!(resolve(&root, "/missing.html").is_none());
    }
}
