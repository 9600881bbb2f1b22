//! The diagnosis of one connection test: a pure classification of what happened on the wire into
//! the outcome an admin can act on, with its explanation and next step in both languages (the
//! guide's FAQ "连接测试不通过如何排查？").

use std::fmt;

use serde::{Deserialize, Serialize};

use super::environments::{counterpart, Environment, EnvironmentPair};
use super::token::{parse_token_response, TokenRequest};
use super::url::HttpUrl;
use crate::core::i18n::{Lang, Text};

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

    pub fn texts(self) -> &'static KindTexts {
        let index = OutcomeKind::ALL
            .iter()
            .position(|&kind| kind == self)
            .expect("ALL lists every kind");
        &KIND_TEXTS[index]
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
    pub const ALL: [Stage; 6] = [
        Stage::Dns,
        Stage::Connect,
        Stage::Tls,
        Stage::Timeout,
        Stage::Proxy,
        Stage::Other,
    ];

    pub fn texts(self) -> &'static StageTexts {
        let index = Stage::ALL
            .iter()
            .position(|&stage| stage == self)
            .expect("ALL lists every stage");
        &STAGE_TEXTS[index]
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
        let mut explanation = fill(texts.explanation.get(lang), &self.placeholders());
        let mut add = |text: &Text| {
            // Chinese sentences end in a full-width stop and need no space between them.
            if lang == Lang::En {
                explanation.push(' ');
            }
            explanation.push_str(&fill(text.get(lang), &self.placeholders()));
        };
        match self.kind {
            OutcomeKind::Ok => {
                if self.expires_in.is_some() {
                    add(&DETAIL_EXPIRES_IN);
                }
            }
            OutcomeKind::CredentialsRejected => {
                add(&DETAIL_SERVER_SAID);
                let description = self.description.as_deref().unwrap_or_default();
                if let Some((_, text)) = REFUSALS
                    .iter()
                    .find(|(marker, _)| contains_ignoring_case(description, marker))
                {
                    add(text);
                }
                if self.also_rejected_by.is_some() {
                    add(&DETAIL_ALSO_REJECTED);
                }
            }
            OutcomeKind::Unreachable => {
                if let Some(stage) = self.stage {
                    add(&stage.texts().explanation);
                }
                if self.detail.is_some() {
                    add(&DETAIL_TRANSPORT);
                }
            }
            OutcomeKind::Redirected => {
                if self.detail.is_some() {
                    add(&DETAIL_REDIRECT);
                }
            }
            OutcomeKind::NotPiaozone | OutcomeKind::HttpError => {
                if self.excerpt.is_some() {
                    add(&DETAIL_EXCERPT);
                }
            }
            OutcomeKind::InvalidInput => {
                for invalid in &self.invalid_fields {
                    explanation.push_str(&format!(
                        "\n- {}: {}",
                        field_label(&invalid.field),
                        invalid.problem.text(lang)
                    ));
                }
            }
            OutcomeKind::EnvironmentMismatch | OutcomeKind::TenantKey => {}
        }
        for untested in &self.untested_fields {
            explanation.push_str(
                &DETAIL_UNTESTED
                    .get(lang)
                    .replace("{field}", field_label(&untested.field))
                    .replace("{problem}", &untested.problem.text(lang)),
            );
        }
        let mut fix = fill(texts.fix.get(lang), &self.placeholders());
        if let (OutcomeKind::Unreachable, Some(stage)) = (self.kind, self.stage) {
            fix = format!("{} {fix}", stage.texts().fix.get(lang));
        }
        Explanation {
            kind: self.kind,
            title: texts.title.get(lang).to_owned(),
            explanation,
            fix,
        }
    }

    fn placeholders(&self) -> [(&'static str, String); 9] {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let number = |value: Option<u64>| value.map(|value| value.to_string()).unwrap_or_default();
        [
            ("{latency_ms}", number(self.latency_ms)),
            ("{status}", number(self.http_status.map(u64::from))),
            ("{expires_in}", number(self.expires_in)),
            ("{errcode}", text(&self.errcode)),
            ("{description}", text(&self.description)),
            ("{detail}", text(&self.detail)),
            ("{excerpt}", text(&self.excerpt)),
            ("{right_url}", text(&self.right_url)),
            ("{also_rejected_by}", text(&self.also_rejected_by)),
        ]
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
    pub fn text(self, lang: Lang) -> String {
        match self {
            InputProblem::Empty => PROBLEM_EMPTY.get(lang).to_owned(),
            InputProblem::NotHttpUrl => PROBLEM_NOT_HTTP_URL.get(lang).to_owned(),
            InputProblem::Whitespace => PROBLEM_WHITESPACE.get(lang).to_owned(),
            InputProblem::EncryptKeyLength { found } => PROBLEM_ENCRYPT_KEY_LENGTH
                .get(lang)
                .replace("{found}", &found.to_string()),
        }
    }
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
pub fn precheck(input: &ConnectionInput<'_>) -> Option<Outcome> {
    let mut invalid = Vec::new();
    let mut flag = |field: &str, problem: InputProblem| {
        invalid.push(InvalidField {
            field: field.to_owned(),
            problem,
        })
    };
    if input.url.trim().is_empty() {
        flag("auth.url", InputProblem::Empty);
    } else if HttpUrl::parse(input.url).is_none() {
        flag("auth.url", InputProblem::NotHttpUrl);
    }
    for (field, value) in [
        ("auth.client_id", input.client_id),
        ("auth.client_secret", input.client_secret),
    ] {
        if let Some(problem) = credential_problem(value) {
            flag(field, problem);
        }
    }
    let refusal = if !invalid.is_empty() {
        Outcome {
            invalid_fields: invalid,
            ..Outcome::new(OutcomeKind::InvalidInput)
        }
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
pub fn conclude(outcome: Outcome, input: &ConnectionInput<'_>) -> Outcome {
    let key_problem = input.encrypt_key.and_then(|key| {
        let found = key.chars().count();
        credential_problem(key).or((found != ENCRYPT_KEY_LENGTH).then_some(InputProblem::EncryptKeyLength { found }))
    });
    Outcome {
        untested_fields: key_problem
            .map(|problem| InvalidField {
                field: "auth.encrypt_key".to_owned(),
                problem,
            })
            .into_iter()
            .collect(),
        ..outcome
    }
}

/// AES-128 (piaozone-domain.md §1.5).
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
    let answered = |kind| Outcome {
        latency_ms: Some(latency_ms),
        http_status: Some(answer.status),
        ..Outcome::new(kind)
    };
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
            return Outcome {
                expires_in: response.expires_in,
                ..answered(OutcomeKind::Ok)
            };
        }
        if !response.is_success() && !server_error {
            return described(OutcomeKind::CredentialsRejected);
        }
        if server_error {
            return described(OutcomeKind::HttpError);
        }
        // "0000" without a token, or on a non-2xx status: shaped like Piaozone, but not its answer.
    }
    let html = answer
        .content_type
        .is_some_and(|content_type| contains_ignoring_case(content_type, "html"))
        || answer.body.trim_start().starts_with('<');
    let kind = if answer.status >= 400 && !html {
        OutcomeKind::HttpError
    } else {
        OutcomeKind::NotPiaozone
    };
    Outcome {
        excerpt: Some(excerpt(&without_tokens(answer.body))).filter(|text| !text.is_empty()),
        ..answered(kind)
    }
}

impl Outcome {
    /// The outcome fit for the card and the report: without the `client_id`, `timestamp` and
    /// `sign` that were `sent`, nor anything token-like, wherever an answer repeated them (a
    /// relay echoing the request in its `description`, a redirect's target, a body's excerpt).
    pub fn without_echoes(mut self, sent: &TokenRequest) -> Outcome {
        let echoes = [sent.client_id.as_str(), sent.timestamp.as_str(), sent.sign.as_str()];
        for text in [&mut self.errcode, &mut self.description, &mut self.detail, &mut self.excerpt]
            .into_iter()
            .flatten()
        {
            let mut shown = text.clone();
            for echo in echoes.iter().filter(|echo| !echo.is_empty()) {
                shown = shown.replace(echo, "…");
            }
            *text = without_token_like(&shown);
        }
        self
    }
}

/// The shortest run of token characters (letters and digits, `-_.+/=`) that, holding both letters
/// and digits, counts as a credential: an MD5 sign is 32, a JWT or a UUID longer; words are not.
const TOKEN_LIKE_CHARS: usize = 24;

fn without_token_like(text: &str) -> String {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "-_.+/=".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_token_char) {
        out.push_str(&rest[..start]);
        let run_end = rest[start..].find(|c: char| !is_token_char(c)).map_or(rest.len(), |end| start + end);
        let run = &rest[start..run_end];
        let token_like = run.len() >= TOKEN_LIKE_CHARS
            && run.contains(|c: char| c.is_ascii_digit())
            && run.contains(|c: char| c.is_ascii_alphabetic());
        out.push_str(if token_like { "…" } else { run });
        rest = &rest[run_end..];
    }
    out.push_str(rest);
    out
}

/// The counterpart environment to probe with the same keys: only after the keys were refused, and
/// only when the base URL belongs to a known pair.
pub fn probe_target<'a>(
    first: &Outcome,
    base: &str,
    pairs: &'a [EnvironmentPair],
) -> Option<&'a Environment> {
    if first.kind == OutcomeKind::CredentialsRejected {
        counterpart(base, pairs)
    } else {
        None
    }
}

/// The final diagnosis from the first call and, when one ran, the probe of the counterpart.
pub fn combine(first: Outcome, probe: Option<(&Environment, &Outcome)>) -> Outcome {
    match probe {
        Some((environment, probed)) if first.kind == OutcomeKind::CredentialsRejected => {
            match probed.kind {
                OutcomeKind::Ok => Outcome {
                    kind: OutcomeKind::EnvironmentMismatch,
                    right_url: Some(environment.base.clone()),
                    right_environment: Some(environment.name.clone()),
                    ..first
                },
                OutcomeKind::CredentialsRejected => Outcome {
                    also_rejected_by: Some(environment.base.clone()),
                    ..first
                },
                _ => first,
            }
        }
        _ => first,
    }
}

const EXCERPT_CHARS: usize = 120;

/// The body with the value of every `…token…` key blanked, when it is JSON: an answer that is not
/// Piaozone's (a proxy's, or on an odd status) may still carry a token, and the card never shows one.
fn without_tokens(body: &str) -> std::borrow::Cow<'_, str> {
    fn blank(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    if key.to_ascii_lowercase().contains("token") {
                        *inner = serde_json::Value::String("…".into());
                    } else {
                        blank(inner);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(blank),
            _ => {}
        }
    }
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(mut value) if body.contains("token") => {
            blank(&mut value);
            std::borrow::Cow::Owned(value.to_string())
        }
        _ => std::borrow::Cow::Borrowed(body),
    }
}

/// The start of a body fit to show: tags, scripts, styles and comments removed, a few entities
/// decoded, control characters and runs of whitespace turned into single spaces, at most 120
/// characters with a trailing `…` when cut.
pub fn excerpt(body: &str) -> String {
    let mut text = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag = &rest[open..];
        let skip_to = if tag.starts_with("<!--") {
            tag.find("-->").map(|end| end + 3)
        } else if let Some(block) = ["script", "style"]
            .into_iter()
            .find(|name| tag_is(tag, name))
        {
            find_ignoring_case(tag, &format!("</{block}"))
                .and_then(|close| tag[close..].find('>').map(|end| close + end + 1))
        } else {
            tag.find('>').map(|end| end + 1)
        };
        rest = skip_to.map_or("", |end| &tag[end..]);
    }
    text.push_str(rest);
    let text = [
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&amp;", "&"),
    ]
    .into_iter()
    .fold(text, |text, (entity, plain)| text.replace(entity, plain));
    shorten(&sanitise(&text), EXCERPT_CHARS)
}

/// Text from the other side, made safe to show on one line: control characters become spaces and
/// whitespace is collapsed.
fn sanitise(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    shorten(
        &cleaned.split_whitespace().collect::<Vec<_>>().join(" "),
        300,
    )
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max_chars - 1).collect();
    short.push('…');
    short
}

fn tag_is(tag: &str, name: &str) -> bool {
    let after = &tag[1..];
    after.len() >= name.len()
        && after.is_char_boundary(name.len())
        && after[..name.len()].eq_ignore_ascii_case(name)
        && after[name.len()..]
            .chars()
            .next()
            .is_none_or(|c| c == '>' || c.is_whitespace())
}

fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    find_ignoring_case(haystack, needle).is_some()
}

/// ASCII case only, so that byte offsets stay valid in the original text.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
}

fn fill(template: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(name, value)
        })
}

fn field_label(field: &str) -> &str {
    match field {
        "auth.url" => "url",
        "auth.client_id" => "Client id",
        "auth.client_secret" => "Client Secret",
        "auth.encrypt_key" => "Encrypt Key",
        other => other,
    }
}

pub struct KindTexts {
    pub title: Text,
    pub explanation: Text,
    pub fix: Text,
}

pub struct StageTexts {
    pub label: Text,
    pub explanation: Text,
    pub fix: Text,
}

/// In the order of [`OutcomeKind::ALL`].
static KIND_TEXTS: [KindTexts; 9] = [
    KindTexts {
        title: Text { zh: "连接成功", en: "Connected" },
        explanation: Text {
            zh: "发票云接受了这组 Client id / Client Secret，并签发了 access token（耗时 {latency_ms} ms）。",
            en: "Piaozone accepted this Client id / Client Secret and issued an access token ({latency_ms} ms).",
        },
        fix: Text {
            zh: "保存配置后，再点控制台自带的“连接测试”：星瀚是从 ERP 服务器访问这个 URL 的，服务器也必须能连通。",
            en: "Save, then run the console's own 连接测试: Cosmic calls this URL from the ERP server, which must reach it too.",
        },
    },
    KindTexts {
        title: Text { zh: "发票云拒绝了这组密钥", en: "Piaozone refused these keys" },
        explanation: Text {
            zh: "发票云可以访问，但不接受这组 Client id / Client Secret。指南：“非法的客户id”“签名认证不通过”“应用id不能为空”等 id 错误，都是密钥配置有问题导致的。",
            en: "Piaozone is reachable but does not accept this Client id / Client Secret. The guide: id errors such as 非法的客户id, 签名认证不通过 and 应用id不能为空 all come from wrongly configured keys.",
        },
        fix: Text {
            zh: "从授权邮件中重新复制企业级（不是租户级）的 ClientID 和 ClientSecret，不要带空格；并确认密钥与 URL 属于同一环境：正式密钥配 https://api.piaozone.com，测试密钥配 https://api-dev.piaozone.com/test。",
            en: "Copy the enterprise (not tenant) ClientID and ClientSecret from the authorisation mail again, without spaces, and make sure keys and URL belong to the same environment: production keys with https://api.piaozone.com, test keys with https://api-dev.piaozone.com/test.",
        },
    },
    KindTexts {
        title: Text { zh: "环境与密钥不匹配", en: "The keys belong to the other environment" },
        explanation: Text {
            zh: "当前 URL 拒绝了这组密钥，但同一组密钥在另一环境 {right_url} 验证通过：这是指南里最常见的情况——测试环境的 URL 配了正式环境的密钥，或者反过来。",
            en: "This URL refused the keys, but the same keys work at the other environment, {right_url}: the guide's commonest case, a test URL with production keys or the reverse.",
        },
        fix: Text {
            zh: "把 url 改为 {right_url}（或换成与当前 URL 同一环境的密钥），保存后再做连接测试。",
            en: "Set url to {right_url} (or use the keys of the current URL's environment), save, and test again.",
        },
    },
    KindTexts {
        title: Text { zh: "这是租户级密钥", en: "These are tenant keys" },
        explanation: Text {
            zh: "Client id 以 TN_ 开头，是租户级授权信息。指南要求发票云授权配置填企业级授权信息（“不要配置成租户的授权信息”），所以没有发起请求。",
            en: "The Client id starts with TN_: these are tenant credentials. The guide says this page takes enterprise credentials, never the tenant's, so no call was made.",
        },
        fix: Text {
            zh: "从授权邮件中任选一个有权益企业税号的企业授权信息（ClientID / ClientSecret / EncryKey）填到本页；TN_ 开头的租户密钥填在 发票云 → 基础资料 → 企业管理 → 数电配置 → 维护租户授权信息。",
            en: "Take the enterprise credentials (ClientID / ClientSecret / EncryKey) of any entitled tax number from the authorisation mail for this page; the TN_ tenant keys go to 发票云 → 基础资料 → 企业管理 → 数电配置 → 维护租户授权信息.",
        },
    },
    KindTexts {
        title: Text { zh: "无法连接到这个 URL", en: "The URL cannot be reached" },
        explanation: Text {
            zh: "请求没有得到任何 HTTP 应答。",
            en: "The call got no HTTP answer at all.",
        },
        fix: Text {
            zh: "指南：URL 必须能在服务器上访问——不是在浏览器里打开，而是由运维在 ERP 服务器上确认网络连通（可在服务器上运行 piaozone-assist doctor）；并询问企业运维是否有代理服务，有则填写“代理”。",
            en: "The guide: the URL must be reachable from the server — not opened in a browser, but confirmed by operations on the ERP server (piaozone-assist doctor does that); and ask operations whether the company has a proxy, and if so fill in 代理.",
        },
    },
    KindTexts {
        title: Text { zh: "应答不是来自发票云", en: "The answer did not come from Piaozone" },
        explanation: Text {
            zh: "这个地址返回了网页或其他非发票云格式的内容（HTTP {status}），通常是代理、网关登录页，或 URL 指向了别的网站。",
            en: "This address answered with a web page or something else that is not Piaozone's JSON (HTTP {status}): typically a proxy, a captive portal, or a URL that points at another site.",
        },
        fix: Text {
            zh: "确认 url 为 https://api.piaozone.com（正式）或 https://api-dev.piaozone.com/test（测试），或确实转发到发票云的代理地址；公司的上网代理应填在“代理”字段，而不是 url。",
            en: "Make sure url is https://api.piaozone.com (production) or https://api-dev.piaozone.com/test (test), or a relay that really forwards to Piaozone; a company's outbound proxy belongs in 代理, not in url.",
        },
    },
    KindTexts {
        title: Text { zh: "HTTP 错误", en: "HTTP error" },
        explanation: Text {
            zh: "服务器以 HTTP {status} 应答，而不是发票云的业务应答。404 多为 URL 路径不对（例如测试环境漏了 /test），5xx 表示服务端或中间代理出错。",
            en: "The server answered HTTP {status} instead of a Piaozone reply. A 404 usually means a wrong path (such as the test URL without /test); a 5xx means the server or a proxy in between failed.",
        },
        fix: Text {
            zh: "核对 url 的路径；如为 5xx，稍后重试，持续出现时请运维查看代理 / 网关日志，或联系发票云支持。",
            en: "Check the path of url; for a 5xx retry later, and if it persists ask operations to check the proxy or gateway logs, or contact Piaozone support.",
        },
    },
    KindTexts {
        title: Text { zh: "先修正字段", en: "Fix the fields first" },
        explanation: Text {
            zh: "以下字段没有通过检查，所以没有发起连接测试：",
            en: "These fields did not pass the checks, so no call was made:",
        },
        fix: Text {
            zh: "按提示修改这些字段，保存后再测试。",
            en: "Correct these fields, save, and test again.",
        },
    },
    KindTexts {
        title: Text { zh: "这个地址要求重定向", en: "This address redirects" },
        explanation: Text {
            zh: "url 返回了 HTTP 重定向（3xx）。助手不跟随重定向：带签名的请求只发往你填写的地址，不会被转到别处。",
            en: "The url answered with an HTTP redirect (3xx). The assistant never follows one: the signed request goes only to the address you entered.",
        },
        fix: Text {
            zh: "url 填发票云或代理/中转的最终地址本身：正式 https://api.piaozone.com，测试 https://api-dev.piaozone.com/test；不要填会跳转的地址（例如 http:// 跳到 https:// 的）。",
            en: "Enter the final address of Piaozone or of your relay itself: https://api.piaozone.com for production, https://api-dev.piaozone.com/test for test; not an address that redirects (such as http:// to https://).",
        },
    },
];

/// In the order of [`Stage::ALL`].
static STAGE_TEXTS: [StageTexts; 6] = [
    StageTexts {
        label: Text { zh: "DNS 解析", en: "DNS" },
        explanation: Text {
            zh: "失败阶段：DNS 解析，本机无法解析这个主机名。",
            en: "Failed at DNS: the host name does not resolve here.",
        },
        fix: Text {
            zh: "检查 url 的主机名拼写（piaozone，不是 piazzone），以及内网 DNS 或 hosts 是否配置了发票云域名（代理方案需在 hosts 中把 api.piaozone.com 指向代理）。",
            en: "Check the host name in url (piaozone, not piazzone) and whether the intranet DNS or hosts file knows the Piaozone host (a relay setup maps api.piaozone.com to the relay in hosts).",
        },
    },
    StageTexts {
        label: Text { zh: "TCP 连接", en: "TCP connect" },
        explanation: Text {
            zh: "失败阶段：TCP 连接，连接被拒绝或超时。",
            en: "Failed at TCP connect: the connection was refused or timed out.",
        },
        fix: Text {
            zh: "检查端口和防火墙是否放行到该地址的访问；内网服务器通常必须经代理访问外网。",
            en: "Check the port and whether a firewall lets the traffic out; intranet servers often reach the internet only through a proxy.",
        },
    },
    StageTexts {
        label: Text { zh: "TLS 握手", en: "TLS handshake" },
        explanation: Text {
            zh: "失败阶段：TLS 握手，证书不受信任、被中间设备拦截，或该地址并不是 HTTPS 服务。",
            en: "Failed at the TLS handshake: the certificate is not trusted, a device in between intercepts it, or the address does not speak HTTPS.",
        },
        fix: Text {
            zh: "核对 url 是 https 且主机名正确；如有安全网关解密 HTTPS，请运维放行发票云域名。",
            en: "Check that url is https with the right host name; if a security gateway intercepts HTTPS, ask operations to exempt the Piaozone host.",
        },
    },
    StageTexts {
        label: Text { zh: "等待应答", en: "waiting for the answer" },
        explanation: Text {
            zh: "失败阶段：等待应答。连接已建立、请求已发出，但在超时时间内没有应答。",
            en: "Failed while waiting: connected and sent, but no answer came within the time allowed.",
        },
        fix: Text {
            zh: "稍后重试；持续超时时，请运维检查代理或网关是否拦截或拖慢了请求。",
            en: "Retry later; if it keeps timing out, ask operations whether a proxy or gateway holds the request.",
        },
    },
    StageTexts {
        label: Text { zh: "代理", en: "proxy" },
        explanation: Text {
            zh: "失败阶段：代理，代理不可达或拒绝转发到这个地址。",
            en: "Failed at the proxy: it cannot be reached or refused to forward to this address.",
        },
        fix: Text {
            zh: "核对“代理”的 ip:端口，并请运维确认代理允许访问发票云域名。",
            en: "Check the ip:port in 代理 and ask operations whether the proxy allows the Piaozone host.",
        },
    },
    StageTexts {
        label: Text { zh: "连接", en: "connection" },
        explanation: Text {
            zh: "连接在收到应答之前被对方关闭或出错。",
            en: "The connection was closed or broke before any answer came.",
        },
        fix: Text {
            zh: "稍后重试；反复出现时，多为中间设备中断了连接。",
            en: "Retry; if it recurs, a device in between is cutting the connection.",
        },
    },
];

/// The guide's three id errors, matched in Piaozone's `description`.
static REFUSALS: [(&str, Text); 3] = [
    (
        "非法的客户id",
        Text {
            zh: "“非法的客户id”：这个环境不认识该 Client id——通常是另一环境（正式 / 测试）的密钥，或 Client id 抄错。",
            en: "非法的客户id (unknown client id): this environment does not know the Client id — usually keys of the other environment (production / test), or a mistyped id.",
        },
    ),
    (
        "签名认证不通过",
        Text {
            zh: "“签名认证不通过”：Client id 存在，但签名校验失败——Client Secret 与之不配对（抄错、带空格，或是另一环境的密钥）。",
            en: "签名认证不通过 (signature check failed): the Client id exists but the signature did not verify — the Client Secret does not belong to it (mistyped, with a space, or from the other environment).",
        },
    ),
    (
        "应用id不能为空",
        Text {
            zh: "“应用id不能为空”：请求中没有 Client id——字段为空或尚未保存。",
            en: "应用id不能为空 (client id missing): the request carried no Client id — the field is empty or was not saved.",
        },
    ),
];

static DETAIL_EXPIRES_IN: Text = Text {
    zh: "token 有效期 {expires_in} 秒。",
    en: "The token is valid for {expires_in} s.",
};
static DETAIL_SERVER_SAID: Text = Text {
    zh: "发票云返回：{errcode} {description}。",
    en: "Piaozone said: {errcode} {description}.",
};
static DETAIL_ALSO_REJECTED: Text = Text {
    zh: "另一环境 {also_rejected_by} 也拒绝了这组密钥，所以问题在密钥本身，而不是环境。",
    en: "The other environment, {also_rejected_by}, refused them too: the keys themselves are wrong, not the environment.",
};
static DETAIL_TRANSPORT: Text = Text {
    zh: "错误信息：{detail}",
    en: "Error: {detail}",
};
static DETAIL_REDIRECT: Text = Text {
    zh: "重定向：{detail}",
    en: "Redirect: {detail}",
};
static DETAIL_EXCERPT: Text = Text {
    zh: "应答开头：“{excerpt}”",
    en: "The answer begins: “{excerpt}”",
};

static DETAIL_UNTESTED: Text = Text {
    zh: "\n另外，{field} {problem}。获取令牌不用它，这次测试验证不了它，但报文加密要用它。",
    en: "\nAlso, {field} {problem}. The token call does not use it, so this test cannot check it, but message encryption needs it.",
};
static PROBLEM_EMPTY: Text = Text {
    zh: "为空",
    en: "is empty",
};
static PROBLEM_NOT_HTTP_URL: Text = Text {
    zh: "不是 http(s) 地址",
    en: "is not an http(s) URL",
};
static PROBLEM_WHITESPACE: Text = Text {
    zh: "含有空格或不可见字符（复制时常被一起带入）",
    en: "contains spaces or invisible characters (often copied along)",
};
static PROBLEM_ENCRYPT_KEY_LENGTH: Text = Text {
    zh: "应为 16 个字符，实际 {found} 个",
    en: "must be 16 characters, found {found}",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::piaozone::environments::default_pair;
    use crate::core::piaozone::EncType;

    const JSON: Option<&str> = Some("application/json;charset=UTF-8");
    const HTML: Option<&str> = Some("text/html");

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
        classify(
            Attempt::Answered(HttpAnswer {
                status,
                content_type,
                location: None,
                body,
            }),
            42,
        )
    }

    #[test]
    fn classification_table() {
        let ok = r#"{"errcode":"0000","description":"操作成功","access_token":"t0k3n","token_type":"bearer","expires_in":129600}"#;
        let rows: &[(u16, Option<&'static str>, &'static str, OutcomeKind)] = &[
            (200, JSON, ok, OutcomeKind::Ok),
            (200, None, ok, OutcomeKind::Ok),
            (200, HTML, ok, OutcomeKind::Ok),
            (
                200,
                JSON,
                r#"{"errcode":"0000","data":{"access_token":"t","expires_in":"60"}}"#,
                OutcomeKind::Ok,
            ),
            (
                200,
                JSON,
                r#"{"errcode":"1002","description":"非法的客户id"}"#,
                OutcomeKind::CredentialsRejected,
            ),
            (
                200,
                JSON,
                r#"{"errcode":"1003","description":"签名认证不通过"}"#,
                OutcomeKind::CredentialsRejected,
            ),
            (
                400,
                JSON,
                r#"{"errcode":1001,"description":"应用id不能为空"}"#,
                OutcomeKind::CredentialsRejected,
            ),
            (
                200,
                JSON,
                r#"{"errcode":"0000","description":"操作成功"}"#,
                OutcomeKind::NotPiaozone,
            ),
            (302, JSON, ok, OutcomeKind::Redirected),
            (
                200,
                HTML,
                "<html><title>Portal</title></html>",
                OutcomeKind::NotPiaozone,
            ),
            (200, JSON, "\u{0}\u{7f}garbage{{", OutcomeKind::NotPiaozone),
            (200, None, "", OutcomeKind::NotPiaozone),
            (404, HTML, "<h1>Not Found</h1>", OutcomeKind::NotPiaozone),
            (
                502,
                None,
                "<html>Bad Gateway</html>",
                OutcomeKind::NotPiaozone,
            ),
            (301, None, "", OutcomeKind::Redirected),
            (404, Some("text/plain"), "not found", OutcomeKind::HttpError),
            (
                500,
                JSON,
                r#"{"errcode":"9999","description":"系统异常"}"#,
                OutcomeKind::HttpError,
            ),
            (503, None, "", OutcomeKind::HttpError),
            (405, JSON, r#"{"error":"method"}"#, OutcomeKind::HttpError),
        ];
        for &(status, content_type, body, expected) in rows {
            let outcome = answer(status, content_type, body);
            assert_eq!(
                outcome.kind, expected,
                "HTTP {status} {content_type:?} {body:?}"
            );
            assert_eq!(outcome.http_status, Some(status));
            assert_eq!(outcome.latency_ms, Some(42));
        }
    }

    #[test]
    fn ok_reports_expiry_and_latency_but_never_the_token() {
        let outcome = answer(
            200,
            JSON,
            r#"{"errcode":"0000","access_token":"t0k3n-secret","expires_in":129600}"#,
        );
        assert_eq!(outcome.expires_in, Some(129600));
        let shown = format!(
            "{} {} {:?}",
            serde_json::to_string(&outcome).unwrap(),
            serde_json::to_string(&outcome.explain(Lang::En)).unwrap(),
            outcome.explain(Lang::Zh)
        );
        assert!(!shown.contains("t0k3n"), "{shown}");
        assert!(
            shown.contains("129600") && shown.contains("42 ms"),
            "{shown}"
        );
    }

    #[test]
    fn refusals_keep_the_server_words_and_explain_them() {
        let outcome = answer(
            200,
            JSON,
            r#"{"errcode":"1002","description":"非法的客户ID"}"#,
        );
        assert_eq!(outcome.errcode.as_deref(), Some("1002"));
        assert_eq!(outcome.description.as_deref(), Some("非法的客户ID"));
        let zh = outcome.explain(Lang::Zh);
        assert!(
            zh.explanation.contains("这个环境不认识该 Client id"),
            "{}",
            zh.explanation
        );
        let en = answer(
            200,
            JSON,
            r#"{"errcode":"1003","description":"签名认证不通过"}"#,
        )
        .explain(Lang::En);
        assert!(
            en.explanation.contains("signature did not verify"),
            "{}",
            en.explanation
        );
        let en = answer(
            200,
            JSON,
            r#"{"errcode":"1001","description":"应用id不能为空"}"#,
        )
        .explain(Lang::En);
        assert!(
            en.explanation.contains("carried no Client id"),
            "{}",
            en.explanation
        );
    }

    #[test]
    fn transport_failures_name_their_stage() {
        for stage in Stage::ALL {
            let error = TransportError {
                stage,
                detail: "Connection refused (os error 111)\n".to_owned(),
            };
            let outcome = classify(Attempt::Failed(&error), 7);
            assert_eq!(outcome.kind, OutcomeKind::Unreachable);
            assert_eq!(outcome.stage, Some(stage));
            assert_eq!(
                outcome.detail.as_deref(),
                Some("Connection refused (os error 111)")
            );
            let zh = outcome.explain(Lang::Zh);
            assert!(zh.explanation.contains(stage.texts().explanation.zh));
            assert!(
                zh.fix.contains("服务器上访问"),
                "the guide's server-side advice is always given"
            );
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
        let doctor = classify(Attempt::Answered(HttpAnswer { status: 307, content_type: Some("application/json"), location: None, body }), 9);
        assert_eq!((doctor.kind, doctor.detail.as_deref()), (OutcomeKind::Redirected, Some("HTTP 307")));
        assert_eq!(OutcomeKind::Redirected.as_str(), "redirected");
    }

    #[test]
    fn html_answers_come_with_a_clean_excerpt_and_redirects_with_their_target() {
        let outcome = answer(200, HTML, "<html><head><style>body{color:red}</style><script>var a='<b>';</script><title>登录 Wi-Fi</title></head><body>\n\t请先 &amp; 登录</body></html>");
        assert_eq!(outcome.excerpt.as_deref(), Some("登录 Wi-Fi 请先 & 登录"));
        let redirect = classify(
            Attempt::Answered(HttpAnswer {
                status: 301,
                content_type: None,
                location: Some("https://api.piaozone.com/x"),
                body: "",
            }),
            1,
        );
        assert_eq!(redirect.kind, OutcomeKind::Redirected);
        assert_eq!(
            redirect.detail.as_deref(),
            Some("HTTP 301 → https://api.piaozone.com/x")
        );
        assert!(redirect
            .explain(Lang::En)
            .explanation
            .contains("Redirect: HTTP 301 → https://api.piaozone.com/x"));
    }

    #[test]
    fn echoes_of_the_request_and_token_like_strings_are_never_shown() {
        let sent = TokenRequest::new("pz_prod_7f3a9c", "s3cret", 1_764_000_000_123, EncType::Md5);
        let echo = format!(r#"{{"errcode":"1003","description":"签名认证不通过 client_id={} timestamp={} sign={}"}}"#, sent.client_id, sent.timestamp, sent.sign);
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
        // Ordinary words, codes and a short id survive.
        assert_eq!(without_token_like("非法的客户id 1002 Invalid_client_identifier_for_this_request"), "非法的客户id 1002 Invalid_client_identifier_for_this_request");
        assert_eq!(without_token_like("id 9f86d081884c7d659a2feaa0c55ad015 end"), "id … end");
    }

    #[test]
    fn excerpts_are_short_single_line_and_free_of_control_characters() {
        let long = "<p>".to_owned() + &"发票云 ".repeat(100) + "</p>";
        let text = excerpt(&long);
        assert_eq!(text.chars().count(), 120);
        assert!(text.ends_with('…'));
        let text = excerpt("a\u{0}b\u{1b}[31mc\r\nd\u{85}e <!-- hidden --> <SCRIPT src=x>alert(1)</SCRIPT>f <unclosed");
        assert_eq!(text, "a b [31mc d e f");
        assert!(text.chars().all(|c| !c.is_control()));
        assert_eq!(
            excerpt("<scripted>kept</scripted>"),
            "kept",
            "only a real script tag hides its content"
        );
    }

    #[test]
    fn precheck_lists_every_bad_field_and_the_key_beside_them() {
        let input = ConnectionInput {
            url: "api.piaozone.com",
            client_id: "",
            client_secret: "abc def",
            encrypt_key: Some("short"),
        };
        let outcome = precheck(&input).unwrap();
        assert_eq!(outcome.kind, OutcomeKind::InvalidInput);
        let fields: Vec<_> = outcome
            .invalid_fields
            .iter()
            .map(|invalid| (invalid.field.as_str(), invalid.problem))
            .collect();
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
            let input = ConnectionInput {
                url: "https://api.piaozone.com",
                client_id: "pz_prod_demo",
                client_secret: "s",
                encrypt_key: Some(key),
            };
            assert_eq!(precheck(&input), None, "{key:?}");
            let ok = conclude(
                answer(200, JSON, r#"{"errcode":"0000","access_token":"t","expires_in":1}"#),
                &input,
            );
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
        assert_eq!(
            conclude(refused.clone(), &ConnectionInput { encrypt_key: None, ..good }),
            refused
        );
        let tenant = ConnectionInput { client_id: "TN_x", encrypt_key: Some("k"), ..good };
        let stopped = precheck(&tenant).unwrap();
        assert_eq!(stopped.kind, OutcomeKind::TenantKey);
        assert_eq!(
            stopped.untested_fields[0].problem,
            InputProblem::EncryptKeyLength { found: 1 }
        );
    }

    #[test]
    fn precheck_catches_invisible_characters_and_empty_url() {
        for secret in ["abc\u{200b}", "abc\u{3000}", "\u{a0}abc", "a\tb"] {
            let input = ConnectionInput {
                url: "",
                client_id: "pz",
                client_secret: secret,
                encrypt_key: None,
            };
            let fields: Vec<_> = precheck(&input)
                .unwrap()
                .invalid_fields
                .into_iter()
                .map(|invalid| invalid.problem)
                .collect();
            assert_eq!(
                fields,
                [InputProblem::Empty, InputProblem::Whitespace],
                "{secret:?}"
            );
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
        let good = ConnectionInput {
            client_id: "pz_prod_demo",
            encrypt_key: Some("ProdDemoKey16chr"),
            ..tenant
        };
        assert_eq!(precheck(&good), None);
        assert_eq!(
            precheck(&ConnectionInput {
                encrypt_key: None,
                ..good
            }),
            None
        );
    }

    #[test]
    fn the_counterpart_is_probed_only_after_a_refusal() {
        let pairs = [default_pair()];
        let refused = answer(
            200,
            JSON,
            r#"{"errcode":"1002","description":"非法的客户id"}"#,
        );
        assert_eq!(
            probe_target(&refused, "https://api-dev.piaozone.com/test/", &pairs)
                .unwrap()
                .base,
            "https://api.piaozone.com"
        );
        assert_eq!(
            probe_target(&refused, "https://relay.example.com", &pairs),
            None
        );
        for other in [
            answer(503, None, ""),
            answer(200, HTML, "<p>"),
            Outcome::new(OutcomeKind::Unreachable),
        ] {
            assert_eq!(
                probe_target(&other, "https://api.piaozone.com", &pairs),
                None
            );
        }
    }

    #[test]
    fn combining_names_the_right_url_or_confirms_the_keys_are_wrong() {
        let pair = default_pair();
        let refused = answer(
            200,
            JSON,
            r#"{"errcode":"1002","description":"非法的客户id"}"#,
        );
        let probe_ok = answer(
            200,
            JSON,
            r#"{"errcode":"0000","access_token":"t","expires_in":1}"#,
        );

        let mismatch = combine(refused.clone(), Some((&pair.production, &probe_ok)));
        assert_eq!(mismatch.kind, OutcomeKind::EnvironmentMismatch);
        assert_eq!(
            mismatch.right_url.as_deref(),
            Some("https://api.piaozone.com")
        );
        assert_eq!(
            mismatch.errcode.as_deref(),
            Some("1002"),
            "the first answer stays on record"
        );
        assert!(mismatch
            .explain(Lang::Zh)
            .fix
            .contains("把 url 改为 https://api.piaozone.com"));

        let both = combine(refused.clone(), Some((&pair.production, &refused)));
        assert_eq!(both.kind, OutcomeKind::CredentialsRejected);
        assert!(both
            .explain(Lang::En)
            .explanation
            .contains("https://api.piaozone.com, refused them too"));

        let unknown = combine(
            refused.clone(),
            Some((&pair.production, &Outcome::new(OutcomeKind::Unreachable))),
        );
        assert_eq!(unknown, refused);
        assert_eq!(
            combine(probe_ok.clone(), Some((&pair.production, &probe_ok))),
            probe_ok,
            "only a refusal is reinterpreted"
        );
        assert_eq!(combine(refused.clone(), None), refused);
    }

    #[test]
    fn kinds_serialise_as_their_data_outcome_names() {
        for kind in OutcomeKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            let outcome = Outcome::new(kind);
            let round_trip: Outcome =
                serde_json::from_str(&serde_json::to_string(&outcome).unwrap()).unwrap();
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
                let shown = Outcome {
                    kind,
                    ..outcome.clone()
                }
                .explain(lang);
                for part in [&shown.title, &shown.explanation, &shown.fix] {
                    assert!(
                        !part.contains('{'),
                        "unfilled placeholder in {kind:?} {lang:?}: {part}"
                    );
                }
            }
        }
        for stage in Stage::ALL {
            for text in [
                stage.texts().label,
                stage.texts().explanation,
                stage.texts().fix,
            ] {
                assert!(!text.zh.is_empty() && !text.en.is_empty());
            }
        }
    }
}
