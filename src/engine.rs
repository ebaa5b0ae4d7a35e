//! The pure core: `(previous state, new version, now) -> (events, revision record, new state)`.
//! No I/O and no clock: the caller passes the time, so the same inputs give the same outputs.

use crate::config::Limits;
use crate::detect::rules::Rules;
use crate::detect::{self, Finding};
use crate::diff;
use crate::model::{
    ChangeEvent, Kind, Origin, RevisionRecord, RevisionStatus, SentenceDiff, StoryState,
    StoryVersion,
};
use crate::text::{normalise, parallel, Document};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Engine {
    pub rules: Rules,
    pub limits: Limits,
    documents: DocumentCache,
}

/// The analysis of the last version of each story, with that version's content hash. The
/// next version of a story is analysed from it (only what changed is analysed anew), so the
/// previous version is never analysed twice. Analysis is deterministic, so the cache changes
/// only speed, never results.
#[derive(Debug, Default)]
struct DocumentCache(Mutex<HashMap<String, (String, Arc<Document>)>>);

/// Bound on cached analyses (stories); the cache is emptied when full.
const DOCUMENT_CACHE_ENTRIES: usize = 4096;

impl Clone for DocumentCache {
    fn clone(&self) -> Self {
        DocumentCache::default()
    }
}

impl DocumentCache {
    /// The story's cached analysis, if it is of the version with this content hash.
    fn get(&self, story: &str, content_hash: &str) -> Option<Arc<Document>> {
        let map = self.0.lock().ok()?;
        let (hash, doc) = map.get(story)?;
        (hash == content_hash).then(|| Arc::clone(doc))
    }

    fn put(&self, story: &str, content_hash: String, doc: Arc<Document>) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= DOCUMENT_CACHE_ENTRIES {
                map.clear();
            }
            map.insert(story.to_string(), (content_hash, doc));
        }
    }
}

/// Everything one input version produces.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub events: Vec<ChangeEvent>,
    pub revision: RevisionRecord,
    pub state: StoryState,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The hash that chains revision records: SHA-256 of the record's JSON with `hash` empty.
pub fn revision_hash(record: &RevisionRecord) -> String {
    let json = if record.hash.is_empty() {
        serde_json::to_vec(record)
    } else {
        serde_json::to_vec(&RevisionRecord {
            hash: String::new(),
            ..record.clone()
        })
    };
    sha256_hex(&json.expect("revision records serialise"))
}

impl Engine {
    pub fn new(rules: Rules, limits: Limits) -> Engine {
        Engine {
            rules,
            limits,
            documents: DocumentCache::default(),
        }
    }

    pub fn with_defaults() -> Engine {
        Engine::new(Rules::builtin(), Limits::default())
    }

    /// Headline and body paragraphs of a version, page furniture dropped.
    pub fn text_of(&self, v: &StoryVersion) -> (String, Vec<String>) {
        self.text_after(v, None)
    }

    /// [`Engine::text_of`], knowing the analysis of the story's previous version: a paragraph
    /// it kept is not page furniture now either.
    fn text_after(&self, v: &StoryVersion, previous: Option<&Document>) -> (String, Vec<String>) {
        let headline = normalise::clean_whitespace(v.headline.as_deref().unwrap_or(""));
        let paragraphs = match (&v.body, &v.body_html) {
            (Some(b), _) if !b.trim().is_empty() => normalise::paragraphs(b),
            (_, Some(h)) => normalise::html_paragraphs(h),
            _ => Vec::new(),
        };
        let keep = parallel::map(&paragraphs, parallel::is_large(&paragraphs), |p| {
            previous.is_some_and(|d| d.has_paragraph(p)) || !self.rules.is_ignored_paragraph(p)
        });
        let paragraphs = paragraphs
            .into_iter()
            .zip(keep)
            .filter_map(|(p, keep)| keep.then_some(p))
            .collect();
        (headline, paragraphs)
    }

    /// Process one version of a story against its previous state.
    pub fn process(
        &self,
        prev: Option<&StoryState>,
        v: &StoryVersion,
        origin: &Origin,
        now: &str,
    ) -> Outcome {
        let cached = prev.and_then(|p| self.documents.get(&v.story_id, &p.content_hash));
        let (headline, paragraphs) = self.text_after(v, cached.as_deref());
        let whole = |p: &str| self.rules.is_whole_paragraph(p);
        // A large version is analysed beside its content hash (a stale or duplicate one, known
        // by that hash, then drops the analysis).
        let (content_hash, analysed) = match &cached {
            Some(old) if parallel::is_large(&paragraphs) => {
                let (hash, doc) = rayon::join(
                    || content_hash(&headline, &paragraphs),
                    || Document::build_with(&headline, &paragraphs, &whole, Some(old)),
                );
                (hash, Some(doc))
            }
            _ => (content_hash(&headline, &paragraphs), None),
        };

        let Some(prev) = prev else {
            // Analysed now so the second version's diff finds it ready.
            let doc = Document::build_with(&headline, &paragraphs, &whole, None);
            self.documents
                .put(&v.story_id, content_hash.clone(), Arc::new(doc));
            let version = v.version.unwrap_or(1);
            let text = if headline.is_empty() {
                paragraphs.first().cloned().unwrap_or_default()
            } else {
                headline.clone()
            };
            let finding = Finding {
                kind: Kind::StoryCreated,
                text: text.clone(),
                before: None,
                after: Some(text.clone()),
                quote: None,
                numbers: Vec::new(),
                entities: crate::text::names::entities(&text),
                location: None,
                rule: "created",
            };
            let events = self.events(v, None, version, vec![finding], now);
            return self.outcome(
                v,
                origin,
                now,
                None,
                version,
                RevisionStatus::Created,
                content_hash,
                SentenceDiff::default(),
                events,
                Some((headline, paragraphs)),
            );
        };

        // Versions at or below the last one seen change nothing (DESIGN §3 "Versions").
        let stale_status = match v.version {
            Some(n) if n < prev.version => Some(if content_hash == prev.content_hash {
                RevisionStatus::Duplicate
            } else {
                RevisionStatus::Stale
            }),
            Some(n) if n == prev.version => Some(if content_hash == prev.content_hash {
                RevisionStatus::Duplicate
            } else {
                RevisionStatus::Conflict
            }),
            None if content_hash == prev.content_hash => Some(RevisionStatus::Duplicate),
            _ => None,
        };
        if let Some(status) = stale_status {
            let version = v.version.unwrap_or(prev.version);
            return self.outcome(
                v,
                origin,
                now,
                Some(prev),
                version,
                status,
                content_hash,
                SentenceDiff::default(),
                Vec::new(),
                None,
            );
        }

        let version = v.version.unwrap_or(prev.version + 1);
        let old = cached.unwrap_or_else(|| {
            Arc::new(Document::build_with(
                &prev.headline,
                &prev.paragraphs,
                &whole,
                None,
            ))
        });
        // Only what changed since the previous version is analysed anew.
        let new =
            Arc::new(analysed.unwrap_or_else(|| {
                Document::build_with(&headline, &paragraphs, &whole, Some(&old))
            }));
        self.documents
            .put(&v.story_id, content_hash.clone(), Arc::clone(&new));
        let alignment = diff::align(&old, &new, self.limits.max_pair_comparisons);
        let (findings, sentence_diff) = detect::findings(&old, &new, &alignment);
        let status = if !findings.is_empty() {
            RevisionStatus::Changed
        } else if !sentence_diff.moved.is_empty() {
            RevisionStatus::Moved
        } else {
            RevisionStatus::Cosmetic
        };
        let events = self.events(v, Some(prev.version), version, findings, now);
        self.outcome(
            v,
            origin,
            now,
            Some(prev),
            version,
            status,
            content_hash,
            sentence_diff,
            events,
            Some((headline, paragraphs)),
        )
    }

    fn events(
        &self,
        v: &StoryVersion,
        from: Option<u64>,
        to: u64,
        findings: Vec<Finding>,
        now: &str,
    ) -> Vec<ChangeEvent> {
        // `story_id/to_version/n`: the common part formatted once.
        let id_prefix = format!("{}/{}/", v.story_id, to);
        let classes = parallel::map(&findings, parallel::is_many(findings.len()), |f| {
            self.rules.classify(f.kind, &f.text)
        });
        findings
            .into_iter()
            .zip(classes)
            .enumerate()
            .map(|(i, (f, class))| {
                let mut event_id = String::with_capacity(id_prefix.len() + 4);
                event_id.push_str(&id_prefix);
                event_id.push_str(&(i + 1).to_string());
                ChangeEvent {
                    event_id,
                    story_id: v.story_id.clone(),
                    from_version: from,
                    to_version: to,
                    kind: f.kind,
                    categories: class.categories,
                    cameo: class.cameo,
                    severity: class.severity,
                    text: f.text,
                    before: f.before,
                    after: f.after,
                    quote: f.quote,
                    numbers: f.numbers,
                    entities: f.entities,
                    location: f.location,
                    rule: f.rule.to_string(),
                    published_at: v.published_at.clone(),
                    detected_at: now.to_string(),
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn outcome(
        &self,
        v: &StoryVersion,
        origin: &Origin,
        now: &str,
        prev: Option<&StoryState>,
        version: u64,
        status: RevisionStatus,
        content_hash: String,
        diff: SentenceDiff,
        events: Vec<ChangeEvent>,
        accepted: Option<(String, Vec<String>)>,
    ) -> Outcome {
        let mut revision = RevisionRecord {
            story_id: v.story_id.clone(),
            version,
            previous_version: prev.map(|p| p.version),
            status,
            content_hash: content_hash.clone(),
            diff,
            event_ids: events.iter().map(|e| e.event_id.clone()).collect(),
            source: origin.clone(),
            published_at: v.published_at.clone(),
            processed_at: now.to_string(),
            prev_hash: prev.map(|p| p.last_revision_hash.clone()),
            hash: String::new(),
        };
        revision.hash = revision_hash(&revision);
        let state = match (accepted, prev) {
            (Some((headline, paragraphs)), _) => StoryState {
                format: StoryState::FORMAT,
                story_id: v.story_id.clone(),
                version,
                content_hash,
                headline,
                paragraphs,
                published_at: v.published_at.clone(),
                last_revision_hash: revision.hash.clone(),
            },
            // Not accepted: the story is untouched; only the head of the revision chain moves.
            (None, Some(p)) => StoryState {
                last_revision_hash: revision.hash.clone(),
                ..p.clone()
            },
            (None, None) => unreachable!("a first version is always accepted"),
        };
        Outcome {
            events,
            revision,
            state,
        }
    }
}

/// SHA-256 of the version's text as redline reads it (headline, blank line, paragraphs).
pub fn content_hash(headline: &str, paragraphs: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(headline.as_bytes());
    for p in paragraphs {
        h.update(b"\n\n");
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}
