//! The one-click connection test on the 发票云授权配置 page: our button next to the console's own
//! 连接测试, which reads the values on the page, has the background worker call Piaozone, and
//! shows the diagnosis in a card.
//!
//! The Client Secret and Encrypt Key are read from the inputs at click time and moved straight
//! into the message to our worker: never into component state, the DOM, storage or logs.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AddEventListenerOptions;
use yew::prelude::*;

use super::Sender;
use crate::console::auth_page;
use crate::core::i18n::Lang;
use crate::core::piaozone::{doctor_command, doctor_command_shown, OutcomeKind};
use crate::core::protocol::{LastTest, Request, Response, TestAnswer};

/// Space between the console's 连接测试 and ours.
const GAP_PX: f64 = 8.0;

/// The non-secret values of the page at the time of the test, for the `doctor` command.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageValues {
    pub url: String,
    pub client_id: String,
    pub proxy: String,
}

/// Where the console's own 连接测试 button is, in viewport pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Anchor {
    left: f64,
    top: f64,
    bottom: f64,
    height: f64,
}

pub enum Msg {
    /// `plain_http_confirmed`: the admin confirmed a relay over plain `http://`.
    Run {
        plain_http_confirmed: bool,
    },
    Cancel,
    /// Boxed: an answer is much larger than the other messages.
    Finished(Box<Result<Response, String>>),
    Grant(String),
    Close,
    Reposition,
}

#[derive(Properties, PartialEq)]
pub struct ConnectionTestProps {
    pub lang: Lang,
    /// The page it tests (one with a `test_button` in guide/pages.toml).
    pub page: &'static str,
    /// To the background worker.
    pub send: Sender,
    /// A test ended `ok`: the checklist counts the authorization step as done.
    #[prop_or_default]
    pub on_passed: Callback<()>,
    /// Each result, with the values it ran with (the side panel shows the last one).
    #[prop_or_default]
    pub on_answer: Callback<LastTest>,
}

pub struct ConnectionTest {
    running: bool,
    values: PageValues,
    result: Option<TestAnswer>,
    anchor: Option<Anchor>,
    /// Scroll (any container) and resize move the console's button; ours follows.
    reposition: Closure<dyn FnMut()>,
}

impl Component for ConnectionTest {
    type Message = Msg;
    type Properties = ConnectionTestProps;

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let reposition = Closure::<dyn FnMut()>::new(move || link.send_message(Msg::Reposition));
        if let Some(window) = web_sys::window() {
            let options = AddEventListenerOptions::new();
            options.set_capture(true);
            options.set_passive(true);
            let callback = reposition.as_ref().unchecked_ref();
            let _ = window.add_event_listener_with_callback_and_add_event_listener_options("scroll", callback, &options);
            let _ = window.add_event_listener_with_callback("resize", callback);
        }
        ConnectionTest { running: false, values: PageValues::default(), result: None, anchor: find_anchor(ctx.props().page), reposition }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Run { plain_http_confirmed } if !self.running => {
                let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                    return false;
                };
                let read = auth_page::values(&document, ctx.props().page);
                self.values = PageValues { url: read.url.clone(), client_id: read.client_id.clone(), proxy: read.proxy.clone() };
                // The secrets move from the inputs into the request, and with it to the sender.
                let request = Request::ConnectionTest { request: read.into_request(), plain_http_confirmed };
                self.running = true;
                self.result = None;
                self.anchor = find_anchor(ctx.props().page);
                let (link, answer) = (ctx.link().clone(), ctx.props().send.send(request));
                wasm_bindgen_futures::spawn_local(async move {
                    link.send_message(Msg::Finished(Box::new(answer.await)));
                });
            }
            Msg::Run { .. } => return false,
            Msg::Cancel => send_and_forget(&ctx.props().send, Request::CancelConnectionTest),
            Msg::Finished(response) => {
                self.running = false;
                self.result = match TestAnswer::from_reply(*response) {
                    TestAnswer::Cancelled => None,
                    answer => {
                        if matches!(&answer, TestAnswer::Outcome(outcome) if outcome.kind == OutcomeKind::Ok) {
                            ctx.props().on_passed.emit(());
                        }
                        Some(answer)
                    }
                };
                if let Some(answer) = &self.result {
                    let PageValues { url, client_id, proxy } = self.values.clone();
                    ctx.props().on_answer.emit(LastTest { answer: answer.clone(), url, client_id, proxy });
                }
            }
            Msg::Grant(origin) => send_and_forget(&ctx.props().send, Request::OpenPermissionPage { origin }),
            Msg::Close => self.result = None,
            Msg::Reposition => {
                let anchor = find_anchor(ctx.props().page);
                if anchor == self.anchor {
                    return false;
                }
                self.anchor = anchor;
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let lang = ctx.props().lang;
        let labels = labels(lang);
        let link = ctx.link();
        let (bar_style, card_style, floating) = match self.anchor {
            Some(anchor) => (
                format!("left:{}px;top:{}px;height:{}px", anchor.left, anchor.top, anchor.height),
                format!("left:{}px;top:{}px", anchor.left, anchor.bottom + GAP_PX),
                false,
            ),
            None => (String::new(), String::new(), true),
        };
        html! {
            <div class={classes!("pa-conn", floating.then_some("is-floating"))}>
                <div class="pa-conn-bar" style={bar_style}>
                    <button
                        type="button"
                        class="pa-conn-button"
                        data-pa="connection-test"
                        disabled={self.running}
                        aria-busy={self.running.to_string()}
                        onclick={link.batch_callback(|e: MouseEvent| admin_clicked(&e).then_some(Msg::Run { plain_http_confirmed: false }))}
                    >
                        { if self.running { labels.running } else { labels.button } }
                    </button>
                    if self.running {
                        <button type="button" class="pa-conn-cancel" data-pa="connection-cancel" onclick={link.callback(|_| Msg::Cancel)}>
                            { labels.cancel }
                        </button>
                    }
                </div>
                if let Some(result) = &self.result {
                    <div class="pa-conn-card-place" style={card_style}>
                        <ConnectionCard
                            lang={lang}
                            result={result.clone()}
                            values={self.values.clone()}
                            on_grant={link.callback(Msg::Grant)}
                            on_confirm_plain_http={link.callback(|_| Msg::Run { plain_http_confirmed: true })}
                            on_close={link.callback(|_| Msg::Close)}
                        />
                    </div>
                }
            </div>
        }
    }

    fn destroy(&mut self, ctx: &Context<Self>) {
        if let Some(window) = web_sys::window() {
            let callback = self.reposition.as_ref().unchecked_ref();
            let _ = window.remove_event_listener_with_callback_and_bool("scroll", callback, true);
            let _ = window.remove_event_listener_with_callback("resize", callback);
        }
        if self.running {
            send_and_forget(&ctx.props().send, Request::CancelConnectionTest); // the admin left the page
        }
    }
}

/// Whether the admin clicked (or pressed Enter on) the button: a script's `click()` is untrusted.
/// What reaches the network or opens a permission page starts only from the admin's own input,
/// never from a page script driving our UI.
fn admin_clicked(event: &MouseEvent) -> bool {
    event.is_trusted()
}

/// A click handler that passes `value` on only for the admin's own click.
fn trusted_emit<T: Clone + 'static>(callback: &Callback<T>, value: T) -> Callback<MouseEvent> {
    let callback = callback.clone();
    Callback::from(move |e: MouseEvent| {
        if admin_clicked(&e) {
            callback.emit(value.clone());
        }
    })
}

fn send_and_forget(send: &Sender, request: Request) {
    let answer = send.send(request);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = answer.await;
    });
}

/// Where our button goes: just right of the console's own.
fn find_anchor(page: &str) -> Option<Anchor> {
    let rect = auth_page::test_button(&web_sys::window()?.document()?, page)?;
    Some(Anchor { left: rect.right() + GAP_PX, top: rect.top(), bottom: rect.bottom(), height: rect.height() })
}

#[derive(Properties, PartialEq)]
pub struct ConnectionCardProps {
    pub lang: Lang,
    pub result: TestAnswer,
    pub values: PageValues,
    pub on_grant: Callback<String>,
    /// The admin confirmed sending the test to a relay over plain `http://`.
    pub on_confirm_plain_http: Callback<()>,
    pub on_close: Callback<()>,
    /// Shows the grant and confirm buttons (the side panel's copy of a page's card has none:
    /// the page's own card, by the console's button, has them).
    #[prop_or(true)]
    pub actions: bool,
    #[prop_or(true)]
    pub closable: bool,
}

/// The result card, `[data-pa="connection-result"]` with `data-outcome` = the outcome's kind
/// (`permission_needed` and `error` for the two results that are not a diagnosis).
#[function_component(ConnectionCard)]
pub fn connection_card(props: &ConnectionCardProps) -> Html {
    let labels = labels(props.lang);
    let copied = use_state(|| false);
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let (kind, title, body) = match &props.result {
        TestAnswer::Outcome(outcome) => {
            let shown = outcome.explain(props.lang);
            let meta: Vec<String> = [
                outcome.latency_ms.map(|ms| format!("{} {ms} ms", labels.latency)),
                outcome.http_status.map(|status| format!("HTTP {status}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            let server_check = outcome.is_ok().then(|| {
                let proxy = Some(props.values.proxy.as_str()).filter(|p| !p.trim().is_empty());
                let (url, client_id) = (&props.values.url, &props.values.client_id);
                let command = doctor_command(url, client_id, proxy);
                let shown = doctor_command_shown(url, client_id, proxy);
                let copy = {
                    let (command, copied) = (command.clone(), copied.clone());
                    Callback::from(move |_: MouseEvent| {
                        // Best effort: the command is also on screen to select by hand.
                        let command = command.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            super::clipboard::copy_text(&command).await;
                        });
                        copied.set(true);
                    })
                };
                html! {
                    <div class="pa-conn-server" data-pa="server-check">
                        <p>{ labels.server_reminder }</p>
                        <code class="pa-conn-command" data-pa="doctor-command">{ shown }</code>
                        <button type="button" class="pa-conn-copy" data-pa="copy-command" onclick={copy}>
                            { if *copied { labels.copied } else { labels.copy } }
                        </button>
                    </div>
                }
            });
            let body = html! {
                <>
                    <p class="pa-conn-explanation">{ shown.explanation }</p>
                    <p class="pa-conn-fix"><strong>{ labels.fix }</strong>{ shown.fix }</p>
                    if !meta.is_empty() {
                        <p class="pa-conn-meta">{ meta.join(" · ") }</p>
                    }
                    { for server_check }
                </>
            };
            (outcome.kind.as_str(), shown.title, body)
        }
        TestAnswer::PermissionNeeded { origin } => {
            let grant = trusted_emit(&props.on_grant, origin.clone());
            let body = html! {
                <>
                    <p class="pa-conn-explanation">{ labels.permission_explanation.replace("{origin}", origin) }</p>
                    if props.actions {
                        <button type="button" class="pa-conn-grant" data-pa="grant-permission" onclick={grant}>
                            { format!("{} {origin}", labels.grant) }
                        </button>
                    }
                </>
            };
            ("permission_needed", labels.permission_title.to_owned(), body)
        }
        TestAnswer::EndpointNotListed { origin } => {
            let body = html! {
                <>
                    <p class="pa-conn-explanation">{ labels.not_listed_explanation.replace("{origin}", origin) }</p>
                    if props.actions {
                        <button type="button" class="pa-conn-grant" data-pa="grant-permission" onclick={trusted_emit(&props.on_grant, origin.clone())}>
                            { format!("{} {origin}", labels.add_endpoint) }
                        </button>
                    }
                </>
            };
            ("endpoint_not_listed", labels.not_listed_title.to_owned(), body)
        }
        TestAnswer::OfficialOverHttp { origin } => {
            let body = html! { <p class="pa-conn-explanation">{ labels.official_http_explanation.replace("{origin}", origin) }</p> };
            ("official_over_http", labels.official_http_title.to_owned(), body)
        }
        TestAnswer::PlainHttpConfirmation { origin } => {
            let body = html! {
                <>
                    <p class="pa-conn-explanation">{ labels.plain_http_explanation.replace("{origin}", origin) }</p>
                    if props.actions {
                        <button type="button" class="pa-conn-grant" data-pa="confirm-plain-http" onclick={trusted_emit(&props.on_confirm_plain_http, ())}>
                            { labels.plain_http_confirm }
                        </button>
                    }
                </>
            };
            ("plain_http_confirmation", labels.plain_http_title.to_owned(), body)
        }
        TestAnswer::Failed { message } => {
            let body = html! { <p class="pa-conn-explanation">{ format!("{} {message}", labels.failed_explanation) }</p> };
            ("error", labels.failed_title.to_owned(), body)
        }
        // The component never keeps a cancelled test to show.
        TestAnswer::Cancelled => return Html::default(),
    };
    let tone = match &props.result {
        TestAnswer::Outcome(outcome) if outcome.kind == OutcomeKind::Ok => "is-ok",
        TestAnswer::PermissionNeeded { .. } | TestAnswer::PlainHttpConfirmation { .. } => "is-info",
        _ => "is-problem",
    };
    html! {
        <section class={classes!("pa-conn-card", tone)} data-pa="connection-result" data-outcome={kind} role="status" aria-live="polite">
            <header class="pa-conn-head">
                <h3>{ title }</h3>
                if props.closable {
                    <button type="button" class="pa-conn-close" data-pa="connection-close" aria-label={labels.close} onclick={close}>{ "×" }</button>
                }
            </header>
            { body }
        </section>
    }
}

/// UI strings of the button and the card (the diagnosis itself comes from `core::piaozone`).
struct Labels {
    button: &'static str,
    running: &'static str,
    cancel: &'static str,
    close: &'static str,
    fix: &'static str,
    latency: &'static str,
    server_reminder: &'static str,
    copy: &'static str,
    copied: &'static str,
    permission_title: &'static str,
    permission_explanation: &'static str,
    grant: &'static str,
    not_listed_title: &'static str,
    not_listed_explanation: &'static str,
    add_endpoint: &'static str,
    official_http_title: &'static str,
    official_http_explanation: &'static str,
    plain_http_title: &'static str,
    plain_http_explanation: &'static str,
    plain_http_confirm: &'static str,
    failed_title: &'static str,
    failed_explanation: &'static str,
}

const ZH: Labels = Labels {
    button: "连接测试（助手）",
    running: "测试中…",
    cancel: "取消",
    close: "关闭",
    fix: "怎么办：",
    latency: "耗时",
    server_reminder: "这只证明了浏览器所在的电脑能访问发票云。星瀚是从 ERP 服务器调用这个 URL 的，请在服务器上运行下面的命令确认（密钥不写在命令里，先在服务器上设置环境变量 PIAOZONE_CLIENT_SECRET；复制的命令含完整的 Client id）：",
    copy: "复制命令",
    copied: "已复制",
    permission_title: "需要授权访问这个地址",
    permission_explanation: "url 指向 {origin}，不是发票云官方地址，助手要先得到你的授权才能访问它。点下面的按钮，在打开的页面里点“授权访问”，然后回来再测一次。",
    grant: "授权访问",
    not_listed_title: "这个地址不在连接测试允许的地址中",
    not_listed_explanation: "url 指向 {origin}：它不是发票云官方地址，也不在设置的“连接测试允许的地址”里，助手没有发出请求（签名只发往发票云或你认可的中转地址）。如果它是贵司转发到发票云的中转或代理地址，点下面的按钮，在打开的设置页里确认添加；企业也可以用策略 tokenEndpoints 统一下发。",
    add_endpoint: "添加并授权访问",
    official_http_title: "发票云官方地址要用 https",
    official_http_explanation: "{origin} 是发票云官方地址，但写成了 http://。官方接口只接受 https，助手没有发出请求：请把 url 改成 https:// 开头后再测。",
    plain_http_title: "这个中转地址用 http 明文传输",
    plain_http_explanation: "{origin} 用 http://：请求里的 Client id 和签名在途中可能被读取，并在有效期内被重放。只有确认它是内网里的中转地址时才继续；否则请改用 https。",
    plain_http_confirm: "我确认，仍然测试",
    failed_title: "助手没能完成测试",
    failed_explanation: "助手的后台没有给出结果，请刷新页面后重试。详情：",
};

const EN: Labels = Labels {
    button: "Connection test (assistant)",
    running: "Testing…",
    cancel: "Cancel",
    close: "Close",
    fix: "What to do: ",
    latency: "Took",
    server_reminder: "This only proves that the computer running the browser reaches Piaozone. Cosmic calls this URL from the ERP server: run this command there to confirm (the secret is not in it; set PIAOZONE_CLIENT_SECRET on the server first; the copied command holds the whole Client id):",
    copy: "Copy command",
    copied: "Copied",
    permission_title: "Access to this address is needed",
    permission_explanation: "url points at {origin}, which is not a Piaozone address: the assistant needs your permission to reach it. Click the button, choose “Allow access” on the page that opens, then come back and test again.",
    grant: "Allow access to",
    not_listed_title: "This address is not an allowed token endpoint",
    not_listed_explanation: "url points at {origin}: it is not a Piaozone address and not among the settings' “Token endpoints allowed”, so the assistant sent nothing (the signature goes only to Piaozone or a relay you approved). If it is your company's relay or proxy to Piaozone, click the button and confirm on the settings page that opens; an enterprise policy can list it in tokenEndpoints.",
    add_endpoint: "Add and allow",
    official_http_title: "Piaozone's addresses need https",
    official_http_explanation: "{origin} is a Piaozone address written with http://. The official API takes https only, so the assistant sent nothing: start url with https:// and test again.",
    plain_http_title: "This relay uses plain http",
    plain_http_explanation: "{origin} uses http://: the Client id and the signature in the request can be read on the way and replayed while valid. Go on only if this is a relay inside your network; otherwise use https.",
    plain_http_confirm: "I confirm, test anyway",
    failed_title: "The assistant could not run the test",
    failed_explanation: "The assistant's background worker gave no result; reload the page and try again. Details:",
};

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
