//! Character-level normalisation: the typographic variants that never carry information
//! (quote styles, apostrophes, dashes, exotic spaces) are folded to one form.

/// Fold one character to its plain form, or `None` to drop it (soft hyphen, zero-width marks).
pub fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' | '\u{2039}' | '\u{203A}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => return None,
        '\u{2026}' => '.',
        c if c.is_whitespace() => ' ',
        c => c,
    })
}

/// Typographic folding plus whitespace collapsing; the text keeps its words and punctuation.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars().filter_map(fold_char) {
        if c == ' ' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Text as the rules' regular expressions see it (rule patterns are folded the same way): pure
/// ASCII, so the regex engine's fast DFA can run (it gives up on Unicode word boundaries in
/// non-ASCII text and falls back to engines ~10× slower). Typographic quotes, dashes and
/// spaces are folded as in [`fold_char`]. Every other non-ASCII letter becomes its own run of
/// ASCII letters (see [`encode_letter`]): still a word character, and still distinct ("köp" and
/// "kop" stay different words); digits become `0` and symbols `~`.
pub fn ascii_fold(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(if c.is_ascii_whitespace() { ' ' } else { c });
            continue;
        }
        match fold_char(c) {
            None => {}
            Some(f) if f.is_ascii() => out.push(f),
            Some(f) if f.is_alphabetic() => encode_letter(f, &mut out),
            Some(f) if f.is_numeric() => out.push('0'),
            Some(_) => out.push('~'),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A non-ASCII letter as `zq` + its lower-case code point in hex written with the letters
/// a–p + `q`: "ö" → "zqpgq". Unique (the final `q` ends it) and case-free.
fn encode_letter(c: char, out: &mut String) {
    let lower = c.to_lowercase().next().unwrap_or(c);
    out.push_str("zq");
    let code = lower as u32;
    let digits = (32 - code.leading_zeros()).div_ceil(4).max(1);
    for i in (0..digits).rev() {
        out.push((b'a' + ((code >> (4 * i)) & 0xf) as u8) as char);
    }
    out.push('q');
}

/// Collapse runs of whitespace (including NBSP) into one space and trim; keeps every other
/// character as written. Used on text we show back to people.
pub fn clean_whitespace(text: &str) -> String {
    if is_clean(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    push_words(&mut out, text);
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}

/// Already single-spaced and trimmed (most text is: a quick check saves a copy). A double
/// space is looked for with SIMD; then only a byte that can start a space other than U+0020
/// (ASCII controls, and the lead bytes of NBSP, U+2000–U+200B, U+3000, U+FEFF…) is looked at
/// closely. Curly quotes and dashes share a lead byte with those spaces; their next bytes tell.
fn is_clean(text: &str) -> bool {
    let b = text.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    if DOUBLE_SPACE.find(b).is_some() {
        return false;
    }
    let mut i = 0;
    while let Some(p) = b[i..].iter().position(|&c| MAY_START_SPACE[c as usize]) {
        let at = i + p;
        let next = |k: usize| b.get(at + k).copied().unwrap_or(0);
        let space = match b[at] {
            0x09..=0x0D => true,
            // U+0085, U+00A0
            0xC2 => matches!(next(1), 0x85 | 0xA0),
            // U+1680
            0xE1 => next(1) == 0x9A && next(2) == 0x80,
            // U+2000–U+200B, U+2028, U+2029, U+202F; U+205F
            0xE2 => match next(1) {
                0x80 => matches!(next(2), 0x80..=0x8B | 0xA8 | 0xA9 | 0xAF),
                0x81 => next(2) == 0x9F,
                _ => false,
            },
            // U+3000
            0xE3 => next(1) == 0x80 && next(2) == 0x80,
            // U+FEFF
            0xEF => next(1) == 0xBB && next(2) == 0xBF,
            _ => false,
        };
        if space {
            return false;
        }
        i = at + 1;
    }
    true
}

/// The bytes [`is_clean`] must look at closely.
static MAY_START_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0x09;
    while c <= 0x0D {
        t[c] = true;
        c += 1;
    }
    t[0xC2] = true;
    t[0xE1] = true;
    t[0xE2] = true;
    t[0xE3] = true;
    t[0xEF] = true;
    t
};

/// Append the words of `text` to `out`, single-spaced.
fn push_words(out: &mut String, text: &str) {
    fn push(out: &mut String, word: &str) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if is_clean(text) {
        if !text.is_empty() {
            push(out, text);
        }
    } else if text.contains(['\u{200B}', '\u{FEFF}']) {
        // Zero-width spaces are not Unicode whitespace: the (faster) std splitter misses them.
        for w in text.split(is_space).filter(|w| !w.is_empty()) {
            push(out, w);
        }
    } else {
        for w in text.split_whitespace() {
            push(out, w);
        }
    }
}

/// Split a body into paragraphs at blank lines; lines inside a paragraph are joined.
pub fn paragraphs(body: &str) -> Vec<String> {
    let blocks = blocks(body);
    let mut out = super::parallel::map(&blocks, super::parallel::is_large(&blocks), |block| {
        let mut out = String::with_capacity(block.len());
        for line in block.lines() {
            push_words(&mut out, line);
        }
        out
    });
    // A block of zero-width spaces is not blank to `trim` but holds no word.
    out.retain(|p| !p.is_empty());
    out
}

/// The runs of non-blank lines of a body, as written.
fn blocks(body: &str) -> Vec<&str> {
    let offset = |line: &str| line.as_ptr() as usize - body.as_ptr() as usize;
    let mut out = Vec::new();
    let mut start = None;
    let mut end = 0;
    for line in body.lines() {
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(&body[s..end]);
            }
        } else {
            start.get_or_insert(offset(line));
            end = offset(line) + line.len();
        }
    }
    if let Some(s) = start {
        out.push(&body[s..end]);
    }
    out
}

/// HTML to paragraphs: each block element (p, li, h1–h6, blockquote, div, tr…) starts a new
/// paragraph; entities are decoded by the HTML parser; script and style are dropped.
pub fn html_paragraphs(html: &str) -> Vec<String> {
    use scraper::{Html, Node};
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "pre",
        "aside",
        "main",
        "br",
        "hr",
    ];
    let doc = Html::parse_fragment(html);
    let mut out = Vec::new();
    let mut current = String::new();
    fn flush(current: &mut String, out: &mut Vec<String>) {
        let p = clean_whitespace(current);
        if !p.is_empty() {
            out.push(p);
        }
        current.clear();
    }
    // Iterative walk with explicit enter/leave so deeply nested input cannot overflow the stack.
    let mut stack = vec![(doc.tree.root(), false)];
    while let Some((node, leaving)) = stack.pop() {
        match node.value() {
            Node::Element(el) => {
                let name = el.name();
                if name == "script" || name == "style" || name == "noscript" {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if leaving {
                    if block {
                        flush(&mut current, &mut out);
                    } else if name == "td" || name == "th" {
                        current.push_str(" | ");
                    }
                    continue;
                }
                if block {
                    flush(&mut current, &mut out);
                }
                stack.push((node, true));
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, false));
                }
            }
            Node::Text(t) => {
                if !leaving {
                    current.push_str(t);
                }
            }
            _ => {
                if !leaving {
                    stack.push((node, true));
                    let children: Vec<_> = node.children().collect();
                    for child in children.into_iter().rev() {
                        stack.push((child, false));
                    }
                }
            }
        }
    }
    flush(&mut current, &mut out);
    out.into_iter()
        .map(|p| p.trim_end_matches(" |").trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The byte-level check agrees with its definition: trimmed, single-spaced, and no
        /// other space character, on text mixing every space with look-alike bytes (curly
        /// quotes, dashes, "é", "ö", CJK).
        #[test]
        fn is_clean_is_trimmed_single_spaced_and_free_of_other_spaces(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', 'b', ' ', '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{a0}', '\u{1680}',
                '\u{2000}', '\u{2009}', '\u{200a}', '\u{200b}', '\u{200c}', '\u{2013}', '\u{2019}',
                '\u{201c}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{2060}', '\u{3000}',
                '\u{3001}', '\u{feff}', '\u{fefe}', '\u{e9}', '\u{f6}', '\u{1e9a}', '\u{4e2d}', '\u{1c}',
            ]), 0..12)
        ) {
            let text: String = chars.into_iter().collect();
            let expected = !text.starts_with(' ')
                && !text.ends_with(' ')
                && !text.contains("  ")
                && !text.chars().any(|c| c != ' ' && is_space(c));
            prop_assert_eq!(is_clean(&text), expected, "{:?}", text);
        }
    }

    #[test]
    fn whitespace_cleaning_finds_every_kind_of_space() {
        for (dirty, clean) in [
            ("a  b", "a b"),
            (" a", "a"),
            ("a ", "a"),
            ("a\tb", "a b"),
            ("a\u{a0}b", "a b"),
            ("a\u{2009}b", "a b"),
            ("a\u{200b}b", "a b"),
            ("a\u{feff}b", "a b"),
            ("a\u{3000}b", "a b"),
            ("“a” – ’b’ …", "“a” – ’b’ …"),
            ("åäö «x»", "åäö «x»"),
        ] {
            assert_eq!(clean_whitespace(dirty), clean, "{dirty:?}");
        }
        assert_eq!(paragraphs("a\n b\n\n\u{a0}\nc  d\n"), vec!["a b", "c d"]);
    }

    #[test]
    fn ascii_fold_keeps_letters_distinct_and_words_whole() {
        assert_eq!(ascii_fold("plain text"), "plain text");
        assert_eq!(ascii_fold("köp"), "kzqpgqp");
        assert_eq!(ascii_fold("KÖP"), "KzqpgqP");
        assert_ne!(ascii_fold("köp"), ascii_fold("kop"));
        assert_eq!(
            ascii_fold("val\u{ad}rörelsen\u{a0}–\u{2019}"),
            "valrzqpgqrelsen -'"
        );
        assert_eq!(ascii_fold("€5 ٣"), "~5 0");
        assert!(ascii_fold("Ωμέγα 北京").is_ascii());
    }

    #[test]
    fn folds_quote_styles_dashes_and_spaces() {
        assert_eq!(
            fold("“It’s  done”\u{00A0}— «oui»"),
            "\"It's done\" - \"oui\""
        );
    }

    #[test]
    fn splits_paragraphs_at_blank_lines() {
        assert_eq!(paragraphs("a\nb\n\n\n c \n\n"), vec!["a b", "c"]);
    }

    #[test]
    fn html_blocks_become_paragraphs_and_entities_decode() {
        let p = html_paragraphs("<p>One &amp; <b>two</b></p><ul><li>three</li><li>four&nbsp;five</li></ul><script>x()</script>");
        assert_eq!(p, vec!["One & two", "three", "four five"]);
    }
}
