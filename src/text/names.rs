//! Names: runs of capitalised words ("Foreign Minister Amina Okafor", "UN", "Bo Ericsson"), with
//! leading titles separated so a speaker is reported as the name written in the story.

use super::lexicon;

/// A word of a sentence with its byte range and whether punctuation follows it.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    /// Punctuation (,.;:!? or a quote mark) right after the word: a name run cannot continue.
    pub punct_after: Option<char>,
    /// Punctuation right before the word (an opening quote or bracket).
    pub punct_before: Option<char>,
}

/// Split into words, trimming punctuation around each and remembering it.
pub fn words(s: &str) -> Vec<Word<'_>> {
    // About one word per six bytes of prose.
    let mut out = Vec::with_capacity(s.len() / 6 + 1);
    let bytes = s.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let raw_start = at;
        let (raw_end, next) = piece_end(s, at);
        at = next;
        let raw = &s[raw_start..raw_end];
        if raw.is_empty() {
            continue;
        }
        // Most words start and end with an ASCII letter or digit: no character to decode.
        let lead = if raw.as_bytes()[0].is_ascii_alphanumeric() {
            0
        } else {
            raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len()
        };
        let body = &raw[lead..];
        let trimmed = match body.as_bytes().last() {
            Some(b) if b.is_ascii_alphanumeric() => body,
            _ => body.trim_end_matches(|c: char| !c.is_alphanumeric()),
        };
        if trimmed.is_empty() {
            continue;
        }
        let trail = &body[trimmed.len()..];
        out.push(Word {
            text: trimmed,
            start: raw_start + lead,
            end: raw_start + lead + trimmed.len(),
            punct_after: trail.chars().next(),
            punct_before: raw[..lead].chars().last(),
        });
    }
    out
}

/// Where the whitespace-free piece of `s` starting at `from` ends, and where the next one
/// starts (after the one whitespace character that ends it). Bytes are read as bytes; a
/// character is decoded only at a non-ASCII lead byte, which may start a Unicode space.
fn piece_end(s: &str, from: usize) -> (usize, usize) {
    let bytes = s.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => return (i, i + 1),
            b if b < 0x80 => i += 1,
            _ => {
                let c = s[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    return (i, i + c.len_utf8());
                }
                i += c.len_utf8();
            }
        }
    }
    (bytes.len(), bytes.len())
}

static CONNECTORS: lexicon::WordSet = lexicon::WordSet::new(&[
    "de", "van", "von", "al", "bin", "der", "den", "la", "le", "af", "da", "di", "du", "el", "ibn",
    "ben", "del", "dos", "das", "y",
]);

/// A lower-case particle that joins the parts of a name ("von", "de", "al").
pub fn is_particle(w: &str) -> bool {
    lower_in(w, &CONNECTORS)
}

/// Starts with a capital, or is a particle-joined name part ("al-Rashid", "bin-Salman").
pub fn is_capitalised(w: &str) -> bool {
    let upper_at = |i: usize| w[i..].chars().next().is_some_and(char::is_uppercase);
    // Asked of every word: the byte search for a hyphen beats the generic char pattern.
    upper_at(0) || memchr::memrchr(b'-', w.as_bytes()).is_some_and(|i| upper_at(i + 1))
}

fn lower_in(w: &str, list: &lexicon::WordSet) -> bool {
    list.contains_lower(w)
}

/// A run of capitalised words, as word indices `start..end`.
#[derive(Debug, Clone, PartialEq)]
pub struct NameRun {
    pub start: usize,
    pub end: usize,
    /// The run as written, titles included.
    pub full: String,
    /// The run without leading titles ("Amina Okafor" from "Foreign Minister Amina Okafor").
    pub name: String,
    /// Lower-cased title words that preceded the name.
    pub titles: Vec<String>,
}

impl NameRun {
    /// Looks like a person rather than an organisation or place.
    pub fn is_person(&self) -> bool {
        let parts: Vec<&str> = self.name.split(' ').collect();
        if parts
            .iter()
            .any(|p| lower_in(p, &lexicon::ORGANISATION_WORDS))
        {
            return false;
        }
        if parts.iter().all(|p| p.chars().all(|c| !c.is_lowercase())) {
            return false; // acronyms: UN, WHO, SVT
        }
        !self.titles.is_empty() || parts.len() >= 2
    }

    pub fn surname(&self) -> &str {
        self.name.rsplit(' ').next().unwrap_or(&self.name)
    }
}

/// Runs of capitalised words in `words[range]`. A run breaks at punctuation; the first word
/// of a sentence counts only when more capitalised words follow it (so "Talks resumed" is not
/// a name) or it is an acronym.
pub fn name_runs(ws: &[Word<'_>]) -> Vec<NameRun> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i].text;
        // A capitalised word starts a run unless it is a common word that is not a title.
        // A party's letter in brackets after a politician ("Stefan Löfven (S)") names no one.
        let party_letters = matches!(ws[i].punct_before, Some('(' | '[')) && w.len() <= 2;
        // "Jan" is a month before a date and a first name before a surname ("Jan Egeland").
        let first_name = w == "Jan"
            && ws[i].punct_after.is_none()
            && ws
                .get(i + 1)
                .is_some_and(|n| is_capitalised(n.text) || lower_in(n.text, &CONNECTORS));
        let starts_run = !party_letters
            && is_capitalised(w)
            && (!lower_in(w, &lexicon::NOT_NAMES) || lexicon::is_title(w) || first_name);
        if !starts_run {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut end = i + 1;
        if run_goes_on(&ws[i]) {
            while j < ws.len() {
                let t = ws[j].text;
                // A bracket after a name holds something else: "Ulf Kristersson (M)".
                if matches!(ws[j].punct_before, Some('(' | '[')) {
                    break;
                }
                if is_capitalised(t) && t != "I" {
                    end = j + 1;
                } else if !lower_in(t, &CONNECTORS) {
                    break;
                }
                if !run_goes_on(&ws[j]) {
                    break;
                }
                j += 1;
            }
        }
        let run = &ws[i..end];
        let single_sentence_start = i == 0 && end == 1 && !w.chars().all(|c| !c.is_lowercase());
        // The name starts after the last title word, so a qualified title goes too
        // ("Science Minister George Freeman", "Bank of England Governor Andrew Bailey").
        let name_start = run
            .iter()
            .rposition(|x| lexicon::is_title(x.text))
            .map_or(0, |i| i + 1);
        let titles: Vec<String> = run[..name_start]
            .iter()
            .filter(|x| lexicon::is_title(x.text))
            .map(|x| x.text.to_lowercase())
            .collect();
        let rest: Vec<&str> = run[name_start..].iter().map(|x| x.text).collect();
        let all_not_names = rest.iter().all(|x| lower_in(x, &lexicon::NOT_NAMES));
        if !single_sentence_start && !rest.is_empty() && !all_not_names {
            out.push(NameRun {
                start: i,
                end,
                full: run.iter().map(|x| x.text).collect::<Vec<_>>().join(" "),
                name: rest.join(" "),
                titles,
            });
        }
        i = end.max(i + 1);
    }
    out
}

/// Can a name run go on after this word: no punctuation after it, or the full stop of an
/// abbreviated title ("Dr. Ahmed Salim", "Gen. Mark Milley").
fn run_goes_on(w: &Word<'_>) -> bool {
    match w.punct_after {
        None => true,
        Some('.') => {
            lexicon::ABBREVIATIONS.contains_lower(w.text) && lexicon::TITLES.contains_lower(w.text)
        }
        Some(_) => false,
    }
}

/// The entities of a sentence as written, without duplicates, in order.
pub fn entities(sentence: &str) -> Vec<String> {
    entities_of(&name_runs(&words(sentence)))
}

/// The entities named by a sentence's name runs, without duplicates, in order.
pub fn entities_of(runs: &[NameRun]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for run in runs {
        if !out.contains(&run.name) {
            out.push(run.name.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `words` by its plain definition: split at every whitespace character, trim what is
    /// not a letter or digit from both ends of each piece.
    fn words_by_definition(s: &str) -> Vec<(usize, &str, Option<char>, Option<char>)> {
        let mut out = Vec::new();
        let mut start = 0;
        let ends = s
            .char_indices()
            .filter(|(_, c)| c.is_whitespace())
            .map(|(i, c)| (i, i + c.len_utf8()))
            .chain(std::iter::once((s.len(), s.len())));
        for (end, next) in ends {
            let raw = &s[start..end];
            let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
            let text = raw[lead..].trim_end_matches(|c: char| !c.is_alphanumeric());
            if !text.is_empty() {
                let after = raw[lead + text.len()..].chars().next();
                out.push((start + lead, text, after, raw[..lead].chars().last()));
            }
            start = next;
        }
        out
    }

    proptest! {
        /// The byte-level splitter finds the words, offsets and punctuation of the definition,
        /// on text with ASCII and Unicode spaces, punctuation and non-Latin letters.
        #[test]
        fn words_split_as_the_definition_does(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', 'Z', '7', ' ', ' ', '\t', '\n', '\u{b}', '\u{1c}', '\u{a0}', '\u{85}',
                '\u{2009}', '\u{3000}', '\u{200b}', '.', ',', '"', '\u{201c}', '\u{201d}', '\u{2013}',
                '-', '\'', '\u{2019}', '(', '\u{e5}', '\u{c9}', '\u{436}', '\u{4e2d}', '\u{663}',
            ]), 0..16)
        ) {
            let text: String = chars.into_iter().collect();
            let found: Vec<_> = words(&text)
                .into_iter()
                .map(|w| {
                    assert_eq!(&text[w.start..w.end], w.text);
                    (w.start, w.text, w.punct_after, w.punct_before)
                })
                .collect();
            prop_assert_eq!(found, words_by_definition(&text), "{:?}", text);
        }
    }

    #[test]
    fn finds_names_and_strips_titles() {
        let ws = words("Foreign Minister Amina Okafor met UN envoys in Harbour City.");
        let runs = name_runs(&ws);
        let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["Amina Okafor", "UN", "Harbour City"]);
        assert!(runs[0].is_person());
        assert!(!runs[1].is_person());
        assert!(!runs[2].is_person());
    }

    /// Police and court titles, and Swedish compound titles ("utbildningsminister",
    /// "SAS-chefen", "Åklagaren"), are stripped like "Foreign Minister"; a title after the name
    /// ("MP") is not one.
    #[test]
    fn more_titles_and_swedish_compound_titles_are_stripped() {
        let names =
            |s: &str| -> Vec<String> { name_runs(&words(s)).into_iter().map(|r| r.name).collect() };
        assert_eq!(
            names("Deputy Chief Constable Ann Holt spoke."),
            vec!["Ann Holt"]
        );
        assert_eq!(
            names("Then Superintendent Raj Patel left."),
            vec!["Raj Patel"]
        );
        assert_eq!(
            names("Utbildningsminister Gustav Fridolin och SAS-chefen Rickard Gustafson möttes."),
            vec!["Gustav Fridolin", "Rickard Gustafson"]
        );
        assert_eq!(
            names("Åklagaren Jakob Buch-Jepsen yrkar."),
            vec!["Jakob Buch-Jepsen"]
        );
        assert_eq!(
            names("The Rt Hon Wendy Morton MP spoke."),
            vec!["Rt Hon Wendy Morton MP"]
        );
        assert!(runs_are_persons("Deputy Chief Constable Ann Holt spoke."));
    }

    fn runs_are_persons(s: &str) -> bool {
        name_runs(&words(s)).iter().all(NameRun::is_person)
    }

    #[test]
    fn a_capitalised_first_word_alone_is_not_a_name() {
        assert_eq!(entities("Talks resumed on Monday."), Vec::<String>::new());
        assert_eq!(entities("Okafor Hale arrived."), vec!["Okafor Hale"]);
    }
}
