//! Compiles the knowledge base (`guide/*.toml`) into static Rust tables (`$OUT_DIR/guide_tables.rs`).
//! The build refuses inconsistent data and names the file and line: duplicate ids, references to
//! unknown ids, missing translations, malformed values, FAQ patterns that do not compile, message
//! placeholders that differ between the languages.

// The runtime normalises console text with these functions; FAQ patterns must be normalised the same
// way. Only `normalize_for_match` is needed here.
#[allow(dead_code)]
#[path = "src/core/validate/chars.rs"]
mod chars;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

type S = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Text {
    zh: Option<S>,
    en: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepsFile {
    step: Vec<StepDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepDef {
    id: S,
    title: Spanned<Text>,
    required: S,
    condition: Option<Spanned<Text>>,
    branch: Option<S>,
    path: Spanned<Text>,
    guidance: Spanned<Text>,
    pages: Vec<S>,
    shown_done: Option<Spanned<ShownDoneDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShownDoneDef {
    page: Option<S>,
    #[serde(default)]
    columns: Vec<S>,
    field: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PagesFile {
    page: Vec<PageDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageDef {
    id: S,
    kind: S,
    over: Option<S>,
    title: Spanned<Text>,
    #[serde(default)]
    form_ids: Vec<S>,
    markers: Vec<S>,
    version: Option<S>,
    grid: Option<GridDef>,
    test_button: Option<TestButtonDef>,
    saved_by: Option<SavedByDef>,
}

/// The console's own 连接测试 on a page: its text, and the element id where one is known.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestButtonDef {
    text: S,
    id: Option<S>,
}

/// A dialog whose `button` saves the grid with these `columns` (the first holds the account).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedByDef {
    button: S,
    columns: Vec<S>,
}

/// A list page's grid, as 对照清单 reads it: for each column, the cells' `data-code`s and the
/// header titles it may have.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GridDef {
    #[serde(default)]
    name: Vec<S>,
    #[serde(default)]
    tax_id: Vec<S>,
    #[serde(default)]
    client_id: Vec<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rule: Vec<RuleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: S,
    severity: S,
    source: S,
    #[serde(default)]
    standalone: bool,
    message: Spanned<Text>,
    why: Spanned<Text>,
    fix: Spanned<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomesFile {
    kind: Vec<KindDef>,
    stage: Vec<StageDef>,
    refusal: Vec<RefusalDef>,
    detail: Vec<NamedText>,
    problem: Vec<NamedText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindDef {
    id: S,
    title: Spanned<Text>,
    explanation: Spanned<Text>,
    fix: Spanned<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageDef {
    id: S,
    label: Spanned<Text>,
    explanation: Spanned<Text>,
    fix: Spanned<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefusalDef {
    marker: S,
    text: Spanned<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamedText {
    id: S,
    text: Spanned<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldsFile {
    section: Vec<SectionDef>,
    field: Vec<FieldDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionDef {
    id: S,
    #[serde(default)]
    list: bool,
    title: Spanned<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldDef {
    id: S,
    page: S,
    #[serde(default)]
    keys: Vec<S>,
    labels: Vec<S>,
    widget: S,
    #[serde(default)]
    secret: bool,
    check: S,
    rules: Vec<S>,
    focus: Spanned<Text>,
    same_as: Option<S>,
    differs_from: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaqFile {
    faq: Vec<FaqDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaqDef {
    id: S,
    patterns: Vec<S>,
    title: Spanned<Text>,
    cause: Spanned<Text>,
    fix: Spanned<Text>,
    step: Option<S>,
    #[serde(default)]
    fields: Vec<S>,
    source: S,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EtaxFile {
    bureau: Vec<BureauDef>,
    role: Vec<RoleDef>,
    login_type: Vec<LoginTypeDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BureauDef {
    code: S,
    name: S,
    #[serde(default)]
    aliases: Vec<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleDef {
    name: S,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginTypeDef {
    name: S,
    needs_app_keys: bool,
    supported: bool,
}

/// The validators of `core::validate` a field can name in `check` (the `Check` enum of guide.rs).
const CHECKS: &[&str] = &[
    "url",
    "proxy",
    "yes_no",
    "client_id",
    "tenant_client_id",
    "client_secret",
    "encrypt_key",
    "tax_id",
    "company_name",
    "channel",
    "region",
    "account",
    "password",
    "role",
    "login_type",
    "app_credential",
    "email",
    "activation_code",
    "organisation",
    "functional_types",
    "free_text",
];

const WIDGETS: &[&str] = &["text", "password", "textarea", "combo", "checkbox"];

fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// `{name}` placeholders of a message, or why the braces do not parse.
fn placeholders(text: &str) -> Result<BTreeSet<String>, String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("a '}' without its '{'".into());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("a '{' without its '}'")?;
        let name = &after[..close];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(format!("placeholder {{{name}}} must be lower-case ascii or '_'"));
        }
        found.insert(name.to_string());
        rest = &after[close + 1..];
    }
    Ok(found)
}

thread_local! {
    /// The guide's English texts in the order `english.json` lists them (each once).
    static ENGLISH: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Where `en` is in `english.json`, added at the end if it is new.
fn english_number(en: &str) -> usize {
    ENGLISH.with(|table| {
        let mut table = table.borrow_mut();
        table.iter().position(|known| known == en).unwrap_or_else(|| {
            table.push(en.to_owned());
            table.len() - 1
        })
    })
}

/// A source file being compiled: its path and text, to turn byte spans into `file:line`.
struct Source {
    path: PathBuf,
    text: String,
}

impl Source {
    fn load(dir: &Path, name: &str) -> Source {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(format!("{}: cannot read: {e}", path.display())));
        Source { path, text }
    }

    fn parse<T: serde::de::DeserializeOwned>(&self) -> T {
        toml::from_str(&self.text).unwrap_or_else(|e| {
            let line = e.span().map(|s| self.line(s.start)).unwrap_or(0);
            fail(format!("{}:{line}: {}", self.path.display(), e.message()))
        })
    }

    fn line(&self, byte: usize) -> usize {
        self.text[..byte.min(self.text.len())].matches('\n').count() + 1
    }

    fn err(&self, span: std::ops::Range<usize>, msg: impl std::fmt::Display) -> ! {
        fail(format!("{}:{}: {msg}", self.path.display(), self.line(span.start)))
    }

    /// Both languages present and non-empty.
    fn text(&self, t: &Spanned<Text>, what: &str) -> String {
        let inner = t.get_ref();
        let pick = |lang: &str, v: &Option<S>| -> String {
            match v {
                Some(s) if !s.get_ref().trim().is_empty() => s.get_ref().clone(),
                _ => self.err(t.span(), format_args!("{what}: missing the {lang} translation")),
            }
        };
        let (zh, en) = (pick("zh", &inner.zh), pick("en", &inner.en));
        let number = english_number(&en);
        // The page module numbers its English into `english.json` (`core::i18n::Text`).
        format!(
            "Text {{ zh: {zh:?}, #[cfg(not(feature = \"english-file\"))] en: {en:?}, #[cfg(feature = \"english-file\")] en: {number} }}"
        )
    }

    /// The placeholders of a text, which must be the same in both languages.
    fn placeholders(&self, t: &Spanned<Text>, what: &str) -> BTreeSet<String> {
        let get = |v: &Option<S>| {
            let text = v.as_ref().map(|s| s.get_ref().as_str()).unwrap_or("");
            placeholders(text).unwrap_or_else(|e| self.err(t.span(), format_args!("{what}: {e}")))
        };
        let (zh, en) = (get(&t.get_ref().zh), get(&t.get_ref().en));
        if zh != en {
            self.err(t.span(), format_args!("{what}: placeholders differ between zh {zh:?} and en {en:?}"));
        }
        zh
    }

    fn unique(&self, seen: &mut HashSet<String>, id: &S, what: &str) {
        let v = id.get_ref();
        if v.is_empty() || !v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.') {
            self.err(id.span(), format_args!("{what} id {v:?} must be lower-case ascii, digits, '_' or '.'"));
        }
        if !seen.insert(v.clone()) {
            self.err(id.span(), format_args!("duplicate {what} id {v:?}"));
        }
    }

    fn branch(&self, b: &Option<S>) -> &'static str {
        match b.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
            None => "Branch::Both",
            Some(("v8", _)) => "Branch::V8",
            Some(("legacy", _)) => "Branch::Legacy",
            Some((other, span)) => self.err(span, format_args!("unknown branch {other:?} (v8 | legacy)")),
        }
    }
}

/// The placeholders an outcome fills (`core::piaozone::outcome`), and what details and input
/// problems add.
const OUTCOME_PLACEHOLDERS: [&str; 9] =
    ["latency_ms", "status", "expires_in", "errcode", "description", "detail", "excerpt", "right_url", "also_rejected_by"];
const DETAIL_PLACEHOLDERS: [&str; 2] = ["field", "problem"];
const PROBLEM_PLACEHOLDERS: [&str; 1] = ["found"];

/// guide/outcomes.toml: the connection test's texts, each in both languages with the same
/// placeholders, and only placeholders the outcome fills.
fn compile_outcomes(dir: &Path, out: &mut String) {
    let src = Source::load(dir, "outcomes.toml");
    let file: OutcomesFile = src.parse();
    let text = |t: &Spanned<Text>, what: &str, allowed: &[&str]| -> String {
        let compiled = src.text(t, what);
        if let Some(unknown) = src.placeholders(t, what).iter().find(|p| !allowed.contains(&p.as_str())) {
            src.err(t.span(), format_args!("{what}: {{{unknown}}} is not filled here (allowed: {allowed:?})"));
        }
        compiled
    };
    let outcome: Vec<&str> = OUTCOME_PLACEHOLDERS.to_vec();
    let with_details: Vec<&str> = OUTCOME_PLACEHOLDERS.iter().chain(&DETAIL_PLACEHOLDERS).copied().collect();
    let mut ids = HashSet::new();
    out.push_str("pub static OUTCOME_KINDS: &[(&str, KindTexts)] = &[\n");
    for k in &file.kind {
        src.unique(&mut ids, &k.id, "kind");
        writeln!(
            out,
            "    ({:?}, KindTexts {{ title: {}, explanation: {}, fix: {} }}),",
            k.id.get_ref(),
            text(&k.title, "title", &[]),
            text(&k.explanation, "explanation", &outcome),
            text(&k.fix, "fix", &outcome)
        )
        .unwrap();
    }
    out.push_str("];\n\npub static OUTCOME_STAGES: &[(&str, StageTexts)] = &[\n");
    let mut ids = HashSet::new();
    for st in &file.stage {
        src.unique(&mut ids, &st.id, "stage");
        writeln!(
            out,
            "    ({:?}, StageTexts {{ label: {}, explanation: {}, fix: {} }}),",
            st.id.get_ref(),
            text(&st.label, "label", &[]),
            text(&st.explanation, "explanation", &outcome),
            text(&st.fix, "fix", &outcome)
        )
        .unwrap();
    }
    out.push_str("];\n\npub static OUTCOME_REFUSALS: &[(&str, Text)] = &[\n");
    for r in &file.refusal {
        if r.marker.get_ref().trim().is_empty() {
            src.err(r.marker.span(), "a refusal needs the marker its description contains");
        }
        writeln!(out, "    ({:?}, {}),", r.marker.get_ref(), text(&r.text, "text", &outcome)).unwrap();
    }
    for (table, what, entries, allowed) in [
        ("OUTCOME_DETAILS", "detail", &file.detail, with_details),
        ("INPUT_PROBLEMS", "problem", &file.problem, PROBLEM_PLACEHOLDERS.to_vec()),
    ] {
        writeln!(out, "];\n\npub static {table}: &[(&str, Text)] = &[").unwrap();
        let mut ids = HashSet::new();
        for entry in entries {
            src.unique(&mut ids, &entry.id, what);
            writeln!(out, "    ({:?}, {}),", entry.id.get_ref(), text(&entry.text, "text", &allowed)).unwrap();
        }
    }
    out.push_str("];\n\n");
}

fn fail(msg: String) -> ! {
    // cargo shows build-script stderr on failure; one line that names file:line.
    eprintln!("error: guide: {msg}");
    std::process::exit(1)
}

fn str_list(items: &[S]) -> String {
    let mut out = String::from("&[");
    for s in items {
        write!(out, "{:?}, ", s.get_ref()).unwrap();
    }
    out.push(']');
    out
}

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("guide");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut out = String::new();

    let pages_src = Source::load(&dir, "pages.toml");
    let pages: PagesFile = pages_src.parse();
    let mut page_ids = HashSet::new();
    for p in &pages.page {
        pages_src.unique(&mut page_ids, &p.id, "page");
    }
    out.push_str("pub static PAGES: &[Page] = &[\n");
    for p in &pages.page {
        let kind = match (p.kind.get_ref().as_str(), &p.over) {
            ("page", None) => "PageKind::Page",
            ("dialog", Some(over)) if page_ids.contains(over.get_ref()) => "PageKind::Dialog",
            ("dialog", Some(over)) => pages_src.err(over.span(), format_args!("unknown page {:?}", over.get_ref())),
            ("dialog", None) => pages_src.err(p.kind.span(), "a dialog needs `over` (the page it opens over)"),
            ("page", Some(over)) => pages_src.err(over.span(), "only a dialog opens `over` a page"),
            (other, _) => pages_src.err(p.kind.span(), format_args!("unknown kind {other:?} (page | dialog)")),
        };
        if p.markers.is_empty() {
            pages_src.err(p.id.span(), "a page needs at least one marker");
        }
        let grid = match &p.grid {
            Some(g) if g.name.is_empty() && g.tax_id.is_empty() => {
                pages_src.err(p.id.span(), "a grid needs its name or tax_id columns: nothing else identifies a company")
            }
            Some(g) => format!(
                "Some(&Grid {{ name: {}, tax_id: {}, client_id: {} }})",
                str_list(&g.name),
                str_list(&g.tax_id),
                str_list(&g.client_id)
            ),
            None => "None".to_string(),
        };
        let test_button = match &p.test_button {
            Some(b) => {
                format!("Some(&TestButton {{ text: {:?}, id: {:?} }})", b.text.get_ref(), b.id.as_ref().map(|i| i.get_ref().as_str()))
            }
            None => "None".to_string(),
        };
        let saved_by = match &p.saved_by {
            Some(b) if b.columns.len() != 3 => {
                pages_src.err(b.button.span(), "saved_by needs the account, secret and key columns, in that order")
            }
            Some(b) => format!("Some(&SavedBy {{ button: {:?}, columns: {} }})", b.button.get_ref(), str_list(&b.columns)),
            None => "None".to_string(),
        };
        writeln!(
            out,
            "    Page {{ id: {:?}, kind: {kind}, over: {:?}, title: {}, form_ids: {}, markers: {}, version: {}, grid: {grid}, test_button: {test_button}, saved_by: {saved_by} }},",
            p.id.get_ref(),
            p.over.as_ref().map(|s| s.get_ref().as_str()),
            pages_src.text(&p.title, "title"),
            str_list(&p.form_ids),
            str_list(&p.markers),
            pages_src.branch(&p.version),
        )
        .unwrap();
    }
    out.push_str("];\n\n");

    let steps_src = Source::load(&dir, "steps.toml");
    let steps: StepsFile = steps_src.parse();
    let mut step_ids = HashSet::new();
    let mut shown_fields: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut paged = HashSet::new();
    out.push_str("pub static STEPS: &[Step] = &[\n");
    for s in &steps.step {
        steps_src.unique(&mut step_ids, &s.id, "step");
        let required = match s.required.get_ref().as_str() {
            "yes" => "Required::Yes",
            "no" => "Required::No",
            "conditional" => "Required::Conditional",
            other => steps_src.err(s.required.span(), format_args!("unknown required {other:?} (yes | no | conditional)")),
        };
        let condition = match (&s.condition, required) {
            (Some(c), "Required::Conditional") => format!("Some({})", steps_src.text(c, "condition")),
            (None, "Required::Conditional") => steps_src.err(s.required.span(), "a conditional step needs `condition`"),
            (Some(c), _) => steps_src.err(c.span(), "only a conditional step has a `condition`"),
            (None, _) => "None".into(),
        };
        for p in &s.pages {
            if !page_ids.contains(p.get_ref()) {
                steps_src.err(p.span(), format_args!("unknown page {:?}", p.get_ref()));
            }
            if !paged.insert(p.get_ref().clone()) {
                steps_src.err(p.span(), format_args!("page {:?} already belongs to another step", p.get_ref()));
            }
        }
        let shown_done = match &s.shown_done {
            None => "None".to_string(),
            Some(shown) => {
                let d = shown.get_ref();
                if d.columns.is_empty() && d.field.is_none() {
                    steps_src.err(shown.span(), "shown_done needs grid `columns` or a `field`");
                }
                if let Some(page) = d.page.as_ref().filter(|p| !page_ids.contains(p.get_ref())) {
                    steps_src.err(page.span(), format_args!("unknown page {:?}", page.get_ref()));
                }
                // The field is checked against fields.toml once it is compiled (below).
                shown_fields.extend(d.field.iter().map(|f| (f.get_ref().clone(), f.span())));
                format!(
                    "Some(&ShownDone {{ page: {:?}, columns: {}, field: {:?} }})",
                    d.page.as_ref().map(|p| p.get_ref().as_str()),
                    str_list(&d.columns),
                    d.field.as_ref().map(|f| f.get_ref().as_str())
                )
            }
        };
        writeln!(
            out,
            "    Step {{ id: {:?}, title: {}, required: {required}, condition: {condition}, branch: {}, path: {}, guidance: {}, pages: {}, shown_done: {shown_done} }},",
            s.id.get_ref(),
            steps_src.text(&s.title, "title"),
            steps_src.branch(&s.branch),
            steps_src.text(&s.path, "path"),
            steps_src.text(&s.guidance, "guidance"),
            str_list(&s.pages),
        )
        .unwrap();
    }
    out.push_str("];\n\n");

    let rules = compile_rules(&dir, &mut out);
    let field_ids = compile_fields(&dir, &page_ids, &rules, &mut out);
    for (field, span) in &shown_fields {
        if !field_ids.contains(field) {
            steps_src.err(span.clone(), format_args!("shown_done: unknown field {field:?}"));
        }
    }
    compile_faq(&dir, &step_ids, &field_ids, &mut out);
    compile_etax(&dir, &mut out);
    compile_outcomes(&dir, &mut out);

    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let english = ENGLISH.with(|table| table.take());
    if english.len() > usize::from(u16::MAX) {
        fail(format!("{} English texts: more than a u16 numbers", english.len()));
    }
    writeln!(out, "pub const ENGLISH_COUNT: usize = {};", english.len()).unwrap();
    writeln!(out, "#[cfg(not(feature = \"english-file\"))]\npub static ENGLISH: [&str; {}] = {english:?};", english.len()).unwrap();
    std::fs::write(out_dir.join("guide_tables.rs"), out).unwrap();
    let mut ids = String::new();
    for (id, _) in &rules {
        writeln!(ids, "pub const {}: &str = {id:?};", id.replace('.', "_").to_ascii_uppercase()).unwrap();
    }
    std::fs::write(out_dir.join("rule_ids.rs"), ids).unwrap();
}

/// RULES; returns each rule id with whether a field may use it (not `standalone`).
fn compile_rules(dir: &Path, out: &mut String) -> Vec<(String, bool)> {
    let src = Source::load(dir, "rules.toml");
    let file: RulesFile = src.parse();
    let mut ids = HashSet::new();
    let mut consts = HashSet::new();
    let mut rules = Vec::new();
    // The command line's own rules (a company list's, the check file's) stay out of the
    // extension's UI modules: their texts would ride in every console page for nothing.
    let tool_only = |r: &RuleDef| r.id.get_ref().starts_with("list.") || r.source.get_ref() == "format";
    let mut tools = String::new();
    out.push_str("pub static RULES: &[Rule] = &[\n");
    for r in &file.rule {
        src.unique(&mut ids, &r.id, "rule");
        if !r.id.get_ref().contains('.') {
            src.err(r.id.span(), "a rule id is \"<family>.<name>\"");
        }
        if !consts.insert(r.id.get_ref().replace('.', "_")) {
            src.err(r.id.span(), format_args!("rule id {:?} collides with another once '.' becomes '_'", r.id.get_ref()));
        }
        let severity = match r.severity.get_ref().as_str() {
            "error" => "Severity::Error",
            "warning" => "Severity::Warning",
            "info" => "Severity::Info",
            "ok" => "Severity::Ok",
            other => src.err(r.severity.span(), format_args!("unknown severity {other:?} (error | warning | info | ok)")),
        };
        // The severity policy of guide/README.md: only what the guide, the Piaozone protocol or a
        // published standard proves wrong is an error; our own file format speaks only of the file.
        match (r.source.get_ref().as_str(), severity) {
            ("inference", "Severity::Error") => src.err(
                r.severity.span(),
                format_args!("rule {:?}: an inference is never an error (warning if probably wrong, else info)", r.id.get_ref()),
            ),
            ("format", _) if !r.standalone => {
                src.err(r.source.span(), "source \"format\" is only for standalone rules (about the check file)")
            }
            ("guide" | "protocol" | "standard" | "inference" | "format", _) => {}
            (other, _) => {
                src.err(r.source.span(), format_args!("unknown source {other:?} (guide | protocol | standard | inference | format)"))
            }
        }
        // Translations first: a missing one is reported as such, not as a placeholder mismatch.
        let (message, why, fix) = (src.text(&r.message, "message"), src.text(&r.why, "why"), src.text(&r.fix, "fix"));
        let mut all = src.placeholders(&r.message, "message");
        all.extend(src.placeholders(&r.why, "why"));
        all.extend(src.placeholders(&r.fix, "fix"));
        let names: Vec<_> = all.into_iter().collect();
        if tool_only(r) && !r.standalone {
            src.err(r.id.span(), "a list or check-file rule is standalone (no field of the console uses it)");
        }
        writeln!(
            if tool_only(r) { &mut tools } else { &mut *out },
            "    Rule {{ id: {:?}, severity: {severity}, standalone: {}, message: {message}, why: {why}, fix: {fix}, placeholders: &{names:?} }},",
            r.id.get_ref(),
            r.standalone,
        )
        .unwrap();
        rules.push((r.id.get_ref().clone(), !r.standalone));
    }
    out.push_str("];\n\n");
    out.push_str("#[cfg(not(feature = \"ui\"))]\npub static TOOL_RULES: &[Rule] = &[\n");
    out.push_str(&tools);
    out.push_str("];\n#[cfg(feature = \"ui\")]\npub static TOOL_RULES: &[Rule] = &[];\n\n");
    rules
}

/// SECTIONS and FIELDS; returns the field ids.
fn compile_fields(dir: &Path, page_ids: &HashSet<String>, rules: &[(String, bool)], out: &mut String) -> HashSet<String> {
    let src = Source::load(dir, "fields.toml");
    let file: FieldsFile = src.parse();
    let mut section_ids = HashSet::new();
    out.push_str("pub static SECTIONS: &[Section] = &[\n");
    for s in &file.section {
        src.unique(&mut section_ids, &s.id, "section");
        writeln!(out, "    Section {{ id: {:?}, list: {}, title: {} }},", s.id.get_ref(), s.list, src.text(&s.title, "title")).unwrap();
    }
    out.push_str("];\n\n");

    let usable: HashMap<&str, bool> = rules.iter().map(|(id, usable)| (id.as_str(), *usable)).collect();
    let mut field_ids = HashSet::new();
    for f in &file.field {
        src.unique(&mut field_ids, &f.id, "field");
    }
    let mut used_rules = HashSet::new();
    let mut page_keys = HashSet::new();
    out.push_str("pub static FIELDS: &[Field] = &[\n");
    for f in &file.field {
        let id = f.id.get_ref();
        let (section, key) =
            id.split_once('.').unwrap_or_else(|| src.err(f.id.span(), format_args!("field id {id:?} must be \"<section>.<key>\"")));
        if !section_ids.contains(section) {
            src.err(f.id.span(), format_args!("unknown section {section:?}"));
        }
        if !page_ids.contains(f.page.get_ref()) {
            src.err(f.page.span(), format_args!("unknown page {:?}", f.page.get_ref()));
        }
        if f.labels.is_empty() || f.labels.iter().any(|l| l.get_ref().trim().is_empty()) {
            src.err(f.id.span(), "a field needs labels, none of them empty");
        }
        for k in &f.keys {
            let valid = !k.get_ref().is_empty() && k.get_ref().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                src.err(k.span(), format_args!("console key {:?} must be a Cosmic field key (a-z, 0-9, _)", k.get_ref()));
            }
            if !page_keys.insert((f.page.get_ref().clone(), k.get_ref().clone())) {
                src.err(k.span(), format_args!("console key {:?} is used twice on page {:?}", k.get_ref(), f.page.get_ref()));
            }
        }
        if !WIDGETS.contains(&f.widget.get_ref().as_str()) {
            src.err(f.widget.span(), format_args!("unknown widget {:?} ({})", f.widget.get_ref(), WIDGETS.join(" | ")));
        }
        if !CHECKS.contains(&f.check.get_ref().as_str()) {
            src.err(f.check.span(), format_args!("unknown check {:?} ({})", f.check.get_ref(), CHECKS.join(" | ")));
        }
        let mut seen = HashSet::new();
        for r in &f.rules {
            match usable.get(r.get_ref().as_str()) {
                None => src.err(r.span(), format_args!("unknown rule {:?}", r.get_ref())),
                Some(false) => src.err(r.span(), format_args!("rule {:?} is standalone, not a field's", r.get_ref())),
                Some(true) => {}
            }
            if !seen.insert(r.get_ref()) {
                src.err(r.span(), format_args!("rule {:?} listed twice", r.get_ref()));
            }
            used_rules.insert(r.get_ref().clone());
        }
        for other in [&f.same_as, &f.differs_from].into_iter().flatten() {
            if !field_ids.contains(other.get_ref()) || other.get_ref() == id {
                src.err(other.span(), format_args!("unknown field {:?}", other.get_ref()));
            }
        }
        let opt = |o: &Option<S>| format!("{:?}", o.as_ref().map(|s| s.get_ref().as_str()));
        writeln!(
            out,
            "    Field {{ id: {id:?}, section: {section:?}, key: {key:?}, page: {:?}, console_keys: {}, labels: {}, widget: Widget::{}, secret: {}, check: Check::{}, rules: {}, focus: {}, same_as: {}, differs_from: {} }},",
            f.page.get_ref(),
            str_list(&f.keys),
            str_list(&f.labels),
            camel(f.widget.get_ref()),
            f.secret,
            camel(f.check.get_ref()),
            str_list(&f.rules),
            src.text(&f.focus, "focus"),
            opt(&f.same_as),
            opt(&f.differs_from),
        )
        .unwrap();
    }
    out.push_str("];\n\n");
    if let Some((unused, _)) = rules.iter().find(|(id, usable)| *usable && !used_rules.contains(id)) {
        fail(format!("{}: rule {unused:?} is used by no field (mark it standalone if it is about the file)", src.path.display()));
    }
    field_ids
}

fn compile_faq(dir: &Path, step_ids: &HashSet<String>, field_ids: &HashSet<String>, out: &mut String) {
    let src = Source::load(dir, "faq.toml");
    let file: FaqFile = src.parse();
    let mut ids = HashSet::new();
    out.push_str("pub static FAQS: &[Faq] = &[\n");
    for f in &file.faq {
        src.unique(&mut ids, &f.id, "faq");
        if f.patterns.is_empty() {
            src.err(f.id.span(), "a FAQ entry needs at least one pattern");
        }
        let mut compiled = String::from("&[");
        for p in &f.patterns {
            compiled.push_str("&[");
            for fragment in p.get_ref().split('…') {
                let normal = chars::normalize_for_match(fragment);
                if normal.is_empty() {
                    src.err(p.span(), format_args!("pattern {:?} does not compile: an empty fragment around '…'", p.get_ref()));
                }
                write!(compiled, "{normal:?}, ").unwrap();
            }
            compiled.push_str("], ");
        }
        compiled.push(']');
        if let Some(step) = &f.step {
            if !step_ids.contains(step.get_ref()) {
                src.err(step.span(), format_args!("unknown step {:?}", step.get_ref()));
            }
        }
        for field in &f.fields {
            if !field_ids.contains(field.get_ref()) {
                src.err(field.span(), format_args!("unknown field {:?}", field.get_ref()));
            }
        }
        writeln!(
            out,
            "    Faq {{ id: {:?}, patterns: {compiled}, written: {}, title: {}, cause: {}, fix: {}, step: {:?}, fields: {}, source: {:?} }},",
            f.id.get_ref(),
            str_list(&f.patterns),
            src.text(&f.title, "title"),
            src.text(&f.cause, "cause"),
            src.text(&f.fix, "fix"),
            f.step.as_ref().map(|s| s.get_ref().as_str()),
            str_list(&f.fields),
            f.source.get_ref(),
        )
        .unwrap();
    }
    out.push_str("];\n\n");
}

fn compile_etax(dir: &Path, out: &mut String) {
    let src = Source::load(dir, "etax.toml");
    let file: EtaxFile = src.parse();
    let mut names = HashSet::new();
    let mut codes = HashSet::new();
    out.push_str("pub static BUREAUS: &[Bureau] = &[\n");
    for b in &file.bureau {
        let code = b.code.get_ref();
        let digits = code.len() == 11 && code.bytes().all(|c| c.is_ascii_digit());
        // "1" + province + ("00" | city) + "000000": the pattern of the 36 codes (§5.3).
        if !digits || !code.starts_with('1') || !code.ends_with("000000") || &code[1..3] == "00" {
            src.err(b.code.span(), format_args!("bureau code {code:?} is not \"1\" + province + (\"00\" | city) + \"000000\""));
        }
        if !codes.insert(code.clone()) {
            src.err(b.code.span(), format_args!("duplicate bureau code {code:?}"));
        }
        let division = if &code[3..5] == "00" { &code[1..3] } else { &code[1..5] };
        for name in std::iter::once(&b.name).chain(&b.aliases) {
            if !names.insert(name.get_ref().clone()) {
                src.err(name.span(), format_args!("bureau name {:?} is used twice", name.get_ref()));
            }
        }
        writeln!(
            out,
            "    Bureau {{ code: {code:?}, name: {:?}, aliases: {}, division: {division:?} }},",
            b.name.get_ref(),
            str_list(&b.aliases)
        )
        .unwrap();
    }
    out.push_str("];\n\n");

    let mut seen = HashSet::new();
    out.push_str("pub static ROLES: &[&str] = &[\n");
    for r in &file.role {
        if !seen.insert(r.name.get_ref().clone()) {
            src.err(r.name.span(), format_args!("duplicate role {:?}", r.name.get_ref()));
        }
        writeln!(out, "    {:?},", r.name.get_ref()).unwrap();
    }
    out.push_str("];\n\n");

    out.push_str("pub static LOGIN_TYPES: &[LoginType] = &[\n");
    for l in &file.login_type {
        if !seen.insert(l.name.get_ref().clone()) {
            src.err(l.name.span(), format_args!("duplicate name {:?}", l.name.get_ref()));
        }
        writeln!(
            out,
            "    LoginType {{ name: {:?}, needs_app_keys: {}, supported: {} }},",
            l.name.get_ref(),
            l.needs_app_keys,
            l.supported
        )
        .unwrap();
    }
    out.push_str("];\n");
}
