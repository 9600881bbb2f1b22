//! 数电配置 below V8.0: the mailbox that receives the activation code, and the code itself.

use super::chars::{as_typed_in_ascii, fullwidth_to_ascii, is_blank};
use super::{ids, Hit};

const LOCAL_SPECIALS: &[u8] = b".!#$%&'*+/=?^_`{|}~-";

/// How well-formed an address is: RFC 5321 with the internationalised forms of RFC 6531 (U-label
/// domains such as 例子.中国, their punycode `xn--…`, and a UTF-8 local part).
#[derive(PartialEq)]
enum Address {
    Ascii,
    /// Valid, but the local part holds non-ASCII characters, which some mail systems do not deliver.
    NonAsciiLocal,
    Invalid,
}

fn local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_ascii() && LOCAL_SPECIALS.contains(&(c as u8))) || is_letter(c)
}

/// A non-ASCII letter or digit of an internationalised name; full-width forms are typing slips,
/// handled by the caller, not letters.
fn is_letter(c: char) -> bool {
    !c.is_ascii() && c.is_alphanumeric() && fullwidth_to_ascii(c).is_none()
}

fn label_ok(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || is_letter(c))
}

/// A top-level domain: letters (ASCII or not), or an ASCII-compatible `xn--` label.
fn tld_ok(tld: &str) -> bool {
    let punycode = tld.len() > 4 && tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"));
    tld.chars().count() >= 2 && (punycode || tld.chars().all(|c| c.is_ascii_alphabetic() || is_letter(c)))
}

fn classify(address: &str) -> Address {
    let Some((local, domain)) = address.split_once('@') else {
        return Address::Invalid;
    };
    let local_ok = (1..=64).contains(&local.len())
        && local.chars().all(local_char)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok =
        domain.len() <= 253 && labels.len() >= 2 && labels.iter().all(|l| label_ok(l)) && labels.last().is_some_and(|tld| tld_ok(tld));
    match (local_ok && domain_ok, local.is_ascii()) {
        (false, _) => Address::Invalid,
        (true, true) => Address::Ascii,
        (true, false) => Address::NonAsciiLocal,
    }
}

pub fn email(value: &str) -> Vec<Hit> {
    let trimmed = value.trim_matches(is_blank);
    if trimmed.is_empty() {
        return vec![Hit::new(ids::EMAIL_EMPTY)];
    }
    // A full-width ＠ or a pasted space is the usual slip: offer the repaired address when it is one.
    let meant = as_typed_in_ascii(value);
    if meant != value && classify(&meant) != Address::Invalid {
        return vec![Hit::new(ids::EMAIL_FULLWIDTH).arg("suggestion", meant)];
    }
    match classify(value) {
        Address::Ascii => Vec::new(),
        Address::NonAsciiLocal => vec![Hit::new(ids::EMAIL_NON_ASCII_LOCAL)],
        Address::Invalid => vec![Hit::new(ids::EMAIL_INVALID)],
    }
}

pub fn activation_code(value: &str) -> Vec<Hit> {
    if value.chars().all(is_blank) {
        return vec![Hit::new(ids::ACTIVATION_CODE_EMPTY)];
    }
    match value.chars().position(is_blank) {
        Some(i) => vec![Hit::new(ids::ACTIVATION_CODE_WHITESPACE).arg("position", i + 1)],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::rules_of as rules;
    use crate::core::validate::{validate_field, Context};

    #[test]
    fn valid_addresses_pass() {
        for ok in [
            "finance@example.com",
            "a.b+tag@mail.kingdee.com.cn",
            "x_y-1@sub-domain.org",
            "admin@例子.中国",
            "admin@xn--fsqu00a.xn--fiqs8s",
            "caiwu@公司.cn",
        ] {
            assert!(rules("legacy.email", ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn a_non_ascii_mailbox_name_is_valid_with_a_warning() {
        assert_eq!(rules("legacy.email", "财务@example.com"), [ids::EMAIL_NON_ASCII_LOCAL]);
        assert_eq!(rules("legacy.email", "财务@例子.中国"), [ids::EMAIL_NON_ASCII_LOCAL]);
    }

    #[test]
    fn invalid_addresses_are_errors() {
        assert_eq!(rules("legacy.email", ""), [ids::EMAIL_EMPTY]);
        for bad in [
            "finance",
            "@example.com",
            "a@b",
            "a@@b.com",
            "a..b@example.com",
            "a@-b.com",
            "a@b.c0m",
            "a@b.x",
            "a@例子.中",
            "a@xn--.com",
            "a b@example.com.",
        ] {
            assert_eq!(rules("legacy.email", bad), [ids::EMAIL_INVALID], "{bad}");
        }
    }

    #[test]
    fn full_width_and_spaces_get_the_repaired_address() {
        let f = validate_field("legacy.email", "finance＠example。com ", &Context::default());
        assert_eq!(f[0].rule, ids::EMAIL_FULLWIDTH);
        assert_eq!(f[0].args, [("suggestion", "finance@example.com".to_string())]);
    }

    #[test]
    fn activation_codes_are_present_without_whitespace() {
        assert!(rules("legacy.activation_code", "A1B2-C3D4").is_empty());
        assert_eq!(rules("legacy.activation_code", ""), [ids::ACTIVATION_CODE_EMPTY]);
        let f = validate_field("legacy.activation_code", "A1B2 C3D4", &Context::default());
        assert_eq!((f[0].rule, f[0].args.clone()), (ids::ACTIVATION_CODE_WHITESPACE, vec![("position", "5".to_string())]));
    }
}
