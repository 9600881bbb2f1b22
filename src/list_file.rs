//! The extension's third wasm module: reads a company list file (CSV, XLSX …) for the panel's
//! 对照清单. The page loads it only when the admin picks a file, so the console pages never
//! download the spreadsheet parsers; the file is read here, in the page, and never uploaded.
//! Only the companies (name, tax id, Client id) come back: secret cells are wiped once read.

use wasm_bindgen::prelude::*;
use zeroize::Zeroize;

use crate::core::company_list::read::read_table;
use crate::core::company_list::{Columns, ListChecker, ListCompany};

/// The companies of a list file, flat (`ListCompany::texts`, one after the other): a plain array of
/// strings, so the page reads it without a JSON parser; or why the file cannot be read.
#[wasm_bindgen]
pub fn read_company_list(mut bytes: Vec<u8>) -> Result<Vec<String>, String> {
    let table = read_table(&bytes, None);
    bytes.zeroize();
    let mut table = table?;
    let result = Columns::from_header(&table.headers, &[]).map_err(|e| e.to_string()).map(|columns| {
        let companies: Vec<String> =
            table.rows.iter().filter_map(|(row, cells)| ListChecker::company(&columns, *row, cells)).flat_map(ListCompany::texts).collect();
        (companies, columns)
    });
    // The secret columns' cells, or every cell when the header named no columns.
    let secret = |index: usize| match &result {
        Ok((_, columns)) => columns.is_secret(index),
        Err(_) => true,
    };
    for (_, cells) in &mut table.rows {
        for (index, cell) in cells.iter_mut().enumerate() {
            if secret(index) {
                cell.text.zeroize();
            }
        }
    }
    result.map(|(companies, _)| companies)
}
