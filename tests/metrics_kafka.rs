//! /metrics, /healthz and /readyz of the real `redline run` binary against the real test
//! broker: counters and histograms move with the input (by kind, category, status and error
//! kind), and /readyz says ready only after partitions are assigned and their state restored.

mod kafka_support;

use kafka_support::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The address `run` logged for its metrics server (it was started with 127.0.0.1:0).
fn metrics_addr(p: &mut Proc) -> String {
    p.wait_log("serving /metrics", Duration::from_secs(30));
    let log = p.log_text();
    let at = log.find("addr=Some(").expect("metrics address in the log") + "addr=Some(".len();
    let end = log[at..].find(')').unwrap();
    log[at..at + end].to_string()
}

/// GET `path`: (status code, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect to the metrics server");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").as_bytes())
        .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let code = resp.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = resp
        .split_once("\r\n\r\n")
        .map(|x| x.1)
        .unwrap_or("")
        .to_string();
    (code, body)
}

/// The value of one sample (`name` including labels), 0 when absent.
fn sample(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

/// Scrape until `versions_total` reaches `n` (or panic with the last scrape).
fn scrape_until_versions(addr: &str, n: f64) -> String {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let (code, body) = get(addr, "/metrics");
        assert_eq!(code, 200);
        if sample(&body, "redline_versions_total") >= n
            && sample(&body, "redline_end_to_end_latency_seconds_count") >= n
        {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "versions_total never reached {n}:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn metrics_move_with_the_input_and_readyz_waits_for_state_restore() {
    let brokers = brokers();
    let topics = Topics::new("metrics");
    topics.create(&brokers, 2);
    let group = unique("metrics-group");
    let logs = tempfile::tempdir().unwrap();
    let producer = producer(&brokers);

    // Round 1: 3 stories × 4 versions, plus one record that is not JSON.
    let all = synthetic(3, 6);
    let round1: Vec<Input> = all[..12].iter().map(|l| Input::json(l)).collect();
    produce(&producer, &topics.versions, &round1);
    produce(
        &producer,
        &topics.versions,
        &[Input {
            key: Some(b"synthetic-000".to_vec()),
            value: Some(b"this is not json".to_vec()),
            headers: Vec::new(),
        }],
    );

    let mut a = spawn_run(&brokers, &topics, &group, "metrics-a", &[], logs.path());
    let addr = metrics_addr(&mut a);
    assert_eq!(get(&addr, "/healthz").0, 200);
    let m = scrape_until_versions(&addr, 12.0);
    assert_eq!(sample(&m, "redline_versions_total"), 12.0, "{m}");
    assert_eq!(
        sample(&m, "redline_events_total{kind=\"story.created\"}"),
        3.0,
        "{m}"
    );
    assert_eq!(
        sample(&m, "redline_revisions_total{status=\"created\"}"),
        3.0,
        "{m}"
    );
    assert_eq!(
        sample(&m, "redline_revisions_total{status=\"changed\"}"),
        9.0,
        "{m}"
    );
    assert_eq!(
        sample(&m, "redline_dead_letters_total{kind=\"not_json\"}"),
        1.0,
        "{m}"
    );
    assert!(
        sample(&m, "redline_events_total{kind=\"number.changed\"}") > 0.0,
        "{m}"
    );
    assert!(
        m.lines()
            .any(|l| l.starts_with("redline_event_categories_total{") && !l.ends_with(" 0")),
        "{m}"
    );
    // No quote yet: the synthetic stories quote the mayor from version 5 on.
    assert_eq!(
        sample(&m, "redline_events_total{kind=\"quote.added\"}"),
        0.0,
        "{m}"
    );
    assert_eq!(sample(&m, "redline_engine_seconds_count"), 12.0, "{m}");
    assert_eq!(
        sample(&m, "redline_end_to_end_latency_seconds_count"),
        12.0,
        "{m}"
    );
    assert!(
        sample(&m, "redline_transaction_commit_seconds_count") >= 1.0,
        "{m}"
    );
    assert_eq!(sample(&m, "redline_stories_in_memory"), 3.0, "{m}");
    assert!(sample(&m, "redline_state_bytes") > 0.0, "{m}");
    assert_eq!(sample(&m, "redline_assigned_partitions"), 2.0, "{m}");
    assert_eq!(sample(&m, "redline_ready"), 1.0, "{m}");
    // Per-partition lag appears (a second after the records) and is zero once caught up.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, m) = get(&addr, "/metrics");
        let lags: Vec<&str> = m
            .lines()
            .filter(|l| l.starts_with("redline_consumer_lag{partition="))
            .collect();
        if lags.len() == 2 && lags.iter().all(|l| l.ends_with(" 0")) {
            break;
        }
        assert!(Instant::now() < deadline, "lag gauge never settled:\n{m}");
        std::thread::sleep(Duration::from_millis(300));
    }
    let events1: f64 = m
        .lines()
        .filter(|l| l.starts_with("redline_events_total{"))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum();

    // Round 2: two more versions of each story; the counters follow.
    let round2: Vec<Input> = all[12..].iter().map(|l| Input::json(l)).collect();
    produce(&producer, &topics.versions, &round2);
    let m = scrape_until_versions(&addr, 18.0);
    assert_eq!(sample(&m, "redline_versions_total"), 18.0, "{m}");
    assert_eq!(
        sample(&m, "redline_events_total{kind=\"story.created\"}"),
        3.0,
        "{m}"
    );
    assert_eq!(
        sample(&m, "redline_revisions_total{status=\"changed\"}"),
        15.0,
        "{m}"
    );
    assert!(
        sample(&m, "redline_events_total{kind=\"quote.added\"}") >= 3.0,
        "{m}"
    );
    assert!(
        sample(&m, "redline_event_categories_total{category=\"statement\"}") >= 3.0,
        "{m}"
    );
    let events2: f64 = m
        .lines()
        .filter(|l| l.starts_with("redline_events_total{"))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert!(
        events2 > events1,
        "events did not move: {events1} -> {events2}"
    );
    // No story id ever becomes a label.
    assert!(
        !m.contains("synthetic-0"),
        "a story id leaked into a label:\n{m}"
    );
    a.sigterm();
    assert!(a
        .wait_exit(Duration::from_secs(60))
        .is_some_and(|s| s.success()));

    // A new instance: not ready until its partitions are assigned and their state restored.
    let mut b = spawn_run(&brokers, &topics, &group, "metrics-b", &[], logs.path());
    let addr = metrics_addr(&mut b);
    let mut saw_not_ready = false;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (code, _) = get(&addr, "/readyz");
        if code == 200 {
            // Ready is set after the restore completes and is logged: never before.
            assert!(
                b.log_text().contains("partitions assigned; state restored"),
                "ready before the state was restored:\n{}",
                b.log_text()
            );
            break;
        }
        assert_eq!(code, 503);
        saw_not_ready = true;
        assert!(Instant::now() < deadline, "never ready:\n{}", b.log_text());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        saw_not_ready,
        "/readyz was ready before the group was even joined"
    );
    let (_, m) = get(&addr, "/metrics");
    assert!(
        sample(&m, "redline_state_records_restored_total") >= 3.0,
        "{m}"
    );
    assert_eq!(sample(&m, "redline_stories_in_memory"), 3.0, "{m}");
    b.sigterm();
    assert!(b
        .wait_exit(Duration::from_secs(60))
        .is_some_and(|s| s.success()));
}
