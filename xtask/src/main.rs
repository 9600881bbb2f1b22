//! `cargo xtask build|demo|test|bench`: the whole pipeline, no shell needed.

use std::process::ExitCode;

mod bench;
mod bench_lists;
mod bench_pages;
mod build;
mod demo;
mod places;
mod rig;
mod sandbox;
mod serve;
mod stats;
mod test;
mod tools;

const USAGE: &str = "\
cargo xtask build [--dev]   build dist/extension (+ the store zip); --dev: dist/extension-dev for demo and tests
cargo xtask demo [--open]   build, start the sandbox and the replica console, explain how to load the extension
cargo xtask test            install what is missing, then run every test (native, browser, end-to-end)
cargo xtask e2e [ARGS…]     only the end-to-end tests; ARGS go to `cargo test -p e2e` (e.g. --test connection -- proxy)
cargo xtask bench [--check] measure what the extension costs a console page (bench/results.md); --check: fail on a missed budget
cargo xtask bench --lists   only the company-list figures (check --companies on 50,000 rows, doctor on 200)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flags: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build::run(build::Flavor::from_dev_flag(flags.contains(&"--dev"))).map(|_| ()),
        Some("demo") => demo::run(flags.contains(&"--open")),
        Some("test") => test::run(),
        Some("e2e") => test::run_e2e(&args[1..]),
        Some("bench") if flags.contains(&"--lists") => bench::run_lists(),
        Some("bench") => bench::run(flags.contains(&"--check")),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Errors are messages for a person: what failed and what to do.
pub type Result<T> = std::result::Result<T, String>;
