//! Laying out a folded leaflet: the cover and back panels from templates, and the text flowing
//! through the other panels in reading order like threaded text frames: headings stay with what
//! follows, no single line is left alone at a panel's top or bottom, and text that does not fit
//! is an error naming the panel and how much is over.

use crate::assets::ImageCache;
use crate::diag::{Diagnostic, Location, Topic};
use crate::model::fold::PanelRole;
use crate::model::layout::Fit;
use crate::model::leaflet::{FlowBlock, Leaflet, LeafletLayout, Region, panel_padding, text_measure};
use crate::model::print_condition::PrintCheck;
use crate::model::source::SourceFile;
use crate::text::markup::{self, Paragraph};
use crate::text::shape::Shaper;
use crate::text::{FontBook, Typesetter};
use crate::units::{Point, Pt, Rect, Size};

use super::contrast::Contrast;
use super::frame::{Block, BlockKind, Frame, FrameItem};
use super::gwg::Checker;
use super::panel_flow::{Piece, Stop, Unit, balanced, fills, plan};
use super::picture::Picture;
use super::template::{Env, TemplateData, lay_out_elements, run_area, unkept_warning};
use super::typography::{FieldReport, TypographyLog};

/// A laid-out leaflet: one frame per panel (index as in the fold geometry) plus the combined cover.
#[derive(Clone, Debug)]
pub struct LeafletPanels {
    /// Frames of the flow and back panels by panel index; cover panels are `None`.
    pub panels: Vec<Option<Frame>>,
    /// The cover frame (for a gate fold it spans both flaps).
    pub cover: Frame,
}

/// What the leaflet's templates read (also the download version's, `layout/leaflet_screen.rs`).
pub(super) struct Data<'a> {
    pub(super) leaflet: &'a Leaflet,
    pub(super) region: Option<&'a Region>,
    pub(super) regions_file: Option<&'a SourceFile>,
}

/// Shown where a template asks for `{region.note}` and the region's data is unverified.
pub const SAMPLE_NOTE: &str = "Kontaktoplysningerne er eksempeldata og ikke bekræftet.";

/// A `{region.…}` placeholder's value (`region.name`, `region.note`, any field of the region);
/// `None` when `name` is no region placeholder. Leaflets and booklets bind region data alike.
pub(super) fn region_value(region: Option<&Region>, name: &str) -> Option<Option<String>> {
    Some(match name.strip_prefix("region.")? {
        "name" => region.map(|r| r.name.clone()),
        "note" => region.filter(|r| r.sample).map(|_| SAMPLE_NOTE.to_string()),
        key => region.and_then(|r| r.fields.get(key).cloned()),
    })
}

impl TemplateData for Data<'_> {
    fn value(&self, name: &str) -> Option<String> {
        match name {
            "title" | "deck.title" => Some(self.leaflet.title.clone()),
            // Each link a paragraph: its label in bold, the address on the next line.
            "links" => (!self.leaflet.links.is_empty()).then(|| {
                self.leaflet.links.iter().map(|(l, u)| format!("**{l}**\n{u}")).collect::<Vec<_>>().join("\n\n")
            }),
            _ => region_value(self.region, name).unwrap_or_else(|| self.leaflet.fields.get(name).cloned()),
        }
    }

    fn locate(&self, field: &str) -> Location {
        match (field.strip_prefix("region."), self.regions_file) {
            (Some(_), Some(f)) => f.locate("regions"),
            _ if field == "links" && !self.leaflet.links.is_empty() => self.leaflet.file.locate("links"),
            _ if self.leaflet.fields.contains_key(field) => self.leaflet.file.locate(&format!("fields.{field}")),
            _ => self.leaflet.file.locate(""),
        }
    }

    fn subject(&self, field: &str) -> String {
        format!("leaflet {}, {field}", self.leaflet.name)
    }

    fn image_subject(&self, path: &str) -> String {
        self.subject(&format!("image {path}"))
    }
}

/// What a leaflet is laid out from: its content, its layout, and the project's fonts, images and
/// region data. Both the print panels and the reflowed download version read it.
#[derive(Clone, Copy)]
pub struct LeafletInput<'a> {
    /// The content file.
    pub leaflet: &'a Leaflet,
    /// Its layout.
    pub layout: &'a LeafletLayout,
    /// The project's fonts.
    pub fonts: &'a FontBook,
    /// Images, with the output profile that converts them.
    pub images: &'a ImageCache,
    /// The region whose contact data it carries, if any.
    pub region: Option<&'a Region>,
    /// `decks/regions.json`, to locate region data in diagnostics.
    pub regions_file: Option<&'a SourceFile>,
}

/// Lays out the leaflet's print panels, checked against `check`, recording what line breaking
/// did per panel and block in `typography` when asked. Errors (overflow, missing glyphs, images)
/// come back as diagnostics.
pub fn lay_out_leaflet(
    input: &LeafletInput,
    check: PrintCheck,
    typography: Option<&TypographyLog>,
) -> (Option<LeafletPanels>, Vec<Diagnostic>) {
    let LeafletInput { leaflet, layout, fonts, images, region, regions_file } = *input;
    let ts = Typesetter::new(Shaper::new(fonts), &leaflet.hyphenator).keep_together(&leaflet.keep_together);
    let contrast = Contrast::new(images.profile());
    let env = Env {
        ts: &ts,
        images,
        layout_file: &layout.file,
        check: Checker::new(check),
        contrast,
        art_colors: &layout.artwork_colors,
        typography,
    };
    let data = Data { leaflet, region, regions_file };
    let mut diags = Vec::new();
    let g = &layout.geometry;
    let b = layout.bleed;
    let h = g.sheet.h;
    let frame_for = |w: Pt| Frame {
        size: Size { w: w + b * 2.0, h: h + b * 2.0 },
        trim: Rect::from_origin_size(Point::new(b, b), Size { w, h }),
        ..Frame::default()
    };

    let cover_w = g.panels.iter().filter(|p| p.role == PanelRole::Cover).map(|p| p.width).fold(Pt::ZERO, |a, c| a + c);
    let mut cover = frame_for(cover_w);
    lay_out_elements(&layout.cover, &data, &env, &mut cover, Pt::ZERO, "cover", &mut diags);

    let mut panels: Vec<Option<Frame>> = vec![None; g.panels.len()];
    for (i, p) in g.panels.iter().enumerate() {
        match p.role {
            PanelRole::Cover => {}
            PanelRole::Back => {
                let mut f = frame_for(p.width);
                lay_out_elements(&layout.back, &data, &env, &mut f, Pt::ZERO, "back", &mut diags);
                panels[i] = Some(f);
            }
            PanelRole::Flow => {
                let mut f = frame_for(p.width);
                if let Some((_, deco)) = layout.panel.iter().find(|(w, _)| (w.0 - p.width.0).abs() < 1e-6) {
                    lay_out_elements(deco, &data, &env, &mut f, Pt::ZERO, "panel", &mut diags);
                }
                panels[i] = Some(f);
            }
        }
    }

    // The text frame: the same measure on every flow panel (the narrowest panel decides), placed
    // `outer` from a sheet edge and `inner` from a fold.
    let [top, bottom, outer, inner] = layout.padding;
    let flow_ids = g.flow_panels();
    let pad = |i: usize| panel_padding(g, i, outer, inner);
    let measure = text_measure(g, outer, inner);
    let frame_h = h - top - bottom;

    let units = match build_units(leaflet, layout, &ts, measure, &mut diags) {
        Some(u) => u,
        None => return (None, diags),
    };
    flow(&units, &flow_ids, &mut panels, layout, &env, measure, frame_h, &pad, &leaflet.file, &mut diags);
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(LeafletPanels { panels, cover }), diags)
}

fn plain(paras: &[Paragraph]) -> String {
    paras.iter().map(|p| p.spans.iter().map(|s| s.text.as_str()).collect::<String>()).collect::<Vec<_>>().join("\n")
}

fn build_units(
    leaflet: &Leaflet,
    layout: &LeafletLayout,
    ts: &Typesetter,
    measure: Pt,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Unit>> {
    let [heading, para, list] = &layout.flow;
    let mut units = Vec::new();
    let err = |msg: String, path: &str| {
        Diagnostic::error(msg).at(leaflet.file.locate(path)).about(format!("leaflet {}", leaflet.name))
    };
    for (n, (block, path)) in leaflet.flow.iter().enumerate() {
        let first = units.len();
        let mut push_text =
            |src: &str, style: &crate::model::Style, kind: BlockKind, before: Pt, keep: bool, path: &str| {
                let paras = match markup::parse(src) {
                    Ok(p) => p,
                    Err(m) => {
                        diags.push(err(format!("markup error: {m}"), path));
                        return;
                    }
                };
                match ts.set(&paras, &style.para, measure) {
                    Ok(tb) => {
                        if tb.loose_lines > 0 {
                            diags.push(
                                Diagnostic::warning(format!(
                                    "{} line(s) could not be set within the spacing tolerance",
                                    tb.loose_lines
                                ))
                                .with_topic(Topic::LooseLines)
                                .at(leaflet.file.locate(path)),
                            );
                        }
                        if tb.short_last_lines > 0 {
                            diags.push(
                                Diagnostic::warning(
                                    "the paragraph ends in a line shorter than the style's `last_line_min_chars`",
                                )
                                .with_hint("reword the end of the paragraph, or lower `last_line_min_chars`")
                                .with_topic(Topic::ShortLastLine)
                                .at(leaflet.file.locate(path)),
                            );
                        }
                        for phrase in &tb.unkept {
                            diags.push(unkept_warning(phrase).at(leaflet.file.locate(path)));
                        }
                        let asc = tb.lines.first().map(|l| l.baseline).unwrap_or_default();
                        let desc = tb.height - tb.lines.last().map(|l| l.baseline).unwrap_or_default();
                        let color = match &style.color {
                            crate::model::ColorRef::Fixed(c) => c.clone(),
                            crate::model::ColorRef::Category => crate::model::color::Color::BLACK,
                        };
                        units.push(Unit {
                            kind,
                            text: plain(&paras),
                            lines: tb.lines,
                            asc,
                            desc,
                            color,
                            space_before: before,
                            keep_with_next: keep,
                            image: None,
                            whole: None,
                            list: None,
                            path: path.to_string(),
                            breaking: style.para.breaking,
                            unkept: tb.unkept,
                        });
                    }
                    Err(e) => diags.push(err(e.message(), path).with_topic(super::template::text_topic(&e))),
                }
            };
        match block {
            FlowBlock::Heading(t) => push_text(t, heading, BlockKind::Heading(2), layout.heading_space, true, path),
            FlowBlock::Paragraph(t) => {
                push_text(t, para, BlockKind::Paragraph, para.para.paragraph_spacing, false, path)
            }
            FlowBlock::List(items) => {
                for (k, item) in items.iter().enumerate() {
                    let before = if k == 0 { para.para.paragraph_spacing } else { layout.item_space };
                    push_text(
                        &format!("- {item}"),
                        list,
                        BlockKind::ListItem,
                        before,
                        false,
                        &format!("{path}.list[{k}]"),
                    );
                }
            }
            FlowBlock::Image(file, alt, height) => units.push(Unit {
                kind: BlockKind::Figure { alt: alt.clone() },
                text: alt.clone(),
                lines: Vec::new(),
                asc: Pt::ZERO,
                desc: Pt::ZERO,
                color: crate::model::color::Color::BLACK,
                space_before: para.para.paragraph_spacing,
                keep_with_next: false,
                image: Some((file.clone(), *height)),
                whole: None,
                list: None,
                path: path.clone(),
                breaking: crate::text::Breaking::default(),
                unkept: Vec::new(),
            }),
        }
        match block {
            FlowBlock::List(_) => {
                let m = units.len() - first;
                for (j, u) in units[first..].iter_mut().enumerate() {
                    u.list = Some((j, m));
                }
            }
            // A paragraph that introduces a list (ends in a colon) stays with its first items.
            FlowBlock::Paragraph(t) if t.trim_end().ends_with(':') => {
                if let (Some(FlowBlock::List(_)), Some(u)) = (leaflet.flow.get(n + 1).map(|b| &b.0), units.last_mut()) {
                    u.keep_with_next = true;
                }
            }
            _ => {}
        }
    }
    (!diags.iter().any(Diagnostic::is_error)).then_some(units)
}

#[allow(clippy::too_many_arguments)]
fn flow(
    units: &[Unit],
    flow_ids: &[usize],
    panels: &mut [Option<Frame>],
    layout: &LeafletLayout,
    env: &Env,
    measure: Pt,
    frame_h: Pt,
    pad: &dyn Fn(usize) -> (Pt, Pt),
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) {
    let g = &layout.geometry;
    let top = layout.padding[0];
    let b = layout.bleed;
    let pieces = match plan(units, flow_ids.len(), frame_h, false) {
        Ok(p) => p,
        Err(Stop::Overflow { unit: i, s }) => {
            // Out of panels: report how much is left.
            let left: Pt = units[i..]
                .iter()
                .enumerate()
                .map(|(k, u)| {
                    u.height(if k == 0 { s } else { 0 }, u.len() - if k == 0 { s } else { 0 }) + u.space_before
                })
                .fold(Pt::ZERO, |a, c| a + c);
            let last = flow_ids.last().map(|&p| g.panels[p].name).unwrap_or("?");
            diags.push(
                Diagnostic::error(format!(
                    "the text does not fit the leaflet: {:.1} mm left over after the last text panel `{last}`",
                    left.to_mm().0
                ))
                .with_hint("shorten the text, use smaller styles, or a fold with more panels")
                .with_topic(Topic::Overflow)
                .at(layout_locate(file, units, i))
                .about(format!("panel {last}")),
            );
            return;
        }
        Err(Stop::Rules) => unreachable!("only strict plans stop at a rule"),
        Err(Stop::TooTall { unit: i, s, panel }) => {
            let u = &units[i];
            diags.push(
                Diagnostic::error(format!(
                    "a block is {:.1} mm taller than the text frame of panel `{}`",
                    (u.height(s, u.len() - s) - frame_h).to_mm().0,
                    g.panels[flow_ids[panel]].name
                ))
                .with_topic(Topic::Overflow)
                .at(layout_locate(file, units, i)),
            );
            return;
        }
    };
    let pieces = match layout.balance {
        Some(min_fill) => {
            // Across the panels the text needs: a short text is not spread over empty panels.
            let used = pieces.last().map_or(0, |p| p.panel + 1);
            let pieces = balanced(units, used, frame_h, pieces);
            let f = fills(units, &pieces, flow_ids.len());
            let deepest = f.iter().copied().fold(Pt::ZERO, Pt::max);
            for (n, &depth) in f.iter().enumerate().take(used) {
                if depth.0 < min_fill * deepest.0 {
                    let last = pieces.iter().rfind(|p| p.panel == n).or_else(|| pieces.iter().find(|p| p.panel > n));
                    let name = g.panels[flow_ids[n]].name;
                    diags.push(
                        Diagnostic::warning(format!(
                            "panel `{name}` is filled to {:.1} mm, less than {min_fill} of the deepest panel ({:.1} mm)",
                            depth.to_mm().0,
                            deepest.to_mm().0
                        ))
                        .with_hint("add or shorten text, or lower `flow.balance.min_fill` in the leaflet layout")
                        .at(last.map_or_else(|| file.locate(""), |p| layout_locate(file, units, p.unit)))
                        .about(format!("panel {name}")),
                    );
                }
            }
            pieces
        }
        None => pieces,
    };
    for Piece { panel: cur, unit: i, s, k, y } in pieces {
        let u = &units[i];
        let pid = flow_ids[cur];
        // Place lines s..s+k of unit i at the top of the frame + y.
        let frame = panels[pid].as_mut().expect("flow panels have frames");
        let panel = format!("panel `{}`, block {}", g.panels[pid].name, units[i].path);
        let (left, _) = pad(pid);
        let x0 = b + left;
        let y0 = b + top + y;
        let start = frame.items.len();
        if let Some((img, height)) = &u.image {
            let bx = Rect::from_origin_size(Point::new(x0, y0), Size { w: measure, h: *height });
            let mut found = Vec::new();
            match Picture::place(env.images, (img, None), env.art_colors, (bx, Fit::Contain), &env.check, &mut found) {
                Ok(item) => frame.items.push(item),
                Err(e) => diags.push(e.at(layout_locate(file, units, i))),
            }
            diags.extend(found.into_iter().map(|d| d.at(layout_locate(file, units, i)).about(panel.clone())));
        } else {
            let base0 = u.lines[s].baseline;
            let mut found = Vec::new();
            for line in &u.lines[s..s + k] {
                for run in &line.runs {
                    let origin = Point::new(x0 + run.x, y0 + u.asc + (line.baseline - base0));
                    env.check.text(&u.color, run.size, run_area(origin, run), &frame.items[..start], &mut found);
                    if let Some(c) = &env.contrast {
                        let bold = env.ts.shaper().book().face(run.font).weight >= 700;
                        c.text(&u.color, run.size, bold, run_area(origin, run), &frame.items[..start], &mut found);
                    }
                    frame.items.push(FrameItem::Text { origin, run: run.clone(), color: u.color.clone() });
                }
            }
            found.dedup_by(|a, b| a.message == b.message);
            diags.extend(found.into_iter().map(|d| d.at(layout_locate(file, units, i)).about(panel.clone())));
            if let Some(log) = env.typography {
                let at = layout_locate(file, units, i);
                let mut r = FieldReport::new(None, Some(g.panels[pid].name.to_string()), &u.path, &at);
                r.add_lines(&u.lines, s..s + k, &u.breaking, measure);
                if s == 0 {
                    r.unkept.clone_from(&u.unkept);
                }
                log.record(0, r);
            }
        }
        frame.blocks.push(Block { kind: u.kind.clone(), items: start..frame.items.len(), text: u.text.clone() });
    }
}

fn layout_locate(file: &SourceFile, units: &[Unit], i: usize) -> Location {
    file.locate(&units[i].path)
}
