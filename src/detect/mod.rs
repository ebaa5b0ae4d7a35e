//! Findings to events: each aligned or unaligned sentence becomes at most one event, with its
//! kind, figures, quote, entities and location; categories and severity come from the rules.

pub mod patterns;
pub mod rules;

use crate::diff::cosmetic::{compare, Verdict};
use crate::diff::{Alignment, Op};
use crate::model::{ChangedSentence, Kind, Location, NumberChange, Quote, SentenceDiff};
use crate::text::{Document, Sentence, Token};

/// One finding before it gets an id and metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub kind: Kind,
    pub text: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub quote: Option<Quote>,
    pub numbers: Vec<NumberChange>,
    pub entities: Vec<String>,
    pub location: Option<Location>,
    pub rule: &'static str,
}

fn location(s: &Sentence) -> Option<Location> {
    Some(Location {
        paragraph: s.paragraph + 1,
        sentence: s.index + 1,
    })
}

fn entities(s: &Sentence) -> Vec<String> {
    let mut e = s.names.clone();
    if let Some(speaker) = s.quote.as_ref().and_then(|q| q.speaker.clone()) {
        if !e
            .iter()
            .any(|x| x == &speaker || x.ends_with(&format!(" {speaker}")))
        {
            e.push(speaker);
        }
    }
    e
}

fn quote_of(s: &Sentence) -> Option<Quote> {
    s.quote.as_ref().map(|q| Quote {
        text: q.text.clone(),
        speaker: q.speaker.clone(),
    })
}

/// Figures that differ between two sentences, paired in order of appearance.
pub fn number_changes(old: Option<&Sentence>, new: Option<&Sentence>) -> Vec<NumberChange> {
    let empty = Vec::new();
    let a = old.map_or(&empty, |s| &s.figures);
    let b = new.map_or(&empty, |s| &s.figures);
    let mut b_left: Vec<bool> = vec![true; b.len()];
    let mut gone = Vec::new();
    for f in a {
        match b
            .iter()
            .enumerate()
            .position(|(j, g)| b_left[j] && g.key == f.key)
        {
            Some(j) => b_left[j] = false,
            None => gone.push(f.text.clone()),
        }
    }
    let came: Vec<String> = b
        .iter()
        .zip(&b_left)
        .filter(|(_, left)| **left)
        .map(|(g, _)| g.text.clone())
        .collect();
    let n = gone.len().max(came.len());
    (0..n)
        .map(|i| NumberChange {
            before: gone.get(i).cloned(),
            after: came.get(i).cloned(),
        })
        .collect()
}

fn added(s: &Sentence) -> Finding {
    let (kind, rule) = if s.quote.is_some() {
        (Kind::QuoteAdded, "quote")
    } else {
        (Kind::FactAdded, "sentence.added")
    };
    Finding {
        kind,
        text: s.text.clone(),
        before: None,
        after: Some(s.text.clone()),
        quote: quote_of(s),
        numbers: number_changes(None, Some(s)),
        entities: entities(s),
        location: location(s),
        rule,
    }
}

fn removed(s: &Sentence) -> Finding {
    let (kind, rule) = if s.quote.is_some() {
        (Kind::QuoteRemoved, "quote")
    } else {
        (Kind::FactRemoved, "sentence.removed")
    };
    Finding {
        kind,
        text: s.text.clone(),
        before: Some(s.text.clone()),
        after: None,
        quote: quote_of(s),
        numbers: number_changes(Some(s), None),
        entities: entities(s),
        location: location(s),
        rule,
    }
}

/// "Lööf", "Annie Lööf" and "Centerledaren Annie Lööf" are one speaker: compare surnames.
fn same_speaker(a: Option<&str>, b: Option<&str>) -> bool {
    let surname = |s: &str| s.rsplit(' ').next().unwrap_or(s).to_lowercase();
    match (a, b) {
        (Some(x), Some(y)) => surname(x) == surname(y),
        (None, None) => true,
        _ => false,
    }
}

/// A reworded sentence: `None` when the rewording carries no information.
fn changed(o: &Sentence, n: &Sentence) -> Option<Finding> {
    let mut verdict = compare(&o.tokens, &n.tokens);
    // The same quote by the same person, named more or less fully ("Lööf" → "Annie Lööf" →
    // "Centerledaren Annie Lööf"): compared without the name and title words.
    if let (Verdict::Changed, Some(a), Some(b)) = (verdict, &o.quote, &n.quote) {
        if same_speaker(a.speaker.as_deref(), b.speaker.as_deref()) {
            let without_speaker = |s: &Sentence, q: &crate::text::quotes::QuoteInfo| {
                let name: Vec<String> = q
                    .speaker
                    .as_deref()
                    .unwrap_or("")
                    .split(' ')
                    .map(str::to_lowercase)
                    .collect();
                s.tokens
                    .iter()
                    .filter(|t| {
                        !name.iter().any(|w| w == t.as_str())
                            && !crate::text::lexicon::is_title(t.as_str())
                    })
                    .cloned()
                    .collect::<Vec<_>>()
            };
            verdict = compare(&without_speaker(o, a), &without_speaker(n, b));
        }
    }
    let speaker_changed = match (&o.quote, &n.quote) {
        (Some(a), Some(b)) => !same_speaker(a.speaker.as_deref(), b.speaker.as_deref()),
        _ => false,
    };
    // Only figures differ: number.changed, quote or not (DESIGN §3). Otherwise a quotation
    // that appeared, went or changed is a quote event.
    let (kind, rule) = match (verdict, &o.quote, &n.quote) {
        (Verdict::Cosmetic, ..) if !speaker_changed => return None,
        (Verdict::NumbersOnly, ..) if !speaker_changed => (Kind::NumberChanged, "number"),
        (_, None, Some(_)) => (Kind::QuoteAdded, "quote"),
        (_, Some(_), None) => (Kind::QuoteRemoved, "quote"),
        // The same words quoted from the same speaker: what changed is around the quotation
        // ("…, säger Anna Berg, presstalesperson på polisen" → "… vid polisen"), not the quote.
        (_, Some(a), Some(b)) if speaker_changed || !same_words_quoted(a, b) => {
            (Kind::QuoteChanged, "quote")
        }
        _ => (Kind::FactChanged, "sentence.changed"),
    };
    // Additions fill only `after`, removals only `before` (DESIGN §3), even when the quote
    // appeared in or left a sentence that was otherwise reworded.
    let (text, before, after) = match kind {
        Kind::QuoteAdded => (n.text.clone(), None, Some(n.text.clone())),
        Kind::QuoteRemoved => (o.text.clone(), Some(o.text.clone()), None),
        _ => (n.text.clone(), Some(o.text.clone()), Some(n.text.clone())),
    };
    Some(Finding {
        kind,
        text,
        before,
        after,
        quote: quote_of(n).or_else(|| quote_of(o)),
        numbers: number_changes(Some(o), Some(n)),
        entities: entities(n),
        location: location(n),
        rule,
    })
}

/// The headline: `None` when unchanged or changed only cosmetically.
/// Do two quotations quote the same words (punctuation, case and typos aside)?
fn same_words_quoted(
    a: &crate::text::quotes::QuoteInfo,
    b: &crate::text::quotes::QuoteInfo,
) -> bool {
    let words = |t: &str| crate::text::sentence(t, 0, 0).tokens.clone();
    compare(&words(&a.text), &words(&b.text)) == Verdict::Cosmetic
}

/// A headline's tokens without a live-coverage label at either end ("LIVE:", "Breaking:",
/// "– live updates", "JUST NU:"): a story going live or ending its live coverage says nothing new.
fn without_live_labels(tokens: &[Token]) -> &[Token] {
    // "#" in a label stands for any figure.
    let is = |ts: &[Token], label: &[&str]| {
        ts.iter().zip(label).all(|(t, w)| match t {
            Token::Figure(_) => *w == "#",
            Token::Word(t) => t == w,
        })
    };
    let mut t = tokens;
    for label in crate::text::lexicon::LIVE_LABELS {
        let n = label.len();
        if t.len() > n && is(&t[..n], label) {
            t = &t[n..];
        }
        if t.len() > n && is(&t[t.len() - n..], label) {
            t = &t[..t.len() - n];
        }
    }
    t
}

pub fn headline(old: &Document, new: &Document) -> (Option<Finding>, Option<ChangedSentence>) {
    match (&old.headline, &new.headline) {
        (Some(o), Some(n)) => {
            if o.text == n.text {
                return (None, None);
            }
            let cosmetic = compare(
                without_live_labels(&o.tokens),
                without_live_labels(&n.tokens),
            ) == Verdict::Cosmetic;
            let record = ChangedSentence {
                before: o.text.clone(),
                after: n.text.clone(),
                cosmetic,
            };
            let finding = (!cosmetic).then(|| Finding {
                kind: Kind::HeadlineChanged,
                text: n.text.clone(),
                before: Some(o.text.clone()),
                after: Some(n.text.clone()),
                quote: None,
                numbers: number_changes(Some(o), Some(n)),
                entities: n.names.clone(),
                location: None,
                rule: "headline",
            });
            (finding, Some(record))
        }
        (None, Some(n)) => (
            Some(Finding {
                kind: Kind::HeadlineChanged,
                text: n.text.clone(),
                before: None,
                after: Some(n.text.clone()),
                quote: None,
                numbers: number_changes(None, Some(n)),
                entities: n.names.clone(),
                location: None,
                rule: "headline",
            }),
            None,
        ),
        (Some(o), None) => (
            Some(Finding {
                kind: Kind::HeadlineChanged,
                text: o.text.clone(),
                before: Some(o.text.clone()),
                after: None,
                quote: None,
                numbers: number_changes(Some(o), None),
                entities: o.names.clone(),
                location: None,
                rule: "headline",
            }),
            None,
        ),
        (None, None) => (None, None),
    }
}

fn texts(sentences: &[Sentence]) -> String {
    sentences
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// All findings of one version against the previous, and the sentence-level diff record.
pub fn findings(
    old: &Document,
    new: &Document,
    alignment: &Alignment,
) -> (Vec<Finding>, SentenceDiff) {
    let mut out = Vec::new();
    let mut diff = SentenceDiff {
        coarse: alignment.coarse,
        ..SentenceDiff::default()
    };
    let (h, hrec) = headline(old, new);
    out.extend(h);
    diff.headline = hrec;
    for op in &alignment.ops {
        match op.clone() {
            Op::Same { old: o, new: n } => {
                let (a, b) = (&old.sentences[o], &new.sentences[n]);
                if !a.shares_unit(b) && a.text != b.text {
                    diff.changed.push(ChangedSentence {
                        before: a.text.clone(),
                        after: b.text.clone(),
                        cosmetic: true,
                    });
                }
            }
            Op::Moved { new: n, .. } => diff.moved.push(new.sentences[n].text.clone()),
            Op::Split {
                old: o,
                new: (a, b),
            } => diff.changed.push(ChangedSentence {
                before: old.sentences[o].text.clone(),
                after: format!("{} {}", new.sentences[a].text, new.sentences[b].text),
                cosmetic: true,
            }),
            Op::Joined {
                old: (a, b),
                new: n,
            } => diff.changed.push(ChangedSentence {
                before: format!("{} {}", old.sentences[a].text, old.sentences[b].text),
                after: new.sentences[n].text.clone(),
                cosmetic: true,
            }),
            Op::Resplit { old: o, new: n } => diff.changed.push(ChangedSentence {
                before: texts(&old.sentences[o]),
                after: texts(&new.sentences[n]),
                cosmetic: true,
            }),
            Op::Paired { old: o, new: n } => {
                let (a, b) = (&old.sentences[o], &new.sentences[n]);
                let f = changed(a, b);
                diff.changed.push(ChangedSentence {
                    before: a.text.clone(),
                    after: b.text.clone(),
                    cosmetic: f.is_none(),
                });
                out.extend(f);
            }
            Op::PairedJoined {
                old: (a, b),
                new: n,
            } => {
                let before = Sentence::joined(&old.sentences[a], &old.sentences[b]);
                let f = changed(&before, &new.sentences[n]);
                diff.changed.push(ChangedSentence {
                    before: before.text.clone(),
                    after: new.sentences[n].text.clone(),
                    cosmetic: f.is_none(),
                });
                out.extend(f);
            }
            Op::PairedSplit {
                old: o,
                new: (a, b),
            } => {
                let after = Sentence::joined(&new.sentences[a], &new.sentences[b]);
                let f = changed(&old.sentences[o], &after);
                diff.changed.push(ChangedSentence {
                    before: old.sentences[o].text.clone(),
                    after: after.text.clone(),
                    cosmetic: f.is_none(),
                });
                out.extend(f);
            }
            Op::Removed { old: o } => {
                diff.removed.push(old.sentences[o].text.clone());
                out.push(removed(&old.sentences[o]));
            }
            Op::Inserted { new: n } => {
                diff.inserted.push(new.sentences[n].text.clone());
                out.push(added(&new.sentences[n]));
            }
        }
    }
    (out, diff)
}
