//! Job tickets ("jobseddel"): what a print run contains, for the print shop and the staff member,
//! as JSON and as a one-page PDF: its data, its page, and the files of a finished run.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::BuildOptions;
use crate::date::{danish_date, ymd};
use crate::diag::Diagnostic;
use crate::export::{ExportError, PrintTarget, write_print_pdf};
use crate::impose::Document;
use crate::impose::pages::{FramePage, frame_pages};
use crate::layout::slug::slug_style;
use crate::layout::text_page::{Section, TextPageError, lay_out_text_page};
use crate::model::Project;
use crate::model::Run;
use crate::model::run::Delivery;
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::Shaper;
use crate::text::{FontBook, Typesetter};
use crate::units::{Mm, Pt, Size};

/// Why the job ticket could not be made. Display gives the message users see.
#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    /// A text of the ticket could not be set.
    #[error(transparent)]
    Text(TextPageError),
    /// The ticket's texts do not fit on one page.
    #[error("the job ticket needs more than one page ({files} files); split the run")]
    TooLong {
        /// Files the ticket lists.
        files: usize,
    },
    /// The ticket could not be written as JSON.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    /// The project has no font to set the ticket in.
    #[error("no font for the job ticket")]
    NoFont,
    /// The ticket's PDF could not be written.
    #[error(transparent)]
    Export(#[from] ExportError),
}

/// One file of a run.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TicketItem {
    /// Product name.
    pub product: String,
    /// Product title.
    pub title: String,
    /// File name (in the run's folder).
    pub file: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Pages in the file.
    pub pages: usize,
    /// Printed sheets per copy of the file (imposed sheets), if imposed.
    pub sheets: Option<usize>,
    /// Cards per sheet, if imposed.
    pub per_sheet: Option<usize>,
    /// Sheets to print in all (sheets per copy × quantity), if imposed.
    pub total_sheets: Option<u64>,
    /// Quantity ordered (not for download files).
    pub quantity: Option<u32>,
    /// Finished format.
    pub format: String,
    /// Folded format (leaflets).
    pub folded: Option<String>,
    /// Finishing steps (cutting, folding, duplex flip).
    pub finishing: Vec<String>,
    /// A download version (made with the run, not printed): listed apart from what the shop prints.
    #[serde(skip)]
    pub download: bool,
}

/// The job ticket of a run.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct JobTicket {
    /// The ticket's title as the shop reads it: "Jobseddel – <job>, <region name>".
    pub title: String,
    /// Run name.
    pub run: String,
    /// Description.
    pub description: Option<String>,
    /// Date (YYYY-MM-DD) of the inputs.
    pub date: String,
    /// Region id.
    pub region: String,
    /// Region name.
    pub region_name: String,
    /// True when the region's contact data is unverified sample data.
    pub sample_data: bool,
    /// `print-shop` or `office`.
    pub delivery: String,
    /// The ordering customer.
    pub customer: Option<String>,
    /// Where the printed job goes.
    pub delivery_address: Option<String>,
    /// Deadline, `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// Paper.
    pub paper: Option<String>,
    /// Output condition (e.g. FOGRA39).
    pub colour_profile: String,
    /// PDF/X flavour.
    pub pdfx: String,
    /// The files the shop prints.
    pub items: Vec<TicketItem>,
    /// The run's download versions (for screens; not printed, not on the PDF ticket).
    pub downloads: Vec<TicketItem>,
}

/// The ticket's title: the run's `title`, else its products' titles, then the region's name.
fn ticket_title(job: Option<&str>, items: &[TicketItem], region_name: &str) -> String {
    let job = job.map_or_else(
        || {
            let mut titles: Vec<&str> = Vec::new();
            for it in items {
                if !titles.contains(&it.title.as_str()) {
                    titles.push(&it.title);
                }
            }
            match titles.split_last() {
                Some((last, [])) => last.to_string(),
                Some((last, rest)) => format!("{} og {last}", rest.join(", ")),
                None => String::new(),
            }
        },
        str::to_string,
    );
    match (job.is_empty(), region_name.is_empty()) {
        (false, false) => format!("Jobseddel – {job}, {region_name}"),
        (false, true) => format!("Jobseddel – {job}"),
        (true, false) => format!("Jobseddel – {region_name}"),
        (true, true) => "Jobseddel".into(),
    }
}

/// Hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `63 × 88 mm`.
pub fn mm_size(w: Pt, h: Pt) -> String {
    let f = |v: Pt| {
        let mm = v.to_mm().0;
        if (mm - mm.round()).abs() < 0.05 { format!("{:.0}", mm.round()) } else { format!("{mm:.1}").replace('.', ",") }
    };
    format!("{} × {} mm", f(w), f(h))
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('*', "\\*")
}

/// The ticket as a one-page A4 document (Danish): its texts, laid out by
/// [`crate::layout::text_page`] and put on a page by [`crate::impose::pages`].
///
/// # Errors
///
/// When a text cannot be set, or the texts need more than the page.
pub fn ticket_document(
    t: &JobTicket,
    fonts: &FontBook,
    style: &crate::text::ParaStyle,
) -> Result<Document, TicketError> {
    let hy = Hyphenator::default();
    let ts = Typesetter::new(Shaper::new(fonts), &hy);
    let size = Size { w: Mm(210.0).to_pt(), h: Mm(297.0).to_pt() };
    let section = |markup: String, scale: f64, rule_above: bool| Section { markup, scale, rule_above };
    let mut sections = vec![section(format!("**{}**", esc(&t.title)), 2.2, false)];
    if t.sample_data {
        sections.push(section(
            "**PRØVE: kontaktoplysningerne er eksempeldata. Må ikke sendes til trykkeri.**".into(),
            1.2,
            false,
        ));
    }
    let shop = t.delivery != "office";
    let mut head = Vec::new();
    if let Some(d) = &t.description {
        head.push(esc(d));
    }
    // The order's lines: a print shop always sees them ("—" when the run leaves one out), an
    // office printout only those the run gives.
    let deadline = t.deadline.as_deref().and_then(crate::date::parse_ymd).map(danish_date);
    for (label, value) in
        [("Kunde", &t.customer), ("Leveringsadresse", &t.delivery_address), ("Leveres senest", &deadline)]
    {
        match value {
            Some(v) => head.push(format!("**{label}:** {}", esc(v))),
            None if shop => head.push(format!("**{label}:** —")),
            None => {}
        }
    }
    head.extend([
        format!("**Region:** {}", esc(&t.region_name)),
        format!("**Tryk:** {}", if shop { "trykkeri" } else { "kontorprinter (A4 duplex)" }),
        format!("**Papir:** {}", esc(t.paper.as_deref().unwrap_or("efter aftale"))),
        format!("**Farveprofil:** {} · **PDF-standard:** {}", esc(&t.colour_profile), esc(&t.pdfx)),
        format!("**Filerne er dannet:** {}", t.date),
    ]);
    sections.push(section(head.join("\n"), 1.4, false));
    for it in &t.items {
        let mut lines =
            vec![format!("**{}** ({})", esc(&it.title), esc(&it.product)), format!("Fil: {}", esc(&it.file))];
        let mut facts = vec![format!("Format: {}", it.format)];
        if let Some(f) = &it.folded {
            facts.push(format!("falset format: {f}"));
        }
        facts.push(format!("sider: {}", it.pages));
        if let Some(s) = it.sheets {
            facts.push(format!("ark pr. sæt: {s}"));
        }
        if let Some(p) = it.per_sheet {
            facts.push(format!("{p} pr. ark"));
        }
        if let Some(q) = it.quantity {
            facts.push(format!("oplag: {q}"));
        }
        if let Some(t) = it.total_sheets {
            facts.push(format!("ark i alt: {t}"));
        }
        lines.push(facts.join(" · "));
        if !it.finishing.is_empty() {
            lines.push(format!("Efterbehandling: {}", it.finishing.join("; ")));
        }
        lines.push(format!("SHA-256: {}", it.sha256));
        sections.push(section(lines.join("\n"), 1.4, true));
    }
    let frame = lay_out_text_page(&sections, &ts, style, size, Mm(18.0).to_pt()).map_err(|e| match e {
        TextPageError::Overflow => TicketError::TooLong { files: t.items.len() },
        e => TicketError::Text(e),
    })?;
    Ok(frame_pages(t.title.clone(), vec![FramePage { frame, label: "jobseddel".into(), transform: None }]))
}

/// What a finished job ticket is: the JSON and the PDF.
pub(super) struct TicketFiles {
    /// `jobseddel.json`.
    pub json: String,
    /// `jobseddel.pdf`.
    pub pdf: Vec<u8>,
}

/// The job ticket of a run whose products all succeeded, as JSON and as a PDF (in memory).
pub(super) fn ticket_files(
    project: &Project,
    r: &Run,
    items: Vec<TicketItem>,
    date: i64,
    opts: &BuildOptions,
) -> Result<TicketFiles, Diagnostic> {
    let region = project.regions.iter().find(|x| x.id == r.region);
    // The ticket travels with the run's files, so it is written to the same standard and intent.
    let intent = r.output_intent.as_ref().unwrap_or(&project.output_intent);
    let flavour = opts.pdfx.unwrap_or(r.pdfx);
    let region_name = region.map(|x| x.name.clone()).unwrap_or_default();
    // The shop prints the print files; the download versions are listed apart for scripts.
    let (downloads, items): (Vec<TicketItem>, Vec<TicketItem>) = items.into_iter().partition(|it| it.download);
    let t = JobTicket {
        title: ticket_title(r.order.title.as_deref(), &items, &region_name),
        run: r.name.clone(),
        description: r.description.clone(),
        date: ymd(date),
        region: r.region.clone(),
        region_name,
        sample_data: region.is_some_and(|x| x.sample),
        delivery: match r.delivery {
            Delivery::PrintShop => "print-shop".into(),
            Delivery::Office => "office".into(),
        },
        customer: r.order.customer.clone(),
        delivery_address: r.order.delivery_address.clone(),
        deadline: r.order.deadline.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        paper: r.paper.clone(),
        colour_profile: intent.identifier.clone(),
        pdfx: flavour.version_name().into(),
        items,
        downloads,
    };
    let about = |e: TicketError| {
        let hint = matches!(e, TicketError::NoFont).then_some("put at least one font in fonts/");
        let d = Diagnostic::error(e.to_string()).about(format!("job ticket of run {}", r.name));
        match hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    };
    let json = serde_json::to_string_pretty(&t).map(|s| s + "\n").map_err(|e| about(e.into()))?;
    let style = slug_style(&project.fonts).ok_or_else(|| about(TicketError::NoFont))?;
    let style = style.scaled_to(Pt(7.5));
    let pdf = ticket_document(&t, &project.fonts, &style)
        .and_then(|doc| {
            let target = PrintTarget { flavour, intent, title: &doc.title, date };
            Ok(write_print_pdf(&doc, &project.fonts, &target)?)
        })
        .map_err(about)?;
    Ok(TicketFiles { json, pdf })
}
