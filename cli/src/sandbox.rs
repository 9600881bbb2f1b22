//! `piaozone-assist sandbox [--port N] [--accounts FILE] [--fault SPEC]`: a local stand-in for the
//! Piaozone token API, for demos and tests (the real one is not reachable from here).
//!
//! It listens on 127.0.0.1 only (default port 8765; `--port 0` picks a free one) and prints exactly
//! one line on stdout, `sandbox listening on http://127.0.0.1:PORT`, then serves until killed.
//!
//! # Environments
//! Production is served at `/` and test at `/test`, so `http://127.0.0.1:PORT` and
//! `http://127.0.0.1:PORT/test` form an environment pair, like `https://api.piaozone.com` and
//! `https://api-dev.piaozone.com/test`. The only endpoint is `POST {base}/base/oauth/token`.
//!
//! Each environment has its own accounts; keys of one are unknown to the other, as with Piaozone.
//!
//! | environment | kind       | client_id      | client_secret        | encrypt_key        |
//! |-------------|------------|----------------|----------------------|--------------------|
//! | production  | enterprise | `pz_prod_demo` | `prod-demo-secret`   | `ProdDemoKey16chr` |
//! | production  | tenant     | `TN_prod_demo` | `prod-tenant-secret` | `ProdTenantKey16c` |
//! | test        | enterprise | `pz_test_demo` | `test-demo-secret`   | `TestDemoKey16chr` |
//! | test        | tenant     | `TN_test_demo` | `test-tenant-secret` | `TestTenantKey16c` |
//!
//! These are demo values, published here on purpose. `--accounts FILE` replaces all of them:
//!
//! ```toml
//! [[production]]
//! client_id = "pz_prod_demo"
//! client_secret = "prod-demo-secret"
//! encrypt_key = "ProdDemoKey16chr"   # 16 characters, checked on load
//!
//! [[test]]
//! client_id = "pz_test_demo"
//! client_secret = "test-demo-secret"
//! encrypt_key = "TestDemoKey16chr"
//! ```
//!
//! Tenant (`TN_…`) accounts get a token like any other: whether the real endpoint refuses them is
//! unknown, and the connection test never sends them anyway.
//!
//! # Protocol
//! The request body is `{"client_id", "timestamp", "sign"}` plus an optional `encType` (`0`, `1`
//! or `2`, as a string or a number; absent means MD5). The sign must be the lower-case hex of
//! MD5 / SHA-256 / HMAC-SHA-256 (key = secret) over `client_id + client_secret + timestamp`.
//! The timestamp is not checked for freshness (the real window is unknown).
//!
//! Every answer to a well-formed call is HTTP 200 with Piaozone's flat JSON shape:
//!
//! | case | errcode | description |
//! |------|---------|-------------|
//! | success | `0000` | `操作成功`, with a random `access_token`, `token_type: "bearer"`, `expires_in: 129600` |
//! | body not a JSON object | `1000` | `请求参数格式错误` |
//! | `client_id` missing or empty | `1001` | `应用id不能为空` |
//! | `client_id` unknown in this environment | `1002` | `非法的客户id` |
//! | sign wrong, missing, or unknown `encType` | `1003` | `签名认证不通过` |
//!
//! The three descriptions are Piaozone's (the guide quotes them). The numeric codes other than
//! `0000` are the sandbox's own choice: Piaozone's real codes for these cases are not published
//! anywhere, so nothing may depend on them.
//! Other paths answer 404 and other methods 405, as plain text.
//!
//! # Faults
//! A fault SPEC is one or more of these, joined by commas (`slow=2000,status=502`):
//! - `slow=MS`: wait MS milliseconds (at most 30 000) before answering; a larger value is a bad
//!   spec (HTTP 400), not a silent cap, so that a demo never waits on a value it did not ask for;
//! - `status=CODE`: answer HTTP CODE (200–599) with a short plain-text body;
//! - `html`: answer 200 with an HTML page, as a captive portal or a misrouted proxy would;
//! - `garbage`: answer 200, `Content-Type: application/json`, with bytes that are not JSON;
//! - `reset`: close the connection without writing a byte;
//! - `echo`: answer 200 with a refusal whose `description` is the request body, as a misbehaving
//!   relay might (the body holds the client id, timestamp and sign, never the secret).
//!
//! A request picks its faults from, in this order, the first that is present: the header
//! `X-Sandbox-Fault: SPEC`, the query `?fault=SPEC`, a path prefix `/_fault/SPEC/…` (so a base URL
//! such as `http://127.0.0.1:PORT/_fault/html/test` works where headers cannot be set), and lastly
//! `--fault SPEC`, which applies to every request that names none.
//!
//! No CORS headers are ever sent: like Piaozone, the sandbox cannot be called from a web page,
//! only from the extension's background worker or a server.
//!
//! # Connections
//! One request per connection, answered with `Connection: close`. A local page can fire no-cors
//! requests at the sandbox, so what they can hold is bounded: [`WORKERS`] threads serve
//! connections (further ones wait in a queue of [`QUEUE`], then in the listen backlog), a request
//! must arrive whole within [`REQUEST_DEADLINE`] (else 408), and each write may block at most
//! [`WRITE_TIMEOUT`]. With `slow=` capped at 30 s, a worker is never held longer than about 45 s.
//!
//! # Logs
//! One line per request on stderr: method, path, environment, client id and outcome. Never the
//! secret, the sign or the token.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use piaozone_assist::core::piaozone::{sign, EncType, SUCCESS_ERRCODE, TOKEN_PATH};
use serde::Deserialize;
use serde_json::{json, Value};

pub const USAGE: &str = "usage: piaozone-assist sandbox [--port N] [--accounts FILE] [--fault SPEC]";
const DEFAULT_PORT: u16 = 8765;
const FAULT_HEADER: &str = "X-Sandbox-Fault";
const FAULT_PATH_PREFIX: &str = "/_fault/";
const TEST_PREFIX: &str = "/test";
const TOKEN_LIFETIME_SECONDS: u64 = 129_600;
/// A token request is a few hundred bytes; anything much larger is not one.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// Far more than any client sends before the body.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The most a `slow=` fault may wait: longer than any client's timeout worth testing.
const MAX_SLOW_MS: u64 = 30_000;
/// Threads serving connections: enough for the demo's calls in parallel, few enough that a flood
/// of slow requests cannot exhaust the machine (`tests/sandbox.rs` relies on this number).
const WORKERS: usize = 8;
/// Accepted connections waiting for a worker; beyond it the accept loop blocks.
const QUEUE: usize = 64;
/// A client on this machine sends its request in milliseconds; one that trickles is cut off.
const REQUEST_DEADLINE: Duration = Duration::from_secs(5);
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Account {
    client_id: String,
    client_secret: String,
    encrypt_key: String,
}

/// An `--accounts` file may hold real keys: `Debug` shows the client id only.
impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("encrypt_key", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Accounts {
    #[serde(default)]
    production: Vec<Account>,
    #[serde(default)]
    test: Vec<Account>,
}

impl Accounts {
    fn demo() -> Accounts {
        let account = |client_id: &str, client_secret: &str, encrypt_key: &str| Account {
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            encrypt_key: encrypt_key.to_owned(),
        };
        Accounts {
            production: vec![
                account("pz_prod_demo", "prod-demo-secret", "ProdDemoKey16chr"),
                account("TN_prod_demo", "prod-tenant-secret", "ProdTenantKey16c"),
            ],
            test: vec![
                account("pz_test_demo", "test-demo-secret", "TestDemoKey16chr"),
                account("TN_test_demo", "test-tenant-secret", "TestTenantKey16c"),
            ],
        }
    }

    fn load(path: &str) -> Result<Accounts, String> {
        let text = std::fs::read_to_string(path).map_err(|error| format!("cannot read {path}: {error}"))?;
        let accounts: Accounts = toml::from_str(&text).map_err(|error| format!("{path}: {error}"))?;
        for account in accounts.production.iter().chain(&accounts.test) {
            if account.client_id.is_empty() || account.client_secret.is_empty() {
                return Err(format!("{path}: client_id and client_secret must not be empty"));
            }
            let length = account.encrypt_key.chars().count();
            if length != 16 {
                return Err(format!("{path}: encrypt_key of {} has {length} characters, not 16", account.client_id));
            }
        }
        Ok(accounts)
    }

    fn of(&self, environment: Environment) -> &[Account] {
        match environment {
            Environment::Production => &self.production,
            Environment::Test => &self.test,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Environment {
    Production,
    Test,
}

impl Environment {
    fn name(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Test => "test",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Slow(u64),
    Status(u16),
    Html,
    Garbage,
    Reset,
    Echo,
}

fn parse_faults(spec: &str) -> Result<Vec<Fault>, String> {
    spec.split(',')
        .map(|part| {
            let part = part.trim();
            let fault = match part.split_once('=') {
                Some(("slow", ms)) => ms.parse().ok().filter(|&ms| ms <= MAX_SLOW_MS).map(Fault::Slow),
                Some(("status", code)) => code.parse().ok().filter(|code| (200..=599).contains(code)).map(Fault::Status),
                None if part == "html" => Some(Fault::Html),
                None if part == "garbage" => Some(Fault::Garbage),
                None if part == "reset" => Some(Fault::Reset),
                None if part == "echo" => Some(Fault::Echo),
                _ => None,
            };
            fault.ok_or_else(|| format!("bad fault {part:?}: use slow=MS (MS ≤ {MAX_SLOW_MS}), status=CODE, html, garbage, reset or echo"))
        })
        .collect()
}

struct Sandbox {
    accounts: Accounts,
    default_faults: Vec<Fault>,
}

pub fn run(args: Vec<String>) -> ExitCode {
    let (port, sandbox) = match parse_args(args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("piaozone-assist sandbox: {message}\n{USAGE}");
            return ExitCode::from(crate::EXIT_USAGE);
        }
    };
    let listener = match TcpListener::bind(("127.0.0.1", port)) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("piaozone-assist sandbox: cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map_or(port, |address| address.port());
    println!("sandbox listening on http://127.0.0.1:{port}");
    if std::io::stdout().flush().is_err() {
        return ExitCode::FAILURE;
    }
    let sandbox = Arc::new(sandbox);
    let (queue, connections) = mpsc::sync_channel::<TcpStream>(QUEUE);
    let connections = Arc::new(Mutex::new(connections));
    for _ in 0..WORKERS {
        let (sandbox, connections) = (Arc::clone(&sandbox), Arc::clone(&connections));
        thread::spawn(move || loop {
            // The lock is held only while waiting for the next connection, not while serving it.
            let next = connections.lock().expect("no worker panics holding it").recv();
            match next {
                Ok(stream) => sandbox.serve(stream),
                Err(_) => return,
            }
        });
    }
    for stream in listener.incoming() {
        // A failed accept (the client gave up, too many open files) concerns that client only.
        let Ok(stream) = stream else { continue };
        if queue.send(stream).is_err() {
            break;
        }
    }
    ExitCode::SUCCESS
}

fn parse_args(args: Vec<String>) -> Result<(u16, Sandbox), String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut port = DEFAULT_PORT;
    let mut accounts = Accounts::demo();
    let mut default_faults = Vec::new();
    while let Some(arg) = parser.next().map_err(|error| error.to_string())? {
        match arg {
            Long("port") => port = parser.value().map_err(|e| e.to_string())?.parse().map_err(|e| format!("--port: {e}"))?,
            Long("accounts") => {
                accounts = Accounts::load(&parser.value().map_err(|e| e.to_string())?.string().map_err(|_| "--accounts: not UTF-8")?)?
            }
            Long("fault") => {
                default_faults = parse_faults(&parser.value().map_err(|e| e.to_string())?.string().map_err(|_| "--fault: not UTF-8")?)?
            }
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    Ok((port, Sandbox { accounts, default_faults }))
}

/// What a request came for, once the fault prefix and the query are set aside.
struct Route<'a> {
    path: &'a str,
    faults: Result<Vec<Fault>, String>,
}

impl Sandbox {
    /// Serves one connection: one request, one answer (or none for `reset`), then close.
    fn serve(&self, mut stream: TcpStream) {
        let reply = match read_request(&mut stream) {
            Ok(request) => self.handle(&request),
            Err(ReadFailure::Closed) => None,
            Err(ReadFailure::TimedOut) => {
                eprintln!("sandbox: incomplete request -> 408");
                Some(Reply::text(408, "request timeout: send the whole request at once\n"))
            }
            Err(ReadFailure::Refused(status, message)) => {
                eprintln!("sandbox: unreadable request -> {status}");
                Some(Reply::text(status, message))
            }
        };
        if let Some(reply) = reply {
            reply.write(&mut stream);
        }
    }

    fn route<'a>(&self, request: &'a Request) -> Route<'a> {
        let (path, query) = request.target.split_once('?').unwrap_or((&request.target, ""));
        let (path, path_spec) = match path.strip_prefix(FAULT_PATH_PREFIX) {
            Some(rest) => match rest.find('/') {
                Some(slash) => (&rest[slash..], Some(&rest[..slash])),
                None => ("/", Some(rest)),
            },
            None => (path, None),
        };
        let header_spec = request.header(FAULT_HEADER);
        let query_spec = query.split('&').find_map(|pair| pair.strip_prefix("fault="));
        let faults = match header_spec.or(query_spec).or(path_spec) {
            Some(spec) => parse_faults(&percent_decode(spec)),
            None => Ok(self.default_faults.clone()),
        };
        Route { path, faults }
    }

    /// The answer to `request`; `None` to close without one.
    fn handle(&self, request: &Request) -> Option<Reply> {
        let method = &request.method;
        let route = self.route(request);
        let path = route.path;
        let environment = match path {
            p if p == TOKEN_PATH => Some(Environment::Production),
            p if p.strip_prefix(TEST_PREFIX) == Some(TOKEN_PATH) => Some(Environment::Test),
            _ => None,
        };
        let env_name = environment.map_or("-", Environment::name);
        let log = |client_id: &str, outcome: &str| eprintln!("sandbox: {method} {path} env={env_name} client_id={client_id} -> {outcome}");

        let faults = match route.faults {
            Ok(faults) => faults,
            Err(message) => {
                log("-", "bad fault spec");
                return Some(Reply::text(400, &message));
            }
        };
        for fault in &faults {
            if let Fault::Slow(ms) = fault {
                thread::sleep(Duration::from_millis(*ms));
            }
        }
        let body = request.body.as_deref();
        let client_id = client_id_for_log(body.unwrap_or(""));
        if let Some(fault) = faults.iter().find(|fault| !matches!(fault, Fault::Slow(_))) {
            log(&client_id, &format!("fault {fault:?}"));
            return match *fault {
                Fault::Reset => None,
                Fault::Status(code) => Some(Reply::text(code, &format!("sandbox fault: HTTP {code}\n"))),
                Fault::Html => Some(Reply { content_type: "text/html; charset=UTF-8", ..Reply::text(200, CAPTIVE_PORTAL_PAGE) }),
                Fault::Garbage => Some(Reply {
                    status: 200,
                    content_type: "application/json",
                    allow: false,
                    body: b"\x00\x1b[31m}{ not json \xff\xfe".to_vec(),
                }),
                Fault::Echo => Some(Reply {
                    status: 200,
                    content_type: "application/json",
                    allow: false,
                    body: json!({ "errcode": "9999", "description": format!("relay received: {}", body.unwrap_or("")) })
                        .to_string()
                        .into_bytes(),
                }),
                Fault::Slow(_) => unreachable!("slow faults were applied above"),
            };
        }
        let Some(environment) = environment else {
            log(&client_id, "404");
            return Some(Reply::text(404, "not found: the sandbox serves POST /base/oauth/token and POST /test/base/oauth/token\n"));
        };
        if method != "POST" {
            log(&client_id, "405");
            return Some(Reply { allow: true, ..Reply::text(405, "method not allowed: use POST\n") });
        }
        let verdict = match body {
            Some(body) => self.verify(environment, body),
            None => Verdict::BadJson,
        };
        log(&client_id, verdict.name());
        Some(Reply { content_type: "application/json;charset=UTF-8", ..Reply::text(200, &verdict.body().to_string()) })
    }

    fn verify(&self, environment: Environment, body: &str) -> Verdict {
        let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(body) else {
            return Verdict::BadJson;
        };
        let text = |name: &str| match fields.get(name) {
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Number(number)) => Some(number.to_string()),
            _ => None,
        };
        let Some(client_id) = text("client_id").filter(|id| !id.is_empty()) else {
            return Verdict::MissingClientId;
        };
        let Some(account) = self.accounts.of(environment).iter().find(|account| account.client_id == client_id) else {
            return Verdict::UnknownClientId;
        };
        let enc = match text("encType") {
            None => Some(EncType::Md5),
            Some(code) => code.parse().ok().and_then(EncType::from_code),
        };
        match (enc, text("timestamp"), text("sign")) {
            (Some(enc), Some(timestamp), Some(given)) if given == sign(&client_id, &account.client_secret, &timestamp, enc) => Verdict::Ok,
            _ => Verdict::BadSign,
        }
    }
}

/// One request as read from a connection.
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    /// `None` when the body is not UTF-8.
    body: Option<String>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(field, _)| field.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

enum ReadFailure {
    /// The client closed (or broke) the connection: nobody to answer.
    Closed,
    /// The request did not arrive whole within [`REQUEST_DEADLINE`].
    TimedOut,
    Refused(u16, &'static str),
}

/// Reads the head and the `Content-Length` body, all within [`REQUEST_DEADLINE`]: a per-read
/// timeout alone would let a client trickle one byte at a time and keep a worker for ever.
fn read_request(stream: &mut TcpStream) -> Result<Request, ReadFailure> {
    let deadline = Instant::now() + REQUEST_DEADLINE;
    let mut buffer = Vec::with_capacity(1024);
    let (head_length, mut request, content_length) = loop {
        let mut fields = [httparse::EMPTY_HEADER; 64];
        let mut head = httparse::Request::new(&mut fields);
        match head.parse(&buffer) {
            Ok(httparse::Status::Complete(length)) => {
                let request = Request {
                    method: head.method.unwrap_or_default().to_owned(),
                    target: head.path.unwrap_or_default().to_owned(),
                    headers: head.headers.iter().map(|h| (h.name.to_owned(), String::from_utf8_lossy(h.value).into_owned())).collect(),
                    body: None,
                };
                if request.header("Transfer-Encoding").is_some() {
                    return Err(ReadFailure::Refused(411, "send the body with a Content-Length\n"));
                }
                let content_length = match request.header("Content-Length") {
                    None => 0,
                    Some(value) => value.trim().parse::<usize>().map_err(|_| ReadFailure::Refused(400, "bad Content-Length\n"))?,
                };
                if content_length > MAX_BODY_BYTES {
                    return Err(ReadFailure::Refused(413, "a token request is a few hundred bytes\n"));
                }
                break (length, request, content_length);
            }
            Ok(httparse::Status::Partial) if buffer.len() < MAX_HEAD_BYTES => {}
            Ok(httparse::Status::Partial) => return Err(ReadFailure::Refused(431, "request head too large\n")),
            Err(_) => return Err(ReadFailure::Refused(400, "not an HTTP/1.x request\n")),
        }
        read_more(stream, deadline, &mut buffer)?;
    };
    while buffer.len() < head_length + content_length {
        read_more(stream, deadline, &mut buffer)?;
    }
    let body = buffer[head_length..head_length + content_length].to_vec();
    request.body = String::from_utf8(body).ok();
    Ok(request)
}

fn read_more(stream: &mut TcpStream, deadline: Instant, buffer: &mut Vec<u8>) -> Result<(), ReadFailure> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(ReadFailure::TimedOut);
    }
    stream.set_read_timeout(Some(left)).map_err(|_| ReadFailure::Closed)?;
    let mut chunk = [0u8; 4096];
    match stream.read(&mut chunk) {
        Ok(0) => Err(ReadFailure::Closed),
        Ok(read) => {
            buffer.extend_from_slice(&chunk[..read]);
            Ok(())
        }
        Err(error) if error.kind() == ErrorKind::Interrupted => Ok(()),
        Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Err(ReadFailure::TimedOut),
        Err(_) => Err(ReadFailure::Closed),
    }
}

/// An answer, always with `Connection: close`.
struct Reply {
    status: u16,
    content_type: &'static str,
    /// `Allow: POST`, for a 405.
    allow: bool,
    body: Vec<u8>,
}

impl Reply {
    fn text(status: u16, text: &str) -> Reply {
        Reply { status, content_type: "text/plain; charset=UTF-8", allow: false, body: text.as_bytes().to_vec() }
    }

    /// Writes the answer; a client that stops reading is dropped after [`WRITE_TIMEOUT`].
    fn write(&self, stream: &mut TcpStream) {
        let head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n{}\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len(),
            if self.allow { "Allow: POST\r\n" } else { "" },
        );
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&self.body));
    }
}

/// The reason phrases of the codes the sandbox sends on its own; a `status=` fault's other codes
/// go without one, which HTTP/1.1 allows.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

enum Verdict {
    Ok,
    BadJson,
    MissingClientId,
    UnknownClientId,
    BadSign,
}

impl Verdict {
    fn name(&self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::BadJson => "bad json",
            Verdict::MissingClientId => "missing client id",
            Verdict::UnknownClientId => "unknown client id",
            Verdict::BadSign => "bad sign",
        }
    }

    fn body(&self) -> Value {
        let refusal = |errcode: &str, description: &str| json!({ "errcode": errcode, "description": description });
        match self {
            Verdict::Ok => json!({
                "errcode": SUCCESS_ERRCODE,
                "description": "操作成功",
                "access_token": random_token(),
                "token_type": "bearer",
                "expires_in": TOKEN_LIFETIME_SECONDS,
            }),
            Verdict::BadJson => refusal("1000", "请求参数格式错误"),
            Verdict::MissingClientId => refusal("1001", "应用id不能为空"),
            Verdict::UnknownClientId => refusal("1002", "非法的客户id"),
            Verdict::BadSign => refusal("1003", "签名认证不通过"),
        }
    }
}

/// 32 hex digits from the process's randomly seeded hasher: unpredictable enough for a demo token,
/// and no extra dependency. Not for real secrets.
fn random_token() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_nanos());
    let half = |salt: u8| {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(nanos);
        hasher.write_u8(salt);
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

/// The client id is not a secret, but it is still untrusted text: one short line in the log.
fn client_id_for_log(body: &str) -> String {
    let id = serde_json::from_str::<Value>(body).ok().and_then(|json| json.get("client_id").and_then(Value::as_str).map(str::to_owned));
    match id {
        Some(id) if !id.is_empty() => id.chars().filter(|c| !c.is_control() && !c.is_whitespace()).take(64).collect(),
        _ => "-".to_owned(),
    }
}

/// Enough percent-decoding for fault specs typed into a URL (`slow%3D100`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex =
            bytes.get(index + 1..index + 3).and_then(|hex| std::str::from_utf8(hex).ok()).and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

const CAPTIVE_PORTAL_PAGE: &str = "<!DOCTYPE html>
<html><head><meta charset=\"utf-8\"><title>上网认证 / Network login</title>
<style>body { font-family: sans-serif; margin: 4em; }</style>
<script>window.portal = true;</script></head>
<body><h1>上网认证</h1><p>请先登录后再访问互联网。Please sign in to use the network.</p>
<p><small>(piaozone-assist sandbox: html fault)</small></p></body></html>
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs_parse_and_combine() {
        assert_eq!(parse_faults("slow=250,status=502").unwrap(), [Fault::Slow(250), Fault::Status(502)]);
        assert_eq!(parse_faults("html").unwrap(), [Fault::Html]);
        assert_eq!(parse_faults(" garbage , reset").unwrap(), [Fault::Garbage, Fault::Reset]);
        assert_eq!(parse_faults("echo").unwrap(), [Fault::Echo]);
        assert_eq!(parse_faults("slow=30000").unwrap(), [Fault::Slow(MAX_SLOW_MS)]);
        for bad in ["", "slow=30001", "slow=999999", "slow", "slow=x", "status=99", "status=600", "teapot", "html=1"] {
            assert!(parse_faults(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn debug_output_hides_the_keys_of_every_account() {
        let shown = format!("{:?}", Accounts::demo());
        assert!(shown.contains("pz_prod_demo"), "{shown}");
        for hidden in ["prod-demo-secret", "ProdDemoKey16chr", "test-tenant-secret"] {
            assert!(!shown.contains(hidden), "{shown}");
        }
    }

    #[test]
    fn demo_accounts_are_valid_and_separate_per_environment() {
        let accounts = Accounts::demo();
        for account in accounts.production.iter().chain(&accounts.test) {
            assert_eq!(account.encrypt_key.chars().count(), 16, "{}", account.client_id);
        }
        assert!(accounts.production.iter().all(|prod| accounts.test.iter().all(|test| test.client_id != prod.client_id)));
    }

    #[test]
    fn verification_follows_the_documented_cases() {
        let sandbox = Sandbox { accounts: Accounts::demo(), default_faults: Vec::new() };
        let signed = |id: &str, secret: &str, enc: EncType| {
            let mut body = json!({ "client_id": id, "timestamp": "1", "sign": sign(id, secret, "1", enc) });
            if enc != EncType::Md5 {
                body["encType"] = json!(enc.code().to_string());
            }
            body.to_string()
        };
        for enc in EncType::ALL {
            assert!(matches!(sandbox.verify(Environment::Production, &signed("pz_prod_demo", "prod-demo-secret", enc)), Verdict::Ok));
        }
        let numeric = json!({ "client_id": "pz_test_demo", "timestamp": 1, "encType": 1, "sign": sign("pz_test_demo", "test-demo-secret", "1", EncType::Sha256) });
        assert!(matches!(sandbox.verify(Environment::Test, &numeric.to_string()), Verdict::Ok));
        assert!(matches!(
            sandbox.verify(Environment::Test, &signed("pz_prod_demo", "prod-demo-secret", EncType::Md5)),
            Verdict::UnknownClientId
        ));
        assert!(matches!(sandbox.verify(Environment::Production, &signed("pz_prod_demo", "wrong", EncType::Md5)), Verdict::BadSign));
        assert!(matches!(
            sandbox.verify(Environment::Production, r#"{"client_id":"pz_prod_demo","timestamp":"1","sign":"x","encType":"7"}"#),
            Verdict::BadSign
        ));
        assert!(matches!(
            sandbox.verify(Environment::Production, r#"{"client_id":"","timestamp":"1","sign":"x"}"#),
            Verdict::MissingClientId
        ));
        assert!(matches!(sandbox.verify(Environment::Production, "[1]"), Verdict::BadJson));
    }

    #[test]
    fn tokens_differ_and_look_like_tokens() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn logged_client_ids_are_one_short_line() {
        assert_eq!(client_id_for_log(r#"{"client_id":"pz\nprod demo"}"#), "pzproddemo");
        assert_eq!(client_id_for_log(&json!({ "client_id": "x".repeat(100) }).to_string()).len(), 64);
        assert_eq!(client_id_for_log("not json"), "-");
    }

    #[test]
    fn percent_decoding_handles_specs_in_urls() {
        assert_eq!(percent_decode("slow%3D100%2Chtml"), "slow=100,html");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
