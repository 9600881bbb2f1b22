use std::process::ExitCode;

pub fn run(_args: Vec<String>) -> ExitCode {
    eprintln!("piaozone-assist doctor: not built yet");
    ExitCode::from(crate::EXIT_USAGE)
}
