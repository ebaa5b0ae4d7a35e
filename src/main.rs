//! The `redline` binary: parse arguments, hand each command to its module, map errors to exit
//! codes (0 ok, 2 bad usage or config, 1 runtime failure).

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cli;

#[derive(Parser, Debug)]
#[command(
    name = "redline",
    version,
    about = "Finds which facts changed between versions of a live news story"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Process `story.versions` from Kafka and publish change events (exactly once by default).
    Run(cli::RunArgs),
    /// Manage the Kafka topics of the pipeline.
    Topics {
        #[command(subcommand)]
        command: TopicsCommand,
    },
    /// Run the pipeline over a JSONL file of story versions (`-` for stdin).
    Replay(cli::ReplayArgs),
    /// Compare two versions (JSON or plain-text files).
    Diff(cli::DiffArgs),
    /// Show a story's revision history from the revision log.
    Audit(cli::AuditArgs),
}

#[derive(Subcommand, Debug)]
enum TopicsCommand {
    /// Create the topics of the pipeline (idempotent).
    Create(cli::TopicsCreateArgs),
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match args.command {
        Command::Run(a) => cli::run(a),
        Command::Topics {
            command: TopicsCommand::Create(a),
        } => cli::topics_create(a),
        Command::Replay(a) => cli::replay(a),
        Command::Diff(a) => cli::diff(a),
        Command::Audit(a) => cli::audit(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("redline: {e:#}");
            if e.downcast_ref::<redline::UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
