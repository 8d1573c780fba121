//! The screen version of a document (the download version): a tagged, accessible PDF that is
//! PDF/UA-1 and PDF/A-2a at once.
//!
//! Unlike print files, a screen PDF is read on screens and by screen readers: pages in reading
//! order, no marks, no bleed, RGB colours. It is drawn by the same path as print files
//! ([`super::draw`]) with screen colours ([`super::colour::Screen`]: print colours converted to
//! sRGB through the CMYK profile; the original image files are embedded as they are) and content
//! tags from the frames' blocks ([`tags`]), with bookmarks ([`outline`]), and the table of
//! contents as links to its headings ([`contents`]). krilla's PDF/UA-1 and
//! PDF/A-2a validators run on export; its findings become one lower-case error ([`errors`]).
//!
//! Geometry as everywhere: points, top-left origin, y down.

mod bounds;
mod contents;
mod errors;
mod links;
mod outline;
mod tags;
#[cfg(test)]
mod tests;

use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::geom::Size as KSize;
use krilla::icc::ICCProfile;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::{Document as KDocument, SerializeSettings};

pub use errors::{Finding, ScreenError};

use super::ExportError;
use super::colour::Screen;
use super::draw::{Embedded, draw_page};
use crate::assets::profile::{PerProfile, ProfileError};
use crate::impose::Document;
use crate::layout::frame::BlockKind;
use crate::text::FontBook;
use contents::EntryLinks;
use tags::{Links, PageTags, page_location, structure};

/// The print profile as krilla embeds it for CMYK images, compressed once per process: krilla
/// deflates the profile's bytes when it is made, and doing that for every download version took
/// a fifth of a default build's CPU time.
fn cmyk_profile(profile: &[u8]) -> Result<ICCProfile<4>, ScreenError> {
    static CACHE: PerProfile<ICCProfile<4>> = PerProfile::new();
    CACHE
        .get_or_make(profile, || ICCProfile::<4>::new(profile).ok_or(ProfileError::NotCmyk))
        .map_err(|_| ScreenError::CmykProfile)
}
/// What a screen file is: its title, language and date, and the profile its print colours are
/// defined for.
#[derive(Debug, Clone, Copy)]
pub struct ScreenTarget<'a> {
    /// Document title (shown in the window title bar).
    pub title: &'a str,
    /// BCP 47 language, e.g. "da".
    pub lang: &'a str,
    /// Seconds since the Unix epoch for the creation date (no clock!).
    pub date: i64,
    /// The CMYK profile the print colours are defined for (FOGRA39 bytes), used to convert CMYK to sRGB.
    pub cmyk_profile: &'a [u8],
}

/// Writes a document (pages in reading order, each page usually one placed frame at (0,0), no
/// marks) as a tagged, accessible PDF: structure tree from the frames' blocks, everything not in
/// a block as artifacts, document language, title with DisplayDocTitle, bookmarks for every
/// title and heading block pointing at its page and position, e-mail and web addresses in the
/// text as tagged links ([`links`]), each contents entry a tagged link to its heading
/// ([`contents`]), sRGB colours only. Validated as
/// PDF/UA-1 and PDF/A-2a by krilla.
///
/// # Errors
///
/// A figure without alt text, a block that refers to items its frame does not have, a contents
/// entry whose heading is not found (checked before export), an unreadable profile, font or image, and every PDF/UA-1 or PDF/A-2a finding of krilla's
/// validators, listed.
pub fn write_screen_pdf(doc: &Document, fonts: &FontBook, target: &ScreenTarget) -> Result<Vec<u8>, ExportError> {
    let goals = check(doc, target, fonts)?;
    let mut colours = Screen::new(target.cmyk_profile)?;
    // Every font and image first: krilla's surface must not be left half-drawn.
    let mut res = Embedded::new(fonts);
    for p in &doc.pages {
        res.load_page(p, &|i| &doc.frames[i], &colours)?;
    }

    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        // PDF/A-2a: archivable and accessible; krilla writes the PDF/A and PDF/UA identification
        // (and the pdfuaid extension schema) into the XMP.
        .with_archival_validator(Archival::A2_A)
        .finish()
        .map_err(|e| ScreenError::Configure(format!("{e:?}").to_lowercase()))?;
    let cmyk = cmyk_profile(target.cmyk_profile)?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        xmp_metadata: true,
        // sRGB is written as ICC-based sRGB; a CMYK JPEG (embedded as is) gets the print profile,
        // so no Device colour space appears in the file.
        no_device_cs: true,
        cmyk_profile: Some(cmyk),
        ..SerializeSettings::default()
    };

    let mut kdoc = KDocument::new_with(settings);
    let mut ids = Vec::with_capacity(doc.pages.len());
    let mut links = Links::new();
    let mut entries = EntryLinks::new();
    for (pi, page) in doc.pages.iter().enumerate() {
        let size =
            KSize::from_wh(page.media.w.0 as f32, page.media.h.0 as f32).ok_or(ExportError::EmptyMediaBox(pi + 1))?;
        // MediaBox only: a screen page has no trim or bleed.
        let mut kp = kdoc.start_page_with(PageSettings::new(size));
        let mut surface = kp.surface();
        surface.set_location(page_location(pi));
        let mut tags = PageTags::new();
        draw_page(&mut surface, page, &|i| &doc.frames[i], &mut res, &mut colours, &mut tags)?;
        surface.reset_location();
        surface.finish();
        for (ci, placed) in page.content.iter().enumerate() {
            let frame = &doc.frames[placed.frame];
            let read = |i: usize| tags.ids[ci][i].is_some();
            // Each contents entry is one link to its heading.
            let mut in_entry = vec![false; frame.items.len()];
            for (bi, block) in frame.blocks.iter().enumerate() {
                if !matches!(block.kind, BlockKind::ContentsEntry { .. }) {
                    continue;
                }
                let n = in_entry.len();
                in_entry[block.items.start.min(n)..block.items.end.min(n)].fill(true);
                let Some(goal) = goals.get(&(pi, ci, bi)) else { continue };
                let (transform, location) = (placed.transform(frame), page_location(pi));
                if let Some(id) =
                    contents::annotate(&mut kp, page, transform, frame, block, goal, fonts, location, read)
                {
                    entries.insert((pi, ci, bi), id);
                }
            }
            // Addresses in the text that is read (not in decoration, not in a contents entry,
            // which is a link already) become links.
            for (i, found) in links::frame_addresses(frame, |i| read(i) && !in_entry[i]) {
                let item = &frame.items[i];
                let ids =
                    links::annotate(&mut kp, page, placed.transform(frame), item, &found, fonts, page_location(pi));
                if !ids.is_empty() {
                    links.insert((pi, ci, i), ids);
                }
            }
        }
        kp.finish();
        ids.push(tags.ids);
    }

    let (tree, outline) = structure(doc, fonts, &ids, &links, &entries, target.lang);
    kdoc.set_tag_tree(tree);
    kdoc.set_outline(outline);
    kdoc.set_metadata(metadata(target));
    Ok(kdoc.finish().map_err(errors::describe_error)?)
}

/// Checks what krilla cannot check (or reports less clearly): alt texts, title, language, block
/// ranges, the contents entries' headings; returns where each contents entry goes.
fn check(doc: &Document, target: &ScreenTarget, fonts: &FontBook) -> Result<contents::Goals, ScreenError> {
    let mut found = Vec::new();
    if target.title.trim().is_empty() {
        found.push(Finding::NoTitle);
    }
    if target.lang.trim().is_empty() {
        found.push(Finding::NoLanguage);
    }
    for (pi, page) in doc.pages.iter().enumerate() {
        for placed in &page.content {
            let Some(frame) = doc.frames.get(placed.frame) else {
                found.push(Finding::NoFrame { page: pi + 1, frame: placed.frame });
                continue;
            };
            for block in &frame.blocks {
                if let BlockKind::Figure { alt } = &block.kind
                    && alt.trim().is_empty()
                {
                    found.push(Finding::NoAltText(pi + 1));
                }
                if block.items.end > frame.items.len() {
                    found.push(Finding::BlockRange {
                        page: pi + 1,
                        text: block.text.clone(),
                        item: block.items.end - 1,
                        items: frame.items.len(),
                    });
                }
            }
        }
    }
    let (goals, missing) = contents::goals(doc, fonts);
    found.extend(missing);
    if found.is_empty() { Ok(goals) } else { Err(ScreenError::Check(found)) }
}

/// The document metadata: title, language, date, creator.
fn metadata(target: &ScreenTarget) -> Metadata {
    let (y, mo, d, h, mi, s) = crate::date::civil(target.date);
    let date = DateTime::new(y.clamp(0, 9999) as u16)
        .month(mo as u8)
        .day(d as u8)
        .hour(h as u8)
        .minute(mi as u8)
        .second(s as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    Metadata::new()
        .title(target.title.to_string())
        .language(target.lang.to_string())
        .creation_date(date)
        .creator(concat!("tryksag ", env!("CARGO_PKG_VERSION")).to_string())
}
