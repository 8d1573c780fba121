//! Building one product (a deck or a leaflet) for one target: the default outputs, or one
//! product of a print run.

use std::path::PathBuf;
use std::time::Instant;

use super::Written;
use super::stream::{StreamOut, WINDOW, stream_deck};
use super::ticket::{TicketItem, mm_size, sha256_hex};
use super::util::{release_freed_memory, slug_style, write_atomic, x1a_alpha_errors, x1a_problems};
use crate::assets::ImageCache;
use crate::date::ymd;
use crate::diag::Diagnostic;
use crate::export::{PrintTarget, PrintWriter, ScreenTarget, finish_pdfx, write_screen_pdf, write_unfinished_pdf};
use crate::impose::CardPlan;
use crate::impose::Document;
use crate::impose::faces::faces_plan;
use crate::impose::fold::FoldType;
use crate::impose::leaflet::{print_document, screen_document};
use crate::impose::sheets::{Slug, impose_plan};
use crate::layout::card::DeckLayout;
use crate::layout::leaflet::layout_leaflet;
use crate::model::leaflet::{Leaflet, Region};
use crate::model::sheet::{CutStyle, Flip};
use crate::model::standard::PdfxFlavour;
use crate::model::{Deck, OutputIntent, Project};
use crate::text::Typesetter;
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::Shaper;
use crate::timing::{self, Stage};
use crate::units::Pt;

/// Where and how a product is built.
pub struct Target<'a> {
    /// Output folder.
    pub dir: PathBuf,
    /// Region whose data fills `{region.*}` (leaflets fall back to their own).
    pub region: Option<&'a Region>,
    /// Forced PDF/X flavour (command line or run).
    pub pdfx: Option<PdfxFlavour>,
    /// Output condition override (run).
    pub intent: Option<&'a OutputIntent>,
    /// Office delivery: no marks, no bleed beyond the paper.
    pub office: bool,
    /// Quantity for the job ticket.
    pub quantity: Option<u32>,
    /// Write files (false: check only).
    pub write: bool,
    /// Date of the inputs.
    pub date: i64,
}

/// What a deck becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeckOut {
    /// One face per page.
    Faces,
    /// Imposed on a sheet layout.
    Sheet(String),
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
}

/// A file to write, with what the ticket says about it.
struct Out<'a> {
    path: PathBuf,
    doc: Document,
    flavour: Option<PdfxFlavour>,
    intent: &'a OutputIntent,
    sheets: Option<usize>,
    ticket: TicketItem,
}

fn ticket(product: &str, title: &str, format: String) -> TicketItem {
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
    }
}

fn finish(
    project: &Project,
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
    // `check` renders too (and drops the bytes): everything that can refuse a file runs.
    if r.diags.iter().any(Diagnostic::is_error) {
        return r;
    }
    // The files of a product are independent too: render them in parallel, write in order.
    use rayon::prelude::*;
    let rendered: Vec<Result<Vec<u8>, String>> = outs
        .par_iter()
        .map(|o| match o.flavour {
            Some(f) => timing::time(Stage::Export, || write_unfinished_pdf(&o.doc, &project.fonts, f))
                .map_err(|e| e.to_string())
                .and_then(|b| pdfx_pass(o, &b, title, t)),
            // The accessible download version (no PDF/X).
            None => timing::time(Stage::Export, || {
                write_screen_pdf(
                    &o.doc,
                    &project.fonts,
                    &ScreenTarget { title, lang: "da", date: t.date, cmyk_profile: &o.intent.profile },
                )
            })
            .map_err(|e| e.to_string()),
        })
        .collect();
    deliver(name, outs, rendered, t.write, started, r)
}

/// The PDF/X finishing pass of a print file.
fn pdfx_pass(o: &Out, krilla: &[u8], title: &str, t: &Target) -> Result<Vec<u8>, String> {
    let flavour = o.flavour.unwrap_or(PdfxFlavour::X4);
    let target = PrintTarget { flavour, intent: o.intent, title, date: t.date };
    timing::time(Stage::Pdfx, || finish_pdfx(krilla, &target)).map_err(|e| e.to_string())
}

/// Writes the finished files in order (with `write`; else only checks they were made) and
/// records them (and their ticket lines).
fn deliver(
    name: &str,
    outs: Vec<Out>,
    rendered: Vec<Result<Vec<u8>, String>>,
    write: bool,
    started: Instant,
    mut r: JobResult,
) -> JobResult {
    let warnings = r.diags.iter().filter(|d| !d.is_error()).count();
    for (o, bytes) in outs.into_iter().zip(rendered) {
        let written = bytes.and_then(|b| {
            if write {
                timing::time(Stage::Write, || write_atomic(&o.path, &b))?;
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
                if !write {
                    continue;
                }
                r.files.push(Written {
                    path: o.path,
                    pages: o.doc.pages.len(),
                    sheets: o.sheets,
                    product: name.to_string(),
                    warnings,
                    millis: started.elapsed().as_millis(),
                });
            }
            Err(e) => r.diags.push(Diagnostic::error(e).about(name.to_string())),
        }
    }
    super::guard::test_panic(name);
    r
}

/// Builds a deck's outputs. The deck is imposed from its card geometry first, then laid out a
/// window of cards at a time while every output's pages are written (see [`super::stream`]).
pub fn deck(project: &Project, deck: &Deck, outs: &[DeckOut], t: &Target) -> JobResult {
    let started = Instant::now();
    let mut r = JobResult::default();
    let Some(layout) = project.layouts.get(&deck.layout) else { return r };
    let base_intent = t.intent.unwrap_or(&project.output_intent);
    let fmt = mm_size(layout.trim.w, layout.trim.h);
    let hy = Hyphenator::default();
    let ts = Typesetter::new(Shaper::new(&project.fonts), &hy);
    // Variants of the layout: (back extra bleed, output intent). The first, the plain layout, is
    // always laid out: its diagnostics are the deck's.
    let mut variants: Vec<(Pt, &OutputIntent)> = vec![(Pt::ZERO, base_intent)];
    let mut files: Vec<(Out, usize)> = Vec::new();
    let plans = |extra: Pt| -> Vec<CardPlan> {
        deck.cards.iter().map(|c| CardPlan::before_layout(layout, &c.id, c.copies, extra)).collect()
    };
    for out in outs {
        match out {
            DeckOut::Faces => {
                let mut tk =
                    ticket(&deck.name, &deck.title, format!("{fmt} (+{:.0} mm beskæring)", layout.bleed.to_mm().0));
                tk.quantity = t.quantity;
                tk.finishing =
                    vec![format!("skæres til {fmt}"), "dobbeltsidet: side 1 forside, side 2 bagside, …".into()];
                let doc =
                    timing::time(Stage::Impose, || faces_plan(&deck.title, &plans(Pt::ZERO), deck.faces_crop_marks));
                let o = Out {
                    path: t.dir.join(format!("{}-faces.pdf", deck.name)),
                    doc,
                    flavour: Some(t.pdfx.unwrap_or(PdfxFlavour::X4)),
                    intent: base_intent,
                    sheets: None,
                    ticket: tk,
                };
                files.push((o, 0));
            }
            DeckOut::Sheet(name) => {
                let Some(sheet) = project.sheets.get(name) else { continue };
                let intent = t.intent.or(sheet.output_intent.as_ref()).unwrap_or(&project.output_intent);
                // Backs with extra bleed, or RGB images converted for another paper, need their own layout.
                let key = (sheet.back_extra_bleed, intent);
                let variant =
                    variants.iter().position(|(e, i)| e.0 == key.0.0 && std::ptr::eq(*i, key.1)).unwrap_or_else(|| {
                        variants.push(key);
                        variants.len() - 1
                    });
                let slug = slug_style(&project.fonts).map(|style| Slug {
                    job: deck.name.clone(),
                    date: ymd(t.date),
                    typesetter: &ts,
                    style,
                });
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
                        tk.quantity = t.quantity;
                        tk.total_sheets = t.quantity.map(|q| u64::from(q) * im.sheets as u64);
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
                            path: t.dir.join(format!("{}-{name}.pdf", deck.name)),
                            doc: im.doc,
                            flavour: Some(t.pdfx.unwrap_or(sheet.pdfx)),
                            intent,
                            sheets: Some(im.sheets),
                            ticket: tk,
                        };
                        files.push((o, variant));
                    }
                    Err(d) => r.diags.push(d.about(format!("deck {}, sheet layout {name}", deck.name))),
                }
            }
        }
    }

    // Rendered for `check` too, so that it meets every problem a build can.
    let mut rendering = deck.load_errors == 0 && !r.diags.iter().any(Diagnostic::is_error);
    let mut krilla: Vec<Option<Vec<u8>>> = vec![None; files.len()];
    for (v, &(extra, intent)) in variants.iter().enumerate() {
        // Other variants only add what differs: images converted for their output condition.
        if v > 0 && (!rendering || r.diags.iter().any(Diagnostic::is_error)) {
            break;
        }
        let images = ImageCache::new(&project.root, intent.profile.clone());
        let dl = DeckLayout {
            deck,
            layout,
            fonts: &project.fonts,
            images: &images,
            back_extra_bleed: extra,
            region: t.region,
        };
        let mine: Vec<usize> = (0..files.len()).filter(|&i| files[i].1 == v).collect();
        let mut streams: Vec<StreamOut> = mine
            .iter()
            .map(|&i| {
                let o = &mut files[i].0;
                let flavour = o.flavour.unwrap_or(PdfxFlavour::X4);
                let writer = rendering.then(|| PrintWriter::new(&project.fonts, flavour));
                StreamOut::new(std::mem::take(&mut o.doc), writer, flavour == PdfxFlavour::X1a2003)
            })
            .collect();
        let keep = |d: &Diagnostic| v == 0 || d.message.starts_with("image ");
        if let Err(e) = stream_deck(&dl, &mut streams, WINDOW, &mut r.diags, &keep) {
            r.diags.push(Diagnostic::error(e).about(deck.name.clone()));
        }
        for (s, &i) in streams.into_iter().zip(&mine) {
            let o = &mut files[i].0;
            o.doc = s.doc;
            let shown = format!("{}, {}", deck.name, o.path.display());
            r.diags.extend(x1a_alpha_errors(s.alpha_images).into_iter().map(|d| d.about(shown.clone())));
            if let Some(w) = s.writer {
                match timing::time(Stage::Export, || w.finish()) {
                    Ok(b) => krilla[i] = Some(b),
                    Err(e) => r.diags.push(Diagnostic::error(e.to_string()).about(deck.name.clone())),
                }
            }
        }
        rendering &= !r.diags.iter().any(Diagnostic::is_error);
    }
    if !rendering {
        return r;
    }
    release_freed_memory();
    use rayon::prelude::*;
    let (outs, krilla): (Vec<Out>, Vec<Vec<u8>>) =
        files.into_iter().map(|(o, _)| o).zip(krilla).map(|(o, k)| (o, k.unwrap_or_default())).unzip();
    let rendered: Vec<Result<Vec<u8>, String>> =
        outs.par_iter().zip(&krilla).map(|(o, k)| pdfx_pass(o, k, &deck.title, t)).collect();
    drop(krilla);
    deliver(&deck.name, outs, rendered, t.write, started, r)
}

/// Builds a leaflet's print and screen versions.
pub fn leaflet(project: &Project, leaflet: &Leaflet, t: &Target) -> JobResult {
    let started = Instant::now();
    let mut r = JobResult::default();
    let Some(layout) = project.leaflet_layouts.get(&leaflet.layout) else { return r };
    let intent = t.intent.or(layout.output_intent.as_ref()).unwrap_or(&project.output_intent);
    let images = ImageCache::new(&project.root, intent.profile.clone());
    let region = t.region.or_else(|| project.regions.iter().find(|x| x.id == leaflet.region));
    let (panels, diags) = timing::time(Stage::Layout, || {
        layout_leaflet(leaflet, layout, &project.fonts, &images, region, project.regions_file.as_deref())
    });
    r.diags.extend(diags);
    let Some(panels) = panels else { return r };
    let g = &layout.geometry;
    let fold = match layout.fold {
        FoldType::Roll => "rulfals (2 false, den smalle side foldes ind)",
        FoldType::Z => "zigzagfals (2 false)",
        FoldType::Gate => "port-/dørfals (2 false)",
        FoldType::Half => "midterfals (1 fals)",
    };
    let mut tk = ticket(&leaflet.name, &leaflet.title, mm_size(g.sheet.w, g.sheet.h));
    tk.folded = Some(mm_size(g.folded.w, g.folded.h));
    tk.quantity = t.quantity;
    tk.sheets = Some(1);
    tk.total_sheets = t.quantity.map(u64::from);
    tk.finishing = vec![
        format!("skæres til {}", mm_size(g.sheet.w, g.sheet.h)),
        format!("falses: {fold}"),
        "dobbeltsidet: side 1 yderside, side 2 inderside".into(),
    ];
    let print_doc = print_document(&leaflet.title, g, &panels, layout.bleed, layout.marks && !t.office, t.office);
    let mut screen_tk = ticket(&leaflet.name, &leaflet.title, "skærmversion, sider i læserækkefølge".into());
    screen_tk.finishing = vec!["til download (tilgængelig PDF)".into()];
    let outs = vec![
        Out {
            path: t.dir.join(format!("{}-print.pdf", leaflet.name)),
            doc: print_doc,
            flavour: Some(t.pdfx.unwrap_or(PdfxFlavour::X4)),
            intent,
            sheets: Some(1),
            ticket: tk,
        },
        Out {
            path: t.dir.join(format!("{}-screen.pdf", leaflet.name)),
            doc: screen_document(&leaflet.title, g, &panels, layout.bleed),
            flavour: None,
            intent,
            sheets: None,
            ticket: screen_tk,
        },
    ];
    finish(project, &leaflet.name, &leaflet.title, outs, t, started, r)
}
