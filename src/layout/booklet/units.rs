//! A booklet's flow as units for the page plan (`panel_flow`): typeset lines with their keep
//! rules, images, and blocks drawn whole (exercises with their write-in lines, tick boxes and
//! boxes; contents entries). Each unit has a [`Draw`] saying how its pieces are drawn.

use crate::diag::{Diagnostic, Topic};
use crate::layout::frame::{Block, BlockKind, FrameItem, Stroke};
use crate::layout::panel_flow::Unit;
use crate::layout::template::{text_topic, unkept_warning};
use crate::model::booklet::{Booklet, BookletBlock, BookletLayout, ExercisePart};
use crate::model::color::Color;
use crate::model::{ColorRef, Style};
use crate::text::markup::{self, Paragraph};
use crate::text::{SetLine, Typesetter};
use crate::units::{Mm, Point, Pt, Rect, Size};

/// How a unit's pieces are drawn.
#[derive(Clone, Debug)]
pub(super) enum Draw {
    /// Lines, moved right by `indent`, with a rule of this colour at their left (quotes).
    Lines { indent: Pt, rule: Option<Color> },
    /// The unit's image.
    Image,
    /// Items drawn whole, relative to the unit's top-left corner, with their blocks.
    Whole { items: Vec<FrameItem>, blocks: Vec<Block> },
    /// A contents entry: its items, and its page number still to be set at the right edge of
    /// its last line (`baseline` from the unit's top) for heading `heading` (an index into the
    /// booklet's headings).
    Entry { items: Vec<FrameItem>, block: Block, baseline: Pt, heading: usize },
}

/// Where a section of the flow starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Start {
    /// A new page.
    Page,
    /// A new right-hand (odd) page.
    Right,
}

/// A run of units that starts on a new page.
pub(super) struct Section {
    pub(super) start: Start,
    pub(super) units: Vec<Unit>,
    pub(super) draws: Vec<Draw>,
    /// Per unit: the index of the heading it sets, if it is one.
    pub(super) heading: Vec<Option<usize>>,
}

impl Section {
    fn new(start: Start) -> Section {
        Section { start, units: Vec::new(), draws: Vec::new(), heading: Vec::new() }
    }
    fn push(&mut self, u: Unit, d: Draw, heading: Option<usize>) {
        self.units.push(u);
        self.draws.push(d);
        self.heading.push(heading);
    }
}

/// A heading of the flow: level (1–3), plain text, its JSON path.
#[derive(Clone, Debug)]
pub struct Heading {
    /// 1 = chapter.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// Where it is in the content file.
    pub path: String,
}

fn plain(paras: &[Paragraph]) -> String {
    paras.iter().map(|p| p.spans.iter().map(|s| s.text.as_str()).collect::<String>()).collect::<Vec<_>>().join("\n")
}

pub(super) fn fixed(style: &Style) -> Color {
    match &style.color {
        ColorRef::Fixed(c) => c.clone(),
        ColorRef::Category => Color::BLACK,
    }
}

/// Sets text; its findings (loose lines, short last lines, phrases broken after all, errors)
/// are located at `path` of the booklet file.
pub(super) struct Setter<'a> {
    pub(super) ts: &'a Typesetter<'a>,
    pub(super) booklet: &'a Booklet,
}

impl Setter<'_> {
    fn at(&self, d: Diagnostic, path: &str) -> Diagnostic {
        d.at(self.booklet.file.locate(path)).about(format!("booklet {}", self.booklet.name))
    }

    /// The lines of `src` in `style` at `measure`, and the plain text; `None` after an error.
    pub(super) fn set(
        &self,
        src: &str,
        style: &Style,
        measure: Pt,
        path: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(Vec<SetLine>, String, Vec<String>)> {
        let paras = match markup::parse(src) {
            Ok(p) => p,
            Err(m) => {
                diags.push(self.at(Diagnostic::error(format!("markup error: {m}")), path));
                return None;
            }
        };
        match self.ts.set(&paras, &style.para, measure) {
            Ok(tb) => {
                if tb.loose_lines > 0 {
                    let d = Diagnostic::warning(format!(
                        "{} line(s) could not be set within the spacing tolerance",
                        tb.loose_lines
                    ))
                    .with_topic(Topic::LooseLines);
                    diags.push(self.at(d, path));
                }
                if tb.short_last_lines > 0 {
                    let d = Diagnostic::warning(
                        "the paragraph ends in a line shorter than the style's `last_line_min_chars`",
                    )
                    .with_hint("reword the end of the paragraph, or lower `last_line_min_chars`")
                    .with_topic(Topic::ShortLastLine);
                    diags.push(self.at(d, path));
                }
                for phrase in &tb.unkept {
                    diags.push(self.at(unkept_warning(phrase), path));
                }
                Some((tb.lines, plain(&paras), tb.unkept))
            }
            Err(e) => {
                diags.push(self.at(Diagnostic::error(e.message()).with_topic(text_topic(&e)), path));
                None
            }
        }
    }

    /// A text unit.
    #[allow(clippy::too_many_arguments, reason = "a unit's text, style, measure, kind, spacing and path")]
    pub(super) fn unit(
        &self,
        src: &str,
        style: &Style,
        measure: Pt,
        kind: BlockKind,
        before: Pt,
        path: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Unit> {
        let (lines, text, unkept) = self.set(src, style, measure, path, diags)?;
        Some(text_unit(lines, text, unkept, style, kind, before, path))
    }
}

fn text_unit(
    lines: Vec<SetLine>,
    text: String,
    unkept: Vec<String>,
    style: &Style,
    kind: BlockKind,
    before: Pt,
    path: &str,
) -> Unit {
    let asc = lines.first().map(|l| l.baseline).unwrap_or_default();
    let desc = descent(style);
    Unit {
        kind,
        text,
        lines,
        asc,
        desc,
        color: fixed(style),
        space_before: before,
        keep_with_next: false,
        image: None,
        whole: None,
        list: None,
        path: path.to_string(),
        breaking: style.para.breaking,
        unkept,
    }
}

/// A unit drawn whole.
fn whole_unit(kind: BlockKind, text: String, height: Pt, before: Pt, path: &str) -> Unit {
    Unit {
        kind,
        text,
        lines: Vec::new(),
        asc: Pt::ZERO,
        desc: Pt::ZERO,
        color: Color::BLACK,
        space_before: before,
        keep_with_next: false,
        image: None,
        whole: Some(height),
        list: None,
        path: path.to_string(),
        breaking: crate::text::Breaking::default(),
        unkept: Vec::new(),
    }
}

/// Lines as frame items at `(x, y)` (the top of the first line's ascent).
fn place_lines(lines: &[SetLine], x: Pt, y: Pt, color: &Color, out: &mut Vec<FrameItem>) {
    let base0 = lines.first().map(|l| l.baseline).unwrap_or_default();
    let asc = base0;
    for line in lines {
        for run in &line.runs {
            let origin = Point::new(x + run.x, y + asc + (line.baseline - base0));
            out.push(FrameItem::Text { origin, run: run.clone(), color: color.clone() });
        }
    }
}

/// How far a set text reaches below its last baseline: the rest of the line's leading below an
/// ascent of 0.8 em, at least a descender's quarter em.
fn descent(style: &Style) -> Pt {
    (style.para.leading - style.para.size * 0.8).max(style.para.size * 0.25)
}

/// The height lines take from the top of the first line to below the last.
fn lines_height(lines: &[SetLine], style: &Style) -> Pt {
    lines.last().map_or(Pt::ZERO, |l| l.baseline + descent(style))
}

/// Breaks the booklet's flow into sections of units, and lists its headings.
pub(super) fn sections(
    s: &Setter,
    layout: &BookletLayout,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Vec<Section>, Vec<Heading>)> {
    let f = &layout.flow;
    let measure = layout.column_width();
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let mut out: Vec<Section> = vec![Section::new(Start::Page)];
    let mut headings = Vec::new();
    // The tag level of the last heading (chapters are H2 under the cover's title).
    let mut tag_level = 1u8;
    let flow = &s.booklet.flow;
    for (n, (block, path)) in flow.iter().enumerate() {
        let cur = out.last_mut().expect("there is a section");
        let fresh = cur.units.is_empty();
        let start_new = |start: Start, out: &mut Vec<Section>| {
            let cur = out.last_mut().expect("there is a section");
            if cur.units.is_empty() {
                if start == Start::Right {
                    cur.start = Start::Right;
                }
            } else {
                out.push(Section::new(start));
            }
        };
        match block {
            BookletBlock::PageBreak => start_new(Start::Page, &mut out),
            BookletBlock::RightPage => start_new(Start::Right, &mut out),
            BookletBlock::Heading { level, text } => {
                use crate::model::booklet::ChapterStart;
                if *level == 1 {
                    match f.chapter_start {
                        ChapterStart::Page => start_new(Start::Page, &mut out),
                        ChapterStart::Right => start_new(Start::Right, &mut out),
                        ChapterStart::Flow => {}
                    }
                }
                let style = &f.headings[usize::from(*level - 1)];
                // Chapters are H2 under the cover's title; a heading is tagged at most one level
                // below the one before it, so the download version never skips a level.
                tag_level = (*level + 1).min(tag_level + 1);
                let before = if fresh { Pt::ZERO } else { f.heading_space };
                if let Some(mut u) = s.unit(text, style, measure, BlockKind::Heading(tag_level), before, path, diags) {
                    u.keep_with_next = true;
                    headings.push(Heading { level: *level, text: u.text.clone(), path: path.clone() });
                    let h = headings.len() - 1;
                    out.last_mut().expect("there is a section").push(
                        u,
                        Draw::Lines { indent: Pt::ZERO, rule: None },
                        Some(h),
                    );
                }
            }
            // The paragraph before an exercise is its introduction, set with it (below).
            BookletBlock::Paragraph(_) if matches!(flow.get(n + 1), Some((BookletBlock::Exercise { .. }, _))) => {}
            BookletBlock::Paragraph(t) => {
                let sp = f.paragraph.para.paragraph_spacing;
                if let Some(mut u) = s.unit(t, &f.paragraph, measure, BlockKind::Paragraph, sp, path, diags) {
                    // A paragraph that introduces a list (ends in a colon) stays with it.
                    if t.trim_end().ends_with(':') && matches!(flow.get(n + 1), Some((BookletBlock::List { .. }, _))) {
                        u.keep_with_next = true;
                    }
                    cur.push(u, Draw::Lines { indent: Pt::ZERO, rule: None }, None);
                }
            }
            BookletBlock::List { items, numbered } => {
                let first = cur.units.len();
                let label_w = if *numbered { f.list.para.size * 1.6 } else { Pt::ZERO };
                for (k, item) in items.iter().enumerate() {
                    let before = if k == 0 { f.paragraph.para.paragraph_spacing } else { f.item_space };
                    let at = format!("{path}.list[{k}]");
                    if *numbered {
                        let label = format!("{}.", k + 1);
                        let Some((mut lines, text, unkept)) = s.set(item, &f.list, measure - label_w, &at, diags)
                        else {
                            continue;
                        };
                        let Some((l, _, _)) = s.set(&label, &f.list, measure, &at, diags) else { continue };
                        // The number is a run of its own at the left of the first line.
                        for line in &mut lines {
                            for run in &mut line.runs {
                                run.x += label_w;
                            }
                        }
                        if let (Some(first_line), Some(num)) =
                            (lines.first_mut(), l.into_iter().next().and_then(|l| l.runs.into_iter().next()))
                        {
                            first_line.runs.insert(0, num);
                        }
                        let text = format!("{label} {text}");
                        cur.push(
                            text_unit(lines, text, unkept, &f.list, BlockKind::ListItem, before, &at),
                            Draw::Lines { indent: Pt::ZERO, rule: None },
                            None,
                        );
                    } else if let Some(u) =
                        s.unit(&format!("- {item}"), &f.list, measure, BlockKind::ListItem, before, &at, diags)
                    {
                        cur.push(u, Draw::Lines { indent: Pt::ZERO, rule: None }, None);
                    }
                }
                let m = cur.units.len() - first;
                for (j, u) in cur.units[first..].iter_mut().enumerate() {
                    u.list = Some((j, m));
                }
            }
            BookletBlock::Quote { text, by } => {
                let indent = f.quote_indent;
                let quoted = format!("»{}«", text.trim());
                if let Some(mut u) =
                    s.unit(&quoted, &f.quote, measure - indent, BlockKind::Quote, f.block_space, path, diags)
                {
                    u.keep_with_next = by.is_some();
                    cur.push(u, Draw::Lines { indent, rule: f.quote_rule.clone() }, None);
                }
                if let Some(by) = by {
                    let at = format!("{path}.by");
                    if let Some(u) = s.unit(
                        &format!("– {}", by.trim()),
                        &f.quote_by,
                        measure - indent,
                        BlockKind::Paragraph,
                        Mm(1.5).to_pt(),
                        &at,
                        diags,
                    ) {
                        cur.push(u, Draw::Lines { indent, rule: f.quote_rule.clone() }, None);
                    }
                }
            }
            BookletBlock::Image { file, alt, height, caption } => {
                let mut u =
                    whole_unit(BlockKind::Figure { alt: alt.clone() }, alt.clone(), *height, f.block_space, path);
                u.whole = None;
                u.image = Some((file.clone(), *height));
                u.keep_with_next = caption.is_some();
                cur.push(u, Draw::Image, None);
                if let Some(c) = caption {
                    let at = format!("{path}.caption");
                    if let Some(u) = s.unit(c, &f.caption, measure, BlockKind::Paragraph, Mm(2.0).to_pt(), &at, diags) {
                        cur.push(u, Draw::Lines { indent: Pt::ZERO, rule: None }, None);
                    }
                }
            }
            BookletBlock::Exercise { title, parts } => {
                let intro = match n.checked_sub(1).and_then(|k| flow.get(k)) {
                    Some((BookletBlock::Paragraph(t), at)) => Some((t.as_str(), at.as_str())),
                    _ => None,
                };
                let ex = Exercise { title, parts, path, intro, title_level: (tag_level + 1).min(6) };
                if let Some((items, blocks, h)) = exercise(s, layout, &ex, measure, diags) {
                    let text = blocks.first().map(|b| b.text.clone()).unwrap_or_default();
                    let before = if intro.is_some() { f.paragraph.para.paragraph_spacing } else { f.block_space };
                    let u = whole_unit(BlockKind::Paragraph, text, h, before, intro.map_or(path, |i| i.1));
                    cur.push(u, Draw::Whole { items, blocks }, None);
                }
            }
        }
    }
    out.retain(|s| !s.units.is_empty());
    let ok = diags.iter().filter(|d| d.is_error()).count() == errors;
    ok.then_some((out, headings))
}

/// An exercise as the flow has it.
struct Exercise<'a> {
    title: &'a str,
    parts: &'a [ExercisePart],
    /// Its JSON path.
    path: &'a str,
    /// The paragraph before it (its text and path): its introduction, kept with it.
    intro: Option<(&'a str, &'a str)>,
    /// The tag level of its title.
    title_level: u8,
}

/// An exercise drawn whole: its introduction, then a ground with the title and the parts one
/// below the other with their write-in lines, tick boxes and boxes. Returns the items (relative
/// to the top-left corner), the blocks (introduction, title, prompts, options) and the height.
fn exercise(
    s: &Setter,
    layout: &BookletLayout,
    ex: &Exercise,
    measure: Pt,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Vec<FrameItem>, Vec<Block>, Pt)> {
    let Exercise { title, parts, path, intro, title_level } = *ex;
    let x = &layout.exercise;
    let pad = if x.fill.is_some() { x.padding } else { Pt::ZERO };
    let inner = measure - pad * 2.0;
    let rule = Stroke { color: x.rule.clone(), width: x.rule_width, dash: None };
    let mut items = Vec::new();
    let mut blocks = Vec::new();
    let gap = Mm(3.0).to_pt();
    // The introduction, across the whole column above the ground.
    let mut top = Pt::ZERO;
    if let Some((t, at)) = intro {
        let para = &layout.flow.paragraph;
        let (lines, text, _) = s.set(t, para, measure, at, diags)?;
        let start = items.len();
        place_lines(&lines, Pt::ZERO, Pt::ZERO, &fixed(para), &mut items);
        blocks.push(Block { kind: BlockKind::Paragraph, items: start..items.len(), text });
        top = lines_height(&lines, para) + layout.flow.block_space;
    }
    let mut y = top + pad;
    // Text of the exercise: its items, and a block for them.
    let text_block = |lines: &[SetLine],
                      text: String,
                      style: &Style,
                      kind: BlockKind,
                      y: Pt,
                      items: &mut Vec<FrameItem>,
                      blocks: &mut Vec<Block>| {
        let start = items.len();
        place_lines(lines, pad, y, &fixed(style), items);
        blocks.push(Block { kind, items: start..items.len(), text });
    };
    let (lines, text, _) = s.set(title, &x.title, inner, &format!("{path}.exercise"), diags)?;
    text_block(&lines, text, &x.title, BlockKind::Heading(title_level), y, &mut items, &mut blocks);
    y += lines_height(&lines, &x.title);
    let mut ok = true;
    for (i, part) in parts.iter().enumerate() {
        let at = format!("{path}.parts[{i}]");
        match part {
            ExercisePart::Prompt(t) => {
                y += gap;
                let Some((lines, text, _)) = s.set(t, &x.prompt, inner, &at, diags) else {
                    ok = false;
                    continue;
                };
                text_block(&lines, text, &x.prompt, BlockKind::Paragraph, y, &mut items, &mut blocks);
                y += lines_height(&lines, &x.prompt);
            }
            ExercisePart::Lines(n) => {
                for _ in 0..*n {
                    y += x.line_spacing;
                    items.push(FrameItem::Line {
                        from: Point::new(pad, y),
                        to: Point::new(pad + inner, y),
                        stroke: rule.clone(),
                    });
                }
                y += Mm(1.0).to_pt();
            }
            ExercisePart::Ticks(options) => {
                y += gap;
                let bx = x.tick_size;
                let text_x = bx + Mm(2.5).to_pt();
                for (k, opt) in options.iter().enumerate() {
                    let Some((lines, text, _)) =
                        s.set(opt, &x.tick, inner - text_x, &format!("{at}.ticks[{k}]"), diags)
                    else {
                        ok = false;
                        continue;
                    };
                    if k > 0 {
                        y += Mm(1.5).to_pt();
                    }
                    // The box sits on the first line, its bottom on the baseline.
                    let base = lines.first().map(|l| l.baseline).unwrap_or_default();
                    let start = items.len();
                    let top = y + base - bx + x.tick.para.size * 0.1;
                    items.push(FrameItem::Rect {
                        rect: Rect::from_origin_size(Point::new(pad, top), Size { w: bx, h: bx }),
                        fill: None,
                        stroke: Some(rule.clone()),
                    });
                    place_lines(&lines, pad + text_x, y, &fixed(&x.tick), &mut items);
                    blocks.push(Block { kind: BlockKind::ListItem, items: start..items.len(), text });
                    y += lines_height(&lines, &x.tick);
                }
            }
            ExercisePart::Box(h) => {
                y += gap;
                items.push(FrameItem::Rect {
                    rect: Rect::from_origin_size(Point::new(pad, y), Size { w: inner, h: *h }),
                    fill: None,
                    stroke: Some(rule.clone()),
                });
                y += *h;
            }
        }
    }
    if !ok {
        return None;
    }
    let height = y + pad.max(Mm(1.0).to_pt());
    if let Some(fill) = &x.fill {
        // The background goes first (under everything); block ranges move by one.
        items.insert(
            0,
            FrameItem::Rect {
                rect: Rect::from_origin_size(Point::new(Pt::ZERO, top), Size { w: measure, h: height - top }),
                fill: Some(fill.clone()),
                stroke: None,
            },
        );
        for b in &mut blocks {
            b.items = b.items.start + 1..b.items.end + 1;
        }
    }
    Some((items, blocks, height))
}

/// The contents as a section: its title (a chapter heading) and one entry per heading down to
/// the layout's level, each drawn whole with room for its page number at the right.
pub(super) fn contents(
    s: &Setter,
    layout: &BookletLayout,
    headings: &[Heading],
    diags: &mut Vec<Diagnostic>,
) -> Option<Section> {
    let c = layout.contents.as_ref()?;
    let measure = layout.column_width();
    let mut sec = Section::new(Start::Page);
    let title = s.unit(&c.title, &layout.flow.headings[0], measure, BlockKind::Heading(2), Pt::ZERO, "", diags)?;
    sec.push(title, Draw::Lines { indent: Pt::ZERO, rule: None }, None);
    // The widest page number a booklet of this size can have, so no entry runs into it.
    let num_w = number_width(s, &c.style, "888");
    let gap = Mm(4.0).to_pt();
    for (i, h) in headings.iter().enumerate().filter(|(_, h)| h.level <= c.levels) {
        let style = if h.level == 1 { &c.style } else { &c.style2 };
        let indent = c.indent * f64::from(h.level - 1);
        let (lines, _, _) = s.set(&h.text, style, measure - indent - num_w - gap, &h.path, diags)?;
        let mut items = Vec::new();
        place_lines(&lines, indent, Pt::ZERO, &fixed(style), &mut items);
        let height = lines_height(&lines, style);
        let baseline = lines.last().map(|l| l.baseline).unwrap_or_default();
        let block = Block {
            kind: BlockKind::ContentsEntry { heading: h.text.clone() },
            items: 0..items.len(),
            text: h.text.clone(),
        };
        let before = if h.level == 1 { c.entry_space } else { Mm(0.8).to_pt() };
        let u = whole_unit(block.kind.clone(), h.text.clone(), height, before, &h.path);
        sec.push(u, Draw::Entry { items, block, baseline, heading: i }, None);
    }
    Some(sec)
}

/// The advance width of `text` in `style`.
pub(super) fn number_width(s: &Setter, style: &Style, text: &str) -> Pt {
    let paras = markup::parse(text).unwrap_or_default();
    s.ts.set(&paras, &style.para, Mm(100.0).to_pt())
        .ok()
        .and_then(|tb| tb.lines.into_iter().next())
        .map_or(Pt::ZERO, |l| l.width)
}
