//! Fold geometry of a leaflet: panel widths, positions, roles and reading order per fold type
//! (PRINT.md) — a resolved layout, which impose places on the sheet and layout fills.
//!
//! A sheet has an outside and an inside. The back of a point at x on the outside is at W − x on
//! the inside (the sheet turns about its vertical axis), so inside fold positions mirror the
//! outside ones. A panel that folds inside another is narrower by the compensation.

use serde::Deserialize;

use crate::units::{Pt, Size};

/// Fold types.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FoldType {
    /// One fold, four pages: outside [back | front], inside [2 | 3].
    Half,
    /// Roll (letter) fold, six pages: outside [flap | back | front], inside [1 | 2 | 3]; the flap
    /// (and its back, inside 3) narrower by the compensation.
    #[default]
    Roll,
    /// Z-fold (leporello), six equal pages: outside [front | 5 | back], inside [2 | 3 | 4].
    Z,
    /// Gate fold: two flaps meet over a wider centre. Outside [flap | back | flap] (the front is
    /// both flaps side by side), inside [1 | 2 | 3].
    Gate,
}

/// Which side of the sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetSide {
    /// Printed first; carries the cover.
    Outside,
    /// The inside spread.
    Inside,
}

/// What a panel is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelRole {
    /// The front cover (fixed content).
    Cover,
    /// The back panel with sender and contact (fixed content).
    Back,
    /// A panel the text flows through.
    Flow,
}

/// One panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// Name used in diagnostics and JSON, e.g. `flap`, `inside-1`.
    pub name: &'static str,
    /// Role.
    pub role: PanelRole,
    /// Side of the sheet.
    pub side: SheetSide,
    /// Left edge on its side (trim coordinates, from the sheet's left edge as seen on that side).
    pub x: Pt,
    /// Width.
    pub width: Pt,
}

/// Geometry of a folded sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct FoldGeometry {
    /// The flat trimmed sheet (landscape).
    pub sheet: Size,
    /// Panels, outside left to right, then inside left to right.
    pub panels: Vec<Panel>,
    /// Fold positions on the outside (x).
    pub folds_outside: Vec<Pt>,
    /// Fold positions on the inside (x), the mirror of the outside ones.
    pub folds_inside: Vec<Pt>,
    /// Panel indices in reading order (cover first).
    pub reading_order: Vec<usize>,
    /// The folded size.
    pub folded: Size,
}

impl FoldGeometry {
    /// Panels the text flows through, in reading order.
    pub fn flow_panels(&self) -> Vec<usize> {
        self.reading_order.iter().copied().filter(|&i| self.panels[i].role == PanelRole::Flow).collect()
    }
    /// The panel with this name.
    pub fn panel(&self, name: &str) -> Option<usize> {
        self.panels.iter().position(|p| p.name == name)
    }
}

/// Computes the geometry of `fold` on a flat sheet (landscape) with `comp` compensation.
pub fn fold_geometry(fold: FoldType, sheet: Size, comp: Pt) -> FoldGeometry {
    let w = sheet.w;
    let p = |name, role, side, x: Pt, width: Pt| Panel { name, role, side, x, width };
    use PanelRole::*;
    use SheetSide::*;
    let (panels, folds, order, folded_w) = match fold {
        FoldType::Half => {
            let h = w / 2.0;
            (
                vec![
                    p("back", Back, Outside, Pt::ZERO, h),
                    p("front", Cover, Outside, h, h),
                    p("inside-1", Flow, Inside, Pt::ZERO, h),
                    p("inside-2", Flow, Inside, h, h),
                ],
                vec![h],
                vec![1, 2, 3, 0],
                h,
            )
        }
        FoldType::Roll => {
            let base = (w + comp) / 3.0;
            let narrow = base - comp;
            (
                vec![
                    p("flap", Flow, Outside, Pt::ZERO, narrow),
                    p("back", Back, Outside, narrow, base),
                    p("front", Cover, Outside, narrow + base, base),
                    p("inside-1", Flow, Inside, Pt::ZERO, base),
                    p("inside-2", Flow, Inside, base, base),
                    p("inside-3", Flow, Inside, base * 2.0, narrow),
                ],
                vec![narrow, narrow + base],
                vec![2, 0, 3, 4, 5, 1],
                base,
            )
        }
        FoldType::Z => {
            let t = w / 3.0;
            (
                vec![
                    p("front", Cover, Outside, Pt::ZERO, t),
                    p("panel-5", Flow, Outside, t, t),
                    p("back", Back, Outside, t * 2.0, t),
                    p("inside-1", Flow, Inside, Pt::ZERO, t),
                    p("inside-2", Flow, Inside, t, t),
                    p("inside-3", Flow, Inside, t * 2.0, t),
                ],
                vec![t, t * 2.0],
                vec![0, 3, 4, 5, 1, 2],
                t,
            )
        }
        FoldType::Gate => {
            let centre = w / 2.0 + comp / 2.0;
            let flap = (w - centre) / 2.0;
            (
                vec![
                    p("front-left", Cover, Outside, Pt::ZERO, flap),
                    p("back", Back, Outside, flap, centre),
                    p("front-right", Cover, Outside, flap + centre, flap),
                    p("inside-1", Flow, Inside, Pt::ZERO, flap),
                    p("inside-2", Flow, Inside, flap, centre),
                    p("inside-3", Flow, Inside, flap + centre, flap),
                ],
                vec![flap, flap + centre],
                vec![0, 2, 3, 4, 5, 1],
                centre,
            )
        }
    };
    let folds_inside = folds.iter().rev().map(|&x| w - x).collect();
    FoldGeometry {
        sheet,
        panels,
        folds_outside: folds,
        folds_inside,
        reading_order: order,
        folded: Size { w: folded_w, h: sheet.h },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Mm;

    fn a4() -> Size {
        Size { w: Mm(297.0).to_pt(), h: Mm(210.0).to_pt() }
    }

    fn widths(g: &FoldGeometry, side: SheetSide) -> Vec<f64> {
        g.panels.iter().filter(|p| p.side == side).map(|p| (p.width.to_mm().0 * 10.0).round() / 10.0).collect()
    }

    #[test]
    fn roll_fold_matches_print_md() {
        let g = fold_geometry(FoldType::Roll, a4(), Mm(3.0).to_pt());
        assert_eq!(widths(&g, SheetSide::Outside), vec![97.0, 100.0, 100.0]);
        assert_eq!(widths(&g, SheetSide::Inside), vec![100.0, 100.0, 97.0]);
        let mm = |v: &Vec<Pt>| v.iter().map(|x| (x.to_mm().0 * 10.0).round() / 10.0).collect::<Vec<_>>();
        assert_eq!(mm(&g.folds_outside), vec![97.0, 197.0]);
        assert_eq!(mm(&g.folds_inside), vec![100.0, 200.0]);
        let names: Vec<&str> = g.reading_order.iter().map(|&i| g.panels[i].name).collect();
        assert_eq!(names, vec!["front", "flap", "inside-1", "inside-2", "inside-3", "back"]);
        assert!((g.folded.w.to_mm().0 - 100.0).abs() < 1e-9);
    }

    #[test]
    fn every_inside_panel_backs_an_outside_panel_of_the_same_width() {
        for fold in [FoldType::Half, FoldType::Roll, FoldType::Z, FoldType::Gate] {
            let g = fold_geometry(fold, a4(), Mm(3.0).to_pt());
            let w = g.sheet.w;
            for o in g.panels.iter().filter(|p| p.side == SheetSide::Outside) {
                let mirrored = w - o.x - o.width;
                let i = g.panels.iter().find(|p| p.side == SheetSide::Inside && (p.x - mirrored).abs().0 < 1e-6);
                assert!(
                    i.is_some_and(|i| (i.width - o.width).abs().0 < 1e-6),
                    "{fold:?}: no inside panel behind {}",
                    o.name
                );
            }
            for side in [SheetSide::Outside, SheetSide::Inside] {
                let total: f64 = g.panels.iter().filter(|p| p.side == side).map(|p| p.width.0).sum();
                assert!((total - w.0).abs() < 1e-6, "{fold:?} panels do not fill the sheet");
            }
            for (a, b) in g.folds_outside.iter().zip(g.folds_inside.iter().rev()) {
                assert!((w - *a - *b).abs().0 < 1e-6, "inside folds mirror the outside ones");
            }
            assert_eq!(g.reading_order.len(), g.panels.len());
            assert_eq!(g.panels[g.reading_order[0]].role, PanelRole::Cover);
        }
    }

    #[test]
    fn other_folds_have_the_print_md_widths() {
        let z = fold_geometry(FoldType::Z, a4(), Mm(3.0).to_pt());
        assert_eq!(widths(&z, SheetSide::Outside), vec![99.0, 99.0, 99.0]);
        let g = fold_geometry(FoldType::Gate, a4(), Mm(3.0).to_pt());
        assert_eq!(widths(&g, SheetSide::Outside), vec![73.5, 150.0, 73.5]);
        let h = fold_geometry(FoldType::Half, a4(), Mm(3.0).to_pt());
        assert_eq!(widths(&h, SheetSide::Inside), vec![148.5, 148.5]);
    }
}
