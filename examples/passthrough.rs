//! The end-to-end benchmark's baseline (bench/e2e.sh): a consumer→producer with the same client
//! settings, guarantee and batching as `redline run`, and no engine. Each input record is copied
//! (key and payload) to the output topic.
//!
//! `cargo run --release --example passthrough -- BROKERS INPUT_TOPIC OUTPUT_TOPIC GROUP`
//! The guarantee and batch sizes come from the same configuration as `redline run`
//! (`REDLINE_PROCESSING_GUARANTEE`, `REDLINE_PROCESSING_BATCH_MAX_RECORDS`, …). Runs until killed.

use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};
use redline::kafka::client::{self, Guarantee};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [brokers, input, output, group] = args.as_slice() else {
        anyhow::bail!("usage: passthrough BROKERS INPUT_TOPIC OUTPUT_TOPIC GROUP");
    };
    let mut config = redline::config::Config::load(None, &redline::config::process_env())?;
    config.kafka.brokers = brokers.clone();
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
            let mut rec: FutureRecord<'_, [u8], [u8]> = FutureRecord::to(output);
            if let Some(k) = m.key() {
                rec = rec.key(k);
            }
            if let Some(p) = m.payload() {
                rec = rec.payload(p);
            }
            pending.push(producer.send_result(rec).map_err(|(e, _)| e)?);
            offsets.insert(m.partition(), m.offset() + 1);
            records += 1;
        }
        let due = open.is_some_and(|t| records >= max_records || t.elapsed() >= max_age);
        if !due {
            continue;
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
