//! The side panel's controller (`sidepanel.html`, an extension page: our wasm runs there whatever
//! the console's CSP). It follows one console tab: the one in its URL (`?tab=<id>`), else the
//! active tab of its window. A tab whose assistant runs answers with its [`TabView`] and sends
//! each change; a tab whose page forbids wasm answers with snapshots of the page, which are
//! checked here (detection, field rules, checklist) with the same readers as in the page.
//! Everything goes through the worker (`Request::SidePanel…`), which answers only about tabs of
//! enabled consoles.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, ShadowRootInit, ShadowRootMode};
use yew::html::Scope;
use yew::Callback;

use super::chrome;
use super::list_reader;
use super::messages::{self, ask_tab, Request, Response};
use super::page_report::page_report;
use crate::console::observed::{shown_message_texts, steps_shown};
use crate::console::{self, auth_page, fields, snapshot};
use crate::core::faq::match_text;
use crate::core::guide::{self, Branch};
use crate::core::i18n::Lang;
use crate::core::progress::Progress;
use crate::core::protocol::{LastTest, PanelAction, PanelNotice, SideAnswer, SideAsk, Snapshot, TabView, TestAnswer, Verdict};
use crate::core::validate::{self, Context, Severity};
use crate::ui::panel::Action;
use crate::ui::side::{Msg, Shown, SideApp, SideAppProps, SideEvent};

/// How often and how long to ask a tab whose assistant has not answered yet (a console still
/// loading, a tab just enabled).
const RETRY_MS: i32 = 1000;
const RETRIES: u32 = 20;

/// Starts the side panel. `list_reader` resolves to the list module's reader (对照清单).
#[wasm_bindgen]
pub fn start_side_panel(list_reader: js_sys::Function) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let host = document.create_element("piaozone-assist")?;
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let style = document.create_element("style")?;
    style.set_text_content(Some(crate::ui::STYLE));
    shadow.append_child(&style)?;
    let root = document.create_element("div")?;
    shadow.append_child(&root)?;
    document.body().ok_or("no body")?.append_child(&host)?;

    let lang = Lang::pick(None, None, window.navigator().language().as_deref());
    let side: Rc<RefCell<Option<Side>>> = Rc::default();
    let on_event = {
        let side = side.clone();
        Callback::from(move |event: SideEvent| Side::on_event(&side, event))
    };
    let handle = yew::Renderer::<SideApp>::with_root_and_props(root, SideAppProps { lang, on_event }).render();
    let fixed_tab = tab_in_url(&window);
    *side.borrow_mut() = Some(Side { app: (*handle).clone(), tab: fixed_tab, mode: Mode::Asking, list_reader, asked: 0 });
    follow_notices(side.clone());
    match fixed_tab {
        Some(_) => Side::ask(&side),
        None => follow_active_tab(side),
    }
    Ok(())
}

type Shared = Rc<RefCell<Option<Side>>>;

struct Side {
    app: Scope<SideApp>,
    tab: Option<i32>,
    mode: Mode,
    list_reader: js_sys::Function,
    /// Asks since the tab last answered (see [`RETRIES`]).
    asked: u32,
}

enum Mode {
    Asking,
    NoConsole,
    /// The tab's assistant owns the state; this is its last view.
    Live(Rc<TabView>),
    /// The page cannot run wasm: the side panel keeps its state.
    Fallback(Box<Fallback>),
}

/// What the side panel keeps for a page that cannot run wasm.
struct Fallback {
    progress: Progress,
    lang_setting: Option<String>,
    /// FAQ ids the page's messages matched, newest first.
    troubles: Vec<&'static str>,
    last_test: Option<LastTest>,
    /// The last snapshot, parsed (never stored: it holds the values typed on the page).
    page: Option<Document>,
    view: TabView,
}

impl Side {
    fn with(shared: &Shared, f: impl FnOnce(&mut Side)) {
        if let Ok(mut side) = shared.try_borrow_mut() {
            if let Some(side) = side.as_mut() {
                f(side);
            }
        }
    }

    fn tab(shared: &Shared) -> Option<i32> {
        shared.borrow().as_ref().and_then(|s| s.tab)
    }

    fn show(&mut self) {
        let shown = match &self.mode {
            Mode::Asking => Shown::Waiting,
            Mode::NoConsole => Shown::NoConsole,
            Mode::Live(view) => Shown::Tab { view: view.clone(), fallback: false },
            Mode::Fallback(state) => Shown::Tab { view: Rc::new(state.view.clone()), fallback: true },
        };
        self.app.send_message(Msg::Show(shown));
    }

    /// Asks the tab for what to show; retries while its assistant is not up yet.
    fn ask(shared: &Shared) {
        let Some(tab_id) = Side::tab(shared) else {
            Side::with(shared, |side| {
                side.mode = Mode::NoConsole;
                side.show();
            });
            return;
        };
        let shared = shared.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = ask_tab(tab_id, SideAsk::View).await;
            if Side::tab(&shared) != Some(tab_id) {
                return; // the panel moved on to another tab meanwhile
            }
            match answer {
                Ok(SideAnswer::TabView(view)) => Side::with(&shared, |side| {
                    side.asked = 0;
                    side.mode = Mode::Live(Rc::new(*view));
                    side.show();
                }),
                Ok(SideAnswer::Snapshot(page)) => start_fallback(shared, tab_id, page).await,
                // Not a console at all: nothing to show, nothing to retry.
                Ok(SideAnswer::Refused { .. }) => Side::with(&shared, |side| {
                    side.mode = Mode::NoConsole;
                    side.show();
                }),
                _ => {
                    let again = shared.borrow().as_ref().is_some_and(|side| side.asked < RETRIES);
                    Side::with(&shared, |side| {
                        side.asked += 1;
                        if !again {
                            side.mode = Mode::NoConsole;
                            side.show();
                        }
                    });
                    if again {
                        later(RETRY_MS, move || Side::ask(&shared));
                    }
                }
            }
        });
    }

    fn switch_to(shared: &Shared, tab: Option<i32>) {
        let changed = shared.borrow().as_ref().is_some_and(|side| side.tab != tab);
        if changed {
            Side::with(shared, |side| {
                side.tab = tab;
                side.asked = 0;
                side.mode = Mode::Asking;
                side.show();
            });
            Side::ask(shared);
        }
    }

    fn on_event(shared: &Shared, event: SideEvent) {
        let Some(tab_id) = Side::tab(shared) else { return };
        let fallback = shared.borrow().as_ref().is_some_and(|side| matches!(side.mode, Mode::Fallback(_)));
        match event {
            SideEvent::Reveal(key) => tell_tab(tab_id, SideAsk::Reveal { key }),
            SideEvent::Grant(origin) => open_grant_page(shared, &origin),
            SideEvent::Test { plain_http_confirmed } => test_connection(shared.clone(), tab_id, plain_http_confirmed),
            SideEvent::Panel(Action::PageReport) => page_report_of(shared.clone(), tab_id, fallback),
            SideEvent::Panel(Action::CompareWith(file)) => compare_with(shared.clone(), tab_id, file),
            SideEvent::Panel(action) if fallback => Side::with(shared, |side| side.act_here(tab_id, action)),
            SideEvent::Panel(action) => {
                if let Some(action) = remote(action) {
                    tell_tab(tab_id, SideAsk::Act(action));
                }
            }
        }
    }

    /// A page that cannot run wasm: the checklist is kept here and stored for its console.
    fn act_here(&mut self, tab_id: i32, action: Action) {
        let Mode::Fallback(state) = &mut self.mode else { return };
        match action {
            Action::Tick(id) => state.progress.toggle(id),
            Action::ChooseBranch(branch) => state.progress.choose_branch(branch),
            Action::Reset => state.progress.reset(),
            Action::Dismiss(id) => state.troubles.retain(|t| *t != id),
            _ => return,
        }
        let progress = state.progress.clone();
        state.view.progress = progress.clone();
        state.view.troubles = state.troubles.iter().map(|t| (*t).into()).collect();
        send_and_forget(Request::SideSaveProgress { tab_id, progress });
        self.show();
    }
}

/// The side panel's checklist actions as the tab's assistant takes them (moving and docking are
/// the floating panel's only).
fn remote(action: Action) -> Option<PanelAction> {
    Some(match action {
        Action::Tick(id) => PanelAction::Tick(id.into()),
        Action::ChooseBranch(branch) => PanelAction::ChooseBranch(branch),
        Action::Reset => PanelAction::Reset,
        Action::Dismiss(id) => PanelAction::Dismiss(id.into()),
        Action::ClearComparison => PanelAction::ClearComparison,
        Action::ToggleCollapsed | Action::Dock(_) | Action::Move(_) | Action::PageReport | Action::CompareWith(_) | Action::NeedEnglish => {
            return None
        }
    })
}

fn send_and_forget(request: Request) {
    wasm_bindgen_futures::spawn_local(async move {
        let _ = messages::send(&request).await;
    });
}

fn tell_tab(tab_id: i32, ask: SideAsk) {
    wasm_bindgen_futures::spawn_local(async move {
        let _ = ask_tab(tab_id, ask).await;
    });
}

/// The page cannot run wasm: load its console's checklist, then check the snapshot.
async fn start_fallback(shared: Shared, tab_id: i32, page: Snapshot) {
    let (progress, lang_setting) = match messages::send(&Request::SideStored { tab_id }).await {
        Ok(Response::Stored { progress, lang, bindings, .. }) => {
            fields::set_bindings(bindings);
            (progress, lang)
        }
        _ => (Progress::default(), None),
    };
    Side::with(&shared, |side| {
        side.asked = 0;
        let state = Fallback { progress, lang_setting, troubles: Vec::new(), last_test: None, page: None, view: TabView::default() };
        side.mode = Mode::Fallback(Box::new(state));
        side.check(tab_id, &page);
    });
}

impl Side {
    /// Checks a snapshot of a page that cannot run wasm, as the page's own assistant would.
    fn check(&mut self, tab_id: i32, page: &Snapshot) {
        let Mode::Fallback(state) = &mut self.mode else { return };
        let Some(document) = snapshot::parse(&page.html, &page.url) else { return };
        let visible = console::visible(&document);
        let detected = visible.identify(&document);
        let current = detected.current().map(|p| p.id);
        let branch = detected.page.map(|p| p.version).unwrap_or(Branch::Both);
        let mut changed = state.progress.observe_branch(branch);
        changed |= state.progress.observe(&steps_shown(&document, &detected));
        if changed {
            send_and_forget(Request::SideSaveProgress { tab_id, progress: state.progress.clone() });
        }
        for id in shown_message_texts(&document).iter().filter_map(|t| match_text(t).first().map(|m| m.faq.id)) {
            state.troubles.retain(|t| *t != id);
            state.troubles.insert(0, id);
        }
        let lang = Lang::pick(
            state.lang_setting.as_deref(),
            page.lang.as_deref(),
            web_sys::window().and_then(|w| w.navigator().language()).as_deref(),
        );
        let verdicts = match (current, visible.active_root(&document)) {
            (Some(page), Some(root)) => verdicts(&root, page, lang),
            _ => Vec::new(),
        };
        state.view = TabView {
            lang,
            dark: console::is_dark(&document),
            page: current.map(Into::into),
            progress: state.progress.clone(),
            troubles: state.troubles.iter().map(|t| (*t).into()).collect(),
            compare: None,
            verdicts,
            last_test: state.last_test.clone(),
        };
        state.page = Some(document);
        self.show();
    }
}

/// The filled fields of the page with something to say, keyed by the page's control number
/// (what the page's script can focus). Empty fields are not judged: the admin has not got there.
fn verdicts(root: &web_sys::Element, page: &str, lang: Lang) -> Vec<Verdict> {
    let bound = fields::bind(root, page);
    let values: Vec<String> = bound.iter().map(fields::Bound::value).collect();
    let mut context = Context::default();
    for (b, value) in bound.iter().zip(&values) {
        context.set(b.field.id, value);
    }
    bound
        .iter()
        .zip(&values)
        .filter(|(_, value)| !value.trim().is_empty())
        .filter_map(|(b, value)| {
            let findings = validate::validate_shown(b.field.id, value, b.locked, &context);
            let worst = findings.iter().max_by_key(|f| f.severity).filter(|f| f.severity > Severity::Ok)?;
            Some(Verdict {
                key: snapshot::control_ref(&b.container)?,
                field_id: b.field.id.into(),
                severity: worst.severity,
                rule: worst.rule.into(),
                message: worst.message(lang),
                fix: worst.fix(lang),
            })
        })
        .collect()
}

/// The side panel's connection test on a page that cannot run wasm: the values are the page's
/// at the admin's click (a fresh snapshot), moved straight into the request.
fn test_connection(shared: Shared, tab_id: i32, plain_http_confirmed: bool) {
    let app = match shared.borrow().as_ref() {
        Some(side) if matches!(side.mode, Mode::Fallback(_)) => side.app.clone(),
        _ => return,
    };
    app.send_message(Msg::Testing(true));
    wasm_bindgen_futures::spawn_local(async move {
        let answer = match ask_tab(tab_id, SideAsk::Snapshot).await {
            Ok(SideAnswer::Snapshot(page)) => run_test(tab_id, &page, plain_http_confirmed).await,
            Ok(other) => Err(format!("unexpected answer from the tab: {other:?}")),
            Err(message) => Err(message),
        };
        let test = answer.unwrap_or_else(|message| LastTest {
            answer: TestAnswer::Failed { message },
            url: String::new(),
            client_id: String::new(),
            proxy: String::new(),
        });
        app.send_message(Msg::Testing(false));
        Side::with(&shared, |side| {
            if let Mode::Fallback(state) = &mut side.mode {
                state.last_test = Some(test.clone());
                state.view.last_test = Some(test);
                side.show();
            }
        });
    });
}

async fn run_test(tab_id: i32, page: &Snapshot, plain_http_confirmed: bool) -> Result<LastTest, String> {
    let document = snapshot::parse(&page.html, &page.url).ok_or("the page could not be read")?;
    let detected = console::visible(&document).identify(&document);
    let page_id = detected.current().map(|p| p.id).filter(|id| guide::page(id).is_some_and(|p| p.test_button.is_some()));
    let page_id = page_id.ok_or("this page is not 发票云授权配置")?;
    let read = auth_page::values(&document, page_id);
    drop(document); // its inputs hold the secrets; the request below is their only copy
    let (url, client_id, proxy) = (read.url.clone(), read.client_id.clone(), read.proxy.clone());
    let request = Request::SideConnectionTest { tab_id, request: read.into_request(), plain_http_confirmed };
    let answer = TestAnswer::from_reply(messages::send(&request).await);
    drop(request);
    Ok(LastTest { answer, url, client_id, proxy })
}

/// 复制页面结构: from the tab's assistant, or from the last snapshot of a page without one.
fn page_report_of(shared: Shared, tab_id: i32, fallback: bool) {
    let Some((app, lang)) = shared.borrow().as_ref().map(|side| (side.app.clone(), shown_lang(side))) else { return };
    if fallback {
        let text = match &shared.borrow().as_ref().map(|s| &s.mode) {
            Some(Mode::Fallback(state)) => state.page.as_ref().map(|page| page_report(page, lang)),
            _ => None,
        };
        app.send_message(Msg::Report(text.map(Into::into)));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(SideAnswer::PageReport { text }) = ask_tab(tab_id, SideAsk::PageReport { lang }).await {
            app.send_message(Msg::Report(Some(text.into())));
        }
    });
}

fn shown_lang(side: &Side) -> Lang {
    match &side.mode {
        Mode::Live(view) => view.lang,
        Mode::Fallback(state) => state.view.lang,
        _ => Lang::Zh,
    }
}

/// 对照清单 from the side panel: the file is read here (the list module loads into this page),
/// and only the companies (never a secret column) go to the tab, which marks its grid.
fn compare_with(shared: Shared, tab_id: i32, file: web_sys::File) {
    let Some((reader, lang)) = shared.borrow().as_ref().map(|side| (side.list_reader.clone(), shown_lang(side))) else { return };
    let name = file.name();
    tell_tab(tab_id, SideAsk::Act(PanelAction::CompareReading { file: name.clone() }));
    wasm_bindgen_futures::spawn_local(async move {
        let action = match list_reader::read_companies(&file, &reader, lang).await {
            Ok(companies) => PanelAction::Compare { file: name, companies },
            Err(reason) => PanelAction::CompareFailed { file: name, reason },
        };
        let _ = ask_tab(tab_id, SideAsk::Act(action)).await;
    });
}

/// The last test needs a host permission (or a token endpoint added first): the settings page
/// asks for it, at the admin's click there.
fn open_grant_page(shared: &Shared, origin: &str) {
    let add = shared.borrow().as_ref().is_some_and(|side| {
        let last = match &side.mode {
            Mode::Live(view) => view.last_test.as_ref(),
            Mode::Fallback(state) => state.last_test.as_ref(),
            _ => None,
        };
        matches!(last.map(|t| &t.answer), Some(TestAnswer::EndpointNotListed { .. }))
    });
    let hash = if add { "allow" } else { "grant" };
    let encoded = String::from(js_sys::encode_uri_component(origin));
    let url = chrome::get_url(&format!("options.html#{hash}={encoded}"));
    wasm_bindgen_futures::spawn_local(async move {
        let _ = chrome::create_tab(&object(&[("url", url.into())])).await;
    });
}

/// The worker's notices: a change of the followed tab's view, or of its page (no wasm there).
/// Only the worker sends them: a content script's message has a tab.
fn follow_notices(shared: Shared) {
    let listener = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |message: JsValue, sender: JsValue| {
        let from_tab = js_sys::Reflect::get(&sender, &JsValue::from_str("tab")).is_ok_and(|tab| !tab.is_undefined());
        let Ok(notice) = chrome::from_js::<PanelNotice>(&message) else { return };
        if from_tab {
            return;
        }
        let followed = Side::tab(&shared);
        match notice {
            PanelNotice::TabView { tab_id, view } if Some(tab_id) == followed => Side::with(&shared, |side| {
                if !matches!(side.mode, Mode::Fallback(_)) {
                    side.mode = Mode::Live(Rc::new(*view));
                    side.show();
                }
            }),
            PanelNotice::TabChanged { tab_id } if Some(tab_id) == followed => resnapshot(shared.clone(), tab_id),
            _ => {}
        }
    });
    chrome::on_message(listener.as_ref().unchecked_ref());
    listener.forget(); // as long as the side panel
}

fn resnapshot(shared: Shared, tab_id: i32) {
    let fallback = shared.borrow().as_ref().is_some_and(|side| matches!(side.mode, Mode::Fallback(_)));
    if !fallback {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(SideAnswer::Snapshot(page)) = ask_tab(tab_id, SideAsk::Snapshot).await {
            Side::with(&shared, |side| side.check(tab_id, &page));
        }
    });
}

/// Without a tab in its URL, the panel follows the active tab of its window, and the page loaded
/// in it.
fn follow_active_tab(shared: Shared) {
    let on_activated = {
        let shared = shared.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |info: JsValue| {
            let tab = js_sys::Reflect::get(&info, &JsValue::from_str("tabId")).ok().and_then(|id| id.as_f64()).map(|id| id as i32);
            Side::switch_to(&shared, tab);
        })
    };
    chrome::on_tab_activated(on_activated.as_ref().unchecked_ref());
    on_activated.forget();
    let on_updated = {
        let shared = shared.clone();
        Closure::<dyn FnMut(JsValue, JsValue)>::new(move |tab_id: JsValue, change: JsValue| {
            let complete =
                js_sys::Reflect::get(&change, &JsValue::from_str("status")).ok().and_then(|s| s.as_string()).as_deref() == Some("complete");
            if complete && tab_id.as_f64().map(|id| id as i32) == Side::tab(&shared) {
                Side::with(&shared, |side| side.asked = 0);
                Side::ask(&shared);
            }
        })
    };
    chrome::on_tab_updated(on_updated.as_ref().unchecked_ref());
    on_updated.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let query = object(&[("active", true.into()), ("currentWindow", true.into())]);
        let tab = chrome::query_tabs(&query).await.ok().map(|tabs| js_sys::Array::from(&tabs).get(0));
        let id = tab.and_then(|tab| js_sys::Reflect::get(&tab, &JsValue::from_str("id")).ok()).and_then(|id| id.as_f64());
        Side::with(&shared, |side| side.tab = id.map(|id| id as i32));
        Side::ask(&shared);
    });
}

fn tab_in_url(window: &web_sys::Window) -> Option<i32> {
    let search = window.location().search().ok()?;
    search.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix("tab="))?.parse().ok()
}

/// A plain object for an extension API's argument.
fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

fn later(ms: i32, f: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(f);
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
    }
}
