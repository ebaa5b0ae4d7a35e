//! Behaviour: the same input produced to `story.versions` yields on `story.changes` exactly the
//! events `redline replay` yields (same core behind both adapters), one revision record per input
//! version on `story.revisions`, alerts = the high-severity events, and state on the input
//! record's partition number. Input: the example story (when present) and real corpus stories.
//! Run twice: with the defaults (exactly-once), and at-least-once with tiny batches and room for
//! only two stories in memory, where each closed batch's acknowledgements arrive while the next
//! batch already changes the same stories, and committed stories are evicted and re-read.

mod kafka_support;

use kafka_support::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

#[test]
fn kafka_output_equals_replay_for_example_and_corpus_stories() {
    equals_replay("equiv", &[]);
}

#[test]
fn at_least_once_with_tiny_batches_and_evictions_equals_replay() {
    equals_replay(
        "equiv-alo",
        &[
            ("REDLINE_PROCESSING_GUARANTEE", "at_least_once"),
            ("REDLINE_PROCESSING_BATCH_MAX_RECORDS", "3"),
            ("REDLINE_LIMITS_MAX_STORIES_IN_MEMORY", "2"),
        ],
    );
}

fn equals_replay(name: &str, env: &[(&str, &str)]) {
    let brokers = brokers();
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    let example = repo().join("examples/harbour-city-talks.jsonl");
    if example.exists() {
        lines.extend(
            std::fs::read_to_string(&example)
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        );
    } else {
        eprintln!(
            "note: {} not present yet; corpus stories only",
            example.display()
        );
    }
    lines.extend(corpus_stories("newsdiffs_se_2017.jsonl", 4, 6));
    lines.extend(corpus_stories("govuk_gitgovuk.jsonl", 2, 4));
    let (want_events, want_revisions) = replayed(&lines, dir.path());
    assert_eq!(want_revisions.len(), lines.len());

    let topics = Topics::new(name);
    topics.create(&brokers, 3);
    let p = producer(&brokers);
    produce(
        &p,
        &topics.versions,
        &lines.iter().map(|l| Input::json(l)).collect::<Vec<_>>(),
    );
    let mut proc = spawn_run(&brokers, &topics, &unique("g"), name, env, dir.path());

    let mut revisions = Reader::new(&brokers, &topics.revisions);
    revisions.read_until("one revision per input", Duration::from_secs(120), |r| {
        r.len() >= lines.len()
    });
    let mut changes = Reader::new(&brokers, &topics.changes);
    changes.read_until("all events", Duration::from_secs(60), |r| {
        r.len() >= want_events.len()
    });
    let mut alerts = Reader::new(&brokers, &topics.alerts);
    alerts.drain(Duration::from_secs(30));
    let mut state = Reader::new(&brokers, &topics.state);
    state.drain(Duration::from_secs(30));
    proc.shutdown(Duration::from_secs(30));

    // Events: the same set, and per story in the same order, as replay.
    let got: Vec<Value> = changes
        .records
        .iter()
        .map(|r| strip_event(&r.json()))
        .collect();
    let want: Vec<Value> = want_events.iter().map(strip_event).collect();
    let per_story = |evs: &[Value]| {
        let mut m: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for e in evs {
            m.entry(e["story_id"].as_str().unwrap().to_string())
                .or_default()
                .push(e.clone());
        }
        m
    };
    assert_eq!(got.len(), want.len(), "event count");
    assert_eq!(
        per_story(&got),
        per_story(&want),
        "events differ from replay"
    );
    for r in &changes.records {
        assert_eq!(
            r.key.as_deref(),
            r.json()["story_id"].as_str().map(str::as_bytes),
            "key = story_id"
        );
    }

    // Revisions: one per input, equal to replay's apart from time, source and hash chain.
    let got_rev: Vec<Value> = revisions
        .records
        .iter()
        .map(|r| strip_revision(&r.json()))
        .collect();
    let want_rev: Vec<Value> = want_revisions.iter().map(strip_revision).collect();
    assert_eq!(
        got_rev.len(),
        lines.len(),
        "one revision record per input version"
    );
    assert_eq!(
        per_story(&got_rev),
        per_story(&want_rev),
        "revisions differ from replay"
    );
    // Kafka coordinates are recorded, and the hash chain links each story's records.
    let mut last_hash: BTreeMap<String, String> = BTreeMap::new();
    let mut sorted = revisions.records.clone();
    sorted.sort_by_key(|r| (r.partition, r.offset));
    for r in &sorted {
        let v = r.json();
        assert_eq!(v["source"]["topic"], Value::from(topics.versions.clone()));
        assert!(v["source"]["offset"].is_i64());
        let id = v["story_id"].as_str().unwrap().to_string();
        let prev = v["prev_hash"].as_str().map(str::to_string);
        assert_eq!(prev, last_hash.get(&id).cloned(), "hash chain of {id}");
        last_hash.insert(id, v["hash"].as_str().unwrap().to_string());
    }

    // Alerts: exactly the high-severity events.
    let want_alerts: BTreeSet<String> = got
        .iter()
        .filter(|e| e["severity"] == "high")
        .map(|e| e["event_id"].as_str().unwrap().to_string())
        .collect();
    let got_alerts: BTreeSet<String> = alerts
        .records
        .iter()
        .map(|r| r.json()["event_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(alerts.records.len(), want_alerts.len());
    assert_eq!(got_alerts, want_alerts);

    // State: written to the input record's partition, latest per story = last version.
    let mut input_partition: BTreeMap<String, i32> = BTreeMap::new();
    for r in &revisions.records {
        let v = r.json();
        input_partition.insert(
            v["story_id"].as_str().unwrap().into(),
            v["source"]["partition"].as_i64().unwrap() as i32,
        );
    }
    for r in &state.records {
        let id = String::from_utf8(r.key.clone().unwrap()).unwrap();
        assert_eq!(
            r.partition, input_partition[&id],
            "state of {id} on its input partition"
        );
    }
    println!(
        "equivalence[{name}]: {} input versions, {} stories, {} events, {} alerts, {} revisions, {} state records — identical to replay",
        lines.len(),
        input_partition.len(),
        got.len(),
        got_alerts.len(),
        got_rev.len(),
        state.records.len()
    );
}
