//! Optimal paragraph breaking after Knuth and Plass ("Breaking paragraphs into lines", 1981),
//! over an abstract list of boxes, glue and penalties. Widths are in points.
//!
//! Three passes, as in TeX: without hyphenation at a strict tolerance; with hyphenation at a looser
//! one (narrow card columns need it); and an emergency pass that accepts any line that is not
//! overfull, reporting which lines are looser than the tolerance.

/// Penalty value that forbids a break.
pub const INF_PENALTY: f64 = 10_000.0;
/// Badness reported for lines that cannot stretch enough.
const INF_BAD: f64 = 10_000.0;

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
    flagged: bool,
    start: usize, // first item of the line that follows this break
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
    let run = |hyphenate: bool, tolerance: f64| run(items, &sums, p, hyphenate, tolerance);
    if let Some(b) = run(false, 100.0) {
        return Ok(Breaks { lines: b, loose_lines: vec![] });
    }
    if p.hyphenate
        && let Some(b) = run(true, 400.0)
    {
        return Ok(Breaks { lines: b, loose_lines: vec![] });
    }
    if let Some(b) = run(p.hyphenate, f64::INFINITY) {
        let limit = if p.hyphenate { 400.0 } else { 100.0 };
        let loose = b.iter().enumerate().filter(|(_, l)| l.badness > limit).map(|(i, _)| i + 1).collect();
        return Ok(Breaks { lines: b, loose_lines: loose });
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

fn is_break(items: &[Item], i: usize, hyphenate: bool) -> bool {
    match items[i] {
        Item::Glue { .. } => i > 0 && matches!(items[i - 1], Item::Box { .. }),
        Item::Penalty { cost, flagged, .. } => cost < INF_PENALTY && (hyphenate || !flagged || cost <= 0.0),
        Item::Box { .. } => false,
    }
}

fn run(items: &[Item], sums: &Sums, p: &Params, hyphenate: bool, tolerance: f64) -> Option<Vec<Break>> {
    let n = items.len();
    let (sw, sy, sz) = (&sums.w, &sums.y, &sums.z);
    let mut nodes = vec![Node {
        at: usize::MAX,
        line: 0,
        total: 0.0,
        prev: usize::MAX,
        ratio: 0.0,
        badness: 0.0,
        flagged: false,
        start: line_start(items, usize::MAX),
    }];
    let mut active: Vec<usize> = vec![0];
    let mut keep: Vec<usize> = Vec::new();
    for b in 0..n {
        if !is_break(items, b, hyphenate) {
            continue;
        }
        let (pen_w, pen_cost, flagged) = match items[b] {
            Item::Penalty { width, cost, flagged } => (width, cost, flagged),
            _ => (0.0, 0.0, false),
        };
        let forced = pen_cost <= -INF_PENALTY;
        let mut best: Option<Node> = None;
        keep.clear();
        for &a in &active {
            let node = nodes[a];
            let start = node.start;
            if start > b {
                keep.push(a);
                continue;
            }
            let natural = sw[b] - sw[start] + pen_w;
            // A line ending in a forced break has infinite (fill) stretch.
            let fill = forced;
            let (stretch, shrink) = match p.ragged_stretch {
                Some(s) => (s, 0.0),
                None => (sy[b] - sy[start], sz[b] - sz[start]),
            };
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
            keep.push(a);
            let badness = if ratio.is_infinite() { INF_BAD } else { (100.0 * ratio.abs().powi(3)).min(INF_BAD) };
            if badness > tolerance {
                continue;
            }
            let mut d = (10.0 + badness).powi(2);
            if pen_cost > 0.0 {
                d += pen_cost * pen_cost;
            } else if pen_cost > -INF_PENALTY {
                d -= pen_cost * pen_cost;
            }
            if flagged && node.flagged {
                d += 3000.0;
            }
            let total = node.total + d;
            if best.is_none_or(|bn| total < bn.total) {
                best = Some(Node {
                    at: b,
                    line: node.line + 1,
                    total,
                    prev: a,
                    ratio: if ratio.is_finite() { ratio } else { 0.0 },
                    badness,
                    flagged,
                    start: 0,
                });
            }
        }
        std::mem::swap(&mut active, &mut keep);
        if forced {
            active.clear();
        }
        if let Some(bn) = best {
            nodes.push(Node { start: line_start(items, b), ..bn });
            active.push(nodes.len() - 1);
        }
        if active.is_empty() {
            return None;
        }
    }
    // The last node must end at the final item.
    let last = *active.iter().find(|&&a| nodes[a].at == n - 1)?;
    let mut out = Vec::new();
    let mut k = last;
    while nodes[k].at != usize::MAX {
        out.push(Break { at: nodes[k].at, ratio: nodes[k].ratio, badness: nodes[k].badness });
        k = nodes[k].prev;
    }
    out.reverse();
    Some(out)
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
        let p = Params { width: 45.0, ragged_stretch: None, hyphenate: false };
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
        let p = Params { width: 40.0, ragged_stretch: Some(12.0), hyphenate: false };
        let b = break_lines(&items, &p).unwrap();
        assert_eq!(b.lines.iter().map(|l| l.at).collect::<Vec<_>>(), vec![5, 7, 10]);
        // Ragged: a line 10 pt short against 12 pt of stretch has ratio 10/12.
        assert!((b.lines[1].ratio - 10.0 / 12.0).abs() < 1e-9);
    }

    #[test]
    fn overfull_box_is_reported() {
        let items = words(&[10.0, 60.0]);
        let p = Params { width: 40.0, ragged_stretch: Some(12.0), hyphenate: false };
        let e = break_lines(&items, &p).unwrap_err();
        assert_eq!(e.item, 2);
        assert!((e.over - 20.0).abs() < 1e-9);
    }
}
