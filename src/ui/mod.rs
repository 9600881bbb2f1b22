//! Yew components, rendered in our own shadow root.

use crate::core::protocol::{Request, Response};

pub mod app;
mod clipboard;
pub mod comparison;
pub mod connection;
pub mod overlay;
pub mod panel;
pub(crate) mod report;
#[cfg(feature = "settings")]
pub mod settings;
#[cfg(feature = "side")]
pub mod side;

/// How components reach the background worker: given as a prop by the content script
/// (`ext::messages::sender`), so that the UI only renders and asks.
#[derive(Clone)]
pub struct Sender(std::rc::Rc<dyn Fn(Request) -> Answer>);

type Answer = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Response, String>>>>;

impl Sender {
    pub fn new(send: impl Fn(Request) -> Answer + 'static) -> Sender {
        Sender(std::rc::Rc::new(send))
    }

    pub fn send(&self, request: Request) -> Answer {
        (self.0)(request)
    }
}

/// Without a worker (component tests): every request answers that none is there.
impl Default for Sender {
    fn default() -> Sender {
        Sender::new(|_| Box::pin(async { Err("no background worker".to_string()) }))
    }
}

impl PartialEq for Sender {
    fn eq(&self, other: &Sender) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Our stylesheet, injected into the shadow root (page CSS cannot reach in, ours cannot leak out).
pub const STYLE: &str = include_str!("style.css");
