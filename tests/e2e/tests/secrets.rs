//! No secret typed into the console is ever kept: known strings typed into every secret field,
//! the extension used on each page (validation, connection test, tenant save), then
//! chrome.storage (local, sync, session) and the page's DOM outside the inputs (our shadow root
//! included) are searched for them.

use std::time::Duration;

use e2e::{Session, SHADOW};
use fantoccini::Locator;

const SECRETS: [(&str, &str); 8] = [
    ("Client Secret", "Zq7-client-secret-4471"),
    ("Encrypt Key", "Zq7EncryptKey8812"),
    ("授权密钥", "Zq7-tenant-secret-0935"),
    ("加密key", "Zq7-tenant-key-5520"),
    ("密码", "Zq7-etax-password-3318"),
    ("第三方app_secret", "Zq7-app-secret-7710"),
    ("客户端标识", "Zq7-expense-secret-6604"),
    ("接入标识", "Zq7-expense-key-2291"),
];

fn secret(label: &str) -> &'static str {
    SECRETS.iter().find(|(l, _)| *l == label).unwrap().1
}

/// The page's markup (typed values are properties, not markup) and our shadow root's.
async fn assert_dom_clean(s: &Session, page: &str) {
    let dom = s.eval(&format!("return document.documentElement.outerHTML + ({SHADOW}?.innerHTML ?? '') + document.body.innerText;")).await;
    let dom = dom.as_str().unwrap();
    for (label, value) in SECRETS {
        assert!(!dom.contains(value), "{label}'s value found in the DOM of {page}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_is_stored_or_shown() {
    let s = Session::start().await;
    let sandbox = s.env.sandbox.clone();

    s.open("auth-config.html").await;
    s.wait_for_assistant().await;
    s.type_into("url", &sandbox).await;
    s.type_into("Client id", "pz_prod_demo").await;
    s.type_into("Client Secret", secret("Client Secret")).await;
    s.type_into("Encrypt Key", secret("Encrypt Key")).await;
    s.verdict("auth.encrypt_key", None).await;
    s.click_ours("[data-pa=\"connection-test\"]").await;
    s.wait_for("a connection result", &format!("{SHADOW}.querySelector('[data-pa=\"connection-result\"]')"), Duration::from_secs(15)).await;
    assert_dom_clean(&s, "auth-config.html").await;

    s.open("etax-config.html").await;
    s.wait_for_assistant().await;
    s.client.find(Locator::Css("#btn_tenantauth")).await.unwrap().click().await.unwrap();
    s.type_into("授权密钥", secret("授权密钥")).await;
    s.type_into("加密key", secret("加密key")).await;
    assert_dom_clean(&s, "the tenant dialog").await;
    s.eval("document.getElementById('btn_tenant_save').click();").await;
    s.client.find(Locator::Css("#etaxlist span.link-cell-content")).await.unwrap().click().await.unwrap();
    s.client.find(Locator::Css("#btn_addaccount")).await.unwrap().click().await.unwrap();
    s.type_into("密码", secret("密码")).await;
    s.choose("登录类型", "小号登录").await;
    s.type_into("第三方app_secret", secret("第三方app_secret")).await;
    s.verdict("etax.app_secret", None).await;
    assert_dom_clean(&s, "the account dialog").await;

    s.open("expense-config.html").await;
    s.wait_for_assistant().await;
    s.type_into("客户端标识", secret("客户端标识")).await;
    s.type_into("接入标识", secret("接入标识")).await;
    s.verdict("expense.encrypt_key", None).await;
    assert_dom_clean(&s, "expense-config.html").await;

    let stored = s
        .on_extension_page(
            "const all = await Promise.all([chrome.storage.local.get(null), chrome.storage.sync.get(null), chrome.storage.session.get(null)]);
             return JSON.stringify(all);",
        )
        .await;
    let stored = stored.as_str().unwrap();
    assert!(stored.contains("etax_tenant"), "the tenant save was observed and stored: {stored}");
    for (label, value) in SECRETS {
        assert!(!stored.contains(value), "{label}'s value found in chrome.storage: {stored}");
    }
}
