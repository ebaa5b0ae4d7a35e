//! Where one `Engine::process` call spends its time, stage by stage, on the benchmark pairs
//! (medians over repeated runs). `cargo run --release --example stage_times [PAIR]`.
//! `stage_times PAIR --loop N` only repeats the timed `process` call N times, for `perf record`;
//! `stage_times PAIR --build N` repeats a fresh analysis of the pair's new version.
#[path = "../bench/pairs.rs"]
mod pairs;

use redline::engine::{content_hash, Engine};
use redline::model::Origin;
use redline::text::Document;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let only = args.get(1).cloned();
    let engine = Engine::with_defaults();
    if let (Some(name), Some(mode), Some(n)) = (
        only.as_deref(),
        args.get(2).map(String::as_str),
        args.get(3).and_then(|n| n.parse::<usize>().ok()),
    ) {
        let p = pairs::all_pairs()
            .into_iter()
            .find(|p| p.name == name)
            .expect("a pair name");
        match mode {
            "--build" => fresh_builds(&engine, &p, n),
            "--loop" => process_loop(&engine, &p, n),
            other => panic!("unknown mode {other:?}: --build N or --loop N"),
        }
        return;
    }
    let whole = |p: &str| engine.rules.is_whole_paragraph(p);
    for p in pairs::all_pairs() {
        if only.as_deref().is_some_and(|o| o != p.name) {
            continue;
        }
        let runs = if p.name == "scattered-1m" { 5 } else { 40 };
        let mut t: Vec<Vec<Duration>> = vec![Vec::new(); 8];
        for _ in 0..runs {
            let (oh, op) = engine.text_of(&p.old);
            let old = Document::build_with(&oh, &op, &whole, None);
            let mut stage = 0;
            let mut clock = Instant::now();
            let mut lap = |t: &mut Vec<Vec<Duration>>| {
                t[stage].push(clock.elapsed());
                stage += 1;
                clock = Instant::now();
            };
            let (nh, np) = engine.text_of(&p.new);
            lap(&mut t);
            let _h = content_hash(&nh, &np);
            lap(&mut t);
            let new = Document::build_with(&nh, &np, &whole, Some(&old));
            lap(&mut t);
            let al = redline::diff::align(&old, &new, engine.limits.max_pair_comparisons);
            lap(&mut t);
            let (findings, _diff) = redline::detect::findings(&old, &new, &al);
            lap(&mut t);
            let n = findings.len();
            for f in &findings {
                std::hint::black_box(engine.rules.classify(f.kind, &f.text));
            }
            lap(&mut t);
            let state = engine
                .process(None, &p.old, &Origin::default(), "now")
                .state;
            let c = Instant::now();
            std::hint::black_box(engine.process(Some(&state), &p.new, &Origin::default(), "now"));
            t[6].push(c.elapsed());
            t[7].push(Duration::from_nanos(n as u64));
        }
        let names = [
            "text_of",
            "content_hash",
            "build",
            "align",
            "findings",
            "classify",
            "process",
        ];
        print!("{:<20}", p.name);
        for (i, name) in names.iter().enumerate() {
            print!(" {name}={:?}", median(t[i].clone()));
        }
        println!(" findings={}", median(t[7].clone()).as_nanos());
    }
}

/// A fresh analysis of the pair's new version, `n` times: its cost per byte.
fn fresh_builds(engine: &Engine, p: &pairs::Pair, n: usize) {
    let (h, ps) = engine.text_of(&p.new);
    let whole = |p: &str| engine.rules.is_whole_paragraph(p);
    let clock = Instant::now();
    for _ in 0..n {
        std::hint::black_box(Document::build_with(&h, &ps, &whole, None));
    }
    let bytes: usize = ps.iter().map(String::len).sum();
    let per = clock.elapsed() / n as u32;
    println!(
        "{}: fresh build {per:?}, {:.3} µs/byte",
        p.name,
        per.as_secs_f64() * 1e6 / bytes as f64
    );
}

/// Old -> new, then new -> old (an edit undone costs about the same), `n` times each, against
/// the analysis the engine already holds, as in production.
fn process_loop(engine: &Engine, p: &pairs::Pair, n: usize) {
    let old = engine
        .process(None, &p.old, &Origin::default(), "now")
        .state;
    let new = engine
        .process(Some(&old), &p.new, &Origin::default(), "now")
        .state;
    let mut old_version = p.old.clone();
    old_version.version = None;
    for _ in 0..n {
        std::hint::black_box(engine.process(Some(&new), &old_version, &Origin::default(), "now"));
        std::hint::black_box(engine.process(Some(&old), &p.new, &Origin::default(), "now"));
    }
}
