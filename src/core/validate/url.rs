//! 发票云授权配置 → url: the Piaozone environment (对接约定: production `https://api.piaozone.com`,
//! test `https://api-dev.piaozone.com/test`), or a relay that forwards to it.

use super::chars::{as_typed_in_ascii, is_blank};
use super::{ids, Hit};

const PRODUCTION_HOST: &str = "api.piaozone.com";
const TEST_HOST: &str = "api-dev.piaozone.com";
const PRODUCTION_URL: &str = "https://api.piaozone.com";
const TEST_URL: &str = "https://api-dev.piaozone.com/test";
const TEST_PATH: &str = "/test";
/// The registrable name every official host shares; a host label close to it is a typo (`piazzone`).
const BRAND: &str = "piaozone";
const DOMAIN_SUFFIX: &str = ".piaozone.com";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Env {
    Production,
    Test,
}

impl Env {
    fn url(self) -> &'static str {
        match self {
            Env::Production => PRODUCTION_URL,
            Env::Test => TEST_URL,
        }
    }
}

/// The parts of a url this check needs; `scheme_exact` is false for `https:/`, `https//`, ….
struct Parts<'a> {
    https: bool,
    has_scheme: bool,
    scheme_exact: bool,
    host: String,
    path: &'a str,
}

fn parse(url: &str) -> Option<Parts<'_>> {
    let lower_start: String = url.chars().take(8).collect::<String>().to_ascii_lowercase();
    let (https, scheme_len) = if lower_start.starts_with("https") {
        (true, 5)
    } else if lower_start.starts_with("http") {
        (false, 4)
    } else {
        (false, 0)
    };
    let (has_scheme, scheme_exact, rest) = if scheme_len > 0 {
        let after = &url[scheme_len..];
        let rest = after.trim_start_matches([':', '/']);
        let separator = &after[..after.len() - rest.len()];
        if separator.is_empty() {
            // "httpsapi…" or a host that merely starts with "http".
            (false, false, url)
        } else {
            (true, separator == "://", rest)
        }
    } else {
        if url.contains("://") {
            return None;
        }
        (false, true, url)
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h).to_ascii_lowercase();
    let valid_host = !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !valid_host || (!has_scheme && !host.contains('.')) {
        return None;
    }
    Some(Parts { https, has_scheme, scheme_exact, host, path: &rest[end..] })
}

/// Levenshtein distance, `None` when over `limit` or when the inputs are too long to be a typo of
/// a host (which keeps this constant-time on arbitrary input).
fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    const MAX: usize = 64;
    if a.len() > MAX || b.len() > MAX || a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + usize::from(ca != cb));
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    Some(row[b.len()]).filter(|d| *d <= limit)
}

/// The environment a misspelt host was meant to be, if it looks like a Piaozone host at all.
fn meant_env(host: &str, path: &str) -> Option<Env> {
    let near_official = [PRODUCTION_HOST, TEST_HOST].iter().any(|h| distance_within(host, h, 2).is_some());
    let near_brand = host.split(['.', '-']).any(|label| distance_within(label, BRAND, 2).is_some() && label.len() >= 6);
    (near_official || near_brand).then(|| {
        if host.contains("dev") || host.contains("test") || path.to_ascii_lowercase().contains("test") {
            Env::Test
        } else {
            Env::Production
        }
    })
}

pub fn check(value: &str) -> Vec<Hit> {
    if value.chars().all(is_blank) {
        return vec![Hit::new(ids::URL_EMPTY)];
    }
    // What the admin meant: no blanks, ASCII instead of full-width forms (ｈｔｔｐｓ：／／, 。).
    let cleaned = as_typed_in_ascii(value);
    let Some(parts) = parse(&cleaned) else {
        return vec![Hit::new(ids::URL_NOT_HTTP)];
    };
    // Damage RFC 3986 rules out (blanks, full-width forms, a broken or missing scheme) is an error;
    // a host or path that merely resembles Piaozone's may be someone's relay: a warning.
    let damaged = cleaned != value || !parts.has_scheme || !parts.scheme_exact;
    let path = parts.path.strip_suffix('/').unwrap_or(parts.path);
    let near_miss = |suggestion: &str| vec![Hit::new(ids::URL_NEAR_MISS).arg("suggestion", suggestion)];
    let lookalike = |suggestion: &str| {
        let rule = if damaged { ids::URL_NEAR_MISS } else { ids::URL_LOOKALIKE };
        vec![Hit::new(rule).arg("suggestion", suggestion)]
    };

    let env = match parts.host.as_str() {
        PRODUCTION_HOST if path.is_empty() => Env::Production,
        PRODUCTION_HOST if path.eq_ignore_ascii_case(TEST_PATH) => return vec![Hit::new(ids::URL_PROD_WITH_TEST)],
        PRODUCTION_HOST => return vec![Hit::new(ids::URL_EXTRA_PATH).arg("suggestion", PRODUCTION_URL)],
        TEST_HOST if path == TEST_PATH => Env::Test,
        TEST_HOST if path.is_empty() => {
            return vec![Hit::new(ids::URL_DEV_WITHOUT_TEST).arg("suggestion", TEST_URL)];
        }
        TEST_HOST if path.len() > TEST_PATH.len() && path.starts_with("/test/") => {
            return vec![Hit::new(ids::URL_EXTRA_PATH).arg("suggestion", TEST_URL)];
        }
        TEST_HOST if distance_within(&path.to_ascii_lowercase(), TEST_PATH, 2).is_some() => return lookalike(TEST_URL),
        TEST_HOST => return vec![Hit::new(ids::URL_EXTRA_PATH).arg("suggestion", TEST_URL)],
        host if host.ends_with(DOMAIN_SUFFIX) && !damaged => {
            return vec![Hit::new(ids::URL_OTHER_ENV).arg("host", host)];
        }
        host => {
            return match meant_env(host, parts.path) {
                Some(env) => lookalike(env.url()),
                None if damaged => near_miss(&cleaned),
                None => vec![Hit::new(ids::URL_RELAY).arg("host", host)],
            };
        }
    };
    if damaged {
        return near_miss(env.url());
    }
    let confirmed = Hit::new(match env {
        Env::Production => ids::URL_PRODUCTION,
        Env::Test => ids::URL_TEST,
    });
    if parts.https {
        vec![confirmed]
    } else {
        vec![Hit::new(ids::URL_INSECURE), confirmed]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::{validate_field, Context};

    fn rules(value: &str) -> Vec<&'static str> {
        validate_field("auth.url", value, &Context::default()).iter().map(|f| f.rule).collect()
    }

    fn suggestion(value: &str) -> String {
        let f = validate_field("auth.url", value, &Context::default());
        f[0].args.iter().find(|(k, _)| *k == "suggestion").map(|(_, v)| v.clone()).unwrap_or_default()
    }

    #[test]
    fn the_two_documented_environments_are_ok_with_or_without_a_trailing_slash() {
        assert_eq!(rules("https://api.piaozone.com"), [ids::URL_PRODUCTION]);
        assert_eq!(rules("https://api.piaozone.com/"), [ids::URL_PRODUCTION]);
        assert_eq!(rules("HTTPS://API.PIAOZONE.COM"), [ids::URL_PRODUCTION]);
        assert_eq!(rules("https://api-dev.piaozone.com/test"), [ids::URL_TEST]);
        assert_eq!(rules("https://api-dev.piaozone.com/test/"), [ids::URL_TEST]);
    }

    #[test]
    fn empty_and_non_http_urls_are_errors() {
        assert_eq!(rules(""), [ids::URL_EMPTY]);
        assert_eq!(rules("  "), [ids::URL_EMPTY]);
        assert_eq!(rules("ftp://api.piaozone.com"), [ids::URL_NOT_HTTP]);
        assert_eq!(rules("piaozone"), [ids::URL_NOT_HTTP]);
        assert_eq!(rules("https://"), [ids::URL_NOT_HTTP]);
        assert_eq!(rules("https://exa mple.com/a"), [ids::URL_NEAR_MISS]);
    }

    #[test]
    fn the_test_host_without_test_is_a_warning_recommending_the_guides_url() {
        assert_eq!(rules("https://api-dev.piaozone.com"), [ids::URL_DEV_WITHOUT_TEST]);
        assert_eq!(suggestion("https://api-dev.piaozone.com/"), TEST_URL);
        // A public client gets tokens there: the texts recommend, they do not predict a failure.
        let f = &validate_field("auth.url", "https://api-dev.piaozone.com", &Context::default())[0];
        assert_eq!(f.severity, crate::core::validate::Severity::Warning);
        let zh = f.message(crate::core::i18n::Lang::Zh) + &f.why(crate::core::i18n::Lang::Zh);
        let en = f.message(crate::core::i18n::Lang::En) + &f.why(crate::core::i18n::Lang::En);
        assert!(!zh.contains("不会通过") && !zh.contains("失败"), "{zh}");
        assert!(!en.contains("fail"), "{en}");
    }

    #[test]
    fn test_path_on_the_production_host_is_an_error() {
        assert_eq!(rules("https://api.piaozone.com/test"), [ids::URL_PROD_WITH_TEST]);
    }

    #[test]
    fn api_paths_are_not_part_of_the_url() {
        assert_eq!(rules("https://api.piaozone.com/base/oauth/token"), [ids::URL_EXTRA_PATH]);
        assert_eq!(suggestion("https://api-dev.piaozone.com/test/base/oauth/token"), TEST_URL);
    }

    #[test]
    fn http_on_an_official_host_is_a_warning() {
        assert_eq!(rules("http://api.piaozone.com"), [ids::URL_INSECURE, ids::URL_PRODUCTION]);
        assert_eq!(rules("http://api-dev.piaozone.com/test"), [ids::URL_INSECURE, ids::URL_TEST]);
    }

    #[test]
    fn lookalike_hosts_and_paths_are_a_warning_naming_piaozones_url() {
        for (value, meant) in [
            ("https://api.piazzone.com", PRODUCTION_URL),
            ("https://api.piaozone.cn", PRODUCTION_URL),
            ("https://api.piaozone.com.cn", PRODUCTION_URL),
            ("https://piaozone.com", PRODUCTION_URL),
            ("https://api-dev.piaozhone.com/test", TEST_URL),
            ("https://api-dev.piaozone.com/tset", TEST_URL),
        ] {
            assert_eq!(rules(value), [ids::URL_LOOKALIKE], "{value}");
            assert_eq!(suggestion(value), meant, "{value}");
        }
    }

    #[test]
    fn malformed_urls_are_errors_saying_what_was_meant() {
        for (value, meant) in [
            ("https://api.piazzone.com ", PRODUCTION_URL),
            (" https://api.piaozone.com", PRODUCTION_URL),
            ("https://api.piaozone.com ", PRODUCTION_URL),
            ("https://api.piaozone.com\u{200B}", PRODUCTION_URL),
            ("ｈｔｔｐｓ：／／api.piaozone.com", PRODUCTION_URL),
            ("https://api。piaozone。com", PRODUCTION_URL),
            ("https:/api.piaozone.com", PRODUCTION_URL),
            ("api.piaozone.com", PRODUCTION_URL),
            ("api-dev.piaozone.com/test", TEST_URL),
        ] {
            assert_eq!(rules(value), [ids::URL_NEAR_MISS], "{value}");
            assert_eq!(suggestion(value), meant, "{value}");
        }
    }

    #[test]
    fn other_piaozone_environments_and_relays_are_information() {
        assert_eq!(rules("https://api-sit.piaozone.com"), [ids::URL_OTHER_ENV]);
        assert_eq!(rules("https://relay.example.com:8443/piaozone"), [ids::URL_RELAY]);
        assert_eq!(rules("http://10.0.0.8:8080"), [ids::URL_RELAY]);
        let f = validate_field("auth.url", "https://relay.example.com", &Context::default());
        assert_eq!(f[0].args, [("host", "relay.example.com".to_string())]);
    }
}
