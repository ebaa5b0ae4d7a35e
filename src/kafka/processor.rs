//! The processing loop: consume `story.versions`, run the engine, produce events, alerts,
//! revision records, state and dead letters, and commit them with the consumed offsets.
//!
//! Threading: one blocking thread polls a `BaseConsumer` and owns the pipeline. librdkafka
//! calls the rebalance callbacks from inside `poll` on that same thread, which is what makes
//! "commit the open transaction before the partitions go" and "restore state before the first
//! record of a new partition" simple: no record is processed while a callback runs. The
//! pipeline sits behind a mutex only because the consumer context must be `Sync`; it is never
//! contended.
//!
//! The loop gathers the records that are ready into a *chunk* (up to
//! `32 × processing.workers`, never past `batch_max_records`) and handles it in three phases:
//! 1. sequential, on the polling thread: drop records of partitions that were revoked (or
//!    revoked and assigned again, or rewound) since they were polled — every such change bumps
//!    the partition's *generation*, and a record is processed only if its partition's
//!    generation is still the one it was polled under; parse (invalid input → dead letter);
//!    look up each story's previous state (re-reading evicted state);
//! 2. parallel: the engine (pure) and the JSON serialisation of its output, on
//!    `processing.workers` threads (the polling thread and long-lived helpers). The versions of
//!    one story (same partition and story_id) run in input order on one thread, each using the
//!    previous one's output state; different stories run in parallel;
//! 3. sequential, on the polling thread, in input order: produce the outputs, update the state
//!    store, offsets and metrics — so what is produced is the same, record for record, as
//!    processing the records one at a time.
//!
//! State records are written once per story per batch (its latest state), at commit, instead
//! of once per version: restore and re-fetch only ever read the latest.
//!
//! Committing a batch: exactly-once commits its transaction (blocking; one transaction at a
//! time). At-least-once *closes* the batch and goes on processing the next one while the
//! closed batch's acknowledgements arrive ([`InFlight`]): outputs acknowledged, then its state
//! written and acknowledged, then its offsets committed. At most one batch is in flight; a
//! rebalance, a shutdown or the next close waits for it.

use super::client::Guarantee;
use super::dlq;
use super::metrics::Metrics;
use super::state::{self, Key, Lookup, StateStore};
use crate::config::Config;
use crate::engine::Engine;
use crate::model::{ChangeEvent, Origin, RevisionStatus, Severity, StoryState, StoryVersion};
use anyhow::{anyhow, Context, Result};
use rdkafka::client::ClientContext;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::ToBytes;
use rdkafka::message::{BorrowedMessage, Message};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord, Producer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long one transactional call may block before it is retried (it is retried, not failed).
const TXN_CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// After a stop signal, how long to keep retrying a commit before aborting and exiting.
const SHUTDOWN_COMMIT_BUDGET: Duration = Duration::from_secs(30);
/// Records gathered into one chunk, per engine worker.
const CHUNK_RECORDS_PER_WORKER: usize = 32;
/// How long an offset commit that keeps failing with a retriable error is retried before `run`
/// gives up (exit 1: the next instance resumes from the committed offsets). The same as a Kafka
/// Java client's commit timeout (`default.api.timeout.ms`), well below `max.poll.interval.ms`.
const COMMIT_RETRY_BUDGET: Duration = Duration::from_secs(60);
/// The first pause between offset commit attempts; it doubles up to [`COMMIT_BACKOFF_MAX`].
const COMMIT_BACKOFF: Duration = Duration::from_millis(500);
const COMMIT_BACKOFF_MAX: Duration = Duration::from_secs(5);

pub type GroupConsumer = BaseConsumer<RebalanceContext>;

/// What went wrong with a transactional call, after retries.
enum TxnFailure {
    /// The transaction must be aborted; the batch is then re-processed.
    Abortable(KafkaError),
    /// Fenced by a newer instance with the same transactional.id, or another fatal producer
    /// error: this process must exit.
    Fatal(anyhow::Error),
}

#[derive(Default)]
struct Batch {
    open: bool,
    started: Option<Instant>,
    records: usize,
    /// Next offset to consume, per input partition.
    offsets: BTreeMap<i32, i64>,
    /// Events, alerts, revisions, dead letters in flight.
    outputs: Vec<DeliveryFuture>,
    /// Input record timestamps (ms since the epoch) of the batch's versions, for the
    /// end-to-end latency histogram observed when the batch commits.
    input_timestamps: Vec<i64>,
    /// Stories whose state changed in this batch: their latest state is written to
    /// `story.state` at commit (exactly-once: inside the transaction; at-least-once: once the
    /// outputs are acknowledged).
    dirty: BTreeSet<Key>,
}

/// At-least-once: a closed batch whose acknowledgements are still arriving. Its offsets are
/// committed only once everything it produced is acknowledged, in this order: outputs, then
/// state (so a crash in between re-emits events rather than skipping them), then offsets.
struct InFlight {
    records: usize,
    closed: Instant,
    offsets: BTreeMap<i32, i64>,
    input_timestamps: Vec<i64>,
    outputs: VecDeque<DeliveryFuture>,
    /// The batch's state records, made when it closed (later batches may change the same
    /// stories again), sent once every output is acknowledged.
    states: Vec<StateRecord>,
    /// Sent state records, awaiting acknowledgement.
    state_acks: VecDeque<(Key, u64, DeliveryFuture)>,
    /// Set while the offset commit is failing with a retriable error.
    commit_retry: Option<CommitRetry>,
}

/// An offset commit being retried: since when, how often, and when to try next.
struct CommitRetry {
    since: Instant,
    attempts: u32,
    next: Instant,
}

/// What a failed offset commit means.
#[derive(Debug, PartialEq, Eq)]
enum CommitFailure {
    /// The group is rebalancing (or our membership is gone): roll back, the batch is re-read.
    Rebalancing,
    /// Retrying cannot help (e.g. not authorised): `run` ends with the error.
    Permanent,
    /// Worth retrying (e.g. the coordinator is moving), within [`COMMIT_RETRY_BUDGET`].
    Transient,
}

fn classify_commit_error(e: &KafkaError) -> CommitFailure {
    use RDKafkaErrorCode::*;
    match e.rdkafka_error_code() {
        Some(RebalanceInProgress | IllegalGeneration | UnknownMemberId) => {
            CommitFailure::Rebalancing
        }
        // The errors librdkafka itself never retries for an OffsetCommit (rdkafka_request.c),
        // and a fatal consumer error (a fenced static member).
        Some(
            GroupAuthorizationFailed
            | TopicAuthorizationFailed
            | OffsetMetadataTooLarge
            | InvalidCommitOffsetSize
            | FencedInstanceId
            | Fatal,
        ) => CommitFailure::Permanent,
        _ => CommitFailure::Transient,
    }
}

/// The pause before commit attempt `attempts + 1`: 0.5 s, doubling, at most 5 s.
fn commit_backoff(attempts: u32) -> Duration {
    COMMIT_BACKOFF
        .saturating_mul(1 << attempts.saturating_sub(1).min(16))
        .min(COMMIT_BACKOFF_MAX)
}

/// A story's latest state in a batch, serialised: key, which change of the story it is
/// ([`StateStore::mark_committed`]), JSON.
type StateRecord = (Key, u64, Vec<u8>);

/// One polled record and the generation of its partition when it was polled.
pub struct Gathered<'c> {
    pub message: BorrowedMessage<'c>,
    pub generation: u64,
}

/// What the sequential pre-phase decided for one record of a chunk.
enum Plan {
    /// Not ours (any more): the new owner, or the rewind, reads it again.
    Skip,
    DeadLetter(crate::input::InputError),
    /// Run by the engine, in the story's group.
    Run,
}

/// The versions of one story within a chunk, in input order.
struct Group {
    prev: Option<StoryState>,
    /// (position in the chunk, version, origin)
    jobs: Vec<(usize, StoryVersion, Origin)>,
    /// Input bytes, to hand out the biggest groups first.
    cost: usize,
}

/// The engine's output for one version, serialised (phase 2), waiting to be produced.
struct Done {
    story_id: String,
    events: Vec<ChangeEvent>,
    event_json: Vec<Vec<u8>>,
    revision_status: RevisionStatus,
    revision_json: Vec<u8>,
    /// The story's state after this version; only for its last version in the chunk (the
    /// others only feed the next version).
    state: Option<StoryState>,
}

pub struct Pipeline {
    engine: Engine,
    config: Config,
    guarantee: Guarantee,
    threshold: Severity,
    producer: FutureProducer,
    reader_config: ClientConfig,
    /// Long-lived reader that re-reads evicted stories' state.
    fetcher: BaseConsumer,
    store: StateStore,
    assigned: BTreeSet<i32>,
    /// Per partition, bumped whenever it is assigned, revoked or rewound: records polled under
    /// an older generation are not processed.
    generations: HashMap<i32, u64>,
    generation_counter: u64,
    workers: usize,
    /// The `workers - 1` threads that run the engine beside the polling thread. Long-lived:
    /// the regex engines keep a warm lazy-DFA cache per thread, and threads spawned per chunk
    /// made them build their states again and again (a fifth of all CPU time).
    helpers: Option<rayon::ThreadPool>,
    /// Next input offset to process, per assigned partition (for the lag gauge).
    next_offsets: BTreeMap<i32, i64>,
    batch: Batch,
    in_flight: Option<InFlight>,
    metrics: Arc<Metrics>,
    rt: tokio::runtime::Handle,
    stop: Arc<AtomicBool>,
    /// An error raised inside a rebalance callback, surfaced by the loop.
    fatal: Option<anyhow::Error>,
    last_progress: Instant,
}

pub struct PipelineParts {
    pub engine: Engine,
    pub config: Config,
    pub guarantee: Guarantee,
    pub producer: FutureProducer,
    pub reader_config: ClientConfig,
    pub fetcher: BaseConsumer,
    pub metrics: Arc<Metrics>,
    pub rt: tokio::runtime::Handle,
    pub stop: Arc<AtomicBool>,
}

impl Pipeline {
    pub fn new(p: PipelineParts) -> Pipeline {
        let threshold = p.config.alert_threshold();
        let workers = p.config.worker_threads();
        let capacity = p.config.limits.max_stories_in_memory;
        let helpers = (workers > 1)
            .then(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(workers - 1)
                    .thread_name(|i| format!("redline-worker-{}", i + 1))
                    .build()
            })
            .transpose()
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "cannot start engine worker threads; using one");
                None
            });
        Pipeline {
            engine: p.engine,
            config: p.config,
            guarantee: p.guarantee,
            threshold,
            producer: p.producer,
            reader_config: p.reader_config,
            fetcher: p.fetcher,
            store: StateStore::new(capacity),
            assigned: BTreeSet::new(),
            generations: HashMap::new(),
            generation_counter: 0,
            workers,
            helpers,
            next_offsets: BTreeMap::new(),
            batch: Batch::default(),
            in_flight: None,
            metrics: p.metrics,
            rt: p.rt,
            stop: p.stop,
            fatal: None,
            last_progress: Instant::now(),
        }
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn update_gauges(&self) {
        let m = &self.metrics;
        m.stories_in_memory
            .store(self.store.in_memory() as u64, Ordering::Relaxed);
        m.stories_evicted
            .store(self.store.evicted() as u64, Ordering::Relaxed);
        m.state_bytes
            .store(self.store.approx_bytes() as u64, Ordering::Relaxed);
        m.assigned_partitions
            .store(self.assigned.len() as u64, Ordering::Relaxed);
    }

    /// Refresh the consumer-lag gauge: per assigned partition, the high watermark (as last
    /// reported by fetches, no broker round trip) minus the next offset to process.
    pub fn update_lag(&self, consumer: &GroupConsumer) {
        let topic = &self.config.topics.versions;
        let mut lag = BTreeMap::new();
        for &p in &self.assigned {
            let Some((low, high)) = cached_watermarks(consumer, topic, p) else {
                continue;
            };
            if low == high {
                // Empty (or fully deleted) partition: nothing to be behind on.
                lag.insert(p, 0);
                continue;
            }
            let next = match self.next_offsets.get(&p) {
                Some(&n) => n,
                None => match consumer.position().ok().and_then(|tpl| {
                    tpl.find_partition(topic, p).and_then(|e| match e.offset() {
                        Offset::Offset(o) => Some(o),
                        _ => None,
                    })
                }) {
                    Some(o) => o,
                    None => continue,
                },
            };
            lag.insert(p, (high - next).max(0));
        }
        self.metrics.set_lag(lag);
    }

    /// Enqueue one record; waits (never drops) while librdkafka's queue is full.
    fn send<K, P>(&self, mut record: FutureRecord<'_, K, P>) -> Result<DeliveryFuture>
    where
        K: ToBytes + ?Sized,
        P: ToBytes + ?Sized,
    {
        loop {
            match self.producer.send_result(record) {
                Ok(f) => return Ok(f),
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), r)) => {
                    record = r;
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err((e, _)) => return Err(e).context("cannot enqueue an output record"),
            }
        }
    }

    fn begin_if_needed(&mut self) -> Result<()> {
        if self.batch.open {
            return Ok(());
        }
        if self.guarantee == Guarantee::ExactlyOnce {
            self.producer
                .begin_transaction()
                .context("cannot begin a transaction")?;
        }
        self.batch.open = true;
        self.batch.started = Some(Instant::now());
        Ok(())
    }

    pub fn batch_due(&self) -> bool {
        self.batch.open
            && (self.batch.records >= self.config.processing.batch_max_records
                || self.batch.started.is_some_and(|s| {
                    s.elapsed() >= Duration::from_millis(self.config.processing.batch_max_ms)
                }))
    }

    /// The generation of `partition` now; see [`Gathered`].
    pub fn generation(&self, partition: i32) -> u64 {
        self.generations.get(&partition).copied().unwrap_or(0)
    }

    /// Records polled under an older generation of these partitions are dropped.
    fn bump_generations(&mut self, partitions: &BTreeSet<i32>) {
        for &p in partitions {
            self.generation_counter += 1;
            self.generations.insert(p, self.generation_counter);
        }
    }

    /// How many records the next chunk may gather: enough to keep every worker busy, and never
    /// more than the open batch still takes.
    pub fn chunk_capacity(&self) -> usize {
        let room = self
            .config
            .processing
            .batch_max_records
            .saturating_sub(self.batch.records);
        (CHUNK_RECORDS_PER_WORKER * self.workers).min(room).max(1)
    }

    /// Process a chunk of polled records into the open batch (see the module doc).
    pub fn handle_chunk(&mut self, chunk: &[Gathered<'_>]) -> Result<()> {
        // Phase 1 (sequential): ownership, parsing, previous state.
        let mut plans = Vec::with_capacity(chunk.len());
        let mut groups: Vec<Group> = Vec::new();
        let mut group_of: HashMap<Key, usize> = HashMap::new();
        let mut stale: BTreeMap<i32, usize> = BTreeMap::new();
        for (pos, g) in chunk.iter().enumerate() {
            let m = &g.message;
            let partition = m.partition();
            if !self.assigned.contains(&partition) || self.generation(partition) != g.generation {
                // Polled before a revocation (or a rewind): the new owner (or the rewind)
                // reads it again.
                plans.push(Plan::Skip);
                *stale.entry(partition).or_default() += 1;
                continue;
            }
            let payload = m.payload().unwrap_or_default();
            let v = match crate::input::parse_version(payload, self.config.limits.max_input_bytes) {
                Ok(v) => v,
                Err(err) => {
                    plans.push(Plan::DeadLetter(err));
                    continue;
                }
            };
            let key: Key = (partition, v.story_id.clone());
            let group = match group_of.get(&key) {
                Some(&i) => i,
                None => {
                    let prev = match self.store.lookup(&key) {
                        Lookup::InMemory(s) => Some(s),
                        Lookup::Evicted(at) => {
                            Metrics::inc(&self.metrics.state_refetches, 1);
                            Some(state::fetch_at(
                                &self.fetcher,
                                &self.config.topics.state,
                                partition,
                                at,
                                &v.story_id,
                                &self.stop,
                            )?)
                        }
                        Lookup::Absent => None,
                    };
                    groups.push(Group {
                        prev,
                        jobs: Vec::new(),
                        cost: 0,
                    });
                    group_of.insert(key, groups.len() - 1);
                    groups.len() - 1
                }
            };
            let origin = Origin {
                topic: Some(m.topic().to_string()),
                partition: Some(partition),
                offset: Some(m.offset()),
                line: None,
            };
            groups[group].cost += payload.len();
            groups[group].jobs.push((pos, v, origin));
            plans.push(Plan::Run);
        }

        if !stale.is_empty() {
            let records: usize = stale.values().sum();
            Metrics::inc(&self.metrics.stale_records_dropped, records as u64);
            tracing::info!(records, partitions = ?stale, "dropped records polled before a rebalance or rewind");
        }

        // Phase 2 (parallel): the engine, story by story.
        let versions: usize = groups.iter().map(|g| g.jobs.len()).sum();
        let (stories, threads) = (groups.len(), self.workers.min(groups.len()));
        let mut done: Vec<Option<Result<Done>>> = (0..chunk.len()).map(|_| None).collect();
        for (pos, d) in self.run_groups(groups) {
            done[pos] = Some(d);
        }
        tracing::debug!(
            records = chunk.len(),
            versions,
            stories,
            threads,
            chained = versions - stories,
            "chunk processed"
        );

        // Phase 3 (sequential, input order): produce, record state, offsets and metrics.
        if plans.iter().any(|p| !matches!(p, Plan::Skip)) {
            self.begin_if_needed()?;
        }
        let topics = &self.config.topics;
        for ((g, plan), d) in chunk.iter().zip(plans).zip(done) {
            let m = &g.message;
            let partition = m.partition();
            let offset = m.offset();
            match plan {
                Plan::Skip => continue,
                Plan::DeadLetter(err) => {
                    tracing::warn!(
                        partition,
                        offset,
                        kind = err.kind.as_str(),
                        reason = %err.message,
                        "invalid input: dead-lettered"
                    );
                    let headers = dlq::headers(m.headers(), m.topic(), partition, offset, &err);
                    let mut record: FutureRecord<'_, [u8], [u8]> =
                        FutureRecord::to(&topics.dlq).headers(headers);
                    if let Some(k) = m.key() {
                        record = record.key(k);
                    }
                    if let Some(p) = m.payload() {
                        record = record.payload(p);
                    }
                    let f = self.send(record)?;
                    self.batch.outputs.push(f);
                    self.metrics.dead_letter(err.kind);
                }
                Plan::Run => {
                    let d = d.ok_or_else(|| anyhow!("no engine output for offset {offset}"))??;
                    if let Some(ts) = m.timestamp().to_millis() {
                        self.batch.input_timestamps.push(ts);
                    }
                    let story = d.story_id.as_str();
                    for (e, json) in d.events.iter().zip(&d.event_json) {
                        self.metrics.event(e.kind, &e.categories);
                        let f =
                            self.send(FutureRecord::to(&topics.changes).key(story).payload(json))?;
                        self.batch.outputs.push(f);
                        if e.severity >= self.threshold {
                            let f = self
                                .send(FutureRecord::to(&topics.alerts).key(story).payload(json))?;
                            self.batch.outputs.push(f);
                            Metrics::inc(&self.metrics.alerts, 1);
                        }
                    }
                    let f = self.send(
                        FutureRecord::to(&topics.revisions)
                            .key(story)
                            .payload(&d.revision_json),
                    )?;
                    self.batch.outputs.push(f);
                    self.metrics.revision(d.revision_status);
                    if let Some(state) = d.state {
                        let key: Key = (partition, d.story_id);
                        self.store.put_dirty(key.clone(), state);
                        self.batch.dirty.insert(key);
                    }
                    Metrics::inc(&self.metrics.versions, 1);
                }
            }
            self.batch.offsets.insert(partition, offset + 1);
            self.next_offsets.insert(partition, offset + 1);
            self.batch.records += 1;
        }
        Ok(())
    }

    /// Phase 2: every group's versions through the engine, on up to `workers` threads (the
    /// calling thread is one of them). Returns (position in the chunk, output).
    fn run_groups(&self, mut groups: Vec<Group>) -> Vec<(usize, Result<Done>)> {
        let engine = &self.engine;
        let metrics = &*self.metrics;
        let threads = self.workers.min(groups.len());
        let Some(helpers) = self.helpers.as_ref().filter(|_| threads > 1) else {
            return groups
                .into_iter()
                .flat_map(|g| run_group(engine, metrics, g))
                .collect();
        };
        // Biggest first, handed out one at a time, so the threads finish close together.
        groups.sort_by_key(|g| std::cmp::Reverse(g.cost));
        let slots: Vec<Mutex<Option<Group>>> =
            groups.into_iter().map(|g| Mutex::new(Some(g))).collect();
        let next = AtomicUsize::new(0);
        let all = Mutex::new(Vec::new());
        let work = || {
            let mut out = Vec::new();
            while let Some(slot) = slots.get(next.fetch_add(1, Ordering::Relaxed)) {
                let group = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
                if let Some(g) = group {
                    out.extend(run_group(engine, metrics, g));
                }
            }
            all.lock().unwrap_or_else(|p| p.into_inner()).extend(out);
        };
        // A panic in a helper is re-raised here, as a scoped thread's would be.
        helpers.in_place_scope(|s| {
            for _ in 1..threads {
                s.spawn(|_| work());
            }
            work();
        });
        all.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    /// The latest state of every story changed in the open batch, serialised.
    fn state_records(&mut self) -> Result<Vec<StateRecord>> {
        let dirty = std::mem::take(&mut self.batch.dirty);
        let mut records = Vec::with_capacity(dirty.len());
        for key in dirty {
            let (state, change) = self.store.get(&key).ok_or_else(|| {
                anyhow!(
                    "the state of {} (partition {}) changed in this batch but is not in memory",
                    key.1,
                    key.0
                )
            })?;
            let json = serde_json::to_vec(state)?;
            records.push((key, change, json));
        }
        Ok(records)
    }

    /// Produce a state record to the input record's partition number (explicit partition: the
    /// state of input partition N lives in state partition N, whatever any client's
    /// partitioner would pick).
    fn send_state(&self, (key, change, json): StateRecord) -> Result<(Key, u64, DeliveryFuture)> {
        let f = self.send(
            FutureRecord::to(&self.config.topics.state)
                .partition(key.0)
                .key(key.1.as_str())
                .payload(&json),
        )?;
        Ok((key, change, f))
    }

    fn offsets_tpl(&self, offsets: &BTreeMap<i32, i64>) -> Result<TopicPartitionList> {
        let mut tpl = TopicPartitionList::new();
        for (&p, &o) in offsets {
            tpl.add_partition_offset(&self.config.topics.versions, p, Offset::Offset(o))?;
        }
        Ok(tpl)
    }

    /// Retry a transactional call while librdkafka says it is retriable (e.g. the broker is
    /// away); classify anything else.
    fn retry_txn(
        &self,
        what: &str,
        mut op: impl FnMut() -> Result<(), KafkaError>,
    ) -> Result<(), TxnFailure> {
        let started = Instant::now();
        loop {
            match op() {
                Ok(()) => return Ok(()),
                Err(KafkaError::Transaction(e)) if e.is_retriable() && !e.is_fatal() => {
                    Metrics::inc(&self.metrics.broker_errors, 1);
                    if self.stopping() && started.elapsed() > SHUTDOWN_COMMIT_BUDGET {
                        return Err(TxnFailure::Abortable(KafkaError::Transaction(e)));
                    }
                    tracing::warn!(error = %e, "{what} failed; retrying");
                    std::thread::sleep(Duration::from_millis(500));
                }
                Err(KafkaError::Transaction(e)) if e.txn_requires_abort() && !e.is_fatal() => {
                    return Err(TxnFailure::Abortable(KafkaError::Transaction(e)))
                }
                Err(e) => {
                    return Err(TxnFailure::Fatal(
                        anyhow::Error::new(e).context(format!("{what} failed fatally")),
                    ))
                }
            }
        }
    }

    /// Commit everything processed so far, waiting for it: exactly-once commits the open
    /// transaction; at-least-once waits for the batch in flight, then closes the open batch and
    /// waits for it too. Used before partitions are revoked and at shutdown. On an abortable
    /// failure the uncommitted batches are rolled back and will be re-read.
    pub fn commit(&mut self, consumer: &GroupConsumer) -> Result<()> {
        match self.guarantee {
            Guarantee::ExactlyOnce => self.commit_eos(consumer),
            Guarantee::AtLeastOnce => {
                self.close_alo(consumer)?;
                self.settle(consumer, true)
            }
        }
    }

    /// The open batch is due: exactly-once commits it; at-least-once closes it and lets its
    /// acknowledgements arrive while the next batch is processed.
    pub fn close_batch(&mut self, consumer: &GroupConsumer) -> Result<()> {
        match self.guarantee {
            Guarantee::ExactlyOnce => self.commit_eos(consumer),
            Guarantee::AtLeastOnce => self.close_alo(consumer),
        }
    }

    /// At-least-once: move the open batch in flight (after the one already in flight is
    /// committed: they commit in order).
    fn close_alo(&mut self, consumer: &GroupConsumer) -> Result<()> {
        if !self.batch.open {
            return Ok(());
        }
        self.settle(consumer, true)?;
        if !self.batch.open {
            // Settling failed and rolled the open batch back with the one in flight.
            return Ok(());
        }
        let states = self.state_records()?;
        let batch = std::mem::take(&mut self.batch);
        self.in_flight = Some(InFlight {
            records: batch.records,
            closed: Instant::now(),
            offsets: batch.offsets,
            input_timestamps: batch.input_timestamps,
            outputs: batch.outputs.into(),
            states,
            state_acks: VecDeque::new(),
            commit_retry: None,
        });
        self.settle(consumer, false)
    }

    /// At-least-once: move the batch in flight along as far as its acknowledgements allow
    /// (`wait`: until it is committed). Call it often: the poll loop does, every round.
    pub fn settle(&mut self, consumer: &GroupConsumer, wait: bool) -> Result<()> {
        let Some(mut flight) = self.in_flight.take() else {
            return Ok(());
        };
        match self.advance(&mut flight, consumer, wait) {
            Ok(true) => {
                self.committed(flight.records, flight.closed, &flight.input_timestamps);
                Ok(())
            }
            Ok(false) => {
                self.in_flight = Some(flight);
                Ok(())
            }
            Err(TxnFailure::Abortable(e)) => {
                tracing::warn!(error = %e, records = flight.records, "batch failed; re-processing it");
                self.abort_and_rewind(consumer)
            }
            Err(TxnFailure::Fatal(e)) => Err(e),
        }
    }

    /// One step of [`Pipeline::settle`]: `Ok(true)` once the batch's offsets are committed.
    fn advance(
        &mut self,
        flight: &mut InFlight,
        consumer: &GroupConsumer,
        wait: bool,
    ) -> Result<bool, TxnFailure> {
        // 1. Every event, alert, revision and dead letter acknowledged…
        while let Some(f) = flight.outputs.front_mut() {
            match delivery(&self.rt, f, wait) {
                None => return Ok(false),
                Some(Ok(_)) => {
                    flight.outputs.pop_front();
                }
                Some(Err(e)) => return Err(TxnFailure::Abortable(e)),
            }
        }
        // 2. …then the state…
        for record in std::mem::take(&mut flight.states) {
            let sent = self.send_state(record).map_err(txn_failure)?;
            flight.state_acks.push_back(sent);
        }
        while let Some((_, _, f)) = flight.state_acks.front_mut() {
            match delivery(&self.rt, f, wait) {
                None => return Ok(false),
                Some(Ok(offset)) => {
                    let (key, change, _) = flight.state_acks.pop_front().expect("front");
                    self.store.mark_committed(&key, change, offset);
                }
                Some(Err(e)) => return Err(TxnFailure::Abortable(e)),
            }
        }
        // 3. …then the offsets. A failing commit is retried with a growing pause; unless asked
        // to wait, the pause is spent polling (the caller calls again), not sleeping.
        let tpl = self
            .offsets_tpl(&flight.offsets)
            .map_err(TxnFailure::Fatal)?;
        loop {
            if let Some(retry) = &flight.commit_retry {
                let pause = retry.next.saturating_duration_since(Instant::now());
                if !pause.is_zero() {
                    if !wait {
                        return Ok(false);
                    }
                    std::thread::sleep(pause);
                }
            }
            let e = match consumer.commit(&tpl, CommitMode::Sync) {
                Ok(()) => return Ok(true),
                Err(e) => e,
            };
            Metrics::inc(&self.metrics.broker_errors, 1);
            let now = Instant::now();
            let retry = flight.commit_retry.get_or_insert(CommitRetry {
                since: now,
                attempts: 0,
                next: now,
            });
            retry.attempts += 1;
            let failing_for = now - retry.since;
            match classify_commit_error(&e) {
                CommitFailure::Rebalancing => return Err(TxnFailure::Abortable(e)),
                CommitFailure::Permanent => {
                    return Err(TxnFailure::Fatal(
                        anyhow::Error::new(e).context("cannot commit the consumed offsets"),
                    ))
                }
                CommitFailure::Transient if failing_for >= COMMIT_RETRY_BUDGET => {
                    return Err(TxnFailure::Fatal(anyhow::Error::new(e).context(format!(
                        "cannot commit the consumed offsets: {} attempts failed in {} s",
                        retry.attempts,
                        failing_for.as_secs()
                    ))))
                }
                CommitFailure::Transient
                    if self.stopping() && failing_for > SHUTDOWN_COMMIT_BUDGET =>
                {
                    return Err(TxnFailure::Abortable(e))
                }
                CommitFailure::Transient => {}
            }
            let pause = commit_backoff(retry.attempts);
            retry.next = now + pause;
            tracing::warn!(error = %e, attempt = retry.attempts, retry_in = ?pause, "offset commit failed; retrying");
        }
    }

    /// Exactly-once: everything the open batch produced becomes visible together with the
    /// consumed offsets. On an abortable failure the batch is rolled back and will be re-read.
    fn commit_eos(&mut self, consumer: &GroupConsumer) -> Result<()> {
        if !self.batch.open {
            return Ok(());
        }
        let records = self.batch.records;
        let started = Instant::now();
        match self.commit_transaction(consumer) {
            Ok(()) => {
                let batch = std::mem::take(&mut self.batch);
                self.committed(records, started, &batch.input_timestamps);
                Ok(())
            }
            Err(TxnFailure::Abortable(e)) => {
                tracing::warn!(error = %e, records, "batch failed; aborting and re-processing it");
                self.abort_and_rewind(consumer)
            }
            Err(TxnFailure::Fatal(e)) => Err(e),
        }
    }

    fn commit_transaction(&mut self, consumer: &GroupConsumer) -> Result<(), TxnFailure> {
        let mut states = Vec::new();
        for record in self.state_records().map_err(txn_failure)? {
            states.push(self.send_state(record).map_err(txn_failure)?);
        }
        let tpl = self
            .offsets_tpl(&self.batch.offsets)
            .map_err(TxnFailure::Fatal)?;
        let cgm = consumer
            .group_metadata()
            .ok_or_else(|| TxnFailure::Fatal(anyhow!("the consumer has no group metadata")))?;
        let producer = &self.producer;
        self.retry_txn("send_offsets_to_transaction", || {
            producer.send_offsets_to_transaction(&tpl, &cgm, TXN_CALL_TIMEOUT)
        })?;
        self.retry_txn("commit_transaction", || {
            producer.commit_transaction(TXN_CALL_TIMEOUT)
        })?;
        // Committed: every record was delivered. Learn where each state record landed so the
        // story can be evicted and re-read later.
        for (key, change, mut f) in states {
            if let Some(Ok(offset)) = delivery(&self.rt, &mut f, true) {
                self.store.mark_committed(&key, change, offset);
            }
        }
        Ok(())
    }

    /// Bookkeeping once a batch's offsets are committed: metrics, the memory bound, progress.
    fn committed(&mut self, records: usize, started: Instant, input_timestamps: &[i64]) {
        self.metrics.commit_seconds.observe(started.elapsed());
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        for &ts in input_timestamps {
            let ms = u64::try_from(now_ms - ts).unwrap_or(0);
            self.metrics
                .end_to_end_seconds
                .observe(Duration::from_millis(ms));
        }
        Metrics::inc(&self.metrics.transactions_committed, 1);
        tracing::debug!(records, "batch committed");
        self.store.enforce_bound();
        self.update_gauges();
        if self.last_progress.elapsed() > Duration::from_secs(10) {
            self.last_progress = Instant::now();
            let m = &self.metrics;
            tracing::info!(
                versions = m.versions.load(Ordering::Relaxed),
                events = m.events.load(Ordering::Relaxed),
                dead_letters = m.dead_letters.load(Ordering::Relaxed),
                stories_in_memory = self.store.in_memory(),
                "progress"
            );
        }
    }

    /// Throw the open batch away and go back to the last committed point: state re-read from
    /// `story.state`, consumer positions reset to the committed offsets.
    pub fn abort_and_rewind(&mut self, consumer: &GroupConsumer) -> Result<()> {
        // A producer with a fatal error (e.g. the idempotent producer's sequence numbers out of
        // step with the broker's) fails every later send, so re-reading the batch would fail
        // again, forever. Exit instead: a restart resumes from the committed offsets.
        if let Some((code, reason)) = self.producer.client().fatal_error() {
            anyhow::bail!("fatal producer error ({code}): {reason}");
        }
        if self.guarantee == Guarantee::ExactlyOnce && self.batch.open {
            let producer = &self.producer;
            match self.retry_txn("abort_transaction", || {
                producer.abort_transaction(TXN_CALL_TIMEOUT)
            }) {
                Ok(()) => {}
                Err(TxnFailure::Abortable(e)) => {
                    return Err(anyhow::Error::new(e).context("cannot abort the transaction"))
                }
                Err(TxnFailure::Fatal(e)) => return Err(e),
            }
        }
        Metrics::inc(&self.metrics.transactions_aborted, 1);
        self.batch = Batch::default();
        // At-least-once: the batch in flight is re-read too (its offsets are not committed).
        self.in_flight = None;
        self.rewind(consumer)
    }

    fn rewind(&mut self, consumer: &GroupConsumer) -> Result<()> {
        let parts = self.assigned.clone();
        // Records already polled from these partitions are read again after the seek.
        self.bump_generations(&parts);
        self.store.drop_partitions(&parts);
        if parts.is_empty() {
            return Ok(());
        }
        let topic = self.config.topics.versions.clone();
        let mut tpl = TopicPartitionList::new();
        for &p in &parts {
            tpl.add_partition(&topic, p);
        }
        let committed = loop {
            match consumer.committed_offsets(tpl.clone(), Duration::from_secs(10)) {
                Ok(c) => break c,
                Err(e) => {
                    if self.stopping() {
                        return Err(anyhow::Error::new(e).context("reading committed offsets"));
                    }
                    tracing::warn!(error = %e, "cannot read committed offsets; retrying");
                    std::thread::sleep(Duration::from_millis(500));
                }
            }
        };
        let restored = state::restore(
            &self.reader_config,
            &self.config.topics.state,
            &parts,
            &mut self.store,
            &self.stop,
        )?;
        Metrics::inc(&self.metrics.state_records_restored, restored);
        let mut seek = TopicPartitionList::new();
        for e in committed.elements() {
            let to = match e.offset() {
                Offset::Offset(o) => Offset::Offset(o),
                // Nothing committed yet: auto.offset.reset=earliest semantics.
                _ => Offset::Beginning,
            };
            seek.add_partition_offset(&topic, e.partition(), to)?;
        }
        let mut attempts = 0;
        loop {
            attempts += 1;
            let result = consumer.seek_partitions(seek.clone(), Duration::from_secs(10));
            let failed: Vec<String> = match &result {
                Ok(r) => r
                    .elements()
                    .iter()
                    .filter_map(|e| {
                        e.error()
                            .err()
                            .map(|err| format!("{}: {err}", e.partition()))
                    })
                    .collect(),
                Err(e) => vec![e.to_string()],
            };
            if failed.is_empty() {
                break;
            }
            // Never carry on from an unknown position: that could skip input. Exit instead;
            // a restart resumes from the committed offsets.
            if attempts >= 20 || self.stopping() {
                anyhow::bail!(
                    "cannot rewind to the committed offsets: {}",
                    failed.join(", ")
                );
            }
            tracing::warn!(errors = ?failed, "seek failed; retrying");
            std::thread::sleep(Duration::from_millis(500));
        }
        tracing::info!(partitions = ?parts, state_records = restored, "rewound to the last committed offsets");
        self.update_gauges();
        Ok(())
    }

    fn on_revoke(&mut self, consumer: &GroupConsumer, parts: BTreeSet<i32>, lost: bool) {
        tracing::info!(partitions = ?parts, lost, "partitions revoked");
        for p in &parts {
            self.assigned.remove(p);
            self.next_offsets.remove(p);
        }
        self.bump_generations(&parts);
        let result = if lost {
            // Our membership is gone: the offsets could not be committed; roll back.
            if self.batch.open || self.in_flight.is_some() {
                self.abort_and_rewind(consumer)
            } else {
                Ok(())
            }
        } else {
            // Before their state is dropped: the commit writes the batch's latest states.
            self.commit(consumer)
        };
        self.store.drop_partitions(&parts);
        if let Err(e) = result {
            self.fatal.get_or_insert(e);
        }
        self.update_gauges();
    }

    fn on_assign(&mut self, parts: BTreeSet<i32>) {
        let started = Instant::now();
        self.bump_generations(&parts);
        self.metrics.ready.store(false, Ordering::Relaxed);
        match state::restore(
            &self.reader_config,
            &self.config.topics.state,
            &parts,
            &mut self.store,
            &self.stop,
        ) {
            Ok(n) => {
                Metrics::inc(&self.metrics.state_records_restored, n);
                self.assigned.extend(parts.iter().copied());
                tracing::info!(
                    partitions = ?parts,
                    state_records = n,
                    stories_in_memory = self.store.in_memory(),
                    stories_evicted = self.store.evicted(),
                    ms = started.elapsed().as_millis() as u64,
                    "partitions assigned; state restored"
                );
                self.metrics.ready.store(true, Ordering::Relaxed);
            }
            // SIGTERM during the restore is a shutdown, not a failure (exit 0): leave these
            // partitions unassigned, so none of their records is processed and nothing is
            // committed for them; the next owner restores them from the start.
            Err(e) if self.stopping() => {
                self.store.drop_partitions(&parts);
                tracing::info!(partitions = ?parts, reason = %format!("{e:#}"), "stopping: state restore interrupted, partitions left unprocessed");
            }
            Err(e) => {
                self.fatal.get_or_insert(e.context("restoring state"));
            }
        }
        self.update_gauges();
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    pub fn take_fatal(&mut self) -> Option<anyhow::Error> {
        self.fatal.take()
    }
}

/// Phase 2 for one story: its versions in order, each against the previous one's state.
fn run_group(engine: &Engine, metrics: &Metrics, group: Group) -> Vec<(usize, Result<Done>)> {
    let mut prev = group.prev;
    let count = group.jobs.len();
    let mut out = Vec::with_capacity(count);
    for (i, (pos, v, origin)) in group.jobs.into_iter().enumerate() {
        let now = crate::io::now_rfc3339();
        let engine_started = Instant::now();
        let o = engine.process(prev.as_ref(), &v, &origin, &now);
        metrics.engine_seconds.observe(engine_started.elapsed());
        tracing::debug!(
            partition = origin.partition,
            offset = origin.offset,
            story_id = v.story_id.as_str(),
            version = v.version,
            status = o.revision.status.as_str(),
            events = o.events.len(),
            "processed"
        );
        let serialised = o
            .events
            .iter()
            .map(serde_json::to_vec)
            .collect::<Result<Vec<_>, _>>()
            .and_then(|events| Ok((events, serde_json::to_vec(&o.revision)?)));
        let last = i + 1 == count;
        let state = if last {
            Some(o.state)
        } else {
            prev = Some(o.state);
            None
        };
        let done = serialised
            .map(|(event_json, revision_json)| Done {
                story_id: v.story_id,
                events: o.events,
                event_json,
                revision_status: o.revision.status,
                revision_json,
                state,
            })
            .map_err(anyhow::Error::from);
        out.push((pos, done));
    }
    out
}

/// The outcome of one produced record: its offset, or the error. `wait`: block until it is
/// known; else `None` while it is not known yet.
fn delivery(
    rt: &tokio::runtime::Handle,
    f: &mut DeliveryFuture,
    wait: bool,
) -> Option<Result<i64, KafkaError>> {
    use std::future::Future;
    let outcome = if wait {
        rt.block_on(&mut *f)
    } else {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match std::pin::Pin::new(&mut *f).poll(&mut cx) {
            std::task::Poll::Ready(r) => r,
            std::task::Poll::Pending => return None,
        }
    };
    Some(match outcome {
        Ok(Ok(d)) => Ok(d.offset),
        Ok(Err((e, _))) => Err(e),
        // The producer went away before reporting.
        Err(_) => Err(KafkaError::Canceled),
    })
}

/// A failure to produce at commit: a Kafka error aborts the batch (it is re-processed), any
/// other ends the process.
fn txn_failure(e: anyhow::Error) -> TxnFailure {
    match e.downcast_ref::<KafkaError>() {
        Some(k) => TxnFailure::Abortable(k.clone()),
        None => TxnFailure::Fatal(e),
    }
}

/// The partition's low and high watermarks as last reported by a fetch response (librdkafka's
/// `rd_kafka_get_watermark_offsets`): no broker round trip, so the poll loop never blocks on
/// it. rdkafka wraps only the querying variant (`fetch_watermarks`), hence the direct call.
fn cached_watermarks(consumer: &GroupConsumer, topic: &str, partition: i32) -> Option<(i64, i64)> {
    let topic = std::ffi::CString::new(topic).ok()?;
    let (mut low, mut high) = (-1i64, -1i64);
    // SAFETY: the client pointer is valid while `consumer` lives; the topic is a NUL-terminated
    // string that outlives the call; `low`/`high` are valid for writes.
    let err = unsafe {
        rdkafka::bindings::rd_kafka_get_watermark_offsets(
            consumer.client().native_ptr(),
            topic.as_ptr(),
            partition,
            &mut low,
            &mut high,
        )
    };
    (err == rdkafka::bindings::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR && high >= 0)
        .then_some((low.max(0), high))
}

/// The consumer context: routes librdkafka's logs and errors into tracing, and rebalances into
/// the pipeline.
pub struct RebalanceContext {
    pub pipeline: Arc<Mutex<Pipeline>>,
    pub topic: String,
    pub metrics: Arc<Metrics>,
}

impl RebalanceContext {
    fn lock(&self) -> MutexGuard<'_, Pipeline> {
        self.pipeline.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn partitions(&self, tpl: &TopicPartitionList) -> BTreeSet<i32> {
        tpl.elements_for_topic(&self.topic)
            .iter()
            .map(|e| e.partition())
            .collect()
    }
}

impl ClientContext for RebalanceContext {
    fn error(&self, error: KafkaError, reason: &str) {
        Metrics::inc(&self.metrics.broker_errors, 1);
        tracing::warn!(error = %error, reason, "kafka client error (retrying)");
    }
}

impl ConsumerContext for RebalanceContext {
    fn pre_rebalance(&self, consumer: &GroupConsumer, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(tpl) = rebalance {
            let parts = self.partitions(tpl);
            let lost = consumer.assignment_lost();
            self.lock().on_revoke(consumer, parts, lost);
        }
    }

    fn post_rebalance(&self, _consumer: &GroupConsumer, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Assign(tpl) => {
                let parts = self.partitions(tpl);
                if parts.is_empty() {
                    // Nothing to restore: an instance with no partitions is ready (idle).
                    self.metrics.ready.store(true, Ordering::Relaxed);
                } else {
                    self.lock().on_assign(parts);
                }
            }
            Rebalance::Revoke(_) => {}
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_commit_errors_are_rolled_back_retried_or_final() {
        let commit = |code| classify_commit_error(&KafkaError::ConsumerCommit(code));
        assert_eq!(
            commit(RDKafkaErrorCode::RebalanceInProgress),
            CommitFailure::Rebalancing
        );
        assert_eq!(
            commit(RDKafkaErrorCode::GroupAuthorizationFailed),
            CommitFailure::Permanent
        );
        assert_eq!(
            commit(RDKafkaErrorCode::TopicAuthorizationFailed),
            CommitFailure::Permanent
        );
        assert_eq!(
            commit(RDKafkaErrorCode::CoordinatorLoadInProgress),
            CommitFailure::Transient
        );
        assert_eq!(
            commit(RDKafkaErrorCode::NotCoordinator),
            CommitFailure::Transient
        );
        assert_eq!(
            commit(RDKafkaErrorCode::RequestTimedOut),
            CommitFailure::Transient
        );
    }

    #[test]
    fn offset_commit_backoff_doubles_up_to_a_cap_and_fits_the_budget() {
        let pauses: Vec<Duration> = (1..=6).map(commit_backoff).collect();
        assert_eq!(
            pauses,
            [0.5, 1.0, 2.0, 4.0, 5.0, 5.0].map(Duration::from_secs_f64)
        );
        assert_eq!(commit_backoff(u32::MAX), COMMIT_BACKOFF_MAX);
        // Several attempts fit the budget before `run` gives up.
        let first_five: Duration = (1..=5).map(commit_backoff).sum();
        assert!(first_five < COMMIT_RETRY_BUDGET);
    }
}
