//! `--companies FILE`: a company key list (CSV or spreadsheet) read for `check` and `doctor`, and
//! what both print about it. A secret cell is shown as its cell and length, never its value.

use std::path::PathBuf;

use piaozone_assist::core::company_list::read::{read_table, Table};
use piaozone_assist::core::company_list::{column_letters, parse_mapping, Cell, Columns, Role};
use piaozone_assist::core::i18n::Lang;
use piaozone_assist::core::validate::Severity;

use crate::args::value;

/// A list larger than this is not a company list (50,000 rows of keys are about 10 MB).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Where the list is and how to read its header.
#[derive(Debug, Default)]
pub struct ListSource {
    pub file: Option<PathBuf>,
    pub sheet: Option<String>,
    pub mapping: Vec<(String, Role)>,
}

impl ListSource {
    /// The options [`Self::take`] reads.
    pub const OPTIONS: [&'static str; 3] = ["companies", "sheet", "columns"];

    /// Reads the value of `--companies`, `--sheet` or `--columns` (one of [`Self::OPTIONS`]).
    pub fn take(&mut self, option: &str, parser: &mut lexopt::Parser) -> Result<(), String> {
        match option {
            "companies" => self.file = Some(PathBuf::from(value(parser, "--companies")?)),
            "sheet" => self.sheet = Some(value(parser, "--sheet")?),
            _ => self.mapping = parse_mapping(&value(parser, "--columns")?).map_err(|e| e.to_string())?,
        }
        Ok(())
    }

    /// `--sheet` and `--columns` mean nothing without a list.
    pub fn check_alone(&self) -> Result<(), String> {
        if self.file.is_none() && (self.sheet.is_some() || !self.mapping.is_empty()) {
            return Err("--sheet and --columns go with --companies FILE".into());
        }
        Ok(())
    }
}

/// The list read and its columns found.
pub struct List {
    pub shown: String,
    pub table: Table,
    pub columns: Columns,
}

pub fn load(source: &ListSource) -> Result<List, String> {
    let path = source.file.as_ref().ok_or("--companies FILE is required")?;
    let shown = path.display().to_string();
    let size = std::fs::metadata(path).map_err(|e| format!("{shown}: cannot read: {e}"))?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!("{shown}: {size} bytes is not a company list (at most {MAX_FILE_BYTES})"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let table = read_table(&bytes, source.sheet.as_deref()).map_err(|e| format!("{shown}: {e}"))?;
    let columns = Columns::from_header(&table.headers, &source.mapping).map_err(|e| format!("{shown}: {e}"))?;
    Ok(List { shown, table, columns })
}

/// How a secret cell is shown: where it is and how long, e.g. `D3，16 个字符`.
pub fn secret_cell(lang: Lang, column: usize, row: usize, cell: Option<&Cell>) -> String {
    let length = cell.map_or(0, |c| c.text.chars().count());
    let at = format!("{}{row}", column_letters(column));
    match lang {
        Lang::Zh => format!("（{at} 单元格，{length} 个字符）"),
        Lang::En => format!("(cell {at}, {length} characters)"),
    }
}

/// A row's cells for display: secrets replaced by [`secret_cell`].
pub fn shown_cells(lang: Lang, columns: &Columns, row: usize, cells: &[Cell]) -> Vec<String> {
    let width = cells.len().max(columns.headers.len());
    (0..width)
        .map(|i| match cells.get(i) {
            Some(cell) if columns.is_secret(i) && !cell.text.is_empty() => secret_cell(lang, i, row, Some(cell)),
            Some(cell) => cell.text.clone(),
            None => String::new(),
        })
        .collect()
}

pub fn severity_word(lang: Lang, severity: Severity) -> &'static str {
    match (lang, severity) {
        (Lang::Zh, Severity::Error) => "错误",
        (Lang::Zh, Severity::Warning) => "警告",
        (Lang::Zh, Severity::Info) => "提示",
        (Lang::Zh, Severity::Ok) => "通过",
        (Lang::En, severity) => severity.as_str(),
    }
}

/// The list as CSV with two columns appended (a verdict and its message), for the customer to
/// open in Excel: UTF-8 with a BOM, which Excel needs to show Chinese; secrets masked.
pub fn to_csv(list: &List, lang: Lang, appended: [&str; 2], verdict: impl Fn(usize, &[Cell]) -> (String, String)) -> String {
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let width = list.columns.headers.len();
    let mut header: Vec<String> = list.columns.headers.clone();
    header.extend(appended.iter().map(|s| s.to_string()));
    let mut write = |record: Vec<String>| writer.write_record(&record).expect("writing to memory cannot fail");
    write(header);
    for (row, cells) in &list.table.rows {
        let mut record = shown_cells(lang, &list.columns, *row, cells);
        record.resize(width.max(record.len()), String::new());
        let (word, message) = verdict(*row, cells);
        record.extend([word, message]);
        write(record);
    }
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    format!("\u{FEFF}{}", String::from_utf8(bytes).expect("written from strings"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_cell_is_shown_by_position_and_length_only() {
        let columns = Columns::from_header(&["企业名称".to_string(), "Client Secret".to_string()], &[]).unwrap();
        let shown = shown_cells(Lang::Zh, &columns, 7, &[Cell::text("甲公司"), Cell::text("abcdefgh")]);
        assert_eq!(shown, ["甲公司", "（B7 单元格，8 个字符）"]);
        assert_eq!(secret_cell(Lang::En, 27, 3, Some(&Cell::text("xyz"))), "(cell AB3, 3 characters)");
    }
}
