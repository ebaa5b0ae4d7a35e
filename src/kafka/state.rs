//! Per-story state of the partitions this instance owns, restored from `story.state`.
//!
//! Memory bound (`limits.max_stories_in_memory`): beyond it the least recently used stories
//! whose latest state is already committed are evicted. For an evicted story only its
//! partition and the offset of its latest record in `story.state` are kept (tens of bytes), and
//! the state is re-read from exactly that offset when the story gets a new version. Stories
//! whose latest state is not committed yet are never evicted (the processor writes it to
//! `story.state` when their batch commits), so the bound can be exceeded by the stories of at
//! most two batches (`processing.batch_max_records`): the open one and, in at-least-once mode,
//! the one whose acknowledgements are still arriving.

use crate::model::StoryState;
use anyhow::{anyhow, bail, Context, Result};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A story's state lives with the input partition its versions arrive on.
pub type Key = (i32, String);

#[derive(Debug)]
struct Entry {
    state: StoryState,
    tick: u64,
    /// Which write this is (store-wide counter): a state record acknowledged late marks the
    /// entry committed only if the story has not changed again since the record was made.
    change: u64,
    /// Offset of this state's record in `story.state`; `None` while it is only in the open
    /// transaction (not evictable).
    offset: Option<i64>,
}

#[derive(Debug, Default)]
pub struct StateStore {
    capacity: usize,
    tick: u64,
    changes: u64,
    entries: HashMap<Key, Entry>,
    lru: BTreeMap<u64, Key>,
    evicted: HashMap<Key, i64>,
    bytes: usize,
}

/// Where a story's previous state is.
#[derive(Debug, PartialEq)]
pub enum Lookup {
    InMemory(StoryState),
    /// Evicted: re-read `story.state` at this offset.
    Evicted(i64),
    Absent,
}

impl StateStore {
    pub fn new(capacity: usize) -> StateStore {
        StateStore {
            capacity: capacity.max(1),
            ..StateStore::default()
        }
    }

    fn touch(&mut self, key: &Key) {
        self.tick += 1;
        let tick = self.tick;
        if let Some(e) = self.entries.get_mut(key) {
            self.lru.remove(&e.tick);
            e.tick = tick;
            self.lru.insert(tick, key.clone());
        }
    }

    pub fn lookup(&mut self, key: &Key) -> Lookup {
        if self.entries.contains_key(key) {
            self.touch(key);
            return Lookup::InMemory(self.entries[key].state.clone());
        }
        match self.evicted.get(key) {
            Some(&offset) => Lookup::Evicted(offset),
            None => Lookup::Absent,
        }
    }

    /// The state in memory, without counting as a use, and which change it is (for
    /// [`StateStore::mark_committed`]).
    pub fn get(&self, key: &Key) -> Option<(&StoryState, u64)> {
        self.entries.get(key).map(|e| (&e.state, e.change))
    }

    fn insert(&mut self, key: Key, state: StoryState, offset: Option<i64>) {
        self.evicted.remove(&key);
        self.bytes += state.approx_bytes();
        if let Some(old) = self.entries.remove(&key) {
            self.bytes -= old.state.approx_bytes();
            self.lru.remove(&old.tick);
        }
        self.tick += 1;
        self.changes += 1;
        self.lru.insert(self.tick, key.clone());
        self.entries.insert(
            key,
            Entry {
                state,
                tick: self.tick,
                change: self.changes,
                offset,
            },
        );
    }

    /// A state produced in the open transaction.
    pub fn put_dirty(&mut self, key: Key, state: StoryState) {
        self.insert(key, state, None);
    }

    /// A state known to be committed at `offset` of `story.state` (restored or re-read).
    pub fn put_committed(&mut self, key: Key, state: StoryState, offset: i64) {
        self.insert(key, state, Some(offset));
    }

    /// The state record of `key` made from its `change` was committed at `offset`. Ignored
    /// when the story has changed since: its newer state is not in `story.state` yet.
    pub fn mark_committed(&mut self, key: &Key, change: u64, offset: i64) {
        if let Some(e) = self.entries.get_mut(key).filter(|e| e.change == change) {
            e.offset = Some(e.offset.map_or(offset, |o| o.max(offset)));
        }
    }

    /// A tombstone in `story.state`: forget the story.
    pub fn remove(&mut self, key: &Key) {
        self.evicted.remove(key);
        if let Some(old) = self.entries.remove(key) {
            self.bytes -= old.state.approx_bytes();
            self.lru.remove(&old.tick);
        }
    }

    /// Evict least recently used committed stories until the bound holds (or only stories of
    /// the open transaction are left).
    pub fn enforce_bound(&mut self) -> usize {
        let mut evicted = 0;
        if self.entries.len() <= self.capacity {
            return 0;
        }
        let mut skip = Vec::new();
        while self.entries.len() > self.capacity {
            let Some((tick, key)) = self.lru.pop_first() else {
                break;
            };
            let e = &self.entries[&key];
            match e.offset {
                Some(offset) => {
                    let e = self.entries.remove(&key).expect("present");
                    self.bytes -= e.state.approx_bytes();
                    self.evicted.insert(key, offset);
                    evicted += 1;
                }
                None => skip.push((tick, key)),
            }
        }
        self.lru.extend(skip);
        evicted
    }

    /// Forget every story of these partitions (revoked: another instance owns them now).
    pub fn drop_partitions(&mut self, partitions: &BTreeSet<i32>) {
        let gone: Vec<Key> = self
            .entries
            .keys()
            .filter(|(p, _)| partitions.contains(p))
            .cloned()
            .collect();
        for k in gone {
            self.remove(&k);
        }
        self.evicted.retain(|(p, _), _| !partitions.contains(p));
    }

    pub fn in_memory(&self) -> usize {
        self.entries.len()
    }

    pub fn evicted(&self) -> usize {
        self.evicted.len()
    }

    pub fn approx_bytes(&self) -> usize {
        self.bytes
    }
}

/// Decode one `story.state` record. `None` for a tombstone.
pub fn decode(payload: Option<&[u8]>) -> Result<Option<StoryState>> {
    let Some(bytes) = payload else {
        return Ok(None);
    };
    let state: StoryState =
        serde_json::from_slice(bytes).context("undecodable story.state record")?;
    if state.format > StoryState::FORMAT {
        bail!(
            "story.state record of {} has format {}, newer than this build's {}: upgrade redline",
            state.story_id,
            state.format,
            StoryState::FORMAT
        );
    }
    Ok(Some(state))
}

/// Read `partitions` of the state topic from the beginning to the end (read_committed: records
/// of aborted transactions are skipped) into `store`; the latest record per key wins, so this
/// does not depend on the broker having compacted the topic. Broker errors are logged and
/// retried until `stop` is set. Returns the number of records read.
pub fn restore(
    reader_config: &ClientConfig,
    topic: &str,
    partitions: &BTreeSet<i32>,
    store: &mut StateStore,
    stop: &AtomicBool,
) -> Result<u64> {
    if partitions.is_empty() {
        return Ok(0);
    }
    let consumer: BaseConsumer = reader_config
        .create()
        .context("cannot create the story.state reader")?;
    let mut pending: BTreeSet<i32> = BTreeSet::new();
    let mut tpl = TopicPartitionList::new();
    for &p in partitions {
        let (low, high) = loop {
            match consumer.fetch_watermarks(topic, p, Duration::from_secs(10)) {
                Ok(w) => break w,
                Err(e) => {
                    if stop.load(Ordering::SeqCst) {
                        bail!("stopped while restoring {topic} partition {p}");
                    }
                    tracing::warn!(topic, partition = p, error = %e, "cannot read state watermarks; retrying");
                    std::thread::sleep(Duration::from_millis(500));
                }
            }
        };
        if high > low {
            pending.insert(p);
            tpl.add_partition_offset(topic, p, Offset::Beginning)?;
        }
    }
    if pending.is_empty() {
        return Ok(0);
    }
    consumer.assign(&tpl)?;
    tracing::info!(topic, partitions = ?pending, "restoring state");
    let started = Instant::now();
    let mut last_report = Instant::now();
    let mut records = 0u64;
    while !pending.is_empty() {
        if stop.load(Ordering::SeqCst) {
            bail!("stopped while restoring {topic}");
        }
        match consumer.poll(Duration::from_millis(200)) {
            None => {}
            Some(Ok(m)) => {
                records += 1;
                let key: Key = (
                    m.partition(),
                    String::from_utf8_lossy(m.key().unwrap_or_default()).into_owned(),
                );
                match decode(m.payload())? {
                    Some(state) => store.put_committed(key, state, m.offset()),
                    None => store.remove(&key),
                }
                if records % 1024 == 0 {
                    store.enforce_bound();
                }
            }
            Some(Err(KafkaError::PartitionEOF(p))) => {
                pending.remove(&p);
            }
            Some(Err(e)) => {
                tracing::warn!(topic, error = %e, "error while restoring state; retrying");
            }
        }
        if last_report.elapsed() > Duration::from_secs(10) {
            tracing::info!(topic, records, waiting_for = ?pending, "still restoring state");
            last_report = Instant::now();
        }
    }
    store.enforce_bound();
    tracing::debug!(
        topic,
        records,
        ms = started.elapsed().as_millis() as u64,
        "restore read"
    );
    Ok(records)
}

/// Re-read one evicted story's state from `story.state` at `offset`, with a long-lived reader.
pub fn fetch_at(
    consumer: &BaseConsumer,
    topic: &str,
    partition: i32,
    offset: i64,
    story_id: &str,
    stop: &AtomicBool,
) -> Result<StoryState> {
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, partition, Offset::Offset(offset))?;
    consumer.assign(&tpl)?;
    let result = loop {
        if stop.load(Ordering::SeqCst) {
            break Err(anyhow!("stopped while re-reading the state of {story_id}"));
        }
        match consumer.poll(Duration::from_millis(200)) {
            None => {}
            Some(Ok(m)) if m.partition() == partition && m.offset() == offset => {
                break decode(m.payload())?.ok_or_else(|| {
                    anyhow!("state of {story_id} at {topic}/{partition}@{offset} is a tombstone")
                });
            }
            Some(Ok(m)) if m.partition() == partition && m.offset() > offset => {
                break Err(anyhow!(
                    "state of {story_id} at {topic}/{partition}@{offset} is gone (next record is at {})",
                    m.offset()
                ));
            }
            Some(Ok(_)) => {}
            Some(Err(KafkaError::PartitionEOF(p))) if p == partition => {
                break Err(anyhow!(
                    "state of {story_id} at {topic}/{partition}@{offset} not found"
                ));
            }
            Some(Err(e)) => tracing::warn!(topic, error = %e, "error re-reading state; retrying"),
        }
    };
    consumer.unassign()?;
    let state = result?;
    if state.story_id != story_id {
        bail!(
            "state at {topic}/{partition}@{offset} belongs to {}, not {story_id}",
            state.story_id
        );
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(id: &str, v: u64) -> StoryState {
        StoryState {
            format: StoryState::FORMAT,
            story_id: id.into(),
            version: v,
            content_hash: "h".into(),
            headline: "H".into(),
            paragraphs: vec!["p".into()],
            published_at: None,
            last_revision_hash: "r".into(),
        }
    }

    #[test]
    fn evicts_least_recently_used_committed_stories_only() {
        let mut s = StateStore::new(2);
        s.put_committed((0, "a".into()), st("a", 1), 10);
        s.put_committed((0, "b".into()), st("b", 1), 11);
        s.put_dirty((0, "c".into()), st("c", 1));
        // "a" is touched, so "b" is the least recently used committed one.
        assert!(matches!(s.lookup(&(0, "a".into())), Lookup::InMemory(_)));
        assert_eq!(s.enforce_bound(), 1);
        assert_eq!(s.lookup(&(0, "b".into())), Lookup::Evicted(11));
        assert_eq!(s.in_memory(), 2);
        // Only dirty + one committed are left: dirty "c" is never evicted.
        s.put_dirty((0, "d".into()), st("d", 1));
        s.enforce_bound();
        assert!(matches!(s.lookup(&(0, "c".into())), Lookup::InMemory(_)));
        assert!(matches!(s.lookup(&(0, "d".into())), Lookup::InMemory(_)));
        assert_eq!(s.lookup(&(0, "a".into())), Lookup::Evicted(10));
        let change = s.get(&(0, "c".into())).unwrap().1;
        s.mark_committed(&(0, "c".into()), change, 12);
        s.put_committed((0, "b".into()), st("b", 2), 13);
        assert_eq!(s.evicted(), 1);
    }

    #[test]
    fn a_late_acknowledgement_never_marks_a_newer_state_committed() {
        let mut s = StateStore::new(1);
        let key: Key = (0, "a".into());
        s.put_dirty(key.clone(), st("a", 1));
        let first = s.get(&key).unwrap().1;
        // Version 2 arrives while the record of version 1 is still being acknowledged.
        s.put_dirty(key.clone(), st("a", 2));
        s.mark_committed(&key, first, 7);
        s.put_committed((0, "b".into()), st("b", 1), 8);
        s.enforce_bound();
        // Evicting "a" now would lose version 2 (story.state holds version 1 at offset 7).
        assert!(matches!(s.lookup(&key), Lookup::InMemory(st) if st.version == 2));
        let second = s.get(&key).unwrap().1;
        s.mark_committed(&key, second, 9);
        s.put_committed((0, "c".into()), st("c", 1), 10);
        s.enforce_bound();
        assert_eq!(s.lookup(&key), Lookup::Evicted(9));
    }

    #[test]
    fn dropping_partitions_forgets_memory_and_index() {
        let mut s = StateStore::new(1);
        s.put_committed((0, "a".into()), st("a", 1), 1);
        s.put_committed((1, "b".into()), st("b", 1), 2);
        s.put_committed((1, "c".into()), st("c", 1), 3);
        s.enforce_bound();
        s.drop_partitions(&[1].into_iter().collect());
        assert_eq!(s.lookup(&(1, "b".into())), Lookup::Absent);
        assert_eq!(s.lookup(&(1, "c".into())), Lookup::Absent);
        assert_eq!(s.lookup(&(0, "a".into())), Lookup::Evicted(1));
        assert_eq!(s.approx_bytes(), 0);
    }

    #[test]
    fn rejects_newer_state_formats() {
        let mut s = st("a", 1);
        s.format = StoryState::FORMAT + 1;
        let bytes = serde_json::to_vec(&s).unwrap();
        assert!(decode(Some(&bytes)).is_err());
        assert_eq!(decode(None).unwrap(), None);
    }
}
