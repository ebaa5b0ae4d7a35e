//! The hash-chain check (`audit --verify`). Each revision record carries `hash` (SHA-256 of
//! the record with `hash` empty, [`crate::engine::revision_hash`]) and `prev_hash` (the `hash`
//! of the story's previous record). Checked in log order, per record:
//!
//! 1. `fields`: the stored JSON is exactly what the record type serialises to (no field added,
//!    dropped or retyped outside what the hash covers);
//! 2. `hash`: the stored hash equals the recomputed one (any edited field shows up here);
//! 3. `link`: `prev_hash` is the previous record's `hash` (the first record has none), so a
//!    record removed, inserted or reordered breaks the chain at the next record.
//!
//! One exception keeps at-least-once logs verifiable: after a crash, that guarantee re-processes
//! versions whose state was not yet committed, and the re-processed record links to the last
//! committed record rather than to the record just before it. A record whose `prev_hash` is the
//! hash of an *earlier* record of the chain and whose version was already recorded after that
//! record is accepted as such a re-processing, and counted.

use super::Located;
use crate::engine::revision_hash;
use crate::model::RevisionRecord;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Fields,
    Hash,
    Link,
}

impl Check {
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Fields => "fields",
            Check::Hash => "hash",
            Check::Link => "link",
        }
    }
}

/// The first broken link of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub story_id: String,
    pub version: u64,
    /// 1-based position of the record among the story's records.
    pub index: usize,
    /// Where it was read: `FILE:LINE` or `topic/partition@offset`.
    pub at: String,
    pub check: Check,
    pub detail: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "chain broken at story {} version {} (record {}, {}): {} check failed: {}",
            self.story_id,
            self.version,
            self.index,
            self.at,
            self.check.as_str(),
            self.detail
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verified {
    pub records: usize,
    /// Records accepted as at-least-once re-processing (see the module documentation).
    pub reprocessed: usize,
}

fn short(h: &str) -> &str {
    &h[..h.len().min(12)]
}

/// Check a story's records in log order; `Err` names the first broken link.
pub fn verify(records: &[Located<RevisionRecord>]) -> Result<Verified, Broken> {
    let mut ok = Verified::default();
    // hash -> position of the record
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut prev: Option<&RevisionRecord> = None;
    for (i, located) in records.iter().enumerate() {
        let r = &located.value;
        let broken = |check: Check, detail: String| Broken {
            story_id: r.story_id.clone(),
            version: r.version,
            index: i + 1,
            at: located.at.clone(),
            check,
            detail,
        };
        let reserialised = serde_json::to_value(r).expect("revision records serialise");
        if reserialised != located.raw {
            let extra: Vec<String> = match (located.raw.as_object(), reserialised.as_object()) {
                (Some(raw), Some(re)) => raw
                    .iter()
                    .filter(|(k, v)| re.get(*k) != Some(*v))
                    .map(|(k, _)| k.clone())
                    .collect(),
                _ => Vec::new(),
            };
            return Err(broken(
                Check::Fields,
                format!(
                    "the stored record has content the hash does not cover (fields: {})",
                    extra.join(", ")
                ),
            ));
        }
        let recomputed = revision_hash(r);
        if recomputed != r.hash {
            return Err(broken(
                Check::Hash,
                format!(
                    "stored hash {}… but the record hashes to {}… (the record was altered)",
                    short(&r.hash),
                    short(&recomputed)
                ),
            ));
        }
        match (prev, r.prev_hash.as_deref()) {
            (None, None) => {}
            (None, Some(h)) => {
                return Err(broken(
                    Check::Link,
                    format!(
                        "the story's first record links to {}…, a record that is not in the log \
                         (removed, or lost to retention)",
                        short(h)
                    ),
                ))
            }
            (Some(p), None) => {
                return Err(broken(
                    Check::Link,
                    format!(
                        "the record has no prev_hash but follows version {} (hash {}…)",
                        p.version,
                        short(&p.hash)
                    ),
                ))
            }
            (Some(p), Some(h)) if h == p.hash => {}
            (Some(p), Some(h)) => {
                let redo = seen.get(h).is_some_and(|&pos| {
                    records[pos + 1..i]
                        .iter()
                        .any(|later| later.value.version >= r.version)
                });
                if !redo {
                    return Err(broken(
                        Check::Link,
                        format!(
                            "prev_hash {}… is not the hash of the previous record \
                             (version {}, hash {}…)",
                            short(h),
                            p.version,
                            short(&p.hash)
                        ),
                    ));
                }
                ok.reprocessed += 1;
            }
        }
        seen.insert(r.hash.as_str(), i);
        prev = Some(r);
        ok.records += 1;
    }
    Ok(ok)
}
