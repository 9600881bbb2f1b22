//! When a console differs from the guide: the page-structure report (from the panel, and the
//! message the popup sends) shows what a reader needs and no value, and the bindings it suggests,
//! pasted into the options page, bind the page at once, without a reload.

use std::time::Duration;

use e2e::{Session, SHADOW};
use serde_json::{json, Value};

/// The field ids our overlays are drawn for.
async fn bound(s: &Session) -> Vec<String> {
    let ids = s.eval(&format!("return [...{SHADOW}.querySelectorAll('[data-field]')].map(e => e.dataset.field).sort();")).await;
    serde_json::from_value(ids).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_names_the_form_its_fields_and_labels_and_no_value() {
    let s = Session::start().await;
    s.open("auth-config.html?formId=demo_invoicecloud_authconfig&token=zq7-query-secret#zq7-fragment").await;
    s.wait_for_assistant().await;
    s.type_into("url", "https://api.piaozone.com/zq7-typed-url").await;
    s.type_into("Client id", "pz_zq7_typed_id").await;
    s.type_into("Client Secret", "Zq7-report-secret-1").await;
    s.type_into("Encrypt Key", "Zq7ReportKey0001").await;
    s.verdict("auth.encrypt_key", None).await;
    let report = s.page_report("zh-CN").await;
    for value in ["zq7-typed-url", "pz_zq7_typed_id", "Zq7-report-secret-1", "Zq7ReportKey0001", "zq7-query-secret", "zq7-fragment"] {
        assert!(!report.contains(value), "{value} in the report:\n{report}");
    }
    assert!(report.contains("formId=demo_invoicecloud_authconfig&token=…"), "{report}");
    assert!(report.contains("[data-form-id=\"demo_invoicecloud_authconfig\"]"), "{report}");
    assert!(report.contains("发票云授权配置 (`auth_config`)"), "{report}");
    for (key, label) in
        [("url", "url"), ("proxy", "代理"), ("client_id", "Client id"), ("client_secret", "Client Secret"), ("encrypt_key", "Encrypt Key")]
    {
        assert!(report.contains(&format!("div#{key}.kd-cq-field")), "the key {key}:\n{report}");
        assert!(report.contains(&format!("\"{label}")), "the label {label}:\n{report}");
        assert!(report.contains(&format!("`auth.{key}` — 依据 key")), "how {key} was bound:\n{report}");
    }
    assert!(report.contains("\"连接测试\"") && report.contains(".~_2QHPFSVv"), "buttons and hashed classes:\n{report}");
    assert!(report.len() < 60 * 1024);
    let english = s.page_report("en").await;
    assert!(english.contains("# Page-structure report") && english.contains("Bound fields"), "{english}");
    // The guide's page title in English: the page module fetched its English texts for it.
    assert!(english.contains("Piaozone authorization (`auth_config`)"), "{english}");

    // Ordinary values are no more in it than secrets: a company's name and tax number.
    s.open("enterprise-info.html").await;
    s.wait_for_assistant().await;
    s.type_into("企业名称", "甲乙丙zq7有限公司").await;
    s.type_into("企业税号", "91440300MA5FZQ7X1K").await;
    s.verdict("enterprise.tax_id", None).await;
    let report = s.page_report("zh-CN").await;
    assert!(report.contains("`enterprise.tax_id` — 依据") && report.contains("\"企业税号"), "{report}");
    for value in ["甲乙丙zq7有限公司", "91440300MA5FZQ7X1K"] {
        assert!(!report.contains(value), "{value} in the report:\n{report}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_binds_a_page_the_guide_does_not_know_from_the_reports_suggestion() {
    let s = Session::start().await;
    s.open("auth-config-custom.html").await;
    s.wait_for_assistant().await;
    s.wait_for("the custom form", "!!document.getElementById('pz_appsecret')", Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(bound(&s).await, Vec::<String>::new(), "the built-in guide binds nothing here");

    // The panel's 复制页面结构: the preview shows the report, and what it suggests.
    s.eval(&format!("{SHADOW}.querySelector('[data-pa=\"panel-reopen\"]')?.click();")).await;
    s.click_ours("[data-pa=\"page-report\"]").await;
    let report = s
        .wait_for("the preview", &format!("{SHADOW}.querySelector('[data-pa=\"report-text\"]')?.textContent"), Duration::from_secs(5))
        .await;
    let report = report.as_str().unwrap().to_owned();
    assert!(
        report.contains("页面: 未识别") && report.contains("cust_pz_authconfig") && report.contains("\"应用 Client Secret"),
        "{report}"
    );
    std::fs::write(s.env.artifacts.join("report-auth-config-custom.md"), &report).unwrap();
    let shot = s.screenshot("report-preview").await;
    assert!(std::fs::metadata(shot).unwrap().len() > 10_000);
    let snippet =
        report.split("```json\n").nth(1).and_then(|rest| rest.split("\n```").next()).unwrap_or_else(|| panic!("no suggestion:\n{report}"));
    let suggested: Value = serde_json::from_str(snippet).unwrap();
    assert_eq!(suggested["pages"]["auth_config"]["form_ids"], json!(["cust_pz_authconfig"]), "{snippet}");
    for field in ["auth.url", "auth.proxy", "auth.use_original_auth", "auth.client_id", "auth.client_secret", "auth.encrypt_key"] {
        assert!(suggested["fields"][field]["labels"].is_array(), "{field} not suggested: {snippet}");
    }
    s.click_ours("[data-pa=\"report-close\"]").await;

    // The options page: pasted with a mistake, the snippet names its line and adds nothing; as
    // suggested, it becomes rows that save, and read back as rows.
    let mistaken = snippet.replace("auth.encrypt_key", "auth.encryptkey");
    let paste = |text: &str| {
        format!(
            "for (let i = 0; i < 50 && !document.getElementById('bindings-paste'); i++) await new Promise(r => setTimeout(r, 100));
             const box = document.getElementById('bindings-paste');
             box.value = {text}; box.dispatchEvent(new Event('input', {{ bubbles: true }}));
             document.querySelector('[data-pa=\"bindings-paste-add\"]').click();
             await new Promise(r => setTimeout(r, 100));
             const status = (of) => document.querySelector(`[data-pa=\"${{of}}-status\"]`);
             const pasted = status('bindings-paste').textContent;
             if (status('bindings-paste').dataset.ok !== 'true') return [pasted, (await chrome.storage.local.get('bindings')).bindings ?? null];
             document.getElementById('save-bindings').click();
             for (let i = 0; i < 50 && !status('bindings').dataset.ok; i++) await new Promise(r => setTimeout(r, 100));
             return [status('bindings').textContent, (await chrome.storage.local.get('bindings')).bindings ?? null];",
            text = json!(text)
        )
    };
    let saved = s.on_extension_page(&paste(&mistaken)).await;
    assert!(
        saved[0].as_str().unwrap().starts_with("未保存，请先改正：第 ") && saved[0].as_str().unwrap().contains("auth.encryptkey"),
        "{saved}"
    );
    assert_eq!(saved[1], Value::Null, "{saved}");
    let saved = s.on_extension_page(&paste(snippet)).await;
    assert!(saved[0].as_str().unwrap().starts_with("已保存：1 个页面、6 个字段"), "{saved}");
    // Stored as an object (inspectable in the storage viewer), shown back on the options page.
    let stored = &saved[1];
    assert!(stored["fields"]["auth.url"]["labels"].is_array(), "not an object: {stored}");
    let rows = s
        .on_extension_page(
            "for (let i = 0; i < 50 && !document.querySelector('[data-pa=\"binding-row\"]'); i++) await new Promise(r => setTimeout(r, 100));
             return document.querySelectorAll('[data-pa=\"binding-row\"]').length;",
        )
        .await;
    let entries: usize = stored["pages"]
        .as_object()
        .unwrap()
        .values()
        .chain(stored["fields"].as_object().unwrap().values())
        .flat_map(|b| b.as_object().unwrap().values())
        .map(|list| list.as_array().unwrap().len())
        .sum();
    assert_eq!(rows, json!(entries), "the options page shows one row per stored entry");

    // The open tab binds at once (no reload) and checks what is typed.
    s.wait_for("the fields bound", &format!("{SHADOW}.querySelectorAll('[data-field]').length >= 6"), Duration::from_secs(5)).await;
    assert_eq!(
        bound(&s).await,
        ["auth.client_id", "auth.client_secret", "auth.encrypt_key", "auth.proxy", "auth.url", "auth.use_original_auth"]
    );
    s.type_into("发票云服务URL", "ftp://api.piaozone.com").await;
    assert_eq!(s.verdict("auth.url", Some("url.not_http")).await, "error");
    s.type_into("发票云服务URL", "https://api.piaozone.com").await;
    s.wait_for(
        "the url accepted",
        &format!("{SHADOW}.querySelector('[data-field=\"auth.url\"]')?.dataset.severity === 'ok'"),
        Duration::from_secs(5),
    )
    .await;

    // Bindings an older version stored as text still bind (removed, then put back as text).
    s.on_extension_page("await chrome.storage.local.remove('bindings'); return true;").await;
    s.wait_for("the fields unbound", &format!("{SHADOW}.querySelectorAll('[data-field]').length === 0"), Duration::from_secs(5)).await;
    s.on_extension_page(&format!("await chrome.storage.local.set({{ bindings: {} }}); return true;", json!(snippet))).await;
    s.wait_for("the fields bound from text", &format!("{SHADOW}.querySelectorAll('[data-field]').length >= 6"), Duration::from_secs(5))
        .await;

    // For a fleet, the same bindings come from the enterprise policy (Chromium's managed policy
    // for this extension), in a browser with none of its own. In this test, after the part above,
    // so that no other test of this file runs while the policy is installed.
    let bindings: Value = serde_json::from_str(snippet).unwrap();
    let policy = e2e::Policy::install(json!({ "3rdparty": { "extensions": { (s.env.extension_id.clone()): { "bindings": bindings } } } }));
    drop(s);
    let s = Session::start().await;
    let managed = s.on_extension_page("return await chrome.storage.managed.get('bindings');").await;
    assert!(managed["bindings"]["fields"].is_object(), "the policy reached the extension: {managed}");
    s.open("auth-config-custom.html").await;
    s.wait_for_assistant().await;
    s.wait_for("the fields bound by policy", &format!("{SHADOW}.querySelectorAll('[data-field]').length >= 6"), Duration::from_secs(5))
        .await;
    let stored = s.on_extension_page("return (await chrome.storage.local.get('bindings')).bindings ?? null;").await;
    assert_eq!(stored, Value::Null, "a fresh profile: the bindings came from the policy alone");
    drop(policy);
}
