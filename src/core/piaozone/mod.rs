//! The Piaozone token API and the diagnosis of a connection test (issue 4), pure: the browser
//! worker and the `doctor` command make the calls, this module decides what to send and what the
//! answer means.
//!
//! A connection test, for any caller, is [`Diagnosis`]: it prechecks the values (`invalid_input`,
//! `tenant_key`: no call), asks for the token call, and on a refusal for the same keys against the
//! counterpart environment; the caller POSTs [`TokenRequest::new`]`(…).to_json()` to
//! [`token_url`]`(base)`, times it, and [`classify`]s what came back (an [`HttpAnswer`] or a
//! [`TransportError`]) into the [`Outcome`] it hands back.

pub mod diagnosis;
pub mod doctor_command;
pub mod environments;
pub mod outcome;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
mod sanitise;
pub mod secret;
pub mod sign;
pub mod token;
pub mod url;

pub use diagnosis::{ConnectionRequest, Diagnosis, Next};
pub use doctor_command::{doctor_command, doctor_command_shown};
pub use environments::{counterpart, default_pair, rows_from_stored, Environment, EnvironmentPair, EnvironmentRow, StoredEnvironment};
pub use outcome::{
    classify, Attempt, ConnectionInput, Explanation, HttpAnswer, InputProblem, InvalidField, Outcome, OutcomeKind, Stage, TransportError,
};
pub use sanitise::excerpt;
pub use secret::Secret;
pub use sign::{sign, EncType};
pub use token::{parse_token_response, token_url, TokenRequest, TokenResponse, SUCCESS_ERRCODE, TOKEN_PATH};
pub use url::{HttpUrl, Scheme};
