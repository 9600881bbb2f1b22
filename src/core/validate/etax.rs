//! 数电配置 → 新增账号: bureau, account (mobile or GB 11643 resident ID), password, role, login type
//! and the 企享云 app keys of 小号登录.

use super::chars::is_blank;
use super::credentials::pasting_damage;
use super::{ids, Context, Hit};
use crate::core::guide::{self, LOGIN_TYPES, ROLES};

/// GB 11643 weights of the first 17 digits, and the check character for each remainder mod 11.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// A mainland mobile number: 11 digits, "1" then 3–9.
fn is_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
}

/// Shaped like an 18-character resident ID: 17 digits and a digit or X.
fn looks_like_resident_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && (b[17].is_ascii_digit() || b[17] == b'X' || b[17] == b'x')
}

/// The GB 11643 check character of 17 digits.
pub(super) fn resident_id_check(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(&d, w)| u32::from(d - b'0') * w)
        .sum();
    ID_CHECK[(sum % 11) as usize]
}

pub fn region(value: &str) -> Vec<Hit> {
    let v = value.trim_matches(is_blank);
    if v.is_empty() {
        vec![Hit::new(ids::REGION_EMPTY)]
    } else if guide::bureau(v).is_none() {
        vec![Hit::new(ids::REGION_UNKNOWN).arg("value", v)]
    } else {
        Vec::new()
    }
}

pub fn account(value: &str) -> Vec<Hit> {
    if value.chars().all(is_blank) {
        return vec![Hit::new(ids::ACCOUNT_EMPTY)];
    }
    let mut hits = Vec::new();
    if let Some(i) = value.chars().position(is_blank) {
        hits.push(Hit::new(ids::ACCOUNT_WHITESPACE).arg("position", i + 1));
    }
    let account: String = value.chars().filter(|c| !is_blank(*c)).collect();
    if looks_like_resident_id(&account) {
        let b = account.as_bytes();
        if resident_id_check(&b[..17]) != b[17].to_ascii_uppercase() {
            hits.push(Hit::new(ids::ACCOUNT_ID_CHECK));
        }
    } else if !is_mobile(&account) {
        hits.push(Hit::new(ids::ACCOUNT_FORMAT));
    }
    hits
}

pub fn password(value: &str) -> Vec<Hit> {
    if value.is_empty() {
        vec![Hit::new(ids::PASSWORD_EMPTY)]
    } else if value.starts_with(is_blank) || value.ends_with(is_blank) {
        vec![Hit::new(ids::PASSWORD_SURROUNDING_SPACE)]
    } else {
        Vec::new()
    }
}

pub fn role(value: &str) -> Vec<Hit> {
    let v = value.trim_matches(is_blank);
    if v.is_empty() {
        vec![Hit::new(ids::ROLE_EMPTY)]
    } else if !ROLES.contains(&v) {
        vec![Hit::new(ids::ROLE_UNKNOWN).arg("value", v)]
    } else {
        Vec::new()
    }
}

fn login_type_of(value: &str) -> Option<&'static guide::LoginType> {
    let v = value.trim_matches(is_blank);
    LOGIN_TYPES.iter().find(|l| l.name.eq_ignore_ascii_case(v))
}

/// `section` is the account's section; its app keys decide whether they go unused.
pub fn login_type(value: &str, section: &str, ctx: &Context) -> Vec<Hit> {
    let v = value.trim_matches(is_blank);
    if v.is_empty() {
        return vec![Hit::new(ids::LOGIN_TYPE_EMPTY)];
    }
    let Some(login) = login_type_of(v) else {
        return vec![Hit::new(ids::LOGIN_TYPE_UNKNOWN).arg("value", v)];
    };
    let mut hits = Vec::new();
    if !login.supported {
        hits.push(Hit::new(ids::LOGIN_TYPE_UNSUPPORTED));
    }
    let keys_filled = ["app_key", "app_secret"]
        .iter()
        .any(|k| ctx.is_filled(&format!("{section}.{k}")) == Some(true));
    if !login.needs_app_keys && keys_filled {
        hits.push(Hit::new(ids::LOGIN_TYPE_APP_KEYS_UNUSED));
    }
    hits
}

/// 第三方app_key / app_secret: required by 小号登录, otherwise optional; never quoted.
pub fn app_credential(value: &str, section: &str, ctx: &Context) -> Vec<Hit> {
    if value.chars().all(is_blank) {
        let required = ctx
            .get(&format!("{section}.login_type"))
            .and_then(login_type_of)
            .is_some_and(|l| l.needs_app_keys);
        return if required {
            vec![Hit::new(ids::APP_KEY_REQUIRED)]
        } else {
            Vec::new()
        };
    }
    pasting_damage(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::{rules_in, rules_of as rules};
    use crate::core::validate::validate_field;


    #[test]
    fn every_bureau_and_common_variants_are_accepted() {
        for b in guide::BUREAUS {
            assert!(rules("etax.region", b.name).is_empty(), "{}", b.name);
        }
        for v in ["广东", "深圳", "内蒙古", "广西", "国家税务总局上海市税务局"]
        {
            assert!(rules("etax.region", v).is_empty(), "{v}");
        }
        assert_eq!(rules("etax.region", ""), [ids::REGION_EMPTY]);
        assert_eq!(rules("etax.region", "香港"), [ids::REGION_UNKNOWN]);
    }

    #[test]
    fn gb_11643_check_digits() {
        // The standard's own example, and one whose remainder 2 gives X.
        assert_eq!(resident_id_check(b"11010519491231002"), b'X');
        assert_eq!(resident_id_check(b"44052418800101001"), b'4');
        // Σ ≡ 0 gives "1".
        assert_eq!(resident_id_check(b"00000000000000000"), b'1');
    }

    #[test]
    fn accounts_are_mobiles_or_valid_resident_ids() {
        for ok in [
            "13800138000",
            "19912345678",
            "11010519491231002X",
            "11010519491231002x",
            "440524188001010014",
        ] {
            assert!(rules("etax.account", ok).is_empty(), "{ok}");
        }
        assert_eq!(
            rules("etax.account", "11010519491231002Y"),
            [ids::ACCOUNT_FORMAT]
        );
        assert_eq!(
            rules("etax.account", "110105194912310021"),
            [ids::ACCOUNT_ID_CHECK]
        );
        assert_eq!(rules("etax.account", "12800138000"), [ids::ACCOUNT_FORMAT]);
        assert_eq!(rules("etax.account", "1380013800"), [ids::ACCOUNT_FORMAT]);
        assert_eq!(rules("etax.account", "admin"), [ids::ACCOUNT_FORMAT]);
        assert_eq!(rules("etax.account", ""), [ids::ACCOUNT_EMPTY]);
    }

    #[test]
    fn whitespace_in_an_account_is_an_error() {
        assert_eq!(
            rules("etax.account", "138 0013 8000"),
            [ids::ACCOUNT_WHITESPACE]
        );
        let f = validate_field("etax.account", "13800138000\u{200B}", &Context::default());
        assert_eq!(f[0].args, [("position", "12".to_string())]);
    }

    #[test]
    fn passwords_must_be_present_and_are_never_quoted() {
        assert_eq!(rules("etax.password", ""), [ids::PASSWORD_EMPTY]);
        assert_eq!(
            rules("etax.password", " hunter2"),
            [ids::PASSWORD_SURROUNDING_SPACE]
        );
        assert_eq!(
            rules("etax.password", "hunter2\t"),
            [ids::PASSWORD_SURROUNDING_SPACE]
        );
        assert!(rules("etax.password", "hunter 2").is_empty());
        let f = validate_field("etax.password", " hunter2", &Context::default());
        assert!(f[0].args.is_empty());
    }

    #[test]
    fn roles_are_the_ten_of_the_reference() {
        for r in ROLES {
            assert!(rules("etax.role", r).is_empty(), "{r}");
        }
        assert_eq!(rules("etax.role", ""), [ids::ROLE_EMPTY]);
        assert_eq!(rules("etax.role", "老板"), [ids::ROLE_UNKNOWN]);
    }

    #[test]
    fn login_types_and_their_app_keys() {
        let none = Context::default()
            .with("etax.app_key", "")
            .with("etax.app_secret", "");
        assert!(rules_in("etax.login_type", "人工登录", &none).is_empty());
        assert!(rules_in("etax.login_type", "小号登录", &none).is_empty());
        assert_eq!(
            rules_in("etax.login_type", "APP自动登录", &none),
            [ids::LOGIN_TYPE_UNSUPPORTED]
        );
        assert_eq!(
            rules_in("etax.login_type", "", &none),
            [ids::LOGIN_TYPE_EMPTY]
        );
        assert_eq!(
            rules_in("etax.login_type", "扫码", &none),
            [ids::LOGIN_TYPE_UNKNOWN]
        );

        let keys = Context::default()
            .with("etax.app_key", "k")
            .with("etax.app_secret", "s");
        assert_eq!(
            rules_in("etax.login_type", "人工登录", &keys),
            [ids::LOGIN_TYPE_APP_KEYS_UNUSED]
        );
        assert!(rules_in("etax.login_type", "小号登录", &keys).is_empty());

        let small = Context::default().with("etax.login_type", "小号登录");
        assert_eq!(
            rules_in("etax.app_key", "", &small),
            [ids::APP_KEY_REQUIRED]
        );
        assert_eq!(
            rules_in("etax.app_secret", " ", &small),
            [ids::APP_KEY_REQUIRED]
        );
        assert!(rules_in("etax.app_key", "k1", &small).is_empty());
        let manual = Context::default().with("etax.login_type", "人工登录");
        assert!(rules_in("etax.app_key", "", &manual).is_empty());
        assert_eq!(
            rules_in("etax.app_secret", "s s", &manual),
            [ids::CREDENTIALS_INVISIBLE]
        );
    }
}
