//! The audit HTML page in a real headless browser (Debian's `chromium`, installed by
//! `scripts/install-test-deps`): the page loads, the DOM the browser builds shows the expected
//! `<ins>`/`<del>` marks and events, nothing runs (no script errors, markup from the story stays
//! text), and a screenshot is kept in `target/test-artifacts/`.
//!
//! Skips loudly when chromium is absent, unless `REDLINE_REQUIRE_BROWSER=1` (set by `.ci/run`),
//! where its absence fails the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn redline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_redline"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("REDLINE_BROKERS");
    c
}

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("REDLINE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chromium"))
            .find(|p| p.is_file())
    })
}

fn check(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The example story's page (full text, events) and a page of a story full of markup.
fn pages(dir: &Path) -> (PathBuf, PathBuf) {
    let input = repo("examples/harbour-city-talks.jsonl");
    let ev = dir.join("events.jsonl");
    let rv = dir.join("revisions.jsonl");
    check(
        &redline()
            .arg("replay")
            .arg(&input)
            .arg("--out")
            .arg(&ev)
            .arg("--revisions")
            .arg(&rv)
            .output()
            .unwrap(),
    );
    let page = dir.join("audit.html");
    check(
        &redline()
            .args(["audit", "harbour-city-talks", "--file"])
            .arg(&rv)
            .arg("--events")
            .arg(&ev)
            .arg("--versions")
            .arg(&input)
            .arg("--html")
            .arg(&page)
            .output()
            .unwrap(),
    );

    let evil_in = dir.join("evil.jsonl");
    let lines = [
        serde_json::json!({"story_id": "evil", "version": 1, "headline": "Council meets",
            "body": "The council met on Monday."}),
        serde_json::json!({"story_id": "evil", "version": 2,
            "headline": "Council meets <script>document.title='owned'</script>",
            "body": "The council met on Monday.\n\n\"<img src=x onerror=\"document.title='img'\">\" was posted, Mayor Jones said. <script>throw new Error('ran')</script>"}),
    ];
    let body: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    std::fs::write(&evil_in, body.join("\n") + "\n").unwrap();
    let eev = dir.join("evil-events.jsonl");
    let erv = dir.join("evil-revisions.jsonl");
    check(
        &redline()
            .arg("replay")
            .arg(&evil_in)
            .arg("--out")
            .arg(&eev)
            .arg("--revisions")
            .arg(&erv)
            .output()
            .unwrap(),
    );
    let evil = dir.join("evil.html");
    check(
        &redline()
            .args(["audit", "evil", "--file"])
            .arg(&erv)
            .arg("--events")
            .arg(&eev)
            .arg("--versions")
            .arg(&evil_in)
            .arg("--html")
            .arg(&evil)
            .output()
            .unwrap(),
    );
    (page, evil)
}

/// Run headless chromium with `args` on `page`: (stdout, stderr). Killed after 90 s.
fn run_chromium(bin: &Path, page: &Path, args: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let stdout_path = out_dir.path().join("stdout");
    let stderr_path = out_dir.path().join("stderr");
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let err = std::fs::read_to_string(&stderr_path).unwrap_or_default();
            assert!(status.success(), "chromium exited with {status}:\n{err}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish in 90 s:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (
        std::fs::read_to_string(&stdout_path).unwrap(),
        std::fs::read_to_string(&stderr_path).unwrap(),
    )
}

fn no_script_errors(stderr: &str) {
    for bad in ["Uncaught", "CONSOLE", "Refused to", "ERR_FILE_NOT_FOUND"] {
        assert!(
            !stderr.contains(bad),
            "browser log mentions {bad:?}:\n{stderr}"
        );
    }
}

#[test]
fn audit_page_renders_marks_and_events_in_headless_chromium() {
    let Some(bin) = chromium() else {
        let msg = "chromium is not installed: the browser test of the audit page did NOT run \
                   (install it with scripts/install-test-deps)";
        if std::env::var("REDLINE_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (page, evil) = pages(dir.path());

    // The DOM as the browser built it.
    let (dom, log) = run_chromium(&bin, &page, &["--dump-dom".to_string()]);
    no_script_errors(&log);
    assert!(
        dom.contains("<title>redline: harbour-city-talks</title>"),
        "{dom}"
    );
    assert_eq!(
        dom.matches("<section class=\"version\"").count(),
        5,
        "{dom}"
    );
    assert!(
        dom.contains("At least <del>8</del><ins>11</ins> people were killed"),
        "{dom}"
    );
    assert!(dom.contains("<ins>"), "{dom}");
    assert!(
        dom.contains("<span class=\"kind\">quote.added</span>"),
        "{dom}"
    );
    assert!(dom.contains("quote by <b>Okafor</b>"), "{dom}");
    assert!(dom.contains("<span class=\"sev\">high</span>"), "{dom}");
    assert!(!dom.contains("<script"), "{dom}");

    // A story full of markup: shown as text, nothing executed.
    let (evil_dom, evil_log) = run_chromium(&bin, &evil, &["--dump-dom".to_string()]);
    no_script_errors(&evil_log);
    assert!(
        evil_dom.contains("<title>redline: evil</title>"),
        "a script ran: {evil_dom}"
    );
    assert!(!evil_dom.contains("<script"), "{evil_dom}");
    assert!(!evil_dom.contains("<img"), "{evil_dom}");
    assert!(
        evil_dom.contains("&lt;script&gt;document.title="),
        "{evil_dom}"
    );

    // The screenshot, kept for people to look at.
    let artifacts = repo("target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let shot = artifacts.join("audit.png");
    let _ = std::fs::remove_file(&shot);
    let (_, shot_log) = run_chromium(
        &bin,
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400".to_string(),
            "--hide-scrollbars".to_string(),
        ],
    );
    no_script_errors(&shot_log);
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    // A blank page compresses to a few KB; the rendered page with text and marks does not.
    assert!(
        png.len() > 30_000,
        "screenshot looks blank ({} bytes)",
        png.len()
    );
    std::fs::copy(&page, artifacts.join("audit.html")).unwrap();
    eprintln!("screenshot: {}", shot.display());
}
