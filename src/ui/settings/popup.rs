//! The toolbar popup: the site's state with its one action (启用 / 停用; none when the policy or
//! the build enabled it), and on a console tab its page, step and last connection test, with the
//! way to the side panel, the settings and the page-structure report.

use yew::prelude::*;

use super::{acked, disable_site, words, Host};
use crate::core::guide;
use crate::core::i18n::Lang;
use crate::core::piaozone::HttpUrl;
use crate::core::protocol::{unexpected, Request, Response, TabView, TestAnswer};
use crate::core::site::validate_origin;
use crate::ui::connection::{ConnectionCard, PageValues};
use crate::ui::report::ReportPreview;
use crate::ui::Sender;

#[derive(Properties, PartialEq)]
pub struct PopupProps {
    pub host: Host,
    pub send: Sender,
    /// The browser's language: shown until the setting (and the console's language) is known.
    pub browser_lang: Lang,
    pub dark: bool,
}

/// The site as the worker knows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteState {
    enabled: bool,
    managed: bool,
    declared: bool,
    wasm_blocked: bool,
}

impl SiteState {
    /// The assistant runs on the site (so the tab may have a page and step to show).
    fn runs(self) -> bool {
        self.enabled || self.managed || self.declared
    }
}

enum Tab {
    Loading,
    NoSite,
    Site { id: i32, origin: String },
}

pub enum Msg {
    /// The language setting (`auto`, `zh-CN`, `en`).
    Setting(String),
    Tab(Option<(i32, String)>),
    State(Result<SiteState, String>),
    /// Boxed: a view is much larger than the other messages.
    View(Option<Box<TabView>>),
    Enable,
    Disable,
    Changed(Result<(), String>),
    OpenSide,
    OpenSettings,
    Report,
    ReportText(Option<String>),
    CloseReport,
}

pub struct Popup {
    setting: Option<String>,
    tab: Tab,
    state: Option<SiteState>,
    view: Option<TabView>,
    message: Option<String>,
    /// `Some(None)`: asked, and the tab had no report to give.
    report: Option<Option<String>>,
}

impl Component for Popup {
    type Message = Msg;
    type Properties = PopupProps;

    fn create(ctx: &Context<Self>) -> Self {
        let (host, link) = (ctx.props().host.clone(), ctx.link().clone());
        wasm_bindgen_futures::spawn_local(async move {
            let local = host.read_local().await.unwrap_or_default();
            link.send_message(Msg::Setting(crate::core::settings::Stored::from_local(&local).lang));
            link.send_message(Msg::Tab(host.active_tab().await));
        });
        Popup { setting: None, tab: Tab::Loading, state: None, view: None, message: None, report: None }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let props = ctx.props();
        let lang = self.lang(ctx);
        let w = words(lang);
        match msg {
            Msg::Setting(setting) => self.setting = Some(setting),
            Msg::Tab(tab) => {
                let origin = tab.as_ref().and_then(|(_, url)| HttpUrl::parse(url)).map(|url| url.origin());
                self.tab = match (tab, origin) {
                    (Some((id, _)), Some(origin)) if validate_origin(&origin).is_ok() => Tab::Site { id, origin },
                    _ => Tab::NoSite,
                };
                self.refresh(ctx);
            }
            Msg::State(Ok(state)) => {
                if state.runs() {
                    if let Tab::Site { id, .. } = self.tab {
                        let (view, link) = (props.host.tab_view(id), ctx.link().clone());
                        wasm_bindgen_futures::spawn_local(async move { link.send_message(Msg::View(view.await.map(Box::new))) });
                    }
                }
                self.state = Some(state);
            }
            Msg::State(Err(message)) => self.message = Some(message),
            Msg::View(view) => self.view = view.map(|view| *view),
            Msg::Enable => {
                let Tab::Site { id, origin } = &self.tab else { return false };
                // The browser's prompt needs the click's gesture: asked before anything is awaited.
                let granted = props.host.request_hosts(vec![origin.clone()]);
                let (send, link, origin, id) = (props.send.clone(), ctx.link().clone(), origin.clone(), *id);
                let denied = w.popup_denied;
                wasm_bindgen_futures::spawn_local(async move {
                    let result = if granted.await {
                        acked(send.send(Request::EnableSite { origin, tab_id: Some(id) }).await)
                    } else {
                        Err(denied.to_owned())
                    };
                    link.send_message(Msg::Changed(result));
                });
            }
            Msg::Disable => {
                let Tab::Site { origin, .. } = &self.tab else { return false };
                let (disabled, link) = (disable_site(&props.send, &props.host, origin.clone()), ctx.link().clone());
                wasm_bindgen_futures::spawn_local(async move { link.send_message(Msg::Changed(disabled.await)) });
            }
            Msg::Changed(result) => {
                self.message = result.err();
                self.view = None;
                self.refresh(ctx);
            }
            Msg::OpenSide => {
                let Tab::Site { id, .. } = self.tab else { return false };
                let (opened, host, link) = (props.host.open_side_panel(id), props.host.clone(), ctx.link().clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match opened.await {
                        Ok(()) => host.close_window(),
                        Err(message) => link.send_message(Msg::Changed(Err(message))),
                    }
                });
                return false;
            }
            Msg::OpenSettings => {
                props.host.open_options();
                props.host.close_window();
                return false;
            }
            Msg::Report => {
                let Tab::Site { id, .. } = self.tab else { return false };
                let (report, link) = (props.host.page_report(id, lang), ctx.link().clone());
                wasm_bindgen_futures::spawn_local(async move { link.send_message(Msg::ReportText(report.await)) });
                return false;
            }
            Msg::ReportText(text) => self.report = Some(text),
            Msg::CloseReport => self.report = None,
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let (lang, link) = (self.lang(ctx), ctx.link());
        let w = words(lang);
        let body = match (&self.tab, self.state) {
            (Tab::Loading, _) | (Tab::Site { .. }, None) => Html::default(),
            (Tab::NoSite, _) => html! { <p class="pa-pop-state" data-pa="popup-state" data-state="no-site">{ w.popup_no_site }</p> },
            (Tab::Site { origin, .. }, Some(state)) => {
                let (key, text) = match state {
                    s if s.managed => ("managed", w.popup_managed),
                    s if s.enabled => ("enabled", w.popup_enabled),
                    s if s.declared => ("declared", w.popup_declared),
                    _ => ("not-enabled", w.popup_not_enabled),
                };
                let action = match key {
                    "enabled" => html! {
                        <button type="button" class="pa-set-quiet" data-pa="popup-disable" onclick={link.callback(|_| Msg::Disable)}>{ w.popup_disable }</button>
                    },
                    "not-enabled" => html! {
                        <button type="button" class="pa-set-primary" data-pa="popup-enable"
                            onclick={link.batch_callback(|e: MouseEvent| e.is_trusted().then_some(Msg::Enable))}>{ w.popup_enable }</button>
                    },
                    _ => Html::default(),
                };
                let side = (state.runs() && props.host.has_side_panel()).then(|| html! {
                    <button type="button" class={if state.wasm_blocked { "pa-set-primary" } else { "pa-set-quiet" }} data-pa="popup-open-side"
                        onclick={link.batch_callback(|e: MouseEvent| e.is_trusted().then_some(Msg::OpenSide))}>{ w.popup_open_side }</button>
                });
                html! {
                    <>
                        <p class="pa-set-origin" data-pa="popup-site">{ origin.clone() }</p>
                        <p class="pa-pop-state" data-pa="popup-state" data-state={key} role="status">{ text }</p>
                        if state.wasm_blocked {
                            <section class="pa-pop-alert" role="alert" data-pa="popup-wasm-blocked">
                                <p><strong>{ w.popup_wasm_blocked_title }</strong></p>
                                <p>{ w.popup_wasm_blocked }</p>
                            </section>
                        }
                        <div class="pa-set-buttons">{ action }{ for side }</div>
                        if state.runs() {
                            { self.console_part(lang) }
                        }
                        <div class="pa-set-buttons">
                            <button type="button" class="pa-set-quiet" data-pa="popup-report" onclick={link.callback(|_| Msg::Report)}>{ w.popup_report }</button>
                        </div>
                    </>
                }
            }
        };
        let report = self.report.as_ref().map(|text| match text {
            Some(text) => {
                html! { <ReportPreview lang={lang} text={AttrValue::from(text.clone())} on_close={link.callback(|()| Msg::CloseReport)} /> }
            }
            None => html! { <p class="pa-set-status" role="status" data-pa="popup-report-unavailable">{ w.popup_report_unavailable }</p> },
        });
        html! {
            <div class={classes!("pa-root", "pa-popup", props.dark.then_some("is-dark"))} lang={lang.tag()} data-pa="popup">
                <header class="pa-pop-head">
                    <img src="icons/48.png" alt="" width="24" height="24" />
                    <h1>{ if lang == Lang::Zh { "发票云配置助手" } else { "Piaozone Assist" } }</h1>
                </header>
                <main>
                    { body }
                    if let Some(message) = &self.message {
                        <p class="pa-set-check error" role="alert" data-pa="popup-message">{ message.clone() }</p>
                    }
                    { for report }
                </main>
                <footer class="pa-pop-foot">
                    <button type="button" class="pa-link" data-pa="popup-settings" onclick={link.callback(|_| Msg::OpenSettings)}>{ w.popup_settings }</button>
                </footer>
            </div>
        }
    }
}

impl Popup {
    /// The setting, else the console's language on a console tab, else the browser's.
    fn lang(&self, ctx: &Context<Self>) -> Lang {
        let console = self.view.as_ref().map(|view| view.lang.tag());
        Lang::pick(self.setting.as_deref(), console, Some(ctx.props().browser_lang.tag()))
    }

    fn refresh(&self, ctx: &Context<Self>) {
        let Tab::Site { id, origin } = &self.tab else { return };
        let request = Request::SiteStatus { origin: origin.clone(), tab_id: *id };
        let (answer, link) = (ctx.props().send.send(request), ctx.link().clone());
        wasm_bindgen_futures::spawn_local(async move {
            let state = match answer.await {
                Ok(Response::SiteStatus { enabled, managed, declared, wasm_blocked }) => {
                    Ok(SiteState { enabled, managed, declared, wasm_blocked })
                }
                other => Err(unexpected(other)),
            };
            link.send_message(Msg::State(state));
        });
    }

    /// The tab's page and step, and its last connection test.
    fn console_part(&self, lang: Lang) -> Html {
        let w = words(lang);
        let Some(view) = &self.view else { return Html::default() };
        let page = view.page.as_deref().and_then(guide::page);
        let step = page.and_then(|page| guide::step_for_page(page.id));
        let last_test = view.last_test.as_ref().filter(|test| test.answer != TestAnswer::Cancelled);
        html! {
            <section class="pa-pop-console" data-pa="popup-console">
                <dl>
                    <dt>{ w.popup_page }</dt>
                    <dd data-pa="popup-page" data-page={page.map(|p| p.id)}>{ page.map_or(w.popup_no_page, |p| p.title.get(lang)) }</dd>
                    if let Some(step) = step {
                        <dt>{ w.popup_step }</dt>
                        <dd data-pa="popup-step" data-step={step.id}>
                            { step.title.get(lang) }
                            if view.progress.done.contains_key(step.id) {
                                <span class="pa-set-tag is-ok">{ w.step_done }</span>
                            }
                        </dd>
                    }
                </dl>
                <h2>{ w.popup_last_test }</h2>
                { match last_test {
                    Some(test) => html! {
                        <ConnectionCard lang={lang} result={test.answer.clone()} actions={false} closable={false}
                            values={PageValues { url: test.url.clone(), client_id: test.client_id.clone(), proxy: test.proxy.clone() }}
                            on_grant={Callback::noop()} on_confirm_plain_http={Callback::noop()} on_close={Callback::noop()} />
                    },
                    None => html! { <p class="pa-note" data-pa="popup-no-test">{ w.popup_no_test }</p> },
                } }
            </section>
        }
    }
}
