//! Piaozone environments come in pairs, production and test, each with its own keys
//! (Piaozone's documented `https://api.piaozone.com` and `https://api-dev.piaozone.com/test`). Keys of one environment are refused by the other, which is the commonest reason the
//! console's 连接测试 fails (the guide's FAQ), so the connection test tries the counterpart.

use serde::{Deserialize, Serialize};

use super::url::HttpUrl;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Environment {
    pub name: String,
    pub base: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentPair {
    pub production: Environment,
    pub test: Environment,
}

pub const PRODUCTION_BASE: &str = "https://api.piaozone.com";
pub const TEST_BASE: &str = "https://api-dev.piaozone.com/test";

impl EnvironmentPair {
    /// A pair named after its bases, as the CLI's `--env-pair PROD,TEST` and demo builds give them.
    pub fn from_bases(production: &str, test: &str) -> EnvironmentPair {
        EnvironmentPair {
            production: Environment { name: format!("production ({})", production.trim()), base: production.trim().to_owned() },
            test: Environment { name: format!("test ({})", test.trim()), base: test.trim().to_owned() },
        }
    }
}

/// The official pair of the 对接约定 table.
pub fn default_pair() -> EnvironmentPair {
    EnvironmentPair {
        production: Environment { name: "发票云正式环境".to_owned(), base: PRODUCTION_BASE.to_owned() },
        test: Environment { name: "发票云测试环境".to_owned(), base: TEST_BASE.to_owned() },
    }
}

/// Two spellings of one base compare equal: scheme and host case, default port, trailing slashes.
pub fn same_base(a: &str, b: &str) -> bool {
    match (HttpUrl::parse(a), HttpUrl::parse(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// The other environment of the first pair that contains `base`, if any.
pub fn counterpart<'a>(base: &str, pairs: &'a [EnvironmentPair]) -> Option<&'a Environment> {
    pairs.iter().find_map(|pair| {
        if same_base(base, &pair.production.base) {
            Some(&pair.test)
        } else if same_base(base, &pair.test.base) {
            Some(&pair.production)
        } else {
            None
        }
    })
}

/// The pairs a list of named bases makes, as the options page, an enterprise policy and the dev
/// build give them (`[{"name": …, "base": …}]`): two entries with the same name form a pair, the
/// first listed being production. A name listed once has no counterpart and a third entry of a
/// name has no place in a pair, so both are left out; so is an entry whose base is not an http(s)
/// URL, since it could never match the URL on the page.
pub fn pairs_from_entries(entries: &[Environment]) -> Vec<EnvironmentPair> {
    let mut firsts: Vec<&Environment> = Vec::new();
    let mut pairs = Vec::new();
    let mut paired: Vec<&str> = Vec::new();
    for entry in entries {
        let name = entry.name.trim();
        if name.is_empty() || HttpUrl::parse(&entry.base).is_none() || paired.contains(&name) {
            continue;
        }
        let clean = Environment { name: name.to_owned(), base: entry.base.trim().to_owned() };
        match firsts.iter().position(|first| first.name.trim() == name) {
            Some(index) => {
                let first = firsts.remove(index);
                pairs.push(EnvironmentPair {
                    production: Environment { name: name.to_owned(), base: first.base.trim().to_owned() },
                    test: clean,
                });
                paired.push(name);
            }
            None => firsts.push(entry),
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_pair_finds_each_other_in_any_spelling() {
        let pairs = [default_pair()];
        assert_eq!(counterpart("https://api.piaozone.com/", &pairs).unwrap().base, TEST_BASE);
        assert_eq!(counterpart("HTTPS://API.Piaozone.com:443", &pairs).unwrap().base, TEST_BASE);
        assert_eq!(counterpart("https://api-dev.piaozone.com/test//", &pairs).unwrap().base, PRODUCTION_BASE);
    }

    #[test]
    fn paths_and_schemes_still_distinguish() {
        let pairs = [default_pair()];
        assert_eq!(counterpart("https://api-dev.piaozone.com", &pairs), None);
        assert_eq!(counterpart("https://api-dev.piaozone.com/TEST", &pairs), None, "paths are case-sensitive");
        assert_eq!(counterpart("http://api.piaozone.com", &pairs), None);
        assert_eq!(counterpart("not a url", &pairs), None);
    }

    #[test]
    fn callers_add_pairs_such_as_the_sandbox() {
        let pairs = [default_pair(), EnvironmentPair::from_bases("http://127.0.0.1:8765", "http://127.0.0.1:8765/test")];
        assert_eq!(counterpart("http://127.0.0.1:8765/", &pairs).unwrap().base, "http://127.0.0.1:8765/test");
        assert_eq!(counterpart("http://127.0.0.1:8765/test", &pairs).unwrap().base, "http://127.0.0.1:8765");
    }

    fn entry(name: &str, base: &str) -> Environment {
        Environment { name: name.to_owned(), base: base.to_owned() }
    }

    #[test]
    fn entries_sharing_a_name_pair_up_first_production_then_test() {
        let pairs = pairs_from_entries(&[
            entry("代理", "https://relay.example.com"),
            entry("沙箱", "http://127.0.0.1:8787"),
            entry(" 代理 ", " https://relay.example.com/test "),
            entry("沙箱", "http://127.0.0.1:8787/test"),
        ]);
        assert_eq!(
            pairs,
            [
                EnvironmentPair {
                    production: entry("代理", "https://relay.example.com"),
                    test: entry("代理", "https://relay.example.com/test"),
                },
                EnvironmentPair {
                    production: entry("沙箱", "http://127.0.0.1:8787"), test: entry("沙箱", "http://127.0.0.1:8787/test")
                },
            ]
        );
        assert_eq!(counterpart("https://relay.example.com/test/", &pairs).unwrap().base, "https://relay.example.com");
    }

    #[test]
    fn lone_surplus_nameless_and_malformed_entries_make_no_pair() {
        let pairs = pairs_from_entries(&[
            entry("alone", "https://a.example.com"),
            entry("", "https://b.example.com"),
            entry("", "https://b.example.com/test"),
            entry("bad", "not a url"),
            entry("bad", "https://c.example.com"),
            entry("three", "https://d.example.com"),
            entry("three", "https://d.example.com/test"),
            entry("three", "https://d.example.com/other"),
        ]);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!(pairs[0].test.base, "https://d.example.com/test");
        assert!(pairs_from_entries(&[]).is_empty());
    }
}
