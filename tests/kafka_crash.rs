//! Behaviour: crash safety. While 2,000 versions of 50 stories flow in, the processor is killed
//! with SIGKILL at random points (≥ 10 times) and restarted each time.
//! - exactly_once: a read_committed reader sees every expected event exactly once and exactly
//!   one revision record per input version; run with a small in-memory state bound so evicted
//!   stories are re-read from `story.state` after every restore.
//! - at_least_once: every expected event at least once; duplicates only as repeated event_ids
//!   with identical content.

mod kafka_support;

use kafka_support::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

const STORIES: usize = 50;
const VERSIONS: usize = 40;
const KILLS: usize = 10;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn ms(&mut self, lo: u64, hi: u64) -> Duration {
        Duration::from_millis(lo + self.next() % (hi - lo))
    }
}

struct Outcome {
    expected: BTreeMap<String, Value>,
    events: Vec<Value>,
    revisions: Vec<Value>,
    inputs: usize,
}

fn crash_run(guarantee: &str, memory_bound: &str) -> Outcome {
    let brokers = brokers();
    let dir = tempfile::tempdir().unwrap();
    let lines = synthetic(STORIES, VERSIONS);
    assert!(lines.len() >= 2000);
    let (want_events, want_revisions) = replayed(&lines, dir.path());
    assert_eq!(want_revisions.len(), lines.len());
    let expected: BTreeMap<String, Value> = want_events
        .iter()
        .map(|e| (e["event_id"].as_str().unwrap().to_string(), strip_event(e)))
        .collect();
    assert_eq!(
        expected.len(),
        want_events.len(),
        "replay event ids are unique"
    );

    let topics = Topics::new(&format!("crash-{guarantee}"));
    topics.create(&brokers, 4);
    let group = unique("g");
    let instance = format!("crash-{guarantee}");
    // Static membership: a restarted instance takes its partitions back at once instead of
    // waiting for the killed member's session to expire (keeps the test fast).
    let env = [
        ("REDLINE_PROCESSING_GUARANTEE", guarantee),
        ("REDLINE_PROCESSING_BATCH_MAX_RECORDS", "50"),
        ("REDLINE_LIMITS_MAX_STORIES_IN_MEMORY", memory_bound),
        ("REDLINE_KAFKA_CLIENT_GROUP_INSTANCE_ID", instance.as_str()),
        ("REDLINE_KAFKA_CLIENT_SESSION_TIMEOUT_MS", "10000"),
    ];

    // The stream: 2,000 versions in 40 chunks, one every 250 ms, from a background thread.
    let feeder = {
        let brokers = brokers.clone();
        let topic = topics.versions.clone();
        let inputs: Vec<Input> = lines.iter().map(|l| Input::json(l)).collect();
        std::thread::spawn(move || {
            let p = producer(&brokers);
            for chunk in inputs.chunks(50) {
                produce(&p, &topic, chunk);
                std::thread::sleep(Duration::from_millis(250));
            }
        })
    };

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    println!("crash[{guarantee}]: seed {seed}");
    let started = Instant::now();
    for k in 0..KILLS {
        let mut proc = spawn_run(&brokers, &topics, &group, &instance, &env, dir.path());
        proc.wait_log("partitions assigned", Duration::from_secs(60));
        let wait = rng.ms(200, 1500);
        std::thread::sleep(wait);
        proc.sigkill();
        println!(
            "crash[{guarantee}]: kill {} after {:?} of processing",
            k + 1,
            wait
        );
    }
    feeder.join().unwrap();
    let mut last = spawn_run(&brokers, &topics, &group, &instance, &env, dir.path());

    let mut revisions = Reader::new(&brokers, &topics.revisions);
    let mut changes = Reader::new(&brokers, &topics.changes);
    let want_pairs: BTreeSet<(String, u64)> = want_revisions
        .iter()
        .map(|r| {
            (
                r["story_id"].as_str().unwrap().to_string(),
                r["version"].as_u64().unwrap(),
            )
        })
        .collect();
    let pairs = |recs: &[Rec]| -> BTreeSet<(String, u64)> {
        recs.iter()
            .map(|r| {
                let v = r.json();
                (
                    v["story_id"].as_str().unwrap().to_string(),
                    v["version"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    revisions.read_until(
        "a revision for every input",
        Duration::from_secs(300),
        |r| pairs(r).len() >= want_pairs.len(),
    );
    changes.read_until("every expected event", Duration::from_secs(120), |r| {
        r.iter()
            .map(|x| x.json()["event_id"].as_str().unwrap().to_string())
            .collect::<BTreeSet<_>>()
            .len()
            >= expected.len()
    });
    // Let the last batch settle, then read whatever else became visible.
    std::thread::sleep(Duration::from_secs(2));
    changes.drain(Duration::from_secs(30));
    revisions.drain(Duration::from_secs(30));
    last.shutdown(Duration::from_secs(30));
    println!(
        "crash[{guarantee}]: {KILLS} kills, all input processed {:?} after the first start",
        started.elapsed()
    );
    assert_eq!(pairs(&revisions.records), want_pairs);
    Outcome {
        expected,
        events: changes
            .records
            .iter()
            .map(|r| strip_event(&r.json()))
            .collect(),
        revisions: revisions.records.iter().map(|r| r.json()).collect(),
        inputs: lines.len(),
    }
}

/// Every event read must equal replay's event of the same id (a repeat is the same event, never
/// a new one); returns how often each id was read and the number of repeats.
fn count_against_replay(o: &Outcome) -> (BTreeMap<String, usize>, usize) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for e in &o.events {
        let id = e["event_id"].as_str().unwrap().to_string();
        assert_eq!(Some(e), o.expected.get(&id), "event {id} equals replay's");
        *seen.entry(id).or_default() += 1;
    }
    let dups = seen.values().map(|n| n - 1).sum();
    (seen, dups)
}

#[test]
fn exactly_once_survives_repeated_sigkill() {
    let o = crash_run("exactly_once", "20");
    let (seen, dups) = count_against_replay(&o);
    println!(
        "crash[exactly_once]: inputs {}, expected events {}, read_committed events {}, distinct {}, duplicates {}, revisions {}",
        o.inputs,
        o.expected.len(),
        o.events.len(),
        seen.len(),
        dups,
        o.revisions.len()
    );
    assert_eq!(seen.len(), o.expected.len(), "every expected event");
    assert_eq!(dups, 0, "no event twice");
    assert_eq!(o.events.len(), o.expected.len());
    assert_eq!(
        o.revisions.len(),
        o.inputs,
        "exactly one revision record per input version"
    );
    let created = o
        .events
        .iter()
        .filter(|e| e["kind"] == "story.created")
        .count();
    assert_eq!(created, STORIES);
}

#[test]
fn at_least_once_survives_repeated_sigkill_with_only_repeated_event_ids() {
    let o = crash_run("at_least_once", "200000");
    let (seen, dups) = count_against_replay(&o);
    println!(
        "crash[at_least_once]: inputs {}, expected events {}, events read {}, distinct {}, repeated event_ids {}, revisions {}",
        o.inputs,
        o.expected.len(),
        o.events.len(),
        seen.len(),
        dups,
        o.revisions.len()
    );
    assert_eq!(
        seen.len(),
        o.expected.len(),
        "every expected event at least once"
    );
    assert!(o.revisions.len() >= o.inputs);
}
