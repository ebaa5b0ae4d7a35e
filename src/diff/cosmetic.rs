//! The cosmetic filter: does a reworded sentence carry different information? Punctuation,
//! case, quote styles and spacing are already gone from the tokens; what is left to forgive is
//! typos, joined or split words, articles, and clauses in another order. A figure is never a
//! typo: figures compare by value, and any change of one is information.

use crate::text::lexicon;
use crate::text::Token;
use similar::{capture_diff_slices, Algorithm, DiffOp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Same information.
    Cosmetic,
    /// Only figures differ.
    NumbersOnly,
    /// The information differs.
    Changed,
}

/// Compare the information tokens of two aligned sentences.
pub fn compare(old: &[Token], new: &[Token]) -> Verdict {
    if old == new {
        return Verdict::Cosmetic;
    }
    let same_figures = figure_keys(old) == figure_keys(new);
    // With figures masked, is the rest the same information?
    let (a, b) = (masked(old), masked(new));
    if !same_words(&a, &b) {
        // A revised figure often comes with another qualifier ("some 1,200" → "more than
        // 2,000"): still only the figure changed.
        if !same_figures
            && !direction_reversed(&a, &b)
            && same_words(&unqualified(&a), &unqualified(&b))
        {
            return Verdict::NumbersOnly;
        }
        return Verdict::Changed;
    }
    if !same_figures {
        return Verdict::NumbersOnly;
    }
    // Same words and figures, reordered: cosmetic only if each figure still qualifies the same
    // word ("8 died and 3 were hurt" is not "8 were hurt and 3 died").
    if figure_contexts(old) == figure_contexts(new) {
        Verdict::Cosmetic
    } else {
        Verdict::Changed
    }
}

/// Figures masked; every speech verb is one word ("säger" → "sade", "says" → "said" is the
/// tense of the attribution, not information); so are words of the same sense ("about" and
/// "around" before a figure, "injured" and "wounded") and a month however it is spelt.
/// A body's name and its abbreviation are one word ("United Nations" and "UN"), and so is a
/// bound before a figure ("more than" and "over").
fn masked(t: &[Token]) -> Vec<&str> {
    fn one(t: &Token) -> &str {
        match t {
            Token::Figure(_) => "#",
            Token::Word(w) if lexicon::SPEECH_VERBS.contains(w) => "\u{0}say",
            Token::Word(w) => lexicon::same_sense(w)
                .or_else(|| lexicon::month_of(w))
                .or_else(|| lexicon::abbreviation_alias(w))
                .unwrap_or(w.as_str()),
        }
    }
    let mut out = Vec::with_capacity(t.len());
    let mut i = 0;
    while i < t.len() {
        // Before the speech verbs: "states" in "United States" says nothing.
        let short = match (&t[i], t.get(i + 1)) {
            (Token::Word(a), Some(Token::Word(b))) => lexicon::abbreviation_of(a, b)
                .map(|s| (s, 2))
                .or_else(|| bound_before_figure(t, i)),
            (Token::Word(_), Some(Token::Figure(_))) => bound_before_figure(t, i),
            _ => None,
        };
        match short {
            Some((short, n)) => {
                out.push(short);
                i += n;
            }
            None => {
                out.push(one(&t[i]));
                i += 1;
            }
        }
    }
    out
}

/// A bound written before a figure, as one word: "over", "more than", "above", "över",
/// "fler än" → "over"; "under", "less than", "fewer than", "färre än" → "under". Returns the
/// word and how many tokens it took.
fn bound_before_figure(t: &[Token], i: usize) -> Option<(&'static str, usize)> {
    let word = |k: usize| match t.get(i + k) {
        Some(Token::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let figure_at = |k: usize| matches!(t.get(i + k), Some(Token::Figure(_)));
    let (bound, n) = match (word(0)?, word(1)) {
        ("more" | "fler" | "mer", Some("than" | "än")) => ("over", 2),
        ("less" | "fewer" | "färre" | "mindre", Some("than" | "än")) => ("under", 2),
        ("over" | "above" | "över", _) => ("over", 1),
        ("under" | "below", _) => ("under", 1),
        _ => return None,
    };
    figure_at(n).then_some((bound, n))
}

/// Masked words without the qualifiers of a figure ("more than #", "at least #", "cirka #").
/// The verbs that give a figure's level ("stood at #", "rose to #") go too, unless one side
/// says the figure rose and the other that it fell: that reversal is information.
fn unqualified<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let before_figure =
        |i: usize, within: usize| (1..=within).any(|k| words.get(i + k) == Some(&"#"));
    let qualifies = |i: usize| {
        (before_figure(i, 2) && lexicon::FIGURE_QUALIFIERS.contains(words[i]))
            || (before_figure(i, 3) && is_figure_verb(words[i]))
    };
    (0..words.len())
        .filter(|&i| !qualifies(i))
        .map(|i| words[i])
        .collect()
}

fn is_figure_verb(w: &str) -> bool {
    lexicon::FIGURE_LEVELS.contains(w)
        || lexicon::FIGURE_RISES.contains(w)
        || lexicon::FIGURE_FALLS.contains(w)
}

/// Does one side say a figure rose where the other says one fell?
fn direction_reversed(a: &[&str], b: &[&str]) -> bool {
    let says = |w: &[&str], set: &lexicon::WordSet| w.iter().any(|x| set.contains(x));
    let (rises, falls) = (&lexicon::FIGURE_RISES, &lexicon::FIGURE_FALLS);
    (says(a, rises) && says(b, falls)) || (says(a, falls) && says(b, rises))
}

fn figure_keys(t: &[Token]) -> Vec<&str> {
    let mut f: Vec<&str> = t
        .iter()
        .filter_map(|t| match t {
            Token::Figure(k) => Some(k.as_str()),
            Token::Word(_) => None,
        })
        .collect();
    f.sort_unstable();
    f
}

/// Each figure with the word it qualifies: the word after it, or the month of a date written
/// either way round ("3 March" and "March 3").
fn figure_contexts(t: &[Token]) -> Vec<(&str, &str)> {
    let month = |i: Option<usize>| {
        i.and_then(|i| t.get(i))
            .and_then(|w| lexicon::month_of(w.as_str()))
    };
    let mut out: Vec<(&str, &str)> = t
        .iter()
        .enumerate()
        .filter_map(|(i, tok)| match tok {
            Token::Figure(k) => Some((
                k.as_str(),
                month(Some(i + 1))
                    .or_else(|| month(i.checked_sub(1)))
                    .unwrap_or_else(|| t.get(i + 1).map_or("", Token::as_str)),
            )),
            Token::Word(_) => None,
        })
        .collect();
    out.sort_unstable();
    out
}

fn is_ignorable(w: &str) -> bool {
    lexicon::IGNORABLE.contains(w)
}

/// An English contraction as the words it stands for (tokens have lost their apostrophes:
/// "didn't" is "didnt"). Only the ones that cannot be another word: "its", "were", "hell"
/// and "well" stay as they are.
fn expansion(w: &str) -> Option<&'static [&'static str]> {
    Some(match w {
        "dont" => &["do", "not"],
        "doesnt" => &["does", "not"],
        "didnt" => &["did", "not"],
        "isnt" => &["is", "not"],
        "arent" => &["are", "not"],
        "wasnt" => &["was", "not"],
        "werent" => &["were", "not"],
        "hasnt" => &["has", "not"],
        "havent" => &["have", "not"],
        "hadnt" => &["had", "not"],
        "wont" => &["will", "not"],
        "cant" | "cannot" => &["can", "not"],
        "couldnt" => &["could", "not"],
        "wouldnt" => &["would", "not"],
        "shouldnt" => &["should", "not"],
        "mustnt" => &["must", "not"],
        "theyre" => &["they", "are"],
        "youre" => &["you", "are"],
        "theyve" => &["they", "have"],
        "weve" => &["we", "have"],
        "ive" => &["i", "have"],
        "theyll" => &["they", "will"],
        "itll" => &["it", "will"],
        "thats" => &["that", "is"],
        "theres" => &["there", "is"],
        _ => return None,
    })
}

/// The words of a sentence without ignorable ones, contractions written out.
fn content_words<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(words.len());
    for &w in words {
        match expansion(w) {
            Some(full) => out.extend_from_slice(full),
            None if !is_ignorable(w) => out.push(w),
            None => {}
        }
    }
    out
}

/// The same words, forgiving typos, joined/split words, articles, contractions and
/// reordering.
pub fn same_words(old: &[&str], new: &[&str]) -> bool {
    let a = content_words(old);
    let b = content_words(new);
    if a == b {
        return true;
    }
    // Reordered clauses: the same multiset of words.
    let mut sa = a.clone();
    let mut sb = b.clone();
    sa.sort_unstable();
    sb.sort_unstable();
    if sa == sb || relative_clause_split(&sa, &sb) || relative_clause_split(&sb, &sa) {
        return true;
    }
    // Word-level diff: every difference must be a typo or a join/split.
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        match op {
            DiffOp::Equal { .. } => {}
            // A preposition that was missing or doubled ("cases England" → "cases in
            // England"): a typo fix, when nothing else changes around it.
            DiffOp::Delete {
                old_index, old_len, ..
            } if old_len == 1 && lexicon::PREPOSITIONS.contains(a[old_index]) => {}
            DiffOp::Insert {
                new_index, new_len, ..
            } if new_len == 1 && lexicon::PREPOSITIONS.contains(b[new_index]) => {}
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => return false,
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let x = &a[old_index..old_index + old_len];
                let y = &b[new_index..new_index + new_len];
                let joined = x.concat() == y.concat();
                let typos = x.len() == y.len() && x.iter().zip(y).all(|(p, q)| is_typo(p, q));
                if !(joined || typos) {
                    return false;
                }
            }
        }
    }
    true
}

/// Could `a` → `b` be a spelling fix rather than a different word?
pub fn is_typo(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.chars().any(|c| c.is_numeric()) || b.chars().any(|c| c.is_numeric()) {
        return false;
    }
    if lexicon::NEGATIONS.contains(a) || lexicon::NEGATIONS.contains(b) {
        return false;
    }
    if same_swedish_verb(a, b) || same_swedish_verb(b, a) {
        return true;
    }
    // An accent put in or left out ("cafe" → "café", "Andres" → "Andrés").
    if a.chars().count() == b.chars().count()
        && a.chars()
            .zip(b.chars())
            .all(|(p, q)| without_accent(p) == without_accent(q))
    {
        return true;
    }
    let x: Vec<char> = a.chars().collect();
    let y: Vec<char> = b.chars().collect();
    let len = x.len().min(y.len());
    let transposition = x.len() == y.len() && {
        let diffs: Vec<usize> = (0..x.len()).filter(|&i| x[i] != y[i]).collect();
        diffs.len() == 2
            && diffs[1] == diffs[0] + 1
            && x[diffs[0]] == y[diffs[1]]
            && x[diffs[1]] == y[diffs[0]]
    };
    if transposition {
        return true;
    }
    // Short words change meaning with one letter (rise/rose, now/not): only transpositions.
    if len <= 4 {
        return false;
    }
    let allowed = if len >= 9 { 2 } else { 1 };
    osa_distance(&x, &y) <= allowed && x[0] == y[0]
}

/// Are the sorted words `joined` and `split` the same but for a relative pronoun or "and"
/// that joined two clauses, and the subject pronoun that opens the second of two sentences
/// instead ("Okafor, who arrived on Monday, said …" → "Okafor said …. She arrived on
/// Monday.")?
fn relative_clause_split(joined: &[&str], split: &[&str]) -> bool {
    const JOINERS: &[&str] = &["who", "which", "and", "som", "och", "qui", "der", "die"];
    const SUBJECTS: &[&str] = &[
        "he", "she", "it", "they", "han", "hon", "den", "det", "il", "elle", "er", "sie",
    ];
    if joined.len() != split.len() {
        return false;
    }
    let only = |a: &[&str], b: &[&str]| -> Option<String> {
        let mut rest: Vec<&str> = a.to_vec();
        for w in b {
            if let Some(i) = rest.iter().position(|x| x == w) {
                rest.remove(i);
            }
        }
        (rest.len() == 1).then(|| rest[0].to_string())
    };
    match (only(joined, split), only(split, joined)) {
        (Some(j), Some(s)) => JOINERS.contains(&j.as_str()) && SUBJECTS.contains(&s.as_str()),
        _ => false,
    }
}

/// Is `b` the Swedish past tense of the verb whose supine is `a` ("har beslutat" and
/// "beslutade", "har ringt" and "ringde", "har skadats" and "skadades")? Both report the
/// same fact ("har" is ignorable); the present tense is another thing ("utreder" is not
/// "utredde").
fn same_swedish_verb(a: &str, b: &str) -> bool {
    const PAIRS: &[(&str, &str)] = &[
        ("ats", "ades"),
        ("at", "ade"),
        ("ts", "des"),
        ("ts", "tes"),
        ("t", "de"),
        ("t", "te"),
    ];
    PAIRS.iter().any(
        |(supine, past)| match (a.strip_suffix(supine), b.strip_suffix(past)) {
            (Some(x), Some(y)) => x == y && x.chars().count() >= 3,
            _ => false,
        },
    )
}

/// A letter without its acute, grave, circumflex or diaeresis on a vowel, or its cedilla.
/// Letters of their own in some alphabet stay as they are: "för" is not "for", nor "año"
/// "ano".
fn without_accent(c: char) -> char {
    match c {
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'á' | 'à' | 'â' => 'a',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' => 'o',
        'ú' | 'ù' | 'û' => 'u',
        'ç' => 'c',
        c => c,
    }
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
fn osa_distance(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > 2 {
        return n.abs_diff(m);
    }
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::sentence;

    fn verdict(a: &str, b: &str) -> Verdict {
        compare(&sentence(a, 0, 0).tokens, &sentence(b, 0, 0).tokens)
    }

    #[test]
    fn a_clause_split_off_with_a_pronoun_for_its_subject_is_cosmetic() {
        // The pair's words as the diff joins them: the first sentence's, then the second's.
        let split = |a: &str, b: &str| {
            let (first, second) = b.split_once(". ").unwrap();
            let mut new = sentence(first, 0, 0).tokens.clone();
            new.extend(sentence(second, 0, 0).tokens.iter().cloned());
            compare(&sentence(a, 0, 0).tokens, &new)
        };
        assert_eq!(
            split(
                "Okafor, who arrived on Monday, said the talks would resume.",
                "Okafor said the talks would resume. She arrived on Monday."
            ),
            Verdict::Cosmetic
        );
        assert_eq!(
            split(
                "Okafor arrived on Monday and said the talks would resume.",
                "Okafor arrived on Monday. She said the talks would resume."
            ),
            Verdict::Cosmetic
        );
        // Another subject is another fact.
        assert_eq!(
            split(
                "Okafor arrived on Monday and said the talks would resume.",
                "Okafor arrived on Monday. Brandt said the talks would resume."
            ),
            Verdict::Changed
        );
    }

    #[test]
    fn a_swedish_perfect_told_in_the_past_tense_is_cosmetic_and_the_present_is_not() {
        for (a, b) in [
            (
                "Regeringen har beslutat att höja skatten.",
                "Regeringen beslutade att höja skatten.",
            ),
            (
                "Tre personer har skadats i olyckan.",
                "Tre personer skadades i olyckan.",
            ),
            (
                "Polisen har ringt till familjen.",
                "Polisen ringde till familjen.",
            ),
        ] {
            assert_eq!(verdict(a, b), Verdict::Cosmetic, "{a} → {b}");
        }
        assert_eq!(
            verdict("Polisen utreder branden.", "Polisen utredde branden."),
            Verdict::Changed
        );
    }

    #[test]
    fn an_accent_put_in_or_left_out_is_cosmetic_and_a_letter_of_its_own_is_not() {
        assert_eq!(
            verdict(
                "The cafe near the bridge was shelled.",
                "The café near the bridge was shelled."
            ),
            Verdict::Cosmetic
        );
        assert_eq!(
            verdict("Andres Garcia spoke.", "Andrés García spoke."),
            Verdict::Cosmetic
        );
        assert_eq!(
            verdict("Han gick for att handla.", "Han gick för att handla."),
            Verdict::Changed
        );
    }

    #[test]
    fn a_contraction_written_out_is_cosmetic_and_a_negation_added_is_not() {
        for (a, b) in [
            (
                "The minister didn't attend the talks.",
                "The minister did not attend the talks.",
            ),
            ("They can't leave the city.", "They cannot leave the city."),
            ("They're ready to talk.", "They are ready to talk."),
            (
                "It won’t reopen on Monday.",
                "It will not reopen on Monday.",
            ),
        ] {
            assert_eq!(verdict(a, b), Verdict::Cosmetic, "{a} → {b}");
        }
        for (a, b) in [
            (
                "The minister did attend the talks.",
                "The minister didn't attend the talks.",
            ),
            ("They can leave the city.", "They can't leave the city."),
        ] {
            assert_eq!(verdict(a, b), Verdict::Changed, "{a} → {b}");
        }
    }

    #[test]
    fn a_figure_revised_with_its_level_verb_reworded_is_numbers_only() {
        for (a, b) in [
            ("The death toll stood at 12.", "The death toll rose to 15."),
            (
                "Unemployment was 5.1% in May.",
                "Unemployment rose to 5.3% in May.",
            ),
            ("Dödssiffran steg till 12.", "Dödssiffran uppgick till 15."),
        ] {
            assert_eq!(verdict(a, b), Verdict::NumbersOnly, "{a:?} → {b:?}");
        }
    }

    #[test]
    fn a_body_named_in_full_or_abbreviated_is_cosmetic() {
        for (a, b) in [
            (
                "The UN said 300 people had fled.",
                "The United Nations said 300 people had fled.",
            ),
            (
                "US officials met EU envoys.",
                "United States officials met European Union envoys.",
            ),
            (
                "FN larmar om svälten.",
                "Förenta nationerna larmar om svälten.",
            ),
            ("USA inför tullar.", "US inför tullar."),
        ] {
            assert_eq!(verdict(a, b), Verdict::Cosmetic, "{a:?} → {b:?}");
        }
        assert_eq!(
            verdict("The UN said so.", "The EU said so."),
            Verdict::Changed
        );
    }

    #[test]
    fn a_bound_or_a_date_written_another_way_is_cosmetic() {
        for (a, b) in [
            (
                "Over 100 people were evacuated.",
                "More than 100 people were evacuated.",
            ),
            (
                "Fler än 100 personer evakuerades.",
                "Över 100 personer evakuerades.",
            ),
            ("Fewer than 10 remain.", "Under 10 remain."),
            ("The meeting is on 3 March.", "The meeting is on March 3."),
        ] {
            assert_eq!(verdict(a, b), Verdict::Cosmetic, "{a:?} → {b:?}");
        }
        assert_eq!(
            verdict("Over 100 people fled.", "Under 100 people fled."),
            Verdict::Changed
        );
        assert_eq!(
            verdict("It costs more than that.", "It costs over that."),
            Verdict::Changed
        );
    }

    #[test]
    fn a_figure_said_to_fall_where_it_rose_is_a_change() {
        assert_eq!(
            verdict("Prices rose 5% in May.", "Prices fell 7% in May."),
            Verdict::Changed
        );
        assert_eq!(
            verdict(
                "Exporten minskade med 3 procent.",
                "Exporten ökade med 4 procent."
            ),
            Verdict::Changed
        );
    }

    #[test]
    fn typos_punctuation_and_reordering_are_cosmetic() {
        assert_eq!(
            verdict(
                "The goverment said talks would continue.",
                "The government said talks would continue."
            ),
            Verdict::Cosmetic
        );
        assert_eq!(
            verdict(
                "Talks will resume on Monday, officials said.",
                "Officials said talks will resume on Monday."
            ),
            Verdict::Cosmetic
        );
        assert_eq!(
            verdict(
                "Aid arrived in Harbour City",
                "Aid arrived in Harbour City."
            ),
            Verdict::Cosmetic
        );
        assert_eq!(
            verdict("The convoy left every day.", "The convoy left everyday."),
            Verdict::Cosmetic
        );
        assert_eq!(
            verdict("Okafor met the envoys.", "Okafor met envoys."),
            Verdict::Cosmetic
        );
    }

    #[test]
    fn a_digit_is_never_a_typo() {
        assert_eq!(
            verdict("At least 8 people died.", "At least 11 people died."),
            Verdict::NumbersOnly
        );
        assert_eq!(
            verdict("A two-week pause.", "A three-week pause."),
            Verdict::NumbersOnly
        );
        assert_eq!(
            verdict("Aid costs 2,400 euros.", "Aid costs 2400 euros."),
            Verdict::Cosmetic
        );
    }

    #[test]
    fn the_tense_of_the_attribution_verb_is_cosmetic() {
        assert_eq!(
            verdict("“Vi är glada”, säger Brehm.", "“Vi är glada”, sade Brehm."),
            Verdict::Cosmetic
        );
        assert_eq!(
            verdict(
                "“We are ready,” says Okafor.",
                "“We are ready,” said Okafor."
            ),
            Verdict::Cosmetic
        );
    }

    #[test]
    fn meaning_words_are_not_typos() {
        assert_eq!(
            verdict("Aid will resume.", "Aid will not resume."),
            Verdict::Changed
        );
        assert_eq!(verdict("Prices rise.", "Prices rose."), Verdict::Changed);
        assert_eq!(
            verdict("Talks collapsed.", "Talks succeeded."),
            Verdict::Changed
        );
        assert_eq!(
            verdict("Eight died and 3 were hurt.", "Eight were hurt and 3 died."),
            Verdict::Changed
        );
    }
}
