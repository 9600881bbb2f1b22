//! Reading the Xinghan (Cosmic) DOM: is this a console, which tab and dialogs are visible, and
//! when it changed. Read-only: we never write to the console's DOM.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, MutationObserver, MutationObserverInit, MutationRecord, ResizeObserver};

pub mod auth_page;
pub mod fields;
pub mod grid;
pub mod observed;
pub mod skeleton;
pub mod snapshot;

/// Hooks every Cosmic console has (cosmic-dom-evidence.md); hashed class names are not used.
const CONSOLE_HOOKS: &str = "#kd-theme, .kd-cq-root, #tabap, [data-form-id], [data-splitscreen-pageid], [data-field-item], .kd-cq-tabpage";
/// The open page's form as live consoles render it (Cosmic's own fixDarkModeStyle.js).
const VISIBLE_FORM: &str = "#tabap > .kd-cq-tab-panel > [data-tab-hidden=\"false\"] > .kd-cq-form";
/// Older and customised shells: tab pages that carry `hidden` when inactive.
const TAB_PAGES: &str = ".kd-cq-tabpage";
const DIALOGS: &str = "[role=dialog], .kd-cq-modal, #dialogShow";

pub fn is_xinghan_console(document: &Document) -> bool {
    document.query_selector(CONSOLE_HOOKS).ok().flatten().is_some() || url_form_id(document).is_some_and(|id| id != "pc_main_console")
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
    let page = visible_tab_page(document);
    Visible {
        dialogs: all(document, DIALOGS).into_iter().filter(is_shown).collect(),
        form_id: page
            .as_ref()
            .and_then(|p| p.get_attribute("data-form-id"))
            .or_else(|| active_tab_form_id(document))
            .or_else(|| url_form_id(document)),
        page,
    }
}

impl Visible {
    /// See [`active_root`]; from what was already read.
    pub fn active_root(&self, document: &Document) -> Option<Element> {
        self.dialogs.last().or(self.page.as_ref()).cloned().or_else(|| document.body().map(Element::from))
    }

    /// Each dialog's form id: its own `data-form-id` or its form's.
    pub fn dialog_form_ids(&self) -> Vec<Option<String>> {
        self.dialogs
            .iter()
            .map(|d| {
                d.get_attribute("data-form-id").or_else(|| d.query_selector("[data-form-id]").ok().flatten()?.get_attribute("data-form-id"))
            })
            .collect()
    }

    /// The page and dialog this shows (guide/pages.toml), with the field bindings in force.
    pub fn identify(&self, document: &Document) -> crate::core::detect::Detected {
        let (page_text, dialog_texts) = self.texts(document);
        let dialog_form_ids = self.dialog_form_ids();
        let bindings = fields::bindings();
        crate::core::detect::identify(&crate::core::detect::Observed {
            form_id: self.form_id.as_deref(),
            page_text: &page_text,
            dialog_texts: &dialog_texts,
            dialog_form_ids: &dialog_form_ids,
            bindings: Some(&bindings),
        })
    }

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

/// What a console's buttons are: live consoles render toolbar items as `<div>`s (`#bar_save`,
/// `[data-baritem-show-type] .kd-cq-btn`) and dialog buttons with `data-btn-key`; plain buttons
/// elsewhere.
const BUTTONS: &str = "button, [role=button], .kd-cq-btn, [data-btn-key], [data-baritem-show-type], .kd-cq-toolbar-item";

/// The button in `scope` whose text is `label` (the first, outermost, when one is nested in another).
pub fn button(scope: &Element, label: &str) -> Option<Element> {
    elements_of(&scope.query_selector_all(BUTTONS).ok()?).find(|e| e.text_content().unwrap_or_default().trim() == label)
}

/// Whether `node` is a button labelled `label`, or inside one.
pub fn is_button(node: &web_sys::Node, label: &str) -> bool {
    let element = node.dyn_ref::<Element>().cloned().or_else(|| node.parent_element());
    element.and_then(|e| e.closest(BUTTONS).ok().flatten()).is_some_and(|b| b.text_content().unwrap_or_default().trim() == label)
}

fn all(document: &Document, selector: &str) -> Vec<Element> {
    document.query_selector_all(selector).map(|list| elements_of(&list).collect()).unwrap_or_default()
}

/// The elements under `root` that `selector` matches, in document order.
pub(crate) fn elements(root: &Element, selector: &str) -> Vec<Element> {
    root.query_selector_all(selector).map(|list| elements_of(&list).collect()).unwrap_or_default()
}

/// The elements of a `querySelectorAll` answer, in document order.
pub(crate) fn elements_of(list: &web_sys::NodeList) -> impl Iterator<Item = Element> + '_ {
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
}

/// Rendered and not hidden: inactive tab pages carry `hidden` and have no layout box. A page's
/// snapshot (see [`snapshot`]) has no layout: it says which elements had none.
fn is_shown(element: &Element) -> bool {
    if element.class_list().contains("hidden") {
        return false;
    }
    if snapshot::is_snapshot(element) {
        return element.closest(snapshot::HIDDEN).ok().flatten().is_none();
    }
    element.dyn_ref::<HtmlElement>().is_some_and(|e| e.offset_width() > 0 || e.offset_height() > 0)
}

/// The open page: the visible form of the tab panel, else the shown tab page of an older shell.
pub fn visible_tab_page(document: &Document) -> Option<Element> {
    all(document, VISIBLE_FORM).into_iter().find(is_shown).or_else(|| all(document, TAB_PAGES).into_iter().find(is_shown))
}

/// The formId of the active tab: its `data-splitscreen-pageid` ends with it (`<prefix>_<formId>`,
/// as automation scripts run against live consoles read it). Which class marks the active tab is not documented, so try the usual ones.
fn active_tab_form_id(document: &Document) -> Option<String> {
    let tab = document
        .query_selector("[data-splitscreen-pageid].active, [data-splitscreen-pageid].kd-cq-tabs-tab-active, [data-splitscreen-pageid][aria-selected=true]")
        .ok()
        .flatten()?;
    tab.get_attribute("data-splitscreen-pageid")
}

fn url_form_id(document: &Document) -> Option<String> {
    let href = document.location().and_then(|l| l.href().ok()).or_else(|| snapshot::url(document))?;
    let query = href.split(['?', '#']).skip(1).flat_map(|part| part.split('&'));
    query
        .filter_map(|kv| kv.strip_prefix("formId="))
        .map(|v| v.split(['&', '#']).next().unwrap_or_default().to_string())
        .filter(|v| !v.is_empty())
        .last()
}

/// What changed on the console since the last frame.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Change {
    /// Fields, tab pages or dialogs came, went or showed: detect and bind again.
    Structure,
    /// Only the layout moved (the active root or a field's ancestor resized): the bound fields
    /// stay, their places may move.
    Layout,
}

/// What may matter when it is added or removed outside a bound field: a field, a tab page, a
/// dialog, or an input (a form rendering its fields late).
const STRUCTURAL: &str =
    "[data-field-item], .kd-cq-field, .kd-cq-form, [data-tab-hidden], .kd-cq-tabpage, [role=dialog], .kd-cq-modal, input, textarea, iframe";
/// Past this many records in one batch, reading them costs more than looking again.
const RECORDS_INSPECTED: u32 = 64;

/// Calls `on_change` after what matters on the console changed: a structure change at most once
/// per animation frame, so a storm of mutations costs one re-read at most, and nothing when it
/// touched neither a field nor a tab page nor a dialog; a layout change when the browser reports
/// the active root or a bound field's ancestor resized. What is observed is scoped (see [`Watcher::scope`]): a subtree-wide
/// observer makes every insertion in a busy form pay for a record, which alone costs a host page
/// more than our whole budget. Messages are watched apart (see [`observed::watch_messages`]).
/// The observers live as long as the page.
pub fn observe(document: &Document, on_change: impl Fn(Change) + 'static) -> Result<Rc<Watcher>, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let on_change = Rc::new(on_change);
    // A structure change waits for the next frame.
    let pending: Rc<Cell<bool>> = Rc::default();
    let scoped: Rc<RefCell<Option<Scope>>> = Rc::default();
    let visibility: Rc<RefCell<Option<MutationObserver>>> = Rc::default();
    let frame = {
        let (pending, visibility, document, on_change) = (pending.clone(), visibility.clone(), document.clone(), on_change.clone());
        Closure::<dyn FnMut()>::new(move || {
            if pending.replace(false) {
                if let Some(observer) = visibility.borrow().as_ref() {
                    watch_visibility(&document, observer);
                }
                on_change(Change::Structure);
            }
        })
    };
    let request: Rc<dyn Fn()> = {
        let pending = pending.clone();
        Rc::new(move || {
            if !pending.replace(true) {
                let _ = window.request_animation_frame(frame.as_ref().unchecked_ref());
            }
        })
    };
    let structure = {
        let (request, scoped) = (request.clone(), scoped.clone());
        forever(Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
            if scoped.borrow().as_ref().is_none_or(|scope| scope.matters(&records)) {
                request();
            }
        }))
    };
    let shown = forever(Closure::<dyn FnMut()>::new(move || request()));
    // A resize is reported after layout and before paint: the fields' new places are read there
    // without forcing a layout or asking for another frame. A structure change waiting for the
    // next frame draws them anyway.
    let moved = forever(Closure::<dyn FnMut()>::new(move || {
        if !pending.get() {
            on_change(Change::Layout);
        }
    }));
    let structure = MutationObserver::new(&structure)?;
    let resize = ResizeObserver::new(&moved)?;
    let observer = MutationObserver::new(&shown)?;
    watch_visibility(document, &observer);
    *visibility.borrow_mut() = Some(observer);
    let body = document.body().map(Element::from).or_else(|| document.document_element()).ok_or("no document element")?;
    let watcher = Rc::new(Watcher { structure, resize, body, scoped });
    watcher.scope(None, &[]);
    Ok(watcher)
}

/// A callback kept for the page's lifetime, as the function an observer takes.
fn forever<F: ?Sized + wasm_bindgen::closure::WasmClosure>(closure: Closure<F>) -> js_sys::Function {
    let function = closure.as_ref().unchecked_ref::<js_sys::Function>().clone();
    closure.forget(); // as long as the page
    function
}

/// The structure observers, re-scoped as the page changes.
pub struct Watcher {
    structure: MutationObserver,
    /// Layout moves the fields without a mutation we watch: a resize of the active root or of a
    /// bound field's ancestor says so.
    resize: ResizeObserver,
    body: Element,
    /// What is observed now, to re-scope only when it changes (shared with the observer's callback).
    scoped: Rc<RefCell<Option<Scope>>>,
}

/// The active root and the containers of the fields bound in it, as asked for; and whether the
/// root's whole subtree is observed (nothing bound yet, a dialog, no tabs).
struct Scope {
    root: Option<Element>,
    containers: Vec<Element>,
    whole_subtree: bool,
}

impl Scope {
    /// Whether a batch of child-list records may change what is bound: anything inside a bound
    /// field does; elsewhere (`<body>`'s children, the tab strip, a bound field's siblings) only a
    /// field, tab page, dialog or input coming or going. In a whole observed subtree every change
    /// counts: the form may be rendering.
    fn matters(&self, records: &js_sys::Array) -> bool {
        if self.whole_subtree || records.length() > RECORDS_INSPECTED {
            return true;
        }
        records.iter().filter_map(|r| r.dyn_into::<MutationRecord>().ok()).any(|record| {
            let inside_field = record.target().is_some_and(|target| self.containers.iter().any(|c| c.contains(Some(&target))));
            inside_field || brings_structure(&record.added_nodes()) || brings_structure(&record.removed_nodes())
        })
    }
}

fn brings_structure(nodes: &web_sys::NodeList) -> bool {
    (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into::<Element>().ok())
        .any(|element| element.matches(STRUCTURAL).unwrap_or(true) || element.query_selector(STRUCTURAL).ok().flatten().is_some())
}

impl Watcher {
    /// Observes `<body>`'s own children (dialogs and portals come and go there) and, inside the
    /// active `root` (a tab page, a dialog, or the body): while no field is bound, or in a dialog
    /// (small, and its rows come and go), the whole subtree, to see fields render late; once
    /// fields are bound in a page, only the bound `containers` and their parents (inputs
    /// re-created, containers replaced), so the rest of a busy form costs nothing. Resizes of the
    /// root and of the bound fields' ancestors report layout changes.
    pub fn scope(&self, root: Option<&Element>, containers: &[Element]) {
        let same = self.scoped.borrow().as_ref().is_some_and(|s| s.root.as_ref() == root && s.containers == containers);
        if same {
            return;
        }
        self.structure.disconnect();
        self.resize.disconnect();
        let children = MutationObserverInit::new();
        children.set_child_list(true);
        let subtree = MutationObserverInit::new();
        subtree.set_child_list(true);
        subtree.set_subtree(true);
        let _ = self.structure.observe_with_options(&self.body, &children);
        let mut whole_subtree = true;
        if let Some(root) = root {
            self.resize.observe(root);
            // Fields move when something before them changes size, and that resizes one of their
            // ancestors; the root alone may not resize (a tab page as tall as the window while
            // its short form grows).
            let mut resizing: Vec<Element> = Vec::new();
            for container in containers {
                let mut ancestor = container.parent_element();
                while let Some(element) = ancestor.filter(|a| a != root && !resizing.contains(a)) {
                    self.resize.observe(&element);
                    ancestor = element.parent_element();
                    resizing.push(element);
                }
            }
            let is_dialog = root.matches(DIALOGS).unwrap_or(false);
            if containers.is_empty() || is_dialog || *root == self.body {
                let _ = self.structure.observe_with_options(root, &subtree);
            } else {
                whole_subtree = false;
                if let Some(parent) = root.parent_element() {
                    // A new tab page is added next to this one; in the evidenced shell each form
                    // sits in its tab's `[data-tab-hidden]` wrapper, and tabs come one level up.
                    let _ = self.structure.observe_with_options(&parent, &children);
                    if let Some(panel) = parent.parent_element().filter(|_| parent.has_attribute("data-tab-hidden")) {
                        let _ = self.structure.observe_with_options(&panel, &children);
                    }
                }
                for container in containers {
                    let _ = self.structure.observe_with_options(container, &subtree);
                    if let Some(parent) = container.parent_element() {
                        let _ = self.structure.observe_with_options(&parent, &children);
                    }
                }
            }
        }
        *self.scoped.borrow_mut() = Some(Scope { root: root.cloned(), containers: containers.to_vec(), whole_subtree });
    }
}

/// Tabs and dialogs show, hide and move through these attributes; the document's theme (dark or
/// not) is set on `<html>` or `<body>` the same way.
const VISIBILITY_ATTRIBUTES: [&str; 5] = ["class", "style", "hidden", "data-theme", "data-tab-hidden"];
const VISIBILITY_TARGETS: &str =
    "html, body, [data-tab-hidden], .kd-cq-tabpage, [data-splitscreen-pageid], [role=dialog], .kd-cq-modal, iframe";

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
    visible(document).active_root(document)
}

/// Whether the console wears a dark theme [inference: Cosmic's dark mode is not documented in
/// the reference; a `dark` class or `data-theme="dark"` on <html> or <body> is assumed].
pub fn is_dark(document: &Document) -> bool {
    let elements = [document.document_element(), document.body().map(|b| b.unchecked_into())];
    elements.into_iter().flatten().any(|e| {
        let class = e.get_attribute("class").unwrap_or_default();
        class.split_whitespace().any(|c| c == "dark" || c.ends_with("-dark") || c.ends_with("theme-dark"))
            || e.get_attribute("data-theme").is_some_and(|t| t.eq_ignore_ascii_case("dark"))
    })
}
