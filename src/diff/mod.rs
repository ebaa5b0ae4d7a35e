//! Sentence alignment of two versions, in two steps: paragraphs by hash first, then sentences
//! inside changed paragraphs only. Sentences left over on both sides are matched as moves
//! (same words elsewhere), splits/joins, or pairs of rewordings by similarity; the pairing work is
//! bounded by a comparison count, never by a clock, so the same input always aligns the same way.

pub mod cosmetic;

use crate::text::{lexicon, token_bit, Document, Sentence, Token};
use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use similar::{capture_diff_slices, Algorithm, DiffOp};

/// Similarity comparisons allowed per version when pairing replaced sentences. 64 KB of
/// unrelated text is ~500 sentences a side (250,000 pairs); this caps it well under 10 ms.
pub const DEFAULT_MAX_PAIR_COMPARISONS: usize = 20_000;

/// Word-overlap (Dice) at or above which a removed and an inserted sentence are the same
/// sentence reworded; below it they are a removal plus an addition ("rewritten beyond
/// recognition"). Half the words in common.
pub const REWRITE_THRESHOLD: f64 = 0.5;

/// Paragraphs on either side without an equal counterpart above which the versions are
/// treated as unrelated (one replaced block) instead of diffed in sequence.
pub const MAX_DIFF_EDITS: usize = 4_000;

/// How many paragraph keys of either side have no equal on the other side (multiset).
fn unshared(a: &[u64], b: &[u64]) -> usize {
    let mut counts: HashMap<u64, i64> = HashMap::default();
    for k in a {
        *counts.entry(*k).or_default() += 1;
    }
    for k in b {
        *counts.entry(*k).or_default() -= 1;
    }
    counts.values().map(|c| c.unsigned_abs() as usize).sum()
}

/// How one old and/or new sentence fared. Indices are into `Document::sentences`.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Same information in the same place (the text may differ cosmetically).
    Same {
        old: usize,
        new: usize,
    },
    /// Same information elsewhere.
    Moved {
        old: usize,
        new: usize,
    },
    /// One old sentence is now two new ones with the same words, or two old ones are one.
    Split {
        old: usize,
        new: (usize, usize),
    },
    Joined {
        old: (usize, usize),
        new: usize,
    },
    /// A paragraph with the same words, cut into sentences differently.
    Resplit {
        old: std::ops::Range<usize>,
        new: std::ops::Range<usize>,
    },
    /// A reworded sentence: the engine decides whether the rewording is information.
    Paired {
        old: usize,
        new: usize,
    },
    /// Two old sentences reworded into one: a pair, and a neighbour of its old sentence whose
    /// words all went into the new one ("Eight died. The army will investigate." → "Eight
    /// died, but the army will not investigate.").
    PairedJoined {
        old: (usize, usize),
        new: usize,
    },
    /// One old sentence reworded into two: a pair, and a neighbour of its new sentence whose
    /// words all come from the old one.
    PairedSplit {
        old: usize,
        new: (usize, usize),
    },
    Removed {
        old: usize,
    },
    Inserted {
        new: usize,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Alignment {
    pub ops: Vec<Op>,
    /// A bound cut the pairing short: some rewordings are reported as removed + added.
    pub coarse: bool,
}

/// Align two documents. Ops come in the new document's order, removals placed before the
/// first surviving sentence that followed them.
pub fn align(old: &Document, new: &Document, max_pair_comparisons: usize) -> Alignment {
    let mut same: Vec<(usize, usize)> = Vec::new();
    let mut resplit: Vec<Op> = Vec::new();
    let mut hunks: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();

    let pk = |d: &Document| d.paragraphs.iter().map(|(_, k)| *k).collect::<Vec<u64>>();
    let (op_, np_) = (pk(old), pk(new));
    // Myers costs (N+M)·D. When the versions share little, D is large: skip the sequence diff
    // and treat everything as one replaced block (moves and pairing still apply, bounded).
    if unshared(&op_, &np_) > MAX_DIFF_EDITS {
        let ro: Vec<usize> = (0..old.sentences.len()).collect();
        let ins: Vec<usize> = (0..new.sentences.len()).collect();
        let mut matched = Matcher::new(old, new, max_pair_comparisons);
        matched.coarse = true;
        let hunks = vec![(ro, ins)];
        matched.moves(&hunks);
        matched.pairs(&hunks);
        return matched.finish(Vec::new());
    }
    let segs = segments(&op_, &np_);
    let (old_moved, new_moved) = moved_resplit_paragraphs(old, new, &segs, &mut resplit);
    for seg in segs {
        match seg {
            Segment::Equal(o, n) => {
                let (or, nr) = (old.paragraphs[o].0.clone(), new.paragraphs[n].0.clone());
                if or.len() == nr.len() {
                    same.extend(or.zip(nr));
                } else {
                    resplit.push(Op::Resplit { old: or, new: nr });
                }
            }
            Segment::Changed(o, n) => {
                let sentences = |d: &Document, ps: std::ops::Range<usize>, moved: &[bool]| {
                    ps.filter(|&p| !moved[p])
                        .flat_map(|p| d.paragraphs[p].0.clone())
                        .collect::<Vec<usize>>()
                };
                let (os, ns) = (sentences(old, o, &old_moved), sentences(new, n, &new_moved));
                let ok: Vec<u64> = os.iter().map(|&i| old.sentences[i].key).collect();
                let nk: Vec<u64> = ns.iter().map(|&i| new.sentences[i].key).collect();
                let mut ro = Vec::new();
                let mut ins = Vec::new();
                for sseg in segments(&ok, &nk) {
                    match sseg {
                        Segment::Equal(a, b) => same.push((os[a], ns[b])),
                        Segment::Changed(a, b) => {
                            ro.extend(a.map(|i| os[i]));
                            ins.extend(b.map(|i| ns[i]));
                        }
                    }
                }
                if !ro.is_empty() || !ins.is_empty() {
                    hunks.push((ro, ins));
                }
            }
        }
    }

    let mut matched = Matcher::new(old, new, max_pair_comparisons);
    for op in &resplit {
        if let Op::Resplit { old: o, new: n } = op {
            o.clone().for_each(|i| matched.old_done[i] = true);
            n.clone().for_each(|i| matched.new_done[i] = true);
        }
    }
    matched.found.extend(resplit);
    matched.moves(&hunks);
    matched.splits(&hunks);
    matched.pairs(&hunks);
    matched.absorb_neighbours();
    matched.finish(same)
}

/// A step of the sequence diff of two key lists.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    /// `a[i] == b[j]`, kept in place.
    Equal(usize, usize),
    /// Ranges of `a` and `b` (either may be empty) with no element kept in place.
    Changed(std::ops::Range<usize>, std::ops::Range<usize>),
}

/// The sequence diff of `a` and `b` (Myers, minimal), in order. Keys found on one side only can
/// never be kept, so they are dropped before Myers runs (as GNU diff does): its cost is
/// (N+M)·D, and two unrelated texts would otherwise make both N+M and D their whole length.
fn segments(a: &[u64], b: &[u64]) -> Vec<Segment> {
    let in_a: FxHashSet<u64> = a.iter().copied().collect();
    let in_b: FxHashSet<u64> = b.iter().copied().collect();
    let ia: Vec<usize> = (0..a.len()).filter(|&i| in_b.contains(&a[i])).collect();
    let ib: Vec<usize> = (0..b.len()).filter(|&j| in_a.contains(&b[j])).collect();
    let ka: Vec<u64> = ia.iter().map(|&i| a[i]).collect();
    let kb: Vec<u64> = ib.iter().map(|&j| b[j]).collect();
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let push_changed = |out: &mut Vec<Segment>, i: usize, j: usize, to_i: usize, to_j: usize| {
        if i < to_i || j < to_j {
            out.push(Segment::Changed(i..to_i, j..to_j));
        }
    };
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                let (o, n) = (ia[old_index + k], ib[new_index + k]);
                push_changed(&mut out, i, j, o, n);
                out.push(Segment::Equal(o, n));
                (i, j) = (o + 1, n + 1);
            }
        }
    }
    push_changed(&mut out, i, j, a.len(), b.len());
    out
}

/// Paragraphs that moved *and* are cut into sentences differently (a quote's dash spaced
/// differently can do that): same words, so a `Resplit`, not removals and additions. Equal
/// paragraph keys pair in order. Returns which old and new paragraphs are taken.
fn moved_resplit_paragraphs(
    old: &Document,
    new: &Document,
    segs: &[Segment],
    resplit: &mut Vec<Op>,
) -> (Vec<bool>, Vec<bool>) {
    let mut old_moved = vec![false; old.paragraphs.len()];
    let mut new_moved = vec![false; new.paragraphs.len()];
    let mut by_key: HashMap<u64, Vec<usize>> = HashMap::default();
    for seg in segs.iter().rev() {
        if let Segment::Changed(o, _) = seg {
            for p in o.clone().rev() {
                by_key.entry(old.paragraphs[p].1).or_default().push(p);
            }
        }
    }
    if by_key.is_empty() {
        return (old_moved, new_moved);
    }
    for seg in segs {
        let Segment::Changed(_, n) = seg else {
            continue;
        };
        for p in n.clone() {
            let (nr, key) = new.paragraphs[p].clone();
            let Some(o) = by_key.get_mut(&key).and_then(Vec::pop) else {
                continue;
            };
            let or = old.paragraphs[o].0.clone();
            // Same sentence count: the sentence-level move step sees it.
            if or.len() != nr.len() {
                old_moved[o] = true;
                new_moved[p] = true;
                resplit.push(Op::Resplit { old: or, new: nr });
            }
        }
    }
    (old_moved, new_moved)
}

/// The key of the sentence made of `a`, then the `link` word if any, then `b`, without
/// building it (see `text::key_of_hashes`).
fn joined_key(a: &[Token], link: Option<u64>, b: &[Token]) -> u64 {
    let hashes = a.iter().map(crate::text::token_hash);
    let rest = link
        .into_iter()
        .chain(b.iter().map(crate::text::token_hash));
    crate::text::key_of_hashes(
        a.len() + b.len() + link.is_some() as usize,
        hashes.chain(rest),
    )
}

/// Neighbours `(a, b)` in `parts` (of document `pd`) whose words, joined directly or by one of
/// the `links` (token hash, token bit), are those of a sentence `w` in `wholes` (of `wd`); as
/// `(w, (a, b))`, each sentence used once, none already done.
#[allow(clippy::too_many_arguments)]
fn joined_pairs(
    wd: &Document,
    w_done: &[bool],
    wholes: &[usize],
    pd: &Document,
    p_done: &[bool],
    parts: &[usize],
    links: &[(u64, u64)],
) -> Vec<(usize, (usize, usize))> {
    let keys: HashMap<u64, usize> = wholes
        .iter()
        .filter(|&&w| !w_done[w])
        .map(|&w| (wd.sentences[w].key, w))
        .collect();
    // A joined sentence has as many tokens as its parts (plus the link) and their token bits:
    // checked first, so the tokens of most neighbours are never hashed again.
    let shapes: FxHashSet<(usize, u64)> = keys
        .values()
        .map(|&w| (wd.sentences[w].tokens.len(), wd.sentences[w].token_bits))
        .collect();
    let mut used_w = FxHashSet::default();
    let mut used_p = FxHashSet::default();
    let mut out = Vec::new();
    for pair in parts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if p_done[a] || p_done[b] || used_p.contains(&a) || used_p.contains(&b) {
            continue;
        }
        let (sa, sb) = (&pd.sentences[a], &pd.sentences[b]);
        let (len, bits) = (
            sa.tokens.len() + sb.tokens.len(),
            sa.token_bits | sb.token_bits,
        );
        let direct = std::iter::once((None, (len, bits)));
        let linked = links
            .iter()
            .map(|&(h, bit)| (Some(h), (len + 1, bits | bit)));
        for (link, shape) in direct.chain(linked) {
            if !shapes.contains(&shape) {
                continue;
            }
            if let Some(&w) = keys.get(&joined_key(&sa.tokens, link, &sb.tokens)) {
                if used_w.insert(w) {
                    used_p.insert(a);
                    used_p.insert(b);
                    out.push((w, (a, b)));
                    break;
                }
            }
        }
    }
    out
}

/// Whether a sentence with tokens `part` (sorted hashes, two or more) went into `whole`
/// beside `kept`, the sentence paired with `whole`: all its words are in `whole` and it
/// brings some that `kept` lacks; or `kept` went whole into `whole` and the rest of `whole`
/// is `part` reworded (the threshold of a pair).
fn absorbed(part: &[u64], whole: &[u64], kept: &[u64]) -> bool {
    if part.len() < 2 {
        return false;
    }
    if is_sub_multiset(part, whole) {
        return !is_sub_multiset(part, kept);
    }
    is_sub_multiset(kept, whole) && dice(part, &remainder(whole, kept)) >= REWRITE_THRESHOLD
}

/// Sorted `big` without the elements of sorted `small` (as a multiset difference).
fn remainder(big: &[u64], small: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(big.len());
    let mut j = 0;
    for &x in big {
        while j < small.len() && small[j] < x {
            j += 1;
        }
        if j < small.len() && small[j] == x {
            j += 1;
        } else {
            out.push(x);
        }
    }
    out
}

/// Every element of sorted `small` is in sorted `big`, as often.
fn is_sub_multiset(small: &[u64], big: &[u64]) -> bool {
    let mut j = 0;
    for &x in small {
        while j < big.len() && big[j] < x {
            j += 1;
        }
        if j == big.len() || big[j] != x {
            return false;
        }
        j += 1;
    }
    true
}

/// Is `b` the short sentence `a` with only its figures (and their qualifiers) revised? Short
/// only: in a longer sentence the words left unchanged carry the overlap past the threshold.
fn is_figure_revision(a: &Sentence, b: &Sentence) -> bool {
    const SHORT: usize = 8;
    a.tokens.len() <= SHORT
        && b.tokens.len() <= SHORT
        && !a.figures.is_empty()
        && !b.figures.is_empty()
        && cosmetic::compare(&a.tokens, &b.tokens) == cosmetic::Verdict::NumbersOnly
}

/// Is `b` the toll of `a` revised in other words ("At least 12 people were killed." → "The
/// death toll rose to 15.")? Each counts the dead or hurt with one figure, and the figures
/// differ. Asked only within one changed passage, after every closer pair is taken: there a
/// count of the dead replaced by another is the same fact revised.
fn is_toll_revision(a: &Sentence, b: &Sentence) -> bool {
    // The figure counts the dead: a toll word near it ("12 people were killed", "omkom
    // tusentals", "the death toll has risen to 15"), and not a part of them ("two of the
    // injured").
    let counts_dead = |s: &Sentence| {
        let t = &s.tokens;
        let Some(f) = t.iter().position(|t| matches!(t, Token::Figure(_))) else {
            return false;
        };
        let toll =
            |i: usize| matches!(t.get(i), Some(Token::Word(w)) if lexicon::TOLL_WORDS.contains(w));
        let partitive = matches!(t.get(f + 1), Some(Token::Word(w)) if matches!(w.as_str(), "of" | "av" | "de" | "von"));
        !partitive && ((f + 1..f + 5).any(toll) || (f.saturating_sub(5)..f).any(toll))
    };
    a.figures.len() == 1
        && b.figures.len() == 1
        && a.figures[0].key != b.figures[0].key
        && counts_dead(a)
        && counts_dead(b)
}

/// Dice coefficient of two sorted multisets of token hashes.
pub fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Can token multiset `a` and a multiset of `b_len` tokens whose [`token_bit`]s are `b_bits`
/// reach [`REWRITE_THRESHOLD`]? A token they share sets its bit in `b_bits`, so their overlap
/// is at most the tokens of `a` whose bit is set there (and at most `b_len`): [`dice`] is at
/// most this bound, computed the same way. Cheaper than the merge, and rejects most pairs of
/// unrelated sentences.
fn may_reach_threshold(a: &[u64], b_len: usize, b_bits: u64) -> bool {
    let total = a.len() + b_len;
    let possible = a.iter().filter(|&&h| token_bit(h) & b_bits != 0).count();
    total == 0 || 2.0 * possible.min(b_len) as f64 / total as f64 >= REWRITE_THRESHOLD
}

struct Matcher<'a> {
    old: &'a Document,
    new: &'a Document,
    budget: usize,
    coarse: bool,
    old_done: Vec<bool>,
    new_done: Vec<bool>,
    found: Vec<Op>,
}

impl<'a> Matcher<'a> {
    fn new(old: &'a Document, new: &'a Document, budget: usize) -> Self {
        Matcher {
            old,
            new,
            budget,
            coarse: false,
            old_done: vec![false; old.sentences.len()],
            new_done: vec![false; new.sentences.len()],
            found: Vec::new(),
        }
    }

    /// Same words on both sides, in different places: moves. Equal keys pair in order.
    fn moves(&mut self, hunks: &[(Vec<usize>, Vec<usize>)]) {
        let mut by_key: HashMap<u64, Vec<usize>> = HashMap::default();
        for (ro, _) in hunks {
            for &o in ro.iter().rev() {
                by_key.entry(self.old.sentences[o].key).or_default().push(o);
            }
        }
        for (_, ins) in hunks {
            for &n in ins {
                if let Some(list) = by_key.get_mut(&self.new.sentences[n].key) {
                    if let Some(o) = list.pop() {
                        self.old_done[o] = true;
                        self.new_done[n] = true;
                        self.found.push(Op::Moved { old: o, new: n });
                    }
                }
            }
        }
    }

    /// A sentence split in two, or two joined, with the same words: inside one hunk only.
    /// Joining may add a conjunction ("A. B." and "A, and B." state the same facts).
    fn splits(&mut self, hunks: &[(Vec<usize>, Vec<usize>)]) {
        let links: Vec<(u64, u64)> = lexicon::JOINING_WORDS
            .iter()
            .map(|w| {
                let h = crate::text::token_hash(&Token::Word((*w).into()));
                (h, token_bit(h))
            })
            .collect();
        for (ro, ins) in hunks {
            // Two new sentences that were one old one: split.
            for (o, (a, b)) in joined_pairs(
                self.old,
                &self.old_done,
                ro,
                self.new,
                &self.new_done,
                ins,
                &links,
            ) {
                self.old_done[o] = true;
                self.new_done[a] = true;
                self.new_done[b] = true;
                self.found.push(Op::Split {
                    old: o,
                    new: (a, b),
                });
            }
            // Two old sentences that are one new one: joined.
            for (n, (a, b)) in joined_pairs(
                self.new,
                &self.new_done,
                ins,
                self.old,
                &self.old_done,
                ro,
                &links,
            ) {
                self.old_done[a] = true;
                self.old_done[b] = true;
                self.new_done[n] = true;
                self.found.push(Op::Joined {
                    old: (a, b),
                    new: n,
                });
            }
        }
    }

    /// Pair rewordings by word overlap: within each hunk first, then across hunks (a sentence
    /// moved and edited), each step only while the comparison budget lasts.
    fn pairs(&mut self, hunks: &[(Vec<usize>, Vec<usize>)]) {
        let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
        let mut compared: FxHashSet<(usize, usize)> = Default::default();

        let mut groups: Vec<(Vec<usize>, Vec<usize>)> = hunks
            .iter()
            .map(|(ro, ins)| {
                (
                    ro.iter().copied().filter(|&o| !self.old_done[o]).collect(),
                    ins.iter().copied().filter(|&n| !self.new_done[n]).collect(),
                )
            })
            .collect();
        // Across hunks: everything still unmatched, as one more group.
        let all_old: Vec<usize> = groups.iter().flat_map(|(o, _)| o.clone()).collect();
        let all_new: Vec<usize> = groups.iter().flat_map(|(_, n)| n.clone()).collect();
        if groups.len() > 1 {
            groups.push((all_old, all_new));
        }

        // Hunks are disjoint: only the across-hunks group (the last, if any) can meet a pair
        // again, so only pairs compared before it are remembered.
        let across = (groups.len() > 1).then(|| groups.len() - 1);
        for (g, (ro, ins)) in groups.iter().enumerate() {
            if ro.is_empty() || ins.is_empty() {
                continue;
            }
            let (remember, recall) = (across.is_some_and(|a| g < a), across == Some(g));
            let full = ro.len() * ins.len();
            // Too many for all pairs: compare along the diagonal band the budget allows.
            let band = if full <= self.budget {
                usize::MAX
            } else {
                self.coarse = true;
                self.budget / (2 * ro.len().max(ins.len())).max(1)
            };
            if band == 0 {
                continue;
            }
            for (i, &o) in ro.iter().enumerate() {
                let centre = i * ins.len() / ro.len();
                let lo = centre.saturating_sub(band);
                let hi = centre.saturating_add(band).saturating_add(1).min(ins.len());
                for &n in &ins[lo..hi] {
                    if self.budget == 0 {
                        self.coarse = true;
                        break;
                    }
                    if remember {
                        compared.insert((o, n));
                    } else if recall && compared.contains(&(o, n)) {
                        continue;
                    }
                    self.budget -= 1;
                    let (a, b) = (&self.old.sentences[o], &self.new.sentences[n]);
                    let sim = if may_reach_threshold(&a.token_set, b.token_set.len(), b.token_bits)
                    {
                        dice(&a.token_set, &b.token_set)
                    } else {
                        0.0
                    };
                    if sim >= REWRITE_THRESHOLD {
                        candidates.push((sim, o, n));
                    } else if is_figure_revision(a, b) {
                        // Few words, and a figure and its qualifier both revised ("Up to 40
                        // people died." → "At least 45 people died."): the same sentence.
                        candidates.push((REWRITE_THRESHOLD, o, n));
                    } else if !recall && is_toll_revision(a, b) {
                        // Below every other pair: taken only if nothing closer claims either.
                        candidates.push((0.0, o, n));
                    }
                }
            }
        }
        // Best pairs first; ties broken by position so the result is deterministic.
        candidates.sort_by(|x, y| {
            y.0.partial_cmp(&x.0)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(x.1.cmp(&y.1))
                .then(x.2.cmp(&y.2))
        });
        for (_, o, n) in candidates {
            if !self.old_done[o] && !self.new_done[n] {
                self.old_done[o] = true;
                self.new_done[n] = true;
                self.found.push(Op::Paired { old: o, new: n });
            }
        }
    }

    /// A pair's unmatched neighbour whose words all went into (or came from) the pair's other
    /// side was joined to (or split from) it while it was reworded: one change, not a removal
    /// or an addition besides it (which would read as a retraction or as news).
    fn absorb_neighbours(&mut self) {
        let neighbours =
            |i: usize, len: usize| [i.checked_sub(1), Some(i + 1).filter(|&j| j < len)];
        for op in &mut self.found {
            let Op::Paired { old: o, new: n } = *op else {
                continue;
            };
            let (so, sn) = (&self.old.sentences[o], &self.new.sentences[n]);
            let old_part = neighbours(o, self.old.sentences.len())
                .into_iter()
                .flatten()
                .find(|&k| {
                    let sk = &self.old.sentences[k];
                    !self.old_done[k]
                        && sk.paragraph == so.paragraph
                        && absorbed(&sk.token_set, &sn.token_set, &so.token_set)
                });
            if let Some(k) = old_part {
                self.old_done[k] = true;
                *op = Op::PairedJoined {
                    old: (o.min(k), o.max(k)),
                    new: n,
                };
                continue;
            }
            let new_part = neighbours(n, self.new.sentences.len())
                .into_iter()
                .flatten()
                .find(|&k| {
                    let sk = &self.new.sentences[k];
                    !self.new_done[k]
                        && sk.paragraph == sn.paragraph
                        && absorbed(&sk.token_set, &so.token_set, &sn.token_set)
                });
            if let Some(k) = new_part {
                self.new_done[k] = true;
                *op = Op::PairedSplit {
                    old: o,
                    new: (n.min(k), n.max(k)),
                };
            }
        }
    }

    fn finish(mut self, same: Vec<(usize, usize)>) -> Alignment {
        for &(o, n) in &same {
            self.old_done[o] = true;
            self.new_done[n] = true;
        }
        let mut ops: Vec<Op> = same
            .into_iter()
            .map(|(old, new)| Op::Same { old, new })
            .collect();
        ops.append(&mut self.found);
        for (o, done) in self.old_done.iter().enumerate() {
            if !done {
                ops.push(Op::Removed { old: o });
            }
        }
        for (n, done) in self.new_done.iter().enumerate() {
            if !done {
                ops.push(Op::Inserted { new: n });
            }
        }
        // Order by position in the new document; a removal sits before the new position of
        // the first old sentence after it that survived.
        let mut survivor_at: Vec<Option<usize>> = vec![None; self.old.sentences.len()];
        for op in &ops {
            match op.clone() {
                Op::Same { old, new } | Op::Moved { old, new } | Op::Paired { old, new } => {
                    survivor_at[old] = Some(new)
                }
                Op::Split { old, new } | Op::PairedSplit { old, new } => {
                    survivor_at[old] = Some(new.0)
                }
                Op::Joined { old, new } | Op::PairedJoined { old, new } => {
                    survivor_at[old.0] = Some(new);
                    survivor_at[old.1] = Some(new);
                }
                Op::Resplit { old, new } => {
                    for o in old.clone() {
                        survivor_at[o] = Some(new.start);
                    }
                }
                _ => {}
            }
        }
        // A removal goes right after the new position of the last old sentence before it that
        // survived, so it precedes whatever was inserted in its place.
        let mut after_survivor = vec![0usize; survivor_at.len()];
        let mut last = 0usize;
        for o in 0..survivor_at.len() {
            after_survivor[o] = last;
            if let Some(n) = survivor_at[o] {
                last = n + 1;
            }
        }
        let sort_key = |op: &Op| -> (usize, u8, usize) {
            match op.clone() {
                Op::Removed { old } => (after_survivor[old], 0, old),
                Op::Same { new, .. }
                | Op::Moved { new, .. }
                | Op::Paired { new, .. }
                | Op::Inserted { new }
                | Op::Joined { new, .. }
                | Op::PairedJoined { new, .. } => (new, 1, 0),
                Op::Split { new, .. } | Op::PairedSplit { new, .. } => (new.0, 1, 0),
                Op::Resplit { new, .. } => (new.start, 1, 0),
            }
        };
        ops.sort_by_key(sort_key);
        Alignment {
            ops,
            coarse: self.coarse,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(paras: &[&str]) -> Document {
        let p: Vec<String> = paras.iter().map(|s| s.to_string()).collect();
        Document::build("H", &p)
    }

    #[test]
    fn a_toll_revised_in_other_words_is_one_sentence_changed() {
        let paired = |a: &str, b: &str| {
            let (old, new) = (
                doc(&["Talks began.", a, "Aid arrived."]),
                doc(&["Talks began.", b, "Aid arrived."]),
            );
            align(&old, &new, DEFAULT_MAX_PAIR_COMPARISONS)
                .ops
                .iter()
                .any(|op| matches!(op, Op::Paired { .. }))
        };
        assert!(paired(
            "At least 12 people were killed in the blast.",
            "The death toll has risen to 15, the health ministry said."
        ));
        assert!(paired(
            "Då omkom tusentals människor.",
            "Minst 10 000 människor omkom då."
        ));
        // A part of the hurt is another fact; so is a sentence without a toll.
        assert!(!paired(
            "Two of the injured were flown to the capital.",
            "Eight of the injured are foreign nationals."
        ));
        assert!(!paired(
            "At least 12 people were killed in the blast.",
            "Officials expect 15 convoys on Monday."
        ));
    }

    #[test]
    fn the_overlap_bound_never_skips_a_pair_that_reaches_the_threshold() {
        // Hashes spread over the high bits, with repeats, so bits collide as in real text.
        let h = |i: u64| (i % 23).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let (mut reaching, mut skipped) = (0, 0);
        for la in 0..30u64 {
            for lb in 0..30u64 {
                for common in 0..=la.min(lb) {
                    let mut a: Vec<u64> = (0..la).map(h).collect();
                    let mut b: Vec<u64> = (la - common..la - common + lb).map(h).collect();
                    a.sort_unstable();
                    b.sort_unstable();
                    let bits = b.iter().fold(0, |x, &t| x | token_bit(t));
                    let may = may_reach_threshold(&a, b.len(), bits);
                    if dice(&a, &b) >= REWRITE_THRESHOLD {
                        reaching += 1;
                        assert!(may, "{la} {lb} {common}");
                    } else if !may {
                        skipped += 1;
                    }
                }
            }
        }
        assert!(reaching > 0 && skipped > 0, "{reaching} {skipped}");
    }

    #[test]
    fn identical_documents_align_as_same() {
        let d = doc(&["One fact here. Two facts here.", "Third fact."]);
        let a = align(&d, &d, 1000);
        assert!(a.ops.iter().all(|op| matches!(op, Op::Same { .. })));
    }

    #[test]
    fn a_moved_paragraph_is_a_move() {
        let a = doc(&[
            "Alpha beta gamma.",
            "Delta epsilon zeta.",
            "Eta theta iota.",
        ]);
        let b = doc(&[
            "Delta epsilon zeta.",
            "Eta theta iota.",
            "Alpha beta gamma.",
        ]);
        let al = align(&a, &b, 1000);
        assert!(
            al.ops
                .iter()
                .all(|op| matches!(op, Op::Same { .. } | Op::Moved { .. })),
            "{:?}",
            al.ops
        );
    }

    #[test]
    fn rewording_pairs_and_rewrites_split_in_two() {
        let a = doc(&["The envoys met on Monday in the port city for talks."]);
        let b = doc(&["The envoys met on Tuesday in the port city for talks."]);
        assert!(matches!(align(&a, &b, 1000).ops[..], [Op::Paired { .. }]));
        let c = doc(&["Completely different words appear here now."]);
        let ops = align(&a, &c, 1000).ops;
        assert!(
            matches!(ops[..], [Op::Removed { .. }, Op::Inserted { .. }]),
            "{ops:?}"
        );
    }

    #[test]
    fn unrelated_long_versions_skip_the_sequence_diff_but_keep_shared_sentences() {
        let paras = |tag: &str, n: usize| -> Vec<String> {
            (0..n)
                .map(|i| format!("Paragraph {tag} number {i} says something."))
                .collect()
        };
        let mut a = paras("alpha", MAX_DIFF_EDITS);
        let mut b = paras("beta", MAX_DIFF_EDITS);
        a.push("A shared closing line.".into());
        b.insert(0, "A shared closing line.".into());
        let (a, b) = (Document::build("H", &a), Document::build("H", &b));
        let al = align(&a, &b, 1_000);
        assert!(al.coarse);
        assert!(al.ops.iter().any(|op| matches!(op, Op::Moved { .. })));
    }

    #[test]
    fn segments_keep_shared_keys_in_order_and_group_the_rest() {
        use Segment::*;
        assert_eq!(
            segments(&[1, 2, 3, 4, 5], &[9, 2, 8, 7, 4]),
            vec![
                Changed(0..1, 0..1),
                Equal(1, 1),
                Changed(2..3, 2..4),
                Equal(3, 4),
                Changed(4..5, 5..5)
            ]
        );
        // Nothing shared: one block, whatever the lengths (and no Myers work at all).
        assert_eq!(
            segments(&[1, 2, 3], &[4, 5, 6, 7]),
            vec![Changed(0..3, 0..4)]
        );
        assert_eq!(segments(&[], &[]), vec![]);
        // A key on both sides but out of order is kept once, the other copy is changed.
        assert_eq!(
            segments(&[1, 2], &[2, 1]),
            vec![Changed(0..0, 0..1), Equal(0, 1), Changed(1..2, 2..2)]
        );
    }

    #[test]
    fn pairing_work_is_bounded_and_deterministic() {
        let words = |seed: usize, n: usize| -> Vec<String> {
            (0..n)
                .map(|i| {
                    format!(
                        "Word{} alpha{} beta{} gamma{}.",
                        (i * 7 + seed) % 97,
                        i % 13,
                        (i + seed) % 11,
                        i % 5
                    )
                })
                .collect()
        };
        let a = Document::build("H", &words(1, 400));
        let b = Document::build("H", &words(2, 400));
        let x = align(&a, &b, 5_000);
        let y = align(&a, &b, 5_000);
        assert!(x.coarse);
        assert_eq!(x.ops, y.ops);
    }
}
