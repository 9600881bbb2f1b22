//! The checklist on the replica console: steps turn done as the pages show them done (observed)
//! or as the admin ticks them, the shown 数电配置 variant picks the branch, and the progress
//! survives a reload and a browser restart on the same profile, until it is reset.

use std::time::Duration;

use e2e::{Session, SHADOW};
use fantoccini::Locator;
use serde_json::{json, Value};

const PROD_ID: &str = "pz_prod_demo";
const PROD_SECRET: &str = "prod-demo-secret";
const PROD_KEY: &str = "ProdDemoKey16chr";

fn step(id: &str) -> String {
    format!("{SHADOW}?.querySelector('[data-step=\"{id}\"]')")
}

/// Waits until step `id` is done, completed `how` (`observed` or `ticked`).
async fn wait_done(s: &Session, id: &str, how: &str) {
    s.wait_for(
        &format!("step {id} done ({how})"),
        &format!("{0}?.dataset.state === 'done' && {0}?.dataset.completion === '{how}'", step(id)),
        Duration::from_secs(10),
    )
    .await;
}

async fn state(s: &Session, id: &str) -> Value {
    s.eval(&format!("return {}?.dataset.state ?? null;", step(id))).await
}

/// Clicks in script: the open panel may cover a console control the admin would scroll to.
async fn click_js(s: &Session, what: &str, selector_js: &str) {
    let clicked = s.eval(&format!("const e = {selector_js}; if (!e) return false; e.click(); return true;")).await;
    assert_eq!(clicked, json!(true), "no {what}");
}

/// Every step in `expected` done as it says, and the V8 branch kept.
async fn check_all(s: &Session, expected: &[(&str, &str)]) {
    for (id, how) in expected {
        wait_done(s, id, how).await;
    }
    s.wait_for(
        "the V8 branch remembered",
        &format!("{SHADOW}.querySelector('[data-pa=\"version\"]')?.dataset.branch === 'v8'"),
        Duration::from_secs(5),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn walking_the_procedure_marks_steps_done_and_progress_survives_reload_and_restart() {
    let s = Session::start().await;
    let sandbox = s.env.sandbox.clone();
    let pair = json!([{ "name": "e2e sandbox", "base": sandbox }, { "name": "e2e sandbox", "base": format!("{sandbox}/test") }]);
    s.on_extension_page(&format!("await chrome.storage.local.set({{ environments: {pair} }}); return true;")).await;

    // 业务单元: 核算组织 unticked at load; ticked and saved, the step is observed done.
    s.open("business-unit.html").await;
    s.open_panel().await;
    assert_ne!(state(&s, "business_unit").await, json!("done"));
    click_js(
        &s,
        "the 核算组织 box",
        "[...document.querySelectorAll('#orgtype label')].find(l => l.textContent.trim() === '核算组织').querySelector('input')",
    )
    .await;
    click_js(&s, "保存", "document.getElementById('bar_save')").await;
    wait_done(&s, "business_unit", "observed").await;

    // 发票云授权配置: the connection test passes against the sandbox.
    s.open("auth-config.html").await;
    s.open_panel().await;
    assert_eq!(state(&s, "auth_config").await, json!("current"));
    for (field, value) in [("url", sandbox.as_str()), ("client_id", PROD_ID), ("client_secret", PROD_SECRET), ("encrypt_key", PROD_KEY)] {
        let input = s.client.find(Locator::Css(&format!("#{field} input"))).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }
    s.click_ours("[data-pa=\"connection-test\"]").await;
    s.wait_for(
        "an ok connection result",
        &format!("{SHADOW}.querySelector('[data-pa=\"connection-result\"]')?.dataset.outcome === 'ok'"),
        Duration::from_secs(15),
    )
    .await;
    wait_done(&s, "auth_config", "observed").await;

    // 企业信息: the enterprise is listed with a valid tax id.
    s.open("enterprise-list.html").await;
    s.open_panel().await;
    wait_done(&s, "import_org", "observed").await;

    // 数电配置 (V8 variant): the branch is shown, the legacy step leaves the list.
    s.open("etax-config.html").await;
    s.open_panel().await;
    s.wait_for(
        "the V8 branch seen",
        &format!("{SHADOW}.querySelector('[data-pa=\"version\"]')?.dataset.branch === 'v8'"),
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(s.eval(&format!("return !!{};", step("etax_legacy"))).await, json!(false), "legacy step hidden on V8");
    assert_ne!(state(&s, "etax_tenant").await, json!("done"));
    click_js(&s, "维护租户授权信息", "document.getElementById('btn_tenantauth')").await;
    click_js(&s, "保存 of the tenant dialog", "document.getElementById('btn_tenant_save')").await;
    wait_done(&s, "etax_tenant", "observed").await;
    assert_ne!(state(&s, "etax_account").await, json!("done"));
    click_js(&s, "the company's name", "document.querySelector('#etaxlist span.link-cell-content')").await;
    wait_done(&s, "etax_account", "observed").await;
    // The 数电配置详情 tab it opened is the account step's page.
    s.wait_for(
        "维护电子税局账号 current on 数电配置详情",
        &format!("{SHADOW}.querySelector('[aria-current=\"step\"]')?.dataset.step === 'etax_account'"),
        Duration::from_secs(5),
    )
    .await;

    // What cannot be seen is ticked.
    click_js(&s, "the tick of 行政组织", &format!("{}.querySelector('[data-pa=\"tick\"]')", step("admin_org"))).await;
    wait_done(&s, "admin_org", "ticked").await;
    s.screenshot("checklist-zh").await;

    let expected = [
        ("admin_org", "ticked"),
        ("business_unit", "observed"),
        ("auth_config", "observed"),
        ("import_org", "observed"),
        ("etax_tenant", "observed"),
        ("etax_account", "observed"),
    ];

    // A reload keeps it all.
    s.client.refresh().await.unwrap();
    s.open_panel().await;
    check_all(&s, &expected).await;

    // Only ids and how they were done are stored, under the console's origin.
    let stored = s.on_extension_page("return JSON.stringify(await chrome.storage.local.get(null));").await;
    let stored = stored.as_str().unwrap();
    assert!(stored.contains(&format!("progress:{}", s.env.console)), "{stored}");
    assert!(!stored.contains(PROD_SECRET) && !stored.contains(PROD_KEY) && !stored.contains("demo-tenant-secret"), "{stored}");

    // So does a browser restart on the same profile.
    let s = s.restart().await;
    s.open("license.html").await;
    s.open_panel().await;
    check_all(&s, &expected).await;

    // Reset forgets it.
    click_js(&s, "reset", &format!("{SHADOW}.querySelector('[data-pa=\"reset\"]')")).await;
    s.wait_for(
        "no step done after reset",
        &format!("[...{SHADOW}.querySelectorAll('[data-step]')].every(e => e.dataset.state !== 'done')"),
        Duration::from_secs(5),
    )
    .await;
    s.client.refresh().await.unwrap();
    s.open_panel().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        s.eval(&format!("return {SHADOW}.querySelectorAll('[data-state=\"done\"]').length;")).await,
        json!(0),
        "the reset was stored"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_legacy_page_picks_the_legacy_branch_and_the_panel_remembers_its_place() {
    let s = Session::start().await;
    s.open("etax-legacy.html").await;
    s.open_panel().await;
    s.wait_for(
        "the legacy branch seen",
        &format!("{SHADOW}.querySelector('[data-pa=\"version\"]')?.dataset.branch === 'legacy'"),
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(s.eval(&format!("return !!{};", step("etax_tenant"))).await, json!(false), "V8 steps hidden on legacy");
    assert_eq!(s.eval(&format!("return !!{};", step("etax_legacy"))).await, json!(true));

    // Docked left and moved down with the grip's keyboard alternative; both remembered.
    click_js(&s, "dock", &format!("{SHADOW}.querySelector('[data-pa=\"panel-dock\"]')")).await;
    s.wait_for("docked left", &format!("{SHADOW}.querySelector('[data-pa=\"panel\"]')?.dataset.dock === 'left'"), Duration::from_secs(5))
        .await;
    let grip = s.element_by_js(&format!("return {SHADOW}.querySelector('[data-pa=\"panel-move\"]');"), vec![]).await.unwrap();
    grip.send_keys("\u{E015}\u{E015}").await.unwrap(); // ArrowDown twice
    let top = s
        .wait_for(
            "moved down",
            &format!(
                "(() => {{ const t = {SHADOW}.querySelector('[data-pa=\"panel\"]').getBoundingClientRect().top; return t > 120 && t; }})()"
            ),
            Duration::from_secs(5),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    s.client.refresh().await.unwrap();
    s.open_panel().await;
    let placed = s
        .eval(&format!(
            "const p = {SHADOW}.querySelector('[data-pa=\"panel\"]'); return [p.dataset.dock, Math.round(p.getBoundingClientRect().top)];"
        ))
        .await;
    assert_eq!(placed[0], json!("left"));
    assert_eq!(placed[1].as_f64(), top.as_f64().map(f64::round), "the place survives a reload");
}
