//! Behaviour: scale-out. Two processes in one group split the input partitions; one is stopped
//! (SIGTERM: commits, leaves the group, exits 0) mid-stream; the other restores the moved
//! partitions' state from `story.state` and carries on. The final event set is exactly the
//! expected one and no `story.created` is re-emitted for stories that already existed.

mod kafka_support;

use kafka_support::*;
use std::time::Duration;

#[test]
fn second_instance_restores_moved_partitions_and_output_stays_exact() {
    let brokers = brokers();
    let dir = tempfile::tempdir().unwrap();
    let stories = 24;
    let versions = 12;
    let lines = synthetic(stories, versions);
    let input = dir.path().join("input.jsonl");
    write_jsonl(&input, &lines);
    let (want_events, _) = replay(&input, dir.path());

    let topics = Topics::new("scale");
    topics.create(&brokers, 4);
    let group = unique("g");
    let mut a = spawn_run(&brokers, &topics, &group, "scale-a", &[], dir.path());
    a.wait_log("partitions assigned", Duration::from_secs(60));
    let mut b = spawn_run(&brokers, &topics, &group, "scale-b", &[], dir.path());
    b.wait_log("partitions assigned", Duration::from_secs(60));

    // First half of every story's versions, processed by both instances together.
    let half = lines.len() / 2;
    let inputs: Vec<Input> = lines.iter().map(|l| Input::json(l)).collect();
    let p = producer(&brokers);
    produce(&p, &topics.versions, &inputs[..half]);
    let mut revisions = Reader::new(&brokers, &topics.revisions);
    revisions.read_until("first half processed", Duration::from_secs(120), |r| {
        r.len() >= half
    });
    let a_log = a.log_text();
    let b_log = b.log_text();
    assert!(
        a_log.contains("partitions revoked") || b_log.contains("partitions revoked"),
        "the two instances split the partitions"
    );

    // Stop A mid-stream (more input is arriving) — B must take A's partitions over.
    produce(&p, &topics.versions, &inputs[half..half + stories]);
    a.shutdown(Duration::from_secs(60));
    produce(&p, &topics.versions, &inputs[half + stories..]);
    revisions.read_until("all input processed", Duration::from_secs(180), |r| {
        r.len() >= lines.len()
    });
    let mut changes = Reader::new(&brokers, &topics.changes);
    changes.read_until("all events", Duration::from_secs(60), |r| {
        r.len() >= want_events.len()
    });
    std::thread::sleep(Duration::from_secs(1));
    changes.drain(Duration::from_secs(30));
    revisions.drain(Duration::from_secs(30));
    let b_log = b.shutdown(Duration::from_secs(60));
    let restored_lines: Vec<&str> = b_log
        .lines()
        .filter(|l| l.contains("partitions assigned; state restored"))
        .collect();
    assert!(
        restored_lines.len() >= 2,
        "B restored state on the takeover:\n{b_log}"
    );
    println!("scale: B's restores: {restored_lines:#?}");

    let (expected, seen) = count_events_equal_to_replay(&want_events, &changes.records);
    let created = changes
        .records
        .iter()
        .filter(|r| r.json()["kind"] == "story.created")
        .count();
    println!(
        "scale: {} inputs, {} expected events, {} read, {} distinct, {} story.created for {} stories, {} revisions",
        lines.len(),
        expected.len(),
        changes.records.len(),
        seen.len(),
        created,
        stories,
        revisions.records.len()
    );
    assert_eq!(seen.len(), expected.len());
    assert_eq!(changes.records.len(), expected.len(), "no duplicates");
    assert_eq!(
        created, stories,
        "no story.created re-emitted after the takeover"
    );
    assert_eq!(revisions.records.len(), lines.len());
}
