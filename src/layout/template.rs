//! Laying out template elements (text boxes, rectangles, lines, images) into a frame, for any
//! content that can answer field look-ups: card faces and leaflet panels alike.

use crate::assets::ImageCache;
use crate::diag::{Diagnostic, Location, Topic};
use crate::model::color::Color;
use crate::model::layout::{Fit, TextRole, VAlign};
use crate::model::{ColorRef, Element, ImageSource, TextSource};
use crate::text::markup;
use crate::text::{TextBlock, TextError, Typesetter};
use crate::units::{Point, Pt, Rect, Size};

use super::contrast::Contrast;
use super::frame::{Block, BlockKind, Frame, FrameItem, Stroke};
use super::gwg::{Checker, line_area};
use super::picture::Picture;
use super::typography::{FieldReport, TypographyLog};

/// What a template needs to know about the content it shows.
pub trait TemplateData {
    /// A field or placeholder value (`question`, `back.text`, `deck.title`, `region.phone`, …).
    fn value(&self, name: &str) -> Option<String>;
    /// Where a field lives in the content file.
    fn locate(&self, field: &str) -> Location;
    /// What diagnostics about a field concern, e.g. `deck d, card a, field `question``.
    fn subject(&self, field: &str) -> String;
    /// What diagnostics about a placed image concern, e.g. `deck d, card a, image images/x.png`.
    fn image_subject(&self, path: &str) -> String;
    /// The colour `"category"` stands for.
    fn category_color(&self) -> Option<Color> {
        None
    }
    /// What a text box means for the tagged download version: by default its `role`; a card face
    /// infers more from what the box shows (see [`crate::layout::card`]).
    fn block_kind(&self, _source: &TextSource, role: TextRole, _face: &str) -> Option<BlockKind> {
        role_kind(role)
    }
}

/// The block a text box's declared role makes (`None`: decoration, an artifact).
#[must_use]
pub fn role_kind(role: TextRole) -> Option<BlockKind> {
    match role {
        TextRole::Title => Some(BlockKind::Title),
        TextRole::Heading => Some(BlockKind::Heading(2)),
        TextRole::Paragraph => Some(BlockKind::Paragraph),
        TextRole::Decoration => None,
    }
}

/// Shared tools for laying out elements.
pub struct Env<'a> {
    /// Typesetter (shaping cache, hyphenation).
    pub ts: &'a Typesetter<'a>,
    /// Images.
    pub images: &'a ImageCache,
    /// The layout file, for locating template problems and for hints.
    pub layout_file: &'a crate::model::source::SourceFile,
    /// The print condition's rules, checked as items are made.
    pub check: Checker<'a>,
    /// The contrast of text against its background.
    pub contrast: Option<Contrast>,
    /// Layout colours for the sRGB colours of SVG artwork (`artwork_colors`).
    pub art_colors: &'a super::artwork::ArtColors,
    /// Where the typography report is collected (`check --typography`); `None`: not asked for.
    pub typography: Option<&'a TypographyLog>,
}

/// Substitutes `{placeholders}` for which `wanted` is true; returns the text and the names that
/// had no value.
pub fn substitute(t: &str, data: &dyn TemplateData, wanted: impl Fn(&str) -> bool) -> (String, Vec<String>) {
    let mut s = String::new();
    let mut rest = t;
    let mut missing = Vec::new();
    while let Some(a) = rest.find('{') {
        s.push_str(&rest[..a]);
        let Some(b) = rest[a..].find('}') else { break };
        let name = rest[a + 1..a + b].trim();
        if wanted(name) {
            match data.value(name) {
                Some(v) => s.push_str(&v),
                None => missing.push(name.to_string()),
            }
        } else {
            s.push_str(&rest[a..a + b + 1]);
        }
        rest = &rest[a + b + 1..];
    }
    s.push_str(rest);
    (s, missing)
}

/// Whether `{name}` is meant as a placeholder: a name of letters, digits, `.`, `_` and `-`
/// (braces around other text, such as a sentence, are printed as they are).
pub fn is_placeholder(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Substitutes every `{placeholder}` of a template.
pub fn fill_template(t: &str, data: &dyn TemplateData) -> (String, Vec<String>) {
    substitute(t, data, |_| true)
}

fn resolve_color(c: &ColorRef, data: &dyn TemplateData) -> Color {
    match c {
        ColorRef::Fixed(c) => c.clone(),
        ColorRef::Category => data.category_color().unwrap_or(Color::BLACK),
    }
}

/// Moves `rect` by `extra` (a larger bleed than the layout's) and runs flagged edges out to the
/// frame edge.
fn place(rect: &Rect, bleed_edges: &[bool; 4], extra: Pt, size: Size) -> Rect {
    let mut r = rect.translate(extra, extra);
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
    r
}

/// Lays out `elements` into `frame`. `extra` is how much larger the frame's bleed is than the one
/// the elements were resolved for; `face` names the template in diagnostics (e.g. `front`).
pub fn lay_out_elements(
    elements: &[Element],
    data: &dyn TemplateData,
    env: &Env,
    frame: &mut Frame,
    extra: Pt,
    face: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let size = frame.size;
    let shift = |p: Point| Point::new(p.x + extra, p.y + extra);
    for e in elements {
        match e {
            Element::Rect { rect, bleed_edges, fill, stroke, when, path } => {
                if when.as_ref().is_some_and(|w| data.value(w).is_none()) {
                    continue;
                }
                let rect = place(rect, bleed_edges, extra, size);
                let fill = fill.as_ref().map(|c| resolve_color(c, data));
                let stroke =
                    stroke.as_ref().map(|(c, w)| Stroke { color: resolve_color(c, data), width: *w, dash: None });
                let mut found = Vec::new();
                if let Some(f) = &fill {
                    env.check.fill(f, &mut found);
                }
                frame.items.push(FrameItem::Rect { rect, fill, stroke: stroke.clone() });
                if let Some(s) = &stroke {
                    // The rectangle's own fill lies beneath its outline.
                    env.check.stroke(&s.color, s.width, rect.inflate(s.width / 2.0), &frame.items, &mut found);
                }
                locate_element(found, data, env, face, path, diags);
            }
            Element::Line { from, to, width, color, when, path } => {
                if when.as_ref().is_some_and(|w| data.value(w).is_none()) {
                    continue;
                }
                let (from, to) = (shift(*from), shift(*to));
                let color = resolve_color(color, data);
                let mut found = Vec::new();
                env.check.stroke(&color, *width, line_area(from, to, *width), &frame.items, &mut found);
                frame.items.push(FrameItem::Line { from, to, stroke: Stroke { color, width: *width, dash: None } });
                locate_element(found, data, env, face, path, diags);
            }
            Element::Text { .. } => text(e, data, env, frame, extra, face, diags),
            Element::Image { source, rect, bleed_edges, fit, optional, alt, page, path } => {
                let (file, located) = match source {
                    ImageSource::File(f) => (f.clone(), env.layout_file.locate(&format!("{path}.src"))),
                    ImageSource::Field(f) => match data.value(f) {
                        Some(v) => (v, data.locate(f)),
                        None if *optional => continue,
                        None => continue, // reported when the content was loaded
                    },
                };
                let subject = data.image_subject(path);
                if page.is_some() && !crate::model::element::is_pdf(&file) {
                    // Only a field's file gets here (a fixed one was judged with the layout).
                    diags.push(
                        Diagnostic::error(format!("`page` is only for pdf artwork, and {file} is not a pdf file"))
                            .at(located)
                            .about(subject)
                            .with_hint("name a .pdf file, or remove \"page\" from the layout's image")
                            .with_topic(Topic::Image),
                    );
                    continue;
                }
                let b = place(rect, bleed_edges, extra, size);
                let mut found = Vec::new();
                let placed =
                    Picture::place(env.images, (&file, *page), env.art_colors, (b, *fit), &env.check, &mut found);
                diags.extend(found.into_iter().map(|d| d.at(located.clone()).about(subject.clone())));
                let item = match placed {
                    Ok(item) => item,
                    Err(e) => {
                        diags.push(e.at(located).about(subject));
                        continue;
                    }
                };
                let start = frame.items.len();
                frame.items.push(item);
                if let Some(alt) = alt {
                    frame.blocks.push(Block {
                        kind: BlockKind::Figure { alt: alt.clone() },
                        items: start..start + 1,
                        text: alt.clone(),
                    });
                }
            }
        }
    }
}

fn text(
    e: &Element,
    data: &dyn TemplateData,
    env: &Env,
    frame: &mut Frame,
    extra: Pt,
    face: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let Element::Text { source, rect, style: (style_name, style), valign, min_size, color, optional, role, path } = e
    else {
        return;
    };
    let (text, field_name, missing) = match source {
        TextSource::Field(f) => match data.value(f) {
            // A card's own text may use placeholders too; one that has no value is an error,
            // never printed literally on a card.
            Some(t) => {
                let (s, missing) = substitute(&t, data, is_placeholder);
                (s, f.clone(), missing)
            }
            None => return, // optional, or reported when the content was loaded
        },
        TextSource::Template(t) => {
            let (s, missing) = fill_template(t, data);
            if !missing.is_empty() && *optional {
                return;
            }
            (s, format!("{face} {path}"), missing)
        }
    };
    // A template's text is the layout's: what is found in it points there; a field's, at the card.
    // Located only if something is found (most text boxes of most cards have nothing to report).
    let at = std::cell::LazyCell::new(|| match source {
        TextSource::Field(_) => data.locate(&field_name),
        TextSource::Template(_) => env.layout_file.locate(path),
    });
    // Any text may use region data: `{region.name}`, `{region.phone}`, …
    let (text, mut missing) = {
        let (t, m) = substitute(&text, data, |n| n.starts_with("region."));
        (t, missing.into_iter().chain(m).collect::<Vec<_>>())
    };
    missing.dedup();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|m| format!("{{{m}}}")).collect();
        let hint = if missing.iter().all(|m| m.starts_with("region.")) {
            "region fields are the keys under \"fields\" in decks/regions.json (and `region.name`); or mark the text box \"optional\": true"
        } else {
            "placeholders are {deck.title}, {deck.subtitle}, {deck.sender}, {category}, {card.id}, {card.number}, {card.total}, {region.<field>} or a card field; check the spelling"
        };
        diags.push(
            Diagnostic::error(format!("unknown placeholder {}", names.join(", ")))
                .with_hint(hint)
                .at((*at).clone())
                .about(data.subject(&field_name)),
        );
        return;
    }
    let err = |msg: String, hint: Option<String>| {
        let mut d = Diagnostic::error(msg).at((*at).clone()).about(data.subject(&field_name));
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
    let layout_path = env.layout_file.path.display();
    let (width, height) = (rect.width(), rect.height());
    // The same problem in one box on many cards is one diagnostic naming the cards (and, since a
    // layout value is then the likely cause, the box's and the style's values).
    let item = || data.value("card.id").unwrap_or_else(|| data.subject(&field_name));
    let layout_values = || {
        format!(
            "box {path} in {layout_path} is {:.1} × {:.1} mm; style `{style_name}` is {:.1} pt{}",
            width.to_mm().0,
            height.to_mm().0,
            style.para.size.0,
            if style.para.tracking != 0.0 { format!(" with tracking {}", style.para.tracking) } else { String::new() }
        )
    };
    // Auto-fit: the largest size in quarter points from the style's size down to min_size at which
    // the text fits. Bisection, not a walk down: a long text in a box far too small is set about
    // ten times, not hundreds (smaller type never needs more height).
    let floor = min_size.unwrap_or(style.para.size);
    let mut sizes = vec![style.para.size];
    while let Some(&s) = sizes.last()
        && s.0 - 0.25 >= floor.0 - 1e-9
    {
        sizes.push(Pt(s.0 - 0.25));
    }
    enum Fail {
        TooTall(TextBlock),
        Failed(TextError),
    }
    let attempt = |s: Pt| match env.ts.set(&paras, &style.para.scaled_to(s), width) {
        Ok(b) if b.height.0 <= height.0 + 0.01 => Ok(b),
        Ok(b) => Err(Fail::TooTall(b)),
        Err(e) => Err(Fail::Failed(e)),
    };
    let smallest = sizes.len() - 1;
    // Ok(block) or the outcome at the size that decides the error.
    let outcome = match attempt(sizes[0]) {
        Ok(b) => Ok(b),
        Err(first) if smallest == 0 => Err((first, sizes[0])),
        // A missing glyph or markup problem does not depend on the size.
        Err(Fail::Failed(e)) if !matches!(e, TextError::Overfull { .. }) => Err((Fail::Failed(e), sizes[0])),
        Err(_) => match attempt(sizes[smallest]) {
            Ok(mut best) => {
                let (mut lo, mut hi) = (0, smallest);
                while hi - lo > 1 {
                    let mid = (lo + hi) / 2;
                    match attempt(sizes[mid]) {
                        Ok(b) => {
                            best = b;
                            hi = mid;
                        }
                        Err(_) => lo = mid,
                    }
                }
                Ok(best)
            }
            Err(fail) => Err((fail, sizes[smallest])),
        },
    };
    let block: TextBlock = match outcome {
        Ok(b) => b,
        Err((Fail::TooTall(b), size)) => {
            let over = (b.height - height).to_mm().0;
            let hint = if min_size.is_some() {
                format!("shorten the text, or lower `min_size` of {path} in {layout_path}")
            } else {
                format!("shorten the text, or give {path} in {layout_path} a `min_size` so it may shrink")
            };
            diags.push(
                err(format!("text does not fit its box: {over:.1} mm too tall at {:.2} pt", size.0), Some(hint))
                    .with_topic(Topic::Overflow)
                    .grouped_as(
                        format!(
                            "text does not fit its box `{field_name}` on {{}}: when most cards overflow, the layout is the cause ({})",
                            layout_values()
                        ),
                        "cards",
                        item(),
                    ),
            );
            return;
        }
        Err((Fail::Failed(e @ TextError::Overfull { .. }), _)) => {
            diags.push(
                err(
                    e.message(),
                    Some(
                        "add a soft hyphen (\\u00ad) where the word may break, or add it to the hyphenation exceptions"
                            .into(),
                    ),
                )
                .grouped_as(
                    format!("a word is wider than the box `{field_name}` on {{}} ({})", layout_values()),
                    "cards",
                    item(),
                ),
            );
            return;
        }
        Err((Fail::Failed(e), _)) => {
            let hint = match e {
                TextError::MissingGlyph { .. } => {
                    Some("replace the character, or declare a `fallback` font for the style".to_string())
                }
                TextError::MissingVariant { .. } => {
                    Some("remove the markup or add the font face to fonts/".to_string())
                }
                _ => None,
            };
            diags.push(err(e.message(), hint).with_topic(text_topic(&e)));
            return;
        }
    };
    if block.loose_lines > 0 {
        diags.push(
            Diagnostic::warning(format!("{} line(s) could not be set within the spacing tolerance", block.loose_lines))
                .with_hint("add a soft hyphen (\\u00ad) to a long word or reword the text")
                .with_topic(Topic::LooseLines)
                .at(at.clone())
                .about(data.subject(&field_name))
                .grouped_as(
                    format!("lines of `{field_name}` could not be set within the spacing tolerance on {{}}"),
                    "cards",
                    item(),
                ),
        );
    }
    if block.short_last_lines > 0 {
        diags.push(
            Diagnostic::warning(format!(
                "{} paragraph(s) end in a line shorter than the style's `last_line_min_chars`",
                block.short_last_lines
            ))
            .with_hint("reword the end of the paragraph, or lower `last_line_min_chars` in the style")
            .with_topic(Topic::ShortLastLine)
            .at(at.clone())
            .about(data.subject(&field_name))
            .grouped_as(format!("`{field_name}` ends in a short last line on {{}}"), "cards", item()),
        );
    }
    for phrase in &block.unkept {
        diags.push(unkept_warning(phrase).at(at.clone()).about(data.subject(&field_name)).grouped_as(
            format!("`{phrase}` is wider than the box `{field_name}` and was broken across lines on {{}}"),
            "cards",
            item(),
        ));
    }
    if let Some(log) = env.typography {
        let card = data.value("card.id");
        let panel = if card.is_none() { Some(face.to_string()) } else { None };
        let mut r = FieldReport::new(card, panel, &field_name, &at);
        r.add_lines(&block.lines, 0..block.lines.len(), &style.para.breaking, width);
        r.unkept.clone_from(&block.unkept);
        log.record(data.value("card.number").and_then(|n| n.parse().ok()).unwrap_or(0), r);
    }
    let dy = match valign {
        VAlign::Top => Pt::ZERO,
        VAlign::Middle => (height - block.height) / 2.0,
        VAlign::Bottom => height - block.height,
    };
    let fill = resolve_color(color.as_ref().unwrap_or(&style.color), data);
    let start = frame.items.len();
    let mut found = Vec::new();
    for line in block.lines {
        for run in line.runs {
            let origin = Point::new(rect.min.x + extra + run.x, rect.min.y + extra + dy + line.baseline);
            env.check.text(&fill, run.size, run_area(origin, &run), &frame.items[..start], &mut found);
            if let Some(c) = &env.contrast {
                let bold = env.ts.shaper().book().face(run.font).weight >= 700;
                c.text(&fill, run.size, bold, run_area(origin, &run), &frame.items[..start], &mut found);
            }
            frame.items.push(FrameItem::Text { origin, run, color: fill.clone() });
        }
    }
    // One finding per text box, however many of its runs break the rule; the same finding on
    // many cards is one diagnostic naming them.
    found.dedup_by(|a, b| a.message == b.message);
    for d in found {
        let template = format!("{} in `{field_name}` on {{}}", d.message);
        diags.push(d.at(at.clone()).about(data.subject(&field_name)).grouped_as(template, "cards", item()));
    }
    if let Some(kind) = data.block_kind(source, *role, face) {
        let plain = markup::parse(&text)
            .map(|ps| {
                ps.iter()
                    .map(|p| p.spans.iter().map(|s| s.text.as_str()).collect::<String>())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        frame.blocks.push(Block { kind, items: start..frame.items.len(), text: plain });
    }
}

/// The topic of a text that cannot be set: a missing glyph names its character.
pub(crate) fn text_topic(e: &TextError) -> Topic {
    if let TextError::MissingGlyph { ch, .. } = e { Topic::MissingGlyph(*ch) } else { Topic::General }
}

/// The warning for text kept together (a keep-together phrase, a phone number, "10 mm") that is
/// wider than its box, so it was broken across lines after all.
#[must_use]
pub fn unkept_warning(phrase: &str) -> Diagnostic {
    Diagnostic::warning(format!("`{phrase}` is kept together but wider than the box, so it was broken across lines"))
        .with_hint("widen the box, set the text smaller, or remove the phrase from `hyphenation.keep_together`")
}

/// Places findings about a rectangle or line at its key in the layout file.
fn locate_element(
    found: Vec<Diagnostic>,
    data: &dyn TemplateData,
    env: &Env,
    face: &str,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for d in found {
        diags.push(d.at(env.layout_file.locate(path)).about(data.subject(&format!("{face} {path}"))));
    }
}

/// The area a glyph run covers, roughly: its advance wide, from an ascent of one size above the
/// baseline to a descent of a quarter below (for what lies beneath it).
pub fn run_area(origin: Point, run: &crate::text::GlyphRun) -> Rect {
    let width = run.glyphs.iter().fold(Pt::ZERO, |w, g| w + g.advance());
    Rect {
        min: Point::new(origin.x, origin.y - run.size),
        max: Point::new(origin.x + width, origin.y + run.size * 0.25),
    }
}

/// Where a picture of `w`×`h` (pixels, or an SVG's own units) is drawn in box `b`, and the clip
/// (for `cover`).
#[must_use]
pub fn fit_art(b: Rect, w: f64, h: f64, fit: Fit) -> (Rect, Option<Rect>) {
    let (bw, bh) = (b.width().0, b.height().0);
    let aspect = if h > 0.0 { w / h } else { 1.0 };
    let scaled = |dw: f64| {
        let dh = dw / aspect;
        let min = Point::new(Pt(b.min.x.0 + (bw - dw) / 2.0), Pt(b.min.y.0 + (bh - dh) / 2.0));
        Rect::from_origin_size(min, Size { w: Pt(dw), h: Pt(dh) })
    };
    match fit {
        Fit::Stretch => (b, None),
        Fit::Contain => (scaled(bw.min(bh * aspect)), None),
        Fit::Cover => (scaled(bw.max(bh * aspect)), Some(b)),
    }
}
