//! Saddle-stitched booklets as written in JSON: the booklet layout (`layouts/booklets/*.json`:
//! page, margins, styles, covers, running heads, folios, contents, binding and paper) and the
//! booklet content (`decks/booklets/*.json`: fields for the covers and the flow of blocks —
//! headings, paragraphs, lists, quotes, images, exercises with write-in space, page breaks). The
//! resolved values are in [`super::booklet_layout`].

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::color::ColorSpec;
use super::range::{
    Bleed, Caliper, Columns, Extent, Grammage, InkLimit, Inset, Int, Len, Num, PageCount, Position, Spacing, TocLevels,
    WriteLines,
};
use super::sheet::SheetSize;

pub use super::booklet_layout::{
    Booklet, BookletBlock, BookletLayout, ChapterStart, ContentsPlace, ExercisePart, FolioPlace, Paper,
};

/// A booklet layout as written in JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookletLayoutFile {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub schema: Option<String>,
    /// Human description.
    #[serde(default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub description: Option<String>,
    /// The trimmed page, portrait: `"A5"` (the default) or `{"width": 148, "height": 210}`.
    #[serde(default)]
    pub page: Option<SheetSize>,
    /// Bleed (default 3 mm).
    #[serde(default)]
    pub bleed: Option<Len<Bleed>>,
    /// Distance text keeps from every trim edge and from the spine (default 5 mm).
    #[serde(default)]
    pub safe: Option<Len<Inset>>,
    /// The text area's margins, mirrored on left and right pages: `inner` towards the spine,
    /// `outer` towards the fore-edge.
    pub margins: Margins,
    /// Text columns (default 1).
    #[serde(default)]
    pub columns: Option<Int<Columns>>,
    /// Space between columns (default 5 mm).
    #[serde(default)]
    pub column_gap: Option<Len<Spacing>>,
    /// A fixed page count (a multiple of 4): text that does not fit is an error, fewer pages are
    /// padded with blank pages. Without it the booklet has as many pages as its text needs,
    /// padded to a multiple of 4.
    #[serde(default)]
    pub pages: Option<Int<PageCount>>,
    /// Highest total ink of a declared colour (default 300 %).
    #[serde(default)]
    pub ink_limit: Option<Num<InkLimit>>,
    /// Named colours.
    #[serde(default)]
    pub colors: BTreeMap<String, ColorSpec>,
    /// Print colours for the sRGB colours of SVG artwork: `{"#1b5e6b": "teal"}`. A colour not
    /// listed is converted through the output profile, with a warning.
    #[serde(default)]
    pub artwork_colors: BTreeMap<String, ColorSpec>,
    /// Named text styles (as in card layouts).
    #[schemars(with = "BTreeMap<String, super::layout::StyleSpec>")]
    pub styles: BTreeMap<String, Value>,
    /// Which styles the flowing text uses, and its spacing.
    pub flow: BookletFlowStyles,
    /// How exercises look: the write-in lines, tick boxes and boxes.
    pub exercise: ExerciseSpec,
    /// The running head (optional): the booklet's title on left pages, the chapter on right pages.
    #[serde(default)]
    pub running_head: Option<RunningHeadSpec>,
    /// The page numbers (folios) (optional). Never on the covers or on blank pages.
    #[serde(default)]
    pub folio: Option<FolioSpec>,
    /// A table of contents at the start of the flow (optional).
    #[serde(default)]
    pub contents: Option<ContentsSpec>,
    /// The covers as templates (positions from the page's top-left trim corner).
    pub cover: CoverSpec,
    /// The binding and its paper.
    pub binding: BindingSpec,
    /// The press sheet the imposed print file uses (default `"SRA3"`).
    #[serde(default)]
    pub press_sheet: Option<SheetSize>,
    /// Crop, fold and stitch marks on the press sheets (default on).
    #[serde(default = "yes")]
    pub marks: bool,
    /// Output condition for the print files (default FOGRA39).
    #[serde(default)]
    pub output_intent: Option<super::sheet::OutputIntentSpec>,
    /// Whether 100 % black text below 12 pt and 100 % black lines below 2 pt overprint in print
    /// files, as GWG 2022 asks (default true).
    #[serde(default = "yes")]
    pub overprint_black: bool,
}

fn yes() -> bool {
    true
}

/// The text area's margins.
#[derive(Clone, Copy, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    /// From the top trim.
    pub top: Len<Inset>,
    /// From the bottom trim.
    pub bottom: Len<Inset>,
    /// From the spine (the fold).
    pub inner: Len<Inset>,
    /// From the fore-edge.
    pub outer: Len<Inset>,
}

/// Styles of the flowing text.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookletFlowStyles {
    /// Level-1 headings (chapters).
    pub heading1: String,
    /// Level-2 headings.
    pub heading2: String,
    /// Level-3 headings (default: the level-2 style).
    #[serde(default)]
    pub heading3: Option<String>,
    /// Paragraphs.
    pub paragraph: String,
    /// List items (bulleted and numbered).
    pub list: String,
    /// Quotes.
    pub quote: String,
    /// Who is quoted (default: the quote's style).
    #[serde(default)]
    pub quote_by: Option<String>,
    /// Image captions (default: the paragraph style).
    #[serde(default)]
    pub caption: Option<String>,
    /// Space above a heading (not at the top of a column; default 6 mm).
    #[serde(default)]
    pub heading_space: Option<Len<Spacing>>,
    /// Space between list items (default 1 mm).
    #[serde(default)]
    pub item_space: Option<Len<Spacing>>,
    /// Space above and below quotes, images and exercises (default 5 mm).
    #[serde(default)]
    pub block_space: Option<Len<Spacing>>,
    /// How far quotes are indented (default 6 mm).
    #[serde(default)]
    pub quote_indent: Option<Len<Spacing>>,
    /// The colour of the rule beside a quote (none: no rule).
    #[serde(default)]
    pub quote_rule: Option<ColorSpec>,
    /// Where a chapter (a level-1 heading) starts: `"page"` (a new page, the default), `"right"`
    /// (a new right-hand page) or `"flow"` (where the text is).
    #[serde(default)]
    pub chapter_start: Option<ChapterStart>,
}

/// How exercises look.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExerciseSpec {
    /// The exercise's title.
    pub title: String,
    /// Its prompts (questions and instructions).
    pub prompt: String,
    /// Tick-box options.
    pub tick: String,
    /// Background of the exercise (a palette colour; none: no background).
    #[serde(default)]
    pub fill: Option<ColorSpec>,
    /// Padding inside the background (default 4 mm).
    #[serde(default)]
    pub padding: Option<Len<Inset>>,
    /// Distance between write-in lines (default 9 mm: room for handwriting).
    #[serde(default)]
    pub line_spacing: Option<Len<Extent>>,
    /// Colour of write-in lines, boxes and tick boxes.
    pub rule: ColorSpec,
    /// Width of write-in lines (default 0.5 pt).
    #[serde(default)]
    pub rule_width: Option<Len<super::range::Stroke>>,
    /// Side of a tick box (default 3.5 mm).
    #[serde(default)]
    pub tick_size: Option<Len<Extent>>,
}

/// The running head.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunningHeadSpec {
    /// Its style.
    pub style: String,
    /// Text on left (even) pages (default `"{title}"`).
    #[serde(default)]
    pub left: Option<String>,
    /// Text on right (odd) pages (default `"{chapter}"`: the chapter the page is in).
    #[serde(default)]
    pub right: Option<String>,
    /// Its baseline, from the top trim (default 10 mm).
    #[serde(default)]
    pub baseline: Option<Len<Position>>,
    /// On the first page of a chapter too (default false: a chapter's title is there already).
    #[serde(default)]
    pub on_chapter_pages: bool,
}

/// The folio.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FolioSpec {
    /// Its style.
    pub style: String,
    /// Its baseline, from the top trim (default: 8 mm above the bottom trim).
    #[serde(default)]
    pub baseline: Option<Len<Position>>,
    /// `"outer"` (at the fore-edge side of the text area, the default) or `"center"`.
    #[serde(default)]
    pub place: Option<FolioPlace>,
}

/// The table of contents.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentsSpec {
    /// Its heading, e.g. "Indhold".
    pub title: String,
    /// Headings of levels 1..=`levels` are listed (default 2).
    #[serde(default)]
    pub levels: Option<Int<TocLevels>>,
    /// The style of level-1 entries.
    pub style: String,
    /// The style of deeper entries (default: `style`).
    #[serde(default)]
    pub style2: Option<String>,
    /// How far each level below the first is indented (default 5 mm).
    #[serde(default)]
    pub indent: Option<Len<Spacing>>,
    /// Space above a level-1 entry (default 2 mm).
    #[serde(default)]
    pub entry_space: Option<Len<Spacing>>,
    /// Where the contents go: `"start"` (the first page after the front cover, or after the inside
    /// front cover when there is one; the default) or `"inside_front"` (on page 2, over the inside
    /// front cover's template; they must fit that page).
    #[serde(default)]
    pub place: Option<ContentsPlace>,
}

/// The covers. Without an inside cover, the flow uses that page.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverSpec {
    /// Page 1.
    #[schemars(with = "Vec<super::layout::ElementSpec>")]
    pub front: Vec<Value>,
    /// Page 2 (optional).
    #[serde(default)]
    #[schemars(with = "Option<Vec<super::layout::ElementSpec>>")]
    pub inside_front: Option<Vec<Value>>,
    /// The last page but one (optional).
    #[serde(default)]
    #[schemars(with = "Option<Vec<super::layout::ElementSpec>>")]
    pub inside_back: Option<Vec<Value>>,
    /// The last page.
    #[schemars(with = "Vec<super::layout::ElementSpec>")]
    pub back: Vec<Value>,
}

/// The binding.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BindingSpec {
    /// `"saddle-stitch"` (the only binding for now).
    #[serde(rename = "type")]
    #[expect(dead_code, reason = "saddle stitch is the only binding; reading it refuses any other")]
    pub kind: BindingKind,
    /// The text paper: its caliper in mm, or `{"name", "grammage", "caliper"}`.
    pub paper: PaperSpec,
    /// A separate cover paper (heavier); without it the booklet is self-cover.
    #[serde(default)]
    pub cover_paper: Option<PaperSpec>,
    /// Staple positions, mm from the top trim (default ¼ and ¾ of the height).
    #[serde(default)]
    pub stitches: Option<Vec<Len<Position>>>,
    /// Creep compensation on the imposed sheets (default true).
    #[serde(default = "yes")]
    pub creep: bool,
}

/// A binding kind.
#[derive(Clone, Copy, Debug, Deserialize, schemars::JsonSchema, PartialEq, Eq)]
pub enum BindingKind {
    /// Folded sheets nested and stapled through the fold.
    #[serde(rename = "saddle-stitch")]
    SaddleStitch,
}

/// A paper as written.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum PaperSpec {
    /// Just its caliper (mm).
    Caliper(Len<Caliper>),
    /// A named paper.
    Named(NamedPaper),
}

/// A named paper.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedPaper {
    /// What the print shop calls it, e.g. "Silk 130 g/m²".
    pub name: String,
    /// Weight in g/m².
    pub grammage: Num<Grammage>,
    /// Thickness of one leaf in mm.
    pub caliper: Len<Caliper>,
}

/// A booklet's content as written in JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookletFile {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub schema: Option<String>,
    /// Title (document title; `{title}` in templates and running heads).
    pub title: String,
    /// Subtitle (`{subtitle}`).
    #[serde(default)]
    pub subtitle: Option<String>,
    /// A short product name for the job ticket.
    #[serde(default)]
    pub short_title: Option<String>,
    /// Language (`da`).
    pub language: String,
    /// Booklet layout name (file in `layouts/booklets/`).
    pub layout: String,
    /// Region whose contact block the booklet carries (id in `decks/regions.json`).
    pub region: String,
    /// Fields for the cover templates (`{name}`).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Hyphenation exceptions and phrases kept together.
    #[serde(default)]
    pub hyphenation: super::deck::HyphenationSpec,
    /// The text: `{"heading": …, "level": 1}`, `{"paragraph": …}`, `{"list": […]}`,
    /// `{"quote": …, "by": …}`, `{"image": …, "alt": …}`, `{"exercise": …, "parts": […]}`,
    /// `{"page_break": true}`, `{"right_page": true}`.
    #[schemars(with = "Vec<BookletBlockSpec>")]
    pub flow: Vec<Value>,
}

/// One block of the booklet's flow as written (exactly one of the main keys).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookletBlockSpec {
    /// A heading; kept with what follows.
    #[serde(default)]
    pub heading: Option<String>,
    /// The heading's level: 1 (a chapter: new page, running head, contents), 2 or 3 (default 1).
    #[serde(default)]
    pub level: Option<u8>,
    /// A paragraph (markup allowed).
    #[serde(default)]
    pub paragraph: Option<String>,
    /// A list; its items are kept whole.
    #[serde(default)]
    pub list: Option<Vec<String>>,
    /// Number the list (1., 2., …) instead of bullets.
    #[serde(default)]
    pub numbered: bool,
    /// A quote (without quotation marks; they are added).
    #[serde(default)]
    pub quote: Option<String>,
    /// Who is quoted.
    #[serde(default)]
    pub by: Option<String>,
    /// An image file.
    #[serde(default)]
    pub image: Option<String>,
    /// Text alternative of the image (required).
    #[serde(default)]
    pub alt: Option<String>,
    /// Image height (default 50 mm); the width is the column's.
    #[serde(default)]
    pub height: Option<Len<Extent>>,
    /// A caption under the image, kept with it.
    #[serde(default)]
    pub caption: Option<String>,
    /// An exercise: its title; `parts` follow.
    #[serde(default)]
    pub exercise: Option<String>,
    /// The exercise's parts, in order: `{"prompt": …}`, `{"lines": 5}`, `{"ticks": […]}`, `{"box": 40}`.
    #[serde(default)]
    #[schemars(with = "Option<Vec<ExercisePartSpec>>")]
    pub parts: Option<Vec<Value>>,
    /// The next block starts on a new page.
    #[serde(default)]
    pub page_break: Option<bool>,
    /// The next block starts on a right-hand page.
    #[serde(default)]
    pub right_page: Option<bool>,
}

/// One part of an exercise as written (exactly one key).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExercisePartSpec {
    /// A question or instruction (markup allowed).
    #[serde(default)]
    pub prompt: Option<String>,
    /// Ruled write-in lines.
    #[serde(default)]
    pub lines: Option<Int<WriteLines>>,
    /// Tick-box options.
    #[serde(default)]
    pub ticks: Option<Vec<String>>,
    /// An empty box of this height (mm) to write or draw in.
    #[serde(default, rename = "box")]
    pub boxed: Option<Len<Extent>>,
}
