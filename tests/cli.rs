//! The `redline` binary end to end on files: the example story golden test, bad input lines,
//! exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn redline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_redline"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("REDLINE_BROKERS");
    c
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Events as JSON values without the wall-clock field.
fn events_without_clock(jsonl: &str) -> Vec<serde_json::Value> {
    jsonl
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).expect("event is JSON");
            v.as_object_mut().unwrap().remove("detected_at");
            v
        })
        .collect()
}

#[test]
fn example_story_replay_matches_the_golden_events() {
    let out = redline()
        .args(["replay", "examples/harbour-city-talks.jsonl"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = events_without_clock(&String::from_utf8(out.stdout).unwrap());
    let golden = repo("tests/golden/harbour-city-talks.events.jsonl");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text: String = got.iter().map(|v| format!("{v}\n")).collect();
        std::fs::write(&golden, text).unwrap();
    }
    let want = events_without_clock(&std::fs::read_to_string(&golden).unwrap());
    assert_eq!(
        got.len(),
        want.len(),
        "event count differs from {}",
        golden.display()
    );
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
}

#[test]
fn example_story_gets_the_default_categories() {
    let out = redline()
        .args(["replay", "examples/harbour-city-talks.jsonl"])
        .output()
        .unwrap();
    let events = events_without_clock(&String::from_utf8(out.stdout).unwrap());
    let has = |cat: &str| {
        events
            .iter()
            .any(|e| e["categories"].as_array().unwrap().iter().any(|c| c == cat))
    };
    for cat in [
        "meeting",
        "aid.resumed",
        "ceasefire",
        "casualties",
        "statement",
        "correction",
        "prisoner.release",
    ] {
        assert!(has(cat), "no event with category {cat}");
    }
    let ceasefire = events
        .iter()
        .find(|e| {
            e["categories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == "ceasefire")
        })
        .unwrap();
    assert_eq!(ceasefire["severity"], "high");
    assert!(ceasefire["cameo"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "0871"));
}

#[test]
fn replay_writes_one_revision_per_version_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let good1 = r#"{"story_id":"a","version":1,"headline":"Talks open","body":"Envoys met."}"#;
    let good2 =
        r#"{"story_id":"a","version":2,"headline":"Talks open","body":"Envoys met. Aid resumed."}"#;
    std::fs::write(
        &input,
        format!("{good1}\nnot json\n{{\"story_id\": 5, \"headline\": \"x\"}}\n{good2}\n{good1}\n"),
    )
    .unwrap();
    let revs = dir.path().join("revs.jsonl");
    let out = redline()
        .arg("replay")
        .arg(&input)
        .arg("--revisions")
        .arg(&revs)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("in.jsonl:2: skipped: not_json"), "{stderr}");
    assert!(
        stderr.contains("in.jsonl:3: skipped: wrong_type: field `story_id`"),
        "{stderr}"
    );
    let revisions: Vec<serde_json::Value> = std::fs::read_to_string(&revs)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<&str> = revisions
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["created", "changed", "stale"]);
    assert_eq!(revisions[1]["source"]["line"], 4);
    let events = String::from_utf8(out.stdout).unwrap();
    assert_eq!(events.lines().count(), 2, "story.created + fact.added");
}

#[test]
fn diff_prints_readable_changes_and_json_events() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.txt");
    let new = dir.path().join("new.txt");
    std::fs::write(&old, "At least 8 people were killed.").unwrap();
    std::fs::write(&new, "At least 11 people were killed.").unwrap();
    let out = redline().arg("diff").arg(&old).arg(&new).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("number.changed") && text.contains("8 → 11"),
        "{text}"
    );
    let out = redline()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .arg("--json")
        .output()
        .unwrap();
    let events = events_without_clock(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["kind"], "number.changed");
}

/// Replays the example with `--config cfg`, expects exit 2 and returns stderr.
fn replay_example_exits_2(cfg: &Path) -> String {
    let out = redline()
        .args(["replay", "examples/harbour-city-talks.jsonl", "--config"])
        .arg(cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bad_usage_and_bad_config_exit_2_naming_the_problem() {
    let out = redline().args(["replay"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("redline.toml");
    std::fs::write(&cfg, "[alerts]\nthreshold = \"urgent\"\n").unwrap();
    let stderr = replay_example_exits_2(&cfg);
    assert!(
        stderr.contains("redline.toml") && stderr.contains("alerts.threshold"),
        "{stderr}"
    );

    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[[category]]\nname = \"broken\"\npatterns = [\"(\"]\n",
    )
    .unwrap();
    std::fs::write(
        &cfg,
        format!("[rules]\nfile = {:?}\n", rules.display().to_string()),
    )
    .unwrap();
    let stderr = replay_example_exits_2(&cfg);
    assert!(
        stderr.contains("rules.toml") && stderr.contains("\"broken\""),
        "{stderr}"
    );
}

#[test]
fn a_missing_input_file_is_a_runtime_failure() {
    let out = redline()
        .args(["replay", "no-such-file.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.jsonl"));
}
