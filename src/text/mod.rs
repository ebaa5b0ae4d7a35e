//! The text model: a version becomes a headline and paragraphs of sentence units, each with the
//! words and figures that carry its information, its quotation and speaker.

pub mod figures;
pub mod lexicon;
pub mod names;
pub mod normalise;
pub mod parallel;
pub mod quotes;
pub mod sentences;

use compact_str::CompactString;
use figures::Figure;
use quotes::{ContextUse, QuoteInfo, SpeakerContext};
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A token of a sentence's information: a lower-cased word, or a figure by its canonical key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Token {
    // Inline strings: nearly every word fits in 24 bytes, so a token needs no allocation.
    Word(CompactString),
    Figure(CompactString),
}

impl Token {
    pub fn as_str(&self) -> &str {
        match self {
            Token::Word(w) | Token::Figure(w) => w,
        }
    }
}

/// The analysis of one sentence unit as written: the same text in the same speaker context
/// always analyses the same, wherever it stands, so it is shared between versions.
#[derive(Debug)]
pub struct Unit {
    /// As written, whitespace cleaned.
    pub text: String,
    pub tokens: Vec<Token>,
    pub figures: Vec<Figure>,
    pub quote: Option<QuoteInfo>,
    /// The names the sentence mentions, titles stripped, in order (an event's `entities`).
    pub names: Vec<String>,
    /// Hash of `tokens`: equal hashes mean the same words and figures (punctuation, case, quote
    /// style and spacing aside).
    pub key: u64,
    /// The hash of each token, sorted: the multiset that word-overlap similarity compares.
    pub token_set: Vec<u64>,
    /// One bit per token of `token_set` (see [`token_bit`]): a quick bound on word overlap.
    pub token_bits: u64,
    /// Hash of `text`, to find this unit again in the next version.
    text_hash: u64,
    /// What the analysis asked of the speaker context and changed in it.
    context: ContextUse,
}

/// A sentence unit at its place in a document.
#[derive(Debug, Clone)]
pub struct Sentence {
    unit: Arc<Unit>,
    /// 0-based paragraph and sentence-within-paragraph.
    pub paragraph: usize,
    pub index: usize,
}

/// A sentence reads as its unit (`s.text`, `s.tokens`, …); the unit is shared, the place is
/// the sentence's own.
impl std::ops::Deref for Sentence {
    type Target = Unit;
    fn deref(&self) -> &Unit {
        &self.unit
    }
}

#[derive(Debug, Clone, Default)]
pub struct Document {
    pub headline: Option<Sentence>,
    /// All body sentences in order.
    pub sentences: Vec<Sentence>,
    /// For each paragraph, the range of its sentences in `sentences`, and the hash of its
    /// tokens.
    pub paragraphs: Vec<(std::ops::Range<usize>, u64)>,
    /// Where each paragraph and unit of this version can be found by the hash of its text, so
    /// the next version analyses only what changed.
    index: ReuseIndex,
}

#[derive(Debug, Clone, Default)]
struct ReuseIndex {
    /// Paragraph text hash → index in `paragraphs`.
    paragraphs: FxHashMap<u64, usize>,
    /// Unit text hash → index in `sentences`.
    units: FxHashMap<u64, usize>,
}

/// The identity of a paragraph's or unit's text: XXH3, a 64-bit hash of full quality (two
/// different paragraphs of a story do not share one) at a tenth of SipHash's cost per byte.
pub fn hash_str(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

/// A word: a run of letters, digits and marks, with apostrophes inside it ("driver’s",
/// "don't"), which are dropped from the token so that "drivers" and "driver’s" compare equal.
/// As a regular expression: `[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{M}]+)*`; scanned by hand
/// (a fifth of a fresh analysis went to running that regex), the same matches (a property test
/// compares them).
fn word_spans(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    // ASCII bytes are classified without decoding a character (nearly all of English text).
    let bytes = text.as_bytes();
    let word_char_at = move |i: usize| -> Option<usize> {
        match bytes[i] {
            b if b < 0x80 => b.is_ascii_alphanumeric().then_some(1),
            _ => {
                let c = text[i..].chars().next()?;
                chars::in_word(c).then(|| c.len_utf8())
            }
        }
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = loop {
            if at >= bytes.len() {
                return None;
            }
            if word_char_at(at).is_some() {
                break at;
            }
            // Skip the whole character (a continuation byte never starts one).
            at += 1;
            while at < bytes.len() && !text.is_char_boundary(at) {
                at += 1;
            }
        };
        let mut end = start;
        while end < bytes.len() {
            match word_char_at(end) {
                Some(n) => end += n,
                None => break,
            }
        }
        // Apostrophe groups: an apostrophe followed by at least one letter or mark.
        loop {
            let tail = &text[end..];
            let mut cs = tail.chars();
            match (cs.next(), cs.next()) {
                (Some(a @ ('\'' | '’')), Some(c)) if chars::in_word_after_apostrophe(c) => {
                    end += a.len_utf8();
                    end += tail[a.len_utf8()..]
                        .chars()
                        .take_while(|&c| chars::in_word_after_apostrophe(c))
                        .map(char::len_utf8)
                        .sum::<usize>();
                }
                _ => break,
            }
        }
        at = end;
        Some(start..end)
    })
}

/// Character classes of [`word_spans`], with fast answers for ASCII and Latin text.
mod chars {
    use regex::Regex;
    use std::sync::LazyLock;

    /// `[\p{L}\p{N}\p{M}]`
    pub fn in_word(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphanumeric();
        }
        match c as u32 {
            0xC0..=0x24F => !matches!(c, '\u{D7}' | '\u{F7}'),
            0x80..=0xBF => matches!(
                c,
                '\u{AA}' | '\u{B2}' | '\u{B3}' | '\u{B5}' | '\u{B9}' | '\u{BA}' | '\u{BC}'
                    ..='\u{BE}'
            ),
            0x2000..=0x206F => false,
            _ => {
                static CLASS: LazyLock<Regex> =
                    LazyLock::new(|| Regex::new(r"^[\p{L}\p{N}\p{M}]$").expect("class compiles"));
                CLASS.is_match(c.encode_utf8(&mut [0; 4]))
            }
        }
    }

    /// `[\p{L}\p{M}]`
    pub fn in_word_after_apostrophe(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphabetic();
        }
        match c as u32 {
            0xC0..=0x24F => !matches!(c, '\u{D7}' | '\u{F7}'),
            0x80..=0xBF => matches!(c, '\u{AA}' | '\u{B5}' | '\u{BA}'),
            0x2000..=0x206F => false,
            _ => {
                static CLASS: LazyLock<Regex> =
                    LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}]$").expect("class compiles"));
                CLASS.is_match(c.encode_utf8(&mut [0; 4]))
            }
        }
    }
}

/// The information tokens of a text: words lower-cased, figures by value.
pub fn tokenize(text: &str, figs: &[Figure]) -> Vec<Token> {
    // About one token per six bytes of prose; growing the vector was a tenth of tokenizing.
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut fig_i = 0;
    let mut emitted: Option<usize> = None;
    for m in word_spans(text) {
        while fig_i < figs.len() && figs[fig_i].end <= m.start {
            fig_i += 1;
        }
        if let Some(f) = figs.get(fig_i) {
            if m.start < f.end && m.end > f.start {
                // One token per figure, however many words it spans ("€3.1 million").
                if emitted != Some(fig_i) {
                    out.push(Token::Figure(CompactString::from(f.key.as_str())));
                    emitted = Some(fig_i);
                }
                continue;
            }
        }
        let w = &text[m];
        out.push(Token::Word(if w.is_ascii() && !w.contains('\'') {
            // Lower-cased in place in the (inline) token: no allocation, no Unicode tables.
            let mut t = CompactString::from(w);
            t.make_ascii_lowercase();
            t
        } else {
            CompactString::from(w.replace(['\'', '’'], "").to_lowercase())
        }));
    }
    out
}

/// Where a live blog's time label that opens `text` ends ("14:05 Talks resumed …", "14.05:
/// Polisen …"), else 0: a time, perhaps a colon or a dash, then a capital. "At 14:05, talks
/// resumed" tells the time of the fact and keeps it.
fn time_label_end(text: &str) -> usize {
    let b = text.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&digits)
        || !matches!(b.get(digits), Some(b':' | b'.'))
        || b.len() < digits + 3
        || !b[digits + 1..digits + 3].iter().all(u8::is_ascii_digit)
    {
        return 0;
    }
    let rest = &text[digits + 3..];
    let after = rest.trim_start_matches([':', ' ', '-', '–', '—']);
    let label_end = text.len() - after.len();
    let spaced = rest.starts_with([' ', ':']) && label_end > digits + 3;
    let capital = after.chars().next().is_some_and(char::is_uppercase);
    if spaced && capital && after.split_whitespace().count() >= 4 {
        label_end
    } else {
        0
    }
}

/// Where a dateline or a live blog's time label that opens `text` ends ("GENEVA (Reuters) - ",
/// "KYIV, Ukraine (AP) — ", "STOCKHOLM (TT) – ", "14:05 "), else 0. A dateline is a place in
/// capitals, perhaps its country or a date, perhaps the agency in brackets, then a dash.
pub fn dateline_end(text: &str) -> usize {
    let time = time_label_end(text);
    if time > 0 {
        return time;
    }
    static DATELINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            // Latin letters written out, not \p{L}: the Unicode classes cost more to build
            // than every other pattern of the text model together.
            &r"^U[U'’.-]{2,}(?:\s+U[U'’.-]+){0,3}(?:,\s+U[L.]*(?:\s+U[L.]*){0,2})?(?:,?\s+UL{2,8}\.?\s+\d{1,2})?(?:\s*\([L .&/-]{1,30}\))?\s*[-–—]\s+"
                .replace('U', "[A-ZÀ-ÖØ-Þ]")
                .replace('L', "[A-Za-zÀ-ÖØ-öø-ÿ]"),
        )
        .expect("dateline pattern compiles")
    });
    // Most sentences do not open with three capitals: no regex run for them.
    let caps = text.chars().take(3).filter(|c| c.is_uppercase()).count();
    if caps < 3 {
        return 0;
    }
    let Some(end) = DATELINE.find(text).map(|m| m.end()) else {
        return 0;
    };
    // A heading in capitals ("NO DEMAND TO RESIGN – BUT A CALL TODAY") goes on in capitals;
    // a label ("UPDATE - August 2022", "CORRECTION – …") is no place; and a dateline opens a
    // sentence of some length.
    let next: String = text[end..]
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    let shouting = next.chars().count() > 1 && next.chars().all(char::is_uppercase);
    let first = text
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    let label = matches!(
        first,
        "UPDATE"
            | "UPDATED"
            | "BREAKING"
            | "LIVE"
            | "EXCLUSIVE"
            | "CORRECTION"
            | "ANALYSIS"
            | "OPINION"
            | "WATCH"
            | "VIDEO"
            | "UPPDATERAD"
            | "UPPDATERING"
            | "RÄTTELSE"
    );
    let short = text[end..].split_whitespace().count() < 4;
    if shouting || label || short {
        0
    } else {
        end
    }
}

/// The hash of one token: the members of [`Unit::token_set`].
pub fn token_hash(t: &Token) -> u64 {
    let mut h = FxHasher::default();
    t.hash(&mut h);
    h.finish()
}

/// A sentence's [`Unit::key`] from its tokens' hashes in order: the count, then each hash
/// (each token is hashed once, for the token set, and the key reuses it).
pub fn key_of_hashes(count: usize, hashes: impl Iterator<Item = u64>) -> u64 {
    let mut h = FxHasher::default();
    h.write_usize(count);
    for t in hashes {
        h.write_u64(t);
    }
    h.finish()
}

pub fn hash_tokens(tokens: &[Token]) -> u64 {
    key_of_hashes(tokens.len(), tokens.iter().map(token_hash))
}

impl Sentence {
    /// Is this the very unit of `other` (so the same text)? A quick test before comparing.
    pub fn shares_unit(&self, other: &Sentence) -> bool {
        Arc::ptr_eq(&self.unit, &other.unit)
    }

    /// Two neighbouring sentences read as one (for a change that joined or split them), at
    /// the place of the first: their analyses put end to end, the first quote kept.
    pub fn joined(a: &Sentence, b: &Sentence) -> Sentence {
        let text = format!("{} {}", a.text, b.text);
        let shift = a.text.len() + 1;
        let tokens: Vec<Token> = a.tokens.iter().chain(&b.tokens).cloned().collect();
        let figures = a
            .figures
            .iter()
            .cloned()
            .chain(b.figures.iter().map(|f| Figure {
                start: f.start + shift,
                end: f.end + shift,
                ..f.clone()
            }))
            .collect();
        let mut names = a.names.clone();
        names.extend(b.names.iter().filter(|n| !a.names.contains(n)).cloned());
        let mut token_set: Vec<u64> = tokens.iter().map(token_hash).collect();
        let key = key_of_hashes(token_set.len(), token_set.iter().copied());
        token_set.sort_unstable();
        let unit = Unit {
            key,
            token_bits: a.token_bits | b.token_bits,
            token_set,
            text_hash: hash_str(&text),
            text,
            tokens,
            figures,
            quote: a.quote.clone().or_else(|| b.quote.clone()),
            names,
            context: ContextUse::default(),
        };
        Sentence {
            unit: Arc::new(unit),
            paragraph: a.paragraph,
            index: a.index,
        }
    }
}

/// Analyse one sentence unit on its own (no speaker context: a headline, a test).
pub fn sentence(text: &str, paragraph: usize, index: usize) -> Sentence {
    Sentence {
        unit: Arc::new(analyse(normalise::clean_whitespace(text), None)),
        paragraph,
        index,
    }
}

/// The bit a token hash sets in [`Unit::token_bits`] (from its high bits, the best mixed).
pub fn token_bit(hash: u64) -> u64 {
    1 << (hash >> 58)
}

/// Analyse one whitespace-cleaned unit; with a context, resolve its quote's speaker and record
/// how the context was used.
fn analyse(text: String, ctx: Option<&mut SpeakerContext>) -> Unit {
    let words = names::words(&text);
    let part = Analysis::of(&text, &words);
    let (quote, context) = match ctx {
        Some(ctx) => resolve(&text, &words, &part.runs, ctx),
        None => (None, ContextUse::default()),
    };
    part.into_unit(text, quote, context)
}

/// Quote and speaker: the one part of a unit's analysis that reads the speaker context (what
/// was said before it), so the only part that must run in document order.
fn resolve(
    text: &str,
    words: &[names::Word<'_>],
    runs: &[names::NameRun],
    ctx: &mut SpeakerContext,
) -> (Option<QuoteInfo>, ContextUse) {
    ctx.track();
    let q = quotes::find_quote(text, ctx);
    quotes::observe_names(ctx, text, words, runs, q.as_ref());
    (q, ctx.take_use())
}

/// The analysis of a unit that does not depend on where it stands: figures, tokens, names and
/// hashes. For a large version it is computed on all threads before the units are placed.
struct Analysis {
    figures: Vec<Figure>,
    tokens: Vec<Token>,
    runs: Vec<names::NameRun>,
    names: Vec<String>,
    key: u64,
    token_set: Vec<u64>,
    token_bits: u64,
    text_hash: u64,
}

impl Analysis {
    fn of(text: &str, words: &[names::Word<'_>]) -> Analysis {
        let figures = figures::figures(text);
        // A dateline ("GENEVA (Reuters) -") is the wire's label, not the sentence's
        // information: a version that adds or drops one says the same.
        let tokens = match dateline_end(text) {
            0 => tokenize(text, &figures),
            at => {
                let after: Vec<Figure> = figures
                    .iter()
                    .filter(|f| f.start >= at)
                    .map(|f| Figure {
                        start: f.start - at,
                        end: f.end - at,
                        ..f.clone()
                    })
                    .collect();
                tokenize(&text[at..], &after)
            }
        };
        let runs = names::name_runs(words);
        let names = names::entities_of(&runs);
        let mut token_set: Vec<u64> = tokens.iter().map(token_hash).collect();
        let key = key_of_hashes(token_set.len(), token_set.iter().copied());
        token_set.sort_unstable();
        let token_bits = token_set.iter().fold(0, |bits, &h| bits | token_bit(h));
        Analysis {
            figures,
            tokens,
            runs,
            names,
            key,
            token_set,
            token_bits,
            text_hash: hash_str(text),
        }
    }

    fn into_unit(self, text: String, quote: Option<QuoteInfo>, context: ContextUse) -> Unit {
        Unit {
            key: self.key,
            token_set: self.token_set,
            token_bits: self.token_bits,
            text_hash: self.text_hash,
            text,
            tokens: self.tokens,
            figures: self.figures,
            quote,
            names: self.names,
            context,
        }
    }
}

impl Document {
    pub fn build(headline: &str, paragraphs: &[String]) -> Document {
        Document::build_with(headline, paragraphs, &|_| false, None)
    }

    /// `whole` marks paragraphs to keep as one unit (a correction note is one finding).
    /// `previous`, an earlier version of the same story, lends the analysis of every paragraph
    /// and unit that is unchanged and reads the same speaker context; the result is the same
    /// as without it, only faster.
    pub fn build_with(
        headline: &str,
        paragraphs: &[String],
        whole: &(dyn Fn(&str) -> bool + Sync),
        previous: Option<&Document>,
    ) -> Document {
        let headline = (!headline.trim().is_empty()).then(|| {
            match previous.and_then(|d| d.headline.as_ref()) {
                Some(h) if h.text == normalise::clean_whitespace(headline) => h.clone(),
                _ => sentence(headline, 0, 0),
            }
        });
        let units = previous.map_or(0, |d| d.sentences.len());
        let mut b = Builder {
            ctx: SpeakerContext::default(),
            doc: Document {
                headline,
                sentences: Vec::with_capacity(units),
                paragraphs: Vec::with_capacity(paragraphs.len()),
                index: ReuseIndex {
                    paragraphs: FxHashMap::with_capacity_and_hasher(
                        paragraphs.len(),
                        Default::default(),
                    ),
                    units: FxHashMap::with_capacity_and_hasher(units, Default::default()),
                },
            },
        };
        // Everything but the speaker context is worked out per paragraph, on the other threads
        // for a large version, while the paragraphs before are placed in order, the context
        // carried along.
        let ahead = parallel::is_large(paragraphs);
        parallel::pipeline(
            paragraphs,
            |p| Plan::of(p, whole, previous, ahead),
            |plan| b.paragraph(plan),
        );
        b.doc
    }
}

impl Document {
    /// Is a paragraph with this text in the document (by hash)?
    pub fn has_paragraph(&self, text: &str) -> bool {
        self.index.paragraphs.contains_key(&hash_str(text))
    }
}

/// What a paragraph of the new version is made of, before the speaker context is applied.
struct Plan<'d> {
    hash: u64,
    content: Content<'d>,
}

enum Content<'d> {
    /// The previous version has a paragraph of the same text: its units, in order.
    Same(&'d [Sentence], u64),
    /// Split into units anew: each one known from the previous version or analysed as far as
    /// it can be without the context.
    Fresh(Vec<Piece<'d>>),
}

enum Piece<'d> {
    Known(&'d Arc<Unit>),
    /// A new unit's text, with its analysis when it was done ahead (on another thread).
    New(String, Option<Analysis>),
}

impl<'d> Plan<'d> {
    /// `ahead`: analyse new units as far as the context allows now (the plan is made on
    /// another thread than the one that places it); else that is left to the placing, which
    /// then finds the words once instead of twice.
    fn of(
        p: &str,
        whole: &(dyn Fn(&str) -> bool + Sync),
        previous: Option<&'d Document>,
        ahead: bool,
    ) -> Plan<'d> {
        let hash = hash_str(p);
        if let Some(d) = previous {
            if let Some(&i) = d.index.paragraphs.get(&hash) {
                let (range, key) = &d.paragraphs[i];
                return Plan {
                    hash,
                    content: Content::Same(&d.sentences[range.clone()], *key),
                };
            }
        }
        let ranges = if whole(p) {
            std::iter::once(0..p.len()).collect()
        } else {
            sentences::split(p)
        };
        let pieces = ranges
            .into_iter()
            .map(|range| &p[range])
            .filter(|s| s.chars().any(char::is_alphanumeric))
            .map(|s| {
                let text = normalise::clean_whitespace(s);
                let known = previous.and_then(|d| {
                    let &i = d.index.units.get(&hash_str(&text))?;
                    Some(&d.sentences[i].unit).filter(|u| u.text == text)
                });
                match known {
                    Some(u) => Piece::Known(u),
                    None => {
                        let part = ahead.then(|| Analysis::of(&text, &names::words(&text)));
                        Piece::New(text, part)
                    }
                }
            })
            .collect();
        Plan {
            hash,
            content: Content::Fresh(pieces),
        }
    }
}

/// Places the planned paragraphs in order, carrying the speaker context.
struct Builder {
    ctx: SpeakerContext,
    doc: Document,
}

impl Builder {
    fn paragraph(&mut self, plan: Plan<'_>) {
        let pi = self.doc.paragraphs.len();
        let first = self.doc.sentences.len();
        let mut all_reused = true;
        let mut same_key = None;
        match plan.content {
            Content::Same(units, key) => {
                same_key = Some(key);
                for s in units {
                    all_reused &= self.push_unit(pi, Arc::clone(&s.unit));
                }
            }
            Content::Fresh(pieces) => {
                all_reused = false;
                for piece in pieces {
                    match piece {
                        Piece::Known(u) => {
                            self.push_unit(pi, Arc::clone(u));
                        }
                        Piece::New(text, Some(part)) => {
                            // The words again: they borrow the text, which moves into the unit.
                            let words = names::words(&text);
                            let (quote, context) =
                                resolve(&text, &words, &part.runs, &mut self.ctx);
                            let unit = part.into_unit(text, quote, context);
                            self.place(pi, Arc::new(unit));
                        }
                        Piece::New(text, None) => self.push_new(pi, text),
                    }
                }
            }
        }
        let sentences = &self.doc.sentences[first..];
        if sentences.is_empty() {
            return;
        }
        let key = match same_key {
            Some(key) if all_reused => key,
            // Keyed on the paragraph's tokens, not its sentences, so re-punctuating a
            // paragraph into more or fewer sentences leaves it equal.
            _ => {
                let mut h = FxHasher::default();
                for s in sentences {
                    for t in &s.tokens {
                        t.hash(&mut h);
                    }
                }
                h.finish()
            }
        };
        self.doc.index.paragraphs.insert(plan.hash, pi);
        self.doc
            .paragraphs
            .push((first..self.doc.sentences.len(), key));
    }

    /// Place an analysed unit if the speaker context reads the same for it here; else analyse
    /// its text again. Returns whether it was reused.
    fn push_unit(&mut self, paragraph: usize, unit: Arc<Unit>) -> bool {
        if self.ctx.replay(&unit.context) {
            self.place(paragraph, unit);
            true
        } else {
            // Only the quote and speaker read the context: the rest of the analysis is the
            // unit's own (same text), so it is kept and not redone.
            let words = names::words(&unit.text);
            let runs = names::name_runs(&words);
            let (quote, context) = resolve(&unit.text, &words, &runs, &mut self.ctx);
            let redone = Unit {
                text: unit.text.clone(),
                tokens: unit.tokens.clone(),
                figures: unit.figures.clone(),
                quote,
                names: unit.names.clone(),
                key: unit.key,
                token_set: unit.token_set.clone(),
                token_bits: unit.token_bits,
                text_hash: unit.text_hash,
                context,
            };
            self.place(paragraph, Arc::new(redone));
            false
        }
    }

    fn push_new(&mut self, paragraph: usize, text: String) {
        let unit = analyse(text, Some(&mut self.ctx));
        self.place(paragraph, Arc::new(unit));
    }

    fn place(&mut self, paragraph: usize, unit: Arc<Unit>) {
        // Paragraphs are recorded when complete: the last one recorded ends where this starts.
        let paragraph_start = self.doc.paragraphs.last().map_or(0, |(r, _)| r.end);
        let at = self.doc.sentences.len();
        self.doc.index.units.insert(unit.text_hash, at);
        self.doc.sentences.push(Sentence {
            unit,
            paragraph,
            index: at - paragraph_start,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The hand scanner finds exactly the regular expression's words, on text mixing
        /// apostrophes, digits, Latin letters, combining marks, letter-like symbols and scripts
        /// the fast paths do not cover.
        #[test]
        fn word_spans_match_the_word_pattern(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', 'Z', '7', ' ', '.', '-', '\'', '’', '\u{2019}', '\u{201c}', '\u{2013}', '\u{e5}',
                '\u{f6}', '\u{c9}', '\u{d7}', '\u{f7}', '\u{b2}', '\u{b5}', '\u{aa}', '\u{a0}', '\u{ad}',
                '\u{301}', '\u{2b0}', '\u{1c5}', '\u{436}', '\u{4e2d}', '\u{663}', '\u{24b6}', '\u{1f631}',
                '\u{2070}', '\u{2160}',
            ]), 0..14)
        ) {
            let text: String = chars.into_iter().collect();
            let pattern = regex::Regex::new(r"[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{M}]+)*").unwrap();
            let expected: Vec<_> = pattern.find_iter(&text).map(|m| m.range()).collect();
            let found: Vec<_> = word_spans(&text).collect();
            prop_assert_eq!(found, expected, "{:?}", text);
        }
    }

    #[test]
    fn key_ignores_punctuation_case_and_quote_style() {
        let a = sentence("“It’s done,” Okafor said.", 0, 0);
        let b = sentence("\"It's done\" okafor said", 0, 0);
        assert_eq!(a.key, b.key);
        let c = sentence("“It’s not done,” Okafor said.", 0, 0);
        assert_ne!(a.key, c.key);
    }

    #[test]
    fn figures_become_single_tokens() {
        let s = sentence("Aid worth €3.1 million arrived for 2,400 people.", 0, 0);
        assert_eq!(
            s.tokens,
            vec![
                Token::Word("aid".into()),
                Token::Word("worth".into()),
                Token::Figure("€3100000".into()),
                Token::Word("arrived".into()),
                Token::Word("for".into()),
                Token::Figure("2400".into()),
                Token::Word("people".into()),
            ]
        );
    }
}
