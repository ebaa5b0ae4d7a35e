//! Counters, gauges and histograms of the Kafka processor, served as Prometheus text on
//! `/metrics`, with `/healthz` (the process runs) and `/readyz` (partitions assigned and their
//! state restored). A deliberately tiny HTTP/1.0 responder: three fixed GET routes do not
//! justify a web framework.
//!
//! Labels stay low-cardinality: event `kind` (9 values), `category` (the configured rule set),
//! dead-letter error `kind` (6), revision `status` (7), input `partition`. Never a story id.

use crate::input::InputErrorKind;
use crate::model::{Kind, RevisionStatus};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A Prometheus histogram with fixed buckets (seconds). Lock-free: one atomic per bucket.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    /// Non-cumulative counts per bucket; the last is +Inf.
    counts: Vec<AtomicU64>,
    sum_nanos: AtomicU64,
}

/// Per-version engine time: microseconds to a second.
pub const ENGINE_BUCKETS: &[f64] = &[
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
];
/// End-to-end latency and commit time: a millisecond to a minute.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

impl Histogram {
    pub fn new(bounds: &'static [f64]) -> Histogram {
        Histogram {
            bounds,
            counts: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(),
            sum_nanos: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        let i = self
            .bounds
            .iter()
            .position(|&b| secs <= b)
            .unwrap_or(self.bounds.len());
        self.counts[i].fetch_add(1, Ordering::Relaxed);
        self.sum_nanos
            .fetch_add(d.as_nanos().min(u64::MAX as u128) as u64, Ordering::Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP redline_{name} {help}");
        let _ = writeln!(out, "# TYPE redline_{name} histogram");
        let mut cumulative = 0;
        for (i, b) in self.bounds.iter().enumerate() {
            cumulative += self.counts[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "redline_{name}_bucket{{le=\"{b}\"}} {cumulative}");
        }
        cumulative += self.counts[self.bounds.len()].load(Ordering::Relaxed);
        let _ = writeln!(out, "redline_{name}_bucket{{le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        let _ = writeln!(out, "redline_{name}_sum {sum}");
        let _ = writeln!(out, "redline_{name}_count {cumulative}");
    }
}

#[derive(Debug)]
pub struct Metrics {
    pub versions: AtomicU64,
    pub events: AtomicU64,
    /// Events by kind, indexed like [`Kind::ALL`].
    pub events_by_kind: [AtomicU64; 9],
    /// Events by category (an event with two categories counts in both).
    pub events_by_category: Mutex<BTreeMap<String, u64>>,
    pub alerts: AtomicU64,
    pub revisions: AtomicU64,
    /// Revision records by status, indexed like [`RevisionStatus::ALL`].
    pub revisions_by_status: [AtomicU64; 7],
    pub dead_letters: AtomicU64,
    /// Dead letters by error kind, indexed like [`InputErrorKind::ALL`].
    pub dead_letters_by_kind: [AtomicU64; 6],
    pub transactions_committed: AtomicU64,
    pub transactions_aborted: AtomicU64,
    pub state_records_restored: AtomicU64,
    pub state_refetches: AtomicU64,
    /// Records polled before their partition was revoked (or rewound), not processed.
    pub stale_records_dropped: AtomicU64,
    pub broker_errors: AtomicU64,
    pub stories_in_memory: AtomicU64,
    pub stories_evicted: AtomicU64,
    pub state_bytes: AtomicU64,
    pub assigned_partitions: AtomicU64,
    /// Records behind the high watermark, per assigned input partition.
    pub consumer_lag: Mutex<BTreeMap<i32, i64>>,
    pub engine_seconds: Histogram,
    pub end_to_end_seconds: Histogram,
    pub commit_seconds: Histogram,
    pub ready: AtomicBool,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics {
            versions: AtomicU64::new(0),
            events: AtomicU64::new(0),
            events_by_kind: Default::default(),
            events_by_category: Mutex::new(BTreeMap::new()),
            alerts: AtomicU64::new(0),
            revisions: AtomicU64::new(0),
            revisions_by_status: Default::default(),
            dead_letters: AtomicU64::new(0),
            dead_letters_by_kind: Default::default(),
            transactions_committed: AtomicU64::new(0),
            transactions_aborted: AtomicU64::new(0),
            state_records_restored: AtomicU64::new(0),
            state_refetches: AtomicU64::new(0),
            stale_records_dropped: AtomicU64::new(0),
            broker_errors: AtomicU64::new(0),
            stories_in_memory: AtomicU64::new(0),
            stories_evicted: AtomicU64::new(0),
            state_bytes: AtomicU64::new(0),
            assigned_partitions: AtomicU64::new(0),
            consumer_lag: Mutex::new(BTreeMap::new()),
            engine_seconds: Histogram::new(ENGINE_BUCKETS),
            end_to_end_seconds: Histogram::new(LATENCY_BUCKETS),
            commit_seconds: Histogram::new(LATENCY_BUCKETS),
            ready: AtomicBool::new(false),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Prometheus label value escaping (backslash, quote, newline).
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    pub fn inc(counter: &AtomicU64, by: u64) {
        counter.fetch_add(by, Ordering::Relaxed);
    }

    /// One emitted change event: the total, its kind and each of its categories.
    pub fn event(&self, kind: Kind, categories: &[String]) {
        Metrics::inc(&self.events, 1);
        if let Some(i) = Kind::ALL.iter().position(|&k| k == kind) {
            Metrics::inc(&self.events_by_kind[i], 1);
        }
        if !categories.is_empty() {
            let mut m = lock(&self.events_by_category);
            for c in categories {
                *m.entry(c.clone()).or_insert(0) += 1;
            }
        }
    }

    pub fn revision(&self, status: RevisionStatus) {
        Metrics::inc(&self.revisions, 1);
        if let Some(i) = RevisionStatus::ALL.iter().position(|&s| s == status) {
            Metrics::inc(&self.revisions_by_status[i], 1);
        }
    }

    pub fn dead_letter(&self, kind: InputErrorKind) {
        Metrics::inc(&self.dead_letters, 1);
        if let Some(i) = InputErrorKind::ALL.iter().position(|&k| k == kind) {
            Metrics::inc(&self.dead_letters_by_kind[i], 1);
        }
    }

    /// Replace the per-partition lag gauge (partitions no longer assigned disappear).
    pub fn set_lag(&self, lag: BTreeMap<i32, i64>) {
        *lock(&self.consumer_lag) = lag;
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        let head = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP redline_{name} {help}");
            let _ = writeln!(out, "# TYPE redline_{name} {kind}");
        };
        let put = |out: &mut String, name: &str, kind: &str, help: &str, v: &AtomicU64| {
            head(out, name, kind, help);
            let _ = writeln!(out, "redline_{name} {}", v.load(Ordering::Relaxed));
        };
        let labelled = |out: &mut String,
                        name: &str,
                        help: &str,
                        key: &str,
                        rows: &mut dyn Iterator<Item = (String, u64)>| {
            head(out, name, "counter", help);
            for (v, n) in rows {
                let _ = writeln!(out, "redline_{name}{{{key}=\"{}\"}} {n}", label(&v));
            }
        };
        put(
            &mut out,
            "versions_total",
            "counter",
            "Input versions consumed and processed (dead letters not included).",
            &self.versions,
        );
        labelled(
            &mut out,
            "events_total",
            "Change events produced, by kind.",
            "kind",
            &mut Kind::ALL
                .iter()
                .zip(&self.events_by_kind)
                .map(|(k, n)| (k.as_str().to_string(), n.load(Ordering::Relaxed))),
        );
        let categories = lock(&self.events_by_category).clone();
        labelled(
            &mut out,
            "event_categories_total",
            "Change events produced, by category (an event counts once per category).",
            "category",
            &mut categories.into_iter(),
        );
        put(
            &mut out,
            "alerts_total",
            "counter",
            "Events also produced to the alerts topic.",
            &self.alerts,
        );
        labelled(
            &mut out,
            "revisions_total",
            "Revision records produced, by status.",
            "status",
            &mut RevisionStatus::ALL
                .iter()
                .zip(&self.revisions_by_status)
                .map(|(s, n)| (s.as_str().to_string(), n.load(Ordering::Relaxed))),
        );
        labelled(
            &mut out,
            "dead_letters_total",
            "Input records sent to the dead-letter topic, by error kind.",
            "kind",
            &mut InputErrorKind::ALL
                .iter()
                .zip(&self.dead_letters_by_kind)
                .map(|(k, n)| (k.as_str().to_string(), n.load(Ordering::Relaxed))),
        );
        put(
            &mut out,
            "transactions_committed_total",
            "counter",
            "Batches committed.",
            &self.transactions_committed,
        );
        put(
            &mut out,
            "transactions_aborted_total",
            "counter",
            "Batches aborted and re-processed.",
            &self.transactions_aborted,
        );
        put(
            &mut out,
            "state_records_restored_total",
            "counter",
            "story.state records read on assignment.",
            &self.state_records_restored,
        );
        put(
            &mut out,
            "state_refetches_total",
            "counter",
            "Evicted stories re-read from story.state.",
            &self.state_refetches,
        );
        put(
            &mut out,
            "stale_records_dropped_total",
            "counter",
            "Records polled before their partition was revoked or rewound, left to its new owner or the re-read.",
            &self.stale_records_dropped,
        );
        put(
            &mut out,
            "broker_errors_total",
            "counter",
            "Broker/client errors seen (retried).",
            &self.broker_errors,
        );
        put(
            &mut out,
            "stories_in_memory",
            "gauge",
            "Stories whose state is held in memory.",
            &self.stories_in_memory,
        );
        put(
            &mut out,
            "stories_evicted",
            "gauge",
            "Stories evicted from memory (offset kept).",
            &self.stories_evicted,
        );
        put(
            &mut out,
            "state_bytes",
            "gauge",
            "Approximate bytes of state held in memory.",
            &self.state_bytes,
        );
        put(
            &mut out,
            "assigned_partitions",
            "gauge",
            "Input partitions assigned to this instance.",
            &self.assigned_partitions,
        );
        head(
            &mut out,
            "consumer_lag",
            "gauge",
            "Input records behind the partition's high watermark.",
        );
        for (p, lag) in lock(&self.consumer_lag).iter() {
            let _ = writeln!(out, "redline_consumer_lag{{partition=\"{p}\"}} {lag}");
        }
        self.engine_seconds.render(
            &mut out,
            "engine_seconds",
            "Engine time (diff and classify) per input version.",
        );
        self.end_to_end_seconds.render(
            &mut out,
            "end_to_end_latency_seconds",
            "Input record timestamp to its outputs committed (visible to read_committed readers).",
        );
        self.commit_seconds.render(
            &mut out,
            "transaction_commit_seconds",
            "Time to commit a batch: the transaction, or close to offset commit (at_least_once).",
        );
        let _ = writeln!(
            out,
            "# HELP redline_ready 1 when partitions are assigned and their state restored.\n\
             # TYPE redline_ready gauge\nredline_ready {}",
            u8::from(self.ready.load(Ordering::Relaxed))
        );
        out
    }
}

/// Serve until the task is dropped.
pub async fn serve(listener: TcpListener, metrics: Arc<Metrics>) {
    loop {
        let Ok((mut sock, _)) = listener.accept().await else {
            continue;
        };
        let metrics = metrics.clone();
        tokio::spawn(async move {
            // Read the request head (a client may send it in several pieces), at most 1 KB
            // and 5 s.
            let mut buf = [0u8; 1024];
            let mut n = 0;
            let head = async {
                while n < buf.len() {
                    match sock.read(&mut buf[n..]).await {
                        Ok(0) | Err(_) => break,
                        Ok(k) => n += k,
                    }
                    if buf[..n].windows(4).any(|w| w == b"\r\n\r\n")
                        || buf[..n].windows(2).any(|w| w == b"\n\n")
                    {
                        break;
                    }
                }
            };
            let _ = tokio::time::timeout(Duration::from_secs(5), head).await;
            let req = String::from_utf8_lossy(&buf[..n]);
            let path = req.split_whitespace().nth(1).unwrap_or("/");
            let (status, body) = match path {
                "/metrics" => ("200 OK", metrics.render()),
                "/healthz" => ("200 OK", "ok\n".to_string()),
                "/readyz" if metrics.ready.load(Ordering::Relaxed) => ("200 OK", "ready\n".into()),
                "/readyz" => ("503 Service Unavailable", "not ready\n".into()),
                _ => ("404 Not Found", "not found\n".into()),
            };
            let resp = format!(
                "HTTP/1.0 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(resp.as_bytes()).await;
            let _ = sock.shutdown().await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_count_every_observation() {
        let h = Histogram::new(&[0.01, 0.1]);
        h.observe(Duration::from_millis(5));
        h.observe(Duration::from_millis(50));
        h.observe(Duration::from_secs(2));
        let mut out = String::new();
        h.render(&mut out, "x_seconds", "x");
        assert!(
            out.contains("redline_x_seconds_bucket{le=\"0.01\"} 1\n"),
            "{out}"
        );
        assert!(
            out.contains("redline_x_seconds_bucket{le=\"0.1\"} 2\n"),
            "{out}"
        );
        assert!(
            out.contains("redline_x_seconds_bucket{le=\"+Inf\"} 3\n"),
            "{out}"
        );
        assert!(out.contains("redline_x_seconds_count 3\n"), "{out}");
        assert!(out.contains("redline_x_seconds_sum 2.055\n"), "{out}");
    }

    #[test]
    fn labelled_counters_render_by_kind_category_status_and_error_kind() {
        let m = Metrics::default();
        m.event(Kind::QuoteAdded, &["statement".into(), "meeting".into()]);
        m.event(Kind::QuoteAdded, &["statement".into()]);
        m.revision(RevisionStatus::Cosmetic);
        m.dead_letter(InputErrorKind::NotJson);
        let out = m.render();
        assert!(out.contains("redline_events_total{kind=\"quote.added\"} 2\n"));
        assert!(out.contains("redline_events_total{kind=\"fact.added\"} 0\n"));
        assert!(out.contains("redline_event_categories_total{category=\"statement\"} 2\n"));
        assert!(out.contains("redline_event_categories_total{category=\"meeting\"} 1\n"));
        assert!(out.contains("redline_revisions_total{status=\"cosmetic\"} 1\n"));
        assert!(out.contains("redline_dead_letters_total{kind=\"not_json\"} 1\n"));
        assert!(out.contains("redline_ready 0\n"));
    }
}
