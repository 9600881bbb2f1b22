//! 数电配置 below V8.0: the mailbox that receives the activation code, and the code itself.

use super::chars::{as_typed_in_ascii, is_blank};
use super::{ids, Hit};

const LOCAL_SPECIALS: &[u8] = b".!#$%&'*+/=?^_`{|}~-";

fn valid_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    let local_ok = (1..=64).contains(&local.len())
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(&b))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    local_ok && domain_ok
}

pub fn email(value: &str) -> Vec<Hit> {
    let trimmed = value.trim_matches(is_blank);
    if trimmed.is_empty() {
        return vec![Hit::new(ids::EMAIL_EMPTY)];
    }
    if valid_email(value) {
        return Vec::new();
    }
    // A full-width ＠ or a pasted space is the usual slip: offer the repaired address when it is one.
    let meant = as_typed_in_ascii(value);
    if meant != value && valid_email(&meant) {
        vec![Hit::new(ids::EMAIL_FULLWIDTH).arg("suggestion", meant)]
    } else {
        vec![Hit::new(ids::EMAIL_INVALID)]
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
        ] {
            assert!(rules("legacy.email", ok).is_empty(), "{ok}");
        }
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
            "财务@example.com",
        ] {
            assert_eq!(rules("legacy.email", bad), [ids::EMAIL_INVALID], "{bad}");
        }
    }

    #[test]
    fn full_width_and_spaces_get_the_repaired_address() {
        let f = validate_field(
            "legacy.email",
            "finance＠example。com ",
            &Context::default(),
        );
        assert_eq!(f[0].rule, ids::EMAIL_FULLWIDTH);
        assert_eq!(
            f[0].args,
            [("suggestion", "finance@example.com".to_string())]
        );
    }

    #[test]
    fn activation_codes_are_present_without_whitespace() {
        assert!(rules("legacy.activation_code", "A1B2-C3D4").is_empty());
        assert_eq!(
            rules("legacy.activation_code", ""),
            [ids::ACTIVATION_CODE_EMPTY]
        );
        let f = validate_field("legacy.activation_code", "A1B2 C3D4", &Context::default());
        assert_eq!(
            (f[0].rule, f[0].args.clone()),
            (
                ids::ACTIVATION_CODE_WHITESPACE,
                vec![("position", "5".to_string())]
            )
        );
    }
}
