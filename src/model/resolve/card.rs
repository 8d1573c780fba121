//! Resolving a card layout file into a [`CardLayout`].

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Resolver;
use crate::diag::Diagnostic;
use crate::model::card_layout::CardLayout;
use crate::model::element::ColorRef;
use crate::model::layout::CardLayoutFile;
use crate::model::source::SourceFile;
use crate::text::FontBook;
use crate::units::{Point, Rect, Size};

/// Resolves and checks a card layout file.
pub fn card_layout(name: String, file: Arc<SourceFile>, fonts: &FontBook) -> Result<CardLayout, Vec<Diagnostic>> {
    let spec: CardLayoutFile = file.de_root().map_err(|d| vec![d])?;
    let mut r = Resolver::new(&file, spec.ink_limit, &spec.colors);
    let trim = Size { w: spec.trim.width.pt(), h: spec.trim.height.pt() };
    if trim.w.0 <= 0.0 || trim.h.0 <= 0.0 {
        r.error(Diagnostic::error("trim width and height must be positive").at(file.locate("trim")));
    }
    let bleed = spec.bleed.pt();
    let safe = spec.safe.pt();
    if bleed.0 < 0.0 || safe.0 < 0.0 {
        r.error(Diagnostic::error("bleed and safe margin cannot be negative").at(file.locate("bleed")));
    }
    r.styles(&spec.styles, fonts);

    // Category colours.
    let mut category_colors = BTreeMap::new();
    let mut default_category_color = None;
    let mut category_icons = BTreeMap::new();
    for (k, c) in &spec.categories {
        if let Some(icon) = &c.icon {
            category_icons.insert(k.clone(), icon.clone());
        }
        match r.color(&c.color, &format!("categories.{k}.color")) {
            Some(ColorRef::Fixed(col)) if k == "*" => default_category_color = Some(col),
            Some(ColorRef::Fixed(col)) => {
                category_colors.insert(k.clone(), col);
            }
            Some(ColorRef::Category) => r.error(
                Diagnostic::error("a category colour cannot be `category`")
                    .at(file.locate(&format!("categories.{k}.color"))),
            ),
            None => {}
        }
    }

    let trim_rect = Rect::from_origin_size(Point::new(bleed, bleed), trim);
    let safe_rect = trim_rect.inflate(-safe);
    let front = r.template("front", &spec.front, trim_rect, safe_rect);
    let back = r.template("back", &spec.back, trim_rect, safe_rect);
    let artwork_colors = r.artwork_colors(&spec.artwork_colors);
    let warnings = r.finish()?;
    Ok(CardLayout {
        name,
        file: file.clone(),
        trim,
        bleed,
        safe,
        category_colors,
        default_category_color,
        category_icons,
        front,
        back,
        overprint_black: spec.overprint_black,
        artwork_colors,
        warnings,
    })
}
