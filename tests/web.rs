//! Browser tests (wasm-bindgen-test, headless Chromium): the Yew components render what the admin
//! should see. Run by `cargo xtask test`.
#![cfg(target_arch = "wasm32")]

use piaozone_assist::core::guide::{Branch, STEPS};
use piaozone_assist::core::i18n::Lang;
use piaozone_assist::core::progress::Progress;
use piaozone_assist::ui::app::{App, AppProps, Msg, WorkerState};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::html::Scope;

wasm_bindgen_test_configure!(run_in_browser);

fn mount(lang: Lang) -> (Element, Scope<App>) {
    mount_with(app_props(lang))
}

fn app_props(lang: Lang) -> AppProps {
    AppProps {
        lang,
        in_frame: false,
        progress: Progress::default(),
        on_progress: Default::default(),
        page_report: yew::Callback::from(|_| String::new()),
        on_compare: Default::default(),
        send: Default::default(),
        in_side: false,
        on_view: Default::default(),
        on_english: Default::default(),
    }
}

fn mount_with(props: AppProps) -> (Element, Scope<App>) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    let scope = (*handle).clone();
    (root, scope)
}

/// Lets Yew's scheduler render (generous: the machine may be busy).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 60).unwrap();
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

    app.send_message(Msg::Detected(Some("etax_tenant"), Branch::Both));
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
    app.send_message(Msg::Detected(Some("auth_config"), Branch::Both));
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

fn click(root: &Element, selector: &str) {
    let element: HtmlElement = root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).dyn_into().unwrap();
    element.click();
}

fn attr(root: &Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector).unwrap()?.get_attribute(name)
}

#[wasm_bindgen_test]
async fn the_panel_previews_the_page_structure_report_in_the_admins_language() {
    let page_report = yew::Callback::from(|lang: Lang| format!("# report in {}", lang.tag()));
    let (root, app) = mount_with(AppProps {
        lang: Lang::Zh,
        in_frame: false,
        progress: Progress::default(),
        on_progress: Default::default(),
        page_report,
        on_compare: Default::default(),
        send: Default::default(),
        in_side: false,
        on_view: Default::default(),
        on_english: Default::default(),
    });
    settle().await;
    assert!(root.query_selector("[data-pa=report-preview]").unwrap().is_none());
    assert_eq!(text(&root, "[data-pa=page-report]"), "复制页面结构");
    click(&root, "[data-pa=page-report]");
    settle().await;
    assert_eq!(text(&root, "[data-pa=report-text]"), "# report in zh-CN");
    assert!(text(&root, "[data-pa=report-preview]").contains("不含任何输入框"));
    assert_eq!(text(&root, "[data-pa=report-copy]"), "复制");
    click(&root, "[data-pa=report-close]");
    settle().await;
    assert!(root.query_selector("[data-pa=report-preview]").unwrap().is_none());
    app.send_message(Msg::Lang(Lang::En));
    settle().await;
    click(&root, "[data-pa=page-report]");
    settle().await;
    assert_eq!(text(&root, "[data-pa=report-text]"), "# report in en");
    assert!(text(&root, "[data-pa=report-preview]").contains("no value of any input"));
}

#[wasm_bindgen_test]
async fn ticking_and_observing_mark_steps_done_and_say_how() {
    let stored = std::rc::Rc::new(std::cell::RefCell::new(None::<Progress>));
    let on_progress = {
        let stored = stored.clone();
        yew::Callback::from(move |p: Progress| *stored.borrow_mut() = Some(p))
    };
    let (root, app) = mount_with(AppProps {
        lang: Lang::Zh,
        in_frame: false,
        progress: Progress::default(),
        on_progress,
        page_report: yew::Callback::from(|_| String::new()),
        on_compare: Default::default(),
        send: Default::default(),
        in_side: false,
        on_view: Default::default(),
        on_english: Default::default(),
    });
    settle().await;
    click(&root, "[data-step=admin_org] [data-pa=tick]");
    settle().await;
    assert_eq!(attr(&root, "[data-step=admin_org]", "data-state").as_deref(), Some("done"));
    assert_eq!(attr(&root, "[data-step=admin_org]", "data-completion").as_deref(), Some("ticked"));
    assert_eq!(attr(&root, "[data-step=admin_org] [data-pa=tick]", "aria-checked").as_deref(), Some("true"));
    assert!(text(&root, "[data-step=admin_org]").contains("手动勾选"));
    assert!(stored.borrow().as_ref().unwrap().done.contains_key("admin_org"), "the change went out to be stored");

    app.send_message(Msg::Detected(Some("enterprise_list"), Branch::Both));
    app.send_message(Msg::Observed(vec!["import_org"]));
    settle().await;
    assert_eq!(attr(&root, "[data-step=import_org]", "data-state").as_deref(), Some("done"), "done wins over current");
    assert_eq!(attr(&root, "[data-step=import_org]", "aria-current").as_deref(), Some("step"));
    assert!(text(&root, "[data-step=import_org]").contains("自动识别"));
    assert!(text(&root, "[data-pa=progress-count]").starts_with("2/"));

    click(&root, "[data-pa=reset]");
    settle().await;
    assert!(states(&root).iter().all(|(_, s)| s != "done"));
}

#[wasm_bindgen_test]
async fn the_shown_version_hides_the_other_branch_and_the_admin_can_choose() {
    let (root, app) = mount(Lang::Zh);
    settle().await;
    assert!(root.query_selector("[data-step=etax_legacy]").unwrap().is_some());
    click(&root, "[data-pa=version] [data-branch=legacy]");
    settle().await;
    assert!(root.query_selector("[data-step=etax_tenant]").unwrap().is_none(), "V8 steps hidden on legacy");
    assert!(root.query_selector("[data-step=etax_legacy]").unwrap().is_some());
    app.send_message(Msg::Detected(Some("etax_list"), Branch::V8));
    settle().await;
    assert!(root.query_selector("[data-step=etax_legacy]").unwrap().is_none());
    assert_eq!(attr(&root, "[data-pa=version]", "data-branch").as_deref(), Some("v8"));
    assert!(text(&root, "[data-pa=version]").contains("页面识别"));
}

#[wasm_bindgen_test]
async fn a_console_message_opens_its_faq_entry_and_is_announced() {
    let (root, app) = mount(Lang::Zh);
    settle().await;
    click(&root, "[data-pa=panel-collapse]");
    settle().await;
    app.send_message(Msg::ConsoleMessages(vec!["保存成功".into()]));
    settle().await;
    assert!(root.query_selector("[data-pa=troubleshooter]").unwrap().is_none(), "unrelated messages are ignored");
    app.send_message(Msg::ConsoleMessages(vec!["未配置全电开票账号，请联系工作人员".into()]));
    settle().await;
    let entry = text(&root, "[data-pa=troubleshooter] [data-faq=no_etax_account]");
    assert!(entry.contains("原因") && entry.contains("解决"), "{entry}");
    assert!(text(&root, "[data-pa=live]").contains("发现问题"), "announced politely");
    click(&root, "[data-faq=no_etax_account] [data-pa=faq-step]");
    settle().await;
    assert_eq!(attr(&root, "[data-step=etax_account] .pa-step-head", "aria-expanded").as_deref(), Some("true"));
    click(&root, "[data-faq=no_etax_account] [data-pa=faq-dismiss]");
    settle().await;
    assert!(root.query_selector("[data-faq=no_etax_account]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn search_finds_faq_and_steps_and_language_switches_live() {
    let (root, app) = mount(Lang::Zh);
    settle().await;
    let input: web_sys::HtmlInputElement = root.query_selector("[data-pa=search]").unwrap().unwrap().dyn_into().unwrap();
    input.set_value("核算组织");
    input.dispatch_event(&web_sys::InputEvent::new("input").unwrap()).unwrap();
    settle().await;
    assert!(root.query_selector("[data-pa=search-results] [data-hit=\"step:business_unit\"]").unwrap().is_some());
    app.send_message(Msg::Lang(Lang::En));
    settle().await;
    assert_eq!(text(&root, ".pa-head h2"), "Piaozone setup");
    assert_eq!(attr(&root, "[data-pa=panel]", "lang").as_deref(), Some("en"));
    assert_eq!(attr(&root, "[data-pa=search]", "aria-label").as_deref(), Some("Search problems or steps"));
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
    use piaozone_assist::core::protocol::TestAnswer;
    use piaozone_assist::ui::connection::{ConnectionCard, ConnectionCardProps, PageValues};
    use wasm_bindgen_test::*;
    use web_sys::Element;
    use yew::Callback;

    async fn render(lang: Lang, result: TestAnswer, proxy: &str) -> Element {
        render_with(lang, result, proxy, Callback::noop()).await
    }

    async fn render_with(lang: Lang, result: TestAnswer, proxy: &str, on_confirm_plain_http: Callback<()>) -> Element {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let values = PageValues { url: "https://api.piaozone.com".into(), client_id: "pz_prod_demo".into(), proxy: proxy.into() };
        let props = ConnectionCardProps {
            lang,
            result,
            values,
            on_grant: Callback::noop(),
            on_confirm_plain_http,
            on_close: Callback::noop(),
            actions: true,
            closable: true,
        };
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
            let root = render(Lang::Zh, TestAnswer::Outcome(Box::new(outcome)), "").await;
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
        let root = render(Lang::Zh, TestAnswer::Outcome(Box::new(sample(OutcomeKind::Ok))), "172.18.1.1:10086").await;
        // The Client id is cut short on the card (the copy button copies it whole).
        assert_eq!(
            text(&root, "[data-pa=doctor-command]"),
            "piaozone-assist doctor --url https://api.piaozone.com --client-id pz_p… --client-secret-env PIAOZONE_CLIENT_SECRET --proxy 172.18.1.1:10086"
        );
        assert!(!text(&root, "[data-pa=connection-result]").contains("pz_prod_demo"));
        assert!(text(&root, "[data-pa=server-check]").contains("ERP 服务器"));
        assert!(text(&root, "[data-pa=connection-result]").contains("129600"));
        assert_eq!(text(&root, "[data-pa=copy-command]"), "复制命令");
    }

    #[wasm_bindgen_test]
    async fn english_cards_and_the_two_results_that_are_not_a_diagnosis() {
        let root = render(Lang::En, TestAnswer::Outcome(Box::new(sample(OutcomeKind::EnvironmentMismatch))), "").await;
        assert!(text(&root, "[data-outcome=environment_mismatch]").contains("Set url to https://api-dev.piaozone.com/test"));

        let root = render(Lang::Zh, TestAnswer::PermissionNeeded { origin: "https://relay.example.com".into() }, "").await;
        assert!(root.query_selector("[data-outcome=permission_needed]").unwrap().is_some());
        assert_eq!(text(&root, "[data-pa=grant-permission]"), "授权访问 https://relay.example.com");

        let root = render(Lang::En, TestAnswer::Failed { message: "worker gone".into() }, "").await;
        assert!(text(&root, "[data-outcome=error]").contains("worker gone"));
    }

    #[wasm_bindgen_test]
    async fn the_endpoint_cards_name_the_origin_and_what_to_do() {
        let relay = "http://relay.example.com:8080";
        let root = render(Lang::Zh, TestAnswer::EndpointNotListed { origin: relay.into() }, "").await;
        assert!(text(&root, "[data-outcome=endpoint_not_listed]").contains("没有发出请求"));
        assert_eq!(text(&root, "[data-pa=grant-permission]"), format!("添加并授权访问 {relay}"));
        let root = render(Lang::En, TestAnswer::EndpointNotListed { origin: relay.into() }, "").await;
        assert!(text(&root, "[data-outcome=endpoint_not_listed]").contains("not an allowed token endpoint"));

        let root = render(Lang::Zh, TestAnswer::OfficialOverHttp { origin: "http://api.piaozone.com".into() }, "").await;
        assert!(text(&root, "[data-outcome=official_over_http]").contains("https://"));
        let root = render(Lang::En, TestAnswer::OfficialOverHttp { origin: "http://api.piaozone.com".into() }, "").await;
        assert!(text(&root, "[data-outcome=official_over_http]").contains("need https"));
    }

    #[wasm_bindgen_test]
    async fn a_scripted_click_does_not_confirm_plain_http() {
        let confirmed = std::rc::Rc::new(std::cell::Cell::new(false));
        let seen = confirmed.clone();
        let root = render_with(
            Lang::Zh,
            TestAnswer::PlainHttpConfirmation { origin: "http://relay.example.com:8080".into() },
            "",
            Callback::from(move |()| seen.set(true)),
        )
        .await;
        assert!(text(&root, "[data-outcome=plain_http_confirmation]").contains("http 明文传输"));
        let button: web_sys::HtmlElement =
            wasm_bindgen::JsCast::dyn_into(root.query_selector("[data-pa=confirm-plain-http]").unwrap().unwrap()).unwrap();
        assert_eq!(button.text_content().unwrap(), "我确认，仍然测试");
        button.click(); // untrusted, as a page script's would be
        settle().await;
        assert!(!confirmed.get(), "an untrusted click confirmed");
    }
}

/// The console watcher: what wakes the content script, and what must not (a busy form's own
/// nodes cost the host page nothing beyond the browser's record of them).
mod watcher {
    use std::cell::RefCell;
    use std::rc::Rc;

    use piaozone_assist::console::{self, Change};
    use wasm_bindgen_test::*;
    use web_sys::{Document, Element};

    use super::settle;

    fn element(document: &Document, html: &str) -> Element {
        let holder = document.create_element("div").unwrap();
        holder.set_inner_html(html);
        holder.first_element_child().unwrap()
    }

    #[wasm_bindgen_test]
    async fn wakes_for_fields_and_layout_not_for_other_nodes_of_a_bound_form() {
        let document = web_sys::window().unwrap().document().unwrap();
        let page =
            element(&document, "<div class='kd-cq-tabpage'><div class='kd-cq-form-body'><div data-field-item><input></div></div></div>");
        document.body().unwrap().append_child(&page).unwrap();
        let form = page.first_element_child().unwrap();
        let field = form.first_element_child().unwrap();

        let seen: Rc<RefCell<Vec<Change>>> = Rc::default();
        let watcher = {
            let seen = seen.clone();
            console::observe(&document, move |change| seen.borrow_mut().push(change)).unwrap()
        };
        watcher.scope(Some(&page), std::slice::from_ref(&field));
        settle().await;
        seen.borrow_mut().clear();

        // The form's own busy-ness beside the bound field: rows, text, a box of spans.
        let noise = element(&document, "<div><span>row 1</span><span>row 2</span></div>");
        form.append_child(&noise).unwrap();
        noise.first_element_child().unwrap().remove();
        settle().await;
        settle().await;
        // (The form grew by a line: a layout change may come, never a structure one.)
        assert!(!seen.borrow().contains(&Change::Structure), "nodes that are no field woke the watcher: {:?}", seen.borrow());
        seen.borrow_mut().clear();

        // The same form grows: only the places move.
        noise.set_attribute("style", "height:300px").unwrap();
        settle().await;
        settle().await;
        assert_eq!(*seen.borrow(), [Change::Layout]);
        seen.borrow_mut().clear();

        // The bound field's input is re-created: bind again.
        field.set_inner_html("<input>");
        settle().await;
        assert_eq!(seen.borrow().first(), Some(&Change::Structure));
        seen.borrow_mut().clear();

        // A new field renders beside the bound one: bind again.
        form.append_child(&element(&document, "<div data-field-item><input></div>")).unwrap();
        settle().await;
        assert_eq!(seen.borrow().first(), Some(&Change::Structure));
        page.remove();
    }
}

/// Binding to the console as live Cosmic consoles render it (reference/cosmic-dom-evidence.md): the
/// visible form of `#tabap`, fields by key, then by label with the star on either side; and the
/// older label-only shell.
mod binding {
    use piaozone_assist::console::{self, fields};
    use piaozone_assist::core::detect::{identify, Observed};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use web_sys::{Element, HtmlInputElement};

    fn mount(html: &str) -> Element {
        let document = web_sys::window().unwrap().document().unwrap();
        let holder = document.create_element("div").unwrap();
        holder.set_inner_html(html);
        document.body().unwrap().append_child(&holder).unwrap();
        holder
    }

    fn field(attrs: &str, title: &str, value: &str) -> String {
        format!("<div class='kd-cq-field kd-cq-text' data-field-item='true' {attrs}><div class='kd-cq-field-title-wrap'>{title}</div><div class='kd-cq-field-value-wrap'>{value}</div></div>")
    }

    fn bound_ids(root: &Element, page: &str) -> Vec<(&'static str, String, bool)> {
        fields::bind(root, page).iter().map(|b| (b.field.id, b.value(), b.locked)).collect()
    }

    #[wasm_bindgen_test]
    fn the_evidenced_shell_names_its_page_by_data_form_id_and_binds_by_key_then_label() {
        let fields = [
            // By id = key, whatever its label says.
            field(
                "id='client_id' data-page-id='p9f3_client_id'",
                "<span>授权码</span>",
                "<input type='text' class='kd-cq-input' value='pz_prod_demo'>",
            ),
            // By the data-page-id suffix alone.
            field(
                "data-page-id='p9f3_client_secret'",
                "<span>客户端标识</span><span>*</span>",
                "<input type='password' class='kd-cq-input' value='s'>",
            ),
            // By label: a key we do not know, the star in the same text, a trailing colon.
            field(
                "id='kdtest_x1' data-page-id='p9f3_kdtest_x1'",
                "<span>接入标识*：</span>",
                "<input type='password' class='kd-cq-input' value='k'>",
            ),
            // Locked by the console, empty: read, flagged locked.
            field(
                "id='taxregnum' data-page-id='p9f3_taxregnum'",
                "<span>企业税号</span><span>*</span>",
                "<div class='field-in-lock'><input type='text' class='kd-cq-input lock-with-no-value' readonly value=''></div>",
            ),
            // A row and its field element nested: one field.
            format!(
                "<div data-field-item='true'>{}</div>",
                field("", "<span>企业工商登记名</span>", "<input type='text' class='kd-cq-input' value='演示科技有限公司'>")
            ),
        ]
        .concat();
        let holder = mount(&format!(
            "<div id='kd-theme' class='kd-cq-root'><div id='tabap' class='kd-cq-tabs'>\
               <ul><li class='kd-cq-tabs-tab' data-splitscreen-pageid='a1_home_page'>首页</li>\
                   <li class='kd-cq-tabs-tab' data-splitscreen-pageid='p9f3_er_bd_kdinvoicecloudcfgct'>发票云配置</li></ul>\
               <div class='kd-cq-tab-panel'>\
                 <div data-tab-hidden='true' style='display:none'><div class='kd-cq-form' data-form-id='home_page'>首页</div></div>\
                 <div data-tab-hidden='false'><div class='kd-cq-form' data-form-id='er_bd_kdinvoicecloudcfgct' id='p9f3' data-page-id='p9f3'>{fields}</div></div>\
               </div></div></div>"
        ));
        let document = web_sys::window().unwrap().document().unwrap();
        let visible = console::visible(&document);
        let page = visible.page.clone().expect("the visible form");
        assert_eq!(page.get_attribute("data-form-id").as_deref(), Some("er_bd_kdinvoicecloudcfgct"));
        assert_eq!(visible.form_id.as_deref(), Some("er_bd_kdinvoicecloudcfgct"));
        // The form id decides even though no marker text is shown.
        let detected = identify(&Observed {
            form_id: visible.form_id.as_deref(),
            page_text: "",
            dialog_texts: &[],
            dialog_form_ids: &[],
            bindings: None,
        });
        assert_eq!(detected.page.map(|p| p.id), Some("expense_config"));

        let mut bound = bound_ids(&page, "expense_config");
        bound.sort();
        assert_eq!(
            bound,
            [
                ("expense.client_id", "pz_prod_demo".to_string(), false),
                ("expense.client_secret", "s".to_string(), false),
                ("expense.encrypt_key", "k".to_string(), false),
                ("expense.name", "演示科技有限公司".to_string(), false),
                ("expense.tax_id", String::new(), true),
            ]
        );
        // Typed input is what the binding reads (the console's inputs are framework-controlled).
        let input: HtmlInputElement = page.query_selector("#client_id input").unwrap().unwrap().dyn_into().unwrap();
        input.set_value("pz_prod_other");
        assert!(fields::bind(&page, "expense_config").iter().any(|b| b.field.id == "expense.client_id" && b.value() == "pz_prod_other"));
        holder.remove();
    }

    #[wasm_bindgen_test]
    fn the_older_shell_binds_by_label_with_the_star_before_it() {
        let holder = mount(&format!(
            "<div class='kd-cq-root'><div class='kd-cq-tabpages'><div class='kd-cq-tabpage'>{}{}</div></div></div>",
            field(
                "id='fld_clientid'",
                "<i class='kd-cq-field-required'>*</i><span>Client id</span>",
                "<input type='text' class='kd-cq-input' value='pz_test_demo'>"
            ),
            field(
                "id='fld_useoldauth'",
                "<span>是否使用原授权</span>",
                "<div class='kd-cq-combo'><span class='kd-cq-combo-selected' title='否'>否</span></div>"
            ),
        ));
        let document = web_sys::window().unwrap().document().unwrap();
        let page = console::visible_tab_page(&document).expect("the shown tab page");
        assert_eq!(
            bound_ids(&page, "auth_config"),
            [("auth.client_id", "pz_test_demo".to_string(), false), ("auth.use_original_auth", "否".to_string(), false)]
        );
        holder.remove();
    }

    #[wasm_bindgen_test]
    fn toolbar_items_are_divs_and_count_as_buttons() {
        let holder = mount("<div class='kd-cq-toolbar'><div id='bar_save' data-baritem-show-type='1'><span class='kd-cq-btn'>保存</span></div><div id='bar_test' data-baritem-show-type='1'>连接测试</div></div>");
        let save = holder.query_selector("#bar_save span").unwrap().unwrap();
        assert!(console::is_button(&save, "保存"));
        assert!(console::is_button(&holder.query_selector("#bar_save").unwrap().unwrap(), "保存"));
        assert!(!console::is_button(&holder, "保存"));
        assert_eq!(console::button(&holder, "连接测试").map(|b| b.id()).as_deref(), Some("bar_test"));
        holder.remove();
    }
}

mod comparison {
    //! 对照清单 as the panel shows it: the summary, the companies the page lacks, a failure.
    use std::cell::Cell;
    use std::rc::Rc;

    use piaozone_assist::core::company_list::{Comparison, ListCompany};
    use piaozone_assist::core::i18n::Lang;
    use piaozone_assist::ui::comparison::{CompareState, Compared, ListComparison, ListComparisonProps};
    use wasm_bindgen_test::*;

    use super::{click, settle, text};

    fn render(props: ListComparisonProps) -> web_sys::Element {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        yew::Renderer::<ListComparison>::with_root_and_props(root.clone(), props).render();
        root
    }

    fn compared() -> CompareState {
        let missing = (0..11)
            .map(|i| ListCompany { row: i + 2, name: format!("公司{i}"), tax_id: format!("T{i}"), client_id: String::new() })
            .collect();
        CompareState::Done(Rc::new(Compared {
            file: "keys.xlsx".into(),
            list_rows: 14,
            grid_rows: 3,
            grid_total: Some(30),
            comparison: Comparison { mismatches: Vec::new(), missing, matching: 3, unlisted: 0 },
        }))
    }

    #[wasm_bindgen_test]
    async fn a_comparison_is_summarised_with_what_the_page_lacks_and_can_be_cleared() {
        let cleared = Rc::new(Cell::new(false));
        let on_clear = {
            let cleared = cleared.clone();
            yew::Callback::from(move |()| cleared.set(true))
        };
        let root = render(ListComparisonProps { lang: Lang::Zh, state: compared(), on_file: Default::default(), on_clear });
        settle().await;
        let summary = text(&root, "[data-pa=compare-status]");
        assert!(summary.contains("清单 14 家，本页 3 行：3 行一致，0 行不同") && summary.contains("11 家不在本页"), "{summary}");
        assert!(summary.contains("控制台共 30 条，本页只显示 3 条"), "a page of a longer grid says so: {summary}");
        let items = root.query_selector_all("[data-pa=compare-missing] li").unwrap();
        assert_eq!(items.length(), 11, "ten companies and the rest counted");
        assert_eq!(text(&root, "[data-pa=compare-missing] li:last-child"), "另有 1 家");
        assert_eq!(text(&root, "[data-pa=compare-choose]"), "换一个文件…");
        click(&root, "[data-pa=compare-clear]");
        assert!(cleared.get());
    }

    #[wasm_bindgen_test]
    async fn a_failure_is_an_alert_and_the_idle_section_says_the_file_stays_local() {
        let failed = CompareState::Failed { file: "x.csv".into(), reason: "the file has no rows".into() };
        let root = render(ListComparisonProps { lang: Lang::En, state: failed, on_file: Default::default(), on_clear: Default::default() });
        settle().await;
        assert_eq!(
            root.query_selector("[role=alert]").unwrap().map(|e| e.text_content().unwrap_or_default()).as_deref(),
            Some("Cannot read x.csv: the file has no rows")
        );
        let idle = render(ListComparisonProps {
            lang: Lang::Zh,
            state: CompareState::Idle,
            on_file: Default::default(),
            on_clear: Default::default(),
        });
        settle().await;
        assert!(text(&idle, "[data-pa=compare] .pa-note").contains("不会上传"));
        assert!(idle.query_selector("[data-pa=compare-clear]").unwrap().is_none());
    }
}

#[wasm_bindgen_test]
async fn with_the_checklist_in_the_side_panel_the_page_shows_a_launcher_and_hands_out_its_view() {
    let views: std::rc::Rc<std::cell::RefCell<Vec<piaozone_assist::core::protocol::TabView>>> = Default::default();
    let on_view = {
        let views = views.clone();
        yew::Callback::from(move |view| views.borrow_mut().push(view))
    };
    let (root, app) = mount_with(AppProps { in_side: true, on_view, ..app_props(Lang::Zh) });
    settle().await;
    assert!(root.query_selector("[data-pa=panel]").unwrap().is_none());
    assert_eq!(text(&root, "[data-pa=side-launcher]"), "发票云配置助手 · 在侧边栏打开");
    app.send_message(Msg::Detected(Some("auth_config"), Branch::Both));
    settle().await;
    let last = views.borrow().last().cloned().expect("a view");
    assert_eq!(last.page.as_deref(), Some("auth_config"));
    let count = views.borrow().len();
    app.send_message(Msg::Dark(false));
    settle().await;
    assert_eq!(views.borrow().len(), count, "an unchanged view is not handed out again");
    // Back in the page (options page's setting), the panel returns.
    app.send_message(Msg::InSide(false));
    settle().await;
    assert!(root.query_selector("[data-pa=panel], [data-pa=panel-reopen]").unwrap().is_some());
}

mod side_panel {
    use std::cell::RefCell;
    use std::rc::Rc;

    use piaozone_assist::core::i18n::Lang;
    use piaozone_assist::core::protocol::{TabView, Verdict};
    use piaozone_assist::core::validate::Severity;
    use piaozone_assist::ui::panel::Action;
    use piaozone_assist::ui::side::{Msg, Shown, SideApp, SideAppProps, SideEvent};
    use wasm_bindgen_test::*;

    use super::{click, settle, text};

    fn render(lang: Lang) -> (web_sys::Element, yew::html::Scope<SideApp>, Rc<RefCell<Vec<SideEvent>>>) {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let events: Rc<RefCell<Vec<SideEvent>>> = Rc::default();
        let on_event = {
            let events = events.clone();
            yew::Callback::from(move |e| events.borrow_mut().push(e))
        };
        let handle = yew::Renderer::<SideApp>::with_root_and_props(root.clone(), SideAppProps { lang, on_event }).render();
        (root, (*handle).clone(), events)
    }

    fn auth_view(verdicts: Vec<Verdict>) -> TabView {
        TabView { lang: Lang::Zh, page: Some("auth_config".into()), verdicts, ..TabView::default() }
    }

    #[wasm_bindgen_test]
    async fn a_tab_view_lists_its_verdicts_with_show_and_its_checklist() {
        let (root, app, events) = render(Lang::En);
        settle().await;
        assert_eq!(root.query_selector("[data-pa=side-state]").unwrap().unwrap().get_attribute("data-state").as_deref(), Some("waiting"));
        let verdict = Verdict {
            key: "auth.client_id#0".into(),
            field_id: "auth.client_id".into(),
            severity: Severity::Error,
            rule: "credentials.tenant_on_enterprise".into(),
            message: "这是租户密钥".into(),
            fix: "填企业的 Client id".into(),
        };
        app.send_message(Msg::Show(Shown::Tab { view: Rc::new(auth_view(vec![verdict])), fallback: false }));
        settle().await;
        // The tab's language wins over the browser's.
        assert_eq!(root.query_selector("[data-pa=side-panel]").unwrap().unwrap().get_attribute("lang").as_deref(), Some("zh-CN"));
        let item = text(&root, "[data-pa=side-verdicts] [data-field=\"auth.client_id\"]");
        assert!(item.contains("Client id") && item.contains("错误") && item.contains("这是租户密钥") && item.contains("定位"), "{item}");
        assert_eq!(text(&root, "[data-step].is-current .pa-step-title"), "发票云授权配置");
        assert!(root.query_selector("[data-pa=side-fallback]").unwrap().is_none());
        assert!(
            root.query_selector("[data-pa=panel-collapse], [data-pa=panel-dock]").unwrap().is_none(),
            "nothing to dock in a side panel"
        );
        assert!(root.query_selector("[data-pa=side-connection-test]").unwrap().is_none(), "the page has its own button");
        click(&root, "[data-pa=side-reveal]");
        click(&root, "[data-step=admin_org] [data-pa=tick]");
        assert_eq!(*events.borrow(), vec![SideEvent::Reveal("auth.client_id#0".into()), SideEvent::Panel(Action::Tick("admin_org"))]);
    }

    #[wasm_bindgen_test]
    async fn a_page_without_wasm_says_so_and_offers_the_test_here() {
        let (root, app, _) = render(Lang::Zh);
        app.send_message(Msg::Show(Shown::Tab { view: Rc::new(auth_view(Vec::new())), fallback: true }));
        settle().await;
        assert_eq!(text(&root, "[data-pa=side-fallback]"), "此页面禁止 WebAssembly，已在侧边栏检查。");
        assert_eq!(text(&root, "[data-pa=side-no-verdicts]"), "本页已填写的字段没有发现问题。");
        assert_eq!(text(&root, "[data-pa=side-connection-test]"), "连接测试（助手）");
        app.send_message(Msg::Show(Shown::NoConsole));
        settle().await;
        assert!(text(&root, "[data-pa=side-state]").contains("不是已启用助手的星瀚控制台"));
        assert!(root.query_selector("[data-pa=panel]").unwrap().is_none());
    }
}

mod settings_pages {
    use std::cell::RefCell;
    use std::rc::Rc;

    use piaozone_assist::core::i18n::Lang;
    use piaozone_assist::core::protocol::{Request, Response, TabView};
    use piaozone_assist::ui::settings::options::{Options, OptionsProps};
    use piaozone_assist::ui::settings::popup::{Popup, PopupProps};
    use piaozone_assist::ui::settings::{Browser, Host, Pending};
    use piaozone_assist::ui::Sender;
    use serde_json::{json, Value};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use web_sys::Element;

    use super::settle;

    /// chrome.storage and the tabs, in memory.
    #[derive(Default)]
    struct FakeBrowser {
        local: RefCell<Value>,
        managed: Value,
        writes: RefCell<Vec<Value>>,
        tab_url: String,
    }

    impl Browser for FakeBrowser {
        fn read_local(&self) -> Pending<Result<Value, String>> {
            let value = self.local.borrow().clone();
            Box::pin(async move { Ok(if value.is_null() { json!({}) } else { value }) })
        }
        fn read_managed(&self) -> Pending<Value> {
            let value = self.managed.clone();
            Box::pin(async move {
                if value.is_null() {
                    json!({})
                } else {
                    value
                }
            })
        }
        fn write(&self, items: Value) -> Pending<Result<(), String>> {
            let mut local = self.local.borrow_mut();
            if local.is_null() {
                *local = json!({});
            }
            for (key, value) in items.as_object().unwrap() {
                local[key] = value.clone();
            }
            self.writes.borrow_mut().push(items);
            Box::pin(async { Ok(()) })
        }
        fn request_hosts(&self, _: Vec<String>) -> Pending<bool> {
            Box::pin(async { true })
        }
        fn hosts_granted(&self, _: Vec<String>) -> Pending<bool> {
            Box::pin(async { false })
        }
        fn remove_hosts(&self, _: Vec<String>) -> Pending<()> {
            Box::pin(async {})
        }
        fn download(&self, _: &str, _: &str) -> Result<(), String> {
            Ok(())
        }
        fn has_side_panel(&self) -> bool {
            true
        }
        fn active_tab(&self) -> Pending<Option<(i32, String)>> {
            let url = self.tab_url.clone();
            Box::pin(async move { Some((7, url)) })
        }
        fn tab_view(&self, _: i32) -> Pending<Option<TabView>> {
            Box::pin(async { Some(TabView { lang: Lang::Zh, page: Some("auth_config".into()), ..TabView::default() }) })
        }
        fn page_report(&self, _: i32, _: Lang) -> Pending<Option<String>> {
            Box::pin(async { None })
        }
        fn open_side_panel(&self, _: i32) -> Pending<Result<(), String>> {
            Box::pin(async { Ok(()) })
        }
        fn open_options(&self) {}
        fn close_window(&self) {}
    }

    fn root() -> Element {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        root
    }

    fn options(browser: Rc<FakeBrowser>, sent: Rc<RefCell<Vec<String>>>) -> Element {
        let root = root();
        let send = Sender::new(move |request: Request| {
            sent.borrow_mut().push(format!("{request:?}"));
            Box::pin(async { Ok(Response::Ack) })
        });
        let props = OptionsProps { host: Host(browser), send, browser_lang: Lang::Zh, dark: false, grant: None };
        yew::Renderer::<Options>::with_root_and_props(root.clone(), props).render();
        root
    }

    fn type_into(root: &Element, selector: &str, value: &str) {
        let input: web_sys::HtmlInputElement = root.query_selector(selector).unwrap().unwrap().dyn_into().unwrap();
        input.set_value(value);
        input.dispatch_event(&web_sys::InputEvent::new("input").unwrap()).unwrap();
    }

    fn click(root: &Element, selector: &str) {
        root.query_selector(selector).unwrap().unwrap().dyn_into::<web_sys::HtmlElement>().unwrap().click();
    }

    fn attr(root: &Element, selector: &str, name: &str) -> Option<String> {
        root.query_selector(selector).unwrap().and_then(|e| e.get_attribute(name))
    }

    #[wasm_bindgen_test]
    async fn an_environment_row_saves_only_when_it_checks_out_and_a_refusal_names_it() {
        let browser = Rc::new(FakeBrowser::default());
        let root = options(browser.clone(), Rc::default());
        settle().await;
        click(&root, "[data-pa=env-add]");
        settle().await;
        type_into(&root, "[data-pa=env-name]", "代理");
        type_into(&root, "[data-pa=env-production]", "relay.example.com");
        settle().await;
        assert_eq!(attr(&root, "[data-pa=env-production]", "data-severity").as_deref(), Some("error"), "checked as typed");
        click(&root, "[data-pa=env-save]");
        settle().await;
        assert_eq!(attr(&root, "[data-pa=env-status]", "data-ok").as_deref(), Some("false"));
        assert!(super::text(&root, "[data-pa=env-status]").contains("第 1 行"), "{}", super::text(&root, "[data-pa=env-status]"));
        assert!(browser.writes.borrow().is_empty(), "a refused save wrote {:?}", browser.writes.borrow());
        assert_eq!(
            root.query_selector("[data-pa=env-production]").unwrap().unwrap().dyn_into::<web_sys::HtmlInputElement>().unwrap().value(),
            "relay.example.com",
            "what was typed is kept"
        );

        type_into(&root, "[data-pa=env-production]", "https://relay.example.com");
        click(&root, "[data-pa=env-save]");
        settle().await;
        assert_eq!(attr(&root, "[data-pa=env-status]", "data-ok").as_deref(), Some("true"));
        assert_eq!(
            browser.local.borrow()["environments"],
            json!([{ "name": "代理", "production": "https://relay.example.com", "test": "" }])
        );
    }

    #[wasm_bindgen_test]
    async fn what_the_policy_sets_is_shown_read_only() {
        let browser = Rc::new(FakeBrowser {
            managed: json!({ "tokenEndpoints": ["https://relay.corp.example.cn"], "consoleOrigins": ["https://erp.corp.example.cn"] }),
            local: RefCell::new(json!({ "tokenEndpoints": ["https://mine.example.com"] })),
            ..FakeBrowser::default()
        });
        let root = options(browser, Rc::default());
        settle().await;
        let managed = root.query_selector("[data-pa=endpoint-managed]").unwrap().expect("the policy's endpoint");
        assert!(managed.text_content().unwrap().contains("由企业策略管理"));
        // Its access can be granted here, but the value itself is not the admin's to remove.
        assert!(managed.query_selector("[data-pa=endpoint-remove]").unwrap().is_none(), "a policy value offered for removal");
        assert!(managed.query_selector("[data-pa=endpoint-grant]").unwrap().is_some());
        assert!(root.query_selector("[data-pa=endpoint-row] [data-pa=endpoint-remove]").unwrap().is_some(), "the admin's own one can go");
        assert!(root.query_selector("[data-pa=site-managed] button").unwrap().is_none());
    }

    fn popup(tab_url: &str, status: Response) -> (Element, Rc<RefCell<Vec<String>>>) {
        let root = root();
        let sent: Rc<RefCell<Vec<String>>> = Rc::default();
        let log = sent.clone();
        let status = Rc::new(status);
        let send = Sender::new(move |request: Request| {
            log.borrow_mut().push(format!("{request:?}"));
            let answer = match request {
                Request::SiteStatus { .. } => serde_json::from_value(serde_json::to_value(&*status).unwrap()).unwrap(),
                _ => Response::Ack,
            };
            Box::pin(async move { Ok(answer) })
        });
        let browser = Rc::new(FakeBrowser { tab_url: tab_url.into(), ..FakeBrowser::default() });
        let props = PopupProps { host: Host(browser), send, browser_lang: Lang::Zh, dark: false };
        yew::Renderer::<Popup>::with_root_and_props(root.clone(), props).render();
        (root, sent)
    }

    fn site(enabled: bool, managed: bool, wasm_blocked: bool) -> Response {
        Response::SiteStatus { enabled, managed, declared: false, wasm_blocked }
    }

    #[wasm_bindgen_test]
    async fn the_popup_offers_each_site_state_its_one_action() {
        let cases = [
            ("https://erp.example.com/ierp/", site(false, false, false), "not-enabled", Some("popup-enable")),
            ("https://erp.example.com/ierp/", site(true, false, false), "enabled", Some("popup-disable")),
            ("https://erp.example.com/ierp/", site(true, true, false), "managed", None),
            ("chrome://extensions/", site(false, false, false), "no-site", None),
        ];
        for (url, status, state, action) in cases {
            let (root, sent) = popup(url, status);
            settle().await;
            settle().await;
            assert_eq!(attr(&root, "[data-pa=popup-state]", "data-state").as_deref(), Some(state), "{url}");
            for button in ["popup-enable", "popup-disable"] {
                assert_eq!(
                    root.query_selector(&format!("[data-pa={button}]")).unwrap().is_some(),
                    action == Some(button),
                    "{state}: {button}"
                );
            }
            if state == "enabled" {
                assert!(root.query_selector("[data-pa=popup-console]").unwrap().is_some(), "an enabled console shows its page");
                click(&root, "[data-pa=popup-disable]");
                settle().await;
                assert!(sent.borrow().iter().any(|r| r.starts_with("DisableSite")), "{:?}", sent.borrow());
            }
            if state == "not-enabled" {
                // A script's click asks for no access and enables nothing.
                click(&root, "[data-pa=popup-enable]");
                settle().await;
                assert!(!sent.borrow().iter().any(|r| r.starts_with("EnableSite")), "{:?}", sent.borrow());
            }
        }
        let (root, _) = popup("https://erp.example.com/ierp/", site(true, false, true));
        settle().await;
        settle().await;
        assert!(root.query_selector("[data-pa=popup-wasm-blocked]").unwrap().is_some());
        assert!(root.query_selector("[data-pa=popup-open-side]").unwrap().is_some());
    }
}

/// The UI modules carry no rule of the command line's own (a company list's, the check file's):
/// their texts would ride in every console page. What 对照清单 shows in the page is there.
#[wasm_bindgen_test]
fn the_page_build_leaves_out_only_the_command_lines_own_rules() {
    use piaozone_assist::core::guide;
    assert!(guide::rules().all(|r| !r.id.starts_with("list.") && !r.id.starts_with("config.")));
    assert!(guide::rules().any(|r| r.id.starts_with("compare.")), "对照清单's rules are the page's");
    assert!(guide::rule("credentials.tenant_on_enterprise").is_some());
}
