//! The worker answers each message only from the context it is for (`core::trust`): site
//! management and field bindings from the extension's own pages, the connection test from a console's top frame for
//! that tab, and content scripts cannot reach `chrome.storage` at all. Each message is sent from
//! the wrong context, as another script in that context could, and must come back refused; the
//! right context is the control that the same message is otherwise answered.

use std::time::Duration;

use e2e::Session;
use serde_json::{json, Value};

/// Sends `message` from every frame of the console tab, in the extension's isolated world (where
/// the content script runs, so the worker sees exactly what a content script's message carries).
/// Returns `[{frame, answer}]`, the top frame (`frame` 0) first.
async fn from_console_frames(s: &Session, message: Value) -> Vec<Value> {
    let answers = s
        .on_extension_page(&format!(
            "const [tab] = await chrome.tabs.query({{ url: {console} }});
             const results = await chrome.scripting.executeScript({{
               target: {{ tabId: tab.id, allFrames: true }}, world: 'ISOLATED', args: [{message}],
               func: async (message) => {{
                 try {{ return await chrome.runtime.sendMessage(message); }} catch (e) {{ return {{ threw: String(e) }}; }}
               }},
             }});
             return results.map(r => ({{ frame: r.frameId, answer: r.result }})).sort((a, b) => a.frame - b.frame);",
            console = json!(format!("{}/*", s.env.console)),
        ))
        .await;
    answers.as_array().cloned().unwrap_or_else(|| panic!("no frames answered: {answers}"))
}

fn refused(answer: &Value) -> bool {
    answer["answer"]["Refused"]["reason"].as_str().is_some_and(|reason| reason.starts_with("refused"))
}

async fn open_console(s: &Session, page: &str) {
    s.open(page).await;
    s.wait_for_assistant().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn site_management_is_answered_only_on_the_extensions_own_pages() {
    let s = Session::start().await;
    open_console(&s, "auth-config.html").await;
    let console = s.env.console.clone();
    for message in [
        json!({ "EnableSite": { "origin": "https://evil.example", "tab_id": null } }),
        json!({ "DisableSite": { "origin": console } }),
        json!({ "SiteStatus": { "origin": console, "tab_id": 1 } }),
        json!({ "SaveBindings": { "text": "{\"fields\": {\"auth.url\": {\"labels\": [\"evil\"]}}}" } }),
    ] {
        let answers = from_console_frames(&s, message.clone()).await;
        assert!(answers.iter().all(refused), "{message} from the console: {answers:?}");
    }
    let sites = s.on_extension_page("return (await chrome.storage.local.get('sites')).sites ?? [];").await;
    assert!(!sites.to_string().contains("evil.example"), "a console enabled a site: {sites}");
    let bindings = s.on_extension_page("return (await chrome.storage.local.get('bindings')).bindings ?? null;").await;
    assert_eq!(bindings, json!(null), "a console saved bindings");

    // The control: the same status question from the extension's own page is answered.
    let status = s
        .on_extension_page(&format!(
            "return await chrome.runtime.sendMessage({{ SiteStatus: {{ origin: {}, tab_id: 1 }} }});",
            json!(console)
        ))
        .await;
    assert!(status["SiteStatus"]["enabled"].is_boolean(), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_connection_test_is_answered_only_for_a_consoles_top_frame() {
    let s = Session::start().await;
    // The console's form lives in a same-origin iframe here: a frame the content script also runs in.
    open_console(&s, "iframe-host.html").await;
    let test = json!({ "ConnectionTest": { "request": {
        "url": "http://127.0.0.1:9", "client_id": "pz_prod_demo",
        "client_secret": "prod-demo-secret", "encrypt_key": "ProdDemoKey16chr"
    } } });
    let answers = from_console_frames(&s, test.clone()).await;
    assert!(answers.len() >= 2, "the iframe was not reached: {answers:?}");
    let (top, frames) = answers.split_first().unwrap();
    assert_eq!(top["frame"], json!(0));
    assert!(frames.iter().all(refused), "a subframe ran the connection test: {frames:?}");
    // The control: the top frame's test ran (nothing listens on port 9).
    assert_eq!(top["answer"]["ConnectionTest"]["Outcome"]["kind"], json!("unreachable"), "{top}");

    // The same for the checklist's writes: only the top frame's.
    let save = json!({ "SaveProgress": { "progress": {} } });
    let answers = from_console_frames(&s, save).await;
    assert!(!refused(&answers[0]) && answers[1..].iter().all(refused), "{answers:?}");

    // And never from an extension page: it has no console tab to test for.
    let answer = s.on_extension_page(&format!("return await chrome.runtime.sendMessage({test});")).await;
    assert!(answer["Refused"]["reason"].is_string(), "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_console_cannot_pick_the_origin_of_the_permission_page() {
    let s = Session::start().await;
    open_console(&s, "auth-config.html").await;
    let ask = json!({ "OpenPermissionPage": { "origin": "https://evil.example" } });
    let answers = from_console_frames(&s, ask).await;
    assert!(refused(&answers[0]), "{answers:?}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let tabs = s.on_extension_page("return (await chrome.tabs.query({})).map(t => t.url || t.pendingUrl);").await;
    assert!(!tabs.to_string().contains("evil.example"), "a permission page opened: {tabs}");
}

#[tokio::test(flavor = "multi_thread")]
async fn content_scripts_cannot_read_or_write_the_extensions_storage() {
    let s = Session::start().await;
    open_console(&s, "auth-config.html").await;
    s.on_extension_page(
        "await chrome.storage.local.set({ environments: [{ name: 'marker', base: 'https://relay.example.com' }] }); return true;",
    )
    .await;
    let attempts = s
        .on_extension_page(&format!(
            "const [tab] = await chrome.tabs.query({{ url: {} }});
             const [result] = await chrome.scripting.executeScript({{
               target: {{ tabId: tab.id }}, world: 'ISOLATED',
               func: async () => {{
                 const attempt = async (f) => {{ try {{ return JSON.stringify(await f()) ?? 'done'; }} catch (e) {{ return 'threw: ' + e.message; }} }};
                 return [await attempt(() => chrome.storage.local.get(null)),
                         await attempt(() => chrome.storage.local.set({{ tokenEndpoints: ['https://evil.example'] }}))];
               }},
             }});
             return result.result;",
            json!(format!("{}/*", s.env.console))
        ))
        .await;
    for attempt in attempts.as_array().unwrap() {
        assert!(attempt.as_str().unwrap().starts_with("threw: "), "a content script reached storage: {attempts}");
    }
    let stored = s.on_extension_page("return JSON.stringify(await chrome.storage.local.get(null));").await;
    assert!(stored.as_str().unwrap().contains("marker") && !stored.as_str().unwrap().contains("evil.example"), "{stored}");
}
