//! Yew components, rendered in our own shadow root.

pub mod app;
mod clipboard;
pub mod comparison;
pub mod connection;
pub mod overlay;
mod panel;
mod report;

/// Our stylesheet, injected into the shadow root (page CSS cannot reach in, ours cannot leak out).
pub const STYLE: &str = include_str!("style.css");
