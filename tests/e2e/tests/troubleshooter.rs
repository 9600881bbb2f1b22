//! The troubleshooter on the replica console: every message of messages.html, shown as a toast,
//! a notification and a message box, opens its FAQ entry in the panel; the search box finds a
//! pasted message and a step.

use std::time::Duration;

use e2e::{Session, SHADOW};
use fantoccini::Locator;
use piaozone_assist::core::faq::match_text;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn every_console_message_opens_its_faq_entry() {
    let s = Session::start().await;
    s.open("messages.html").await;
    s.open_panel().await;
    // The trigger buttons are on the table's right: the panel docks left, out of their way.
    s.eval(&format!("{SHADOW}.querySelector('[data-pa=\"panel-dock\"]').click();")).await;
    s.wait_for("docked left", &format!("{SHADOW}.querySelector('[data-pa=\"panel\"]')?.dataset.dock === 'left'"), Duration::from_secs(5))
        .await;
    let messages: Vec<(String, String)> = serde_json::from_value(s.eval("return MSGS;").await).unwrap();
    assert_eq!(messages.len(), 15);
    for (index, (text, _)) in messages.iter().enumerate() {
        let expected = match_text(text).first().unwrap_or_else(|| panic!("no FAQ entry for {text}")).faq.id;
        for how in ["toast", "notification", "dialog"] {
            // The console's earlier notices stack over the table's buttons: close them.
            s.eval("document.querySelectorAll('.kd-cq-notification-notice, .kd-cq-message-notice').forEach(n => n.remove());").await;
            // Start from an empty troubleshooter, so the entry must come from this message.
            s.eval(&format!("{SHADOW}.querySelectorAll('[data-pa=\"faq-dismiss\"]').forEach(b => b.click());")).await;
            s.wait_for("an empty troubleshooter", &format!("!{SHADOW}.querySelector('[data-faq]')"), Duration::from_secs(5)).await;
            s.client.find(Locator::Css(&format!("[data-msg=\"{index}\"][data-how=\"{how}\"]"))).await.unwrap().click().await.unwrap();
            s.wait_for(
                &format!("FAQ {expected} for message {index} ({how}): {text}"),
                &format!("{SHADOW}.querySelector('[data-pa=\"troubleshooter\"] [data-faq]')?.dataset.faq === '{expected}'"),
                Duration::from_secs(5),
            )
            .await;
            if how == "dialog" {
                s.eval("document.querySelectorAll('.kd-cq-msgbox [data-dialog-close]').forEach(b => b.click());").await;
            }
        }
    }
    // The entry says why and what to do, links its step, and was announced.
    s.eval(&format!("{SHADOW}.querySelectorAll('[data-pa=\"faq-dismiss\"]').forEach(b => b.click());")).await;
    s.client.find(Locator::Css("[data-msg=\"0\"][data-how=\"toast\"]")).await.unwrap().click().await.unwrap();
    let entry = s
        .wait_for(
            "the key_env_mismatch entry",
            &format!("{SHADOW}.querySelector('[data-faq=\"key_env_mismatch\"]')?.innerText"),
            Duration::from_secs(5),
        )
        .await;
    let entry = entry.as_str().unwrap();
    assert!(entry.contains("原因") && entry.contains("解决") && entry.contains("查看步骤"), "{entry}");
    let live = s.eval(&format!("return {SHADOW}.querySelector('[data-pa=\"live\"]').textContent;")).await;
    assert!(live.as_str().unwrap().contains("发现问题"), "{live}");
    s.eval(&format!("{SHADOW}.querySelector('[data-faq=\"key_env_mismatch\"] [data-pa=\"faq-step\"]').click();")).await;
    s.wait_for(
        "the linked step open",
        &format!("{SHADOW}.querySelector('[data-step=\"auth_config\"] .pa-step-head')?.getAttribute('aria-expanded') === 'true'"),
        Duration::from_secs(5),
    )
    .await;
    s.screenshot("troubleshooter-zh").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_search_box_finds_a_pasted_message_and_a_step() {
    let s = Session::start().await;
    s.open("auth-config.html").await;
    s.open_panel().await;
    let search = s.element_by_js(&format!("return {SHADOW}.querySelector('[data-pa=\"search\"]');"), vec![]).await.unwrap();
    search.send_keys("签名认证不通过").await.unwrap();
    s.wait_for(
        "the FAQ entry first",
        &format!("{SHADOW}.querySelector('[data-pa=\"search-results\"] [data-hit]')?.dataset.hit === 'faq:key_env_mismatch'"),
        Duration::from_secs(5),
    )
    .await;
    search.send_keys("\u{E009}a\u{E009}\u{E003}业务单元").await.unwrap();
    s.wait_for(
        "the step",
        &format!("{SHADOW}.querySelector('[data-pa=\"search-results\"] [data-hit=\"step:business_unit\"]')"),
        Duration::from_secs(5),
    )
    .await;
    // Esc closes the results.
    search.send_keys("\u{E00C}").await.unwrap();
    s.wait_for("no results after Esc", &format!("!{SHADOW}.querySelector('[data-pa=\"search-results\"]')"), Duration::from_secs(5)).await;
    assert_eq!(s.eval(&format!("return {SHADOW}.querySelector('[data-pa=\"search\"]').value;")).await, json!(""));
}
