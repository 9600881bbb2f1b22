//! Console sites the admin enables the assistant on.

/// An origin as the popup reads it from the tab: `scheme://host[:port]`, nothing else. Anything
/// broader would register the content script beyond the one site the admin granted.
pub fn validate_origin(origin: &str) -> Result<(), String> {
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '*', '?', '#', ' ', '@']) => Ok(()),
        _ => Err(format!("not a site origin: {origin}")),
    }
}

#[cfg(test)]
mod tests {
    use super::validate_origin;

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
