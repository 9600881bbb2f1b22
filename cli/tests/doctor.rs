//! `doctor` against the sandbox: every outcome it can reach from a server, through a proxy too,
//! and never a secret, signature or token in what it prints.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// Runs doctor with the secret in `$PZ_SECRET`, and checks what every run must never print.
fn doctor(secret: &str, args: &[&str]) -> Run {
    let output =
        Command::new(BIN).arg("doctor").args(args).args(["--client-secret-env", "PZ_SECRET"]).env("PZ_SECRET", secret).output().unwrap();
    Run::checked(output, &[secret])
}

fn prod_args(url: &str) -> Vec<String> {
    vec!["--url".into(), url.into(), "--client-id".into(), PROD_ID.into(), "--format".into(), "json".into()]
}

fn args(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

#[test]
fn ok_with_each_sign_type_and_timed_stages() {
    let sandbox = Sandbox::start(&[]);
    for enc in ["md5", "sha256", "hmac-sha256"] {
        let mut list = prod_args(&sandbox.base());
        list.extend(["--enc-type".into(), enc.into()]);
        let run = doctor(PROD_SECRET, &args(&list));
        assert_eq!(run.code, 0, "{enc}: {}", run.stdout);
        let json = run.json();
        assert_eq!(json["outcome"]["kind"], "ok");
        assert_eq!(json["outcome"]["expires_in"], 129600);
        let stages: Vec<&str> = json["call"]["stages"].as_array().unwrap().iter().map(|stage| stage["stage"].as_str().unwrap()).collect();
        assert_eq!(stages, ["dns", "connect", "request"], "no TLS for http");
        assert!(json["call"]["stages"].as_array().unwrap().iter().all(|stage| stage["ok"] == true && stage["ms"].is_u64()));
        assert!(json["probe"].is_null(), "no probe after a success");
    }
    let text = doctor(PROD_SECRET, &["--url", &sandbox.base(), "--client-id", PROD_ID, "--lang", "en"]);
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("[ok] Connected"), "{}", text.stdout);
    assert!(text.stdout.contains("valid for 129600 s"));
}

#[test]
fn credentials_rejected_explains_the_refusal() {
    let sandbox = Sandbox::start(&[]);
    let run = doctor("wrong-secret", &args(&prod_args(&sandbox.base())));
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["outcome"]["kind"], "credentials_rejected");
    assert_eq!(json["outcome"]["description"], "签名认证不通过");
    assert!(json["probe"].is_null(), "the sandbox is not a known pair without --env-pair");
    assert!(json["explanation"]["explanation"].as_str().unwrap().contains("签名校验失败"));

    // With the pair known, the counterpart refuses as well: then the keys themselves are wrong.
    let mut list = prod_args(&sandbox.base());
    list.extend(["--env-pair".into(), format!("{0},{0}/test", sandbox.base())]);
    let json = doctor("wrong-secret", &args(&list)).json();
    assert_eq!(json["outcome"]["kind"], "credentials_rejected");
    assert_eq!(json["outcome"]["also_rejected_by"], format!("{}/test", sandbox.base()));
    assert_eq!(json["probe"]["call"]["outcome"]["description"], "非法的客户id");
}

#[test]
fn environment_mismatch_names_the_right_url() {
    let sandbox = Sandbox::start(&[]);
    let base = sandbox.base();
    let mut list = prod_args(&format!("{base}/test/"));
    list.extend(["--env-pair".into(), format!("{base},{base}/test")]);
    let run = doctor(PROD_SECRET, &args(&list));
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["outcome"]["kind"], "environment_mismatch");
    assert_eq!(json["outcome"]["right_url"], base);
    assert_eq!(json["outcome"]["description"], "非法的客户id");
    assert_eq!(json["probe"]["call"]["outcome"]["kind"], "ok");
    assert!(json["explanation"]["fix"].as_str().unwrap().contains(&format!("把 url 改为 {base}")));
}

#[test]
fn unreachable_at_a_closed_port() {
    let closed_port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let run = doctor(PROD_SECRET, &args(&prod_args(&format!("http://127.0.0.1:{closed_port}"))));
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["outcome"]["kind"], "unreachable");
    assert_eq!(json["outcome"]["stage"], "connect");
    assert_eq!(json["call"]["stages"][1]["ok"], false);
}

#[test]
fn a_slow_answer_times_out() {
    let sandbox = Sandbox::start(&[]);
    let mut list = prod_args(&format!("{}/_fault/slow=5000", sandbox.base()));
    list.extend(["--timeout".into(), "1".into()]);
    let started = Instant::now();
    let run = doctor(PROD_SECRET, &args(&list));
    let elapsed = started.elapsed();
    assert_eq!(run.code, 1);
    assert_eq!(run.kind(), "unreachable");
    assert_eq!(run.json()["outcome"]["stage"], "timeout");
    assert!(elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(4), "{elapsed:?}");
}

#[test]
fn html_is_not_piaozone_and_shows_a_clean_excerpt() {
    let sandbox = Sandbox::start(&[]);
    let run = doctor(PROD_SECRET, &args(&prod_args(&format!("{}/_fault/html", sandbox.base()))));
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["outcome"]["kind"], "not_piaozone");
    let excerpt = json["outcome"]["excerpt"].as_str().unwrap();
    assert!(excerpt.starts_with("上网认证 / Network login 上网认证"), "{excerpt}");
    assert!(!excerpt.contains('<') && !excerpt.contains("font-family") && excerpt.chars().count() <= 120);

    let garbage = doctor(PROD_SECRET, &args(&prod_args(&format!("{}/_fault/garbage", sandbox.base()))));
    assert_eq!(garbage.kind(), "not_piaozone");
}

#[test]
fn a_server_error_is_an_http_error() {
    let sandbox = Sandbox::start(&[]);
    let run = doctor(PROD_SECRET, &args(&prod_args(&format!("{}/_fault/status=500", sandbox.base()))));
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["outcome"]["kind"], "http_error");
    assert_eq!(json["outcome"]["http_status"], 500);
}

#[test]
fn a_reset_connection_is_unreachable() {
    let sandbox = Sandbox::start(&[]);
    let run = doctor(PROD_SECRET, &args(&prod_args(&format!("{}/_fault/reset", sandbox.base()))));
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["outcome"]["kind"], "unreachable");
    assert_eq!(json["outcome"]["stage"], "other");
}

#[test]
fn tenant_keys_and_bad_fields_make_no_call() {
    let sandbox = Sandbox::start(&[]);
    let tenant = doctor("prod-tenant-secret", &["--url", &sandbox.base(), "--client-id", "TN_prod_demo", "--format", "json"]);
    assert_eq!((tenant.code, tenant.kind()), (1, "tenant_key".to_owned()));
    let invalid = doctor("has space", &["--url", "ftp://x", "--client-id", PROD_ID, "--format", "json"]);
    assert_eq!((invalid.code, invalid.kind()), (1, "invalid_input".to_owned()));
    let json = invalid.json();
    let fields: Vec<&str> =
        json["outcome"]["invalid_fields"].as_array().unwrap().iter().map(|field| field["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["auth.url", "auth.client_secret"]);
    assert!(!sandbox.log().contains("POST"), "no request reached the sandbox");
}

#[test]
fn the_secret_can_come_from_stdin() {
    let sandbox = Sandbox::start(&[]);
    let mut child = Command::new(BIN)
        .args(["doctor", "--url", &sandbox.base(), "--client-id", PROD_ID, "--client-secret-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{PROD_SECRET}\r\n").as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&output.stdout).contains(PROD_SECRET));
}

/// An empty secret is reported as such, and the output stays readable: scrubbing the empty string
/// from it once put `<secret>` between every two characters.
#[test]
fn an_empty_secret_is_named_and_the_output_intact() {
    for format in ["json", "text"] {
        let output = Command::new(BIN)
            .args(["doctor", "--url", "https://api.piaozone.com", "--client-id", PROD_ID])
            .args(["--client-secret-env", "PZ_EMPTY", "--format", format, "--lang", "en"])
            .env("PZ_EMPTY", "")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(!stdout.contains("<secret>"), "{stdout}");
        if format == "json" {
            let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
            assert_eq!(json["outcome"]["kind"], "invalid_input");
            assert_eq!(json["outcome"]["invalid_fields"][0]["field"], "auth.client_secret");
        } else {
            assert!(stdout.contains("Client Secret"), "{stdout}");
        }
    }
}

#[test]
fn bad_usage_exits_2() {
    let cases: [&[&str]; 6] = [
        &["doctor", "--client-id", "x", "--client-secret-env", "HOME"],
        &["doctor", "--url", "http://x", "--client-secret-env", "HOME"],
        &["doctor", "--url", "http://x", "--client-id", "x"],
        &["doctor", "--url", "http://x", "--client-id", "x", "--client-secret-env", "PZ_UNSET_FOR_SURE"],
        &["doctor", "--url", "http://x", "--client-id", "x", "--client-secret-env", "HOME", "--proxy", "nohostport"],
        &["doctor", "--url", "http://x", "--client-id", "x", "--client-secret-env", "HOME", "--enc-type", "sha1"],
    ];
    for case in cases {
        let output = Command::new(BIN).args(case).env_remove("PZ_UNSET_FOR_SURE").output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{case:?}");
    }
}

#[test]
fn through_a_forward_proxy_for_http() {
    let sandbox = Sandbox::start(&[]);
    let proxy = Proxy::start();
    let mut list = prod_args(&sandbox.base());
    list.extend(["--proxy".into(), format!("127.0.0.1:{}", proxy.port)]);
    let run = doctor(PROD_SECRET, &args(&list));
    assert_eq!(run.code, 0, "{}", run.stdout);
    let json = run.json();
    assert_eq!(json["proxy"], format!("127.0.0.1:{}", proxy.port));
    assert_eq!(json["call"]["stages"][1]["detail"], format!("127.0.0.1:{}", proxy.port), "connected to the proxy");
    assert_eq!(proxy.lines(), [format!("POST {}/base/oauth/token HTTP/1.1", sandbox.base())], "absolute form through the proxy");

    // The proxy saw the real signature and token go by; the output shows neither.
    let traffic = String::from_utf8_lossy(&proxy.traffic.lock().unwrap()).into_owned();
    let field = |name: &str| {
        let start = traffic.find(&format!("\"{name}\":\"")).unwrap_or_else(|| panic!("{name} in {traffic}")) + name.len() + 4;
        traffic[start..start + traffic[start..].find('"').unwrap()].to_owned()
    };
    let (sign, token) = (field("sign"), field("access_token"));
    assert_eq!((sign.len(), token.len()), (32, 32));
    assert!(!run.stdout.contains(&sign) && !run.stdout.contains(&token));
}

#[test]
fn through_a_connect_tunnel_for_https() {
    // The sandbox speaks plain HTTP, so the tunnel opens and then the TLS handshake fails: this
    // shows the CONNECT stage working and a TLS failure classified as such.
    let sandbox = Sandbox::start(&[]);
    let proxy = Proxy::start();
    let mut list = prod_args(&format!("https://127.0.0.1:{}", sandbox.port));
    list.extend(["--proxy".into(), format!("127.0.0.1:{}", proxy.port), "--timeout".into(), "3".into()]);
    let run = doctor(PROD_SECRET, &args(&list));
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(proxy.lines(), [format!("CONNECT 127.0.0.1:{} HTTP/1.1", sandbox.port)]);
    let stages: Vec<(&str, bool)> = json["call"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stage| (stage["stage"].as_str().unwrap(), stage["ok"].as_bool().unwrap()))
        .collect();
    assert_eq!(stages, [("dns", true), ("connect", true), ("proxy", true), ("tls", false)]);
    assert_eq!(json["outcome"]["kind"], "unreachable");
    assert_eq!(json["outcome"]["stage"], "tls");
}

#[test]
fn a_dead_proxy_is_named_as_the_proxy() {
    let closed_port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut list = prod_args("https://api.piaozone.com");
    list.extend(["--proxy".into(), format!("127.0.0.1:{closed_port}")]);
    let json = doctor(PROD_SECRET, &args(&list)).json();
    assert_eq!(json["outcome"]["kind"], "unreachable");
    assert_eq!(json["outcome"]["stage"], "proxy");
}
