//! The sandbox as a client sees it: the token protocol, its refusals, its faults, its headers and
//! its log.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const TOKEN: &str = "/base/oauth/token";

fn post_json(sandbox: &Sandbox, target: &str, body: &Value) -> (u16, Value) {
    let response = http(sandbox.port, "POST", target, &[("Content-Type", "application/json")], &body.to_string()).expect("an answer");
    (response.status, serde_json::from_str(&response.body).unwrap_or(Value::Null))
}

fn signed(enc_type: Option<&str>, sign: &str) -> Value {
    let mut body = json!({ "client_id": PROD_ID, "timestamp": PROD_TIMESTAMP, "sign": sign });
    if let Some(enc_type) = enc_type {
        body["encType"] = json!(enc_type);
    }
    body
}

#[test]
fn all_three_sign_types_get_a_token() {
    let sandbox = Sandbox::start(&[]);
    let mut tokens = Vec::new();
    for (enc_type, sign) in PROD_SIGNS {
        let (status, answer) = post_json(&sandbox, TOKEN, &signed(enc_type, sign));
        assert_eq!(status, 200);
        assert_eq!(answer["errcode"], "0000", "encType {enc_type:?}: {answer}");
        assert_eq!(answer["token_type"], "bearer");
        assert_eq!(answer["expires_in"], 129600);
        let token = answer["access_token"].as_str().unwrap().to_owned();
        assert_eq!(token.len(), 32);
        tokens.push(token);
    }
    tokens.dedup();
    assert_eq!(tokens.len(), 3, "every token is fresh");

    let log = sandbox.log();
    assert_eq!(log.matches("env=production client_id=pz_prod_demo -> ok").count(), 3, "{log}");
    for secret_thing in tokens.iter().map(String::as_str).chain(PROD_SIGNS.map(|(_, sign)| sign)).chain([PROD_SECRET]) {
        assert!(!log.contains(secret_thing), "the log shows {secret_thing}: {log}");
    }
}

#[test]
fn each_documented_refusal() {
    let sandbox = Sandbox::start(&[]);
    let (_, md5) = PROD_SIGNS[0];
    let cases = [
        ("/test/base/oauth/token", signed(None, md5), "1002", "非法的客户id"),
        (TOKEN, json!({ "client_id": "nobody", "timestamp": "1", "sign": "x" }), "1002", "非法的客户id"),
        (TOKEN, signed(None, "0".repeat(32).as_str()), "1003", "签名认证不通过"),
        (TOKEN, signed(Some("1"), md5), "1003", "签名认证不通过"),
        (TOKEN, signed(Some("9"), md5), "1003", "签名认证不通过"),
        (TOKEN, json!({ "client_id": PROD_ID, "timestamp": PROD_TIMESTAMP }), "1003", "签名认证不通过"),
        (TOKEN, json!({ "timestamp": "1", "sign": "x" }), "1001", "应用id不能为空"),
        (TOKEN, json!({ "client_id": "", "timestamp": "1", "sign": "x" }), "1001", "应用id不能为空"),
        (TOKEN, json!("not an object"), "1000", "请求参数格式错误"),
    ];
    for (target, body, errcode, description) in cases {
        let (status, answer) = post_json(&sandbox, target, &body);
        assert_eq!(status, 200, "{body}");
        assert_eq!(answer, json!({ "errcode": errcode, "description": description }), "{target} {body}");
    }
    let log = sandbox.log();
    for outcome in ["unknown client id", "bad sign", "missing client id", "bad json"] {
        assert!(log.contains(&format!("-> {outcome}")), "{outcome} missing from {log}");
    }
    assert!(!log.contains(PROD_SECRET) && !log.contains(md5), "{log}");
}

#[test]
fn the_test_environment_has_its_own_keys() {
    let sandbox = Sandbox::start(&[]);
    // python3 -c 'import hashlib; print(hashlib.md5(b"pz_test_demotest-demo-secret1700000000000").hexdigest())'
    let body = json!({ "client_id": TEST_ID, "timestamp": "1700000000000", "sign": "e59eff7b93e11e82c915355ebaf99054" });
    assert_eq!(post_json(&sandbox, "/test/base/oauth/token", &body).1["errcode"], "0000");
    assert_eq!(post_json(&sandbox, TOKEN, &body).1["errcode"], "1002");
    let log = sandbox.log();
    assert!(log.contains("POST /test/base/oauth/token env=test client_id=pz_test_demo -> ok"), "{log}");
    assert!(!log.contains(TEST_SECRET));
}

#[test]
fn other_paths_and_methods() {
    let sandbox = Sandbox::start(&[]);
    assert_eq!(http(sandbox.port, "POST", "/base/oauth/tokens", &[], "{}").unwrap().status, 404);
    let get = http(sandbox.port, "GET", TOKEN, &[], "").unwrap();
    assert_eq!(get.status, 405);
    assert!(get.head.contains("Allow: POST"));
}

#[test]
fn faults_by_header_query_and_path_prefix() {
    let sandbox = Sandbox::start(&[]);
    let (_, md5) = PROD_SIGNS[0];
    let body = signed(None, md5).to_string();
    let fault = |target: &str, headers: &[(&str, &str)]| http(sandbox.port, "POST", target, headers, &body);

    let status = fault(TOKEN, &[("X-Sandbox-Fault", "status=503")]).unwrap();
    assert_eq!(status.status, 503);
    assert!(status.body.contains("sandbox fault"));
    assert!(!status.body.contains("errcode"));

    let html = fault("/base/oauth/token?fault=html", &[]).unwrap();
    assert_eq!(html.status, 200);
    assert!(html.head.to_ascii_lowercase().contains("content-type: text/html"), "{}", html.head);
    assert!(html.body.contains("<html>"));

    let garbage = fault("/_fault/garbage/test/base/oauth/token", &[]).unwrap();
    assert_eq!(garbage.status, 200);
    assert!(garbage.head.contains("application/json"));
    assert!(serde_json::from_str::<Value>(&garbage.body).is_err(), "{:?}", garbage.body);

    assert!(fault("/_fault/reset/base/oauth/token", &[]).is_none(), "reset closes without a byte");
    assert!(fault("/_fault/slow%3D10,reset", &[]).is_none(), "specs may be percent-encoded and combined");

    let started = Instant::now();
    let slow = fault(TOKEN, &[("X-Sandbox-Fault", "slow=600")]).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(600));
    assert_eq!(serde_json::from_str::<Value>(&slow.body).unwrap()["errcode"], "0000", "slow, then normal");

    let bad = fault(TOKEN, &[("X-Sandbox-Fault", "teapot")]).unwrap();
    assert_eq!(bad.status, 400);

    let header_wins = fault("/_fault/html/base/oauth/token?fault=garbage", &[("X-Sandbox-Fault", "status=418")]).unwrap();
    assert_eq!(header_wins.status, 418);
    let query_beats_path = fault("/_fault/html/base/oauth/token?fault=status=502", &[]).unwrap();
    assert_eq!(query_beats_path.status, 502);

    let log = sandbox.log();
    assert!(log.contains("fault Reset") && log.contains("fault Html") && log.contains("fault Status(503)"), "{log}");
    assert!(!log.contains(md5) && !log.contains(PROD_SECRET));
}

#[test]
fn a_slow_request_does_not_hold_up_the_others() {
    let sandbox = Sandbox::start(&[]);
    let port = sandbox.port;
    let slow = std::thread::spawn(move || http(port, "POST", TOKEN, &[("X-Sandbox-Fault", "slow=3000")], "{}"));
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    assert_eq!(http(port, "POST", TOKEN, &[], "{}").unwrap().status, 200);
    assert!(started.elapsed() < Duration::from_secs(2), "answered while the slow one waits");
    assert_eq!(slow.join().unwrap().unwrap().status, 200);
}

#[test]
fn a_slow_fault_beyond_30_s_is_refused_not_waited_for() {
    let sandbox = Sandbox::start(&[]);
    let started = Instant::now();
    let answer = http(sandbox.port, "POST", "/_fault/slow=999999/base/oauth/token", &[], "{}").expect("an answer, not a client timeout");
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("30000"), "{}", answer.body);
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// The sandbox serves at most 8 connections at once (`WORKERS` in `src/sandbox.rs`): 20 requests
/// of 1 s need three rounds, where a thread per request would answer all of them in one second.
#[test]
fn slow_requests_are_served_by_a_bounded_pool() {
    let sandbox = Sandbox::start(&[]);
    let port = sandbox.port;
    let started = Instant::now();
    let clients: Vec<_> = (0..20)
        .map(|_| {
            std::thread::spawn(move || http(port, "POST", TOKEN, &[("X-Sandbox-Fault", "slow=1000")], "{}").map(|answer| answer.status))
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().unwrap(), Some(200));
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(3000), "all at once: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(8), "not in parallel: {elapsed:?}");
}

/// A connection that never sends its request is answered 408 and closed, so that it cannot keep a
/// worker.
#[test]
fn an_idle_connection_is_closed_after_the_deadline() {
    let sandbox = Sandbox::start(&[]);
    let mut idle = TcpStream::connect(("127.0.0.1", sandbox.port)).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(9))).unwrap();
    idle.write_all(b"POST /base/oauth/token HTTP/1.1\r\n").unwrap();
    let started = Instant::now();
    let mut answer = String::new();
    idle.read_to_string(&mut answer).expect("the sandbox closes the connection before the client's timeout");
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer:?}");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(4) && elapsed < Duration::from_secs(8), "{elapsed:?}");
}

#[test]
fn a_configured_fault_applies_to_requests_that_name_none() {
    let sandbox = Sandbox::start(&["--fault", "status=500"]);
    assert_eq!(http(sandbox.port, "POST", TOKEN, &[], "{}").unwrap().status, 500);
    assert_eq!(http(sandbox.port, "POST", "/base/oauth/token?fault=html", &[], "{}").unwrap().status, 200);
}

#[test]
fn never_a_cors_header() {
    let sandbox = Sandbox::start(&[]);
    let (_, md5) = PROD_SIGNS[0];
    let origin = [("Origin", "https://console.example.com")];
    let answers = [
        http(sandbox.port, "POST", TOKEN, &origin, &signed(None, md5).to_string()),
        http(sandbox.port, "POST", TOKEN, &origin, "{}"),
        http(sandbox.port, "OPTIONS", TOKEN, &[("Origin", "https://x"), ("Access-Control-Request-Method", "POST")], ""),
        http(sandbox.port, "POST", "/base/oauth/token?fault=html", &origin, ""),
        http(sandbox.port, "POST", "/nowhere", &origin, ""),
    ];
    for answer in answers {
        let answer = answer.unwrap();
        assert!(!answer.head.to_ascii_lowercase().contains("access-control-"), "{}", answer.head);
    }
}

#[test]
fn accounts_file_replaces_the_defaults_and_is_checked() {
    let dir = std::env::temp_dir().join(format!("pz-sandbox-accounts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("accounts.toml");
    std::fs::write(&file, "[[production]]\nclient_id = \"acme\"\nclient_secret = \"s3cret\"\nencrypt_key = \"0123456789abcdef\"\n")
        .unwrap();
    let sandbox = Sandbox::start(&["--accounts", file.to_str().unwrap()]);
    // python3 -c 'import hashlib; print(hashlib.md5(b"acmes3cret42").hexdigest())'
    let acme = json!({ "client_id": "acme", "timestamp": "42", "sign": "5ba887147be220c59de7eb4961e0bfb7" });
    let (_, md5) = PROD_SIGNS[0];
    assert_eq!(post_json(&sandbox, TOKEN, &acme).1["errcode"], "0000");
    assert_eq!(post_json(&sandbox, TOKEN, &signed(None, md5)).1["errcode"], "1002", "defaults are gone");
    drop(sandbox);

    std::fs::write(&file, "[[test]]\nclient_id = \"acme\"\nclient_secret = \"s\"\nencrypt_key = \"short\"\n").unwrap();
    let status = std::process::Command::new(BIN).args(["sandbox", "--port", "0", "--accounts", file.to_str().unwrap()]).output().unwrap();
    assert_eq!(status.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&status.stderr).contains("not 16"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_usage_exits_2() {
    for args in [&["sandbox", "--port", "x"][..], &["sandbox", "--fault", "teapot"], &["sandbox", "--bogus"]] {
        let output = std::process::Command::new(BIN).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}
