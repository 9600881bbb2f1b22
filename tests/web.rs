//! Browser tests (wasm-bindgen-test, headless Chromium): the Yew components render what the admin
//! should see. Run by `cargo xtask test`.
#![cfg(target_arch = "wasm32")]

use piaozone_assist::core::guide::STEPS;
use piaozone_assist::core::i18n::Lang;
use piaozone_assist::ui::app::{App, AppProps, Msg, WorkerState};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::html::Scope;

wasm_bindgen_test_configure!(run_in_browser);

fn mount(lang: Lang) -> (Element, Scope<App>) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root_and_props(root.clone(), AppProps { lang, in_frame: false }).render();
    let scope = (*handle).clone();
    (root, scope)
}

/// Lets Yew's scheduler render.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn states(root: &Element) -> Vec<(String, String)> {
    let list = root.query_selector_all("[data-step]").unwrap();
    (0..list.length())
        .map(|i| {
            let e: Element = list.item(i).unwrap().dyn_into().unwrap();
            (e.get_attribute("data-step").unwrap(), e.get_attribute("data-state").unwrap())
        })
        .collect()
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector).unwrap().map(|e| e.text_content().unwrap_or_default()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn detected_page_makes_its_step_current() {
    let (root, app) = mount(Lang::Zh);
    settle().await;
    let before = states(&root);
    assert_eq!(before.len(), STEPS.len());
    assert!(before.iter().all(|(_, s)| s == "todo"), "nothing current before detection");
    assert!(text(&root, ".pa-note").contains("不属于发票云配置步骤"));

    app.send_message(Msg::Detected(Some("etax_tenant")));
    settle().await;
    let after = states(&root);
    let current: Vec<_> = after.iter().filter(|(_, s)| s == "current").map(|(id, _)| id.as_str()).collect();
    assert_eq!(current, ["etax_tenant"]);
    let step = text(&root, "[data-step=etax_tenant]");
    assert!(step.contains("维护租户授权信息"), "{step}");
    assert!(step.contains("TN_"), "guidance shown for the current step: {step}");
    assert!(step.contains("使用电子税局通道时必需"), "condition shown: {step}");
    assert_eq!(text(&root, ".pa-note"), "", "no 'not a setup page' note once a step is current");
}

#[wasm_bindgen_test]
async fn english_panel_uses_the_english_guide() {
    let (root, app) = mount(Lang::En);
    app.send_message(Msg::Detected(Some("auth_config")));
    settle().await;
    assert_eq!(text(&root, ".pa-head h2"), "Piaozone setup");
    let step = text(&root, "[data-step=auth_config]");
    assert!(step.contains("never the tenant TN_ keys"), "{step}");
    assert!(step.contains("Required"), "{step}");
}

#[wasm_bindgen_test]
async fn clicking_a_step_shows_its_guidance_and_collapse_reopens() {
    let (root, _app) = mount(Lang::Zh);
    settle().await;
    assert!(!text(&root, "[data-step=business_unit]").contains("核算组织"), "guidance hidden until opened");
    let head: HtmlElement = root.query_selector("[data-step=business_unit] .pa-step-head").unwrap().unwrap().dyn_into().unwrap();
    head.click();
    settle().await;
    assert!(text(&root, "[data-step=business_unit]").contains("核算组织"));

    let collapse: HtmlElement = root.query_selector("[data-pa=panel-collapse]").unwrap().unwrap().dyn_into().unwrap();
    collapse.click();
    settle().await;
    assert!(root.query_selector("[data-pa=panel]").unwrap().is_none());
    let reopen: HtmlElement = root.query_selector("[data-pa=panel-reopen]").unwrap().unwrap().dyn_into().unwrap();
    reopen.click();
    settle().await;
    assert!(root.query_selector("[data-pa=panel]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn worker_state_is_exposed_for_support() {
    let (root, app) = mount(Lang::Zh);
    settle().await;
    let worker = || root.query_selector(".pa-root").unwrap().unwrap().get_attribute("data-worker").unwrap();
    assert_eq!(worker(), "pending");
    app.send_message(Msg::Worker(WorkerState::Unreachable));
    settle().await;
    assert_eq!(worker(), "unreachable");
}
