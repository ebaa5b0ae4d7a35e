//! Behaviour: a SIGTERM that arrives while `run` restores a newly assigned partition's state
//! from `story.state` is a graceful shutdown (DESIGN §6: exit 0), not a failure. The partition
//! whose restore was interrupted is left unprocessed: no output for its input, no offset
//! committed for it; the next owner restores it and processes the input.

mod kafka_support;

use kafka_support::*;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use redline::model::StoryState;
use std::time::{Duration, Instant};

/// Big state records (valid ones: every record is decoded), so the restore takes seconds.
fn big_states(stories: usize) -> Vec<Input> {
    let paragraph = "Rescue teams reached the flooded district overnight. ".repeat(400);
    (0..stories)
        .map(|s| {
            let state = StoryState {
                format: StoryState::FORMAT,
                story_id: format!("restore-{s}"),
                version: 1,
                content_hash: "0".repeat(64),
                headline: format!("Floods, part {s}"),
                paragraphs: vec![paragraph.clone(); 20],
                published_at: None,
                last_revision_hash: "0".repeat(64),
            };
            Input {
                key: Some(state.story_id.clone().into_bytes()),
                value: Some(serde_json::to_vec(&state).unwrap()),
                headers: Vec::new(),
            }
        })
        .collect()
}

fn committed(brokers: &str, group: &str, topic: &str) -> Offset {
    let c: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .create()
        .expect("offsets client");
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition(topic, 0);
    let got = c
        .committed_offsets(tpl, Duration::from_secs(10))
        .expect("committed offsets");
    got.elements()[0].offset()
}

#[test]
fn sigterm_while_restoring_state_exits_0_and_leaves_the_partition_unprocessed() {
    let brokers = brokers();
    let dir = tempfile::tempdir().unwrap();
    let topics = Topics::new("restore");
    topics.create(&brokers, 1);
    let group = unique("g");
    let p = producer(&brokers);
    let t = Instant::now();
    produce(&p, &topics.state, &big_states(600));
    println!("restore: produced state in {:?}", t.elapsed());
    let lines = synthetic(2, 2);
    let inputs: Vec<Input> = lines.iter().map(|l| Input::json(l)).collect();
    produce(&p, &topics.versions, &inputs);

    let mut a = spawn_run(&brokers, &topics, &group, "restore-a", &[], dir.path());
    a.wait_log("restoring state", Duration::from_secs(60));
    let log = a.shutdown(Duration::from_secs(60));
    assert!(
        !log.contains("partitions assigned; state restored"),
        "the SIGTERM landed during the restore:\n{log}"
    );
    assert!(log.contains("state restore interrupted"), "{log}");
    assert_eq!(
        committed(&brokers, &group, &topics.versions),
        Offset::Invalid,
        "no offset committed for the unrestored partition"
    );
    let mut revisions = Reader::new(&brokers, &topics.revisions);
    revisions.drain(Duration::from_secs(30));
    assert!(revisions.records.is_empty(), "no output for its input");

    // The next owner restores the partition and processes the input.
    let t = Instant::now();
    let mut b = spawn_run(&brokers, &topics, &group, "restore-b", &[], dir.path());
    b.wait_log(
        "partitions assigned; state restored",
        Duration::from_secs(120),
    );
    println!("restore: B started and restored in {:?}", t.elapsed());
    revisions.read_until("all input processed", Duration::from_secs(60), |r| {
        r.len() >= lines.len()
    });
    let b_log = b.shutdown(Duration::from_secs(60));
    let lines_of = |log: &str, needle: &str| -> Vec<String> {
        log.lines()
            .filter(|l| l.contains(needle))
            .map(str::to_string)
            .collect()
    };
    println!(
        "restore: A {:#?}\nB {:#?}",
        lines_of(&log, "restor"),
        lines_of(&b_log, "restor")
    );
    assert_eq!(revisions.records.len(), lines.len());
}
