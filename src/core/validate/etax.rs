//! 数电配置 → 新增账号: bureau, account (mobile, GB 11643 resident ID, passport or travel permit),
//! password, role, login type and the 企享云 app keys of 小号登录.

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
    b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// Shaped like an 18-character resident ID: 17 digits and a digit or X.
fn looks_like_resident_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 18 && b[..17].iter().all(u8::is_ascii_digit) && (b[17].is_ascii_digit() || b[17] == b'X' || b[17] == b'x')
}

/// GB/T 2260 province codes that open a resident ID: the 31 mainland provinces, 71 台湾, and
/// 81 / 82 / 83 of the residence permits of 香港, 澳门 and 台湾 residents.
const PROVINCE_CODES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    83,
];

fn two_digits(b: &[u8]) -> u32 {
    u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0')
}

/// A real calendar date in characters 7–14 (YYYYMMDD), years 1850–2099.
fn is_birth_date(d: &[u8]) -> bool {
    let year = two_digits(&d[0..2]) * 100 + two_digits(&d[2..4]);
    let (month, day) = (two_digits(&d[4..6]), two_digits(&d[6..8]));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    (1850..=2099).contains(&year) && (1..=days).contains(&day)
}

/// A GB 11643 resident ID: province code, birth date and check character all right.
pub(super) fn is_valid_resident_id(s: &str) -> bool {
    let b = s.as_bytes();
    looks_like_resident_id(s)
        && PROVINCE_CODES.contains(&(two_digits(&b[..2]) as u8))
        && is_birth_date(&b[6..14])
        && resident_id_check(&b[..17]) == b[17].to_ascii_uppercase()
}

/// Shaped like a passport or a travel permit (港澳居民来往内地通行证 H/M + 8 or 10 digits, Chinese
/// passports E/G… + 8, foreign ones): a capital letter, then 7–14 capitals or digits, at least 6
/// of them digits. 台湾居民来往大陆通行证 numbers are 8 digits.
fn looks_like_travel_document(s: &str) -> bool {
    let b = s.as_bytes();
    let permit = b.len() == 8 && b.iter().all(u8::is_ascii_digit);
    let lettered = (8..=15).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && b.iter().filter(|c| c.is_ascii_digit()).count() >= 6;
    permit || lettered
}

/// The GB 11643 check character of 17 digits.
pub(super) fn resident_id_check(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(ID_WEIGHTS).map(|(&d, w)| u32::from(d - b'0') * w).sum();
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
    } else if !is_mobile(&account) && !looks_like_travel_document(&account.to_ascii_uppercase()) {
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
        vec![Hit::new(ids::ROLE_UNKNOWN).arg("value", v).arg("known", ROLES.join("、"))]
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
        let known: Vec<_> = LOGIN_TYPES.iter().map(|l| l.name).collect();
        return vec![Hit::new(ids::LOGIN_TYPE_UNKNOWN).arg("value", v).arg("known", known.join("、"))];
    };
    let mut hits = Vec::new();
    if !login.supported {
        hits.push(Hit::new(ids::LOGIN_TYPE_UNSUPPORTED));
    }
    let keys_filled = ["app_key", "app_secret"].iter().any(|k| ctx.is_filled(&format!("{section}.{k}")) == Some(true));
    if !login.needs_app_keys && keys_filled {
        hits.push(Hit::new(ids::LOGIN_TYPE_APP_KEYS_UNUSED));
    }
    hits
}

/// 第三方app_key / app_secret: required by 小号登录, otherwise optional; never quoted.
pub fn app_credential(value: &str, section: &str, ctx: &Context) -> Vec<Hit> {
    if value.chars().all(is_blank) {
        let required = ctx.get(&format!("{section}.login_type")).and_then(login_type_of).is_some_and(|l| l.needs_app_keys);
        return if required { vec![Hit::new(ids::APP_KEY_REQUIRED)] } else { Vec::new() };
    }
    pasting_damage(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::validate_field;
    use crate::core::validate::{rules_in, rules_of as rules};

    #[test]
    fn every_bureau_and_common_variants_are_accepted() {
        for b in guide::BUREAUS {
            assert!(rules("etax.region", b.name).is_empty(), "{}", b.name);
        }
        for v in ["广东", "深圳", "内蒙古", "广西", "国家税务总局上海市税务局"] {
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
            "E12345678",          // passport
            "EA1234567",          // passport, newer series
            "H12345678",          // 港澳居民来往内地通行证
            "M1234567890",        // the same, older 11-character form
            "12345678",           // 台湾居民来往大陆通行证
            "81000019920817001X", // 港澳台居民居住证
        ] {
            assert!(rules("etax.account", ok).is_empty(), "{ok}");
        }
        assert_eq!(rules("etax.account", "11010519491231002Y"), [ids::ACCOUNT_FORMAT]);
        assert_eq!(rules("etax.account", "110105194912310021"), [ids::ACCOUNT_ID_CHECK]);
        assert_eq!(rules("etax.account", "12800138000"), [ids::ACCOUNT_FORMAT]);
        assert_eq!(rules("etax.account", "1380013800"), [ids::ACCOUNT_FORMAT]);
        assert_eq!(rules("etax.account", "admin"), [ids::ACCOUNT_FORMAT]);
        assert_eq!(rules("etax.account", "ABCDEFGHI"), [ids::ACCOUNT_FORMAT]);
        assert_eq!(rules("etax.account", ""), [ids::ACCOUNT_EMPTY]);
    }

    #[test]
    fn resident_ids_need_a_province_a_birth_date_and_the_check() {
        assert!(is_valid_resident_id("11010519491231002X"));
        assert!(is_valid_resident_id("440101198002290014"), "29 February of a leap year");
        assert!(!is_valid_resident_id("440101198102290011"), "no 29 February in 1981");
        assert!(!is_valid_resident_id("990105194912310023"), "no province 99");
        assert!(!is_valid_resident_id("110105194912310021"), "wrong check digit");
        assert!(!is_valid_resident_id("91350100M000100Y43"));
    }

    #[test]
    fn whitespace_in_an_account_is_a_warning() {
        assert_eq!(rules("etax.account", "138 0013 8000"), [ids::ACCOUNT_WHITESPACE]);
        let f = validate_field("etax.account", "13800138000\u{200B}", &Context::default());
        assert_eq!(f[0].args, [("position", "12".to_string())]);
    }

    #[test]
    fn passwords_must_be_present_and_are_never_quoted() {
        assert_eq!(rules("etax.password", ""), [ids::PASSWORD_EMPTY]);
        assert_eq!(rules("etax.password", " hunter2"), [ids::PASSWORD_SURROUNDING_SPACE]);
        assert_eq!(rules("etax.password", "hunter2\t"), [ids::PASSWORD_SURROUNDING_SPACE]);
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
        let f = validate_field("etax.role", "老板", &Context::default());
        assert_eq!(f[0].rule, ids::ROLE_UNKNOWN);
        assert_eq!(f[0].severity, crate::core::validate::Severity::Warning);
        assert!(f[0].why(crate::core::i18n::Lang::Zh).contains("开票员、财务负责人"));
    }

    #[test]
    fn login_types_and_their_app_keys() {
        let none = Context::default().with("etax.app_key", "").with("etax.app_secret", "");
        assert!(rules_in("etax.login_type", "人工登录", &none).is_empty());
        assert!(rules_in("etax.login_type", "小号登录", &none).is_empty());
        assert_eq!(rules_in("etax.login_type", "APP自动登录", &none), [ids::LOGIN_TYPE_UNSUPPORTED]);
        assert_eq!(rules_in("etax.login_type", "", &none), [ids::LOGIN_TYPE_EMPTY]);
        let f = validate_field("etax.login_type", "扫码", &none);
        assert_eq!(f[0].rule, ids::LOGIN_TYPE_UNKNOWN);
        assert!(f[0].why(crate::core::i18n::Lang::En).contains("人工登录"));

        let keys = Context::default().with("etax.app_key", "k").with("etax.app_secret", "s");
        assert_eq!(rules_in("etax.login_type", "人工登录", &keys), [ids::LOGIN_TYPE_APP_KEYS_UNUSED]);
        assert!(rules_in("etax.login_type", "小号登录", &keys).is_empty());

        let small = Context::default().with("etax.login_type", "小号登录");
        assert_eq!(rules_in("etax.app_key", "", &small), [ids::APP_KEY_REQUIRED]);
        assert_eq!(rules_in("etax.app_secret", " ", &small), [ids::APP_KEY_REQUIRED]);
        assert!(rules_in("etax.app_key", "k1", &small).is_empty());
        let manual = Context::default().with("etax.login_type", "人工登录");
        assert!(rules_in("etax.app_key", "", &manual).is_empty());
        assert_eq!(rules_in("etax.app_secret", "s s", &manual), [ids::CREDENTIALS_INVISIBLE]);
    }
}
