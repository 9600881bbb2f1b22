//! Property tests of the response side on hostile input: whatever a server (or something posing
//! as one) sends, parsing and classifying never panic, take time linear in the body, and what is
//! shown stays short and free of markup and control characters.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::{classify, excerpt, parse_token_response, Attempt, HttpAnswer, OutcomeKind};

/// Bodies that look like Piaozone's answer often enough to reach every branch.
fn body_like() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        any::<String>().prop_map(|s| serde_json::Value::String(s).to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("null".to_string()),
        Just("{}".to_string()),
        Just("[]".to_string()),
        Just("\"0000\"".to_string()),
    ];
    let key = prop::sample::select(vec!["errcode", "description", "access_token", "token_type", "expires_in", "data", "x"]);
    prop_oneof![
        prop::collection::vec((key, value), 0..6).prop_map(|pairs| {
            let fields: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
            format!("{{{}}}", fields.join(","))
        }),
        any::<String>(),
        any::<String>().prop_map(|s| format!("<html><body><script>{s}</script><p>{s}</p></body></html>")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn any_answer_is_classified_and_its_excerpt_is_safe(body in body_like(), status in 100u16..600, html in any::<bool>(), location in any::<String>()) {
        let _ = parse_token_response(&body);
        let content_type = if html { Some("text/html; charset=utf-8") } else { Some("application/json") };
        let outcome = classify(Attempt::Answered(HttpAnswer { status, content_type, location: Some(&location), body: &body }), 7);
        if let Some(shown) = &outcome.excerpt {
            prop_assert!(shown.chars().count() <= 121, "{shown:?}");
            prop_assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
            prop_assert!(!shown.contains('<') || !shown.contains('>'), "markup survived: {shown:?}");
        }
        // A token is never kept, whatever the body held.
        let serialised = serde_json::to_string(&outcome).unwrap();
        if let Some(token) = serde_json::from_str::<serde_json::Value>(&body).ok().and_then(|v| v.get("access_token")?.as_str().map(String::from)) {
            prop_assume!(token.len() >= 8 && !location.contains(&token));
            prop_assert!(!serialised.contains(&token));
        }
        if outcome.kind == OutcomeKind::Ok {
            prop_assert!((200..300).contains(&status));
        }
    }
}

#[test]
fn a_megabyte_answer_is_classified_in_linear_time() {
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let html = format!("<html>{}</html>", "<b>\u{202e}😀</b>".repeat(80_000));
    let json_like = format!("{{\"errcode\":\"1002\",\"description\":\"{}\"}}", "非法的客户id".repeat(60_000));
    for body in [nested, html, json_like, "\u{feff}".repeat(300_000)] {
        let started = Instant::now();
        let outcome = classify(Attempt::Answered(HttpAnswer { status: 200, content_type: None, location: None, body: &body }), 1);
        let shown = excerpt(&body);
        assert!(started.elapsed() < Duration::from_secs(2), "{:?} on {} bytes", started.elapsed(), body.len());
        assert!(shown.chars().count() <= 121);
        assert_ne!(outcome.kind, OutcomeKind::Ok);
    }
}

#[test]
fn a_token_in_an_unexpected_answer_or_redirect_is_never_shown() {
    let body = r#"{"errcode":"0000","data":{"access_token":"tok-1234567890"}}"#;
    let outcome = classify(
        Attempt::Answered(HttpAnswer {
            status: 302,
            content_type: Some("application/json"),
            location: Some("https://sso.example.com/cb?access_token=tok-1234567890#frag"),
            body,
        }),
        3,
    );
    assert_eq!(outcome.kind, OutcomeKind::Redirected);
    let shown = serde_json::to_string(&outcome).unwrap();
    assert!(!shown.contains("tok-1234567890"), "{shown}");
    assert!(shown.contains("https://sso.example.com/cb"), "the redirect target is still named: {shown}");
}
