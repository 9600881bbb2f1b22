//! `piaozone-assist`: the native command on the same core as the extension.
//!
//! - `check FILE`: validate a whole configuration offline; `check --companies LIST`: a company
//!   key list (CSV/XLSX), row by row and as a whole;
//! - `doctor`: run the connection test from the ERP server, through its proxy; `doctor
//!   --companies LIST` for every row of a key list;
//! - `sandbox`: a local Piaozone token API for demos and tests.

use std::process::ExitCode;

mod args;
mod check;
mod check_list;
mod companies;
mod doctor;
mod sandbox;

/// The usage of every subcommand, from each one's own text (a test checks them against the parsers).
fn usage() -> String {
    let commands: Vec<&str> = [check::USAGE, doctor::USAGE, sandbox::USAGE]
        .iter()
        .flat_map(|usage| usage.lines())
        .map(|line| line.strip_prefix("usage: ").unwrap_or(line))
        .collect();
    format!("piaozone-assist — 发票云配置助手\n\nUSAGE:\n    {}\n", commands.join("\n    "))
}

/// Exit code for bad usage or unreadable input, shared by every subcommand.
pub const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    match command.as_deref() {
        Some("check") => check::run(rest),
        Some("doctor") => doctor::run(rest),
        Some("sandbox") => sandbox::run(rest),
        Some("-h" | "--help" | "help") => {
            print!("{}", usage());
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("piaozone-assist {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("piaozone-assist: unknown command {other:?}\n\n{}", usage());
            ExitCode::from(EXIT_USAGE)
        }
        None => {
            eprint!("{}", usage());
            ExitCode::from(EXIT_USAGE)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::companies::ListSource;

    /// The `--flags` a usage text names.
    fn in_usage(usage: &str) -> BTreeSet<String> {
        usage
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter_map(|word| word.strip_prefix("--"))
            .filter(|flag| !flag.is_empty())
            .map(String::from)
            .collect()
    }

    /// The long options a parser matches (`Long("…")`), plus the list options it takes.
    fn parsed(source: &str, list: bool) -> BTreeSet<String> {
        let mut flags: BTreeSet<String> =
            source.split("Long(\"").skip(1).filter_map(|rest| rest.split_once('"')).map(|(flag, _)| flag.to_string()).collect();
        if list {
            flags.extend(ListSource::OPTIONS.iter().map(|o| o.to_string()));
        }
        flags
    }

    #[test]
    fn each_usage_names_every_flag_its_parser_accepts_and_no_other() {
        for (usage, source, list) in [
            (crate::check::USAGE, include_str!("check.rs"), true),
            (crate::doctor::USAGE, include_str!("doctor/mod.rs"), true),
            (crate::sandbox::USAGE, include_str!("sandbox.rs"), false),
        ] {
            assert_eq!(in_usage(usage), parsed(source, list), "{usage}");
        }
        assert!(super::usage().contains("--client-secret-stdin") && super::usage().contains("--columns"));
    }
}
