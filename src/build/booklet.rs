//! Building a saddle-stitched booklet: its pages laid out once, then the files its job plans —
//! the single pages with bleed (PDF/X, what digital print shops want), the printer's spreads on
//! press sheets (creep, crop, fold and stitch marks, a slug per sheet side with its creep), the
//! spreads for an office duplex printer, and the tagged download version — with job tickets that
//! say pages, format, binding, paper and the creep per sheet.

use std::time::Instant;

use super::plan::{Job, Standard};
use super::products::{JobResult, Out, Target, finish, ticket};
use super::ticket::mm_size;
use crate::assets::ImageCache;
use crate::date::ymd;
use crate::diag::{Diagnostic, Topic};
use crate::impose::marks::MarkStyle;
use crate::impose::{
    BookletError, BookletMarks, BookletPlan, Document, FrameBox, check_margin, download_pages, office_duplex,
    press_sheet, single_pages,
};
use crate::layout::slug::{lay_out_slug, slug_style};
use crate::layout::{BookletInput, BookletPages, FrameItem, PageKind, TypographyLog, lay_out_booklet};
use crate::model::booklet::{Booklet, BookletLayout, Paper};
use crate::model::outputs::ProductFile;
use crate::model::print_condition::PrintCheck;
use crate::model::{Color, Project};
use crate::text::Typesetter;
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::Shaper;
use crate::timing::{self, Stage};
use crate::units::{Mm, Point, Pt};

/// An imposed file: its document, each page's folds (for proof guides) and its sheet count.
type Imposed = (Document, Vec<Vec<Pt>>, Option<usize>);

/// A paper for the job ticket: "Silk 130 g/m² (0,12 mm)" or "papir 0,10 mm".
fn paper_text(p: &Paper) -> String {
    let caliper = format!("{:.2} mm", p.caliper.0).replace('.', ",");
    match (&p.name, p.grammage) {
        (Some(n), _) => format!("{n} ({caliper})"),
        (None, Some(g)) => format!("{g:.0} g/m² ({caliper})"),
        (None, None) => format!("papir {caliper}"),
    }
}

/// The creep per sheet as the ticket and slug say it: "ark 1: 0,00 mm · ark 2: 0,11 mm …".
fn creep_text(creep: &[Mm]) -> String {
    (creep.iter().enumerate())
        .map(|(s, c)| format!("ark {}: {}", s + 1, format!("{:.2} mm", c.0).replace('.', ",")))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The label of each page, for diagnostics.
fn page_labels(pages: &BookletPages) -> Vec<String> {
    (pages.pages.iter().enumerate())
        .map(|(i, p)| match p.kind {
            PageKind::Cover => format!("page {} (cover)", i + 1),
            PageKind::Blank => format!("page {} (blank)", i + 1),
            PageKind::Contents | PageKind::Text => format!("page {}", i + 1),
        })
        .collect()
}

/// Builds a booklet's files.
pub fn booklet(project: &Project, booklet: &Booklet, job: &Job, t: &Target) -> JobResult {
    let started = Instant::now();
    let mut r = JobResult::default();
    let Some(layout) = project.booklet_layouts.get(&booklet.layout) else { return r };
    let Some(intent) = job.files.first().map(|f| f.intent) else { return r };
    let images = ImageCache::new(&project.root, intent.profile.clone(), project.fonts.files());
    let region = job.region.or_else(|| project.regions.iter().find(|x| x.id == booklet.region));
    let log = t.typography.then(TypographyLog::default);
    let input = BookletInput {
        booklet,
        layout,
        fonts: &project.fonts,
        images: &images,
        region,
        regions_file: project.regions_file.as_deref(),
    };
    let (pages, diags) = timing::time(Stage::Layout, || {
        let check = job.files.iter().find(|f| f.standard != Standard::Screen).map_or(PrintCheck::NONE, |f| f.condition);
        lay_out_booklet(&input, check, log.as_ref())
    });
    r.typography = log.map(TypographyLog::into_reports);
    r.diags.extend(diags);
    let Some(pages) = pages else { return r };

    let n = pages.pages.len();
    let sheets = n / 4;
    let creep = layout.binding.creep(sheets);
    let shift: Vec<Mm> = if layout.binding.creep { creep.clone() } else { vec![Mm(0.0); sheets] };
    // The shifted pages meet at their own sheet's fold, so the spine-side margin loses the shift.
    if let Err(BookletError::Margin { sheet, margin, shift, safe }) =
        check_margin(&shift, layout.margins[2].to_mm(), layout.safe.to_mm())
    {
        r.diags.push(
            Diagnostic::error(format!(
                "the inner margin ({margin:.1} mm) cannot take the creep: sheet {} of {sheets} is shifted {shift:.2} mm towards the spine, leaving {:.2} mm, less than the safe {safe:.1} mm",
                sheet + 1,
                margin - shift
            ))
            .with_hint(format!(
                "widen `margins.inner` to at least {:.1} mm, use thinner paper, or fewer pages",
                safe + shift
            ))
            .with_topic(Topic::SafeArea)
            .at(layout.file.locate("margins.inner"))
            .about(format!("booklet {}", booklet.name)),
        );
        return r;
    }

    let title = booklet.short_title.as_deref().unwrap_or(&booklet.title);
    let labels = page_labels(&pages);
    let frames: Vec<_> = pages.pages.iter().map(|p| p.frame.clone()).collect();
    let page_box = FrameBox::of(&frames[0]);
    // Blank pages are left unprinted on the spreads.
    let plan = BookletPlan {
        page: page_box,
        frames: (pages.pages.iter().enumerate()).map(|(i, p)| (p.kind != PageKind::Blank).then_some(i)).collect(),
    };
    let format = mm_size(layout.page.w, layout.page.h);
    let binding = "ryghæftning (saddle stitch), 2 hæfteklammer".to_string();
    let finishing = vec![
        format!("{n} sider = {sheets} ark, falset og indstukket"),
        binding.clone(),
        format!("papir: {}", paper_text(&layout.binding.paper)),
        match &layout.binding.cover_paper {
            Some(c) => format!("omslag: {} (separat omslag)", paper_text(c)),
            None => "omslag: samme papir (selvomslag)".to_string(),
        },
    ];
    let creep_line = creep_text(&creep);
    let tickets = |kind: &ProductFile| {
        let mut tk = ticket(&booklet.name, title, format.clone());
        tk.quantity = job.quantity;
        tk.finishing.clone_from(&finishing);
        match kind {
            ProductFile::BookletPages => {
                tk.format = format!("{format} (+{:.0} mm beskæring)", layout.bleed.to_mm().0);
                tk.finishing.insert(0, "enkeltsider i læserækkefølge, side 1 = forside".into());
                tk.finishing.push(format!("kryb (ikke lagt ind i filen): {creep_line}"));
            }
            ProductFile::BookletPress(_) => {
                tk.sheets = Some(sheets);
                tk.total_sheets = job.quantity.map(|q| u64::from(q) * sheets as u64);
                tk.finishing.insert(0, "trykark i arkrækkefølge: yderside, inderside; vend om ryggen".into());
                tk.finishing.push(format!("kryb lagt ind (mod ryggen): {creep_line}"));
            }
            ProductFile::BookletOffice => {
                tk.sheets = Some(sheets);
                tk.total_sheets = job.quantity.map(|q| u64::from(q) * sheets as u64);
                tk.format = format!("{format}, A4 liggende, 2 sider pr. side");
                tk.finishing.insert(0, "dobbeltsidet, vend om den korte kant; fold arkene og hæft i ryggen".into());
                tk.finishing.push(format!("kryb lagt ind (mod ryggen): {creep_line}"));
            }
            _ => {
                tk.quantity = None;
                tk.format = format!("skærmversion, {format}, {} sider", pages_shown(&pages));
                tk.finishing = vec!["til download (tilgængelig PDF)".into()];
                tk.download = true;
            }
        }
        tk
    };
    let date = ymd(t.date);
    let mut outs = Vec::new();
    for file in &job.files {
        let made: Result<Imposed, BookletError> = match (&file.kind, file.standard) {
            (ProductFile::BookletPages, Standard::Print(_)) => timing::time(Stage::Impose, || {
                Ok((single_pages(&booklet.title, frames.clone(), labels.clone()), Vec::new(), None))
            }),
            (ProductFile::BookletPress(_), Standard::Print(_)) => timing::time(Stage::Impose, || {
                press(project, booklet, layout, &plan, &shift, &frames, &date)
                    .map(|(doc, folds)| (doc, folds, Some(sheets)))
            }),
            (ProductFile::BookletOffice, Standard::Print(_)) => timing::time(Stage::Impose, || {
                office_duplex(&booklet.title, &plan, &shift).map(|im| {
                    let mut doc = im.doc;
                    doc.frames = frames.iter().cloned().map(Into::into).collect();
                    let folds = doc.pages.iter().map(|p| vec![p.media.w / 2.0 - p.trim_box.min.x]).collect();
                    (doc, folds, Some(sheets))
                })
            }),
            (ProductFile::BookletScreen, _) => {
                // Blank pages are left out of the download; every other page keeps its folio.
                let (shown, shown_labels): (Vec<_>, Vec<_>) = (pages.pages.iter().zip(&labels))
                    .filter(|(p, _)| p.kind != PageKind::Blank)
                    .map(|(p, l)| (p.frame.clone(), l.clone()))
                    .unzip();
                Ok((download_pages(&booklet.title, shown, shown_labels), Vec::new(), None))
            }
            _ => continue,
        };
        let (doc, folds, sheets_used) = match made {
            Ok(m) => m,
            Err(e) => {
                r.diags.push(
                    Diagnostic::error(e.to_string())
                        .with_hint("choose a larger `press_sheet` in the booklet layout")
                        .at(layout.file.locate("press_sheet"))
                        .about(format!("booklet {}", booklet.name)),
                );
                continue;
            }
        };
        let flavour = match file.standard {
            Standard::Print(f) => Some(f),
            Standard::Screen => None,
        };
        outs.push(Out {
            kind: file.kind.clone(),
            path: t.dir.join(&file.name),
            doc,
            boxes: Vec::new(),
            safe: layout.safe,
            folds,
            flavour,
            intent: file.intent,
            overprint_black: layout.overprint_black,
            sheets: sheets_used,
            ticket: tickets(&file.kind),
            gwg: file.condition.condition.rules().is_some(),
        });
    }
    finish(project, "booklet", &booklet.name, &booklet.title, outs, t, started, r)
}

/// Pages the download version shows (blank pages left out).
fn pages_shown(pages: &BookletPages) -> usize {
    pages.pages.iter().filter(|p| p.kind != PageKind::Blank).count()
}

/// The press sheets: spreads with marks, and on each side a slug line with the job, the date,
/// the sheet and its creep.
fn press(
    project: &Project,
    booklet: &Booklet,
    layout: &BookletLayout,
    plan: &BookletPlan,
    shift: &[Mm],
    frames: &[crate::layout::Frame],
    date: &str,
) -> Result<(Document, Vec<Vec<Pt>>), BookletError> {
    let marks = BookletMarks {
        style: MarkStyle {
            offset: layout.bleed.max(Mm(3.0).to_pt()),
            length: Mm(5.0).to_pt(),
            width: Pt(0.25),
            color: Color::Registration,
            dash: None,
        },
        stitches: layout.binding.stitches.clone(),
    };
    let mut im = press_sheet(&booklet.title, plan, layout.press_sheet, shift, &marks)?;
    if !layout.marks {
        for p in &mut im.doc.pages {
            p.marks = Default::default();
        }
    }
    im.doc.frames = frames.iter().cloned().map(Into::into).collect();
    let hy = Hyphenator::new(std::iter::empty::<&str>());
    let ts = Typesetter::new(Shaper::new(&project.fonts), &hy);
    let style = slug_style(&project.fonts);
    let sheets = im.creep.len();
    for (i, page) in im.doc.pages.iter_mut().enumerate() {
        let s = i / 2;
        let side = if i % 2 == 0 { "yderside" } else { "inderside" };
        let text = format!(
            "{} · {date} · ark {} af {sheets}, {side} · kryb {} mm mod ryggen",
            booklet.name,
            s + 1,
            format!("{:.2}", shift.get(s).map_or(0.0, |c| c.0)).replace('.', ",")
        );
        if !layout.marks {
            continue;
        }
        let Some(frame) = style.as_ref().and_then(|st| lay_out_slug(&text, &Color::Registration, &ts, st)) else {
            continue;
        };
        // Below the bottom marks, left-aligned with the spread (above them if there is no room).
        let reach = marks.style.offset + marks.style.length + Mm(1.5).to_pt();
        let trim = page.trim_box;
        let below = trim.max.y + reach;
        let top = if below + frame.size.h <= page.media.h {
            below
        } else {
            (trim.min.y - reach - frame.size.h).max(Pt::ZERO)
        };
        let at = Point::new(trim.min.x, top);
        page.marks.own.extend(frame.items.into_iter().map(|it: FrameItem| it.moved_by(at.x, at.y)));
    }
    let folds = im.doc.pages.iter().map(|p| vec![p.media.w / 2.0 - p.trim_box.min.x]).collect();
    Ok((im.doc, folds))
}
