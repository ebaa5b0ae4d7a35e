//! The processing loop: consume `story.versions`, run the engine, produce events, alerts,
//! revision records, state and dead letters, and commit them with the consumed offsets.
//!
//! Threading: everything runs on one blocking thread that polls a `BaseConsumer`. librdkafka
//! calls the rebalance callbacks from inside `poll` on that same thread, which is what makes
//! "commit the open transaction before the partitions go" and "restore state before the first
//! record of a new partition" simple: no record is processed while a callback runs. The
//! pipeline sits behind a mutex only because the consumer context must be `Sync`; it is never
//! contended.

use super::client::Guarantee;
use super::dlq;
use super::metrics::Metrics;
use super::state::{self, Key, Lookup, StateStore};
use crate::config::Config;
use crate::engine::Engine;
use crate::model::{Origin, Severity};
use anyhow::{anyhow, Context, Result};
use rdkafka::client::ClientContext;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::ToBytes;
use rdkafka::message::{BorrowedMessage, Message};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord, Producer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long one transactional call may block before it is retried (it is retried, not failed).
const TXN_CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// After a stop signal, how long to keep retrying a commit before aborting and exiting.
const SHUTDOWN_COMMIT_BUDGET: Duration = Duration::from_secs(30);

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
    /// State records in flight (exactly-once: part of the transaction).
    states: Vec<(Key, DeliveryFuture)>,
    /// State records to write once the outputs are acknowledged (at-least-once).
    deferred_states: Vec<(Key, Vec<u8>)>,
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
    /// Next input offset to process, per assigned partition (for the lag gauge).
    next_offsets: BTreeMap<i32, i64>,
    batch: Batch,
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
        let capacity = p.config.limits.max_stories_in_memory;
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
            next_offsets: BTreeMap::new(),
            batch: Batch::default(),
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

    /// Process one input record into the open batch.
    pub fn handle(&mut self, m: &BorrowedMessage<'_>) -> Result<()> {
        let partition = m.partition();
        let offset = m.offset();
        if !self.assigned.contains(&partition) {
            // Fetched before a revocation; the new owner processes it.
            return Ok(());
        }
        self.begin_if_needed()?;
        let topics = self.config.topics.clone();
        let span = tracing::info_span!(
            "version",
            partition,
            offset,
            story_id = tracing::field::Empty,
            version = tracing::field::Empty
        );
        let _entered = span.enter();
        let payload = m.payload().unwrap_or_default();
        match crate::input::parse_version(payload, self.config.limits.max_input_bytes) {
            Err(err) => {
                tracing::warn!(kind = err.kind.as_str(), reason = %err.message, "invalid input: dead-lettered");
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
            Ok(v) => {
                span.record("story_id", v.story_id.as_str());
                if let Some(n) = v.version {
                    span.record("version", n);
                }
                let key: Key = (partition, v.story_id.clone());
                let prev = match self.store.lookup(&key) {
                    Lookup::InMemory(s) => Some(s),
                    Lookup::Evicted(at) => {
                        Metrics::inc(&self.metrics.state_refetches, 1);
                        let s = state::fetch_at(
                            &self.fetcher,
                            &topics.state,
                            partition,
                            at,
                            &v.story_id,
                            &self.stop,
                        )?;
                        Some(s)
                    }
                    Lookup::Absent => None,
                };
                let origin = Origin {
                    topic: Some(m.topic().to_string()),
                    partition: Some(partition),
                    offset: Some(offset),
                    line: None,
                };
                let now = crate::io::now_rfc3339();
                let engine_started = Instant::now();
                let out = self.engine.process(prev.as_ref(), &v, &origin, &now);
                self.metrics
                    .engine_seconds
                    .observe(engine_started.elapsed());
                if let Some(ts) = m.timestamp().to_millis() {
                    self.batch.input_timestamps.push(ts);
                }
                tracing::debug!(
                    status = out.revision.status.as_str(),
                    events = out.events.len(),
                    "processed"
                );
                for e in &out.events {
                    self.metrics.event(e.kind, &e.categories);
                    let json = serde_json::to_vec(e)?;
                    let f = self.send(
                        FutureRecord::to(&topics.changes)
                            .key(v.story_id.as_str())
                            .payload(&json),
                    )?;
                    self.batch.outputs.push(f);
                    if e.severity >= self.threshold {
                        let f = self.send(
                            FutureRecord::to(&topics.alerts)
                                .key(v.story_id.as_str())
                                .payload(&json),
                        )?;
                        self.batch.outputs.push(f);
                        Metrics::inc(&self.metrics.alerts, 1);
                    }
                }
                let rev = serde_json::to_vec(&out.revision)?;
                let f = self.send(
                    FutureRecord::to(&topics.revisions)
                        .key(v.story_id.as_str())
                        .payload(&rev),
                )?;
                self.batch.outputs.push(f);
                self.metrics.revision(out.revision.status);
                let state_json = serde_json::to_vec(&out.state)?;
                match self.guarantee {
                    Guarantee::ExactlyOnce => {
                        // Explicit partition: the state of input partition N lives in state
                        // partition N, whatever any client's partitioner would pick.
                        let f = self.send(
                            FutureRecord::to(&topics.state)
                                .partition(partition)
                                .key(v.story_id.as_str())
                                .payload(&state_json),
                        )?;
                        self.batch.states.push((key.clone(), f));
                    }
                    Guarantee::AtLeastOnce => {
                        self.batch.deferred_states.push((key.clone(), state_json));
                    }
                }
                self.store.put_dirty(key, out.state);
                Metrics::inc(&self.metrics.versions, 1);
            }
        }
        self.batch.offsets.insert(partition, offset + 1);
        self.next_offsets.insert(partition, offset + 1);
        self.batch.records += 1;
        Ok(())
    }

    fn offsets_tpl(&self) -> Result<TopicPartitionList> {
        let mut tpl = TopicPartitionList::new();
        for (&p, &o) in &self.batch.offsets {
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

    /// Close the open batch: everything it produced becomes visible together with the consumed
    /// offsets (exactly-once), or the offsets are committed after every output is acknowledged
    /// (at-least-once). On an abortable failure the batch is rolled back and will be re-read.
    pub fn commit(&mut self, consumer: &GroupConsumer) -> Result<()> {
        if !self.batch.open {
            return Ok(());
        }
        let records = self.batch.records;
        let commit_started = Instant::now();
        let result = match self.guarantee {
            Guarantee::ExactlyOnce => self.commit_eos(consumer),
            Guarantee::AtLeastOnce => self.commit_alo(consumer),
        };
        match result {
            Ok(()) => {
                self.metrics
                    .commit_seconds
                    .observe(commit_started.elapsed());
                let now_ms = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() as i64)
                    .unwrap_or(0);
                for &ts in &self.batch.input_timestamps {
                    let ms = u64::try_from(now_ms - ts).unwrap_or(0);
                    self.metrics
                        .end_to_end_seconds
                        .observe(Duration::from_millis(ms));
                }
                Metrics::inc(&self.metrics.transactions_committed, 1);
                tracing::debug!(records, "batch committed");
                self.batch = Batch::default();
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
                Ok(())
            }
            Err(TxnFailure::Abortable(e)) => {
                tracing::warn!(error = %e, records, "batch failed; aborting and re-processing it");
                self.abort_and_rewind(consumer)
            }
            Err(TxnFailure::Fatal(e)) => Err(e),
        }
    }

    fn commit_eos(&mut self, consumer: &GroupConsumer) -> Result<(), TxnFailure> {
        let tpl = self.offsets_tpl().map_err(TxnFailure::Fatal)?;
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
        let states = std::mem::take(&mut self.batch.states);
        for (key, f) in states {
            if let Ok(Ok(d)) = self.rt.block_on(f) {
                self.store.mark_committed(&key, d.offset);
            }
        }
        Ok(())
    }

    fn commit_alo(&mut self, consumer: &GroupConsumer) -> Result<(), TxnFailure> {
        // 1. Every event, alert, revision and dead letter acknowledged…
        for f in std::mem::take(&mut self.batch.outputs) {
            match self.rt.block_on(f) {
                Ok(Ok(_)) => {}
                Ok(Err((e, _))) => return Err(TxnFailure::Abortable(e)),
                Err(_) => return Err(TxnFailure::Abortable(KafkaError::Canceled)),
            }
        }
        // 2. …then the state (so a crash in between re-emits events rather than skipping them)…
        let mut pending = Vec::new();
        for (key, bytes) in std::mem::take(&mut self.batch.deferred_states) {
            let f = self
                .send(
                    FutureRecord::to(&self.config.topics.state)
                        .partition(key.0)
                        .key(key.1.as_str())
                        .payload(&bytes),
                )
                .map_err(TxnFailure::Fatal)?;
            pending.push((key, f));
        }
        for (key, f) in pending {
            match self.rt.block_on(f) {
                Ok(Ok(d)) => self.store.mark_committed(&key, d.offset),
                Ok(Err((e, _))) => return Err(TxnFailure::Abortable(e)),
                Err(_) => return Err(TxnFailure::Abortable(KafkaError::Canceled)),
            }
        }
        // 3. …then the offsets.
        let tpl = self.offsets_tpl().map_err(TxnFailure::Fatal)?;
        let started = Instant::now();
        loop {
            match consumer.commit(&tpl, CommitMode::Sync) {
                Ok(()) => return Ok(()),
                Err(e) => {
                    Metrics::inc(&self.metrics.broker_errors, 1);
                    let rebalancing = matches!(
                        e.rdkafka_error_code(),
                        Some(RDKafkaErrorCode::RebalanceInProgress)
                            | Some(RDKafkaErrorCode::IllegalGeneration)
                            | Some(RDKafkaErrorCode::UnknownMemberId)
                    );
                    if rebalancing
                        || (self.stopping() && started.elapsed() > SHUTDOWN_COMMIT_BUDGET)
                    {
                        return Err(TxnFailure::Abortable(e));
                    }
                    tracing::warn!(error = %e, "offset commit failed; retrying");
                    std::thread::sleep(Duration::from_millis(500));
                }
            }
        }
    }

    /// Throw the open batch away and go back to the last committed point: state re-read from
    /// `story.state`, consumer positions reset to the committed offsets.
    pub fn abort_and_rewind(&mut self, consumer: &GroupConsumer) -> Result<()> {
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
        self.rewind(consumer)
    }

    fn rewind(&mut self, consumer: &GroupConsumer) -> Result<()> {
        let parts = self.assigned.clone();
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
        self.store.drop_partitions(&parts);
        let result = if lost {
            // Our membership is gone: the offsets could not be committed; roll back.
            if self.batch.open {
                self.abort_and_rewind(consumer)
            } else {
                Ok(())
            }
        } else {
            self.commit(consumer)
        };
        if let Err(e) = result {
            self.fatal.get_or_insert(e);
        }
        self.update_gauges();
    }

    fn on_assign(&mut self, parts: BTreeSet<i32>) {
        let started = Instant::now();
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
