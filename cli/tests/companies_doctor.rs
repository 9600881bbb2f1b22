//! `doctor --companies` against the sandbox: a whole list tested with bounded concurrency (counted
//! by a relay in front of the sandbox), one host check per host, each outcome summarised, the
//! rate, Ctrl-C, and never a secret, signature or token in what is printed.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use common::lists::{self, company, HEADER};
use common::{Proxy, Run, Sandbox, TempDir as Dir, BIN, PROD_ID, PROD_SECRET, TEST_ID, TEST_SECRET};

/// A sandbox whose production environment knows companies `0..n` of the generated list.
fn sandbox_for(dir: &Dir, n: usize, extra: &[&str]) -> Sandbox {
    let mut accounts = String::new();
    for i in 0..n {
        let [_, _, id, secret, key] = company(i);
        accounts += &format!("[[production]]\nclient_id = {id:?}\nclient_secret = {secret:?}\nencrypt_key = {key:?}\n");
    }
    accounts += &format!("[[production]]\nclient_id = {PROD_ID:?}\nclient_secret = {PROD_SECRET:?}\nencrypt_key = \"ProdDemoKey16chr\"\n");
    accounts += &format!("[[test]]\nclient_id = {TEST_ID:?}\nclient_secret = {TEST_SECRET:?}\nencrypt_key = \"TestDemoKey16chr\"\n");
    let file = dir.write("accounts.toml", accounts.as_bytes());
    Sandbox::start(&[&["--accounts", &file], extra].concat())
}

/// A TCP relay to `port` that counts connections: in all, and at most how many had sent a request
/// and not yet had the answer's first byte, at once. A client thread sends its next request only
/// after its previous answer, so this never exceeds the client's own concurrency.
struct Relay {
    port: u16,
    most: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
}

fn relay(port: u16) -> Relay {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let relay = Relay { port: listener.local_addr().unwrap().port(), most: Arc::default(), total: Arc::default() };
    let (most, total) = (Arc::clone(&relay.most), Arc::clone(&relay.total));
    let waiting = Arc::new(AtomicUsize::new(0));
    thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            total.fetch_add(1, Ordering::SeqCst);
            let (waiting, most) = (Arc::clone(&waiting), Arc::clone(&most));
            thread::spawn(move || {
                let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", port)) else { return };
                let asked = Arc::new(std::sync::atomic::AtomicBool::new(false));
                let (mut client_in, mut upstream_out) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let forward = {
                    let (waiting, asked) = (Arc::clone(&waiting), Arc::clone(&asked));
                    thread::spawn(move || {
                        let mut buffer = [0u8; 8192];
                        while let Ok(read) = client_in.read(&mut buffer) {
                            if read == 0 {
                                break;
                            }
                            if !asked.swap(true, Ordering::SeqCst) {
                                let now = waiting.fetch_add(1, Ordering::SeqCst) + 1;
                                most.fetch_max(now, Ordering::SeqCst);
                            }
                            if upstream_out.write_all(&buffer[..read]).is_err() {
                                break;
                            }
                        }
                        let _ = upstream_out.shutdown(Shutdown::Write);
                    })
                };
                let mut answered = false;
                let mut buffer = [0u8; 8192];
                while let Ok(read) = upstream.read(&mut buffer) {
                    if read == 0 {
                        break;
                    }
                    if !answered && asked.load(Ordering::SeqCst) {
                        answered = true;
                        waiting.fetch_sub(1, Ordering::SeqCst);
                    }
                    if client.write_all(&buffer[..read]).is_err() {
                        break;
                    }
                }
                let _ = client.shutdown(Shutdown::Both);
                let _ = forward.join();
                if !answered && asked.load(Ordering::SeqCst) {
                    waiting.fetch_sub(1, Ordering::SeqCst);
                }
            });
        }
    });
    relay
}

fn finished(output: Output, secrets: &[String]) -> Run {
    Run::checked(output, &secrets.iter().map(String::as_str).collect::<Vec<_>>())
}

fn doctor(args: &[&str], secrets: &[String]) -> Run {
    finished(Command::new(BIN).arg("doctor").args(args).output().unwrap(), secrets)
}

fn secrets_of(rows: &[Vec<String>]) -> Vec<String> {
    rows.iter().map(|r| r[3].clone()).filter(|s| s.len() >= 6).collect()
}

#[test]
fn a_list_of_200_is_tested_with_bounded_concurrency_and_one_host_check() {
    let dir = Dir::new("doctor-list-200");
    let sandbox = sandbox_for(&dir, 200, &["--fault", "slow=20"]);
    let relay = relay(sandbox.port);
    let rows: Vec<Vec<String>> = (0..200).map(|i| company(i).to_vec()).collect();
    let file = dir.write("list.csv", lists::csv(&HEADER, &rows).as_bytes());
    let url = format!("http://127.0.0.1:{}", relay.port);
    let started = Instant::now();
    let run = doctor(&["--companies", &file, "--url", &url, "--parallel", "3", "--format", "json"], &secrets_of(&rows));
    let elapsed = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["tested"], 200);
    assert_eq!(json["summary"], serde_json::json!({ "ok": 200 }));
    let most = relay.most.load(Ordering::SeqCst);
    assert!((2..=3).contains(&most), "--parallel 3 bounds connections at once: {most}");
    assert_eq!(relay.total.load(Ordering::SeqCst), 201, "one host check, then one connection per row");
    assert_eq!(json["hosts"].as_array().unwrap().len(), 1);
    assert_eq!(
        json["hosts"][0]["stages"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect::<Vec<_>>(),
        ["dns", "connect"]
    );
    for row in json["rows"].as_array().unwrap() {
        assert!(row["stages"].as_array().unwrap().iter().all(|s| s["stage"] != "dns"), "no DNS per row: {row}");
    }
    let plain: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(plain.len(), 200, "one progress line per row when stderr is not a terminal");
    assert!(plain.iter().all(|line| line.contains(": ok") || line.contains("：ok")), "{plain:?}");
    eprintln!("200 rows, --parallel 3, sandbox slow=20 ms: {:.2} s, at most {most} connections at once", elapsed.as_secs_f64());
}

#[test]
fn each_outcome_of_a_mixed_list_is_named_and_summarised() {
    let dir = Dir::new("doctor-list-mixed");
    let sandbox = sandbox_for(&dir, 2, &[]);
    let base = sandbox.base();
    let row = |name: &str, tax: String, id: &str, secret: &str| {
        vec![name.to_string(), tax, id.to_string(), secret.to_string(), "KeyKeyKeyKey16ch".to_string()]
    };
    let rows = vec![
        company(0).to_vec(),
        company(1).to_vec(),
        row("测试环境的公司", lists::tax_id(50), TEST_ID, TEST_SECRET),
        row("打错密钥的公司", lists::tax_id(51), "pz_unknown_company", "wrong-secret-value"),
        row("租户密钥的公司", lists::tax_id(52), "TN_group", "tenant-secret-value"),
        row("没有密钥的公司", lists::tax_id(53), "pz_list_9", ""),
    ];
    let file = dir.write("mixed.xlsx", &lists::xlsx(&HEADER, &rows, "Sheet1", false));
    let pair = format!("{base},{base}/test");
    let secrets = secrets_of(&rows);
    let run = doctor(&["--companies", &file, "--url", &base, "--env-pair", &pair, "--format", "json"], &secrets);
    assert_eq!(run.code, 1);
    let json = run.json();
    let kinds: Vec<(u64, &str)> =
        json["rows"].as_array().unwrap().iter().map(|r| (r["row"].as_u64().unwrap(), r["outcome"]["kind"].as_str().unwrap())).collect();
    assert_eq!(
        kinds,
        [(2, "ok"), (3, "ok"), (4, "environment_mismatch"), (5, "credentials_rejected"), (6, "tenant_key"), (7, "invalid_input")]
    );
    assert_eq!(json["summary"]["ok"], 2);
    assert_eq!(json["summary"]["非法的客户id"], 1, "a refusal is counted in Piaozone's words: {}", json["summary"]);

    let text = doctor(&["--companies", &file, "--url", &base, "--env-pair", &pair, "--lang", "en"], &secrets);
    assert!(text.stdout.contains("6 rows tested: 2 ok, "), "{}", text.stdout);
    assert!(text.stdout.contains("1 非法的客户id"), "{}", text.stdout);
    assert!(
        text.stdout.contains(&format!("Change the url to {base}/test")) || text.stdout.contains(&format!("{base}/test")),
        "{}",
        text.stdout
    );

    let csv = doctor(&["--companies", &file, "--url", &base, "--env-pair", &pair, "--format", "csv"], &secrets);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(csv.stdout.trim_start_matches('\u{FEFF}').as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        records.iter().map(|r| r[5].to_string()).collect::<Vec<_>>(),
        ["ok", "ok", "environment_mismatch", "credentials_rejected", "tenant_key", "invalid_input"]
    );
    assert!(records[1][3].contains("单元格"), "secrets shown as cell and length: {:?}", &records[1]);
}

#[test]
fn through_the_servers_proxy_every_row_goes_the_way_doctor_sends_one() {
    let dir = Dir::new("doctor-list-proxy");
    let sandbox = sandbox_for(&dir, 5, &[]);
    let proxy = Proxy::start();
    let rows: Vec<Vec<String>> = (0..5).map(|i| company(i).to_vec()).collect();
    let file = dir.write("list.csv", lists::csv(&HEADER, &rows).as_bytes());
    let run = doctor(
        &["--companies", &file, "--url", &sandbox.base(), "--proxy", &format!("127.0.0.1:{}", proxy.port), "--format", "json"],
        &secrets_of(&rows),
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let json = run.json();
    assert_eq!(json["summary"], serde_json::json!({ "ok": 5 }));
    assert!(
        json["hosts"][0]["stages"][0]["detail"].as_str().unwrap().starts_with("127.0.0.1 → "),
        "the host check reaches the proxy: {}",
        json["hosts"]
    );
    let expected = format!("POST {}/base/oauth/token HTTP/1.1", sandbox.base());
    assert_eq!(proxy.lines(), vec![expected; 5], "each row in absolute form through the proxy");
}

#[test]
fn on_a_terminal_the_progress_is_one_line_redrawn() {
    // `script` (util-linux, in every Debian) gives the run a pseudo-terminal, as a shell would.
    let dir = Dir::new("doctor-list-terminal");
    let sandbox = sandbox_for(&dir, 3, &[]);
    let rows: Vec<Vec<String>> = (0..3).map(|i| company(i).to_vec()).collect();
    let file = dir.write("list.csv", lists::csv(&HEADER, &rows).as_bytes());
    let command = format!("{BIN} doctor --companies {file} --url {} --lang en", sandbox.base());
    let output = Command::new("script").args(["-qec", &command, "/dev/null"]).stdin(Stdio::null()).output().unwrap();
    let run = finished(output, &secrets_of(&rows));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("\r\x1b[Kconnection test [##########--------------------] 1/3  ok 1  other 0"), "{:?}", run.stdout);
    assert!(run.stdout.contains("3/3  ok 3  other 0"), "{:?}", run.stdout);
    assert!(!run.stdout.contains("row 2: ok"), "no plain per-row lines on a terminal: {:?}", run.stdout);
}

#[test]
fn an_unreachable_host_is_checked_once_and_fails_its_rows_without_retrying() {
    let dir = Dir::new("doctor-list-unreachable");
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port(); // freed at once
    let rows: Vec<Vec<String>> = (0..5).map(|i| company(i).to_vec()).collect();
    let file = dir.write("list.csv", lists::csv(&HEADER, &rows).as_bytes());
    let run = doctor(
        &["--companies", &file, "--url", &format!("http://127.0.0.1:{closed}"), "--format", "json", "--timeout", "2"],
        &secrets_of(&rows),
    );
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["hosts"].as_array().unwrap().len(), 1);
    assert_eq!(json["hosts"][0]["ok"], false);
    assert_eq!(json["summary"].as_object().unwrap().len(), 1, "{}", json["summary"]);
    assert!(json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["outcome"]["kind"] == "unreachable" && r["stages"].as_array().unwrap().is_empty()));
}

#[test]
fn the_rate_spaces_the_calls() {
    let dir = Dir::new("doctor-list-rate");
    let sandbox = sandbox_for(&dir, 6, &[]);
    let rows: Vec<Vec<String>> = (0..6).map(|i| company(i).to_vec()).collect();
    let file = dir.write("list.csv", lists::csv(&HEADER, &rows).as_bytes());
    let started = Instant::now();
    let run = doctor(&["--companies", &file, "--url", &sandbox.base(), "--rate", "10", "--parallel", "4"], &secrets_of(&rows));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(started.elapsed() >= Duration::from_millis(500), "6 calls at 10 per second take at least 0.5 s: {:?}", started.elapsed());
}

#[test]
fn ctrl_c_stops_taking_rows_and_still_prints_what_finished() {
    let dir = Dir::new("doctor-list-interrupt");
    let sandbox = sandbox_for(&dir, 40, &["--fault", "slow=300"]);
    let rows: Vec<Vec<String>> = (0..40).map(|i| company(i).to_vec()).collect();
    let file = dir.write("list.csv", lists::csv(&HEADER, &rows).as_bytes());
    let child = Command::new(BIN)
        .args(["doctor", "--companies", &file, "--url", &sandbox.base(), "--parallel", "2", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    thread::sleep(Duration::from_millis(1200));
    // SAFETY: kill(2) with the pid of our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let started = Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "the calls under way finish, no new one starts");
    let run = finished(output, &secrets_of(&rows));
    assert_eq!(run.code, 130);
    let json = run.json();
    assert_eq!(json["stopped"], true);
    let tested = json["tested"].as_u64().unwrap();
    assert!((2..40).contains(&tested), "{tested} rows finished");
    assert_eq!(json["not_tested"].as_u64().unwrap(), 40 - tested);
    assert_eq!(json["rows"].as_array().unwrap().len() as u64, tested);
}

#[test]
fn a_list_without_keys_or_with_keys_on_the_command_line_is_refused() {
    let dir = Dir::new("doctor-list-usage");
    let names =
        dir.write("names.csv", lists::csv(&["企业名称", "企业税号"], &[vec![company(0)[0].clone(), company(0)[1].clone()]]).as_bytes());
    let full = dir.write("full.csv", lists::csv(&HEADER, &[company(0).to_vec()]).as_bytes());
    for (args, says) in [
        (vec!["--companies", &names, "--url", "http://127.0.0.1:1"], "Client id"),
        (vec!["--companies", &full], "--url"),
        (vec!["--companies", &full, "--url", "http://127.0.0.1:1", "--client-id", "x"], "from the list"),
        (vec!["--companies", &full, "--url", "http://127.0.0.1:1", "--parallel", "0"], "--parallel"),
        (vec!["--url", "http://127.0.0.1:1", "--client-id", "x", "--rate", "5"], "--companies"),
        (vec!["--url", "http://127.0.0.1:1", "--client-id", "x", "--format", "csv"], "--companies"),
    ] {
        let mut command = Command::new(BIN);
        command.arg("doctor").args(&args).stdin(Stdio::piped());
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let _ = child.stdin.take().unwrap().write_all(b"secret\n");
        let output = child.wait_with_output().unwrap();
        let mut stderr = String::new();
        output.stderr.as_slice().read_to_string(&mut stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}
