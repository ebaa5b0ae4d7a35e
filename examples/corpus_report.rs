//! Corpus report for BENCHMARKS.md ("Corpus run"): runs both story files of the shared corpus
//! through the engine and prints, as Markdown, the event counts by kind, category and severity,
//! the revision status counts, and how GOV.UK's own change notes agree with the events emitted.
//!
//! Usage: `cargo run --release --example corpus_report [-- --examples N]`
//! (corpus at `$REDLINE_CORPUS_DIR` or `../shared/corpus`).
//!
//! Agreement method (weak labels; see BENCHMARKS.md). Each GOV.UK version after the first has one
//! change note. The note (lower-cased) gets labels by keywords:
//!
//! - `elsewhere`: a travel-advice note that names page parts (`… page`, `‘…’`) but not the
//!   Summary: the change is probably outside the mirrored text. No expectation; not scored.
//! - `headline`: headline|title → expects a `headline.changed`.
//! - `numbers`: figure(s)|number(s)|cases|data|statistics|total(s)|count|toll → expects an event
//!   whose `numbers` is non-empty (any kind, `number.changed` included).
//! - `removed`: remov*|delet*|withdr*|no longer|lifted → expects `fact.removed`/`quote.removed`.
//! - `added`: add*|new|includ*|insert* → expects `fact.added`/`quote.added`.
//! - `cosmetic`: minor|typo(s)|typographical|formatting|spelling|grammar|grammatical|style, and
//!   none of headline/numbers/removed/added → expects no events.
//! - `updated`: none of the above, but updat*|amend*|revis*|chang*|edit*|latest|clarif* →
//!   expects at least one event.
//! - `other`: no keyword at all (free text such as "Increased violence in Oromia region") →
//!   expects at least one event.
//!
//! A note can carry several of headline/numbers/removed/added; each is scored on its own. A
//! note is "substantive" unless it is `cosmetic` or `elsewhere`.

use redline::engine::Engine;
use redline::input::parse_version;
use redline::model::{ChangeEvent, Kind, Origin, RevisionStatus, StoryState, StoryVersion};
use regex::Regex;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

const NOW: &str = "2026-11-27T12:00:00Z";
const CLASSES: [&str; 8] = [
    "headline",
    "numbers",
    "removed",
    "added",
    "updated",
    "other",
    "cosmetic",
    "elsewhere",
];

fn corpus_dir() -> PathBuf {
    std::env::var_os("REDLINE_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")))
}

struct FileRun {
    versions: Vec<StoryVersion>,
    /// Events per (story_id, version).
    events: HashMap<(String, u64), Vec<ChangeEvent>>,
    statuses: BTreeMap<&'static str, usize>,
    coarse: usize,
    seconds: f64,
}

fn run_file(name: &str) -> FileRun {
    let path = corpus_dir().join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let engine = Engine::with_defaults();
    let mut states: HashMap<String, StoryState> = HashMap::new();
    let mut run = FileRun {
        versions: Vec::new(),
        events: HashMap::new(),
        statuses: BTreeMap::new(),
        coarse: 0,
        seconds: 0.0,
    };
    let start = std::time::Instant::now();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let v = parse_version(line, usize::MAX)
            .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1));
        let origin = Origin {
            line: Some(i as u64 + 1),
            ..Origin::default()
        };
        let out = engine.process(states.get(&v.story_id), &v, &origin, NOW);
        *run.statuses
            .entry(out.revision.status.as_str())
            .or_default() += 1;
        run.coarse += usize::from(out.revision.diff.coarse);
        run.events
            .insert((v.story_id.clone(), out.revision.version), out.events);
        states.insert(v.story_id.clone(), out.state);
        run.versions.push(v);
    }
    run.seconds = start.elapsed().as_secs_f64();
    run
}

fn counts_table(title: &str, runs: &[(&str, &FileRun)], key: impl Fn(&ChangeEvent) -> Vec<String>) {
    let mut rows: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (_, r)) in runs.iter().enumerate() {
        for evs in r.events.values() {
            for e in evs {
                for k in key(e) {
                    rows.entry(k).or_insert_with(|| vec![0; runs.len()])[i] += 1;
                }
            }
        }
    }
    println!(
        "\n| {title} | {} |",
        runs.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" | ")
    );
    println!("|---|{}", "---:|".repeat(runs.len()));
    let mut rows: Vec<_> = rows.into_iter().collect();
    rows.sort_by(|a, b| {
        b.1.iter()
            .sum::<usize>()
            .cmp(&a.1.iter().sum::<usize>())
            .then(a.0.cmp(&b.0))
    });
    for (k, v) in rows {
        let cells: Vec<String> = v.iter().map(usize::to_string).collect();
        println!("| `{k}` | {} |", cells.join(" | "));
    }
}

struct Labeller {
    timestamp: Regex,
    pages: Regex,
    headline: Regex,
    numbers: Regex,
    removed: Regex,
    added: Regex,
    cosmetic: Regex,
    updated: Regex,
}

impl Labeller {
    fn new() -> Labeller {
        let re = |p: &str| Regex::new(p).expect("label pattern");
        Labeller {
            timestamp: re(r"^\s*\d{1,2}[:.]\d{2}\s*[ap]m,\s*\d{1,2}\s+\w+\s+\d{4}:\s*"),
            pages: re(r"\bpages?\b|[‘“'][^’”']{3,40}[’”']"),
            headline: re(r"\b(headline|title)\b"),
            numbers: re(r"\b(figures?|numbers?|cases|data|statistics|totals?|count|toll)\b"),
            removed: re(r"\b(remov\w*|delet\w*|withdr\w*|no longer|lifted)\b"),
            added: re(r"\b(add\w*|new|includ\w*|insert\w*)\b"),
            cosmetic: re(
                r"\b(minor|typos?|typographical|formatting|spelling|grammar|grammatical|style)\b",
            ),
            updated: re(r"\b(updat\w*|amend\w*|revis\w*|chang\w*|edit\w*|latest|clarif\w*)\b"),
        }
    }

    fn labels(&self, story_id: &str, note: &str) -> Vec<&'static str> {
        let note = note.to_lowercase();
        let note = self.timestamp.replace(&note, "");
        if story_id.contains("foreign-travel-advice")
            && self.pages.is_match(&note)
            && !note.contains("summary")
        {
            return vec!["elsewhere"];
        }
        let mut out = Vec::new();
        for (label, re) in [
            ("headline", &self.headline),
            ("numbers", &self.numbers),
            ("removed", &self.removed),
            ("added", &self.added),
        ] {
            if re.is_match(&note) {
                out.push(label);
            }
        }
        if out.is_empty() {
            out.push(if self.cosmetic.is_match(&note) {
                "cosmetic"
            } else if self.updated.is_match(&note) {
                "updated"
            } else {
                "other"
            });
        }
        out
    }
}

fn expectation_met(label: &str, events: &[ChangeEvent]) -> Option<bool> {
    let any = |f: &dyn Fn(&ChangeEvent) -> bool| events.iter().any(f);
    Some(match label {
        "headline" => any(&|e| e.kind == Kind::HeadlineChanged),
        "numbers" => any(&|e| e.kind == Kind::NumberChanged || !e.numbers.is_empty()),
        "removed" => any(&|e| matches!(e.kind, Kind::FactRemoved | Kind::QuoteRemoved)),
        "added" => any(&|e| matches!(e.kind, Kind::FactAdded | Kind::QuoteAdded)),
        "cosmetic" => events.is_empty(),
        "updated" | "other" => !events.is_empty(),
        _ => return None,
    })
}

/// "fact.removed×3, fact.added" for a list of events.
fn kind_summary(events: &[ChangeEvent]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in events {
        *counts.entry(e.kind.as_str()).or_default() += 1;
    }
    let parts: Vec<String> = counts
        .into_iter()
        .map(|(k, n)| {
            if n == 1 {
                k.to_string()
            } else {
                format!("{k}×{n}")
            }
        })
        .collect();
    parts.join(", ")
}

fn short(s: &str, n: usize) -> String {
    let s: String = s.chars().take(n).collect();
    s.replace('|', "/")
}

fn main() {
    let mut examples = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--examples" => examples = args.next().and_then(|n| n.parse().ok()).unwrap_or(3),
            other => panic!("unknown argument {other} (use --examples N)"),
        }
    }

    let se = run_file("newsdiffs_se_2017.jsonl");
    let gov = run_file("govuk_gitgovuk.jsonl");
    let runs = [("newsdiffs_se_2017", &se), ("govuk_gitgovuk", &gov)];

    println!("| file | stories | versions | events | coarse diffs | engine time (this run) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (n, r) in &runs {
        let stories: std::collections::HashSet<&str> =
            r.versions.iter().map(|v| v.story_id.as_str()).collect();
        let events: usize = r.events.values().map(Vec::len).sum();
        println!(
            "| {n} | {} | {} | {events} | {} | {:.1} s |",
            stories.len(),
            r.versions.len(),
            r.coarse,
            r.seconds
        );
    }
    counts_table("kind", &runs, |e| vec![e.kind.as_str().to_string()]);
    counts_table("category", &runs, |e| {
        if e.categories.is_empty() {
            vec!["(none)".into()]
        } else {
            e.categories.clone()
        }
    });
    counts_table("severity", &runs, |e| vec![e.severity.as_str().to_string()]);
    println!(
        "\n| revision status | {} |",
        runs.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" | ")
    );
    println!("|---|{}", "---:|".repeat(runs.len()));
    for s in RevisionStatus::ALL {
        let cells: Vec<String> = runs
            .iter()
            .map(|(_, r)| r.statuses.get(s.as_str()).copied().unwrap_or(0).to_string())
            .collect();
        println!("| `{}` | {} |", s.as_str(), cells.join(" | "));
    }

    // --- GOV.UK change notes vs events ---
    let notes_path = corpus_dir().join("govuk_gitgovuk_change_notes.jsonl");
    let notes = std::fs::read_to_string(&notes_path)
        .unwrap_or_else(|e| panic!("{}: {e}", notes_path.display()));
    let labeller = Labeller::new();
    let mut per: BTreeMap<&str, (usize, usize)> = BTreeMap::new(); // label -> (notes, met)
    let mut misses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let (mut substantive, mut substantive_zero) = (0usize, 0usize);
    let (mut elsewhere, mut elsewhere_zero) = (0usize, 0usize);
    let mut scored_notes = 0;
    for line in notes.lines().filter(|l| !l.trim().is_empty()) {
        let n: serde_json::Value = serde_json::from_str(line).expect("note JSON");
        let story = n["story_id"].as_str().expect("story_id");
        let version = n["version"].as_u64().expect("version");
        if version == 1 {
            continue; // describes the creation of the snapshot, not a change we can see
        }
        let note = n["change_note"].as_str().unwrap_or("");
        let events = gov
            .events
            .get(&(story.to_string(), version))
            .unwrap_or_else(|| panic!("no run for {story} v{version}"));
        scored_notes += 1;
        let labels = labeller.labels(story, note);
        if labels == ["elsewhere"] {
            elsewhere += 1;
            elsewhere_zero += usize::from(events.is_empty());
            continue;
        }
        if labels != ["cosmetic"] {
            substantive += 1;
            if events.is_empty() {
                substantive_zero += 1;
                misses
                    .entry("zero events")
                    .or_default()
                    .push(format!("{story} v{version}: “{}”", short(note, 110)));
            }
        }
        for l in labels {
            let met = expectation_met(l, events).expect("scored label");
            let e = per.entry(l).or_default();
            e.0 += 1;
            e.1 += usize::from(met);
            if !met {
                misses.entry(l).or_default().push(format!(
                    "{story} v{version}: “{}” → [{}]",
                    short(note, 110),
                    kind_summary(events)
                ));
            }
        }
    }
    println!("\nGOV.UK change notes scored: {scored_notes} (versions 2..N)\n");
    println!("| note label | expectation | notes | met | rate |");
    println!("|---|---|---:|---:|---:|");
    for l in CLASSES {
        let Some(&(n, met)) = per.get(l) else {
            continue;
        };
        let exp = match l {
            "headline" => "a `headline.changed`",
            "numbers" => "an event with `numbers` (or `number.changed`)",
            "removed" => "a `fact.removed`/`quote.removed`",
            "added" => "a `fact.added`/`quote.added`",
            "cosmetic" => "no events",
            _ => "at least one event",
        };
        println!(
            "| `{l}` | {exp} | {n} | {met} | {:.0}% |",
            100.0 * met as f64 / n.max(1) as f64
        );
    }
    println!(
        "\nSubstantive notes (not `cosmetic`/`elsewhere`): {substantive}; with zero events: {substantive_zero} ({:.0}%).",
        100.0 * substantive_zero as f64 / substantive.max(1) as f64
    );
    println!(
        "`elsewhere` notes (change outside the mirrored Summary): {elsewhere}; with zero events: {elsewhere_zero} ({:.0}%).",
        100.0 * elsewhere_zero as f64 / elsewhere.max(1) as f64
    );
    if examples > 0 {
        for (l, list) in &misses {
            println!(
                "\nMisses, `{l}` ({} in all, first {}):",
                list.len(),
                examples.min(list.len())
            );
            for m in list.iter().take(examples) {
                println!("- {m}");
            }
        }
    }
}
