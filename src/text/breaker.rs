//! Optimal paragraph breaking after Knuth and Plass ("Breaking paragraphs into lines", 1981),
//! over an abstract list of boxes, glue and penalties. Widths are in points.
//!
//! Three passes, as in TeX: without hyphenation at a strict tolerance; with hyphenation at a looser
//! one (narrow card columns need it); and an emergency pass that accepts any line that is not
//! overfull, reporting which lines are looser than the tolerance.
//!
//! Demerits as in TeX: line badness, penalties, extra for two hyphenated lines in a row and for
//! adjacent lines of fitness classes (tight, decent, loose, very loose) more than one apart. Rules
//! a designer expects to hold are hard in the first two passes (and very costly in the emergency
//! pass): at most `hyphens_in_row` hyphenated lines in a row and no hyphen on the line before the
//! last (in a two-line paragraph a heavy cost instead, so that a soft hyphen can still keep the
//! paragraph from a third, short line). A last line shorter than `last_line_min` costs so much that any other way within the
//! tolerance wins; if none exists the result says so.

/// Penalty value that forbids a break.
pub const INF_PENALTY: f64 = 10_000.0;
/// Badness reported for lines that cannot stretch enough.
const INF_BAD: f64 = 10_000.0;
/// Extra demerits for a hyphenated line after a hyphenated line (TeX's `\doublehyphendemerits`).
const DOUBLE_HYPHEN_DEMERITS: f64 = 10_000.0;
/// Extra demerits for adjacent lines whose fitness classes differ by more than one (`\adjdemerits`).
const ADJ_DEMERITS: f64 = 10_000.0;
/// Demerits of a too short last line: more than any other choice within the tolerance costs.
const SHORT_LAST_DEMERITS: f64 = 1.0e6;
/// Demerits of a hyphen ending the first of two lines: as bad as a short last line.
const FINAL_HYPHEN_DEMERITS: f64 = SHORT_LAST_DEMERITS;
/// Highest limit of hyphenated lines in a row that is tracked (styles allow up to 10).
const MAX_COUNTED_ROW: usize = 10;
// `run` keeps its slots per (fitness class, hyphens in a row) as the bits of one u64.
const _: () = assert!(4 * (MAX_COUNTED_ROW + 2) <= 64);
/// Rounding slack when comparing the last line with its minimum (the two sums differ in order).
const SHORT_SLACK: f64 = 1e-6;
/// Demerits standing in for a hard rule in the emergency pass: above any sum of very loose lines.
const RULE_DEMERITS: f64 = 1.0e12;

/// A breaking item.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Item {
    /// Unbreakable material of a width.
    Box {
        /// Width.
        width: f64,
    },
    /// Space that may stretch and shrink; a break may occur at glue that follows a box.
    Glue {
        /// Natural width.
        width: f64,
        /// How much it may grow.
        stretch: f64,
        /// How much it may shrink.
        shrink: f64,
    },
    /// A possible break with a cost; `width` is added to the line if broken here (a hyphen).
    Penalty {
        /// Width when broken here.
        width: f64,
        /// Cost; `-INF_PENALTY` forces, `INF_PENALTY` forbids.
        cost: f64,
        /// Hyphen-like (consecutive flagged breaks cost extra).
        flagged: bool,
    },
}

/// How lines stretch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// Target width of every line.
    pub width: f64,
    /// `Some(s)`: ragged lines, measured against a fixed stretch `s` instead of the glue's own.
    pub ragged_stretch: Option<f64>,
    /// Whether penalties marked `flagged` with cost > 0 (hyphens) may be used.
    pub hyphenate: bool,
    /// Most lines in a row that may end at a flagged break (a hyphen).
    pub hyphens_in_row: usize,
    /// Natural width the last line of a paragraph of two or more lines should reach (0: any).
    pub last_line_min: f64,
}

#[cfg(test)]
impl Params {
    /// Lines `width` wide, ragged or justified, without limits on hyphens or the last line.
    pub fn new(width: f64, ragged_stretch: Option<f64>, hyphenate: bool) -> Params {
        Params { width, ragged_stretch, hyphenate, hyphens_in_row: usize::MAX, last_line_min: 0.0 }
    }
}

/// A chosen break: the item index where the line ends, and the line's adjustment ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Break {
    /// Index of the glue or penalty the line ends at.
    pub at: usize,
    /// Adjustment ratio (>0 stretched, <0 shrunk, 0 natural).
    pub ratio: f64,
    /// Badness 0–10000.
    pub badness: f64,
}

/// Result of breaking.
#[derive(Clone, Debug, PartialEq)]
pub struct Breaks {
    /// One entry per line.
    pub lines: Vec<Break>,
    /// 1-based numbers of lines set beyond the tolerance (emergency pass).
    pub loose_lines: Vec<usize>,
    /// The last line is shorter than [`Params::last_line_min`] and no other breaks avoid it.
    pub short_last_line: bool,
}

/// Why no breaks exist.
#[derive(Clone, Debug, PartialEq)]
pub struct Overfull {
    /// Index of the box that is wider than a line.
    pub item: usize,
    /// By how much it is too wide (points).
    pub over: f64,
}

#[derive(Clone, Copy)]
struct Node {
    at: usize,   // break item index (usize::MAX for the start)
    line: usize, // number of lines up to here
    total: f64,  // total demerits
    prev: usize, // index into nodes
    ratio: f64,
    badness: f64,
    hyphens: usize, // flagged lines in a row ending here
    fitness: usize, // 0 tight, 1 decent, 2 loose, 3 very loose
}

/// The nodes made at one break, contiguous in the node list: they share the break, whether it is
/// flagged and where the next line starts, so a line from them is measured once.
#[derive(Clone, Copy)]
struct Group {
    at: usize, // break item index (usize::MAX for the start)
    flagged: bool,
    start: usize,          // first item of the line that follows this break
    nodes: (usize, usize), // range in the node list
}

impl Node {
    /// Whether every way on from `s` is at least as cheap from `self`: no more hyphens in a row,
    /// the same answer to "is this the first line", and cheaper by more than the most a different
    /// fitness class can cost the next line.
    fn dominates(&self, s: &Node) -> bool {
        let margin = if self.fitness == s.fitness { 0.0 } else { ADJ_DEMERITS };
        self.hyphens <= s.hyphens && (self.line > 1) == (s.line > 1) && self.total + margin <= s.total
    }
}

/// TeX's fitness class of a line from its adjustment ratio.
fn fitness(ratio: f64) -> usize {
    if ratio < -0.5 {
        0
    } else if ratio <= 0.5 {
        1
    } else if ratio <= 1.0 {
        2
    } else {
        3
    }
}

/// Prefix sums of width, stretch and shrink over `items[..i]`, shared by the passes.
struct Sums {
    w: Vec<f64>,
    y: Vec<f64>,
    z: Vec<f64>,
}

impl Sums {
    fn new(items: &[Item]) -> Sums {
        let n = items.len();
        let mut s = Sums { w: Vec::with_capacity(n + 1), y: Vec::with_capacity(n + 1), z: Vec::with_capacity(n + 1) };
        let (mut w, mut y, mut z) = (0.0, 0.0, 0.0);
        s.w.push(w);
        s.y.push(y);
        s.z.push(z);
        for it in items {
            let (dw, dy, dz) = match *it {
                Item::Box { width } => (width, 0.0, 0.0),
                Item::Glue { width, stretch, shrink } => (width, stretch, shrink),
                Item::Penalty { .. } => (0.0, 0.0, 0.0),
            };
            w += dw;
            y += dy;
            z += dz;
            s.w.push(w);
            s.y.push(y);
            s.z.push(z);
        }
        s
    }
}

/// Breaks `items` into lines. The list must end with a forced break.
pub fn break_lines(items: &[Item], p: &Params) -> Result<Breaks, Overfull> {
    let sums = Sums::new(items);
    let run = |hyphenate: bool, tolerance: f64| run(items, &sums, p, hyphenate, tolerance, false).map(|(b, _)| b);
    let short = |b: &[Break]| {
        let n = items.len();
        let start = b.len().checked_sub(2).map_or(0, |k| line_start(items, b[k].at));
        b.len() > 1 && sums.w[n - 1] - sums.w[start] < p.last_line_min - SHORT_SLACK
    };
    let done = |lines: Vec<Break>, loose: Vec<usize>| {
        let short_last_line = short(&lines);
        Ok(Breaks { lines, loose_lines: loose, short_last_line })
    };
    let first = run(false, 100.0);
    // A short last line that hyphenation can avoid is worth a hyphen.
    if let Some(b) = first.as_ref().filter(|b| !p.hyphenate || !short(b)) {
        return done(b.clone(), vec![]);
    }
    if p.hyphenate
        && let Some(b) = run(true, 400.0)
        && (first.is_none() || !short(&b))
    {
        return done(b, vec![]);
    }
    if let Some(b) = first {
        // Still short: a looser set of lines may avoid it. Ragged lines are only shorter, so
        // they may go further (ratio 2.2: a line up to 6.5 em short) before a warning is due.
        let tolerance = if p.ragged_stretch.is_some() { 1000.0 } else { 400.0 };
        if let Some(loose) = run(p.hyphenate, tolerance).filter(|l| !short(l)) {
            return done(loose, vec![]);
        }
        return done(b, vec![]);
    }
    if let Some(b) = emergency(items, &sums, p) {
        let limit = if p.hyphenate { 400.0 } else { 100.0 };
        let loose = b.iter().enumerate().filter(|(_, l)| l.badness > limit).map(|(i, _)| i + 1).collect();
        return done(b, loose);
    }
    // Find the culprit: the widest box that cannot fit.
    let mut worst = Overfull { item: 0, over: 0.0 };
    let mut run_w = 0.0;
    for (i, it) in items.iter().enumerate() {
        match it {
            Item::Box { width } => {
                run_w += width;
                if run_w - p.width > worst.over {
                    worst = Overfull { item: i, over: run_w - p.width };
                }
            }
            Item::Glue { .. } => run_w = 0.0,
            Item::Penalty { flagged, cost, .. } => {
                if !*flagged || p.hyphenate && *cost < INF_PENALTY {
                    run_w = 0.0;
                }
            }
        }
    }
    Err(worst)
}

/// The emergency pass: any line that is not overfull, hard rules broken at a cost.
///
/// Most lines it weighs are hopeless (a word or two stretched over the measure: badness 10 000,
/// demerits above 10^8). It first runs without them; every line costs positive demerits, so a
/// result cheaper than the cheapest such line is also the best with them, and only a paragraph
/// that needs one (or a cheaper one than its result) is broken again with every line.
fn emergency(items: &[Item], sums: &Sums, p: &Params) -> Option<Vec<Break>> {
    // What a hopeless line costs at least: a negative penalty at its end takes its square off.
    let credit = items
        .iter()
        .filter_map(|it| match *it {
            Item::Penalty { cost, .. } if cost < 0.0 && cost > -INF_PENALTY => Some(cost * cost),
            _ => None,
        })
        .fold(0.0, f64::max);
    let hopeless = (10.0 + INF_BAD).powi(2) - credit;
    if let Some((b, total)) = run(items, sums, p, p.hyphenate, INF_BAD.next_down(), true)
        && total < hopeless
    {
        return Some(b);
    }
    run(items, sums, p, p.hyphenate, f64::INFINITY, true).map(|(b, _)| b)
}

fn is_break(items: &[Item], i: usize, hyphenate: bool) -> bool {
    match items[i] {
        Item::Glue { .. } => i > 0 && matches!(items[i - 1], Item::Box { .. }),
        Item::Penalty { cost, flagged, .. } => cost < INF_PENALTY && (hyphenate || !flagged || cost <= 0.0),
        Item::Box { .. } => false,
    }
}

/// One pass at `tolerance`; in an `emergency` pass a broken hard rule costs instead of barring
/// the line. The breaks and their total demerits.
fn run(
    items: &[Item],
    sums: &Sums,
    p: &Params,
    hyphenate: bool,
    tolerance: f64,
    emergency: bool,
) -> Option<(Vec<Break>, f64)> {
    let n = items.len();
    let (sw, sy, sz) = (&sums.w, &sums.y, &sums.z);
    // A line stretched beyond this ratio is beyond the tolerance: it is skipped before its
    // badness is worked out (with a margin, so that rounding never skips a line within it).
    let max_ratio = if tolerance < INF_BAD { (tolerance / 100.0).cbrt() * (1.0 + 1e-9) } else { f64::INFINITY };
    // Count hyphenated lines in a row only under a limit a style can set; without one only
    // whether the last line was hyphenated matters.
    let counted = p.hyphens_in_row <= MAX_COUNTED_ROW;
    let max_row = if counted { p.hyphens_in_row } else { usize::MAX };
    let row_slots = if counted { max_row + 2 } else { 2 };
    let mut nodes = vec![Node {
        at: usize::MAX,
        line: 0,
        total: 0.0,
        prev: usize::MAX,
        ratio: 0.0,
        badness: 0.0,
        hyphens: 0,
        fitness: 1,
    }];
    let mut groups =
        vec![Group { at: usize::MAX, flagged: false, start: line_start(items, usize::MAX), nodes: (0, 1) }];
    let mut active: Vec<usize> = vec![0];
    let mut keep: Vec<usize> = Vec::new();
    // The best new node at this break per (fitness class, hyphens in a row): a worse path now may
    // be the only one that lets the next line be hyphenated or fit its neighbour's class.
    // Which slots hold a node are bits of `filled`, so that a break clears and scans only those.
    let mut best: Vec<Node> = vec![nodes[0]; 4 * row_slots];
    for b in 0..n {
        if !is_break(items, b, hyphenate) {
            continue;
        }
        let (pen_w, pen_cost, flagged) = match items[b] {
            Item::Penalty { width, cost, flagged } => (width, cost, flagged),
            _ => (0.0, 0.0, false),
        };
        let forced = pen_cost <= -INF_PENALTY;
        let last = b == n - 1;
        let mut filled: u64 = 0;
        keep.clear();
        for &gi in &active {
            let g = groups[gi];
            let start = g.start;
            if start > b {
                keep.push(gi);
                continue;
            }
            let natural = sw[b] - sw[start] + pen_w;
            // A line ending in a forced break has infinite (fill) stretch.
            let fill = forced;
            let (stretch, shrink) = match p.ragged_stretch {
                Some(s) => (s, 0.0),
                None => (sy[b] - sy[start], sz[b] - sz[start]),
            };
            if !fill && p.width - natural > max_ratio * stretch {
                // Too loose (and so not overfull): a later break may still make a line from here.
                keep.push(gi);
                continue;
            }
            let ratio = if natural < p.width {
                if fill {
                    0.0
                } else if stretch > 0.0 {
                    (p.width - natural) / stretch
                } else {
                    f64::INFINITY
                }
            } else if natural > p.width {
                if shrink > 0.0 { (p.width - natural) / shrink } else { f64::NEG_INFINITY }
            } else {
                0.0
            };
            if ratio < -1.0 {
                // Overfull from this start on; no later break can help.
                continue;
            }
            keep.push(gi);
            let badness = if ratio.is_infinite() { INF_BAD } else { (100.0 * ratio.abs().powi(3)).min(INF_BAD) };
            if badness > tolerance {
                continue;
            }
            // What the line costs whichever way led to its start.
            let mut line_d = (10.0 + badness).powi(2);
            if pen_cost > 0.0 {
                line_d += pen_cost * pen_cost;
            } else if pen_cost > -INF_PENALTY {
                line_d -= pen_cost * pen_cost;
            }
            if flagged && g.flagged {
                line_d += DOUBLE_HYPHEN_DEMERITS;
            }
            if last && g.at != usize::MAX && natural < p.last_line_min - SHORT_SLACK {
                line_d += SHORT_LAST_DEMERITS;
            }
            // The last line is set at its natural width: its class does not count.
            let class = if fill { 1 } else { fitness(ratio) };
            // No hyphen on the line before the last. In a paragraph of two lines that line is the
            // first, and a third line may be worse (a short last line): there it only costs.
            let final_hyphen = last && g.flagged;
            for (k, node) in (g.nodes.0..).zip(&nodes[g.nodes.0..g.nodes.1]) {
                let hyphens = if flagged { node.hyphens + 1 } else { 0 };
                let mut broken = 0.0;
                if hyphens > max_row {
                    broken += RULE_DEMERITS;
                }
                if final_hyphen && node.line > 1 {
                    broken += RULE_DEMERITS;
                }
                if broken > 0.0 && !emergency {
                    continue;
                }
                let mut d = line_d + broken;
                if !fill && class.abs_diff(node.fitness) > 1 {
                    d += ADJ_DEMERITS;
                }
                if final_hyphen && node.line == 1 {
                    d += FINAL_HYPHEN_DEMERITS;
                }
                let total = node.total + d;
                let slot = class * row_slots + hyphens.min(row_slots - 1);
                if filled & (1 << slot) == 0 || total < best[slot].total {
                    filled |= 1 << slot;
                    best[slot] = Node {
                        at: b,
                        line: node.line + 1,
                        total,
                        prev: k,
                        ratio: if ratio.is_finite() { ratio } else { 0.0 },
                        badness,
                        hyphens,
                        fitness: class,
                    };
                }
            }
        }
        std::mem::swap(&mut active, &mut keep);
        if forced {
            active.clear();
        }
        if filled != 0 {
            let first = nodes.len();
            for i in slots(filled) {
                let bn = &best[i];
                // A node that another node here beats on every way on is never on the best path.
                if slots(filled).any(|j| j != i && best[j].dominates(bn)) {
                    continue;
                }
                nodes.push(*bn);
            }
            groups.push(Group { at: b, flagged, start: line_start(items, b), nodes: (first, nodes.len()) });
            active.push(groups.len() - 1);
        }
        if active.is_empty() {
            return None;
        }
    }
    // The last group must end at the final item; its cheapest node if several classes reach it.
    let g = groups[*active.iter().find(|&&gi| groups[gi].at == n - 1)?];
    let mut k = (g.nodes.0..g.nodes.1).min_by(|&x, &y| nodes[x].total.total_cmp(&nodes[y].total))?;
    let total = nodes[k].total;
    let mut out = Vec::new();
    while k != 0 {
        let nd = &nodes[k];
        out.push(Break { at: nd.at, ratio: nd.ratio, badness: nd.badness });
        k = nd.prev;
    }
    out.reverse();
    Some((out, total))
}

/// The indices of the set bits of `mask`, lowest first.
fn slots(mask: u64) -> impl Iterator<Item = usize> + Clone {
    let mut rest = mask;
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let i = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            i
        })
    })
}

/// The first item of a line that follows a break at `at`: glue and penalties after a break vanish.
pub fn line_start(items: &[Item], at: usize) -> usize {
    let mut i = if at == usize::MAX { 0 } else { at + 1 };
    while i < items.len() && !matches!(items[i], Item::Box { .. }) {
        if let Item::Penalty { cost, .. } = items[i]
            && cost <= -INF_PENALTY
        {
            break;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[f64]) -> Vec<Item> {
        let mut v = Vec::new();
        for (i, w) in ws.iter().enumerate() {
            if i > 0 {
                v.push(Item::Glue { width: 3.0, stretch: 1.5, shrink: 1.0 });
            }
            v.push(Item::Box { width: *w });
        }
        v.push(Item::Glue { width: 0.0, stretch: 0.0, shrink: 0.0 });
        v.push(Item::Penalty { width: 0.0, cost: -INF_PENALTY, flagged: false });
        v
    }

    #[test]
    fn justified_lines_fill_the_measure() {
        let items = words(&[20.0, 20.0, 20.0, 20.0, 20.0, 20.0]);
        let p = Params::new(45.0, None, false);
        let b = break_lines(&items, &p).unwrap();
        assert_eq!(b.lines.len(), 3);
        // Two words of 20 plus a glue of 3 need 2 pt of stretch from 1.5: ratio 4/3 > 1 would be
        // too loose at tolerance 100, so the emergency pass set them and reports them.
        assert!(b.lines[0].ratio > 1.0);
        assert_eq!(b.loose_lines, vec![1, 2]);
    }

    #[test]
    fn breaks_where_lines_fit_and_reports_ratios() {
        // [10 10] [10 30] would overflow the second line, so the breaks are [10 10 10] [30] [10].
        let items = words(&[10.0, 10.0, 10.0, 30.0, 10.0]);
        let p = Params::new(40.0, Some(12.0), false);
        let b = break_lines(&items, &p).unwrap();
        assert_eq!(b.lines.iter().map(|l| l.at).collect::<Vec<_>>(), vec![5, 7, 10]);
        // Ragged: a line 10 pt short against 12 pt of stretch has ratio 10/12.
        assert!((b.lines[1].ratio - 10.0 / 12.0).abs() < 1e-9);
    }

    #[test]
    fn overfull_box_is_reported() {
        let items = words(&[10.0, 60.0]);
        let p = Params::new(40.0, Some(12.0), false);
        let e = break_lines(&items, &p).unwrap_err();
        assert_eq!(e.item, 2);
        assert!((e.over - 20.0).abs() < 1e-9);
    }

    /// The emergency pass's shortcut (first without hopeless lines) gives what the whole pass
    /// gives, on paragraphs that need hopeless lines and on ones that do not: words of random
    /// widths with hyphenation points, justified and ragged, narrow and wide, hyphen rules on.
    #[test]
    fn the_emergency_shortcut_finds_what_the_whole_pass_finds() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let (mut shortcut, mut fallback) = (0, 0);
        for case in 0..400 {
            let mut items = Vec::new();
            for w in 0..(5 + next(40)) {
                if w > 0 {
                    items.push(Item::Glue { width: 3.0, stretch: 1.5, shrink: 1.0 });
                }
                for piece in 0..(1 + next(3)) {
                    if piece > 0 {
                        items.push(Item::Penalty { width: 3.0, cost: 50.0, flagged: true });
                    }
                    items.push(Item::Box { width: 4.0 + next(40) as f64 });
                }
            }
            items.push(Item::Glue { width: 0.0, stretch: 0.0, shrink: 0.0 });
            items.push(Item::Penalty { width: 0.0, cost: -INF_PENALTY, flagged: false });
            let ragged = (case % 3 == 0).then_some(12.0);
            let mut p = Params::new(60.0 + next(140) as f64, ragged, true);
            p.hyphens_in_row = 1 + next(2) as usize;
            p.last_line_min = next(30) as f64;
            let sums = Sums::new(&items);
            let whole = run(&items, &sums, &p, true, f64::INFINITY, true).map(|(b, _)| b);
            let quick = run(&items, &sums, &p, true, INF_BAD.next_down(), true);
            if quick.as_ref().is_some_and(|(_, t)| *t < (10.0 + INF_BAD).powi(2)) {
                shortcut += 1;
            } else {
                fallback += 1;
            }
            assert_eq!(emergency(&items, &sums, &p), whole, "case {case}: {items:?} {p:?}");
        }
        // Both ways are taken, so both are compared.
        assert!(shortcut > 20 && fallback > 20, "{shortcut} by the shortcut, {fallback} by the whole pass");
    }
}
