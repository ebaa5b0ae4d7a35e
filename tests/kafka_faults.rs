//! Behaviour: at_least_once when the broker refuses what the processor produces. Errors are
//! injected with librdkafka's mock cluster (`rdkafka::mocking`), which fails the next produce
//! requests on demand; no claim here needs a real broker's transactions.
//!
//! - A failed acknowledgement rolls back: the batch is read again and processed, nothing is lost.
//! - A fatal producer error (the idempotent producer out of step with the broker) cannot be
//!   rolled back, since every later send fails too: `run` exits 1, and the next instance of the
//!   group processes the input the failed one did not commit.
//! - An offset commit the broker refuses for good (the group not authorised) is not retried
//!   forever while the partitions are held: `run` exits 1 naming the error, and the next
//!   instance processes what was not committed.

mod kafka_support;

use kafka_support::*;
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{DefaultProducerContext, Producer};
use rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};
use std::collections::BTreeSet;
use std::time::Duration;

const ALO: [(&str, &str); 1] = [("REDLINE_PROCESSING_GUARANTEE", "at_least_once")];

/// A mock cluster with the processor's topics, and the input already in it.
fn cluster_with_input(
    name: &str,
    lines: &[String],
) -> (MockCluster<'static, DefaultProducerContext>, Topics) {
    let mock = MockCluster::new(1).expect("mock cluster");
    let topics = Topics::new(name);
    for (_, topic) in topics.env() {
        mock.create_topic(&topic, 2, 1).expect("mock topic");
    }
    let inputs: Vec<Input> = lines.iter().map(|l| Input::json(l)).collect();
    let p = producer(&mock.bootstrap_servers());
    produce(&p, &topics.versions, &inputs);
    p.flush(Duration::from_secs(10)).unwrap();
    (mock, topics)
}

/// The revisions read back must cover every input (story, version) at least once.
fn assert_every_input_revised(revisions: &Reader, lines: &[String]) {
    let want: BTreeSet<(String, u64)> = lines
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["story_id"].as_str().unwrap().to_string(),
                v["version"].as_u64().unwrap(),
            )
        })
        .collect();
    let got: BTreeSet<(String, u64)> = revisions
        .records
        .iter()
        .map(|r| {
            let v = r.json();
            (
                v["story_id"].as_str().unwrap().to_string(),
                v["version"].as_u64().unwrap(),
            )
        })
        .collect();
    let missing: Vec<_> = want.difference(&got).collect();
    assert!(missing.is_empty(), "inputs never revised: {missing:?}");
}

#[test]
fn at_least_once_rolls_back_a_batch_whose_outputs_are_refused_and_loses_nothing() {
    let lines = synthetic(4, 3);
    let (mock, topics) = cluster_with_input("refused", &lines);
    let brokers = mock.bootstrap_servers();
    // The processor's first produce requests are refused: their records are never
    // acknowledged (a permanent error, so librdkafka does not retry them).
    mock.request_errors(
        RDKafkaApiKey::Produce,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED; 2],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut proc = spawn_run(
        &brokers,
        &topics,
        &unique("g"),
        "refused-1",
        &ALO,
        dir.path(),
    );
    let mut revisions = Reader::new(&brokers, &topics.revisions);
    revisions.read_until("every input revised", Duration::from_secs(120), |r| {
        r.len() >= lines.len()
    });
    assert_every_input_revised(&revisions, &lines);
    let log = proc.shutdown(Duration::from_secs(60));
    assert!(
        log.contains("batch failed; re-processing it"),
        "the refused batch was rolled back:\n{log}"
    );
}

#[test]
fn at_least_once_exits_on_a_fatal_producer_error_and_the_next_instance_loses_nothing() {
    let lines = synthetic(4, 3);
    let (mock, topics) = cluster_with_input("fatal", &lines);
    let brokers = mock.bootstrap_servers();
    // The processor's first produce request is answered as if its sequence numbers were out of
    // step with the broker's: librdkafka raises a fatal error on the idempotent producer.
    mock.request_errors(
        RDKafkaApiKey::Produce,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER],
    );
    let dir = tempfile::tempdir().unwrap();
    let group = unique("g");
    let mut first = spawn_run(&brokers, &topics, &group, "fatal-1", &ALO, dir.path());
    // Generous: this bounds a hang (re-reading the batch forever), it does not time the exit.
    let status = first.wait_exit(Duration::from_secs(120));
    let log = first.log_text();
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(1),
        "run exits 1 on a fatal producer error:\n{log}"
    );
    assert!(
        log.contains("fatal producer error"),
        "the cause is logged:\n{log}"
    );

    let mut second = spawn_run(&brokers, &topics, &group, "fatal-2", &ALO, dir.path());
    let mut revisions = Reader::new(&brokers, &topics.revisions);
    revisions.read_until("every input revised", Duration::from_secs(120), |r| {
        r.len() >= lines.len()
    });
    assert_every_input_revised(&revisions, &lines);
    second.shutdown(Duration::from_secs(60));
}

#[test]
fn at_least_once_exits_when_the_offset_commit_is_refused_for_good_and_the_next_instance_loses_nothing(
) {
    let lines = synthetic(4, 3);
    let (mock, topics) = cluster_with_input("commit", &lines);
    let brokers = mock.bootstrap_servers();
    // Every offset commit is refused as unauthorised, as with a missing group ACL: retrying
    // cannot help. (More errors than any retry loop would use up in the test's time.)
    mock.request_errors(
        RDKafkaApiKey::OffsetCommit,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED; 1000],
    );
    let dir = tempfile::tempdir().unwrap();
    let group = unique("g");
    let mut first = spawn_run(&brokers, &topics, &group, "commit-1", &ALO, dir.path());
    // Generous: this bounds a hang (retrying the commit forever), it does not time the exit.
    let status = first.wait_exit(Duration::from_secs(45));
    let log = first.log_text();
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(1),
        "run exits 1 when the offset commit is refused for good:\n{log}"
    );
    assert!(
        log.contains("cannot commit the consumed offsets")
            && log.contains("Group authorization failed"),
        "the cause is logged:\n{log}"
    );
    assert_eq!(
        log.matches("offset commit failed; retrying").count(),
        0,
        "a permanent error is not retried:\n{log}"
    );

    // The group is authorised again: the next instance commits, and nothing is lost.
    mock.clear_request_errors(RDKafkaApiKey::OffsetCommit);
    let mut second = spawn_run(&brokers, &topics, &group, "commit-2", &ALO, dir.path());
    let mut revisions = Reader::new(&brokers, &topics.revisions);
    revisions.read_until("every input revised", Duration::from_secs(60), |r| {
        r.len() >= lines.len()
    });
    assert_every_input_revised(&revisions, &lines);
    let log = second.shutdown(Duration::from_secs(60));
    assert!(
        !log.contains("offset commit failed"),
        "the next instance commits:\n{log}"
    );
}
