//! Generated company lists: valid tax ids (GB 32100 with the GB 11714 organisation code, computed
//! here independently of the validator), and the files Excel writes (CSV in UTF-8, UTF-8 with BOM
//! and GBK; XLSX).

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

fn org_check(body: &[u8]) -> u8 {
    let weights = [3, 7, 9, 10, 5, 8, 4, 2];
    let value = |c: u8| if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') + 10 };
    let sum: u32 = body.iter().zip(weights).map(|(&c, w)| value(c) * w).sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        c => b'0' + c as u8,
    }
}

fn uscc_check(first17: &[u8]) -> u8 {
    let mut weight = 1u32;
    let mut sum = 0u32;
    for &c in first17 {
        sum += CHARSET.iter().position(|&x| x == c).unwrap() as u32 * weight;
        weight = weight * 3 % 31;
    }
    CHARSET[((31 - sum % 31) % 31) as usize]
}

/// The `n`th valid unified social credit code of a company registered in Shenzhen (91 440300 …).
pub fn tax_id(n: usize) -> String {
    let org8 = format!("{:08}", 10_000_000 + n);
    let mut code = format!("91440300{org8}").into_bytes();
    code.push(org_check(&code[8..16]));
    code.push(uscc_check(&code));
    String::from_utf8(code).unwrap()
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
