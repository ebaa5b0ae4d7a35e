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
    ("miljonerna", 1e6),
    ("miljoner", 1e6),
    ("miljon", 1e6),
    ("miljarderna", 1e9),
    ("miljarder", 1e9),
    ("miljard", 1e9),
    ("mdr", 1e9),
    ("milj", 1e6),
];

/// One match of the figure grammar (see `figure_grammar`): byte ranges of the whole match
/// and of each part present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Parts {
    whole: (usize, usize),
    cur: Option<(usize, usize)>,
    num: Option<(usize, usize)>,
    glued: Option<(usize, usize)>,
    word: Option<(usize, usize)>,
    scale: Option<(usize, usize)>,
    pct: Option<(usize, usize)>,
    unit: Option<(usize, usize)>,
}

/// The grammar of a figure, as the regular expression it was first written as. The scanner
/// below reads exactly these matches (leftmost first, as `regex` picks them; the test
/// `the_scanner_reads_what_the_grammar_matches` holds it to that on every corpus paragraph and
/// on generated text) without a regex engine: the capture search and the lazy DFA's new states
/// were most of the cost of reading figures. Matching is case-insensitive; there is no `\b`
/// anywhere, boundaries are checked by [`figures`].
#[cfg(test)]
fn figure_grammar() -> String {
    let by_length = |list: &[(&'static str, f64)]| by_length(list).join("|");
    format!(
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
    )
}

/// The words of `list`, longest first (an alternation tries them in this order).
fn by_length(list: &[(&'static str, f64)]) -> Vec<&'static str> {
    let mut w: Vec<&str> = list.iter().map(|(w, _)| *w).collect();
    w.sort_by_key(|w| std::cmp::Reverse(w.len()));
    w
}

/// The number words longest first, by the first byte a text can start one with: an ASCII
/// letter in either case gets the words starting with it; a non-ASCII byte those starting
/// with a letter that a non-ASCII character folds to (the Kelvin sign, the long s, "Å").
static WORDS_BY_FIRST_BYTE: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    let words = by_length(NUMBER_WORDS);
    (0..=255u8)
        .map(|b| {
            words
                .iter()
                .copied()
                .filter(|w| match b {
                    0x80.. => w.starts_with(['k', 's', 'å']),
                    _ => w.as_bytes()[0] == b.to_ascii_lowercase(),
                })
                .collect()
        })
        .collect()
});
static SCALES_BY_LENGTH: LazyLock<Vec<&'static str>> = LazyLock::new(|| by_length(SCALES));
const CURRENCY_SYMBOLS: &[char] = &['$', '€', '£', '¥', '₹'];
/// Codes written before a currency symbol ("US$"), and codes standing for one ("SEK ").
const SYMBOL_CODES: &[&str] = &["us", "a", "c", "nz", "hk"];
const CURRENCY_CODES: &[&str] = &["usd", "eur", "gbp", "sek", "kr"];
const THOUSANDS_SEPARATORS: &[char] = &[',', '_', '\u{00A0}', '\u{202F}'];

/// A character as case-insensitive matching sees it against the grammar's lower-case
/// literals: Unicode simple case folding, which for these letters also takes the Kelvin sign,
/// the long s and the Ångström sign.
fn fold_case(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'Å' | '\u{212B}' => 'å',
        '\u{212A}' => 'k',
        '\u{017F}' => 's',
        c => c,
    }
}

/// `\d`: a Unicode decimal digit.
fn is_digit(c: char) -> bool {
    static ND: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d$").expect("compiles"));
    c.is_ascii_digit()
        || (!c.is_ascii() && c.is_numeric() && ND.is_match(c.encode_utf8(&mut [0; 4])))
}

/// `\p{L}`: a Unicode letter. `is_alphabetic` also takes letter numbers and some marks.
fn is_letter(c: char) -> bool {
    static L: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{L}$").expect("compiles"));
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    // Every alphabetic character of Latin-1 and Latin Extended-A/B is a letter.
    c.is_alphabetic()
        && (('\u{C0}'..='\u{24F}').contains(&c) || L.is_match(c.encode_utf8(&mut [0; 4])))
}

/// The figure grammar read by hand over one text, from a byte offset.
struct Scanner<'t> {
    text: &'t str,
}

impl<'t> Scanner<'t> {
    fn char_at(&self, at: usize) -> Option<char> {
        self.text[at..].chars().next()
    }

    /// The end of `literal` (lower case) read case-insensitively at `at`.
    fn literal(&self, at: usize, literal: &str) -> Option<usize> {
        let b = &self.text.as_bytes()[at..];
        let lb = literal.as_bytes();
        if b.first()
            .is_some_and(|&t| t < 0x80 && t.to_ascii_lowercase() != lb[0])
        {
            return None;
        }
        // ASCII text decides byte by byte; only a non-ASCII character can fold to a literal's
        // letter (the Kelvin sign to "k") and needs the slow way.
        let ascii_answer = lb
            .iter()
            .enumerate()
            .try_for_each(|(i, &l)| match b.get(i) {
                Some(&t) if t >= 0x80 => Err(None),
                Some(&t) if t.to_ascii_lowercase() == l => Ok(()),
                _ => Err(Some(())),
            });
        match ascii_answer {
            Ok(()) => return Some(at + lb.len()),
            Err(Some(())) => return None,
            Err(None) => {}
        }
        let mut end = at;
        let mut rest = self.text[at..].chars();
        for want in literal.chars() {
            let c = rest.next()?;
            if fold_case(c) != want {
                return None;
            }
            end += c.len_utf8();
        }
        Some(end)
    }

    /// The end of the first of `literals` read at `at`, in their order.
    fn first_of(&self, at: usize, literals: &[&str]) -> Option<usize> {
        literals.iter().find_map(|l| self.literal(at, l))
    }

    /// The end of one character at `at` that passes `test`.
    fn one(&self, at: usize, test: impl Fn(char) -> bool) -> Option<usize> {
        self.char_at(at)
            .filter(|&c| test(c))
            .map(|c| at + c.len_utf8())
    }

    /// The end of the longest run (at least one) of characters passing `test`.
    fn run(&self, at: usize, test: impl Fn(char) -> bool) -> Option<usize> {
        let len: usize = self.text[at..]
            .chars()
            .take_while(|&c| test(c))
            .map(char::len_utf8)
            .sum();
        (len > 0).then_some(at + len)
    }

    /// `\d{n}`: exactly `n` digits.
    fn digits(&self, mut at: usize, n: usize) -> Option<usize> {
        for _ in 0..n {
            at = self.one(at, is_digit)?;
        }
        Some(at)
    }

    /// The currency readings at `at`, in the order the grammar tries them.
    fn currencies(&self, at: usize) -> impl Iterator<Item = usize> + '_ {
        let symbol_after_code = self
            .first_of(at, SYMBOL_CODES)
            .and_then(|e| self.one(e, |c| CURRENCY_SYMBOLS.contains(&c)));
        let symbol = self.one(at, |c| CURRENCY_SYMBOLS.contains(&c));
        let code = self.first_of(at, CURRENCY_CODES);
        let code_and_space = code.and_then(|e| self.one(e, char::is_whitespace));
        [symbol_after_code, symbol, code_and_space, code]
            .into_iter()
            .flatten()
    }

    /// `num`: grouped thousands first, else plain digits with one decimal part.
    fn number(&self, at: usize) -> Option<usize> {
        let run = self.run(at, is_digit)?;
        if self.text[at..run].chars().count() <= 3 {
            let mut end = run;
            let mut groups = 0;
            while let Some(e) = self
                .one(end, |c| THOUSANDS_SEPARATORS.contains(&c))
                .and_then(|e| self.digits(e, 3))
            {
                end = e;
                groups += 1;
            }
            if groups > 0 {
                let decimals = self
                    .one(end, |c| c == '.')
                    .and_then(|e| self.run(e, is_digit));
                return Some(decimals.unwrap_or(end));
            }
        }
        let decimals = self
            .one(run, |c| matches!(c, '.' | ',' | ':'))
            .and_then(|e| self.run(e, is_digit));
        Some(decimals.unwrap_or(run))
    }

    /// `word`: a number word, or two joined by a hyphen ("twenty-five").
    fn number_word(&self, at: usize) -> Option<usize> {
        let words = |at: usize| {
            let first = *self.text.as_bytes().get(at)?;
            self.first_of(at, &WORDS_BY_FIRST_BYTE[usize::from(first)])
        };
        let end = words(at)?;
        let second = self.one(end, |c| c == '-').and_then(words);
        Some(second.unwrap_or(end))
    }

    /// `scale`: a space, a scale word, and the character after it (not a letter) or the end.
    fn scale(&self, at: usize) -> Option<usize> {
        let start = self.one(at, char::is_whitespace)?;
        SCALES_BY_LENGTH.iter().find_map(|sc| {
            let end = self.literal(start, sc)?;
            match self.char_at(end) {
                None => Some(end),
                Some(c) if !is_letter(c) => Some(end + c.len_utf8()),
                Some(_) => None,
            }
        })
    }

    /// `pct`: an optional space, then "%", "per cent", "percent" or "procent".
    fn percent(&self, at: usize) -> Option<usize> {
        let after = |at: usize| {
            self.one(at, |c| c == '%')
                .or_else(|| {
                    let per = self.literal(at, "per")?;
                    self.literal(self.one(per, |c| c == ' ').unwrap_or(per), "cent")
                })
                .or_else(|| self.first_of(at, &["percent", "procent"]))
        };
        self.one(at, char::is_whitespace)
            .and_then(after)
            .or_else(|| after(at))
    }

    /// `unit`: hyphenated words after the figure ("-week", "-year-old").
    fn unit(&self, at: usize) -> Option<usize> {
        let mut end = self
            .one(at, |c| c == '-')
            .and_then(|e| self.run(e, is_letter))?;
        while let Some(e) = self
            .one(end, |c| c == '-')
            .and_then(|e| self.run(e, is_letter))
        {
            end = e;
        }
        Some(end)
    }

    /// The match starting at `at`, if any.
    fn match_at(&self, at: usize) -> Option<Parts> {
        let currencies = self.currencies(at).map(Some).chain([None]);
        for cur in currencies {
            let body = cur.unwrap_or(at);
            let mut m = Parts {
                cur: cur.map(|e| (at, e)),
                ..Parts::default()
            };
            let mut end = if self.one(body, is_digit).is_some() {
                let num = self.number(body)?;
                m.num = Some((body, num));
                let glued = self.run(num, is_letter);
                m.glued = glued.map(|g| (num, g));
                glued.unwrap_or(num)
            } else if let Some(word) = self.number_word(body) {
                m.word = Some((body, word));
                word
            } else {
                continue;
            };
            for (part, read) in [
                (
                    &mut m.scale,
                    Self::scale as fn(&Self, usize) -> Option<usize>,
                ),
                (&mut m.pct, Self::percent),
                (&mut m.unit, Self::unit),
            ] {
                if let Some(e) = read(self, end) {
                    *part = Some((end, e));
                    end = e;
                }
            }
            m.whole = (at, end);
            return Some(m);
        }
        None
    }

    /// The next match at or after `from`: the leftmost.
    fn next_match(&self, mut from: usize) -> Option<Parts> {
        let b = self.text.as_bytes();
        while from < b.len() {
            // A UTF-8 continuation byte (0x80–0xBF) starts no character.
            if (b[from] as i8) >= -0x40 && may_start(b, from) {
                if let Some(m) = self.match_at(from) {
                    return Some(m);
                }
            }
            from += 1;
        }
        None
    }

    /// Every match, left to right, each search going on where the last match ended.
    fn matches(self) -> impl Iterator<Item = Parts> + 't {
        let mut from = 0;
        std::iter::from_fn(move || {
            let m = self.next_match(from)?;
            from = m.whole.1;
            Some(m)
        })
    }
}

/// Can a match start at byte `at` of `b`? Yes at a digit, a `$` or any non-ASCII character
/// (symbols, digits, folded letters); at an ASCII letter, only if it and the next two bytes can
/// begin a code or number word (either case). Most letters of running text fail that lookup,
/// which is what makes the scan fast.
fn may_start(b: &[u8], at: usize) -> bool {
    /// The first two bytes of every literal (lower case), each pair with the set of third
    /// bytes that can follow it: `PAIRS` gives the pair's index in `THIRDS`, 0 for none.
    struct Starts {
        pairs: Vec<u8>,
        thirds: Vec<[u64; 4]>,
    }
    static STARTS: LazyLock<Starts> = LazyLock::new(|| {
        let mut t = Starts {
            pairs: vec![0; 1 << 16],
            thirds: vec![[0; 4]],
        };
        // A symbol code stands before a symbol: `$`, or a non-ASCII one (always let through).
        let symbol_codes = SYMBOL_CODES.iter().map(|c| format!("{c}$"));
        let literals = NUMBER_WORDS
            .iter()
            .map(|(w, _)| w.to_string())
            .chain(CURRENCY_CODES.iter().map(|c| c.to_string()))
            .chain(symbol_codes);
        for l in literals {
            let l = l.as_bytes();
            let pair = usize::from(l[0]) << 8 | usize::from(l[1]);
            if t.pairs[pair] == 0 {
                t.pairs[pair] = u8::try_from(t.thirds.len()).expect("under 256 literal starts");
                // A non-ASCII character may fold to a literal's letter (the Kelvin sign, "ſ").
                t.thirds.push([0, 0, u64::MAX, u64::MAX]);
            }
            let thirds = &mut t.thirds[usize::from(t.pairs[pair])];
            match l.get(2) {
                Some(&c) if c < 0x80 => thirds[usize::from(c >> 6)] |= 1 << (c & 63),
                Some(_) => {}
                // Two letters are a whole literal: anything may follow.
                None => *thirds = [u64::MAX; 4],
            }
        }
        t
    });
    let first = b[at];
    if first >= 0x80 || first.is_ascii_digit() || first == b'$' {
        return true;
    }
    if !first.is_ascii_alphabetic() {
        return false;
    }
    let second = match b.get(at + 1) {
        Some(&second) if second >= 0x80 => return true,
        Some(&second) => second,
        None => return false,
    };
    let starts = &*STARTS;
    let i = starts.pairs
        [usize::from(first.to_ascii_lowercase()) << 8 | usize::from(second.to_ascii_lowercase())];
    if i == 0 {
        return false;
    }
    let Some(&third) = b.get(at + 2) else {
        return true;
    };
    let third = third.to_ascii_lowercase();
    starts.thirds[usize::from(i)][usize::from(third >> 6)] & 1 << (third & 63) != 0
}

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

/// The number words as a set.
static NUMBER_WORD_SET: LazyLock<WordSet> = LazyLock::new(|| {
    let words: Vec<&'static str> = NUMBER_WORDS.iter().map(|(w, _)| *w).collect();
    WordSet::new(words.leak())
});

fn has_number_word(text: &str) -> bool {
    // The words of `text` split at every non-alphanumeric character, each of 3 bytes or more
    // looked up; read byte by byte, and a word whose ASCII first letter starts no number word
    // is not looked up at all.
    let b = text.as_bytes();
    let alnum_at = |i: usize| -> Option<usize> {
        match b[i] {
            c if c < 0x80 => c.is_ascii_alphanumeric().then_some(1),
            _ => {
                let c = text[i..].chars().next()?;
                c.is_alphanumeric().then(|| c.len_utf8())
            }
        }
    };
    let mut at = 0;
    while at < b.len() {
        let start = at;
        while at < b.len() {
            match alnum_at(at) {
                Some(n) => at += n,
                None => break,
            }
        }
        let first = b.get(start).copied().unwrap_or(0);
        let may_be = first >= 0x80 || !WORDS_BY_FIRST_BYTE[usize::from(first)].is_empty();
        if at - start >= 3 && may_be && NUMBER_WORD_SET.contains_lower(&text[start..at]) {
            return true;
        }
        // Past the separator (a whole character).
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
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

/// A part of a match, read from the original text (the scan's text differs only in the
/// thousands marks, which [`digits_value`] reads as spaces).
#[derive(Clone, Copy)]
struct Span<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Span<'t> {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn as_str(&self) -> &'t str {
        &self.text[self.start..self.end]
    }
}

/// All figures in `text`, in order.
pub fn figures(text: &str) -> Vec<Figure> {
    let mut out = Vec::new();
    // Most sentences have no figure: a quick look for a digit or a number word skips them.
    if !text.bytes().any(|b| b.is_ascii_digit()) && !has_number_word(text) {
        return out;
    }
    let scan = mark_space_thousands(text);
    for m in (Scanner { text: &scan }).matches() {
        let part = |p: Option<(usize, usize)>| {
            p.map(|(s, e)| Span {
                text,
                start: s,
                end: e,
            })
        };
        let whole = Span {
            text,
            start: m.whole.0,
            end: m.whole.1,
        };
        let starts_clean = text[..whole.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let word_ends_clean = part(m.word).is_none_or(|w| {
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
        let value = if let Some(n) = part(m.num) {
            digits_value(&n.as_str().replace('_', " "))
        } else {
            part(m.word).and_then(|w| word_value(w.as_str()))
        };
        let Some(mut value) = value else { continue };
        // Letters glued to digits: a scale ("$4bn", "3m"), an ordinal ("21st"), or a unit
        // that is part of the figure ("10km").
        let mut glued_unit = String::new();
        if let Some(g) = part(m.glued) {
            let g = g.as_str().to_lowercase();
            if let Some((_, mult)) = SCALES.iter().find(|(n, _)| *n == g) {
                value *= mult;
            } else if !matches!(g.as_str(), "st" | "nd" | "rd" | "th" | "e" | "a") {
                glued_unit = g;
            }
        }
        if let Some(scale) = part(m.scale) {
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
        let mut currency = part(m.cur)
            .map(|c| same_currency(&c.as_str().trim().to_uppercase()).to_string())
            .unwrap_or_default();
        let pct = if part(m.pct).is_some() { "%" } else { "" };
        // A scale match may have taken the character after it; give it back.
        let whole_end = match part(m.scale) {
            Some(sc) if part(m.pct).is_none() && part(m.unit).is_none() => {
                let t = sc.as_str();
                sc.end() - (t.len() - t.trim_end_matches(|c: char| !c.is_alphabetic()).len())
            }
            _ => whole.end(),
        };
        let mut number_end = part(m.unit).map(|u| u.start()).unwrap_or(whole_end);
        let mut whole_end = whole_end;
        // "UPDATE 2-Floods": a capitalised word after the hyphen is not a unit of the figure.
        if let Some(u) = part(m.unit) {
            if u.as_str()[1..].starts_with(char::is_uppercase) {
                whole_end = u.start();
            }
        }
        // "3 am", "10:30 p.m.": the half of the day is part of the time, as in "3am".
        if glued_unit.is_empty() && pct.is_empty() && currency.is_empty() && m.unit.is_none() {
            if let Some((half, end)) = meridiem_after(text, whole_end) {
                glued_unit = half.to_string();
                (number_end, whole_end) = (end, end);
            }
        }
        // "5 million dollars", "200 kronor": the currency named after the figure is the one
        // a symbol or code before it stands for ("$5 million", "SEK 200").
        if currency.is_empty() && pct.is_empty() && glued_unit.is_empty() && m.unit.is_none() {
            if let Some((code, end)) = currency_after(text, whole_end) {
                currency = code.to_string();
                (number_end, whole_end) = (end, end);
            }
        }
        // "3 pm", "3pm" and "15:00" are one time of day.
        if let Some(clock) = clock_of(value, &glued_unit) {
            value = clock;
            glued_unit.clear();
        }
        out.push(Figure {
            start: whole.start(),
            end: number_end,
            text: text[whole.start()..whole_end].trim().to_string(),
            key: format!("{currency}{}{pct}{glued_unit}", canonical(value)),
        });
    }
    out
}

/// A time with its half of the day ("3" or "10:30" with "pm") as the 24-hour time of day
/// [`digits_value`] gives "15:00" or "22:30"; `None` for anything that is not such a time.
fn clock_of(value: f64, half: &str) -> Option<f64> {
    let pm = match half {
        "am" => false,
        "pm" => true,
        _ => return None,
    };
    // A time written with minutes carries digits_value's 0.001 mark; a bare hour does not.
    let hhmm = if value.fract() > 0.0 {
        value.trunc()
    } else {
        value * 100.0
    };
    let (hour, minute) = ((hhmm / 100.0).trunc(), hhmm % 100.0);
    if !(1.0..=12.0).contains(&hour) || minute >= 60.0 {
        return None;
    }
    let hour = match (pm, hour == 12.0) {
        (false, true) => 0.0,
        (false, false) | (true, true) => hour,
        (true, false) => hour + 12.0,
    };
    Some(hour * 100.0 + minute + 0.001)
}

/// "am" or "pm" written right after a figure at `at` ("3 am", "3 a.m.", "10:30 P.M."),
/// and where it ends.
fn meridiem_after(text: &str, at: usize) -> Option<(&'static str, usize)> {
    const HALVES: &[(&str, &str)] = &[
        ("a.m.", "am"),
        ("p.m.", "pm"),
        ("a.m", "am"),
        ("p.m", "pm"),
        ("am", "am"),
        ("pm", "pm"),
    ];
    word_after(text, at, false, HALVES)
}

/// The currency a code written before a figure stands for, as a symbol where it has one
/// ("EUR 5" is "€5"; "kr 200" is "SEK 200").
fn same_currency(code: &str) -> &str {
    match code {
        "EUR" => "€",
        "GBP" => "£",
        "KR" => "SEK",
        other => other,
    }
}

/// A currency named by a word after a figure at `at` ("5 million dollars", "200 kronor"), as
/// [`same_currency`] writes it, and where it ends.
fn currency_after(text: &str, at: usize) -> Option<(&'static str, usize)> {
    const NAMES: &[(&str, &str)] = &[
        ("dollars", "$"),
        ("dollar", "$"),
        ("euros", "€"),
        ("euro", "€"),
        ("yen", "¥"),
        ("kronor", "SEK"),
        ("kr", "SEK"),
    ];
    word_after(text, at, true, NAMES)
}

/// The first word of `table` written at `at` (any case, after one space, which `spaced`
/// requires) and ending there (no letter or digit follows): what it stands for, and where it
/// ends.
fn word_after(
    text: &str,
    at: usize,
    spaced: bool,
    table: &[(&str, &'static str)],
) -> Option<(&'static str, usize)> {
    let rest = &text[at..];
    let skipped = rest.len() - rest.strip_prefix(' ').unwrap_or(rest).len();
    if spaced && skipped == 0 {
        return None;
    }
    let start = at + skipped;
    table.iter().find_map(|&(written, stands_for)| {
        let end = start + written.len();
        let here = text.as_bytes().get(start..end)?;
        (here.eq_ignore_ascii_case(written.as_bytes())
            && text
                .get(end..)?
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric()))
        .then_some((stands_for, end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_currency_named_after_the_figure_is_the_one_a_symbol_stands_for() {
        assert_eq!(
            keys("aid worth 1.5 million dollars"),
            keys("aid worth $1.5 million")
        );
        assert_eq!(keys("fem miljoner dollar"), keys("$5 miljoner"));
        assert_eq!(keys("200 000 kronor"), keys("SEK 200 000"));
        assert_eq!(keys("200 kr."), keys("kr 200"));
        assert_eq!(keys("EUR 5m"), keys("5 million euros"));
        assert_ne!(keys("1.5 million dollars"), keys("1.5 million euros"));
        assert_eq!(
            texts("a fine of 20 million kronor."),
            vec!["20 million kronor"]
        );
        // Not a currency: a word that only starts like one, or no space before it.
        assert_eq!(keys("3 euroskeptics"), vec!["3"]);
        assert_eq!(keys("5 dollarstore"), vec!["5"]);
        assert_eq!(keys("200 krönikor"), vec!["200"]);
        assert_eq!(texts("UPDATE 2-Floods kill 12"), vec!["2", "12"]);
        // The definite form of a Swedish scale is a scale: "de 40 miljarderna".
        assert_eq!(keys("de 40 miljarderna"), keys("40 miljarder"));
    }

    fn keys(t: &str) -> Vec<String> {
        figures(t).into_iter().map(|f| f.key).collect()
    }
    fn texts(t: &str) -> Vec<String> {
        figures(t).into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn the_half_of_the_day_belongs_to_the_time() {
        for t in ["at 3am", "at 3 am", "at 3 a.m. on Monday", "at 3 AM"] {
            assert_eq!(keys(t), keys("at 03:00"), "{t}");
        }
        assert_eq!(keys("at 10:30 p.m."), keys("at 10:30pm"));
        assert_ne!(keys("at 3 am"), keys("at 3 pm"));
        // One time of day however it is written.
        assert_eq!(keys("at 3pm"), keys("at 15:00"));
        assert_eq!(keys("at 10:30 p.m."), keys("at 22:30"));
        assert_eq!(keys("at 12 pm"), keys("at 12:00"));
        assert_eq!(keys("at 12 am"), keys("at 0:00"));
        assert_ne!(keys("at 3 pm"), keys("at 15"));
        // "am" as a word after a figure that is not a time of day stays a word.
        assert_eq!(keys("I was 3 amid the chaos"), vec!["3"]);
    }

    #[test]
    fn reads_units_currencies_and_words() {
        assert_eq!(texts("a two-week pause"), vec!["two-week"]);
        assert_eq!(keys("€3.1 million"), vec!["€3100000"]);
        assert_eq!(keys("17.5% of 2,400 people"), vec!["17.5%", "2400"]);
        assert_eq!(keys("nine dead, 9 injured"), vec!["9", "9"]);
        assert_eq!(keys("200 000 kronor"), vec!["SEK200000"]);
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

    static GRAMMAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(&figure_grammar()).unwrap());

    /// The grammar's matches by the regex engine, as [`Parts`].
    fn by_regex(re: &Regex, text: &str) -> Vec<Parts> {
        let at = |name: &str| re.capture_names().position(|n| n == Some(name)).unwrap();
        let names = ["cur", "num", "glued", "word", "scale", "pct", "unit"].map(at);
        re.captures_iter(text)
            .map(|c| {
                let g = |i: usize| c.get(names[i]).map(|m| (m.start(), m.end()));
                let w = c.get(0).unwrap();
                Parts {
                    whole: (w.start(), w.end()),
                    cur: g(0),
                    num: g(1),
                    glued: g(2),
                    word: g(3),
                    scale: g(4),
                    pct: g(5),
                    unit: g(6),
                }
            })
            .collect()
    }

    fn by_scanner(text: &str) -> Vec<Parts> {
        (Scanner { text }).matches().collect()
    }

    /// Every paragraph (and headline) of the example story and both corpus files, as written,
    /// upper-cased and with its spaces marked as `figures` marks them.
    #[test]
    fn the_scanner_reads_what_the_grammar_matches() {
        let re = &*GRAMMAR;
        // Versions repeat most of their paragraphs: each distinct one once.
        let mut paragraphs = std::collections::BTreeSet::new();
        for v in crate::test_corpus::versions() {
            let headline = v["headline"].as_str().unwrap_or_default();
            let body = v["body"].as_str().unwrap_or_default();
            for para in body.split('\n').chain([headline]) {
                paragraphs.insert(para.to_string());
            }
        }
        let (mut checked, mut found) = (0, 0);
        for para in &paragraphs {
            let upper = para.to_uppercase();
            for t in [para.as_str(), upper.as_str(), &mark_space_thousands(para)] {
                let want = by_regex(re, t);
                assert_eq!(by_scanner(t), want, "on {t:?}");
                checked += 1;
                found += want.len();
            }
        }
        assert!(
            checked > 50_000 && found > 80_000,
            "{checked} texts, {found} figures"
        );
    }

    /// The pre-check reads words as splitting at every non-alphanumeric character does, on
    /// every paragraph of the example and both corpus files, as written and upper-cased, and on
    /// edge cases (non-ASCII letters and digits next to number words).
    #[test]
    fn the_number_word_check_splits_words_as_the_plain_definition_does() {
        let plain = |t: &str| {
            t.split(|c: char| !c.is_alphanumeric())
                .any(|w| w.len() >= 3 && NUMBER_WORD_SET.contains_lower(w))
        };
        let mut texts: Vec<String> = [
            "TEN",
            "éten",
            "ten\u{e9}",
            "٣ten",
            "ten٣",
            "x-ten-x",
            "ÅTTA",
            "åtta",
            "tio",
            "ttio",
            "zero",
            "",
            "t",
            "\u{212A}",
            "(three)",
            "nine\u{a0}",
            "ſix",
        ]
        .map(String::from)
        .to_vec();
        for v in crate::test_corpus::versions() {
            for para in v["body"].as_str().unwrap_or_default().split('\n') {
                texts.push(para.to_string());
                texts.push(para.to_uppercase());
            }
        }
        let mut with = 0;
        for t in &texts {
            assert_eq!(has_number_word(t), plain(t), "on {t:?}");
            with += usize::from(plain(t));
        }
        assert!(with > 1_000, "{with} texts with a number word");
    }

    /// Where `\d`, `\p{L}` and case folding differ from their ASCII or `char` look-alikes.
    #[test]
    fn the_scanner_reads_unicode_classes_as_the_grammar_does() {
        for t in [
            "5 million\u{2160}",
            "5 million\u{301}",
            "5 millionª",
            "5 m\u{2160}x",
            "3\u{2160}",
            "3ª",
            "3-\u{2160}",
            "٣٤ dead",
            "1,٣٤٥ dead",
            "\u{212A}r 5",
            "ſek 5",
            "\u{212B}TTA",
            "1,234,5678",
            "entrepreneur 3",
            "often-five",
            "12:30 per cent",
            "US$5m",
        ] {
            assert_eq!(by_scanner(t), by_regex(&GRAMMAR, t), "on {t:?}");
        }
    }

    proptest::proptest! {
        /// Text made of the grammar's own pieces and of the characters where a hand reading
        /// could go wrong: case-folded letters, non-ASCII digits and letters, separators.
        #[test]
        fn the_scanner_reads_what_the_grammar_matches_on_generated_text(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "1", "23", "456", "7890", ",", ".", ":", "_", " ", "\u{A0}", "\u{202F}", "-",
                "%", "$", "€", "US", "us", "A", "C$", "NZ", "HK", "USD", "eur", "SEK", "kr",
                "\u{212A}r", "ſek", "two", "TWENTY", "ten", "tenth", "five", "fem", "ÅTTA",
                "\u{212B}tta", "tre", "million", "m", "bn", "k", "miljoner", "per", "cent",
                "percent", "procent", "week", "year", "old", "é", "ö", "ª", "٣", "\u{2160}",
                "\u{301}", "x", "often", "\n", "\u{2009}", "pro", "th",
            ]), 0..12)
        ) {
            let text: String = pieces.concat();
            proptest::prop_assert_eq!(by_scanner(&text), by_regex(&GRAMMAR, &text), "{:?}", text);
        }
    }

    #[test]
    fn formatting_of_the_same_value_compares_equal() {
        assert_eq!(keys("2,400"), keys("2400"));
        assert_eq!(keys("17.5 per cent"), keys("17.5%"));
        assert_ne!(keys("8 dead"), keys("11 dead"));
        assert_ne!(keys("two-week"), keys("three-week"));
    }
}
