//! 对照清单: the console's grid (企业信息 or 费报 发票云配置, as a list) set against a company key
//! list. A grid row is matched to a list row by tax id, else by name; what differs is marked on
//! the grid row, and list rows whose tax id and name no grid row shows are "not yet in the console".

use std::collections::HashMap;

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::ListCompany;
use crate::core::validate::chars::normalize_for_match;
use crate::core::validate::{ids, Finding};

/// One row of the console's grid, as read from its cells (values as shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GridRow {
    /// Its position among the grid's data rows, from 0.
    pub index: usize,
    pub name: String,
    pub tax_id: String,
    /// Shown by 费报 发票云配置 (发票云授权标识); empty where the grid has no such column.
    pub client_id: String,
}

/// What differs between a grid row and the list row it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mismatch {
    /// Same tax id, another name: the list says `list.name`.
    NameDiffers { grid_row: usize, list: ListCompany },
    /// Same name, another tax id.
    TaxIdDiffers { grid_row: usize, list: ListCompany },
    /// Same company, another Client id.
    ClientIdDiffers { grid_row: usize, list: ListCompany },
}

impl Mismatch {
    pub fn grid_row(&self) -> usize {
        match self {
            Mismatch::NameDiffers { grid_row, .. }
            | Mismatch::TaxIdDiffers { grid_row, .. }
            | Mismatch::ClientIdDiffers { grid_row, .. } => *grid_row,
        }
    }

    /// What the grid row's mark says (guide/rules.toml `compare.*`).
    pub fn finding(&self) -> Finding {
        let row = |list: &ListCompany| ("row", list.row.to_string());
        match self {
            Mismatch::NameDiffers { list, .. } => {
                Finding::new("name", ids::COMPARE_NAME_DIFFERS, vec![row(list), ("name", list.name.clone())])
            }
            Mismatch::TaxIdDiffers { list, .. } => {
                Finding::new("tax_id", ids::COMPARE_TAX_ID_DIFFERS, vec![row(list), ("tax_id", list.tax_id.clone())])
            }
            Mismatch::ClientIdDiffers { list, .. } => {
                Finding::new("client_id", ids::COMPARE_CLIENT_ID_DIFFERS, vec![row(list), ("client_id", list.client_id.clone())])
            }
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub mismatches: Vec<Mismatch>,
    /// List rows no grid row matched, in list order.
    pub missing: Vec<ListCompany>,
    /// Grid rows that match the list exactly.
    pub matching: usize,
    /// Grid rows the list does not mention (the console may hold more companies than the list).
    pub unlisted: usize,
}

/// Where 对照清单 is on a page (the side panel shows the page's own, so it travels as data).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub enum CompareState {
    #[default]
    Idle,
    Reading {
        file: String,
    },
    Failed {
        file: String,
        reason: String,
    },
    Done(Rc<Compared>),
}

/// A finished comparison of this page's grid with a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    pub file: String,
    pub list_rows: usize,
    pub grid_rows: usize,
    /// The pager's total, when the grid shows only a page of it.
    pub grid_total: Option<usize>,
    pub comparison: Comparison,
}

/// The total a grid's pager shows (`共 128 条`, `Total 128`), to tell a page of the grid from all of it.
pub fn pager_total(text: &str) -> Option<usize> {
    let after = text.split_once('共').map(|(_, rest)| rest).or_else(|| text.split_once("Total").map(|(_, rest)| rest))?;
    let digits: String = after.trim_start().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn tax_key(tax_id: &str) -> String {
    tax_id.trim().to_ascii_uppercase()
}

/// The first list row of each key (keys of empty values left out).
fn index<'a>(rows: impl Iterator<Item = (usize, String)> + 'a) -> HashMap<String, usize> {
    let mut keys = HashMap::new();
    for (i, key) in rows.filter(|(_, key)| !key.is_empty()) {
        keys.entry(key).or_insert(i);
    }
    keys
}

/// Compares; linear in both sizes.
pub fn compare(list: &[ListCompany], grid: &[GridRow]) -> Comparison {
    let by_tax_id = index(list.iter().enumerate().map(|(i, c)| (i, tax_key(&c.tax_id))));
    let by_name = index(list.iter().enumerate().map(|(i, c)| (i, normalize_for_match(&c.name))));
    let mut comparison = Comparison::default();
    for row in grid {
        let by_tax = by_tax_id.get(&tax_key(&row.tax_id));
        let by_name = by_name.get(&normalize_for_match(&row.name));
        let Some(&i) = by_tax.or(by_name) else {
            comparison.unlisted += 1;
            continue;
        };
        let company = &list[i];
        let mismatch = if by_tax.is_some() && !company.name.is_empty() && company.name != row.name.trim() {
            Some(Mismatch::NameDiffers { grid_row: row.index, list: company.clone() })
        } else if by_tax.is_none() && !company.tax_id.is_empty() {
            Some(Mismatch::TaxIdDiffers { grid_row: row.index, list: company.clone() })
        } else if !company.client_id.is_empty() && !row.client_id.trim().is_empty() && company.client_id != row.client_id.trim() {
            Some(Mismatch::ClientIdDiffers { grid_row: row.index, list: company.clone() })
        } else {
            None
        };
        match mismatch {
            Some(mismatch) => comparison.mismatches.push(mismatch),
            None => comparison.matching += 1,
        }
    }
    // Missing: neither the tax id nor the name is on any grid row (a repeated list row of a
    // company the grid shows is not missing).
    let grid_tax_ids = index(grid.iter().map(|r| (r.index, tax_key(&r.tax_id))));
    let grid_names = index(grid.iter().map(|r| (r.index, normalize_for_match(&r.name))));
    comparison.missing = list
        .iter()
        .filter(|c| !grid_tax_ids.contains_key(&tax_key(&c.tax_id)) && !grid_names.contains_key(&normalize_for_match(&c.name)))
        .cloned()
        .collect();
    comparison
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(row: usize, name: &str, tax_id: &str, client_id: &str) -> ListCompany {
        ListCompany { row, name: name.into(), tax_id: tax_id.into(), client_id: client_id.into() }
    }

    fn grid(index: usize, name: &str, tax_id: &str) -> GridRow {
        GridRow { index, name: name.into(), tax_id: tax_id.into(), client_id: String::new() }
    }

    #[test]
    fn each_difference_is_marked_on_its_grid_row_and_missing_rows_are_listed() {
        let list = [
            company(2, "金蝶软件（中国）有限公司", "91440300715200986X", "pz_a"),
            company(3, "深圳市测试科技有限公司", "91440300MA5F000001", "pz_b"),
            company(4, "广州某某贸易有限公司", "91440101MA59000002", "pz_c"),
            company(5, "未导入公司", "91110000100000000X", ""),
        ];
        let rows = [
            grid(0, "金蝶软件(中国)有限公司", "91440300715200986x"),
            grid(1, "深圳市测试科技有限公司", "91440300MA5F000009"),
            GridRow {
                index: 2, name: "广州某某贸易有限公司".into(), tax_id: "91440101MA59000002".into(), client_id: "pz_x".into()
            },
            grid(3, "列表之外的公司", "91310000000000000A"),
        ];
        let result = compare(&list, &rows);
        assert_eq!(
            result.mismatches,
            [
                Mismatch::NameDiffers { grid_row: 0, list: list[0].clone() },
                Mismatch::TaxIdDiffers { grid_row: 1, list: list[1].clone() },
                Mismatch::ClientIdDiffers { grid_row: 2, list: list[2].clone() },
            ]
        );
        assert_eq!(result.missing, [list[3].clone()]);
        assert_eq!(
            result.mismatches[0].finding().message(crate::core::i18n::Lang::Zh),
            "企业名称与清单第 2 行不同，清单为“金蝶软件（中国）有限公司”。"
        );
        assert_eq!((result.matching, result.unlisted), (0, 1));
    }

    #[test]
    fn a_pagers_total_is_read_in_both_languages() {
        assert_eq!(pager_total("共 128 条"), Some(128));
        assert_eq!(pager_total("Total 7 items"), Some(7));
        assert_eq!(pager_total("第 1 页"), None);
    }

    #[test]
    fn the_first_list_row_of_a_repeated_company_is_the_one_compared_and_no_repeat_is_missing() {
        let list = [company(2, "甲公司", "T1", ""), company(3, "甲公司（改）", "T1", ""), company(4, "乙公司", "T2", "")];
        let result = compare(&list, &[grid(0, "甲公司", "T1")]);
        assert_eq!(result.matching, 1);
        assert_eq!(result.missing, [list[2].clone()]);
    }

    #[test]
    fn an_identical_grid_has_nothing_to_mark() {
        let list = [company(2, "甲公司", "91440300715200986X", ""), company(3, "乙公司", "", "")];
        let rows = [grid(0, " 甲公司 ", "91440300715200986X"), grid(1, "乙公司", "")];
        let result = compare(&list, &rows);
        assert!(result.mismatches.is_empty() && result.missing.is_empty(), "{result:?}");
        assert_eq!(result.matching, 2);
    }
}
