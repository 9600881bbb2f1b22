//! The guided panel on the replica console: every step of the guide, the open page's step
//! current, collapse and reopen, tabs followed, and the background worker answering.

use std::time::Duration;

use e2e::{Session, SHADOW};
use piaozone_assist::core::guide::STEPS;
use serde_json::{json, Value};

async fn step_states(s: &Session) -> Vec<(String, String)> {
    let value = s.eval(&format!("return [...{SHADOW}.querySelectorAll('[data-step]')].map(e => [e.dataset.step, e.dataset.state]);")).await;
    serde_json::from_value(value).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn panel_lists_every_step_and_marks_the_authorization_step_current() {
    let s = Session::start().await;
    s.open("auth-config.html").await;
    s.open_panel().await;

    let states = step_states(&s).await;
    let ids: Vec<&str> = states.iter().map(|(id, _)| id.as_str()).collect();
    let expected: Vec<&str> = STEPS.iter().map(|step| step.id).collect();
    assert_eq!(ids, expected, "every step of the guide, in order");
    for (id, state) in &states {
        let want = if id == "auth_config" { "current" } else { "todo" };
        assert_eq!(state, want, "state of step {id}");
    }

    // The current step shows its menu path and guidance, in the console's language (zh-CN).
    let current_text = s.eval(&format!("return {SHADOW}.querySelector('[data-step=\"auth_config\"]').innerText;")).await;
    let current_text = current_text.as_str().unwrap();
    assert!(current_text.contains("发票云 → 系统管理 → 发票云授权配置"), "{current_text}");
    assert!(current_text.contains("连接测试"), "{current_text}");
    assert!(current_text.contains("必需"), "{current_text}");

    // The worker (Rust, in the service worker) answered the content script's Ping.
    s.wait_for("the worker's Pong", &format!("{SHADOW}.querySelector('.pa-root[data-worker=\"ready\"]')"), Duration::from_secs(10)).await;

    let shot = s.screenshot("panel-auth-config").await;
    assert!(std::fs::metadata(shot).unwrap().len() > 10_000);
}

/// The page module carries no English (`english.json` comes from the worker when needed): a
/// Chinese admin's search in English words still finds the step, once the texts arrive, and the
/// panel stays Chinese.
#[tokio::test(flavor = "multi_thread")]
async fn a_search_in_english_words_finds_steps_on_a_chinese_panel() {
    let s = Session::start().await;
    s.open("auth-config.html").await;
    s.open_panel().await;
    let search = s.element_by_js(&format!("return {SHADOW}.querySelector('[data-pa=\"search\"]');"), vec![]).await.unwrap();
    search.send_keys("business unit").await.unwrap();
    s.wait_for(
        "the English-only match",
        &format!("{SHADOW}.querySelector('[data-pa=\"search-results\"] [data-hit=\"step:business_unit\"]')"),
        Duration::from_secs(5),
    )
    .await;
    let title = s.eval(&format!("return {SHADOW}.querySelector('[data-step=\"business_unit\"] .pa-step-head').innerText;")).await;
    assert!(title.as_str().unwrap_or_default().contains("创建业务单元"), "the panel stays Chinese: {title}");
}

#[tokio::test(flavor = "multi_thread")]
async fn panel_collapses_and_reopens() {
    let s = Session::start().await;
    s.open("auth-config.html").await;
    s.open_panel().await;
    s.eval(&format!("{SHADOW}.querySelector('[data-pa=\"panel-collapse\"]').click();")).await;
    s.wait_for("the reopen tab", &format!("{SHADOW}.querySelector('[data-pa=\"panel-reopen\"]')"), Duration::from_secs(5)).await;
    assert_eq!(s.eval(&format!("return !!{SHADOW}.querySelector('[data-pa=\"panel\"]');")).await, json!(false));
    s.eval(&format!("{SHADOW}.querySelector('[data-pa=\"panel-reopen\"]').click();")).await;
    s.open_panel().await;
    let states = step_states(&s).await;
    assert!(states.iter().any(|(id, state)| id == "auth_config" && state == "current"));
}

#[tokio::test(flavor = "multi_thread")]
async fn current_step_follows_the_visible_tab() {
    let s = Session::start().await;
    s.open("auth-config.html").await;
    s.open_panel().await;
    // Switch to the console's 企业信息 tab: its step becomes current (aria-current; its
    // data-state may be done already, since the list shows a valid enterprise).
    s.eval("[...document.querySelectorAll('.kd-cq-tabs-tab')].find(t => t.textContent.trim().startsWith('企业信息')).click();").await;
    let current = s
        .wait_for(
            "引入组织 current after the tab switch",
            &format!("{SHADOW}.querySelector('[data-step=\"import_org\"][aria-current=\"step\"]') && {SHADOW}.querySelectorAll('[aria-current=\"step\"]').length"),
            Duration::from_secs(5),
        )
        .await;
    assert_eq!(current, json!(1), "exactly one current step");
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_happens_on_a_page_that_is_not_a_console() {
    let s = Session::start().await;
    s.open("not-a-console.html").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let host = s.eval("return document.querySelector('piaozone-assist') === null;").await;
    assert_eq!(host, Value::Bool(true), "no host element on a plain page");
    // The content script was there all along, waiting: console markup arriving late mounts us.
    s.eval("const root = document.createElement('div'); root.className = 'kd-cq-root'; document.body.append(root);").await;
    s.wait_for("the host element once the console renders", "document.querySelector('piaozone-assist')", Duration::from_secs(5)).await;
}

/// Each page and dialog of the guide is recognised, and its step is the current one.
#[tokio::test(flavor = "multi_thread")]
async fn every_page_and_dialog_of_the_guide_is_recognised() {
    let s = Session::start().await;
    // A done step keeps data-state="done" on its page; aria-current marks where the admin is.
    let current = || format!("{SHADOW}?.querySelector('[aria-current=\"step\"]')?.dataset.step");
    // (page, JS that opens a dialog on it or "", expected step)
    let cases = [
        ("admin-org.html", "", "admin_org"),
        ("business-unit.html", "", "business_unit"),
        ("personnel.html", "", "personnel"),
        ("full-user.html", "", "full_user"),
        ("auth-config.html", "", "auth_config"),
        ("enterprise-list.html", "", "import_org"),
        ("enterprise-list.html", "document.getElementById('btn_importorg').click()", "import_org"),
        ("enterprise-info.html", "", "enterprise_info"),
        ("etax-config.html", "", "etax_upgrade"),
        (
            "etax-config.html",
            "[...document.querySelectorAll('.kd-cq-baritem, button')].find(b => b.textContent.trim() === '维护租户授权信息').click()",
            "etax_tenant",
        ),
        ("etax-legacy.html", "", "etax_legacy"),
        ("license.html", "", "license"),
        ("expense-config.html", "", "expense_config"),
    ];
    for (page, open_dialog, step) in cases {
        s.open(page).await;
        s.open_panel().await;
        if !open_dialog.is_empty() {
            s.eval(&format!("{open_dialog};")).await;
        }
        let found = s
            .wait_for(
                &format!("step {step} current on {page}"),
                &format!("{}() === '{step}' && '{step}'", "(() => ".to_string() + &current() + ")"),
                Duration::from_secs(5),
            )
            .await;
        assert_eq!(found, json!(step));
    }
}
