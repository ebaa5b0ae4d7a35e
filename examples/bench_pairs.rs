//! Writes the benchmark pairs (see `bench/pairs.rs`) to `bench/out/pairs/*.json`, for the Python
//! baseline `bench/difflib_baseline.py`. Usage: `cargo run --release --example bench_pairs [DIR]`.

#[path = "../bench/pairs.rs"]
mod pairs;

fn main() -> std::io::Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(pairs::default_out_dir);
    let all = pairs::all_pairs();
    pairs::write_pairs(&all, &dir)?;
    for p in &all {
        println!(
            "{:<20} {:>9} -> {:>9} bytes  {}",
            p.name,
            p.old_bytes(),
            p.new_bytes(),
            p.description
        );
    }
    println!("wrote {} pairs to {}", all.len(), dir.display());
    Ok(())
}
