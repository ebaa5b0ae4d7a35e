//! Sentence splitting that news copy survives: abbreviations (U.S., Mr., Feb. 28), decimals,
//! initials, and quotations that span several sentences stay whole. A paragraph opened by a
//! speech dash ("– Vi är glada. Det går bra, säger hon.") stays one unit up to its attribution.

use super::lexicon;

/// Byte ranges of the sentences of one paragraph.
pub fn split(paragraph: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = scan(paragraph, true);
    if ranges.is_empty() {
        // An unbalanced quotation mark (a quote running on into the next paragraph, or a typo)
        // would swallow the paragraph: split as if there were no quotes at all.
        ranges = scan(paragraph, false);
    }
    merge_dash_quote(paragraph, ranges)
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '“' | '„' | '«' | '‹')
}
fn is_close_quote(c: char) -> bool {
    matches!(c, '”' | '»' | '›')
}
fn is_closer(c: char) -> bool {
    matches!(c, '”' | '"' | '»' | '’' | '\'' | ')' | ']' | '›' | '“')
}
fn starts_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || is_open_quote(c)
        || matches!(c, '"' | '‘' | '‚' | '–' | '—' | '(' | '[' | '¿' | '¡' | '”')
}

/// Returns the sentence ranges, or an empty vector when quotes were tracked and left unbalanced.
fn scan(p: &str, track_quotes: bool) -> Vec<std::ops::Range<usize>> {
    // Sized for the worst case (all ASCII): growing it was a third of the scan.
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(p.len());
    chars.extend(p.char_indices());
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut depth: i32 = 0;
    // A ” that closes nothing opens a Swedish-style ”…” quotation.
    let mut swedish_open = false;
    let mut straight_open = false;
    // German „…“: the “ that follows a „ closes it (in English style it would open a quote).
    let mut german_open = 0i32;
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if track_quotes {
            if c == '„' {
                german_open += 1;
            } else if c == '“' && german_open > 0 {
                german_open -= 1;
            } else if is_open_quote(c) {
                depth += 1;
            } else if c == '”' && depth == 0 && !swedish_open {
                swedish_open = true;
            } else if c == '”' && swedish_open && depth == 0 {
                swedish_open = false;
            } else if is_close_quote(c) {
                depth = (depth - 1).max(0);
            } else if c == '"' {
                straight_open = !straight_open;
            }
        }
        if matches!(c, '.' | '!' | '?' | '…') {
            // Consume a run of terminators and closing marks.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '…') {
                j += 1;
            }
            while j < chars.len() && is_closer(chars[j].1) {
                if track_quotes {
                    match chars[j].1 {
                        '“' if german_open > 0 => german_open -= 1,
                        '”' if swedish_open && depth == 0 => swedish_open = false,
                        '”' | '»' | '›' => depth = (depth - 1).max(0),
                        '"' => straight_open = !straight_open,
                        _ => {}
                    }
                }
                j += 1;
            }
            let inside =
                track_quotes && (depth > 0 || german_open > 0 || swedish_open || straight_open);
            let at_end = j >= chars.len();
            // Scraped text glues sentences ("Hansons.Huruvida"): a full stop between two
            // lower-case letters and a capital ends a sentence even without a space.
            let glued = c == '.'
                && j == i + 1
                && !at_end
                && chars[j].1.is_uppercase()
                && chars.get(j + 1).is_some_and(|(_, n)| n.is_lowercase())
                && i >= 2
                && chars[i - 1].1.is_lowercase()
                && chars[i - 2].1.is_lowercase();
            if glued && !inside {
                out.push(start..chars[j].0);
                start = chars[j].0;
                i = j;
                continue;
            }
            let followed_by_space = !at_end && chars[j].1.is_whitespace();
            if !inside && (at_end || followed_by_space) {
                let mut k = j;
                while k < chars.len() && chars[k].1.is_whitespace() {
                    k += 1;
                }
                let next_ok = k >= chars.len() || starts_sentence(chars[k].1);
                if next_ok && !(c == '.' && is_abbreviation(p, pos)) {
                    let end = if j < chars.len() { chars[j].0 } else { p.len() };
                    out.push(start..end);
                    start = if k < chars.len() { chars[k].0 } else { p.len() };
                    i = k;
                    continue;
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    if track_quotes && (depth > 0 || swedish_open || straight_open) {
        return Vec::new();
    }
    if start < p.len() && !p[start..].trim().is_empty() {
        out.push(start..p.len());
    }
    out
}

/// Is the '.' at byte `dot` the end of an abbreviation or initial rather than of a sentence?
fn is_abbreviation(p: &str, dot: usize) -> bool {
    let before = &p[..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // Initials and dotted abbreviations: "J.", "U.S", "e.g".
    let letters: Vec<char> = word.chars().filter(|c| *c != '.').collect();
    if letters.len() == 1 && letters[0].is_alphabetic() && letters[0].is_uppercase() {
        // "wrote on X." names the platform, not a person's initial.
        let platform = word == "X"
            && before[..word_start]
                .split_whitespace()
                .next_back()
                .is_some_and(|w| {
                    matches!(
                        w.to_lowercase().as_str(),
                        "on" | "via" | "på" | "to" | "till"
                    )
                });
        return !platform;
    }
    if word.contains('.') && word.split('.').all(|part| part.chars().count() <= 2) {
        return true;
    }
    // "No. 10", "Nr. 5", "Art. 3": a number sign before its number.
    let numbered = matches!(
        word,
        "No" | "no" | "Nos" | "Art" | "art" | "Nr" | "Vol" | "vol"
    ) && p[dot + 1..]
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit());
    numbered || lexicon::ABBREVIATIONS.contains(word.to_lowercase().as_str())
}

/// In a paragraph opened by a speech dash, the quotation runs until the sentence that carries
/// its attribution ("…, säger hon."); without one it is the whole paragraph.
fn merge_dash_quote(p: &str, ranges: Vec<std::ops::Range<usize>>) -> Vec<std::ops::Range<usize>> {
    if ranges.len() < 2 || !lexicon::opens_with_speech_dash(p) {
        return ranges;
    }
    let attributed = ranges
        .iter()
        .position(|r| lexicon::has_dash_attribution(&p[r.clone()]));
    let last = attributed.unwrap_or(ranges.len() - 1);
    std::iter::once(ranges[0].start..ranges[last].end)
        .chain(ranges.into_iter().skip(last + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(p: &str) -> Vec<&str> {
        split(p).into_iter().map(|r| &p[r]).collect()
    }

    #[test]
    fn a_sentence_ending_on_the_platform_x_ends_there() {
        assert_eq!(
            sents("“The convoys are moving,” Okafor said on X. “This is a good day.”"),
            vec![
                "“The convoys are moving,” Okafor said on X.",
                "“This is a good day.”"
            ]
        );
        // An initial after a preposition stays a name.
        assert_eq!(sents("The book by J. K. Rowling sold well.").len(), 1);
    }

    #[test]
    fn abbreviations_decimals_and_initials_do_not_split() {
        assert_eq!(
            sents("Mr. Okafor met U.S. envoys on Feb. 28 in Harbour City. Growth was 17.5 per cent. J. R. Smith agreed."),
            vec![
                "Mr. Okafor met U.S. envoys on Feb. 28 in Harbour City.",
                "Growth was 17.5 per cent.",
                "J. R. Smith agreed."
            ]
        );
    }

    #[test]
    fn a_number_sign_before_its_number_does_not_split_and_a_plain_no_does() {
        assert_eq!(
            sents("They met at No. 10 Downing Street. Aid agencies welcomed it."),
            vec![
                "They met at No. 10 Downing Street.",
                "Aid agencies welcomed it."
            ]
        );
        assert_eq!(
            sents("Asked if talks would resume, she said no. Aid agencies waited.").len(),
            2
        );
    }

    #[test]
    fn a_quote_spanning_sentences_stays_whole() {
        assert_eq!(
            sents("“We will stay. We will not leave,” she said. Talks resume today."),
            vec![
                "“We will stay. We will not leave,” she said.",
                "Talks resume today."
            ]
        );
        assert_eq!(
            sents("“We are ready.” The convoys left."),
            vec!["“We are ready.”", "The convoys left."]
        );
    }

    #[test]
    fn a_german_single_quote_starts_a_sentence() {
        assert_eq!(
            sents("Die Gespräche begannen. ‚Wir sind bereit‘, sagte Müller."),
            vec![
                "Die Gespräche begannen.",
                "‚Wir sind bereit‘, sagte Müller."
            ]
        );
    }

    #[test]
    fn a_german_double_quote_closes_with_its_own_mark() {
        assert_eq!(
            sents("„Wir sind bereit.“ Die Gespräche begannen. „Gut“, sagte Müller."),
            vec![
                "„Wir sind bereit.“",
                "Die Gespräche begannen.",
                "„Gut“, sagte Müller."
            ]
        );
        // A quote closed in English style after it still holds its sentences together.
        assert_eq!(
            sents("„Gut“, sagte er. “We are ready. We go.” Then they left."),
            vec![
                "„Gut“, sagte er.",
                "“We are ready. We go.”",
                "Then they left."
            ]
        );
    }

    #[test]
    fn sentences_glued_by_a_scraper_are_split() {
        assert_eq!(
            sents("Det sa Hansons.Huruvida han blir kvar är oklart."),
            vec!["Det sa Hansons.", "Huruvida han blir kvar är oklart."]
        );
        assert_eq!(sents("Visit gov.UK today."), vec!["Visit gov.UK today."]);
    }

    #[test]
    fn unbalanced_quotes_fall_back_to_plain_splitting() {
        assert_eq!(
            sents("“We will stay. We will not leave. Talks resume today."),
            vec![
                "“We will stay.",
                "We will not leave.",
                "Talks resume today."
            ]
        );
    }

    #[test]
    fn a_dash_quote_runs_to_its_attribution() {
        assert_eq!(
            sents("– Det är bra. Vi är glada, säger hon. Hon åker i morgon."),
            vec![
                "– Det är bra. Vi är glada, säger hon.",
                "Hon åker i morgon."
            ]
        );
    }
}
