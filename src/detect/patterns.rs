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
    /// The literals that the patterns' matches must contain, and the caller's extra words,
    /// lower-cased and found case-insensitively; `None` when there are none.
    literals: Option<AhoCorasick>,
    /// What literal `i` of `literals` is: a literal of these (pattern, group) pairs, and
    /// these extra words (a word may be listed more than once).
    literal_owners: Vec<LiteralOwners>,
    /// For each pattern, how many literal groups it has: it can only match a text holding a
    /// literal of every group (none: always run).
    groups: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
struct LiteralOwners {
    groups: Vec<(usize, usize)>,
    words: Vec<usize>,
}

/// At most this many literal groups per pattern (a bit each in a `u64`).
const MAX_GROUPS: usize = 8;

impl PatternSet {
    pub fn new(each: Vec<Regex>) -> PatternSet {
        PatternSet::with_words(each, &[] as &[&str]).expect("no extra words, no error")
    }

    /// A set that also finds `words` (exact, ASCII case aside) in the same scan of a text,
    /// reported by [`PatternSet::scan`]: a caller with a word list of its own saves a pass.
    pub fn with_words(
        each: Vec<Regex>,
        words: &[impl AsRef<str>],
    ) -> Result<PatternSet, aho_corasick::BuildError> {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut literal_owners: Vec<LiteralOwners> = Vec::new();
        let mut index_of = |lit: Vec<u8>, owners: &mut Vec<LiteralOwners>| {
            literals.iter().position(|l| *l == lit).unwrap_or_else(|| {
                literals.push(lit);
                owners.push(LiteralOwners::default());
                literals.len() - 1
            })
        };
        let mut groups = Vec::new();
        for (i, re) in each.iter().enumerate() {
            // A pattern without groups is always a candidate.
            let required = required_literals(re.as_str());
            groups.push(required.len());
            for (g, list) in required.into_iter().enumerate() {
                for lit in list {
                    let at = index_of(lit, &mut literal_owners);
                    literal_owners[at].groups.push((i, g));
                }
            }
        }
        for (w, word) in words.iter().enumerate() {
            let at = index_of(
                word.as_ref().as_bytes().to_ascii_lowercase(),
                &mut literal_owners,
            );
            literal_owners[at].words.push(w);
        }
        let literals = if literals.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    // A DFA: scanned over every classified text, and the list is small.
                    .kind(Some(AhoCorasickKind::DFA))
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&literals)?,
            )
        };
        Ok(PatternSet {
            each,
            literals,
            literal_owners,
            groups,
        })
    }

    /// One pass over `text`: each occurrence of an extra word goes to `word` (its index and
    /// byte range); the result flags the patterns that could match, those with a literal of
    /// every group in the text (so also those without groups).
    pub fn scan(&self, text: &[u8], mut word: impl FnMut(usize, usize, usize)) -> Vec<bool> {
        let mut found = vec![0u64; self.each.len()];
        if let Some(ac) = &self.literals {
            for m in ac.find_overlapping_iter(text) {
                let owners = &self.literal_owners[m.pattern().as_usize()];
                for &(i, g) in &owners.groups {
                    found[i] |= 1 << g;
                }
                for &w in &owners.words {
                    word(w, m.start(), m.end());
                }
            }
        }
        found
            .iter()
            .zip(&self.groups)
            .map(|(&f, &n)| f.count_ones() as usize == n)
            .collect()
    }

    fn candidates(&self, text: &[u8]) -> Vec<bool> {
        self.scan(text, |_, _, _| {})
    }

    /// Indices of the patterns that match `text` (ASCII-folded), in increasing order.
    pub fn matches(&self, text: &[u8]) -> Vec<usize> {
        self.matches_among(text, &self.candidates(text))
    }

    /// Indices of the `candidates` (from [`PatternSet::scan`]) that match `text`.
    pub fn matches_among(&self, text: &[u8], candidates: &[bool]) -> Vec<usize> {
        (0..self.each.len())
            .filter(|&i| candidates[i] && self.each[i].is_match(text))
            .collect()
    }

    /// Whether any pattern matches `text` (ASCII-folded).
    pub fn is_match(&self, text: &[u8]) -> bool {
        let candidate = self.candidates(text);
        (0..self.each.len()).any(|i| candidate[i] && self.each[i].is_match(text))
    }
}

/// Groups of literals that every match of `pattern` (already folded) contains one of each:
/// the prefixes of the whole pattern, and of each part of it that every match must hold
/// ("resum", "restart"… in `\bno\b[^.;]{0,25}\b(resum|restart)`). A pattern with a common
/// first word ("not", "no") is then run only where its rarer second part also occurs. Empty
/// when there is nothing usable (see [`prefixes_of`]).
fn required_literals(pattern: &str) -> Vec<Vec<Vec<u8>>> {
    let Some(hir) = parse_folded(pattern) else {
        return Vec::new();
    };
    let Some(first) = prefixes_of(&hir) else {
        return Vec::new();
    };
    let mut groups = vec![first];
    let mut top = &hir;
    while let regex_syntax::hir::HirKind::Capture(c) = top.kind() {
        top = &c.sub;
    }
    if let regex_syntax::hir::HirKind::Concat(parts) = top.kind() {
        for part in parts.iter().skip(1) {
            // Short literals ("no", "ej") are everywhere: not worth a group.
            match prefixes_of(part) {
                Some(list)
                    if list.iter().all(|l| l.len() >= 3)
                        && !groups.contains(&list)
                        && groups.len() < MAX_GROUPS =>
                {
                    groups.push(list)
                }
                _ => {}
            }
        }
    }
    groups
}

/// The pattern as the literal extraction reads it: case-sensitive, ASCII classes; `None` when
/// it needs Unicode.
fn parse_folded(pattern: &str) -> Option<regex_syntax::hir::Hir> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()
}

/// Every match of `hir` (a folded pattern, or a part of one) starts with one of these byte
/// strings (ASCII case aside), or `None` when there is no short finite list: a pattern starting
/// with `\w+`, or one that can match the empty string. Taken from the case-sensitive form of
/// the pattern; the literals are then found case-insensitively, which covers every case the
/// case-insensitive pattern matches (its case folding is ASCII-only).
fn prefixes_of(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix);
    let seq = extractor.extract(hir);
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
        let prefixes = |p: &str| prefixes_of(&parse_folded(p).unwrap());
        assert_eq!(
            prefixes(r"\b(will|to) meet\b"),
            Some(vec![b"to meet".to_vec(), b"will meet".to_vec()])
        );
        // Nothing usable: an open class first, or a possibly empty match.
        assert_eq!(prefixes(r"\w+ said"), None);
        assert_eq!(prefixes(r"^\W*(correction|note)"), None);
        assert_eq!(prefixes(r"(ab)?"), None);
    }

    #[test]
    fn a_pattern_requires_a_literal_of_each_part_every_match_holds() {
        let lits = |l: &[&str]| l.iter().map(|x| x.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(
            required_literals(r"\b(not|no)\b[^.;]{0,25}\b(resum|restart)\w*"),
            vec![lits(&["no", "not"]), lits(&["restart", "resum"])]
        );
        // An optional part makes no group; the literal parts around it do.
        assert_eq!(
            required_literals(r"\bmet (with )?leaders\b"),
            vec![
                lits(&["met leaders", "met with leaders"]),
                lits(&["met "]),
                lits(&["leaders"])
            ]
        );
        // Short literals make no group; no usable prefix, no group at all.
        assert_eq!(
            required_literals(r"\bwon\b[^.;]{0,40}\d{1,2}-\d{1,2}"),
            vec![lits(&["won"])]
        );
        assert!(required_literals(r"\w+ said").is_empty());
        // A text with the common first word but not the second part runs nothing.
        let s = set(&[r"\b(not|no)\b[^.;]{0,25}\b(resum|restart)\w*"]);
        assert_eq!(s.candidates(b"no, not today"), vec![false]);
        assert_eq!(s.candidates(b"Not before they RESUME"), vec![true]);
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
