//! The `piaozone-assist doctor` command line the connection-test card hands over: the browser can
//! only prove the admin's machine reaches Piaozone, while Cosmic makes the call from the ERP server
//! (the guide's first 连接测试 check), so the same test has to be run there.

/// The environment variable the command reads the secret from, so that it never appears in the
/// command line, the shell history or the card.
pub const SECRET_ENV: &str = "PIAOZONE_CLIENT_SECRET";

/// `piaozone-assist doctor --url … --client-id … --client-secret-env PIAOZONE_CLIENT_SECRET`, with
/// `--proxy …` when the page names a proxy. Values are quoted for a POSIX shell when they need it.
pub fn doctor_command(url: &str, client_id: &str, proxy: Option<&str>) -> String {
    command(url, &shell_word(client_id.trim()), proxy)
}

/// The command as the card shows it: the Client id cut to its first four characters, so that a
/// screenshot of the card names no credential; the copy button copies [`doctor_command`].
pub fn doctor_command_shown(url: &str, client_id: &str, proxy: Option<&str>) -> String {
    let id: Vec<char> = client_id.trim().chars().collect();
    let shown: String = id.iter().take(if id.len() > 8 { 4 } else { 0 }).collect();
    command(url, &format!("{shown}…"), proxy)
}

fn command(url: &str, client_id_word: &str, proxy: Option<&str>) -> String {
    let mut command =
        format!("piaozone-assist doctor --url {} --client-id {client_id_word} --client-secret-env {SECRET_ENV}", shell_word(url.trim()),);
    if let Some(proxy) = proxy.map(str::trim).filter(|proxy| !proxy.is_empty()) {
        command.push_str(" --proxy ");
        command.push_str(&shell_word(proxy));
    }
    command
}

/// The value as one shell word: as it is when it holds only characters no shell treats specially,
/// else in single quotes (a quote inside becomes `'\''`).
fn shell_word(value: &str) -> String {
    let plain = !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c));
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_url_id_and_the_secret_variable_never_the_secret() {
        assert_eq!(
            doctor_command(" https://api.piaozone.com/ ", "pz_prod_demo", None),
            "piaozone-assist doctor --url https://api.piaozone.com/ --client-id pz_prod_demo --client-secret-env PIAOZONE_CLIENT_SECRET"
        );
        assert_eq!(
            doctor_command(
                "https://api-dev.piaozone.com/test",
                "pz",
                Some(" 172.18.1.1:10086 ")
            ),
            "piaozone-assist doctor --url https://api-dev.piaozone.com/test --client-id pz --client-secret-env PIAOZONE_CLIENT_SECRET --proxy 172.18.1.1:10086"
        );
        assert!(!doctor_command("https://a", "b", Some("  ")).contains("--proxy"));
    }

    #[test]
    fn the_shown_command_cuts_the_client_id() {
        assert_eq!(
            doctor_command_shown("https://api.piaozone.com", " pz_prod_7f3a9c ", None),
            "piaozone-assist doctor --url https://api.piaozone.com --client-id pz_p… --client-secret-env PIAOZONE_CLIENT_SECRET"
        );
        // A short id keeps nothing: four characters of it would be half of it.
        assert!(doctor_command_shown("https://a", "pz_demo", None).contains("--client-id … "));
    }

    #[test]
    fn values_a_shell_would_misread_are_quoted() {
        assert_eq!(
            doctor_command("https://a.example.com/x?y=1&z", "it's; rm -rf", None),
            "piaozone-assist doctor --url 'https://a.example.com/x?y=1&z' --client-id 'it'\\''s; rm -rf' --client-secret-env PIAOZONE_CLIENT_SECRET"
        );
        assert!(doctor_command("https://a", "", None).contains("--client-id ''"));
    }
}
