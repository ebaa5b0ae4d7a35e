//! Where one `Engine::process` call spends its time, stage by stage, on the benchmark pairs
//! (medians over repeated runs). `cargo run --release --example stage_times [PAIR]`.
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
    let only = std::env::args().nth(1);
    let engine = Engine::with_defaults();
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
