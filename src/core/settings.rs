//! The extension's own settings as the options page edits, exports and imports them: the UI
//! language, where the checklist lives, environments (rows of name, production and test base),
//! the token endpoints the connection test may call, and field bindings. Checked here, row by
//! row, so that nothing is saved until all of a section checks out, and every problem names its
//! row. None of them is a secret, and a settings file cannot carry one (unknown keys are refused).

use serde::{Deserialize, Serialize};

use super::bindings::{Bindings, FieldBinding, PageBinding};
use super::guide;
use super::i18n::Lang;
use super::piaozone::environments::same_base;
use super::piaozone::{rows_from_stored, EnvironmentRow, HttpUrl, Scheme, StoredEnvironment};
use super::validate::{validate_field, Context, Finding, Severity};
use serde_json::Value;

/// chrome.storage keys (local; the managed area holds the policy's under the same names, and
/// the console origins under [`MANAGED_CONSOLES_KEY`]).
pub const LANG_KEY: &str = "lang";
pub const CHECKLIST_KEY: &str = "checklist";
pub const ENVIRONMENTS_KEY: &str = "environments";
pub const TOKEN_ENDPOINTS_KEY: &str = "tokenEndpoints";
pub const BINDINGS_KEY: &str = "bindings";
pub const SITES_KEY: &str = "sites";
pub const MANAGED_CONSOLES_KEY: &str = "consoleOrigins";

/// The language settings: follow the console, or one of ours.
pub const LANG_SETTINGS: [&str; 3] = ["auto", "zh-CN", "en"];
/// Where the checklist lives.
pub const CHECKLIST_PLACES: [&str; 2] = ["side", "page"];

/// What is wrong with one row of a section, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// 1-based, as the page numbers its rows.
    pub row: usize,
    /// The column it is about (`name`, `production`, `test`, `host`, `port`, `target`, `value`).
    pub column: &'static str,
    pub zh: String,
    pub en: String,
}

impl RowProblem {
    fn new(row: usize, column: &'static str, zh: impl Into<String>, en: impl Into<String>) -> RowProblem {
        RowProblem { row, column, zh: zh.into(), en: en.into() }
    }

    /// What is wrong, in one language, without the row.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// `第 2 行：…` / `row 2: …`.
    pub fn shown(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("第 {} 行：{}", self.row, self.zh),
            Lang::En => format!("row {}: {}", self.row, self.en),
        }
    }
}

// ---- What is stored ------------------------------------------------------------------------

/// The options page's settings as chrome.storage.local holds them, read leniently: a value of
/// another shape reads as unset (the page shows the default and saves over it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stored {
    /// One of [`LANG_SETTINGS`].
    pub lang: String,
    /// One of [`CHECKLIST_PLACES`].
    pub checklist: String,
    pub environments: Vec<EnvironmentRow>,
    /// The environments are in the former `[{name, base}]` shape (the page saves them as rows).
    pub environments_former: bool,
    pub token_endpoints: Vec<String>,
    pub bindings: Bindings,
    /// Bindings text an older options page stored that does not check out: kept for the admin.
    pub bindings_unreadable: Option<String>,
    /// The console origins the admin enabled in the popup.
    pub sites: Vec<String>,
}

impl Stored {
    /// From `chrome.storage.local.get(null)`, as JSON.
    pub fn from_local(local: &Value) -> Stored {
        let lang = local.get(LANG_KEY).and_then(Value::as_str).filter(|lang| LANG_SETTINGS.contains(lang)).unwrap_or("auto");
        let checklist = local.get(CHECKLIST_KEY).and_then(Value::as_str).filter(|place| CHECKLIST_PLACES.contains(place)).unwrap_or("side");
        let (environments, environments_former) = environments_of(local.get(ENVIRONMENTS_KEY));
        let (bindings, bindings_unreadable) = match local.get(BINDINGS_KEY) {
            Some(Value::String(text)) => match Bindings::parse(text) {
                Ok(bindings) => (bindings, None),
                Err(_) => (Bindings::default(), Some(text.clone())),
            },
            Some(value) => (serde_json::from_value(value.clone()).unwrap_or_default(), None),
            None => (Bindings::default(), None),
        };
        Stored {
            lang: lang.into(),
            checklist: checklist.into(),
            environments,
            environments_former,
            token_endpoints: strings(local.get(TOKEN_ENDPOINTS_KEY)),
            bindings,
            bindings_unreadable,
            sites: strings(local.get(SITES_KEY)),
        }
    }

    /// What 导出 writes: everything but the sites (a console address belongs to one customer).
    pub fn file(&self) -> SettingsFile {
        SettingsFile {
            piaozone_assist_settings: SettingsFile::VERSION,
            lang: Some(self.lang.clone()),
            checklist: Some(self.checklist.clone()),
            environments: self.environments.clone(),
            token_endpoints: self.token_endpoints.clone(),
            bindings: self.bindings.clone(),
        }
    }
}

impl SettingsFile {
    /// The chrome.storage.local items an import writes (in one call: all of it or nothing).
    pub fn items(&self) -> Value {
        let mut items = serde_json::Map::new();
        if let Some(lang) = &self.lang {
            items.insert(LANG_KEY.into(), lang.clone().into());
        }
        if let Some(place) = &self.checklist {
            items.insert(CHECKLIST_KEY.into(), place.clone().into());
        }
        items.insert(ENVIRONMENTS_KEY.into(), serde_json::to_value(&self.environments).expect("plain data"));
        items.insert(TOKEN_ENDPOINTS_KEY.into(), serde_json::to_value(&self.token_endpoints).expect("plain data"));
        items.insert(BINDINGS_KEY.into(), serde_json::to_value(&self.bindings).expect("plain data"));
        Value::Object(items)
    }
}

/// What the enterprise policy sets (chrome.storage.managed): shown read-only, never exported.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    pub environments: Vec<EnvironmentRow>,
    pub token_endpoints: Vec<String>,
    pub bindings: Bindings,
    pub consoles: Vec<String>,
}

impl Policy {
    /// From `chrome.storage.managed.get(null)`, as JSON (`{}` without a policy).
    pub fn from_managed(managed: &Value) -> Policy {
        Policy {
            environments: environments_of(managed.get(ENVIRONMENTS_KEY)).0,
            token_endpoints: strings(managed.get(TOKEN_ENDPOINTS_KEY)),
            bindings: managed.get(BINDINGS_KEY).and_then(|value| serde_json::from_value(value.clone()).ok()).unwrap_or_default(),
            consoles: strings(managed.get(MANAGED_CONSOLES_KEY)),
        }
    }
}

/// Stored environments as rows, and whether any entry was in the former shape.
fn environments_of(value: Option<&Value>) -> (Vec<EnvironmentRow>, bool) {
    let entries: Vec<StoredEnvironment> = value.and_then(|value| serde_json::from_value(value.clone()).ok()).unwrap_or_default();
    let former = entries.iter().any(|entry| entry.base.is_some() && entry.production.is_none());
    (rows_from_stored(&entries), former)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value.and_then(|value| serde_json::from_value(value.clone()).ok()).unwrap_or_default()
}

// ---- Environments -------------------------------------------------------------------------

/// What the console's url validators say about one base as typed (the same rules as on the
/// 发票云授权配置 page); nothing for an empty cell.
pub fn base_findings(base: &str) -> Vec<Finding> {
    if base.trim().is_empty() {
        return Vec::new();
    }
    validate_field("auth.url", base, &Context::default())
}

/// The rows to save: fully blank rows dropped, cells trimmed; or every problem, by row.
pub fn checked_environments(rows: &[EnvironmentRow]) -> Result<Vec<EnvironmentRow>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut kept: Vec<(usize, EnvironmentRow)> = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let row = EnvironmentRow { name: row.name.trim().into(), production: row.production.trim().into(), test: row.test.trim().into() };
        if row == EnvironmentRow::default() {
            continue;
        }
        let number = index + 1;
        if row.name.is_empty() {
            problems.push(RowProblem::new(number, "name", "名称为空：给这组地址起个名字", "the name is empty: name this pair"));
        } else if let Some((other, _)) = kept.iter().find(|(_, kept)| kept.name.to_lowercase() == row.name.to_lowercase()) {
            problems.push(RowProblem::new(
                number,
                "name",
                format!("名称与第 {other} 行相同：每组环境用不同的名称"),
                format!("the same name as row {other}: give each pair its own name"),
            ));
        }
        if row.production.is_empty() {
            problems.push(RowProblem::new(number, "production", "正式环境地址为空", "the production base is empty"));
        }
        for (column, base) in [("production", &row.production), ("test", &row.test)] {
            if let Some(error) = base_findings(base).into_iter().find(|finding| finding.severity == Severity::Error) {
                problems.push(RowProblem::new(number, column, error.message(Lang::Zh), error.message(Lang::En)));
            } else if !base.is_empty() && HttpUrl::parse(base).is_none() {
                problems.push(RowProblem::new(number, column, "不是 http(s) 地址", "not an http(s) address"));
            }
        }
        if !row.test.is_empty() && same_base(&row.production, &row.test) {
            problems.push(RowProblem::new(
                number,
                "test",
                "测试环境地址与正式环境相同：两套密钥各有自己的地址",
                "the test base is the production base: each set of keys has its own address",
            ));
        }
        kept.push((number, row));
    }
    if problems.is_empty() {
        Ok(kept.into_iter().map(|(_, row)| row).collect())
    } else {
        Err(problems)
    }
}

// ---- Token endpoints ----------------------------------------------------------------------

/// A relay or proxy the connection test may call, as the options page edits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRow {
    /// `https` or `http`.
    pub scheme: String,
    pub host: String,
    /// Empty for the scheme's default.
    pub port: String,
}

impl Default for EndpointRow {
    fn default() -> EndpointRow {
        EndpointRow { scheme: "https".into(), host: String::new(), port: String::new() }
    }
}

impl EndpointRow {
    /// A stored origin split into its cells (what does not parse stays whole in the host cell,
    /// so that the admin sees it and can correct it).
    pub fn from_origin(origin: &str) -> EndpointRow {
        match HttpUrl::parse(origin) {
            Some(url) if url.path.is_empty() => EndpointRow {
                scheme: url.scheme.as_str().into(),
                host: url.host.clone(),
                port: if url.port == url.scheme.default_port() { String::new() } else { url.port.to_string() },
            },
            _ => EndpointRow { scheme: "https".into(), host: origin.into(), port: String::new() },
        }
    }

    /// `scheme://host[:port]`, or what is wrong with the cells (its `row` 0: the list numbers it).
    pub fn origin(&self) -> Result<String, RowProblem> {
        let host = self.host.trim();
        let host_ok = !host.is_empty()
            && (host.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-')
                || (host.starts_with('[')
                    && host.ends_with(']')
                    && host[1..host.len() - 1].chars().all(|c| c.is_ascii_hexdigit() || c == ':')));
        if !host_ok {
            return Err(RowProblem::new(
                0,
                "host",
                format!("主机名 {host:?} 不对：只写主机名，例如 relay.example.com（不带 http://、路径和端口）"),
                format!("host {host:?} is not a host name: write e.g. relay.example.com (no http://, path or port)"),
            ));
        }
        let scheme = match self.scheme.as_str() {
            "https" => Scheme::Https,
            "http" => Scheme::Http,
            other => {
                return Err(RowProblem::new(
                    0,
                    "scheme",
                    format!("协议 {other:?} 只能是 https 或 http"),
                    format!("scheme {other:?} must be https or http"),
                ))
            }
        };
        let port = self.port.trim();
        let port: u16 = match port {
            "" => scheme.default_port(),
            digits => digits.parse().ok().filter(|&port| port != 0).ok_or_else(|| {
                RowProblem::new(
                    0,
                    "port",
                    format!("端口 {digits:?} 应为 1–65535 的数字，或留空用默认端口"),
                    format!("port {digits:?} must be a number from 1 to 65535, or empty for the default"),
                )
            })?,
        };
        let url = HttpUrl { scheme, host: host.trim_matches(['[', ']']).to_lowercase(), port, path: String::new() };
        Ok(url.origin())
    }
}

/// The origins to save, each once, or every problem by row.
pub fn checked_endpoints(rows: &[EndpointRow]) -> Result<Vec<String>, Vec<RowProblem>> {
    let mut origins: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        match row.origin() {
            Ok(origin) if !origins.contains(&origin) => origins.push(origin),
            Ok(_) => {}
            Err(problem) => problems.push(RowProblem { row: index + 1, ..problem }),
        }
    }
    if problems.is_empty() {
        Ok(origins)
    } else {
        Err(problems)
    }
}

// ---- Bindings -----------------------------------------------------------------------------

/// What a binding row adds: a page's formId or marker text, a field's key or label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingKind {
    FormId,
    Marker,
    Key,
    Label,
}

impl BindingKind {
    pub const ALL: [BindingKind; 4] = [BindingKind::FormId, BindingKind::Marker, BindingKind::Key, BindingKind::Label];

    /// The name in the bindings' JSON (`form_ids`, …), also the option value on the page.
    pub fn as_str(self) -> &'static str {
        match self {
            BindingKind::FormId => "form_ids",
            BindingKind::Marker => "markers",
            BindingKind::Key => "keys",
            BindingKind::Label => "labels",
        }
    }

    pub fn named(text: &str) -> Option<BindingKind> {
        BindingKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// Whether it binds a page (else a field).
    pub fn of_page(self) -> bool {
        matches!(self, BindingKind::FormId | BindingKind::Marker)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (BindingKind::FormId, Lang::Zh) => "页面 formId",
            (BindingKind::Marker, Lang::Zh) => "页面标志文字",
            (BindingKind::Key, Lang::Zh) => "字段 key",
            (BindingKind::Label, Lang::Zh) => "字段标签",
            (BindingKind::FormId, Lang::En) => "page formId",
            (BindingKind::Marker, Lang::En) => "page marker text",
            (BindingKind::Key, Lang::En) => "field key",
            (BindingKind::Label, Lang::En) => "field label",
        }
    }
}

/// One added formId, marker, key or label: `target` is the page id or the field id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindingRow {
    pub kind: BindingKind,
    pub target: String,
    pub value: String,
}

/// The bindings as rows, pages first, in the bindings' own order.
pub fn binding_rows(bindings: &Bindings) -> Vec<BindingRow> {
    let mut rows = Vec::new();
    let mut add = |kind: BindingKind, target: &str, values: &[String]| {
        rows.extend(values.iter().map(|value| BindingRow { kind, target: target.into(), value: value.clone() }));
    };
    for (page, binding) in &bindings.pages {
        add(BindingKind::FormId, page, &binding.form_ids);
        add(BindingKind::Marker, page, &binding.markers);
    }
    for (field, binding) in &bindings.fields {
        add(BindingKind::Key, field, &binding.keys);
        add(BindingKind::Label, field, &binding.labels);
    }
    rows
}

/// `rows` with those of `more` they lack added at the end (a pasted snippet).
pub fn with_rows_added(mut rows: Vec<BindingRow>, more: Vec<BindingRow>) -> Vec<BindingRow> {
    for row in more {
        if !rows.contains(&row) {
            rows.push(row);
        }
    }
    rows
}

/// The bindings the rows make (fully blank rows dropped), checked by the same rules as a pasted
/// or policy snippet; or every problem, by row.
pub fn checked_bindings(rows: &[BindingRow]) -> Result<Bindings, Vec<RowProblem>> {
    let mut bindings = Bindings::default();
    let mut problems = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let (target, value) = (row.target.trim(), row.value.trim());
        if target.is_empty() && value.is_empty() {
            continue;
        }
        let number = index + 1;
        if value.is_empty() {
            problems.push(RowProblem::new(number, "value", "值为空", "the value is empty"));
            continue;
        }
        let mut one = Bindings::default();
        let values = vec![value.to_owned()];
        if row.kind.of_page() {
            let mut page = PageBinding::default();
            *if row.kind == BindingKind::FormId { &mut page.form_ids } else { &mut page.markers } = values;
            one.pages.insert(target.into(), page);
        } else {
            let mut field = FieldBinding::default();
            *if row.kind == BindingKind::Key { &mut field.keys } else { &mut field.labels } = values;
            one.fields.insert(target.into(), field);
        }
        match one.problem() {
            Some((zh, en)) => problems.push(RowProblem::new(number, "target", zh, en)),
            None => bindings = bindings.merged(one),
        }
    }
    if problems.is_empty() {
        Ok(bindings)
    } else {
        Err(problems)
    }
}

/// The pages and fields a row may bind, with their titles (for the row's choice list).
pub fn binding_targets(kind: BindingKind, lang: Lang) -> Vec<(&'static str, String)> {
    if kind.of_page() {
        guide::PAGES.iter().map(|page| (page.id, page.title.get(lang).to_owned())).collect()
    } else {
        guide::FIELDS.iter().map(|field| (field.id, field.labels.first().copied().unwrap_or(field.id).to_owned())).collect()
    }
}

// ---- The settings file --------------------------------------------------------------------

/// The file `导出` writes and `导入` reads: the options page's own settings (never the policy's,
/// never a site, never a secret: there is no place for one and unknown keys are refused).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SettingsFile {
    /// Names the file's kind and version: always [`SettingsFile::VERSION`].
    pub piaozone_assist_settings: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist: Option<String>,
    #[serde(default)]
    pub environments: Vec<EnvironmentRow>,
    #[serde(default)]
    pub token_endpoints: Vec<String>,
    #[serde(default)]
    pub bindings: Bindings,
}

impl SettingsFile {
    pub const VERSION: u32 = 1;
    pub const FILE_NAME: &'static str = "piaozone-assist-settings.json";

    pub fn to_text(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data serialises")
    }

    /// Reads and checks a settings file: all of it, or what is wrong (nothing of it is saved then).
    pub fn parse(text: &str) -> Result<SettingsFile, Vec<(String, String)>> {
        let file: SettingsFile = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
            let what = e.to_string();
            let secret_like = ["secret", "password", "encrypt", "key\""].iter().any(|word| what.to_lowercase().contains(word));
            let zh = if secret_like { "（设置文件里不能有密钥或密码）" } else { "" };
            vec![(format!("不是助手导出的设置文件：{what}{zh}"), format!("not a settings file exported by the assistant: {what}"))]
        })?;
        let mut problems = Vec::new();
        if file.piaozone_assist_settings != SettingsFile::VERSION {
            problems.push((
                format!("设置文件版本 {} 不认识（应为 {}）", file.piaozone_assist_settings, SettingsFile::VERSION),
                format!("settings file version {} is unknown (expected {})", file.piaozone_assist_settings, SettingsFile::VERSION),
            ));
        }
        if let Some(lang) = file.lang.as_deref().filter(|lang| !LANG_SETTINGS.contains(lang)) {
            problems.push((format!("lang {lang:?} 应为 auto、zh-CN 或 en"), format!("lang {lang:?} must be auto, zh-CN or en")));
        }
        if let Some(place) = file.checklist.as_deref().filter(|place| !CHECKLIST_PLACES.contains(place)) {
            problems.push((format!("checklist {place:?} 应为 side 或 page"), format!("checklist {place:?} must be side or page")));
        }
        let section = |zh: &str, en: &str, found: Vec<RowProblem>| {
            found.into_iter().map(|p| (format!("{zh}{}", p.shown(Lang::Zh)), format!("{en}{}", p.shown(Lang::En)))).collect::<Vec<_>>()
        };
        if let Err(found) = checked_environments(&file.environments) {
            problems.extend(section("environments ", "environments ", found));
        }
        let endpoints: Vec<EndpointRow> = file.token_endpoints.iter().map(|origin| EndpointRow::from_origin(origin)).collect();
        match checked_endpoints(&endpoints) {
            Err(found) => problems.extend(section("tokenEndpoints ", "tokenEndpoints ", found)),
            Ok(origins) => {
                for (index, (origin, given)) in origins.iter().zip(&file.token_endpoints).enumerate() {
                    if origin != given.trim().trim_end_matches('/') && HttpUrl::parse(given).is_some_and(|url| !url.path.is_empty()) {
                        problems.push((
                            format!("tokenEndpoints 第 {} 行：{given} 含路径，只写 scheme://host[:port]", index + 1),
                            format!("tokenEndpoints row {}: {given} has a path; write scheme://host[:port] only", index + 1),
                        ));
                    }
                }
            }
        }
        if let Some((zh, en)) = file.bindings.problem() {
            problems.push((format!("bindings：{zh}"), format!("bindings: {en}")));
        }
        if problems.is_empty() {
            Ok(file)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str, production: &str, test: &str) -> EnvironmentRow {
        EnvironmentRow { name: name.into(), production: production.into(), test: test.into() }
    }

    fn endpoint(scheme: &str, host: &str, port: &str) -> EndpointRow {
        EndpointRow { scheme: scheme.into(), host: host.into(), port: port.into() }
    }

    #[test]
    fn environment_rows_save_trimmed_and_blank_rows_drop() {
        let rows = [env(" 代理 ", " https://relay.example.com ", "https://relay.example.com/test"), env("", "", " ")];
        assert_eq!(checked_environments(&rows).unwrap(), [env("代理", "https://relay.example.com", "https://relay.example.com/test")]);
        assert_eq!(checked_environments(&[env("单个", "http://127.0.0.1:8765", "")]).unwrap().len(), 1, "a test base is optional");
    }

    #[test]
    fn every_environment_problem_names_its_row_and_column() {
        let rows = [
            env("a", "https://a.example.com", ""),
            env("A", "ftp://b.example.com", "https://a.example.com"),
            env("", "", ""),
            env("", "https://c.example.com", "https://C.example.com/"),
            env("d", "", "https://d.example.com/test"),
        ];
        let problems = checked_environments(&rows).unwrap_err();
        let at: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.column)).collect();
        assert_eq!(at, [(2, "name"), (2, "production"), (4, "name"), (4, "test"), (5, "production")], "{problems:#?}");
        assert!(problems[0].shown(Lang::Zh).starts_with("第 2 行：名称与第 1 行相同"), "{}", problems[0].shown(Lang::Zh));
        assert!(problems[0].shown(Lang::En).starts_with("row 2: the same name as row 1"));
    }

    #[test]
    fn bases_are_checked_with_the_consoles_url_rules() {
        // A base with a full-width colon is damage the url rule calls an error: not saved.
        let problems = checked_environments(&[env("x", "https：//relay.example.com", "")]).unwrap_err();
        assert_eq!((problems[0].row, problems[0].column), (1, "production"), "{problems:?}");
        // Warnings and information (a relay, plain http) are shown as typed but do not block.
        assert!(base_findings("http://127.0.0.1:8765").iter().all(|f| f.severity != Severity::Error));
        assert!(!base_findings("https://relay.example.com").is_empty());
        assert!(base_findings("  ").is_empty());
    }

    #[test]
    fn endpoint_rows_make_origins_and_name_their_problems() {
        assert_eq!(endpoint("https", "Relay.Example.com", "8443").origin().unwrap(), "https://relay.example.com:8443");
        assert_eq!(endpoint("https", "relay.example.com", "443").origin().unwrap(), "https://relay.example.com");
        assert_eq!(endpoint("http", "[::1]", "9000").origin().unwrap(), "http://[::1]:9000");
        assert_eq!(endpoint("https", "https://relay.example.com", "").origin().unwrap_err().column, "host");
        assert_eq!(endpoint("https", "relay.example.com/x", "").origin().unwrap_err().column, "host");
        assert_eq!(endpoint("https", "relay.example.com", "70000").origin().unwrap_err().column, "port");
        assert_eq!(endpoint("ftp", "relay.example.com", "").origin().unwrap_err().column, "scheme");
        let rows = [endpoint("https", "a.example.com", ""), endpoint("https", "A.example.com", "443"), endpoint("https", "", "")];
        let problems = checked_endpoints(&rows).unwrap_err();
        assert_eq!((problems.len(), problems[0].row), (1, 3));
        assert_eq!(checked_endpoints(&rows[..2]).unwrap(), ["https://a.example.com"], "each origin once");
    }

    #[test]
    fn stored_origins_round_trip_through_rows() {
        for origin in ["https://relay.example.com:8443", "http://127.0.0.1:9", "https://relay.example.com"] {
            assert_eq!(EndpointRow::from_origin(origin).origin().unwrap(), origin);
        }
        // What is not an origin stays visible whole, and does not save.
        let odd = EndpointRow::from_origin("https://relay.example.com/path");
        assert_eq!(odd.host, "https://relay.example.com/path");
        assert!(odd.origin().is_err());
    }

    #[test]
    fn binding_rows_round_trip_and_problems_name_the_row() {
        let bindings = Bindings::parse(
            r#"{"pages": {"auth_config": {"form_ids": ["cust_auth"], "markers": ["沿用原授权"]}},
                "fields": {"auth.client_secret": {"keys": ["appsecret"], "labels": ["发票云授权码"]}}}"#,
        )
        .unwrap();
        let rows = binding_rows(&bindings);
        assert_eq!(rows.len(), 4);
        assert_eq!(checked_bindings(&rows).unwrap(), bindings);
        let mut bad = rows.clone();
        bad.push(BindingRow { kind: BindingKind::Label, target: "auth.nope".into(), value: "x".into() });
        bad.push(BindingRow { kind: BindingKind::Key, target: "auth.client_id".into(), value: "two words".into() });
        bad.push(BindingRow { kind: BindingKind::FormId, target: "auth_config".into(), value: " ".into() });
        bad.push(BindingRow { kind: BindingKind::Label, target: String::new(), value: String::new() });
        let problems = checked_bindings(&bad).unwrap_err();
        let rows_named: Vec<usize> = problems.iter().map(|p| p.row).collect();
        assert_eq!(rows_named, [5, 6, 7], "{problems:#?}");
        assert!(problems[0].zh.contains("auth.nope"));
    }

    #[test]
    fn a_pasted_snippet_adds_only_rows_not_there() {
        let row = |value: &str| BindingRow { kind: BindingKind::Label, target: "auth.client_id".into(), value: value.into() };
        assert_eq!(with_rows_added(vec![row("a")], vec![row("a"), row("b")]), [row("a"), row("b")]);
    }

    #[test]
    fn what_an_older_options_page_stored_is_read_and_migrated() {
        let local = serde_json::json!({
            "lang": "en", "checklist": "bogus", "sites": ["https://erp.example.com"],
            "environments": [{"name": "代理", "base": "https://relay.example.com"}, {"name": "代理", "base": "https://relay.example.com/test"}],
            "tokenEndpoints": ["https://relay.example.com:8443"],
            "bindings": "{\"fields\": {\"auth.client_id\": {\"labels\": [\"客户编号\"]}}}",
        });
        let stored = Stored::from_local(&local);
        assert_eq!((stored.lang.as_str(), stored.checklist.as_str()), ("en", "side"), "an unknown place reads as the default");
        assert_eq!(stored.environments, [env("代理", "https://relay.example.com", "https://relay.example.com/test")]);
        assert!(stored.environments_former);
        assert_eq!(stored.bindings.fields["auth.client_id"].labels, ["客户编号"], "bindings stored as text still read");
        assert_eq!(stored.bindings_unreadable, None);
        let file = stored.file();
        assert_eq!(SettingsFile::parse(&file.to_text()).unwrap(), file);
        assert!(!file.to_text().contains("erp.example.com"), "sites are not exported");
        assert!(!Stored::from_local(&file.items()).environments_former, "saved back as rows");
        assert_eq!(Stored::from_local(&file.items()).environments, stored.environments);

        let broken = Stored::from_local(&serde_json::json!({ "bindings": "{ not json", "environments": 3 }));
        assert_eq!(broken.bindings_unreadable.as_deref(), Some("{ not json"), "kept for the admin to mend");
        assert!(broken.environments.is_empty());
        assert_eq!(broken.lang, "auto");
    }

    #[test]
    fn the_policy_reads_in_either_environment_shape() {
        let managed = serde_json::json!({
            "consoleOrigins": ["https://erp.example.com"],
            "environments": [{"name": "p", "base": "https://p.example.com"}, {"name": "p", "base": "https://p.example.com/test"}],
            "tokenEndpoints": ["https://relay.example.com"],
        });
        let policy = Policy::from_managed(&managed);
        assert_eq!(policy.environments, [env("p", "https://p.example.com", "https://p.example.com/test")]);
        assert_eq!(policy.consoles, ["https://erp.example.com"]);
        assert_eq!(Policy::from_managed(&serde_json::json!({})), Policy::default());
    }

    #[test]
    fn settings_files_round_trip_and_refuse_anything_else() {
        let file = SettingsFile {
            piaozone_assist_settings: SettingsFile::VERSION,
            lang: Some("en".into()),
            checklist: Some("page".into()),
            environments: vec![env("代理", "https://relay.example.com", "https://relay.example.com/test")],
            token_endpoints: vec!["https://relay.example.com:8443".into()],
            bindings: Bindings::parse(r#"{"fields": {"auth.client_id": {"labels": ["客户编号"]}}}"#).unwrap(),
        };
        assert_eq!(SettingsFile::parse(&file.to_text()).unwrap(), file);
        assert_eq!(SettingsFile::parse(&format!("\u{feff}{}", file.to_text())).unwrap(), file, "a BOM from Notepad");

        let refused = |text: &str| SettingsFile::parse(text).unwrap_err();
        assert!(refused("{}")[0].1.contains("piaozoneAssistSettings"), "{:?}", refused("{}"));
        assert!(refused(r#"{"piaozoneAssistSettings": 1, "clientSecret": "x"}"#)[0].0.contains("不能有密钥"));
        let nested = r#"{"piaozoneAssistSettings": 1, "environments": [{"name": "a", "production": "https://a.example.com", "client_secret": "x"}]}"#;
        assert!(refused(nested)[0].1.contains("client_secret"), "unknown keys inside rows too");
        assert_eq!(refused(r#"{"piaozoneAssistSettings": 2}"#).len(), 1);
        let many = r#"{"piaozoneAssistSettings": 1, "lang": "fr", "checklist": "top",
                       "environments": [{"name": "", "production": "x"}], "tokenEndpoints": ["https://r.example.com/api"],
                       "bindings": {"pages": {"nope": {"form_ids": ["a"]}}}}"#;
        let problems = refused(many);
        assert_eq!(problems.len(), 6, "{problems:#?}");
        assert!(problems.iter().any(|(zh, _)| zh.starts_with("environments 第 1 行")));
        assert!(problems.iter().any(|(_, en)| en.starts_with("tokenEndpoints row 1")));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        proptest! {
            #[test]
            fn any_text_is_a_settings_file_or_a_reason(text in "\\PC{0,200}") {
                if let Err(problems) = SettingsFile::parse(&text) {
                    prop_assert!(!problems.is_empty());
                }
            }

            #[test]
            fn any_endpoint_cells_give_an_origin_that_reads_back(scheme in "https?|ftp", host in "[a-zA-Z0-9.:/\\[\\]-]{0,20}", port in "[0-9]{0,6}") {
                let row = EndpointRow { scheme, host, port };
                if let Ok(origin) = row.origin() {
                    prop_assert!(crate::core::site::validate_origin(&origin).is_ok(), "{origin}");
                    prop_assert_eq!(EndpointRow::from_origin(&origin).origin().unwrap(), origin);
                }
            }
        }
    }
}
