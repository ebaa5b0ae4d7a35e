//! Figures: numbers with their currency, scale and unit as written (17.5%, €3.1 million, 2,400,
//! two-week, nine). Each gets a canonical value so "2,400" and "2400", or "nine" and "9", compare
//! equal while any real change of a figure does not.

use super::lexicon::WordSet;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Byte range of the number part (currency, digits or number word, scale, percent).
    pub start: usize,
    pub end: usize,
    /// As written, including an attached hyphenated unit ("two-week", "3-year-old").
    pub text: String,
    /// Canonical form: currency + value + percent marker, e.g. "€3100000", "17.5%", "2".
    pub key: String,
}

const NUMBER_WORDS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("dozen", 12.0),
    ("dozens", 24.0),
    ("hundreds", 200.0),
    ("thousands", 2e3),
    ("half", 0.5),
    ("double", 2.0),
    ("twice", 2.0),
    ("triple", 3.0),
    ("first", 1.0),
    ("second", 2.0),
    ("third", 3.0),
    ("fourth", 4.0),
    ("fifth", 5.0),
    ("sixth", 6.0),
    ("seventh", 7.0),
    ("eighth", 8.0),
    ("ninth", 9.0),
    ("tenth", 10.0),
    // Swedish
    ("två", 2.0),
    ("tre", 3.0),
    ("fyra", 4.0),
    ("fem", 5.0),
    ("sju", 7.0),
    ("åtta", 8.0),
    ("nio", 9.0),
    ("tio", 10.0),
    ("elva", 11.0),
    ("tolv", 12.0),
    ("tjugo", 20.0),
    ("trettio", 30.0),
    ("fyrtio", 40.0),
    ("femtio", 50.0),
    ("hundra", 100.0),
    ("tusen", 1e3),
    ("tusentals", 2e3),
    ("hundratals", 200.0),
];

const SCALES: &[(&str, f64)] = &[
    ("trillion", 1e12),
    ("billion", 1e9),
    ("bn", 1e9),
    ("million", 1e6),
    ("mn", 1e6),
    ("m", 1e6),
    ("k", 1e3),
    ("thousand", 1e3),
    ("miljoner", 1e6),
    ("miljon", 1e6),
    ("miljarder", 1e9),
    ("miljard", 1e9),
    ("mdr", 1e9),
    ("milj", 1e6),
];

// No `\b` anywhere: Unicode word boundaries force the slow regex engines on non-ASCII text
// (Swedish), so boundaries are checked in code instead, with longer words tried first.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    let by_length = |list: &[(&'static str, f64)]| {
        let mut w: Vec<&str> = list.iter().map(|(w, _)| *w).collect();
        w.sort_by_key(|w| std::cmp::Reverse(w.len()));
        w.join("|")
    };
    let pattern = format!(
        r"(?ix)
        (?P<cur>(?:US|A|C|NZ|HK)?[$€£¥₹]|(?:USD|EUR|GBP|SEK|kr)\s?)?
        (?:
          (?P<num>\d{{1,3}}(?:[,_\u{{00A0}}\u{{202F}}]\d{{3}})+(?:\.\d+)?
                |\d+(?:[.,:]\d+)?)
          (?P<glued>\p{{L}}+)?
          |(?P<word>(?:{words})(?:-(?:{words}))?)
        )
        (?P<scale>\s(?:{scales})(?:[^\p{{L}}]|$))?
        (?P<pct>\s?(?:%|per\x20?cent|percent|procent))?
        (?P<unit>-\p{{L}}+(?:-\p{{L}}+)*)?",
        words = by_length(NUMBER_WORDS),
        scales = by_length(SCALES),
    );
    Regex::new(&pattern).expect("figure pattern compiles")
});

/// [`FIGURE`]'s groups by index: looking a group up by name on every match cost more than
/// the rest of reading the figure.
struct Groups {
    cur: usize,
    glued: usize,
    num: usize,
    pct: usize,
    scale: usize,
    unit: usize,
    word: usize,
}

static GROUP: LazyLock<Groups> = LazyLock::new(|| {
    let at = |name: &str| {
        FIGURE
            .capture_names()
            .position(|n| n == Some(name))
            .expect("the figure pattern names this group")
    };
    Groups {
        cur: at("cur"),
        glued: at("glued"),
        num: at("num"),
        pct: at("pct"),
        scale: at("scale"),
        unit: at("unit"),
        word: at("word"),
    }
});

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Mark a plain space between digit groups ("200 000") as a thousands separator, keeping
/// byte offsets: "18 2017" keeps its space (four digits follow).
fn mark_space_thousands(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let mut marked: Option<Vec<u8>> = None;
    for i in 1..b.len().saturating_sub(3) {
        if b[i] == b' '
            && b[i - 1].is_ascii_digit()
            && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
        {
            marked.get_or_insert_with(|| b.to_vec())[i] = b'_';
        }
    }
    match marked {
        Some(m) => std::borrow::Cow::Owned(String::from_utf8(m).expect("ASCII swap keeps UTF-8")),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Digits inside a URL, an e-mail address or code are identifiers, not figures.
fn inside_link_or_code(text: &str, at: usize) -> bool {
    let start = text[..at]
        .char_indices()
        .rfind(|&(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i);
    let token = &text[start..end];
    ["://", "www.", "@", "=", "{", ".com", ".se/", ".uk/", ".org"]
        .iter()
        .any(|m| token.contains(m))
}

fn has_number_word(text: &str) -> bool {
    static WORDS: LazyLock<WordSet> = LazyLock::new(|| {
        let words: Vec<&'static str> = NUMBER_WORDS.iter().map(|(w, _)| *w).collect();
        WordSet::new(words.leak())
    });
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.len() >= 3 && WORDS.contains_lower(w))
}

fn word_value(w: &str) -> Option<f64> {
    let lower = w.to_lowercase();
    let mut total = 0.0;
    let mut found = false;
    for part in lower.split('-') {
        if let Some((_, v)) = NUMBER_WORDS.iter().find(|(n, _)| *n == part) {
            total += v;
            found = true;
        }
    }
    found.then_some(total)
}

fn digits_value(s: &str) -> Option<f64> {
    let s = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if s.contains(':') {
        // A time of day: keep it as hours and minutes, never equal to a plain number.
        let (h, m) = s.split_once(':')?;
        return Some(h.parse::<f64>().ok()? * 100.0 + m.parse::<f64>().ok()? + 0.001);
    }
    let groups: Vec<&str> = s.split([',', ' ', '\u{00A0}', '\u{202F}']).collect();
    let plain = if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3 || g.contains('.')) {
        groups.concat()
    } else if groups.len() == 2 {
        // Decimal comma (3,1 in Swedish).
        format!("{}.{}", groups[0], groups[1])
    } else {
        groups.concat()
    };
    plain.parse().ok()
}

fn canonical(v: f64) -> String {
    // Whole numbers print the same either way, and most figures are whole: skip the float
    // formatting (the larger part of this function's cost).
    if v.fract() == 0.0 && v.is_sign_positive() && v < 1e15 {
        return (v as u64).to_string();
    }
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// All figures in `text`, in order.
pub fn figures(text: &str) -> Vec<Figure> {
    let mut out = Vec::new();
    if !text.chars().any(|c| c.is_ascii_digit()) && !has_number_word(text) {
        return out;
    }
    let scan = mark_space_thousands(text);
    for caps in FIGURE.captures_iter(&scan) {
        let whole = caps.get(0).expect("match");
        let starts_clean = text[..whole.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let word_ends_clean = caps.get(GROUP.word).is_none_or(|w| {
            text[w.end()..]
                .chars()
                .next()
                .is_none_or(|c| !is_word_char(c))
        });
        // "COVID-19", "F-16", "MH17": part of a name, not a figure.
        let glued_to_name = {
            let mut before = text[..whole.start()].chars().rev();
            before.next() == Some('-') && before.next().is_some_and(char::is_alphanumeric)
        };
        if !starts_clean || !word_ends_clean || glued_to_name {
            continue;
        }
        if inside_link_or_code(text, whole.start()) {
            continue;
        }
        let value = if let Some(n) = caps.get(GROUP.num) {
            digits_value(&n.as_str().replace('_', " "))
        } else {
            caps.get(GROUP.word).and_then(|w| word_value(w.as_str()))
        };
        let Some(mut value) = value else { continue };
        // Letters glued to digits: a scale ("$4bn", "3m"), an ordinal ("21st"), or a unit
        // that is part of the figure ("10km").
        let mut glued_unit = String::new();
        if let Some(g) = caps.get(GROUP.glued) {
            let g = g.as_str().to_lowercase();
            if let Some((_, mult)) = SCALES.iter().find(|(n, _)| *n == g) {
                value *= mult;
            } else if !matches!(g.as_str(), "st" | "nd" | "rd" | "th" | "e" | "a") {
                glued_unit = g;
            }
        }
        if let Some(scale) = caps.get(GROUP.scale) {
            let s = scale
                .as_str()
                .trim()
                .trim_end_matches(|c: char| !c.is_alphabetic())
                .to_lowercase();
            // Spelled-out scales only: "3 m" is three metres, not three million.
            if let Some((_, mult)) = SCALES.iter().find(|(n, _)| *n == s && s.len() > 1) {
                value *= mult;
            }
        }
        let currency = caps
            .get(GROUP.cur)
            .map(|c| c.as_str().trim().to_uppercase())
            .unwrap_or_default();
        let pct = if caps.get(GROUP.pct).is_some() {
            "%"
        } else {
            ""
        };
        // A scale match may have taken the character after it; give it back.
        let whole_end = match caps.get(GROUP.scale) {
            Some(sc) if caps.get(GROUP.pct).is_none() && caps.get(GROUP.unit).is_none() => {
                let t = sc.as_str();
                sc.end() - (t.len() - t.trim_end_matches(|c: char| !c.is_alphabetic()).len())
            }
            _ => whole.end(),
        };
        let number_end = caps.get(GROUP.unit).map(|u| u.start()).unwrap_or(whole_end);
        out.push(Figure {
            start: whole.start(),
            end: number_end,
            text: text[whole.start()..whole_end].trim().to_string(),
            key: format!("{currency}{}{pct}{glued_unit}", canonical(value)),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(t: &str) -> Vec<String> {
        figures(t).into_iter().map(|f| f.key).collect()
    }
    fn texts(t: &str) -> Vec<String> {
        figures(t).into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn reads_units_currencies_and_words() {
        assert_eq!(texts("a two-week pause"), vec!["two-week"]);
        assert_eq!(keys("€3.1 million"), vec!["€3100000"]);
        assert_eq!(keys("17.5% of 2,400 people"), vec!["17.5%", "2400"]);
        assert_eq!(keys("nine dead, 9 injured"), vec!["9", "9"]);
        assert_eq!(keys("200 000 kronor"), vec!["200000"]);
        assert_eq!(keys("3,1 procent"), vec!["3.1%"]);
        assert_eq!(keys("$4bn"), vec!["$4000000000"]);
        assert_eq!(keys("at 18:05"), vec!["1805.001"]);
        assert_eq!(keys("twenty-five"), vec!["25"]);
        assert_eq!(keys("COVID-19 cases rose to 40"), vec!["40"]);
    }

    #[test]
    fn whole_numbers_take_the_short_way_to_the_same_key() {
        let slow = |v: f64| {
            let s = format!("{v:.6}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        for v in [
            0.0,
            1.0,
            9.0,
            10.0,
            2400.0,
            1e6,
            3.1e9,
            999_999_999_999_999.0,
            1e15,
            2e18,
        ] {
            assert_eq!(canonical(v), slow(v), "{v}");
        }
        for v in [0.5, 17.5, 1805.001, 3.1, -0.0, -2.0] {
            assert_eq!(canonical(v), slow(v), "{v}");
        }
    }

    #[test]
    fn a_figure_after_a_wide_space_is_read() {
        // U+2009 THIN SPACE is three bytes: the token before the figure starts after all three.
        assert_eq!(keys("har\u{2009}100 000 jobb"), vec!["100000"]);
    }

    #[test]
    fn formatting_of_the_same_value_compares_equal() {
        assert_eq!(keys("2,400"), keys("2400"));
        assert_eq!(keys("17.5 per cent"), keys("17.5%"));
        assert_ne!(keys("8 dead"), keys("11 dead"));
        assert_ne!(keys("two-week"), keys("three-week"));
    }
}
