//! The end-to-end benchmark's baseline (bench/e2e.sh): a consumer→producer with the same client
//! settings, guarantee and batching as `redline run`, and no engine. Each input record is copied
//! (key and payload) to the output topic.
//!
//! `cargo run --release --example passthrough -- BROKERS INPUT_TOPIC OUTPUT_TOPIC GROUP`
//! The guarantee and batch sizes come from the same configuration as `redline run`
//! (`REDLINE_PROCESSING_GUARANTEE`, `REDLINE_PROCESSING_BATCH_MAX_RECORDS`, …). Runs until killed.
//!
//! `… passthrough BROKERS INPUT_TOPIC OUTPUT_PREFIX GROUP CORPUS.jsonl…` — a ceiling instead of a
//! baseline: redline's Kafka work with an engine that costs nothing. Before it joins the group it
//! runs the engine over the corpus files and keeps each version's serialised outputs; then, for
//! every input record (matched by key, each story's versions in order), it produces what `redline
//! run` would: the events to `OUTPUT_PREFIX.changes` (and `.alerts` at or above the alert
//! threshold), the revision record to `.revisions`, and each story's latest state to `.state`
//! once per batch, before the offsets are committed.

use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};
use redline::engine::Engine;
use redline::kafka::client::{self, Guarantee};
use redline::model::Origin;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

/// What `redline run` produces for one version, serialised ahead of time.
struct Outputs {
    events: Vec<Vec<u8>>,
    alerts: Vec<bool>,
    revision: Vec<u8>,
    state: Vec<u8>,
}

/// Every version of the corpus files through the engine, keyed by story, in version order.
fn precompute(
    config: &redline::config::Config,
    files: &[String],
) -> anyhow::Result<HashMap<String, VecDeque<Outputs>>> {
    let engine = Engine::with_defaults();
    let threshold = config.alert_threshold();
    let mut states = HashMap::new();
    let mut out: HashMap<String, VecDeque<Outputs>> = HashMap::new();
    for f in files {
        for line in std::fs::read_to_string(f)?.lines() {
            if line.trim().is_empty() {
                continue;
            }
            // Lines that are not versions (redline would dead-letter them) have no outputs.
            let Ok(v) =
                redline::input::parse_version(line.as_bytes(), config.limits.max_input_bytes)
            else {
                continue;
            };
            let o = engine.process(states.get(&v.story_id), &v, &Origin::default(), "now");
            out.entry(v.story_id.clone())
                .or_default()
                .push_back(Outputs {
                    events: o
                        .events
                        .iter()
                        .map(serde_json::to_vec)
                        .collect::<Result<_, _>>()?,
                    alerts: o.events.iter().map(|e| e.severity >= threshold).collect(),
                    revision: serde_json::to_vec(&o.revision)?,
                    state: serde_json::to_vec(&o.state)?,
                });
            states.insert(v.story_id, o.state);
        }
    }
    Ok(out)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [brokers, input, output, group, corpus @ ..] = args.as_slice() else {
        anyhow::bail!("usage: passthrough BROKERS INPUT_TOPIC OUTPUT_TOPIC GROUP [CORPUS.jsonl…]");
    };
    let mut config = redline::config::Config::load(None, &redline::config::process_env())?;
    config.kafka.brokers = brokers.clone();
    let mut outputs = precompute(&config, corpus)?;
    let topic = |suffix: &str| format!("{output}.{suffix}");
    let (changes, alerts, revisions, state) = (
        topic("changes"),
        topic("alerts"),
        topic("revisions"),
        topic("state"),
    );
    let mut latest_state: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    let guarantee = Guarantee::from_config(&config);
    let producer: FutureProducer =
        client::producer(&config, guarantee, &format!("passthrough-{group}")).create()?;
    if guarantee == Guarantee::ExactlyOnce {
        producer.init_transactions(Duration::from_secs(30))?;
    }
    let consumer: BaseConsumer = client::group_consumer(&config, group).create()?;
    consumer.subscribe(&[input])?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let max_records = config.processing.batch_max_records;
    let max_age = Duration::from_millis(config.processing.batch_max_ms);
    eprintln!("passthrough: {input} -> {output}, {}", guarantee.as_str());

    let mut open: Option<Instant> = None;
    let mut records = 0;
    let mut offsets: BTreeMap<i32, i64> = BTreeMap::new();
    let mut pending = Vec::new();
    let mut assigned = false;
    loop {
        if !assigned && consumer.assignment().is_ok_and(|a| a.count() > 0) {
            // bench/e2e.sh waits for this line before it starts producing.
            eprintln!("passthrough: partitions assigned");
            assigned = true;
        }
        if let Some(m) = consumer.poll(Duration::from_millis(50)) {
            let m = m?;
            if open.is_none() {
                if guarantee == Guarantee::ExactlyOnce {
                    producer.begin_transaction()?;
                }
                open = Some(Instant::now());
            }
            let key = m.key().unwrap_or_default();
            if corpus.is_empty() {
                let rec = FutureRecord::to(output)
                    .key(key)
                    .payload(m.payload().unwrap_or_default());
                pending.push(producer.send_result(rec).map_err(|(e, _)| e)?);
            } else {
                let story = std::str::from_utf8(key)?;
                let o = outputs
                    .get_mut(story)
                    .and_then(VecDeque::pop_front)
                    .ok_or_else(|| anyhow::anyhow!("no precomputed version left for {story}"))?;
                let mut send = |topic: &str, payload: &[u8]| -> anyhow::Result<()> {
                    let rec = FutureRecord::to(topic).key(key).payload(payload);
                    pending.push(producer.send_result(rec).map_err(|(e, _)| e)?);
                    Ok(())
                };
                for (event, alert) in o.events.iter().zip(&o.alerts) {
                    send(&changes, event)?;
                    if *alert {
                        send(&alerts, event)?;
                    }
                }
                send(&revisions, &o.revision)?;
                latest_state.insert(key.to_vec(), o.state);
            }
            offsets.insert(m.partition(), m.offset() + 1);
            records += 1;
        }
        let due = open.is_some_and(|t| records >= max_records || t.elapsed() >= max_age);
        if !due {
            continue;
        }
        for (key, payload) in latest_state.drain() {
            let rec = FutureRecord::to(&state).key(&key).payload(&payload);
            pending.push(producer.send_result(rec).map_err(|(e, _)| e)?);
        }
        let mut tpl = TopicPartitionList::new();
        for (&p, &o) in &offsets {
            tpl.add_partition_offset(input, p, Offset::Offset(o))?;
        }
        match guarantee {
            Guarantee::ExactlyOnce => {
                let cgm = consumer
                    .group_metadata()
                    .ok_or_else(|| anyhow::anyhow!("no group metadata"))?;
                producer.send_offsets_to_transaction(&tpl, &cgm, Duration::from_secs(30))?;
                producer.commit_transaction(Duration::from_secs(30))?;
                pending.clear();
            }
            Guarantee::AtLeastOnce => {
                for f in pending.drain(..) {
                    rt.block_on(f)?.map_err(|(e, _)| e)?;
                }
                consumer.commit(&tpl, CommitMode::Sync)?;
            }
        }
        open = None;
        records = 0;
        offsets.clear();
    }
}
