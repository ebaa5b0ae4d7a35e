//! Rule patterns (regular expressions) and the sets they form: which patterns match a text.
//!
//! Patterns are compiled folded to ASCII and matched against text folded the same way
//! ([`ascii_fold`]), which keeps every match on the regex engine's fast path. With ASCII on both
//! sides, `\w`, `\b`, `\d` and case folding can be ASCII-only: automata many times smaller (and
//! built faster) than their Unicode forms. A pattern that needs Unicode (`\p{L}`) is compiled
//! in Unicode mode.
//!
//! A set does not run every pattern over every text. Most patterns can only match where one of
//! a few literal prefixes occurs ("resum…", "restart…", "will meet"); one Aho-Corasick scan finds
//! those prefixes, and only the patterns whose prefix occurs (plus the few without a usable
//! prefix) are run. The answer is exactly the patterns that match; the scan only skips patterns
//! that cannot. One big `RegexSet` was measured slower on real text: its lazy DFA for many
//! overlapping case-insensitive patterns keeps building new states on text it has not seen.

use crate::text::normalise::{ascii_fold, fold_char};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// One pattern: folded to ASCII, case-insensitive, ASCII classes unless it needs Unicode.
/// The error says what is wrong with the pattern.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    let folded = ascii_fold(pattern);
    let build = |unicode: bool| {
        RegexBuilder::new(&folded)
            .unicode(unicode)
            .case_insensitive(true)
            .size_limit(1 << 24)
            .build()
    };
    if let Some(letter) = letter_in_class(pattern) {
        return Err(format!(
            "{pattern:?}: the character class holds the non-ASCII letter {letter:?}; text and \
             patterns are matched folded to ASCII, where such a letter is several characters, so \
             a class cannot hold it: write an alternation instead, such as (å|ä) for [åä]"
        ));
    }
    build(false)
        .or_else(|_| build(true))
        .map_err(|e| e.to_string())
}

/// A non-ASCII letter inside a bracketed class (`[åäö]`), if the pattern has one: folding
/// turns it into a run of ASCII letters, and the class would silently match something else.
/// (A letter outside a class is fine: the run is matched as a whole.)
fn letter_in_class(pattern: &str) -> Option<char> {
    use regex_syntax::ast::{self, ClassSetItem};
    struct Find(Option<char>);
    impl ast::Visitor for Find {
        type Output = Option<char>;
        type Err = ();
        fn finish(self) -> Result<Option<char>, ()> {
            Ok(self.0)
        }
        fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), ()> {
            let chars = match item {
                ClassSetItem::Literal(l) => vec![l.c],
                ClassSetItem::Range(r) => vec![r.start.c, r.end.c],
                _ => Vec::new(),
            };
            let folds_to_a_run = |c: char| !fold_char(c).is_some_and(|f| f.is_ascii());
            if let Some(&c) = chars
                .iter()
                .find(|&&c| c.is_alphabetic() && folds_to_a_run(c))
            {
                self.0.get_or_insert(c);
            }
            Ok(())
        }
    }
    let ast = ast::parse::Parser::new().parse(pattern).ok()?;
    ast::visit(&ast, Find(None)).ok().flatten()
}

#[derive(Debug, Clone)]
pub struct PatternSet {
    each: Vec<Regex>,
    /// The literal prefixes of the patterns that have a finite list of them, lower-cased and
    /// found case-insensitively; `None` when no pattern has one.
    prefixes: Option<AhoCorasick>,
    /// Prefix `i` of `prefixes` starts matches of these patterns.
    prefix_owners: Vec<Vec<usize>>,
    /// Patterns with no usable prefix list: always run.
    always: Vec<usize>,
}

impl PatternSet {
    pub fn new(each: Vec<Regex>) -> PatternSet {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut prefix_owners: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, re) in each.iter().enumerate() {
            match prefixes_of(re.as_str()) {
                Some(list) => {
                    for lit in list {
                        match literals.iter().position(|l| *l == lit) {
                            Some(at) => prefix_owners[at].push(i),
                            None => {
                                literals.push(lit);
                                prefix_owners.push(vec![i]);
                            }
                        }
                    }
                }
                None => always.push(i),
            }
        }
        let prefixes = (!literals.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                // A DFA: scanned over every classified text, and the list is small.
                .kind(Some(AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .expect("literal prefixes build an automaton")
        });
        PatternSet {
            each,
            prefixes,
            prefix_owners,
            always,
        }
    }

    /// The patterns that could match `text`: those whose prefix occurs in it, and those always
    /// run. A flag per pattern.
    fn candidates(&self, text: &[u8]) -> Vec<bool> {
        let mut candidate = vec![false; self.each.len()];
        for &i in &self.always {
            candidate[i] = true;
        }
        if let Some(ac) = &self.prefixes {
            for m in ac.find_overlapping_iter(text) {
                for &i in &self.prefix_owners[m.pattern().as_usize()] {
                    candidate[i] = true;
                }
            }
        }
        candidate
    }

    /// Indices of the patterns that match `text` (ASCII-folded), in increasing order.
    pub fn matches(&self, text: &[u8]) -> Vec<usize> {
        let candidate = self.candidates(text);
        (0..self.each.len())
            .filter(|&i| candidate[i] && self.each[i].is_match(text))
            .collect()
    }

    /// Whether any pattern matches `text` (ASCII-folded).
    pub fn is_match(&self, text: &[u8]) -> bool {
        let candidate = self.candidates(text);
        (0..self.each.len()).any(|i| candidate[i] && self.each[i].is_match(text))
    }
}

/// Every match of `pattern` (already folded) starts with one of these byte strings (ASCII
/// case aside), or `None` when there is no short finite list: a pattern starting with `\w+`,
/// one that can match the empty string, or one that needs Unicode. Taken from the
/// case-sensitive form of the pattern; the prefixes are then found case-insensitively, which
/// covers every case the case-insensitive pattern matches (its case folding is ASCII-only).
fn prefixes_of(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix);
    let seq = extractor.extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    let mut out: Vec<Vec<u8>> = literals
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    out.sort();
    out.dedup();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(patterns: &[&str]) -> PatternSet {
        PatternSet::new(patterns.iter().map(|p| compile(p).unwrap()).collect())
    }

    #[test]
    fn prefixes_are_the_literals_every_match_starts_with() {
        assert_eq!(
            prefixes_of(r"\b(will|to) meet\b"),
            Some(vec![b"to meet".to_vec(), b"will meet".to_vec()])
        );
        // Nothing usable: an open class first, or a possibly empty match.
        assert_eq!(prefixes_of(r"\w+ said"), None);
        assert_eq!(prefixes_of(r"^\W*(correction|note)"), None);
        assert_eq!(prefixes_of(r"(ab)?"), None);
    }

    #[test]
    fn a_non_ascii_letter_in_a_class_is_refused_and_elsewhere_accepted() {
        let e = compile(r"\b[åä]ter\b").unwrap_err();
        assert!(e.contains("non-ASCII letter 'å'"), "{e}");
        assert!(compile(r"[a-zåäö]+").unwrap_err().contains("'å'"));
        // Outside a class, and dashes or quotes inside one (they fold to one ASCII character).
        let re = compile(r"\båter\w*\s?[-–]\s?\d").unwrap();
        assert!(re.is_match(ascii_fold("Återkomst – 3").as_bytes()));
        assert!(compile(r"[\p{L}]+").is_ok());
    }

    #[test]
    fn a_set_answers_exactly_the_patterns_that_match() {
        let s = set(&[
            r"\b(resum|restart)\w*\b[^.;]{0,60}\baid\b",
            r"\bmet (with )?leaders\b",
            r"^\W*correction\b",
            r"\b\d+ killed",
        ]);
        assert_eq!(s.matches(b"They RESUMED the delivery of aid."), vec![0]);
        assert_eq!(s.matches(b"-- Correction: he Met Leaders."), vec![1, 2]);
        assert_eq!(s.matches(b"At least 12 killed"), vec![3]);
        assert_eq!(s.matches(b"restart without help"), Vec::<usize>::new());
        assert!(s.is_match(b"met with leaders"));
        assert!(!s.is_match(b"nothing here"));
    }
}
