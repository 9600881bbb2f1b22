//! Sending the typed messages (`core::protocol`) to the background worker.

use super::chrome::{self, to_js};
pub use crate::core::protocol::{Notice, Request, Response};

/// Sends `request` to the background worker and reads its answer.
pub async fn send(request: &Request) -> Result<Response, String> {
    let reply = chrome::send_message(&to_js(request)).await.map_err(|e| chrome::error_text(&e))?;
    chrome::from_js(&reply).map_err(|e| format!("unexpected answer from the worker: {e}"))
}

/// `send` as the UI takes it (a prop): the request is dropped, its secrets wiped, once sent.
#[cfg(feature = "ui")]
pub fn sender() -> crate::ui::Sender {
    crate::ui::Sender::new(|request: Request| {
        Box::pin(async move {
            let response = send(&request).await;
            drop(request); // the secret's last copy on this side
            response
        })
    })
}

/// Asks the top frame of console tab `tab_id` (the side panel, the popup), through the worker.
#[cfg(any(feature = "side", feature = "settings"))]
pub async fn ask_tab(tab_id: i32, ask: crate::core::protocol::SideAsk) -> Result<crate::core::protocol::SideAnswer, String> {
    let reply = chrome::send_message(&to_js(&Request::SidePanel { tab_id, ask })).await.map_err(|e| chrome::error_text(&e))?;
    chrome::from_js(&reply).map_err(|e| format!("unexpected answer from the tab: {e}"))
}
