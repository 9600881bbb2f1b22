//! A console page that cannot run our wasm (its CSP forbids it) is read from snapshots: its
//! plain-JS content script (`www/fallback.js`) sends the body's markup with each control's value
//! written into it, marks the elements that had no layout box, and numbers the controls. Parsed
//! here into a document without a window, the same readers as on a live page apply.

use web_sys::{Document, DomParser, Element, SupportedType};

/// Elements that had no layout box on the page (not rendered, or inside something hidden).
pub const HIDDEN: &str = "[data-pa-hidden]";
/// Each control's number on the page, for 定位 (`SideAsk::Reveal`).
const REF: &str = "data-pa-ref";
/// The page's URL, kept on the parsed document's root (a parsed document has no location).
const URL: &str = "data-pa-url";

/// The snapshot's markup as a document (scripts do not run in it; nothing loads).
pub fn parse(html: &str, url: &str) -> Option<Document> {
    let document = DomParser::new().ok()?.parse_from_string(html, SupportedType::TextHtml).ok()?;
    document.document_element()?.set_attribute(URL, url).ok()?;
    Some(document)
}

/// Whether `element` belongs to a parsed snapshot rather than a live page.
pub fn is_snapshot(element: &Element) -> bool {
    element.owner_document().is_some_and(|d| d.default_view().is_none())
}

/// The URL of the page a snapshot was taken of.
pub fn url(document: &Document) -> Option<String> {
    document.default_view().is_none().then(|| document.document_element()?.get_attribute(URL)).flatten()
}

/// The page's number of the first control inside `container`.
pub fn control_ref(container: &Element) -> Option<String> {
    let control =
        if container.has_attribute(REF) { Some(container.clone()) } else { container.query_selector("[data-pa-ref]").ok().flatten() };
    control?.get_attribute(REF)
}
