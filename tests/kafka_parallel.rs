//! Behaviour: with the engine running on several worker threads (`processing.workers`), the
//! output is still exactly `redline replay`'s: many stories spread over 6 partitions, read as a
//! backlog so that every chunk holds several stories (run in parallel) and several versions of
//! one story (chained: the second uses the first one's output state, within the chunk).

mod kafka_support;

use kafka_support::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// `key=value` fields of every log line containing `message`.
fn log_fields(log: &str, message: &str) -> Vec<BTreeMap<String, u64>> {
    log.lines()
        .filter(|l| l.contains(message))
        .map(|l| {
            l.split_whitespace()
                .filter_map(|w| {
                    let (k, v) = w.split_once('=')?;
                    Some((k.to_string(), v.parse().ok()?))
                })
                .collect()
        })
        .collect()
}

#[test]
fn parallel_workers_give_replays_events_for_many_stories_over_partitions() {
    let brokers = brokers();
    let dir = tempfile::tempdir().unwrap();
    // Interleaved synthetic stories (story 0 v1, story 1 v1, …) and real stories whose
    // versions follow each other.
    let mut lines = synthetic(30, 6);
    lines.extend(corpus_stories("newsdiffs_se_2017.jsonl", 8, 5));
    lines.extend(corpus_stories("govuk_gitgovuk.jsonl", 6, 4));
    let (want_events, want_revisions) = replayed(&lines, dir.path());
    assert_eq!(want_revisions.len(), lines.len());

    let topics = Topics::new("par");
    topics.create(&brokers, 6);
    let p = producer(&brokers);
    produce(
        &p,
        &topics.versions,
        &lines.iter().map(|l| Input::json(l)).collect::<Vec<_>>(),
    );
    // All input is there before the processor starts: full chunks. More workers than this
    // machine may have cores, so stories really interleave.
    let mut proc = spawn_run(
        &brokers,
        &topics,
        &unique("g"),
        "par-1",
        &[
            ("REDLINE_PROCESSING_WORKERS", "4"),
            ("RUST_LOG", "info,redline::kafka::processor=debug"),
        ],
        dir.path(),
    );
    let mut revisions = Reader::new(&brokers, &topics.revisions);
    revisions.read_until("one revision per input", Duration::from_secs(180), |r| {
        r.len() >= lines.len()
    });
    let mut changes = Reader::new(&brokers, &topics.changes);
    changes.read_until("all events", Duration::from_secs(60), |r| {
        r.len() >= want_events.len()
    });
    let mut state = Reader::new(&brokers, &topics.state);
    state.drain(Duration::from_secs(30));
    let log = proc.shutdown(Duration::from_secs(30));

    // The chunks really ran stories in parallel and chained versions of one story.
    let chunks = log_fields(&log, "chunk processed");
    assert!(!chunks.is_empty(), "no chunk log lines:\n{log}");
    let parallel = chunks.iter().filter(|c| c["threads"] > 1).count();
    let chained: u64 = chunks.iter().map(|c| c["chained"]).sum();
    assert!(parallel > 0, "no chunk ran on several threads: {chunks:?}");
    assert!(
        chained > 0,
        "no chunk chained versions of one story: {chunks:?}"
    );

    let per_story = |evs: &[Value]| {
        let mut m: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for e in evs {
            m.entry(e["story_id"].as_str().unwrap().to_string())
                .or_default()
                .push(e.clone());
        }
        m
    };
    let got: Vec<Value> = changes
        .records
        .iter()
        .map(|r| strip_event(&r.json()))
        .collect();
    let want: Vec<Value> = want_events.iter().map(strip_event).collect();
    assert_eq!(got.len(), want.len(), "event count");
    assert_eq!(
        per_story(&got),
        per_story(&want),
        "events differ from replay"
    );
    let ids: BTreeSet<&str> = got
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), got.len(), "no duplicate event ids");

    let got_rev: Vec<Value> = revisions
        .records
        .iter()
        .map(|r| strip_revision(&r.json()))
        .collect();
    let want_rev: Vec<Value> = want_revisions.iter().map(strip_revision).collect();
    assert_eq!(got_rev.len(), lines.len(), "one revision per input version");
    assert_eq!(
        per_story(&got_rev),
        per_story(&want_rev),
        "revisions differ from replay"
    );
    // Per partition, revisions come out in input order, and each story's hash chain holds.
    let mut last_offset: BTreeMap<i32, i64> = BTreeMap::new();
    let mut last_hash: BTreeMap<String, String> = BTreeMap::new();
    let mut sorted = revisions.records.clone();
    sorted.sort_by_key(|r| (r.partition, r.offset));
    let mut partitions = BTreeSet::new();
    for r in &sorted {
        let v = r.json();
        let part = v["source"]["partition"].as_i64().unwrap() as i32;
        let off = v["source"]["offset"].as_i64().unwrap();
        partitions.insert(part);
        if let Some(&prev) = last_offset.get(&part) {
            assert!(off > prev, "input order within partition {part}");
        }
        last_offset.insert(part, off);
        let id = v["story_id"].as_str().unwrap().to_string();
        let prev = v["prev_hash"].as_str().map(str::to_string);
        assert_eq!(prev, last_hash.get(&id).cloned(), "hash chain of {id}");
        last_hash.insert(id, v["hash"].as_str().unwrap().to_string());
    }
    assert!(partitions.len() > 1, "stories over several partitions");

    // State: the latest record per story is its last version's, on its input partition.
    let mut latest: BTreeMap<String, (i32, u64)> = BTreeMap::new();
    for r in &state.records {
        let s = r.json();
        let id = s["story_id"].as_str().unwrap().to_string();
        latest.insert(id, (r.partition, s["version"].as_u64().unwrap()));
    }
    let mut want_latest: BTreeMap<String, (i32, u64)> = BTreeMap::new();
    for r in &revisions.records {
        let v = r.json();
        let id = v["story_id"].as_str().unwrap().to_string();
        let part = v["source"]["partition"].as_i64().unwrap() as i32;
        let version = v["version"].as_u64().unwrap();
        let e = want_latest.entry(id).or_insert((part, version));
        e.1 = e.1.max(version);
    }
    assert_eq!(latest, want_latest, "latest state per story");
    println!(
        "parallel: {} versions, {} stories over {} partitions, {} events, {} chunks ({} on several threads, {} chained versions), {} state records — identical to replay",
        lines.len(),
        want_latest.len(),
        partitions.len(),
        got.len(),
        chunks.len(),
        parallel,
        chained,
        state.records.len()
    );
}
