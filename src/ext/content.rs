//! The content script: on a Xinghan console, mount our UI in a shadow root on one host element,
//! follow the console's pages, and check that the background worker answers.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, ShadowRootInit, ShadowRootMode};
use yew::html::Scope;

use super::chrome::{self, to_js};
use super::marks;
use super::messages::{Request, Response};
use super::overlays::Overlays;
use crate::console;
use crate::core::detect::{identify, Observed};
use crate::core::i18n::Lang;
use crate::ui::app::{App, AppProps, Msg, WorkerState};

/// The one element we add to the page. Everything we draw lives in its open shadow root.
const HOST_TAG: &str = "piaozone-assist";
/// How long to wait for a console that renders late before deciding this is not one.
const CONSOLE_WAIT_MS: i32 = 30_000;

#[wasm_bindgen]
pub fn start_content() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    marks::answer_memory_probe(&document)?;
    if console::is_xinghan_console(&document) {
        return mount(&document);
    }
    wait_for_console(document)
}

/// Consoles render after `document_idle`; watch briefly, then give up and stay inert.
fn wait_for_console(document: Document) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let started = js_sys::Date::now();
    let doc = document;
    let check: std::rc::Rc<std::cell::RefCell<Option<Closure<dyn FnMut()>>>> = Default::default();
    let check_again = check.clone();
    *check.borrow_mut() = Some(Closure::new(move || {
        let Some(window) = web_sys::window() else { return };
        if console::is_xinghan_console(&doc) {
            let _ = mount(&doc);
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

fn mount(document: &Document) -> Result<(), JsValue> {
    if document.query_selector(HOST_TAG)?.is_some() {
        return Ok(()); // already running in this document
    }
    let host = document.create_element(HOST_TAG)?;
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let style = document.create_element("style")?;
    style.set_text_content(Some(crate::ui::STYLE));
    shadow.append_child(&style)?;
    let root: Element = document.create_element("div")?;
    shadow.append_child(&root)?;
    marks::mark_first(&shadow, "[data-pa=\"panel\"], [data-pa=\"panel-reopen\"]", marks::PANEL)?;
    marks::mark_first(&shadow, "[data-field]", marks::OVERLAY)?;
    // Outside <body>: the console's React tree never sees us.
    document.document_element().ok_or("no document element")?.append_child(&host)?;

    // Forms inside console frames get their overlays; the panel belongs to the top window.
    let window = web_sys::window().ok_or("no window")?;
    let in_frame = window.top().ok().flatten().is_some_and(|top| top != window);
    let lang = console_lang(document);
    let handle = yew::Renderer::<App>::with_root_and_props(root, AppProps { lang, in_frame }).render();
    let app: Scope<App> = (*handle).clone();
    let overlays = Overlays::start(document, app.clone(), lang)?;
    follow_pages(document, app.clone(), overlays)?;
    if !in_frame {
        ping_worker(app);
    }
    Ok(())
}

/// The console's language when it declares one, else the browser's.
fn console_lang(document: &Document) -> Lang {
    let declared = document.document_element().and_then(|e| e.get_attribute("lang")).filter(|l| !l.is_empty());
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    Lang::from_tag(&declared.or(browser).unwrap_or_default())
}

fn follow_pages(document: &Document, app: Scope<App>, overlays: Rc<RefCell<Overlays>>) -> Result<(), JsValue> {
    let detect = {
        let document = document.clone();
        move || {
            let snap = console::snapshot(&document);
            let detected = identify(&Observed {
                form_id: snap.form_id.as_deref(),
                page_text: &snap.page_text,
                dialog_texts: &snap.dialog_texts,
            });
            app.send_message(Msg::Detected(detected.current().map(|p| p.id)));
            if let Ok(mut overlays) = overlays.try_borrow_mut() {
                overlays.refresh(&detected);
            }
        }
    };
    detect();
    console::observe(document, detect)
}

fn ping_worker(app: Scope<App>) {
    wasm_bindgen_futures::spawn_local(async move {
        let reply = chrome::send_message(&to_js(&Request::Ping)).await;
        let state = match reply.ok().and_then(|v| serde_wasm_bindgen::from_value::<Response>(v).ok()) {
            Some(Response::Pong { .. }) => WorkerState::Ready,
            _ => WorkerState::Unreachable,
        };
        app.send_message(Msg::Worker(state));
    });
}
