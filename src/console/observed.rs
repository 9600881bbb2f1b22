//! What the console shows that the checklist and the troubleshooter need: the texts of messages
//! it just added (toasts, notifications, message boxes) and the columns of its grids. Read-only.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, MutationObserver, MutationObserverInit, MutationRecord};

use super::fields;
use crate::core::detect::Detected;
use crate::core::progress::{shown_done, shown_on};

/// Where Cosmic shows messages (antd-like toasts and notifications, message
/// boxes), plus the ARIA roles any message area should carry.
const MESSAGES: &str = ".kd-cq-message-notice, .kd-cq-notification-notice, .kd-cq-msgbox, [role=alert], [role=alertdialog]";
/// A message is a sentence or two; longer text is a page, not a message.
const MESSAGE_MAX_CHARS: usize = 500;

/// The texts of messages among the nodes a batch of mutations added: only added nodes are
/// read, never the whole page.
pub fn added_message_texts(records: &js_sys::Array) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    let mut push = |element: &Element| {
        let text: String = element.text_content().unwrap_or_default().chars().take(MESSAGE_MAX_CHARS).collect();
        let text = text.trim().to_string();
        if !text.is_empty() && !texts.contains(&text) {
            texts.push(text);
        }
    };
    for record in records.iter().filter_map(|r| r.dyn_into::<MutationRecord>().ok()) {
        let added = record.added_nodes();
        for node in (0..added.length()).filter_map(|i| added.item(i)) {
            let element = match node.dyn_ref::<Element>() {
                Some(element) => element.clone(),
                // Text set into an existing message.
                None => match node.parent_element() {
                    Some(parent) => parent,
                    None => continue,
                },
            };
            if let Some(message) = element.closest(MESSAGES).ok().flatten() {
                push(&message);
            } else if let Ok(inner) = element.query_selector_all(MESSAGES) {
                for found in (0..inner.length()).filter_map(|i| inner.item(i)?.dyn_into::<Element>().ok()) {
                    push(&found);
                }
            }
        }
    }
    texts
}

/// Where messages are shown: portals the console appends to `<body>` (antd-like
/// message and notification containers, modal roots). [inference] Messages rendered inside a form
/// would not be seen; the replica and the reference put them in portals.
const MESSAGE_CONTAINERS: &str = ".kd-cq-message, .kd-cq-notification, .kd-cq-modal-root, [role=dialog], [role=alertdialog]";

/// Calls `on_messages` with the texts of messages as the console shows them. Only `<body>`'s own
/// children and the message containers among them are watched, so whatever a form does inside a
/// tab page (a storm of mutations included) costs nothing here.
pub fn watch_messages(document: &Document, on_messages: impl Fn(Vec<String>) + 'static) -> Result<(), JsValue> {
    let Some(body) = document.body() else { return Ok(()) };
    let on_messages = Rc::new(on_messages);
    let inner_callback = {
        let on_messages = on_messages.clone();
        Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
            let texts = added_message_texts(&records);
            if !texts.is_empty() {
                on_messages(texts);
            }
        })
    };
    let inner = MutationObserver::new(inner_callback.as_ref().unchecked_ref())?;
    inner_callback.forget(); // as long as the page
    let watch_container = move |element: &Element| {
        if element.matches(MESSAGE_CONTAINERS).unwrap_or(false) {
            let options = MutationObserverInit::new();
            options.set_child_list(true);
            options.set_subtree(true);
            options.set_character_data(true);
            let _ = inner.observe_with_options(element, &options);
        }
    };
    let children = body.children();
    for child in (0..children.length()).filter_map(|i| children.item(i)) {
        watch_container(&child);
    }
    let top_callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
        let texts = added_message_texts(&records);
        for record in records.iter().filter_map(|r| r.dyn_into::<MutationRecord>().ok()) {
            let added = record.added_nodes();
            for element in (0..added.length()).filter_map(|i| added.item(i)?.dyn_into::<Element>().ok()) {
                watch_container(&element);
            }
        }
        if !texts.is_empty() {
            on_messages(texts);
        }
    });
    let top = MutationObserver::new(top_callback.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    top.observe_with_options(&body, &options)?;
    top_callback.forget(); // as long as the page
    Ok(())
}

fn cells(row: &Element) -> Vec<Element> {
    let children = row.children();
    (0..children.length()).filter_map(|i| children.item(i)).collect()
}

/// A cell's value: its input's (entry grids), else its text.
fn cell_value(cell: &Element) -> String {
    match cell.query_selector("input").ok().flatten().and_then(|i| i.dyn_into::<HtmlInputElement>().ok()) {
        Some(input) => input.value(),
        None => cell.text_content().unwrap_or_default().trim().to_string(),
    }
}

/// The columns `headers` of the first grid under `root` that has all of them: one Vec per row.
pub fn grid_columns(root: &Element, headers: &[&str]) -> Option<Vec<Vec<String>>> {
    let tables = root.query_selector_all("table").ok()?;
    (0..tables.length()).filter_map(|i| tables.item(i)?.dyn_into::<Element>().ok()).find_map(|table| {
        let head_row = table.query_selector("thead tr").ok().flatten()?;
        let titles: Vec<String> = cells(&head_row).iter().map(|c| c.text_content().unwrap_or_default().trim().to_string()).collect();
        let columns: Vec<usize> = headers.iter().map(|h| titles.iter().position(|t| t == h)).collect::<Option<_>>()?;
        let rows = table.query_selector_all("tbody tr").ok()?;
        Some(
            (0..rows.length())
                .filter_map(|i| rows.item(i)?.dyn_into::<Element>().ok())
                .map(|row| {
                    let row_cells = cells(&row);
                    columns.iter().map(|&c| row_cells.get(c).map(cell_value).unwrap_or_default()).collect()
                })
                .collect(),
        )
    })
}

/// The texts of the messages shown in `document` now (a page snapshot's toasts and message boxes).
pub fn shown_message_texts(document: &Document) -> Vec<String> {
    super::all(document, MESSAGES)
        .into_iter()
        .filter(super::is_shown)
        .filter_map(|e| e.text_content())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty() && t.chars().count() <= MESSAGE_MAX_CHARS)
        .collect()
}

/// The steps the visible tab shows done (guide/steps.toml `shown_done`: the enterprise in the
/// 企业信息 list, an account in the 数电配置详情 grid, 核算组织 among the business unit's 职能类型).
pub fn steps_shown(document: &Document, detected: &Detected) -> Vec<&'static str> {
    let Some(tab) = super::visible_tab_page(document) else { return Vec::new() };
    let page = detected.page.map(|p| p.id);
    shown_on(page)
        .filter(|(_, shown)| {
            let values: Vec<String> = if shown.columns.is_empty() {
                let bound = page.map(|page| fields::bind(&tab, page)).unwrap_or_default();
                bound.into_iter().filter(|b| Some(b.field.id) == shown.field).map(|b| b.value()).collect()
            } else {
                grid_columns(&tab, shown.columns).unwrap_or_default().into_iter().filter_map(|row| row.into_iter().next()).collect()
            };
            shown_done(shown, &values)
        })
        .map(|(step, _)| step)
        .collect()
}
