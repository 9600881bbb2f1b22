//! Character classes the validators and the FAQ matcher share. Dependency-free on purpose:
//! build.rs includes this file to normalise FAQ patterns exactly as the runtime normalises text.

/// The ASCII twin of a full-width form (U+FF01–U+FF5E) or of the ideographic space.
pub fn fullwidth_to_ascii(c: char) -> Option<char> {
    match c {
        '\u{3000}' => Some(' '),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// A character that renders as nothing: zero-width spaces and joiners, bidi marks and
/// embeddings, the BOM, the soft hyphen. Pasted values pick these up from mail clients and web pages.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Whitespace of any kind (ASCII, NBSP, ideographic space, …) or an invisible format character.
pub fn is_blank(c: char) -> bool {
    c.is_whitespace() || is_invisible_format(c)
}

/// What an admin meant to type in an address: blanks dropped, full-width forms as ASCII, and the
/// ideographic full stop `。` (typed with a Chinese IME) as `.`.
pub fn as_typed_in_ascii(value: &str) -> String {
    value.chars().filter(|c| !is_blank(*c)).map(|c| if c == '。' { '.' } else { fullwidth_to_ascii(c).unwrap_or(c) }).collect()
}

/// Text as the FAQ matcher compares it: full-width forms folded to ASCII, ASCII lower-cased,
/// invisible characters dropped, every run of whitespace turned into one space, no leading or
/// trailing space. Linear in the input.
pub fn normalize_for_match(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_invisible_format(c) {
            continue;
        }
        let c = fullwidth_to_ascii(c).unwrap_or(c).to_ascii_lowercase();
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}
