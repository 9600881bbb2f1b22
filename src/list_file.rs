//! The extension's third wasm module: reads a company list file (CSV, XLSX …) for the panel's
//! 对照清单. The page loads it only when the admin picks a file, so the console pages never
//! download the spreadsheet parsers; the file is read here, in the page, and never uploaded.
//! Only the companies (name, tax id, Client id) come back: secret cells are wiped once read.

use wasm_bindgen::prelude::*;
use zeroize::Zeroize;

use crate::core::company_list::read::read_table;
use crate::core::company_list::{Columns, ListChecker, ListCompany};

#[derive(serde::Serialize)]
struct Read {
    companies: Vec<ListCompany>,
    /// The headers found for each role, as the file writes them.
    columns: Vec<(String, String)>,
}

/// The companies of a list file, as JSON (`{"companies": [...], "columns": [[role, header], …]}`),
/// or why it cannot be read.
#[wasm_bindgen]
pub fn read_company_list(mut bytes: Vec<u8>) -> Result<String, String> {
    let table = read_table(&bytes, None);
    bytes.zeroize();
    let mut table = table?;
    let result = Columns::from_header(&table.headers, &[]).map_err(|e| e.to_string()).map(|columns| {
        let companies = table.rows.iter().filter_map(|(row, cells)| ListChecker::company(&columns, *row, cells)).collect();
        let found = columns.found.iter().map(|(role, i)| (role.key().to_string(), columns.headers[*i].clone())).collect();
        (Read { companies, columns: found }, columns)
    });
    // The secret columns' cells, or every cell when the header named no columns.
    let secret = |index: usize| match &result {
        Ok((_, columns)) => columns.found.iter().any(|(role, i)| *i == index && role.is_secret()),
        Err(_) => true,
    };
    for (_, cells) in &mut table.rows {
        for (index, cell) in cells.iter_mut().enumerate() {
            if secret(index) {
                cell.text.zeroize();
            }
        }
    }
    result.map(|(read, _)| serde_json::to_string(&read).expect("companies serialise"))
}
