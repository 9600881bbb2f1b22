//! A company list file as rows of cells: CSV in the encodings Excel writes (UTF-8 with or without
//! BOM, GBK/GB18030 from Excel on Chinese Windows, UTF-16 "Unicode text" with tabs) and
//! spreadsheets (XLSX, XLS, ODS; the first sheet or a named one). The parsers are `csv`,
//! `encoding_rs` and `calamine`; this only picks between them and names rows as Excel does.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use encoding_rs::{Encoding, GB18030};

use super::Cell;

/// The file's header and rows, each row with its number as the spreadsheet shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<Cell>)>,
}

/// Zip (XLSX, ODS) and OLE (XLS) signatures: anything else is read as text.
fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Reads a list from its bytes. `sheet` names the worksheet of a spreadsheet (default: the
/// first). Errors say what to do and never quote a cell.
pub fn read_table(bytes: &[u8], sheet: Option<&str>) -> Result<Table, String> {
    let rows = if is_spreadsheet(bytes) { spreadsheet_rows(bytes, sheet)? } else { csv_rows(bytes)? };
    into_table(rows)
}

/// The first row with a value is the header; the rows after it are the data.
fn into_table(rows: Vec<(usize, Vec<Cell>)>) -> Result<Table, String> {
    let mut rows = rows.into_iter().skip_while(|(_, cells)| cells.iter().all(|c| c.text.trim().is_empty()));
    let (_, header) = rows.next().ok_or("the file has no rows: the first row must name the columns (企业名称, 企业税号, Client id …)")?;
    Ok(Table { headers: header.into_iter().map(|c| c.text.trim().to_string()).collect(), rows: rows.collect() })
}

/// The text of a CSV file: a BOM decides (UTF-8, UTF-16), else UTF-8 if it is valid, else
/// GB18030 (which reads GBK), what Excel on Chinese Windows saves as "CSV (逗号分隔)".
fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!("the file starts with a {} byte-order mark but is not {0} text", encoding.name()));
        }
        return Ok(text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(
            "the file is neither UTF-8 nor GBK text, nor a spreadsheet (XLSX, XLS, ODS): save it from Excel as CSV UTF-8 or as XLSX".into(),
        );
    }
    Ok(text.into_owned())
}

/// The separator the header line uses most: `,` (CSV), tab (Excel's "Unicode text") or `;`
/// (Excel with a comma as the decimal sign).
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [b',', b'\t', b';'].into_iter().max_by_key(|d| (first.matches(*d as char).count(), *d == b',')).unwrap_or(b',')
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<(usize, Vec<Cell>)>, String> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter(&text)).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The row as Excel numbers it: the lines before the record's first character (csv skips
    // empty lines and its own line count lags on CRLF), less the line breaks inside earlier cells,
    // which Excel shows within their row. Counted incrementally: linear in the file.
    let (mut counted_to, mut lines_before, mut breaks_before) = (0, 0, 0);
    let bytes = text.as_bytes();
    for record in reader.records() {
        // The position only: the csv error's text may quote the line, which may hold a secret.
        let record = record.map_err(|e| {
            let byte = e.position().map_or(0, |p| p.byte() as usize).min(bytes.len());
            format!(
                "line {}: not CSV (a quote is not closed, or the row cannot be split)",
                bytes[..byte].iter().filter(|b| **b == b'\n').count() + 1
            )
        })?;
        let mut start = record.position().map_or(0, |p| p.byte() as usize).min(bytes.len()).max(counted_to);
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        lines_before += bytes[counted_to..start].iter().filter(|b| **b == b'\n').count();
        counted_to = start;
        rows.push((lines_before + 1 - breaks_before, record.iter().map(Cell::text).collect()));
        breaks_before += record.iter().map(|field| field.matches('\n').count()).sum::<usize>();
    }
    Ok(rows)
}

fn spreadsheet_rows(bytes: &[u8], sheet: Option<&str>) -> Result<Vec<(usize, Vec<Cell>)>, String> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a readable spreadsheet ({e}); save it from Excel as XLSX or CSV UTF-8"))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .ok_or_else(|| format!("no sheet {wanted:?}; the sheets are {}", quoted(&names)))?
            .clone(),
        None => names.first().ok_or("the spreadsheet has no sheet")?.clone(),
    };
    let range = workbook.worksheet_range(&name).map_err(|e| format!("sheet {name:?}: {e}"))?;
    // Rows are numbered as Excel numbers them, wherever the used range starts.
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let first_column = range.start().map_or(0, |(_, column)| column as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row: Vec<Cell> = vec![Cell::default(); first_column];
            row.extend(cells.iter().map(cell));
            (first_row + i + 1, row)
        })
        .collect())
}

/// A cell's text as Excel shows it for a whole number (no `.0`); numbers are flagged, since a
/// tax id stored as a number has lost digits.
fn cell(data: &Data) -> Cell {
    match data {
        Data::String(text) => Cell::text(text.clone()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e21 => Cell { text: format!("{f:.0}"), number: true },
        Data::Float(_) | Data::Int(_) => Cell { text: data.to_string(), number: true },
        Data::Empty => Cell::default(),
        other => Cell::text(other.to_string()),
    }
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(table: &Table) -> Vec<(usize, Vec<String>)> {
        table.rows.iter().map(|(n, cells)| (*n, cells.iter().map(|c| c.text.clone()).collect())).collect()
    }

    const LIST: &str =
        "企业名称,企业税号,Client id\r\n金蝶软件（中国）有限公司,91440300715200986X,pz_a\r\n\r\n\"深圳,测试\",91440300MA5F000001,pz_b\r\n";

    #[test]
    fn utf8_with_and_without_bom_and_gbk_read_the_same() {
        let (gbk, _, unmappable) = GB18030.encode(LIST);
        assert!(!unmappable);
        for bytes in [LIST.as_bytes().to_vec(), [b"\xEF\xBB\xBF".as_slice(), LIST.as_bytes()].concat(), gbk.into_owned()] {
            let table = read_table(&bytes, None).unwrap();
            assert_eq!(table.headers, ["企业名称", "企业税号", "Client id"]);
            assert_eq!(
                texts(&table),
                [
                    (2, vec!["金蝶软件（中国）有限公司".to_string(), "91440300715200986X".into(), "pz_a".into()]),
                    (4, vec!["深圳,测试".to_string(), "91440300MA5F000001".into(), "pz_b".into()]),
                ]
            );
        }
    }

    #[test]
    fn utf16_unicode_text_with_tabs_is_read() {
        let text = "企业名称\t企业税号\n甲公司\t91440300715200986X\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let table = read_table(&bytes, None).unwrap();
        assert_eq!(table.headers, ["企业名称", "企业税号"]);
        assert_eq!(texts(&table), [(2, vec!["甲公司".to_string(), "91440300715200986X".into()])]);
    }

    #[test]
    fn bad_files_get_an_answer_that_says_what_to_do() {
        assert!(read_table(b"", None).unwrap_err().contains("no rows"));
        assert!(read_table(b"\x81\x30\xFF\xFF\xFE", None).unwrap_err().contains("XLSX"));
        assert!(read_table(b"PK\x03\x04garbage", None).unwrap_err().contains("spreadsheet"));
        let unclosed = read_table("企业名称\n\"金蝶".as_bytes(), None);
        assert!(unclosed.is_ok(), "csv reads an unclosed quote to the end: {unclosed:?}");
    }

    #[test]
    fn rows_are_numbered_as_excel_shows_them() {
        let table = read_table("企业名称,备注\n甲,\"两行\n备注\"\n乙,x\n".as_bytes(), None).unwrap();
        assert_eq!(table.rows.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn a_semicolon_list_is_split_on_semicolons() {
        let table = read_table("企业名称;企业税号\n甲;91440300715200986X\n".as_bytes(), None).unwrap();
        assert_eq!(table.headers, ["企业名称", "企业税号"]);
    }
}
