//! The editor's redline page (`audit --html`): one self-contained HTML document (inline CSS,
//! no script, no external resource). Per version: the text with word-level insertions and
//! deletions marked `<ins>`/`<del>`, and beside it the events with kind, categories, severity
//! and quote speaker. Every string that comes from input goes through [`escape`].
//!
//! Two views of the text:
//! - default, from the revision record alone: the headline change and each sentence the diff
//!   recorded (changed sentences word-diffed, inserted ones all `<ins>`, removed ones all
//!   `<del>`, cosmetic changes and moves labelled as such);
//! - with the versions (`--versions`): the full text of each version, paragraph by paragraph,
//!   with every word-level difference from the previous accepted version marked in place
//!   (cosmetic edits included; the events column says which changes carried information).

use super::timeline::{counts, time_of};
use super::StoryLog;
use crate::model::{ChangeEvent, RevisionRecord, RevisionStatus, Severity, StoryVersion};
use similar::{ChangeTag, DiffOp, TextDiff};
use std::fmt::Write as _;

/// HTML-escape text for element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `before` → `after` as escaped HTML with word-level `<del>`/`<ins>` marks. A run of changed
/// words separated only by spaces becomes one deletion followed by one insertion, which reads
/// better than alternating single-word marks.
pub fn word_diff(before: &str, after: &str) -> String {
    let diff = TextDiff::from_words(before, after);
    let changes: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let mut out = String::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut String, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            let _ = write!(out, "<del>{}</del>", escape(del));
        }
        if !ins.is_empty() {
            let _ = write!(out, "<ins>{}</ins>", escape(ins));
        }
        del.clear();
        ins.clear();
    };
    for (i, &(tag, text)) in changes.iter().enumerate() {
        match tag {
            ChangeTag::Delete => del.push_str(text),
            ChangeTag::Insert => ins.push_str(text),
            ChangeTag::Equal => {
                let inside_a_run = (!del.is_empty() || !ins.is_empty())
                    && text.trim().is_empty()
                    && changes.get(i + 1).is_some_and(|n| n.0 != ChangeTag::Equal);
                if inside_a_run {
                    if !del.is_empty() {
                        del.push_str(text);
                    }
                    if !ins.is_empty() {
                        ins.push_str(text);
                    }
                    continue;
                }
                flush(&mut out, &mut del, &mut ins);
                out.push_str(&escape(text));
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

const CSS: &str = r#"
body{font:16px/1.5 Georgia,serif;margin:0;background:#f6f5f1;color:#1d1d1b}
header{background:#1d1d1b;color:#fff;padding:1em 2em}
header h1{margin:0;font-size:1.4em}
header p{margin:.2em 0 0;color:#ccc;font:14px/1.4 system-ui,sans-serif}
section.version{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5em;
 margin:1.2em 2em;padding:1em 1.4em;background:#fff;border:1px solid #ddd;border-radius:4px}
section.version>h2{grid-column:1/-1;margin:0;font:600 15px/1.4 system-ui,sans-serif;
 border-bottom:1px solid #eee;padding-bottom:.4em}
.status{display:inline-block;padding:0 .5em;border-radius:3px;background:#e8e8e8;margin-left:.5em}
.status-changed{background:#ffe9b3}.status-created{background:#cfe8ff}
.status-duplicate,.status-stale,.status-conflict{background:#f1d1d1}
.counts{color:#666;margin-left:.6em;font-weight:400}
.headline{font-size:1.25em;font-weight:700}
ins{background:#d4f7d4;color:#0b5d0b;text-decoration:none;border-bottom:2px solid #5cb85c}
del{background:#fbd9d9;color:#8a1010;text-decoration:line-through}
.label{font:12px system-ui,sans-serif;color:#777;text-transform:uppercase;letter-spacing:.04em;margin-right:.4em}
.cosmetic{color:#777}.moved{color:#555;font-style:italic}
.note{color:#777;font-style:italic}
ol.events{list-style:none;margin:0;padding:0;font:14px/1.45 system-ui,sans-serif}
ol.events li{border-left:4px solid #bbb;padding:.3em .6em;margin-bottom:.6em;background:#fafafa}
ol.events li.sev-high{border-color:#c0392b}ol.events li.sev-normal{border-color:#2980b9}
.kind{font-weight:700}.sev{float:right;font-size:12px;text-transform:uppercase}
.sev-high .sev{color:#c0392b}.cats{color:#555}.speaker{color:#333}
.etext{margin-top:.2em;color:#222}.eid{color:#999;font-size:12px}
"#;

fn status_class(s: RevisionStatus) -> String {
    format!("status status-{}", s.as_str())
}

fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::High => "sev-high",
        Severity::Normal => "sev-normal",
        Severity::Low => "sev-low",
    }
}

fn event_html(out: &mut String, id: &str, e: Option<&ChangeEvent>) {
    let Some(e) = e else {
        let _ = writeln!(out, "<li><span class=\"eid\">{}</span></li>", escape(id));
        return;
    };
    let _ = write!(
        out,
        "<li class=\"event {}\"><span class=\"sev\">{}</span><span class=\"kind\">{}</span>",
        sev_class(e.severity),
        e.severity.as_str(),
        escape(e.kind.as_str())
    );
    if !e.categories.is_empty() {
        let _ = write!(
            out,
            " <span class=\"cats\">{}</span>",
            escape(&e.categories.join(", "))
        );
    }
    if let Some(sp) = e.quote.as_ref().and_then(|q| q.speaker.as_deref()) {
        let _ = write!(
            out,
            "<div class=\"speaker\">quote by <b>{}</b></div>",
            escape(sp)
        );
    }
    let _ = write!(out, "<div class=\"etext\">{}</div>", escape(&e.text));
    if !e.numbers.is_empty() {
        let figs: Vec<String> = e
            .numbers
            .iter()
            .map(|n| {
                format!(
                    "{} → {}",
                    n.before.as_deref().unwrap_or("∅"),
                    n.after.as_deref().unwrap_or("∅")
                )
            })
            .collect();
        let _ = write!(
            out,
            "<div class=\"cats\">figures: {}</div>",
            escape(&figs.join("; "))
        );
    }
    let _ = writeln!(out, "<div class=\"eid\">{}</div></li>", escape(id));
}

/// The sentences the record's diff holds, marked.
fn sentence_view(out: &mut String, r: &RevisionRecord) {
    let d = &r.diff;
    if let Some(h) = &d.headline {
        let _ = writeln!(
            out,
            "<p class=\"headline\">{}</p>",
            word_diff(&h.before, &h.after)
        );
    }
    for c in &d.changed {
        let (class, label) = if c.cosmetic {
            ("s cosmetic", "cosmetic")
        } else {
            ("s changed", "changed")
        };
        let _ = writeln!(
            out,
            "<p class=\"{class}\"><span class=\"label\">{label}</span>{}</p>",
            word_diff(&c.before, &c.after)
        );
    }
    for s in &d.inserted {
        let _ = writeln!(
            out,
            "<p class=\"s inserted\"><span class=\"label\">added</span><ins>{}</ins></p>",
            escape(s)
        );
    }
    for s in &d.removed {
        let _ = writeln!(
            out,
            "<p class=\"s removed\"><span class=\"label\">removed</span><del>{}</del></p>",
            escape(s)
        );
    }
    for s in &d.moved {
        let _ = writeln!(
            out,
            "<p class=\"s moved\"><span class=\"label\">moved</span>{}</p>",
            escape(s)
        );
    }
    if d.headline.is_none()
        && d.changed.is_empty()
        && d.inserted.is_empty()
        && d.removed.is_empty()
        && d.moved.is_empty()
    {
        let _ = writeln!(out, "<p class=\"note\">no sentence changed</p>");
    }
}

/// Headline and paragraphs of a version, as the engine sees them.
pub type TextOf<'a> = dyn Fn(&StoryVersion) -> (String, Vec<String>) + 'a;

/// The full text of `cur`, marked against `prev` (None: the first version, shown unmarked).
fn full_view(out: &mut String, prev: Option<(String, Vec<String>)>, cur: (String, Vec<String>)) {
    let Some((ph, pp)) = prev else {
        let _ = writeln!(out, "<p class=\"headline\">{}</p>", escape(&cur.0));
        for p in &cur.1 {
            let _ = writeln!(out, "<p>{}</p>", escape(p));
        }
        return;
    };
    let _ = writeln!(out, "<p class=\"headline\">{}</p>", word_diff(&ph, &cur.0));
    let (old, new) = (&pp, &cur.1);
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, old, new) {
        match op {
            DiffOp::Equal { new_index, len, .. } => {
                for p in &new[new_index..new_index + len] {
                    let _ = writeln!(out, "<p>{}</p>", escape(p));
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for p in &old[old_index..old_index + old_len] {
                    let _ = writeln!(out, "<p><del>{}</del></p>", escape(p));
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for p in &new[new_index..new_index + new_len] {
                    let _ = writeln!(out, "<p><ins>{}</ins></p>", escape(p));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let olds = &old[old_index..old_index + old_len];
                let news = &new[new_index..new_index + new_len];
                for k in 0..olds.len().max(news.len()) {
                    let html = match (olds.get(k), news.get(k)) {
                        (Some(o), Some(n)) => word_diff(o, n),
                        (Some(o), None) => format!("<del>{}</del>", escape(o)),
                        (None, Some(n)) => format!("<ins>{}</ins>", escape(n)),
                        (None, None) => unreachable!(),
                    };
                    let _ = writeln!(out, "<p>{html}</p>");
                }
            }
        }
    }
}

/// The whole page. `text_of` turns a version into headline and paragraphs (the engine's view);
/// it is used only when the log carries versions.
pub fn render(log: &StoryLog, text_of: &TextOf<'_>) -> String {
    let mut out = String::new();
    let title = format!("redline: {}", log.story_id);
    let events: usize = log.records.iter().map(|r| r.value.event_ids.len()).sum();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
         <header><h1>{}</h1><p>{} revisions · {} events · \
         <ins>inserted</ins> <del>deleted</del></p></header>\n<main>\n",
        escape(&title),
        escape(&log.story_id),
        log.records.len(),
        events
    );
    for located in &log.records {
        let r = &located.value;
        let _ = writeln!(
            out,
            "<section class=\"version\" id=\"v{}\">\n<h2>Version {} <span class=\"when\">{}</span>\
             <span class=\"{}\">{}</span><span class=\"counts\">{}</span></h2>",
            r.version,
            r.version,
            escape(time_of(r)),
            status_class(r.status),
            r.status.as_str(),
            escape(&counts(r))
        );
        out.push_str("<div class=\"text\">\n");
        let accepted = matches!(
            r.status,
            RevisionStatus::Created
                | RevisionStatus::Changed
                | RevisionStatus::Cosmetic
                | RevisionStatus::Moved
        );
        let versions = log.versions.as_ref();
        let cur = versions.and_then(|m| m.get(&r.version));
        let prev = r
            .previous_version
            .and_then(|p| versions.and_then(|m| m.get(&p)));
        match (accepted, cur) {
            (false, _) => {
                let _ = writeln!(
                    out,
                    "<p class=\"note\">{} version: not applied, no events</p>",
                    r.status.as_str()
                );
            }
            (true, Some(cur)) if r.previous_version.is_none() || prev.is_some() => {
                full_view(&mut out, prev.map(text_of), text_of(cur));
            }
            (true, _) if r.status == RevisionStatus::Created => {
                let _ = writeln!(out, "<p class=\"note\">first version</p>");
            }
            (true, _) => sentence_view(&mut out, r),
        }
        out.push_str("</div>\n<ol class=\"events\">\n");
        let evs = log.events_of(r);
        if evs.is_empty() {
            out.push_str("<li class=\"note\">no events</li>\n");
        }
        for (id, e) in evs {
            event_html(&mut out, id, e);
        }
        out.push_str("</ol>\n</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_turns_markup_into_text() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn word_diff_marks_only_the_changed_words() {
        assert_eq!(
            word_diff(
                "Eight people died in the fire.",
                "Eleven people died in the fire."
            ),
            "<del>Eight</del><ins>Eleven</ins> people died in the fire."
        );
        assert_eq!(
            word_diff("a <b> c", "a <i> c"),
            "a <del>&lt;b&gt;</del><ins>&lt;i&gt;</ins> c"
        );
    }
}
