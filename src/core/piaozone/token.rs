//! The token call, `POST {base}/base/oauth/token` with `client_id`, `timestamp`, `sign`: what to send and how to
//! read the answer. No I/O here: the browser worker and the CLI each make the call their own way.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::sign::{sign, EncType};

pub const TOKEN_PATH: &str = "/base/oauth/token";

/// The errcode Piaozone answers on success; every other code is a refusal.
pub const SUCCESS_ERRCODE: &str = "0000";

/// The token URL for a base URL as admins type it, with or without a trailing slash.
pub fn token_url(base: &str) -> String {
    format!("{}{TOKEN_PATH}", base.trim().trim_end_matches('/'))
}

/// The JSON body of the token call.
///
/// `encType` is sent only for SHA-256 and HMAC-SHA-256. That the token endpoint reads it at all is
/// an inference (Piaozone's token page documents only the three fields; other endpoints carry
/// `encType` as a string; every public token client sends MD5 without it and succeeds).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct TokenRequest {
    pub client_id: String,
    /// Milliseconds since the Unix epoch, as a string (the doc's Java sample).
    pub timestamp: String,
    pub sign: String,
    #[serde(rename = "encType", skip_serializing_if = "Option::is_none")]
    pub enc_type: Option<String>,
}

impl TokenRequest {
    pub fn new(client_id: &str, client_secret: &str, timestamp_ms: u64, enc: EncType) -> Self {
        let timestamp = timestamp_ms.to_string();
        TokenRequest {
            client_id: client_id.to_owned(),
            sign: sign(client_id, client_secret, &timestamp, enc),
            timestamp,
            enc_type: (enc != EncType::Md5).then(|| enc.code().to_string()),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a struct of strings always serialises")
    }
}

/// The signature is derived from the secret: it stays out of logs and debug output.
impl fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRequest")
            .field("client_id", &self.client_id)
            .field("timestamp", &self.timestamp)
            .field("sign", &"<redacted>")
            .field("enc_type", &self.enc_type)
            .finish()
    }
}

/// What the token endpoint answered, without the token itself: nothing downstream needs it, and
/// what is not kept cannot leak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenResponse {
    pub errcode: String,
    pub description: String,
    pub received_token: bool,
    pub token_type: Option<String>,
    pub expires_in: Option<u64>,
}

impl TokenResponse {
    pub fn is_success(&self) -> bool {
        self.errcode == SUCCESS_ERRCODE
    }
}

/// Reads the flat response `{errcode, description, access_token, token_type, expires_in}`, also
/// accepting the token fields under `data` and `errcode`/`expires_in` as numbers or strings.
/// `None` when the body is not a JSON object with an `errcode`: then it did not come from Piaozone.
pub fn parse_token_response(body: &str) -> Option<TokenResponse> {
    let json: Value = serde_json::from_str(body.trim_start_matches('\u{feff}')).ok()?;
    let root = json.as_object()?;
    let errcode = scalar_text(root.get("errcode")?)?;
    let data = root.get("data").and_then(Value::as_object);
    let field = |name: &str| root.get(name).or_else(|| data.and_then(|data| data.get(name)));
    Some(TokenResponse {
        errcode,
        description: field("description").or_else(|| field("message")).and_then(scalar_text).unwrap_or_default(),
        received_token: field("access_token").and_then(Value::as_str).is_some_and(|token| !token.trim().is_empty()),
        token_type: field("token_type").and_then(scalar_text),
        expires_in: field("expires_in").and_then(|value| match value {
            Value::Number(number) => number.as_u64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }),
    })
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_url_accepts_a_trailing_slash_or_none() {
        assert_eq!(token_url("https://api.piaozone.com"), "https://api.piaozone.com/base/oauth/token");
        assert_eq!(token_url("https://api.piaozone.com/"), "https://api.piaozone.com/base/oauth/token");
        assert_eq!(token_url(" https://api-dev.piaozone.com/test/ "), "https://api-dev.piaozone.com/test/base/oauth/token");
    }

    #[test]
    fn md5_request_has_exactly_the_three_documented_fields() {
        let request = TokenRequest::new("pz_prod_demo", "prod-demo-secret", 1_700_000_000_000, EncType::Md5);
        let json: Value = serde_json::from_str(&request.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "client_id": "pz_prod_demo",
                "timestamp": "1700000000000",
                "sign": "1daf6e4207fc4c8d3fc961796720f899",
            })
        );
    }

    #[test]
    fn other_sign_types_add_enc_type_as_a_string() {
        let request = TokenRequest::new("pz_prod_demo", "prod-demo-secret", 1_700_000_000_000, EncType::HmacSha256);
        let json: Value = serde_json::from_str(&request.to_json()).unwrap();
        assert_eq!(json["encType"], "2");
        assert_eq!(json["sign"], "3408eccff1202a3873636692af08cb295cc6eeb483573c50880b4acf30bfd401");
    }

    #[test]
    fn debug_output_hides_the_signature() {
        let request = TokenRequest::new("id", "secret", 1, EncType::Md5);
        assert!(!format!("{request:?}").contains(&request.sign));
    }

    #[test]
    fn reads_the_documented_flat_success() {
        let body = r#"{"errcode":"0000","description":"操作成功","access_token":"abc","token_type":"bearer","expires_in":129600}"#;
        let response = parse_token_response(body).unwrap();
        assert!(response.is_success());
        assert!(response.received_token);
        assert_eq!(response.expires_in, Some(129600));
        assert_eq!(response.token_type.as_deref(), Some("bearer"));
        assert_eq!(response.description, "操作成功");
    }

    #[test]
    fn tolerates_data_wrapping_and_string_numbers() {
        let body = r#"{"errcode":0,"description":"ok","data":{"access_token":"abc","expires_in":"7200"}}"#;
        let response = parse_token_response(body).unwrap();
        assert_eq!(response.errcode, "0");
        assert!(!response.is_success(), "only the string 0000 is success");
        assert!(response.received_token);
        assert_eq!(response.expires_in, Some(7200));

        let body = r#"{"errcode":"0000","data":{"access_token":"abc","expires_in":"7200"}}"#;
        assert!(parse_token_response(body).unwrap().is_success());
    }

    #[test]
    fn reads_a_refusal_without_token() {
        let response = parse_token_response(r#"{"errcode":"1002","description":"非法的客户id"}"#).unwrap();
        assert!(!response.is_success());
        assert!(!response.received_token);
        assert_eq!(response.description, "非法的客户id");
        assert_eq!(response.expires_in, None);
    }

    #[test]
    fn anything_without_an_errcode_is_not_a_token_response() {
        for body in ["", "<html></html>", "[]", r#"{"access_token":"abc"}"#, r#"{"errcode":null}"#, "\u{1}\u{2}"] {
            assert_eq!(parse_token_response(body), None, "{body:?}");
        }
    }
}
