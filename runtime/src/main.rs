//! `runtime`: elfconv2's WebAssembly interpreter as a command.

use clap::Parser;
use elfconv2_runtime::cli::{run, Cli, Outcome};

fn main() {
    let cli = Cli::parse();
    let outcome = run(cli);
    #[cfg(feature = "profile")]
    elfconv2_runtime::profile::report();
    match outcome {
        Ok(Outcome::Exit(code)) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
