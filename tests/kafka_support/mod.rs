//! Shared helpers of the Kafka integration tests (`tests/kafka_*.rs`): the broker address,
//! per-test topics, running the real `redline` binary, producing input and reading output.
//!
//! The broker comes from `REDLINE_TEST_BROKERS`; when that is unset the helpers start the
//! repository's test broker (`scripts/test-broker start`) and use the address it prints.
#![allow(dead_code)]

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, Headers, Message, OwnedHeaders};
use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_redline");

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A corpus file, read in place (never copied into the repository).
pub fn corpus(name: &str) -> PathBuf {
    let p = repo().join("../shared/corpus").join(name);
    assert!(p.exists(), "corpus file {} is missing", p.display());
    p
}

/// The shared test broker: `REDLINE_TEST_BROKERS`, else started via scripts/test-broker.
pub fn brokers() -> String {
    static ADDR: OnceLock<String> = OnceLock::new();
    ADDR.get_or_init(|| {
        if let Ok(b) = std::env::var("REDLINE_TEST_BROKERS") {
            if !b.trim().is_empty() {
                return b;
            }
        }
        start_broker(None).unwrap_or_else(|e| {
            panic!(
                "REDLINE_TEST_BROKERS is unset and `scripts/test-broker start` failed: {e}\n\
                 Start a broker yourself (scripts/test-broker start) and set \
                 REDLINE_TEST_BROKERS to the address it prints."
            )
        })
    })
    .clone()
}

fn broker_cmd(data_dir: Option<&Path>, cmd: &str) -> Command {
    let mut c = Command::new(repo().join("scripts/test-broker"));
    if let Some(d) = data_dir {
        c.arg("--data-dir").arg(d);
    }
    c.arg(cmd);
    c
}

/// `scripts/test-broker [--data-dir D] start`; returns the address it prints last.
pub fn start_broker(data_dir: Option<&Path>) -> Result<String, String> {
    let out = broker_cmd(data_dir, "start")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run scripts/test-broker: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "scripts/test-broker start exited with {}",
            out.status
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .last()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .ok_or_else(|| "scripts/test-broker start printed no address".into())
}

pub fn stop_broker(data_dir: &Path) {
    let st = broker_cmd(Some(data_dir), "stop")
        .status()
        .expect("run test-broker stop");
    assert!(st.success(), "test-broker stop failed");
}

pub fn wipe_broker(data_dir: &Path) {
    let _ = broker_cmd(Some(data_dir), "wipe").status();
}

/// Unique topic names for one test, so tests share one broker and run in parallel.
#[derive(Debug, Clone)]
pub struct Topics {
    pub versions: String,
    pub changes: String,
    pub alerts: String,
    pub revisions: String,
    pub state: String,
    pub dlq: String,
}

pub fn unique(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("t{}-{name}-{}", std::process::id(), nanos % 1_000_000_000)
}

impl Topics {
    pub fn new(name: &str) -> Topics {
        let p = unique(name);
        Topics {
            versions: format!("{p}.versions"),
            changes: format!("{p}.changes"),
            alerts: format!("{p}.alerts"),
            revisions: format!("{p}.revisions"),
            state: format!("{p}.state"),
            dlq: format!("{p}.dlq"),
        }
    }

    /// The `REDLINE_TOPICS_*` overrides that point the binary at these topics.
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("REDLINE_TOPICS_VERSIONS", &self.versions),
            ("REDLINE_TOPICS_CHANGES", &self.changes),
            ("REDLINE_TOPICS_ALERTS", &self.alerts),
            ("REDLINE_TOPICS_REVISIONS", &self.revisions),
            ("REDLINE_TOPICS_STATE", &self.state),
            ("REDLINE_TOPICS_DLQ", &self.dlq),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }

    /// `redline topics create` (run twice: the second run proves it is idempotent).
    pub fn create(&self, brokers: &str, partitions: i32) {
        for round in 0..2 {
            let out = Command::new(BIN)
                .args(["topics", "create", "--brokers", brokers, "--partitions"])
                .arg(partitions.to_string())
                .envs(self.env())
                .output()
                .expect("run redline topics create");
            assert!(
                out.status.success(),
                "topics create failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let stdout = String::from_utf8_lossy(&out.stdout);
            let want = if round == 0 { "created\t" } else { "exists\t" };
            assert_eq!(stdout.matches(want).count(), 6, "round {round}: {stdout}");
            self.assert_served(brokers, partitions);
        }
    }

    /// Once `topics create` returns, a new client must see every topic with a leader for each
    /// partition (the controller acknowledges creation before the broker serves the topic).
    fn assert_served(&self, brokers: &str, partitions: i32) {
        let client: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", brokers)
            .create()
            .expect("metadata client");
        let md = client
            .fetch_metadata(None, Duration::from_secs(10))
            .expect("metadata");
        for (_, name) in self.env() {
            let topic = md.topics().iter().find(|t| t.name() == name);
            let leaders: Vec<i32> = topic
                .map(|t| t.partitions().iter().map(|p| p.leader()).collect())
                .unwrap_or_default();
            assert!(
                leaders.len() == partitions as usize && leaders.iter().all(|&l| l >= 0),
                "topic {name} not served right after `topics create`: partition leaders {leaders:?}"
            );
        }
    }
}

/// A running `redline run` process; killed when dropped.
pub struct Proc {
    pub child: Child,
    pub log: PathBuf,
    pub name: String,
}

pub fn spawn_run(
    brokers: &str,
    topics: &Topics,
    group: &str,
    instance: &str,
    extra_env: &[(&str, &str)],
    log_dir: &Path,
) -> Proc {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let log = log_dir.join(format!("{instance}-{n}.log"));
    let file = std::fs::File::create(&log).unwrap();
    let child = Command::new(BIN)
        .args([
            "run",
            "--brokers",
            brokers,
            "--group",
            group,
            "--instance",
            instance,
        ])
        .args(["--metrics-addr", "127.0.0.1:0"])
        .envs(topics.env())
        .env(
            "RUST_LOG",
            std::env::var("REDLINE_TEST_LOG").unwrap_or_else(|_| "info".into()),
        )
        .envs(
            extra_env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        )
        .stdout(Stdio::null())
        .stderr(file)
        .spawn()
        .expect("spawn redline run");
    Proc {
        child,
        log,
        name: instance.to_string(),
    }
}

impl Proc {
    pub fn sigkill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn sigterm(&self) {
        let st = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// SIGTERM, then the graceful shutdown DESIGN promises: exit 0 within `timeout`. Returns
    /// the instance's log.
    pub fn shutdown(&mut self, timeout: Duration) -> String {
        self.sigterm();
        let status = self.wait_exit(timeout);
        let log = self.log_text();
        match status {
            Some(s) if s.success() => log,
            Some(s) => panic!("{} exited {s} after SIGTERM, not 0:\n{log}", self.name),
            None => panic!(
                "{} still running {timeout:?} after SIGTERM:\n{log}",
                self.name
            ),
        }
    }

    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Wait until the log contains `needle` (e.g. "partitions assigned").
    pub fn wait_log(&mut self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.log_text().contains(needle) {
            if let Some(s) = self.child.try_wait().unwrap() {
                panic!(
                    "{} exited ({s}) before logging {needle:?}:\n{}",
                    self.name,
                    self.log_text()
                );
            }
            assert!(
                Instant::now() < deadline,
                "{} did not log {needle:?} in time:\n{}",
                self.name,
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = self.log_text();
            let tail: Vec<&str> = log.lines().rev().take(60).collect();
            eprintln!("---- last lines of {} ({}):", self.name, self.log.display());
            for l in tail.into_iter().rev() {
                eprintln!("{l}");
            }
        }
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One record to produce: key, value (None = null), headers.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
}

impl Input {
    pub fn json(line: &str) -> Input {
        let v: Value = serde_json::from_str(line).expect("input line is JSON");
        Input {
            key: v["story_id"].as_str().map(|s| s.as_bytes().to_vec()),
            value: Some(line.as_bytes().to_vec()),
            headers: Vec::new(),
        }
    }
}

pub fn producer(brokers: &str) -> ThreadedProducer<DefaultProducerContext> {
    ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("enable.idempotence", "true")
        .set("linger.ms", "5")
        .create()
        .expect("test producer")
}

/// Produce records in order (idempotent producer: keyed records keep their order per story)
/// and wait until all are acknowledged.
pub fn produce(p: &ThreadedProducer<DefaultProducerContext>, topic: &str, records: &[Input]) {
    for r in records {
        let mut headers = OwnedHeaders::new();
        for (k, v) in &r.headers {
            headers = headers.insert(Header {
                key: k,
                value: Some(v),
            });
        }
        let mut rec: BaseRecord<'_, [u8], [u8]> = BaseRecord::to(topic).headers(headers);
        if let Some(k) = &r.key {
            rec = rec.key(k);
        }
        if let Some(v) = &r.value {
            rec = rec.payload(v);
        }
        let mut rec = rec;
        loop {
            match p.send(rec) {
                Ok(()) => break,
                Err((
                    KafkaError::MessageProduction(rdkafka::types::RDKafkaErrorCode::QueueFull),
                    r,
                )) => {
                    rec = r;
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err((e, _)) => panic!("produce to {topic}: {e}"),
            }
        }
    }
    p.flush(Duration::from_secs(60))
        .expect("flush test producer");
}

/// A record read back.
#[derive(Debug, Clone)]
pub struct Rec {
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
    pub partition: i32,
    pub offset: i64,
}

impl Rec {
    pub fn json(&self) -> Value {
        serde_json::from_slice(self.value.as_deref().unwrap_or(b"null")).expect("output is JSON")
    }

    pub fn header(&self, key: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }
}

/// A read_committed reader of a whole topic from the beginning.
pub struct Reader {
    consumer: BaseConsumer,
    partitions: BTreeSet<i32>,
    pub records: Vec<Rec>,
    at_eof: BTreeSet<i32>,
}

impl Reader {
    pub fn new(brokers: &str, topic: &str) -> Reader {
        let consumer: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", brokers)
            .set("group.id", "redline-test-reader")
            .set("enable.auto.commit", "false")
            .set("enable.partition.eof", "true")
            .set("isolation.level", "read_committed")
            .create()
            .expect("reader");
        let md = consumer
            .fetch_metadata(Some(topic), Duration::from_secs(10))
            .expect("metadata");
        let partitions: BTreeSet<i32> =
            md.topics()[0].partitions().iter().map(|p| p.id()).collect();
        assert!(!partitions.is_empty(), "topic {topic} has no partitions");
        let mut tpl = TopicPartitionList::new();
        for &p in &partitions {
            tpl.add_partition_offset(topic, p, Offset::Beginning)
                .unwrap();
        }
        consumer.assign(&tpl).unwrap();
        Reader {
            consumer,
            partitions,
            records: Vec::new(),
            at_eof: BTreeSet::new(),
        }
    }

    /// Read until `done(records)` holds and every partition is at its end, or panic after
    /// `timeout` naming `what`.
    pub fn read_until(&mut self, what: &str, timeout: Duration, done: impl Fn(&[Rec]) -> bool) {
        let deadline = Instant::now() + timeout;
        loop {
            if self.at_eof == self.partitions && done(&self.records) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: have {} records",
                self.records.len()
            );
            match self.consumer.poll(Duration::from_millis(200)) {
                None => {}
                Some(Ok(m)) => {
                    self.at_eof.remove(&m.partition());
                    let headers = m
                        .headers()
                        .map(|h| {
                            h.iter()
                                .map(|x| (x.key.to_string(), x.value.unwrap_or_default().to_vec()))
                                .collect()
                        })
                        .unwrap_or_default();
                    self.records.push(Rec {
                        key: m.key().map(<[u8]>::to_vec),
                        value: m.payload().map(<[u8]>::to_vec),
                        headers,
                        partition: m.partition(),
                        offset: m.offset(),
                    });
                }
                Some(Err(KafkaError::PartitionEOF(p))) => {
                    self.at_eof.insert(p);
                }
                Some(Err(e)) => eprintln!("reader: {e}"),
            }
        }
    }

    /// Read what is there now (until every partition is at its end).
    pub fn drain(&mut self, timeout: Duration) {
        self.read_until("the end of the topic", timeout, |_| true);
    }
}

/// `lines` written to `dir/input.jsonl` and run through `redline replay`: (events, revisions).
pub fn replayed(lines: &[String], dir: &Path) -> (Vec<Value>, Vec<Value>) {
    let input = dir.join("input.jsonl");
    write_jsonl(&input, lines);
    replay(&input, dir)
}

/// `redline replay` over a JSONL file: (events, revisions).
pub fn replay(input: &Path, dir: &Path) -> (Vec<Value>, Vec<Value>) {
    let ev = dir.join("replay-events.jsonl");
    let rv = dir.join("replay-revisions.jsonl");
    let out = Command::new(BIN)
        .arg("replay")
        .arg(input)
        .arg("--out")
        .arg(&ev)
        .arg("--revisions")
        .arg(&rv)
        .output()
        .expect("run redline replay");
    assert!(
        out.status.success(),
        "replay failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |p: &Path| -> Vec<Value> {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    (read(&ev), read(&rv))
}

/// An event without the fields that depend on when it was processed.
pub fn strip_event(v: &Value) -> Value {
    let mut v = v.clone();
    v.as_object_mut().unwrap().remove("detected_at");
    v
}

/// Replay's events by event_id (without `detected_at`), and how often each event read from
/// `story.changes` occurred; every event read must equal replay's event of that id.
pub fn count_events_equal_to_replay(
    want_events: &[Value],
    read: &[Rec],
) -> (BTreeMap<String, Value>, BTreeMap<String, usize>) {
    let expected: BTreeMap<String, Value> = want_events
        .iter()
        .map(|e| (e["event_id"].as_str().unwrap().to_string(), strip_event(e)))
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for r in read {
        let e = strip_event(&r.json());
        let id = e["event_id"].as_str().unwrap().to_string();
        assert_eq!(Some(&e), expected.get(&id), "event {id} equals replay's");
        *seen.entry(id).or_default() += 1;
    }
    (expected, seen)
}

/// A revision record without processing time, input coordinates and the hashes that cover them.
pub fn strip_revision(v: &Value) -> Value {
    let mut v = v.clone();
    let o = v.as_object_mut().unwrap();
    for k in ["processed_at", "source", "hash", "prev_hash"] {
        o.remove(k);
    }
    v
}

/// Synthetic but realistic updates: `stories` stories with `versions` versions each, in an
/// interleaved order (story 0 v1, story 1 v1, …). Each version rewrites a figure, adds a
/// sentence, drops the oldest update once there are six (bounded size, so the debug-build
/// engine stays fast), and every few versions adds a quote or changes the headline.
pub fn synthetic(stories: usize, versions: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for v in 1..=versions {
        for s in 0..stories {
            let mut paras = vec![format!(
                "Rescue teams in district {s} have now reached {} families after the floods.",
                v * 7 + s
            )];
            for k in v.saturating_sub(5).max(1)..v {
                paras.push(format!(
                    "Update {k}: officials in district {s} said {} shelters were open on day {k}.",
                    k * 3 + s % 5
                ));
                if k % 4 == 0 {
                    paras.push(format!(
                        "“We will not stop until every house in district {s} is checked,” Mayor Lindqvist{k} said."
                    ));
                }
            }
            let headline = if v % 3 == 0 {
                format!("Floods in district {s}: {} families reached", v * 7 + s)
            } else {
                format!(
                    "Floods in district {s}: rescue continues (day {})",
                    v / 3 + 1
                )
            };
            let rec = serde_json::json!({
                "story_id": format!("synthetic-{s:03}"),
                "version": v,
                "published_at": format!("2025-03-11T{:02}:{:02}:00Z", (v / 60) % 24, v % 60),
                "headline": headline,
                "body": paras.join("\n\n"),
                "source": "redline-test"
            });
            lines.push(rec.to_string());
        }
    }
    lines
}

pub fn write_jsonl(path: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(path, text).unwrap();
}

/// The versions of the first `n` stories of a corpus file that have at least `min_versions`,
/// each story's versions one after the other.
pub fn corpus_stories(file: &str, n: usize, min_versions: usize) -> Vec<String> {
    let text = std::fs::read_to_string(corpus(file)).unwrap();
    let mut by_story: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut order = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap();
        let id = v["story_id"].as_str().unwrap().to_string();
        if !by_story.contains_key(&id) {
            order.push(id.clone());
        }
        by_story.entry(id).or_default().push(line.to_string());
    }
    let chosen: Vec<String> = order
        .into_iter()
        .filter(|id| by_story[id].len() >= min_versions)
        .take(n)
        .collect();
    chosen
        .iter()
        .flat_map(|id| by_story.remove(id).unwrap())
        .collect()
}
