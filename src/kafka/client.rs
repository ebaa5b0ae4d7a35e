//! librdkafka client settings: one place that turns the configuration into producer, consumer
//! and admin `ClientConfig`s, so every client gets the same brokers and pass-through properties.

use crate::config::Config;
use rdkafka::ClientConfig;

/// Which delivery guarantee `run` provides (DESIGN §5, `processing.guarantee`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarantee {
    /// Transactional producer: outputs, state and consumed offsets commit atomically.
    ExactlyOnce,
    /// Idempotent producer; offsets committed only after every output is acknowledged.
    AtLeastOnce,
}

impl Guarantee {
    pub fn from_config(config: &Config) -> Guarantee {
        match config.processing.guarantee.as_str() {
            "at_least_once" => Guarantee::AtLeastOnce,
            _ => Guarantee::ExactlyOnce,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Guarantee::ExactlyOnce => "exactly_once",
            Guarantee::AtLeastOnce => "at_least_once",
        }
    }
}

/// Base settings shared by every client: bootstrap servers, then `[kafka.client]` verbatim
/// (security.protocol, sasl.*, ssl.*, …). Pass-through comes last so an operator can override
/// any default we set — except the few that the guarantees depend on, which callers set after.
pub fn base(config: &Config) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", &config.kafka.brokers);
    // librdkafka's own log lines go through `ClientContext::log` into tracing.
    c.set("log.connection.close", "false");
    for (k, v) in &config.kafka.client {
        c.set(k, v);
    }
    c
}

/// The processor's group consumer. Offsets are never committed automatically: in
/// exactly-once mode they travel inside the producer's transaction, in at-least-once mode they
/// are committed only after the outputs are acknowledged.
pub fn group_consumer(config: &Config, group: &str) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", &config.kafka.brokers);
    // Defaults an operator may override through [kafka.client].
    c.set("auto.offset.reset", "earliest");
    // Incremental rebalancing: only partitions that actually move are revoked, so the state of
    // the partitions an instance keeps is not dropped and restored on every membership change.
    c.set("partition.assignment.strategy", "cooperative-sticky");
    for (k, v) in &config.kafka.client {
        c.set(k, v);
    }
    c.set("group.id", group);
    c.set("enable.auto.commit", "false");
    c.set("enable.auto.offset.store", "false");
    // Upstream producers may be transactional themselves; never process their aborted data.
    c.set("isolation.level", "read_committed");
    c
}

/// A consumer outside any group that reads `story.state` partitions it assigns itself.
pub fn state_reader(config: &Config) -> ClientConfig {
    let mut c = base(config);
    c.set("group.id", "redline-state-restore-unused");
    c.set("enable.auto.commit", "false");
    c.set("enable.auto.offset.store", "false");
    c.set("auto.offset.reset", "earliest");
    c.set("enable.partition.eof", "true");
    // State written by a transaction that later aborted must never be restored.
    c.set("isolation.level", "read_committed");
    c
}

/// The output producer. Exactly-once: transactional (which implies idempotence), with a
/// `transactional.id` that is stable per instance so a restart fences the previous incarnation.
/// At-least-once: idempotent, so broker retries never duplicate or reorder within a partition.
pub fn producer(config: &Config, guarantee: Guarantee, transactional_id: &str) -> ClientConfig {
    let mut c = base(config);
    c.set("enable.idempotence", "true");
    c.set("acks", "all");
    match guarantee {
        Guarantee::ExactlyOnce => {
            c.set("transactional.id", transactional_id);
        }
        // At-least-once waits for acknowledgements without polling the consumer (closing a
        // batch waits for the one in flight: its outputs, then its state, each up to
        // message.timeout.ms, then its offset commit). librdkafka's default (300 s, the same as
        // max.poll.interval.ms) lets that wait outlast the poll interval, and the member is
        // dropped from the group. 60 s, what exactly-once gets from transaction.timeout.ms,
        // keeps the whole wait below it. A default: [kafka.client] may set either name.
        Guarantee::AtLeastOnce => {
            let configured = ["message.timeout.ms", "delivery.timeout.ms"]
                .iter()
                .any(|k| config.kafka.client.contains_key(*k));
            if !configured {
                c.set("message.timeout.ms", AT_LEAST_ONCE_MESSAGE_TIMEOUT_MS);
            }
        }
    }
    c
}

/// At-least-once's default `message.timeout.ms`; see [`producer`].
pub const AT_LEAST_ONCE_MESSAGE_TIMEOUT_MS: &str = "60000";

/// `processing.transactional_id` when set, else `redline-<group>-<instance>`. The instance is
/// `--instance` / `REDLINE_INSTANCE`, else the host name: stable across restarts of one pod or
/// host, distinct between instances, which is what zombie fencing needs.
pub fn transactional_id(config: &Config, group: &str, instance: &str) -> String {
    match &config.processing.transactional_id {
        Some(id) if !id.trim().is_empty() => id.clone(),
        _ => format!("redline-{group}-{instance}"),
    }
}

/// The host name, for the default instance id.
pub fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .or_else(|| {
            std::fs::read_to_string("/proc/sys/kernel/hostname")
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|h| !h.is_empty())
        })
        .unwrap_or_else(|| "localhost".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transactional_id_is_configured_or_derived_from_group_and_instance() {
        let mut c = Config::default();
        assert_eq!(transactional_id(&c, "g", "host-1"), "redline-g-host-1");
        c.processing.transactional_id = Some("fixed".into());
        assert_eq!(transactional_id(&c, "g", "host-1"), "fixed");
    }

    #[test]
    fn guarantee_critical_settings_win_over_pass_through() {
        let mut c = Config::default();
        c.kafka
            .client
            .insert("enable.auto.commit".into(), "true".into());
        c.kafka
            .client
            .insert("security.protocol".into(), "plaintext".into());
        let cc = group_consumer(&c, "g");
        assert_eq!(cc.get("enable.auto.commit"), Some("false"));
        assert_eq!(cc.get("security.protocol"), Some("plaintext"));
        assert_eq!(cc.get("isolation.level"), Some("read_committed"));
        let p = producer(&c, Guarantee::ExactlyOnce, "t");
        assert_eq!(p.get("transactional.id"), Some("t"));
        assert_eq!(
            producer(&c, Guarantee::AtLeastOnce, "t").get("transactional.id"),
            None
        );
    }

    #[test]
    fn at_least_once_producer_gives_up_on_a_record_well_within_the_poll_interval() {
        let mut c = Config::default();
        let alo = producer(&c, Guarantee::AtLeastOnce, "t");
        let timeout: u64 = alo.get("message.timeout.ms").unwrap().parse().unwrap();
        // librdkafka's max.poll.interval.ms default: outputs, then state, then the commit
        // (at most a minute of retries) must all fit in it.
        assert!(2 * timeout + 60_000 < 300_000, "{timeout}");
        // Exactly-once leaves it to transaction.timeout.ms (librdkafka refuses a larger one).
        let eos = producer(&c, Guarantee::ExactlyOnce, "t");
        assert_eq!(eos.get("message.timeout.ms"), None);
        // An operator's value wins, under either name.
        c.kafka
            .client
            .insert("delivery.timeout.ms".into(), "120000".into());
        let alo = producer(&c, Guarantee::AtLeastOnce, "t");
        assert_eq!(alo.get("message.timeout.ms"), None);
        assert_eq!(alo.get("delivery.timeout.ms"), Some("120000"));
    }
}
