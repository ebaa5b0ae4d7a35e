//! Both real story files of `../shared/corpus` (Swedish NewsDiffs captures and GOV.UK pages,
//! ~3,100 versions) through the engine and through the JSONL replay pipeline. Only structural
//! properties are checked (nothing about how many events of which kind), so the test holds while
//! the detection rules improve:
//!
//! - every line is a valid version (`parse_version` accepts it; replay rejects none);
//! - one revision record per version, for that story and version, with a verifiable hash chain;
//! - a story's first version gives exactly one `story.created`; no later version does;
//! - every event's ids, versions and before/after fields are consistent (DESIGN §3);
//! - `event_id`s are unique, and two runs (engine loop, replay pipeline) give the same output.
//!
//! The corpus is found at `$REDLINE_CORPUS_DIR` or `../shared/corpus` next to the crate. Without
//! it the test fails, unless `REDLINE_SKIP_CORPUS=1` says to skip it on purpose.

use redline::engine::{revision_hash, Engine};
use redline::input::{parse_version, DEFAULT_MAX_INPUT_BYTES};
use redline::model::{ChangeEvent, Kind, Origin, RevisionRecord, RevisionStatus, StoryState};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

const NOW: &str = "2026-11-27T12:00:00Z";

fn corpus_file(name: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("REDLINE_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    let path = dir.join(name);
    if path.is_file() {
        return Some(path);
    }
    if std::env::var("REDLINE_SKIP_CORPUS").as_deref() == Ok("1") {
        eprintln!(
            "SKIPPED: {} not found and REDLINE_SKIP_CORPUS=1",
            path.display()
        );
        return None;
    }
    panic!(
        "corpus file {} not found: set REDLINE_CORPUS_DIR, or REDLINE_SKIP_CORPUS=1 to skip",
        path.display()
    );
}

struct Run {
    /// (story_id, version) of each input line, in order.
    inputs: Vec<(String, u64)>,
    events: Vec<ChangeEvent>,
    revisions: Vec<RevisionRecord>,
}

/// Run 1: the engine called directly, a fixed clock, state kept per story.
fn engine_run(bytes: &[u8], name: &str) -> Run {
    let engine = Engine::with_defaults();
    let mut states: HashMap<String, StoryState> = HashMap::new();
    let mut run = Run {
        inputs: Vec::new(),
        events: Vec::new(),
        revisions: Vec::new(),
    };
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let v = parse_version(line, DEFAULT_MAX_INPUT_BYTES)
            .unwrap_or_else(|e| panic!("{name}:{}: valid version rejected: {e}", i + 1));
        let version = v
            .version
            .unwrap_or_else(|| panic!("{name}:{}: corpus lines carry a version", i + 1));
        let origin = Origin {
            line: Some(i as u64 + 1),
            ..Origin::default()
        };
        let out = engine.process(states.get(&v.story_id), &v, &origin, NOW);
        // The state must survive the trip through `story.state` (JSON) unchanged.
        let json = serde_json::to_string(&out.state).expect("state serialises");
        let back: StoryState = serde_json::from_str(&json).expect("state deserialises");
        assert_eq!(
            back,
            out.state,
            "{name}:{}: state does not round-trip",
            i + 1
        );
        run.inputs.push((v.story_id.clone(), version));
        run.events.extend(out.events);
        run.revisions.push(out.revision);
        states.insert(v.story_id, out.state);
    }
    run
}

/// Run 2: the `redline replay` pipeline (library entry point), output parsed back from JSONL.
fn replay_run(bytes: &[u8], name: &str) -> (Vec<ChangeEvent>, Vec<RevisionRecord>) {
    let engine = Engine::with_defaults();
    let limits = redline::config::Limits::default();
    let (mut ev, mut rev) = (Vec::new(), Vec::new());
    let mut warnings = Vec::new();
    let summary = redline::io::replay(
        &engine,
        &limits,
        bytes,
        name,
        &mut ev,
        Some(&mut rev),
        &mut |w| warnings.push(w),
    )
    .expect("replay runs");
    assert_eq!(summary.rejected, 0, "replay rejected lines: {warnings:?}");
    assert!(warnings.is_empty(), "replay warned: {warnings:?}");
    let parse = |b: &[u8]| -> Vec<serde_json::Value> {
        b.split(|&c| c == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).expect("replay writes JSON lines"))
            .collect()
    };
    let events = parse(&ev)
        .into_iter()
        .map(|v| serde_json::from_value(v).expect("event JSON has the model's shape"))
        .collect();
    let revisions = parse(&rev)
        .into_iter()
        .map(|v| serde_json::from_value(v).expect("revision JSON has the model's shape"))
        .collect();
    (events, revisions)
}

fn check_structure(name: &str, run: &Run) {
    assert_eq!(
        run.revisions.len(),
        run.inputs.len(),
        "{name}: one revision per version"
    );

    let mut by_version: HashMap<(String, u64), Vec<&ChangeEvent>> = HashMap::new();
    let mut ids = HashSet::new();
    for e in &run.events {
        assert!(
            ids.insert(e.event_id.clone()),
            "{name}: duplicate event_id {}",
            e.event_id
        );
        by_version
            .entry((e.story_id.clone(), e.to_version))
            .or_default()
            .push(e);
        match e.kind {
            Kind::StoryCreated => {}
            Kind::FactAdded | Kind::QuoteAdded => {
                assert!(
                    e.before.is_none() && e.after.is_some(),
                    "{name}: {} addition has before/after wrong",
                    e.event_id
                );
            }
            Kind::FactRemoved | Kind::QuoteRemoved => {
                assert!(
                    e.before.is_some() && e.after.is_none(),
                    "{name}: {} removal has before/after wrong",
                    e.event_id
                );
            }
            Kind::FactChanged
            | Kind::QuoteChanged
            | Kind::NumberChanged
            | Kind::HeadlineChanged => {
                assert!(
                    e.before.is_some() && e.after.is_some(),
                    "{name}: {} change lacks before or after",
                    e.event_id
                );
                assert_ne!(e.before, e.after, "{name}: {} changes nothing", e.event_id);
            }
        }
        if matches!(
            e.kind,
            Kind::QuoteAdded | Kind::QuoteChanged | Kind::QuoteRemoved
        ) {
            assert!(
                e.quote.is_some(),
                "{name}: {} is a quote event without a quote",
                e.event_id
            );
        }
        if e.kind == Kind::NumberChanged {
            assert!(
                !e.numbers.is_empty(),
                "{name}: {} number.changed without numbers",
                e.event_id
            );
        }
        assert!(!e.text.is_empty(), "{name}: {} has no text", e.event_id);
    }

    let mut last: HashMap<&str, (u64, &str)> = HashMap::new(); // story -> (version, hash)
    for ((story, version), rev) in run.inputs.iter().zip(&run.revisions) {
        assert_eq!(
            (&rev.story_id, rev.version),
            (story, *version),
            "{name}: revision for the wrong version"
        );
        assert_eq!(
            rev.hash,
            revision_hash(rev),
            "{name}: {story} v{version}: hash does not cover the record"
        );
        let events = by_version
            .remove(&(story.clone(), *version))
            .unwrap_or_default();
        let expected_ids: Vec<String> = (1..=events.len())
            .map(|n| format!("{story}/{version}/{n}"))
            .collect();
        let got_ids: Vec<String> = events.iter().map(|e| e.event_id.clone()).collect();
        assert_eq!(
            got_ids, expected_ids,
            "{name}: {story} v{version}: event_ids are not story/version/1..n"
        );
        assert_eq!(
            rev.event_ids, got_ids,
            "{name}: {story} v{version}: revision lists other event_ids"
        );
        match last.get(story.as_str()) {
            None => {
                assert_eq!(
                    rev.status,
                    RevisionStatus::Created,
                    "{name}: {story} v{version}: first version"
                );
                assert_eq!(
                    rev.prev_hash, None,
                    "{name}: {story}: chain starts with no prev_hash"
                );
                assert_eq!(
                    events.len(),
                    1,
                    "{name}: {story} v{version}: first version gives one event"
                );
                assert_eq!(events[0].kind, Kind::StoryCreated);
                assert_eq!(events[0].from_version, None);
            }
            Some(&(prev_version, prev_hash)) => {
                assert!(
                    *version > prev_version,
                    "{name}: {story}: corpus versions increase"
                );
                assert_eq!(
                    rev.previous_version,
                    Some(prev_version),
                    "{name}: {story} v{version}"
                );
                assert_eq!(
                    rev.prev_hash.as_deref(),
                    Some(prev_hash),
                    "{name}: {story} v{version}: broken hash chain"
                );
                // New content under a higher version number: never duplicate/stale/conflict.
                assert!(
                    matches!(
                        rev.status,
                        RevisionStatus::Changed | RevisionStatus::Cosmetic | RevisionStatus::Moved
                    ),
                    "{name}: {story} v{version}: status {:?}",
                    rev.status
                );
                assert_eq!(
                    rev.status == RevisionStatus::Changed,
                    !events.is_empty(),
                    "{name}: {story} v{version}: status {:?} with {} events",
                    rev.status,
                    events.len()
                );
                for e in &events {
                    assert_ne!(
                        e.kind,
                        Kind::StoryCreated,
                        "{name}: {} story.created on a later version",
                        e.event_id
                    );
                    assert_eq!(e.from_version, Some(prev_version), "{name}: {}", e.event_id);
                }
            }
        }
        last.insert(story, (*version, &rev.hash));
    }
    assert!(
        by_version.is_empty(),
        "{name}: events for versions that were not processed: {:?}",
        by_version.keys()
    );
}

/// Blank the wall-clock fields (and the hashes that cover them) so two runs can be compared.
fn without_clock(
    mut events: Vec<ChangeEvent>,
    mut revisions: Vec<RevisionRecord>,
) -> (Vec<ChangeEvent>, Vec<RevisionRecord>) {
    for e in &mut events {
        e.detected_at.clear();
    }
    for r in &mut revisions {
        r.processed_at.clear();
        r.hash.clear();
        r.prev_hash = r.prev_hash.as_ref().map(|_| String::new());
    }
    (events, revisions)
}

fn corpus_file_runs(file: &str) {
    let Some(path) = corpus_file(file) else {
        return;
    };
    let bytes = std::fs::read(&path).expect("read corpus file");
    let name = path.display().to_string();
    let run = engine_run(&bytes, &name);
    assert!(!run.inputs.is_empty(), "{name}: no versions");
    check_structure(&name, &run);

    let (events, revisions) = replay_run(&bytes, &name);
    // The replay pipeline's own chain must hold too (its clock differs from run 1's).
    let replayed = Run {
        inputs: run.inputs.clone(),
        events,
        revisions,
    };
    check_structure(&format!("{name} (replay)"), &replayed);
    let a = without_clock(run.events, run.revisions);
    let b = without_clock(replayed.events, replayed.revisions);
    assert_eq!(
        a.0.len(),
        b.0.len(),
        "{name}: the two runs emit different numbers of events"
    );
    for (x, y) in a.0.iter().zip(&b.0) {
        assert_eq!(x, y, "{name}: the two runs differ");
    }
    assert_eq!(
        a.1, b.1,
        "{name}: the two runs give different revision records"
    );
}

#[test]
fn newsdiffs_se_2017_runs_clean() {
    corpus_file_runs("newsdiffs_se_2017.jsonl");
}

#[test]
fn govuk_gitgovuk_runs_clean() {
    corpus_file_runs("govuk_gitgovuk.jsonl");
}
