//! The page-structure report of this document, as the popup asks for it (`Notice::PageReport`):
//! detection and binding as they are now, and the skeleton of what is visible.

use web_sys::Document;

use crate::console::{self, fields, skeleton};
use crate::core::detect::{identify, Observed};
use crate::core::i18n::Lang;
use crate::core::report::{self, Report};

pub fn page_report(document: &Document, lang: Lang) -> String {
    let visible = console::visible(document);
    let (page_text, dialog_texts) = visible.texts(document);
    let dialog_form_ids = visible.dialog_form_ids();
    let bindings = fields::bindings();
    let detected = identify(&Observed {
        form_id: visible.form_id.as_deref(),
        page_text: &page_text,
        dialog_texts: &dialog_texts,
        dialog_form_ids: &dialog_form_ids,
        bindings: Some(&bindings),
    });
    let root = visible.active_root(document);
    let bound = match (detected.current(), &root) {
        (Some(page), Some(root)) => fields::bind(root, page.id),
        _ => Vec::new(),
    };
    let unbound = root.as_ref().map(|root| fields::unbound(root, &bound)).unwrap_or_default();
    let how: Vec<(&'static str, &'static str)> = bound.iter().map(|b| (b.field.id, b.by.as_str())).collect();
    let href = document.location().and_then(|l| l.href().ok()).unwrap_or_default();
    report::render(&Report {
        lang,
        href: &href,
        form_id: visible.form_id.as_deref(),
        detected,
        bound: &how,
        unbound: &unbound,
        skeleton: &skeleton::read(document, &visible),
    })
}
