//! A Client Secret or Encrypt Key held by the program: the extension's message to the worker, the
//! `doctor` command's options.

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

/// Serialised as the plain string (the message to the worker carries it so), but never shown by
/// `Debug`, so a logged value cannot leak it, and wiped from memory when dropped.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_it_and_serde_carries_it_plain() {
        let secret = Secret("Zq7SECRETvalue42".to_owned());
        assert_eq!(format!("{secret:?}"), "<redacted>");
        let json = serde_json::to_string(&secret).unwrap();
        assert_eq!(json, r#""Zq7SECRETvalue42""#);
        assert_eq!(serde_json::from_str::<Secret>(&json).unwrap(), secret);
    }
}
