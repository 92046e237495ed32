//! The `sitrep` binary: parse arguments, run, print the error chain, map the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = sitrep::cli::Cli::parse();
    match sitrep::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if sitrep::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sitrep: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
