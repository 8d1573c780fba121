//! Laying out card faces from a layout's templates.

use crate::assets::{ImageAsset, ImageCache};
use crate::diag::{Diagnostic, Location};
use crate::model::color::Color;
use crate::model::layout::{Fit, VAlign};
use crate::model::{Card, CardLayout, ColorRef, Deck, Element, ImageSource, TextSource};
use crate::text::markup;
use crate::text::shape::Shaper;
use crate::text::{FontBook, TextBlock, TextError, Typesetter};
use crate::units::{Point, Pt, Rect, Size};

use super::frame::{Frame, FrameItem, Stroke};

/// Which side of a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    /// The front.
    Front,
    /// The back.
    Back,
}

/// Where an image of `w`×`h` pixels is drawn in box `b`, and the clip (for `cover`).
pub fn fit_image(b: Rect, w: u32, h: u32, fit: Fit) -> (Rect, Option<Rect>) {
    let (bw, bh) = (b.width().0, b.height().0);
    let aspect = w as f64 / h.max(1) as f64;
    let scaled = |scale_w: f64| {
        let (dw, dh) = (scale_w, scale_w / aspect);
        let min = Point::new(Pt(b.min.x.0 + (bw - dw) / 2.0), Pt(b.min.y.0 + (bh - dh) / 2.0));
        Rect::from_origin_size(min, Size { w: Pt(dw), h: Pt(dh) })
    };
    match fit {
        Fit::Stretch => (b, None),
        Fit::Contain => (scaled(bw.min(bh * aspect)), None),
        Fit::Cover => (scaled(bw.max(bh * aspect)), Some(b)),
    }
}

/// Effective resolution at the placed size: below 150 ppi is an error, below 300 a warning.
pub fn check_resolution(a: &ImageAsset, drawn: Rect) -> Option<Diagnostic> {
    let ppi_x = a.width as f64 / (drawn.width().0 / 72.0);
    let ppi_y = a.height as f64 / (drawn.height().0 / 72.0);
    let ppi = ppi_x.min(ppi_y);
    let what = format!(
        "image {} has {ppi:.0} ppi at its placed size ({:.1} × {:.1} mm)",
        a.path.display(),
        drawn.width().to_mm().0,
        drawn.height().to_mm().0
    );
    let hint = format!(
        "print needs 300 ppi: supply at least {} × {} pixels, or place it smaller",
        (drawn.width().0 / 72.0 * 300.0).ceil(),
        (drawn.height().0 / 72.0 * 300.0).ceil()
    );
    if ppi < 150.0 {
        Some(Diagnostic::error(format!("{what}: too coarse for print")).with_hint(hint))
    } else if ppi < 300.0 {
        Some(Diagnostic::warning(format!("{what}: below the 300 ppi print prefers")).with_hint(hint))
    } else {
        None
    }
}

/// One card's faces.
#[derive(Clone, Debug)]
pub struct CardFaces {
    /// Card id.
    pub id: String,
    /// Copies to print.
    pub copies: u32,
    /// Front.
    pub front: Frame,
    /// Back.
    pub back: Frame,
}

/// Lays out every card of a deck. Returns the faces (only when there are no errors) and all
/// diagnostics (errors and warnings), located in the deck file.
///
/// `back_extra_bleed` grows the backs' bleed (to hide duplex misregistration); elements that run
/// into the bleed follow it.
pub fn layout_deck(
    deck: &Deck,
    layout: &CardLayout,
    fonts: &FontBook,
    images: &ImageCache,
    back_extra_bleed: Pt,
) -> (Option<Vec<CardFaces>>, Vec<Diagnostic>) {
    let ts = Typesetter::new(Shaper::new(fonts), &deck.hyphenator);
    let mut out = Vec::with_capacity(deck.cards.len());
    let mut diags = Vec::new();
    let total = deck.cards.len();
    for (n, card) in deck.cards.iter().enumerate() {
        let cx = CardCtx { deck, layout, card, number: n + 1, total, images };
        let front = cx.face(&layout.front, Face::Front, Pt::ZERO, &ts, &mut diags);
        let back = cx.face(&layout.back, Face::Back, back_extra_bleed, &ts, &mut diags);
        out.push(CardFaces { id: card.id.clone(), copies: card.copies, front, back });
    }
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(out), diags)
}

struct CardCtx<'a> {
    deck: &'a Deck,
    layout: &'a CardLayout,
    card: &'a Card,
    number: usize,
    total: usize,
    images: &'a ImageCache,
}

impl CardCtx<'_> {
    fn color(&self, c: &ColorRef) -> Color {
        match c {
            ColorRef::Fixed(c) => c.clone(),
            ColorRef::Category => self
                .layout
                .category_colors
                .get(&self.card.category)
                .or(self.layout.default_category_color.as_ref())
                .cloned()
                .unwrap_or(Color::BLACK),
        }
    }

    /// A card field by name (`question`, `back.text`, `category`).
    fn field(&self, name: &str) -> Option<String> {
        if name == "category" {
            return Some(self.deck.category_label(&self.card.category).to_string());
        }
        match name.strip_prefix("back.") {
            Some(b) => self.card.back.get(b).cloned(),
            None => self.card.fields.get(name).cloned(),
        }
    }

    fn value(&self, name: &str) -> Option<String> {
        let d = self.deck;
        match name {
            "deck.title" => Some(d.title.clone()),
            "deck.subtitle" => d.subtitle.clone(),
            "deck.sender" => d.sender.clone(),
            "card.id" => Some(self.card.id.clone()),
            "card.number" => Some(self.number.to_string()),
            "card.total" => Some(self.total.to_string()),
            _ => self.field(name),
        }
    }

    fn subject(&self, field: &str) -> String {
        format!("deck {}, card {}, field `{field}`", self.deck.name, self.card.id)
    }

    /// Location of a field in the deck file.
    fn locate(&self, field: &str) -> Location {
        let base = format!("cards[{}]", self.card.index);
        let path = match field.strip_prefix("back.") {
            Some(b) => format!("{base}.back.{b}"),
            None if field == "category" => format!("{base}.category"),
            None => format!("{base}.fields.{field}"),
        };
        self.deck.file.locate(&path)
    }

    fn face(&self, elements: &[Element], face: Face, extra: Pt, ts: &Typesetter, diags: &mut Vec<Diagnostic>) -> Frame {
        let bleed = self.layout.bleed + extra;
        let size = self.layout.frame_size(bleed);
        let mut frame = Frame { size, trim: self.layout.trim_rect(bleed), items: Vec::new(), blocks: Vec::new() };
        let shift = |p: Point| Point::new(p.x + extra, p.y + extra);
        for e in elements {
            match e {
                Element::Rect { rect, bleed_edges, fill, stroke, when } => {
                    if when.as_ref().is_some_and(|w| self.field(w).is_none()) {
                        continue;
                    }
                    let mut r = Rect { min: shift(rect.min), max: shift(rect.max) };
                    let [l, t, rt, b] = *bleed_edges;
                    if l {
                        r.min.x = Pt::ZERO;
                    }
                    if t {
                        r.min.y = Pt::ZERO;
                    }
                    if rt {
                        r.max.x = size.w;
                    }
                    if b {
                        r.max.y = size.h;
                    }
                    frame.items.push(FrameItem::Rect {
                        rect: r,
                        fill: fill.as_ref().map(|c| self.color(c)),
                        stroke: stroke.as_ref().map(|(c, w)| Stroke { color: self.color(c), width: *w, dash: None }),
                    });
                }
                Element::Line { from, to, width, color, when } => {
                    if when.as_ref().is_some_and(|w| self.field(w).is_none()) {
                        continue;
                    }
                    frame.items.push(FrameItem::Line {
                        from: *from,
                        to: *to,
                        stroke: Stroke { color: self.color(color), width: *width, dash: None },
                    });
                }
                Element::Text { .. } => self.text(e, face, extra, ts, &mut frame, diags),
                Element::Image { source, rect, bleed_edges, fit, optional, path } => {
                    let (file, located) = match source {
                        ImageSource::File(f) => (f.clone(), self.layout.file.locate(&format!("{path}.src"))),
                        ImageSource::Field(f) => match self.field(f) {
                            Some(v) => (v, self.locate(f)),
                            None if *optional => continue,
                            None => continue, // reported when the deck was loaded
                        },
                    };
                    let subject = format!("deck {}, card {}, image {path}", self.deck.name, self.card.id);
                    let asset = match self.images.get(&file) {
                        Ok(a) => a,
                        Err(e) => {
                            diags.push(Diagnostic::error(e).at(located).about(subject));
                            continue;
                        }
                    };
                    let mut b = Rect { min: shift(rect.min), max: shift(rect.max) };
                    let [l, t, rt, bt] = *bleed_edges;
                    if l {
                        b.min.x = Pt::ZERO;
                    }
                    if t {
                        b.min.y = Pt::ZERO;
                    }
                    if rt {
                        b.max.x = size.w;
                    }
                    if bt {
                        b.max.y = size.h;
                    }
                    let (drawn, clip) = fit_image(b, asset.width, asset.height, *fit);
                    if let Some(d) = check_resolution(&asset, drawn) {
                        diags.push(d.at(located).about(subject));
                    }
                    frame.items.push(FrameItem::Image { rect: drawn, clip, asset });
                }
            }
        }
        frame
    }

    fn text(
        &self,
        e: &Element,
        face: Face,
        extra: Pt,
        ts: &Typesetter,
        frame: &mut Frame,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Element::Text { source, rect, style: (style_name, style), valign, min_size, color, optional, path } = e
        else {
            return;
        };
        // Resolve the text and the name diagnostics should use for it.
        let (text, field_name) = match source {
            TextSource::Field(f) => match self.field(f) {
                Some(t) => (t, f.clone()),
                None if *optional => return,
                None => return, // reported when the deck was loaded
            },
            TextSource::Template(t) => {
                let mut s = String::new();
                let mut rest = t.as_str();
                let mut missing = false;
                while let Some(a) = rest.find('{') {
                    s.push_str(&rest[..a]);
                    let Some(b) = rest[a..].find('}') else { break };
                    match self.value(rest[a + 1..a + b].trim()) {
                        Some(v) => s.push_str(&v),
                        None => missing = true,
                    }
                    rest = &rest[a + b + 1..];
                }
                s.push_str(rest);
                if missing && *optional {
                    return;
                }
                (s, format!("{} {path}", if face == Face::Front { "front" } else { "back" }))
            }
        };
        let err = |msg: String, hint: Option<String>| {
            let mut d = Diagnostic::error(msg).at(self.locate(&field_name)).about(self.subject(&field_name));
            if let Some(h) = hint {
                d = d.with_hint(h);
            }
            d
        };
        let paras = match markup::parse(&text) {
            Ok(p) => p,
            Err(m) => {
                diags.push(err(TextError::Markup(m).message(), None));
                return;
            }
        };
        let width = rect.width();
        let height = rect.height();
        // Auto-fit: from the style's size down to min_size in quarter points.
        let mut size = style.para.size;
        let floor = min_size.unwrap_or(size);
        let (block, used): (TextBlock, Pt) = loop {
            let st = style.para.scaled_to(size);
            match ts.set(&paras, &st, width) {
                Ok(b) if b.height.0 <= height.0 + 0.01 => break (b, size),
                Ok(b) if size.0 - 0.25 < floor.0 - 1e-9 => {
                    let over = (b.height - height).to_mm().0;
                    diags.push(err(
                        format!("text does not fit its box: {over:.1} mm too tall at {:.2} pt", size.0),
                        Some(if min_size.is_some() {
                            format!(
                                "shorten the text, or lower `min_size` of {path} in {}",
                                self.layout.file.path.display()
                            )
                        } else {
                            format!(
                                "shorten the text, or give {path} in {} a `min_size` so it may shrink",
                                self.layout.file.path.display()
                            )
                        }),
                    ));
                    return;
                }
                Err(e @ TextError::Overfull { .. }) if size.0 - 0.25 < floor.0 - 1e-9 => {
                    diags.push(err(e.message(), Some("add a soft hyphen (\\u00ad) where the word may break, or add it to the deck's hyphenation exceptions".into())));
                    return;
                }
                Err(TextError::Overfull { .. }) | Ok(_) => size = Pt(size.0 - 0.25),
                Err(e) => {
                    let hint = match e {
                        TextError::MissingGlyph { .. } => {
                            Some("replace the character, or use a font that has it".to_string())
                        }
                        TextError::MissingVariant { .. } => {
                            Some("remove the markup or add the font face to fonts/".to_string())
                        }
                        _ => None,
                    };
                    diags.push(err(e.message(), hint));
                    return;
                }
            }
        };
        if block.loose_lines > 0 {
            diags.push(
                Diagnostic::warning(format!(
                    "{} line(s) could not be set within the spacing tolerance",
                    block.loose_lines
                ))
                .with_hint("add a soft hyphen (\\u00ad) to a long word or reword the text")
                .at(self.locate(&field_name))
                .about(self.subject(&field_name)),
            );
        }
        let _ = used;
        let dy = match valign {
            VAlign::Top => Pt::ZERO,
            VAlign::Middle => (height - block.height) / 2.0,
            VAlign::Bottom => height - block.height,
        };
        let fill = self.color(color.as_ref().unwrap_or(&style.color));
        for line in block.lines {
            for run in line.runs {
                let origin = Point::new(rect.min.x + extra + run.x, rect.min.y + extra + dy + line.baseline);
                frame.items.push(FrameItem::Text { origin, run, color: fill.clone() });
            }
        }
        let _ = style_name;
    }
}
