//! Criterion benchmarks of the engine on the pairs of `bench/pairs.rs` (BENCHMARKS.md).
//!
//! `engine/<pair>`: one `Engine::process` call for the second version, given the state the first
//! version left (what a new version of a live story costs: text model of both versions,
//! alignment, detection, classification, revision record). The first version is processed once,
//! outside the timing.
//! `stages/<pair>/build` and `stages/<pair>/align`: the two main steps of that call on their own
//! (text model of both versions; sentence alignment given both models), to show where time goes.

#[path = "../bench/pairs.rs"]
mod pairs;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
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

    let mut g = c.benchmark_group("engine");
    g.measurement_time(Duration::from_secs(5));
    for p in &all {
        let first = engine.process(None, &p.old, &origin, NOW);
        g.bench_function(p.name, |b| {
            b.iter(|| {
                engine.process(
                    black_box(Some(&first.state)),
                    black_box(&p.new),
                    &origin,
                    NOW,
                )
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("stages");
    g.measurement_time(Duration::from_secs(3));
    for p in &all {
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
