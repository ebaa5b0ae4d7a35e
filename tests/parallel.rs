//! A large version's work is shared across threads (paragraphs analysed ahead of the speaker
//! context, the content hash beside the analysis, events classified side by side). The outcome
//! must be the one the same engine gives on one thread: events, revision record and state, on
//! the benchmark pairs and on large versions made of real corpus text.

#[path = "../bench/pairs.rs"]
mod pairs;

use redline::engine::{Engine, Outcome};
use redline::model::{Origin, StoryState, StoryVersion};
use redline::text::parallel;

const NOW: &str = "2026-11-28T12:00:00Z";

/// Each version after the previous one's state, as `replay` does; a fresh engine, so the first
/// version is analysed from nothing and every later one from the cached analysis.
fn outcomes(versions: &[StoryVersion]) -> Vec<Outcome> {
    let engine = Engine::with_defaults();
    let mut state: Option<StoryState> = None;
    let mut out = Vec::new();
    for v in versions {
        let o = engine.process(state.as_ref(), v, &Origin::default(), NOW);
        state = Some(o.state.clone());
        out.push(o);
    }
    out
}

fn assert_same_on_all_threads(versions: &[StoryVersion], what: &str) {
    let one = parallel::on_this_thread(|| outcomes(versions));
    let all = outcomes(versions);
    assert_eq!(one.len(), all.len());
    for (i, (a, b)) in one.iter().zip(&all).enumerate() {
        assert_eq!(a.events, b.events, "{what}, version {}: events", i + 1);
        assert_eq!(
            a.revision,
            b.revision,
            "{what}, version {}: revision",
            i + 1
        );
        assert_eq!(a.state, b.state, "{what}, version {}: state", i + 1);
    }
}

#[test]
fn benchmark_pairs_give_the_same_outcome_on_all_threads_as_on_one() {
    for p in pairs::all_pairs() {
        let events = outcomes(&[p.old.clone(), p.new.clone()])[1].events.len();
        assert!(events > 0, "{}: the pair changes something", p.name);
        assert_same_on_all_threads(&[p.old.clone(), p.new.clone()], p.name);
    }
}

/// Versions that slide over the Swedish corpus, 40 corpus versions at a time (~100 KiB, quotes
/// and speakers across every chunk boundary): each drops the oldest text and adds the next.
#[test]
fn sliding_corpus_versions_give_the_same_outcome_on_all_threads_as_on_one() {
    let path = pairs::corpus_dir().join(pairs::NEWSDIFFS_SE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let bodies: Vec<String> = text
        .lines()
        .filter_map(|l| redline::input::parse_version(l.as_bytes(), usize::MAX).ok())
        .filter_map(|v| v.body)
        .collect();
    const WINDOW: usize = 40;
    let versions: Vec<StoryVersion> = (0..30)
        .map(|k| StoryVersion {
            story_id: "sliding".into(),
            version: Some(k as u64 + 1),
            headline: Some(format!("Window {k}")),
            body: Some(bodies[k * 3..k * 3 + WINDOW].join("\n\n")),
            ..StoryVersion::default()
        })
        .collect();
    let smallest = versions
        .iter()
        .map(|v| v.body.as_ref().map_or(0, String::len))
        .min();
    assert!(
        smallest > Some(parallel::MIN_BYTES),
        "every version is large enough to be shared across threads"
    );
    assert_same_on_all_threads(&versions, "sliding window");
}
