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

const USAGE: &str = "\
piaozone-assist — 发票云配置助手

USAGE:
    piaozone-assist check FILE [--format text|json] [--lang zh-CN|en]
    piaozone-assist check --companies LIST.csv|xlsx [--sheet NAME] [--columns HEADER=ROLE,…]
                          [--format text|json|csv] [--lang zh-CN|en]
    piaozone-assist doctor --url URL --client-id ID (--client-secret-env VAR | --client-secret-stdin)
                           [--proxy host:port] [--timeout S] [--format text|json]
    piaozone-assist doctor --companies LIST.csv|xlsx [--url URL] [--parallel N] [--rate PER_SECOND]
                           [--proxy host:port] [--timeout S] [--format text|json|csv]
    piaozone-assist sandbox [--port N] [--accounts FILE]
";

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
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("piaozone-assist {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("piaozone-assist: unknown command {other:?}\n\n{USAGE}");
            ExitCode::from(EXIT_USAGE)
        }
        None => {
            eprint!("{USAGE}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
