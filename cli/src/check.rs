use std::process::ExitCode;

pub fn run(_args: Vec<String>) -> ExitCode {
    eprintln!("piaozone-assist check: not built yet");
    ExitCode::from(crate::EXIT_USAGE)
}
