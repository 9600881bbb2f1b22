//! The checklist in the browser's side panel (`sidepanel.html`), opened as the extension page for
//! a given tab (headless Chromium does not draw the real side panel): it follows the console tab
//! live (current step, verdicts appearing and clearing while the admin types in the page, the last
//! connection test), and on a console whose CSP forbids WebAssembly it checks the page itself,
//! from the plain-JS content script's snapshots.

use std::time::Duration;

use e2e::{Session, SHADOW};
use fantoccini::wd::WindowHandle;
use fantoccini::Locator;
use serde_json::{json, Value};

const PROD_ID: &str = "pz_prod_demo";
const PROD_SECRET: &str = "prod-demo-secret";
const PROD_KEY: &str = "ProdDemoKey16chr";

/// Our shadow root in the side panel page.
const SIDE: &str = "document.querySelector('piaozone-assist')?.shadowRoot";

/// Opens the side panel for the console tab in a second window; returns (console window, side
/// panel window).
async fn open_side_panel(s: &Session) -> (WindowHandle, WindowHandle) {
    let console = s.open_side_panel().await;
    (console, s.client.window().await.unwrap())
}

async fn side_wait(s: &Session, what: &str, expr: &str) -> Value {
    s.wait_for(what, &format!("(() => {{ const root = {SIDE}; return {expr}; }})()"), Duration::from_secs(10)).await
}

/// The side panel's verdict of `field` (its severity and rule), once it shows one.
async fn side_verdict(s: &Session, field: &str) -> Value {
    side_wait(
        s,
        &format!("the side panel's verdict of {field}"),
        &format!(
            "(v => v && {{ severity: v.dataset.severity, rule: v.dataset.rule, text: v.textContent }})\
             (root?.querySelector('[data-pa=\"side-verdicts\"] [data-field=\"{field}\"]'))"
        ),
    )
    .await
}

async fn side_verdict_gone(s: &Session, field: &str) {
    side_wait(
        s,
        &format!("{field}'s verdict to clear in the side panel"),
        &format!("!!root?.querySelector('[data-pa=\"side-verdicts\"]') && !root.querySelector('[data-field=\"{field}\"]')"),
    )
    .await;
}

async fn type_in_page(s: &Session, field: &str, value: &str) {
    let input = s.client.find(Locator::Css(&format!("#{field} input"))).await.unwrap();
    input.click().await.unwrap();
    input.send_keys("\u{E009}a\u{E009}\u{E003}").await.unwrap();
    input.send_keys(value).await.unwrap();
    input.send_keys("\u{E004}").await.unwrap();
}

/// 定位 on the verdict of `field`, then: the page's focused element is that field's input.
async fn reveal(s: &Session, side: &WindowHandle, console: &WindowHandle, field: &str, input_id: &str) {
    s.client.switch_to_window(side.clone()).await.unwrap();
    s.eval(&format!("{SIDE}.querySelector('[data-field=\"{field}\"] [data-pa=\"side-reveal\"]').click();")).await;
    s.client.switch_to_window(console.clone()).await.unwrap();
    s.wait_for(
        &format!("定位 to focus {field} in the page"),
        &format!("document.activeElement === document.querySelector('#{input_id} input')"),
        Duration::from_secs(5),
    )
    .await;
}

/// Screenshots of the console and of the side panel at the sizes they share on a 1280-pixel
/// screen (`side-panel-<name>-console.png`, `side-panel-<name>.png`); ends on the side panel.
async fn beside(s: &Session, console: &WindowHandle, side: &WindowHandle, name: &str) {
    s.client.switch_to_window(console.clone()).await.unwrap();
    s.client.set_window_size(900, 900).await.unwrap();
    s.screenshot(&format!("side-panel-{name}-console")).await;
    s.client.set_window_size(1280, 900).await.unwrap();
    s.client.switch_to_window(side.clone()).await.unwrap();
    s.client.set_window_size(380, 900).await.unwrap();
    let shot = s.screenshot(&format!("side-panel-{name}")).await;
    assert!(std::fs::metadata(shot).unwrap().len() > 10_000);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_side_panel_follows_its_tab() {
    // As installed: the checklist lives in the side panel, the page shows only its launcher.
    let s = Session::start_default().await;
    s.open("auth-config.html").await;
    s.wait_for(
        "the side panel launcher in the page",
        &format!("{SHADOW}?.querySelector('[data-pa=\"side-launcher\"]')"),
        Duration::from_secs(15),
    )
    .await;
    assert_eq!(s.eval(&format!("return !!{SHADOW}.querySelector('[data-pa=\"panel\"]');")).await, json!(false), "no floating panel");
    let (console, side) = open_side_panel(&s).await;

    // The current step, as the page detected it.
    let current = side_wait(&s, "the current step", "root?.querySelector('[data-step].is-current')?.dataset.step").await;
    assert_eq!(current, "auth_config");
    assert_eq!(side_wait(&s, "the side panel's language", "root?.querySelector('[data-pa=\"side-panel\"]')?.lang").await, "zh-CN");

    // A verdict appears while the admin types in the page, and clears when fixed.
    s.client.switch_to_window(console.clone()).await.unwrap();
    type_in_page(&s, "client_id", "TN_DEMO0001").await;
    s.client.switch_to_window(side.clone()).await.unwrap();
    let verdict = side_verdict(&s, "auth.client_id").await;
    assert_eq!(verdict["severity"], "error", "{verdict}");
    assert_eq!(verdict["rule"], "credentials.tenant_on_enterprise", "{verdict}");
    assert!(verdict["text"].as_str().unwrap().contains("定位"), "{verdict}");
    reveal(&s, &side, &console, "auth.client_id", "client_id").await;
    type_in_page(&s, "client_id", PROD_ID).await;
    s.client.switch_to_window(side.clone()).await.unwrap();
    side_verdict_gone(&s, "auth.client_id").await;

    // A tick in the side panel is the page's: its assistant owns the progress, and stores it.
    s.eval(&format!("{SIDE}.querySelector('[data-step=\"admin_org\"] [data-pa=\"tick\"]').click();")).await;
    side_wait(&s, "the ticked step", "root?.querySelector('[data-step=\"admin_org\"]')?.dataset.completion === 'ticked'").await;

    // The page's connection test, with the sandbox's real answer, shows as the last test.
    s.client.switch_to_window(console.clone()).await.unwrap();
    let sandbox = s.env.sandbox.clone();
    for (field, value) in [("url", sandbox.as_str()), ("client_secret", PROD_SECRET), ("encrypt_key", PROD_KEY)] {
        type_in_page(&s, field, value).await;
    }
    s.click_ours("[data-pa=\"connection-test\"]").await;
    s.client.switch_to_window(side.clone()).await.unwrap();
    let outcome = side_wait(
        &s,
        "the last connection test",
        "root?.querySelector('[data-pa=\"side-last-test\"] [data-pa=\"connection-result\"]')?.dataset.outcome",
    )
    .await;
    assert_eq!(outcome, "ok");
    let text = s.eval(&format!("return {SIDE}.querySelector('[data-pa=\"side-last-test\"]').textContent;")).await;
    assert!(text.as_str().unwrap().contains("连接成功"), "{text}");
    beside(&s, &console, &side, "zh").await;

    // The language setting re-words the page and the side panel at once.
    s.eval_async("await chrome.storage.local.set({ lang: 'en' }); return true;").await;
    side_wait(&s, "the English side panel", "root?.querySelector('[data-pa=\"side-panel\"]')?.lang === 'en'").await;
    let text = s.eval(&format!("return {SIDE}.querySelector('[data-pa=\"panel\"]').textContent;")).await;
    assert!(text.as_str().unwrap().contains("Piaozone authorization"), "{text}");
    beside(&s, &console, &side, "en").await;

    // The launcher asks the worker for the side panel (the browser opens it within the click).
    s.client.switch_to_window(console.clone()).await.unwrap();
    assert_eq!(
        s.eval(&format!("return {SHADOW}.querySelector('[data-pa=\"side-launcher\"]').textContent;")).await,
        json!("Piaozone setup · Open in side panel")
    );

    // 控制台页面内 on the options page: the open console takes the checklist back at once.
    s.client.switch_to_window(side.clone()).await.unwrap();
    s.eval_async("await chrome.storage.local.set({ checklist: 'page' }); return true;").await;
    s.client.switch_to_window(console.clone()).await.unwrap();
    s.wait_for(
        "the checklist back in the page",
        &format!("{SHADOW}?.querySelector('[data-pa=\"panel\"], [data-pa=\"panel-reopen\"]') && !{SHADOW}.querySelector('[data-pa=\"side-launcher\"]')"),
        Duration::from_secs(5),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_side_panel_shows_nothing_of_a_tab_that_is_not_a_console() {
    let s = Session::start().await;
    s.client.goto("data:text/html,<h1>not a console</h1>").await.unwrap();
    let (_, _side) = open_side_panel(&s).await;
    let state = side_wait(
        &s,
        "the side panel's refusal",
        "root?.querySelector('[data-pa=\"side-state\"][data-state=\"no-console\"]')?.textContent",
    )
    .await;
    // No tab to follow the language of: the browser's (zh-CN: the session's --accept-lang).
    assert!(state.as_str().unwrap().contains("不是已启用助手的星瀚控制台"), "{state}");
    assert_eq!(s.eval(&format!("return !!{SIDE}.querySelector('[data-pa=\"panel\"]');")).await, json!(false));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_console_that_forbids_wasm_is_checked_in_the_side_panel() {
    let s = Session::start().await;
    s.open("csp/auth-config.html").await;
    let (console, side) = open_side_panel(&s).await;
    side_wait(&s, "the fallback note", "root?.querySelector('[data-pa=\"side-fallback\"]')?.textContent").await;
    let current = side_wait(&s, "the current step", "root?.querySelector('[data-step].is-current')?.dataset.step").await;
    assert_eq!(current, "auth_config");

    // No wasm in the page: nothing of ours is drawn there.
    s.client.switch_to_window(console.clone()).await.unwrap();
    assert_eq!(s.eval("return document.querySelector('piaozone-assist');").await, json!(null));
    let wasm = s.eval("return performance.getEntriesByType('resource').some(e => e.name.endsWith('.wasm'));").await;
    assert_eq!(wasm, json!(false), "the page fetched no wasm");

    // Typing in the page: the side panel's own checks, from the page's snapshots.
    type_in_page(&s, "client_id", "TN_DEMO0001").await;
    s.client.switch_to_window(side.clone()).await.unwrap();
    let verdict = side_verdict(&s, "auth.client_id").await;
    assert_eq!(verdict["severity"], "error", "{verdict}");
    assert_eq!(verdict["rule"], "credentials.tenant_on_enterprise", "{verdict}");
    reveal(&s, &side, &console, "auth.client_id", "client_id").await;
    type_in_page(&s, "client_id", PROD_ID).await;
    s.client.switch_to_window(side.clone()).await.unwrap();
    side_verdict_gone(&s, "auth.client_id").await;

    // The connection test runs from the side panel, with the page's values at the click.
    s.client.switch_to_window(console.clone()).await.unwrap();
    let sandbox = s.env.sandbox.clone();
    for (field, value) in [("url", sandbox.as_str()), ("client_secret", PROD_SECRET), ("encrypt_key", PROD_KEY)] {
        type_in_page(&s, field, value).await;
    }
    s.client.switch_to_window(side.clone()).await.unwrap();
    side_wait(&s, "the side panel's test button", "root?.querySelector('[data-pa=\"side-connection-test\"]')").await;
    let button = s
        .element_by_js(&format!("return {SIDE}.querySelector('[data-pa=\"side-connection-test\"]');"), vec![])
        .await
        .expect("the side panel's connection-test button");
    button.click().await.unwrap();
    let outcome =
        side_wait(&s, "the side panel's connection test", "root?.querySelector('[data-pa=\"connection-result\"]')?.dataset.outcome").await;
    assert_eq!(outcome, "ok");
    beside(&s, &console, &side, "csp-zh").await;

    // A tick here is kept for the console (the side panel stores it, as the page would).
    s.eval(&format!("{SIDE}.querySelector('[data-step=\"admin_org\"] [data-pa=\"tick\"]').click();")).await;
    side_wait(&s, "the ticked step", "root?.querySelector('[data-step=\"admin_org\"]')?.dataset.completion === 'ticked'").await;
    let stored = s
        .eval_async(&format!(
            // Saved right after the tick shows: wait for the write.
            "const key = 'progress:' + {};
             for (let i = 0; i < 50; i++) {{
               const progress = (await chrome.storage.local.get(key))[key];
               if (JSON.stringify(progress || null).includes('admin_org')) return progress;
               await new Promise(r => setTimeout(r, 100));
             }}
             return (await chrome.storage.local.get(key))[key] || null;",
            json!(s.env.console)
        ))
        .await;
    assert!(stored.to_string().contains("admin_org"), "{stored}");
    // Nothing typed on the page was stored.
    let all = s
        .eval_async("return JSON.stringify(await chrome.storage.local.get(null)) + JSON.stringify(await chrome.storage.session.get(null));")
        .await;
    for secret in [PROD_SECRET, PROD_KEY] {
        assert!(!all.as_str().unwrap().contains(secret), "{secret} stored: {all}");
    }
}
