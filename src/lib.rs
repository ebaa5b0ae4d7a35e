//! redline: finds which facts changed between versions of a live news story.
//!
//! The core is pure: [`engine::Engine::process`] maps `(previous state, new version, now)` to
//! `(events, revision record, new state)`. Everything that touches files, terminals or Kafka is
//! an adapter around it (`io`, `kafka`, `audit`).

/// The engine allocates many small strings and vectors per sentence: jemalloc serves them
/// faster than glibc's allocator and keeps less memory (BENCHMARKS.md; mimalloc was measured
/// too). Declared here so the binary, the benchmarks and the tests all run on the allocator
/// production uses.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

pub mod audit;
pub mod config;
pub mod detect;
pub mod diff;
pub mod engine;
pub mod input;
pub mod io;
pub mod kafka;
pub mod model;
pub mod text;

#[cfg(test)]
mod test_corpus;

/// A problem with how redline was invoked or configured: exits with code 2 (DESIGN §6).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
