//! The structure of what the console shows, for the page-structure report (`core::report`):
//! every element of the visible page and open dialogs (and of their same-origin frames), with
//! its tag, id, classes and `data-*` attributes, and the text of labels, titles and buttons only.
//! Never a value: an input's value is not text, and nothing inside a field's value area is read.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlIFrameElement};

use super::Visible;
use crate::core::report;

/// Elements whose text is a label, a title or a button's caption.
const LABELS: &str =
    ".kd-cq-field-title-wrap, .kd-cq-form-title, label, th, .kd-table-header-title, .kd-cq-fieldset-title, .kd-cq-modal-title, \
    legend, h1, h2, h3, h4, h5, h6, [data-splitscreen-pageid], button, [role=button], .kd-cq-btn, [data-btn-key], [data-baritem-show-type]";
/// Where a field's value is shown: no text is read inside.
const VALUE_AREAS: &str = ".kd-cq-field-value-wrap, .kd-cq-combo, [contenteditable], input, textarea, select, td";
/// Never described: our own host, and what holds no structure.
const SKIPPED: [&str; 6] = ["PIAOZONE-ASSIST", "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "svg"];
/// Enough for any form; a page larger than this is cut (the report says so at 60 KB anyway).
const MAX_ELEMENTS: usize = 20_000;

/// The visible page (the body when there are no tabs) and each open dialog outside it.
pub fn read(document: &Document, visible: &Visible) -> Vec<report::Element> {
    let mut out = Vec::new();
    let page = visible.page.clone().or_else(|| document.body().map(Element::from));
    for root in page.iter().chain(visible.dialogs.iter().filter(|d| !page.as_ref().is_some_and(|p| p.contains(Some(d))))) {
        walk(root, 0, &mut out);
    }
    out
}

fn walk(element: &Element, depth: usize, out: &mut Vec<report::Element>) {
    if out.len() >= MAX_ELEMENTS || SKIPPED.contains(&element.tag_name().as_str()) {
        return;
    }
    out.push(describe(element, depth));
    if let Some(frame) = element.dyn_ref::<HtmlIFrameElement>() {
        // A same-origin frame's form (a cross-origin one has no readable document).
        if let Some(body) = frame.content_document().and_then(|d| d.body()) {
            walk(&body, depth + 1, out);
        }
        return;
    }
    let children = element.children();
    for i in 0..children.length() {
        if let Some(child) = children.item(i) {
            walk(&child, depth + 1, out);
        }
    }
}

fn describe(element: &Element, depth: usize) -> report::Element {
    let classes = element.class_list();
    let names = element.get_attribute_names();
    let data = names
        .iter()
        .filter_map(|name| name.as_string())
        .filter(|name| name.starts_with("data-"))
        .map(|name| {
            let value = element.get_attribute(&name).unwrap_or_default();
            (name, value)
        })
        .collect();
    let is_label = element.matches(LABELS).unwrap_or(false);
    let in_value_area = element.matches(VALUE_AREAS).unwrap_or(false) || element.closest(VALUE_AREAS).ok().flatten().is_some();
    report::Element {
        depth,
        tag: element.tag_name(),
        id: element.id(),
        classes: (0..classes.length()).filter_map(|i| classes.item(i)).collect(),
        data,
        text: (is_label && !in_value_area).then(|| element.text_content().unwrap_or_default()),
    }
}
