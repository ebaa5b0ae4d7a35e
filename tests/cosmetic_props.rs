//! Property tests over generated stories: typographic edits never produce events; a changed
//! digit always does.

use proptest::prelude::*;
use redline::engine::Engine;
use redline::model::{Kind, Origin, StoryVersion};
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::with_defaults);

const WORDS: &[&str] = &[
    "envoys",
    "aid",
    "convoys",
    "talks",
    "bridge",
    "town",
    "officials",
    "trucks",
    "ministry",
    "agreed",
    "reached",
    "delayed",
    "inspected",
    "crossed",
    "northern",
    "border",
    "water",
    "medicine",
    "shelter",
    "families",
    "morning",
    "week",
    "report",
    "council",
];

fn sentence() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(WORDS), 4..10),
        0u32..500,
        prop::bool::ANY,
    )
        .prop_map(|(words, n, quoted)| {
            let mut s = words.join(" ");
            s.insert_str(s.find(' ').unwrap_or(0), &format!(" {n}"));
            let mut c = s.chars();
            let s = match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => s,
            };
            if quoted {
                format!("“{s},” Okafor said of the town’s plan.")
            } else {
                format!("{s}.")
            }
        })
}

fn story() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop::collection::vec(sentence(), 1..4).prop_map(|s| s.join(" ")),
        1..6,
    )
}

/// Typographic variants that carry no information.
fn restyle(text: &str, which: u8) -> String {
    match which % 6 {
        0 => text.replace(['“', '”'], "\"").replace('’', "'"),
        1 => text.replace('“', "«").replace('”', "»"),
        2 => text.replace(' ', "\u{a0}"),
        3 => text.replace(' ', "  "),
        4 => text.strip_suffix('.').unwrap_or(text).to_string(),
        _ => text.replace(',', ""),
    }
}

fn events(old: &[String], new: &[String]) -> Vec<Kind> {
    let v = |n: u64, paras: &[String]| StoryVersion {
        story_id: "p".into(),
        version: Some(n),
        headline: Some("Headline".into()),
        body: Some(paras.join("\n\n")),
        ..StoryVersion::default()
    };
    let first = ENGINE.process(None, &v(1, old), &Origin::default(), "t");
    ENGINE
        .process(Some(&first.state), &v(2, new), &Origin::default(), "t")
        .events
        .iter()
        .map(|e| e.kind)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn typographic_edits_produce_no_events(paras in story(), which in 0u8..6) {
        let edited: Vec<String> = paras.iter().map(|p| restyle(p, which)).collect();
        prop_assert_eq!(events(&paras, &edited), vec![]);
    }

    #[test]
    fn reordering_paragraphs_produces_no_events(paras in story()) {
        let mut moved = paras.clone();
        moved.reverse();
        prop_assert_eq!(events(&paras, &moved), vec![]);
    }

    #[test]
    fn a_changed_digit_is_always_an_event(paras in story(), bump in 1u32..9) {
        // Change the first figure of the story.
        let text = paras.join("\n\n");
        let pos = text.find(|c: char| c.is_ascii_digit()).unwrap();
        let digit = text[pos..].chars().next().unwrap().to_digit(10).unwrap();
        let new_digit = char::from_digit((digit + bump) % 10, 10).unwrap();
        let mut changed = text.clone();
        changed.replace_range(pos..pos + 1, &new_digit.to_string());
        prop_assume!(changed != text);
        let new: Vec<String> = changed.split("\n\n").map(str::to_string).collect();
        let kinds = events(&paras, &new);
        prop_assert!(
            kinds.iter().any(|k| matches!(k, Kind::NumberChanged | Kind::FactChanged | Kind::QuoteChanged)),
            "no event for a changed digit: {:?}", kinds
        );
    }
}
