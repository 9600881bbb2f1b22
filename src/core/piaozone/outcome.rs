//! The diagnosis of one connection test: a pure classification of what happened on the wire into
//! the outcome an admin can act on, with its explanation and next step in both languages (the
//! guide's FAQ "连接测试不通过如何排查？"). The texts are data: guide/outcomes.toml.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::environments::{counterpart, Environment, EnvironmentPair};
use super::sanitise::{contains_ignoring_case, excerpt, sanitise, without_token_like, without_tokens};
use super::token::{parse_token_response, TokenRequest};
use super::url::HttpUrl;
use crate::core::guide::{self, KindTexts, StageTexts};
use crate::core::i18n::{self, Lang, Text};

/// Each kind serialises as the snake_case string the UI puts in `data-outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Ok,
    CredentialsRejected,
    EnvironmentMismatch,
    TenantKey,
    Unreachable,
    NotPiaozone,
    HttpError,
    InvalidInput,
    /// The url answered with a redirect, which is never followed: the signed request goes only to
    /// the address the admin entered.
    Redirected,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 9] = [
        OutcomeKind::Ok,
        OutcomeKind::CredentialsRejected,
        OutcomeKind::EnvironmentMismatch,
        OutcomeKind::TenantKey,
        OutcomeKind::Unreachable,
        OutcomeKind::NotPiaozone,
        OutcomeKind::HttpError,
        OutcomeKind::InvalidInput,
        OutcomeKind::Redirected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Ok => "ok",
            OutcomeKind::CredentialsRejected => "credentials_rejected",
            OutcomeKind::EnvironmentMismatch => "environment_mismatch",
            OutcomeKind::TenantKey => "tenant_key",
            OutcomeKind::Unreachable => "unreachable",
            OutcomeKind::NotPiaozone => "not_piaozone",
            OutcomeKind::HttpError => "http_error",
            OutcomeKind::InvalidInput => "invalid_input",
            OutcomeKind::Redirected => "redirected",
        }
    }

    /// Its texts in guide/outcomes.toml, found by id (a test checks every kind has them).
    pub fn texts(self) -> &'static KindTexts {
        guide::by_id(guide::OUTCOME_KINDS, self.as_str()).unwrap_or_else(|| panic!("guide/outcomes.toml has no kind {:?}", self.as_str()))
    }
}

/// The stage of the call that failed before any HTTP answer came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Dns,
    Connect,
    Tls,
    /// Connected and sent, but no answer within the time allowed.
    Timeout,
    Proxy,
    Other,
}

impl Stage {
    pub const ALL: [Stage; 6] = [Stage::Dns, Stage::Connect, Stage::Tls, Stage::Timeout, Stage::Proxy, Stage::Other];

    /// As serialised, and its id in guide/outcomes.toml.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Dns => "dns",
            Stage::Connect => "connect",
            Stage::Tls => "tls",
            Stage::Timeout => "timeout",
            Stage::Proxy => "proxy",
            Stage::Other => "other",
        }
    }

    /// Its texts in guide/outcomes.toml, found by id (a test checks every stage has them).
    pub fn texts(self) -> &'static StageTexts {
        guide::by_id(guide::OUTCOME_STAGES, self.as_str()).unwrap_or_else(|| panic!("guide/outcomes.toml has no stage {:?}", self.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransportError {
    pub stage: Stage,
    /// The platform's own words (an OS error, a fetch error); sanitised before it is shown.
    pub detail: String,
}

/// An HTTP answer, whatever its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpAnswer<'a> {
    pub status: u16,
    pub content_type: Option<&'a str>,
    /// The `Location` header, which tells where a redirect was going.
    pub location: Option<&'a str>,
    pub body: &'a str,
}

/// What one token call produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt<'a> {
    Answered(HttpAnswer<'a>),
    Failed(&'a TransportError),
    /// A browser's fetch with `redirect: "manual"` met a redirect: neither its status nor its
    /// target is readable there.
    Redirected,
}

/// What a local precheck found wrong with a field, before any call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputProblem {
    Empty,
    NotHttpUrl,
    /// Spaces, tabs, NBSP, full-width or zero-width spaces: pasted along with the value.
    Whitespace,
    EncryptKeyLength {
        found: usize,
    },
}

/// On the wire (doctor's JSON, the worker's answer) it is flat: `{"field", "problem", "found"?}`.
/// Written through [`InvalidFieldWire`] rather than `#[serde(flatten)]` with a tagged enum, which
/// would pull serde's buffering deserialiser into the wasm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "InvalidFieldWire", try_from = "InvalidFieldWire")]
pub struct InvalidField {
    /// The field id, as in the `check` file and `data-field`: `auth.url`, `auth.client_id`, ….
    pub field: String,
    pub problem: InputProblem,
}

#[derive(Serialize, Deserialize)]
struct InvalidFieldWire {
    field: String,
    problem: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    found: Option<usize>,
}

impl From<InvalidField> for InvalidFieldWire {
    fn from(invalid: InvalidField) -> Self {
        let (problem, found) = match invalid.problem {
            InputProblem::Empty => ("empty", None),
            InputProblem::NotHttpUrl => ("not_http_url", None),
            InputProblem::Whitespace => ("whitespace", None),
            InputProblem::EncryptKeyLength { found } => ("encrypt_key_length", Some(found)),
        };
        InvalidFieldWire { field: invalid.field, problem: problem.into(), found }
    }
}

impl TryFrom<InvalidFieldWire> for InvalidField {
    type Error = String;

    fn try_from(wire: InvalidFieldWire) -> Result<Self, String> {
        let problem = match (wire.problem.as_str(), wire.found) {
            ("empty", _) => InputProblem::Empty,
            ("not_http_url", _) => InputProblem::NotHttpUrl,
            ("whitespace", _) => InputProblem::Whitespace,
            ("encrypt_key_length", Some(found)) => InputProblem::EncryptKeyLength { found },
            (other, _) => return Err(format!("unknown input problem {other:?}")),
        };
        Ok(InvalidField { field: wire.field, problem })
    }
}

/// The diagnosis. `kind` decides the texts; the other fields are the particulars shown with them.
/// It never holds the secret, the signature or the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub kind: OutcomeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errcode: Option<String>,
    /// Piaozone's own `description`, sanitised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// Transport error text, or where a redirect pointed; sanitised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The start of a body that was not Piaozone's JSON, sanitised (see [`excerpt`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invalid_fields: Vec<InvalidField>,
    /// Problems of fields the token call does not use (the Encrypt Key): shown beside the result,
    /// never a reason not to call.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub untested_fields: Vec<InvalidField>,
    /// For `environment_mismatch`: the base URL where these keys work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_environment: Option<String>,
    /// For `credentials_rejected`: the counterpart environment refused the keys as well.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub also_rejected_by: Option<String>,
}

impl Outcome {
    pub fn new(kind: OutcomeKind) -> Outcome {
        Outcome {
            kind,
            latency_ms: None,
            http_status: None,
            expires_in: None,
            errcode: None,
            description: None,
            stage: None,
            detail: None,
            excerpt: None,
            invalid_fields: Vec::new(),
            untested_fields: Vec::new(),
            right_url: None,
            right_environment: None,
            also_rejected_by: None,
        }
    }

    pub fn is_ok(&self) -> bool {
        self.kind == OutcomeKind::Ok
    }

    /// Title, explanation with the particulars, and the next step, in one language.
    pub fn explain(&self, lang: Lang) -> Explanation {
        let texts = self.kind.texts();
        let fill = |text: &Text| i18n::fill(text.get(lang), |name| self.placeholder(name));
        let mut explanation = fill(&texts.explanation);
        let mut add = |text: &Text| {
            // Chinese sentences end in a full-width stop and need no space between them.
            if lang == Lang::En {
                explanation.push(' ');
            }
            explanation.push_str(&fill(text));
        };
        match self.kind {
            OutcomeKind::Ok => {
                if self.expires_in.is_some() {
                    add(detail("expires_in"));
                }
            }
            OutcomeKind::CredentialsRejected => {
                add(detail("server_said"));
                let description = self.description.as_deref().unwrap_or_default();
                if let Some((_, text)) = guide::OUTCOME_REFUSALS.iter().find(|(marker, _)| contains_ignoring_case(description, marker)) {
                    add(text);
                }
                if self.also_rejected_by.is_some() {
                    add(detail("also_rejected"));
                }
            }
            OutcomeKind::Unreachable => {
                if let Some(stage) = self.stage {
                    add(&stage.texts().explanation);
                }
                if self.detail.is_some() {
                    add(detail("transport"));
                }
            }
            OutcomeKind::Redirected => {
                if self.detail.is_some() {
                    add(detail("redirect"));
                }
            }
            OutcomeKind::NotPiaozone | OutcomeKind::HttpError => {
                if self.excerpt.is_some() {
                    add(detail("excerpt"));
                }
            }
            OutcomeKind::InvalidInput => {
                for invalid in &self.invalid_fields {
                    explanation.push_str(&format!("\n- {}: {}", field_label(&invalid.field), invalid.problem.text(lang)));
                }
            }
            OutcomeKind::EnvironmentMismatch | OutcomeKind::TenantKey => {}
        }
        for untested in &self.untested_fields {
            explanation.push_str(&i18n::fill(detail("untested").get(lang), |name| match name {
                "field" => Some(field_label(&untested.field).to_owned()),
                "problem" => Some(untested.problem.text(lang)),
                _ => None,
            }));
        }
        let mut fix = fill(&texts.fix);
        if let (OutcomeKind::Unreachable, Some(stage)) = (self.kind, self.stage) {
            fix = format!("{} {fix}", stage.texts().fix.get(lang));
        }
        Explanation { kind: self.kind, title: texts.title.get(lang).to_owned(), explanation, fix }
    }

    /// The value of a placeholder of guide/outcomes.toml (build.rs allows only these names).
    fn placeholder(&self, name: &str) -> Option<String> {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let number = |value: Option<u64>| value.map(|value| value.to_string()).unwrap_or_default();
        Some(match name {
            "latency_ms" => number(self.latency_ms),
            "status" => number(self.http_status.map(u64::from)),
            "expires_in" => number(self.expires_in),
            "errcode" => text(&self.errcode),
            "description" => text(&self.description),
            "detail" => text(&self.detail),
            "excerpt" => text(&self.excerpt),
            "right_url" => text(&self.right_url),
            "also_rejected_by" => text(&self.also_rejected_by),
            _ => return None,
        })
    }
}

/// What the card and the CLI show for an outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub kind: OutcomeKind,
    pub title: String,
    pub explanation: String,
    pub fix: String,
}

impl InputProblem {
    /// Its id in guide/outcomes.toml `[[problem]]`.
    fn id(self) -> &'static str {
        match self {
            InputProblem::Empty => "empty",
            InputProblem::NotHttpUrl => "not_http_url",
            InputProblem::Whitespace => "whitespace",
            InputProblem::EncryptKeyLength { .. } => "encrypt_key_length",
        }
    }

    pub fn text(self, lang: Lang) -> String {
        let text =
            guide::by_id(guide::INPUT_PROBLEMS, self.id()).unwrap_or_else(|| panic!("guide/outcomes.toml has no problem {:?}", self.id()));
        i18n::fill(text.get(lang), |name| match (name, self) {
            ("found", InputProblem::EncryptKeyLength { found }) => Some(found.to_string()),
            _ => None,
        })
    }
}

/// A detail sentence of guide/outcomes.toml (each id used here is checked by a test).
fn detail(id: &str) -> &'static Text {
    guide::by_id(guide::OUTCOME_DETAILS, id).unwrap_or_else(|| panic!("guide/outcomes.toml has no detail {id:?}"))
}

/// The values of the 发票云授权配置 page that a connection test uses. `encrypt_key` is not part of
/// the token call (its sign is MD5(client_id + secret + timestamp)); it is checked when the caller
/// has it, since a wrong one fails every later call, and its problem is reported beside the result.
#[derive(Clone, Copy)]
pub struct ConnectionInput<'a> {
    pub url: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub encrypt_key: Option<&'a str>,
}

/// The two keys stay out of logs and debug output; whether an Encrypt Key was given is not secret.
impl fmt::Debug for ConnectionInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionInput")
            .field("url", &self.url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("encrypt_key", &self.encrypt_key.map(|_| "<redacted>"))
            .finish()
    }
}

/// The checks made before any call: `invalid_input` listing the bad fields the call uses, else
/// `tenant_key` for a `TN_` client id (the call would prove nothing about this page), else `None`:
/// go ahead. The Encrypt Key never stops the call; a refusal carries its problem like [`conclude`].
pub(super) fn precheck(input: &ConnectionInput<'_>) -> Option<Outcome> {
    let mut invalid = Vec::new();
    let mut flag = |field: &str, problem: InputProblem| invalid.push(InvalidField { field: field.to_owned(), problem });
    if input.url.trim().is_empty() {
        flag("auth.url", InputProblem::Empty);
    } else if HttpUrl::parse(input.url).is_none() {
        flag("auth.url", InputProblem::NotHttpUrl);
    }
    for (field, value) in [("auth.client_id", input.client_id), ("auth.client_secret", input.client_secret)] {
        if let Some(problem) = credential_problem(value) {
            flag(field, problem);
        }
    }
    let refusal = if !invalid.is_empty() {
        Outcome { invalid_fields: invalid, ..Outcome::new(OutcomeKind::InvalidInput) }
    } else if input.client_id.starts_with("TN_") {
        Outcome::new(OutcomeKind::TenantKey)
    } else {
        return None;
    };
    Some(conclude(refusal, input))
}

/// What makes a credential unusable as typed: nothing at all, or blanks pasted along with it.
fn credential_problem(value: &str) -> Option<InputProblem> {
    if value.is_empty() {
        Some(InputProblem::Empty)
    } else if value.chars().any(is_blank) {
        Some(InputProblem::Whitespace)
    } else {
        None
    }
}

/// The outcome as shown: with the Encrypt Key's problem, which no token call can reveal.
pub(super) fn conclude(outcome: Outcome, input: &ConnectionInput<'_>) -> Outcome {
    let key_problem = input.encrypt_key.and_then(|key| {
        let found = key.chars().count();
        credential_problem(key).or((found != ENCRYPT_KEY_LENGTH).then_some(InputProblem::EncryptKeyLength { found }))
    });
    Outcome {
        untested_fields: key_problem.map(|problem| InvalidField { field: "auth.encrypt_key".to_owned(), problem }).into_iter().collect(),
        ..outcome
    }
}

/// The Encrypt Key is an AES-128 key: 16 characters.
const ENCRYPT_KEY_LENGTH: usize = 16;

fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Classifies one token call. `latency_ms` is the caller's measure from sending to the end of the
/// answer (or to the failure).
pub fn classify(attempt: Attempt<'_>, latency_ms: u64) -> Outcome {
    let answer = match attempt {
        Attempt::Failed(error) => {
            return Outcome {
                latency_ms: Some(latency_ms),
                stage: Some(error.stage),
                detail: Some(sanitise(&error.detail)).filter(|detail| !detail.is_empty()),
                ..Outcome::new(OutcomeKind::Unreachable)
            }
        }
        Attempt::Redirected => {
            return Outcome { latency_ms: Some(latency_ms), ..Outcome::new(OutcomeKind::Redirected) };
        }
        Attempt::Answered(answer) => answer,
    };
    let answered = |kind| Outcome { latency_ms: Some(latency_ms), http_status: Some(answer.status), ..Outcome::new(kind) };
    if (300..400).contains(&answer.status) {
        return Outcome {
            detail: Some(match answer.location {
                // Without its query and fragment: a redirect may carry a token or a signature there.
                Some(location) => format!("HTTP {} → {}", answer.status, sanitise(location.split(['?', '#']).next().unwrap_or_default())),
                None => format!("HTTP {}", answer.status),
            }),
            ..answered(OutcomeKind::Redirected)
        };
    }
    let server_error = answer.status >= 500;
    if let Some(response) = parse_token_response(answer.body) {
        let success_status = (200..300).contains(&answer.status);
        let described = |kind| Outcome {
            errcode: Some(sanitise(&response.errcode)),
            description: Some(sanitise(&response.description)).filter(|text| !text.is_empty()),
            ..answered(kind)
        };
        if response.is_success() && response.received_token && success_status {
            return Outcome { expires_in: response.expires_in, ..answered(OutcomeKind::Ok) };
        }
        if !response.is_success() && !server_error {
            return described(OutcomeKind::CredentialsRejected);
        }
        if server_error {
            return described(OutcomeKind::HttpError);
        }
        // "0000" without a token, or on a non-2xx status: shaped like Piaozone, but not its answer.
    }
    let html = answer.content_type.is_some_and(|content_type| contains_ignoring_case(content_type, "html"))
        || answer.body.trim_start().starts_with('<');
    let kind = if answer.status >= 400 && !html { OutcomeKind::HttpError } else { OutcomeKind::NotPiaozone };
    Outcome { excerpt: Some(excerpt(&without_tokens(answer.body))).filter(|text| !text.is_empty()), ..answered(kind) }
}

impl Outcome {
    /// The outcome fit for the card and the report: without the `client_id`, `timestamp` and
    /// `sign` that were `sent`, nor anything token-like, wherever an answer repeated them (a
    /// relay echoing the request in its `description`, a redirect's target, a body's excerpt).
    pub fn without_echoes(mut self, sent: &TokenRequest) -> Outcome {
        let echoes = [sent.client_id.as_str(), sent.timestamp.as_str(), sent.sign.as_str()];
        for text in [&mut self.errcode, &mut self.description, &mut self.detail, &mut self.excerpt].into_iter().flatten() {
            let mut shown = text.clone();
            for echo in echoes.iter().filter(|echo| !echo.is_empty()) {
                shown = shown.replace(echo, "…");
            }
            *text = without_token_like(&shown);
        }
        self
    }
}

/// The counterpart environment to probe with the same keys: only after the keys were refused, and
/// only when the base URL belongs to a known pair.
pub(super) fn probe_target<'a>(first: &Outcome, base: &str, pairs: &'a [EnvironmentPair]) -> Option<&'a Environment> {
    if first.kind == OutcomeKind::CredentialsRejected {
        counterpart(base, pairs)
    } else {
        None
    }
}

/// The final diagnosis from the first call and, when one ran, the probe of the counterpart.
pub(super) fn combine(first: Outcome, probe: Option<(&Environment, &Outcome)>) -> Outcome {
    match probe {
        Some((environment, probed)) if first.kind == OutcomeKind::CredentialsRejected => match probed.kind {
            OutcomeKind::Ok => Outcome {
                kind: OutcomeKind::EnvironmentMismatch,
                right_url: Some(environment.base.clone()),
                right_environment: Some(environment.name.clone()),
                ..first
            },
            OutcomeKind::CredentialsRejected => Outcome { also_rejected_by: Some(environment.base.clone()), ..first },
            _ => first,
        },
        _ => first,
    }
}

/// How the console labels a field (its first label in guide/fields.toml).
fn field_label(field: &str) -> &str {
    guide::field(field).and_then(|f| f.labels.first().copied()).unwrap_or(field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::piaozone::environments::default_pair;
    use crate::core::piaozone::EncType;

    const JSON: Option<&str> = Some("application/json;charset=UTF-8");
    const HTML: Option<&str> = Some("text/html");

    #[test]
    fn every_outcome_and_stage_has_its_texts_and_every_text_is_used() {
        fn ids<T>(table: &[(&str, T)]) -> std::collections::BTreeSet<String> {
            table.iter().map(|(id, _)| id.to_string()).collect()
        }
        assert_eq!(ids(guide::OUTCOME_KINDS), OutcomeKind::ALL.iter().map(|k| k.as_str().to_string()).collect());
        assert_eq!(ids(guide::OUTCOME_STAGES), Stage::ALL.iter().map(|s| s.as_str().to_string()).collect());
        for stage in Stage::ALL {
            assert_eq!(serde_json::to_value(stage).unwrap(), stage.as_str(), "the serialised name is the id");
        }
        let details = ["expires_in", "server_said", "also_rejected", "transport", "redirect", "excerpt", "untested"];
        assert_eq!(ids(guide::OUTCOME_DETAILS), details.iter().map(|d| d.to_string()).collect());
        let problems =
            [InputProblem::Empty, InputProblem::NotHttpUrl, InputProblem::Whitespace, InputProblem::EncryptKeyLength { found: 3 }];
        assert_eq!(ids(guide::INPUT_PROBLEMS), problems.iter().map(|p| p.id().to_string()).collect());
        assert_eq!(InputProblem::EncryptKeyLength { found: 3 }.text(Lang::En), "must be 16 characters, found 3");
    }

    #[test]
    fn a_servers_description_is_shown_as_it_is_even_with_placeholders_in_it() {
        let outcome = Outcome {
            errcode: Some("1002".into()),
            description: Some("非法的客户id {right_url} {latency_ms}".into()),
            right_url: Some("https://api-dev.piaozone.com/test".into()),
            ..Outcome::new(OutcomeKind::CredentialsRejected)
        };
        let explained = outcome.explain(Lang::Zh).explanation;
        assert!(explained.contains("发票云返回：1002 非法的客户id {right_url} {latency_ms}。"), "{explained}");
    }

    #[test]
    fn debug_output_hides_both_keys() {
        let input = ConnectionInput {
            url: "https://api.piaozone.com",
            client_id: "pz_prod_demo",
            client_secret: "Zq7SECRETvalue42",
            encrypt_key: Some("KeY16charsSECRET"),
        };
        let shown = format!("{input:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("pz_prod_demo") && shown.contains("api.piaozone.com"), "{shown}");
    }

    fn answer(status: u16, content_type: Option<&'static str>, body: &'static str) -> Outcome {
        classify(Attempt::Answered(HttpAnswer { status, content_type, location: None, body }), 42)
    }

    #[test]
    fn classification_table() {
        let ok = r#"{"errcode":"0000","description":"操作成功","access_token":"t0k3n","token_type":"bearer","expires_in":129600}"#;
        let rows: &[(u16, Option<&'static str>, &'static str, OutcomeKind)] = &[
            (200, JSON, ok, OutcomeKind::Ok),
            (200, None, ok, OutcomeKind::Ok),
            (200, HTML, ok, OutcomeKind::Ok),
            (200, JSON, r#"{"errcode":"0000","data":{"access_token":"t","expires_in":"60"}}"#, OutcomeKind::Ok),
            (200, JSON, r#"{"errcode":"1002","description":"非法的客户id"}"#, OutcomeKind::CredentialsRejected),
            (200, JSON, r#"{"errcode":"1003","description":"签名认证不通过"}"#, OutcomeKind::CredentialsRejected),
            (400, JSON, r#"{"errcode":1001,"description":"应用id不能为空"}"#, OutcomeKind::CredentialsRejected),
            (200, JSON, r#"{"errcode":"0000","description":"操作成功"}"#, OutcomeKind::NotPiaozone),
            (302, JSON, ok, OutcomeKind::Redirected),
            (200, HTML, "<html><title>Portal</title></html>", OutcomeKind::NotPiaozone),
            (200, JSON, "\u{0}\u{7f}garbage{{", OutcomeKind::NotPiaozone),
            (200, None, "", OutcomeKind::NotPiaozone),
            (404, HTML, "<h1>Not Found</h1>", OutcomeKind::NotPiaozone),
            (502, None, "<html>Bad Gateway</html>", OutcomeKind::NotPiaozone),
            (301, None, "", OutcomeKind::Redirected),
            (404, Some("text/plain"), "not found", OutcomeKind::HttpError),
            (500, JSON, r#"{"errcode":"9999","description":"系统异常"}"#, OutcomeKind::HttpError),
            (503, None, "", OutcomeKind::HttpError),
            (405, JSON, r#"{"error":"method"}"#, OutcomeKind::HttpError),
        ];
        for &(status, content_type, body, expected) in rows {
            let outcome = answer(status, content_type, body);
            assert_eq!(outcome.kind, expected, "HTTP {status} {content_type:?} {body:?}");
            assert_eq!(outcome.http_status, Some(status));
            assert_eq!(outcome.latency_ms, Some(42));
        }
    }

    #[test]
    fn ok_reports_expiry_and_latency_but_never_the_token() {
        let outcome = answer(200, JSON, r#"{"errcode":"0000","access_token":"t0k3n-secret","expires_in":129600}"#);
        assert_eq!(outcome.expires_in, Some(129600));
        let shown = format!(
            "{} {} {:?}",
            serde_json::to_string(&outcome).unwrap(),
            serde_json::to_string(&outcome.explain(Lang::En)).unwrap(),
            outcome.explain(Lang::Zh)
        );
        assert!(!shown.contains("t0k3n"), "{shown}");
        assert!(shown.contains("129600") && shown.contains("42 ms"), "{shown}");
    }

    #[test]
    fn refusals_keep_the_server_words_and_explain_them() {
        let outcome = answer(200, JSON, r#"{"errcode":"1002","description":"非法的客户ID"}"#);
        assert_eq!(outcome.errcode.as_deref(), Some("1002"));
        assert_eq!(outcome.description.as_deref(), Some("非法的客户ID"));
        let zh = outcome.explain(Lang::Zh);
        assert!(zh.explanation.contains("这个环境不认识该 Client id"), "{}", zh.explanation);
        let en = answer(200, JSON, r#"{"errcode":"1003","description":"签名认证不通过"}"#).explain(Lang::En);
        assert!(en.explanation.contains("signature did not verify"), "{}", en.explanation);
        let en = answer(200, JSON, r#"{"errcode":"1001","description":"应用id不能为空"}"#).explain(Lang::En);
        assert!(en.explanation.contains("carried no Client id"), "{}", en.explanation);
    }

    #[test]
    fn transport_failures_name_their_stage() {
        for stage in Stage::ALL {
            let error = TransportError { stage, detail: "Connection refused (os error 111)\n".to_owned() };
            let outcome = classify(Attempt::Failed(&error), 7);
            assert_eq!(outcome.kind, OutcomeKind::Unreachable);
            assert_eq!(outcome.stage, Some(stage));
            assert_eq!(outcome.detail.as_deref(), Some("Connection refused (os error 111)"));
            let zh = outcome.explain(Lang::Zh);
            assert!(zh.explanation.contains(stage.texts().explanation.zh));
            assert!(zh.fix.contains("服务器上访问"), "the guide's server-side advice is always given");
            assert!(zh.fix.contains("代理"));
        }
    }

    #[test]
    fn a_redirect_is_its_own_outcome_and_never_a_success() {
        // A browser's manual redirect shows neither status nor target.
        let browser = classify(Attempt::Redirected, 4);
        assert_eq!((browser.kind, browser.detail.as_deref(), browser.latency_ms), (OutcomeKind::Redirected, None, Some(4)));
        assert!(browser.explain(Lang::Zh).explanation.contains("不跟随重定向"));
        // Even a 307 carrying Piaozone's success body is a redirect, not a success.
        let body = r#"{"errcode":"0000","description":"操作成功","data":{"access_token":"t"}}"#;
        let doctor =
            classify(Attempt::Answered(HttpAnswer { status: 307, content_type: Some("application/json"), location: None, body }), 9);
        assert_eq!((doctor.kind, doctor.detail.as_deref()), (OutcomeKind::Redirected, Some("HTTP 307")));
        assert_eq!(OutcomeKind::Redirected.as_str(), "redirected");
    }

    #[test]
    fn html_answers_come_with_a_clean_excerpt_and_redirects_with_their_target() {
        let outcome = answer(200, HTML, "<html><head><style>body{color:red}</style><script>var a='<b>';</script><title>登录 Wi-Fi</title></head><body>\n\t请先 &amp; 登录</body></html>");
        assert_eq!(outcome.excerpt.as_deref(), Some("登录 Wi-Fi 请先 & 登录"));
        let redirect = classify(
            Attempt::Answered(HttpAnswer { status: 301, content_type: None, location: Some("https://api.piaozone.com/x"), body: "" }),
            1,
        );
        assert_eq!(redirect.kind, OutcomeKind::Redirected);
        assert_eq!(redirect.detail.as_deref(), Some("HTTP 301 → https://api.piaozone.com/x"));
        assert!(redirect.explain(Lang::En).explanation.contains("Redirect: HTTP 301 → https://api.piaozone.com/x"));
    }

    #[test]
    fn echoes_of_the_request_and_token_like_strings_are_never_shown() {
        let sent = TokenRequest::new("pz_prod_7f3a9c", "s3cret", 1_764_000_000_123, EncType::Md5);
        let echo = format!(
            r#"{{"errcode":"1003","description":"签名认证不通过 client_id={} timestamp={} sign={}"}}"#,
            sent.client_id, sent.timestamp, sent.sign
        );
        let answered = |status, content_type, body: &str| {
            classify(Attempt::Answered(HttpAnswer { status, content_type, location: None, body }), 5).without_echoes(&sent)
        };
        let outcome = answered(200, JSON, &echo);
        let description = outcome.description.as_deref().unwrap();
        assert!(description.starts_with("签名认证不通过"), "{description}");
        for value in [&sent.client_id, &sent.timestamp, &sent.sign] {
            assert!(!description.contains(value.as_str()), "{value} in {description}");
        }
        // A relay that is not Piaozone, echoing the body in HTML, and one naming a bearer token.
        let page = format!("<p>received {}</p> Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig", sent.to_json());
        let outcome = answered(502, HTML, &page);
        let excerpt = outcome.excerpt.unwrap();
        assert!(!excerpt.contains(&sent.sign) && !excerpt.contains(&sent.client_id) && !excerpt.contains("eyJ"), "{excerpt}");
    }

    #[test]
    fn precheck_lists_every_bad_field_and_the_key_beside_them() {
        let input = ConnectionInput { url: "api.piaozone.com", client_id: "", client_secret: "abc def", encrypt_key: Some("short") };
        let outcome = precheck(&input).unwrap();
        assert_eq!(outcome.kind, OutcomeKind::InvalidInput);
        let fields: Vec<_> = outcome.invalid_fields.iter().map(|invalid| (invalid.field.as_str(), invalid.problem)).collect();
        assert_eq!(
            fields,
            [
                ("auth.url", InputProblem::NotHttpUrl),
                ("auth.client_id", InputProblem::Empty),
                ("auth.client_secret", InputProblem::Whitespace),
            ]
        );
        let zh = outcome.explain(Lang::Zh).explanation;
        assert!(zh.contains("Encrypt Key 应为 16 个字符，实际 5 个"), "{zh}");
        let json = serde_json::to_value(&outcome).unwrap();
        assert_eq!(
            json["untested_fields"][0],
            serde_json::json!({"field": "auth.encrypt_key", "problem": "encrypt_key_length", "found": 5})
        );
    }

    /// The token call signs client_id + secret + timestamp only: a bad Encrypt Key never stops it,
    /// and the card shows the credentials' result and the key's problem together.
    #[test]
    fn the_encrypt_key_never_stops_the_test_and_is_shown_with_its_result() {
        for key in ["short", "", "0123456789 abcde", "0123456789abcdef0"] {
            let input =
                ConnectionInput { url: "https://api.piaozone.com", client_id: "pz_prod_demo", client_secret: "s", encrypt_key: Some(key) };
            assert_eq!(precheck(&input), None, "{key:?}");
            let ok = conclude(answer(200, JSON, r#"{"errcode":"0000","access_token":"t","expires_in":1}"#), &input);
            assert_eq!(ok.kind, OutcomeKind::Ok);
            assert_eq!(ok.untested_fields.len(), 1, "{key:?}");
            let shown = ok.explain(Lang::En);
            assert!(shown.explanation.contains("accepted this Client id"), "{}", shown.explanation);
            assert!(shown.explanation.contains("Also, Encrypt Key"), "{}", shown.explanation);
            assert!(!shown.explanation.contains(key) || key.is_empty());
        }
        let good = ConnectionInput {
            url: "https://api.piaozone.com",
            client_id: "pz_prod_demo",
            client_secret: "s",
            encrypt_key: Some("ProdDemoKey16chr"),
        };
        let refused = answer(200, JSON, r#"{"errcode":"1002","description":"非法的客户id"}"#);
        assert_eq!(conclude(refused.clone(), &good), refused);
        assert_eq!(conclude(refused.clone(), &ConnectionInput { encrypt_key: None, ..good }), refused);
        let tenant = ConnectionInput { client_id: "TN_x", encrypt_key: Some("k"), ..good };
        let stopped = precheck(&tenant).unwrap();
        assert_eq!(stopped.kind, OutcomeKind::TenantKey);
        assert_eq!(stopped.untested_fields[0].problem, InputProblem::EncryptKeyLength { found: 1 });
    }

    #[test]
    fn precheck_catches_invisible_characters_and_empty_url() {
        for secret in ["abc\u{200b}", "abc\u{3000}", "\u{a0}abc", "a\tb"] {
            let input = ConnectionInput { url: "", client_id: "pz", client_secret: secret, encrypt_key: None };
            let fields: Vec<_> = precheck(&input).unwrap().invalid_fields.into_iter().map(|invalid| invalid.problem).collect();
            assert_eq!(fields, [InputProblem::Empty, InputProblem::Whitespace], "{secret:?}");
        }
    }

    #[test]
    fn tenant_keys_are_stopped_before_any_call_and_good_input_passes() {
        let tenant = ConnectionInput {
            url: "https://api.piaozone.com",
            client_id: "TN_prod_demo",
            client_secret: "s",
            encrypt_key: Some("ProdTenantKey16c"),
        };
        assert_eq!(precheck(&tenant).unwrap().kind, OutcomeKind::TenantKey);
        let good = ConnectionInput { client_id: "pz_prod_demo", encrypt_key: Some("ProdDemoKey16chr"), ..tenant };
        assert_eq!(precheck(&good), None);
        assert_eq!(precheck(&ConnectionInput { encrypt_key: None, ..good }), None);
    }

    #[test]
    fn the_counterpart_is_probed_only_after_a_refusal() {
        let pairs = [default_pair()];
        let refused = answer(200, JSON, r#"{"errcode":"1002","description":"非法的客户id"}"#);
        assert_eq!(probe_target(&refused, "https://api-dev.piaozone.com/test/", &pairs).unwrap().base, "https://api.piaozone.com");
        assert_eq!(probe_target(&refused, "https://relay.example.com", &pairs), None);
        for other in [answer(503, None, ""), answer(200, HTML, "<p>"), Outcome::new(OutcomeKind::Unreachable)] {
            assert_eq!(probe_target(&other, "https://api.piaozone.com", &pairs), None);
        }
    }

    #[test]
    fn combining_names_the_right_url_or_confirms_the_keys_are_wrong() {
        let pair = default_pair();
        let refused = answer(200, JSON, r#"{"errcode":"1002","description":"非法的客户id"}"#);
        let probe_ok = answer(200, JSON, r#"{"errcode":"0000","access_token":"t","expires_in":1}"#);

        let mismatch = combine(refused.clone(), Some((&pair.production, &probe_ok)));
        assert_eq!(mismatch.kind, OutcomeKind::EnvironmentMismatch);
        assert_eq!(mismatch.right_url.as_deref(), Some("https://api.piaozone.com"));
        assert_eq!(mismatch.errcode.as_deref(), Some("1002"), "the first answer stays on record");
        assert!(mismatch.explain(Lang::Zh).fix.contains("把 url 改为 https://api.piaozone.com"));

        let both = combine(refused.clone(), Some((&pair.production, &refused)));
        assert_eq!(both.kind, OutcomeKind::CredentialsRejected);
        assert!(both.explain(Lang::En).explanation.contains("https://api.piaozone.com, refused them too"));

        let unknown = combine(refused.clone(), Some((&pair.production, &Outcome::new(OutcomeKind::Unreachable))));
        assert_eq!(unknown, refused);
        assert_eq!(combine(probe_ok.clone(), Some((&pair.production, &probe_ok))), probe_ok, "only a refusal is reinterpreted");
        assert_eq!(combine(refused.clone(), None), refused);
    }

    #[test]
    fn kinds_serialise_as_their_data_outcome_names() {
        for kind in OutcomeKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            let outcome = Outcome::new(kind);
            let round_trip: Outcome = serde_json::from_str(&serde_json::to_string(&outcome).unwrap()).unwrap();
            assert_eq!(round_trip, outcome);
        }
        assert_eq!(serde_json::to_value(Stage::Tls).unwrap(), "tls");
    }

    #[test]
    fn every_text_exists_in_both_languages_and_placeholders_are_filled() {
        let mut outcome = answer(200, JSON, r#"{"errcode":"1","description":"x"}"#);
        outcome.also_rejected_by = Some("b".into());
        outcome.right_url = Some("u".into());
        outcome.stage = Some(Stage::Dns);
        outcome.detail = Some("d".into());
        outcome.excerpt = Some("e".into());
        outcome.expires_in = Some(1);
        for kind in OutcomeKind::ALL {
            for lang in [Lang::Zh, Lang::En] {
                let texts = kind.texts();
                for text in [texts.title, texts.explanation, texts.fix] {
                    assert!(!text.get(lang).trim().is_empty(), "{kind:?} {lang:?}");
                }
                let shown = Outcome { kind, ..outcome.clone() }.explain(lang);
                for part in [&shown.title, &shown.explanation, &shown.fix] {
                    assert!(!part.contains('{'), "unfilled placeholder in {kind:?} {lang:?}: {part}");
                }
            }
        }
        for stage in Stage::ALL {
            for text in [stage.texts().label, stage.texts().explanation, stage.texts().fix] {
                assert!(!text.zh.is_empty() && !text.en.is_empty());
            }
        }
    }
}
