//! The Kafka adapter (DESIGN §1, §5): `redline run` and `redline topics create`.
//!
//! - [`client`]: librdkafka settings for every client, the transactional.id.
//! - [`admin`]: topic creation and the start-up topic check.
//! - [`processor`]: the consume → engine (parallel across stories) → produce → commit loop and
//!   the rebalance callbacks.
//! - [`state`]: per-story state in memory (bounded), restore from `story.state`.
//! - [`dlq`]: dead-letter headers.
//! - [`metrics`]: counters and the /metrics, /healthz, /readyz endpoints.

pub mod admin;
pub mod client;
pub mod dlq;
pub mod metrics;
pub mod processor;
pub mod state;

use crate::config::Config;
use crate::engine::Engine;
use anyhow::{Context, Result};
use client::Guarantee;
use metrics::Metrics;
use processor::{Gathered, GroupConsumer, Pipeline, PipelineParts, RebalanceContext};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, Producer};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Everything `run` needs, resolved from the command line and configuration.
pub struct RunSettings {
    pub config: Config,
    pub engine: Engine,
    pub group: String,
    pub instance: String,
}

/// How long `run` looks again for a topic that is not in the brokers' metadata before it gives
/// up: a deploy that creates the topics with another tool and starts `run` right after may ask
/// a broker that has not heard of them yet.
const MISSING_TOPIC_GRACE: Duration = Duration::from_secs(10);

/// Run the processor until `stop` is set (then commit or abort, leave the group and return
/// `Ok`), or until a fatal error (returned: the caller exits 1). Blocking: call it from a
/// blocking thread of a tokio runtime (`rt` is used to await delivery reports).
pub fn run(
    settings: RunSettings,
    metrics: Arc<Metrics>,
    stop: Arc<AtomicBool>,
    rt: tokio::runtime::Handle,
) -> Result<()> {
    let RunSettings {
        config,
        engine,
        group,
        instance,
    } = settings;
    let guarantee = Guarantee::from_config(&config);
    let txn_id = client::transactional_id(&config, &group, &instance);
    tracing::info!(
        brokers = %config.kafka.brokers,
        group = %group,
        instance = %instance,
        guarantee = guarantee.as_str(),
        transactional_id = %txn_id,
        input = %config.topics.versions,
        "starting"
    );

    let producer: FutureProducer = client::producer(&config, guarantee, &txn_id)
        .create()
        .context("cannot create the Kafka producer")?;
    if guarantee == Guarantee::ExactlyOnce {
        // Fences any earlier incarnation with this transactional.id and aborts its open
        // transaction, so nothing it left half-done becomes visible.
        loop {
            match producer.init_transactions(Duration::from_secs(30)) {
                Ok(()) => break,
                Err(rdkafka::error::KafkaError::Transaction(e)) if e.is_retriable() => {
                    if stop.load(Ordering::SeqCst) {
                        return Ok(());
                    }
                    tracing::warn!(error = %e, "init_transactions failed; retrying");
                    std::thread::sleep(Duration::from_millis(500));
                }
                Err(e) => return Err(e).context("init_transactions"),
            }
        }
    }

    let reader_config = client::state_reader(&config);
    let fetcher: BaseConsumer = reader_config
        .create()
        .context("cannot create the story.state reader")?;
    let topic = config.topics.versions.clone();
    let consumer_config = client::group_consumer(&config, &group);
    let pipeline = Arc::new(Mutex::new(Pipeline::new(PipelineParts {
        engine,
        config: config.clone(),
        guarantee,
        producer,
        reader_config,
        fetcher,
        metrics: metrics.clone(),
        rt,
        stop: stop.clone(),
    })));
    let consumer: GroupConsumer = consumer_config
        .create_with_context(RebalanceContext {
            pipeline: pipeline.clone(),
            topic: topic.clone(),
            metrics: metrics.clone(),
        })
        .context("cannot create the Kafka consumer")?;

    // A topic created by another tool a moment ago may not be in every broker's metadata yet:
    // a missing topic is looked for again for a few seconds before `run` gives up.
    let missing_deadline = std::time::Instant::now() + MISSING_TOPIC_GRACE;
    let mut waiting_for: Option<String> = None;
    let partitions = loop {
        match admin::check_topics(&consumer, &config) {
            Ok(n) => break n,
            Err(e) if is_transient(&e) && !stop.load(Ordering::SeqCst) => {
                tracing::warn!(error = %format!("{e:#}"), "cannot check topics; retrying");
                std::thread::sleep(Duration::from_secs(1));
            }
            Err(e) => {
                let missing = e.downcast_ref::<admin::MissingTopic>();
                let wait =
                    std::time::Instant::now() < missing_deadline && !stop.load(Ordering::SeqCst);
                let Some(m) = missing.filter(|_| wait) else {
                    return Err(e);
                };
                if waiting_for.as_deref() != Some(m.topic.as_str()) {
                    tracing::warn!(topic = %m.topic, grace = ?MISSING_TOPIC_GRACE, "topic not found; waiting for it to appear");
                    waiting_for = Some(m.topic.clone());
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        }
    };
    tracing::info!(topic = %topic, partitions, "subscribing");
    consumer.subscribe(&[&topic])?;
    // Ready only once partitions are assigned and their state restored (the assign callback).

    let result = poll_loop(&consumer, &pipeline, &stop);
    metrics.ready.store(false, Ordering::Relaxed);
    if let Err(e) = &result {
        tracing::error!(error = %format!("{e:#}"), "stopping on error");
        // Leave the group without committing anything more; the open transaction (if any) is
        // aborted by the broker or fenced by the next incarnation.
        return result;
    }
    tracing::info!("shutting down: committing the open batch and leaving the group");
    let shutdown = {
        let mut p = lock(&pipeline);
        let r = p.commit(&consumer);
        r.and_then(|()| p.take_fatal().map_or(Ok(()), Err))
    };
    // Leaving the group runs the revoke callback (nothing is open any more) and closes the
    // consumer; dropping it waits for the close to finish.
    consumer.unsubscribe();
    drop(consumer);
    let mut p = lock(&pipeline);
    if let Some(e) = p.take_fatal() {
        return Err(e);
    }
    drop(p);
    shutdown?;
    tracing::info!("stopped cleanly");
    Ok(())
}

fn lock(p: &Mutex<Pipeline>) -> std::sync::MutexGuard<'_, Pipeline> {
    p.lock().unwrap_or_else(|e| e.into_inner())
}

fn poll_loop(
    consumer: &GroupConsumer,
    pipeline: &Mutex<Pipeline>,
    stop: &AtomicBool,
) -> Result<()> {
    let mut lag_updated = std::time::Instant::now();
    let mut chunk: Vec<Gathered<'_>> = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        // Gather what is ready into a chunk: wait up to 50 ms for the first record, then take
        // the ones already fetched. Rebalance callbacks run inside poll, with the pipeline lock
        // free; each record keeps the generation of its partition when it was polled.
        let capacity = lock(pipeline).chunk_capacity();
        let mut timeout = Duration::from_millis(50);
        while chunk.len() < capacity {
            match consumer.poll(timeout) {
                None => break,
                Some(Ok(message)) => {
                    let generation = lock(pipeline).generation(message.partition());
                    chunk.push(Gathered {
                        message,
                        generation,
                    });
                }
                Some(Err(rdkafka::error::KafkaError::MessageConsumptionFatal(code))) => {
                    anyhow::bail!("fatal consumer error: {code}");
                }
                Some(Err(e)) => {
                    Metrics::inc(&lock(pipeline).metrics().broker_errors, 1);
                    tracing::warn!(error = %e, "consumer error (retrying)");
                    break;
                }
            }
            timeout = Duration::ZERO;
        }
        let mut p = lock(pipeline);
        if let Some(e) = p.take_fatal() {
            return Err(e);
        }
        if !chunk.is_empty() {
            let result = p.handle_chunk(&chunk);
            chunk.clear();
            if let Err(e) = result {
                if is_transient(&e) {
                    tracing::warn!(error = %format!("{e:#}"), "cannot process; aborting the batch");
                    p.abort_and_rewind(consumer)?;
                } else {
                    return Err(e);
                }
            }
        }
        if p.batch_due() {
            p.close_batch(consumer)?;
        }
        // At-least-once: commit the closed batch as far as its acknowledgements allow.
        p.settle(consumer, false)?;
        if lag_updated.elapsed() >= Duration::from_secs(1) {
            lag_updated = std::time::Instant::now();
            p.update_lag(consumer);
        }
    }
    Ok(())
}

/// Kafka errors are worth retrying (the broker may come back); anything else is not.
fn is_transient(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<rdkafka::error::KafkaError>()
            .is_some_and(|k| match k {
                rdkafka::error::KafkaError::Transaction(t) => !t.is_fatal(),
                _ => true,
            })
    })
}
