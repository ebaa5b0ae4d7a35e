//! The wire formats of DESIGN §2–§4: what comes in, what goes out, and the per-story state.
//! Field names here are stable API; change them only with the design document.

use serde::{Deserialize, Serialize};

/// One version of a story, as published to `story.versions` (DESIGN §2).
/// Unknown fields are ignored; validation beyond types lives in [`crate::input`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryVersion {
    pub story_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Where an input record came from: a Kafka coordinate or a line of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    #[serde(rename = "story.created")]
    StoryCreated,
    #[serde(rename = "headline.changed")]
    HeadlineChanged,
    #[serde(rename = "fact.added")]
    FactAdded,
    #[serde(rename = "fact.removed")]
    FactRemoved,
    #[serde(rename = "fact.changed")]
    FactChanged,
    #[serde(rename = "quote.added")]
    QuoteAdded,
    #[serde(rename = "quote.changed")]
    QuoteChanged,
    #[serde(rename = "quote.removed")]
    QuoteRemoved,
    #[serde(rename = "number.changed")]
    NumberChanged,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::StoryCreated,
        Kind::HeadlineChanged,
        Kind::FactAdded,
        Kind::FactRemoved,
        Kind::FactChanged,
        Kind::QuoteAdded,
        Kind::QuoteChanged,
        Kind::QuoteRemoved,
        Kind::NumberChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::StoryCreated => "story.created",
            Kind::HeadlineChanged => "headline.changed",
            Kind::FactAdded => "fact.added",
            Kind::FactRemoved => "fact.removed",
            Kind::FactChanged => "fact.changed",
            Kind::QuoteAdded => "quote.added",
            Kind::QuoteChanged => "quote.changed",
            Kind::QuoteRemoved => "quote.removed",
            Kind::NumberChanged => "number.changed",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Normal,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Normal => "normal",
            Severity::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "low" => Some(Severity::Low),
            "normal" => Some(Severity::Normal),
            "high" => Some(Severity::High),
            _ => None,
        }
    }
}

/// A direct quotation and who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub speaker: Option<String>,
}

/// A figure before and after; `None` on one side when it appeared or disappeared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberChange {
    pub before: Option<String>,
    pub after: Option<String>,
}

/// 1-based paragraph and sentence (within the paragraph) of the finding: in the new version, or
/// in the old one for removals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub paragraph: usize,
    pub sentence: usize,
}

/// One change event on `story.changes` (DESIGN §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeEvent {
    pub event_id: String,
    pub story_id: String,
    pub from_version: Option<u64>,
    pub to_version: u64,
    pub kind: Kind,
    pub categories: Vec<String>,
    /// CAMEO codes of the categories that name one, for joins with GDELT-style analytics.
    #[serde(default)]
    pub cameo: Vec<String>,
    pub severity: Severity,
    pub text: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub quote: Option<Quote>,
    pub numbers: Vec<NumberChange>,
    pub entities: Vec<String>,
    pub location: Option<Location>,
    pub rule: String,
    pub published_at: Option<String>,
    pub detected_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RevisionStatus {
    Created,
    Changed,
    Cosmetic,
    Moved,
    Duplicate,
    Stale,
    Conflict,
}

impl RevisionStatus {
    pub const ALL: [RevisionStatus; 7] = [
        RevisionStatus::Created,
        RevisionStatus::Changed,
        RevisionStatus::Cosmetic,
        RevisionStatus::Moved,
        RevisionStatus::Duplicate,
        RevisionStatus::Stale,
        RevisionStatus::Conflict,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevisionStatus::Created => "created",
            RevisionStatus::Changed => "changed",
            RevisionStatus::Cosmetic => "cosmetic",
            RevisionStatus::Moved => "moved",
            RevisionStatus::Duplicate => "duplicate",
            RevisionStatus::Stale => "stale",
            RevisionStatus::Conflict => "conflict",
        }
    }
}

/// A sentence that was replaced by another one (changed, cosmetic or not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangedSentence {
    pub before: String,
    pub after: String,
    /// `true` when the difference carries no information (punctuation, typo, quote style…).
    pub cosmetic: bool,
}

/// The sentence-level diff of one version against the previous one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SentenceDiff {
    pub inserted: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<ChangedSentence>,
    pub moved: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<ChangedSentence>,
    /// Set when a size or comparison bound made the diff coarser than usual (DESIGN §5).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub coarse: bool,
}

/// One record per processed input on `story.revisions` (DESIGN §4). `hash` covers every other
/// field, and `prev_hash` is the previous record's `hash` for the same story: a chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionRecord {
    pub story_id: String,
    pub version: u64,
    pub previous_version: Option<u64>,
    pub status: RevisionStatus,
    pub content_hash: String,
    pub diff: SentenceDiff,
    pub event_ids: Vec<String>,
    pub source: Origin,
    pub published_at: Option<String>,
    pub processed_at: String,
    pub prev_hash: Option<String>,
    pub hash: String,
}

/// What redline keeps per story between versions; stored in `story.state` (compacted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryState {
    /// Bumped whenever the layout changes, so a restore can refuse or migrate old records.
    pub format: u32,
    pub story_id: String,
    pub version: u64,
    pub content_hash: String,
    pub headline: String,
    /// Paragraphs of the last accepted version, as plain text.
    pub paragraphs: Vec<String>,
    pub published_at: Option<String>,
    /// `hash` of the last revision record of this story (head of the chain).
    pub last_revision_hash: String,
}

impl StoryState {
    pub const FORMAT: u32 = 1;

    /// Approximate heap bytes held, for the state-size gauge and memory bound.
    pub fn approx_bytes(&self) -> usize {
        self.story_id.len()
            + self.headline.len()
            + self.paragraphs.iter().map(|p| p.len() + 24).sum::<usize>()
            + self.content_hash.len()
            + self.last_revision_hash.len()
            + 128
    }
}
