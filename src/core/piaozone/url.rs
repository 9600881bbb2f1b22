//! Just enough URL handling for base URLs: split, compare, and find the host to connect to.
//! A full URL crate would be most of the size of the wasm module for the few forms admins type.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// An http(s) URL, split. The host is lower-cased (host names are case-insensitive); the path is
/// kept as typed, without trailing slashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    pub scheme: Scheme,
    /// A name, an IPv4 address, or an IPv6 address without its brackets.
    pub host: String,
    pub port: u16,
    /// Empty, or starting with `/`; query and fragment dropped.
    pub path: String,
}

impl HttpUrl {
    /// `None` for anything but `http://` or `https://` followed by a host (and optional port).
    pub fn parse(text: &str) -> Option<HttpUrl> {
        let text = text.trim();
        let (scheme, rest) = text.split_once("://")?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            _ => return None,
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
        let path = tail[..path_end].trim_end_matches('/').to_owned();
        if authority.contains('@') || authority.chars().any(char::is_whitespace) || path.chars().any(char::is_whitespace) {
            return None;
        }
        let (host, port) = match authority.strip_prefix('[') {
            Some(bracketed) => {
                let (host, after) = bracketed.split_once(']')?;
                (host, after.strip_prefix(':'))
            }
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            },
        };
        if host.is_empty() {
            return None;
        }
        let port = match port {
            Some(port) => port.parse().ok().filter(|&port| port != 0)?,
            None => scheme.default_port(),
        };
        Some(HttpUrl { scheme, host: host.to_ascii_lowercase(), port, path })
    }

    /// `scheme://host[:port]`, the port only when it is not the scheme's default.
    pub fn origin(&self) -> String {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        if self.port == self.scheme.default_port() {
            format!("{}://{host}", self.scheme.as_str())
        } else {
            format!("{}://{host}:{}", self.scheme.as_str(), self.port)
        }
    }

    /// `host:port` as a proxy's CONNECT line and the Host header want it.
    pub fn authority(&self) -> String {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        format!("{host}:{}", self.port)
    }
}

/// The canonical form: two spellings of one base URL compare equal after it.
impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin(), self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_forms_admins_type() {
        let url = HttpUrl::parse(" HTTPS://API-DEV.piaozone.com/test/ ").unwrap();
        assert_eq!((url.scheme, url.host.as_str(), url.port, url.path.as_str()), (Scheme::Https, "api-dev.piaozone.com", 443, "/test"));
        assert_eq!(url.to_string(), "https://api-dev.piaozone.com/test");

        let url = HttpUrl::parse("http://127.0.0.1:8765/_fault/html?x=1").unwrap();
        assert_eq!((url.port, url.path.as_str()), (8765, "/_fault/html"));
        assert_eq!(url.authority(), "127.0.0.1:8765");

        let url = HttpUrl::parse("http://[::1]:80/").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("::1", 80));
        assert_eq!(url.origin(), "http://[::1]");
        assert_eq!(HttpUrl::parse("https://api.piaozone.com:443").unwrap().to_string(), "https://api.piaozone.com");
    }

    #[test]
    fn refuses_what_is_not_an_http_base_url() {
        for text in [
            "",
            "api.piaozone.com",
            "ftp://x",
            "https://",
            "https://:443",
            "https://a b",
            "https://h:0",
            "https://h:99999",
            "https://u@h",
            "https://h/a b",
        ] {
            assert_eq!(HttpUrl::parse(text), None, "{text:?}");
        }
    }
}
