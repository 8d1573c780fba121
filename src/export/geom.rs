//! tryksag's geometry and glyph runs in krilla's types (points, top-left origin, y down in both).

use std::borrow::Cow;

use krilla::geom::{Path, PathBuilder, Rect as KRect, Transform};
use krilla::text::{GlyphId, KrillaGlyph};

use crate::units::Rect;

/// A tryksag transform as krilla's.
pub(crate) fn ktransform(t: &crate::units::Transform) -> Transform {
    Transform::from_row(t.sx as f32, t.ky as f32, t.kx as f32, t.sy as f32, t.tx as f32, t.ty as f32)
}

/// krilla's rectangle; `None` for one without area or with a coordinate f32 cannot hold (the model
/// keeps lengths within ±10 m, so this is a guard, not a path real input takes).
pub(crate) fn krect(r: &Rect) -> Option<KRect> {
    KRect::from_ltrb(r.min.x.0 as f32, r.min.y.0 as f32, r.max.x.0 as f32, r.max.y.0 as f32)
}

/// A rectangle as a path; `None` when it has no area.
pub(crate) fn rect_path(r: &Rect) -> Option<Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(krect(r)?);
    pb.finish()
}

/// A run's glyphs for krilla: advances and offsets normalised by the font size (krilla's unit),
/// y offsets flipped (tryksag's y grows downwards); and the text they stand for. A hyphen that
/// line breaking inserted stands for a soft hyphen (U+00AD), as ISO 32000 § 14.9.4 suggests, so
/// that text copied from the file has whole words (krilla writes it as the glyph's ToUnicode or,
/// when the glyph also shows real hyphens, as ActualText).
pub(crate) fn krilla_glyphs(run: &crate::text::GlyphRun) -> (Cow<'_, str>, Vec<KrillaGlyph>) {
    let size = run.size.0 as f32;
    let soft = run.inserted_hyphen && run.text.ends_with('-');
    let text =
        if soft { Cow::Owned(format!("{}\u{ad}", &run.text[..run.text.len() - 1])) } else { Cow::Borrowed(&*run.text) };
    let last = run.glyphs.len().wrapping_sub(1);
    let glyphs = (run.glyphs.iter().enumerate())
        .map(|(i, g)| {
            let range = if soft && i == last { g.text().start..text.len() } else { g.text() };
            KrillaGlyph::new(
                GlyphId::new(g.id as u32),
                g.advance().0 as f32 / size,
                g.x_offset().0 as f32 / size,
                -(g.y_offset().0 as f32) / size,
                0.0,
                range,
                None,
            )
        })
        .collect();
    (text, glyphs)
}
