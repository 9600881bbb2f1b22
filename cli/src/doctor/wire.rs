//! The HTTP/1.1 exchange of `doctor`, one stage at a time on one connection, each timed: DNS, TCP
//! connect, the proxy's CONNECT tunnel (https through a proxy), the TLS handshake (Mozilla's
//! roots), then the request and its answer. Through a proxy, an http URL is sent in absolute form,
//! as Java's HTTP clients do. For a list of companies, [`Hosts`] checks each host's DNS, TCP and
//! TLS once: the rows then connect to the addresses found, with the TLS session resumed.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use piaozone_assist::core::piaozone::{HttpUrl, Scheme, Stage, TransportError};
use serde::Serialize;

/// Far more than any token answer; a body this large is not one.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// One stage of a call, as printed.
#[derive(Debug, Clone, Serialize)]
pub struct StageReport {
    pub stage: &'static str,
    pub ok: bool,
    pub ms: u64,
    pub detail: String,
}

pub struct RawAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

/// How calls reach the token endpoint: through the proxy or not, and how long each stage may take.
pub struct Route<'a> {
    pub proxy: Option<&'a (String, u16)>,
    pub timeout: Duration,
}

/// One TLS configuration for the whole run: its session cache lets the rows of a list resume the
/// session the host check opened instead of a full handshake each.
fn tls_config() -> Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
            rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .map(|builder| Arc::new(builder.with_root_certificates(roots).with_no_client_auth()))
                .map_err(|error| error.to_string())
        })
        .clone()
        .unwrap_or_else(|error| panic!("ring's default TLS versions are supported: {error}"))
}

/// Runs a stage, records its time and result, and turns its error into the transport error.
fn stage<T>(
    stages: &mut Vec<StageReport>,
    name: &'static str,
    run: impl FnOnce() -> Result<(T, String), TransportError>,
) -> Result<T, TransportError> {
    let started = Instant::now();
    let result = run();
    let ms = started.elapsed().as_millis() as u64;
    let (ok, detail) = match &result {
        Ok((_, detail)) => (true, detail.clone()),
        Err(error) => (false, error.detail.clone()),
    };
    stages.push(StageReport { stage: name, ok, ms, detail });
    result.map(|(value, _)| value)
}

/// The first hop (the proxy, or the target itself) and which stage its failures belong to.
fn first_hop(target: &HttpUrl, route: &Route<'_>) -> ((String, u16), Stage, Stage) {
    match route.proxy {
        Some((host, port)) => ((host.clone(), *port), Stage::Proxy, Stage::Proxy),
        None => ((target.host.clone(), target.port), Stage::Dns, Stage::Connect),
    }
}

fn failure(stage: Stage) -> impl Fn(String) -> TransportError {
    move |detail| TransportError { stage, detail }
}

fn resolve_stage(target: &HttpUrl, route: &Route<'_>, stages: &mut Vec<StageReport>) -> Result<Vec<SocketAddr>, TransportError> {
    let ((host, port), dns_stage, _) = first_hop(target, route);
    stage(stages, "dns", || {
        let addresses = resolve(&host, port, route.timeout).map_err(failure(dns_stage))?;
        let shown = addresses.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        Ok((addresses, format!("{host} → {shown}")))
    })
}

/// TCP to the first address that answers, the proxy's tunnel and TLS: the stream to send on, and
/// a clone of its socket for the read timeouts.
fn connect(
    target: &HttpUrl,
    route: &Route<'_>,
    addresses: &[SocketAddr],
    stages: &mut Vec<StageReport>,
) -> Result<(Box<dyn Stream + Send>, TcpStream), TransportError> {
    let (_, _, connect_stage) = first_hop(target, route);
    let timeout = route.timeout;
    let tcp = stage(stages, "connect", || {
        let mut last_error = String::from("no address");
        for address in addresses {
            match TcpStream::connect_timeout(address, timeout) {
                Ok(tcp) => return Ok((tcp, address.to_string())),
                Err(error) => last_error = format!("{address}: {error}"),
            }
        }
        Err(failure(connect_stage)(last_error))
    })?;
    let other = |error: std::io::Error| TransportError { stage: Stage::Other, detail: error.to_string() };
    tcp.set_read_timeout(Some(timeout)).map_err(other)?;
    tcp.set_write_timeout(Some(timeout)).map_err(other)?;
    let _ = tcp.set_nodelay(true);
    let socket = tcp.try_clone().map_err(other)?;
    let mut tcp = tcp;
    if route.proxy.is_some() && target.scheme == Scheme::Https {
        stage(stages, "proxy", || open_tunnel(&mut tcp, target).map(|status| ((), status)).map_err(failure(Stage::Proxy)))?;
    }
    let stream: Box<dyn Stream + Send> = if target.scheme == Scheme::Https {
        Box::new(stage(stages, "tls", || handshake(tcp, &target.host).map_err(failure(Stage::Tls)))?)
    } else {
        Box::new(tcp)
    };
    Ok((stream, socket))
}

/// One POST of `body` to `target`, staged. `addresses` are the first hop's, when a host check
/// already resolved them (no DNS stage then).
pub fn exchange(
    target: &HttpUrl,
    route: &Route<'_>,
    addresses: Option<&[SocketAddr]>,
    body: &str,
    stages: &mut Vec<StageReport>,
) -> Result<RawAnswer, TransportError> {
    let resolved;
    let addresses = match addresses {
        Some(addresses) => addresses,
        None => {
            resolved = resolve_stage(target, route, stages)?;
            &resolved
        }
    };
    let (mut stream, socket) = connect(target, route, addresses, stages)?;
    let tunnel = route.proxy.is_some() && target.scheme == Scheme::Https;
    // Through a proxy without a tunnel, the request line carries the whole URL (absolute form).
    let request_target = if route.proxy.is_some() && !tunnel { target.to_string() } else { target.path.clone() };
    let head = format!(
        "POST {request_target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json;charset=UTF-8\r\nAccept: application/json\r\nUser-Agent: piaozone-assist/{version} doctor\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n",
        host = if target.port == target.scheme.default_port() { target.host.clone() } else { target.authority() },
        version = env!("CARGO_PKG_VERSION"),
        length = body.len(),
    );
    let timeout = route.timeout;
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

/// What a host check found: the first hop's addresses, or why the host cannot be reached.
#[derive(Clone)]
pub struct HostCheck {
    pub host: String,
    pub stages: Vec<StageReport>,
    pub result: Result<Arc<Vec<SocketAddr>>, TransportError>,
}

/// DNS, TCP and TLS checked once per host for a whole list, whichever row needs the host first;
/// rows arriving meanwhile wait for that check instead of repeating it.
#[derive(Default)]
pub struct Hosts {
    checks: Mutex<HashMap<String, Arc<OnceLock<HostCheck>>>>,
}

impl Hosts {
    pub fn check(&self, target: &HttpUrl, route: &Route<'_>) -> HostCheck {
        let key = format!("{}://{}", target.scheme.as_str(), target.authority());
        let slot = Arc::clone(self.checks.lock().expect("no check panics holding it").entry(key.clone()).or_default());
        slot.get_or_init(|| {
            let mut stages = Vec::new();
            let result = resolve_stage(target, route, &mut stages)
                .and_then(|addresses| connect(target, route, &addresses, &mut stages).map(|_| Arc::new(addresses)));
            HostCheck { host: key, stages, result }
        })
        .clone()
    }

    /// Every host checked, in the order of their names.
    pub fn all(&self) -> Vec<HostCheck> {
        let checks = self.checks.lock().expect("no check panics holding it");
        let mut all: Vec<HostCheck> = checks.values().filter_map(|slot| slot.get().cloned()).collect();
        all.sort_by(|a, b| a.host.cmp(&b.host));
        all
    }
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
        Err(_) => Err(format!("{host}: no answer from DNS within {} s", timeout.as_secs_f64())),
    }
}

/// `CONNECT host:port` to the proxy; the proxy's status line on success.
fn open_tunnel(tcp: &mut TcpStream, target: &HttpUrl) -> Result<String, String> {
    let authority = target.authority();
    write!(tcp, "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n").map_err(|error| format!("sending CONNECT: {error}"))?;
    // Read byte by byte up to the end of the head: what follows belongs to the tunnel.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match tcp.read(&mut byte) {
            Ok(0) => return Err("the proxy closed the connection instead of answering CONNECT".into()),
            Ok(_) => head.push(byte[0]),
            Err(error) => return Err(format!("waiting for the proxy's CONNECT answer: {error}")),
        }
        if head.len() > 16 * 1024 {
            return Err("the proxy's CONNECT answer has no end".into());
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    response.parse(&head).map_err(|error| format!("the proxy's CONNECT answer is not HTTP: {error}"))?;
    let status = response.code.unwrap_or(0);
    let line = format!("CONNECT {authority}: HTTP {status} {}", response.reason.unwrap_or(""));
    if (200..300).contains(&status) {
        Ok(line)
    } else {
        Err(format!("the proxy refused {line}"))
    }
}

fn handshake(tcp: TcpStream, host: &str) -> Result<(rustls::StreamOwned<rustls::ClientConnection, TcpStream>, String), String> {
    let name = rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(|error| format!("{host}: {error}"))?;
    let connection = rustls::ClientConnection::new(tls_config(), name).map_err(|error| error.to_string())?;
    let mut stream = rustls::StreamOwned::new(connection, tcp);
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock).map_err(|error| error.to_string())?;
    }
    let version = stream.conn.protocol_version().map_or_else(|| "TLS".to_owned(), |version| format!("{version:?}"));
    let resumed = if stream.conn.handshake_kind() == Some(rustls::HandshakeKind::Resumed) { ", resumed" } else { "" };
    Ok((stream, format!("{version}{resumed}")))
}

/// Reads one HTTP/1.1 answer: the head, then a body delimited by Content-Length, chunks, or the end
/// of the connection (we asked for `Connection: close`).
fn read_answer(
    stream: &mut (dyn Stream + Send),
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
            return Err(TransportError { stage: Stage::Timeout, detail: format!("no complete answer within {} s", timeout.as_secs_f64()) });
        }
        let _ = socket.set_read_timeout(Some(remaining));
        let read = match stream.read(&mut buffer) {
            Ok(read) => read,
            Err(error) if matches!(error.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Err(TransportError { stage: Stage::Timeout, detail: format!("no answer within {} s", timeout.as_secs_f64()) });
            }
            // A TLS peer that closes without close_notify still ended the body.
            Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof && parsed.is_some() => 0,
            Err(error) => return Err(TransportError { stage: Stage::Other, detail: format!("reading the answer: {error}") }),
        };
        if read == 0 {
            if parsed.is_none() {
                let detail = if received.is_empty() {
                    "the connection was closed without any answer"
                } else {
                    "the connection was closed in the middle of the answer"
                };
                return Err(TransportError { stage: Stage::Other, detail: detail.into() });
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
        Err(error) => return Err(TransportError { stage: Stage::Other, detail: format!("the answer is not HTTP/1.x: {error}") }),
    };
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|header| header.name.eq_ignore_ascii_case(name))
            .map(|header| String::from_utf8_lossy(header.value).trim().to_owned())
    };
    let framing = if header("Transfer-Encoding").is_some_and(|value| value.to_ascii_lowercase().contains("chunked")) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_are_joined_once_complete() {
        assert_eq!(dechunk(b"4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\n\r\n").unwrap(), b"Wikipedia ");
        assert_eq!(dechunk(b"4\r\nWiki\r\n6\r\npedia"), None, "incomplete");
        assert_eq!(dechunk(b"4\r\nWiki\r\n"), None, "no last chunk yet");
    }

    #[test]
    fn heads_give_status_type_location_and_framing() {
        let raw: &[u8] = b"HTTP/1.1 302 Found\r\nLocation: https://x/\r\ncontent-type: text/html\r\nContent-Length: 3\r\n\r\nabc";
        let (answer, head_length, framing) = parse_head(raw).unwrap().unwrap();
        assert_eq!(
            (answer.status, answer.location.as_deref(), answer.content_type.as_deref()),
            (302, Some("https://x/"), Some("text/html"))
        );
        assert_eq!(&raw[head_length..], b"abc");
        assert!(matches!(framing, Framing::Length(3)));
        assert!(parse_head(b"HTTP/1.1 200 OK\r\nContent-").unwrap().is_none());
        assert!(parse_head(b"\x00garbage\r\n\r\n").is_err());
    }
}
