//! Test input: every version of the example story and of both shared corpus files, for the
//! tests that hold a fast path to its reference on real text.

/// The versions as JSON values, in file order; panics naming a file that cannot be read.
pub fn versions() -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for name in [
        "examples/harbour-city-talks.jsonl",
        "../shared/corpus/newsdiffs_se_2017.jsonl",
        "../shared/corpus/govuk_gitgovuk.jsonl",
    ] {
        let path = format!("{}/{name}", env!("CARGO_MANIFEST_DIR"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("corpus file {path}: {e}"));
        out.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}: {e}"))),
        );
    }
    out
}
