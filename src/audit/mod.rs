//! `redline audit`: a story's revision history from the revision log (DESIGN §4).
//!
//! - [`source`]: revision records (and, optionally, change events and versions) of one story,
//!   from JSONL files or from Kafka (`story.revisions` / `story.changes`, read_committed).
//! - [`chain`]: the hash-chain check behind `--verify`.
//! - [`timeline`]: the plain-text timeline printed by default.
//! - [`html`]: the editor's redline page behind `--html`.
//!
//! Everything here is pure over records already loaded, except [`source`].

pub mod chain;
pub mod html;
pub mod source;
pub mod timeline;

use crate::model::{ChangeEvent, RevisionRecord, StoryVersion};
use std::collections::HashMap;

/// What the audit of one story works from.
#[derive(Debug, Clone, Default)]
pub struct StoryLog {
    pub story_id: String,
    /// The story's revision records, in log order.
    pub records: Vec<Located<RevisionRecord>>,
    /// Its change events by event_id, when a source of events was given.
    pub events: Option<HashMap<String, ChangeEvent>>,
    /// Its versions by version number, when `--versions` was given.
    pub versions: Option<HashMap<u64, StoryVersion>>,
}

/// A record with where it was read from (a file line or a Kafka coordinate) and, for the chain
/// check, the JSON as it was stored.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub at: String,
    pub raw: serde_json::Value,
}

impl StoryLog {
    /// The events of one record, in the order of its event_ids; `None` where an event is unknown.
    pub fn events_of<'a>(
        &'a self,
        r: &'a RevisionRecord,
    ) -> Vec<(&'a str, Option<&'a ChangeEvent>)> {
        r.event_ids
            .iter()
            .map(|id| {
                (
                    id.as_str(),
                    self.events.as_ref().and_then(|m| m.get(id.as_str())),
                )
            })
            .collect()
    }
}
