//! Orchestration: load the project, lay out, impose, export, write files atomically.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::assets::ImageCache;
use crate::date::ymd;
use crate::diag::{Diagnostic, Diagnostics};
use crate::export::pdfx::PdfxFlavour;
use crate::export::screen::{ScreenOptions, render_screen};
use crate::export::{pdf, print};
use crate::impose::Document;
use crate::impose::faces::faces_document;
use crate::impose::leaflet::{print_document as leaflet_print, screen_document as leaflet_screen};
use crate::impose::sheets::{Slug, impose};
use crate::layout::FrameItem;
use crate::layout::layout_deck;
use crate::layout::leaflet::layout_leaflet;
use crate::model::layout::Align;
use crate::model::leaflet::Leaflet;
use crate::model::{Deck, OutputIntent, Project, load_project};
use crate::text::hyphenate::Hyphenator;
use crate::text::paragraph::FontSet;
use crate::text::shape::Shaper;
use crate::text::{FontBook, ParaStyle, Typesetter};
use crate::units::Pt;

/// What to do.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// Project root (holds decks/, layouts/, fonts/).
    pub root: PathBuf,
    /// Where files go (default `<root>/output`).
    pub out_dir: PathBuf,
    /// Write files (false: check only).
    pub write: bool,
    /// Only these products (deck names); empty = all.
    pub only: Vec<String>,
    /// Force a PDF/X flavour for every print file (else each sheet layout's own, X-4 by default).
    pub pdfx: Option<PdfxFlavour>,
}

impl BuildOptions {
    /// Defaults for a project root.
    pub fn new(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            out_dir: root.join("output"),
            write: true,
            only: Vec::new(),
            pdfx: None,
        }
    }
}

/// A file written by a build.
#[derive(Clone, Debug, PartialEq)]
pub struct Written {
    /// Path of the file.
    pub path: PathBuf,
    /// Pages in it.
    pub pages: usize,
}

/// The result of a build or check.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every diagnostic, errors first.
    pub diags: Diagnostics,
    /// Files written.
    pub written: Vec<Written>,
}

/// Builds (or, with `write: false`, checks) every product of the project.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let mut report = BuildReport::default();
    let (project, diags) = load_project(&opts.root);
    report.diags = diags;
    let Some(project) = project else { return report };
    for name in &opts.only {
        if !project.decks.iter().any(|d| &d.name == name)
            && !project.leaflets.iter().any(|l| &l.name == name)
            && !report
                .diags
                .0
                .iter()
                .any(|d| d.location.file.as_ref().is_some_and(|f| f.file_stem().is_some_and(|s| s == name.as_str())))
        {
            let names: Vec<&str> = project
                .decks
                .iter()
                .map(|d| d.name.as_str())
                .chain(project.leaflets.iter().map(|l| l.name.as_str()))
                .collect();
            report.diags.push(
                Diagnostic::error(format!("unknown product `{name}`"))
                    .with_hint(format!("products: {}", names.join(", "))),
            );
        }
    }
    let date = source_date(&project);
    for deck in &project.decks {
        if !opts.only.is_empty() && !opts.only.contains(&deck.name) {
            continue;
        }
        build_deck(&project, deck, opts, date, &mut report);
    }
    for leaflet in &project.leaflets {
        if !opts.only.is_empty() && !opts.only.contains(&leaflet.name) {
            continue;
        }
        build_leaflet(&project, leaflet, opts, date, &mut report);
    }
    report.diags.0.sort_by_key(|d| d.severity);
    report
}

/// One file to write: where, what, and how.
struct Output<'a> {
    path: PathBuf,
    doc: Document,
    flavour: PdfxFlavour,
    intent: &'a OutputIntent,
}

fn build_deck(project: &Project, deck: &Deck, opts: &BuildOptions, date: i64, report: &mut BuildReport) {
    let Some(layout) = project.layouts.get(&deck.layout) else { return };
    let images = ImageCache::new(&project.root, project.output_intent.profile.clone());
    let (faces, diags) = layout_deck(deck, layout, &project.fonts, &images, Pt::ZERO, None);
    report.diags.extend(diags);
    let Some(faces) = faces else { return };
    let mut outputs = vec![Output {
        path: opts.out_dir.join(format!("{}-faces.pdf", deck.name)),
        doc: faces_document(&deck.title, &faces, deck.faces_crop_marks),
        flavour: opts.pdfx.unwrap_or(PdfxFlavour::X4),
        intent: &project.output_intent,
    }];

    let hy = Hyphenator::default();
    let ts = Typesetter::new(Shaper::new(&project.fonts), &hy);
    for name in &deck.sheets {
        let Some(sheet) = project.sheets.get(name) else { continue };
        let intent = sheet.output_intent.as_ref().unwrap_or(&project.output_intent);
        // Backs with extra bleed, or RGB images converted for another paper, need their own pass.
        let relaid;
        let cards = if sheet.back_extra_bleed.0 > 0.0 || sheet.output_intent.is_some() {
            let own_images = ImageCache::new(&project.root, intent.profile.clone());
            let (c, diags) = layout_deck(deck, layout, &project.fonts, &own_images, sheet.back_extra_bleed, None);
            // Text findings were reported by the first pass; only image findings can differ.
            report.diags.extend(diags.into_iter().filter(|d| d.message.starts_with("image ")));
            relaid = c;
            match &relaid {
                Some(c) => c,
                None => continue,
            }
        } else {
            &faces
        };
        let slug = slug_style(&project.fonts).map(|style| Slug {
            job: deck.name.clone(),
            date: ymd(date),
            typesetter: &ts,
            style,
        });
        match impose(&deck.title, cards, sheet, slug.as_ref()) {
            Ok(imposed) => {
                report.diags.extend(
                    imposed.warnings.into_iter().map(|d| d.about(format!("deck {}, sheet layout {name}", deck.name))),
                );
                outputs.push(Output {
                    path: opts.out_dir.join(format!("{}-{name}.pdf", deck.name)),
                    doc: imposed.doc,
                    flavour: opts.pdfx.unwrap_or(sheet.pdfx),
                    intent,
                });
            }
            Err(d) => report.diags.push(d.about(format!("deck {}, sheet layout {name}", deck.name))),
        }
    }
    for o in &outputs {
        if o.flavour == PdfxFlavour::X1a2003 {
            report.diags.extend(
                x1a_problems(&o.doc).into_iter().map(|d| d.about(format!("deck {}, {}", deck.name, o.path.display()))),
            );
        }
    }
    if !opts.write || deck.load_errors > 0 || report.diags.has_errors() {
        return;
    }
    for o in outputs {
        let bytes = pdf::render(&o.doc, &project.fonts, print::settings(o.flavour))
            .and_then(|b| print::finish(&b, o.intent, o.flavour, &deck.title, date));
        match bytes.and_then(|b| write_atomic(&o.path, &b)) {
            Ok(()) => report.written.push(Written { path: o.path, pages: o.doc.pages.len() }),
            Err(e) => report.diags.push(Diagnostic::error(e).about(format!("deck {}", deck.name))),
        }
    }
}

fn build_leaflet(project: &Project, leaflet: &Leaflet, opts: &BuildOptions, date: i64, report: &mut BuildReport) {
    let Some(layout) = project.leaflet_layouts.get(&leaflet.layout) else { return };
    let intent = layout.output_intent.as_ref().unwrap_or(&project.output_intent);
    let images = ImageCache::new(&project.root, intent.profile.clone());
    let (panels, diags) = layout_leaflet(
        leaflet,
        layout,
        &project.fonts,
        &images,
        project.regions.iter().find(|r| r.id == leaflet.region),
        project.regions_file.as_deref(),
    );
    report.diags.extend(diags);
    let Some(panels) = panels else { return };
    let flavour = opts.pdfx.unwrap_or(PdfxFlavour::X4);
    let print_doc = leaflet_print(&leaflet.title, &layout.geometry, &panels, layout.bleed, layout.marks);
    if flavour == PdfxFlavour::X1a2003 {
        report.diags.extend(x1a_problems(&print_doc));
    }
    if !opts.write || report.diags.has_errors() {
        return;
    }
    let print_path = opts.out_dir.join(format!("{}-print.pdf", leaflet.name));
    let print_bytes = pdf::render(&print_doc, &project.fonts, print::settings(flavour))
        .and_then(|b| print::finish(&b, intent, flavour, &leaflet.title, date));
    // The download version: panels as pages in reading order, sRGB, tagged for accessibility.
    let screen_doc = leaflet_screen(&leaflet.title, &layout.geometry, &panels, layout.bleed);
    let screen_path = opts.out_dir.join(format!("{}-screen.pdf", leaflet.name));
    let screen_bytes = render_screen(
        &screen_doc,
        &project.fonts,
        &ScreenOptions {
            title: &leaflet.title,
            lang: &leaflet.language,
            date_epoch: date,
            cmyk_profile: &intent.profile,
        },
    );
    for (path, bytes, pages) in
        [(print_path, print_bytes, print_doc.pages.len()), (screen_path, screen_bytes, screen_doc.pages.len())]
    {
        match bytes.and_then(|b| write_atomic(&path, &b)) {
            Ok(()) => report.written.push(Written { path, pages }),
            Err(e) => report.diags.push(Diagnostic::error(e).about(format!("leaflet {}", leaflet.name))),
        }
    }
}

/// What PDF/X-1a forbids that a document may contain: transparency (image alpha).
fn x1a_problems(doc: &Document) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    for f in &doc.frames {
        for it in &f.items {
            if let FrameItem::Image { asset, .. } = it
                && asset.has_alpha()
            {
                seen.insert(asset.path.display().to_string());
            }
        }
    }
    seen.into_iter()
        .map(|p| {
            Diagnostic::error(format!("image {p} has transparency (an alpha channel), which PDF/X-1a forbids"))
                .with_hint("flatten the image onto its background, or use PDF/X-4 (\"pdfx\": \"x4\")")
        })
        .collect()
}

/// Writes `calibrate-<sheet>.pdf`, the duplex calibration sheet for a sheet layout.
pub fn calibrate(opts: &BuildOptions, sheet_name: &str) -> BuildReport {
    let mut report = BuildReport::default();
    let (project, diags) = load_project(&opts.root);
    report.diags = diags;
    let Some(project) = project else { return report };
    let Some(sheet) = project.sheets.get(sheet_name) else {
        let names: Vec<&str> = project.sheets.keys().map(String::as_str).collect();
        let hint = match crate::diag::did_you_mean(sheet_name, names.iter().copied()) {
            Some(n) => format!("did you mean `{n}`? sheet layouts: {}", names.join(", ")),
            None => format!("sheet layouts in layouts/sheets/: {}", names.join(", ")),
        };
        report.diags.push(Diagnostic::error(format!("unknown sheet layout `{sheet_name}`")).with_hint(hint));
        return report;
    };
    let Some(body) = slug_style(&project.fonts) else { return report };
    let body = body.scaled_to(Pt(9.0));
    let heading = ParaStyle { fonts: FontSet { bold: None, ..body.fonts }, ..body.scaled_to(Pt(14.0)) };
    let body = ParaStyle {
        fonts: FontSet {
            bold: project.fonts.families().first().and_then(|f| project.fonts.find(f, 700, false)),
            ..body.fonts
        },
        ..body
    };
    let hy = Hyphenator::default();
    let ts = Typesetter::new(Shaper::new(&project.fonts), &hy);
    let date = source_date(&project);
    let res = crate::impose::calibrate::calibration(sheet, &ts, &body, &heading)
        .and_then(|doc| {
            let bytes = pdf::render(&doc, &project.fonts, print::settings(PdfxFlavour::X4))?;
            Ok((print::finish(&bytes, &project.output_intent, PdfxFlavour::X4, &doc.title, date)?, doc.pages.len()))
        })
        .and_then(|(bytes, pages)| {
            let path = opts.out_dir.join(format!("calibrate-{sheet_name}.pdf"));
            write_atomic(&path, &bytes).map(|()| Written { path, pages })
        });
    match res {
        Ok(w) => report.written.push(w),
        Err(e) => report.diags.push(Diagnostic::error(e).about(format!("calibration sheet for {sheet_name}"))),
    }
    report
}

/// 6 pt regular of the first family in fonts/ (sorted, so always the same).
fn slug_style(fonts: &FontBook) -> Option<ParaStyle> {
    let family = fonts.families().into_iter().next()?;
    let regular = fonts.find(&family, 400, false).or_else(|| fonts.faces().next().map(|(id, _)| id))?;
    Some(ParaStyle {
        fonts: FontSet { regular, bold: None, italic: None, bold_italic: None },
        size: Pt(6.0),
        leading: Pt(7.0),
        align: Align::Left,
        hyphenate: false,
        tracking: 0.0,
        uppercase: false,
        paragraph_spacing: Pt::ZERO,
        fallback: Vec::new(),
    })
}

/// The date stamped into files: `SOURCE_DATE_EPOCH` if set, else the newest input's modification
/// time, never the clock, so rebuilding unchanged inputs gives identical bytes.
pub fn source_date(project: &Project) -> i64 {
    if let Some(v) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<i64>().ok()) {
        return v;
    }
    let mut newest = 0i64;
    for sub in ["decks", "layouts", "fonts"] {
        newest = newest.max(newest_mtime(&project.root.join(sub)));
    }
    newest
}

fn newest_mtime(p: &Path) -> i64 {
    let Ok(meta) = std::fs::metadata(p) else { return 0 };
    if meta.is_dir() {
        std::fs::read_dir(p)
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| newest_mtime(&e.path())).max().unwrap_or(0))
            .unwrap_or(0)
    } else {
        meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs() as i64).unwrap_or(0)
    }
}

/// Writes via a temporary file in the same folder and a rename, so a reader never sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tmp =
        dir.join(format!(".{}.tmp{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("out"), std::process::id()));
    let res = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    Ok(())
}
