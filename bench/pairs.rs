//! The benchmark pairs of BENCHMARKS.md, built deterministically from the real corpora in
//! `../shared/corpus` (or `$REDLINE_CORPUS_DIR`). No corpus text is stored in this repository:
//! every pair is derived at run time from the corpus files by fixed rules (no randomness), so the
//! criterion bench, `examples/bench_pairs.rs` (which writes them for the Python baseline) and any
//! rerun see byte-identical pairs.
//!
//! Shared by `benches/engine.rs` and `examples/bench_pairs.rs` via `#[path]`.
#![allow(dead_code)]

use redline::input::parse_version;
use redline::model::StoryVersion;
use serde::Serialize;
use std::collections::HashSet;
use std::path::PathBuf;

pub const GOVUK: &str = "govuk_gitgovuk.jsonl";
pub const NEWSDIFFS_SE: &str = "newsdiffs_se_2017.jsonl";

/// The real consecutive pair used as the small edit on a ~3.6 KB story (and the base of the
/// heavy rewrite): GOV.UK travel advice for Kenya, version 6 → 7 (one paragraph about the
/// election rewritten after it took place).
pub const SMALL_STORY: &str = "gitgovuk:foreign-travel-advice/kenya";
pub const SMALL_FROM: u64 = 6;

/// Paragraphs shorter than this are left out of the concatenation pools (page furniture).
const MIN_POOL_PARAGRAPH: usize = 40;
/// Every `EDIT_EVERY`-th paragraph of the large stories is edited.
pub const EDIT_EVERY: usize = 20;
pub const KIB_64: usize = 64 * 1024;
pub const MIB_1: usize = 1024 * 1024;

#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub name: &'static str,
    pub description: String,
    pub old: StoryVersion,
    pub new: StoryVersion,
}

impl Pair {
    /// Size in bytes of the old version's text (headline, blank line, paragraphs).
    pub fn old_bytes(&self) -> usize {
        text_bytes(&self.old)
    }
    pub fn new_bytes(&self) -> usize {
        text_bytes(&self.new)
    }
}

fn text_bytes(v: &StoryVersion) -> usize {
    v.headline.as_deref().map_or(0, str::len) + 2 + v.body.as_deref().map_or(0, str::len)
}

/// Where the corpus lives: `$REDLINE_CORPUS_DIR`, else `../shared/corpus` next to the crate.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("REDLINE_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")),
    }
}

/// Every version of a corpus file, in file order; panics (naming the line) on a line the engine's
/// input validation rejects.
pub fn load(file: &str) -> Vec<StoryVersion> {
    let path = corpus_dir().join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read corpus file {}: {e} (set REDLINE_CORPUS_DIR to the corpus directory)",
            path.display()
        )
    });
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .map(|(i, l)| {
            parse_version(l, usize::MAX)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

fn paragraphs(v: &StoryVersion) -> Vec<String> {
    v.body
        .as_deref()
        .unwrap_or("")
        .split("\n\n")
        .map(str::to_string)
        .filter(|p| !p.trim().is_empty())
        .collect()
}

fn version(story_id: &str, n: u64, headline: &str, paras: &[String]) -> StoryVersion {
    StoryVersion {
        story_id: story_id.to_string(),
        version: Some(n),
        headline: Some(headline.to_string()),
        body: Some(paras.join("\n\n")),
        ..StoryVersion::default()
    }
}

/// Unique paragraphs (at least `MIN_POOL_PARAGRAPH` bytes) of the *last* version of each story,
/// stories in file order: real prose without the near-duplicates that successive versions give.
/// Each entry carries the headline of the story it came from.
fn pool(versions: &[StoryVersion]) -> Vec<(String, String)> {
    let mut order: Vec<&str> = Vec::new();
    let mut last: std::collections::HashMap<&str, &StoryVersion> = Default::default();
    for v in versions {
        if last.insert(v.story_id.as_str(), v).is_none() {
            order.push(v.story_id.as_str());
        }
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for id in order {
        let v = last[id];
        let headline = v.headline.clone().unwrap_or_default();
        for p in paragraphs(v) {
            if p.len() >= MIN_POOL_PARAGRAPH && seen.insert(p.clone()) {
                out.push((headline.clone(), p));
            }
        }
    }
    out
}

/// Paragraphs from `iter` until their text reaches `bytes`.
fn take_bytes<'a>(iter: impl Iterator<Item = &'a (String, String)>, bytes: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut size = 0;
    for (_, p) in iter {
        if size >= bytes {
            break;
        }
        size += p.len() + 2;
        out.push(p.clone());
    }
    out
}

/// Sentences of a paragraph by a simple rule (after `.`, `!` or `?` and a space, before an
/// upper-case letter or digit). Only used to pick what to edit, not to measure anything.
pub fn sentences(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = p.char_indices().collect();
    for w in chars.windows(3) {
        let ((_, a), (i, b), (_, c)) = (w[0], w[1], w[2]);
        if matches!(a, '.' | '!' | '?') && b == ' ' && (c.is_uppercase() || c.is_ascii_digit()) {
            out.push(p[start..i].to_string());
            start = i + 1;
        }
    }
    out.push(p[start..].to_string());
    out
}

/// A deterministic supply of replacement text that does not occur in the story being edited.
struct Donors {
    paragraphs: Vec<String>,
    next_para: usize,
    next_sentence: usize,
}

impl Donors {
    fn new<'a>(iter: impl Iterator<Item = &'a (String, String)>, avoid: &[String]) -> Donors {
        let avoid: HashSet<&String> = avoid.iter().collect();
        Donors {
            paragraphs: iter
                .filter(|(_, p)| !avoid.contains(p))
                .take(4000)
                .map(|(_, p)| p.clone())
                .collect(),
            next_para: 0,
            next_sentence: 0,
        }
    }

    fn paragraph(&mut self) -> String {
        let p = self.paragraphs[self.next_para % self.paragraphs.len()].clone();
        self.next_para += 1;
        p
    }

    /// The first sentence of the next donor paragraph that has one of a useful length.
    fn sentence(&mut self) -> String {
        for _ in 0..self.paragraphs.len() {
            let p = &self.paragraphs
                [self.paragraphs.len() - 1 - self.next_sentence % self.paragraphs.len()];
            self.next_sentence += 1;
            if let Some(s) = sentences(p)
                .into_iter()
                .find(|s| (40..=300).contains(&s.len()))
            {
                return s;
            }
        }
        "The committee will publish its full findings on 14 March.".to_string()
    }
}

/// Add one to the first figure in `s` (9 → 10, 2022 → 2023); `None` if it has no digit.
fn bump_first_number(s: &str) -> Option<String> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let end = s[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(s.len(), |e| start + e);
    let n: u64 = s[start..end].parse().ok()?;
    Some(format!("{}{}{}", &s[..start], n + 1, &s[end..]))
}

/// Reword a sentence while keeping most of its words: move its first three words to the end
/// and change its first figure, if any.
fn reword(s: &str) -> String {
    let s = bump_first_number(s).unwrap_or_else(|| s.to_string());
    let words: Vec<&str> = s.split(' ').collect();
    if words.len() < 6 {
        return format!("{s} This was later confirmed.");
    }
    let mut w: Vec<&str> = words[3..].to_vec();
    w.extend_from_slice(&words[..3]);
    w.join(" ")
}

/// Edit one paragraph; `k` cycles through the edit kinds so every kind occurs.
fn edit_paragraph(p: &str, k: usize, donors: &mut Donors) -> Vec<String> {
    let mut sents = sentences(p);
    match k % 5 {
        // A figure changes (or, without one, a sentence is added).
        0 => match bump_first_number(p) {
            Some(q) => vec![q],
            None => {
                sents.push(donors.sentence());
                vec![sents.join(" ")]
            }
        },
        // A sentence is added at the end of the paragraph.
        1 => {
            sents.push(donors.sentence());
            vec![sents.join(" ")]
        }
        // The last sentence is removed (the whole paragraph when it has only one).
        2 => {
            sents.pop();
            if sents.is_empty() {
                vec![]
            } else {
                vec![sents.join(" ")]
            }
        }
        // The first sentence is reworded.
        3 => {
            sents[0] = reword(&sents[0]);
            vec![sents.join(" ")]
        }
        // A new paragraph is inserted after this one.
        _ => vec![p.to_string(), donors.paragraph()],
    }
}

/// Edit every `EDIT_EVERY`-th paragraph, starting at paragraph `EDIT_EVERY / 2`.
fn scattered_edits(paras: &[String], donors: &mut Donors) -> Vec<String> {
    let mut out = Vec::new();
    let mut k = 0;
    for (i, p) in paras.iter().enumerate() {
        if i % EDIT_EVERY == EDIT_EVERY / 2 {
            out.extend(edit_paragraph(p, k, donors));
            k += 1;
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Heavy rewrite: of all sentences (counted through the story), those at odd positions change:
/// every other one of them is replaced by an unrelated real sentence, the rest are reworded; and
/// every third paragraph of two or more sentences has its sentence order reversed.
fn heavy_rewrite(paras: &[String], donors: &mut Donors) -> Vec<String> {
    let mut i = 0;
    paras
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let mut sents: Vec<String> = sentences(p)
                .into_iter()
                .map(|s| {
                    let out = match i % 4 {
                        1 => donors.sentence(),
                        3 => reword(&s),
                        _ => s,
                    };
                    i += 1;
                    out
                })
                .collect();
            if pi % 3 == 0 && sents.len() > 1 {
                sents.reverse();
            }
            sents.join(" ")
        })
        .collect()
}

/// All five benchmark pairs, in the order of the BENCHMARKS.md table.
pub fn all_pairs() -> Vec<Pair> {
    let govuk = load(GOVUK);
    let se = load(NEWSDIFFS_SE);
    let en_pool = pool(&govuk);
    let se_pool = pool(&se);

    // (a) small edit, real: Kenya travel advice v6 -> v7.
    let find = |n: u64| {
        govuk
            .iter()
            .find(|v| v.story_id == SMALL_STORY && v.version == Some(n))
            .unwrap_or_else(|| panic!("{SMALL_STORY} v{n} is not in {GOVUK}"))
    };
    let (s_old, s_new) = (find(SMALL_FROM), find(SMALL_FROM + 1));
    let small = Pair {
        name: "small-edit-3.6k",
        description: format!(
            "real consecutive versions: {SMALL_STORY} v{SMALL_FROM} -> v{} (one paragraph rewritten)",
            SMALL_FROM + 1
        ),
        old: version("bench:small", 1, s_old.headline.as_deref().unwrap_or(""), &paragraphs(s_old)),
        new: version("bench:small", 2, s_new.headline.as_deref().unwrap_or(""), &paragraphs(s_new)),
    };

    // (b) heavy rewrite of the same v6.
    let base = paragraphs(s_old);
    let mut donors = Donors::new(en_pool.iter().rev(), &base);
    let heavy = Pair {
        name: "heavy-rewrite-3.6k",
        description: format!(
            "{SMALL_STORY} v{SMALL_FROM} vs. a deterministic rewrite of it: 1/4 of sentences replaced \
             by unrelated GOV.UK sentences, 1/4 reworded (words rotated, first figure +1), every third \
             paragraph's sentences reversed"
        ),
        old: small.old.clone(),
        new: version(
            "bench:small",
            2,
            s_old.headline.as_deref().unwrap_or(""),
            &heavy_rewrite(&base, &mut donors),
        ),
    };

    // (c) 64 KiB of GOV.UK paragraphs, every 20th paragraph edited.
    let b64 = take_bytes(en_pool.iter(), KIB_64);
    let h64 = en_pool[0].0.clone();
    let mut donors = Donors::new(en_pool.iter().rev(), &b64);
    let e64 = scattered_edits(&b64, &mut donors);
    let mid = Pair {
        name: "scattered-64k",
        description: format!(
            "{} GOV.UK paragraphs (last versions, stories in file order) to 64 KiB; every {EDIT_EVERY}th \
             paragraph edited (figure +1 / sentence added / sentence removed / sentence reworded / \
             paragraph inserted, in turn)",
            b64.len()
        ),
        old: version("bench:64k", 1, &h64, &b64),
        new: version("bench:64k", 2, &h64, &e64),
    };

    // (d) 1 MiB: all GOV.UK paragraphs, then Swedish ones, every 20th paragraph edited.
    let b1m = take_bytes(en_pool.iter().chain(se_pool.iter()), MIB_1);
    let mut donors = Donors::new(se_pool.iter().rev(), &b1m);
    let e1m = scattered_edits(&b1m, &mut donors);
    let large = Pair {
        name: "scattered-1m",
        description: format!(
            "{} paragraphs (GOV.UK, then newsdiffs-se) to 1 MiB; every {EDIT_EVERY}th paragraph edited \
             as above",
            b1m.len()
        ),
        old: version("bench:1m", 1, &h64, &b1m),
        new: version("bench:1m", 2, &h64, &e1m),
    };

    // (e) two unrelated 64 KiB texts: GOV.UK stories from the start vs. from the end of the file.
    let tail = take_bytes(en_pool.iter().rev(), KIB_64);
    let overlap = b64.iter().filter(|p| tail.contains(p)).count();
    assert_eq!(overlap, 0, "the two 64 KiB texts must not share paragraphs");
    let h_tail = en_pool.last().map(|(h, _)| h.clone()).unwrap_or_default();
    let unrelated = Pair {
        name: "unrelated-64k",
        description: format!(
            "the 64 KiB text above vs. {} GOV.UK paragraphs taken from the end of the file (other \
             stories; no paragraph in common)",
            tail.len()
        ),
        old: version("bench:unrelated", 1, &h64, &b64),
        new: version("bench:unrelated", 2, &h_tail, &tail),
    };

    vec![small, heavy, mid, large, unrelated]
}

/// Write each pair to `dir/<name>.json` (for `bench/difflib_baseline.py`).
pub fn write_pairs(pairs: &[Pair], dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for p in pairs {
        let json = serde_json::to_vec_pretty(p).expect("pairs serialise");
        std::fs::write(dir.join(format!("{}.json", p.name)), json)?;
    }
    Ok(())
}

/// `bench/out/pairs` inside the crate.
pub fn default_out_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/out/pairs"))
}
