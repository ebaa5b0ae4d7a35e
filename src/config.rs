//! `config/redline.toml`: parsed, overridden by `REDLINE_…` environment variables, then
//! validated into typed settings. Every error names the file (or variable) and the key.

use crate::UsageError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const DEFAULT_CONFIG_PATH: &str = "config/redline.toml";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub kafka: KafkaConfig,
    pub topics: Topics,
    pub processing: Processing,
    pub limits: Limits,
    pub rules: RulesConfig,
    pub alerts: Alerts,
    pub metrics: Metrics,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct KafkaConfig {
    /// Bootstrap servers, `HOST:PORT,…`.
    pub brokers: String,
    pub group: String,
    /// Passed verbatim to librdkafka (security.protocol, sasl.*, ssl.*, …).
    pub client: BTreeMap<String, String>,
}

impl Default for KafkaConfig {
    fn default() -> Self {
        KafkaConfig {
            brokers: "127.0.0.1:9092".into(),
            group: "redline".into(),
            client: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Topics {
    pub versions: String,
    pub changes: String,
    pub alerts: String,
    pub revisions: String,
    pub state: String,
    pub dlq: String,
    pub partitions: i32,
    pub replication: i32,
}

impl Default for Topics {
    fn default() -> Self {
        Topics {
            versions: "story.versions".into(),
            changes: "story.changes".into(),
            alerts: "story.alerts".into(),
            revisions: "story.revisions".into(),
            state: "story.state".into(),
            dlq: "story.dlq".into(),
            partitions: 6,
            replication: 1,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Processing {
    /// `exactly_once` (transactions) or `at_least_once` (idempotent producer, downstream dedup).
    pub guarantee: String,
    /// Close a transaction after this many input records…
    pub batch_max_records: usize,
    /// …or after this long, whichever comes first.
    pub batch_max_ms: u64,
    /// Threads running the engine on different stories in parallel; 0 = one per CPU core.
    pub workers: usize,
    /// Stable per instance so a restarted instance fences its own zombie; default derives from
    /// the group and host name.
    pub transactional_id: Option<String>,
}

impl Default for Processing {
    fn default() -> Self {
        Processing {
            guarantee: "exactly_once".into(),
            batch_max_records: 500,
            batch_max_ms: 100,
            workers: 0,
            transactional_id: None,
        }
    }
}

/// The bounds that keep every diff's cost proportional to its input (DESIGN §5).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// A record larger than this goes to the dead-letter topic.
    pub max_input_bytes: usize,
    /// Similarity comparisons allowed when pairing replaced sentences, per version.
    pub max_pair_comparisons: usize,
    /// Stories held in memory per instance; the least recently updated are dropped beyond it
    /// (they are restored from `story.state` when they come back).
    pub max_stories_in_memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: crate::input::DEFAULT_MAX_INPUT_BYTES,
            max_pair_comparisons: crate::diff::DEFAULT_MAX_PAIR_COMPARISONS,
            max_stories_in_memory: 200_000,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RulesConfig {
    /// Category and severity rules; relative paths are resolved from the config file's folder's
    /// parent (so `config/rules.toml` works from the repository root). Unset: the built-in defaults.
    pub file: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Alerts {
    /// Events at or above this severity also go to `story.alerts`.
    pub threshold: String,
}

impl Default for Alerts {
    fn default() -> Self {
        Alerts {
            threshold: "high".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Metrics {
    pub addr: String,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            addr: "127.0.0.1:9464".into(),
        }
    }
}

impl Config {
    /// Load `path` (if given and present), apply `REDLINE_…` overrides from `env`, validate.
    /// A missing file is an error only when it was named explicitly.
    pub fn load(path: Option<&Path>, env: &BTreeMap<String, String>) -> Result<Config, UsageError> {
        let (file, explicit) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from(DEFAULT_CONFIG_PATH), false),
        };
        let mut value = if file.exists() {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| UsageError(format!("cannot read config {}: {e}", file.display())))?;
            text.parse::<toml::Table>()
                .map_err(|e| UsageError(format!("config {}: {e}", file.display())))?
        } else if explicit {
            return Err(UsageError(format!(
                "config file {} does not exist",
                file.display()
            )));
        } else {
            toml::Table::new()
        };
        apply_env(&mut value, env)?;
        let mut config: Config =
            toml::Value::Table(value)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    UsageError(format!("config {}: {}", file.display(), e.message().trim()))
                })?;
        if let Some(rules) = &config.rules.file {
            if rules.is_relative() && explicit {
                let base = file
                    .parent()
                    .and_then(Path::parent)
                    .unwrap_or(Path::new("."));
                let candidate = base.join(rules);
                if candidate.exists() {
                    config.rules.file = Some(candidate);
                }
            }
        }
        config.validate(&file)?;
        Ok(config)
    }

    fn validate(&self, file: &Path) -> Result<(), UsageError> {
        let bad = |key: &str, why: String| {
            Err(UsageError(format!(
                "config {}: key `{key}`: {why}",
                file.display()
            )))
        };
        if !matches!(
            self.processing.guarantee.as_str(),
            "exactly_once" | "at_least_once"
        ) {
            return bad(
                "processing.guarantee",
                format!(
                    "must be \"exactly_once\" or \"at_least_once\", not {:?}",
                    self.processing.guarantee
                ),
            );
        }
        if crate::model::Severity::parse(&self.alerts.threshold).is_none() {
            return bad(
                "alerts.threshold",
                format!(
                    "must be \"low\", \"normal\" or \"high\", not {:?}",
                    self.alerts.threshold
                ),
            );
        }
        if self.topics.partitions < 1 {
            return bad("topics.partitions", "must be at least 1".into());
        }
        if self.topics.replication < 1 {
            return bad("topics.replication", "must be at least 1".into());
        }
        if self.limits.max_input_bytes < 1024 {
            return bad("limits.max_input_bytes", "must be at least 1024".into());
        }
        if self.processing.batch_max_records == 0 {
            return bad("processing.batch_max_records", "must be at least 1".into());
        }
        if self.kafka.brokers.trim().is_empty() {
            return bad("kafka.brokers", "must not be empty".into());
        }
        Ok(())
    }

    /// Engine worker threads of `run`: `processing.workers`, or one per CPU core when 0.
    pub fn worker_threads(&self) -> usize {
        match self.processing.workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }

    pub fn alert_threshold(&self) -> crate::model::Severity {
        crate::model::Severity::parse(&self.alerts.threshold)
            .unwrap_or(crate::model::Severity::High)
    }
}

/// `REDLINE_SECTION_KEY=value` overrides `[section] key`. Keys are matched against the known
/// layout (the defaults), so `REDLINE_LIMITS_MAX_INPUT_BYTES` finds `limits.max_input_bytes`;
/// `REDLINE_KAFKA_CLIENT_SASL_USERNAME` sets `kafka.client."sasl.username"`.
fn apply_env(table: &mut toml::Table, env: &BTreeMap<String, String>) -> Result<(), UsageError> {
    let defaults = toml::Table::try_from(Config::default()).expect("defaults serialise");
    for (name, raw) in env {
        let Some(rest) = name.strip_prefix("REDLINE_") else {
            continue;
        };
        if let Some(prop) = rest.strip_prefix("KAFKA_CLIENT_") {
            let key = prop.to_ascii_lowercase().replace('_', ".");
            let kafka = table
                .entry("kafka")
                .or_insert_with(|| toml::Value::Table(Default::default()));
            let client = kafka
                .as_table_mut()
                .ok_or_else(|| UsageError("config key `kafka` must be a table".into()))?
                .entry("client")
                .or_insert_with(|| toml::Value::Table(Default::default()));
            if let Some(t) = client.as_table_mut() {
                t.insert(key, toml::Value::String(raw.clone()));
            }
            continue;
        }
        for (section, keys) in &defaults {
            let Some(keys) = keys.as_table() else {
                continue;
            };
            for (key, default) in keys {
                let env_name = format!("{section}_{key}").to_ascii_uppercase();
                if env_name != rest {
                    continue;
                }
                let value = match default {
                    toml::Value::Integer(_) => raw.parse::<i64>().map(toml::Value::Integer).map_err(|_| {
                        UsageError(format!("environment {name}: key `{section}.{key}` must be an integer, not {raw:?}"))
                    })?,
                    toml::Value::Boolean(_) => raw.parse::<bool>().map(toml::Value::Boolean).map_err(|_| {
                        UsageError(format!("environment {name}: key `{section}.{key}` must be true or false, not {raw:?}"))
                    })?,
                    _ => toml::Value::String(raw.clone()),
                };
                let section_table = table
                    .entry(section.clone())
                    .or_insert_with(|| toml::Value::Table(Default::default()));
                if let Some(t) = section_table.as_table_mut() {
                    t.insert(key.clone(), value);
                }
            }
        }
        // Optional keys absent from the defaults' serialisation.
        if rest == "RULES_FILE" {
            let rules = table
                .entry("rules")
                .or_insert_with(|| toml::Value::Table(Default::default()));
            if let Some(t) = rules.as_table_mut() {
                t.insert("file".into(), toml::Value::String(raw.clone()));
            }
        }
        if rest == "PROCESSING_TRANSACTIONAL_ID" {
            let p = table
                .entry("processing")
                .or_insert_with(|| toml::Value::Table(Default::default()));
            if let Some(t) = p.as_table_mut() {
                t.insert("transactional_id".into(), toml::Value::String(raw.clone()));
            }
        }
    }
    Ok(())
}

/// The process environment as a map, for [`Config::load`].
pub fn process_env() -> BTreeMap<String, String> {
    std::env::vars()
        .filter(|(k, _)| k.starts_with("REDLINE_"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_file() {
        let c = Config::load(None, &BTreeMap::new()).unwrap();
        assert_eq!(c.topics.versions, "story.versions");
        assert_eq!(c.processing.guarantee, "exactly_once");
    }

    #[test]
    fn env_overrides_known_keys_and_client_properties() {
        let env: BTreeMap<String, String> = [
            ("REDLINE_KAFKA_BROKERS", "10.0.0.1:9092"),
            ("REDLINE_LIMITS_MAX_INPUT_BYTES", "4096"),
            ("REDLINE_KAFKA_CLIENT_SASL_USERNAME", "desk"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let c = Config::load(None, &env).unwrap();
        assert_eq!(c.kafka.brokers, "10.0.0.1:9092");
        assert_eq!(c.limits.max_input_bytes, 4096);
        assert_eq!(c.kafka.client.get("sasl.username").unwrap(), "desk");
        let env: BTreeMap<String, String> =
            [("REDLINE_PROCESSING_WORKERS".to_string(), "3".to_string())].into();
        let c = Config::load(None, &env).unwrap();
        assert_eq!((c.processing.workers, c.worker_threads()), (3, 3));
        assert!(Config::default().worker_threads() >= 1);
    }

    #[test]
    fn bad_values_name_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("redline.toml");
        std::fs::write(&f, "[processing]\nguarantee = \"maybe\"\n").unwrap();
        let e = Config::load(Some(&f), &BTreeMap::new()).unwrap_err();
        assert!(
            e.0.contains("processing.guarantee") && e.0.contains("redline.toml"),
            "{e}"
        );

        std::fs::write(&f, "[limits]\nmax_input_bytez = 5\n").unwrap();
        let e = Config::load(Some(&f), &BTreeMap::new()).unwrap_err();
        assert!(e.0.contains("max_input_bytez"), "{e}");

        let env: BTreeMap<String, String> = [(
            "REDLINE_LIMITS_MAX_INPUT_BYTES".to_string(),
            "lots".to_string(),
        )]
        .into();
        let e = Config::load(None, &env).unwrap_err();
        assert!(e.0.contains("limits.max_input_bytes"), "{e}");
    }

    #[test]
    fn example_config_documents_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/redline.toml");
        let c = Config::load(Some(&path), &BTreeMap::new()).unwrap();
        assert_eq!(
            c,
            Config::default(),
            "config/redline.toml must show the defaults"
        );
    }
}
