//! Which console input is which field of the guide, as live Cosmic consoles render fields
//! (reference/cosmic-dom-evidence.md): by the field's key first (the element `id`, or the
//! `data-page-id` suffix `<pageId>_<key>`), then by its label in `.kd-cq-field-title-wrap`; and
//! entry grids whose columns are labelled by their headers. Never by hashed class names.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

use std::cell::RefCell;
use std::rc::Rc;

use super::elements;
use crate::core::bindings::Bindings;
use crate::core::guide::{self, Field, Widget};

thread_local! {
    /// The admin's added bindings (policy and options page), set by the content script.
    static BINDINGS: RefCell<Rc<Bindings>> = RefCell::default();
}

/// Replaces the added bindings; the next [`bind`] and detection use them.
pub fn set_bindings(bindings: Bindings) {
    BINDINGS.with(|b| *b.borrow_mut() = Rc::new(bindings));
}

/// The added bindings in force.
pub fn bindings() -> Rc<Bindings> {
    BINDINGS.with(|b| b.borrow().clone())
}

/// How a field was bound (the page-structure report says it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoundBy {
    /// The element's `id` or `data-page-id` suffix.
    Key,
    /// The field's title text.
    Label,
    /// An entry grid's column header.
    GridHeader,
}

impl BoundBy {
    pub fn as_str(self) -> &'static str {
        match self {
            BoundBy::Key => "key",
            BoundBy::Label => "label",
            BoundBy::GridHeader => "grid header",
        }
    }
}

/// A field's container: `[data-field-item]` rows and `.kd-cq-field` elements (whether the two are
/// one element on live consoles is not known, so either is taken, the innermost when nested).
const FIELD_ITEMS: &str = "[data-field-item], .kd-cq-field";
const TITLE: &str = ".kd-cq-field-title-wrap";
const GRID_HEADERS: &str = "th .kd-table-header-title";
/// The value as Cosmic renders it: an input or textarea in the value wrap.
const VALUE_INPUT: &str = ".kd-cq-field-value-wrap input:not([type=checkbox]):not([type=radio]), .kd-cq-field-value-wrap textarea";
const ANY_INPUT: &str = "input:not([type=checkbox]):not([type=radio]), textarea";
/// A locked field (filled by the console, not editable here).
const LOCKED: &str = ".field-in-lock, .lock-with-no-value";

/// One bound field: the element that holds its value and where to draw.
#[derive(Clone)]
pub struct Bound {
    pub field: &'static Field,
    /// The field container (or grid cell); events inside it belong to this field.
    pub container: Element,
    /// Row of an entry grid (the tenant dialog lists several tenants), else 0.
    pub row: usize,
    /// The console locked it (`.field-in-lock`, `.lock-with-no-value`): read, never typed into.
    pub locked: bool,
    pub by: BoundBy,
}

impl Bound {
    fn new(field: &'static Field, container: Element, row: usize, by: BoundBy) -> Bound {
        let locked = container.matches(LOCKED).unwrap_or(false) || container.query_selector(LOCKED).ok().flatten().is_some();
        Bound { field, container, row, locked, by }
    }

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
    let first = |selector| container.query_selector(selector).ok().flatten();
    let element = first(VALUE_INPUT).or_else(|| first(ANY_INPUT))?;
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
    input.closest("label").ok().flatten().and_then(|l| l.text_content()).unwrap_or_default().trim().to_string()
}

/// Values `root` shows for fields of *other* pages, read-only echoes such as the 企业名称 and
/// 企业税号 the 数电 account dialog copies from the company (`page`'s own fields excluded).
pub fn echoes(root: &Element, page: &str, from_page: &str) -> Vec<(&'static Field, String)> {
    let bindings = bindings();
    field_items(root)
        .into_iter()
        .filter_map(|container| {
            let label = label_of(&container)?;
            if bindings.field_by_label(page, &label).is_some() {
                return None;
            }
            let field = bindings.field_by_label(from_page, &label)?;
            let value = input_value(&container)?;
            (!value.trim().is_empty()).then_some((field, value))
        })
        .collect()
}

/// The fields of `page` that `root` shows.
pub fn bind(root: &Element, page: &str) -> Vec<Bound> {
    let bindings = bindings();
    let mut bound = Vec::new();
    bind_by_key(root, page, &bindings, &mut bound);
    let by_key = bound.len();
    for container in field_items(root) {
        let Some(field) = label_of(&container).and_then(|label| bindings.field_by_label(page, &label)) else { continue };
        if !taken(&bound[..by_key], field, &container) {
            bound.push(Bound::new(field, container, 0, BoundBy::Label));
        }
    }
    bind_grids(root, page, &bindings, &mut bound);
    bound
}

/// Fields whose key the guide knows: the element whose `id` is the key, or whose `data-page-id`
/// ends with `_<key>` (the form's own pageId is not needed).
fn bind_by_key(root: &Element, page: &str, bindings: &Bindings, bound: &mut Vec<Bound>) {
    let keys: Vec<&str> = guide::fields_on_page(page)
        .flat_map(|f| {
            f.console_keys.iter().copied().chain(bindings.fields.get(f.id).into_iter().flat_map(|b| b.keys.iter().map(String::as_str)))
        })
        .filter(|key| !key.contains(['"', '\\']))
        .collect();
    if keys.is_empty() {
        return;
    }
    let selector = keys.iter().map(|key| format!("[id=\"{key}\"], [data-page-id$=\"_{key}\"]")).collect::<Vec<_>>().join(", ");
    for element in elements(root, &selector) {
        let by_id = element.id();
        let field = bindings
            .field_by_key(page, &by_id)
            .or_else(|| element.get_attribute("data-page-id").and_then(|p| bindings.field_by_page_id(page, &p)));
        let Some(field) = field else { continue };
        let container = field_container(element);
        if !taken(bound, field, &container)
            && container
                .query_selector(ANY_INPUT)
                .ok()
                .flatten()
                .or_else(|| container.query_selector(".kd-cq-combo-selected").ok().flatten())
                .is_some()
        {
            bound.push(Bound::new(field, container, 0, BoundBy::Key));
        }
    }
}

/// The field rows of `root` none of `bound` is in or around, by their label and key (for the
/// page-structure report).
pub fn unbound(root: &Element, bound: &[Bound]) -> Vec<crate::core::report::Unbound> {
    field_items(root)
        .into_iter()
        .filter(|row| !bound.iter().any(|b| b.container.contains(Some(row)) || row.contains(Some(&b.container))))
        .filter_map(|row| {
            let label = label_of(&row)?.trim().to_owned();
            let key = Some(row.id()).filter(|id| !id.is_empty());
            (!label.is_empty()).then_some(crate::core::report::Unbound { label, key })
        })
        .collect()
}

/// Whether `field`, or the field row `container` (or one inside or around it), is bound already.
fn taken(bound: &[Bound], field: &Field, container: &Element) -> bool {
    bound.iter().any(|b| b.field.id == field.id || b.container.contains(Some(container)) || container.contains(Some(&b.container)))
}

/// The field row a keyed element belongs to: itself when it is one (or holds the field), else
/// the row around it (a key on the inner control).
fn field_container(element: Element) -> Element {
    if element.matches(FIELD_ITEMS).unwrap_or(false) || element.query_selector(TITLE).ok().flatten().is_some() {
        return element;
    }
    element.closest(FIELD_ITEMS).ok().flatten().unwrap_or(element)
}

/// The field containers in `root` that own a title, in document order: of two nested ones (a
/// row and its field element), the one the title is directly in.
fn field_items(root: &Element) -> Vec<Element> {
    elements(root, FIELD_ITEMS)
        .into_iter()
        .filter(|item| {
            let title = item.query_selector(TITLE).ok().flatten();
            title.and_then(|t| t.closest(FIELD_ITEMS).ok().flatten()).is_some_and(|owner| owner == *item)
        })
        .collect()
}

/// A field's label: its title wrap's text (the required star and a colon are ignored by
/// [`guide::field_by_label`]).
fn label_of(container: &Element) -> Option<String> {
    container.query_selector(TITLE).ok().flatten()?.text_content()
}

/// Entry grids (the tenant dialog): each editable cell is labelled by its column's header.
fn bind_grids(root: &Element, page: &str, bindings: &Bindings, bound: &mut Vec<Bound>) {
    let Ok(tables) = root.query_selector_all("table") else { return };
    for table in (0..tables.length()).filter_map(|i| tables.item(i)?.dyn_into::<Element>().ok()) {
        let Ok(headers) = table.query_selector_all(GRID_HEADERS) else { continue };
        let columns: Vec<Option<&'static Field>> = (0..headers.length())
            .map(|i| headers.item(i).and_then(|h| h.text_content()).and_then(|t| bindings.field_by_label(page, &t)))
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
                    bound.push(Bound::new(field, cell, row_index, BoundBy::GridHeader));
                }
            }
        }
    }
}
