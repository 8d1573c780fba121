//! Print files: a document drawn in print colours (DeviceCMYK, Separation) with its page boxes,
//! by krilla, then made PDF/X by the finishing pass ([`super::pdfx`]).

use krilla::Document as KDocument;
use krilla::geom::Size as KSize;
use krilla::page::PageSettings;

use super::ExportError;
use super::colour::Print;
use super::draw::{Embedded, draw_page};
use super::geom::krect;
use super::pdfx::{self, PdfxOptions};
use crate::impose::{Document, Page};
use crate::layout::Frame;
use crate::model::OutputIntent;
use crate::model::standard::PdfxFlavour;
use crate::text::FontBook;
use crate::units::Rect;

/// What a print file is: the standard it claims, its output condition, title and date.
#[derive(Debug, Clone, Copy)]
pub struct PrintTarget<'a> {
    /// The PDF/X flavour.
    pub flavour: PdfxFlavour,
    /// The output condition (profile, identifier, condition).
    pub intent: &'a OutputIntent,
    /// The document title.
    pub title: &'a str,
    /// Seconds since the Unix epoch (the inputs' date; there is no clock).
    pub date: i64,
}

/// Writes a print-ready PDF/X file of `doc`.
///
/// # Errors
///
/// What [`PrintWriter`] and [`finish_pdfx`] refuse.
pub fn write_print_pdf(doc: &Document, fonts: &FontBook, target: &PrintTarget) -> Result<Vec<u8>, ExportError> {
    finish_pdfx(write_unfinished_pdf(doc, fonts, target.flavour)?, target)
}

/// Writes `doc` in print colours as krilla does, before the PDF/X pass: for previews, and for
/// callers that time or schedule the two steps apart. Not a file for a printer.
///
/// # Errors
///
/// What [`PrintWriter`] refuses.
pub fn write_unfinished_pdf(doc: &Document, fonts: &FontBook, flavour: PdfxFlavour) -> Result<Vec<u8>, ExportError> {
    PrintWriter::new(fonts, flavour).document(doc)
}

/// Makes the output of [`PrintWriter`] (or [`write_unfinished_pdf`]) a PDF/X file: identification,
/// output intent with the embedded profile, metadata.
///
/// # Errors
///
/// What the finishing pass refuses ([`pdfx::PdfxError`]).
pub fn finish_pdfx(unfinished: Vec<u8>, target: &PrintTarget) -> Result<Vec<u8>, ExportError> {
    finish_pdfx_for(unfinished, target, false)
}

/// [`finish_pdfx`] for a file of a GWG 2022 print condition (`gwg`): the finished document is
/// also checked against the file-level GWG rules (page boxes, blend space, output intent).
///
/// # Errors
///
/// What the finishing pass refuses ([`pdfx::PdfxError`]).
pub fn finish_pdfx_for(unfinished: Vec<u8>, target: &PrintTarget, gwg: bool) -> Result<Vec<u8>, ExportError> {
    let creator = concat!("tryksag ", env!("CARGO_PKG_VERSION"));
    let opts = PdfxOptions {
        flavour: target.flavour,
        title: target.title,
        date_epoch: target.date,
        profile: &target.intent.profile,
        output_condition_identifier: &target.intent.identifier,
        output_condition: &target.intent.condition,
        trapped: false,
        creator,
        gwg,
    };
    Ok(pdfx::finish(unfinished, &opts)?)
}

/// A print PDF being written page by page, so that a long deck never needs all its frames in
/// memory: the caller hands over each page with a look-up for the frames it places, then drops
/// them. Fonts are subset once, when the document is finished; images are embedded once.
pub struct PrintWriter<'f> {
    kdoc: KDocument,
    res: Embedded<'f>,
    colours: Print,
    pages: usize,
}

// A writer moves to the thread pool, so that a deck's files are drawn side by side (krilla's
// font containers are `Arc<Mutex>` in vendor/krilla for this).
const _: () = {
    const fn send<T: Send>() {}
    send::<PrintWriter<'static>>();
};

impl<'f> PrintWriter<'f> {
    /// An empty document, written as `flavour` needs it (its PDF version, device colour), with
    /// small 100 % black text and thin 100 % black lines overprinting (GWG 2022).
    #[must_use]
    pub fn new(fonts: &'f FontBook, flavour: PdfxFlavour) -> Self {
        PrintWriter {
            kdoc: KDocument::new_with(pdfx::krilla_settings(flavour)),
            res: Embedded::new(fonts),
            colours: Print { overprint_black: true, pdf_art: flavour == PdfxFlavour::X4 },
            pages: 0,
        }
    }

    /// Whether small 100 % black text and thin 100 % black lines overprint (a layout's
    /// `overprint_black`; on unless switched off here).
    #[must_use]
    pub fn black_overprint(mut self, on: bool) -> Self {
        self.colours.overprint_black = on;
        self
    }

    /// Writes every page of `doc` and finishes (see [`PrintWriter::finish`]).
    ///
    /// # Errors
    ///
    /// What [`PrintWriter::page`] and [`PrintWriter::finish`] refuse.
    pub fn document(mut self, doc: &Document) -> Result<Vec<u8>, ExportError> {
        for page in &doc.pages {
            self.page(page, &|i| &doc.frames[i])?;
        }
        self.finish()
    }

    /// Pages written so far.
    #[must_use]
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// Appends a page; `frame(i)` gives the frame that [`crate::impose::Placed::frame`] `i` names.
    ///
    /// # Errors
    ///
    /// An empty page size, a page box krilla cannot take, an image krilla cannot embed, a font
    /// krilla cannot load.
    pub fn page<'a>(&mut self, page: &Page, frame: &dyn Fn(usize) -> &'a Frame) -> Result<(), ExportError> {
        let size = KSize::from_wh(page.media.w.0 as f32, page.media.h.0 as f32).ok_or(ExportError::EmptyPage)?;
        let ps = PageSettings::new(size)
            .with_trim_box(Some(page_box(&page.trim_box, "trim box", &page.label)?))
            .with_bleed_box(Some(page_box(&page.bleed_box, "bleed box", &page.label)?));
        self.res.load_page(page, frame, &self.colours)?;
        let mut kp = self.kdoc.start_page_with(ps);
        let mut surface = kp.surface();
        draw_page(&mut surface, page, frame, &mut self.res, &mut self.colours, &mut ())?;
        surface.finish();
        kp.finish();
        self.pages += 1;
        Ok(())
    }

    /// Finishes the document (font subsetting, page tree) and returns its bytes (not yet PDF/X:
    /// see [`finish_pdfx`]).
    ///
    /// # Errors
    ///
    /// When krilla refuses the document.
    pub fn finish(self) -> Result<Vec<u8>, ExportError> {
        self.kdoc.finish().map_err(|e| ExportError::Krilla(format!("{e:?}")))
    }
}

/// A page box for krilla, or an error naming the box.
fn page_box(r: &Rect, what: &'static str, label: &str) -> Result<krilla::geom::Rect, ExportError> {
    krect(r).ok_or_else(|| ExportError::PageBox { label: label.to_string(), what, rect: *r })
}
