//! Shared by the integration tests: a sandbox process on a free port, raw HTTP against it, runs of
//! the binary checked never to print a secret, and a temporary folder for generated files.

#![allow(dead_code)] // each test crate uses its own subset

pub mod lists;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_piaozone-assist");

pub const PROD_ID: &str = "pz_prod_demo";
pub const PROD_SECRET: &str = "prod-demo-secret";
pub const TEST_ID: &str = "pz_test_demo";
pub const TEST_SECRET: &str = "test-demo-secret";

/// A running `piaozone-assist sandbox --port 0`, killed on drop; its stderr is collected.
pub struct Sandbox {
    child: Child,
    pub port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Sandbox {
    pub fn start(extra_args: &[&str]) -> Sandbox {
        let mut child = Command::new(BIN)
            .args(["sandbox", "--port", "0"])
            .args(extra_args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the sandbox starts");
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
        let port = first_line
            .trim()
            .strip_prefix("sandbox listening on http://127.0.0.1:")
            .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"))
            .parse()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        let mut pipe = child.stderr.take().unwrap();
        thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = pipe.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..read]));
            }
        });
        Sandbox { child, port, stderr }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The log so far; waits a little, since lines are written after the answer.
    pub fn log(&self) -> String {
        thread::sleep(Duration::from_millis(100));
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What came back on a raw connection: the whole response as text, or nothing at all.
pub struct RawResponse {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// One HTTP/1.1 request with `Connection: close`; `None` if the connection closed without a byte.
pub fn http(port: u16, method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Option<RawResponse> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut request =
        format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut received = Vec::new();
    let _ = stream.read_to_end(&mut received);
    if received.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&received).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    Some(RawResponse { status, head: head.to_owned(), body: body.to_owned() })
}

/// MD5/SHA-256/HMAC signatures made by Python, so the tests do not check the code with itself:
///   python3 -c 'import hashlib,hmac; c,s,t="pz_prod_demo","prod-demo-secret","1700000000000"; m=(c+s+t).encode(); print(hashlib.md5(m).hexdigest(), hashlib.sha256(m).hexdigest(), hmac.new(s.encode(),m,hashlib.sha256).hexdigest())'
pub const PROD_TIMESTAMP: &str = "1700000000000";
pub const PROD_SIGNS: [(Option<&str>, &str); 3] = [
    (None, "1daf6e4207fc4c8d3fc961796720f899"),
    (Some("1"), "311c61f37231ff0ba9d2bf0320447c4b110c66f0ea57bc390348b91a7f10fe63"),
    (Some("2"), "3408eccff1202a3873636692af08cb295cc6eeb483573c50880b4acf30bfd401"),
];

/// A finished run of the binary: its exit code and what it printed.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The run, after checking that neither output holds one of `secrets`, a signature or a token.
    pub fn checked(output: Output, secrets: &[&str]) -> Run {
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        };
        for text in [&run.stdout, &run.stderr] {
            for secret in secrets.iter().filter(|s| !s.is_empty()) {
                assert!(!text.contains(secret), "a secret was printed: {text}");
            }
            assert!(longest_hex_run(text) < 32, "a signature or token was printed: {text}");
        }
        run
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| panic!("{error}: {}\n{}", self.stdout, self.stderr))
    }

    pub fn kind(&self) -> String {
        self.json()["outcome"]["kind"].as_str().unwrap().to_owned()
    }
}

/// Signatures (MD5 32, SHA-256 64 hex digits) and the sandbox's tokens (32) are long hex runs.
pub fn longest_hex_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_hexdigit()).map(str::len).max().unwrap_or(0)
}

/// A folder under the system's temporary one for a test's generated files, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("pa-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Writes `bytes` as `name` in it and returns the file's path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A minimal HTTP proxy: CONNECT tunnels, and absolute-form requests forwarded in origin form.
/// It records each request line, and everything that passed through it.
pub struct Proxy {
    pub port: u16,
    request_lines: Arc<Mutex<Vec<String>>>,
    pub traffic: Arc<Mutex<Vec<u8>>>,
}

impl Proxy {
    pub fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let request_lines = Arc::new(Mutex::new(Vec::new()));
        let traffic = Arc::new(Mutex::new(Vec::new()));
        let (lines, seen) = (Arc::clone(&request_lines), Arc::clone(&traffic));
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (lines, seen) = (Arc::clone(&lines), Arc::clone(&seen));
                thread::spawn(move || proxy_connection(client, &lines, &seen));
            }
        });
        Proxy { port, request_lines, traffic }
    }

    pub fn lines(&self) -> Vec<String> {
        self.request_lines.lock().unwrap().clone()
    }
}

fn proxy_connection(mut client: TcpStream, lines: &Mutex<Vec<String>>, seen: &Arc<Mutex<Vec<u8>>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let (request_line, rest_of_head) = head.split_once("\r\n").unwrap();
    lines.lock().unwrap().push(request_line.to_owned());
    let mut parts = request_line.split(' ');
    let (method, target, version) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    if method == "CONNECT" {
        let Ok(upstream) = TcpStream::connect(target) else {
            let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
            return;
        };
        client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").unwrap();
        splice(client, upstream, seen);
    } else {
        let without_scheme = target.strip_prefix("http://").expect("absolute form");
        let (authority, path) = without_scheme.split_at(without_scheme.find('/').unwrap_or(without_scheme.len()));
        let mut upstream = TcpStream::connect(authority).unwrap();
        upstream.write_all(format!("{method} {path} {version}\r\n{rest_of_head}").as_bytes()).unwrap();
        splice(client, upstream, seen);
    }
}

fn splice(client: TcpStream, upstream: TcpStream, seen: &Arc<Mutex<Vec<u8>>>) {
    let copy = |mut from: TcpStream, mut to: TcpStream, seen: Arc<Mutex<Vec<u8>>>| {
        let mut buffer = [0u8; 8192];
        while let Ok(read) = from.read(&mut buffer) {
            if read == 0 || to.write_all(&buffer[..read]).is_err() {
                break;
            }
            seen.lock().unwrap().extend_from_slice(&buffer[..read]);
        }
        let _ = to.shutdown(Shutdown::Write);
    };
    let (client2, upstream2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
    let seen2 = Arc::clone(seen);
    let up = thread::spawn(move || copy(client, upstream, seen2));
    copy(upstream2, client2, Arc::clone(seen));
    let _ = up.join();
}
