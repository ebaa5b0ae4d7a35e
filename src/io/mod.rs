//! File adapters: JSONL replay (the embedded pipeline) and the two-file `diff`. The same engine
//! runs here as behind Kafka; only where records come from and go to differs.

use crate::config::Limits;
use crate::engine::Engine;
use crate::input;
use crate::model::{ChangeEvent, Origin, StoryState, StoryVersion};
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

/// The current time as RFC 3339, the only clock read of the file pipeline.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ReplaySummary {
    pub versions: u64,
    pub events: u64,
    pub rejected: u64,
}

/// Run every line of `input` through the engine, in order, keeping per-story state in memory.
/// A bad line is reported through `warn` (with its line number and reason) and skipped.
pub fn replay(
    engine: &Engine,
    limits: &Limits,
    input: impl BufRead,
    name: &str,
    mut events_out: impl Write,
    mut revisions_out: Option<impl Write>,
    warn: &mut dyn FnMut(String),
) -> Result<ReplaySummary> {
    let mut states: HashMap<String, StoryState> = HashMap::new();
    let mut summary = ReplaySummary::default();
    for (i, line) in input.split(b'\n').enumerate() {
        let line_no = i as u64 + 1;
        let line = line.with_context(|| format!("reading {name}"))?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let version = match input::parse_version(&line, limits.max_input_bytes) {
            Ok(v) => v,
            Err(e) => {
                summary.rejected += 1;
                warn(format!("{name}:{line_no}: skipped: {e}"));
                continue;
            }
        };
        let origin = Origin {
            line: Some(line_no),
            ..Origin::default()
        };
        let outcome = engine.process(
            states.get(&version.story_id),
            &version,
            &origin,
            &now_rfc3339(),
        );
        summary.versions += 1;
        for e in &outcome.events {
            serde_json::to_writer(&mut events_out, e)?;
            events_out.write_all(b"\n")?;
            summary.events += 1;
        }
        if let Some(out) = revisions_out.as_mut() {
            serde_json::to_writer(&mut *out, &outcome.revision)?;
            out.write_all(b"\n")?;
        }
        states.insert(version.story_id.clone(), outcome.state);
    }
    events_out.flush()?;
    if let Some(out) = revisions_out.as_mut() {
        out.flush()?;
    }
    Ok(summary)
}

/// A version from a file: a story-version JSON object, or plain text (the body).
pub fn read_version_file(path: &Path, limits: &Limits) -> Result<StoryVersion> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let looks_json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if looks_json {
        return input::parse_version(&bytes, limits.max_input_bytes)
            .map_err(|e| crate::UsageError(format!("{}: {e}", path.display())).into());
    }
    let body = String::from_utf8(bytes)
        .map_err(|_| crate::UsageError(format!("{}: not valid UTF-8", path.display())))?;
    Ok(StoryVersion {
        story_id: "diff".into(),
        body: Some(body),
        ..StoryVersion::default()
    })
}

/// The events of `new` against `old`, as JSONL or a readable (optionally coloured) report.
pub fn diff_report(
    engine: &Engine,
    old: &StoryVersion,
    new: &StoryVersion,
    json: bool,
    color: bool,
) -> String {
    let events = diff_events(engine, old, new);
    let mut out = String::new();
    if json {
        for e in &events {
            out.push_str(&serde_json::to_string(e).expect("events serialise"));
            out.push('\n');
        }
        return out;
    }
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    if events.is_empty() {
        out.push_str("no changes of information\n");
    }
    for e in &events {
        let mut head = format!("{} [{}]", e.kind, e.severity.as_str());
        if !e.categories.is_empty() {
            head.push_str(&format!(" {}", e.categories.join(", ")));
        }
        if let Some(loc) = e.location {
            head.push_str(&format!(
                "  (paragraph {}, sentence {})",
                loc.paragraph, loc.sentence
            ));
        }
        out.push_str(&paint("1", &head));
        out.push('\n');
        if let Some(b) = &e.before {
            out.push_str(&paint("31", &format!("  - {b}")));
            out.push('\n');
        }
        if let Some(a) = &e.after {
            out.push_str(&paint("32", &format!("  + {a}")));
            out.push('\n');
        }
        if let Some(q) = &e.quote {
            out.push_str(&format!(
                "  quote by {}: {}\n",
                q.speaker.as_deref().unwrap_or("(unknown)"),
                q.text
            ));
        }
        for n in &e.numbers {
            out.push_str(&format!(
                "  figure: {} → {}\n",
                n.before.as_deref().unwrap_or("∅"),
                n.after.as_deref().unwrap_or("∅")
            ));
        }
    }
    out
}

/// `new` against `old` as two consecutive versions of one story.
pub fn diff_events(engine: &Engine, old: &StoryVersion, new: &StoryVersion) -> Vec<ChangeEvent> {
    let now = now_rfc3339();
    let mut old = old.clone();
    let mut new = new.clone();
    new.story_id = old.story_id.clone();
    old.version = Some(old.version.unwrap_or(1));
    new.version = Some(
        new.version
            .filter(|&n| n > old.version.unwrap_or(1))
            .unwrap_or(old.version.unwrap_or(1) + 1),
    );
    let first = engine.process(None, &old, &Origin::default(), &now);
    engine
        .process(Some(&first.state), &new, &Origin::default(), &now)
        .events
}
