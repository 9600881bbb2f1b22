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

/// What is visible now: the tab page, the open dialogs and the active formId. Cheap to read; the
/// texts detection needs are read from it only when it changed (see [`Visible::texts`]).
#[derive(PartialEq)]
pub struct Visible {
    pub page: Option<Element>,
    pub dialogs: Vec<Element>,
    pub form_id: Option<String>,
}

pub fn visible(document: &Document) -> Visible {
    Visible {
        page: visible_tab_page(document),
        dialogs: all(document, DIALOGS).into_iter().filter(is_shown).collect(),
        form_id: active_tab_form_id(document).or_else(|| url_form_id(document)),
    }
}

impl Visible {
    /// The visible page's text (the body's when there are no tabs) and each dialog's.
    pub fn texts(&self, document: &Document) -> (String, Vec<String>) {
        let page_text = match &self.page {
            Some(page) => page.text_content(),
            None => document.body().and_then(|b| b.text_content()),
        };
        let dialog_texts = self.dialogs.iter().map(|d| d.text_content().unwrap_or_default()).collect();
        (page_text.unwrap_or_default(), dialog_texts)
    }
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
/// storm of mutations costs one re-read. Structure is watched subtree-wide (fields render late,
/// inputs are re-created); visibility (`class`, `style`, `hidden`) only on the tab pages and
/// dialogs themselves, so class churn inside a form costs nothing. Messages are watched apart
/// (see [`observed::watch_messages`]). The observers live as long as the page.
pub fn observe(document: &Document, on_change: impl Fn() + 'static) -> Result<(), JsValue> {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    let window = web_sys::window().ok_or("no window")?;
    let scheduled = Rc::new(Cell::new(false));
    let visibility: Rc<RefCell<Option<MutationObserver>>> = Rc::default();
    let frame = {
        let (scheduled, visibility, document) = (scheduled.clone(), visibility.clone(), document.clone());
        Closure::<dyn FnMut()>::new(move || {
            scheduled.set(false);
            if let Some(observer) = visibility.borrow().as_ref() {
                watch_visibility(&document, observer);
            }
            on_change();
        })
    };
    let request: Rc<dyn Fn()> = Rc::new(move || {
        if !scheduled.replace(true) {
            let _ = window.request_animation_frame(frame.as_ref().unchecked_ref());
        }
    });

    let on_structure = {
        let request = request.clone();
        Closure::<dyn FnMut()>::new(move || request())
    };
    let structure = MutationObserver::new(on_structure.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    let target = document.body().map(Element::from).or_else(|| document.document_element()).ok_or("no document element")?;
    structure.observe_with_options(&target, &options)?;
    on_structure.forget(); // as long as the page

    let on_visibility = Closure::<dyn FnMut()>::new(move || request());
    let observer = MutationObserver::new(on_visibility.as_ref().unchecked_ref())?;
    on_visibility.forget();
    watch_visibility(document, &observer);
    *visibility.borrow_mut() = Some(observer);
    Ok(())
}

/// Tabs and dialogs show, hide and move through these attributes.
const VISIBILITY_ATTRIBUTES: [&str; 3] = ["class", "style", "hidden"];
const VISIBILITY_TARGETS: &str = ".kd-cq-tabpage, [data-splitscreen-pageid], [role=dialog], .kd-cq-modal, iframe";

/// (Re-)registers the tab pages, tabs and dialogs now in the document; observing a node twice
/// only replaces its options, and removed nodes drop out by themselves.
fn watch_visibility(document: &Document, observer: &MutationObserver) {
    let options = MutationObserverInit::new();
    options.set_attributes(true);
    options.set_attribute_filter(&VISIBILITY_ATTRIBUTES.iter().map(|a| JsValue::from_str(a)).collect::<js_sys::Array>());
    for element in all(document, VISIBILITY_TARGETS) {
        let _ = observer.observe_with_options(&element, &options);
    }
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
