//! Which console input is which field of the guide: `[data-field-item]` containers labelled by
//! `.kd-cq-field-title-wrap`, and entry grids whose columns are labelled by their headers
//! (reference §3.3). Labels are matched with the knowledge base's aliases, never by class hashes.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

use crate::core::guide::{self, Field, Widget};

const FIELD_ITEMS: &str = "[data-field-item]";
const TITLE: &str = ".kd-cq-field-title-wrap";
const GRID_HEADERS: &str = "th .kd-table-header-title";

/// One bound field: the element that holds its value and where to draw.
#[derive(Clone)]
pub struct Bound {
    pub field: &'static Field,
    /// The field container (or grid cell); events inside it belong to this field.
    pub container: Element,
    /// Row of an entry grid (the tenant dialog lists several tenants), else 0.
    pub row: usize,
}

impl Bound {
    /// The element to outline: the input, or the value area of a combo or checkbox group.
    pub fn anchor(&self) -> Element {
        let inner = match self.field.widget {
            Widget::Combo | Widget::Checkbox => ".kd-cq-field-value-wrap, .kd-cq-combo",
            _ => "input, textarea",
        };
        self.container.query_selector(inner).ok().flatten().unwrap_or_else(|| self.container.clone())
    }

    /// The value as the console shows it. Checkbox groups give the ticked labels, joined by `,`.
    pub fn value(&self) -> String {
        match self.field.widget {
            Widget::Checkbox => {
                let Ok(boxes) = self.container.query_selector_all("input[type=checkbox]") else { return String::new() };
                (0..boxes.length())
                    .filter_map(|i| boxes.item(i)?.dyn_into::<HtmlInputElement>().ok())
                    .filter(|b| b.checked())
                    .map(|b| checkbox_label(&b))
                    .collect::<Vec<_>>()
                    .join(",")
            }
            _ => input_value(&self.container).unwrap_or_else(|| combo_value(&self.container)),
        }
    }
}

fn input_value(container: &Element) -> Option<String> {
    let element = container.query_selector("input:not([type=checkbox]):not([type=radio]), textarea").ok().flatten()?;
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        return Some(input.value());
    }
    element.dyn_ref::<HtmlTextAreaElement>().map(|t| t.value())
}

/// A combo shows its choice in `.kd-cq-combo-selected` (its `title`, else its text).
fn combo_value(container: &Element) -> String {
    let Some(selected) = container.query_selector(".kd-cq-combo-selected").ok().flatten() else { return String::new() };
    selected.get_attribute("title").or_else(|| selected.text_content()).unwrap_or_default().trim().to_string()
}

fn checkbox_label(input: &HtmlInputElement) -> String {
    input
        .closest("label")
        .ok()
        .flatten()
        .and_then(|l| l.text_content())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Values `root` shows for fields of *other* pages, read-only echoes such as the 企业名称 and
/// 企业税号 the 数电 account dialog copies from the company (`page`'s own fields excluded).
pub fn echoes(root: &Element, page: &str, from_page: &str) -> Vec<(&'static Field, String)> {
    let Ok(items) = root.query_selector_all(FIELD_ITEMS) else { return Vec::new() };
    (0..items.length())
        .filter_map(|i| items.item(i)?.dyn_into::<Element>().ok())
        .filter_map(|container| {
            let label = container.query_selector(TITLE).ok().flatten()?.text_content()?;
            if guide::field_by_label(page, &label).is_some() {
                return None;
            }
            let field = guide::field_by_label(from_page, &label)?;
            let value = input_value(&container)?;
            (!value.trim().is_empty()).then_some((field, value))
        })
        .collect()
}

/// The fields of `page` that `root` shows.
pub fn bind(root: &Element, page: &str) -> Vec<Bound> {
    let mut bound = Vec::new();
    if let Ok(items) = root.query_selector_all(FIELD_ITEMS) {
        for container in (0..items.length()).filter_map(|i| items.item(i)?.dyn_into::<Element>().ok()) {
            let label = container
                .query_selector(TITLE)
                .ok()
                .flatten()
                .and_then(|t| t.text_content())
                .unwrap_or_default();
            if let Some(field) = guide::field_by_label(page, &label) {
                bound.push(Bound { field, container, row: 0 });
            }
        }
    }
    bind_grids(root, page, &mut bound);
    bound
}

/// Entry grids (the tenant dialog): each editable cell is labelled by its column's header.
fn bind_grids(root: &Element, page: &str, bound: &mut Vec<Bound>) {
    let Ok(tables) = root.query_selector_all("table") else { return };
    for table in (0..tables.length()).filter_map(|i| tables.item(i)?.dyn_into::<Element>().ok()) {
        let Ok(headers) = table.query_selector_all(GRID_HEADERS) else { continue };
        let columns: Vec<Option<&'static Field>> = (0..headers.length())
            .map(|i| headers.item(i).and_then(|h| h.text_content()).and_then(|t| guide::field_by_label(page, &t)))
            .collect();
        if columns.iter().all(Option::is_none) {
            continue;
        }
        let Ok(rows) = table.query_selector_all("tbody tr") else { continue };
        for (row_index, row) in (0..rows.length()).filter_map(|i| rows.item(i)?.dyn_into::<Element>().ok()).enumerate() {
            let Ok(cells) = row.query_selector_all("td") else { continue };
            // A leading checkbox column has no header title: align cells to headers from the right.
            let offset = cells.length().saturating_sub(columns.len() as u32);
            for (column, field) in columns.iter().enumerate() {
                let (Some(field), Some(cell)) = (field, cells.item(offset + column as u32)) else { continue };
                let Ok(cell) = cell.dyn_into::<Element>() else { continue };
                if cell.query_selector("input, textarea").ok().flatten().is_some() {
                    bound.push(Bound { field, container: cell, row: row_index });
                }
            }
        }
    }
}
