//! Validation overlays on every page of the guide that has fields: typing a bad and a good value
//! into each bound field gives the expected verdict (`data-severity`, `data-rule`) in our layer.

use std::time::Duration;

use e2e::{Session, SHADOW};
use serde_json::json;

/// Types `bad`, expects `rule` with `severity`; then types `good` and expects that rule gone.
async fn bad_then_good(s: &Session, label: &str, field: &str, bad: &str, rule: &str, severity: &str, good: &str) {
    s.type_into(label, bad).await;
    assert_eq!(s.verdict(field, Some(rule)).await, severity, "{label} = {bad:?}");
    s.type_into(label, good).await;
    let expr = format!(
        "(() => {{ const v = {SHADOW}.querySelector('[data-field=\"{field}\"]'); \
           return v && v.dataset.rule !== '{rule}' && (v.dataset.severity === 'ok' || v.dataset.severity === 'info') ? v.dataset.severity : null; }})()"
    );
    s.wait_for(&format!("{field} accepted {good:?}"), &expr, Duration::from_secs(8)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn authorization_page_checks_every_field() {
    checks_every_authorization_field("auth-config.html", "overlays-auth-config").await;
}

/// The older label-only shell (`.kd-cq-tabpage`, the star before the label, `fld_*` ids, `<button>`s)
/// still gets every check.
#[tokio::test(flavor = "multi_thread")]
async fn authorization_page_in_the_older_shell_checks_every_field() {
    checks_every_authorization_field("auth-config-legacy.html", "overlays-auth-config-legacy").await;
}

async fn checks_every_authorization_field(page: &str, screenshot: &str) {
    let s = Session::start().await;
    s.open(page).await;
    s.wait_for_assistant().await;
    bad_then_good(
        &s,
        "url",
        "auth.url",
        "https://api-dev.piaozone.com",
        "url.dev_without_test",
        "warning",
        "https://api-dev.piaozone.com/test",
    )
    .await;
    assert_eq!(s.verdict("auth.url", Some("url.test")).await, "ok");
    bad_then_good(&s, "代理", "auth.proxy", "172.18.1.1：10086", "proxy.fullwidth_colon", "error", "172.18.1.1:10086").await;
    bad_then_good(&s, "Client id", "auth.client_id", "TN_DEMO0001", "credentials.tenant_on_enterprise", "error", "pz_test_demo").await;
    bad_then_good(&s, "Client Secret", "auth.client_secret", "test demo secret", "credentials.invisible", "error", "test-demo-secret")
        .await;
    bad_then_good(&s, "Encrypt Key", "auth.encrypt_key", "TestDemoKey16ch", "credentials.key_length", "error", "TestDemoKey16chr").await;
    s.choose("是否使用原授权", "是").await;
    assert_eq!(s.verdict("auth.use_original_auth", Some("original_auth.yes")).await, "info");

    // The explanation opens from the badge by keyboard and closes with Esc.
    s.type_into("Encrypt Key", "short").await;
    s.verdict("auth.encrypt_key", Some("credentials.key_length")).await;
    s.eval(&format!("{SHADOW}.querySelector('[data-field=\"auth.encrypt_key\"] [data-pa=badge]').focus();")).await;
    s.client.active_element().await.unwrap().send_keys("\u{E007}").await.unwrap();
    let text =
        s.wait_for("the explanation", &format!("{SHADOW}.querySelector('[data-pa=explanation]')?.innerText"), Duration::from_secs(5)).await;
    let text = text.as_str().unwrap();
    assert!(text.contains("16"), "{text}");
    assert!(!text.contains("short"), "the key itself is never quoted: {text}");
    s.client.active_element().await.unwrap().send_keys("\u{E00C}").await.unwrap();
    s.wait_for("the explanation closed", &format!("!{SHADOW}.querySelector('[data-pa=explanation]')"), Duration::from_secs(5)).await;
    s.screenshot(screenshot).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn enterprise_details_and_expense_page_share_the_company() {
    let s = Session::start().await;
    s.open("enterprise-info.html").await;
    s.wait_for_assistant().await;
    bad_then_good(&s, "企业税号", "enterprise.tax_id", "91440300MA5F000182", "tax_id.check_char", "error", "91440300MA5F000181").await;
    bad_then_good(&s, "企业名称", "enterprise.name", "演示科技(深圳)有限公司", "name.halfwidth_parens", "info", "演示科技有限公司").await;
    s.choose("开收票通道", "乐企").await;
    assert_eq!(s.verdict("enterprise.channel", Some("channel.leqi")).await, "info");
    s.screenshot("overlays-enterprise-info").await;

    // The expense page compares against the name and tax id remembered from the page above.
    s.open("expense-config.html").await;
    s.wait_for_assistant().await;
    bad_then_good(&s, "企业税号", "expense.tax_id", "91440300MA5F00026U", "tax_id.differs", "error", "91440300MA5F000181").await;
    bad_then_good(&s, "企业工商登记名", "expense.name", "演示科技有限责任公司", "name.differs", "error", "演示科技有限公司").await;
    bad_then_good(&s, "发票云授权标识", "expense.client_id", "TN_DEMO0001", "credentials.tenant_on_enterprise", "error", "pz_prod_demo")
        .await;
    bad_then_good(&s, "接入标识", "expense.encrypt_key", "ProdDemoKey", "credentials.key_length", "error", "ProdDemoKey16chr").await;
    bad_then_good(&s, "客户端标识", "expense.client_secret", "prod demo secret", "credentials.invisible", "error", "prod-demo-secret")
        .await;
    s.screenshot("overlays-expense-config").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn digital_tax_dialogs_check_tenant_keys_and_accounts() {
    let s = Session::start().await;
    s.open("etax-config.html").await;
    s.wait_for_assistant().await;
    s.eval("[...document.querySelectorAll('.kd-cq-baritem, button')].find(b => b.textContent.trim() === '维护租户授权信息').click();")
        .await;
    // The dialog comes pre-filled; its 15-character key is judged at once.
    assert_eq!(s.verdict("tenant.encrypt_key", Some("credentials.key_length")).await, "error");
    bad_then_good(&s, "授权账号", "tenant.client_id", "pz_prod_demo", "credentials.not_tenant", "error", "TN_DEMO0001").await;
    bad_then_good(&s, "加密key", "tenant.encrypt_key", "demo-tenant-key", "credentials.key_length", "error", "TenantDemoKey16c").await;
    bad_then_good(&s, "授权密钥", "tenant.client_secret", "tenant secret", "credentials.invisible", "error", "tenant-secret").await;
    s.screenshot("overlays-etax-tenant").await;
    s.eval("document.querySelector('.kd-cq-modal [data-dialog-close]').click();").await;

    // 数电配置详情 → 新增账号.
    s.eval("document.querySelector('#tabap > .kd-cq-tab-panel > [data-tab-hidden=\"false\"] > .kd-cq-form .link-cell-content').click();")
        .await;
    s.wait_for(
        "the detail tab",
        "[...document.querySelectorAll('.kd-cq-baritem, button')].find(b => b.offsetWidth > 0 && b.textContent.trim() === '新增账号')",
        Duration::from_secs(5),
    )
    .await;
    s.eval("[...document.querySelectorAll('.kd-cq-baritem, button')].find(b => b.offsetWidth > 0 && b.textContent.trim() === '新增账号').click();").await;
    s.wait_for("the account dialog", "document.querySelector('[data-form-id=bdm_einvoice_account]')", Duration::from_secs(5)).await;
    bad_then_good(&s, "电子税局账号", "etax.account", "1380013800", "account.format", "warning", "13800138000").await;
    bad_then_good(&s, "密码", "etax.password", " pass", "password.surrounding_space", "warning", "Passw0rd!").await;
    s.choose("税局所属地", "广东省").await;
    // The company's tax id 914403… belongs to 深圳市, which has its own bureau.
    assert_eq!(s.verdict("etax.region", Some("region.mismatch")).await, "info");
    s.choose("税局所属地", "深圳市").await;
    s.wait_for(
        "region accepted",
        &format!("{SHADOW}.querySelector('[data-field=\"etax.region\"]').dataset.severity === 'ok'"),
        Duration::from_secs(5),
    )
    .await;
    s.choose("角色", "办税人").await;
    assert_eq!(s.verdict("etax.role", None).await, "ok", "a role from the list");
    s.choose("登录类型", "小号登录").await;
    assert_eq!(s.verdict("etax.app_key", Some("app_key.required")).await, "error");
    bad_then_good(&s, "第三方app_key", "etax.app_key", "key 1", "credentials.invisible", "error", "qxy-app-key").await;
    bad_then_good(&s, "第三方app_secret", "etax.app_secret", "“secret”", "credentials.quoted", "error", "qxy-app-secret").await;
    s.screenshot("overlays-etax-account").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn legacy_upgrade_and_business_unit() {
    let s = Session::start().await;
    s.open("etax-legacy.html").await;
    s.wait_for_assistant().await;
    s.eval("[...document.querySelectorAll('.kd-cq-baritem, button')].find(b => b.textContent.trim() === '导入激活码').click();").await;
    bad_then_good(&s, "激活码", "legacy.activation_code", "AB12 CD34", "activation_code.whitespace", "warning", "AB12CD34").await;
    s.eval("document.querySelector('.kd-cq-modal [data-dialog-close]').click();").await;
    s.eval("[...document.querySelectorAll('.kd-cq-baritem, button')].find(b => b.textContent.trim() === '升级数电发票').click();").await;
    // Tick a tax number, then confirm, to reach the e-mail dialog.
    s.eval("document.querySelector('.kd-cq-modal tbody input[type=checkbox]')?.click(); [...document.querySelectorAll('.kd-cq-modal button')].find(b => b.textContent.trim() === '确定')?.click();").await;
    bad_then_good(&s, "收件邮箱", "legacy.email", "ops@example", "email.invalid", "error", "ops@example.com").await;

    s.open("business-unit.html").await;
    s.wait_for_assistant().await;
    // 核算组织 is unticked in the replica: judged at once, since the page shows it filled in.
    assert_eq!(s.verdict("org.functional_types", Some("functional_types.missing_accounting")).await, "error");
    let tick = s
        .element_by_js(
            "return [...document.querySelectorAll('label')].find(l => l.offsetWidth > 0 && l.textContent.trim() === '核算组织')?.querySelector('input') || null;",
            vec![],
        )
        .await
        .expect("the 核算组织 checkbox");
    tick.click().await.unwrap();
    s.wait_for(
        "核算组织 accepted",
        &format!("{SHADOW}.querySelector('[data-field=\"org.functional_types\"]').dataset.severity === 'ok'"),
        Duration::from_secs(5),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hidden_tab_badges_disappear() {
    let s = Session::start().await;
    s.open("auth-config.html").await;
    s.wait_for_assistant().await;
    s.type_into("url", "ftp://x").await;
    s.verdict("auth.url", Some("url.not_http")).await;
    s.eval("[...document.querySelectorAll('.kd-cq-tabs-tab')].find(t => t.textContent.trim().startsWith('企业信息')).click();").await;
    s.wait_for("no verdicts on the list tab", &format!("{SHADOW}.querySelectorAll('[data-field]').length === 0"), Duration::from_secs(5))
        .await;
    s.eval("[...document.querySelectorAll('.kd-cq-tabs-tab')].find(t => t.textContent.trim().startsWith('发票云授权配置')).click();").await;
    assert_eq!(s.verdict("auth.url", Some("url.not_http")).await, "error", "the error is back with its tab");
}

#[tokio::test(flavor = "multi_thread")]
async fn late_rendered_and_re_rendered_inputs_stay_bound() {
    let s = Session::start().await;
    s.open("late-render.html").await;
    s.wait_for_assistant().await;
    // Fields arrive about two seconds after the page.
    bad_then_good(&s, "Client ID", "auth.client_id", "TN_X1", "credentials.tenant_on_enterprise", "error", "pz_test_demo").await;

    s.open("rerender.html").await;
    s.wait_for_assistant().await;
    // The console replaces its input nodes every 3 s: type right after a replacement, so the
    // typing (a second or so through WebDriver) does not straddle the next one.
    let next_render = || async {
        let generation = s.eval("return document.querySelector('[data-render]')?.dataset.render;").await;
        s.wait_for(
            "a re-render",
            &format!("document.querySelector('[data-render]')?.dataset.render !== {generation}"),
            Duration::from_secs(8),
        )
        .await;
    };
    next_render().await;
    s.type_into("Encrypt Key", "tooshort").await;
    s.verdict("auth.encrypt_key", Some("credentials.key_length")).await;
    // After the next replacement, the badge sits on the new node.
    next_render().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let aligned = s.eval(&format!(
        "const input = [...document.querySelectorAll('[data-field-item]')].find(i => i.textContent.includes('Encrypt Key')).querySelector('input');
         const r = input.getBoundingClientRect();
         const v = {SHADOW}.querySelector('[data-field=\"auth.encrypt_key\"]');
         const o = v.getBoundingClientRect();
         return {{ dx: Math.abs(r.left - o.left), dy: Math.abs(r.top - o.top), rule: v.dataset.rule }};"
    )).await;
    assert!(aligned["dx"].as_f64().unwrap() < 2.0 && aligned["dy"].as_f64().unwrap() < 2.0, "{aligned}");
    assert_eq!(aligned["rule"], "credentials.key_length");
    // Each typing again right after a replacement (see above).
    next_render().await;
    s.type_into("Encrypt Key", "x").await;
    assert_eq!(s.verdict("auth.encrypt_key", Some("credentials.key_length")).await, "error");
    next_render().await;
    s.type_into("Encrypt Key", "TestDemoKey16chr").await;
    let accepted = format!("{SHADOW}.querySelector('[data-field=\"auth.encrypt_key\"]')?.dataset.severity === 'ok'");
    s.wait_for("Encrypt Key accepted after re-renders", &accepted, Duration::from_secs(8)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn iframe_form_gets_its_own_overlays() {
    let s = Session::start().await;
    s.open("iframe-host.html").await;
    s.wait_for_assistant().await;
    let frame = s.element_by_js("return document.querySelector('iframe');", vec![]).await.expect("the iframe");
    frame.enter_frame().await.unwrap();
    s.wait_for("overlays in the frame", "document.querySelector('piaozone-assist')", Duration::from_secs(10)).await;
    bad_then_good(&s, "企业税号", "enterprise.tax_id", "91440300MA5F00018", "tax_id.unverifiable", "warning", "91440300MA5F000181").await;
    assert_eq!(s.eval(&format!("return !!{SHADOW}.querySelector('[data-pa=panel]');")).await, json!(false), "no second panel in the frame");
}

#[tokio::test(flavor = "multi_thread")]
async fn badge_follows_its_field_in_a_scrolling_container() {
    let s = Session::start().await;
    s.open("scroll-container.html").await;
    s.wait_for_assistant().await;
    s.type_into("企业税号", "12345").await;
    s.verdict("enterprise.tax_id", Some("tax_id.length")).await;
    for top in [0, 400, 900] {
        s.eval(&format!("document.getElementById('scroll_container').scrollTop = {top};")).await;
        tokio::time::sleep(Duration::from_millis(150)).await;
        let geometry = s.eval(&format!(
            "const input = [...document.querySelectorAll('[data-field-item]')].find(i => i.textContent.includes('企业税号')).querySelector('input');
             const r = input.getBoundingClientRect();
             const o = {SHADOW}.querySelector('[data-field=\"enterprise.tax_id\"]')?.getBoundingClientRect();
             return o ? {{ dx: Math.abs(r.left - o.left), dy: Math.abs(r.top - o.top), dw: Math.abs(r.width - o.width) }} : {{ gone: true, top: r.top }};"
        )).await;
        if geometry.get("gone").is_none() {
            for k in ["dx", "dy", "dw"] {
                assert!(geometry[k].as_f64().unwrap() < 2.0, "scrollTop {top}: {geometry}");
            }
        }
    }
}

/// A section above a field grows or shrinks (nothing we rebind for: a plain block, in a short
/// form whose tab page does not change size): the verdict moves with its field.
#[tokio::test(flavor = "multi_thread")]
async fn badge_follows_its_field_when_the_form_above_it_grows() {
    let s = Session::start().await;
    s.open("enterprise-info.html").await;
    s.wait_for_assistant().await;
    s.type_into("企业税号", "12345").await;
    s.verdict("enterprise.tax_id", Some("tax_id.length")).await;
    let place = format!(
        "const input = document.querySelector('#number input');
         const o = {SHADOW}.querySelector('[data-field=\"enterprise.tax_id\"]')?.getBoundingClientRect();
         return [input.getBoundingClientRect().top, o ? o.top : null];"
    );
    let before = s.eval(&place).await;
    for height in [160, 40] {
        s.eval(&format!(
            "let spacer = document.getElementById('pa-test-spacer');
             if (!spacer) {{ spacer = document.createElement('div'); spacer.id = 'pa-test-spacer';
               const first = document.querySelector('#fs_baseinfo'); first.parentElement.insertBefore(spacer, first); }}
             spacer.style.height = '{height}px';"
        ))
        .await;
        let mut last = json!(null);
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            last = s.eval(&place).await;
            if last[1].as_f64().is_some_and(|o| (o - last[0].as_f64().unwrap()).abs() < 2.0) {
                break;
            }
        }
        let (input, overlay) = (last[0].as_f64().unwrap(), last[1].as_f64());
        assert!((input - before[0].as_f64().unwrap() - height as f64).abs() < 2.0, "the field moved by the spacer: {before} → {last}");
        assert!(overlay.is_some_and(|o| (o - input).abs() < 2.0), "spacer {height}px: the verdict stayed behind its field: {last}");
    }
}

/// The console's DOM with random page ids (a form's `id`/`data-page-id`, and the `<pageId>_…`
/// prefixes of tabs and fields) made stable, and without our host element.
const SNAPSHOT_JS: &str = r#"
const copy = document.documentElement.cloneNode(true);
copy.querySelectorAll('piaozone-assist').forEach((e) => e.remove());
return copy.outerHTML.replace(/[0-9a-f]{10}(?=[_"])/g, 'TAB');"#;

async fn fill_auth_page(s: &Session) {
    s.type_into("url", "https://api-dev.piaozone.com").await;
    s.type_into("Client id", "TN_DEMO").await;
    s.type_into("Encrypt Key", "short").await;
    s.choose("是否使用原授权", "是").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn console_dom_is_untouched_outside_our_host_element() {
    let plain = Session::start_without_extension().await;
    plain.open("auth-config.html").await;
    fill_auth_page(&plain).await;
    let without = plain.eval(SNAPSHOT_JS).await;
    drop(plain);

    let s = Session::start().await;
    s.open("auth-config.html").await;
    s.wait_for_assistant().await;
    fill_auth_page(&s).await;
    s.verdict("auth.url", Some("url.dev_without_test")).await; // the extension did its work
    let with = s.eval(SNAPSHOT_JS).await;
    assert_eq!(with, without, "the page's DOM differs with the extension");
    // Our single host element sits outside <body>, where React never looks.
    let host = s.eval("const h = document.querySelectorAll('piaozone-assist'); return [h.length, h[0].parentElement.tagName];").await;
    assert_eq!(host, json!([1, "HTML"]));
}

/// Waits until the companies remembered for the console's origin include `tax_id`.
async fn wait_remembered(s: &Session, tax_id: &str) {
    let found = s
        .on_extension_page(&format!(
            "for (let i = 0; i < 60; i++) {{
               if (JSON.stringify(await chrome.storage.local.get(null)).includes('{tax_id}')) return true;
               await new Promise(r => setTimeout(r, 100));
             }}
             return false;"
        ))
        .await;
    assert_eq!(found, json!(true), "{tax_id} was not remembered");
}

/// The red marks shown (an error's verdict drawn, not an untouched empty field kept quiet), as
/// `field:rule`.
async fn errors_shown(s: &Session) -> Vec<String> {
    let errors = s
        .eval(&format!("return [...{SHADOW}.querySelectorAll('[data-field][data-severity=\"error\"][data-display=\"verdict\"]')].map(v => v.dataset.field + ':' + v.dataset.rule);"))
        .await;
    serde_json::from_value(errors).unwrap()
}

/// Waits until `field` shows `ok` (no finding, or a confirmation).
async fn wait_ok(s: &Session, field: &str) {
    let expr = format!("{SHADOW}?.querySelector('[data-field=\"{field}\"]')?.dataset.severity === 'ok'");
    s.wait_for(&format!("{field} ok"), &expr, Duration::from_secs(8)).await;
}

/// A console serves many companies (with 是否使用原授权 = 是 "100个企业要配置100个不同的密钥"): each company
/// seen on 企业信息 is known on 费报, so the right values of any of them get no red mark, an unseen company
/// is at most information, and one company's tax id with another's name is still an error.
#[tokio::test(flavor = "multi_thread")]
async fn expense_page_knows_every_company_of_the_site_and_marks_no_right_value_red() {
    let s = Session::start().await;
    for (company, tax_id) in [("DEMO01", "91440300MA5F000181"), ("DEMO02", "91310000MA1K00031C")] {
        s.open(&format!("enterprise-info.html?company={company}")).await;
        s.wait_for_assistant().await;
        wait_remembered(&s, tax_id).await;
    }

    // The first company, as the page opens with it.
    s.open("expense-config.html").await;
    s.wait_for_assistant().await;
    wait_ok(&s, "expense.tax_id").await;
    wait_ok(&s, "expense.name").await;
    assert_eq!(errors_shown(&s).await, Vec::<String>::new());

    // The second company, typed as an admin would: a new row, then its values.
    s.eval("document.getElementById('tblnew').click();").await;
    for (label, value) in [
        ("企业税号", "91310000MA1K00031C"),
        ("企业工商登记名", "演示科技（上海）有限公司"),
        ("发票云授权标识", "pz_prod_demo_sh"),
        ("客户端标识", "prod-demo-secret-sh"),
        ("接入标识", "ProdDemoKeySh16c"),
    ] {
        s.type_into(label, value).await;
    }
    wait_ok(&s, "expense.tax_id").await;
    wait_ok(&s, "expense.name").await;
    assert_eq!(errors_shown(&s).await, Vec::<String>::new(), "a right value of the second company is marked red");
    s.screenshot("expense-two-companies").await;

    // A company never seen on 企业信息 in this browser: information, not an error.
    s.type_into("企业税号", "914403001922038216").await;
    s.type_into("企业工商登记名", "华为技术有限公司").await;
    assert_eq!(s.verdict("expense.tax_id", Some("tax_id.unseen")).await, "info");
    assert_eq!(errors_shown(&s).await, Vec::<String>::new());

    // One company's tax id with the other's name is wrong whichever company it is.
    s.type_into("企业税号", "91310000MA1K00031C").await;
    s.type_into("企业工商登记名", "演示科技有限公司").await;
    assert_eq!(s.verdict("expense.name", Some("name.differs")).await, "error");
}
