//! Criterion benchmarks of the engine on the pairs of `bench/pairs.rs` (BENCHMARKS.md).
//!
//! `engine/<pair>`: one `Engine::process` call for the second version, given the state the first
//! version left, with the first version's analysis still in the engine (what a new version of a
//! live story costs: text model of the new version, alignment, detection, classification,
//! revision record). The first version is processed in the untimed setup of every iteration.
//! `engine-cold/<pair>`: the same call when the engine holds no analysis of the first version
//! (both versions are analysed), as after a restart when the state is restored from
//! `story.state`.
//! `stages/<pair>/build` and `stages/<pair>/align`: the two main steps of that call on their own
//! (text model of both versions; sentence alignment given both models), to show where time goes.

#[path = "../bench/pairs.rs"]
mod pairs;

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use redline::engine::Engine;
use redline::model::Origin;
use redline::text::Document;
use std::time::Duration;

const NOW: &str = "2026-11-27T12:00:00Z";

fn benches(c: &mut Criterion) {
    let engine = Engine::with_defaults();
    let origin = Origin::default();
    let all = pairs::all_pairs();
    // Keep the pairs the Python baseline reads in step with the ones measured here.
    pairs::write_pairs(&all, &pairs::default_out_dir()).expect("write bench/out/pairs");

    // The production path: the previous version was analysed when it arrived (the engine keeps
    // that analysis), only the new version is analysed now. The setup (untimed) processes the
    // old version, which leaves its analysis in the engine's cache for the timed call to take.
    let mut g = c.benchmark_group("engine");
    g.measurement_time(Duration::from_secs(5));
    for p in &all {
        g.sample_size(if p.name == "scattered-1m" { 10 } else { 100 });
        g.bench_function(p.name, |b| {
            b.iter_batched_ref(
                || engine.process(None, &p.old, &origin, NOW).state,
                |state| engine.process(black_box(Some(&*state)), black_box(&p.new), &origin, NOW),
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();

    // Both versions analysed in the timed call, as when the engine holds no analysis of the
    // previous version (after a restart or a rebalance, the state restored from `story.state`).
    // The state's content hash is replaced so the engine's cache cannot supply the old analysis.
    let mut g = c.benchmark_group("engine-cold");
    g.measurement_time(Duration::from_secs(5));
    for p in &all {
        g.sample_size(if p.name == "scattered-1m" { 10 } else { 100 });
        let mut state = engine.process(None, &p.old, &origin, NOW).state;
        state.content_hash = "not-cached".into();
        g.bench_function(p.name, |b| {
            b.iter(|| engine.process(black_box(Some(&state)), black_box(&p.new), &origin, NOW))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("stages");
    g.measurement_time(Duration::from_secs(3));
    for p in &all {
        g.sample_size(if p.name == "scattered-1m" { 10 } else { 100 });
        let (oh, op) = engine.text_of(&p.old);
        let (nh, np) = engine.text_of(&p.new);
        g.bench_function(format!("{}/build", p.name), |b| {
            b.iter(|| {
                (
                    Document::build(black_box(&oh), black_box(&op)),
                    Document::build(black_box(&nh), black_box(&np)),
                )
            })
        });
        let (od, nd) = (Document::build(&oh, &op), Document::build(&nh, &np));
        g.bench_function(format!("{}/align", p.name), |b| {
            b.iter(|| {
                redline::diff::align(
                    black_box(&od),
                    black_box(&nd),
                    engine.limits.max_pair_comparisons,
                )
            })
        });
    }
    g.finish();
}

criterion_group!(engine_benches, benches);
criterion_main!(engine_benches);
