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
    /// Consumer group id (overrides `kafka.group`).
    #[arg(long)]
    pub group: Option<String>,
    /// This instance's stable name: part of the default transactional.id
    /// (`redline-<group>-<instance>`), so a restarted instance fences its previous incarnation.
    /// Default: the host name. Give each instance on one host its own.
    #[arg(long, env = "REDLINE_INSTANCE")]
    pub instance: Option<String>,
    /// Create the topics (as `redline topics create` would) before starting.
    #[arg(long)]
    pub create_topics: bool,
    /// Address of /metrics, /healthz and /readyz (`off` to disable; port 0 picks a free one).
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
    /// Bootstrap servers, HOST:PORT,… (overrides the configuration).
    #[arg(long, env = "REDLINE_BROKERS")]
    pub brokers: Option<String>,
    /// Partitions per topic (default: `topics.partitions`).
    #[arg(long)]
    pub partitions: Option<i32>,
    /// Replication factor (default: `topics.replication`).
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
    /// The story to audit.
    pub story_id: String,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Read revision records from this JSONL file (as written by `replay --revisions`) instead
    /// of the `story.revisions` topic.
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// With --file: the change events (as written by `replay --out`), to show each event's
    /// kind, categories, severity, speaker and text. From Kafka they are read from
    /// `story.changes`.
    #[arg(long, value_name = "FILE", requires = "file")]
    pub events: Option<PathBuf>,
    /// The story versions (the JSONL given to `replay` or produced to `story.versions`): the
    /// HTML page then shows each version's full text with the changes marked in place.
    #[arg(long, value_name = "FILE")]
    pub versions: Option<PathBuf>,
    /// Bootstrap servers, HOST:PORT,… (overrides the configuration).
    #[arg(long, env = "REDLINE_BROKERS", conflicts_with = "file")]
    pub brokers: Option<String>,
    /// Check the hash chain: exit 0 when intact, 1 naming the first broken link.
    #[arg(long)]
    pub verify: bool,
    /// Write an editor's redline page (self-contained HTML).
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
    let mut progress = None;
    let input: Box<dyn std::io::BufRead> = if args.file == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin().lock()))
    } else {
        let f = std::fs::File::open(&args.file)
            .with_context(|| format!("cannot open {}", args.file.display()))?;
        let size = f.metadata().map(|m| m.len()).unwrap_or(0);
        match progress_bar(size) {
            Some(bar) => {
                let reader = bar.wrap_read(f);
                progress = Some(bar);
                Box::new(std::io::BufReader::new(reader))
            }
            None => Box::new(std::io::BufReader::new(f)),
        }
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
        &mut |warning| match &progress {
            Some(bar) => bar.suspend(|| eprintln!("redline: {warning}")),
            None => eprintln!("redline: {warning}"),
        },
    )?;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    eprintln!(
        "redline: {} versions, {} events, {} rejected",
        summary.versions, summary.events, summary.rejected
    );
    Ok(ExitCode::SUCCESS)
}

/// Files at least this large get a progress bar (when stderr is a terminal).
const PROGRESS_MIN_BYTES: u64 = 4 << 20;

/// A byte-based progress bar on stderr for a large input file, only when stderr is a terminal
/// (never when piped or redirected, so scripts and tests see no bar). `REDLINE_PROGRESS=0`
/// turns it off, `=1` forces it for any file size.
fn progress_bar(size: u64) -> Option<indicatif::ProgressBar> {
    let setting = std::env::var("REDLINE_PROGRESS").unwrap_or_default();
    let large = size >= PROGRESS_MIN_BYTES || (setting == "1" && size > 0);
    if setting == "0" || !large || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(size),
        indicatif::ProgressDrawTarget::stderr(),
    );
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} replay [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
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

/// Logging for the long-running commands: `RUST_LOG` filters (default `info`), text or JSON.
fn init_logging(format: &str) -> Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let result = match format {
        "text" => builder.try_init(),
        "json" => builder.json().try_init(),
        other => {
            return Err(
                UsageError(format!("--log-format must be text or json, not {other:?}")).into(),
            )
        }
    };
    result.map_err(|e| anyhow::anyhow!("cannot set up logging: {e}"))
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn with_brokers(mut config: Config, brokers: &Option<String>) -> Result<Config> {
    if let Some(b) = brokers {
        if b.trim().is_empty() {
            return Err(UsageError("--brokers must not be empty".into()).into());
        }
        config.kafka.brokers = b.clone();
    }
    Ok(config)
}

/// Resolves on SIGTERM or SIGINT.
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

pub fn run(args: RunArgs) -> Result<ExitCode> {
    init_logging(&args.log_format)?;
    let config = with_brokers(args.config.load()?, &args.brokers)?;
    let engine = engine_for(&config)?;
    let group = args
        .group
        .clone()
        .unwrap_or_else(|| config.kafka.group.clone());
    if group.trim().is_empty() {
        return Err(UsageError("--group must not be empty".into()).into());
    }
    let instance = args
        .instance
        .clone()
        .filter(|i| !i.trim().is_empty())
        .unwrap_or_else(redline::kafka::client::hostname);
    let metrics_addr = args
        .metrics_addr
        .clone()
        .unwrap_or_else(|| config.metrics.addr.clone());
    let rt = runtime()?;
    let metrics = std::sync::Arc::new(redline::kafka::metrics::Metrics::default());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));

    if metrics_addr != "off" {
        let listener = rt
            .block_on(tokio::net::TcpListener::bind(&metrics_addr))
            .map_err(|e| {
                UsageError(format!("--metrics-addr {metrics_addr}: cannot listen: {e}"))
            })?;
        let local = listener.local_addr().ok();
        tracing::info!(addr = ?local, "serving /metrics, /healthz, /readyz");
        rt.spawn(redline::kafka::metrics::serve(listener, metrics.clone()));
    }
    if args.create_topics {
        let t = &config.topics;
        rt.block_on(redline::kafka::admin::create_topics(
            &config,
            t.partitions,
            t.replication,
        ))?;
    }
    {
        let stop = stop.clone();
        rt.spawn(async move {
            shutdown_signal().await;
            tracing::info!("stop signal received");
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
            // A second signal means "now": skip the clean shutdown.
            shutdown_signal().await;
            tracing::warn!("second stop signal: exiting immediately");
            std::process::exit(1);
        });
    }
    let settings = redline::kafka::RunSettings {
        config,
        engine,
        group,
        instance,
    };
    let handle = rt.handle().clone();
    let result = rt
        .block_on(rt.spawn_blocking(move || redline::kafka::run(settings, metrics, stop, handle)))
        .context("the processing thread panicked")?;
    rt.shutdown_timeout(std::time::Duration::from_secs(1));
    result?;
    Ok(ExitCode::SUCCESS)
}

pub fn topics_create(args: TopicsCreateArgs) -> Result<ExitCode> {
    let config = with_brokers(args.config.load()?, &args.brokers)?;
    let partitions = args.partitions.unwrap_or(config.topics.partitions);
    let replication = args.replication.unwrap_or(config.topics.replication);
    if partitions < 1 {
        return Err(UsageError("--partitions must be at least 1".into()).into());
    }
    if replication < 1 {
        return Err(UsageError("--replication must be at least 1".into()).into());
    }
    let rt = runtime()?;
    let results = rt.block_on(redline::kafka::admin::create_topics(
        &config,
        partitions,
        replication,
    ))?;
    for (name, outcome) in results {
        let what = match outcome {
            redline::kafka::admin::TopicOutcome::Created => "created",
            redline::kafka::admin::TopicOutcome::AlreadyExists => "exists",
        };
        println!("{what}\t{name}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `redline audit`: prints the story's timeline; with `--verify` and/or `--html`, does those
/// instead and prints one summary line each.
pub fn audit(args: AuditArgs) -> Result<ExitCode> {
    let config = with_brokers(args.config.load()?, &args.brokers)?;
    let log = match &args.file {
        Some(file) => redline::audit::source::from_files(
            &args.story_id,
            file,
            args.events.as_deref(),
            args.versions.as_deref(),
        )?,
        None => redline::audit::source::from_kafka(
            &config,
            &args.story_id,
            true,
            args.versions.as_deref(),
        )?,
    };
    let from = match &args.file {
        Some(f) => f.display().to_string(),
        None => format!("{} on {}", config.topics.revisions, config.kafka.brokers),
    };
    if log.records.is_empty() {
        anyhow::bail!("no revision records of story {:?} in {from}", args.story_id);
    }
    if args.html.is_none() && !args.verify {
        print!("{}", redline::audit::timeline::render(&log));
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(path) = &args.html {
        let engine = engine_for(&config)?;
        let page = redline::audit::html::render(&log, &|v| engine.text_of(v));
        std::fs::write(path, page).with_context(|| format!("cannot write {}", path.display()))?;
        println!(
            "wrote {} ({} revisions of {})",
            path.display(),
            log.records.len(),
            args.story_id
        );
    }
    if args.verify {
        match redline::audit::chain::verify(&log.records) {
            Ok(v) => {
                let redo = if v.reprocessed > 0 {
                    format!(
                        ", {} re-processed after a failure (at-least-once)",
                        v.reprocessed
                    )
                } else {
                    String::new()
                };
                println!(
                    "chain verified: story {}, {} records{redo}",
                    args.story_id, v.records
                );
            }
            Err(broken) => {
                eprintln!("redline: {broken}");
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
