//! Categories and severities as data (`config/rules.toml`): editors add a category by editing
//! that file. Each rule has words and/or regex patterns, optional vetoes, an optional CAMEO
//! code, a severity and the event kinds it applies to. A bad file is refused at start-up with
//! the file, the rule and the reason.

use super::patterns::{compile, PatternSet};
use crate::model::{Kind, Severity};
use crate::text::normalise::ascii_fold;
use crate::UsageError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The default rule set, compiled into the binary so `replay` needs no files.
pub const BUILTIN: &str = include_str!("../../config/rules.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    severity: SeverityFile,
    #[serde(default)]
    ignore: IgnoreFile,
    #[serde(default)]
    units: UnitsFile,
    #[serde(default, rename = "category")]
    categories: Vec<CategoryFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeverityFile {
    default: Option<String>,
    #[serde(default)]
    kinds: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreFile {
    #[serde(default)]
    paragraphs: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    #[serde(default)]
    whole_paragraphs: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    name: String,
    cameo: Option<String>,
    severity: Option<String>,
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    kinds: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub name: String,
    pub cameo: Option<String>,
    pub severity: Severity,
    /// Has entries in `Rules::words`.
    has_words: bool,
    /// Has `patterns` (found by `Rules::pattern_search`).
    has_patterns: bool,
    /// Empty: every kind.
    kinds: Vec<Kind>,
}

impl Category {
    /// What the text showed for this category: one of its words or patterns, or an `exclude`.
    fn applies(&self, kind: Kind, hit: Hit) -> bool {
        if !self.kinds.is_empty() && !self.kinds.contains(&kind) {
            return false;
        }
        let matched = hit.word || hit.pattern || (!self.has_words && !self.has_patterns);
        matched && !hit.excluded
    }
}

/// What one text showed for one category.
#[derive(Debug, Clone, Copy, Default)]
struct Hit {
    word: bool,
    pattern: bool,
    excluded: bool,
}

/// Which category a member of `Rules::pattern_search` belongs to, and whether it is an `exclude`.
#[derive(Debug, Clone, Copy)]
struct PatternOwner {
    category: usize,
    exclude: bool,
}

#[derive(Debug, Clone)]
pub struct Rules {
    pub default_severity: Severity,
    pub kind_severity: BTreeMap<Kind, Severity>,
    pub categories: Vec<Category>,
    /// Every category's `words`, found by `pattern_search` in the same pass over the text
    /// that picks the patterns to run.
    words: Vec<Word>,
    /// Every category's `patterns` and `exclude`s (one literal scan of the text picks the ones
    /// to run, see [`PatternSet`]); member `i` belongs to `pattern_owners[i]`.
    pattern_search: PatternSet,
    pattern_owners: Vec<PatternOwner>,
    /// Whole paragraphs that are page furniture, not story ("Texten uppdateras", share links).
    ignore_paragraphs: PatternSet,
    /// Paragraphs that are one finding however many sentences they have (correction notes).
    whole_paragraphs: PatternSet,
}

/// What the rules say about one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub categories: Vec<String>,
    pub cameo: Vec<String>,
    pub severity: Severity,
}

impl Rules {
    pub fn builtin() -> Rules {
        Rules::parse(BUILTIN, "built-in config/rules.toml").expect("built-in rules are valid")
    }

    pub fn load(path: &Path) -> Result<Rules, UsageError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| UsageError(format!("cannot read rules file {}: {e}", path.display())))?;
        Rules::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, origin: &str) -> Result<Rules, UsageError> {
        let file: RulesFile = toml::from_str(text)
            .map_err(|e| UsageError(format!("rules file {origin}: {}", e.to_string().trim())))?;
        let sev = |value: &str, what: &str| {
            Severity::parse(value).ok_or_else(|| {
                UsageError(format!(
                    "rules file {origin}: {what}: severity must be low, normal or high, not {value:?}"
                ))
            })
        };
        let default_severity = match &file.severity.default {
            Some(s) => sev(s, "[severity] default")?,
            None => Severity::Normal,
        };
        let mut kind_severity = BTreeMap::new();
        for (k, v) in &file.severity.kinds {
            let kind = Kind::parse(k).ok_or_else(|| {
                UsageError(format!(
                    "rules file {origin}: [severity.kinds]: unknown event kind {k:?}"
                ))
            })?;
            kind_severity.insert(kind, sev(v, &format!("[severity.kinds] {k:?}"))?);
        }
        // An error names the pattern at fault.
        let set = |patterns: &[String], what: &str| {
            let each = patterns
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    compile(p).map_err(|e| {
                        UsageError(format!("rules file {origin}: {what} #{}: {e}", i + 1))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, UsageError>(PatternSet::new(each))
        };
        let ignore_paragraphs = set(&file.ignore.paragraphs, "[ignore] paragraphs")?;
        let whole_paragraphs = set(&file.units.whole_paragraphs, "[units] whole_paragraphs")?;
        let mut patterns = Vec::new();
        let mut pattern_owners = Vec::new();

        let mut categories = Vec::new();
        let mut words = Vec::new();
        for (i, c) in file.categories.iter().enumerate() {
            let at = format!("rules file {origin}: category #{} ({:?})", i + 1, c.name);
            if c.name.trim().is_empty() {
                return Err(UsageError(format!("{at}: `name` is empty")));
            }
            if categories.iter().any(|x: &Category| x.name == c.name) {
                return Err(UsageError(format!("{at}: the name is used twice")));
            }
            if c.words.is_empty() && c.patterns.is_empty() && c.kinds.is_empty() {
                return Err(UsageError(format!(
                    "{at}: needs `words`, `patterns` or `kinds`, or it would match everything"
                )));
            }
            let severity = match &c.severity {
                Some(s) => sev(s, &format!("category {:?}", c.name))?,
                None => default_severity,
            };
            for w in &c.words {
                let word = Word::parse(w, categories.len());
                if word.text.is_empty() {
                    return Err(UsageError(format!("{at}: `words`: {w:?} has no letters")));
                }
                words.push(word);
            }
            let category = categories.len();
            for (list, exclude, what) in [
                (&c.patterns, false, "pattern"),
                (&c.exclude, true, "exclude"),
            ] {
                for (j, p) in list.iter().enumerate() {
                    let re = compile(p)
                        .map_err(|e| UsageError(format!("{at}: {what} #{}: {e}", j + 1)))?;
                    patterns.push(re);
                    pattern_owners.push(PatternOwner { category, exclude });
                }
            }
            let kinds = c
                .kinds
                .iter()
                .map(|k| {
                    Kind::parse(k).ok_or_else(|| {
                        UsageError(format!("{at}: unknown event kind {k:?} in `kinds`"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if let Some(code) = &c.cameo {
                if code.is_empty() || !code.chars().all(|ch| ch.is_ascii_digit()) || code.len() > 4
                {
                    return Err(UsageError(format!(
                        "{at}: `cameo` must be 2–4 digits, not {code:?}"
                    )));
                }
            }
            categories.push(Category {
                name: c.name.clone(),
                cameo: c.cameo.clone(),
                severity,
                has_words: !c.words.is_empty(),
                has_patterns: !c.patterns.is_empty(),
                kinds,
            });
        }
        let word_texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        let pattern_search = PatternSet::with_words(patterns, &word_texts)
            .map_err(|e| UsageError(format!("rules file {origin}: `words`: {e}")))?;
        Ok(Rules {
            default_severity,
            kind_severity,
            categories,
            words,
            pattern_search,
            pattern_owners,
            ignore_paragraphs,
            whole_paragraphs,
        })
    }

    /// Categories and severity of an event of `kind` about `text`.
    pub fn classify(&self, kind: Kind, text: &str) -> Classification {
        let mut severity = *self
            .kind_severity
            .get(&kind)
            .unwrap_or(&self.default_severity);
        let text = ascii_fold(text);
        let mut hits = vec![Hit::default(); self.categories.len()];
        let candidates = self.pattern_search.scan(text.as_bytes(), |w, start, end| {
            let w = &self.words[w];
            if w.stands_alone(&text, start, end) {
                hits[w.category].word = true;
            }
        });
        for i in self
            .pattern_search
            .matches_among(text.as_bytes(), &candidates)
        {
            let owner = self.pattern_owners[i];
            let hit = &mut hits[owner.category];
            if owner.exclude {
                hit.excluded = true;
            } else {
                hit.pattern = true;
            }
        }
        let mut categories = Vec::new();
        let mut cameo = Vec::new();
        for (c, &hit) in self.categories.iter().zip(&hits) {
            if c.applies(kind, hit) {
                categories.push(c.name.clone());
                if let Some(code) = &c.cameo {
                    cameo.push(code.clone());
                }
                severity = severity.max(c.severity);
            }
        }
        Classification {
            categories,
            cameo,
            severity,
        }
    }

    pub fn is_ignored_paragraph(&self, paragraph: &str) -> bool {
        self.ignore_paragraphs
            .is_match(ascii_fold(paragraph).as_bytes())
    }

    pub fn is_whole_paragraph(&self, paragraph: &str) -> bool {
        self.whole_paragraphs
            .is_match(ascii_fold(paragraph).as_bytes())
    }
}

/// One of a category's `words`: whole words, case-insensitive; a trailing `*` matches any
/// ending ("negotiat*"); spaces match any whitespace (text is matched whitespace-collapsed).
#[derive(Debug, Clone)]
struct Word {
    /// ASCII-folded like the text it is found in, spaces collapsed.
    text: String,
    prefix: bool,
    category: usize,
}

impl Word {
    fn parse(w: &str, category: usize) -> Word {
        let (stem, prefix) = match w.trim().strip_suffix('*') {
            Some(s) => (s, true),
            None => (w.trim(), false),
        };
        let text = ascii_fold(stem)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Word {
            text,
            prefix,
            category,
        }
    }

    /// Is the match at `start..end` of the (folded) text a whole word, or a word's start for
    /// a prefix?
    fn stands_alone(&self, text: &str, start: usize, end: usize) -> bool {
        let letter = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
        let bytes = text.as_bytes();
        let before = start.checked_sub(1).and_then(|i| bytes.get(i));
        !letter(before) && (self.prefix || !letter(bytes.get(end)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load() {
        let r = Rules::builtin();
        assert!(r.categories.len() >= 19);
    }

    /// The prefix scan may only skip patterns that cannot match: on every paragraph of the
    /// example story and both corpus files (and a case-shuffled copy), the set answers what one
    /// `RegexSet` of the same patterns answers.
    #[test]
    fn the_pattern_set_finds_what_a_regex_set_finds_on_real_text() {
        let file: RulesFile = toml::from_str(BUILTIN).unwrap();
        let patterns: Vec<String> = file
            .categories
            .iter()
            .flat_map(|c| c.patterns.iter().chain(&c.exclude))
            .map(|p| ascii_fold(p).into_owned())
            .collect();
        let reference = regex::bytes::RegexSetBuilder::new(&patterns)
            .unicode(false)
            .case_insensitive(true)
            .size_limit(1 << 24)
            .build()
            .unwrap();
        let rules = Rules::builtin();
        let (mut checked, mut matched) = (0, 0);
        for v in crate::test_corpus::versions() {
            let body = v["body"].as_str().unwrap_or_default();
            for para in body.split("\n").filter(|p| !p.trim().is_empty()) {
                let folded = ascii_fold(para);
                let shuffled: String = folded
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if i % 3 == 0 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect();
                for t in [folded.as_bytes(), shuffled.as_bytes()] {
                    let want: Vec<usize> = reference.matches(t).iter().collect();
                    assert_eq!(rules.pattern_search.matches(t), want, "on {para:?}");
                    checked += 1;
                    matched += usize::from(!want.is_empty());
                }
            }
        }
        assert!(
            checked > 10_000 && matched > 50,
            "{checked} texts, {matched} with a match"
        );
    }

    #[test]
    fn a_bad_rule_names_the_file_rule_and_reason() {
        let e = Rules::parse(
            "[[category]]\nname = \"x\"\npatterns = [\"(unclosed\"]\n",
            "my.toml",
        )
        .unwrap_err();
        assert!(
            e.0.contains("my.toml") && e.0.contains("\"x\"") && e.0.contains("pattern #1"),
            "{e}"
        );
        let e = Rules::parse(
            "[[category]]\nname = \"y\"\nwords = [\"a\"]\nseverity = \"urgent\"\n",
            "my.toml",
        )
        .unwrap_err();
        assert!(e.0.contains("severity"), "{e}");
        let e = Rules::parse("[[category]]\nname = \"z\"\n", "my.toml").unwrap_err();
        assert!(e.0.contains("needs"), "{e}");
        let e = Rules::parse(
            "[[category]]\nname = \"k\"\nkinds = [\"fact.exploded\"]\n",
            "my.toml",
        )
        .unwrap_err();
        assert!(e.0.contains("fact.exploded"), "{e}");
        let e = Rules::parse(
            "[ignore]\nparagraphs = [\"^ok$\", \"[unclosed\"]\n[[category]]\nname = \"k\"\nwords = [\"a\"]\n",
            "my.toml",
        )
        .unwrap_err();
        assert!(
            e.0.contains("my.toml") && e.0.contains("[ignore] paragraphs #2"),
            "{e}"
        );
    }

    #[test]
    fn words_match_whole_words_and_prefixes() {
        let r = Rules::parse(
            "[[category]]\nname = \"meeting\"\nwords = [\"talks\", \"negotiat*\"]\nseverity = \"normal\"\n",
            "t",
        )
        .unwrap();
        assert_eq!(
            r.classify(Kind::FactAdded, "Negotiators arrived.")
                .categories,
            vec!["meeting"]
        );
        assert_eq!(
            r.classify(Kind::FactAdded, "He stalks them.").categories,
            Vec::<String>::new()
        );
    }

    /// Words and pattern literals share one scan: a word listed by two categories, or equal to
    /// a literal a pattern needs, still counts for each of them.
    #[test]
    fn a_word_shared_by_categories_and_patterns_counts_for_each() {
        let r = Rules::parse(
            "[[category]]\nname = \"a\"\nwords = [\"talks\"]\n\
             [[category]]\nname = \"b\"\nwords = [\"talks\"]\n\
             [[category]]\nname = \"c\"\npatterns = ['\\btalks\\b']\n\
             [[category]]\nname = \"d\"\nwords = [\"talk*\"]\n",
            "t",
        )
        .unwrap();
        let cats = |t: &str| r.classify(Kind::FactAdded, t).categories;
        assert_eq!(cats("Talks resumed."), vec!["a", "b", "c", "d"]);
        assert_eq!(cats("Talking resumed."), vec!["d"]);
    }

    #[test]
    fn patterns_and_excludes_match_in_ascii_mode_and_unicode_classes_still_work() {
        let r = Rules::parse(
            "[[category]]\nname = \"aid\"\npatterns = ['\\baid\\s+resum\\w*', '\\bnödhjälp\\b']\n\
             exclude = ['\\bnot\\b']\n\
             [[category]]\nname = \"stan\"\npatterns = ['\\b\\p{L}+stan\\b']\n",
            "t",
        )
        .unwrap();
        let cats = |t: &str| r.classify(Kind::FactAdded, t).categories;
        assert_eq!(cats("Aid resumed on Friday."), vec!["aid"]);
        assert_eq!(cats("Nödhjälpen kom fram, nödhjälp också."), vec!["aid"]);
        assert_eq!(cats("Aid has not resumed."), Vec::<String>::new());
        // `\p{L}` needs Unicode mode (the set falls back to it).
        assert_eq!(cats("Talks in Afghanistan."), vec!["stan"]);
        assert_eq!(cats("Talks on the stand."), Vec::<String>::new());
    }
}
