//! `redline audit` on the files `replay` writes: the timeline, the hash-chain check (passes on
//! a real replay, fails naming the record when one is altered, removed or re-linked), and the
//! HTML redline page (marks, events, escaping, self-containedness).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const STORY: &str = "harbour-city-talks";

fn redline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_redline"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("REDLINE_BROKERS");
    c
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `replay` over `input`: (events file, revisions file).
fn replay(input: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let ev = dir.join("events.jsonl");
    let rv = dir.join("revisions.jsonl");
    let out = redline()
        .arg("replay")
        .arg(input)
        .arg("--out")
        .arg(&ev)
        .arg("--revisions")
        .arg(&rv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    (ev, rv)
}

fn audit(args: &[&str], files: &[(&str, &Path)]) -> Output {
    let mut c = redline();
    c.arg("audit").args(args);
    for (flag, path) in files {
        c.arg(flag).arg(path);
    }
    c.output().unwrap()
}

fn lines(p: &Path) -> Vec<Value> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write_lines(p: &Path, values: &[Value]) {
    let body: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    std::fs::write(p, body.join("\n") + "\n").unwrap();
}

#[test]
fn verify_passes_on_a_real_replay_output() {
    let dir = tempfile::tempdir().unwrap();
    let (_, rv) = replay(&repo("examples/harbour-city-talks.jsonl"), dir.path());
    let out = audit(&[STORY, "--verify"], &[("--file", &rv)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        format!("chain verified: story {STORY}, 5 records")
    );
}

#[test]
fn verify_passes_on_a_multi_story_corpus_replay_for_each_story() {
    // Real text with interleaved stories would be ideal; the corpus files are contiguous per
    // story, so take the first two stories of the Swedish corpus and interleave them.
    let corpus = repo("../shared/corpus/newsdiffs_se_2017.jsonl");
    let all = std::fs::read_to_string(&corpus).unwrap();
    let recs: Vec<Value> = all
        .lines()
        .take(40)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let first = recs[0]["story_id"].as_str().unwrap().to_string();
    let second = recs
        .iter()
        .map(|r| r["story_id"].as_str().unwrap())
        .find(|s| *s != first)
        .unwrap()
        .to_string();
    let a: Vec<&Value> = recs.iter().filter(|r| r["story_id"] == first).collect();
    let b: Vec<&Value> = recs.iter().filter(|r| r["story_id"] == second).collect();
    let mut mixed = Vec::new();
    for i in 0..a.len().max(b.len()) {
        mixed.extend(a.get(i).map(|v| (*v).clone()));
        mixed.extend(b.get(i).map(|v| (*v).clone()));
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    write_lines(&input, &mixed);
    let (_, rv) = replay(&input, dir.path());
    for (story, n) in [(&first, a.len()), (&second, b.len())] {
        let out = audit(&[story, "--verify"], &[("--file", &rv)]);
        assert_eq!(out.status.code(), Some(0), "{story}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains(&format!("{n} records")),
            "{}",
            text(&out.stdout)
        );
    }
}

#[test]
fn verify_fails_naming_the_record_whose_field_was_altered() {
    let dir = tempfile::tempdir().unwrap();
    let (_, rv) = replay(&repo("examples/harbour-city-talks.jsonl"), dir.path());
    let mut recs = lines(&rv);
    // Someone rewrites history: version 3 never changed the talks' length.
    let v3 = recs.iter_mut().find(|r| r["version"] == 3).unwrap();
    v3["diff"]["changed"][0]["after"] =
        Value::String("The talks are expected to last two days.".into());
    write_lines(&rv, &recs);
    let out = audit(&[STORY, "--verify"], &[("--file", &rv)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "story {STORY} version 3 (record 3, {}:3)",
            rv.display()
        )),
        "{err}"
    );
    assert!(err.contains("hash check failed"), "{err}");
}

#[test]
fn verify_fails_at_the_next_record_when_an_altered_record_was_rehashed() {
    let dir = tempfile::tempdir().unwrap();
    let (_, rv) = replay(&repo("examples/harbour-city-talks.jsonl"), dir.path());
    let mut recs = lines(&rv);
    // A careful forger fixes the altered record's own hash: the next record's link breaks.
    let mut r: redline::model::RevisionRecord = serde_json::from_value(recs[1].clone()).unwrap();
    r.event_ids.pop();
    r.hash = redline::engine::revision_hash(&r);
    recs[1] = serde_json::to_value(&r).unwrap();
    write_lines(&rv, &recs);
    let out = audit(&[STORY, "--verify"], &[("--file", &rv)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("story {STORY} version 3 (record 3")),
        "{err}"
    );
    assert!(err.contains("link check failed"), "{err}");
}

#[test]
fn verify_fails_when_a_record_was_removed_or_a_field_added() {
    let dir = tempfile::tempdir().unwrap();
    let (_, rv) = replay(&repo("examples/harbour-city-talks.jsonl"), dir.path());
    let recs = lines(&rv);

    let mut removed = recs.clone();
    removed.remove(3);
    write_lines(&rv, &removed);
    let out = audit(&[STORY, "--verify"], &[("--file", &rv)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("version 5 (record 4") && err.contains("link check"),
        "{err}"
    );

    let mut added = recs.clone();
    added[0]["reviewed_by"] = Value::String("nobody".into());
    write_lines(&rv, &added);
    let out = audit(&[STORY, "--verify"], &[("--file", &rv)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("version 1 (record 1")
            && err.contains("fields check")
            && err.contains("reviewed_by"),
        "{err}"
    );
}

#[test]
fn timeline_lists_each_version_with_status_counts_and_its_events() {
    let dir = tempfile::tempdir().unwrap();
    let (ev, rv) = replay(&repo("examples/harbour-city-talks.jsonl"), dir.path());
    let out = audit(&[STORY], &[("--file", &rv), ("--events", &ev)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let events = lines(&ev);
    assert!(
        stdout.starts_with(&format!(
            "story {STORY}: 5 revision records, {} events\n",
            events.len()
        )),
        "{stdout}"
    );
    let heads: Vec<&str> = stdout.lines().filter(|l| l.starts_with('v')).collect();
    assert_eq!(heads.len(), 5, "{stdout}");
    assert!(
        heads[0].starts_with("v1 ")
            && heads[0].contains("2025-03-11T09:00:00Z")
            && heads[0].contains("created")
    );
    assert!(heads[1].contains("changed"), "{}", heads[1]);
    // v2: a casualty figure changed, a typo fixed (cosmetic), a quote and a fact added.
    assert!(
        heads[1].contains(" +2 -0 ~2 >0 (1 cosmetic)"),
        "{}",
        heads[1]
    );
    // One line per event, with its id, kind, severity and the quote's speaker.
    for e in &events {
        let id = e["event_id"].as_str().unwrap();
        let line = stdout
            .lines()
            .find(|l| l.trim_start().starts_with(id))
            .unwrap_or_else(|| panic!("no line for {id}:\n{stdout}"));
        assert!(line.contains(e["kind"].as_str().unwrap()), "{line}");
        assert!(
            line.contains(&format!("[{}]", e["severity"].as_str().unwrap())),
            "{line}"
        );
        if let Some(sp) = e["quote"]["speaker"].as_str() {
            assert!(line.contains(&format!("speaker={sp}")), "{line}");
        }
    }
    // Without the events file the ids alone are listed.
    let bare = audit(&[STORY], &[("--file", &rv)]);
    let bare = text(&bare.stdout);
    assert!(bare.contains("      harbour-city-talks/2/2\n"), "{bare}");
}

#[test]
fn unknown_story_is_an_error_naming_the_story() {
    let dir = tempfile::tempdir().unwrap();
    let (_, rv) = replay(&repo("examples/harbour-city-talks.jsonl"), dir.path());
    let out = audit(&["no-such-story"], &[("--file", &rv)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no revision records of story \"no-such-story\""));
}

/// The page for the example story, with events, from the record diffs alone.
fn example_page(dir: &Path, versions: bool) -> String {
    let input = repo("examples/harbour-city-talks.jsonl");
    let (ev, rv) = replay(&input, dir);
    let html = dir.join("page.html");
    let mut files = vec![
        ("--file", rv.as_path()),
        ("--events", ev.as_path()),
        ("--html", html.as_path()),
    ];
    if versions {
        files.push(("--versions", input.as_path()));
    }
    let out = audit(&[STORY], &files);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::read_to_string(&html).unwrap()
}

#[test]
fn html_marks_word_changes_and_shows_events_beside_each_version() {
    let dir = tempfile::tempdir().unwrap();
    let page = example_page(dir.path(), false);
    // The casualty figure of v2, word-diffed.
    assert!(
        page.contains("At least <del>8</del><ins>11</ins> people were killed"),
        "{page}"
    );
    // An inserted sentence is marked whole; a removed one too (v4 drops the talks' length).
    assert!(page.contains("<ins>The talks are expected to last two days.</ins>"));
    assert!(page.contains("<del>The talks are expected to last three days.</del>"));
    // The headline change of v3.
    assert!(page.contains("<p class=\"headline\">Envoys <del>gather in Harbour City for talks on stalled aid convoys</del><ins>agree to resume aid deliveries after Harbour City talks</ins></p>"), "{page}");
    // Five version sections, and the events with kind, categories, severity and speaker.
    assert_eq!(page.matches("<section class=\"version\"").count(), 5);
    assert!(page
        .contains("<span class=\"kind\">quote.added</span> <span class=\"cats\">statement</span>"));
    assert!(page.contains("quote by <b>Okafor</b>"));
    assert!(page.contains("<span class=\"sev\">high</span><span class=\"kind\">number.changed</span> <span class=\"cats\">casualties</span>"), "{page}");
    // Self-contained: inline CSS, no script, nothing loaded from elsewhere.
    assert!(page.contains("<style>"));
    for forbidden in ["<script", "<link", "src=", "href=", "@import", "url("] {
        assert!(!page.contains(forbidden), "page contains {forbidden}");
    }
}

#[test]
fn html_with_versions_shows_full_text_with_marks_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let page = example_page(dir.path(), true);
    // v1 in full, unmarked; later versions in full with the figure marked inside its paragraph.
    let v2 = &page[page.find("id=\"v2\"").unwrap()..page.find("id=\"v3\"").unwrap()];
    assert!(v2.contains("<del>8</del><ins>11</ins>"), "{v2}");
    // Unchanged paragraphs of v2 are there unmarked (full text, not just the diff).
    let plain = v2.matches("<p>").count();
    assert!(plain >= 3, "expected unchanged paragraphs in v2:\n{v2}");
}

#[test]
fn html_renders_markup_from_the_story_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("evil.jsonl");
    let v1 = serde_json::json!({"story_id": "evil<b>", "version": 1, "headline": "Council meets",
        "body": "The council met on Monday."});
    let v2 = serde_json::json!({"story_id": "evil<b>", "version": 2, "headline": "Council meets <script>alert(1)</script>",
        "body": "The council met on Monday.\n\n\"<img src=x onerror=alert(2)>\" was posted, Mayor Jones said. <script>document.title='owned'</script>"});
    write_lines(&input, &[v1, v2]);
    let (ev, rv) = replay(&input, dir.path());
    let html = dir.path().join("evil.html");
    for versions in [false, true] {
        let mut c = redline();
        c.args(["audit", "evil<b>", "--file"])
            .arg(&rv)
            .arg("--events")
            .arg(&ev)
            .arg("--html")
            .arg(&html);
        if versions {
            c.arg("--versions").arg(&input);
        }
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let page = std::fs::read_to_string(&html).unwrap();
        assert!(!page.contains("<script"), "script tag leaked:\n{page}");
        assert!(!page.contains("<img"), "img tag leaked:\n{page}");
        assert!(!page.contains("<b>evil"), "story id leaked as markup");
        assert!(page.contains("&lt;script&gt;"), "{page}");
        assert!(
            page.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{page}"
        );
        assert!(page.contains("<title>redline: evil&lt;b&gt;</title>"));
    }
}
