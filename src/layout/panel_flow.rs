//! Where a leaflet's flowing text breaks across its panels: the units of text (typeset lines or
//! an image, with their keep rules), a plan of which lines go on which panel at a given fill
//! depth, and the balanced plan — the lowest depth, found by bisection, at which all the text
//! still fits keeping every rule (no single bullet at a panel top, no heading last in a panel, no
//! widow or orphan line). `leaflet.rs` makes the units and places the planned pieces.

use crate::layout::frame::BlockKind;
use crate::text::SetLine;
use crate::units::Pt;

/// One unit of flowing text: typeset lines (or an image) with spacing rules.
pub(super) struct Unit {
    pub(super) kind: BlockKind,
    pub(super) text: String,
    pub(super) lines: Vec<SetLine>,
    /// Ascent of the first line, descent of the last.
    pub(super) asc: Pt,
    pub(super) desc: Pt,
    pub(super) color: crate::model::color::Color,
    pub(super) space_before: Pt,
    pub(super) keep_with_next: bool,
    pub(super) image: Option<(String, Pt)>,
    /// A block drawn whole at this height (a booklet's exercise or contents entry): never split.
    pub(super) whole: Option<Pt>,
    /// A list item: its index and the list's length.
    pub(super) list: Option<(usize, usize)>,
    pub(super) path: String,
    /// The style's breaking rules and the phrases set broken, for the typography report.
    pub(super) breaking: crate::text::Breaking,
    pub(super) unkept: Vec<String>,
}

impl Unit {
    /// Height of lines `s..s+k`.
    pub(super) fn height(&self, s: usize, k: usize) -> Pt {
        if let Some((_, h)) = &self.image {
            return *h;
        }
        if let Some(h) = self.whole {
            return h;
        }
        if k == 0 {
            return Pt::ZERO;
        }
        self.lines[s + k - 1].baseline - self.lines[s].baseline + self.asc + self.desc
    }
    pub(super) fn len(&self) -> usize {
        if self.image.is_some() || self.whole.is_some() { 1 } else { self.lines.len() }
    }
}

/// Lines `s..s + k` of unit `unit` on flow panel `panel` (an index into the flow panels), their
/// top `y` below the text frame's top.
pub(super) struct Piece {
    pub(super) panel: usize,
    pub(super) unit: usize,
    pub(super) s: usize,
    pub(super) k: usize,
    pub(super) y: Pt,
}

/// Why a plan stopped: the panels ran out at unit `unit`, line `s`, or a block is taller than an
/// empty panel.
pub(super) enum Stop {
    Overflow {
        unit: usize,
        s: usize,
    },
    TooTall {
        unit: usize,
        s: usize,
        panel: usize,
    },
    /// (Strict plans only.) The rules cannot all be kept at this depth.
    Rules,
}

/// Whether a list of `m` items may break before item `p`: before the first (the list moves
/// whole), or with at least two items on each side (never one bullet alone).
fn list_break_ok(p: usize, m: usize) -> bool {
    p == 0 || (p >= 2 && m - p >= 2)
}

/// How many whole items of the list from unit `i` on fit a panel from depth `y` to `depth`.
fn items_fitting(units: &[Unit], i: usize, mut y: Pt, at_top: bool, depth: Pt) -> usize {
    let mut c = 0;
    for (n, u) in units[i..].iter().enumerate() {
        if u.list.is_none() || (n > 0 && u.list.is_some_and(|(j, _)| j == 0)) {
            break;
        }
        let gap = if at_top && n == 0 { Pt::ZERO } else { u.space_before };
        y += gap + u.height(0, u.len());
        if y.0 > depth.0 + 0.01 {
            break;
        }
        c += 1;
    }
    c
}

/// The height a kept-with-next block needs below it: the next block's first two lines (all of a
/// block of three or fewer, which is not split; more when they end in a hyphen, as no panel ends
/// in one), or a list's first two items (all of a list of three or fewer).
fn lead_height(units: &[Unit], i: usize) -> Pt {
    let Some(next) = units.get(i) else { return Pt::ZERO };
    if let Some((0, m)) = next.list {
        let q = if m <= 3 { m } else { 2 };
        return units[i..i + q].iter().fold(Pt::ZERO, |a, u| a + u.space_before + u.height(0, u.len()));
    }
    let mut m = if next.len() <= 3 { next.len() } else { 2 };
    while m < next.len() && ends_hyphenated(&next.lines[m - 1]) {
        m += 1;
    }
    let lead = next.height(0, m) + next.space_before;
    // A chain of keeps (a heading, an exercise's intro, the exercise): when all of the next
    // block is needed and it is kept with its own next, that one's lead is needed too.
    if m == next.len() && next.keep_with_next { lead + lead_height(units, i + 1) } else { lead }
}

/// Plans the flow through `panels` text frames filled to at most `depth`, like threaded text
/// frames: headings and list intros stay with what follows, no single line is left at a panel's
/// top or bottom, no panel ends in a hyphen, a list item is not split (unless it is taller than a
/// panel) and a split list keeps two items on each side. Where a rule cannot be kept (a block
/// taller than a panel, a list too long for one) a `strict` plan fails, and one that is not
/// breaks as the panel allows.
pub(super) fn plan(units: &[Unit], panels: usize, depth: Pt, strict: bool) -> Result<Vec<Piece>, Stop> {
    let mut out = Vec::new();
    let (mut cur, mut y, mut at_top) = (0usize, Pt::ZERO, true);
    let (mut i, mut s) = (0usize, 0usize);
    while i < units.len() {
        if cur >= panels {
            return Err(Stop::Overflow { unit: i, s });
        }
        let u = &units[i];
        let n = u.len() - s;
        let gap = if at_top { Pt::ZERO } else { u.space_before };
        let avail = depth - y - gap;
        let k_fit = (0..=n).rev().find(|&k| u.height(s, k).0 <= avail.0 + 0.01).unwrap_or(0);
        let mut k = if k_fit == n {
            n
        } else if u.image.is_some() || u.whole.is_some() || u.list.is_some() || n <= 3 {
            0
        } else {
            // At least two lines on each side of a panel break, and no hyphen at the panel's end.
            let mut k = k_fit.min(n - 2);
            while k >= 2 && ends_hyphenated(&u.lines[s + k - 1]) {
                k -= 1;
            }
            if k < 2 { 0 } else { k }
        };
        // A list breaks where it leaves two items on each side: the last such place before the
        // items that no longer fit; breaking here when that is this item.
        if k == n
            && !at_top
            && let Some((j, m)) = u.list
        {
            let end = j + items_fitting(units, i, y, at_top, depth);
            if end < m && (j..=end).rev().find(|&p| list_break_ok(p, m)) == Some(j) {
                k = 0;
            }
        }
        // A heading (or a list's intro) needs room for the first lines of what follows.
        if k == n && u.keep_with_next && (y + gap + u.height(s, n) + lead_height(units, i + 1)).0 > depth.0 + 0.01 {
            if !at_top {
                k = 0;
            } else if strict {
                return Err(Stop::Rules);
            }
        }
        if k == 0
            && !at_top
            && strict
            && let Some((j, m)) = u.list
            && !list_break_ok(j, m)
        {
            return Err(Stop::Rules);
        }
        if k == 0 && at_top {
            if strict && k_fit > 0 {
                return Err(Stop::Rules);
            }
            // Even an empty panel cannot take it whole: split as the panel allows, or give up.
            if k_fit == 0 {
                return Err(Stop::TooTall { unit: i, s, panel: cur });
            }
            k = k_fit;
            while k > 1 && k < n && ends_hyphenated(&u.lines[s + k - 1]) {
                k -= 1;
            }
        }
        if k == 0 {
            cur += 1;
            y = Pt::ZERO;
            at_top = true;
            continue;
        }
        out.push(Piece { panel: cur, unit: i, s, k, y: y + gap });
        y += gap + u.height(s, k);
        at_top = false;
        if s + k == u.len() {
            i += 1;
            s = 0;
        } else {
            s += k;
            cur += 1;
            y = Pt::ZERO;
            at_top = true;
        }
    }
    Ok(out)
}

/// The balanced plan: the lowest fill depth (found by bisection) at which all the text still fits
/// the first `panels` panels keeping every rule, so they end at about the same depth. `greedy` is the plan at the full frame.
pub(super) fn balanced(units: &[Unit], panels: usize, frame_h: Pt, greedy: Vec<Piece>) -> Vec<Piece> {
    let (mut lo, mut hi, mut best) = (Pt::ZERO, frame_h, greedy);
    // 24 halvings bring the depth to well under a thousandth of a point.
    for _ in 0..24 {
        let mid = Pt((lo.0 + hi.0) / 2.0);
        match plan(units, panels, mid, true) {
            Ok(p) => {
                hi = mid;
                best = p;
            }
            Err(_) => lo = mid,
        }
    }
    best
}

/// How deep each flow panel is filled by a plan.
pub(super) fn fills(units: &[Unit], pieces: &[Piece], panels: usize) -> Vec<Pt> {
    let mut f = vec![Pt::ZERO; panels];
    for p in pieces {
        f[p.panel] = f[p.panel].max(p.y + units[p.unit].height(p.s, p.k));
    }
    f
}

/// Whether a line ends in a hyphen (one line breaking inserted, or the text's own).
fn ends_hyphenated(line: &SetLine) -> bool {
    line.runs.last().is_some_and(|r| r.inserted_hyphen || r.text.ends_with('-'))
}
