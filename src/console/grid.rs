//! A list page's grid of companies as 对照清单 reads it (guide/pages.toml `grid`): live consoles
//! render `.kd-table-container` with header titles in `th .kd-table-header-title` and cells
//! `td[data-code="<key>"]` (cosmic-dom-evidence.md); a header and its body may be two tables of
//! one container. A cell is found by its `data-code`, else by its header's column. Read-only.

use web_sys::Element;

use super::elements;
use crate::core::company_list::{pager_total, GridRow};
use crate::core::guide::Grid;

const CONTAINERS: &str = ".kd-table-container";
/// The count a pager shows, e.g. `共 128 条` [inference: the replica's wording].
const PAGER: &str = ".kd-table-pager, .kd-pagination, [class*=pager]";

/// The cells of one row that show its company, for the marks (the row itself where one is missing).
pub struct RowCells {
    pub row: Element,
    pub name: Option<Element>,
    pub tax_id: Option<Element>,
    pub client_id: Option<Element>,
}

/// The rows read, each with its cells, and how many the console says it has.
pub struct GridRead {
    pub rows: Vec<GridRow>,
    pub cells: Vec<RowCells>,
    /// The pager's total, when it shows one: more than `rows` means other pages hold the rest.
    pub total: Option<usize>,
}

fn text(element: &Element) -> String {
    element.text_content().unwrap_or_default().trim().to_string()
}

/// Header titles of a container, in column order.
fn titles(container: &Element) -> Vec<String> {
    elements(container, "thead tr")
        .first()
        .map(|row| {
            elements(row, "th")
                .iter()
                .map(|th| th.query_selector(".kd-table-header-title").ok().flatten().map_or_else(|| text(th), |title| text(&title)))
                .collect()
        })
        .unwrap_or_default()
}

/// The cell of the column named by `names` (data-codes and titles) in `row`.
fn cell(row: &Element, cells: &[Element], titles: &[String], names: &[&str]) -> Option<Element> {
    for name in names {
        if let Some(cell) = row.query_selector(&format!("td[data-code=\"{name}\"]")).ok().flatten() {
            return Some(cell);
        }
    }
    let column = titles.iter().position(|t| names.contains(&t.trim_end_matches('*').trim()))?;
    cells.get(column).cloned()
}

/// The first container under `root` whose rows show the grid's name or tax id.
pub fn read(root: &Element, grid: &Grid) -> Option<GridRead> {
    let mut containers = elements(root, CONTAINERS);
    if containers.is_empty() {
        // Consoles without the container class: any table with a header.
        containers = elements(root, "table").into_iter().filter(|t| t.query_selector("thead").ok().flatten().is_some()).collect();
    }
    containers.into_iter().find_map(|container| {
        let titles = titles(&container);
        let mut read = GridRead { rows: Vec::new(), cells: Vec::new(), total: None };
        let mut identified = false;
        for (index, row) in elements(&container, "tbody tr").into_iter().enumerate() {
            let cells = elements(&row, "td");
            let name = cell(&row, &cells, &titles, grid.name);
            let tax_id = cell(&row, &cells, &titles, grid.tax_id);
            let client_id = cell(&row, &cells, &titles, grid.client_id);
            identified |= name.is_some() || tax_id.is_some();
            let value = |cell: &Option<Element>| cell.as_ref().map(text).unwrap_or_default();
            read.rows.push(GridRow { index, name: value(&name), tax_id: value(&tax_id), client_id: value(&client_id) });
            read.cells.push(RowCells { row, name, tax_id, client_id });
        }
        let has_columns = grid.name.iter().chain(grid.tax_id).any(|n| titles.iter().any(|t| t == n));
        if !identified && !has_columns {
            return None;
        }
        // The pager sits in the container or next to it.
        let total = |scope: &Element| elements(scope, PAGER).iter().find_map(|pager| pager_total(&text(pager)));
        read.total = total(&container).or_else(|| total(root));
        Some(read)
    })
}
