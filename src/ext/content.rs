//! The content script: on a Xinghan console, mount our UI in a shadow root on one host element,
//! follow the console's pages, and check that the background worker answers.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, MutationObserver, MutationObserverInit, ShadowRootInit, ShadowRootMode};
use yew::html::Scope;

use yew::Callback;

use super::chrome::{self, to_js};
use super::english;
use super::field_checks::FieldChecks;
use super::list_reader;
use super::marks;
use super::messages::{self, Notice, Request, Response};
use super::page_report::page_report;
use crate::console::is_button;
use crate::console::observed::{grid_columns, steps_shown};
use crate::console::{self, fields, Change};
use crate::core::detect::{identify, Detected, Observed};
use crate::core::guide::{Branch, PAGES};
use crate::core::i18n::Lang;
use crate::core::progress::{observed_steps, Progress, Seen, TenantRow};
use crate::core::protocol::{PanelAction, SideAnswer, SideAsk, TabView};
use crate::ui::app::{App, AppProps, Msg, WorkerState};

/// The one element we add to the page. Everything we draw lives in its shadow root.
const HOST_TAG: &str = "piaozone-assist";
/// How long to wait for a console that renders late before deciding this is not one.
const CONSOLE_WAIT_MS: i32 = 30_000;

/// Starts the assistant in this document. `dev_build` (see `www/content.js`): the tests' and the
/// bench's build keeps our shadow root open for WebDriver's shadow-root commands and answers the
/// bench's marks and memory probe; the store build closes the root, so page scripts can neither
/// read our UI nor reach its buttons, and gives the page no sign of the extension in its timeline.
/// `list_reader` resolves to the list module's reader (`content.js` loads it on first use).
#[wasm_bindgen]
pub fn start_content(dev_build: bool, list_reader: js_sys::Function, stored: js_sys::Promise) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    if dev_build {
        marks::answer_memory_probe(&document)?;
    }
    let start = Start { dev_build, list_reader, stored };
    if console::is_xinghan_console(&document) {
        return mount(&document, start);
    }
    wait_for_console(document, start)
}

/// What `content.js` handed over, passed on to the mounted assistant.
#[derive(Clone)]
struct Start {
    dev_build: bool,
    list_reader: js_sys::Function,
    /// The worker's answer to `LoadStored`, asked by `content.js` while the wasm loaded.
    stored: js_sys::Promise,
}

/// The check that runs again until a console shows up (it schedules itself).
type Recheck = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;

/// Consoles render after `document_idle`; watch briefly, then give up and stay inert.
fn wait_for_console(document: Document, start: Start) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let started = js_sys::Date::now();
    let doc = document;
    let check: Recheck = Default::default();
    let check_again = check.clone();
    *check.borrow_mut() = Some(Closure::new(move || {
        let Some(window) = web_sys::window() else { return };
        if console::is_xinghan_console(&doc) {
            let _ = mount(&doc, start.clone());
        } else if js_sys::Date::now() - started < f64::from(CONSOLE_WAIT_MS) {
            if let Some(cb) = check_again.borrow().as_ref() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(cb.as_ref().unchecked_ref(), 500);
            }
        }
    }));
    let first = check.borrow();
    window.set_timeout_with_callback_and_timeout_and_arguments_0(first.as_ref().unwrap().as_ref().unchecked_ref(), 500)?;
    drop(first);
    std::mem::forget(check); // lives until the wait ends; one closure per page
    Ok(())
}

fn mount(document: &Document, started: Start) -> Result<(), JsValue> {
    let dev_build = started.dev_build;
    if document.query_selector(HOST_TAG)?.is_some() {
        return Ok(()); // already running in this document
    }
    let host = document.create_element(HOST_TAG)?;
    let mode = if dev_build { ShadowRootMode::Open } else { ShadowRootMode::Closed };
    let shadow = host.attach_shadow(&ShadowRootInit::new(mode))?;
    let style = document.create_element("style")?;
    style.set_text_content(Some(crate::ui::STYLE));
    shadow.append_child(&style)?;
    let root: Element = document.create_element("div")?;
    shadow.append_child(&root)?;
    if dev_build {
        marks::mark_first(&shadow, "[data-pa=\"panel\"], [data-pa=\"panel-reopen\"], [data-pa=\"side-launcher\"]", marks::PANEL)?;
        marks::mark_first(&shadow, "[data-field]", marks::OVERLAY)?;
    }
    // Outside <body>: the console's React tree never sees us.
    let html = document.document_element().ok_or("no document element")?;
    html.append_child(&host)?;
    keep_host(&html, host)?;

    // The stored progress and language setting come first, so the panel opens as it was left.
    // The worker keeps them (content scripts have no access to chrome.storage); a worker that
    // does not answer leaves the defaults.
    let document = document.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let answer = wasm_bindgen_futures::JsFuture::from(started.stored.clone()).await.ok().and_then(|reply| chrome::from_js(&reply).ok());
        let (progress, setting, in_side) = match answer {
            Some(Response::Stored { lang, progress, bindings, in_side }) => {
                fields::set_bindings(bindings);
                (progress, lang, in_side)
            }
            _ => (Progress::default(), None, false),
        };
        let lang = pick_lang(&document, setting.as_deref());
        english::ensure(lang).await;
        let stored = Stored { progress, lang, in_side };
        // An error here means the page took the document away under us: nothing to draw into.
        let _ = start(&document, root, stored, started.list_reader);
    });
    Ok(())
}

/// What the worker keeps for this console: the checklist, the language (its setting applied), and
/// whether the checklist lives in the side panel.
struct Stored {
    progress: Progress,
    lang: Lang,
    in_side: bool,
}

/// What the side panel shows of this tab: the latest view, and whether a side panel asked for it
/// (only then does each change go out).
#[derive(Default)]
struct Aside {
    latest: TabView,
    followed: bool,
}

fn start(document: &Document, root: Element, stored: Stored, list_reader: js_sys::Function) -> Result<(), JsValue> {
    let Stored { progress, lang, in_side } = stored;
    // Forms inside console frames get their overlays; the panel (and the progress) belong to
    // the top window, so a frame never writes the progress.
    let window = web_sys::window().ok_or("no window")?;
    let in_frame = window.top().ok().flatten().is_some_and(|top| top != window);
    let on_progress = if in_frame {
        Callback::noop()
    } else {
        Callback::from(move |progress: Progress| {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = messages::send(&Request::SaveProgress { progress }).await;
            });
        })
    };
    let page_report = {
        let document = document.clone();
        Callback::from(move |lang: Lang| page_report(&document, lang))
    };
    // The controller exists once the app does; the panel cannot ask before it is drawn.
    let controller: Rc<RefCell<Option<Rc<RefCell<FieldChecks>>>>> = Rc::default();
    let on_compare = {
        let controller = controller.clone();
        Callback::from(move |file: Option<web_sys::File>| compare_list(file, controller.borrow().clone(), list_reader.clone()))
    };
    let aside: Rc<RefCell<Aside>> = Rc::default();
    let on_view = {
        let aside = aside.clone();
        Callback::from(move |view: TabView| {
            let mut aside = aside.borrow_mut();
            if aside.followed {
                let request = Request::TabView { view: view.clone() };
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = messages::send(&request).await;
                });
            }
            aside.latest = view;
        })
    };
    // The app exists once drawn; the panel cannot ask before that.
    let drawn: Rc<RefCell<Option<Scope<App>>>> = Rc::default();
    let on_english = {
        let drawn = drawn.clone();
        Callback::from(move |()| {
            let drawn = drawn.clone();
            wasm_bindgen_futures::spawn_local(async move {
                english::ensure(Lang::En).await;
                if let Some(app) = drawn.borrow().as_ref() {
                    app.send_message(Msg::EnglishLoaded);
                }
            });
        })
    };
    let send = messages::sender();
    let props = AppProps { lang, in_frame, progress, on_progress, page_report, on_compare, send, in_side, on_view, on_english };
    let handle = yew::Renderer::<App>::with_root_and_props(root, props).render();
    let app: Scope<App> = (*handle).clone();
    *drawn.borrow_mut() = Some(app.clone());
    let overlays = FieldChecks::start(document, app.clone(), lang)?;
    *controller.borrow_mut() = Some(overlays.clone());
    // Reading the console (its texts, its fields' places) waits until the next frame has been
    // drawn (a task queued from an animation-frame callback runs after that frame's paint): the
    // panel shows first, and the page's first layout of a large form is done by the browser, in
    // its own time, not forced inside our task.
    let document = document.clone();
    let follow = Closure::once_into_js(move || {
        let Ok(detect) = follow_pages(&document, app.clone(), overlays.clone(), in_frame) else { return };
        follow_notices(&document, app.clone(), overlays, detect, aside);
        if !in_frame {
            let _ = watch_tenant_save(&document, app.clone());
            ping_worker(app);
        }
    });
    let after_paint = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(follow.unchecked_ref(), 0);
        }
    });
    window.request_animation_frame(after_paint.unchecked_ref())?;
    Ok(())
}

/// 对照清单: reads the admin's file in this page and compares the grid with it, or stops comparing.
fn compare_list(file: Option<web_sys::File>, overlays: Option<Rc<RefCell<FieldChecks>>>, list_reader: js_sys::Function) {
    let Some(overlays) = overlays else { return };
    let Some(file) = file else {
        overlays.borrow_mut().clear_comparison();
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let lang = overlays.borrow().lang();
        match list_reader::read_companies(&file, &list_reader, lang).await {
            Ok(companies) => overlays.borrow_mut().compare_with(file.name(), companies),
            Err(reason) => overlays.borrow().report_compare_failure(file.name(), reason),
        }
    });
}

/// A page that removes our host element gets it back once; if it removes it again, it means it,
/// and we stay away rather than fight it in a loop.
fn keep_host(html: &Element, host: Element) -> Result<(), JsValue> {
    let restored = std::cell::Cell::new(false);
    let parent = html.clone();
    let callback = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new(move |_, observer: MutationObserver| {
        if host.is_connected() {
            return;
        }
        if restored.replace(true) {
            observer.disconnect();
        } else {
            let _ = parent.append_child(&host);
        }
    });
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    observer.observe_with_options(html, &options)?;
    callback.forget(); // as long as the page
    Ok(())
}

/// The options page's setting when it names a language, else the console's, else the browser's.
fn pick_lang(document: &Document, setting: Option<&str>) -> Lang {
    let declared = document.document_element().and_then(|e| e.get_attribute("lang"));
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    Lang::pick(setting, declared.as_deref(), browser.as_deref())
}

/// Looks at the console again: `(what changed, whether to look again even if nothing visible did)`.
type Detect = Rc<dyn Fn(Change, bool)>;

/// What the extension tells this tab, applied at once: a new language setting re-words the panel
/// and overlays, new field bindings bind again, and the popup's request for the page-structure
/// report is answered. Only our extension can message a content script (`chrome.tabs.sendMessage`).
/// What needs English texts waits for them (`english::ensure`): the listener then answers later,
/// and tells the browser so by returning `true`.
fn follow_notices(document: &Document, app: Scope<App>, overlays: Rc<RefCell<FieldChecks>>, detect: Detect, aside: Rc<RefCell<Aside>>) {
    let document = document.clone();
    let listener = Closure::<dyn FnMut(JsValue, JsValue, js_sys::Function) -> bool>::new(
        move |message: JsValue, _sender: JsValue, reply: js_sys::Function| match chrome::from_js::<Notice>(&message) {
            Ok(Notice::Lang { setting }) => {
                let lang = pick_lang(&document, setting.as_deref());
                let (app, overlays) = (app.clone(), overlays.clone());
                english::then(lang, move || {
                    app.send_message(Msg::Lang(lang));
                    if let Ok(mut overlays) = overlays.try_borrow_mut() {
                        overlays.set_lang(lang);
                    }
                });
                false
            }
            Ok(Notice::Bindings { bindings }) => {
                fields::set_bindings(bindings);
                detect(Change::Structure, true);
                false
            }
            Ok(Notice::PageReport { lang }) => {
                let document = document.clone();
                english::then(lang, move || {
                    let _ = reply.call1(&JsValue::NULL, &JsValue::from_str(&page_report(&document, lang)));
                })
            }
            Ok(Notice::Checklist { in_side }) => {
                app.send_message(Msg::InSide(in_side));
                false
            }
            Ok(Notice::Side(ask)) => {
                let lang = if let SideAsk::PageReport { lang } = ask { lang } else { Lang::Zh }; // only the report has words
                let (document, app, overlays, aside) = (document.clone(), app.clone(), overlays.clone(), aside.clone());
                english::then(lang, move || {
                    let answer = answer_side(ask, &document, &app, &overlays, &aside);
                    let _ = reply.call1(&JsValue::NULL, &to_js(&answer));
                })
            }
            Err(_) => false,
        },
    );
    chrome::on_message(listener.as_ref().unchecked_ref());
    listener.forget(); // as long as the page
}

/// The side panel's ask, answered from this tab's assistant.
fn answer_side(
    ask: SideAsk,
    document: &Document,
    app: &Scope<App>,
    overlays: &Rc<RefCell<FieldChecks>>,
    aside: &RefCell<Aside>,
) -> SideAnswer {
    match ask {
        SideAsk::View => {
            let mut aside = aside.borrow_mut();
            aside.followed = true;
            return SideAnswer::TabView(Box::new(aside.latest.clone()));
        }
        SideAsk::Act(PanelAction::CompareReading { file }) => app.send_message(Msg::CompareReading(file)),
        SideAsk::Act(PanelAction::Compare { file, companies }) => {
            if let Ok(mut overlays) = overlays.try_borrow_mut() {
                overlays.compare_with(file, companies);
            }
        }
        SideAsk::Act(PanelAction::CompareFailed { file, reason }) => {
            if let Ok(overlays) = overlays.try_borrow() {
                overlays.report_compare_failure(file, reason);
            }
        }
        SideAsk::Act(action) => app.send_message(Msg::Remote(action)),
        SideAsk::PageReport { lang } => return SideAnswer::PageReport { text: page_report(document, lang) },
        SideAsk::Reveal { key } => {
            if let Ok(overlays) = overlays.try_borrow() {
                overlays.reveal(&key);
            }
        }
        SideAsk::Snapshot => return SideAnswer::Error { message: "this page runs the assistant itself".into() },
    }
    SideAnswer::Ack
}

/// How long a detection is trusted while nothing visible changed (a form re-rendered in place).
const DETECTION_MAX_AGE_MS: f64 = 2000.0;

fn follow_pages(document: &Document, app: Scope<App>, overlays: Rc<RefCell<FieldChecks>>, in_frame: bool) -> Result<Detect, JsValue> {
    // Set once the watcher exists; each detection re-scopes it to the fields it bound.
    let watcher: Rc<RefCell<Option<Rc<console::Watcher>>>> = Rc::default();
    let detect: Detect = {
        let document = document.clone();
        let app = app.clone();
        let watcher = watcher.clone();
        let overlays = overlays.clone();
        // The last detection, reused while the same tab and dialogs are showing: reading the
        // texts of a 20,000-node page on every frame of a mutation storm is the costly part.
        let last: RefCell<Option<(console::Visible, Detected, f64)>> = RefCell::new(None);
        // `look_again`: the console said something (保存成功…): what the checklist observes may
        // have changed without a structural change (a box ticked, then saved).
        Rc::new(move |change: Change, look_again: bool| {
            if change == Change::Layout {
                if let Ok(mut overlays) = overlays.try_borrow_mut() {
                    overlays.reposition();
                }
                return;
            }
            let now = js_sys::Date::now();
            let visible = console::visible(&document);
            let root = visible.active_root(&document);
            let reusable = last.borrow().as_ref().and_then(|(seen, detected, at)| {
                let fresh = now - at < DETECTION_MAX_AGE_MS;
                // A page not recognised yet may still be rendering its labels: look again.
                (fresh && !look_again && *seen == visible && detected.current().is_some()).then_some(*detected)
            });
            let detected = reusable.unwrap_or_else(|| visible.identify(&document));
            if reusable.is_none() {
                *last.borrow_mut() = Some((visible, detected, now));
            }
            let branch = detected.page.map(|p| p.version).unwrap_or(Branch::Both);
            app.send_message(Msg::Detected(detected.current().map(|p| p.id), branch));
            // What the checklist can observe changes with what is showing (a dialog closing over
            // a grid, a tab switch) or within the detection's 2 s age: not on every frame.
            if !in_frame && reusable.is_none() {
                app.send_message(Msg::Observed(steps_shown(&document, &detected)));
            }
            // Two attributes on <html> and <body>: cheap, and a theme switch is seen at once.
            if !in_frame {
                app.send_message(Msg::Dark(console::is_dark(&document)));
            }
            if let Ok(mut overlays) = overlays.try_borrow_mut() {
                overlays.refresh(&detected, root);
                if let Some(watcher) = watcher.borrow().as_ref() {
                    let (root, containers) = overlays.watched();
                    watcher.scope(root, &containers);
                }
            }
        })
    };
    detect(Change::Structure, false);
    if !in_frame {
        let detect = detect.clone();
        console::observed::watch_messages(document, move |texts| {
            app.send_message(Msg::ConsoleMessages(texts));
            detect(Change::Structure, true);
        })?;
    }
    let observed = detect.clone();
    let started = console::observe(document, move |change| observed(change, false))?;
    if let Ok(overlays) = overlays.try_borrow() {
        let (root, containers) = overlays.watched();
        started.scope(root, &containers);
    }
    *watcher.borrow_mut() = Some(started);
    Ok(detect)
}

/// 保存 in 维护租户授权信息 saves the tenant rows (guide/pages.toml `saved_by`): read them at the
/// click, before the console closes the dialog. Of the secrets only whether they were filled is kept.
fn watch_tenant_save(document: &Document, app: Scope<App>) -> Result<(), JsValue> {
    let doc = document.clone();
    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()) else { return };
        if !PAGES.iter().filter_map(|p| p.saved_by).any(|saved| is_button(&target, saved.button)) {
            return;
        }
        let Some(dialog) = console::active_root(&doc) else { return };
        let text = [dialog.text_content().unwrap_or_default()];
        let detected = identify(&Observed { dialog_texts: &text, ..Default::default() });
        let Some(saved) = detected.dialog.and_then(|d| d.saved_by).filter(|saved| is_button(&target, saved.button)) else { return };
        let rows: Vec<TenantRow> = grid_columns(&dialog, saved.columns)
            .unwrap_or_default()
            .into_iter()
            .map(|row| TenantRow {
                client_id: row[0].clone(),
                has_secret: !row[1].trim().is_empty(),
                has_encrypt_key: !row[2].trim().is_empty(),
            })
            .collect();
        app.send_message(Msg::Observed(observed_steps(&Seen { tenant_saved: &rows, ..Default::default() })));
    });
    document.add_event_listener_with_callback_and_bool("click", on_click.as_ref().unchecked_ref(), true)?;
    on_click.forget(); // as long as the page
    Ok(())
}

fn ping_worker(app: Scope<App>) {
    wasm_bindgen_futures::spawn_local(async move {
        let reply = chrome::send_message(&to_js(&Request::Ping)).await;
        let state = match reply.ok().and_then(|v| chrome::from_js::<Response>(&v).ok()) {
            Some(Response::Pong { .. }) => WorkerState::Ready,
            _ => WorkerState::Unreachable,
        };
        app.send_message(Msg::Worker(state));
    });
}
