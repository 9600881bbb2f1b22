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

mod connection_card {
    use super::{settle, text};
    use piaozone_assist::core::i18n::Lang;
    use piaozone_assist::core::piaozone::{Outcome, OutcomeKind, Stage};
    use piaozone_assist::ui::connection::{ConnectionCard, ConnectionCardProps, PageValues, TestResult};
    use wasm_bindgen_test::*;
    use web_sys::Element;
    use yew::Callback;

    async fn render(lang: Lang, result: TestResult, proxy: &str) -> Element {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let values = PageValues { url: "https://api.piaozone.com".into(), client_id: "pz_prod_demo".into(), proxy: proxy.into() };
        let props = ConnectionCardProps { lang, result, values, on_grant: Callback::noop(), on_close: Callback::noop() };
        yew::Renderer::<ConnectionCard>::with_root_and_props(root.clone(), props).render();
        settle().await;
        root
    }

    fn sample(kind: OutcomeKind) -> Outcome {
        let mut outcome = Outcome { latency_ms: Some(42), ..Outcome::new(kind) };
        match kind {
            OutcomeKind::Ok => outcome.expires_in = Some(129600),
            OutcomeKind::CredentialsRejected => outcome.description = Some("非法的客户id".into()),
            OutcomeKind::EnvironmentMismatch => outcome.right_url = Some("https://api-dev.piaozone.com/test".into()),
            OutcomeKind::Unreachable => outcome.stage = Some(Stage::Timeout),
            OutcomeKind::NotPiaozone => outcome.excerpt = Some("登录 Wi-Fi".into()),
            _ => {}
        }
        outcome
    }

    #[wasm_bindgen_test]
    async fn every_outcome_kind_renders_its_card() {
        for kind in OutcomeKind::ALL {
            let outcome = sample(kind);
            let expected = outcome.explain(Lang::Zh);
            let root = render(Lang::Zh, TestResult::Outcome(outcome), "").await;
            let card = root.query_selector("[data-pa=connection-result]").unwrap().expect("the card");
            assert_eq!(card.get_attribute("data-outcome").as_deref(), Some(kind.as_str()));
            let shown = card.text_content().unwrap();
            assert!(shown.contains(&expected.title), "{kind:?}: {shown}");
            assert!(shown.contains(&expected.fix), "{kind:?}: {shown}");
            assert!(shown.contains("耗时 42 ms"), "{kind:?}: {shown}");
            let has_command = card.query_selector("[data-pa=doctor-command]").unwrap().is_some();
            assert_eq!(has_command, kind == OutcomeKind::Ok, "the server reminder belongs to a success: {kind:?}");
        }
    }

    #[wasm_bindgen_test]
    async fn success_names_the_server_command_without_the_secret() {
        let root = render(Lang::Zh, TestResult::Outcome(sample(OutcomeKind::Ok)), "172.18.1.1:10086").await;
        assert_eq!(
            text(&root, "[data-pa=doctor-command]"),
            "piaozone-assist doctor --url https://api.piaozone.com --client-id pz_prod_demo --client-secret-env PIAOZONE_CLIENT_SECRET --proxy 172.18.1.1:10086"
        );
        assert!(text(&root, "[data-pa=server-check]").contains("ERP 服务器"));
        assert!(text(&root, "[data-pa=connection-result]").contains("129600"));
        assert_eq!(text(&root, "[data-pa=copy-command]"), "复制命令");
    }

    #[wasm_bindgen_test]
    async fn english_cards_and_the_two_results_that_are_not_a_diagnosis() {
        let root = render(Lang::En, TestResult::Outcome(sample(OutcomeKind::EnvironmentMismatch)), "").await;
        assert!(text(&root, "[data-outcome=environment_mismatch]").contains("Set url to https://api-dev.piaozone.com/test"));

        let root = render(Lang::Zh, TestResult::PermissionNeeded { origin: "https://relay.example.com".into() }, "").await;
        assert!(root.query_selector("[data-outcome=permission_needed]").unwrap().is_some());
        assert_eq!(text(&root, "[data-pa=grant-permission]"), "授权访问 https://relay.example.com");

        let root = render(Lang::En, TestResult::Failed { message: "worker gone".into() }, "").await;
        assert!(text(&root, "[data-outcome=error]").contains("worker gone"));
    }
}
