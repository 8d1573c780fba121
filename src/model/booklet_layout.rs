//! A resolved booklet: its layout (page, margins, styles, covers, running heads, folios,
//! contents, binding and paper) and its content (the flow of blocks), checked.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use super::color::Color;
use super::element::{Element, Style};
use super::output_intent::OutputIntent;
use super::source::SourceFile;
use crate::diag::Diagnostic;
use crate::text::hyphenate::Hyphenator;
use crate::units::{Mm, Pt, Size};

/// Where a chapter (a level-1 heading) starts.
#[derive(Clone, Copy, Debug, Default, Deserialize, schemars::JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ChapterStart {
    /// On a new page.
    #[default]
    Page,
    /// On a new right-hand (odd) page.
    Right,
    /// Where the text is.
    Flow,
}

/// Where the table of contents goes.
#[derive(Clone, Copy, Debug, Default, Deserialize, schemars::JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ContentsPlace {
    /// On the first page after the front cover (and the inside front cover, if any).
    #[default]
    Start,
    /// On page 2, over the inside front cover's template.
    InsideFront,
}

/// Where the folio stands.
#[derive(Clone, Copy, Debug, Default, Deserialize, schemars::JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FolioPlace {
    /// At the fore-edge side of the text area.
    #[default]
    Outer,
    /// Centred under the text area.
    Center,
}

/// A paper, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Paper {
    /// Its name for the job ticket (or its caliper, when only that is given).
    pub name: Option<String>,
    /// Weight in g/m², if known.
    pub grammage: Option<f64>,
    /// Thickness of one leaf.
    pub caliper: Mm,
}

/// The binding, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// The text paper.
    pub paper: Paper,
    /// A separate cover paper (`None`: self-cover).
    pub cover_paper: Option<Paper>,
    /// Staple positions from the top trim.
    pub stitches: Vec<Pt>,
    /// Whether the imposed sheets are shifted for creep.
    pub creep: bool,
}

impl Binding {
    /// Each sheet's creep shift for `sheets` nested sheets, outside sheet first. Sheet `s` lies
    /// inside the `s` sheets around it, so its fold is their thickness further in and its leaves
    /// reach that much further towards the fore-edge: `creep(s) = Σ caliper of sheets 0..s`
    /// (with a separate cover, sheet 0 is the cover paper), `s × t` for a self-cover booklet.
    #[must_use]
    pub fn creep(&self, sheets: usize) -> Vec<Mm> {
        let t = self.paper.caliper.0;
        let cover = self.cover_paper.as_ref().map_or(t, |c| c.caliper.0);
        (0..sheets).map(|s| Mm(if s == 0 { 0.0 } else { cover + (s - 1) as f64 * t })).collect()
    }
}

/// The write-in parts' look.
#[derive(Clone, Debug)]
pub struct ExerciseLook {
    /// Title, prompt and tick option styles.
    pub title: Style,
    /// Prompts.
    pub prompt: Style,
    /// Tick options.
    pub tick: Style,
    /// Background.
    pub fill: Option<Color>,
    /// Padding inside the background.
    pub padding: Pt,
    /// Distance between write-in lines.
    pub line_spacing: Pt,
    /// Colour of lines and boxes.
    pub rule: Color,
    /// Width of lines and boxes.
    pub rule_width: Pt,
    /// Side of a tick box.
    pub tick_size: Pt,
}

/// The running head, resolved.
#[derive(Clone, Debug)]
pub struct RunningHead {
    /// Style.
    pub style: Style,
    /// Left-page text (template).
    pub left: String,
    /// Right-page text (template).
    pub right: String,
    /// Baseline from the top trim.
    pub baseline: Pt,
    /// Also on a chapter's first page.
    pub on_chapter_pages: bool,
}

/// The folio, resolved.
#[derive(Clone, Debug)]
pub struct Folio {
    /// Style.
    pub style: Style,
    /// Baseline from the top trim.
    pub baseline: Pt,
    /// Where.
    pub place: FolioPlace,
}

/// The table of contents, resolved.
#[derive(Clone, Debug)]
pub struct Contents {
    /// Its heading.
    pub title: String,
    /// Deepest level listed.
    pub levels: u8,
    /// Level-1 entries.
    pub style: Style,
    /// Deeper entries.
    pub style2: Style,
    /// Indent per level.
    pub indent: Pt,
    /// Space above a level-1 entry.
    pub entry_space: Pt,
    /// Where they go.
    pub place: ContentsPlace,
}

/// The flow's styles, resolved.
#[derive(Clone, Debug)]
pub struct BookletFlow {
    /// Headings of levels 1, 2, 3.
    pub headings: [Style; 3],
    /// Paragraphs.
    pub paragraph: Style,
    /// Lists.
    pub list: Style,
    /// Quotes.
    pub quote: Style,
    /// Who is quoted.
    pub quote_by: Style,
    /// Captions.
    pub caption: Style,
    /// Space above a heading.
    pub heading_space: Pt,
    /// Space between list items.
    pub item_space: Pt,
    /// Space around quotes, images and exercises.
    pub block_space: Pt,
    /// Quote indent.
    pub quote_indent: Pt,
    /// Rule beside quotes.
    pub quote_rule: Option<Color>,
    /// Where chapters start.
    pub chapter_start: ChapterStart,
}

/// A resolved booklet layout.
#[derive(Debug)]
pub struct BookletLayout {
    /// File stem.
    pub name: String,
    /// Source file.
    pub file: Arc<SourceFile>,
    /// Print colours for the sRGB colours of SVG artwork (`artwork_colors`).
    pub artwork_colors: crate::model::color::ArtColors,
    /// Trimmed page size.
    pub page: Size,
    /// Bleed.
    pub bleed: Pt,
    /// Safe distance.
    pub safe: Pt,
    /// Margins: top, bottom, inner, outer.
    pub margins: [Pt; 4],
    /// Columns and the gap between them.
    pub columns: usize,
    /// Gap between columns.
    pub column_gap: Pt,
    /// Fixed page count.
    pub pages: Option<u32>,
    /// Flow styles.
    pub flow: BookletFlow,
    /// Exercises.
    pub exercise: ExerciseLook,
    /// Running head.
    pub running_head: Option<RunningHead>,
    /// Folio.
    pub folio: Option<Folio>,
    /// Table of contents.
    pub contents: Option<Contents>,
    /// Cover templates: front, inside front, inside back, back (frame coordinates, bleed included).
    pub front: Vec<Element>,
    /// Page 2's template, if any.
    pub inside_front: Option<Vec<Element>>,
    /// The last page but one's template, if any.
    pub inside_back: Option<Vec<Element>>,
    /// The back cover's template.
    pub back: Vec<Element>,
    /// Binding.
    pub binding: Binding,
    /// The press sheet (landscape or portrait is chosen by fit).
    pub press_sheet: Size,
    /// The press sheet's name for tickets.
    pub press_sheet_name: String,
    /// Marks on press sheets.
    pub marks: bool,
    /// Output condition override.
    pub output_intent: Option<OutputIntent>,
    /// Black overprint in print files.
    pub overprint_black: bool,
    /// Non-fatal findings.
    pub warnings: Vec<Diagnostic>,
}

impl BookletLayout {
    /// The width of one column.
    #[must_use]
    pub fn column_width(&self) -> Pt {
        let [_, _, inner, outer] = self.margins;
        let n = self.columns as f64;
        (self.page.w - inner - outer - self.column_gap * (n - 1.0)) / n
    }

    /// The height of the text area.
    #[must_use]
    pub fn text_height(&self) -> Pt {
        self.page.h - self.margins[0] - self.margins[1]
    }

    /// The pages the covers take at the front (1 or 2) and at the back (1 or 2).
    #[must_use]
    pub fn cover_pages(&self) -> (u32, u32) {
        (1 + u32::from(self.inside_front.is_some()), 1 + u32::from(self.inside_back.is_some()))
    }
}

/// One part of an exercise.
#[derive(Clone, Debug, PartialEq)]
pub enum ExercisePart {
    /// A question or instruction (markup).
    Prompt(String),
    /// Ruled write-in lines.
    Lines(u32),
    /// Tick-box options (markup).
    Ticks(Vec<String>),
    /// An empty box of this height.
    Box(Pt),
}

/// A resolved block of a booklet's flow.
#[derive(Clone, Debug, PartialEq)]
pub enum BookletBlock {
    /// A heading, level 1–3.
    Heading {
        /// Level.
        level: u8,
        /// Text (markup).
        text: String,
    },
    /// A paragraph (markup).
    Paragraph(String),
    /// A list.
    List {
        /// Items (markup).
        items: Vec<String>,
        /// Numbered (else bulleted).
        numbered: bool,
    },
    /// A quote and who said it.
    Quote {
        /// The words (markup).
        text: String,
        /// Who.
        by: Option<String>,
    },
    /// An image with its alt text, height and caption.
    Image {
        /// File.
        file: String,
        /// Text alternative.
        alt: String,
        /// Height.
        height: Pt,
        /// Caption, kept with the image.
        caption: Option<String>,
    },
    /// An exercise: title and parts, kept whole.
    Exercise {
        /// Title.
        title: String,
        /// Parts in order.
        parts: Vec<ExercisePart>,
    },
    /// The next block starts on a new page.
    PageBreak,
    /// The next block starts on a right-hand page.
    RightPage,
}

/// A resolved booklet.
#[derive(Debug)]
pub struct Booklet {
    /// File stem (product name).
    pub name: String,
    /// Source file.
    pub file: Arc<SourceFile>,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Short product name for the job ticket.
    pub short_title: Option<String>,
    /// Language.
    pub language: String,
    /// Layout name.
    pub layout: String,
    /// Region id.
    pub region: String,
    /// Template fields.
    pub fields: BTreeMap<String, String>,
    /// Hyphenation.
    pub hyphenator: Hyphenator,
    /// Phrases never broken across lines.
    pub keep_together: Vec<String>,
    /// The flow, with each block's JSON path.
    pub flow: Vec<(BookletBlock, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(t: f64) -> Paper {
        Paper { name: None, grammage: None, caliper: Mm(t) }
    }

    #[test]
    fn creep_is_the_thickness_of_the_sheets_around_each_sheet() {
        let self_cover = Binding { paper: paper(0.1), cover_paper: None, stitches: Vec::new(), creep: true };
        let c: Vec<f64> = self_cover.creep(6).iter().map(|m| m.0).collect();
        assert_eq!(c.len(), 6);
        for (s, v) in c.iter().enumerate() {
            assert!((v - s as f64 * 0.1).abs() < 1e-12, "{c:?}");
        }
        // A 0.3 mm cover around 0.1 mm text paper: the first text sheet lies inside the cover only.
        let covered = Binding { cover_paper: Some(paper(0.3)), ..self_cover };
        let c: Vec<f64> = covered.creep(4).iter().map(|m| m.0).collect();
        for (got, want) in c.iter().zip([0.0, 0.3, 0.4, 0.5]) {
            assert!((got - want).abs() < 1e-12, "{c:?}");
        }
    }
}
