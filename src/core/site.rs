//! Console sites the admin enables the assistant on.

/// An origin as the popup reads it from the tab: `scheme://host[:port]`, nothing else. Anything
/// broader would register the content script beyond the one site the admin granted.
use super::piaozone::HttpUrl;

pub fn validate_origin(origin: &str) -> Result<(), String> {
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '*', '?', '#', ' ', '@']) => Ok(()),
        _ => Err(format!("not a site origin: {origin}")),
    }
}

/// Whether `entry` covers `origin`: the same origin, or a match pattern `scheme://host/*` with an
/// exact host (any port, as in Chrome's match patterns; a manifest's own entries). Wildcard hosts
/// cover nothing here.
pub fn covers(entry: &str, origin: &str) -> bool {
    if entry == origin {
        return true;
    }
    let (Some((scheme, rest)), Some(url)) = (entry.split_once("://"), HttpUrl::parse(origin)) else { return false };
    let Some(host) = rest.strip_suffix("/*") else { return false };
    scheme == url.scheme.as_str() && !host.contains(['*', ':', '/']) && host.eq_ignore_ascii_case(&url.host)
}

#[cfg(test)]
mod tests {
    use super::{covers, validate_origin};

    #[test]
    fn entries_cover_their_origin_or_every_port_of_their_host() {
        assert!(covers("https://erp.example.com", "https://erp.example.com"));
        assert!(!covers("https://erp.example.com", "https://erp.example.com:8443"));
        assert!(covers("http://127.0.0.1/*", "http://127.0.0.1:8786"));
        assert!(covers("https://api.piaozone.com/*", "https://api.piaozone.com"));
        assert!(!covers("https://api.piaozone.com/*", "http://api.piaozone.com"));
        assert!(!covers("https://*.piaozone.com/*", "https://api.piaozone.com"));
        assert!(!covers("*://*/*", "https://evil.example"));
        assert!(!covers("<all_urls>", "https://evil.example"));
        assert!(!covers("http://127.0.0.1/*", "http://127.0.0.1.evil.example"));
    }

    #[test]
    fn only_plain_origins_are_registered() {
        assert!(validate_origin("https://erp.example.com").is_ok());
        assert!(validate_origin("http://127.0.0.1:8786").is_ok());
        assert!(validate_origin("https://*.example.com").is_err());
        assert!(validate_origin("https://erp.example.com/ierp").is_err());
        assert!(validate_origin("https://user@erp.example.com").is_err());
        assert!(validate_origin("chrome://extensions").is_err());
        assert!(validate_origin("https://").is_err());
    }
}
