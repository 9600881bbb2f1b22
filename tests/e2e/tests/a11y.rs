//! Accessibility and language on the replica console: the panel operated by keyboard alone
//! (Tab, Enter, Space, Escape) with a visible focus ring, an axe-core audit of our shadow root in
//! both languages and the dark theme with no serious or critical violation, and the options
//! page's language applied live.

use std::time::Duration;

use e2e::{Session, SHADOW};
use fantoccini::Locator;
use serde_json::{json, Value};

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const SPACE: &str = "\u{E00D}";
const ESCAPE: &str = "\u{E00C}";

/// The `data-pa` (or tag) of what has focus inside our shadow root.
async fn focused(s: &Session) -> String {
    let value = s
        .eval(&format!(
            "const a = {SHADOW}.activeElement; return a ? (a.dataset.pa || a.className || a.tagName) + (a.closest('[data-step]') ? '@' + a.closest('[data-step]').dataset.step : '') : 'none';"
        ))
        .await;
    value.as_str().unwrap().to_string()
}

/// The focused element draws a ring of at least 2px.
async fn has_focus_ring(s: &Session) -> bool {
    s.eval(&format!(
        "const st = getComputedStyle({SHADOW}.activeElement); return st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2;"
    ))
    .await
        == json!(true)
}

async fn attr(s: &Session, selector: &str, name: &str) -> Value {
    s.eval(&format!("return {SHADOW}.querySelector('{selector}')?.getAttribute('{name}') ?? null;")).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_panel_works_by_keyboard_alone() {
    let s = Session::start().await;
    s.open("auth-config.html").await;
    s.open_panel().await;
    // The admin arrives at the panel's first control (here by script; everything after is keys).
    s.eval(&format!("{SHADOW}.querySelector('[data-pa=\"panel-move\"]').focus();")).await;

    s.press(TAB).await;
    assert_eq!(focused(&s).await, "panel-dock");
    assert!(has_focus_ring(&s).await, "visible focus ring");
    s.press(ENTER).await;
    s.wait_for("docked left", &format!("{SHADOW}.querySelector('[data-pa=\"panel\"]')?.dataset.dock === 'left'"), Duration::from_secs(5))
        .await;
    s.press(ENTER).await;
    s.wait_for("docked right", &format!("{SHADOW}.querySelector('[data-pa=\"panel\"]')?.dataset.dock === 'right'"), Duration::from_secs(5))
        .await;

    s.press(TAB).await;
    assert_eq!(focused(&s).await, "panel-collapse");
    s.press(ENTER).await;
    s.wait_for("collapsed", &format!("{SHADOW}.querySelector('[data-pa=\"panel-reopen\"]')"), Duration::from_secs(5)).await;
    assert_eq!(focused(&s).await, "panel-reopen", "focus stays on the toggle");
    s.press(SPACE).await;
    s.wait_for("reopened", &format!("{SHADOW}.querySelector('[data-pa=\"panel\"]')"), Duration::from_secs(5)).await;
    assert_eq!(focused(&s).await, "panel-collapse");

    s.press(TAB).await;
    assert_eq!(focused(&s).await, "search");
    s.press(TAB).await;
    s.press(SPACE).await; // V8.0+
    s.wait_for(
        "the V8 branch chosen",
        &format!("{SHADOW}.querySelector('[data-pa=\"version\"]')?.dataset.branch === 'v8'"),
        Duration::from_secs(5),
    )
    .await;
    s.press(TAB).await; // below V8.0
    s.press(TAB).await;
    assert_eq!(focused(&s).await, "tick@admin_org");
    assert!(has_focus_ring(&s).await);
    s.press(SPACE).await;
    s.wait_for(
        "admin_org ticked",
        &format!("{SHADOW}.querySelector('[data-step=\"admin_org\"]')?.dataset.completion === 'ticked'"),
        Duration::from_secs(5),
    )
    .await;
    s.press(TAB).await;
    assert_eq!(focused(&s).await, "pa-step-head@admin_org");
    s.press(ENTER).await;
    s.wait_for(
        "details open",
        &format!("{SHADOW}.querySelector('[data-step=\"admin_org\"] .pa-step-head').getAttribute('aria-expanded') === 'true'"),
        Duration::from_secs(5),
    )
    .await;
    s.press(ESCAPE).await;
    s.wait_for(
        "Esc closes them",
        &format!("{SHADOW}.querySelector('[data-step=\"admin_org\"] .pa-step-head').getAttribute('aria-expanded') === 'false'"),
        Duration::from_secs(5),
    )
    .await;

    // A badge's explanation opens with Enter and Esc closes it (the panel docked out of the
    // field's way first: the admin opened it over the form).
    dock_left(&s).await;
    s.type_into("Client id", "TN_DEMO0001").await;
    s.verdict("auth.client_id", None).await;
    s.eval(&format!("{SHADOW}.querySelector('[data-field=\"auth.client_id\"] [data-pa=\"badge\"]').focus();")).await;
    assert!(has_focus_ring(&s).await, "the badge shows its focus");
    s.press(ENTER).await;
    s.wait_for("the explanation", &format!("{SHADOW}.querySelector('[data-pa=\"explanation\"]')"), Duration::from_secs(5)).await;
    s.press(ESCAPE).await;
    s.wait_for("Esc closes the explanation", &format!("!{SHADOW}.querySelector('[data-pa=\"explanation\"]')"), Duration::from_secs(5))
        .await;
    // New errors were announced politely (the latest batch: the page's other empty fields may
    // come after Client id's).
    let live = s.eval(&format!("return {SHADOW}.querySelector('[data-pa=\"live\"][aria-live=\"polite\"]').textContent;")).await;
    assert!(live.as_str().unwrap().contains("："), "{live}");
}

/// axe-core's serious and critical violations inside our shadow root.
async fn audit(s: &Session) -> Vec<String> {
    audit_in(s, "document.querySelector('piaozone-assist')").await
}

/// axe-core's serious and critical violations inside `context` (a JS expression).
async fn audit_in(s: &Session, context: &str) -> Vec<String> {
    if s.eval("return typeof axe;").await != json!("object") {
        let source = std::fs::read_to_string(&s.env.axe).expect("axe.min.js (installed by cargo xtask test)");
        s.eval(&source).await;
    }
    let found = s
        .eval_async(&format!(
            "const r = await axe.run({context}, {{ resultTypes: ['violations'] }});
                 return r.violations.map(v => `${{v.impact}} ${{v.id}}: ${{v.nodes.map(n => JSON.stringify(n.target)).join(' ')}}`);"
        ))
        .await;
    let all: Vec<String> = serde_json::from_value(found).unwrap();
    for v in &all {
        eprintln!("axe: {v}");
    }
    all.into_iter().filter(|v| v.starts_with("serious") || v.starts_with("critical")).collect()
}

/// Everything the panel can show at once: a verdict's explanation, the troubleshooter, search
/// results, the connection test's card.
async fn show_everything(s: &Session) {
    s.open("auth-config.html").await;
    s.open_panel().await;
    dock_left(s).await;
    s.type_into("Client id", "TN_DEMO0001").await;
    s.verdict("auth.client_id", None).await;
    s.eval(&format!("{SHADOW}.querySelector('[data-field=\"auth.client_id\"] [data-pa=\"badge\"]').click();")).await;
    s.eval("showToast('非法的客户id', 'error');").await;
    s.wait_for("the troubleshooter", &format!("{SHADOW}.querySelector('[data-faq]')"), Duration::from_secs(5)).await;
    s.open_panel().await;
    let search = s.element_by_js(&format!("return {SHADOW}.querySelector('[data-pa=\"search\"]');"), vec![]).await.unwrap();
    search.send_keys("核算组织").await.unwrap();
    s.wait_for("search results", &format!("{SHADOW}.querySelector('[data-pa=\"search-results\"] [data-hit]')"), Duration::from_secs(5))
        .await;
}

async fn dock_left(s: &Session) {
    s.eval(&format!("{SHADOW}.querySelector('[data-pa=\"panel\"][data-dock=\"right\"] [data-pa=\"panel-dock\"]')?.click();")).await;
    s.wait_for("docked left", &format!("{SHADOW}.querySelector('[data-pa=\"panel\"]')?.dataset.dock === 'left'"), Duration::from_secs(5))
        .await;
}

async fn set_language(s: &Session, lang: &str) {
    let console = s.client.window().await.unwrap();
    let options = s.client.new_window(true).await.unwrap().handle;
    s.client.switch_to_window(options).await.unwrap();
    s.client.goto(&s.extension_url("options.html")).await.unwrap();
    s.wait_for("the options page", "document.readyState === 'complete' && !!document.getElementById('lang')", Duration::from_secs(10))
        .await;
    s.client.find(Locator::Css("#lang")).await.unwrap().select_by_value(lang).await.unwrap();
    s.wait_for(
        "the setting stored",
        &format!("chrome.storage.local.get('lang').then(r => window.__lang = r.lang), window.__lang === '{lang}'"),
        Duration::from_secs(5),
    )
    .await;
    s.client.close_window().await.unwrap();
    s.client.switch_to_window(console).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_no_serious_violation_in_either_language_or_the_dark_theme() {
    let s = Session::start().await;
    show_everything(&s).await;
    let zh = audit(&s).await;
    assert!(zh.is_empty(), "zh-CN: {zh:#?}");

    set_language(&s, "en").await;
    s.wait_for("English", &format!("{SHADOW}.querySelector('.pa-head h2')?.textContent === 'Piaozone setup'"), Duration::from_secs(5))
        .await;
    let en = audit(&s).await;
    assert!(en.is_empty(), "en: {en:#?}");

    // [inference] the console's dark theme as a `dark` class on <body>.
    s.eval("document.body.classList.add('dark');").await;
    s.wait_for("dark colours", &format!("{SHADOW}.querySelector('.pa-root.is-dark')"), Duration::from_secs(5)).await;
    let dark = audit(&s).await;
    assert!(dark.is_empty(), "dark: {dark:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_options_page_switches_the_language_live() {
    let s = Session::start().await;
    s.open("auth-config.html").await;
    s.open_panel().await;
    assert_eq!(s.eval(&format!("return {SHADOW}.querySelector('.pa-head h2').textContent;")).await, json!("发票云配置助手"));
    s.screenshot("panel-zh").await;

    set_language(&s, "en").await;
    s.wait_for(
        "the panel in English",
        &format!("{SHADOW}.querySelector('.pa-head h2')?.textContent === 'Piaozone setup'"),
        Duration::from_secs(5),
    )
    .await;
    let step = s.eval(&format!("return {SHADOW}.querySelector('[data-step=\"auth_config\"]').innerText;")).await;
    assert!(step.as_str().unwrap().contains("never the tenant TN_ keys"), "{step}");
    assert_eq!(attr(&s, "[data-pa=\"connection-test\"]", "data-pa").await, json!("connection-test"));
    let button = s.eval(&format!("return {SHADOW}.querySelector('[data-pa=\"connection-test\"]').textContent;")).await;
    assert_eq!(button, json!("Connection test (assistant)"));
    // Overlays follow too.
    dock_left(&s).await;
    s.type_into("Client id", "TN_DEMO0001").await;
    s.verdict("auth.client_id", None).await;
    let label = attr(&s, "[data-field=\"auth.client_id\"] [data-pa=\"badge\"]", "aria-label").await;
    assert!(label.as_str().unwrap().starts_with("Show explanation"), "{label}");
    s.eval("showToast('无特性分组', 'warning');").await;
    s.wait_for(
        "the English FAQ",
        &format!("{SHADOW}.querySelector('[data-pa=\"troubleshooter\"]')?.innerText.includes('Cause')"),
        Duration::from_secs(5),
    )
    .await;
    s.open_panel().await;
    s.screenshot("panel-en").await;

    // Back to following the console (zh-CN on the replica), and it stays after a reload.
    set_language(&s, "auto").await;
    s.wait_for(
        "the panel in Chinese",
        &format!("{SHADOW}.querySelector('.pa-head h2')?.textContent === '发票云配置助手'"),
        Duration::from_secs(5),
    )
    .await;
    set_language(&s, "en").await;
    s.client.refresh().await.unwrap();
    s.open_panel().await;
    s.wait_for(
        "English after a reload",
        &format!("{SHADOW}.querySelector('.pa-head h2')?.textContent === 'Piaozone setup'"),
        Duration::from_secs(5),
    )
    .await;
}

/// The options page (every section, a row with a check showing, the policy-free state) and the
/// popup of a console tab, in both languages and both themes.
#[tokio::test(flavor = "multi_thread")]
async fn the_options_page_and_the_popup_pass_axe_in_both_languages_and_themes() {
    let s = Session::start().await;
    s.on_extension_page(
        "await chrome.storage.local.set({ sites: ['https://erp.example.com'], tokenEndpoints: ['https://relay.example.com:8443'],
           environments: [{ name: '代理', production: 'https://relay.example.com', test: 'relay.example.com/test' }],
           bindings: { fields: { 'auth.client_id': { labels: ['客户编号'] } } } }); return true;",
    )
    .await;
    s.open("auth-config.html").await;
    s.wait_for_assistant().await;
    let tab = s.on_extension_page("return (await chrome.tabs.query({})).find(t => (t.url || '').includes('auth-config')).id;").await;
    let pages = s.client.new_window(true).await.unwrap().handle;
    s.client.switch_to_window(pages).await.unwrap();
    for (lang, scheme) in [("zh-CN", "light"), ("en", "light"), ("zh-CN", "dark"), ("en", "dark")] {
        s.on_extension_page(&format!("await chrome.storage.local.set({{ lang: '{lang}' }}); return true;")).await;
        s.cdp("Emulation.setEmulatedMedia", json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] })).await;
        for page in ["options.html".to_string(), format!("popup.html?tab={tab}")] {
            s.client.goto(&s.extension_url(&page)).await.unwrap();
            s.wait_for(
                "the page",
                "!!document.querySelector('[data-pa=\"transfer-section\"], [data-pa=\"popup-state\"]')",
                Duration::from_secs(10),
            )
            .await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            if page.starts_with("popup") {
                s.wait_for("the console's page", "!!document.querySelector('[data-pa=\"popup-page\"]')", Duration::from_secs(5)).await;
            }
            let found = audit_in(&s, "document").await;
            assert!(found.is_empty(), "{page} {lang} {scheme}: {found:#?}");
        }
    }
}
