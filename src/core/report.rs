//! The page-structure report (页面结构报告): what an admin sends when the assistant does not
//! recognise a console page. It holds the structure of the page (tags, ids, classes, `data-*`
//! names, label and button texts) and what the assistant made of it, and never a value: no
//! input, textarea or combo content, no cookie, no URL fragment, no storage. What is kept is
//! decided here, from what the browser layer read, so it is tested natively.

use std::fmt::Write;

use super::bindings::{likely_field, likely_fields, Bindings, FieldBinding, PageBinding};
use super::detect::Detected;
use super::guide;
use super::i18n::Lang;

/// At most this much text; the skeleton is cut first.
pub const MAX_BYTES: usize = 60 * 1024;
/// Label and button texts longer than this are cut (labels are short; a long text is content).
const MAX_TEXT_CHARS: usize = 40;
/// Query keys whose values are kept: they name the form, not the data.
const KEPT_QUERY_VALUES: [&str; 2] = ["formId", "pageId"];
/// `data-*` attributes whose values are kept: Cosmic's structural hooks.
const KEPT_DATA_VALUES: [&str; 5] = ["data-form-id", "data-page-id", "data-field-item", "data-splitscreen-pageid", "data-tab-hidden"];

/// One element of the visible form, as the browser layer read it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    pub depth: usize,
    pub tag: String,
    pub id: String,
    pub classes: Vec<String>,
    /// Every `data-*` attribute with its value; only [`KEPT_DATA_VALUES`] keep theirs.
    pub data: Vec<(String, String)>,
    /// The text of a label, title or button (never of a value area or an input).
    pub text: Option<String>,
}

/// A field row the assistant did not bind: its title text and its key, if it shows one.
#[derive(Debug, Clone, PartialEq)]
pub struct Unbound {
    pub label: String,
    /// The row's `id` (Cosmic's field key), if it has one.
    pub key: Option<String>,
}

pub struct Report<'a> {
    pub lang: Lang,
    /// `location.href` of the console; only its path and query keys are kept.
    pub href: &'a str,
    pub form_id: Option<&'a str>,
    pub detected: Detected,
    /// Bound field ids with how each was bound (`key`, `label`, `grid header`).
    pub bound: &'a [(&'static str, &'static str)],
    pub unbound: &'a [Unbound],
    pub skeleton: &'a [Element],
}

/// The path and query of `href` with every query value dropped but `formId`/`pageId`; the
/// fragment is dropped and only said to exist.
pub fn safe_location(href: &str) -> String {
    let (before_fragment, fragment) = match href.split_once('#') {
        Some((before, _)) => (before, true),
        None => (href, false),
    };
    let (address, query) = before_fragment.split_once('?').unwrap_or((before_fragment, ""));
    let path = address.split_once("://").map_or(address, |(_, rest)| rest.find('/').map_or("/", |at| &rest[at..]));
    let mut out = path.to_owned();
    let pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if KEPT_QUERY_VALUES.contains(&key) && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                format!("{key}={value}")
            } else {
                format!("{key}=…")
            }
        })
        .collect();
    if !pairs.is_empty() {
        let _ = write!(out, "?{}", pairs.join("&"));
    }
    if fragment {
        out.push_str(" (#… left out)");
    }
    out
}

/// Generated CSS-module names (`sesB9_9m`, `_2QHPFSVv`, `zPG-NFNf`) change between console
/// versions: the report marks them so nobody binds to one.
pub fn looks_hashed(class: &str) -> bool {
    let upper = class.chars().filter(char::is_ascii_uppercase).count();
    let lower = class.chars().any(|c| c.is_ascii_lowercase());
    let digit = class.chars().any(|c| c.is_ascii_digit());
    (6..=12).contains(&class.len()) && !class.starts_with("kd-") && lower && (upper >= 2 || (digit && (upper > 0 || class.contains('_'))))
}

/// One skeleton line: indent, tag, `#id`, `.class` (`.~hash` when it looks generated),
/// `[data-name]` or `[data-name="value"]` for the kept ones, and the text in quotes.
fn skeleton_line(element: &Element) -> String {
    let mut line = "  ".repeat(element.depth.min(40));
    line.push_str(&element.tag.to_ascii_lowercase());
    if !element.id.is_empty() {
        let _ = write!(line, "#{}", element.id);
    }
    for class in &element.classes {
        let _ = write!(line, ".{}{class}", if looks_hashed(class) { "~" } else { "" });
    }
    for (name, value) in &element.data {
        if KEPT_DATA_VALUES.contains(&name.as_str()) {
            let _ = write!(line, "[{name}=\"{}\"]", value.replace('"', "'"));
        } else {
            let _ = write!(line, "[{name}]");
        }
    }
    if let Some(text) = element.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let cut: String = text.chars().take(MAX_TEXT_CHARS).collect();
        let more = if text.chars().count() > MAX_TEXT_CHARS { "…" } else { "" };
        let _ = write!(line, " \"{}{more}\"", cut.replace(['\n', '\r'], " ").replace('"', "'"));
    }
    line
}

/// The page the unbound rows belong to: the detected one, else the one most of them clearly
/// look like (the first of a tie).
fn suggestion_page(report: &Report) -> Option<&'static str> {
    report.detected.current().map(|p| p.id).or_else(|| {
        let votes =
            |page: &str| report.unbound.iter().filter(|row| likely_field(&row.label, guide::fields_on_page(page)).is_some()).count();
        guide::PAGES.iter().rev().map(|p| (p.id, votes(p.id))).filter(|&(_, n)| n > 0).max_by_key(|&(_, n)| n).map(|(id, _)| id)
    })
}

/// The bindings an admin could add for the unbound rows: each row whose label is clearly like
/// one field's (see [`likely_field`]), on the detected page or, when none was detected, on the
/// page most of them belong to, plus that page's form id.
pub fn suggested_bindings(report: &Report) -> Bindings {
    let likely = |row: &Unbound, page: &str| likely_field(&row.label, guide::fields_on_page(page));
    let page = suggestion_page(report);
    let mut bindings = Bindings::default();
    let Some(page) = page else { return bindings };
    for (row, field) in report.unbound.iter().filter_map(|row| Some((row, likely(row, page)?))) {
        let label = row.label.trim().trim_matches(|c: char| c == '*' || c == ':' || c == '：' || c.is_whitespace()).to_owned();
        let entry: &mut FieldBinding = bindings.fields.entry(field.id.to_owned()).or_default();
        if !entry.labels.contains(&label) {
            entry.labels.push(label);
        }
        // A key binds before a label and survives a language pack: suggest it when it is one.
        if let Some(key) = row.key.as_ref().filter(|k| !looks_hashed(k) && !entry.keys.contains(k)) {
            entry.keys.push(key.clone());
        }
    }
    let detected_by_form = report.detected.current().is_some();
    if let (Some(form_id), false) = (report.form_id, detected_by_form) {
        if !bindings.fields.is_empty() {
            bindings.pages.insert(page.to_owned(), PageBinding { form_ids: vec![form_id.to_owned()], markers: Vec::new() });
        }
    }
    bindings
}

/// The report as Markdown with one fenced block, at most [`MAX_BYTES`].
pub fn render(report: &Report) -> String {
    let zh = report.lang == Lang::Zh;
    let t = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", t("页面结构报告（发票云配置助手）", "Page-structure report (piaozone-assist)"));
    let _ = writeln!(
        out,
        "{}\n",
        t(
            "只含页面结构：不含任何输入框、文本框或下拉框的值，不含 Cookie、网址 # 之后的部分和浏览器存储。",
            "Structure only: no value of any input, textarea or combo, no cookie, no URL fragment, no browser storage."
        )
    );
    let _ = writeln!(out, "- {}: {}", t("助手版本", "assistant"), env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "- {}: `{}`", t("地址", "location"), safe_location(report.href));
    let _ = writeln!(out, "- {}: {}", t("控制台版本", "console version"), t("页面上未显示", "not shown on the page"));
    let _ = writeln!(out, "- formId: {}", report.form_id.map_or_else(|| t("无", "none").to_owned(), |id| format!("`{id}`")));
    let name = |p: Option<&guide::Page>| {
        p.map_or_else(|| t("未识别", "not recognised").to_owned(), |p| format!("{} (`{}`)", p.title.get(report.lang), p.id))
    };
    let _ = writeln!(out, "- {}: {}", t("页面", "page"), name(report.detected.page));
    if report.detected.dialog.is_some() {
        let _ = writeln!(out, "- {}: {}", t("对话框", "dialog"), name(report.detected.dialog));
    }
    if let Some(step) = report.detected.current().and_then(|p| guide::step_for_page(p.id)) {
        let _ = writeln!(out, "- {}: {} (`{}`)", t("步骤", "step"), step.title.get(report.lang), step.id);
    }
    let _ = writeln!(out, "\n## {}\n", t("已识别的字段", "Bound fields"));
    if report.bound.is_empty() {
        let _ = writeln!(out, "{}", t("（无）", "(none)"));
    }
    for (id, by) in report.bound {
        let _ = writeln!(out, "- `{id}` — {} {by}", t("依据", "by"));
    }
    let _ = writeln!(out, "\n## {}\n", t("未识别的字段行", "Field rows not bound"));
    if report.unbound.is_empty() {
        let _ = writeln!(out, "{}", t("（无）", "(none)"));
    }
    let page = suggestion_page(report);
    for row in report.unbound {
        let key = row.key.as_deref().map(|k| format!(" (key `{k}`)")).unwrap_or_default();
        // A label like several fields gets no suggestion below: name them, the admin picks.
        let candidates = page.map(|p| likely_fields(&row.label, guide::fields_on_page(p))).unwrap_or_default();
        let maybe = match candidates.len() {
            0 | 1 => String::new(),
            _ => format!(
                " — {}{}",
                t("可能是其中之一：", "one of: "),
                candidates.iter().map(|f| format!("`{}`", f.id)).collect::<Vec<_>>().join(", ")
            ),
        };
        let _ = writeln!(out, "- \"{}\"{key}{maybe}", row.label.trim());
    }
    let suggested = suggested_bindings(report);
    if !suggested.is_empty() {
        let _ = writeln!(
            out,
            "\n## {}\n\n{}\n\n```json\n{}\n```",
            t("建议添加的绑定", "Suggested bindings"),
            t("核对后粘贴到设置页“字段绑定”中：", "Check it, then paste it into the options page's “Field bindings”:"),
            serde_json::to_string_pretty(&suggested).unwrap_or_default()
        );
    }
    let _ = writeln!(out, "\n## {}\n", t("页面骨架", "Skeleton of the visible form"));
    let _ = writeln!(
        out,
        "{}\n",
        t(
            "`.~名称` 是看起来是生成的类名，会随版本变化，不要据此绑定。",
            "`.~name`: a class name that looks generated; it changes between versions, never bind to it."
        )
    );
    let closing = "```\n";
    out.push_str("```text\n");
    let budget = MAX_BYTES.saturating_sub(out.len() + closing.len() + 80);
    let mut used = 0;
    for (shown, element) in report.skeleton.iter().enumerate() {
        let line = skeleton_line(element);
        if used + line.len() + 1 > budget {
            let _ = writeln!(
                out,
                "… {} {}",
                report.skeleton.len() - shown,
                t("个元素未列出（超过 60 KB）", "more elements left out (over 60 KB)")
            );
            break;
        }
        used += line.len() + 1;
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(closing);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::detect::{identify, Observed};

    #[test]
    fn only_the_path_and_the_form_naming_query_values_are_kept() {
        assert_eq!(
            safe_location("https://erp.example.com/ierp/index.html?formId=bos_fpy_authconfig&token=s3cr3t&pageId=ab12_x#/app?x=1"),
            "/ierp/index.html?formId=bos_fpy_authconfig&token=…&pageId=ab12_x (#… left out)"
        );
        assert_eq!(safe_location("http://127.0.0.1:8080/auth-config.html"), "/auth-config.html");
        assert_eq!(safe_location("https://erp.example.com/?formId=a%22b"), "/?formId=…");
        assert_eq!(safe_location("https://erp.example.com"), "/");
    }

    #[test]
    fn generated_class_names_are_marked_and_cosmic_ones_are_not() {
        for hashed in ["sesB9_9m", "_2QHPFSVv", "uGTwvQaG", "zPG-NFNf"] {
            assert!(looks_hashed(hashed), "{hashed}");
        }
        for plain in ["kd-cq-field", "kd-cq-btn-primary", "active", "hidden", "is-problem", "h5", "field-in-lock", "btnOk"] {
            assert!(!looks_hashed(plain), "{plain}");
        }
    }

    fn sample_skeleton() -> Vec<Element> {
        vec![
            Element {
                depth: 0,
                tag: "DIV".into(),
                classes: vec!["kd-cq-form".into()],
                data: vec![("data-form-id".into(), "cust_pz_authconfig".into())],
                ..Default::default()
            },
            Element {
                depth: 1,
                tag: "DIV".into(),
                id: "fld_url".into(),
                classes: vec!["kd-cq-field".into(), "sesB9_9m".into()],
                data: vec![("data-field-item".into(), "true".into()), ("data-tip".into(), "s3cr3t-in-a-data-value".into())],
                ..Default::default()
            },
            Element {
                depth: 2,
                tag: "DIV".into(),
                classes: vec!["kd-cq-field-title-wrap".into()],
                text: Some("发票云服务URL".into()),
                ..Default::default()
            },
            Element { depth: 2, tag: "INPUT".into(), classes: vec!["kd-cq-input".into()], ..Default::default() },
        ]
    }

    #[test]
    fn the_report_lets_a_reader_find_the_form_the_fields_and_a_binding_to_add() {
        let skeleton = sample_skeleton();
        let unbound = [
            Unbound { label: "发票云服务URL".into(), key: Some("fld_url".into()) },
            Unbound { label: "*应用 Client Secret：".into(), key: None },
            Unbound { label: "备注".into(), key: None },
            Unbound { label: "发票云授权码".into(), key: Some("pz_code".into()) },
        ];
        let detected = identify(&Observed { form_id: Some("cust_pz_authconfig"), page_text: "", ..Default::default() });
        let report = Report {
            lang: Lang::Zh,
            href: "https://erp.example.com/ierp/?formId=cust_pz_authconfig&t=1#x",
            form_id: Some("cust_pz_authconfig"),
            detected,
            bound: &[],
            unbound: &unbound,
            skeleton: &skeleton,
        };
        let text = render(&report);
        assert!(text.contains("div.kd-cq-form[data-form-id=\"cust_pz_authconfig\"]"), "{text}");
        assert!(text.contains("div#fld_url.kd-cq-field.~sesB9_9m[data-field-item=\"true\"][data-tip]"), "{text}");
        assert!(text.contains("\"发票云服务URL\""), "{text}");
        assert!(!text.contains("s3cr3t"), "{text}");
        assert_eq!(text.matches("```").count(), 4, "the snippet and the skeleton: {text}");
        let suggested = suggested_bindings(&report);
        assert_eq!(suggested.fields["auth.url"].labels, ["发票云服务URL"]);
        assert_eq!(suggested.fields["auth.url"].keys, ["fld_url"]);
        assert_eq!(suggested.fields["auth.client_secret"].labels, ["应用 Client Secret"]);
        assert_eq!(suggested.form_ids("auth_config"), ["cust_pz_authconfig"]);
        assert_eq!(suggested.fields.len(), 2, "备注 looks like nothing, 发票云授权码 like three: {suggested:?}");
        assert!(
            text.contains(
                "- \"发票云授权码\" (key `pz_code`) — 可能是其中之一：`auth.use_original_auth`, `auth.client_id`, `auth.client_secret`"
            ),
            "{text}"
        );
        // What it suggests is what the options page takes.
        let pasted = serde_json::to_string_pretty(&suggested).unwrap();
        assert_eq!(Bindings::parse(&pasted).unwrap(), suggested);
        assert!(text.contains(&pasted), "{text}");
        let en = render(&Report { lang: Lang::En, ..report });
        assert!(en.contains("Bound fields") && en.contains("not recognised"), "{en}");
    }

    #[test]
    fn a_huge_page_is_cut_to_sixty_kilobytes_and_says_so() {
        let one = Element { depth: 3, tag: "SPAN".into(), classes: vec!["kd-cq-cell".into()], ..Default::default() };
        let skeleton = vec![one; 20_000];
        let report = Report {
            lang: Lang::En,
            href: "https://x/",
            form_id: None,
            detected: Detected::default(),
            bound: &[],
            unbound: &[],
            skeleton: &skeleton,
        };
        let text = render(&report);
        assert!(text.len() <= MAX_BYTES, "{}", text.len());
        assert!(text.contains("more elements left out") && text.trim_end().ends_with("```"));
    }
}
