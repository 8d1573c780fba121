//! Resolving booklets: a booklet layout file into a [`BookletLayout`] (page, margins and text
//! area checked, styles and cover templates resolved, paper read), and a booklet content file
//! into a [`Booklet`] checked against the layouts and regions.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::{Resolver, unknown_layout, unknown_region};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::booklet::{
    BookletBlockSpec, BookletFile, BookletLayoutFile, ExercisePartSpec, NamedPaper, PaperSpec,
};
use crate::model::booklet_layout::{
    Binding, Booklet, BookletBlock, BookletFlow, BookletLayout, Contents, ExerciseLook, ExercisePart, Folio, Paper,
    RunningHead,
};
use crate::model::color::{Color, ColorSpec};
use crate::model::element::{ColorRef, Element, Style};
use crate::model::leaflet::Region;
use crate::model::sheet::{SheetSize, named_size};
use crate::model::source::SourceFile;
use crate::text::FontBook;
use crate::text::hyphenate::Hyphenator;
use crate::units::{Mm, Point, Pt, Rect, Size};

/// A size as written: named (portrait) or explicit; an error at `path` for an unknown name.
fn size_of(spec: Option<&SheetSize>, default: &str, path: &str, file: &SourceFile, r: &mut Resolver) -> Option<Size> {
    let (w, h) = match spec {
        None => named_size(default).expect("the default is a named size"),
        Some(SheetSize::Named(n)) => match named_size(n) {
            Some(s) => s,
            None => {
                r.error(
                    Diagnostic::error(format!("unknown paper size `{n}`"))
                        .with_hint("write A5, A4, SRA3, … or {\"width\": 148, \"height\": 210} in mm")
                        .at(file.locate(path)),
                );
                return None;
            }
        },
        Some(SheetSize::Custom { width, height }) => (width.pt().to_mm().0, height.pt().to_mm().0),
    };
    Some(Size { w: Mm(w).to_pt(), h: Mm(h).to_pt() })
}

fn paper(spec: &PaperSpec) -> Paper {
    match spec {
        PaperSpec::Caliper(c) => Paper { name: None, grammage: None, caliper: c.pt().to_mm() },
        PaperSpec::Named(NamedPaper { name, grammage, caliper }) => {
            Paper { name: Some(name.clone()), grammage: Some(grammage.0), caliper: caliper.pt().to_mm() }
        }
    }
}

/// A colour that must be fixed (not "category"), or an error at `path`.
fn fixed_color(r: &mut Resolver, file: &SourceFile, spec: &ColorSpec, path: &str) -> Option<Color> {
    match r.color(spec, path)? {
        ColorRef::Fixed(c) => Some(c),
        ColorRef::Category => {
            r.error(
                Diagnostic::error("a booklet has no categories: `category` is not a colour here")
                    .with_hint("name a colour of the layout's `colors`")
                    .at(file.locate(path)),
            );
            None
        }
    }
}

/// Resolves a booklet layout.
pub fn booklet_layout(
    name: String,
    file: Arc<SourceFile>,
    fonts: &FontBook,
    root: &Path,
) -> Result<BookletLayout, Vec<Diagnostic>> {
    let spec: BookletLayoutFile = file.de_root().map_err(|d| vec![d])?;
    let mut r = Resolver::new(&file, spec.ink_limit, &spec.colors);
    let page = size_of(spec.page.as_ref(), "A5", "page", &file, &mut r).unwrap_or(Size { w: Pt(420.0), h: Pt(595.0) });
    let press_name = match &spec.press_sheet {
        Some(SheetSize::Named(n)) => n.to_uppercase(),
        Some(SheetSize::Custom { width, height }) => {
            format!("{:.0} × {:.0} mm", width.pt().to_mm().0, height.pt().to_mm().0)
        }
        None => "SRA3".into(),
    };
    let press_sheet = size_of(spec.press_sheet.as_ref(), "SRA3", "press_sheet", &file, &mut r)
        .unwrap_or(Size { w: Pt(1276.0), h: Pt(907.0) });
    let bleed = spec.bleed.map_or(Mm(3.0).to_pt(), |l| l.pt());
    let safe = spec.safe.map_or(Mm(5.0).to_pt(), |l| l.pt());
    let m = spec.margins;
    let margins = [m.top.pt(), m.bottom.pt(), m.inner.pt(), m.outer.pt()];
    for (v, key) in margins.iter().zip(["top", "bottom", "inner", "outer"]) {
        if v.0 + 1e-6 < safe.0 {
            r.error(
                Diagnostic::error(format!(
                    "the {key} margin ({:.1} mm) is less than the safe distance ({:.1} mm)",
                    v.to_mm().0,
                    safe.to_mm().0
                ))
                .with_hint("text closer to a trim edge or the spine may be cut or disappear into the fold")
                .at(file.locate(&format!("margins.{key}"))),
            );
        }
    }
    let columns = spec.columns.map_or(1, |c| c.get() as usize);
    let column_gap = spec.column_gap.map_or(Mm(5.0).to_pt(), |l| l.pt());
    let column = (page.w - margins[2] - margins[3] - column_gap * (columns as f64 - 1.0)) / columns as f64;
    let text_h = page.h - margins[0] - margins[1];
    let least = Mm(25.0).to_pt();
    if column < least || text_h < least {
        let (what, v, keys) = if column < least {
            ("wide", column, "`inner`/`outer` or `columns`")
        } else {
            ("tall", text_h, "`top`/`bottom`")
        };
        r.error(
            Diagnostic::error(format!(
                "the text column is only {:.1} mm {what}: the margins leave too little of the page for text",
                v.to_mm().0.max(0.0)
            ))
            .with_hint(format!("a column needs at least 25 mm; lower {keys}"))
            .at(file.locate("margins")),
        );
    }
    if let Some(p) = spec.pages
        && !p.get().is_multiple_of(4)
    {
        r.error(
            Diagnostic::error(format!("a saddle-stitched booklet has a multiple of 4 pages, not {}", p.get()))
                .with_hint(format!(
                    "every folded sheet is 4 pages: write {} or {}",
                    p.get() / 4 * 4,
                    p.get().div_ceil(4) * 4
                ))
                .at(file.locate("pages")),
        );
    }
    r.styles(&spec.styles, fonts);
    let f = &spec.flow;
    let h1 = r.style(&f.heading1, "flow.heading1");
    let h2 = r.style(&f.heading2, "flow.heading2");
    let h3 = match &f.heading3 {
        Some(s) => r.style(s, "flow.heading3"),
        None => h2.clone(),
    };
    let paragraph = r.style(&f.paragraph, "flow.paragraph");
    let list = r.style(&f.list, "flow.list");
    let quote = r.style(&f.quote, "flow.quote");
    let quote_by = match &f.quote_by {
        Some(s) => r.style(s, "flow.quote_by"),
        None => quote.clone(),
    };
    let caption = match &f.caption {
        Some(s) => r.style(s, "flow.caption"),
        None => paragraph.clone(),
    };
    let quote_rule = f.quote_rule.as_ref().and_then(|c| fixed_color(&mut r, &file, c, "flow.quote_rule"));
    let e = &spec.exercise;
    let ex_title = r.style(&e.title, "exercise.title");
    let ex_prompt = r.style(&e.prompt, "exercise.prompt");
    let ex_tick = r.style(&e.tick, "exercise.tick");
    let ex_fill = e.fill.as_ref().and_then(|c| fixed_color(&mut r, &file, c, "exercise.fill"));
    let ex_rule = fixed_color(&mut r, &file, &e.rule, "exercise.rule");
    let running = spec.running_head.as_ref().map(|h| {
        (
            r.style(&h.style, "running_head.style"),
            h.left.clone().unwrap_or_else(|| "{title}".into()),
            h.right.clone().unwrap_or_else(|| "{chapter}".into()),
            h.baseline.map_or(Mm(10.0).to_pt(), |l| l.pt()),
            h.on_chapter_pages,
        )
    });
    let folio = spec.folio.as_ref().map(|fo| {
        (
            r.style(&fo.style, "folio.style"),
            fo.baseline.map_or(page.h - Mm(8.0).to_pt(), |l| l.pt()),
            fo.place.unwrap_or_default(),
        )
    });
    let contents = spec.contents.as_ref().map(|c| {
        let style = r.style(&c.style, "contents.style");
        let style2 = match &c.style2 {
            Some(s) => r.style(s, "contents.style2"),
            None => style.clone(),
        };
        (c, style, style2)
    });
    // Templates are resolved against the page (trim at the bleed corner).
    let trim = Rect::from_origin_size(Point::new(bleed, bleed), page);
    let safe_rect = trim.inflate(-safe);
    let front = r.template("cover.front", &spec.cover.front, trim, safe_rect);
    let inside_front = spec.cover.inside_front.as_ref().map(|t| r.template("cover.inside_front", t, trim, safe_rect));
    let inside_back = spec.cover.inside_back.as_ref().map(|t| r.template("cover.inside_back", t, trim, safe_rect));
    let back = r.template("cover.back", &spec.cover.back, trim, safe_rect);
    // The download version is read aloud: every template image needs a text alternative.
    let templates = [("front", Some(&front)), ("inside_front", inside_front.as_ref())]
        .into_iter()
        .chain([("inside_back", inside_back.as_ref()), ("back", Some(&back))]);
    for (name, elements) in templates {
        for e in elements.into_iter().flatten() {
            if let Element::Image { alt: None, path, .. } = e {
                r.error(
                    Diagnostic::error(format!("an image on the booklet's {name} cover needs `alt` text"))
                        .with_hint(
                            "add \"alt\": \"…\" describing the image; the download version is read by screen readers",
                        )
                        .at(file.locate(path)),
                );
            }
        }
    }
    let stitches = match &spec.binding.stitches {
        Some(v) => {
            let s: Vec<Pt> = v.iter().map(|l| l.pt()).collect();
            if let Some(i) = s.iter().position(|y| y.0 <= 0.0 || y.0 >= page.h.0) {
                r.error(
                    Diagnostic::error("a staple must be inside the page's height")
                        .with_hint(format!(
                            "staples are measured down from the top trim, between 0 and {:.0} mm",
                            page.h.to_mm().0
                        ))
                        .at(file.locate(&format!("binding.stitches[{i}]"))),
                );
            }
            s
        }
        None => vec![page.h * 0.25, page.h * 0.75],
    };
    let binding = Binding {
        paper: paper(&spec.binding.paper),
        cover_paper: spec.binding.cover_paper.as_ref().map(paper),
        stitches,
        creep: spec.binding.creep,
    };
    let output_intent = match spec.output_intent.as_ref().map(|o| o.load(root, &file)).transpose() {
        Ok(oi) => oi,
        Err(d) => {
            r.error(d);
            None
        }
    };
    let artwork_colors = r.artwork_colors(&spec.artwork_colors);
    let warnings = r.finish()?;
    let some = |s: Option<Style>| s.expect("missing styles are errors above");
    let running_head = running.map(|(s, left, right, baseline, on_chapter_pages)| RunningHead {
        style: some(s),
        left,
        right,
        baseline,
        on_chapter_pages,
    });
    let folio = folio.map(|(s, baseline, place)| Folio { style: some(s), baseline, place });
    let contents = contents.map(|(c, s, s2)| Contents {
        title: c.title.clone(),
        levels: c.levels.map_or(2, |l| l.get() as u8),
        style: some(s),
        style2: some(s2),
        indent: c.indent.map_or(Mm(5.0).to_pt(), |l| l.pt()),
        entry_space: c.entry_space.map_or(Mm(2.0).to_pt(), |l| l.pt()),
        place: c.place.unwrap_or_default(),
    });
    Ok(BookletLayout {
        name,
        file: file.clone(),
        artwork_colors,
        page,
        bleed,
        safe,
        margins,
        columns,
        column_gap,
        pages: spec.pages.map(|p| p.get()),
        flow: BookletFlow {
            headings: [some(h1), some(h2), some(h3)],
            paragraph: some(paragraph),
            list: some(list),
            quote: some(quote),
            quote_by: some(quote_by),
            caption: some(caption),
            heading_space: f.heading_space.map_or(Mm(6.0).to_pt(), |l| l.pt()),
            item_space: f.item_space.map_or(Mm(1.0).to_pt(), |l| l.pt()),
            block_space: f.block_space.map_or(Mm(5.0).to_pt(), |l| l.pt()),
            quote_indent: f.quote_indent.map_or(Mm(6.0).to_pt(), |l| l.pt()),
            quote_rule,
            chapter_start: f.chapter_start.unwrap_or_default(),
        },
        exercise: ExerciseLook {
            title: some(ex_title),
            prompt: some(ex_prompt),
            tick: some(ex_tick),
            fill: ex_fill,
            padding: e.padding.map_or(Mm(4.0).to_pt(), |l| l.pt()),
            line_spacing: e.line_spacing.map_or(Mm(9.0).to_pt(), |l| l.pt()),
            rule: ex_rule.expect("a broken rule colour is an error above"),
            rule_width: e.rule_width.map_or(Pt(0.5), |l| l.pt()),
            tick_size: e.tick_size.map_or(Mm(3.5).to_pt(), |l| l.pt()),
        },
        running_head,
        folio,
        contents,
        front,
        inside_front,
        inside_back,
        back,
        binding,
        press_sheet,
        press_sheet_name: press_name,
        marks: spec.marks,
        output_intent,
        overprint_black: spec.overprint_black,
        warnings,
    })
}

/// Why a block is not one block.
const ONE_KEY: &str = "a flow block needs exactly one of `heading`, `paragraph`, `list`, `quote`, `image`, `exercise`, `page_break` or `right_page`";

/// Resolves one block of the flow (errors into `diags`).
fn block(file: &SourceFile, raw: &serde_json::Value, path: &str, diags: &mut Diagnostics) -> Option<BookletBlock> {
    let b: BookletBlockSpec = file.de(raw, path).map_err(|d| diags.push(d)).ok()?;
    let keys = [
        b.heading.is_some(),
        b.paragraph.is_some(),
        b.list.is_some(),
        b.quote.is_some(),
        b.image.is_some(),
        b.exercise.is_some(),
        b.page_break.is_some(),
        b.right_page.is_some(),
    ];
    if keys.iter().filter(|k| **k).count() != 1 {
        diags.push(Diagnostic::error(ONE_KEY).at(file.locate(path)));
        return None;
    }
    // Keys that belong to another kind of block are a mistake, not something to ignore.
    let stray = |key: &str, present: bool, diags: &mut Diagnostics| {
        if present {
            diags.push(
                Diagnostic::error(format!("`{key}` does not belong to this kind of block"))
                    .with_hint("remove it, or make the block the kind it belongs to")
                    .at(file.locate(&format!("{path}.{key}"))),
            );
        }
    };
    let before = diags.error_count();
    stray("level", b.level.is_some() && b.heading.is_none(), diags);
    stray("numbered", b.numbered && b.list.is_none(), diags);
    stray("by", b.by.is_some() && b.quote.is_none(), diags);
    stray("alt", b.alt.is_some() && b.image.is_none(), diags);
    stray("height", b.height.is_some() && b.image.is_none(), diags);
    stray("caption", b.caption.is_some() && b.image.is_none(), diags);
    stray("parts", b.parts.is_some() && b.exercise.is_none(), diags);
    if diags.error_count() > before {
        return None;
    }
    let empty = |t: &str, key: &str, diags: &mut Diagnostics| {
        let blank = t.trim().is_empty();
        if blank {
            diags.push(
                Diagnostic::error(format!("`{key}` is empty"))
                    .with_hint("write the text, or remove the block")
                    .at(file.locate(&format!("{path}.{key}"))),
            );
        }
        blank
    };
    if let Some(text) = b.heading {
        let level = b.level.unwrap_or(1);
        if !(1..=3).contains(&level) {
            diags.push(
                Diagnostic::error(format!("a heading's level is 1, 2 or 3, not {level}"))
                    .with_hint("1 is a chapter, 2 a section, 3 a small heading")
                    .at(file.locate(&format!("{path}.level"))),
            );
            return None;
        }
        return (!empty(&text, "heading", diags)).then_some(BookletBlock::Heading { level, text });
    }
    if let Some(p) = b.paragraph {
        return (!empty(&p, "paragraph", diags)).then_some(BookletBlock::Paragraph(p));
    }
    if let Some(items) = b.list {
        if items.is_empty() {
            diags.push(Diagnostic::error("a list needs items").at(file.locate(&format!("{path}.list"))));
            return None;
        }
        let before = diags.error_count();
        for (i, item) in items.iter().enumerate() {
            empty(item, &format!("list[{i}]"), diags);
        }
        return (diags.error_count() == before).then_some(BookletBlock::List { items, numbered: b.numbered });
    }
    if let Some(text) = b.quote {
        return (!empty(&text, "quote", diags)).then_some(BookletBlock::Quote { text, by: b.by });
    }
    if let Some(file_name) = b.image {
        let Some(alt) = b.alt.filter(|a| !a.trim().is_empty()) else {
            diags.push(
                Diagnostic::error("an image needs alt text")
                    .with_hint("add \"alt\": \"…\" describing the image for screen readers (the download version is accessible)")
                    .at(file.locate(path)),
            );
            return None;
        };
        let height = b.height.map_or(Mm(50.0).to_pt(), |l| l.pt());
        return Some(BookletBlock::Image { file: file_name, alt, height, caption: b.caption });
    }
    if let Some(title) = b.exercise {
        let Some(raw_parts) = b.parts.filter(|p| !p.is_empty()) else {
            diags.push(
                Diagnostic::error("an exercise needs `parts`")
                    .with_hint("e.g. \"parts\": [{\"prompt\": \"Hvad fylder mest?\"}, {\"lines\": 5}]")
                    .at(file.locate(path)),
            );
            return None;
        };
        let before = diags.error_count();
        let mut parts = Vec::new();
        for (i, raw) in raw_parts.iter().enumerate() {
            let at = format!("{path}.parts[{i}]");
            let Ok(p) = file.de::<ExercisePartSpec>(raw, &at).map_err(|d| diags.push(d)) else { continue };
            let part = match (p.prompt, p.lines, p.ticks, p.boxed) {
                (Some(t), None, None, None) if !t.trim().is_empty() => ExercisePart::Prompt(t),
                (None, Some(n), None, None) => ExercisePart::Lines(n.get()),
                (None, None, Some(t), None) if !t.is_empty() => ExercisePart::Ticks(t),
                (None, None, None, Some(h)) => ExercisePart::Box(h.pt()),
                _ => {
                    diags.push(
                        Diagnostic::error(
                            "an exercise part needs exactly one of `prompt`, `lines`, `ticks` or `box`, not empty",
                        )
                        .at(file.locate(&at)),
                    );
                    continue;
                }
            };
            parts.push(part);
        }
        return (diags.error_count() == before && !empty(&title, "exercise", diags))
            .then_some(BookletBlock::Exercise { title, parts });
    }
    if b.page_break == Some(true) {
        return Some(BookletBlock::PageBreak);
    }
    if b.right_page == Some(true) {
        return Some(BookletBlock::RightPage);
    }
    diags.push(
        Diagnostic::error("`page_break` and `right_page` take `true`")
            .with_hint("remove the block if no break is wanted")
            .at(file.locate(path)),
    );
    None
}

/// Loads and checks a booklet content file against the layouts and regions.
pub fn load_booklet(
    name: String,
    file: Arc<SourceFile>,
    layouts: &BTreeMap<String, BookletLayout>,
    broken: &[String],
    regions: Option<&[Region]>,
    diags: &mut Diagnostics,
) -> Option<Booklet> {
    let spec: BookletFile = match file.de_root() {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let before = diags.error_count();
    for d in spec.hyphenation.check_keep_together(&file) {
        diags.push(d);
    }
    if spec.title.trim().is_empty() {
        diags.push(Diagnostic::error("the booklet needs a title").at(file.locate("title")));
    }
    diags.extend(unknown_layout("booklet", &spec.layout, layouts.keys(), broken, &file));
    diags.extend(unknown_region(&spec.region, regions, &file));
    let regions_broken = regions.is_none();
    let mut flow = Vec::new();
    for (i, raw) in spec.flow.iter().enumerate() {
        let path = format!("flow[{i}]");
        if let Some(b) = block(&file, raw, &path, diags) {
            flow.push((b, path));
        }
    }
    if flow.iter().all(|(b, _)| matches!(b, BookletBlock::PageBreak | BookletBlock::RightPage)) {
        diags.push(
            Diagnostic::error("the booklet has no text")
                .with_hint("add headings and paragraphs to `flow`")
                .at(file.locate("flow")),
        );
    }
    if diags.error_count() > before || !layouts.contains_key(&spec.layout) || regions_broken {
        return None;
    }
    Some(Booklet {
        name,
        file,
        title: spec.title,
        subtitle: spec.subtitle.filter(|t| !t.trim().is_empty()),
        short_title: spec.short_title.filter(|t| !t.trim().is_empty()),
        language: spec.language,
        layout: spec.layout,
        region: spec.region,
        fields: spec.fields,
        hyphenator: Hyphenator::new(spec.hyphenation.exceptions.iter().map(String::as_str)),
        keep_together: spec.hyphenation.keep_together,
        flow,
    })
}
