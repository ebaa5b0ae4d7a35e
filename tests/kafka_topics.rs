//! Behaviour: `redline run` refuses to start while its topics do not exist, naming the missing
//! topic and the command that creates it (exit 1: a runtime failure, not a usage error), after
//! looking again for a few seconds; topics created within those seconds (by another tool, right
//! after `run` was started) are found, and `run` starts.

mod kafka_support;

use kafka_support::*;
use std::time::Duration;

#[test]
fn run_without_its_topics_exits_naming_the_topic_and_the_fix() {
    let brokers = brokers();
    let dir = tempfile::tempdir().unwrap();
    let topics = Topics::new("missing");
    let group = unique("g");

    let mut proc = spawn_run(&brokers, &topics, &group, "missing", &[], dir.path());
    let status = proc
        .wait_exit(Duration::from_secs(60))
        .expect("run exits when its input topic is missing");
    let log = proc.log_text();
    assert_eq!(status.code(), Some(1), "{log}");
    assert!(
        log.contains(&format!("topic {} does not exist", topics.versions)),
        "names the missing topic: {log}"
    );
    assert!(
        log.contains("redline topics create"),
        "names the fix: {log}"
    );

    topics.create(&brokers, 1);
    let mut proc = spawn_run(&brokers, &topics, &group, "missing", &[], dir.path());
    proc.wait_log("partitions assigned", Duration::from_secs(60));
    proc.shutdown(Duration::from_secs(30));
}

#[test]
fn run_finds_topics_created_just_after_it_started() {
    let brokers = brokers();
    let dir = tempfile::tempdir().unwrap();
    let topics = Topics::new("late");
    let group = unique("g");

    let mut proc = spawn_run(&brokers, &topics, &group, "late", &[], dir.path());
    proc.wait_log("waiting for it to appear", Duration::from_secs(60));
    topics.create(&brokers, 1);
    proc.wait_log("partitions assigned", Duration::from_secs(60));
    proc.shutdown(Duration::from_secs(30));
}
