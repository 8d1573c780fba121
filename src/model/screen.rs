//! The download version's page as written in a layout (`"screen": { "page": "A4", … }`) and
//! resolved: a portrait page with one centred column for reading on screens. Leaflets use it now;
//! any product whose download version is reflowed (the booklet) can carry the same block.

use serde::Deserialize;

use super::range::{Extent, FontSize, Inset, Len};
use super::sheet::named_size;
use crate::diag::Diagnostic;
use crate::units::{Mm, Pt, Size};

/// The paper size of a reflowed download version (portrait).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
pub enum ScreenPaper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 148 × 210 mm.
    A5,
}

/// `"screen"` in a layout: how the download version's pages look.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenSpec {
    /// `A4` (default) or `A5`, portrait.
    #[serde(default)]
    pub page: ScreenPaper,
    /// Body text size (default 12 pt on A4, 10.5 pt on A5); every style of the layout is scaled
    /// by the same factor, so headings keep their proportion to the body.
    #[serde(default)]
    pub body_size: Option<Len<FontSize>>,
    /// Width of the one text column, centred (default 145 mm on A4, 108 mm on A5): about 60–75
    /// characters a line at the body size.
    #[serde(default)]
    pub measure: Option<Len<Extent>>,
    /// Space above the column (default 25 mm on A4, 18 mm on A5).
    #[serde(default)]
    pub top: Option<Len<Inset>>,
    /// Space below the column, where the page number stands (default 25 mm on A4, 18 mm on A5).
    #[serde(default)]
    pub bottom: Option<Len<Inset>>,
}

/// A resolved screen page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenLayout {
    /// Page size (portrait).
    pub size: Size,
    /// Body text size.
    pub body_size: Pt,
    /// Column width.
    pub measure: Pt,
    /// Space above the column.
    pub top: Pt,
    /// Space below the column.
    pub bottom: Pt,
}

/// Least space between the column and a page edge, and least column height.
const LEAST_SIDE: Mm = Mm(10.0);
const LEAST_HEIGHT: Mm = Mm(100.0);

impl ScreenSpec {
    /// The resolved page; an error (at `screen.…` in `file`) when the column leaves no margin.
    pub fn resolve(&self, file: &super::source::SourceFile) -> Result<ScreenLayout, Diagnostic> {
        let (name, body, measure, margin) = match self.page {
            ScreenPaper::A4 => ("A4", 12.0, 145.0, 25.0),
            ScreenPaper::A5 => ("A5", 10.5, 108.0, 18.0),
        };
        let (w, h) = named_size(name).expect("A4 and A5 are named sizes");
        let size = Size { w: Mm(w.min(h)).to_pt(), h: Mm(w.max(h)).to_pt() };
        let s = ScreenLayout {
            size,
            body_size: self.body_size.map_or(Pt(body), |l| l.pt()),
            measure: self.measure.map_or(Mm(measure).to_pt(), |l| l.pt()),
            top: self.top.map_or(Mm(margin).to_pt(), |l| l.pt()),
            bottom: self.bottom.map_or(Mm(margin).to_pt(), |l| l.pt()),
        };
        let side = (size.w - s.measure) * 0.5;
        if side < LEAST_SIDE.to_pt() {
            return Err(Diagnostic::error(format!(
                "the screen column is {:.0} mm wide: it leaves less than {:.0} mm each side of an {name} page",
                s.measure.to_mm().0,
                LEAST_SIDE.0
            ))
            .with_hint(format!("an {name} page is {:.0} mm wide; 60–75 characters a line read best", w.min(h)))
            .at(file.locate("screen.measure")));
        }
        if size.h - s.top - s.bottom < LEAST_HEIGHT.to_pt() {
            return Err(Diagnostic::error(format!(
                "`top` and `bottom` leave less than {:.0} mm of the {name} page for text",
                LEAST_HEIGHT.0
            ))
            .at(file.locate("screen")));
        }
        Ok(s)
    }
}
