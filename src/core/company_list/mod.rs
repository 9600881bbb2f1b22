//! A company key list — what implementers receive from the activation mail or the customer's
//! spreadsheet: one company per row (企业名称, 企业税号, Client id, Client Secret, Encrypt Key, and
//! sometimes the url). The guide's group with 100 tax numbers needs "100个企业要配置100个不同的
//! 密钥"; this checks the whole list before anyone types it into the console.
//!
//! - [`Columns::from_header`] finds each column by its header, matched like the console's labels
//!   (the labels of guide/fields.toml), with the admin's own mapping first;
//! - [`ListChecker`] checks row after row with the console's field rules, plus what only a list
//!   shows (the same tax id or Client id twice, one name with two tax ids, environments mixed);
//! - [`compare`] sets the list against the rows of the console's grid (the panel's 对照清单).
//!
//! Reading the file itself (CSV in any encoding Excel writes, XLSX) is [`read`], behind the
//! `company-files` feature: the console page never carries those parsers. Nothing here keeps a
//! secret cell's value: it is validated and dropped, and shown as its cell and length only.

pub mod compare;
#[cfg(feature = "company-files")]
pub mod read;

use std::collections::HashMap;

use serde::Serialize;

use super::guide;
use super::validate::chars::normalize_for_match;
use super::validate::{ids, validate_field, Context, Finding, Severity};

pub use compare::{compare, pager_total, CompareState, Compared, Comparison, GridRow, Mismatch};

/// What a column of the list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Name,
    TaxId,
    ClientId,
    ClientSecret,
    EncryptKey,
    Url,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::Name, Role::TaxId, Role::ClientId, Role::ClientSecret, Role::EncryptKey, Role::Url];

    /// The name `--columns` and the JSON output use.
    pub fn key(self) -> &'static str {
        match self {
            Role::Name => "name",
            Role::TaxId => "tax_id",
            Role::ClientId => "client_id",
            Role::ClientSecret => "client_secret",
            Role::EncryptKey => "encrypt_key",
            Role::Url => "url",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key.trim())
    }

    /// The console field whose rules check this column: the company as 企业信息 holds it, the
    /// keys as 费报 发票云配置 holds one company's keys, the url as 发票云授权配置 does.
    pub fn field(self) -> &'static str {
        match self {
            Role::Name => "enterprise.name",
            Role::TaxId => "enterprise.tax_id",
            Role::ClientId => "expense.client_id",
            Role::ClientSecret => "expense.client_secret",
            Role::EncryptKey => "expense.encrypt_key",
            Role::Url => "auth.url",
        }
    }

    /// Every field whose labels name this column in a header (企业税号, 纳税人识别号, 发票云授权标识…).
    fn label_fields(self) -> &'static [&'static str] {
        match self {
            Role::Name => &["enterprise.name", "expense.name"],
            Role::TaxId => &["enterprise.tax_id", "expense.tax_id"],
            Role::ClientId => &["auth.client_id", "expense.client_id"],
            Role::ClientSecret => &["auth.client_secret", "expense.client_secret"],
            Role::EncryptKey => &["auth.encrypt_key", "expense.encrypt_key"],
            Role::Url => &["auth.url"],
        }
    }

    pub fn is_secret(self) -> bool {
        guide::field(self.field()).is_some_and(|f| f.secret)
    }

    /// How the console labels it, for messages.
    pub fn label(self) -> &'static str {
        // The first field's first label: 企业名称, 企业税号, Client id, Client Secret, Encrypt Key, url.
        guide::field(self.label_fields()[0]).and_then(|f| f.labels.first().copied()).unwrap_or(self.key())
    }

    /// Whether a header cell names this column: a label of its fields or one of their keys.
    fn named_by(self, header: &str) -> bool {
        let header = guide::label_for_match(header);
        !header.is_empty()
            && self.label_fields().iter().filter_map(|id| guide::field(id)).any(|f| {
                f.labels.iter().any(|l| normalize_for_match(l) == header) || f.key == header || f.console_keys.contains(&header.as_str())
            })
    }
}

/// Which column of the file holds what. Columns no role names are ignored (a 备注 column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Columns {
    /// The file's header cells, as written.
    pub headers: Vec<String>,
    /// `(role, column index)`, in the order of [`Role::ALL`].
    pub found: Vec<(Role, usize)>,
}

/// Why a header cannot be read as a company list. Shown to the admin as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// Neither 企业名称 nor 企业税号: nothing identifies a company.
    NoCompanyColumn { headers: Vec<String> },
    /// Two columns would hold the same thing.
    Twice { role: Role, first: String, second: String },
    /// `--columns` names a header the file does not have, or a role that does not exist.
    BadMapping { mapping: String },
}

impl std::fmt::Display for HeaderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HeaderError::NoCompanyColumn { headers } => write!(
                f,
                "no 企业名称 or 企业税号 column in the header ({}); name one with --columns \"HEADER=tax_id\"",
                headers.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>().join(", ")
            ),
            HeaderError::Twice { role, first, second } => write!(
                f,
                "both {first:?} and {second:?} would be the {} column; choose one with --columns \"{first}={}\"",
                role.label(),
                role.key()
            ),
            HeaderError::BadMapping { mapping } => write!(
                f,
                "--columns: {mapping:?} is not HEADER=ROLE with a header of the file and a role of {}",
                Role::ALL.map(Role::key).join(", ")
            ),
        }
    }
}

/// Reads `--columns "税务登记号=tax_id,公司=name"`.
pub fn parse_mapping(text: &str) -> Result<Vec<(String, Role)>, HeaderError> {
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            let bad = || HeaderError::BadMapping { mapping: part.to_string() };
            let (header, role) = part.rsplit_once('=').ok_or_else(bad)?;
            let role = Role::from_key(role).ok_or_else(bad)?;
            Ok((header.trim().to_string(), role))
        })
        .collect()
}

impl Columns {
    /// Finds the columns: the admin's mapping first, then each header matched like a label.
    pub fn from_header(headers: &[String], mapping: &[(String, Role)]) -> Result<Columns, HeaderError> {
        let mut found: Vec<(Role, usize)> = Vec::new();
        for (header, role) in mapping {
            let index = headers
                .iter()
                .position(|h| h.trim() == header)
                .ok_or_else(|| HeaderError::BadMapping { mapping: format!("{header}={}", role.key()) })?;
            found.retain(|(r, _)| r != role);
            found.push((*role, index));
        }
        for (index, header) in headers.iter().enumerate() {
            if found.iter().any(|(_, i)| *i == index) {
                continue;
            }
            let Some(role) = Role::ALL.into_iter().find(|r| r.named_by(header)) else { continue };
            if mapping.iter().any(|(_, r)| *r == role) {
                continue;
            }
            if let Some((_, first)) = found.iter().find(|(r, _)| *r == role) {
                return Err(HeaderError::Twice { role, first: headers[*first].clone(), second: header.clone() });
            }
            found.push((role, index));
        }
        if !found.iter().any(|(r, _)| matches!(r, Role::Name | Role::TaxId)) {
            return Err(HeaderError::NoCompanyColumn { headers: headers.to_vec() });
        }
        found.sort();
        Ok(Columns { headers: headers.to_vec(), found })
    }

    pub fn index(&self, role: Role) -> Option<usize> {
        self.found.iter().find(|(r, _)| *r == role).map(|(_, i)| *i)
    }

    pub fn has(&self, role: Role) -> bool {
        self.index(role).is_some()
    }

    /// The header of a role's column, as the file writes it.
    pub fn header(&self, role: Role) -> Option<&str> {
        self.index(role).map(|i| self.headers[i].as_str())
    }

    /// A row's cell of a role's column, when the file has the column and the row the cell.
    pub fn cell<'a>(&self, role: Role, cells: &'a [Cell]) -> Option<&'a Cell> {
        self.index(role).and_then(|i| cells.get(i))
    }

    /// Whether column `index` holds a secret (Client Secret, Encrypt Key).
    pub fn is_secret(&self, index: usize) -> bool {
        self.found.iter().any(|(role, i)| *i == index && role.is_secret())
    }
}

/// One cell as read from the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// Stored as a number (XLSX): a long tax id lost its last digits in Excel.
    pub number: bool,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), number: false }
    }
}

/// A spreadsheet column's letters (0 → A, 26 → AA), so that a cell is named as Excel names it.
pub fn column_letters(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// A row's company, as the list-wide checks compare it. Values trimmed; never a secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ListCompany {
    /// The row number as the spreadsheet shows it (the header is row 1 on most lists).
    pub row: usize,
    pub name: String,
    pub tax_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub client_id: String,
}

/// How many texts [`ListCompany::texts`] gives per company: row, name, tax id, Client id.
pub const COMPANY_TEXTS: usize = 4;

impl ListCompany {
    /// The company as plain texts, the way the list module hands it to the page.
    pub fn texts(self) -> [String; COMPANY_TEXTS] {
        [self.row.to_string(), self.name, self.tax_id, self.client_id]
    }

    /// Back from [`Self::texts`].
    pub fn from_texts([row, name, tax_id, client_id]: &[String; COMPANY_TEXTS]) -> ListCompany {
        ListCompany { row: row.parse().unwrap_or(0), name: name.clone(), tax_id: tax_id.clone(), client_id: client_id.clone() }
    }
}

/// What the checker says about one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowReport {
    pub row: usize,
    pub company: ListCompany,
    /// `(role, finding)`: the console's rules and the list's, worst first.
    pub findings: Vec<(Role, Finding)>,
}

impl RowReport {
    pub fn severity(&self) -> Severity {
        self.findings.iter().map(|(_, f)| f.severity).max().unwrap_or(Severity::Ok)
    }
}

/// The whole list's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListReport {
    pub columns: Columns,
    /// Rows with a company (empty rows are skipped).
    pub rows: usize,
    /// Rows with something to say (severity above ok), in file order.
    pub problems: Vec<RowReport>,
}

impl ListReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.problems.iter().flat_map(|r| &r.findings).filter(|(_, f)| f.severity == severity).count()
    }

    /// The report of row `row`, if it has one.
    pub fn row(&self, row: usize) -> Option<&RowReport> {
        self.problems.binary_search_by_key(&row, |r| r.row).ok().map(|i| &self.problems[i])
    }
}

/// Excel keeps 15 significant digits: an 18-digit tax id typed into a number cell is stored with
/// its last digits as zeros, and a CSV saved from it says `9.14403E+17`.
const EXCEL_DIGITS: f64 = 1e15;

/// Whether a tax id cell shows Excel's number damage.
fn tax_id_as_number(cell: &Cell) -> bool {
    let text = cell.text.trim();
    let scientific = {
        let upper = text.to_ascii_uppercase();
        match upper.split_once("E+") {
            Some((mantissa, exponent)) => {
                !mantissa.is_empty()
                    && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
                    && !exponent.is_empty()
                    && exponent.chars().all(|c| c.is_ascii_digit())
            }
            None => false,
        }
    };
    scientific || (cell.number && text.parse::<f64>().is_ok_and(|n| n.abs() >= EXCEL_DIGITS))
}

/// Checks a list row by row in one pass. Each company (never a secret) is kept once, with indexes
/// by tax id, name and Client id, so that a list of 50,000 rows stays a few megabytes.
pub struct ListChecker {
    columns: Columns,
    companies: Vec<ListCompany>,
    reports: Vec<RowReport>,
    by_tax_id: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    by_client_id: HashMap<String, usize>,
    /// `(row, is test environment)` of rows whose url names one.
    environments: Vec<(usize, bool)>,
}

impl ListChecker {
    pub fn new(columns: Columns) -> ListChecker {
        ListChecker {
            columns,
            companies: Vec::new(),
            reports: Vec::new(),
            by_tax_id: HashMap::new(),
            by_name: HashMap::new(),
            by_client_id: HashMap::new(),
            environments: Vec::new(),
        }
    }

    /// The company a row describes, without its secrets; `None` for a row with no value at all.
    pub fn company(columns: &Columns, row: usize, cells: &[Cell]) -> Option<ListCompany> {
        if cells.iter().all(|c| c.text.trim().is_empty()) {
            return None;
        }
        let value = |role| columns.cell(role, cells).map_or("", |c| c.text.trim());
        Some(ListCompany {
            row,
            name: value(Role::Name).to_string(),
            tax_id: value(Role::TaxId).to_string(),
            client_id: value(Role::ClientId).to_string(),
        })
    }

    /// Checks row `row` (the spreadsheet's number). Empty rows are skipped.
    pub fn push(&mut self, row: usize, cells: &[Cell]) {
        let Some(company) = Self::company(&self.columns, row, cells) else { return };
        let mut ctx = Context::default();
        for (role, index) in &self.columns.found {
            ctx.set(role.field(), cells.get(*index).map_or("", |c| c.text.as_str()));
        }
        let mut findings: Vec<(Role, Finding)> = Vec::new();
        for &(role, index) in &self.columns.found {
            let value = cells.get(index).cloned().unwrap_or_default();
            if role == Role::TaxId && tax_id_as_number(&value) {
                findings.push((role, Finding::new(role.key(), ids::LIST_TAX_ID_AS_NUMBER, vec![("shown", value.text.trim().to_string())])));
                continue;
            }
            let checked = validate_field(role.field(), &value.text, &ctx);
            if role == Role::Url {
                let test = checked.iter().find_map(|f| match f.rule {
                    ids::URL_TEST | ids::URL_DEV_WITHOUT_TEST => Some(true),
                    ids::URL_PRODUCTION => Some(false),
                    _ => None,
                });
                if let Some(test) = test {
                    self.environments.push((row, test));
                }
            }
            // Ok findings confirm a value; the list reports what needs attention.
            findings.extend(
                checked.into_iter().filter(|f| f.severity > Severity::Ok).map(|f| (role, Finding { field: role.key().to_string(), ..f })),
            );
        }
        let index = self.companies.len();
        self.companies.push(company);
        findings.extend(self.against_earlier_rows(index));
        self.remember(index);
        if !findings.is_empty() {
            let company = self.companies[index].clone();
            self.reports.push(RowReport { row, company, findings });
        }
    }

    /// The list's own checks for one company against the rows before it; the earlier row is
    /// marked too, so that both rows of a conflict say which other row they conflict with.
    fn against_earlier_rows(&mut self, index: usize) -> Vec<(Role, Finding)> {
        let company = &self.companies[index];
        let tax_key = company.tax_id.to_ascii_uppercase();
        let name_key = normalize_for_match(&company.name);
        let mut found = Vec::new();
        let mut earlier: Vec<(usize, Role, Finding)> = Vec::new();
        let row = |i: usize| self.companies[i].row.to_string();
        if let Some(&other) = self.by_tax_id.get(&tax_key).filter(|_| !tax_key.is_empty()) {
            let name = &self.companies[other].name;
            if *name == company.name {
                found.push((Role::TaxId, Finding::new(Role::TaxId.key(), ids::LIST_DUPLICATE_ROW, vec![("row", row(other))])));
            } else if !name.is_empty() && !company.name.is_empty() {
                found.push((
                    Role::Name,
                    Finding::new(Role::Name.key(), ids::LIST_TAX_ID_TWO_NAMES, vec![("row", row(other)), ("name", name.clone())]),
                ));
                earlier.push((
                    other,
                    Role::Name,
                    Finding::new(Role::Name.key(), ids::LIST_TAX_ID_TWO_NAMES, vec![("row", row(index)), ("name", company.name.clone())]),
                ));
            }
        }
        if let Some(&other) = self.by_name.get(&name_key).filter(|_| !name_key.is_empty()) {
            let tax_id = &self.companies[other].tax_id;
            if !tax_id.is_empty() && !tax_key.is_empty() && tax_id.to_ascii_uppercase() != tax_key {
                found.push((
                    Role::TaxId,
                    Finding::new(Role::TaxId.key(), ids::LIST_NAME_TWO_TAX_IDS, vec![("row", row(other)), ("tax_id", tax_id.clone())]),
                ));
                earlier.push((
                    other,
                    Role::TaxId,
                    Finding::new(
                        Role::TaxId.key(),
                        ids::LIST_NAME_TWO_TAX_IDS,
                        vec![("row", row(index)), ("tax_id", company.tax_id.clone())],
                    ),
                ));
            }
        }
        if let Some(&other) = self.by_client_id.get(&company.client_id).filter(|_| !company.client_id.is_empty()) {
            // The same company repeated is reported once, as a repeated row.
            let same_company = !tax_key.is_empty() && self.companies[other].tax_id.to_ascii_uppercase() == tax_key;
            if !same_company {
                found.push((Role::ClientId, Finding::new(Role::ClientId.key(), ids::LIST_CLIENT_ID_SHARED, vec![("row", row(other))])));
                earlier.push((
                    other,
                    Role::ClientId,
                    Finding::new(Role::ClientId.key(), ids::LIST_CLIENT_ID_SHARED, vec![("row", row(index))]),
                ));
            }
        }
        for (other, role, finding) in earlier {
            self.mark(other, role, finding);
        }
        found
    }

    /// Adds a finding to an earlier company's row, once per rule (a tax id on ten rows names the
    /// first repeat on the first row, not nine).
    fn mark(&mut self, index: usize, role: Role, finding: Finding) {
        let company = &self.companies[index];
        let at = match self.reports.binary_search_by_key(&company.row, |r| r.row) {
            Ok(at) => at,
            Err(at) => {
                self.reports.insert(at, RowReport { row: company.row, company: company.clone(), findings: Vec::new() });
                at
            }
        };
        let report = &mut self.reports[at];
        if !report.findings.iter().any(|(_, f)| f.rule == finding.rule) {
            report.findings.push((role, finding));
        }
    }

    /// The first row of each tax id, name and Client id stays the one later rows are compared with.
    fn remember(&mut self, index: usize) {
        let company = &self.companies[index];
        let keys = [
            (&mut self.by_tax_id, company.tax_id.to_ascii_uppercase()),
            (&mut self.by_name, normalize_for_match(&company.name)),
            (&mut self.by_client_id, company.client_id.clone()),
        ];
        for (map, key) in keys {
            if !key.is_empty() {
                map.entry(key).or_insert(index);
            }
        }
    }

    /// Environments mixed: the rows of the smaller side are marked (a tie marks the test rows).
    fn mixed_environments(&mut self) {
        let tests = self.environments.iter().filter(|(_, test)| *test).count();
        let productions = self.environments.len() - tests;
        if tests == 0 || productions == 0 {
            return;
        }
        let odd_is_test = tests <= productions;
        let (rule, count) =
            if odd_is_test { (ids::LIST_TEST_AMONG_PRODUCTION, productions) } else { (ids::LIST_PRODUCTION_AMONG_TEST, tests) };
        let odd: Vec<usize> = self.environments.iter().filter(|(_, test)| *test == odd_is_test).map(|(row, _)| *row).collect();
        for row in odd {
            let Ok(index) = self.companies.binary_search_by_key(&row, |c| c.row) else { continue };
            let finding = Finding::new(Role::Url.key(), rule, vec![("count", count.to_string())]);
            self.mark(index, Role::Url, finding);
        }
    }

    pub fn finish(mut self) -> ListReport {
        self.mixed_environments();
        for report in &mut self.reports {
            report.findings.sort_by(|(ra, a), (rb, b)| b.severity.cmp(&a.severity).then(ra.cmp(rb)));
        }
        ListReport { columns: self.columns, rows: self.companies.len(), problems: self.reports }
    }
}

/// Checks a whole list already read: its columns, then `(row number, cells)` in file order.
pub fn check_list<C: AsRef<[Cell]>>(columns: Columns, rows: impl IntoIterator<Item = (usize, C)>) -> ListReport {
    let mut checker = ListChecker::new(columns);
    for (row, cells) in rows {
        checker.push(row, cells.as_ref());
    }
    checker.finish()
}

#[cfg(test)]
mod tests;
