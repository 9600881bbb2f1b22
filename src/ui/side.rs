//! The side panel (`sidepanel.html`): the checklist, troubleshooter and search of one console tab,
//! the page's verdicts as a list with 定位 / Show, and the tab's last connection test, drawn from
//! the tab's [`TabView`]. It owns nothing: what the admin does goes out as a [`SideEvent`] to the
//! controller (`ext::side_panel`), which asks the tab (or, on a page that cannot run wasm, keeps
//! the state itself).

use std::rc::Rc;

use yew::prelude::*;

use super::connection::{ConnectionCard, PageValues};
use super::panel::{Action, Panel};
use super::report::ReportPreview;
use crate::core::guide;
use crate::core::i18n::Lang;
use crate::core::progress::Dock;
use crate::core::protocol::{TabView, TestAnswer};
use crate::core::validate::Severity;

/// What the side panel has to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// Asking the tab.
    Waiting,
    /// The tab is not an enabled console (or the assistant is not running there): nothing of it.
    NoConsole,
    Tab {
        view: Rc<TabView>,
        /// The page cannot run wasm: the side panel checks it from the page's snapshots.
        fallback: bool,
    },
}

/// What the admin did in the side panel.
#[derive(Debug, Clone, PartialEq)]
pub enum SideEvent {
    Panel(Action),
    /// 定位: the verdict's field, in the page.
    Reveal(String),
    /// The side panel's own connection test (a page that cannot run wasm has no button of ours).
    Test {
        plain_http_confirmed: bool,
    },
    /// Grant (or add and grant) the token endpoint the last test needed.
    Grant(String),
}

pub enum Msg {
    Show(Shown),
    Report(Option<AttrValue>),
    Testing(bool),
    /// The browser's language, until a tab says its own.
    Lang(Lang),
}

#[derive(Properties, PartialEq)]
pub struct SideAppProps {
    pub lang: Lang,
    pub on_event: Callback<SideEvent>,
}

pub struct SideApp {
    lang: Lang,
    shown: Shown,
    report: Option<AttrValue>,
    testing: bool,
}

impl Component for SideApp {
    type Message = Msg;
    type Properties = SideAppProps;

    fn create(ctx: &Context<Self>) -> Self {
        SideApp { lang: ctx.props().lang, shown: Shown::Waiting, report: None, testing: false }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Show(shown) => {
                if let Shown::Tab { view, .. } = &shown {
                    self.lang = view.lang;
                }
                self.shown = shown;
            }
            Msg::Report(report) => self.report = report,
            Msg::Testing(testing) => self.testing = testing,
            Msg::Lang(lang) => self.lang = lang,
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let lang = self.lang;
        let w = words(lang);
        let on_event = ctx.props().on_event.clone();
        let (view, fallback) = match &self.shown {
            Shown::Tab { view, fallback } => (view.clone(), *fallback),
            Shown::Waiting => return self.frame(html! { <p class="pa-note" data-pa="side-state" data-state="waiting">{ w.waiting }</p> }),
            Shown::NoConsole => {
                return self.frame(html! { <p class="pa-note" data-pa="side-state" data-state="no-console">{ w.no_console }</p> });
            }
        };
        let current_page = view.page.as_deref().and_then(guide::page).map(|p| p.id);
        let troubles: Vec<&'static str> = view.troubles.iter().filter_map(|id| guide::faq(id)).map(|f| f.id).collect();
        // Only the admin's own click starts a call (as the page's button: `connection::admin_clicked`).
        let test = {
            let on_event = on_event.clone();
            Callback::from(move |e: MouseEvent| {
                if e.is_trusted() {
                    on_event.emit(SideEvent::Test { plain_http_confirmed: false });
                }
            })
        };
        let tests_here = fallback && current_page.and_then(guide::page).is_some_and(|p| p.test_button.is_some());
        let last_test = view.last_test.as_ref().filter(|t| t.answer != TestAnswer::Cancelled).map(|test| {
            let values = PageValues { url: test.url.clone(), client_id: test.client_id.clone(), proxy: test.proxy.clone() };
            html! {
                <section class="pa-side-section" data-pa="side-last-test" aria-label={w.last_test}>
                    <h3>{ w.last_test }</h3>
                    <ConnectionCard lang={lang} result={test.answer.clone()} values={values} actions={fallback}
                        on_grant={on_event.reform(SideEvent::Grant)}
                        on_confirm_plain_http={on_event.reform(|()| SideEvent::Test { plain_http_confirmed: true })}
                        on_close={Callback::noop()} closable={false} />
                </section>
            }
        });
        let body = html! {
            <>
                if fallback {
                    <p class="pa-side-banner" data-pa="side-fallback" role="note">{ w.fallback }</p>
                }
                { verdict_list(&view, lang, &on_event) }
                if tests_here {
                    <div class="pa-side-section">
                        <button type="button" class="pa-conn-button" data-pa="side-connection-test" disabled={self.testing}
                                aria-busy={self.testing.to_string()}
                                onclick={test}>
                            { if self.testing { w.testing } else { w.test } }
                        </button>
                    </div>
                }
                { for last_test }
                <Panel lang={lang} current_page={current_page} progress={Rc::new(view.progress.clone())} dock={Dock::Right}
                       collapsed={false} troubles={Rc::new(troubles)} compare={view.compare.clone()} in_side={true}
                       on_action={on_event.reform(SideEvent::Panel)} />
                if let Some(text) = &self.report {
                    <ReportPreview lang={lang} text={text.clone()} on_close={ctx.link().callback(|()| Msg::Report(None))} />
                }
            </>
        };
        self.frame_dark(body, view.dark)
    }
}

impl SideApp {
    fn frame(&self, body: Html) -> Html {
        self.frame_dark(body, false)
    }

    fn frame_dark(&self, body: Html, dark: bool) -> Html {
        html! {
            <div class={classes!("pa-root", "pa-side", dark.then_some("is-dark"))} lang={self.lang.tag()} data-pa="side-panel">
                { body }
            </div>
        }
    }
}

/// The page's verdicts, worst first within page order, each with 定位 / Show.
fn verdict_list(view: &TabView, lang: Lang, on_event: &Callback<SideEvent>) -> Html {
    let w = words(lang);
    if view.page.is_none() {
        return Html::default();
    }
    html! {
        <section class="pa-side-section" data-pa="side-verdicts" aria-label={w.checks}>
            <h3>{ w.checks }</h3>
            if view.verdicts.is_empty() {
                <p class="pa-note" data-pa="side-no-verdicts">{ w.no_problems }</p>
            }
            <ul class="pa-side-verdicts">
                { for view.verdicts.iter().map(|v| {
                    let label = guide::field(&v.field_id).and_then(|f| f.labels.first()).copied().unwrap_or(v.field_id.as_str());
                    let severity = match v.severity {
                        Severity::Error => w.error,
                        Severity::Warning => w.warning,
                        _ => w.info,
                    };
                    let key = v.key.clone();
                    html! {
                        <li class={classes!("pa-side-verdict", severity_class(v.severity))} data-field={v.field_id.clone()}
                            data-severity={severity_class(v.severity)} data-rule={v.rule.clone()} key={v.key.clone()}>
                            <p><b>{ label }</b>{ " · " }<span class="pa-side-severity">{ severity }</span></p>
                            <p class="pa-side-message">{ &v.message }</p>
                            if !v.fix.is_empty() { <p class="pa-side-fix">{ &v.fix }</p> }
                            <button type="button" class="pa-link" data-pa="side-reveal"
                                    onclick={on_event.reform(move |_: MouseEvent| SideEvent::Reveal(key.clone()))}>{ w.show }</button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "info",
    }
}

struct Words {
    waiting: &'static str,
    no_console: &'static str,
    fallback: &'static str,
    checks: &'static str,
    no_problems: &'static str,
    show: &'static str,
    error: &'static str,
    warning: &'static str,
    info: &'static str,
    test: &'static str,
    testing: &'static str,
    last_test: &'static str,
}

const ZH: Words = Words {
    waiting: "正在读取控制台页面…",
    no_console: "这个标签页不是已启用助手的星瀚控制台。在控制台页面点工具栏上的助手图标启用；已启用的页面请刷新一次。",
    fallback: "此页面禁止 WebAssembly，已在侧边栏检查。",
    checks: "本页检查",
    no_problems: "本页已填写的字段没有发现问题。",
    show: "定位",
    error: "错误",
    warning: "警告",
    info: "提示",
    test: "连接测试（助手）",
    testing: "测试中…",
    last_test: "最近一次连接测试",
};

const EN: Words = Words {
    waiting: "Reading the console page…",
    no_console: "This tab is not a Cosmic console with the assistant enabled. On the console, click the assistant's toolbar icon to enable it; reload a page already enabled.",
    fallback: "This console forbids WebAssembly; checks run in the side panel.",
    checks: "Checks on this page",
    no_problems: "No problem in the fields filled on this page.",
    show: "Show",
    error: "Error",
    warning: "Warning",
    info: "Note",
    test: "Connection test (assistant)",
    testing: "Testing…",
    last_test: "Last connection test",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
