//! Behaviour: bad input mid-stream (non-JSON, wrong types, missing story_id, oversize, invalid
//! UTF-8) lands in `story.dlq` with the original key/value/headers and reason headers, and the
//! valid records around it are processed — in the same transactions (exactly-once).

mod kafka_support;

use kafka_support::*;
use std::collections::BTreeMap;
use std::time::Duration;

#[test]
fn bad_input_goes_to_dlq_with_reason_and_stream_continues() {
    let brokers = brokers();
    let dir = tempfile::tempdir().unwrap();
    let topics = Topics::new("dlq");
    topics.create(&brokers, 2);

    let v1 = r#"{"story_id":"dlq-story","version":1,"headline":"Port reopens after storm","body":"The port reopened on Monday."}"#;
    let v2 = r#"{"story_id":"dlq-story","version":2,"headline":"Port reopens after storm","body":"The port reopened on Monday.\n\nOfficials said 12 ships were waiting."}"#;
    let v3 = r#"{"story_id":"dlq-story","version":3,"headline":"Port reopens after storm","body":"The port reopened on Monday.\n\nOfficials said 14 ships were waiting."}"#;
    let big = format!(
        r#"{{"story_id":"dlq-story","version":9,"headline":"Huge","body":"{}"}}"#,
        "x".repeat(5000)
    );
    let bad: Vec<(&str, Input)> = vec![
        (
            "not_json",
            Input {
                key: Some(b"dlq-story".to_vec()),
                value: Some(b"this is not json {".to_vec()),
                headers: vec![("trace-id".into(), b"abc-123".to_vec())],
            },
        ),
        (
            "wrong_type",
            Input {
                key: Some(b"dlq-story".to_vec()),
                value: Some(br#"{"story_id":"dlq-story","version":"two","headline":"H"}"#.to_vec()),
                headers: vec![],
            },
        ),
        (
            "missing_field",
            Input {
                key: Some(b"dlq-story".to_vec()),
                value: Some(br#"{"version":3,"headline":"No id"}"#.to_vec()),
                headers: vec![],
            },
        ),
        (
            "oversize",
            Input {
                key: Some(b"dlq-story".to_vec()),
                value: Some(big.into_bytes()),
                headers: vec![],
            },
        ),
        (
            "invalid_utf8",
            Input {
                key: Some(b"dlq-story".to_vec()),
                value: Some(b"{\"story_id\":\"dlq-story\",\"headline\":\"caf\xe9\"}".to_vec()),
                headers: vec![],
            },
        ),
    ];
    let mut inputs = vec![Input::json(v1)];
    inputs.push(bad[0].1.clone());
    inputs.push(bad[1].1.clone());
    inputs.push(Input::json(v2));
    inputs.push(bad[2].1.clone());
    inputs.push(bad[3].1.clone());
    inputs.push(bad[4].1.clone());
    inputs.push(Input::json(v3));

    let p = producer(&brokers);
    produce(&p, &topics.versions, &inputs);
    let mut proc = spawn_run(
        &brokers,
        &topics,
        &unique("g"),
        "dlq-1",
        &[("REDLINE_LIMITS_MAX_INPUT_BYTES", "4096")],
        dir.path(),
    );

    let mut dlq = Reader::new(&brokers, &topics.dlq);
    dlq.read_until("5 dead letters", Duration::from_secs(90), |r| r.len() >= 5);
    let mut revisions = Reader::new(&brokers, &topics.revisions);
    revisions.read_until("3 revisions", Duration::from_secs(60), |r| r.len() >= 3);
    let mut changes = Reader::new(&brokers, &topics.changes);
    changes.drain(Duration::from_secs(30));
    proc.shutdown(Duration::from_secs(30));

    assert_eq!(dlq.records.len(), 5, "exactly the five bad records");
    let by_kind: BTreeMap<String, &Rec> = dlq
        .records
        .iter()
        .map(|r| (r.header("redline.error.kind").expect("kind header"), r))
        .collect();
    for (kind, input) in &bad {
        let r = by_kind
            .get(*kind)
            .unwrap_or_else(|| panic!("no dead letter of kind {kind}"));
        assert_eq!(r.value, input.value, "{kind}: original bytes kept");
        assert_eq!(r.key, input.key, "{kind}: original key kept");
        assert_eq!(
            r.header("redline.source.topic").as_deref(),
            Some(topics.versions.as_str())
        );
        assert!(r
            .header("redline.source.partition")
            .unwrap()
            .parse::<i32>()
            .is_ok());
        assert!(r
            .header("redline.source.offset")
            .unwrap()
            .parse::<i64>()
            .is_ok());
        let msg = r.header("redline.error.message").unwrap();
        assert!(!msg.is_empty(), "{kind}: readable reason");
        println!(
            "dlq: {kind:<14} offset {} — {msg}",
            r.header("redline.source.offset").unwrap()
        );
    }
    assert_eq!(
        by_kind["not_json"].header("trace-id").as_deref(),
        Some("abc-123"),
        "original headers kept"
    );
    assert!(by_kind["missing_field"]
        .header("redline.error.message")
        .unwrap()
        .contains("story_id"));

    // The valid versions around the bad ones were processed in order.
    let statuses: Vec<(u64, String)> = revisions
        .records
        .iter()
        .map(|r| {
            let v = r.json();
            (
                v["version"].as_u64().unwrap(),
                v["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(statuses.len(), 3);
    assert_eq!(statuses[0], (1, "created".into()));
    assert_eq!(statuses[1].0, 2);
    assert_eq!(statuses[2].0, 3);
    let kinds: Vec<String> = changes
        .records
        .iter()
        .map(|r| r.json()["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(kinds.contains(&"story.created".to_string()));
    assert!(
        kinds
            .iter()
            .any(|k| k == "number.changed" || k == "fact.changed"),
        "{kinds:?}"
    );
    println!(
        "dlq: 5 dead letters, 3 valid versions processed, {} events",
        kinds.len()
    );
}
