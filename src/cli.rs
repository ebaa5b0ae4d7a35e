//! One function per command. Arguments are parsed by clap in `main`, validated here into typed
//! settings, then handed to the library.

use anyhow::{Context, Result};
use clap::Args;
use redline::config::Config;
use redline::UsageError;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// Configuration file (default: config/redline.toml when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl ConfigArgs {
    pub fn load(&self) -> Result<Config> {
        Ok(Config::load(
            self.config.as_deref(),
            &redline::config::process_env(),
        )?)
    }
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Bootstrap servers, HOST:PORT,… (overrides the configuration).
    #[arg(long, env = "REDLINE_BROKERS")]
    pub brokers: Option<String>,
    /// Consumer group id.
    #[arg(long)]
    pub group: Option<String>,
    /// Address of /metrics, /healthz and /readyz.
    #[arg(long, env = "REDLINE_METRICS_ADDR")]
    pub metrics_addr: Option<String>,
    /// Log format: text or json.
    #[arg(long, default_value = "text")]
    pub log_format: String,
}

#[derive(Args, Debug)]
pub struct TopicsCreateArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[arg(long, env = "REDLINE_BROKERS")]
    pub brokers: Option<String>,
    #[arg(long)]
    pub partitions: Option<i32>,
    #[arg(long)]
    pub replication: Option<i32>,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// JSONL file of story versions, or `-` for stdin.
    pub file: PathBuf,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Write change events here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write one revision record per input version here.
    #[arg(long, value_name = "FILE")]
    pub revisions: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The older version: a story-version JSON file or plain text.
    pub old: PathBuf,
    /// The newer version.
    pub new: PathBuf,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Print the change events as JSONL instead of a readable report.
    #[arg(long)]
    pub json: bool,
    /// Colour: auto, always or never.
    #[arg(long, default_value = "auto")]
    pub color: String,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    pub story_id: String,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Read revision records from this JSONL file (as written by `replay --revisions`).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[arg(long, env = "REDLINE_BROKERS")]
    pub brokers: Option<String>,
    /// Check the hash chain and name the first broken link.
    #[arg(long)]
    pub verify: bool,
    /// Write an editor's redline page.
    #[arg(long, value_name = "OUT.html")]
    pub html: Option<PathBuf>,
}

fn engine_for(config: &Config) -> Result<redline::engine::Engine> {
    let rules = match &config.rules.file {
        Some(path) => redline::detect::rules::Rules::load(path)?,
        None => redline::detect::rules::Rules::builtin(),
    };
    Ok(redline::engine::Engine::new(rules, config.limits.clone()))
}

pub fn replay(args: ReplayArgs) -> Result<ExitCode> {
    let config = args.config.load()?;
    let engine = engine_for(&config)?;
    let input: Box<dyn std::io::BufRead> = if args.file == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin().lock()))
    } else {
        let f = std::fs::File::open(&args.file)
            .with_context(|| format!("cannot open {}", args.file.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    let events_out: Box<dyn std::io::Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let revisions_out: Option<Box<dyn std::io::Write>> = match &args.revisions {
        Some(p) => Some(Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ))),
        None => None,
    };
    let name = args.file.display().to_string();
    let summary = redline::io::replay(
        &engine,
        &config.limits,
        input,
        &name,
        events_out,
        revisions_out,
        &mut |warning| eprintln!("redline: {warning}"),
    )?;
    eprintln!(
        "redline: {} versions, {} events, {} rejected",
        summary.versions, summary.events, summary.rejected
    );
    Ok(ExitCode::SUCCESS)
}

pub fn diff(args: DiffArgs) -> Result<ExitCode> {
    let config = args.config.load()?;
    let engine = engine_for(&config)?;
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        "auto" => std::io::IsTerminal::is_terminal(&std::io::stdout()),
        other => {
            return Err(UsageError(format!(
                "--color must be auto, always or never, not {other:?}"
            ))
            .into())
        }
    };
    let old = redline::io::read_version_file(&args.old, &config.limits)?;
    let new = redline::io::read_version_file(&args.new, &config.limits)?;
    let out = redline::io::diff_report(&engine, &old, &new, args.json, color);
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

pub fn run(_args: RunArgs) -> Result<ExitCode> {
    anyhow::bail!("`redline run` is not built yet")
}

pub fn topics_create(_args: TopicsCreateArgs) -> Result<ExitCode> {
    anyhow::bail!("`redline topics create` is not built yet")
}

pub fn audit(_args: AuditArgs) -> Result<ExitCode> {
    anyhow::bail!("`redline audit` is not built yet")
}
