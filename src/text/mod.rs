//! The text model: a version becomes a headline and paragraphs of sentence units, each with the
//! words and figures that carry its information, its quotation and speaker.

pub mod figures;
pub mod lexicon;
pub mod names;
pub mod normalise;
pub mod quotes;
pub mod sentences;

use figures::Figure;
use quotes::{QuoteInfo, SpeakerContext};
use regex::Regex;
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

/// A token of a sentence's information: a lower-cased word, or a figure by its canonical key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Token {
    Word(String),
    Figure(String),
}

impl Token {
    pub fn as_str(&self) -> &str {
        match self {
            Token::Word(w) | Token::Figure(w) => w,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Sentence {
    /// As written, whitespace cleaned.
    pub text: String,
    pub tokens: Vec<Token>,
    pub figures: Vec<Figure>,
    pub quote: Option<QuoteInfo>,
    /// Hash of `tokens`: equal hashes mean the same words and figures (punctuation, case, quote
    /// style and spacing aside).
    pub key: u64,
    /// 0-based paragraph and sentence-within-paragraph.
    pub paragraph: usize,
    pub index: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Document {
    pub headline: Option<Sentence>,
    /// All body sentences in order.
    pub sentences: Vec<Sentence>,
    /// For each paragraph, the range of its sentences in `sentences`, and the hash of its
    /// tokens.
    pub paragraphs: Vec<(std::ops::Range<usize>, u64)>,
}

/// A word, with apostrophes inside it ("driver’s", "don't"), which are dropped from the token
/// so that "drivers" and "driver’s" compare equal.
static WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{M}]+)*").expect("word pattern compiles")
});

/// The information tokens of a text: words lower-cased, figures by value.
pub fn tokenize(text: &str, figs: &[Figure]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut fig_i = 0;
    let mut emitted: Option<usize> = None;
    for m in WORD.find_iter(text) {
        while fig_i < figs.len() && figs[fig_i].end <= m.start() {
            fig_i += 1;
        }
        if let Some(f) = figs.get(fig_i) {
            if m.start() < f.end && m.end() > f.start {
                // One token per figure, however many words it spans ("€3.1 million").
                if emitted != Some(fig_i) {
                    out.push(Token::Figure(f.key.clone()));
                    emitted = Some(fig_i);
                }
                continue;
            }
        }
        out.push(Token::Word(
            m.as_str().replace(['\'', '’'], "").to_lowercase(),
        ));
    }
    out
}

pub fn hash_tokens(tokens: &[Token]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    tokens.hash(&mut h);
    h.finish()
}

pub fn sentence(
    text: &str,
    paragraph: usize,
    index: usize,
    ctx: Option<&mut SpeakerContext>,
) -> Sentence {
    let text = normalise::clean_whitespace(text);
    let figures = figures::figures(&text);
    let tokens = tokenize(&text, &figures);
    let quote = ctx.map(|ctx| {
        let q = quotes::find_quote(&text, ctx);
        quotes::observe(ctx, &text, q.as_ref());
        q
    });
    Sentence {
        key: hash_tokens(&tokens),
        text,
        tokens,
        figures,
        quote: quote.flatten(),
        paragraph,
        index,
    }
}

impl Document {
    pub fn build(headline: &str, paragraphs: &[String]) -> Document {
        Document::build_with(headline, paragraphs, &|_| false)
    }

    /// `whole` marks paragraphs to keep as one unit (a correction note is one finding).
    pub fn build_with(
        headline: &str,
        paragraphs: &[String],
        whole: &dyn Fn(&str) -> bool,
    ) -> Document {
        let headline = (!headline.trim().is_empty()).then(|| sentence(headline, 0, 0, None));
        let mut ctx = SpeakerContext::default();
        let mut sentences = Vec::new();
        let mut paras = Vec::new();
        for p in paragraphs {
            let first = sentences.len();
            let pi = paras.len();
            let ranges = if whole(p) {
                std::iter::once(0..p.len()).collect()
            } else {
                sentences::split(p)
            };
            for range in ranges {
                let s = &p[range];
                if !s.chars().any(char::is_alphanumeric) {
                    continue;
                }
                let idx = sentences.len() - first;
                sentences.push(sentence(s, pi, idx, Some(&mut ctx)));
            }
            if sentences.len() > first {
                // Keyed on the paragraph's tokens, not its sentences, so re-punctuating a
                // paragraph into more or fewer sentences leaves it equal.
                let mut h = std::collections::hash_map::DefaultHasher::new();
                for s in &sentences[first..] {
                    for t in &s.tokens {
                        t.hash(&mut h);
                    }
                }
                paras.push((first..sentences.len(), h.finish()));
            }
        }
        Document {
            headline,
            sentences,
            paragraphs: paras,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ignores_punctuation_case_and_quote_style() {
        let a = sentence("“It’s done,” Okafor said.", 0, 0, None);
        let b = sentence("\"It's done\" okafor said", 0, 0, None);
        assert_eq!(a.key, b.key);
        let c = sentence("“It’s not done,” Okafor said.", 0, 0, None);
        assert_ne!(a.key, c.key);
    }

    #[test]
    fn figures_become_single_tokens() {
        let s = sentence(
            "Aid worth €3.1 million arrived for 2,400 people.",
            0,
            0,
            None,
        );
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
