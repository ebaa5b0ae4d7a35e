//! Load generator and latency meter of the end-to-end benchmark (bench/e2e.sh).
//!
//! `e2e_bench produce BROKERS TOPIC N RATE CORPUS.jsonl…` — produces the first N versions of the
//!   corpus files (in file order, so each story's versions stay in order; key = story_id; record
//!   timestamp = send time), at RATE versions/s (0 = as fast as possible).
//! `e2e_bench measure BROKERS INPUT_TOPIC OUTPUT_TOPIC EXPECT` — reads both topics from the
//!   beginning (read_committed) until OUTPUT holds EXPECT records (0: until it stops growing),
//!   matches each output record to its input version by (story_id, version | to_version) and
//!   prints one JSON line: records, throughput (records/s over the output timestamps' span),
//!   and latency percentiles (output record timestamp − input record timestamp).

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Message, Timestamp};
use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn produce(
    brokers: &str,
    topic: &str,
    n: usize,
    rate: f64,
    files: &[String],
) -> anyhow::Result<()> {
    let producer: ThreadedProducer<DefaultProducerContext> = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("linger.ms", "1")
        .set("queue.buffering.max.messages", "1000000")
        .create()?;
    let mut lines = Vec::with_capacity(n);
    'files: for f in files {
        for line in std::io::BufReader::new(std::fs::File::open(f)?).lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            lines.push(line);
            if lines.len() == n {
                break 'files;
            }
        }
    }
    anyhow::ensure!(
        lines.len() == n,
        "the corpus has only {} versions",
        lines.len()
    );
    let started = Instant::now();
    for (i, line) in lines.iter().enumerate() {
        if rate > 0.0 {
            let due = started + Duration::from_secs_f64(i as f64 / rate);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        let v: serde_json::Value = serde_json::from_str(line)?;
        let key = v["story_id"].as_str().unwrap_or_default().to_string();
        let mut rec = BaseRecord::to(topic)
            .key(&key)
            .payload(line)
            .timestamp(now_ms());
        loop {
            match producer.send(rec) {
                Ok(()) => break,
                Err((_, r)) => {
                    rec = r;
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        }
    }
    producer.flush(Duration::from_secs(60))?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "produced {n} versions in {secs:.2} s ({:.0}/s)",
        n as f64 / secs
    );
    Ok(())
}

/// (story_id, version, timestamp ms) of every record of `topic`, until `done(records)`.
fn read(
    brokers: &str,
    topic: &str,
    expect: usize,
    timeout: Duration,
) -> anyhow::Result<Vec<(String, u64, i64)>> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "e2e-bench-reader")
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "true")
        .set("isolation.level", "read_committed")
        .create()?;
    let md = consumer.fetch_metadata(Some(topic), Duration::from_secs(10))?;
    let parts: BTreeSet<i32> = md.topics()[0].partitions().iter().map(|p| p.id()).collect();
    let mut tpl = TopicPartitionList::new();
    for &p in &parts {
        tpl.add_partition_offset(topic, p, Offset::Beginning)?;
    }
    consumer.assign(&tpl)?;
    let deadline = Instant::now() + timeout;
    let mut out = Vec::new();
    let mut eof = BTreeSet::new();
    let mut last_growth = Instant::now();
    loop {
        let complete = if expect > 0 {
            out.len() >= expect && eof == parts
        } else {
            eof == parts && last_growth.elapsed() > Duration::from_secs(3)
        };
        if complete || Instant::now() > deadline {
            break;
        }
        match consumer.poll(Duration::from_millis(100)) {
            None => {}
            Some(Ok(m)) => {
                eof.remove(&m.partition());
                last_growth = Instant::now();
                let ts = match m.timestamp() {
                    Timestamp::CreateTime(t) | Timestamp::LogAppendTime(t) => t,
                    Timestamp::NotAvailable => continue,
                };
                let v: serde_json::Value = serde_json::from_slice(m.payload().unwrap_or(b"{}"))?;
                let story = v["story_id"].as_str().unwrap_or_default().to_string();
                let version = v["to_version"]
                    .as_u64()
                    .or(v["version"].as_u64())
                    .unwrap_or(0);
                out.push((story, version, ts));
            }
            Some(Err(KafkaError::PartitionEOF(p))) => {
                eof.insert(p);
            }
            Some(Err(e)) => eprintln!("reader: {e}"),
        }
    }
    Ok(out)
}

fn pct(sorted: &[i64], q: f64) -> i64 {
    if sorted.is_empty() {
        return -1;
    }
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn measure(brokers: &str, input: &str, output: &str, expect: usize) -> anyhow::Result<()> {
    let timeout = Duration::from_secs(600);
    let outs = read(brokers, output, expect, timeout)?;
    let ins = read(brokers, input, 0, timeout)?;
    let sent: HashMap<(String, u64), i64> = ins.into_iter().map(|(s, v, t)| ((s, v), t)).collect();
    let mut lat: Vec<i64> = outs
        .iter()
        .filter_map(|(s, v, t)| sent.get(&(s.clone(), *v)).map(|i| t - i))
        .collect();
    lat.sort_unstable();
    let first = outs.iter().map(|o| o.2).min().unwrap_or(0);
    let last = outs.iter().map(|o| o.2).max().unwrap_or(0);
    let span = ((last - first) as f64 / 1000.0).max(0.001);
    println!(
        "{}",
        serde_json::json!({
            "records": outs.len(),
            "matched": lat.len(),
            "span_s": span,
            "throughput_per_s": (outs.len() as f64 / span).round(),
            "p50_ms": pct(&lat, 0.50),
            "p99_ms": pct(&lat, 0.99),
            "max_ms": lat.last().copied().unwrap_or(-1),
        })
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    match a.first().map(String::as_str) {
        Some("produce") if a.len() >= 6 => produce(&a[1], &a[2], a[3].parse()?, a[4].parse()?, &a[5..]),
        Some("measure") if a.len() == 5 => measure(&a[1], &a[2], &a[3], a[4].parse()?),
        _ => anyhow::bail!(
            "usage: e2e_bench produce BROKERS TOPIC N RATE FILE… | measure BROKERS INPUT OUTPUT EXPECT"
        ),
    }
}
