//! Reading the Xinghan (Cosmic) DOM: is this a console, which tab and dialogs are visible, and
//! when it changed. Read-only: we never write to the console's DOM.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, MutationObserver, MutationObserverInit};

pub mod fields;
pub mod observed;

/// Hooks every Cosmic console has (reference §3.2–3.3); hashed class names are not used.
const CONSOLE_HOOKS: &str = ".kd-cq-root, [data-splitscreen-pageid], [data-field-item], .kd-cq-tabpage";
const TAB_PAGES: &str = ".kd-cq-tabpage";
const DIALOGS: &str = "[role=dialog], .kd-cq-modal";

pub fn is_xinghan_console(document: &Document) -> bool {
    document.query_selector(CONSOLE_HOOKS).ok().flatten().is_some()
        || url_form_id(document).is_some_and(|id| id != "pc_main_console")
}

/// A snapshot of what detection needs, read from the visible tab.
pub struct Snapshot {
    pub form_id: Option<String>,
    pub page_text: String,
    pub dialog_texts: Vec<String>,
}

pub fn snapshot(document: &Document) -> Snapshot {
    let page = visible_tab_page(document);
    let page_text = page
        .as_ref()
        .map(|p| p.text_content().unwrap_or_default())
        .or_else(|| document.body().and_then(|b| b.text_content()))
        .unwrap_or_default();
    let dialog_texts = all(document, DIALOGS)
        .into_iter()
        .filter(is_shown)
        .map(|d| d.text_content().unwrap_or_default())
        .collect();
    Snapshot { form_id: active_tab_form_id(document).or_else(|| url_form_id(document)), page_text, dialog_texts }
}

fn all(document: &Document, selector: &str) -> Vec<Element> {
    let Ok(list) = document.query_selector_all(selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

/// Rendered and not hidden: inactive tab pages carry `hidden` and have no layout box.
fn is_shown(element: &Element) -> bool {
    !element.class_list().contains("hidden")
        && element.dyn_ref::<HtmlElement>().is_some_and(|e| e.offset_width() > 0 || e.offset_height() > 0)
}

pub fn visible_tab_page(document: &Document) -> Option<Element> {
    all(document, TAB_PAGES).into_iter().find(is_shown)
}

/// The formId of the active tab: its `data-splitscreen-pageid` ends with it (`<prefix>_<formId>`,
/// reference §3.2). Which class marks the active tab is not documented, so try the usual ones.
fn active_tab_form_id(document: &Document) -> Option<String> {
    let tab = document
        .query_selector("[data-splitscreen-pageid].active, [data-splitscreen-pageid].kd-cq-tabs-tab-active, [data-splitscreen-pageid][aria-selected=true]")
        .ok()
        .flatten()?;
    tab.get_attribute("data-splitscreen-pageid")
}

fn url_form_id(document: &Document) -> Option<String> {
    let href = document.location()?.href().ok()?;
    let query = href.split(['?', '#']).skip(1).flat_map(|part| part.split('&'));
    query
        .filter_map(|kv| kv.strip_prefix("formId="))
        .map(|v| v.split(['&', '#']).next().unwrap_or_default().to_string())
        .filter(|v| !v.is_empty())
        .last()
}

/// Calls `on_change` at most once per animation frame after the console's DOM changed, so a
/// storm of mutations costs one re-read; and `on_messages` with the texts of the messages
/// (toasts, notifications, message boxes) among the added nodes. The observer lives as long as
/// the page.
pub fn observe(
    document: &Document,
    on_change: impl Fn() + 'static,
    on_messages: impl Fn(Vec<String>) + 'static,
) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let scheduled = std::rc::Rc::new(std::cell::Cell::new(false));
    let frame = {
        let scheduled = scheduled.clone();
        Closure::<dyn FnMut()>::new(move || {
            scheduled.set(false);
            on_change();
        })
    };
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
        let messages = observed::added_message_texts(&records);
        if !messages.is_empty() {
            on_messages(messages);
        }
        if !scheduled.replace(true) {
            let _ = window.request_animation_frame(frame.as_ref().unchecked_ref());
        }
    });
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_attributes(true);
    // Tabs and dialogs show and hide through these; value changes are read on input events.
    options.set_attribute_filter(&js_sys::Array::of3(&"class".into(), &"style".into(), &"hidden".into()));
    let target = document.body().map(Element::from).or_else(|| document.document_element()).ok_or("no document element")?;
    observer.observe_with_options(&target, &options)?;
    callback.forget(); // lives as long as the page
    Ok(())
}

/// Where the admin is typing: the topmost open dialog (a modal covers the page under it), else
/// the visible tab page, else the whole body (consoles without tabs, frames).
pub fn active_root(document: &Document) -> Option<Element> {
    all(document, DIALOGS)
        .into_iter()
        .rev()
        .find(is_shown)
        .or_else(|| visible_tab_page(document))
        .or_else(|| document.body().map(Element::from))
}
