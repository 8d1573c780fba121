//! Building one product (a deck or a leaflet) for one target: the default outputs, or one
//! product of a print run.

use std::path::PathBuf;
use std::time::Instant;

use super::plan::{Job, PlannedFile, Product, Standard};
use super::stream::{StreamOut, WINDOW, stream_deck};
use super::ticket::{TicketItem, mm_size, sha256_hex};
use super::util::{release_freed_memory, x1a_alpha_errors, x1a_problems};
use super::{Made, Written};
use crate::assets::ImageCache;
use crate::date::ymd;
use crate::diag::{Diagnostic, Folded, Topic};
use crate::export::{ExportError, PrintTarget, PrintWriter, ScreenTarget, finish_pdfx_for, write_screen_pdf};
use crate::files::write_atomic;
use crate::impose::Document;
use crate::impose::deck_screen_document;
use crate::impose::faces::faces_plan;
use crate::impose::leaflet::{print_document, screen_document};
use crate::impose::sheets::{Slug, impose_plan};
use crate::impose::{CardPlan, FrameBox};
use crate::layout::FaceCache;
use crate::layout::card::{CardPool, DeckLayout};
use crate::layout::leaflet::{LeafletInput, lay_out_leaflet};
use crate::layout::leaflet_screen::lay_out_leaflet_screen;
use crate::layout::slug::{lay_out_slug, slug_style};
use crate::layout::{FieldReport, TypographyLog};
use crate::model::fold::FoldType;
use crate::model::leaflet::{Leaflet, LeafletLayout};
use crate::model::length::Length;
use crate::model::outputs::ProductFile;
use crate::model::print_condition::PrintCheck;
use crate::model::sheet::{CutStyle, Flip};
use crate::model::standard::PdfxFlavour;
use crate::model::{Color, Deck, OutputIntent, Project};
use crate::text::Typesetter;
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::Shaper;
use crate::timing::{self, Stage};
use crate::units::{Mm, Pt};

/// Where a job's files go and what happens to them.
pub struct Target<'c> {
    /// Output folder.
    pub dir: PathBuf,
    /// Write files (false: check only).
    pub write: bool,
    /// Keep the files made in memory ([`JobResult::made`]).
    pub keep: bool,
    /// Date of the inputs.
    pub date: i64,
    /// Collect the typography report ([`JobResult::typography`]).
    pub typography: bool,
    /// Card faces of earlier builds ([`crate::build::BuildOptions::faces`]).
    pub faces: Option<&'c FaceCache>,
}

/// The outcome of one product build.
#[derive(Debug, Default)]
pub struct JobResult {
    /// Diagnostics.
    pub diags: Vec<Diagnostic>,
    /// Files written.
    pub files: Vec<Written>,
    /// Job ticket lines for the files.
    pub tickets: Vec<TicketItem>,
    /// The files made, with their bytes (with [`Target::keep`]).
    pub made: Vec<Made>,
    /// With [`Target::typography`]: what line breaking did, per field with findings.
    pub typography: Option<Vec<FieldReport>>,
}

/// Makes the files `job` plans.
pub fn make(project: &Project, job: &Job, t: &Target) -> JobResult {
    match job.product {
        Product::Deck(d) => deck(project, d, job, t),
        Product::Leaflet(l) => leaflet(project, l, job, t),
        Product::Booklet(b) => super::booklet::booklet(project, b, job, t),
    }
}

/// A file to write, with what the ticket says about it.
pub(super) struct Out<'a> {
    pub(super) kind: ProductFile,
    pub(super) path: PathBuf,
    pub(super) doc: Document,
    /// The frames' geometry (a streamed deck's document holds pages only).
    pub(super) boxes: Vec<FrameBox>,
    /// Safe distance and per-page folds, for proof guides.
    pub(super) safe: Pt,
    pub(super) folds: Vec<Vec<Pt>>,
    pub(super) flavour: Option<PdfxFlavour>,
    pub(super) intent: &'a OutputIntent,
    /// The layout's `overprint_black`, for the print writer.
    pub(super) overprint_black: bool,
    pub(super) sheets: Option<usize>,
    pub(super) ticket: TicketItem,
    /// For a GWG 2022 print condition: the finished file is checked against the file-level rules.
    pub(super) gwg: bool,
}

pub(super) fn ticket(product: &str, title: &str, format: String) -> TicketItem {
    TicketItem {
        product: product.into(),
        title: title.into(),
        file: String::new(),
        sha256: String::new(),
        pages: 0,
        sheets: None,
        per_sheet: None,
        total_sheets: None,
        quantity: None,
        format,
        folded: None,
        finishing: Vec::new(),
        download: false,
    }
}

#[allow(clippy::too_many_arguments, reason = "the product's kind, name and title are each needed in messages")]
pub(super) fn finish(
    project: &Project,
    kind: &str,
    name: &str,
    title: &str,
    outs: Vec<Out>,
    t: &Target,
    started: Instant,
    mut r: JobResult,
) -> JobResult {
    for o in &outs {
        if o.flavour == Some(PdfxFlavour::X1a2003) {
            let frames = o.doc.frames.iter().map(|f| &**f);
            r.diags.extend(x1a_problems(frames).into_iter().map(|d| d.about(format!("{name}, {}", o.path.display()))));
        }
    }
    // `check` writes the PDFs too (in memory, then drops them): everything that can refuse a file runs.
    if r.diags.iter().any(Diagnostic::is_error) {
        return r;
    }
    // The files of a product are independent too: make them in parallel, write in order.
    use rayon::prelude::*;
    let pdfs: Vec<Result<Vec<u8>, Diagnostic>> = outs
        .par_iter()
        .map(|o| match o.flavour {
            Some(f) => timing::time(Stage::Export, || {
                PrintWriter::new(&project.fonts, f).black_overprint(o.overprint_black).document(&o.doc)
            })
            .and_then(|b| pdfx_pass(o, b, title, t))
            .map_err(|e| export_error(e, kind, name, &o.doc.frame_labels)),
            // The accessible download version (no PDF/X).
            None => timing::time(Stage::Export, || {
                write_screen_pdf(
                    &o.doc,
                    &project.fonts,
                    &ScreenTarget { title, lang: "da", date: t.date, cmyk_profile: &o.intent.profile },
                )
            })
            .map_err(|e| export_error(e, kind, name, &o.doc.frame_labels)),
        })
        .collect();
    deliver(name, outs, pdfs, t, started, r)
}

/// The PDF/X finishing pass of a print file.
fn pdfx_pass(o: &Out, krilla: Vec<u8>, title: &str, t: &Target) -> Result<Vec<u8>, ExportError> {
    let flavour = o.flavour.unwrap_or(PdfxFlavour::X4);
    let target = PrintTarget { flavour, intent: o.intent, title, date: t.date };
    timing::time(Stage::Pdfx, || finish_pdfx_for(krilla, &target, o.gwg))
}

/// The diagnostic for an export failure of product `name` (a `kind`: deck or leaflet): a failure
/// while drawing names the frame (card and side, leaflet panel) from the document's `labels`,
/// and the page when that is not the frame itself (a sheet).
fn export_error(e: ExportError, kind: &str, name: &str, labels: &[String]) -> Diagnostic {
    let Some((page, frame)) = e.drawing() else { return Diagnostic::error(e.to_string()).about(name) };
    let what = match frame.and_then(|f| labels.get(f)) {
        Some(label) if label == page => label.clone(),
        Some(label) => format!("{label} (on {page})"),
        None if frame.is_none() => format!("the marks of {page}"),
        None => page.to_string(),
    };
    Diagnostic::error(e.to_string()).about(format!("{kind} {name}, {what}"))
}

/// Writes the finished files in order (with `write`; else only checks they were made) and
/// records them (and their ticket lines).
fn deliver(
    name: &str,
    outs: Vec<Out>,
    pdfs: Vec<Result<Vec<u8>, Diagnostic>>,
    t: &Target,
    started: Instant,
    mut r: JobResult,
) -> JobResult {
    let write = t.write;
    let warnings = r.diags.iter().filter(|d| !d.is_error()).count();
    for (o, bytes) in outs.into_iter().zip(pdfs) {
        let written = bytes.and_then(|b| {
            if write {
                timing::time(Stage::Write, || write_atomic(&o.path, &b))
                    .map_err(|e| Diagnostic::error(e.to_string()).about(name.to_string()))?;
            }
            Ok(b)
        });
        match written {
            Ok(b) => {
                let mut tk = o.ticket;
                tk.file = o.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                tk.sha256 = sha256_hex(&b);
                tk.pages = o.doc.pages.len();
                r.tickets.push(tk);
                if write {
                    r.files.push(Written {
                        path: o.path,
                        pages: o.doc.pages.len(),
                        sheets: o.sheets,
                        product: name.to_string(),
                        warnings,
                        millis: started.elapsed().as_millis(),
                    });
                }
                if t.keep {
                    let boxes = if o.doc.frames.is_empty() {
                        o.boxes
                    } else {
                        o.doc.frames.iter().map(|f| FrameBox::of(f)).collect()
                    };
                    r.made.push(Made {
                        product: name.to_string(),
                        kind: o.kind,
                        bytes: b,
                        pages: o.doc.pages,
                        frames: boxes,
                        safe: o.safe,
                        folds: o.folds,
                    });
                }
            }
            Err(d) => r.diags.push(d),
        }
    }
    super::guard::test_panic(name);
    r
}

/// The frame geometry of a deck's cards in plan order (see [`crate::impose::card_frame`]).
/// The index of the layout variant `key` (back extra bleed, output intent, print condition) among
/// `variants`, added when it is new.
fn variant_of<'p>(
    variants: &mut Vec<(Pt, &'p OutputIntent, PrintCheck<'p>)>,
    key: (Pt, &'p OutputIntent, PrintCheck<'p>),
) -> usize {
    variants.iter().position(|(e, i, c)| e.0 == key.0.0 && std::ptr::eq(*i, key.1) && *c == key.2).unwrap_or_else(
        || {
            variants.push(key);
            variants.len() - 1
        },
    )
}

fn card_boxes(cards: &[CardPlan]) -> Vec<FrameBox> {
    cards.iter().flat_map(|c| [c.front, c.back]).collect()
}

/// Builds a deck's outputs. The deck is imposed from its card geometry first, then laid out a
/// window of cards at a time while every output's pages are written (see [`super::stream`]).
pub fn deck(project: &Project, deck: &Deck, job: &Job, t: &Target) -> JobResult {
    let started = Instant::now();
    let mut r = JobResult::default();
    let Some(layout) = project.layouts.get(&deck.layout) else { return r };
    let base_intent = &project.output_intent;
    let fmt = mm_size(layout.trim.w, layout.trim.h);
    let hy = Hyphenator::default();
    let ts = Typesetter::new(Shaper::new(&project.fonts), &hy);
    // Variants of the layout: (back extra bleed, output intent, print condition). The first, the
    // plain layout checked for the first print file's condition, is always laid out: its
    // diagnostics are the deck's.
    let first_check =
        job.files.iter().find(|f| f.standard != Standard::Screen).map_or(PrintCheck::NONE, |f| f.condition);
    let mut variants: Vec<(Pt, &OutputIntent, PrintCheck)> = vec![(Pt::ZERO, base_intent, first_check)];
    // The report reads the first variant's lines: the others differ in bleed and images only.
    let log = t.typography.then(TypographyLog::default);
    let mut files: Vec<(Out, usize)> = Vec::new();
    let plans = |extra: Pt| -> Vec<CardPlan> {
        deck.cards.iter().map(|c| CardPlan::before_layout(layout, &c.id, c.copies, extra)).collect()
    };
    for file in &job.files {
        let flavour = match file.standard {
            Standard::Print(f) => f,
            Standard::Screen => continue,
        };
        match &file.kind {
            ProductFile::LeafletPrint
            | ProductFile::LeafletScreen
            | ProductFile::DeckScreen
            | ProductFile::BookletPages
            | ProductFile::BookletPress(_)
            | ProductFile::BookletOffice
            | ProductFile::BookletScreen => {}
            ProductFile::Faces => {
                let mut tk =
                    ticket(&deck.name, &deck.title, format!("{fmt} (+{:.0} mm beskæring)", layout.bleed.to_mm().0));
                tk.quantity = job.quantity;
                tk.finishing =
                    vec![format!("skæres til {fmt}"), "dobbeltsidet: side 1 forside, side 2 bagside, …".into()];
                let cards = plans(Pt::ZERO);
                let doc = timing::time(Stage::Impose, || faces_plan(&deck.title, &cards, deck.faces_crop_marks));
                let o = Out {
                    kind: file.kind.clone(),
                    path: t.dir.join(&file.name),
                    doc,
                    boxes: card_boxes(&cards),
                    safe: layout.safe,
                    folds: Vec::new(),
                    flavour: Some(flavour),
                    intent: file.intent,
                    overprint_black: layout.overprint_black,
                    sheets: None,
                    ticket: tk,
                    gwg: file.condition.condition.rules().is_some(),
                };
                let key = (Pt::ZERO, file.intent, file.condition);
                let variant = variant_of(&mut variants, key);
                files.push((o, variant));
            }
            ProductFile::Sheet(name) => {
                let Some(sheet) = project.sheets.get(name) else { continue };
                let intent = file.intent;
                // Backs with extra bleed, or RGB images converted for another paper, need their own layout.
                let variant = variant_of(&mut variants, (sheet.back_extra_bleed, intent, file.condition));
                let slug_setter = slug_style(&project.fonts).map(|style| {
                    let ts = &ts;
                    move |text: &str, color: &Color| lay_out_slug(text, color, ts, &style)
                });
                let slug =
                    slug_setter.as_ref().map(|lay_out| Slug { job: deck.name.clone(), date: ymd(t.date), lay_out });
                let cards = plans(sheet.back_extra_bleed);
                match timing::time(Stage::Impose, || impose_plan(&deck.title, &cards, sheet, slug.as_ref())) {
                    Ok(im) => {
                        r.diags.extend(
                            im.warnings
                                .into_iter()
                                .map(|d| d.about(format!("deck {}, sheet layout {name}", deck.name))),
                        );
                        let mut tk = ticket(
                            &deck.name,
                            &deck.title,
                            format!("{fmt}, på {} ({})", name, mm_size(sheet.size.w, sheet.size.h)),
                        );
                        tk.sheets = Some(im.sheets);
                        tk.per_sheet = Some(im.grid.capacity());
                        tk.quantity = job.quantity;
                        tk.total_sheets = job.quantity.map(|q| u64::from(q) * im.sheets as u64);
                        let cut = match sheet.style {
                            CutStyle::Shared => "delte snit".to_string(),
                            CutStyle::Gutter => {
                                format!("mellemrum {:.0} mm, to snit pr. mellemrum", im.grid.gap.to_mm().0)
                            }
                        };
                        let flip = match sheet.flip {
                            Flip::Long => "vend på den lange kant",
                            Flip::Short => "vend på den korte kant",
                        };
                        tk.finishing =
                            vec![format!("skæres til {fmt} ({cut}, skæremærker)"), format!("dobbeltsidet: {flip}")];
                        if sheet.back_offset.0.0 != 0.0 || sheet.back_offset.1.0 != 0.0 || sheet.back_offset.2 != 0.0 {
                            tk.finishing.push("bagsideforskydning indregnet (se arklayout)".into());
                        }
                        let o = Out {
                            kind: file.kind.clone(),
                            path: t.dir.join(&file.name),
                            doc: im.doc,
                            boxes: card_boxes(&cards),
                            safe: layout.safe,
                            folds: Vec::new(),
                            flavour: Some(flavour),
                            intent,
                            overprint_black: layout.overprint_black,
                            sheets: Some(im.sheets),
                            ticket: tk,
                            gwg: file.condition.condition.rules().is_some(),
                        };
                        files.push((o, variant));
                    }
                    Err(d) => r.diags.push(d.about(format!("deck {}, sheet layout {name}", deck.name))),
                }
            }
        }
    }

    // Written (in memory) for `check` too, so that it meets every problem a build can.
    let mut writing_pdfs = deck.load_errors == 0 && !r.diags.iter().any(Diagnostic::is_error);
    let mut krilla: Vec<Option<Vec<u8>>> = vec![None; files.len()];
    for (v, &(extra, intent, check)) in variants.iter().enumerate() {
        // Other variants only add what differs: images converted for their output condition.
        if v > 0 && (!writing_pdfs || r.diags.iter().any(Diagnostic::is_error)) {
            break;
        }
        let images = ImageCache::new(&project.root, intent.profile.clone(), project.fonts.files());
        let dl = DeckLayout {
            deck,
            layout,
            fonts: &project.fonts,
            images: &images,
            back_extra_bleed: extra,
            region: job.region,
            check,
            typography: if v == 0 { log.as_ref() } else { None },
            faces: None,
        }
        .with_faces(t.faces);
        let mine: Vec<usize> = (0..files.len()).filter(|&i| files[i].1 == v).collect();
        let mut streams: Vec<StreamOut> = mine
            .iter()
            .map(|&i| {
                let o = &mut files[i].0;
                let flavour = o.flavour.unwrap_or(PdfxFlavour::X4);
                let writer =
                    writing_pdfs.then(|| PrintWriter::new(&project.fonts, flavour).black_overprint(o.overprint_black));
                StreamOut::new(std::mem::take(&mut o.doc), writer, flavour == PdfxFlavour::X1a2003)
            })
            .collect();
        let keep = |d: &Diagnostic| v == 0 || matches!(d.topic, Topic::Image | Topic::CoarseImage | Topic::PrintRule);
        let mut found = Folded::default();
        let streamed = stream_deck(&dl, &mut streams, WINDOW, &mut found, &keep);
        r.diags.extend(found.into_vec());
        if let Err(e) = streamed {
            let labels = streams.first().map(|s| s.doc.frame_labels.as_slice()).unwrap_or_default();
            r.diags.push(export_error(e, "deck", &deck.name, labels));
        }
        // Each file's document is finished (serialized, fonts subset) side by side.
        type Finished<'f> = (StreamOut<'f>, Option<Result<Vec<u8>, ExportError>>);
        let finished: Vec<Finished> = {
            use rayon::prelude::*;
            streams
                .into_par_iter()
                .map(|mut s| {
                    let bytes = s.writer.take().map(|w| timing::time(Stage::Export, || w.finish()));
                    (s, bytes)
                })
                .collect()
        };
        for ((s, bytes), &i) in finished.into_iter().zip(&mine) {
            let o = &mut files[i].0;
            o.doc = s.doc;
            let shown = format!("{}, {}", deck.name, o.path.display());
            r.diags.extend(x1a_alpha_errors(s.alpha_images).into_iter().map(|d| d.about(shown.clone())));
            match bytes {
                Some(Ok(b)) => krilla[i] = Some(b),
                Some(Err(e)) => r.diags.push(export_error(e, "deck", &deck.name, &[])),
                None => {}
            }
        }
        writing_pdfs &= !r.diags.iter().any(Diagnostic::is_error);
    }
    r.typography = log.map(TypographyLog::into_reports);
    if !writing_pdfs {
        return r;
    }
    release_freed_memory();
    use rayon::prelude::*;
    let (mut outs, krilla): (Vec<Out>, Vec<Vec<u8>>) =
        files.into_iter().map(|(o, _)| o).zip(krilla).map(|(o, k)| (o, k.unwrap_or_default())).unzip();
    // Each file's krilla bytes move into its pass, which drops them once parsed.
    let mut pdfs: Vec<Result<Vec<u8>, Diagnostic>> = outs
        .par_iter()
        .zip(krilla)
        .map(|(o, k)| pdfx_pass(o, k, &deck.title, t).map_err(|e| export_error(e, "deck", &deck.name, &[])))
        .collect();
    if let Some(file) = job.files.iter().find(|f| f.kind == ProductFile::DeckScreen) {
        let (o, pdf) = deck_screen(project, deck, job, file, t);
        outs.push(o);
        pdfs.push(pdf);
    }
    deliver(&deck.name, outs, pdfs, t, started, r)
}

/// A deck's download version: the cards laid out once more (whole, without a back's extra
/// bleed; their diagnostics were the print files'), one card a page, written as an accessible
/// PDF in the deck's language.
fn deck_screen<'a>(
    project: &Project,
    deck: &Deck,
    job: &Job,
    file: &PlannedFile<'a>,
    t: &Target,
) -> (Out<'a>, Result<Vec<u8>, Diagnostic>) {
    let images = ImageCache::new(&project.root, file.intent.profile.clone(), project.fonts.files());
    let layout = &project.layouts[&deck.layout];
    let dl = DeckLayout {
        deck,
        layout,
        fonts: &project.fonts,
        images: &images,
        back_extra_bleed: Pt::ZERO,
        region: job.region,
        check: PrintCheck::NONE,
        typography: None,
        faces: None,
    }
    .with_faces(t.faces);
    let (faces, _) = dl.cards(0..deck.cards.len(), &CardPool::default());
    let doc = timing::time(Stage::Impose, || deck_screen_document(deck, &faces));
    drop(faces);
    let target =
        ScreenTarget { title: &deck.title, lang: &deck.language, date: t.date, cmyk_profile: &file.intent.profile };
    let pdf = timing::time(Stage::Export, || write_screen_pdf(&doc, &project.fonts, &target))
        .map_err(|e| export_error(e, "deck", &deck.name, &doc.frame_labels));
    let mut tk = ticket(&deck.name, &deck.title, "skærmversion, ét kort pr. side".into());
    tk.finishing = vec!["til download (tilgængelig PDF)".into()];
    tk.download = true;
    let o = Out {
        kind: ProductFile::DeckScreen,
        path: t.dir.join(&file.name),
        doc,
        boxes: Vec::new(),
        safe: layout.safe,
        folds: Vec::new(),
        flavour: None,
        intent: file.intent,
        overprint_black: false,
        sheets: None,
        ticket: tk,
        gwg: false,
    };
    (o, pdf)
}

/// Builds a leaflet's print and screen versions.
pub fn leaflet(project: &Project, leaflet: &Leaflet, job: &Job, t: &Target) -> JobResult {
    let started = Instant::now();
    let mut r = JobResult::default();
    let Some(layout) = project.leaflet_layouts.get(&leaflet.layout) else { return r };
    // Both versions of a leaflet share one output condition (the plan makes it so).
    let Some(intent) = job.files.first().map(|f| f.intent) else { return r };
    let images = ImageCache::new(&project.root, intent.profile.clone(), project.fonts.files());
    let region = job.region.or_else(|| project.regions.iter().find(|x| x.id == leaflet.region));
    let log = t.typography.then(TypographyLog::default);
    let input = LeafletInput {
        leaflet,
        layout,
        fonts: &project.fonts,
        images: &images,
        region,
        regions_file: project.regions_file.as_deref(),
    };
    let (panels, diags) = timing::time(Stage::Layout, || {
        let check = job.files.iter().find(|f| f.standard != Standard::Screen).map_or(PrintCheck::NONE, |f| f.condition);
        lay_out_leaflet(&input, check, log.as_ref())
    });
    r.typography = log.map(TypographyLog::into_reports);
    r.diags.extend(diags);
    let Some(panels) = panels else { return r };
    // The download version is reflowed from the same content (only when the job makes it).
    let mut screen_pages = None;
    if job.files.iter().any(|f| f.kind == ProductFile::LeafletScreen) {
        let (pages, diags) = timing::time(Stage::Layout, || lay_out_leaflet_screen(&input));
        r.diags.extend(diags);
        let Some(pages) = pages else { return r };
        screen_pages = Some(pages);
    }
    let g = &layout.geometry;
    let fold = match layout.fold {
        FoldType::Roll => "rullefals (2 false, den smalle side foldes ind)",
        FoldType::Z => "zigzagfals (2 false)",
        FoldType::Gate => "dørfals (2 false)",
        FoldType::Half => "midterfals (1 fals)",
    };
    // The shop reads the short product name where there is one, not the cover's question.
    let name = leaflet.short_title.as_deref().unwrap_or(&leaflet.title);
    let mut tk = ticket(&leaflet.name, name, mm_size(g.sheet.w, g.sheet.h));
    tk.folded = Some(mm_size(g.folded.w, g.folded.h));
    tk.quantity = job.quantity;
    tk.sheets = Some(1);
    tk.total_sheets = job.quantity.map(u64::from);
    tk.finishing = vec![
        format!("skæres til {}", mm_size(g.sheet.w, g.sheet.h)),
        format!("falses: {fold}"),
        "dobbeltsidet: side 1 yderside, side 2 inderside".into(),
    ];
    let paper = mm_size(layout.screen.size.w, layout.screen.size.h);
    let mut screen_tk = ticket(&leaflet.name, name, format!("skærmversion, {paper} i én spalte"));
    screen_tk.finishing = vec!["til download (tilgængelig PDF)".into()];
    screen_tk.download = true;
    let mut outs = Vec::new();
    for file in &job.files {
        let (doc, flavour, sheets, ticket, folds) = match (&file.kind, file.standard) {
            (ProductFile::LeafletPrint, Standard::Print(f)) => (
                print_document(&leaflet.title, g, &panels, layout.bleed, layout.marks && !job.office, job.office),
                Some(f),
                Some(1),
                tk.clone(),
                vec![g.folds_outside.clone(), g.folds_inside.clone()],
            ),
            (ProductFile::LeafletScreen, _) => {
                let pages = screen_pages.take().unwrap_or_default();
                (screen_document(&leaflet.title, pages), None, None, screen_tk.clone(), Vec::new())
            }
            _ => continue,
        };
        outs.push(Out {
            kind: file.kind.clone(),
            path: t.dir.join(&file.name),
            doc,
            boxes: Vec::new(),
            safe: leaflet_safe(layout),
            folds,
            flavour,
            intent: file.intent,
            overprint_black: layout.overprint_black,
            sheets,
            ticket,
            gwg: file.condition.condition.rules().is_some(),
        });
    }
    finish(project, "leaflet", &leaflet.name, &leaflet.title, outs, t, started, r)
}

/// The leaflet's safe distance. [`LeafletLayout`] keeps none (the model only checks the padding
/// against it), so it is read from the layout file, with the model's default of 5 mm.
fn leaflet_safe(layout: &LeafletLayout) -> Pt {
    layout
        .file
        .value()
        .get("safe")
        .and_then(|v| serde_json::from_value::<Length>(v.clone()).ok())
        .map_or(Mm(5.0).to_pt(), Length::pt)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::assets::{ImageAsset, ImageData};
    use crate::impose::{CardPlan, card_frame};
    use crate::layout::{Frame, FrameItem, Side};
    use crate::text::FontBook;
    use crate::units::{Point, Rect, Size};

    /// A card face; with `broken`, it shows a "JPEG" krilla cannot embed.
    fn face(broken: bool) -> Frame {
        let size = Size { w: Pt(60.0), h: Pt(80.0) };
        let rect = Rect::from_origin_size(Point::default(), size);
        let mut items = vec![FrameItem::Rect { rect, fill: None, stroke: None }];
        if broken {
            let bytes = Arc::new(b"\xFF\xD8\xFF\xD9 not a jpeg".to_vec());
            let asset = ImageAsset {
                path: "images/broken.jpg".into(),
                width: 10,
                height: 10,
                data: ImageData::Jpeg(bytes.clone()),
                converted: false,
                digest: [7; 32],
                original: bytes,
                ink: None,
                bilevel: false,
            };
            items.push(FrameItem::Image { rect, clip: None, asset: Arc::new(asset) });
        }
        Frame { size, trim: rect, items, blocks: Vec::new(), shared: None }
    }

    /// Writes `doc` (frames from `frames`) as a print file; the first error as its diagnostic.
    fn first_error(doc: &Document, frames: &[Frame]) -> Diagnostic {
        let fonts = FontBook::default();
        let mut w = PrintWriter::new(&fonts, PdfxFlavour::X4);
        let e = doc.pages.iter().find_map(|p| w.page(p, &|i| &frames[i]).err()).expect("an export error");
        export_error(e, "deck", "dialogkort", &doc.frame_labels)
    }

    #[test]
    fn an_image_export_cannot_embed_names_the_card_and_side() {
        let frames: Vec<Frame> = (0..4).map(|f| face(f == card_frame(1, Side::Back))).collect();
        let plan = |id: &str, i: usize| CardPlan {
            id: id.into(),
            copies: 1,
            front: FrameBox::of(&frames[card_frame(i, Side::Front)]),
            back: FrameBox::of(&frames[card_frame(i, Side::Back)]),
        };
        let cards = [plan("nu-01", 0), plan("nu-02", 1)];
        let mut doc = faces_plan("Dialogkort", &cards, false);
        let d = first_error(&doc, &frames);
        assert!(d.is_error() && d.message.starts_with("cannot embed image images/broken.jpg"), "{d}");
        assert_eq!(d.location.subject.as_deref(), Some("deck dialogkort, card nu-02 back"));
        // On an imposed sheet the page is not the card: both are named.
        doc.pages[3].label = "sheet 1 bagside".into();
        let d = first_error(&doc, &frames);
        assert_eq!(d.location.subject.as_deref(), Some("deck dialogkort, card nu-02 back (on sheet 1 bagside)"));
    }

    #[test]
    fn other_export_errors_name_the_product() {
        let e = ExportError::Krilla("x".into());
        let d = export_error(e, "deck", "dialogkort", &[]);
        assert_eq!((d.message.as_str(), d.location.subject.as_deref()), ("pdf export failed: x", Some("dialogkort")));
    }
}
