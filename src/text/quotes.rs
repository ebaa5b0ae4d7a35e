//! Direct quotations and their speakers. A quotation is quoted speech attributed to someone: a
//! speech verb ("said", "säger", "a déclaré", "according to"), a colon before the quote, a
//! pronoun referring back to the last person named, or a quote continuing the last speaker's.
//! Scare quotes around a word or a short name are not quotations.

use super::lexicon::{self, Gender};
use super::names::{self, NameRun, Word};
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq)]
pub struct QuoteInfo {
    pub text: String,
    pub speaker: Option<String>,
}

/// What earlier sentences tell about who is speaking; updated in document order.
///
/// Every question asked of it and every update made to it can be logged per sentence unit
/// ([`SpeakerContext::track`]): a unit whose questions get the same answers in a new version
/// analyses the same, so its analysis is reused instead of redone ([`ContextUse`]).
#[derive(Debug, Clone, Default)]
pub struct SpeakerContext {
    last_person: Option<Name>,
    last_speaker: Option<Name>,
    /// Units since the last quotation (a bare quote right after one continues it).
    since_quote: usize,
    /// The person the last unit was about, when it was not itself a quotation ("Jennifer
    /// Wikman, 29, är en av kunderna."): a bare quotation right after it is theirs.
    introduced: Option<Name>,
    /// Role word → person ("minister" → "Amina Okafor"), from "Foreign Minister Amina Okafor".
    roles: Vec<(Name, Name)>,
    /// Surnames of people named so far, so a later bare surname counts as a person. aHash:
    /// asked for every reused sentence, and SipHash was a third of that; still keyed per
    /// process, since the names come from input.
    people: ahash::AHashSet<Name>,
    /// Names (as given, and surnames) whose gender the story shows, by a first name or a
    /// form of address; and the last few people named, latest last, for "she" and "he".
    genders: Vec<(Name, Gender, bool)>,
    recent: Vec<Name>,
    log: std::cell::RefCell<Option<ContextUse>>,
}

/// How many of the last people named a pronoun may reach back to.
const RECENT_PEOPLE: usize = 6;

/// A name or role word as the context holds it: inline up to 24 bytes, so logging and
/// replaying a sentence's use of the context rarely allocates.
type Name = compact_str::CompactString;

/// A question a sentence unit asked of the context, with the answer it got.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Read {
    SinceQuoteAtMost(usize, bool),
    LastSpeaker(Option<Name>),
    Knows(Name, bool),
    RoleHolder(Name, Option<Name>),
    Introduced(Option<Name>),
    Referent(Option<Gender>, Option<Name>),
}

/// An update a sentence unit made to the context.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Write {
    LastPerson(Name),
    Person(Name),
    /// A name's gender; `true` when the name is the surname of a fuller one.
    Gender(Name, Gender, bool),
    Role(Name, Name),
    LastSpeaker(Name),
    Introduced(Option<Name>),
    Quoted,
    NotQuoted,
}

/// How one sentence unit used the context: what it asked, in order, and what it changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextUse {
    reads: Vec<Read>,
    writes: Vec<Write>,
}

impl SpeakerContext {
    /// Start logging the use of the context by one sentence unit.
    pub fn track(&mut self) {
        *self.log.get_mut() = Some(ContextUse::default());
    }

    /// Stop logging; what the unit asked and changed since [`SpeakerContext::track`].
    pub fn take_use(&mut self) -> ContextUse {
        self.log.get_mut().take().unwrap_or_default()
    }

    /// Replay a unit analysed elsewhere: if every question it asked gets the same answer
    /// here, its analysis holds here too, and its updates are applied. Otherwise nothing
    /// changes and `false` is returned.
    pub fn replay(&mut self, used: &ContextUse) -> bool {
        if !used.reads.iter().all(|r| self.holds(r)) {
            return false;
        }
        for w in &used.writes {
            self.apply(w);
        }
        true
    }

    /// Does the context still give the answer recorded in `r`?
    fn holds(&self, r: &Read) -> bool {
        match r {
            Read::SinceQuoteAtMost(n, answer) => (self.since_quote <= *n) == *answer,
            Read::LastSpeaker(s) => self.last_speaker == *s,
            Read::Knows(w, answer) => self.people.contains(w) == *answer,
            Read::RoleHolder(role, p) => self.holder(role) == p.as_ref(),
            Read::Introduced(p) => self.introduced == *p,
            Read::Referent(g, p) => self.referent(*g) == *p,
        }
    }

    /// A person's gender, if the story showed it: by the name or surname recorded with one,
    /// else by the first name.
    fn gender_of(&self, person: &str) -> Option<Gender> {
        let surname = person.rsplit(' ').next().unwrap_or(person);
        self.named_gender(person)
            .or_else(|| self.recorded_gender(surname, true))
    }

    /// A gender shown by the name as given: its first name, or a form of address recorded
    /// with it ("Mrs Reyes"). A bare surname's gender is only a guess: a family shares it.
    fn named_gender(&self, person: &str) -> Option<Gender> {
        self.recorded_gender(person, false).or_else(|| {
            let (first, _) = person.split_once(' ')?;
            lexicon::first_name_gender(first)
        })
    }

    fn recorded_gender(&self, name: &str, surname: bool) -> Option<Gender> {
        let mut found = self
            .genders
            .iter()
            .filter(|(n, _, s)| n == name && *s == surname)
            .map(|(_, g, _)| *g);
        let first = found.next()?;
        // Recorded both ways ("Donald Trump", "Melania Trump"): it says nothing.
        found.all(|g| g == first).then_some(first)
    }

    /// Who a pronoun of this gender refers to: the last person named whom the story does not
    /// show to be of the other gender ("Anna Kinberg Batra", "Okafor" after "Amina Okafor",
    /// are not "han"); the last person named if every recent one is.
    fn referent(&self, gender: Option<Gender>) -> Option<Name> {
        let last = self.last_person.as_ref()?;
        let Some(g) = gender else {
            return Some(last.clone());
        };
        let fits = |p: &Name| self.gender_of(p).is_none_or(|h| h == g);
        if fits(last) {
            return Some(last.clone());
        }
        self.recent
            .iter()
            .rev()
            .find(|p| fits(p))
            .or(Some(last))
            .cloned()
    }

    /// The latest person known by this role. Roles are compared in their base form, and a
    /// bare head word names the holder of a compound ("ministern" → "utrikesminister").
    ///
    /// A role asked with its country or body ("Rysslands FN-ambassadör") is that holder's, or
    /// else the holder of the bare role who was never given another one.
    fn holder(&self, role: &str) -> Option<&Name> {
        let key = lexicon::role_key(role);
        let found = self
            .roles
            .iter()
            .rev()
            .find(|(r, _)| *r == key || (key.len() >= 5 && r.ends_with(key.as_str())));
        if found.is_some() {
            return found.map(|(_, p)| p);
        }
        let (_, bare) = key.rsplit_once(' ')?;
        let qualified_otherwise = |p: &Name| {
            self.roles.iter().any(|(r, q)| {
                q == p && *r != key && r.len() > bare.len() && r.ends_with(bare) && r.contains(' ')
            })
        };
        self.roles
            .iter()
            .rev()
            .find(|(r, p)| r == bare && !qualified_otherwise(p))
            .map(|(_, p)| p)
    }

    /// Log a question and its answer (when a unit is being tracked).
    fn log_read(&self, r: Read) {
        if let Some(log) = self.log.borrow_mut().as_mut() {
            log.reads.push(r);
        }
    }

    fn since_quote_at_most(&self, n: usize) -> bool {
        let answer = self.since_quote <= n;
        self.log_read(Read::SinceQuoteAtMost(n, answer));
        answer
    }

    /// The last person named, else the last speaker if one person could be meant: who "she"
    /// or "he" is ("the protesters" are not "he").
    fn pronoun_referent(&self, pronoun: Option<&str>) -> Option<String> {
        let gender = pronoun.and_then(lexicon::pronoun_gender);
        let person = self.referent(gender);
        self.log_read(Read::Referent(gender, person.clone()));
        person
            .map(String::from)
            .or_else(|| self.last_speaker().filter(|s| !lexicon::is_plural_role(s)))
    }

    fn introduced(&self) -> Option<String> {
        let person = self.introduced.clone();
        self.log_read(Read::Introduced(person.clone()));
        person.map(String::from)
    }

    fn last_speaker(&self) -> Option<String> {
        let speaker = self.last_speaker.clone();
        self.log_read(Read::LastSpeaker(speaker.clone()));
        speaker.map(String::from)
    }

    fn knows(&self, surname: &str) -> bool {
        let known = self.people.contains(surname);
        self.log_read(Read::Knows(Name::from(surname), known));
        known
    }

    fn role_holder(&self, role: &str) -> Option<String> {
        let holder = self.holder(role).cloned();
        self.log_read(Read::RoleHolder(Name::from(role), holder.clone()));
        holder.map(String::from)
    }

    fn write(&mut self, w: Write) {
        self.apply(&w);
        if let Some(log) = self.log.get_mut().as_mut() {
            log.writes.push(w);
        }
    }

    fn apply(&mut self, w: &Write) {
        // Replaying every reused sentence applies the same names again and again: a name
        // already held is left as it is.
        fn set(slot: &mut Option<Name>, value: &str) {
            if slot.as_deref() != Some(value) {
                *slot = Some(Name::from(value));
            }
        }
        match w {
            Write::LastPerson(p) => {
                set(&mut self.last_person, p);
                if self.recent.last() != Some(p) {
                    self.recent.retain(|q| q != p);
                    if self.recent.len() == RECENT_PEOPLE {
                        self.recent.remove(0);
                    }
                    self.recent.push(p.clone());
                }
            }
            Write::Gender(name, g, surname) => {
                let entry = (name.clone(), *g, *surname);
                if !self.genders.contains(&entry) {
                    self.genders.push(entry);
                }
            }
            Write::Person(surname) => {
                if !self.people.contains(surname) {
                    self.people.insert(surname.clone());
                }
            }
            Write::Role(role, person) => {
                // The latest holder of a role wins; one entry per role, the latest last.
                if self.roles.last() != Some(&(role.clone(), person.clone())) {
                    self.roles.retain(|(r, _)| r != role);
                    self.roles.push((role.clone(), person.clone()));
                }
            }
            Write::LastSpeaker(s) => set(&mut self.last_speaker, s),
            Write::Introduced(p) => {
                if self.introduced != *p {
                    self.introduced.clone_from(p);
                }
            }
            Write::Quoted => self.since_quote = 0,
            Write::NotQuoted => self.since_quote += 1,
        }
    }
}

/// A span of quoted text: byte range of the inside, and the opening mark's byte offset.
#[derive(Debug, Clone, Copy)]
struct Span {
    open: usize,
    start: usize,
    end: usize,
    close_end: usize,
    dash: bool,
}

fn quote_spans(s: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    if lexicon::opens_with_speech_dash(s) {
        let first = s.chars().next().map_or(1, char::len_utf8) + 1;
        let end = dash_quote_end(s).unwrap_or(s.len());
        spans.push(Span {
            open: 0,
            start: first,
            end,
            close_end: end,
            dash: true,
        });
        return spans;
    }
    // Every quotation mark below is '"' or starts with byte C2 or E2 in UTF-8: most sentences
    // have none of the three and need no closer look.
    if memchr::memchr3(b'"', 0xC2, 0xE2, s.as_bytes()).is_none() {
        return spans;
    }
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(s.len());
    chars.extend(s.char_indices());
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let closers: &[char] = match c {
            '“' => &['”', '“'],
            '„' => &['“', '”'],
            // German single quotes: ‚…‘
            '‚' => &['‘', '’'],
            '«' => &['»'],
            '»' => &['«'],
            '‹' => &['›'],
            '"' => &['"'],
            '”' => &['”'],
            '‘' => &['’'],
            _ => {
                i += 1;
                continue;
            }
        };
        let start = pos + c.len_utf8();
        let mut j = i + 1;
        let mut found = None;
        while j < chars.len() {
            let (p2, c2) = chars[j];
            if closers.contains(&c2) {
                // A single closing quote followed by a letter is an apostrophe ("Russia’s").
                let next_is_letter = chars.get(j + 1).is_some_and(|(_, n)| n.is_alphabetic());
                if !(c2 == '’' && next_is_letter) {
                    found = Some((j, p2, p2 + c2.len_utf8()));
                    break;
                }
            }
            j += 1;
        }
        match found {
            Some((j, end, close_end)) => {
                spans.push(Span {
                    open: pos,
                    start,
                    end,
                    close_end,
                    dash: false,
                });
                i = j + 1;
            }
            None => i += 1,
        }
    }
    spans
}

/// Where a dash quote ends: at the comma (or dash) before its attribution, if it has one.
fn dash_quote_end(s: &str) -> Option<usize> {
    lexicon::dash_attribution_at(s)
}

fn word_count(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

fn clean_quote_text(s: &str) -> String {
    s.trim()
        .trim_end_matches([',', ';', ':', '.', ' ', '–', '-', '—'])
        .trim_start_matches(['…', '.', ' '])
        .to_string()
}

/// Is `w` (with any following words) a speech verb or phrase? Returns how many words it spans.
fn speech_verb_at(ws: &[Word<'_>], i: usize) -> Option<usize> {
    let one = ws[i].text.to_lowercase();
    let two = ws
        .get(i + 1)
        .map(|n| format!("{one} {}", n.text.to_lowercase()));
    if let Some(two) = &two {
        if lexicon::SPEECH_VERBS.contains(two.as_str()) {
            return Some(2);
        }
    }
    lexicon::SPEECH_VERBS.contains(one.as_str()).then_some(1)
}

fn is_pronoun(w: &str) -> bool {
    lexicon::PRONOUNS.contains(w.to_lowercase().as_str())
}

/// Find the quotation in one sentence unit, if any, and its speaker. `ctx` is read, not updated.
pub fn find_quote(sentence: &str, ctx: &SpeakerContext) -> Option<QuoteInfo> {
    let spans = quote_spans(sentence);
    if spans.is_empty() {
        return None;
    }
    // The frame: the sentence with quoted spans blanked, so names inside quotes never become
    // speakers.
    let mut frame = String::with_capacity(sentence.len());
    let mut last = 0;
    for sp in &spans {
        frame.push_str(&sentence[last..sp.open]);
        frame.push_str(&" ".repeat(sp.close_end - sp.open));
        last = sp.close_end;
    }
    frame.push_str(&sentence[last..]);
    let frame = subject_before_inverted_verb(frame);
    let ws = names::words(&frame);
    let total_words = word_count(sentence);
    let frame_words = ws.len();

    let mut speaker = attributed_speaker(&frame, &ws, &spans, ctx);
    let mut attributed = speaker.is_some() || has_speech_verb(&ws);
    // "Holm called the attack “an act of cowardice”", "described it as “deeply
    // disappointing”": the subject's own words, after a characterising verb.
    let mut characterised = false;
    if !attributed {
        speaker = characterising_speaker(&ws, spans[0].open, ctx);
        characterised = speaker.is_some();
        attributed = characterised;
    }
    // French sets the attribution inside the marks, between commas: « Nous sommes prêts,
    // a-t-il dit, mais pas à n'importe quel prix. »
    if !attributed {
        speaker = spans
            .iter()
            .filter(|sp| !sp.dash)
            .find_map(|sp| incise_speaker(&sentence[sp.start..sp.end], ctx));
        attributed = speaker.is_some();
    }

    let mut kept = Vec::new();
    for sp in &spans {
        let inner = &sentence[sp.start..sp.end];
        let n = word_count(inner);
        if n == 0 {
            continue;
        }
        if sp.dash {
            kept.push(inner);
            continue;
        }
        let inner_words = names::words(inner);
        // "Project Lantern", "State of Public Calamity": a name, small words and all.
        let title_case = inner_words
            .first()
            .is_some_and(|w| names::is_capitalised(w.text))
            && inner_words.iter().all(|w| {
                names::is_capitalised(w.text)
                    || matches!(
                        w.text,
                        "of" | "the"
                            | "and"
                            | "for"
                            | "in"
                            | "on"
                            | "och"
                            | "av"
                            | "för"
                            | "i"
                            | "på"
                    )
            });
        let before = sentence[..sp.open].trim_end();
        let prev_word = before
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let scare_marker = matches!(
            prev_word.as_str(),
            "the"
                | "a"
                | "an"
                | "so-called"
                | "dubbed"
                | "called"
                | "named"
                | "term"
                | "word"
                | "phrase"
                | "slogan"
                | "codenamed"
                | "den"
                | "det"
                | "så"
                | "kallade"
                | "its"
                | "their"
                | "his"
                | "her"
                | "our"
                | "as"
                // the title of a programme, book or report
                | "titled"
                | "entitled"
                | "headlined"
        );
        // "described it as “…”" quotes the subject; "known as the “…”" names something.
        let scare_marker = scare_marker && !(characterised && prev_word == "as");
        let whole_sentence = frame_words <= 5 || n * 2 >= total_words;
        // Quoted names ("Project Lantern") and scare quotes (the “green corridor”) are not speech.
        let is_quote = if (title_case && n <= 5) || (scare_marker && n < 6) {
            false
        } else if attributed {
            n >= 2
        } else {
            whole_sentence && n >= 3
        };
        if is_quote {
            kept.push(inner);
        }
    }
    if kept.is_empty() {
        return None;
    }
    let text = kept
        .iter()
        .map(|t| clean_quote_text(t))
        .collect::<Vec<_>>()
        .join(" … ");
    let speaker = speaker.or_else(|| {
        // A bare quotation right after a sentence about someone is theirs; right after
        // another (or after "X said:") it continues that speaker.
        if attributed {
            return None;
        }
        // Not a line of a few words, such as a tweet's signature ("— Jan Björklund (@…)").
        // And only a quotation that is the whole sentence, not one inside a sentence that
        // has its own subject.
        let long = kept.iter().map(|k| word_count(k)).sum::<usize>() >= 4;
        let bare = frame_words <= 3;
        let introduced = (long && bare && !text.contains('@'))
            .then(|| ctx.introduced())
            .flatten();
        introduced.or_else(|| {
            ctx.since_quote_at_most(2)
                .then(|| ctx.last_speaker())
                .flatten()
        })
    });
    // Quoted speech needs a speaker; a short quoted phrase nobody said is a title or a
    // label ("See ‘Safety and security’"). Someone did say it when it is most of a sentence
    // whose speech verb has a pronoun for subject ("she told reporters"), even if the story
    // never named who.
    let words: usize = kept.iter().map(|k| word_count(k)).sum();
    if speaker.is_none() && words < 6 && !(words * 2 >= total_words && said_by_pronoun(&ws)) {
        return None;
    }
    Some(QuoteInfo { text, speaker })
}

/// French puts a pronoun subject after its verb, joined by hyphens ("a-t-il déclaré",
/// "explique-t-elle", "dit-il"). The frame gets it in the order the attribution rules read
/// ("il a déclaré"), padded with spaces so that every offset stays where it was.
fn subject_before_inverted_verb(frame: String) -> String {
    static INVERSION: LazyLock<Regex> = LazyLock::new(|| {
        // Latin letters and ASCII word bounds: Unicode classes cost far more to build.
        Regex::new(r"(?-u:\b)([A-Za-zÀ-ÖØ-öø-ÿ]+)-(?:t-)?(il|elle|ils|elles)(?-u:\b)")
            .expect("compiles")
    });
    if !frame.contains("-il") && !frame.contains("-elle") {
        return frame;
    }
    INVERSION
        .replace_all(&frame, |c: &regex::Captures<'_>| {
            let whole = c.get(0).map_or(0, |m| m.len());
            let reordered = format!("{} {}", &c[2], &c[1]);
            let pad = whole.saturating_sub(reordered.len());
            reordered + &" ".repeat(pad)
        })
        .into_owned()
}

/// The speaker of an attribution set between commas inside the quotation marks ("…, a-t-il
/// dit, …", "…, a déclaré le maire, …"): a short middle piece that has a speech verb, with a
/// pronoun before it or a name after it.
fn incise_speaker(inner: &str, ctx: &SpeakerContext) -> Option<String> {
    let pieces: Vec<&str> = inner.split(',').collect();
    if pieces.len() < 3 {
        return None;
    }
    for piece in &pieces[1..pieces.len() - 1] {
        let piece = subject_before_inverted_verb(piece.to_string());
        let ws = names::words(&piece);
        if ws.is_empty() || ws.len() > 6 {
            continue;
        }
        let Some((verb, n)) = (0..ws.len()).find_map(|i| speech_verb_at(&ws, i).map(|n| (i, n)))
        else {
            continue;
        };
        if verb > 0 && is_pronoun(ws[verb - 1].text) {
            return ctx.pronoun_referent(Some(ws[verb - 1].text));
        }
        let runs = names::name_runs(&ws);
        return speaker_starting_at(&ws, &runs, verb + n, ctx);
    }
    None
}

/// A pronoun right before or after a speech verb: "she said", "säger han", "he has
/// since told".
fn said_by_pronoun(ws: &[Word<'_>]) -> bool {
    (0..ws.len()).any(|i| {
        speech_verb_at(ws, i).is_some_and(|n| {
            let before = ws[..i]
                .iter()
                .rev()
                .find(|w| !lexicon::BEFORE_VERB.contains_lower(w.text))
                .map(|w| w.text);
            let after = ws.get(i + n).map(|w| w.text);
            before.into_iter().chain(after).any(is_pronoun)
        })
    })
}

fn has_speech_verb(ws: &[Word<'_>]) -> bool {
    (0..ws.len()).any(|i| speech_verb_at(ws, i).is_some())
}

/// The speaker named around a speech verb or colon in the frame.
fn attributed_speaker(
    frame: &str,
    ws: &[Word<'_>],
    spans: &[Span],
    ctx: &SpeakerContext,
) -> Option<String> {
    let runs = names::name_runs(ws);
    let quote_pos = spans[0].open;
    // Candidate verbs, nearest to a quotation first.
    let mut verbs: Vec<(usize, usize)> = (0..ws.len())
        .filter_map(|i| speech_verb_at(ws, i).map(|n| (i, n)))
        .collect();
    verbs.sort_by_key(|(i, _)| {
        spans
            .iter()
            .map(|sp| {
                let w = &ws[*i];
                if w.start >= sp.close_end {
                    w.start - sp.close_end
                } else {
                    sp.open.saturating_sub(w.end)
                }
            })
            .min()
            .unwrap_or(usize::MAX)
    });
    // A news agency reporting the quote ("…, skriver AFP", "…, Reuters said") is the source,
    // not the speaker, when the sentence also names who spoke.
    let mut agency: Option<String> = None;
    for (vi, vn) in verbs {
        let Some(s) = speaker_at_verb(ws, &runs, spans, vi, vn, ctx) else {
            continue;
        };
        if lexicon::NEWS_AGENCIES.contains(s.to_lowercase().as_str()) {
            agency.get_or_insert(s);
        } else {
            return Some(s);
        }
    }
    if agency.is_some() {
        return agency;
    }
    // German „…“, so Innenministerin Nancy Faeser: "so" right after the quotation names its
    // source (anywhere else it is an adverb, in German as in English).
    let so = ws.iter().position(|w| {
        w.text == "so"
            && spans
                .iter()
                .any(|sp| sp.close_end <= w.start && frame[sp.close_end..w.start].trim() == ",")
    });
    if let Some(s) = so.and_then(|i| speaker_starting_at(ws, &runs, i + 1, ctx)) {
        return Some(s);
    }
    // "Okafor: “…”"
    let before_quote = frame[..quote_pos].trim_end();
    if before_quote.ends_with(':') {
        if let Some(run) = runs.iter().rev().find(|r| ws[r.end - 1].end <= quote_pos) {
            // "wrote on X:", "told Reuters:": a name after a preposition is not the speaker.
            let after_link = run.start > 0
                && ws[run.start - 1].punct_after.is_none()
                && lexicon::LINK_WORDS.contains_lower(ws[run.start - 1].text);
            if ws[run.end - 1].punct_after == Some(':') && !after_link {
                return Some(resolve_run(run, ctx));
            }
        }
    }
    None
}

/// The named subject of a characterising verb before the first quotation ("Prime Minister
/// Lena Holm called the attack …", "She described it as …"): a name or a resolved pronoun,
/// never a bare role or a passive subject ("The plan was called …").
fn characterising_speaker(
    ws: &[Word<'_>],
    quote_pos: usize,
    ctx: &SpeakerContext,
) -> Option<String> {
    let verb = (1..ws.len()).find(|&i| {
        ws[i].end <= quote_pos && lexicon::CHARACTERISING_VERBS.contains_lower(ws[i].text)
    })?;
    let runs = names::name_runs(ws);
    speaker_ending_at(ws, &runs, verb, ctx).filter(|s| s.starts_with(char::is_uppercase))
}

/// The speaker attributed by the speech verb at `ws[vi..vi + vn]`, if any.
fn speaker_at_verb(
    ws: &[Word<'_>],
    runs: &[NameRun],
    spans: &[Span],
    vi: usize,
    vn: usize,
    ctx: &SpeakerContext,
) -> Option<String> {
    let verb = ws[vi..vi + vn]
        .iter()
        .map(|w| w.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let follows = lexicon::SPEAKER_FOLLOWS.contains(verb.as_str());
    let after = vi + vn;
    // "said Okafor", "säger hon", "according to the minister" — but after "told" or
    // "asked" comes the listener, not the speaker.
    let listener_follows = lexicon::LISTENER_VERBS.contains(verb.as_str());
    // Subject after the verb only in inversion after the quote ("“…,” said Okafor"); in
    // "Okafor said Brandt had “lied”" the name after the verb is not the speaker.
    let inverted = spans.iter().any(|sp| sp.close_end <= ws[vi].start);
    // "Men Carl Bildt är inte intresserad, säger han i …": with no quotation before the
    // verb, the pronoun after it is the sentence's own subject ("Kinberg Batra ”…”, skriver
    // han" quotes someone about her).
    if !inverted && ws.get(after).is_some_and(|w| is_pronoun(w.text)) {
        let subject = runs
            .iter()
            .find(|r| r.start <= 1 && r.end <= vi && r.is_person());
        if let Some(run) = subject {
            return Some(resolve_run(run, ctx));
        }
    }
    // "“Var är bevisen?” frågar hon": after a quotation, the one who asks follows the verb.
    let asks = lexicon::QUESTION_VERBS.contains(&verb);
    if (ws[vi + vn - 1].punct_after.is_none() && (!listener_follows || asks) && inverted) || follows
    {
        if let Some(s) = speaker_starting_at(ws, runs, after, ctx) {
            return Some(s);
        }
    }
    if follows {
        return None;
    }
    // "Okafor said", "Okafor, the foreign minister, said", "she said"; else the subject
    // after the verb, as Swedish puts it after a fronted adverbial ("Strax före klockan 18
    // meddelade publiceringschefen på Ekot, Klas Wolf-Watz, att …").
    speaker_ending_at(ws, runs, vi, ctx)
        .or_else(|| {
            (!listener_follows && ws[vi + vn - 1].punct_after.is_none())
                .then(|| speaker_starting_at(ws, runs, after, ctx))
                .flatten()
        })
        .or_else(|| {
            // «…», añadió. Languages that drop the subject pronoun: a verb alone after the
            // quotation is said by whoever "he" or "she" would be.
            let alone = ws[vi + vn - 1].punct_after.is_some();
            (inverted && vi == 0 && alone)
                .then(|| ctx.pronoun_referent(None))
                .flatten()
        })
}

/// The speaker a name run gives: its name, without an owner before it ("TV4:s Ann Tiberg",
/// "CNN's Tom Sater" → the person). Entities keep the whole run: "St Joseph's Tomb" is a name.
fn resolve_run(run: &NameRun, _ctx: &SpeakerContext) -> String {
    let words: Vec<&str> = run.name.split(' ').collect();
    let owner = words[..words.len().saturating_sub(1)]
        .iter()
        .rposition(|w| w.ends_with(":s") || is_possessive(w));
    match owner {
        Some(k) => words[k + 1..].join(" "),
        None => run.name.clone(),
    }
}

fn speaker_starting_at(
    ws: &[Word<'_>],
    runs: &[NameRun],
    i: usize,
    ctx: &SpeakerContext,
) -> Option<String> {
    let w = ws.get(i)?;
    // "ha detto il sindaco Marco Rossi": the Italian article is no French pronoun.
    let article = w.punct_after.is_none()
        && ws
            .get(i + 1)
            .is_some_and(|n| names::is_capitalised(n.text) || lexicon::is_title(n.text));
    if is_pronoun(w.text) && !article {
        return ctx.pronoun_referent(Some(w.text));
    }
    if let Some(run) = runs.iter().find(|r| r.start == i) {
        if is_possessive(ws[run.end - 1].text) {
            return owned_speaker(ws, runs, run.end, ctx);
        }
        // "said UN envoy Maria Santos", "said EU foreign policy chief Josep Borrell": the
        // organisation qualifies the role; the person named after it is the speaker.
        return Some(resolve_run(
            person_after_org(ws, runs, run).unwrap_or(run),
            ctx,
        ));
    }
    // "said the foreign minister", "said a UN spokesperson, Jane Doe"
    let mut phrase = Vec::new();
    let mut terminated = false;
    let mut cut = false;
    for (k, w) in ws[i..].iter().enumerate().take(6) {
        if let Some(run) = runs.iter().find(|r| r.start == i + k) {
            let roles_only =
                k > 0 && !cut && phrase.iter().all(|p: &&str| !names::is_capitalised(p));
            // "said police spokesman Tommy Nyman", "said the minister, Amina Okafor": the
            // name wins over the role words before it.
            // "säger statsminister Löfven": a title names the one-word name after it too, as
            // does any role before a person named earlier ("sade en allvarlig Trump").
            let before = ws[i + k - 1].text;
            let after_title = lexicon::is_title(before) || lexicon::is_lower_case_title(before);
            if roles_only
                && (run.is_person()
                    || after_title
                    || ws[i + k - 1].punct_after == Some(',')
                    || ctx.knows(&run.name))
            {
                // "säger von Eckermann": a name's particle stays with it.
                let particles = if run.titles.is_empty() {
                    phrase
                        .iter()
                        .rev()
                        .take_while(|p| names::is_particle(p))
                        .count()
                } else {
                    0
                };
                let name = resolve_run(run, ctx);
                return Some(match &phrase[phrase.len() - particles..] {
                    [] => name,
                    p => format!("{} {name}", p.join(" ")),
                });
            }
        }
        // "skriver polisen i ett uttalande.", "said a spokesman for the ministry.": the role
        // ends where a preposition starts what follows it (the clause still has to end).
        if k > 0 && !cut && lexicon::LINK_WORDS.contains_lower(w.text) {
            // "according to a statement from the ministry": a document's author speaks.
            let document = phrase
                .last()
                .is_some_and(|p| lexicon::DOCUMENT_NOUNS.contains_lower(p));
            if document && lexicon::AUTHOR_LINKS.contains_lower(w.text) {
                return speaker_starting_at(ws, runs, i + k + 1, ctx);
            }
            cut = true;
            if lexicon::RELATIVES.contains_lower(w.text) {
                terminated = true;
                break;
            }
        }
        if !cut {
            phrase.push(w.text);
        }
        // "said one resident, Maria Lopez, 45": the person named after the role's comma.
        if w.punct_after == Some(',') && !cut && phrase.iter().all(|p| !names::is_capitalised(p)) {
            if let Some(run) = runs.iter().find(|r| r.start == i + k + 1 && r.is_person()) {
                return Some(resolve_run(run, ctx));
            }
        }
        if w.punct_after.is_some() {
            terminated = true;
            break;
        }
    }
    // A title qualified by what follows it names its holder a little further on, before any
    // punctuation: "säger ordförande för moderaterna i Stockholms stad Joakim Larsson".
    let titled = phrase.last().is_some_and(|w| lexicon::is_title(w));
    if cut && titled && phrase.iter().all(|p| !names::is_capitalised(p)) {
        let clause_end = (i..ws.len().min(i + 10)).find(|&k| ws[k].punct_after.is_some());
        let holder = runs.iter().find(|r| {
            r.start > i
                && r.end <= clause_end.map_or(ws.len(), |k| k + 1)
                && r.end <= i + 10
                && r.is_person()
        });
        // … or right after it, set off by a comma ("meddelade publiceringschefen på Ekot,
        // Klas Wolf-Watz, att").
        let holder = holder.or_else(|| {
            let k = clause_end.filter(|&k| ws[k].punct_after == Some(','))?;
            runs.iter().find(|r| r.start == k + 1 && r.is_person())
        });
        if let Some(run) = holder {
            return Some(resolve_run(run, ctx));
        }
    }
    // "said a senior diplomat." ends the clause; "said the talks were …" does not.
    role_phrase(&phrase, ctx, terminated)
}

/// "Khan's", "Khan’s": a name that owns what follows it.
fn is_possessive(w: &str) -> bool {
    w.ends_with("'s") || w.ends_with("’s")
}

/// The speaker after an owner's name ("said Khan's deputy, Sara Ali" → Sara Ali; "said
/// Khan's deputy" → deputy): the name given after the role, else the role.
fn owned_speaker(
    ws: &[Word<'_>],
    runs: &[NameRun],
    from: usize,
    ctx: &SpeakerContext,
) -> Option<String> {
    let mut role = Vec::new();
    for k in from..ws.len().min(from + 6) {
        if let Some(run) = runs.iter().find(|r| r.start == k) {
            return (k > from && ws[k - 1].punct_after == Some(','))
                .then(|| resolve_run(run, ctx))
                .or_else(|| role_phrase(&role, ctx, true));
        }
        role.push(ws[k].text);
        if ws[k].punct_after.is_some_and(|c| c != ',') {
            break;
        }
    }
    role_phrase(&role, ctx, true)
}

/// The person named right after an organisation's name run and a few lower-case role words,
/// with no punctuation between them: "Maria Santos" in "UN envoy Maria Santos".
fn person_after_org<'r>(
    ws: &[Word<'_>],
    runs: &'r [NameRun],
    org: &NameRun,
) -> Option<&'r NameRun> {
    if org.is_person() {
        return None;
    }
    let mut k = org.end;
    while k < ws.len() && k < org.end + 4 && ws[k - 1].punct_after.is_none() {
        if let Some(run) = runs.iter().find(|r| r.start == k) {
            return (k > org.end && run.is_person()).then_some(run);
        }
        if names::is_capitalised(ws[k].text) || lexicon::LINK_WORDS.contains_lower(ws[k].text) {
            return None;
        }
        k += 1;
    }
    None
}

fn speaker_ending_at(
    ws: &[Word<'_>],
    runs: &[NameRun],
    verb: usize,
    ctx: &SpeakerContext,
) -> Option<String> {
    // "Vik later wrote", "Okafor has said": the subject is before the adverb or auxiliary;
    // "Magdalena Andersson (S) säger": and before her party's letters in brackets.
    let mut verb = verb;
    while verb > 1 {
        let w = &ws[verb - 1];
        let bracketed =
            matches!(w.punct_before, Some('(' | '[')) && matches!(w.punct_after, Some(')' | ']'));
        let adverb =
            ws[verb - 2].punct_after.is_none() && lexicon::BEFORE_VERB.contains_lower(w.text);
        if !(bracketed || adverb) {
            break;
        }
        verb -= 1;
    }
    if verb == 0 {
        return None;
    }
    let prev = &ws[verb - 1];
    if is_pronoun(prev.text) {
        return ctx.pronoun_referent(Some(prev.text));
    }
    // Appositive: "Okafor, the foreign minister, said" / "Okafor, 54, said". The name before
    // it speaks, even when the appositive ends in a name ("Maria Rankka, vd på Stockholms
    // Handelskammare, säger").
    if prev.punct_after == Some(',') {
        let mut k = verb - 1;
        let mut steps = 0;
        while k > 0 && steps < 8 {
            k -= 1;
            steps += 1;
            if ws[k].punct_after == Some(',') {
                if let Some(name) = name_ending_at(ws, runs, k + 1, ctx) {
                    return Some(name);
                }
                break;
            }
        }
    }
    if let Some(name) = name_ending_at(ws, runs, verb, ctx) {
        return Some(name);
    }
    // "The minister said", "a spokesperson for the agency said"
    let mut start = verb;
    while start > 0 && verb - start < 5 && ws[start - 1].punct_after.is_none() {
        start -= 1;
    }
    // "Ferguson och Schneiderman och ytterligare 18 åklagare skrev": the subjects named
    // before the conjunction speak. Not when the conjunction joins two verbs ("fördömer dådet
    // i Åbo och säger") or follows a comma ("fortsatte Bildt, och sa").
    for p in (start.max(1)..verb.saturating_sub(1)).rev() {
        if matches!(ws[p].text, "och" | "and") && ws[p - 1].punct_after.is_none() {
            if let Some(name) = name_ending_at(ws, runs, p, ctx) {
                return Some(name);
            }
        }
    }
    let phrase: Vec<&str> = ws[start..verb].iter().map(|w| w.text).collect();
    role_phrase(&phrase, ctx, true)
}

/// The name whose last word is `ws[end - 1]`.
fn name_ending_at(
    ws: &[Word<'_>],
    runs: &[NameRun],
    end: usize,
    ctx: &SpeakerContext,
) -> Option<String> {
    if let Some(run) = runs.iter().find(|r| r.end == end) {
        return Some(resolve_run(run, ctx));
    }
    // A lone capitalised word opening the frame ("Okafor said"): a name, unless it is a
    // capitalised common plural ("Witnesses said") not seen before as a person.
    let w = ws.get(end.checked_sub(1)?)?.text;
    if end == 1
        && names::is_capitalised(w)
        && !lexicon::NOT_NAMES.contains(w.to_lowercase().as_str())
    {
        let known = ctx.knows(w);
        if known || !w.ends_with('s') {
            return Some(w.to_string());
        }
    }
    None
}

/// A role instead of a name ("the foreign minister"): the person known by that role, or the
/// role itself as written.
fn role_phrase(phrase: &[&str], ctx: &SpeakerContext, generic_ok: bool) -> Option<String> {
    let words: Vec<&str> = phrase
        .iter()
        .copied()
        .skip_while(|w| lexicon::DETERMINERS.contains_lower(w))
        .collect();
    // A clause is not a source ("… säger att hans moraliska kompass säger", "It is not very
    // often people say"), nor is a date ("On 22nd June 2022 local authorities declared").
    if words.iter().any(|w| {
        let w = w.to_lowercase();
        matches!(
            w.as_str(),
            "att" | "that" | "is" | "are" | "was" | "were" | "är" | "var" | "not" | "inte"
        ) || lexicon::SPEECH_VERBS.contains(&w)
            || w.contains(|c: char| c.is_ascii_digit())
    }) {
        return None;
    }
    let first = words.first()?.to_lowercase();
    let head = words.last()?.to_lowercase();
    if matches!(head.as_str(), "the" | "a" | "an") {
        return None;
    }
    if lexicon::is_title(&head) {
        // "Rysslands FN-ambassadör" is whoever was introduced as Russia's, not China's.
        let qualifier = words
            .len()
            .checked_sub(2)
            .map(|i| words[i])
            .filter(|q| names::is_capitalised(q) && !lexicon::is_title(q));
        let role = match qualifier {
            Some(q) => format!("{q} {}", words[words.len() - 1]),
            None => head,
        };
        if let Some(person) = ctx.role_holder(&role) {
            return Some(person);
        }
        return Some(words.join(" "));
    }
    // Any other noun phrase ("a senior Western diplomat", "officials"), but not adverbials
    // ("on Monday", "in a statement", "yesterday").
    let not_a_source = |w: &str| {
        (lexicon::NOT_NAMES.contains(w) && !lexicon::SOURCE_NOUNS.contains(w)) || w.ends_with("ly")
    };
    if !generic_ok
        || not_a_source(&first)
        || not_a_source(&head)
        || !head.chars().all(|c| c.is_alphabetic() || c == '-')
    {
        return None;
    }
    Some(words.join(" "))
}

/// The keys a title word at `ws[k]` is known by: the word, and with the name of the country
/// or body before it ("Kinas FN-ambassadör"), so that "Rysslands FN-ambassadör" is not taken
/// for China's.
fn role_forms(ws: &[Word<'_>], k: usize) -> Vec<String> {
    let mut forms = vec![lexicon::role_key(ws[k].text)];
    if let Some(q) = k
        .checked_sub(1)
        .map(|q| &ws[q])
        .filter(|q| is_role_qualifier(q))
    {
        forms.push(lexicon::role_key(&format!("{} {}", q.text, ws[k].text)));
    }
    forms
}

/// A capitalised word right before a title that says whose title it is ("Kinas", "UN",
/// "Sweden's"), not an article or another title word.
fn is_role_qualifier(w: &Word<'_>) -> bool {
    w.punct_after.is_none()
        && names::is_capitalised(w.text)
        && !lexicon::is_title(w.text)
        && !matches!(w.text, "The" | "A" | "An" | "En" | "Ett")
}

/// Role words given for the person named by `run` in lower case around it: right before the
/// name ("UN envoy Amina Okafor", "utrikesminister Margot Wallström") or set off by commas
/// ("Amina Okafor, the UN envoy,", "The foreign minister, Amina Okafor,", "Magdalena
/// Andersson, finansminister,").
fn roles_around(ws: &[Word<'_>], run: &NameRun) -> Vec<usize> {
    const MAX_WORDS: usize = 6;
    let mut out = Vec::new();
    let is_title = |w: &Word<'_>| lexicon::is_title(w.text);
    // Words that may stand in a role phrase before its head: articles, names of places or
    // organisations ("UN", "Sweden's") and other title words ("foreign", "deputy").
    let qualifier = |w: &Word<'_>| {
        matches!(
            w.text.to_lowercase().as_str(),
            "the" | "a" | "an" | "its" | "their" | "his" | "her" | "en" | "ett"
        ) || w.text.starts_with(char::is_uppercase)
            || is_title(w)
    };
    // Right before the name, with nothing between.
    let mut k = run.start;
    while k > 0 && ws[k - 1].punct_after.is_none() && is_title(&ws[k - 1]) {
        k -= 1;
        out.push(k);
    }
    let comma_after = |i: usize| ws[i].punct_after == Some(',');
    let run_ends_clause = matches!(ws[run.end - 1].punct_after, Some(',' | '.' | ';'));
    // Before the name, between the start of the clause and a comma.
    if run.start > 0 && comma_after(run.start - 1) && run_ends_clause {
        let end = run.start - 1;
        let mut start = end;
        while start > 0 && end - start < MAX_WORDS && ws[start - 1].punct_after.is_none() {
            start -= 1;
        }
        let phrase = &ws[start..=end];
        if is_title(&ws[end]) && phrase.iter().all(qualifier) {
            out.extend((start..=end).filter(|&i| is_title(&ws[i])));
        }
    }
    // After the name, up to the next comma or full stop: the title words before any other
    // word ("Jane Doe, a spokeswoman for the Red Cross," → spokeswoman).
    if comma_after(run.end - 1) {
        let stop = (run.end..ws.len().min(run.end + MAX_WORDS))
            .find(|&i| ws[i].punct_after.is_some() || i + 1 == ws.len());
        if let Some(stop) =
            stop.filter(|&i| matches!(ws[i].punct_after, Some(',' | '.' | ';') | None))
        {
            let head = (run.end..=stop).take_while(|&i| qualifier(&ws[i]));
            let titles: Vec<usize> = head.filter(|&i| is_title(&ws[i])).collect();
            out.extend(titles);
        }
    }
    out
}

/// Update the context with what this unit says (after its own quote has been resolved).
pub fn observe(ctx: &mut SpeakerContext, sentence: &str, quote: Option<&QuoteInfo>) {
    let ws = names::words(sentence);
    observe_names(ctx, sentence, &ws, &names::name_runs(&ws), quote);
}

/// [`observe`] with the sentence's words and name runs already found (the analysis keeps the
/// runs as the sentence's entities).
pub fn observe_names(
    ctx: &mut SpeakerContext,
    sentence: &str,
    ws: &[Word<'_>],
    runs: &[NameRun],
    quote: Option<&QuoteInfo>,
) {
    // "Science Minister George Freeman said:" introduces the quotation that follows.
    let introduces = quote.is_none() && sentence.trim_end().ends_with(':');
    let introducer = if introduces {
        (0..ws.len())
            .find_map(|i| speech_verb_at(ws, i).map(|n| (i, n)))
            .and_then(|(v, n)| {
                // "…, enligt ambassadören Vasilij Nebenzia:": the source follows.
                let verb = ws[v..v + n]
                    .iter()
                    .map(|w| w.text.to_lowercase())
                    .collect::<Vec<_>>()
                    .join(" ");
                if lexicon::SPEAKER_FOLLOWS.contains(&verb) {
                    speaker_starting_at(ws, runs, v + n, ctx)
                } else {
                    speaker_ending_at(ws, runs, v, ctx)
                }
            })
    } else {
        None
    };
    // Reported speech ("Maria Rankka, vd på Handelskammaren, säger att …", "Han konstaterar
    // att …") names who speaks, read before this sentence's other names are: a bare quotation
    // right after it is theirs, and they stay the one "he" or "she" refers to.
    // The first speech verb of a sentence without a quotation, looked up once.
    let speech_at = (quote.is_none() && !introduces)
        .then(|| {
            ws.iter()
                .position(|w| lexicon::SPEECH_VERBS.contains_lower(w.text))
        })
        .flatten();
    let reporter = speech_at.and_then(|verb| reported_speaker(ws, runs, verb, ctx));
    for run in runs {
        let known = ctx.knows(&run.name) || ctx.knows(run.surname());
        if run.is_person() || known {
            // "Mrs Ana Reyes", "Amina Okafor": who "she" may be, before she is named.
            let gender = run
                .titles
                .iter()
                .find_map(|t| lexicon::title_gender(t))
                .or_else(|| {
                    let (first, _) = run.name.split_once(' ')?;
                    lexicon::first_name_gender(first)
                });
            if let Some(g) = gender {
                ctx.write(Write::Gender(Name::from(run.name.as_str()), g, false));
                if run.name.contains(' ') {
                    ctx.write(Write::Gender(Name::from(run.surname()), g, true));
                }
            }
            // "Donald och Melania Trump", "Bill and Hillary Clinton": the first one's gender
            // goes with the shared surname too, so the surname alone tells none.
            let partner = run
                .start
                .checked_sub(2)
                .filter(|&k| lexicon::JOINING_WORDS.contains(&ws[k + 1].text))
                .and_then(|k| lexicon::first_name_gender(ws[k].text));
            if let Some(g) = partner.filter(|_| run.name.contains(' ')) {
                ctx.write(Write::Gender(Name::from(run.surname()), g, true));
            }
            ctx.write(Write::LastPerson(Name::from(run.name.as_str())));
            ctx.write(Write::Person(Name::from(run.surname())));
            // Title words inside the run ("Kinas FN-ambassadör Liu Jieyi") and around it.
            let name_start = run.end.saturating_sub(run.name.split(' ').count());
            let titles = (run.start..name_start).filter(|&k| lexicon::is_title(ws[k].text));
            for k in titles.chain(roles_around(ws, run)) {
                for role in role_forms(ws, k) {
                    ctx.write(Write::Role(
                        Name::from(role.as_str()),
                        Name::from(run.name.as_str()),
                    ));
                }
            }
        }
    }
    // Who this unit is about, for a bare quotation right after it: who reports or is named
    // first (its subject, mostly), not someone named in passing after them.
    // Not a question: the answer after it is someone else's ("Har Anna Kinberg Batra …?").
    let question = sentence.trim_end().ends_with('?');
    // A sentence that says who speaks is about them, or no one named ("…, säger en
    // analytiker"); any other is about the person it names first, not in the genitive
    // ("Sveriges Radios reporter") and not as part of an organisation.
    let speaks = speech_at.is_some();
    let genitive = |r: &NameRun| {
        let last = ws[r.end - 1].text;
        last.contains(":s")
            || (last.ends_with('s')
                && ws[r.end - 1].punct_after.is_none()
                && ws
                    .get(r.end)
                    .is_some_and(|n| !names::is_capitalised(n.text)))
    };
    // Nor is a byline (a name alone), or a paragraph that opens a quotation carried on in
    // the next one.
    let opens_quote = sentence
        .trim_start()
        .starts_with(['"', '“', '”', '«', '»', '„', '–', '—']);
    let about = match (&quote, &introducer) {
        _ if question || opens_quote => None,
        (None, None) if speaks => reporter.clone(),
        (None, None) => runs
            .iter()
            .find(|r| {
                r.start <= 1
                    && r.name.contains(' ')
                    && r.is_person()
                    && !genitive(r)
                    && ws.len() > r.end + 1
            })
            .map(|r| r.name.clone()),
        _ => None,
    };
    ctx.write(Write::Introduced(about.as_deref().map(Name::from)));
    if let Some(s) = introducer {
        ctx.write(Write::LastSpeaker(Name::from(s)));
        ctx.write(Write::Quoted);
        return;
    }
    match quote {
        Some(q) => {
            if let Some(s) = &q.speaker {
                ctx.write(Write::LastSpeaker(Name::from(s.as_str())));
                if s.chars().next().is_some_and(char::is_uppercase) {
                    ctx.write(Write::LastPerson(Name::from(s.as_str())));
                    let surname = Name::from(s.rsplit(' ').next().unwrap_or(s));
                    ctx.write(Write::Person(surname));
                }
            }
            ctx.write(Write::Quoted);
        }
        None => {
            match reporter {
                // Reported speech counts as speech: a bare quotation may follow it.
                Some(s) => {
                    ctx.write(Write::LastSpeaker(Name::from(s.as_str())));
                    ctx.write(Write::LastPerson(Name::from(s.as_str())));
                    ctx.write(Write::Quoted);
                }
                None => ctx.write(Write::NotQuoted),
            }
        }
    }
}

/// The subject of the first speech verb of a sentence without quotation marks, when it is a
/// person ("Maria Rankka säger att …", "she told reporters …"): a person's name here, or a
/// person named before. Not a sentence's first word that only looks like a name ("Polisen",
/// "Själv"), nor a name in the genitive ("Madsens").
fn reported_speaker(
    ws: &[Word<'_>],
    runs: &[NameRun],
    verb: usize,
    ctx: &SpeakerContext,
) -> Option<String> {
    // "Buch-Jepsen frågar Madsen om …": the one asked answers next.
    if lexicon::QUESTION_VERBS.contains_lower(ws[verb].text) {
        return None;
    }
    // "…, enligt Lars-Ingvar Ljungman": the source comes after; what comes before is what
    // was said, whoever it names.
    let s = if lexicon::SPEAKER_FOLLOWS.contains_lower(ws[verb].text) {
        speaker_starting_at(ws, runs, verb + 1, ctx)?
    } else {
        speaker_ending_at(ws, runs, verb, ctx)?
    };
    if let Some(run) = runs.iter().find(|r| r.name == s) {
        return run.is_person().then_some(s);
    }
    let parts: Vec<&str> = s.split(' ').collect();
    let last = parts.last()?;
    let genitive = last
        .strip_suffix('s')
        .is_some_and(|stem| !stem.is_empty() && ctx.knows(stem));
    let person = parts.iter().all(|p| names::is_capitalised(p))
        && !genitive
        && (parts.len() >= 2 || ctx.knows(last));
    person.then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Option<QuoteInfo> {
        find_quote(s, &SpeakerContext::default())
    }
    fn speaker(s: &str) -> Option<String> {
        q(s).and_then(|q| q.speaker)
    }
    fn assert_speaker(sentence: &str, expected: Option<&str>) {
        assert_eq!(speaker(sentence).as_deref(), expected, "{sentence}");
    }

    #[test]
    fn an_organisation_before_a_role_and_a_name_is_not_the_speaker() {
        assert_eq!(
            speaker("“Nobody should waste it,” said UN envoy Maria Santos."),
            Some("Maria Santos".into())
        );
        assert_eq!(
            speaker("“It is a start,” said EU foreign policy chief Josep Borrell."),
            Some("Josep Borrell".into())
        );
        // An organisation alone, or followed by something else, stays the speaker.
        assert_eq!(
            speaker("“We are ready,” said UNICEF."),
            Some("UNICEF".into())
        );
        assert_eq!(
            speaker("“We are ready,” said UNICEF in a statement on Monday."),
            Some("UNICEF".into())
        );
        // A word linking the speaker to someone else is not a role.
        assert_eq!(
            speaker("– Det var solklart, säger Hjalmarsson till TV3 Sport."),
            Some("Hjalmarsson".into())
        );
        assert_eq!(
            speaker("– Det går bra, säger CNN:s meteorolog Tom Sater."),
            Some("Tom Sater".into())
        );
    }

    #[test]
    fn a_role_named_as_speaker_ends_where_a_preposition_starts() {
        assert_eq!(
            speaker("\"Lämna dem i fred\", skriver polisen i ett uttalande."),
            Some("polisen".into())
        );
        assert_eq!(
            speaker("– Det går bra, säger finansministern vid pressträffen."),
            Some("finansministern".into())
        );
        assert_eq!(
            speaker("“We are not leaving,” said a spokesman for the ministry."),
            Some("spokesman".into())
        );
        assert_eq!(
            speaker("– Det är en allvarlig olycka, sa en operatör på SOS Alarm inledningsvis."),
            Some("operatör".into())
        );
        assert_eq!(
            speaker("– Nu är det slut för henne, säger en M-riksdagsledamot till Expressen."),
            Some("M-riksdagsledamot".into())
        );
    }

    #[test]
    fn a_speaker_s_title_is_dropped_however_it_is_written() {
        assert_eq!(
            speaker("\"Stay away from the water,\" said Deputy Chief Constable Ann Holt."),
            Some("Ann Holt".into())
        );
        assert_eq!(
            speaker("Publiceringschefen Klas Wolf-Watz menar att han ”inte vill gå i polemik”."),
            Some("Klas Wolf-Watz".into())
        );
        // An abbreviated title's full stop does not cut the name off.
        assert_speaker(
            "“The situation is dire,” said Dr. Ahmed Salim, a surgeon at the hospital.",
            Some("Ahmed Salim"),
        );
        assert_speaker(
            "Gen. Mark Milley said the strike was “necessary and proportionate”.",
            Some("Mark Milley"),
        );
    }

    #[test]
    fn quote_styles_and_speaker_positions() {
        assert_eq!(
            speaker("“Nobody leaves this room without a plan,” Okafor told reporters."),
            Some("Okafor".into())
        );
        assert_eq!(
            speaker("\"We are ready to talk,\" said Foreign Minister Amina Okafor."),
            Some("Amina Okafor".into())
        );
        assert_eq!(
            speaker("«Nous sommes prêts à parler», a déclaré Dupont."),
            Some("Dupont".into())
        );
        assert_eq!(
            speaker("„Wir sind bereit zu reden“, sagte Müller."),
            Some("Müller".into())
        );
        assert_eq!(
            speaker("”Vi är redo att prata”, säger Andersson."),
            Some("Andersson".into())
        );
        assert_eq!(
            speaker("‘We are ready to talk,’ said Hale."),
            Some("Hale".into())
        );
        assert_eq!(
            speaker("– Vi är glada över beskedet, säger Bo Ericsson, vd på förbundet."),
            Some("Bo Ericsson".into())
        );
        assert_eq!(
            speaker("Okafor said: “The convoys move at dawn.”"),
            Some("Okafor".into())
        );
        assert_eq!(
            speaker("According to Okafor, “the convoys move at dawn”."),
            Some("Okafor".into())
        );
        assert_eq!(
            speaker("Okafor, the foreign minister, said the talks were “constructive and frank”."),
            Some("Okafor".into())
        );
    }

    #[test]
    fn role_nouns_and_counted_sources_are_speakers() {
        // Capitalised, these are not names ("Officials said"); as sources they are speakers.
        for (s, who) in [
            ("“It is over,” an official said.", "official"),
            ("“We remain hopeful,” police said.", "police"),
            (
                "“We are exhausted,” one aid worker told Reuters.",
                "aid worker",
            ),
            ("“Nothing is left,” two residents said.", "residents"),
            ("“Stop the war,” the protesters chanted.", "protesters"),
        ] {
            assert_eq!(speaker(s), Some(who.into()), "{s}");
        }
    }

    #[test]
    fn a_role_named_as_speaker_ends_where_a_relative_clause_starts() {
        assert_eq!(
            speaker("– Jag vet inte, sa en kvinna som bor i området."),
            Some("kvinna".into())
        );
        assert_eq!(
            speaker("“We ran,” said a man who lives nearby."),
            Some("man".into())
        );
        // "sa vilka erfarenheter som …" says what was said, not who said it.
        assert_eq!(speaker("– Det är viktigt, sa vilka som helst."), None);
        // However long the clause, and whoever it names.
        assert_eq!(
            speaker(
                "– Han verkade isolerad, berättar en person som känner Abdul Rahman för tidningen."
            ),
            Some("person".into())
        );
    }

    #[test]
    fn the_subject_is_found_across_adverbs_and_not_after_a_preposition() {
        for (s, who) in [
            ("Vik later wrote on X: “Convoys are moving.”", "Vik"),
            ("Okafor has said: “We will not sign.”", "Okafor"),
            ("“We will not sign,” Okafor also said.", "Okafor"),
        ] {
            assert_eq!(speaker(s), Some(who.into()), "{s}");
        }
        // The platform or the listener before a colon is not who spoke.
        assert_ne!(
            speaker("The statement was posted on X: “Convoys are moving.”"),
            Some("X".into())
        );
    }

    #[test]
    fn anonymous_sources_listeners_and_particle_names() {
        assert_eq!(
            speaker("“The ceasefire must hold,” a senior Western diplomat said."),
            Some("senior Western diplomat".into())
        );
        assert_eq!(
            speaker("“We need fuel,” Ahmed al-Rashid told reporters."),
            Some("Ahmed al-Rashid".into())
        );
        assert_eq!(
            speaker("“It is over,” says Ahmed al-Rashid, 54, a shopkeeper."),
            Some("Ahmed al-Rashid".into())
        );
        // After "told" comes the listener: the speaker is before the verb.
        assert_eq!(
            speaker("“We are ready,” Okafor told the BBC."),
            Some("Okafor".into())
        );
    }

    #[test]
    fn a_role_resolves_to_the_person_introduced_with_it() {
        let mut ctx = SpeakerContext::default();
        observe(
            &mut ctx,
            "Prime Minister Lena Holm spoke after the session.",
            None,
        );
        let quote = find_quote("“This is the moment,” the prime minister said.", &ctx).unwrap();
        assert_eq!(quote.speaker.as_deref(), Some("Lena Holm"));
    }

    /// The speaker of `quote` after `intro` has been read.
    fn speaker_after(intro: &str, quote: &str) -> Option<String> {
        let mut ctx = SpeakerContext::default();
        observe(&mut ctx, intro, None);
        find_quote(quote, &ctx).and_then(|q| q.speaker)
    }

    #[test]
    fn a_role_given_in_lower_case_or_between_commas_resolves_to_its_person() {
        let cases = [
            // Right before the name.
            (
                "UN envoy Amina Okafor arrived on Monday.",
                "“We will not give up,” the envoy said.",
            ),
            // Set off by commas, after the name and before it.
            (
                "Amina Okafor, the UN envoy, arrived on Monday.",
                "“We will not give up,” the envoy said.",
            ),
            (
                "The foreign minister, Amina Okafor, arrived on Monday.",
                "“We will not give up,” the minister said.",
            ),
            (
                "Amina Okafor, a spokeswoman for the Red Cross, arrived.",
                "“We will not give up,” the spokeswoman said.",
            ),
        ];
        for (intro, quote) in cases {
            assert_eq!(
                speaker_after(intro, quote).as_deref(),
                Some("Amina Okafor"),
                "{intro} / {quote}"
            );
        }
        // A role named with a different form or only its head: the Swedish definite form, a
        // compound's head word.
        let swedish = [
            (
                "Utrikesminister Margot Wallström (S) kom i går.",
                "– Vi ger inte upp, säger utrikesministern.",
            ),
            (
                "Margot Wallström, utrikesminister, kom i går.",
                "– Vi ger inte upp, säger ministern.",
            ),
        ];
        for (intro, quote) in swedish {
            assert_eq!(
                speaker_after(intro, quote).as_deref(),
                Some("Margot Wallström"),
                "{intro} / {quote}"
            );
        }
        // A role merely mentioned near a name is not that person's.
        assert_eq!(
            speaker_after(
                "Speaking to the minister, Jane Doe said little.",
                "“We will not give up,” the minister said."
            )
            .as_deref(),
            Some("minister")
        );
    }

    /// The speaker of the last of `sentences`, each read in turn as the engine does.
    fn speaker_of_last(sentences: &[&str]) -> Option<String> {
        let mut ctx = SpeakerContext::default();
        let (last, before) = sentences.split_last().unwrap();
        for s in before {
            let q = find_quote(s, &ctx);
            observe(&mut ctx, s, q.as_ref());
        }
        find_quote(last, &ctx).and_then(|q| q.speaker)
    }

    #[test]
    fn a_bare_quote_after_reported_speech_is_the_reporter_s() {
        // "X säger att …" then "– …": X speaks, not the one quoted before.
        let rankka = [
            "– Jag förstår att folk är förbannade, sade Löfven vid en presskonferens.",
            "Maria Rankka, vd på Stockholms Handelskammare, säger att det sänker Stockholm.",
            "– Nordeas flytt är allvarlig för Stockholm som finansiellt centrum.",
        ];
        assert_eq!(speaker_of_last(&rankka).as_deref(), Some("Maria Rankka"));
        // A pronoun subject is resolved first, and stays the one "he" refers to.
        let pronoun = [
            "Jimmy Baker medverkade i telefonkonferensen.",
            "Han menar att de var överens om det låga förtroendet för Anna Kinberg Batra.",
            "– Det är mer än två tredjedelar i alla fall, säger han.",
        ];
        assert_eq!(speaker_of_last(&pronoun).as_deref(), Some("Jimmy Baker"));
        // The one asked answers next, not the one who asks.
        let asked = [
            "Peter Madsen svarar att han har frågat flera personer.",
            "Jakob Buch-Jepsen frågar sedan Madsen om han tappade luckan.",
            "– Om jag hade behållit fotfästet hade vi inte suttit här i dag, säger han.",
        ];
        assert_eq!(speaker_of_last(&asked).as_deref(), Some("Madsen"));
        // A capitalised first word or a name in the genitive is no reporter.
        let polisen = [
            "– Vi har gripit en man, säger Jens Möller.",
            "Polisen säger att mannen är 30 år.",
            "– Han har inte erkänt.",
        ];
        assert_eq!(speaker_of_last(&polisen).as_deref(), Some("Jens Möller"));
    }

    #[test]
    fn a_swedish_noun_for_what_a_person_does_is_dropped_like_a_title() {
        assert_speaker(
            "Operasångerskan Malena Ernman skriver på sin Facebooksida: \"Tack och hej.\"",
            Some("Malena Ernman"),
        );
        assert_speaker(
            "– Det handlar om politikens innehåll, säger pressekreteraren Anders Edholm.",
            Some("Anders Edholm"),
        );
        assert_eq!(
            speaker_after(
                "Meteorologen Justin Horne har twittrat en bild.",
                "– Stormen väntas slå till i natt, säger meteorologen."
            )
            .as_deref(),
            Some("Justin Horne")
        );
        // First names that end the same way stay names.
        assert_speaker(
            "“It was a long night,” said Kristen Stewart.",
            Some("Kristen Stewart"),
        );
        assert_speaker(
            "– Det var en lång natt, säger Christian Wittman.",
            Some("Christian Wittman"),
        );
    }

    #[test]
    fn the_subject_after_a_fronted_adverbial_or_before_a_pronoun_attribution_speaks() {
        // Swedish puts the subject after the verb when something else comes first.
        assert_speaker(
            "Strax före klockan 18 meddelade publiceringschefen på Ekot, Klas Wolf-Watz, att de tar bort \"hela inslaget från sajten\".",
            Some("Klas Wolf-Watz"),
        );
        assert_speaker(
            "Samtidigt sa Bildt att han är \"hedrad smickrad och en smula förvånad\".",
            Some("Bildt"),
        );
        // "…, säger han" after the sentence's own subject is that subject …
        assert_speaker(
            "Men Carl Bildt vill inte bli partiledare, säger han och kallar förslaget ”en dålig idé som ingen tror på”.",
            Some("Carl Bildt"),
        );
        // … but not after a quotation about someone else.
        let mut ctx = SpeakerContext::default();
        observe(&mut ctx, "Per Holm i Växjö skriver om partiet.", None);
        let quote = find_quote(
            "Kinberg Batra ”har förvisso svårt att gå hem. Men hon gör rätt saker”, skriver han.",
            &ctx,
        )
        .unwrap();
        assert_eq!(quote.speaker.as_deref(), Some("Per Holm"));
    }

    #[test]
    fn a_date_or_a_clause_is_no_speaker_and_a_title_with_small_words_is_no_quote() {
        assert_eq!(
            q("On 22nd June 2022 local authorities declared “State of Public Calamity” for 30 days."),
            None
        );
        assert_speaker(
            "It is not very often people say “thank you for all the hard work you did”.",
            None,
        );
    }

    #[test]
    fn a_bare_quote_after_a_sentence_about_someone_is_theirs() {
        let wikman = [
            "– Vi har folk där, säger Robin Zachari, kanslichef på Skiftet.",
            "Jennifer Wikman, 29, är en av de kunder som nu har bestämt sig för att lämna banken.",
            "– Jag har varit kund i 16 år, men det här blev droppen.",
        ];
        assert_eq!(speaker_of_last(&wikman).as_deref(), Some("Jennifer Wikman"));
        // Not after a question: the one asked answers.
        let question = [
            "– Det är upp till banken, säger Magdalena Andersson.",
            "Har Anna Kinberg Batra fortfarande partiets stöd?",
            "– Ja, det tror jag att hon har i allra högsta grad.",
        ];
        assert_eq!(
            speaker_of_last(&question).as_deref(),
            Some("Magdalena Andersson")
        );
        // Not after a byline, nor after a sentence that only reports who speaks in a role.
        let byline = [
            "Sandra Johansson",
            "”Är Steve Bannon farligast för Trump i Vita Huset?”",
        ];
        assert_eq!(speaker_of_last(&byline), None);
    }

    #[test]
    fn an_attribution_after_a_question_mark_or_in_the_perfect_tense_names_the_speaker() {
        let asked = [
            "Åklagaren Jakob Buch-Jepsen yrkade på häktning.",
            "– Om inte Madsen har styckat kroppen, vem har i så fall gjort det? frågade åklagaren.",
        ];
        assert_eq!(
            speaker_of_last(&asked).as_deref(),
            Some("Jakob Buch-Jepsen")
        );
        assert_speaker(
            "– Min klient vill förklara sig, har försvarsadvokaten Betina Hald Engmark sagt.",
            Some("Betina Hald Engmark"),
        );
        assert_speaker(
            "Sportjournalisten Daniel Sandström tvittrade att ”Brynäs befarar armbrott på Jesper”.",
            Some("Daniel Sandström"),
        );
    }

    #[test]
    fn a_colon_line_naming_its_source_after_according_to_introduces_that_source() {
        let lines = [
            "Rysslands FN-ambassadör menar att en insats inte är lösningen.",
            "Testet är dock allvarligt, enligt ambassadören Vasilij Nebenzia:",
            "– Freden i regionen är i stor fara.",
        ];
        assert_eq!(speaker_of_last(&lines).as_deref(), Some("Vasilij Nebenzia"));
    }

    #[test]
    fn a_role_with_its_country_is_not_another_country_s() {
        let roles = [
            "– Freden är i fara, säger Liu Jieyi, Kinas FN-ambassadör.",
            "– Vi vill ha samtal, säger Rysslands FN-ambassadör.",
        ];
        assert_eq!(
            speaker_of_last(&roles).as_deref(),
            Some("Rysslands FN-ambassadör")
        );
        let same = [
            "Kinas FN-ambassadör Liu Jieyi talade först.",
            "– Freden är i fara, säger Kinas FN-ambassadör.",
        ];
        assert_eq!(speaker_of_last(&same).as_deref(), Some("Liu Jieyi"));
        // The bare role still names the one holder known by it.
        let bare = [
            "Envoy Amina Okafor arrived on Monday.",
            "“We are ready,” the UN envoy said.",
        ];
        assert_eq!(speaker_of_last(&bare).as_deref(), Some("Amina Okafor"));
    }

    #[test]
    fn a_characterising_verb_attributes_the_quoted_words_to_its_subject() {
        assert_speaker(
            "Prime Minister Lena Holm called the attack “an act of cowardice”.",
            Some("Lena Holm"),
        );
        assert_speaker(
            "Holm described the decision as “deeply disappointing”.",
            Some("Holm"),
        );
        assert_speaker(
            "Förre utrikesministern Carl Bildt kallar hanteringen för \"regeringens idiotiska Nordea-logik\" på Twitter.",
            Some("Carl Bildt"),
        );
        // Not a passive subject, and "known as" still names something.
        assert_eq!(
            q("The plan was called “a disaster in the making” by critics."),
            None
        );
        assert_eq!(q("The area is known as the “green corridor”."), None);
    }

    #[test]
    fn a_title_qualified_by_what_follows_it_names_the_person_after_it() {
        assert_speaker(
            "– Nu önskar vi ett beslut, säger ordförande för moderaterna i Stockholms stad Joakim Larsson, till SVT Nyheter.",
            Some("Joakim Larsson"),
        );
        // Not a title: a role phrase is no more a speaker than before.
        assert_speaker(
            "Enligt storbanken kommer ett \"litet antal\" medarbetare i Sverige att påverkas.",
            None,
        );
    }

    #[test]
    fn a_said_colon_line_attributes_the_next_quote_and_unattributed_labels_are_not_quotes() {
        let mut ctx = SpeakerContext::default();
        observe(&mut ctx, "Science Minister George Freeman said:", None);
        let quote = find_quote(
            "“This framework will create jobs in every part of the country.”",
            &ctx,
        )
        .unwrap();
        assert_eq!(quote.speaker.as_deref(), Some("George Freeman"));
        assert_eq!(q("See ‘Safety and security’."), None);
    }

    #[test]
    fn quote_text_drops_the_trailing_comma() {
        assert_eq!(
            q("“Nobody leaves this room,” Okafor said.").unwrap().text,
            "Nobody leaves this room"
        );
    }

    #[test]
    fn scare_quotes_and_quoted_names_are_not_quotes() {
        assert_eq!(q("Trucks will use the “green corridor” from Monday."), None);
        assert_eq!(
            q("The plan, known as \"Project Lantern\", was approved."),
            None
        );
        assert_eq!(q("Russia’s envoy left."), None);
    }

    #[test]
    fn a_title_before_a_one_word_name_and_subjects_joined_by_and() {
        assert_speaker(
            "– Vi har gjort mycket, säger statsminister Löfven.",
            Some("Löfven"),
        );
        assert_speaker(
            "Ferguson och Schneiderman och ytterligare 18 åklagare skrev att de ska \
                 försvara det med \"alla medel\".",
            Some("Schneiderman"),
        );
        // Two verbs joined, not two subjects.
        assert_speaker(
            "Han fördömer dådet i Åbo och säger att \"terrorn har nått Finland\".",
            None,
        );
        // A clause before the verb is nobody.
        assert_speaker(
            "Han säger att hans moraliska kompass säger att ansvaret är mot \"vårt eget \
                 land\".",
            None,
        );
    }

    #[test]
    fn a_german_title_is_dropped_from_the_speaker() {
        for s in [
            "„Wir sind bereit“, sagte Bundeskanzlerin Anna Schmidt.",
            "„Wir sind bereit“, sagte Regierungssprecher Anna Schmidt.",
        ] {
            assert_eq!(speaker(s).as_deref(), Some("Anna Schmidt"), "{s}");
        }
    }

    #[test]
    fn an_owner_before_a_name_is_not_part_of_it() {
        assert_speaker(
            "– Allt talar för att hon avgår, säger TV4:s Ann Tiberg.",
            Some("Ann Tiberg"),
        );
        assert_speaker("“It is over,” said CNN's Tom Sater.", Some("Tom Sater"));
        assert_speaker(
            "– Det är allvarligt, säger SVT:s USA-korrespondent Carina Bergfeldt.",
            Some("Carina Bergfeldt"),
        );
    }

    #[test]
    fn a_person_s_deputy_is_the_speaker_not_the_person() {
        assert_speaker(
            "“We will not give up,” said Khan's deputy, Sara Ali.",
            Some("Sara Ali"),
        );
        assert_speaker(
            "“We will not give up,” said Khan’s spokesman.",
            Some("spokesman"),
        );
    }

    #[test]
    fn a_party_s_letters_in_brackets_are_not_part_of_the_speaker() {
        assert_speaker(
            "– Det här är ett svek, säger partiledaren Ulf Kristersson (M) till TT.",
            Some("Ulf Kristersson"),
        );
        assert_speaker(
            "“We will fight,” said Senator Jane Doe (D-Texas).",
            Some("Jane Doe"),
        );
        // Before the verb, and as the last person named for a pronoun.
        assert_speaker(
            "Magdalena Andersson (S) säger: ”Vi tar ansvar.”",
            Some("Magdalena Andersson"),
        );
        let mut ctx = SpeakerContext::default();
        observe(&mut ctx, "Stefan Löfven (S) höll en presskonferens.", None);
        let quote = find_quote("– Vi är glada, säger han.", &ctx).unwrap();
        assert_eq!(quote.speaker.as_deref(), Some("Stefan Löfven"));
    }

    #[test]
    fn a_pronoun_refers_to_the_last_person_named() {
        let mut ctx = SpeakerContext::default();
        observe(
            &mut ctx,
            "Amina Okafor arrived in Harbour City on Monday.",
            None,
        );
        let quote = find_quote("“We are ready,” she said.", &ctx).unwrap();
        assert_eq!(quote.speaker.as_deref(), Some("Amina Okafor"));
    }

    #[test]
    fn a_short_quote_said_by_a_pronoun_is_a_quote_even_with_nobody_named() {
        for s in [
            "“I will not step down,” she had told reporters.",
            "She told reporters: “We are ready.”",
            "– Det är fortfarande kritiskt, säger han till TT.",
        ] {
            let quote = q(s).unwrap_or_else(|| panic!("{s}: no quote"));
            assert_eq!(quote.speaker, None, "{s}");
        }
        // A short quoted title in reported speech is still not one.
        assert_eq!(
            q("Men han är inte intresserad, säger han i \"Bara politik – med Niklas Svensson\" i Expressen TV."),
            None
        );
        assert_eq!(
            q("The report was titled “Safety and security”, he wrote."),
            None
        );
    }

    #[test]
    fn a_pronoun_does_not_refer_back_to_a_plural_role() {
        let mut ctx = SpeakerContext::default();
        let chant = find_quote("The protesters chanted: “No more war, no more war.”", &ctx);
        assert_eq!(
            chant.as_ref().unwrap().speaker.as_deref(),
            Some("protesters")
        );
        observe(
            &mut ctx,
            "The protesters chanted: “No more war, no more war.”",
            chant.as_ref(),
        );
        let quote = find_quote("“We will stay here until they leave,” he said.", &ctx).unwrap();
        assert_eq!(quote.speaker, None);
        // One official is "he".
        let mut ctx = SpeakerContext::default();
        let said = find_quote("An official said: “The road is closed for now.”", &ctx);
        observe(
            &mut ctx,
            "An official said: “The road is closed for now.”",
            said.as_ref(),
        );
        let quote = find_quote("“We will reopen it soon,” he said.", &ctx).unwrap();
        assert_eq!(quote.speaker.as_deref(), Some("official"));
    }

    #[test]
    fn speakers_are_found_after_the_speech_verbs_and_titles_of_other_european_languages() {
        for (sentence, expected) in [
            (
                "« Nous ne partirons pas », a déclaré le ministre de l'Intérieur, Gérald Darmanin.",
                "Gérald Darmanin",
            ),
            (
                "« Les convois sont bloqués », a indiqué Marc Dubois, porte-parole de l'ONU.",
                "Marc Dubois",
            ),
            ("« Il faut agir », a confié Anne Roux à l'AFP.", "Anne Roux"),
            (
                "„Wir bleiben hier“, sagte Bürgermeisterin Anna Schmidt.",
                "Anna Schmidt",
            ),
            (
                "„Wir prüfen alle Optionen“, so Innenministerin Nancy Faeser.",
                "Nancy Faeser",
            ),
            (
                "„Die Hilfe kommt nicht an“, warnte die Ministerin Klara Weber.",
                "Klara Weber",
            ),
            (
                "«La situación es grave», señaló el presidente del Gobierno, Pedro Sánchez.",
                "Pedro Sánchez",
            ),
            (
                "«Non ce ne andremo», ha detto il sindaco Marco Rossi.",
                "Marco Rossi",
            ),
            (
                "\"We blijven hier\", zei burgemeester Jan de Vries.",
                "Jan de Vries",
            ),
            (
                "\"De situatie is ernstig\", aldus premier Mark Rutte.",
                "Mark Rutte",
            ),
            (
                "– Det er en alvorlig situation, udtaler statsminister Mette Frederiksen.",
                "Mette Frederiksen",
            ),
            (
                "\"Não vamos desistir\", declarou o presidente Lula.",
                "Lula",
            ),
            (
                "« Nous ne partirons pas », a déclaré le maire Dupont.",
                "Dupont",
            ),
            (
                "« Nous ne partirons pas », a déclaré Eric Maire.",
                "Eric Maire",
            ),
            // "Jan" before a surname is a first name, not January.
            ("“We stay here,” said Jan Egeland.", "Jan Egeland"),
        ] {
            assert_speaker(sentence, Some(expected));
        }
    }

    #[test]
    fn an_inverted_or_dropped_pronoun_refers_to_the_last_person_named() {
        for (intro, quote) in [
            (
                "Le maire Jean Dupont est arrivé lundi.",
                "« Nous ne partirons pas », a-t-il déclaré.",
            ),
            (
                "Le maire Jean Dupont est arrivé lundi.",
                "« Il faut agir vite », explique-t-il.",
            ),
            (
                "El alcalde Jean Dupont llegó el lunes.",
                "«No nos vamos a rendir», añadió.",
            ),
        ] {
            assert_eq!(
                speaker_of_last(&[intro, quote]).as_deref(),
                Some("Jean Dupont"),
                "{quote}"
            );
        }
    }

    #[test]
    fn a_role_before_a_person_named_earlier_names_that_person_particle_and_all() {
        assert_eq!(
            speaker_of_last(&[
                "President Donald Trump visited Texas.",
                "– Vi är med er, sade en allvarlig Trump på måndagen.",
            ])
            .as_deref(),
            Some("Trump")
        );
        assert_eq!(
            speaker_of_last(&[
                "Peder von Eckermann vann.",
                "– En makalös känsla, säger von Eckermann till TT.",
            ])
            .as_deref(),
            Some("von Eckermann")
        );
    }

    #[test]
    fn a_person_named_after_a_role_and_its_comma_or_after_a_long_title_speaks() {
        assert_speaker(
            "“We have no water left at all,” said one resident, Maria Lopez, 45.",
            Some("Maria Lopez"),
        );
        assert_speaker(
            "“This is a catastrophe,” said UN Emergency Relief Coordinator Martin Griffiths.",
            Some("Martin Griffiths"),
        );
        assert_speaker(
            "“This is unacceptable,” House Speaker Nancy Pelosi told reporters.",
            Some("Nancy Pelosi"),
        );
    }

    #[test]
    fn he_and_she_skip_the_last_person_named_when_the_story_shows_the_other_gender() {
        for (sentences, expected) in [
            (
                &[
                    "General Tomas Brandt arrived first. Amina Okafor arrived later.",
                    "“We are ready,” he said.",
                ],
                "Tomas Brandt",
            ),
            (
                &[
                    "Amina Okafor arrived first. General Tomas Brandt arrived later.",
                    "“We are ready,” she said.",
                ],
                "Amina Okafor",
            ),
            (
                &[
                    "Mrs Reyes arrived first. Mr Brandt came later.",
                    "“We are ready,” she said.",
                ],
                "Reyes",
            ),
            (
                &[
                    "Stefan Löfven talade i riksdagen. Anna Kinberg Batra lyssnade.",
                    "– Vi är redo, säger han.",
                ],
                "Stefan Löfven",
            ),
            // A first name given to women and men alike shows none.
            (
                &[
                    "Amina Okafor arrived first. Andrea Rossi arrived later.",
                    "“We are ready,” she said.",
                ],
                "Andrea Rossi",
            ),
            // A name that shows no gender is not skipped.
            (
                &[
                    "Amina Okafor arrived first. Johnny Magnusson arrived later.",
                    "“We are ready,” he said.",
                ],
                "Johnny Magnusson",
            ),
        ] {
            assert_eq!(
                speaker_of_last(sentences).as_deref(),
                Some(expected),
                "{sentences:?}"
            );
        }
        // A surname a couple share tells no gender: "han" is still Trump.
        assert_eq!(
            speaker_of_last(&[
                "Donald och Melania Trump kom till Texas.",
                "– Vi gör det bättre, sade Trump.",
                "– Vi är med er, sade han.",
            ])
            .as_deref(),
            Some("Trump")
        );
    }

    #[test]
    fn the_author_of_a_statement_quoted_is_the_speaker() {
        assert_speaker(
            "“The convoys will move on Thursday,” according to a statement from the ministry.",
            Some("ministry"),
        );
        assert_speaker(
            "”Vi följer läget noga”, enligt ett uttalande från Polisen.",
            Some("Polisen"),
        );
    }

    #[test]
    fn an_attribution_between_commas_inside_french_quotation_marks_names_the_speaker() {
        assert_eq!(
            speaker_of_last(&[
                "Le maire Jean Dupont est arrivé lundi.",
                "« Nous sommes prêts, a-t-il dit, mais pas à n'importe quel prix. »",
            ])
            .as_deref(),
            Some("Jean Dupont")
        );
        assert_speaker(
            "« Nous sommes prêts, a déclaré le maire Jean Dupont, mais pas à ce prix. »",
            Some("Jean Dupont"),
        );
        // A list between commas says nothing of who speaks.
        assert_speaker(
            "“Red, white, and blue are the colours we chose,” the team wrote.",
            Some("team"),
        );
    }
}
