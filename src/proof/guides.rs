//! Overlay lines on a proof: where the geometry says trim, bleed, safe area and folds are.

use crate::impose::{FrameBox, Page};
use crate::units::{Point, Pt, Rect, Transform};

/// The overlay lines for one PDF page, in page coordinates (points, top-left origin, y down from
/// the top of the MediaBox, as everywhere in tryksag).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Guides {
    /// Trim lines (solid).
    pub trim: Vec<Rect>,
    /// Bleed edges (dashed).
    pub bleed: Vec<Rect>,
    /// Safe areas (dotted).
    pub safe: Vec<Rect>,
    /// Fold lines (dash-dot).
    pub folds: Vec<(Point, Point)>,
}

/// Guides for every page of a document: its `pages` and the geometry of the `frames` they place.
///
/// Each page gets its TrimBox and BleedBox. Each placed frame adds its trim (as placed, turned and
/// moved by the page's back offset, limited to its clip) and that trim inset by `safe` (none when
/// `safe` is zero); a frame whose clip leaves bleed on all four sides (a card on a gutter sheet)
/// adds its clip as a bleed edge. `folds[i]` are the fold positions of page `i`, measured from
/// the left trim edge; each becomes a vertical line from the top to the bottom of the bleed box,
/// and the frames of such a page are taken for panels: they add safe areas but no trim lines.
pub fn guides_for(pages: &[Page], frames: &[FrameBox], safe: Pt, folds: &[Vec<Pt>]) -> Vec<Guides> {
    pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let mut g = Guides { trim: vec![page.trim_box], bleed: vec![page.bleed_box], ..Guides::default() };
            let page_t = page.transform.unwrap_or(Transform::IDENTITY);
            let page_folds = folds.get(i).map(Vec::as_slice).unwrap_or_default();
            for placed in &page.content {
                let frame = &frames[placed.frame];
                let placing = placed.rotation.place(frame.size, placed.at);
                let mut trim = bbox(&page_t.after(&placing), frame.trim);
                if let Some(clip) = placed.clip {
                    let clip = bbox(&page_t, clip);
                    trim = intersect(trim, clip);
                    if clip.inflate(Pt(-1e-3)).overhang(&trim).0 < 0.0 && !g.bleed.contains(&clip) {
                        g.bleed.push(clip);
                    }
                }
                // Leaflet panels meet at folds, not cuts: their edges are drawn as folds.
                if page_folds.is_empty() && !g.trim.contains(&trim) {
                    g.trim.push(trim);
                }
                if safe.0 > 0.0 {
                    g.safe.push(trim.inflate(-safe));
                }
            }
            for &f in page_folds {
                let x = page.trim_box.min.x + f;
                g.folds.push((Point::new(x, page.bleed_box.min.y), Point::new(x, page.bleed_box.max.y)));
            }
            g
        })
        .collect()
}

/// The bounding box of a transformed rectangle.
fn bbox(t: &Transform, r: Rect) -> Rect {
    let pts = [r.min, Point::new(r.max.x, r.min.y), Point::new(r.min.x, r.max.y), r.max].map(|p| t.apply(p));
    pts.iter().fold(Rect { min: pts[0], max: pts[0] }, |b, p| Rect {
        min: Point::new(b.min.x.min(p.x), b.min.y.min(p.y)),
        max: Point::new(b.max.x.max(p.x), b.max.y.max(p.y)),
    })
}

fn intersect(a: Rect, b: Rect) -> Rect {
    Rect {
        min: Point::new(a.min.x.max(b.min.x), a.min.y.max(b.min.y)),
        max: Point::new(a.max.x.min(b.max.x), a.max.y.min(b.max.y)),
    }
}

/// Candidate overlay colours, in order of preference: saturated primaries that CMYK artwork
/// converted to screen colours does not reach.
const CANDIDATES: [[u8; 3]; 8] =
    [[255, 0, 255], [0, 255, 0], [0, 0, 255], [255, 0, 0], [0, 255, 255], [255, 255, 0], [255, 128, 0], [128, 0, 255]];

/// A pixel within this distance (per channel) of a candidate counts as that colour.
const TOLERANCE: u8 = 24;

/// The overlay colours for an image: trim, bleed, safe, fold. Each is the first candidate not yet
/// taken that no pixel of the image comes within a small tolerance of; if the image uses too many
/// of them, the remaining roles take the first candidates not yet taken (the line patterns still
/// tell them apart). Deterministic.
pub fn guide_colours(img: &[u8]) -> [[u8; 3]; 4] {
    let mut seen = [false; CANDIDATES.len()];
    for px in img.chunks_exact(4) {
        let (lo, hi) = (px[0].min(px[1]).min(px[2]), px[0].max(px[1]).max(px[2]));
        // Every candidate has a channel at 0 and one at 255: skip pixels that cannot be near one.
        if lo > TOLERANCE || hi < 255 - TOLERANCE {
            continue;
        }
        for (s, c) in seen.iter_mut().zip(&CANDIDATES) {
            *s |= px.iter().zip(c).all(|(&a, &b)| a.abs_diff(b) <= TOLERANCE);
        }
    }
    let free = (0..CANDIDATES.len()).filter(|&k| !seen[k]);
    let order: Vec<usize> = free.chain((0..CANDIDATES.len()).filter(|&k| seen[k])).collect();
    [0, 1, 2, 3].map(|role| CANDIDATES[order[role]])
}

/// Line patterns in line widths: on, off, on, off …
const SOLID: &[u32] = &[1];
const DASHED: &[u32] = &[6, 4];
const DOTTED: &[u32] = &[1, 2];
const DASH_DOT: &[u32] = &[8, 3, 1, 3];

/// The overlay line width in pixels: 1 px at 100 dpi, growing with the resolution.
pub fn line_width(dpi: f32) -> u32 {
    (dpi / 100.0).round().max(1.0) as u32
}

/// Draws guides onto an RGBA8 image rasterized at `dpi`: bleed dashed, trim solid, safe area
/// dotted, folds dash-dot, in the colours of [`guide_colours`] (chosen before drawing).
pub fn draw_guides(img: &mut [u8], w: u32, h: u32, dpi: f32, guides: &Guides) {
    let [trim, bleed, safe, fold] = guide_colours(img);
    let mut canvas = Canvas { img, w, h, scale: f64::from(dpi) / 72.0, lw: line_width(dpi) };
    for r in &guides.bleed {
        canvas.rect(r, DASHED, bleed);
    }
    for r in &guides.safe {
        canvas.rect(r, DOTTED, safe);
    }
    for r in &guides.trim {
        canvas.rect(r, SOLID, trim);
    }
    for (a, b) in &guides.folds {
        canvas.line(*a, *b, DASH_DOT, fold);
    }
}

struct Canvas<'a> {
    img: &'a mut [u8],
    w: u32,
    h: u32,
    scale: f64,
    lw: u32,
}

impl Canvas<'_> {
    fn rect(&mut self, r: &Rect, pattern: &[u32], colour: [u8; 3]) {
        if r.width().0 <= 0.0 || r.height().0 <= 0.0 {
            return;
        }
        let c = [r.min, Point::new(r.max.x, r.min.y), r.max, Point::new(r.min.x, r.max.y)];
        for k in 0..4 {
            self.line(c[k], c[(k + 1) % 4], pattern, colour);
        }
    }

    /// A line of `lw` pixels centred on the segment, the pattern starting at `a`.
    fn line(&mut self, a: Point, b: Point, pattern: &[u32], colour: [u8; 3]) {
        let (x0, y0) = (a.x.0 * self.scale, a.y.0 * self.scale);
        let (x1, y1) = (b.x.0 * self.scale, b.y.0 * self.scale);
        let steps = (x1 - x0).abs().max((y1 - y0).abs()).ceil().max(1.0) as u32;
        let period: u32 = pattern.iter().sum::<u32>() * self.lw;
        for k in 0..=steps {
            if !on(pattern, (k % period) / self.lw) {
                continue;
            }
            let t = f64::from(k) / f64::from(steps);
            let half = f64::from(self.lw) / 2.0;
            self.dot((x0 + (x1 - x0) * t - half).round(), (y0 + (y1 - y0) * t - half).round(), colour);
        }
    }

    /// Paints an `lw` × `lw` square at (x, y); a line just beyond an edge (the page edge is often
    /// the bleed edge) is pulled onto the edge pixels, one further out is left out.
    fn dot(&mut self, x: f64, y: f64, colour: [u8; 3]) {
        let lw = f64::from(self.lw);
        let place = |v: f64, max: u32| {
            let m = f64::from(max);
            (v >= -lw && v < m + lw).then(|| v.clamp(0.0, (m - lw).max(0.0)) as u32)
        };
        let (Some(x), Some(y)) = (place(x, self.w), place(y, self.h)) else { return };
        for yy in y..(y + self.lw).min(self.h) {
            for xx in x..(x + self.lw).min(self.w) {
                let p = ((yy * self.w + xx) * 4) as usize;
                self.img[p..p + 4].copy_from_slice(&[colour[0], colour[1], colour[2], 255]);
            }
        }
    }
}

/// Whether position `k` (in line widths) of a repeating on/off pattern is on.
fn on(pattern: &[u32], k: u32) -> bool {
    let mut rest = k;
    for (i, &len) in pattern.iter().enumerate() {
        if rest < len {
            return i % 2 == 0;
        }
        rest -= len;
    }
    true
}
