//! No secret typed into the console is ever kept, shown, logged or sent anywhere but the token
//! call's signature. A seeded value goes into every secret field of every replica page, every
//! feature runs on it (validation, the connection test really answered by the sandbox, the tenant
//! save, the dialogs), and then chrome.storage (local, sync, session), every frame's DOM with its
//! shadow roots, the page-structure report, the browser's log and the full network capture
//! (requests, responses and their bodies) are searched. Each search has a positive control that it sees what it searches: a
//! search that finds nothing because it looked at nothing would pass every time.

use std::time::Duration;

use e2e::{Session, SHADOW};
use fantoccini::Locator;

/// The Client id of the seeded pair (not a secret: it is sent, and must reach the net log).
const CLIENT_ID: &str = "pz_zq7_seeded_client";

/// (field label, seeded value). Each value is unique, so a leak names its field. The Encrypt
/// Keys are 16 characters: a wrong length would stop the connection test before any request.
const SECRETS: [(&str, &str); 13] = [
    ("Client Secret", "Zq7-client-secret-4471"),
    ("Encrypt Key", "Zq7EncryptKey881"),
    ("Client Secret (旧版)", "Zq7-legacy-secret-2208"),
    ("Encrypt Key (旧版)", "Zq7LegacyKey5530"),
    ("授权密钥", "Zq7-tenant-secret-0935"),
    ("加密key", "Zq7-tenant-key-5520"),
    ("密码", "Zq7-etax-password-3318"),
    ("第三方app_secret", "Zq7-app-secret-7710"),
    ("激活码", "Zq7-activation-code-1187"),
    ("客户端标识", "Zq7-expense-secret-6604"),
    ("接入标识", "Zq7-expense-key-2291"),
    ("Client Secret (CSP)", "Zq7-nowasm-secret-5061"),
    ("Encrypt Key (CSP)", "Zq7NoWasmKey7124"),
];

fn secret(label: &str) -> &'static str {
    SECRETS.iter().find(|(l, _)| *l == label).unwrap().1
}

/// Everything a reader of the page could see: the markup (typed values are properties, not
/// markup) and text of the document, of every same-origin frame and of every open shadow root
/// (the dev build keeps ours open for this), recursively.
async fn page_everything(s: &Session) -> String {
    let dom = s
        .eval(
            "const parts = [];
             const walk = (root) => {
               for (const el of root.querySelectorAll('*')) {
                 if (el.shadowRoot) { parts.push(el.shadowRoot.innerHTML, el.shadowRoot.textContent); walk(el.shadowRoot); }
                 if (el.tagName === 'IFRAME' && el.contentDocument) {
                   parts.push(el.contentDocument.documentElement.outerHTML, el.contentDocument.body?.innerText ?? '');
                   walk(el.contentDocument);
                 }
               }
             };
             parts.push(document.documentElement.outerHTML, document.body.innerText);
             walk(document);
             return parts.join('\\n');",
        )
        .await;
    dom.as_str().unwrap().to_owned()
}

async fn assert_page_clean(s: &Session, page: &str, also_absent: &[&str]) {
    // The page-structure report, as the popup asks for it (control: it shows the page's fields).
    let report = s.page_report("zh-CN").await;
    assert!(report.contains("## 页面骨架") && !report.contains("- 页面: 未识别"), "the report describes {page}:\n{report}");
    for (label, value) in SECRETS {
        assert!(!report.contains(value), "{label}'s value found in the page-structure report of {page}");
    }
    // Nor what was typed that is no secret: the Client id, the url.
    let sandbox = s.env.sandbox.trim_start_matches("http://");
    for value in also_absent.iter().chain(&[CLIENT_ID, sandbox]) {
        assert!(!report.contains(value), "{value:?} found in the page-structure report of {page}");
    }
    let seen = page_everything(s).await;
    assert!(seen.contains("发票云配置助手"), "the search saw our panel on {page}");
    for (label, value) in SECRETS {
        assert!(!seen.contains(value), "{label}'s value found in the DOM of {page}");
    }
    for value in also_absent {
        assert!(!seen.contains(value), "{value:?} found in the DOM of {page}");
    }
}

/// Clicks our connection test and returns the card's outcome and text.
async fn connection_test(s: &Session) -> (String, String) {
    s.eval(&format!("{SHADOW}?.querySelector('[data-pa=\"connection-close\"]')?.click();")).await;
    s.click_ours("[data-pa=\"connection-test\"]").await;
    let outcome = s
        .wait_for(
            "a connection result",
            &format!(
                "{SHADOW}.querySelector('[data-pa=\"connection-test\"]').getAttribute('aria-busy') === 'false'
                 && {SHADOW}.querySelector('[data-pa=\"connection-result\"]')?.dataset.outcome"
            ),
            Duration::from_secs(15),
        )
        .await;
    let text = s.eval(&format!("return {SHADOW}.querySelector('[data-pa=\"connection-result\"]').innerText;")).await;
    (outcome.as_str().unwrap().to_owned(), text.as_str().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_is_stored_shown_logged_or_sent() {
    let dir = Session::start().await.env.artifacts.join(format!("secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (netlog, chrome_log) = (dir.join("net.json"), dir.join("chrome.log"));
    let s = Session::start_with_flags(&[
        format!("--log-net-log={}", netlog.display()),
        "--net-log-capture-mode=Everything".into(),
        "--enable-logging".into(),
        format!("--log-file={}", chrome_log.display()),
        "--v=0".into(),
    ])
    .await;
    let sandbox = s.env.sandbox.clone();
    let log_marker = format!("pa-log-control-{}", std::process::id());

    // 发票云授权配置: the test reaches the sandbox, which refuses the seeded pair.
    s.open("auth-config.html").await;
    s.wait_for_assistant().await;
    s.eval(&format!("console.log('{log_marker}');")).await;
    s.type_into("url", &sandbox).await;
    s.type_into("Client id", CLIENT_ID).await;
    s.type_into("Client Secret", secret("Client Secret")).await;
    s.type_into("Encrypt Key", secret("Encrypt Key")).await;
    s.verdict("auth.encrypt_key", None).await;
    let (outcome, text) = connection_test(&s).await;
    assert_eq!(outcome, "credentials_rejected", "{text}");
    assert!(text.contains("非法的客户id") && text.contains("HTTP 200"), "the sandbox answered: {text}");
    // A relay that echoes the request body (client id, timestamp, sign) in its description.
    s.eval(&format!("{SHADOW}.querySelector('[data-pa=\"connection-close\"]').click();")).await;
    s.type_into("url", &format!("{sandbox}/_fault/echo")).await;
    let (outcome, echoed) = connection_test(&s).await;
    assert!(echoed.contains("relay received"), "the echo reached the card, scrubbed: {outcome}: {echoed}");
    assert_page_clean(&s, "auth-config.html", &[CLIENT_ID]).await;

    // The older shell of the same page.
    s.open("auth-config-legacy.html").await;
    s.wait_for_assistant().await;
    s.type_into("url", &sandbox).await;
    s.type_into("Client id", CLIENT_ID).await;
    s.type_into("Client Secret", secret("Client Secret (旧版)")).await;
    s.type_into("Encrypt Key", secret("Encrypt Key (旧版)")).await;
    let (outcome, text) = connection_test(&s).await;
    assert_eq!(outcome, "credentials_rejected", "{text}");
    assert_page_clean(&s, "auth-config-legacy.html", &[CLIENT_ID]).await;

    // A console whose CSP forbids wasm: the side panel checks its snapshots and runs the test
    // with the values it asks for at the click.
    s.open("csp/auth-config.html").await;
    s.type_into("url", &sandbox).await;
    s.type_into("Client id", CLIENT_ID).await;
    s.type_into("Client Secret", secret("Client Secret (CSP)")).await;
    s.type_into("Encrypt Key", secret("Encrypt Key (CSP)")).await;
    let console = s.open_side_panel().await;
    let side_root = "document.querySelector('piaozone-assist')?.shadowRoot";
    let button = s
        .wait_for(
            "the side panel's test button",
            &format!("{side_root}?.querySelector('[data-pa=\"side-connection-test\"]')"),
            Duration::from_secs(10),
        )
        .await;
    assert!(button.is_object());
    s.element_by_js(&format!("return {side_root}.querySelector('[data-pa=\"side-connection-test\"]');"), vec![])
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let outcome = s
        .wait_for(
            "the side panel's result",
            &format!("{side_root}?.querySelector('[data-pa=\"connection-result\"]')?.dataset.outcome"),
            Duration::from_secs(15),
        )
        .await;
    assert_eq!(outcome, "credentials_rejected");
    let seen = page_everything(&s).await;
    assert!(seen.contains("发票云配置助手") && seen.contains("非法的客户id"), "the search saw the side panel: {seen}");
    for (label, value) in SECRETS {
        assert!(!seen.contains(value), "{label}'s value found in the side panel's DOM");
    }
    s.client.close_window().await.unwrap();
    s.client.switch_to_window(console).await.unwrap();
    let seen = page_everything(&s).await;
    for (label, value) in SECRETS {
        assert!(!seen.contains(value), "{label}'s value found in the DOM of the strict-CSP page");
    }

    // 数电配置: the tenant dialog (saved), then the tax-bureau account dialog.
    s.open("etax-config.html").await;
    s.wait_for_assistant().await;
    s.client.find(Locator::Css("#btn_tenantauth")).await.unwrap().click().await.unwrap();
    s.type_into("授权密钥", secret("授权密钥")).await;
    s.type_into("加密key", secret("加密key")).await;
    assert_page_clean(&s, "the tenant dialog", &[]).await;
    s.eval("document.getElementById('btn_tenant_save').click();").await;
    s.client.find(Locator::Css("#etaxlist span.link-cell-content")).await.unwrap().click().await.unwrap();
    s.client.find(Locator::Css("#btn_addaccount")).await.unwrap().click().await.unwrap();
    s.type_into("密码", secret("密码")).await;
    s.choose("登录类型", "小号登录").await;
    s.type_into("第三方app_secret", secret("第三方app_secret")).await;
    s.verdict("etax.app_secret", None).await;
    assert_page_clean(&s, "the account dialog", &[]).await;

    // The older 数电 page: its 导入激活码 dialog, confirmed.
    s.open("etax-legacy.html").await;
    s.wait_for_assistant().await;
    s.client.find(Locator::Css("#btn_importcode")).await.unwrap().click().await.unwrap();
    s.type_into("激活码", secret("激活码")).await;
    s.eval("document.getElementById('btn_activation_ok').click();").await;
    s.wait_for("the import confirmed", "document.body.innerText.includes('导入激活码成功')", Duration::from_secs(5)).await;
    assert_page_clean(&s, "etax-legacy.html", &[]).await;

    // 费用云/发票云 authorisation of the expense app.
    s.open("expense-config.html").await;
    s.wait_for_assistant().await;
    s.type_into("客户端标识", secret("客户端标识")).await;
    s.type_into("接入标识", secret("接入标识")).await;
    s.verdict("expense.encrypt_key", None).await;
    assert_page_clean(&s, "expense-config.html", &[]).await;

    let stored = s
        .on_extension_page(
            "const all = await Promise.all([chrome.storage.local.get(null), chrome.storage.sync.get(null), chrome.storage.session.get(null)]);
             return JSON.stringify(all);",
        )
        .await;
    let stored = stored.as_str().unwrap().to_owned();
    assert!(stored.contains("etax_tenant"), "the search saw the stored checklist: {stored}");
    drop(s); // Chromium writes the end of its net log on exit
    tokio::time::sleep(Duration::from_millis(500)).await;

    let net = std::fs::read_to_string(&netlog).expect("the net log");
    // Bodies are logged as base64 byte dumps: decode every one.
    let mut sent = net.clone();
    for chunk in net.split("\"bytes\":\"").skip(1) {
        let encoded = chunk.split('"').next().unwrap_or_default();
        sent.push_str(&String::from_utf8_lossy(&base64_decode(encoded)));
    }
    assert!(net.contains("/base/oauth/token") && sent.contains(CLIENT_ID), "the capture holds the token requests");
    let signs = sent_values(&sent, "sign");
    let timestamps = sent_values(&sent, "timestamp");
    assert!(!signs.is_empty() && !timestamps.is_empty(), "the capture holds the signed bodies");
    assert!(sent.contains("relay received"), "the capture holds the echoing relay's answer");
    let log = std::fs::read_to_string(&chrome_log).expect("the browser's log");
    assert!(log.contains(&log_marker), "the browser's log captures console output");

    for (label, value) in SECRETS {
        assert!(!sent.contains(value), "{label}'s value went over the network");
        assert!(!log.contains(value), "{label}'s value is in the browser's log");
        assert!(!stored.contains(value), "{label}'s value found in chrome.storage: {stored}");
    }
    // What was sent is never shown back, even when the relay echoed it.
    for value in signs.iter().chain(&timestamps) {
        assert!(!echoed.contains(value.as_str()), "{value} shown on the card: {echoed}");
    }
    assert!(!echoed.contains(CLIENT_ID), "the client id shown on the card: {echoed}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every value of `"key":"…"` in the decoded capture (the token request's JSON body).
fn sent_values(capture: &str, key: &str) -> Vec<String> {
    let needle = format!("\"{key}\":\"");
    capture
        .split(&needle)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|value| value.len() >= 8 && !value.contains('\\'))
        .map(str::to_owned)
        .collect()
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for byte in text.bytes() {
        let Some(value) = ALPHABET.iter().position(|&c| c == byte) else { continue };
        buffer = (buffer << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}
