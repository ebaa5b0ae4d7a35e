//! Behaviour: `redline run` refuses to start while its topics do not exist, naming the missing
//! topic and the command that creates it (exit 1: a runtime failure, not a usage error); once
//! `redline topics create` has run, the same command starts and gets its partitions.

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
