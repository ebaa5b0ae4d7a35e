//! Analysing a version with the previous version's analysis at hand (reusing every unchanged
//! paragraph and sentence whose speaker context reads the same) gives exactly the analysis of
//! the version on its own: checked on every version of both real corpus files, each built from
//! the one before it as the engine does, and on the speaker-context cases that make reuse
//! unsafe.

use redline::engine::Engine;
use redline::input::{parse_version, DEFAULT_MAX_INPUT_BYTES};
use redline::text::Document;
use std::collections::HashMap;
use std::path::PathBuf;

fn assert_same_analysis(fresh: &Document, reused: &Document, what: &str) {
    let view = |d: &Document| {
        d.headline
            .iter()
            .chain(&d.sentences)
            .map(|s| {
                (
                    s.text.clone(),
                    s.tokens.clone(),
                    s.key,
                    s.figures.clone(),
                    s.quote.clone(),
                    s.paragraph,
                    s.index,
                )
            })
            .collect::<Vec<_>>()
    };
    let (f, r) = (view(fresh), view(reused));
    assert_eq!(f.len(), r.len(), "{what}: sentence count");
    for (a, b) in f.iter().zip(&r) {
        assert_eq!(a, b, "{what}: sentence differs");
    }
    assert_eq!(fresh.paragraphs, reused.paragraphs, "{what}: paragraphs");
}

fn check_corpus(name: &str) -> usize {
    let dir = std::env::var_os("REDLINE_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    let path = dir.join(name);
    if !path.is_file() && std::env::var("REDLINE_SKIP_CORPUS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: {} not found", path.display());
        return 0;
    }
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let engine = Engine::with_defaults();
    let whole = |p: &str| engine.rules.is_whole_paragraph(p);
    let mut last: HashMap<String, Document> = HashMap::new();
    let mut checked = 0;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let v = parse_version(line, DEFAULT_MAX_INPUT_BYTES).expect("corpus line parses");
        let (headline, paragraphs) = engine.text_of(&v);
        let fresh = Document::build_with(&headline, &paragraphs, &whole, None);
        let reused = Document::build_with(&headline, &paragraphs, &whole, last.get(&v.story_id));
        if last.contains_key(&v.story_id) {
            assert_same_analysis(&fresh, &reused, &format!("{name} line {}", i + 1));
            checked += 1;
        }
        last.insert(v.story_id.clone(), reused);
    }
    checked
}

#[test]
fn reuse_gives_the_fresh_analysis_on_every_swedish_news_version() {
    let n = check_corpus("newsdiffs_se_2017.jsonl");
    eprintln!("{n} versions checked");
}

#[test]
fn reuse_gives_the_fresh_analysis_on_every_govuk_version() {
    let n = check_corpus("govuk_gitgovuk.jsonl");
    eprintln!("{n} versions checked");
}

fn paras(ps: &[&str]) -> Vec<String> {
    ps.iter().map(|p| p.to_string()).collect()
}

fn speaker_of_last(d: &Document) -> Option<String> {
    d.sentences.last()?.quote.as_ref()?.speaker.clone()
}

#[test]
fn an_unchanged_quote_after_a_changed_introduction_gets_the_new_speaker() {
    let v1 = paras(&[
        "Amina Okafor arrived in Harbour City on Monday.",
        "“We are ready,” she said.",
    ]);
    let v2 = paras(&[
        "Lena Holm arrived in Harbour City on Monday.",
        "“We are ready,” she said.",
    ]);
    let old = Document::build("Talks", &v1);
    assert_eq!(speaker_of_last(&old).as_deref(), Some("Amina Okafor"));
    let new = Document::build_with("Talks", &v2, &|_| false, Some(&old));
    assert_eq!(speaker_of_last(&new).as_deref(), Some("Lena Holm"));
    assert_same_analysis(&Document::build("Talks", &v2), &new, "pronoun");
}

#[test]
fn a_role_and_a_continued_quote_follow_the_context_not_the_old_version() {
    let v1 = paras(&[
        "Prime Minister Lena Holm spoke after the session.",
        "“This is the moment,” the prime minister said.",
        "“Nobody will be left behind in this process at all.”",
    ]);
    // A new quotation by someone else in between: the bare quote now continues that speaker,
    // and the role has a new holder.
    let v2 = paras(&[
        "Prime Minister Lena Holm spoke after the session.",
        "Prime Minister Tomas Berg replaced her on Friday.",
        "“This is the moment,” the prime minister said.",
        "“Nobody will be left behind in this process at all.”",
    ]);
    let old = Document::build("Talks", &v1);
    let new = Document::build_with("Talks", &v2, &|_| false, Some(&old));
    assert_same_analysis(&Document::build("Talks", &v2), &new, "role");
    assert_eq!(speaker_of_last(&new).as_deref(), Some("Tomas Berg"));
}
