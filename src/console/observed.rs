//! What the console shows that the checklist and the troubleshooter need: the texts of messages
//! it just added (toasts, notifications, message boxes) and the columns of its grids. Read-only.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, MutationRecord, Node};

/// Where Cosmic shows messages (reference §3.3: antd-like toasts and notifications, message
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

/// Whether `node` is a button labelled `label` (or inside one).
pub fn is_button(node: &Node, label: &str) -> bool {
    let element = node.dyn_ref::<Element>().cloned().or_else(|| node.parent_element());
    element
        .and_then(|e| e.closest("button, [role=button]").ok().flatten())
        .is_some_and(|b| b.text_content().unwrap_or_default().trim() == label)
}
