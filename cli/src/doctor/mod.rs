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

use std::io::BufRead;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use piaozone_assist::core::i18n::Lang;
use piaozone_assist::core::piaozone::{
    classify, default_pair, token_url, Attempt, ConnectionRequest, Diagnosis, EncType, Environment, EnvironmentPair, HttpAnswer, HttpUrl,
    Next, Outcome, Secret, TokenRequest,
};
use serde_json::json;

mod batch;
mod wire;

use wire::{exchange, HostCheck, Hosts, Route, StageReport};

use crate::args::{self, value, Format};
use crate::companies::ListSource;

pub const USAGE: &str = "usage: piaozone-assist doctor --url URL --client-id ID (--client-secret-env VAR | --client-secret-stdin)
       [--proxy host:port] [--timeout S] [--enc-type md5|sha256|hmac-sha256]
       [--env-pair PROD_URL,TEST_URL]... [--format text|json] [--lang zh-CN|en]
       piaozone-assist doctor --companies LIST.csv|xlsx [--url URL] [--sheet NAME] [--columns HEADER=ROLE,…]
       [--parallel N] [--rate PER_SECOND] [--proxy host:port] [--timeout S] [--enc-type …]
       [--env-pair PROD_URL,TEST_URL]... [--format text|json|csv] [--lang zh-CN|en]";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// What every doctor run reads the same way, one company or a list.
pub struct Common {
    pub proxy: Option<(String, u16)>,
    pub timeout: Duration,
    pub enc: EncType,
    pub pairs: Vec<EnvironmentPair>,
    pub format: Format,
    pub lang: Lang,
}

impl Common {
    pub fn net<'a>(&'a self, hosts: Option<&'a Hosts>) -> Net<'a> {
        Net { route: Route { proxy: self.proxy.as_ref(), timeout: self.timeout }, pairs: &self.pairs, hosts }
    }
}

/// One company's keys, from the command line.
struct Options {
    request: ConnectionRequest,
    common: Common,
}

enum Command {
    One(Options),
    List(batch::Options),
}

pub fn run(args: Vec<String>) -> ExitCode {
    let options = match parse_args(args) {
        Ok(Command::One(options)) => options,
        Ok(Command::List(options)) => return batch::run(options),
        Err(message) => {
            eprintln!("piaozone-assist doctor: {message}\n{USAGE}");
            return ExitCode::from(crate::EXIT_USAGE);
        }
    };
    let report = diagnose(&options.request, options.common.enc, &options.common.net(None));
    let printed = match options.common.format {
        Format::Text => render_text(&report, options.common.lang),
        Format::Json | Format::Csv => render_json(&report, &options) + "\n",
    };
    print!("{}", scrub(printed, &options.request.client_secret.0, &report.signs));
    if report.outcome.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The output without the secret and the signatures, whatever a server echoed back. An empty
/// secret is skipped: replacing "" would put `<secret>` between every two characters.
pub fn scrub(mut printed: String, secret: &str, signs: &[String]) -> String {
    for (value, mask) in std::iter::once((secret, "<secret>")).chain(signs.iter().map(|sign| (sign.as_str(), "<sign>"))) {
        if !value.is_empty() {
            printed = printed.replace(value, mask);
        }
    }
    printed
}

fn parse_args(args: Vec<String>) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let (mut url, mut client_id, mut secret_env, mut secret_stdin) = (None, None, None, false);
    let mut list = ListSource::default();
    let (mut parallel, mut rate) = (None, None);
    let mut common = Common {
        proxy: None,
        timeout: DEFAULT_TIMEOUT,
        enc: EncType::Md5,
        pairs: vec![default_pair()],
        format: Format::Text,
        lang: Lang::Zh,
    };
    while let Some(arg) = parser.next().map_err(|error| error.to_string())? {
        match arg {
            Long(option) if ListSource::OPTIONS.contains(&option) => {
                let option = option.to_owned();
                list.take(&option, &mut parser)?;
            }
            Long("parallel") => {
                let n: usize = value(&mut parser, "--parallel")?.parse().map_err(|_| "--parallel: a number of connections")?;
                if !(1..=batch::MAX_PARALLEL).contains(&n) {
                    return Err(format!("--parallel: between 1 and {}", batch::MAX_PARALLEL));
                }
                parallel = Some(n);
            }
            Long("rate") => {
                let per_second: f64 = value(&mut parser, "--rate")?.parse().map_err(|_| "--rate: calls per second")?;
                if !(per_second > 0.0 && per_second <= 1000.0) {
                    return Err("--rate: between 0 and 1000 calls per second".into());
                }
                rate = Some(per_second);
            }
            Long("url") => url = Some(value(&mut parser, "--url")?),
            Long("client-id") => client_id = Some(value(&mut parser, "--client-id")?),
            Long("client-secret-env") => secret_env = Some(value(&mut parser, "--client-secret-env")?),
            Long("client-secret-stdin") => secret_stdin = true,
            Long("proxy") => common.proxy = Some(parse_proxy(&value(&mut parser, "--proxy")?)?),
            Long("timeout") => {
                let seconds: f64 = value(&mut parser, "--timeout")?.parse().map_err(|_| "--timeout: a number of seconds")?;
                if !(seconds > 0.0 && seconds <= 600.0) {
                    return Err("--timeout: between 0 and 600 seconds".into());
                }
                common.timeout = Duration::from_secs_f64(seconds);
            }
            Long("enc-type") => {
                common.enc = EncType::from_name(&value(&mut parser, "--enc-type")?).ok_or("--enc-type: md5, sha256 or hmac-sha256")?;
            }
            Long("env-pair") => {
                let pair = value(&mut parser, "--env-pair")?;
                let (production, test) = pair.split_once(',').ok_or("--env-pair: PROD_URL,TEST_URL")?;
                if HttpUrl::parse(production).is_none() || HttpUrl::parse(test).is_none() {
                    return Err(format!("--env-pair: {pair:?} is not two http(s) URLs"));
                }
                common.pairs.push(EnvironmentPair::from_bases(production, test));
            }
            Long("format") => common.format = Format::parse(&value(&mut parser, "--format")?)?,
            Long("lang") => common.lang = args::lang(&value(&mut parser, "--lang")?)?,
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    list.check_alone()?;
    if list.file.is_some() {
        if client_id.is_some() || secret_env.is_some() || secret_stdin {
            return Err("with --companies the keys come from the list: no --client-id or --client-secret-*".into());
        }
        if let Some(url) = url.as_deref().filter(|url| HttpUrl::parse(url).is_none()) {
            return Err(format!("--url: {url:?} is not an http(s) URL"));
        }
        return Ok(Command::List(batch::Options { list, url, parallel: parallel.unwrap_or(batch::DEFAULT_PARALLEL), rate, common }));
    }
    if parallel.is_some() || rate.is_some() {
        return Err("--parallel and --rate go with --companies FILE".into());
    }
    common.format = common.format.without_csv()?;
    let url = url.ok_or("--url is required")?;
    let client_id = client_id.ok_or("--client-id is required")?;
    let client_secret = match (secret_env, secret_stdin) {
        (Some(name), false) => Secret(std::env::var(&name).map_err(|_| format!("--client-secret-env: ${name} is not set"))?),
        (None, true) => {
            // Read into the `Secret` and trimmed in place: no unwiped copy of the line is left.
            let mut line = Secret(String::new());
            std::io::stdin().lock().read_line(&mut line.0).map_err(|error| format!("--client-secret-stdin: {error}"))?;
            let length = line.0.trim_end_matches(['\r', '\n']).len();
            line.0.truncate(length);
            line
        }
        _ => return Err("give exactly one of --client-secret-env VAR and --client-secret-stdin".into()),
    };
    Ok(Command::One(Options { request: ConnectionRequest { url, client_id, client_secret, encrypt_key: None }, common }))
}

/// The console's 代理 field: `host:port`; a leading `http://` is tolerated.
fn parse_proxy(text: &str) -> Result<(String, u16), String> {
    let bare = text.trim().trim_start_matches("http://").trim_end_matches('/');
    let (host, port) = bare.rsplit_once(':').ok_or_else(|| format!("--proxy: host:port, not {text:?}"))?;
    let port = port.parse().ok().filter(|&port| port != 0).ok_or_else(|| format!("--proxy: bad port in {text:?}"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("--proxy: bad host in {text:?}"));
    }
    Ok((host.to_owned(), port))
}

/// Where calls go from this server: the route, the environment pairs a refusal is probed
/// against, and for a list, the host checks shared by its rows.
pub struct Net<'a> {
    pub route: Route<'a>,
    pub pairs: &'a [EnvironmentPair],
    pub hosts: Option<&'a Hosts>,
}

pub struct Call {
    pub token_url: String,
    pub stages: Vec<StageReport>,
    pub outcome: Outcome,
}

pub struct Report {
    pub first: Option<Call>,
    pub probe: Option<(Environment, Call)>,
    pub outcome: Outcome,
    /// Every signature sent, so that the output can be scrubbed of them.
    pub signs: Vec<String>,
}

/// The connection test as the extension's button runs it (`core::piaozone::Diagnosis`), each
/// call staged on this server's route.
pub fn diagnose(request: &ConnectionRequest, enc: EncType, net: &Net<'_>) -> Report {
    let (mut diagnosis, mut next) = Diagnosis::start(request);
    let (mut first, mut probe, mut signs) = (None, None, Vec::new());
    let outcome = loop {
        match next {
            Next::Done(outcome) => break outcome,
            Next::Call { base, probe: environment } => {
                let call = call(request, enc, net, &base, &mut signs);
                next = diagnosis.answer(call.outcome.clone(), net.pairs);
                match environment {
                    Some(environment) => probe = Some((environment, call)),
                    None => first = Some(call),
                }
            }
        }
    };
    Report { first, probe, outcome, signs }
}

/// One token call against `base`, staged and timed. With host checks, a host that failed its
/// check is not tried again: the call gets the check's failure.
fn call(request: &ConnectionRequest, enc: EncType, net: &Net<'_>, base: &str, signs: &mut Vec<String>) -> Call {
    let token_url = token_url(base);
    let target = HttpUrl::parse(&token_url).expect("checked before: precheck or --env-pair");
    let timestamp_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis() as u64);
    let request = TokenRequest::new(&request.client_id, &request.client_secret.0, timestamp_ms, enc);
    signs.push(request.sign.clone());
    let mut stages = Vec::new();
    let checked = net.hosts.map(|hosts| hosts.check(&target, &net.route));
    let started = Instant::now();
    let result = match &checked {
        Some(HostCheck { result: Err(error), .. }) => Err(error.clone()),
        Some(HostCheck { result: Ok(addresses), .. }) => exchange(&target, &net.route, Some(addresses), &request.to_json(), &mut stages),
        None => exchange(&target, &net.route, None, &request.to_json(), &mut stages),
    };
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
    Call { token_url, stages, outcome }
}

fn render_json(report: &Report, options: &Options) -> String {
    let call_json = |call: &Call| json!({ "token_url": call.token_url, "stages": call.stages, "outcome": call.outcome });
    let value = json!({
        "url": options.request.url,
        "client_id": options.request.client_id,
        "enc_type": options.common.enc.name(),
        "proxy": options.common.proxy.as_ref().map(|(host, port)| format!("{host}:{port}")),
        "timeout_s": options.common.timeout.as_secs_f64(),
        "call": report.first.as_ref().map(call_json),
        "probe": report.probe.as_ref().map(|(environment, call)| json!({ "environment": environment, "call": call_json(call) })),
        "outcome": report.outcome,
        "explanation": report.outcome.explain(options.common.lang),
    });
    serde_json::to_string_pretty(&value).expect("JSON values always serialise")
}

fn render_text(report: &Report, lang: Lang) -> String {
    let mut text = String::new();
    let mut call_text = |heading: String, call: &Call| {
        text.push_str(&format!("{heading} {}\n", call.token_url));
        for stage in &call.stages {
            let mark = if stage.ok { "ok  " } else { "FAIL" };
            text.push_str(&format!("  {:<8} {mark} {:>6} ms  {}\n", stage.stage, stage.ms, stage.detail));
        }
        text.push_str(&format!("  → {}\n", call.outcome.kind.as_str()));
    };
    if let Some(call) = &report.first {
        call_text("POST".to_owned(), call);
    }
    if let Some((environment, call)) = &report.probe {
        let heading = match lang {
            Lang::Zh => format!("用同一组密钥试另一环境（{}）：POST", environment.name),
            Lang::En => format!("the same keys against the other environment ({}): POST", environment.name),
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
        assert_eq!(parse_proxy("172.18.1.1:10086").unwrap(), ("172.18.1.1".to_owned(), 10086));
        assert_eq!(parse_proxy("http://proxy.corp:3128/").unwrap(), ("proxy.corp".to_owned(), 3128));
        for bad in ["172.18.1.1", "host:0", ":80", "a b:80", "host:http"] {
            assert!(parse_proxy(bad).is_err(), "{bad:?}");
        }
    }
}
