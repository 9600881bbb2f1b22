//! The options page and the popup, as an administrator uses them: each section edited, saved,
//! read back after a reload, exported and imported; the former JSON text's environments migrated;
//! the popup in each site state. (Policy values: `policy.rs`, alone in its binary.)

use std::time::Duration;

use e2e::Session;
use fantoccini::Locator;
use serde_json::{json, Value};

const PROD_ID: &str = "pz_prod_demo";
const PROD_SECRET: &str = "prod-demo-secret";
const TEST_SECRET: &str = "test-demo-secret";

/// Sets an input's or select's value as typing or choosing would (the events Yew listens to).
async fn set(s: &Session, selector: &str, value: &str) {
    let done = s
        .eval(&format!(
            "const el = document.querySelector({sel}); if (!el) return false;
             el.value = {value};
             el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', {{ bubbles: true }}));
             return true;",
            sel = json!(selector),
            value = json!(value)
        ))
        .await;
    assert_eq!(done, json!(true), "no {selector}");
}

/// The admin's own (trusted) click.
async fn click(s: &Session, selector: &str) {
    let element = s.client.find(Locator::Css(selector)).await.unwrap_or_else(|e| panic!("no {selector}: {e}"));
    element.click().await.unwrap_or_else(|e| panic!("click {selector}: {e}"));
}

async fn status(s: &Session, of: &str) -> (Value, String) {
    let found = s
        .wait_for(
            &format!("the {of} status"),
            &format!("(() => {{ const e = document.querySelector('[data-pa=\"{of}-status\"]'); return e && e.dataset.ok && e.textContent !== e.dataset.seen ? [e.dataset.ok, e.textContent] : null; }})()"),
            Duration::from_secs(5),
        )
        .await;
    (found[0].clone(), found[1].as_str().unwrap_or_default().to_owned())
}

/// Marks the status line's current text as seen: [`status`] then waits for a new one.
async fn clear_status(s: &Session, of: &str) {
    s.eval(&format!("const e = document.querySelector('[data-pa=\"{of}-status\"]'); if (e) e.dataset.seen = e.textContent;")).await;
}

async fn stored(s: &Session) -> Value {
    s.eval_async("return await chrome.storage.local.get(null);").await
}

async fn open_options(s: &Session) {
    s.client.goto(&s.extension_url("options.html")).await.unwrap();
    s.wait_for("the options page", "!!document.querySelector('[data-pa=\"transfer-section\"]')", Duration::from_secs(10)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn each_section_saves_reloads_exports_and_imports() {
    let s = Session::start().await;
    let sandbox = s.env.sandbox.clone();
    // What the former options page stored: a JSON list of named bases, and bindings as text.
    s.on_extension_page(
        "await chrome.storage.local.set({
           environments: [{ name: '代理', base: 'https://relay.example.com' }, { name: '代理', base: 'https://relay.example.com/test' }],
           sites: ['https://erp.example.com'],
         }); return true;",
    )
    .await;
    open_options(&s).await;

    // 发票云环境: migrated to rows (and saved as rows at once).
    s.wait_for("the migration note", "!!document.querySelector('[data-pa=\"env-migrated\"]')", Duration::from_secs(5)).await;
    assert_eq!(
        stored(&s).await["environments"],
        json!([{ "name": "代理", "production": "https://relay.example.com", "test": "https://relay.example.com/test" }])
    );
    assert_eq!(
        s.eval("return document.querySelector('[data-pa=\"env-row\"] [data-pa=\"env-production\"]').value;").await,
        json!("https://relay.example.com")
    );

    // A second row typed with a full-width colon: the console's url rule calls it an error as typed,
    // and the save names the row and stores nothing.
    click(&s, "[data-pa=\"env-add\"]").await;
    let row2 = "[data-pa=\"env-row\"][data-row=\"2\"]";
    set(&s, &format!("{row2} [data-pa=\"env-name\"]"), "沙箱").await;
    set(&s, &format!("{row2} [data-pa=\"env-production\"]"), &sandbox.replace("http:", "http：")).await;
    set(&s, &format!("{row2} [data-pa=\"env-test\"]"), &format!("{sandbox}/test")).await;
    assert_eq!(
        s.eval(&format!("return document.querySelector('{row2} [data-pa=\"env-production\"]').dataset.severity;")).await,
        json!("error")
    );
    click(&s, "[data-pa=\"env-save\"]").await;
    let (ok, text) = status(&s, "env").await;
    assert_eq!(ok, json!("false"), "{text}");
    assert!(text.contains("第 2 行"), "{text}");
    assert_eq!(stored(&s).await["environments"].as_array().unwrap().len(), 1, "nothing of a refused save is stored");
    s.screenshot("options-environments-error").await;
    set(&s, &format!("{row2} [data-pa=\"env-production\"]"), &sandbox).await;
    clear_status(&s, "env").await;
    click(&s, "[data-pa=\"env-save\"]").await;
    let (ok, text) = status(&s, "env").await;
    assert_eq!((ok, text.as_str()), (json!("true"), "已保存 2 组环境"));

    // 测试 on a row: the keys typed on this page, never stored; production keys → ok, a wrong
    // secret → the signature refusal.
    set(&s, "[data-pa=\"env-client-id\"]", PROD_ID).await;
    set(&s, "[data-pa=\"env-client-secret\"]", PROD_SECRET).await;
    click(&s, &format!("{row2} [data-pa=\"env-run-test\"]")).await;
    let outcome = s
        .wait_for(
            "the row's test",
            "document.querySelector('[data-pa=\"connection-result\"]')?.dataset.outcome ?? null",
            Duration::from_secs(10),
        )
        .await;
    assert_eq!(outcome, json!("ok"), "{}", s.eval("return document.querySelector('[data-pa=\"connection-result\"]').textContent;").await);
    s.screenshot("options-environment-tested").await;
    set(&s, "[data-pa=\"env-client-secret\"]", TEST_SECRET).await;
    s.eval("document.querySelector('[data-pa=\"connection-result\"]').dataset.outcome = 'stale';").await;
    click(&s, &format!("{row2} [data-pa=\"env-run-test\"]")).await;
    let outcome = s
        .wait_for(
            "the second test",
            "(o => o && o !== 'stale' ? o : null)(document.querySelector('[data-pa=\"connection-result\"]')?.dataset.outcome)",
            Duration::from_secs(10),
        )
        .await;
    assert_ne!(outcome, json!("ok"), "a wrong secret passed");
    // A page script's click starts nothing.
    s.eval("document.querySelector('[data-pa=\"connection-result\"]').dataset.outcome = 'untouched';").await;
    s.eval(&format!("document.querySelector('{row2} [data-pa=\"env-run-test\"]').click();")).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(s.eval("return document.querySelector('[data-pa=\"connection-result\"]').dataset.outcome;").await, json!("untouched"));

    // 连接测试允许的地址: a host with a scheme in it is named and not added; a good one is added
    // (a dev-build local host: its access is granted without a prompt headless cannot answer).
    set(&s, "[data-pa=\"endpoint-host\"]", "https://relay.example.com").await;
    assert!(s
        .eval("return document.querySelector('[data-pa=\"endpoint-check\"]')?.textContent ?? '';")
        .await
        .as_str()
        .unwrap()
        .contains("主机名"));
    click(&s, "[data-pa=\"endpoint-add\"]").await;
    let (ok, _) = status(&s, "endpoints").await;
    assert_eq!(ok, json!("false"));
    assert_eq!(stored(&s).await["tokenEndpoints"], Value::Null);
    set(&s, "[data-pa=\"endpoint-scheme\"]", "http").await;
    set(&s, "[data-pa=\"endpoint-host\"]", "127.0.0.1").await;
    set(&s, "[data-pa=\"endpoint-port\"]", "9").await;
    clear_status(&s, "endpoints").await;
    click(&s, "[data-pa=\"endpoint-add\"]").await;
    let (ok, text) = status(&s, "endpoints").await;
    assert_eq!((ok, text.as_str()), (json!("true"), "已添加 http://127.0.0.1:9"));
    assert_eq!(stored(&s).await["tokenEndpoints"], json!(["http://127.0.0.1:9"]));
    s.wait_for(
        "its access shown",
        "document.querySelector('[data-pa=\"endpoint-row\"][data-origin=\"http://127.0.0.1:9\"] [data-pa=\"endpoint-access\"]')?.dataset.granted ?? null",
        Duration::from_secs(5),
    )
    .await;

    // 字段绑定: a pasted snippet with a mistake names its line and adds nothing; the right one adds
    // rows, which save (through the worker) as an object.
    set(&s, "#bindings-paste", "{\n  \"fields\": {\n    \"auth.client_sceret\": { \"labels\": [\"应用密钥\"] }\n  }\n}").await;
    click(&s, "[data-pa=\"bindings-paste-add\"]").await;
    let (ok, text) = status(&s, "bindings-paste").await;
    assert_eq!(ok, json!("false"));
    assert!(text.contains("第 3 行") && text.contains("auth.client_sceret"), "{text}");
    set(&s, "#bindings-paste", "{\"fields\": {\"auth.client_secret\": {\"labels\": [\"应用密钥\"]}}}").await;
    clear_status(&s, "bindings-paste").await;
    click(&s, "[data-pa=\"bindings-paste-add\"]").await;
    assert_eq!(status(&s, "bindings-paste").await.0, json!("true"));
    assert_eq!(s.eval("return document.querySelectorAll('[data-pa=\"binding-row\"]').length;").await, json!(1));
    // A row added empty but for its value is named by its number.
    click(&s, "[data-pa=\"binding-add\"]").await;
    set(&s, "[data-pa=\"binding-row\"][data-row=\"2\"] [data-pa=\"binding-value\"]", "客户编号").await;
    click(&s, "#save-bindings").await;
    let (ok, text) = status(&s, "bindings").await;
    assert_eq!(ok, json!("false"), "{text}");
    assert!(text.contains("第 2 行"), "{text}");
    set(&s, "[data-pa=\"binding-row\"][data-row=\"2\"] [data-pa=\"binding-target\"]", "auth.client_id").await;
    clear_status(&s, "bindings").await;
    click(&s, "#save-bindings").await;
    let (ok, text) = status(&s, "bindings").await;
    assert_eq!((ok, text.as_str()), (json!("true"), "已保存：0 个页面、2 个字段，已打开的控制台页面已更新"));
    assert_eq!(
        stored(&s).await["bindings"],
        json!({ "fields": { "auth.client_id": { "labels": ["客户编号"] }, "auth.client_secret": { "labels": ["应用密钥"] } } })
    );

    // 已启用的网站 and the checklist's place.
    set(&s, "#checklist", "side").await;
    assert_eq!(status(&s, "sites").await.0, json!("true"));
    assert_eq!(stored(&s).await["checklist"], json!("side"));
    click(&s, "[data-pa=\"site\"][data-origin=\"https://erp.example.com\"] [data-pa=\"site-disable\"]").await;
    s.wait_for("the site gone", "!document.querySelector('[data-pa=\"site\"]')", Duration::from_secs(5)).await;
    assert_eq!(stored(&s).await["sites"], json!([]));
    s.eval("window.scrollTo(0, 0);").await;
    s.screenshot("options-zh-light").await;

    // 语言: the page follows at once.
    set(&s, "#lang", "en").await;
    s.wait_for("English", "document.querySelector('h1')?.textContent === 'Piaozone Assist settings'", Duration::from_secs(5)).await;
    assert_eq!(stored(&s).await["lang"], json!("en"));

    // Reloaded: every section shows what was saved.
    open_options(&s).await;
    s.wait_for("the rows", "document.querySelectorAll('[data-pa=\"env-row\"]').length === 2", Duration::from_secs(5)).await;
    let shown = s
        .eval(
            "return [document.getElementById('lang').value, document.getElementById('checklist').value,
                     document.querySelectorAll('[data-pa=\"endpoint-row\"]').length, document.querySelectorAll('[data-pa=\"binding-row\"]').length,
                     document.querySelector('h1').textContent, !!document.querySelector('[data-pa=\"env-migrated\"]')];",
        )
        .await;
    assert_eq!(shown, json!(["en", "side", 1, 2, "Piaozone Assist settings", false]));
    s.eval("window.scrollTo(0, 0);").await;
    s.screenshot("options-en-light").await;

    // 导出: the file holds the settings, no secret typed on the page, no site.
    s.eval(
        "window.__exported = null; const create = URL.createObjectURL;
         URL.createObjectURL = (blob) => { blob.text().then(t => window.__exported = t); return create(blob); };",
    )
    .await;
    click(&s, "[data-pa=\"export\"]").await;
    let exported = s.wait_for("the export", "window.__exported", Duration::from_secs(5)).await;
    let text = exported.as_str().unwrap();
    let file: Value = serde_json::from_str(text).unwrap();
    assert_eq!(file["piaozoneAssistSettings"], 1);
    assert_eq!(file["environments"].as_array().unwrap().len(), 2);
    assert_eq!(file["tokenEndpoints"], json!(["http://127.0.0.1:9"]));
    assert_eq!(file["lang"], "en");
    for secret in [PROD_SECRET, TEST_SECRET, "erp.example.com"] {
        assert!(!text.contains(secret), "{secret} in the export:\n{text}");
    }

    // 导入: a file with a secret in it, or a bad row, changes nothing; a good one replaces all.
    let import = |content: String| {
        format!(
            "const input = document.querySelector('[data-pa=\"import\"]'); const dt = new DataTransfer();
             dt.items.add(new File([{}], 'settings.json', {{ type: 'application/json' }}));
             input.files = dt.files; input.dispatchEvent(new Event('change', {{ bubbles: true }}));",
            json!(content)
        )
    };
    let before = stored(&s).await;
    let mut with_secret = file.clone();
    with_secret["clientSecret"] = json!(PROD_SECRET);
    s.eval(&import(with_secret.to_string())).await;
    let (ok, text) = status(&s, "transfer").await;
    assert_eq!(ok, json!("false"), "{text}");
    assert!(text.starts_with("Not imported"), "{text}");
    let mut bad_row = file.clone();
    bad_row["tokenEndpoints"] = json!(["https://relay.example.com/api"]);
    clear_status(&s, "transfer").await;
    s.eval(&import(bad_row.to_string())).await;
    let (_, text) = status(&s, "transfer").await;
    assert!(text.contains("tokenEndpoints row 1"), "{text}");
    assert_eq!(stored(&s).await, before, "a refused import changed the settings");
    let mut next = file.clone();
    next["lang"] = json!("zh-CN");
    next["tokenEndpoints"] = json!([]);
    next["environments"] = json!([{ "name": "客户代理", "production": "https://relay.customer.cn", "test": "" }]);
    clear_status(&s, "transfer").await;
    s.eval(&import(next.to_string())).await;
    s.wait_for("Chinese again", "document.querySelector('h1')?.textContent === '发票云配置助手 设置'", Duration::from_secs(5)).await;
    assert_eq!(status(&s, "transfer").await.0, json!("true"));
    let after = stored(&s).await;
    assert_eq!((after["lang"].clone(), after["tokenEndpoints"].clone()), (json!("zh-CN"), json!([])));
    assert_eq!(after["environments"], next["environments"]);
    assert_eq!(s.eval("return document.querySelectorAll('[data-pa=\"env-row\"]').length;").await, json!(1), "the sections show the import");
    for secret in [PROD_SECRET, TEST_SECRET] {
        assert!(!after.to_string().contains(secret), "{secret} stored");
    }
}

/// `popup.html?tab=<id>`: the popup of that tab (headless Chromium has no toolbar to click).
async fn popup_of(s: &Session, url_part: &str) -> String {
    s.client.goto(&s.extension_url("options.html")).await.unwrap();
    let tab = s
        .wait_for(
            "the tab",
            &format!(
                "chrome.tabs.query({{}}).then(t => window.__tab = t.find(t => (t.url || '').includes({}))?.id), window.__tab ?? null",
                json!(url_part)
            ),
            Duration::from_secs(10),
        )
        .await;
    s.client.goto(&s.extension_url(&format!("popup.html?tab={tab}"))).await.unwrap();
    let state = s
        .wait_for("the popup", "document.querySelector('[data-pa=\"popup-state\"]')?.dataset.state ?? null", Duration::from_secs(10))
        .await;
    state.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_popup_shows_each_site_state_with_its_action() {
    let s = Session::start().await;
    s.open("auth-config.html").await;
    s.wait_for_assistant().await;
    let console = s.client.window().await.unwrap();
    let popup = s.client.new_window(true).await.unwrap().handle;
    s.client.switch_to_window(popup.clone()).await.unwrap();

    // The dev build's own local console: always on; its page and step; no test yet.
    assert_eq!(popup_of(&s, "auth-config.html").await, "declared");
    s.wait_for("the page", "document.querySelector('[data-pa=\"popup-page\"]')?.dataset.page ?? null", Duration::from_secs(5)).await;
    let page = s.eval("return [document.querySelector('[data-pa=\"popup-page\"]').dataset.page, document.querySelector('[data-pa=\"popup-step\"]')?.dataset.step, !!document.querySelector('[data-pa=\"popup-no-test\"]')];").await;
    assert_eq!(page[0], "auth_config", "{page}");
    assert!(page[1].is_string() && page[2] == json!(true), "{page}");
    assert_eq!(s.eval("return !!document.querySelector('[data-pa=\"popup-enable\"], [data-pa=\"popup-disable\"]');").await, json!(false));
    s.screenshot("popup-zh-light").await;

    // After a connection test on the tab: its result.
    s.client.switch_to_window(console.clone()).await.unwrap();
    for (field, value) in [("url", s.env.sandbox.as_str()), ("client_id", PROD_ID), ("client_secret", PROD_SECRET)] {
        let input = s.client.find(Locator::Css(&format!("#{field} input"))).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }
    s.wait_for(
        "our connection-test button",
        &format!("!!{}?.querySelector('[data-pa=\"connection-test\"]')", e2e::SHADOW),
        Duration::from_secs(10),
    )
    .await;
    s.click_ours("[data-pa=\"connection-test\"]").await;
    s.wait_for(
        "the card",
        &format!("{}?.querySelector('[data-pa=\"connection-result\"]')?.dataset.outcome ?? null", e2e::SHADOW),
        Duration::from_secs(10),
    )
    .await;
    s.client.switch_to_window(popup.clone()).await.unwrap();
    popup_of(&s, "auth-config.html").await;
    let outcome = s
        .wait_for(
            "the last test",
            "document.querySelector('[data-pa=\"connection-result\"]')?.dataset.outcome ?? null",
            Duration::from_secs(5),
        )
        .await;
    assert_eq!(outcome, json!("ok"));
    assert!(!s.eval("return document.body.innerText;").await.as_str().unwrap().contains(PROD_SECRET));
    s.screenshot("popup-zh-last-test").await;

    // English and dark, as the setting and the system theme say.
    s.eval_async("await chrome.storage.local.set({ lang: 'en' }); return true;").await;
    s.cdp("Emulation.setEmulatedMedia", json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] })).await;
    popup_of(&s, "auth-config.html").await;
    s.wait_for(
        "English",
        "document.querySelector('[data-pa=\"popup-state\"]')?.textContent === 'A site built into the dev build'",
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(s.eval("return !!document.querySelector('.pa-popup.is-dark');").await, json!(true));
    s.screenshot("popup-en-dark").await;
    open_options(&s).await;
    assert_eq!(s.eval("return !!document.querySelector('.pa-settings.is-dark');").await, json!(true));
    s.screenshot("options-en-dark").await;
    s.eval_async("await chrome.storage.local.set({ lang: 'zh-CN' }); return true;").await;
    open_options(&s).await;
    s.screenshot("options-zh-dark").await;
    popup_of(&s, "auth-config.html").await;
    s.screenshot("popup-zh-dark").await;
    s.cdp("Emulation.setEmulatedMedia", json!({ "features": [{ "name": "prefers-color-scheme", "value": "light" }] })).await;
    s.eval_async("await chrome.storage.local.set({ lang: 'en' }); return true;").await;
    popup_of(&s, "auth-config.html").await;
    s.screenshot("popup-en-light").await;
    s.eval_async("await chrome.storage.local.set({ lang: 'auto' }); return true;").await;

    // A site not enabled, then enabled (as the popup's 启用 stores it), then disabled by its 停用.
    // The popup sees a tab's address through the toolbar click's activeTab, which headless Chromium
    // cannot give: a host the dev build may read without a content script stands in (the page
    // itself need not load).
    let stranger = "https://api-dev.piaozone.com/ierp/";
    s.client.switch_to_window(console.clone()).await.unwrap();
    s.client.goto(stranger).await.ok();
    s.client.switch_to_window(popup.clone()).await.unwrap();
    assert_eq!(popup_of(&s, "api-dev.piaozone.com").await, "not-enabled");
    assert_eq!(s.eval("return !!document.querySelector('[data-pa=\"popup-enable\"]');").await, json!(true));
    s.screenshot("popup-zh-not-enabled").await;
    s.eval_async("await chrome.storage.local.set({ sites: ['https://api-dev.piaozone.com'] }); return true;").await;
    assert_eq!(popup_of(&s, "api-dev.piaozone.com").await, "enabled");
    click(&s, "[data-pa=\"popup-disable\"]").await;
    s.wait_for("disabled", "document.querySelector('[data-pa=\"popup-state\"]')?.dataset.state === 'not-enabled'", Duration::from_secs(5))
        .await;
    assert_eq!(stored(&s).await["sites"], json!([]));

    // A page whose CSP forbids wasm: said, with the side panel as its way.
    s.client.switch_to_window(console.clone()).await.unwrap();
    s.open("csp/auth-config.html").await;
    s.client.switch_to_window(popup.clone()).await.unwrap();
    popup_of(&s, "/csp/").await;
    s.wait_for("the CSP alert", "!!document.querySelector('[data-pa=\"popup-wasm-blocked\"]')", Duration::from_secs(10)).await;
    assert_eq!(s.eval("return !!document.querySelector('[data-pa=\"popup-open-side\"].pa-set-primary');").await, json!(true));
    s.screenshot("popup-zh-csp").await;

    // No web page: the popup of one of our own pages.
    assert_eq!(popup_of(&s, "options.html").await, "no-site");
}
