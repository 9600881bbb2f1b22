//! 发票云授权配置 → 代理: `ip:port` (guide: 如“172.18.1.1:10086”，没有则不配).

use super::chars::{fullwidth_to_ascii, is_blank};
use super::{ids, Hit};

const SCHEMES: &[&str] = &["http://", "https://", "socks5://", "socks://"];

fn valid_ipv4(host: &str) -> bool {
    let mut octets = 0;
    for part in host.split('.') {
        octets += 1;
        let digits = !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit());
        if !digits || part.parse::<u16>().map_or(true, |n| n > 255) {
            return false;
        }
    }
    octets == 4
}

fn valid_dns_name(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn valid_host(host: &str) -> bool {
    // All digits and dots means it was meant as an IPv4 address, so 300.1.1.1 is not a DNS name.
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        valid_ipv4(host)
    } else {
        valid_dns_name(host)
    }
}

pub fn check(value: &str) -> Vec<Hit> {
    if value.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    if let Some(i) = value.chars().position(is_blank) {
        hits.push(Hit::new(ids::PROXY_WHITESPACE).arg("position", i + 1));
    }
    // Check the rest on what the admin meant, so that one slip does not hide another.
    let meant: String = value.chars().filter(|c| !is_blank(*c)).map(|c| fullwidth_to_ascii(c).unwrap_or(c)).collect();
    let scheme = SCHEMES.iter().find(|s| meant.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)));
    let bare = scheme.map_or(meant.as_str(), |s| &meant[s.len()..]);
    let bare = bare.strip_suffix('/').unwrap_or(bare);
    if value.contains('：') {
        hits.push(Hit::new(ids::PROXY_FULLWIDTH_COLON).arg("suggestion", bare));
    }
    if scheme.is_some() {
        hits.push(Hit::new(ids::PROXY_SCHEME).arg("suggestion", bare));
    }
    if bare.is_empty() {
        return hits;
    }
    let Some((host, port)) = bare.rsplit_once(':') else {
        hits.push(Hit::new(ids::PROXY_MISSING_PORT));
        return hits;
    };
    if port.is_empty() {
        hits.push(Hit::new(ids::PROXY_MISSING_PORT));
    } else if !port.bytes().all(|b| b.is_ascii_digit()) || !port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p)) {
        hits.push(Hit::new(ids::PROXY_BAD_PORT).arg("port", port));
    }
    if !valid_host(host) {
        hits.push(Hit::new(ids::PROXY_BAD_HOST).arg("host", host));
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::{validate_field, Context};

    fn rules(value: &str) -> Vec<&'static str> {
        validate_field("auth.proxy", value, &Context::default()).iter().map(|f| f.rule).collect()
    }

    fn arg(value: &str, rule: &str, name: &str) -> String {
        let f = validate_field("auth.proxy", value, &Context::default());
        let f = f.iter().find(|f| f.rule == rule).unwrap();
        f.args.iter().find(|(k, _)| *k == name).unwrap().1.clone()
    }

    #[test]
    fn empty_and_well_formed_proxies_pass() {
        for ok in ["", "172.18.1.1:10086", "0.0.0.0:1", "255.255.255.255:65535", "proxy.corp.local:8080", "gw-1:3128"] {
            assert!(rules(ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn a_full_width_colon_is_an_error_with_the_corrected_value() {
        assert_eq!(rules("172.18.1.1：10086"), [ids::PROXY_FULLWIDTH_COLON]);
        assert_eq!(arg("172.18.1.1：10086", ids::PROXY_FULLWIDTH_COLON, "suggestion"), "172.18.1.1:10086");
    }

    #[test]
    fn a_scheme_is_a_warning() {
        assert_eq!(rules("http://172.18.1.1:10086"), [ids::PROXY_SCHEME]);
        assert_eq!(arg("HTTP://172.18.1.1:10086/", ids::PROXY_SCHEME, "suggestion"), "172.18.1.1:10086");
    }

    #[test]
    fn missing_port_and_spaces_are_errors() {
        assert_eq!(rules("172.18.1.1"), [ids::PROXY_MISSING_PORT]);
        assert_eq!(rules("172.18.1.1:"), [ids::PROXY_MISSING_PORT]);
        assert_eq!(rules("172.18.1.1 :10086"), [ids::PROXY_WHITESPACE]);
        assert_eq!(arg(" 172.18.1.1:10086", ids::PROXY_WHITESPACE, "position"), "1");
        assert_eq!(rules("   "), [ids::PROXY_WHITESPACE]);
    }

    #[test]
    fn ports_and_octets_out_of_range_are_errors() {
        assert_eq!(rules("172.18.1.1:0"), [ids::PROXY_BAD_PORT]);
        assert_eq!(rules("172.18.1.1:65536"), [ids::PROXY_BAD_PORT]);
        assert_eq!(rules("172.18.1.1:80a"), [ids::PROXY_BAD_PORT]);
        assert_eq!(rules("172.18.1.256:8080"), [ids::PROXY_BAD_HOST]);
        assert_eq!(rules("172.18.1:8080"), [ids::PROXY_BAD_HOST]);
        assert_eq!(rules("-bad-.corp:8080"), [ids::PROXY_BAD_HOST]);
        assert_eq!(rules("代理:8080"), [ids::PROXY_BAD_HOST]);
    }
}
