//! Load generator and latency meter of the end-to-end benchmark (bench/e2e.sh).
//!
//! `e2e_bench produce BROKERS TOPIC N RATE CORPUS.jsonl…` — produces the first N versions of the
//!   corpus files (in file order, so each story's versions stay in order; key = story_id; record
//!   timestamp = send time), at RATE versions/s (0 = as fast as possible). `E2E_FROM=K` starts at
//!   the K-th version instead; `E2E_STORY_PREFIX=P` prefixes every story_id (a warm-up stream).
//! `e2e_bench measure BROKERS INPUT_TOPIC OUTPUT_TOPIC EXPECT` — reads both topics from the
//!   beginning (read_committed) until OUTPUT holds EXPECT records (0: until it stops growing),
//!   matches each output record to its input version by (story_id, version | to_version) and
//!   prints one JSON line: records, throughput (records/s over the output timestamps' span),
//!   and latency percentiles (output record timestamp − input record timestamp).
//!   `E2E_SKIP_PREFIX=P` ignores records of stories named P…. With `E2E_TIMELINE=1` it also prints the latency per half second of input time to stderr.

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
    // E2E_FROM: skip that many versions first; E2E_STORY_PREFIX: rename the stories (a warm-up
    // stream that must not touch the measured stories' state).
    let mut skip: usize = std::env::var("E2E_FROM").map_or(Ok(0), |v| v.parse())?;
    let prefix = std::env::var("E2E_STORY_PREFIX").unwrap_or_default();
    'files: for f in files {
        for line in std::io::BufReader::new(std::fs::File::open(f)?).lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let line = if prefix.is_empty() {
                line
            } else {
                let mut v: serde_json::Value = serde_json::from_str(&line)?;
                let id = format!("{prefix}{}", v["story_id"].as_str().unwrap_or_default());
                v["story_id"] = id.into();
                v.to_string()
            };
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
    // E2E_SKIP_PREFIX: records of these stories (the warm-up stream) are not counted.
    let skip_prefix = std::env::var("E2E_SKIP_PREFIX").ok();
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
                if skip_prefix.as_deref().is_some_and(|p| story.starts_with(p)) {
                    continue;
                }
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
    let pairs: Vec<(i64, i64)> = outs
        .iter()
        .filter_map(|(s, v, t)| sent.get(&(s.clone(), *v)).map(|i| (*i, t - i)))
        .collect();
    if std::env::var_os("E2E_TIMELINE").is_some() {
        timeline(&pairs);
    }
    let mut lat: Vec<i64> = pairs.iter().map(|&(_, l)| l).collect();
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

/// `E2E_TIMELINE=1`: latency per half second of input time, on stderr (warm-up vs steady).
fn timeline(pairs: &[(i64, i64)]) {
    let Some(first) = pairs.iter().map(|p| p.0).min() else {
        return;
    };
    let mut buckets: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
    for &(sent, lat) in pairs {
        buckets.entry((sent - first) / 500).or_default().push(lat);
    }
    for (b, mut l) in buckets {
        l.sort_unstable();
        eprintln!(
            "t={:>5.1}s records={:>5} p50={:>4} p99={:>4} max={:>4}",
            b as f64 / 2.0,
            l.len(),
            pct(&l, 0.5),
            pct(&l, 0.99),
            l[l.len() - 1]
        );
    }
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
