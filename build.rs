//! Compiles the knowledge base (`guide/*.toml`) into static Rust tables (`$OUT_DIR/guide_tables.rs`).
//! The build refuses inconsistent data and names the file and line: duplicate ids, references to
//! unknown ids, missing translations, malformed values.

use std::collections::HashSet;
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
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| fail(format!("{}: cannot read: {e}", path.display())));
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
        format!("Text {{ zh: {:?}, en: {:?} }}", pick("zh", &inner.zh), pick("en", &inner.en))
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
        writeln!(
            out,
            "    Page {{ id: {:?}, kind: {kind}, over: {:?}, title: {}, form_ids: {}, markers: {}, version: {} }},",
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
        writeln!(
            out,
            "    Step {{ id: {:?}, title: {}, required: {required}, condition: {condition}, branch: {}, path: {}, guidance: {}, pages: {} }},",
            s.id.get_ref(),
            steps_src.text(&s.title, "title"),
            steps_src.branch(&s.branch),
            steps_src.text(&s.path, "path"),
            steps_src.text(&s.guidance, "guidance"),
            str_list(&s.pages),
        )
        .unwrap();
    }
    out.push_str("];\n");

    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("guide_tables.rs");
    std::fs::write(dest, out).unwrap();
}
