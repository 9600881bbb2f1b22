//! What the connection test reads off its page (发票云授权配置): the values it sends, bound as the
//! overlays bind them (`fields::bind`: key, then label), and where the console's own button is
//! (guide/pages.toml `test_button`).

use web_sys::{Document, Element};

use super::{button, fields, visible_tab_page};
use crate::core::guide;
use crate::core::piaozone::{ConnectionRequest, Secret};

/// The page's values at the admin's click. The two keys are `Secret`s (wiped when dropped).
#[derive(Default)]
pub struct AuthValues {
    pub url: String,
    pub client_id: String,
    pub proxy: String,
    pub client_secret: Secret,
    pub encrypt_key: Option<Secret>,
}

impl AuthValues {
    /// The token call's request: the secrets move into it (the proxy is not sent).
    pub fn into_request(self) -> ConnectionRequest {
        ConnectionRequest { url: self.url, client_id: self.client_id, client_secret: self.client_secret, encrypt_key: self.encrypt_key }
    }
}

fn scope(document: &Document) -> Option<Element> {
    visible_tab_page(document).or_else(|| document.body().map(Into::into))
}

/// The values of `page` (the one whose fields the test sends).
pub fn values(document: &Document, page: &str) -> AuthValues {
    let mut values = AuthValues::default();
    for bound in scope(document).iter().flat_map(|s| fields::bind(s, page)) {
        let value = bound.value();
        match bound.field.id {
            "auth.url" => values.url = value,
            "auth.client_id" => values.client_id = value,
            "auth.proxy" => values.proxy = value,
            "auth.client_secret" => values.client_secret = Secret(value),
            "auth.encrypt_key" => values.encrypt_key = Some(Secret(value)),
            _ => {}
        }
    }
    values
}

/// The console's own test button of `page` in the visible tab, by its id where known, else by
/// its text (live consoles render toolbar items as `<div>`s): its viewport rectangle when shown.
pub fn test_button(document: &Document, page: &str) -> Option<web_sys::DomRect> {
    let known = guide::page(page)?.test_button?;
    let scope = scope(document)?;
    let by_id = known.id.and_then(|id| scope.query_selector(&format!("#{id}")).ok().flatten());
    let rect = by_id.or_else(|| button(&scope, known.text))?.get_bounding_client_rect();
    (rect.width() > 0.0).then_some(rect)
}
