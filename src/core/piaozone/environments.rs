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

/// One configured environment as the options page edits it: a name, the production base and,
/// when Piaozone (or the relay) has one, the test base that takes the other set of keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentRow {
    pub name: String,
    pub production: String,
    #[serde(default)]
    pub test: String,
}

impl EnvironmentRow {
    /// The production/test pair the connection test probes after a refusal, when both bases are
    /// http(s) URLs (a base that is not could never match the URL on the page).
    pub fn pair(&self) -> Option<EnvironmentPair> {
        let name = self.name.trim();
        let (production, test) = (self.production.trim(), self.test.trim());
        (!name.is_empty() && HttpUrl::parse(production).is_some() && HttpUrl::parse(test).is_some()).then(|| EnvironmentPair {
            production: Environment { name: name.to_owned(), base: production.to_owned() },
            test: Environment { name: name.to_owned(), base: test.to_owned() },
        })
    }

    /// The bases given (each is a token endpoint the connection test may call).
    pub fn bases(&self) -> impl Iterator<Item = &str> {
        [self.production.trim(), self.test.trim()].into_iter().filter(|base| !base.is_empty())
    }
}

/// A stored environment in either shape: a row (`{name, production, test}`), or an entry of the
/// former list (`{name, base}`, where two entries with one name were a pair), which enterprise
/// policies and older options pages still hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct StoredEnvironment {
    pub name: String,
    pub base: Option<String>,
    pub production: Option<String>,
    pub test: Option<String>,
}

/// The rows stored entries make, nothing dropped: a row stays a row; former entries sharing a
/// name become one row, the first listed being production; a name listed once, or a third time,
/// becomes a row of its own with a production base only (its base stays an allowed endpoint, as
/// it was).
pub fn rows_from_stored(entries: &[StoredEnvironment]) -> Vec<EnvironmentRow> {
    let mut rows: Vec<EnvironmentRow> = Vec::new();
    // Former entries: the index of the row still waiting for its test base, by name.
    let mut waiting: Vec<(String, usize)> = Vec::new();
    for entry in entries {
        let name = entry.name.trim().to_owned();
        match (&entry.base, &entry.production) {
            (Some(base), None) => match waiting.iter().position(|(waiting_name, _)| *waiting_name == name) {
                Some(at) => rows[waiting.remove(at).1].test = base.trim().to_owned(),
                None => {
                    waiting.push((name.clone(), rows.len()));
                    rows.push(EnvironmentRow { name, production: base.trim().to_owned(), test: String::new() });
                }
            },
            (_, production) => rows.push(EnvironmentRow {
                name,
                production: production.as_deref().unwrap_or_default().trim().to_owned(),
                test: entry.test.as_deref().unwrap_or_default().trim().to_owned(),
            }),
        }
    }
    rows
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

    fn former(name: &str, base: &str) -> StoredEnvironment {
        StoredEnvironment { name: name.to_owned(), base: Some(base.to_owned()), ..StoredEnvironment::default() }
    }

    fn row(name: &str, production: &str, test: &str) -> EnvironmentRow {
        EnvironmentRow { name: name.to_owned(), production: production.to_owned(), test: test.to_owned() }
    }

    #[test]
    fn former_entries_sharing_a_name_become_one_row_first_production_then_test() {
        let rows = rows_from_stored(&[
            former("代理", "https://relay.example.com"),
            former("沙箱", "http://127.0.0.1:8787"),
            former(" 代理 ", " https://relay.example.com/test "),
            former("沙箱", "http://127.0.0.1:8787/test"),
        ]);
        assert_eq!(
            rows,
            [
                row("代理", "https://relay.example.com", "https://relay.example.com/test"),
                row("沙箱", "http://127.0.0.1:8787", "http://127.0.0.1:8787/test")
            ]
        );
        let pairs: Vec<EnvironmentPair> = rows.iter().filter_map(EnvironmentRow::pair).collect();
        assert_eq!(counterpart("https://relay.example.com/test/", &pairs).unwrap().base, "https://relay.example.com");
    }

    #[test]
    fn nothing_former_is_lost_but_only_whole_rows_make_pairs() {
        let rows = rows_from_stored(&[
            former("alone", "https://a.example.com"),
            former("bad", "not a url"),
            former("bad", "https://c.example.com"),
            former("three", "https://d.example.com"),
            former("three", "https://d.example.com/test"),
            former("three", "https://d.example.com/other"),
        ]);
        assert_eq!(
            rows,
            [
                row("alone", "https://a.example.com", ""),
                row("bad", "not a url", "https://c.example.com"),
                row("three", "https://d.example.com", "https://d.example.com/test"),
                row("three", "https://d.example.com/other", ""),
            ]
        );
        let pairs: Vec<EnvironmentPair> = rows.iter().filter_map(EnvironmentRow::pair).collect();
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!(pairs[0].test.base, "https://d.example.com/test");
        let bases: Vec<&str> = rows.iter().flat_map(EnvironmentRow::bases).collect();
        assert_eq!(bases.len(), 6, "every former base is still an allowed endpoint: {bases:?}");
        assert!(rows_from_stored(&[]).is_empty());
    }

    #[test]
    fn rows_and_former_entries_read_from_one_list() {
        let stored: Vec<StoredEnvironment> = serde_json::from_str(
            r#"[{"name": "新", "production": "https://p.example.com", "test": "https://p.example.com/test"},
                {"name": "旧", "base": "https://o.example.com"}, {"name": "旧", "base": "https://o.example.com/t"},
                {"name": "只有正式", "production": "https://q.example.com"}]"#,
        )
        .unwrap();
        assert_eq!(
            rows_from_stored(&stored),
            [
                row("新", "https://p.example.com", "https://p.example.com/test"),
                row("旧", "https://o.example.com", "https://o.example.com/t"),
                row("只有正式", "https://q.example.com", ""),
            ]
        );
    }
}
