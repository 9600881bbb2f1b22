//! Where the connection test's signed token call may go: a list kept apart from the console sites.
//! The official Piaozone hosts and (in the dev build) the local hosts come from the manifest's own
//! host permissions; relays and proxies only when the admin (options page) or the enterprise
//! policy added them, or named them as an environment's base. A console site is not a token
//! endpoint unless added: the page's own server has no business receiving the signature.

use super::piaozone::{default_pair, HttpUrl, Scheme};
use super::site::covers;

/// What the worker does with a base URL before any request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointCheck {
    /// Call it (given the host permission).
    Allowed,
    /// An official Piaozone host over `http://`: the official API is https only.
    OfficialOverHttp,
    /// Not on the list: no request; the card says how to add it.
    NotListed,
    /// A relay over plain `http://` (not this machine): its signature could be read and replayed
    /// on the way, so the admin confirms first.
    NeedsHttpConfirmation,
}

/// Checks `url` against the manifest's `host_permissions` patterns (`scheme://host/*`: any port;
/// `core::site::covers`) and the admin's `added` bases or origins (scheme, host and port).
pub fn check_endpoint(url: &HttpUrl, declared: &[String], added: &[String], http_confirmed: bool) -> EndpointCheck {
    let official = [default_pair().production.base, default_pair().test.base]
        .iter()
        .filter_map(|base| HttpUrl::parse(base))
        .any(|base| base.host == url.host);
    if official && url.scheme == Scheme::Http {
        return EndpointCheck::OfficialOverHttp;
    }
    let origin = url.origin();
    let listed = declared.iter().any(|pattern| covers(pattern, &origin))
        || added.iter().filter_map(|entry| HttpUrl::parse(entry)).any(|entry| entry.origin() == origin);
    if !listed {
        EndpointCheck::NotListed
    } else if url.scheme == Scheme::Http && !is_loopback(&url.host) && !http_confirmed {
        EndpointCheck::NeedsHttpConfirmation
    } else {
        EndpointCheck::Allowed
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host == "::1"
        || host.strip_prefix("127.").is_some_and(|rest| {
            let parts: Vec<&str> = rest.split('.').collect();
            parts.len() == 3 && parts.iter().all(|part| part.parse::<u8>().is_ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Vec<String> {
        vec!["https://api.piaozone.com/*".into(), "https://api-dev.piaozone.com/*".into()]
    }

    fn dev() -> Vec<String> {
        let mut declared = store();
        declared.extend(["http://127.0.0.1/*".to_owned(), "http://localhost/*".to_owned()]);
        declared
    }

    fn check(url: &str, declared: &[String], added: &[&str]) -> EndpointCheck {
        let added: Vec<String> = added.iter().map(|a| a.to_string()).collect();
        check_endpoint(&HttpUrl::parse(url).unwrap(), declared, &added, false)
    }

    #[test]
    fn the_official_hosts_are_allowed_over_https_only() {
        assert_eq!(check("https://api.piaozone.com", &store(), &[]), EndpointCheck::Allowed);
        assert_eq!(check("https://API-DEV.piaozone.com/test/", &store(), &[]), EndpointCheck::Allowed);
        assert_eq!(check("http://api.piaozone.com", &store(), &[]), EndpointCheck::OfficialOverHttp);
        // Adding it does not make plain http acceptable for the official host.
        assert_eq!(check("http://api-dev.piaozone.com/test", &store(), &["http://api-dev.piaozone.com"]), EndpointCheck::OfficialOverHttp);
    }

    #[test]
    fn anything_else_only_when_added_with_its_port() {
        assert_eq!(check("https://erp.example.com", &store(), &[]), EndpointCheck::NotListed);
        assert_eq!(check("https://relay.example.com:8443/pz", &store(), &["https://relay.example.com:8443"]), EndpointCheck::Allowed);
        // A base given as an environment's, path and all, lists its origin.
        assert_eq!(check("https://relay.example.com:8443", &store(), &["https://relay.example.com:8443/pz/"]), EndpointCheck::Allowed);
        assert_eq!(check("https://relay.example.com:9443", &store(), &["https://relay.example.com:8443"]), EndpointCheck::NotListed);
        assert_eq!(check("https://relay.example.com", &store(), &["https://relay.example.com:443"]), EndpointCheck::Allowed);
        assert_eq!(check("http://relay.example.com", &store(), &["https://relay.example.com"]), EndpointCheck::NotListed);
        assert_eq!(check("https://relay.example.com", &store(), &["not a url", ""]), EndpointCheck::NotListed);
    }

    #[test]
    fn local_hosts_on_any_port_only_where_the_manifest_declares_them() {
        assert_eq!(check("http://127.0.0.1:8787", &dev(), &[]), EndpointCheck::Allowed);
        assert_eq!(check("http://localhost:1", &dev(), &[]), EndpointCheck::Allowed);
        assert_eq!(check("http://127.0.0.1:8787", &store(), &[]), EndpointCheck::NotListed);
        assert_eq!(check("http://127.0.0.2:9", &dev(), &[]), EndpointCheck::NotListed);
        assert_eq!(check("https://127.0.0.1:8787", &dev(), &[]), EndpointCheck::NotListed);
        assert_eq!(check("https://evil.example", &["*://*/*".to_owned()], &[]), EndpointCheck::NotListed);
    }

    #[test]
    fn a_plain_http_relay_needs_the_admins_confirmation() {
        let relay = HttpUrl::parse("http://relay.example.com:8080").unwrap();
        let added = ["http://relay.example.com:8080".to_owned()];
        assert_eq!(check_endpoint(&relay, &store(), &added, false), EndpointCheck::NeedsHttpConfirmation);
        assert_eq!(check_endpoint(&relay, &store(), &added, true), EndpointCheck::Allowed);
        // This machine's own relay: nothing on the way to read it.
        assert_eq!(check("http://127.0.0.2:9", &store(), &["http://127.0.0.2:9"]), EndpointCheck::Allowed);
        assert_eq!(check("http://[::1]:9", &store(), &["http://[::1]:9"]), EndpointCheck::Allowed);
        for lookalike in ["http://127.0.0.1.example.com", "http://127.a.b.c"] {
            assert_eq!(check(lookalike, &store(), &[lookalike]), EndpointCheck::NeedsHttpConfirmation, "{lookalike}");
        }
    }
}
