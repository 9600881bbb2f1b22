//! Text that came from the other side of a connection test (a server's `description`, an error,
//! a redirect's target, a body), made fit to show: one line, no control characters, short, and
//! without anything token-like or any JSON `…token…` value. The card, the report and `doctor`
//! show only what passed through here.

/// The shortest run of token characters (letters and digits, `-_.+/=`) that, holding both letters
/// and digits, counts as a credential: an MD5 sign is 32, a JWT or a UUID longer; words are not.
const TOKEN_LIKE_CHARS: usize = 24;

pub fn without_token_like(text: &str) -> String {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "-_.+/=".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_token_char) {
        out.push_str(&rest[..start]);
        let run_end = rest[start..].find(|c: char| !is_token_char(c)).map_or(rest.len(), |end| start + end);
        let run = &rest[start..run_end];
        let token_like =
            run.len() >= TOKEN_LIKE_CHARS && run.contains(|c: char| c.is_ascii_digit()) && run.contains(|c: char| c.is_ascii_alphabetic());
        out.push_str(if token_like { "…" } else { run });
        rest = &rest[run_end..];
    }
    out.push_str(rest);
    out
}

const EXCERPT_CHARS: usize = 120;

/// The body with the value of every `…token…` key blanked, when it is JSON: an answer that is not
/// Piaozone's (a proxy's, or on an odd status) may still carry a token, and the card never shows one.
pub fn without_tokens(body: &str) -> std::borrow::Cow<'_, str> {
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
        } else if let Some(block) = ["script", "style"].into_iter().find(|name| tag_is(tag, name)) {
            find_ignoring_case(tag, &format!("</{block}")).and_then(|close| tag[close..].find('>').map(|end| close + end + 1))
        } else {
            tag.find('>').map(|end| end + 1)
        };
        rest = skip_to.map_or("", |end| &tag[end..]);
    }
    text.push_str(rest);
    let text = [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")]
        .into_iter()
        .fold(text, |text, (entity, plain)| text.replace(entity, plain));
    shorten(&sanitise(&text), EXCERPT_CHARS)
}

/// Text from the other side, made safe to show on one line: control characters become spaces and
/// whitespace is collapsed.
pub fn sanitise(text: &str) -> String {
    let cleaned: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    shorten(&cleaned.split_whitespace().collect::<Vec<_>>().join(" "), 300)
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
        && after[name.len()..].chars().next().is_none_or(|c| c == '>' || c.is_whitespace())
}

pub fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    find_ignoring_case(haystack, needle).is_some()
}

/// ASCII case only, so that byte offsets stay valid in the original text.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(&needle.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_single_line_and_free_of_control_characters() {
        let long = "<p>".to_owned() + &"发票云 ".repeat(100) + "</p>";
        let text = excerpt(&long);
        assert_eq!(text.chars().count(), 120);
        assert!(text.ends_with('…'));
        let text = excerpt("a\u{0}b\u{1b}[31mc\r\nd\u{85}e <!-- hidden --> <SCRIPT src=x>alert(1)</SCRIPT>f <unclosed");
        assert_eq!(text, "a b [31mc d e f");
        assert!(text.chars().all(|c| !c.is_control()));
        assert_eq!(excerpt("<scripted>kept</scripted>"), "kept", "only a real script tag hides its content");
    }

    #[test]
    fn ordinary_words_codes_and_short_ids_survive_and_long_mixed_runs_do_not() {
        assert_eq!(
            without_token_like("非法的客户id 1002 Invalid_client_identifier_for_this_request"),
            "非法的客户id 1002 Invalid_client_identifier_for_this_request"
        );
        assert_eq!(without_token_like("id 9f86d081884c7d659a2feaa0c55ad015 end"), "id … end");
    }
}
