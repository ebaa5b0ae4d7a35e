//! Topic administration: `redline topics create` and the start-up check that the topics the
//! processor depends on exist with compatible partition counts.

use crate::config::Config;
use anyhow::{bail, Context, Result};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::RDKafkaErrorCode;
use std::time::Duration;

/// What happened to one topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicOutcome {
    Created,
    AlreadyExists,
}

/// Create the six topics of DESIGN §1. Idempotent: a topic that already exists is fine.
/// `story.state` is compacted and gets the same partition count as `story.versions`, because
/// state is written to the same partition number as the input record it came from.
pub async fn create_topics(
    config: &Config,
    partitions: i32,
    replication: i32,
) -> Result<Vec<(String, TopicOutcome)>> {
    let admin: AdminClient<DefaultClientContext> = super::client::base(config)
        .create()
        .context("cannot create Kafka admin client")?;
    let t = &config.topics;
    let names = [
        &t.versions,
        &t.changes,
        &t.alerts,
        &t.revisions,
        &t.state,
        &t.dlq,
    ];
    let topics: Vec<NewTopic> = names
        .iter()
        .map(|name| {
            let topic = NewTopic::new(name, partitions, TopicReplication::Fixed(replication));
            if *name == &t.state {
                topic.set("cleanup.policy", "compact")
            } else {
                topic
            }
        })
        .collect();
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
    let results = admin
        .create_topics(&topics, &opts)
        .await
        .with_context(|| format!("creating topics on {}", config.kafka.brokers))?;
    let mut out = Vec::new();
    for r in results {
        match r {
            Ok(name) => out.push((name, TopicOutcome::Created)),
            Err((name, RDKafkaErrorCode::TopicAlreadyExists)) => {
                out.push((name, TopicOutcome::AlreadyExists))
            }
            Err((name, code)) => bail!("cannot create topic {name}: {code}"),
        }
    }
    wait_until_served(&admin, config, &names.map(|n| n.as_str())).await?;
    Ok(out)
}

/// How long `create_topics` waits for the brokers to serve the new topics.
const SERVED_TIMEOUT: Duration = Duration::from_secs(30);

/// The controller acknowledges a new topic before every broker's metadata cache has it, so a
/// `redline run` started right after `topics create` could be told the topic does not exist.
/// Return only once each topic is listed with a leader for every partition.
async fn wait_until_served(
    admin: &AdminClient<DefaultClientContext>,
    config: &Config,
    names: &[&str],
) -> Result<()> {
    let deadline = tokio::time::Instant::now() + SERVED_TIMEOUT;
    loop {
        let md = admin
            .inner()
            .fetch_metadata(None, Duration::from_secs(5))
            .with_context(|| format!("fetching metadata from {}", config.kafka.brokers))?;
        let served = |name: &&str| {
            md.topics().iter().any(|t| {
                t.name() == *name
                    && t.error().is_none()
                    && !t.partitions().is_empty()
                    && t.partitions().iter().all(|p| p.leader() >= 0)
            })
        };
        let pending: Vec<&str> = names.iter().filter(|n| !served(n)).copied().collect();
        if pending.is_empty() {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            bail!(
                "topics created but not served by {} after {:?}: {}",
                config.kafka.brokers,
                SERVED_TIMEOUT,
                pending.join(", ")
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A topic `run` needs is not (yet) in the brokers' metadata.
#[derive(Debug, thiserror::Error)]
#[error("topic {topic} does not exist on {brokers}: run `redline topics create` (or `redline run --create-topics`)")]
pub struct MissingTopic {
    pub topic: String,
    brokers: String,
}

/// Partition counts of the input and state topics. Fails with a readable message when either
/// topic is missing, or when `story.state` has fewer partitions than `story.versions` (input
/// partition N writes its state to state partition N).
pub fn check_topics(
    consumer: &BaseConsumer<impl rdkafka::consumer::ConsumerContext>,
    config: &Config,
) -> Result<i32> {
    let t = &config.topics;
    let count = |topic: &str| -> Result<Option<usize>> {
        let md = consumer
            .fetch_metadata(Some(topic), Duration::from_secs(10))
            .with_context(|| {
                format!("fetching metadata of {topic} from {}", config.kafka.brokers)
            })?;
        Ok(md
            .topics()
            .iter()
            .find(|m| m.name() == topic && m.error().is_none())
            .map(|m| m.partitions().len())
            .filter(|&n| n > 0))
    };
    let missing = |topic: &str| {
        anyhow::Error::new(MissingTopic {
            topic: topic.to_string(),
            brokers: config.kafka.brokers.clone(),
        })
    };
    let input = count(&t.versions)?.ok_or_else(|| missing(&t.versions))?;
    let state = count(&t.state)?.ok_or_else(|| missing(&t.state))?;
    if state < input {
        bail!(
            "topic {} has {state} partitions but {} has {input}: state is written to the input record's partition number, so it needs at least as many",
            t.state,
            t.versions
        );
    }
    Ok(input as i32)
}
