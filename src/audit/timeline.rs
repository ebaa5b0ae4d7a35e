//! The plain-text timeline: one block per revision record, one line per event.

use super::StoryLog;
use crate::model::{ChangeEvent, RevisionRecord};
use std::fmt::Write as _;

/// `+inserted -removed ~changed (n cosmetic) >moved`
pub fn counts(r: &RevisionRecord) -> String {
    let d = &r.diff;
    let cosmetic = d.changed.iter().filter(|c| c.cosmetic).count();
    let mut s = format!(
        "+{} -{} ~{} >{}",
        d.inserted.len(),
        d.removed.len(),
        d.changed.len(),
        d.moved.len()
    );
    if cosmetic > 0 {
        let _ = write!(s, " ({cosmetic} cosmetic)");
    }
    if d.headline.is_some() {
        s.push_str(" headline");
    }
    if d.coarse {
        s.push_str(" coarse");
    }
    s
}

/// The time shown for a record: when the version was published, else when it was processed.
pub fn time_of(r: &RevisionRecord) -> &str {
    r.published_at.as_deref().unwrap_or(&r.processed_at)
}

fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// `kind [severity] categories  speaker: text`
pub fn event_line(e: &ChangeEvent) -> String {
    let mut s = format!("{} [{}]", e.kind, e.severity.as_str());
    if !e.categories.is_empty() {
        let _ = write!(s, " {}", e.categories.join(","));
    }
    if let Some(sp) = e.quote.as_ref().and_then(|q| q.speaker.as_deref()) {
        let _ = write!(s, " speaker={sp}");
    }
    let _ = write!(s, "  {}", one_line(&e.text, 100));
    s
}

pub fn render(log: &StoryLog) -> String {
    let mut out = String::new();
    let events: usize = log.records.iter().map(|r| r.value.event_ids.len()).sum();
    let _ = writeln!(
        out,
        "story {}: {} revision records, {} events",
        log.story_id,
        log.records.len(),
        events
    );
    for located in &log.records {
        let r = &located.value;
        let _ = writeln!(
            out,
            "v{:<4} {:<25} {:<9} {}",
            r.version,
            time_of(r),
            r.status.as_str(),
            counts(r)
        );
        for (id, e) in log.events_of(r) {
            match e {
                Some(e) => {
                    let _ = writeln!(out, "      {id}  {}", event_line(e));
                }
                None => {
                    let _ = writeln!(out, "      {id}");
                }
            }
        }
    }
    out
}
