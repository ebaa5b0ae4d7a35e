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

/// Already single-spaced and trimmed (most text is: a quick check saves a copy). Scans bytes:
/// the only non-ASCII characters that count as space start with one of a few lead bytes.
fn is_clean(text: &str) -> bool {
    let b = text.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' if b.get(i + 1) == Some(&b' ') => return false,
            0x09..=0x0D => return false,
            // U+0085, U+00A0; U+1680; U+2000–U+200B, U+2028/9, U+202F, U+205F; U+3000; U+FEFF
            0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF => {
                let c = text[i..].chars().next().unwrap_or(' ');
                if is_space(c) {
                    return false;
                }
                i += c.len_utf8();
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    true
}

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
    let mut out = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            push_words(&mut current, line);
        }
    }
    if !current.is_empty() {
        out.push(current);
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
