//! Counters and gauges of the Kafka processor, served as Prometheus text on `/metrics`, with
//! `/healthz` (the process runs) and `/readyz` (producer initialised, consumer subscribed and
//! no restore in progress). A deliberately tiny HTTP/1.0 responder: three fixed GET routes do
//! not justify a web framework.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Debug, Default)]
pub struct Metrics {
    pub versions: AtomicU64,
    pub events: AtomicU64,
    pub alerts: AtomicU64,
    pub revisions: AtomicU64,
    pub dead_letters: AtomicU64,
    pub transactions_committed: AtomicU64,
    pub transactions_aborted: AtomicU64,
    pub state_records_restored: AtomicU64,
    pub state_refetches: AtomicU64,
    pub broker_errors: AtomicU64,
    pub stories_in_memory: AtomicU64,
    pub stories_evicted: AtomicU64,
    pub state_bytes: AtomicU64,
    pub assigned_partitions: AtomicU64,
    pub ready: AtomicBool,
}

impl Metrics {
    pub fn inc(counter: &AtomicU64, by: u64) {
        counter.fetch_add(by, Ordering::Relaxed);
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut put = |name: &str, kind: &str, help: &str, v: &AtomicU64| {
            let _ = writeln!(out, "# HELP redline_{name} {help}");
            let _ = writeln!(out, "# TYPE redline_{name} {kind}");
            let _ = writeln!(out, "redline_{name} {}", v.load(Ordering::Relaxed));
        };
        put(
            "versions_total",
            "counter",
            "Input versions processed.",
            &self.versions,
        );
        put(
            "events_total",
            "counter",
            "Change events produced.",
            &self.events,
        );
        put(
            "alerts_total",
            "counter",
            "Events also produced to the alerts topic.",
            &self.alerts,
        );
        put(
            "revisions_total",
            "counter",
            "Revision records produced.",
            &self.revisions,
        );
        put(
            "dead_letters_total",
            "counter",
            "Input records sent to the dead-letter topic.",
            &self.dead_letters,
        );
        put(
            "transactions_committed_total",
            "counter",
            "Batches committed.",
            &self.transactions_committed,
        );
        put(
            "transactions_aborted_total",
            "counter",
            "Batches aborted and re-processed.",
            &self.transactions_aborted,
        );
        put(
            "state_records_restored_total",
            "counter",
            "story.state records read on assignment.",
            &self.state_records_restored,
        );
        put(
            "state_refetches_total",
            "counter",
            "Evicted stories re-read from story.state.",
            &self.state_refetches,
        );
        put(
            "broker_errors_total",
            "counter",
            "Broker/client errors seen (retried).",
            &self.broker_errors,
        );
        put(
            "stories_in_memory",
            "gauge",
            "Stories whose state is held in memory.",
            &self.stories_in_memory,
        );
        put(
            "stories_evicted",
            "gauge",
            "Stories evicted from memory (offset kept).",
            &self.stories_evicted,
        );
        put(
            "state_bytes",
            "gauge",
            "Approximate bytes of state held in memory.",
            &self.state_bytes,
        );
        put(
            "assigned_partitions",
            "gauge",
            "Input partitions assigned to this instance.",
            &self.assigned_partitions,
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
            let mut buf = [0u8; 1024];
            let n = sock.read(&mut buf).await.unwrap_or(0);
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
