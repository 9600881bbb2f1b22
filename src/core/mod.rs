//! Everything that can be decided without a browser. Never imports web-sys, yew or gloo.

pub mod bindings;
pub mod companies;
pub mod company_list;
pub mod detect;
pub mod endpoints;
pub mod faq;
pub mod guide;
pub mod i18n;
pub mod overlay;
pub mod piaozone;
pub mod progress;
pub mod protocol;
pub mod report;
pub mod search;
pub mod settings;
pub mod site;
pub mod trust;
pub mod validate;
