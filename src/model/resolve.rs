//! Resolving a card layout: names → fonts and colours, lengths → points, static checks (safe area,
//! thin lines, unknown styles) located in the layout file.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::color::{Color, ColorSpec, check_cmyk};
use super::layout::{self, CardLayoutFile, ElementSpec, VAlign};
use super::range::{self, InkLimit, Num, Percent};
use super::source::SourceFile;
use crate::diag::{Diagnostic, did_you_mean};
use crate::text::FontBook;
use crate::text::paragraph::{FontSet, ParaStyle};
use crate::units::{Point, Pt, Rect, Size};

/// A colour that may depend on the card.
#[derive(Clone, Debug, PartialEq)]
pub enum ColorRef {
    /// A fixed colour.
    Fixed(Color),
    /// The colour of the card's category.
    Category,
}

/// A resolved text style.
#[derive(Clone, Debug)]
pub struct Style {
    /// Typesetting parameters.
    pub para: ParaStyle,
    /// Text colour.
    pub color: ColorRef,
}

/// What a text box shows.
#[derive(Clone, Debug, PartialEq)]
pub enum TextSource {
    /// A card field (`question`, `back.text`, `category`).
    Field(String),
    /// A template with `{placeholders}`.
    Template(String),
}

/// A resolved template element; rectangles are in frame coordinates (origin at the bleed corner).
#[derive(Clone, Debug)]
pub enum Element {
    /// A text box.
    Text {
        /// What it shows.
        source: TextSource,
        /// The box.
        rect: Rect,
        /// Style name (for diagnostics) and style.
        style: (String, Style),
        /// Vertical alignment.
        valign: VAlign,
        /// Auto-fit minimum size.
        min_size: Option<Pt>,
        /// Colour override.
        color: Option<ColorRef>,
        /// Skip when the field is absent.
        optional: bool,
        /// Meaning for screen versions.
        role: super::layout::TextRole,
        /// JSON path in the layout file.
        path: String,
    },
    /// A rectangle.
    Rect {
        /// Where (for the layout's own bleed).
        rect: Rect,
        /// Left, top, right, bottom: whether that edge runs out to the bleed edge.
        bleed_edges: [bool; 4],
        /// Fill.
        fill: Option<ColorRef>,
        /// Stroke colour and width.
        stroke: Option<(ColorRef, Pt)>,
        /// Only when the card has this field.
        when: Option<String>,
    },
    /// An image.
    Image {
        /// Where the image comes from.
        source: ImageSource,
        /// The box (for the layout's own bleed).
        rect: Rect,
        /// Edges that run out to the bleed.
        bleed_edges: [bool; 4],
        /// Fit.
        fit: super::layout::Fit,
        /// Skip when the field is absent.
        optional: bool,
        /// Text alternative.
        alt: Option<String>,
        /// JSON path in the layout file.
        path: String,
    },
    /// A line.
    Line {
        /// Start.
        from: Point,
        /// End.
        to: Point,
        /// Width.
        width: Pt,
        /// Colour.
        color: ColorRef,
        /// Only when the card has this field.
        when: Option<String>,
    },
}

/// Where an image comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum ImageSource {
    /// A fixed file.
    File(String),
    /// A card field holding a file path.
    Field(String),
}

/// A resolved card layout.
#[derive(Debug)]
pub struct CardLayout {
    /// File stem.
    pub name: String,
    /// Source file.
    pub file: Arc<SourceFile>,
    /// Trim size.
    pub trim: Size,
    /// Bleed.
    pub bleed: Pt,
    /// Safe margin.
    pub safe: Pt,
    /// Category colours.
    pub category_colors: BTreeMap<String, Color>,
    /// Colour for categories not listed (`"*"`).
    pub default_category_color: Option<Color>,
    /// Front template.
    pub front: Vec<Element>,
    /// Back template.
    pub back: Vec<Element>,
    /// Findings that do not stop a build (e.g. rich black text).
    pub warnings: Vec<Diagnostic>,
}

impl CardLayout {
    /// The frame size for a face with `bleed` on every side.
    pub fn frame_size(&self, bleed: Pt) -> Size {
        Size { w: self.trim.w + bleed * 2.0, h: self.trim.h + bleed * 2.0 }
    }
    /// The trim box in the coordinates of a frame with `bleed`.
    pub fn trim_rect(&self, bleed: Pt) -> Rect {
        Rect::from_origin_size(Point::new(bleed, bleed), self.trim)
    }
    /// Fields bound by text boxes on either face, with whether they are optional.
    pub fn bound_fields(&self) -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = Vec::new();
        for e in self.front.iter().chain(&self.back) {
            let mut names = Vec::new();
            let mut opt = false;
            match e {
                Element::Text { source, optional, .. } => {
                    opt = *optional;
                    match source {
                        TextSource::Field(f) => names.push(f.clone()),
                        TextSource::Template(t) => names.extend(placeholders(t).into_iter().filter(|p| !is_builtin(p))),
                    }
                }
                Element::Image { source: ImageSource::Field(f), optional, .. } => {
                    opt = *optional;
                    names.push(f.clone());
                }
                Element::Rect { when: Some(w), .. } | Element::Line { when: Some(w), .. } => {
                    opt = true;
                    names.push(w.clone());
                }
                _ => {}
            }
            for n in names {
                if n == "category" {
                    continue;
                }
                match v.iter_mut().find(|(x, _)| *x == n) {
                    Some(entry) => entry.1 &= opt,
                    None => v.push((n, opt)),
                }
            }
        }
        v
    }
}

/// Placeholders that do not come from card fields.
pub fn is_builtin(name: &str) -> bool {
    name == "category" || name.starts_with("deck.") || name.starts_with("card.")
}

/// Reads an element by its `type`, then the element's own struct, so that an error inside it is
/// located at its key (serde's tagged enums buffer the content and lose the path).
fn de_element(file: &SourceFile, v: &serde_json::Value, path: &str) -> Result<ElementSpec, Diagnostic> {
    let mut body = v.clone();
    let kind = match body.as_object_mut().and_then(|m| m.shift_remove("type")) {
        Some(serde_json::Value::String(k)) => k,
        // Not an object, or no string `type`: serde's own message says what is missing.
        _ => return file.de(v, path),
    };
    Ok(match kind.as_str() {
        "text" => ElementSpec::Text(file.de(&body, path)?),
        "rect" => ElementSpec::Rect(file.de(&body, path)?),
        "line" => ElementSpec::Line(file.de(&body, path)?),
        "image" => ElementSpec::Image(file.de(&body, path)?),
        _ => return file.de(v, path),
    })
}

/// The `{names}` in a template.
pub fn placeholders(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(a) = rest.find('{') {
        let Some(b) = rest[a..].find('}') else { break };
        out.push(rest[a + 1..a + b].trim().to_string());
        rest = &rest[a + b + 1..];
    }
    out
}

const BUILTIN_COLORS: [&str; 4] = ["black", "white", "registration", "category"];

struct Ctx<'a> {
    file: &'a SourceFile,
    colors: BTreeMap<String, Color>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    ink_limit: f64,
    /// Styles and colours that were defined but failed (and were reported): references to them
    /// are not reported again as unknown.
    broken: std::collections::BTreeSet<String>,
}

impl Ctx<'_> {
    fn color(&mut self, spec: &ColorSpec, path: &str) -> Option<ColorRef> {
        match spec {
            ColorSpec::Cmyk(c) => match check_cmyk(c) {
                Ok(()) => {
                    let total: f64 = c.iter().sum();
                    if total > self.ink_limit + 1e-9 {
                        self.errors.push(
                            Diagnostic::error(format!(
                                "colour {c:?} has {total:.0} % total ink, above the {:.0} % limit",
                                self.ink_limit
                            ))
                            .with_hint("lower C, M or Y (keep K), or raise \"ink_limit\" if the printer allows more")
                            .at(self.file.locate(path)),
                        );
                        return None;
                    }
                    Some(ColorRef::Fixed(Color::Cmyk(*c)))
                }
                Err(e) => {
                    self.errors.push(Diagnostic::error(e).at(self.file.locate(path)));
                    None
                }
            },
            ColorSpec::Spot(s) => {
                if let Err(e) = check_cmyk(&s.cmyk) {
                    self.errors.push(Diagnostic::error(e).at(self.file.locate(&format!("{path}.cmyk"))));
                    return None;
                }
                if let Err(msg) = range::check::<Percent>(s.tint) {
                    self.errors.push(
                        Diagnostic::error(format!("`tint` {msg}"))
                            .with_hint("a tint is the percentage of the spot ink, 0–100")
                            .at(self.file.locate(&format!("{path}.tint"))),
                    );
                    return None;
                }
                if s.spot.trim().is_empty() {
                    self.errors.push(
                        Diagnostic::error("a spot colour needs a name")
                            .with_hint("write the colorant's name as the print shop knows it, e.g. \"PANTONE 3145 C\"")
                            .at(self.file.locate(&format!("{path}.spot"))),
                    );
                    return None;
                }
                Some(ColorRef::Fixed(Color::Spot { name: s.spot.clone(), fallback: s.cmyk, tint: s.tint }))
            }
            ColorSpec::Name(n) => match n.as_str() {
                "black" => Some(ColorRef::Fixed(Color::BLACK)),
                "white" => Some(ColorRef::Fixed(Color::WHITE)),
                "registration" => Some(ColorRef::Fixed(Color::Registration)),
                "category" => Some(ColorRef::Category),
                _ => match self.colors.get(n) {
                    Some(c) => Some(ColorRef::Fixed(c.clone())),
                    None if self.broken.contains(&format!("color {n}")) => None,
                    None => {
                        let names: Vec<&str> = self.colors.keys().map(String::as_str).chain(BUILTIN_COLORS).collect();
                        let hint = match did_you_mean(n, names.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`? known colours: {}", names.join(", ")),
                            None => format!("define it in \"colors\"; known colours: {}", names.join(", ")),
                        };
                        self.errors.push(
                            Diagnostic::error(format!("unknown colour `{n}`"))
                                .with_hint(hint)
                                .at(self.file.locate(path)),
                        );
                        None
                    }
                },
            },
        }
    }
}

/// Resolves and checks a card layout file.
/// Shared resolution of what every layout kind has: palette, styles and element templates.
pub(crate) struct Resolver<'a> {
    cx: Ctx<'a>,
    /// Resolved styles by name.
    pub styles: BTreeMap<String, Style>,
}

impl<'a> Resolver<'a> {
    /// Starts with the palette (`colors`) and the ink limit.
    pub fn new(
        file: &'a SourceFile,
        ink_limit: Option<Num<InkLimit>>,
        colors: &BTreeMap<String, ColorSpec>,
    ) -> Resolver<'a> {
        let mut cx = Ctx {
            file,
            colors: BTreeMap::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            ink_limit: ink_limit.map_or(300.0, Num::get),
            broken: Default::default(),
        };
        for (k, c) in colors {
            let path = format!("colors.{k}");
            if let ColorSpec::Name(_) = c {
                cx.errors.push(
                    Diagnostic::error("a palette colour must be a value, not a name")
                        .with_hint("write [c, m, y, k] in percent")
                        .at(file.locate(&path)),
                );
                continue;
            }
            match cx.color(c, &path) {
                Some(ColorRef::Fixed(col)) => {
                    cx.colors.insert(k.clone(), col);
                }
                _ => {
                    cx.broken.insert(format!("color {k}"));
                }
            }
        }
        Resolver { cx, styles: BTreeMap::new() }
    }

    /// Records an error.
    pub fn error(&mut self, d: Diagnostic) {
        self.cx.errors.push(d);
    }

    /// Resolves a colour at `path`.
    pub fn color(&mut self, spec: &ColorSpec, path: &str) -> Option<ColorRef> {
        self.cx.color(spec, path)
    }

    /// Resolves the `styles` map.
    pub fn styles(&mut self, raw: &BTreeMap<String, serde_json::Value>, fonts: &FontBook) {
        for (k, v) in raw {
            let path = format!("styles.{k}");
            match self.cx.file.de::<layout::StyleSpec>(v, &path) {
                Ok(s) => match resolve_style(&s, &path, fonts, &mut self.cx) {
                    Some(st) => {
                        self.styles.insert(k.clone(), st);
                    }
                    None => {
                        self.cx.broken.insert(format!("style {k}"));
                    }
                },
                Err(d) => {
                    self.cx.broken.insert(format!("style {k}"));
                    self.cx.errors.push(d);
                }
            }
        }
    }

    /// A style by name, or an error at `path` with a suggestion.
    pub fn style(&mut self, name: &str, path: &str) -> Option<Style> {
        if let Some(s) = self.styles.get(name) {
            return Some(s.clone());
        }
        if self.cx.broken.contains(&format!("style {name}")) {
            return None;
        }
        let names: Vec<&str> = self.styles.keys().map(String::as_str).collect();
        let hint = match did_you_mean(name, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("styles: {}", names.join(", ")),
        };
        let d = Diagnostic::error(format!("unknown style `{name}`")).with_hint(hint).at(self.cx.file.locate(path));
        self.cx.errors.push(d);
        None
    }

    /// Resolves a template's elements against a trim box and safe area (frame coordinates).
    pub fn template(&mut self, name: &str, raw: &[serde_json::Value], trim: Rect, safe: Rect) -> Vec<Element> {
        let mut out = Vec::new();
        for (i, v) in raw.iter().enumerate() {
            let path = format!("{name}[{i}]");
            let e: ElementSpec = match de_element(self.cx.file, v, &path) {
                Ok(e) => e,
                Err(d) => {
                    self.cx.errors.push(d);
                    continue;
                }
            };
            if let Some(el) = resolve_element(&e, &path, &self.styles, trim, safe, &mut self.cx) {
                out.push(el);
            }
        }
        out
    }

    /// Ends resolution: the warnings, or every error.
    pub fn finish(self) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        if self.cx.errors.is_empty() { Ok(self.cx.warnings) } else { Err(self.cx.errors) }
    }
}

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
    for (k, c) in &spec.categories {
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
    let warnings = r.finish()?;
    Ok(CardLayout {
        name,
        file: file.clone(),
        trim,
        bleed,
        safe,
        category_colors,
        default_category_color,
        front,
        back,
        warnings,
    })
}

fn resolve_style(s: &layout::StyleSpec, path: &str, fonts: &FontBook, cx: &mut Ctx) -> Option<Style> {
    let file = cx.file;
    let weight = s.weight.get() as u16;
    let Some(regular) = fonts.find(&s.font, weight, s.italic) else {
        let families = fonts.families();
        let d = if families.iter().any(|f| f.eq_ignore_ascii_case(&s.font)) {
            Diagnostic::error(format!(
                "font `{}` has no face with weight {}{}",
                s.font,
                weight,
                if s.italic { " italic" } else { "" }
            ))
            .with_hint(format!("faces in fonts/: {}", fonts.variants_of(&s.font).join(", ")))
        } else {
            let hint = match did_you_mean(&s.font, families.iter().map(String::as_str)) {
                Some(f) => format!("did you mean `{f}`? families in fonts/: {}", families.join(", ")),
                None => format!("put the font file into fonts/; families there: {}", families.join(", ")),
            };
            Diagnostic::error(format!("font family `{}` is not in fonts/", s.font)).with_hint(hint)
        };
        cx.errors.push(d.at(file.locate(&format!("{path}.font"))));
        return None;
    };
    let bold_w = if weight < 600 { 700 } else { weight.max(800) };
    let bold = fonts.find(&s.font, bold_w, s.italic).or_else(|| fonts.find(&s.font, 700, s.italic));
    let fontset = FontSet {
        regular,
        bold,
        italic: fonts.find(&s.font, weight, true),
        bold_italic: fonts.find(&s.font, bold_w, true).or_else(|| fonts.find(&s.font, 700, true)),
    };
    // In range (4–200 pt): checked when the file was read.
    let size = s.size.pt();
    if let Some(l) = s.leading
        && l.pt().0 < size.0 * 0.7
    {
        cx.errors.push(
            Diagnostic::error(format!(
                "`leading` {:.1} pt is less than 0.7 × the type size ({:.1} pt): the lines would print over each other",
                l.pt().0,
                size.0
            ))
            .with_hint(
                "leading is the baseline-to-baseline distance, usually 1.2 × the size; remove it for the default",
            )
            .at(file.locate(&format!("{path}.leading"))),
        );
        return None;
    }
    let color = match &s.color {
        Some(c) => cx.color(c, &format!("{path}.color"))?,
        None => ColorRef::Fixed(Color::BLACK),
    };
    if let ColorRef::Fixed(Color::Cmyk([c, m, y, k])) = &color
        && *k >= 80.0
        && c + m + y > 0.0
        && size.0 < 14.0
    {
        cx.warnings.push(
            Diagnostic::warning(format!(
                "{:.1} pt text in rich black {:?}: small text in several inks shows misregistration",
                size.0,
                [c, m, y, k]
            ))
            .with_hint("use [0, 0, 0, 100] (100 % K) for black text")
            .at(file.locate(&format!("{path}.color"))),
        );
    }
    let mut fallback = Vec::new();
    for (i, fam) in s.fallback.iter().enumerate() {
        let find = |w: u16, it: bool| fonts.find(fam, w, it);
        let Some(regular) = find(weight, s.italic).or_else(|| find(400, s.italic)).or_else(|| find(400, false)) else {
            cx.errors.push(
                Diagnostic::error(format!("fallback font family `{fam}` is not in fonts/"))
                    .with_hint(format!("families in fonts/: {}", fonts.families().join(", ")))
                    .at(file.locate(&format!("{path}.fallback[{i}]"))),
            );
            return None;
        };
        fallback.push(FontSet {
            regular,
            bold: find(bold_w, s.italic).or_else(|| find(700, s.italic)),
            italic: find(weight, true).or_else(|| find(400, true)),
            bold_italic: find(bold_w, true).or_else(|| find(700, true)),
        });
    }
    Some(Style {
        para: ParaStyle {
            fallback,
            fonts: fontset,
            size,
            leading: s.leading.map(|l| l.pt()).unwrap_or(size * 1.2),
            align: s.align.into(),
            hyphenate: s.hyphenate,
            tracking: s.tracking.get(),
            uppercase: s.uppercase,
            paragraph_spacing: s.paragraph_spacing.map(|l| l.pt()).unwrap_or(Pt::ZERO),
        },
        color,
    })
}

fn resolve_element(
    e: &ElementSpec,
    path: &str,
    styles: &BTreeMap<String, Style>,
    trim: Rect,
    safe: Rect,
    cx: &mut Ctx,
) -> Option<Element> {
    let file = cx.file;
    let origin = trim.min;
    let at = |x: Pt, y: Pt| Point::new(origin.x + x, origin.y + y);
    match e {
        ElementSpec::Text(t) => {
            let source = match (&t.field, &t.text) {
                (Some(f), None) => TextSource::Field(f.clone()),
                (None, Some(s)) => TextSource::Template(s.clone()),
                _ => {
                    cx.errors.push(
                        Diagnostic::error("a text box needs exactly one of `field` or `text`").at(file.locate(path)),
                    );
                    return None;
                }
            };
            if let TextSource::Template(s) = &source {
                for p in placeholders(s) {
                    if (p.starts_with("deck.") && !["deck.title", "deck.subtitle", "deck.sender"].contains(&p.as_str()))
                        || (p.starts_with("card.") && !["card.id", "card.number", "card.total"].contains(&p.as_str()))
                    {
                        cx.errors.push(
                            Diagnostic::error(format!("unknown placeholder `{{{p}}}`"))
                                .with_hint("known: {deck.title}, {deck.subtitle}, {deck.sender}, {card.id}, {card.number}, {card.total}, {category}, or a card field")
                                .at(file.locate(&format!("{path}.text"))),
                        );
                    }
                }
            }
            let Some(style) = styles.get(&t.style) else {
                if cx.broken.contains(&format!("style {}", t.style)) {
                    return None;
                }
                let names: Vec<&str> = styles.keys().map(String::as_str).collect();
                let hint = match did_you_mean(&t.style, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("styles: {}", names.join(", ")),
                };
                cx.errors.push(
                    Diagnostic::error(format!("unknown style `{}`", t.style))
                        .with_hint(hint)
                        .at(file.locate(&format!("{path}.style"))),
                );
                return None;
            };
            let rect = Rect::from_origin_size(at(t.x.pt(), t.y.pt()), Size { w: t.width.pt(), h: t.height.pt() });
            if rect.width().0 <= 0.0 || rect.height().0 <= 0.0 {
                cx.errors.push(Diagnostic::error("a text box needs a positive width and height").at(file.locate(path)));
                return None;
            }
            let over = safe.overhang(&rect);
            if over.0 > 0.005 {
                cx.errors.push(
                    Diagnostic::error(format!("text box lies {:.1} mm outside the safe area", over.to_mm().0))
                        .with_hint(format!("keep text at least the safe margin ({:.1} mm) inside the trim; cutting varies by about 1 mm", (safe.min.x - trim.min.x).to_mm().0))
                        .at(file.locate(path)),
                );
            }
            let min_size = t.min_size.map(|m| m.pt());
            if let Some(m) = min_size
                && (m.0 > style.para.size.0 || m.0 < 4.0)
            {
                cx.errors.push(
                    Diagnostic::error(format!(
                        "min_size {:.1} pt must lie between 4 pt and the style's size ({:.1} pt)",
                        m.0, style.para.size.0
                    ))
                    .at(file.locate(&format!("{path}.min_size"))),
                );
            }
            let color = match &t.color {
                Some(c) => Some(cx.color(c, &format!("{path}.color"))?),
                None => None,
            };
            Some(Element::Text {
                source,
                rect,
                style: (t.style.clone(), style.clone()),
                valign: t.valign,
                min_size,
                color,
                optional: t.optional,
                role: t.role,
                path: path.to_string(),
            })
        }
        ElementSpec::Rect(r) => {
            let rect = Rect::from_origin_size(at(r.x.pt(), r.y.pt()), Size { w: r.width.pt(), h: r.height.pt() });
            // Edges lying on the trim run out to the bleed edge (whatever bleed the face gets).
            let on = |a: Pt, b: Pt| r.bleed && (a - b).abs().0 < 0.01;
            let bleed_edges = [
                on(rect.min.x, trim.min.x),
                on(rect.min.y, trim.min.y),
                on(rect.max.x, trim.max.x),
                on(rect.max.y, trim.max.y),
            ];
            let fill = match &r.fill {
                Some(c) => Some(cx.color(c, &format!("{path}.fill"))?),
                None => None,
            };
            let stroke = match &r.stroke {
                Some(c) => {
                    let w = r.stroke_width.map(|l| l.pt()).unwrap_or(Pt(0.5));
                    check_thin(w, &format!("{path}.stroke_width"), cx);
                    Some((cx.color(c, &format!("{path}.stroke"))?, w))
                }
                None => None,
            };
            Some(Element::Rect { rect, bleed_edges, fill, stroke, when: r.when.clone() })
        }
        ElementSpec::Image(im) => {
            let source = match (&im.src, &im.field) {
                (Some(s), None) => ImageSource::File(s.clone()),
                (None, Some(f)) => ImageSource::Field(f.clone()),
                _ => {
                    cx.errors.push(
                        Diagnostic::error("an image needs exactly one of `src` or `field`").at(file.locate(path)),
                    );
                    return None;
                }
            };
            let rect = Rect::from_origin_size(at(im.x.pt(), im.y.pt()), Size { w: im.width.pt(), h: im.height.pt() });
            if rect.width().0 <= 0.0 || rect.height().0 <= 0.0 {
                cx.errors.push(Diagnostic::error("an image needs a positive width and height").at(file.locate(path)));
                return None;
            }
            let on = |a: Pt, b: Pt| im.bleed && (a - b).abs().0 < 0.01;
            let bleed_edges = [
                on(rect.min.x, trim.min.x),
                on(rect.min.y, trim.min.y),
                on(rect.max.x, trim.max.x),
                on(rect.max.y, trim.max.y),
            ];
            Some(Element::Image {
                source,
                rect,
                bleed_edges,
                fit: im.fit,
                optional: im.optional,
                alt: im.alt.clone(),
                path: path.to_string(),
            })
        }
        ElementSpec::Line(l) => {
            let w = l.width.map(|l| l.pt()).unwrap_or(Pt(0.5));
            check_thin(w, &format!("{path}.width"), cx);
            let color = match &l.color {
                Some(c) => cx.color(c, &format!("{path}.color"))?,
                None => ColorRef::Fixed(Color::BLACK),
            };
            Some(Element::Line {
                from: at(l.from[0].pt(), l.from[1].pt()),
                to: at(l.to[0].pt(), l.to[1].pt()),
                width: w,
                color,
                when: l.when.clone(),
            })
        }
    }
}

fn check_thin(w: Pt, path: &str, cx: &mut Ctx) {
    if w.0 < 0.25 {
        cx.errors.push(
            Diagnostic::error(format!("line width {:.2} pt is thinner than 0.25 pt and may not print", w.0))
                .at(cx.file.locate(path)),
        );
    }
}
