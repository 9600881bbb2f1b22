//! What an enterprise policy sets (a real Chromium policy file, as an administrator installs one):
//! shown read-only on the options page and in the popup, "由企业策略管理", never exported.
//! Alone in its binary: a policy file reaches every Chromium on the machine.

use std::time::Duration;

use e2e::{Policy, Session};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn values_set_by_policy_are_shown_read_only_and_not_exported() {
    let env = e2e::Env::get();
    let console = env.console.clone();
    let managed = json!({
        "consoleOrigins": [console],
        "tokenEndpoints": ["https://relay.corp.example.cn:8443"],
        // The former shape of environments, as policies written for older versions hold it.
        "environments": [{ "name": "集团代理", "base": "https://pz.corp.example.cn" }, { "name": "集团代理", "base": "https://pz.corp.example.cn/test" }],
        "bindings": { "fields": { "auth.client_id": { "labels": ["集团客户编号"] } } },
    });
    let _policy = Policy::install(json!({ "3rdparty": { "extensions": { (env.extension_id.clone()): managed } } }));
    let s = Session::start().await;
    let read = s.on_extension_page("return await chrome.storage.managed.get(null);").await;
    assert_eq!(read["tokenEndpoints"], json!(["https://relay.corp.example.cn:8443"]), "the policy reached the extension: {read}");

    s.client.goto(&s.extension_url("options.html")).await.unwrap();
    s.wait_for("the options page", "!!document.querySelector('[data-pa=\"transfer-section\"]')", Duration::from_secs(10)).await;
    let shown = s
        .wait_for(
            "the policy's rows",
            "(() => {
               const rows = (pa) => [...document.querySelectorAll(`[data-pa=\"${pa}\"]`)];
               const managed = (row) => row.querySelector('[data-pa=\"managed\"]')?.textContent;
               const found = {
                 env: rows('env-managed').map(r => [r.cells[0].textContent, r.cells[1].textContent, r.cells[2].textContent, managed(r)]),
                 endpoints: rows('endpoint-managed').map(r => [r.dataset.origin, managed(r), !!r.querySelector('button[data-pa=\"endpoint-remove\"]')]),
                 bindings: rows('binding-managed').map(r => [r.cells[2].textContent, managed(r), !!r.querySelector('input, select, button')]),
                 sites: rows('site-managed').map(r => [r.dataset.origin, managed(r), !!r.querySelector('button')]),
               };
               return found.env.length && found.sites.length ? found : null;
             })()",
            Duration::from_secs(5),
        )
        .await;
    const TAG: &str = "由企业策略管理";
    assert_eq!(shown["env"], json!([["集团代理", "https://pz.corp.example.cn", "https://pz.corp.example.cn/test", TAG]]), "{shown}");
    assert_eq!(shown["endpoints"], json!([["https://relay.corp.example.cn:8443", TAG, false]]), "{shown}");
    assert_eq!(shown["bindings"], json!([["集团客户编号", TAG, false]]), "{shown}");
    assert_eq!(shown["sites"], json!([[console, TAG, false]]), "{shown}");
    s.screenshot("options-policy").await;

    // The export holds the admin's own settings only.
    s.eval(
        "window.__exported = null; const create = URL.createObjectURL;
         URL.createObjectURL = (blob) => { blob.text().then(t => window.__exported = t); return create(blob); };
         document.querySelector('[data-pa=\"export\"]').click();",
    )
    .await;
    let exported = s.wait_for("the export", "window.__exported", Duration::from_secs(5)).await;
    for policy_value in ["corp.example.cn", "集团"] {
        assert!(!exported.as_str().unwrap().contains(policy_value), "{policy_value} exported: {exported}");
    }
    // Nothing of the policy was copied into the admin's own settings.
    let local = s.eval_async("return await chrome.storage.local.get(['tokenEndpoints', 'bindings', 'sites']);").await;
    assert_eq!(local, json!({}), "{local}");

    // The popup on the policy-listed console: managed, no 启用/停用 to click.
    s.open("auth-config.html").await;
    s.wait_for_assistant().await;
    let tab = s.on_extension_page("return (await chrome.tabs.query({})).find(t => (t.url || '').includes('auth-config')).id;").await;
    let popup = s.client.new_window(true).await.unwrap().handle;
    s.client.switch_to_window(popup).await.unwrap();
    s.client.goto(&s.extension_url(&format!("popup.html?tab={tab}"))).await.unwrap();
    let state = s
        .wait_for("the popup", "document.querySelector('[data-pa=\"popup-state\"]')?.dataset.state ?? null", Duration::from_secs(10))
        .await;
    assert_eq!(state, json!("managed"));
    assert_eq!(s.eval("return !!document.querySelector('[data-pa=\"popup-enable\"], [data-pa=\"popup-disable\"]');").await, json!(false));
    s.screenshot("popup-policy").await;
}
