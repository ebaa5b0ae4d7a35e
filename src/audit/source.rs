//! Loading one story's records: from the JSONL files `replay` writes, or from Kafka.

use super::{Located, StoryLog};
use crate::config::Config;
use crate::model::{ChangeEvent, RevisionRecord, StoryVersion};
use anyhow::{bail, Context, Result};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};
use serde::de::DeserializeOwned;
use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;
use std::path::Path;
use std::time::{Duration, Instant};

/// Parse one JSON record, keeping the raw value for the chain check.
fn parse<T: DeserializeOwned>(bytes: &[u8], at: &str) -> Result<Located<T>> {
    let raw: serde_json::Value =
        serde_json::from_slice(bytes).with_context(|| format!("{at}: not JSON"))?;
    let value = T::deserialize(&raw).with_context(|| format!("{at}: not a valid record"))?;
    Ok(Located {
        value,
        at: at.to_string(),
        raw,
    })
}

fn story_of(raw: &serde_json::Value) -> Option<&str> {
    raw.get("story_id").and_then(|s| s.as_str())
}

/// Every line of a JSONL file whose `story_id` is `story_id`, parsed as `T`. A line that is not
/// JSON, or a line of this story that is not a valid `T`, is an error naming the line: the audit
/// of a log never skips what it cannot read.
pub fn read_jsonl<T: DeserializeOwned>(path: &Path, story_id: &str) -> Result<Vec<Located<T>>> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(f).split(b'\n').enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let at = format!("{}:{}", path.display(), i + 1);
        let raw: serde_json::Value =
            serde_json::from_slice(&line).with_context(|| format!("{at}: not JSON"))?;
        if story_of(&raw) != Some(story_id) {
            continue;
        }
        out.push(parse(&line, &at)?);
    }
    Ok(out)
}

/// The versions of one story by version number. A version without `version` gets the number
/// the engine gives it: one more than the previous version of the story in the file.
pub fn read_versions(path: &Path, story_id: &str) -> Result<HashMap<u64, StoryVersion>> {
    let mut out = HashMap::new();
    let mut last = 0;
    for v in read_jsonl::<StoryVersion>(path, story_id)? {
        let n = v.value.version.unwrap_or(last + 1);
        last = n;
        out.insert(n, v.value);
    }
    Ok(out)
}

pub fn events_by_id(events: Vec<Located<ChangeEvent>>) -> HashMap<String, ChangeEvent> {
    events
        .into_iter()
        .map(|e| (e.value.event_id.clone(), e.value))
        .collect()
}

/// The story's log from files: `replay --revisions` output, and optionally `replay --out`
/// events and the input versions.
pub fn from_files(
    story_id: &str,
    revisions: &Path,
    events: Option<&Path>,
    versions: Option<&Path>,
) -> Result<StoryLog> {
    Ok(StoryLog {
        story_id: story_id.to_string(),
        records: read_jsonl(revisions, story_id)?,
        events: events
            .map(|p| read_jsonl(p, story_id).map(events_by_id))
            .transpose()?,
        versions: versions.map(|p| read_versions(p, story_id)).transpose()?,
    })
}

/// Every committed record of `topic` whose key is `key`, from the beginning to the current end
/// (read_committed), in partition order. Records of one story share a partition (the key), so
/// their order is the order they were written in.
pub fn read_topic_key(
    config: &Config,
    topic: &str,
    key: &str,
    timeout: Duration,
) -> Result<Vec<(String, Vec<u8>)>> {
    let consumer: BaseConsumer = crate::kafka::client::state_reader(config)
        .set("group.id", "redline-audit-unused")
        .create()
        .context("cannot create the Kafka consumer")?;
    let md = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .with_context(|| format!("cannot read the metadata of {topic}"))?;
    let t = md
        .topics()
        .iter()
        .find(|t| t.name() == topic)
        .filter(|t| t.error().is_none() && !t.partitions().is_empty());
    let Some(t) = t else {
        bail!("topic {topic} does not exist on {}", config.kafka.brokers);
    };
    let partitions: BTreeSet<i32> = t.partitions().iter().map(|p| p.id()).collect();
    let mut tpl = TopicPartitionList::new();
    for &p in &partitions {
        tpl.add_partition_offset(topic, p, Offset::Beginning)?;
    }
    consumer.assign(&tpl)?;
    let deadline = Instant::now() + timeout;
    let mut at_end = BTreeSet::new();
    let mut out = Vec::new();
    while at_end != partitions {
        if Instant::now() > deadline {
            bail!(
                "timed out reading {topic}: {} of {} partitions read to the end",
                at_end.len(),
                partitions.len()
            );
        }
        match consumer.poll(Duration::from_millis(200)) {
            None => {}
            Some(Ok(m)) => {
                at_end.remove(&m.partition());
                if m.key() == Some(key.as_bytes()) {
                    out.push((
                        format!("{topic}/{}@{}", m.partition(), m.offset()),
                        m.payload().unwrap_or_default().to_vec(),
                    ));
                }
            }
            Some(Err(KafkaError::PartitionEOF(p))) => {
                at_end.insert(p);
            }
            Some(Err(e)) => return Err(e).with_context(|| format!("reading {topic}")),
        }
    }
    Ok(out)
}

/// The story's log from Kafka: `story.revisions`, and `story.changes` for the events.
pub fn from_kafka(
    config: &Config,
    story_id: &str,
    with_events: bool,
    versions: Option<&Path>,
) -> Result<StoryLog> {
    let timeout = Duration::from_secs(120);
    let records = read_topic_key(config, &config.topics.revisions, story_id, timeout)?
        .into_iter()
        .map(|(at, bytes)| parse::<RevisionRecord>(&bytes, &at))
        .collect::<Result<Vec<_>>>()?;
    let events = if with_events {
        let evs = read_topic_key(config, &config.topics.changes, story_id, timeout)?
            .into_iter()
            .map(|(at, bytes)| parse::<ChangeEvent>(&bytes, &at))
            .collect::<Result<Vec<_>>>()?;
        Some(events_by_id(evs))
    } else {
        None
    };
    Ok(StoryLog {
        story_id: story_id.to_string(),
        records,
        events,
        versions: versions.map(|p| read_versions(p, story_id)).transpose()?,
    })
}
