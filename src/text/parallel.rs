//! One large version's work shared across threads. Only where the pieces are independent
//! (paragraphs before the speaker context is applied, events once found) and the results are
//! taken in input order, so the output is the same on any number of threads.

use rayon::prelude::*;

/// Below this much text a version is worked on one thread: a news story is a few KiB, and
/// splitting its work would cost more than it saves (in `redline run`, stories already run
/// side by side on the engine threads).
pub const MIN_BYTES: usize = 32 * 1024;

/// How much text [`pipeline`] prepares ahead of what is being consumed.
const CHUNK_BYTES: usize = 16 * 1024;

/// Below this many events, their classification is done on one thread.
const MIN_EVENTS: usize = 64;

thread_local! {
    static ONE_THREAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `f`, with every version it processes worked on this thread alone, however large: the same
/// outcome (a test holds the two to each other), for a caller that already runs one story
/// per thread and wants no more.
pub fn on_this_thread<R>(f: impl FnOnce() -> R) -> R {
    let before = ONE_THREAD.replace(true);
    let out = f();
    ONE_THREAD.set(before);
    out
}

/// Do these texts hold enough to share their work across threads?
pub fn is_large<T: AsRef<str>>(texts: &[T]) -> bool {
    !ONE_THREAD.get() && texts.iter().map(|t| t.as_ref().len()).sum::<usize>() >= MIN_BYTES
}

/// Are there enough events to classify them on all threads?
pub fn is_many(events: usize) -> bool {
    !ONE_THREAD.get() && events >= MIN_EVENTS
}

/// `f` over `items`, in order; on all threads when `large`.
pub fn map<T, R, F>(items: &[T], large: bool, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    if large {
        items.par_iter().with_min_len(4).map(f).collect()
    } else {
        items.iter().map(f).collect()
    }
}

/// `consume(prepare(t))` for each of `texts`, in order. On a large input the texts are
/// prepared a chunk ahead, on the other threads, while the chunk before is consumed.
pub fn pipeline<T, R, P, C>(texts: &[T], prepare: P, mut consume: C)
where
    T: AsRef<str> + Sync,
    R: Send,
    P: Fn(&T) -> R + Sync + Send,
    C: FnMut(R) + Send,
{
    if !is_large(texts) {
        texts.iter().for_each(|t| consume(prepare(t)));
        return;
    }
    let mut chunks = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, t) in texts.iter().enumerate() {
        size += t.as_ref().len();
        if size >= CHUNK_BYTES {
            chunks.push(&texts[start..=i]);
            (start, size) = (i + 1, 0);
        }
    }
    chunks.push(&texts[start..]);
    let prepare_chunk =
        |c: &[T]| -> Vec<R> { c.par_iter().with_min_len(4).map(&prepare).collect() };
    let mut ready = prepare_chunk(chunks[0]);
    for next in &chunks[1..] {
        let consume = &mut consume;
        let (_, prepared) = rayon::join(
            move || ready.into_iter().for_each(consume),
            || prepare_chunk(next),
        );
        ready = prepared;
    }
    ready.into_iter().for_each(consume);
}
