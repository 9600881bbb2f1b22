//! Client id / Client Secret / Encrypt Key (enterprise, tenant and expense pages) and
//! 是否使用原授权. Secret values never go into a finding: only positions, lengths and code points.

use super::chars::{fullwidth_to_ascii, is_blank};
use super::{ids, Context, Hit};

/// The tenant-level ClientID prefix (guide: 租户级别的clientid以TN_开头).
const TENANT_PREFIX: &str = "TN_";
/// AES-128 key length of encrypt_key.
const KEY_LENGTH: usize = 16;

const QUOTE_PAIRS: &[(char, char)] =
    &[('"', '"'), ('\'', '\''), ('`', '`'), ('“', '”'), ('‘', '’'), ('「', '」'), ('『', '』'), ('＂', '＂'), ('＇', '＇')];

fn is_quoted(value: &str) -> bool {
    let mut chars = value.chars();
    match (chars.next(), chars.next_back()) {
        (Some(first), Some(last)) => QUOTE_PAIRS.contains(&(first, last)),
        _ => false,
    }
}

/// The value as the admin meant it: without surrounding blanks and quotes.
fn core_of(value: &str) -> &str {
    let trimmed = value.trim_matches(is_blank);
    if is_quoted(trimmed) {
        let mut chars = trimmed.chars();
        chars.next();
        chars.next_back();
        chars.as_str().trim_matches(is_blank)
    } else {
        trimmed
    }
}

/// Pasting damage shared by every credential: quotes, blanks, full-width letters and digits.
/// Empty values are the caller's business.
pub(super) fn pasting_damage(value: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    if is_quoted(value.trim_matches(is_blank)) {
        hits.push(Hit::new(ids::CREDENTIALS_QUOTED));
    }
    if let Some((i, c)) = value.chars().enumerate().find(|(_, c)| is_blank(*c)) {
        hits.push(Hit::new(ids::CREDENTIALS_INVISIBLE).arg("position", i + 1).arg("codepoint", format!("U+{:04X}", c as u32)));
    }
    let fullwidth = |c: char| fullwidth_to_ascii(c).is_some_and(|a| a.is_ascii_alphanumeric());
    if let Some(i) = value.chars().position(fullwidth) {
        hits.push(Hit::new(ids::CREDENTIALS_FULLWIDTH).arg("position", i + 1));
    }
    hits
}

fn required(value: &str) -> Result<Vec<Hit>, Vec<Hit>> {
    if core_of(value).is_empty() && !is_quoted(value.trim_matches(is_blank)) {
        Err(vec![Hit::new(ids::CREDENTIALS_EMPTY)])
    } else {
        Ok(pasting_damage(value))
    }
}

pub fn client_id(value: &str) -> Vec<Hit> {
    let mut hits = match required(value) {
        Ok(hits) => hits,
        Err(empty) => return empty,
    };
    let core = core_of(value);
    if core.get(..TENANT_PREFIX.len()).is_some_and(|p| p.eq_ignore_ascii_case(TENANT_PREFIX)) {
        hits.push(Hit::new(ids::CREDENTIALS_TENANT_ON_ENTERPRISE));
    }
    hits
}

pub fn tenant_client_id(value: &str) -> Vec<Hit> {
    let mut hits = match required(value) {
        Ok(hits) => hits,
        Err(empty) => return empty,
    };
    if !core_of(value).starts_with(TENANT_PREFIX) {
        hits.push(Hit::new(ids::CREDENTIALS_NOT_TENANT));
    }
    hits
}

/// `section` is where the secret sits: it is compared with that section's client id and key.
pub fn client_secret(value: &str, section: &str, ctx: &Context) -> Vec<Hit> {
    let mut hits = match required(value) {
        Ok(hits) => hits,
        Err(empty) => return empty,
    };
    if ctx.equals(&format!("{section}.client_id"), value) == Some(true) {
        hits.push(Hit::new(ids::CREDENTIALS_SECRET_IS_ID));
    }
    if ctx.equals(&format!("{section}.encrypt_key"), value) == Some(true) {
        hits.push(Hit::new(ids::CREDENTIALS_SECRET_IS_KEY));
    }
    hits
}

pub fn encrypt_key(value: &str) -> Vec<Hit> {
    let mut hits = match required(value) {
        Ok(hits) => hits,
        Err(empty) => return empty,
    };
    let length = value.chars().count();
    if length != KEY_LENGTH {
        hits.push(Hit::new(ids::CREDENTIALS_KEY_LENGTH).arg("length", length));
    }
    hits
}

/// 是否使用原授权: 否 for new customers; 是 moves validation to the expense module.
pub fn use_original_auth(value: &str) -> Vec<Hit> {
    let v = value.trim_matches(is_blank).to_ascii_lowercase();
    let rule = match v.as_str() {
        "否" | "no" | "false" | "n" | "0" => ids::ORIGINAL_AUTH_NO,
        "是" | "yes" | "true" | "y" | "1" => ids::ORIGINAL_AUTH_YES,
        _ => ids::ORIGINAL_AUTH_INVALID,
    };
    vec![Hit::new(rule)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::i18n::Lang;
    use crate::core::validate::{rules_in, rules_of as rules};
    use crate::core::validate::{validate_field, Finding};

    fn texts(findings: &[Finding]) -> String {
        let mut all = String::new();
        for f in findings {
            for lang in [Lang::Zh, Lang::En] {
                all += &(f.message(lang) + &f.why(lang) + &f.fix(lang) + &format!("{:?}", f.args));
            }
        }
        all
    }

    #[test]
    fn a_clean_enterprise_id_passes() {
        assert!(rules("auth.client_id", "a1b2c3d4e5").is_empty());
        assert!(rules("expense.client_id", "a1b2c3d4e5").is_empty());
    }

    #[test]
    fn empty_credentials_are_errors() {
        for field in ["auth.client_id", "auth.client_secret", "auth.encrypt_key", "tenant.client_id", "expense.encrypt_key"] {
            assert_eq!(rules(field, ""), [ids::CREDENTIALS_EMPTY], "{field}");
            assert_eq!(rules(field, " \u{3000} "), [ids::CREDENTIALS_EMPTY], "{field}");
        }
    }

    #[test]
    fn whitespace_and_invisible_characters_are_named_by_position() {
        for (value, position, codepoint) in [
            ("abc def", "4", "U+0020"),
            ("abc\tdef", "4", "U+0009"),
            ("abc\u{00A0}", "4", "U+00A0"),
            ("\u{200B}abc", "1", "U+200B"),
            ("ab\u{3000}c", "3", "U+3000"),
            ("ab\u{FEFF}c", "3", "U+FEFF"),
        ] {
            let f = validate_field("auth.client_id", value, &Context::default());
            let hit = f.iter().find(|f| f.rule == ids::CREDENTIALS_INVISIBLE).unwrap_or_else(|| panic!("{value:?}"));
            assert_eq!(hit.args, [("position", position.to_string()), ("codepoint", codepoint.to_string())]);
        }
    }

    #[test]
    fn an_invisible_character_in_a_secret_names_the_position_not_the_value() {
        let secret = "Zq7pLm2xVb9K";
        let value = format!("{secret}\u{200B}");
        let f = validate_field("auth.client_secret", &value, &Context::default());
        assert_eq!(f[0].rule, ids::CREDENTIALS_INVISIBLE);
        assert!(f[0].message(Lang::Zh).contains("13"));
        assert!(!texts(&f).contains(secret));
    }

    #[test]
    fn full_width_letters_digits_and_quotes_are_errors() {
        assert_eq!(rules("auth.client_id", "ab１c"), [ids::CREDENTIALS_FULLWIDTH]);
        assert_eq!(rules("auth.client_id", "ＡＢＣ"), [ids::CREDENTIALS_FULLWIDTH]);
        assert_eq!(rules("auth.client_id", "\"abc\""), [ids::CREDENTIALS_QUOTED]);
        assert_eq!(rules("auth.client_secret", "“abc”"), [ids::CREDENTIALS_QUOTED]);
        assert_eq!(rules("auth.client_id", "'abc'"), [ids::CREDENTIALS_QUOTED]);
        assert!(rules("auth.client_id", "ab\"c").is_empty(), "a quote inside is not wrapping");
    }

    #[test]
    fn tenant_ids_belong_only_in_the_tenant_dialog() {
        assert_eq!(rules("auth.client_id", "TN_8f3a"), [ids::CREDENTIALS_TENANT_ON_ENTERPRISE]);
        assert_eq!(rules("expense.client_id", " tn_8f3a"), [ids::CREDENTIALS_INVISIBLE, ids::CREDENTIALS_TENANT_ON_ENTERPRISE]);
        assert!(rules("tenant.client_id", "TN_8f3a").is_empty());
        assert_eq!(rules("tenant.client_id", "8f3a"), [ids::CREDENTIALS_NOT_TENANT]);
        assert_eq!(rules("tenant.client_id", "\"TN_8f3a\""), [ids::CREDENTIALS_QUOTED]);
    }

    #[test]
    fn the_tenant_id_must_differ_from_the_enterprise_id() {
        let ctx = Context::default().with("auth.client_id", "TN_8f3a");
        assert!(rules_in("tenant.client_id", "TN_8f3a", &ctx).contains(&ids::CREDENTIALS_TENANT_SAME_AS_ENTERPRISE));
        assert!(rules_in("tenant.client_id", "TN_other", &ctx).is_empty());
    }

    #[test]
    fn encrypt_key_must_have_sixteen_characters_and_says_how_many_it_has() {
        assert!(rules("auth.encrypt_key", "0123456789abcdef").is_empty());
        let f = validate_field("auth.encrypt_key", "0123456789abcde", &Context::default());
        assert_eq!(f[0].rule, ids::CREDENTIALS_KEY_LENGTH);
        assert_eq!(f[0].args, [("length", "15".to_string())]);
        assert!(!texts(&f).contains("0123456789abcde"));
        assert_eq!(rules("tenant.encrypt_key", "0123456789abcdef0"), [ids::CREDENTIALS_KEY_LENGTH]);
    }

    #[test]
    fn a_secret_equal_to_the_id_or_key_is_a_warning() {
        let ctx = Context::default().with("auth.client_id", "same").with("auth.encrypt_key", "0123456789abcdef");
        assert_eq!(rules_in("auth.client_secret", "same", &ctx), [ids::CREDENTIALS_SECRET_IS_ID]);
        assert_eq!(rules_in("auth.client_secret", "0123456789abcdef", &ctx), [ids::CREDENTIALS_SECRET_IS_KEY]);
        assert!(rules_in("auth.client_secret", "different", &ctx).is_empty());
        // Another section's values are not compared.
        assert!(rules_in("tenant.client_secret", "same", &ctx).is_empty());
    }

    #[test]
    fn original_auth_no_is_recommended_yes_is_explained() {
        assert_eq!(rules("auth.use_original_auth", "否"), [ids::ORIGINAL_AUTH_NO]);
        assert_eq!(rules("auth.use_original_auth", "false"), [ids::ORIGINAL_AUTH_NO]);
        assert_eq!(rules("auth.use_original_auth", "是"), [ids::ORIGINAL_AUTH_YES]);
        assert_eq!(rules("auth.use_original_auth", "TRUE"), [ids::ORIGINAL_AUTH_YES]);
        assert_eq!(rules("auth.use_original_auth", ""), [ids::ORIGINAL_AUTH_INVALID]);
        assert_eq!(rules("auth.use_original_auth", "可能"), [ids::ORIGINAL_AUTH_INVALID]);
    }
}
