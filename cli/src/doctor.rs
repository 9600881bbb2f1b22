//! `piaozone-assist doctor`: the connection test, run where it matters — on the ERP server.
//!
//! ```text
//! piaozone-assist doctor --url URL --client-id ID (--client-secret-env VAR | --client-secret-stdin)
//!     [--proxy host:port] [--timeout S] [--enc-type md5|sha256|hmac-sha256]
//!     [--env-pair PROD_URL,TEST_URL]... [--format text|json] [--lang zh-CN|en]
//! ```
//!
//! It does what Cosmic does when it fetches a token, one stage at a time on one connection, each
//! timed: DNS, TCP connect, the proxy's CONNECT tunnel (https through `--proxy`), the TLS handshake
//! (https; Mozilla's root certificates), then `POST …/base/oauth/token`. Through a proxy, an http
//! URL is sent as an absolute-form request to the proxy, as Java's HTTP clients do; the proxy then
//! resolves the target itself. The answer is classified like the extension's button does
//! (`core::piaozone`), and a refusal is followed by a probe of the counterpart environment (the
//! official pair, plus each `--env-pair`) to detect keys of the wrong environment.
//!
//! `--timeout S` (default 10) bounds each stage and the wait for the answer.
//! The secret comes from an environment variable or the first line of stdin, never from the
//! command line (which other users can read). Neither it, the signature nor the token is ever
//! printed, in text or JSON.
//!
//! Exit codes: 0 the keys work; 1 any other outcome; 2 bad usage.

use std::io::{BufRead, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use piaozone_assist::core::i18n::Lang;
use piaozone_assist::core::piaozone::{
    classify, combine, default_pair, precheck, probe_target, token_url, Attempt, ConnectionInput,
    EncType, Environment, EnvironmentPair, HttpAnswer, HttpUrl, Outcome, Scheme, Secret, Stage,
    TokenRequest, TransportError,
};
use serde::Serialize;
use serde_json::json;

use crate::args::{self, value, Format};

const USAGE: &str = "usage: piaozone-assist doctor --url URL --client-id ID (--client-secret-env VAR | --client-secret-stdin)
       [--proxy host:port] [--timeout S] [--enc-type md5|sha256|hmac-sha256]
       [--env-pair PROD_URL,TEST_URL]... [--format text|json] [--lang zh-CN|en]";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Far more than any token answer; a body this large is not one.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

struct Options {
    url: String,
    client_id: String,
    client_secret: Secret,
    proxy: Option<(String, u16)>,
    timeout: Duration,
    enc: EncType,
    pairs: Vec<EnvironmentPair>,
    format: Format,
    lang: Lang,
}

pub fn run(args: Vec<String>) -> ExitCode {
    let options = match parse_args(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("piaozone-assist doctor: {message}\n{USAGE}");
            return ExitCode::from(crate::EXIT_USAGE);
        }
    };
    let report = diagnose(&options);
    let printed = match options.format {
        Format::Text => render_text(&report, options.lang),
        Format::Json | Format::Csv => render_json(&report, &options) + "\n",
    };
    print!("{}", scrub(printed, &options.client_secret.0, &report.signs));
    if report.outcome.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The output without the secret and the signatures, whatever a server echoed back. An empty
/// secret is skipped: replacing "" would put `<secret>` between every two characters.
fn scrub(mut printed: String, secret: &str, signs: &[String]) -> String {
    for (value, mask) in std::iter::once((secret, "<secret>"))
        .chain(signs.iter().map(|sign| (sign.as_str(), "<sign>")))
    {
        if !value.is_empty() {
            printed = printed.replace(value, mask);
        }
    }
    printed
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let (mut url, mut client_id, mut secret_env, mut secret_stdin) = (None, None, None, false);
    let mut proxy = None;
    let mut timeout = DEFAULT_TIMEOUT;
    let mut enc = EncType::Md5;
    let mut pairs = vec![default_pair()];
    let mut format = Format::Text;
    let mut lang = Lang::Zh;
    while let Some(arg) = parser.next().map_err(|error| error.to_string())? {
        match arg {
            Long("url") => url = Some(value(&mut parser, "--url")?),
            Long("client-id") => client_id = Some(value(&mut parser, "--client-id")?),
            Long("client-secret-env") => {
                secret_env = Some(value(&mut parser, "--client-secret-env")?)
            }
            Long("client-secret-stdin") => secret_stdin = true,
            Long("proxy") => proxy = Some(parse_proxy(&value(&mut parser, "--proxy")?)?),
            Long("timeout") => {
                let seconds: f64 = value(&mut parser, "--timeout")?
                    .parse()
                    .map_err(|_| "--timeout: a number of seconds")?;
                if !(seconds > 0.0 && seconds <= 600.0) {
                    return Err("--timeout: between 0 and 600 seconds".into());
                }
                timeout = Duration::from_secs_f64(seconds);
            }
            Long("enc-type") => {
                enc = EncType::from_name(&value(&mut parser, "--enc-type")?)
                    .ok_or("--enc-type: md5, sha256 or hmac-sha256")?;
            }
            Long("env-pair") => {
                let pair = value(&mut parser, "--env-pair")?;
                let (production, test) = pair
                    .split_once(',')
                    .ok_or("--env-pair: PROD_URL,TEST_URL")?;
                if HttpUrl::parse(production).is_none() || HttpUrl::parse(test).is_none() {
                    return Err(format!("--env-pair: {pair:?} is not two http(s) URLs"));
                }
                pairs.push(EnvironmentPair::from_bases(production, test));
            }
            Long("format") => format = Format::parse(&value(&mut parser, "--format")?)?.without_csv()?,
            Long("lang") => lang = args::lang(&value(&mut parser, "--lang")?)?,
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    let url = url.ok_or("--url is required")?;
    let client_id = client_id.ok_or("--client-id is required")?;
    let client_secret = match (secret_env, secret_stdin) {
        (Some(name), false) => Secret(
            std::env::var(&name).map_err(|_| format!("--client-secret-env: ${name} is not set"))?,
        ),
        (None, true) => {
            // Read into the `Secret` and trimmed in place: no unwiped copy of the line is left.
            let mut line = Secret(String::new());
            std::io::stdin()
                .lock()
                .read_line(&mut line.0)
                .map_err(|error| format!("--client-secret-stdin: {error}"))?;
            let length = line.0.trim_end_matches(['\r', '\n']).len();
            line.0.truncate(length);
            line
        }
        _ => {
            return Err(
                "give exactly one of --client-secret-env VAR and --client-secret-stdin".into(),
            )
        }
    };
    Ok(Options {
        url,
        client_id,
        client_secret,
        proxy,
        timeout,
        enc,
        pairs,
        format,
        lang,
    })
}


/// The console's 代理 field: `host:port`; a leading `http://` is tolerated.
fn parse_proxy(text: &str) -> Result<(String, u16), String> {
    let bare = text
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let (host, port) = bare
        .rsplit_once(':')
        .ok_or_else(|| format!("--proxy: host:port, not {text:?}"))?;
    let port = port
        .parse()
        .ok()
        .filter(|&port| port != 0)
        .ok_or_else(|| format!("--proxy: bad port in {text:?}"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("--proxy: bad host in {text:?}"));
    }
    Ok((host.to_owned(), port))
}

#[derive(Debug, Clone, Serialize)]
struct StageReport {
    stage: &'static str,
    ok: bool,
    ms: u64,
    detail: String,
}

struct Call {
    token_url: String,
    stages: Vec<StageReport>,
    outcome: Outcome,
}

struct Report {
    first: Option<Call>,
    probe: Option<(Environment, Call)>,
    outcome: Outcome,
    /// Every signature sent, so that the output can be scrubbed of them.
    signs: Vec<String>,
}

fn diagnose(options: &Options) -> Report {
    let input = ConnectionInput {
        url: &options.url,
        client_id: &options.client_id,
        client_secret: &options.client_secret.0,
        encrypt_key: None,
    };
    if let Some(outcome) = precheck(&input) {
        return Report {
            first: None,
            probe: None,
            outcome,
            signs: Vec::new(),
        };
    }
    let mut signs = Vec::new();
    let first = call(options, &options.url, &mut signs);
    let probe = probe_target(&first.outcome, &options.url, &options.pairs).map(|environment| {
        (
            environment.clone(),
            call(options, &environment.base, &mut signs),
        )
    });
    let outcome = combine(
        first.outcome.clone(),
        probe
            .as_ref()
            .map(|(environment, call)| (environment, &call.outcome)),
    );
    Report {
        first: Some(first),
        probe,
        outcome,
        signs,
    }
}

/// One token call against `base`, staged and timed.
fn call(options: &Options, base: &str, signs: &mut Vec<String>) -> Call {
    let token_url = token_url(base);
    let target = HttpUrl::parse(&token_url).expect("checked before: precheck or --env-pair");
    let timestamp_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as u64);
    let request = TokenRequest::new(
        &options.client_id,
        &options.client_secret.0,
        timestamp_ms,
        options.enc,
    );
    signs.push(request.sign.clone());
    let mut stages = Vec::new();
    let started = Instant::now();
    let result = exchange(
        &target,
        options.proxy.as_ref(),
        options.timeout,
        &request.to_json(),
        &mut stages,
    );
    let latency_ms = started.elapsed().as_millis() as u64;
    let outcome = match &result {
        Ok(raw) => classify(
            Attempt::Answered(HttpAnswer {
                status: raw.status,
                content_type: raw.content_type.as_deref(),
                location: raw.location.as_deref(),
                body: &String::from_utf8_lossy(&raw.body),
            }),
            latency_ms,
        ),
        Err(error) => classify(Attempt::Failed(error), latency_ms),
    }
    .without_echoes(&request);
    Call {
        token_url,
        stages,
        outcome,
    }
}

struct RawAnswer {
    status: u16,
    content_type: Option<String>,
    location: Option<String>,
    body: Vec<u8>,
}

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

/// Runs a stage, records its time and result, and turns its error into the transport error.
fn stage<T>(
    stages: &mut Vec<StageReport>,
    name: &'static str,
    run: impl FnOnce() -> Result<(T, String), TransportError>,
) -> Result<T, TransportError> {
    let started = Instant::now();
    let result = run();
    let ms = started.elapsed().as_millis() as u64;
    match result {
        Ok((value, detail)) => {
            stages.push(StageReport {
                stage: name,
                ok: true,
                ms,
                detail,
            });
            Ok(value)
        }
        Err(error) => {
            stages.push(StageReport {
                stage: name,
                ok: false,
                ms,
                detail: error.detail.clone(),
            });
            Err(error)
        }
    }
}

fn exchange(
    target: &HttpUrl,
    proxy: Option<&(String, u16)>,
    timeout: Duration,
    body: &str,
    stages: &mut Vec<StageReport>,
) -> Result<RawAnswer, TransportError> {
    // With a proxy, the first hop is the proxy, and failures there are the proxy's.
    let (hop_host, hop_port) = match proxy {
        Some((host, port)) => (host.clone(), *port),
        None => (target.host.clone(), target.port),
    };
    let (dns_stage, connect_stage) = if proxy.is_some() {
        (Stage::Proxy, Stage::Proxy)
    } else {
        (Stage::Dns, Stage::Connect)
    };

    let failure = |stage: Stage| move |detail: String| TransportError { stage, detail };
    let addresses = stage(stages, "dns", || {
        let addresses = resolve(&hop_host, hop_port, timeout).map_err(failure(dns_stage))?;
        let shown = addresses
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        Ok((addresses, format!("{hop_host} → {shown}")))
    })?;
    let tcp = stage(stages, "connect", || {
        let mut last_error = String::from("no address");
        for address in &addresses {
            match TcpStream::connect_timeout(address, timeout) {
                Ok(tcp) => return Ok((tcp, address.to_string())),
                Err(error) => last_error = format!("{address}: {error}"),
            }
        }
        Err(failure(connect_stage)(last_error))
    })?;
    let other = |error: std::io::Error| TransportError {
        stage: Stage::Other,
        detail: error.to_string(),
    };
    tcp.set_read_timeout(Some(timeout)).map_err(other)?;
    tcp.set_write_timeout(Some(timeout)).map_err(other)?;
    let _ = tcp.set_nodelay(true);
    let socket = tcp.try_clone().map_err(other)?;

    let tunnel = proxy.is_some() && target.scheme == Scheme::Https;
    let mut tcp = tcp;
    if tunnel {
        stage(stages, "proxy", || {
            open_tunnel(&mut tcp, target)
                .map(|status| ((), status))
                .map_err(failure(Stage::Proxy))
        })?;
    }
    let mut stream: Box<dyn Stream> = if target.scheme == Scheme::Https {
        Box::new(stage(stages, "tls", || {
            handshake(tcp, &target.host).map_err(failure(Stage::Tls))
        })?)
    } else {
        Box::new(tcp)
    };

    // Through a proxy without a tunnel, the request line carries the whole URL (absolute form).
    let request_target = if proxy.is_some() && !tunnel {
        target.to_string()
    } else {
        target.path.clone()
    };
    let head = format!(
        "POST {request_target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json;charset=UTF-8\r\nAccept: application/json\r\nUser-Agent: piaozone-assist/{version} doctor\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n",
        host = if target.port == target.scheme.default_port() { target.host.clone() } else { target.authority() },
        version = env!("CARGO_PKG_VERSION"),
        length = body.len(),
    );
    stage(stages, "request", || {
        let started = Instant::now();
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body.as_bytes()))
            .and_then(|()| stream.flush())
            .map_err(|error| failure(Stage::Other)(format!("sending the request: {error}")))?;
        let answer = read_answer(&mut *stream, &socket, started, timeout)?;
        let status = answer.status;
        Ok((answer, format!("HTTP {status}")))
    })
}

/// `ToSocketAddrs` cannot be given a timeout, so it runs on a thread that is abandoned if late.
fn resolve(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, String> {
    let (sender, receiver) = mpsc::channel();
    let query = (host.to_owned(), port);
    thread::spawn(move || {
        let _ = sender.send(query.to_socket_addrs().map(Iterator::collect::<Vec<_>>));
    });
    match receiver.recv_timeout(timeout) {
        Ok(Ok(addresses)) if !addresses.is_empty() => Ok(addresses),
        Ok(Ok(_)) => Err(format!("{host}: no address")),
        Ok(Err(error)) => Err(format!("{host}: {error}")),
        Err(_) => Err(format!(
            "{host}: no answer from DNS within {} s",
            timeout.as_secs_f64()
        )),
    }
}

/// `CONNECT host:port` to the proxy; the proxy's status line on success.
fn open_tunnel(tcp: &mut TcpStream, target: &HttpUrl) -> Result<String, String> {
    let authority = target.authority();
    write!(
        tcp,
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n"
    )
    .map_err(|error| format!("sending CONNECT: {error}"))?;
    // Read byte by byte up to the end of the head: what follows belongs to the tunnel.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match tcp.read(&mut byte) {
            Ok(0) => {
                return Err("the proxy closed the connection instead of answering CONNECT".into())
            }
            Ok(_) => head.push(byte[0]),
            Err(error) => return Err(format!("waiting for the proxy's CONNECT answer: {error}")),
        }
        if head.len() > 16 * 1024 {
            return Err("the proxy's CONNECT answer has no end".into());
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    response
        .parse(&head)
        .map_err(|error| format!("the proxy's CONNECT answer is not HTTP: {error}"))?;
    let status = response.code.unwrap_or(0);
    let line = format!(
        "CONNECT {authority}: HTTP {status} {}",
        response.reason.unwrap_or("")
    );
    if (200..300).contains(&status) {
        Ok(line)
    } else {
        Err(format!("the proxy refused {line}"))
    }
}

fn handshake(
    tcp: TcpStream,
    host: &str,
) -> Result<
    (
        rustls::StreamOwned<rustls::ClientConnection, TcpStream>,
        String,
    ),
    String,
> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|error| error.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|error| format!("{host}: {error}"))?;
    let connection =
        rustls::ClientConnection::new(Arc::new(config), name).map_err(|error| error.to_string())?;
    let mut stream = rustls::StreamOwned::new(connection, tcp);
    while stream.conn.is_handshaking() {
        stream
            .conn
            .complete_io(&mut stream.sock)
            .map_err(|error| error.to_string())?;
    }
    let version = stream
        .conn
        .protocol_version()
        .map_or_else(|| "TLS".to_owned(), |version| format!("{version:?}"));
    Ok((stream, version))
}

/// Reads one HTTP/1.1 answer: the head, then a body delimited by Content-Length, chunks, or the end
/// of the connection (we asked for `Connection: close`).
fn read_answer(
    stream: &mut dyn Stream,
    socket: &TcpStream,
    sent: Instant,
    timeout: Duration,
) -> Result<RawAnswer, TransportError> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 8192];
    let mut parsed: Option<(RawAnswer, usize, Framing)> = None;
    loop {
        if let Some((_, head_length, framing)) = &parsed {
            let body = &received[*head_length..];
            let complete = match framing {
                Framing::Length(length) => body.len() >= *length,
                Framing::Chunked => dechunk(body).is_some(),
                Framing::UntilClose => false,
            };
            if complete {
                break;
            }
        }
        let remaining = (sent + timeout).saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(TransportError {
                stage: Stage::Timeout,
                detail: format!("no complete answer within {} s", timeout.as_secs_f64()),
            });
        }
        let _ = socket.set_read_timeout(Some(remaining));
        let read = match stream.read(&mut buffer) {
            Ok(read) => read,
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(TransportError {
                    stage: Stage::Timeout,
                    detail: format!("no answer within {} s", timeout.as_secs_f64()),
                });
            }
            // A TLS peer that closes without close_notify still ended the body.
            Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof && parsed.is_some() => {
                0
            }
            Err(error) => {
                return Err(TransportError {
                    stage: Stage::Other,
                    detail: format!("reading the answer: {error}"),
                })
            }
        };
        if read == 0 {
            if parsed.is_none() {
                let detail = if received.is_empty() {
                    "the connection was closed without any answer"
                } else {
                    "the connection was closed in the middle of the answer"
                };
                return Err(TransportError {
                    stage: Stage::Other,
                    detail: detail.into(),
                });
            }
            break;
        }
        received.extend_from_slice(&buffer[..read]);
        if received.len() > MAX_RESPONSE_BYTES {
            break;
        }
        if parsed.is_none() {
            parsed = parse_head(&received)?;
        }
    }
    let (mut answer, head_length, framing) = parsed.expect("the loop ends only with a parsed head");
    let body = &received[head_length..];
    answer.body = match framing {
        Framing::Length(length) => body[..length.min(body.len())].to_vec(),
        Framing::Chunked => dechunk(body).unwrap_or_else(|| body.to_vec()),
        Framing::UntilClose => body.to_vec(),
    };
    Ok(answer)
}

enum Framing {
    Length(usize),
    Chunked,
    UntilClose,
}

fn parse_head(received: &[u8]) -> Result<Option<(RawAnswer, usize, Framing)>, TransportError> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let head_length = match response.parse(received) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(error) => {
            return Err(TransportError {
                stage: Stage::Other,
                detail: format!("the answer is not HTTP/1.x: {error}"),
            })
        }
    };
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|header| header.name.eq_ignore_ascii_case(name))
            .map(|header| String::from_utf8_lossy(header.value).trim().to_owned())
    };
    let framing = if header("Transfer-Encoding")
        .is_some_and(|value| value.to_ascii_lowercase().contains("chunked"))
    {
        Framing::Chunked
    } else if let Some(length) = header("Content-Length").and_then(|value| value.parse().ok()) {
        Framing::Length(length)
    } else {
        Framing::UntilClose
    };
    let answer = RawAnswer {
        status: response.code.unwrap_or(0),
        content_type: header("Content-Type"),
        location: header("Location"),
        body: Vec::new(),
    };
    Ok(Some((answer, head_length, framing)))
}

/// The body of a chunked transfer, or `None` while the last chunk has not arrived.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = data.windows(2).position(|pair| pair == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

fn render_json(report: &Report, options: &Options) -> String {
    let call_json = |call: &Call| json!({ "token_url": call.token_url, "stages": call.stages, "outcome": call.outcome });
    let value = json!({
        "url": options.url,
        "client_id": options.client_id,
        "enc_type": options.enc.name(),
        "proxy": options.proxy.as_ref().map(|(host, port)| format!("{host}:{port}")),
        "timeout_s": options.timeout.as_secs_f64(),
        "call": report.first.as_ref().map(call_json),
        "probe": report.probe.as_ref().map(|(environment, call)| json!({ "environment": environment, "call": call_json(call) })),
        "outcome": report.outcome,
        "explanation": report.outcome.explain(options.lang),
    });
    serde_json::to_string_pretty(&value).expect("JSON values always serialise")
}

fn render_text(report: &Report, lang: Lang) -> String {
    let mut text = String::new();
    let mut call_text = |heading: String, call: &Call| {
        text.push_str(&format!("{heading} {}\n", call.token_url));
        for stage in &call.stages {
            let mark = if stage.ok { "ok  " } else { "FAIL" };
            text.push_str(&format!(
                "  {:<8} {mark} {:>6} ms  {}\n",
                stage.stage, stage.ms, stage.detail
            ));
        }
        text.push_str(&format!("  → {}\n", call.outcome.kind.as_str()));
    };
    if let Some(call) = &report.first {
        call_text("POST".to_owned(), call);
    }
    if let Some((environment, call)) = &report.probe {
        let heading = match lang {
            Lang::Zh => format!("用同一组密钥试另一环境（{}）：POST", environment.name),
            Lang::En => format!(
                "the same keys against the other environment ({}): POST",
                environment.name
            ),
        };
        call_text(heading, call);
    }
    let explanation = report.outcome.explain(lang);
    let next = match lang {
        Lang::Zh => "下一步",
        Lang::En => "Next",
    };
    text.push_str(&format!(
        "\n[{}] {}\n{}\n{next}: {}\n",
        explanation.kind.as_str(),
        explanation.title,
        explanation.explanation,
        explanation.fix
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_are_written_as_in_the_console() {
        assert_eq!(
            parse_proxy("172.18.1.1:10086").unwrap(),
            ("172.18.1.1".to_owned(), 10086)
        );
        assert_eq!(
            parse_proxy("http://proxy.corp:3128/").unwrap(),
            ("proxy.corp".to_owned(), 3128)
        );
        for bad in ["172.18.1.1", "host:0", ":80", "a b:80", "host:http"] {
            assert!(parse_proxy(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn chunked_bodies_are_joined_once_complete() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\n\r\n").unwrap(),
            b"Wikipedia "
        );
        assert_eq!(dechunk(b"4\r\nWiki\r\n6\r\npedia"), None, "incomplete");
        assert_eq!(dechunk(b"4\r\nWiki\r\n"), None, "no last chunk yet");
    }

    #[test]
    fn heads_give_status_type_location_and_framing() {
        let raw: &[u8] = b"HTTP/1.1 302 Found\r\nLocation: https://x/\r\ncontent-type: text/html\r\nContent-Length: 3\r\n\r\nabc";
        let (answer, head_length, framing) = parse_head(raw).unwrap().unwrap();
        assert_eq!(
            (
                answer.status,
                answer.location.as_deref(),
                answer.content_type.as_deref()
            ),
            (302, Some("https://x/"), Some("text/html"))
        );
        assert_eq!(&raw[head_length..], b"abc");
        assert!(matches!(framing, Framing::Length(3)));
        assert!(parse_head(b"HTTP/1.1 200 OK\r\nContent-")
            .unwrap()
            .is_none());
        assert!(parse_head(b"\x00garbage\r\n\r\n").is_err());
    }
}
