//! Generated company lists: valid tax ids (GB 32100 with the GB 11714 organisation code), and the
//! files Excel writes (CSV in UTF-8, UTF-8 with BOM and GBK; XLSX).

use piaozone_assist::core::validate::with_check_characters;

/// The `n`th valid unified social credit code of a company registered in Shenzhen (91 440300 …).
pub fn tax_id(n: usize) -> String {
    with_check_characters(&format!("91440300{:08}", 10_000_000 + n)).unwrap()
}

/// One company of a generated list: name, tax id, Client id, Client Secret, Encrypt Key (16).
pub fn company(n: usize) -> [String; 5] {
    [format!("深圳市测试{n}号科技有限公司"), tax_id(n), format!("pz_list_{n}"), format!("list-secret-{n}"), format!("ListKey{n:09}")]
}

pub const HEADER: [&str; 5] = ["企业名称", "纳税人识别号", "Client id", "Client Secret", "Encrypt Key"];

/// CSV text, CRLF lines as Excel writes them; cells with a comma or quote are quoted.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let quote = |cell: &str| if cell.contains([',', '"', '\n']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell.to_string() };
    let mut text = header.iter().map(|h| quote(h)).collect::<Vec<_>>().join(",") + "\r\n";
    for row in rows {
        text += &(row.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",") + "\r\n");
    }
    text
}

/// The same list as GBK bytes (Excel on Chinese Windows, "CSV (逗号分隔)").
pub fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

/// An XLSX workbook with the list on sheet `sheet`, after an empty first sheet when `second`;
/// a cell given as `=n:DIGITS` is written as a number, as Excel stores an unformatted tax id.
pub fn xlsx(header: &[&str], rows: &[Vec<String>], sheet: &str, second: bool) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    if second {
        workbook.add_worksheet().set_name("说明").unwrap().write_string(0, 0, "客户提供的密钥清单").unwrap();
    }
    let worksheet = workbook.add_worksheet().set_name(sheet).unwrap();
    for (c, h) in header.iter().enumerate() {
        worksheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell.strip_prefix("=n:") {
                Some(number) => worksheet.write_number(r, c, number.parse::<f64>().unwrap()).unwrap(),
                None => worksheet.write_string(r, c, cell).unwrap(),
            };
        }
    }
    workbook.save_to_buffer().unwrap()
}
