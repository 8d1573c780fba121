//! Job tickets ("jobseddel"): what a print run contains, for the print shop and the staff member,
//! as JSON and as a one-page PDF.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::impose::{Document, Page, Placed};
use crate::layout::{Frame, FrameItem};
use crate::model::color::Color;
use crate::text::Align;
use crate::text::hyphenate::Hyphenator;
use crate::text::markup::parse;
use crate::text::shape::Shaper;
use crate::text::{FontBook, Typesetter};
use crate::units::{Mm, Point, Pt, Rect, Size};

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
}

/// The job ticket of a run.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct JobTicket {
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
    /// Paper.
    pub paper: Option<String>,
    /// Output condition (e.g. FOGRA39).
    pub colour_profile: String,
    /// PDF/X flavour.
    pub pdfx: String,
    /// The files.
    pub items: Vec<TicketItem>,
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

/// The ticket as a one-page A4 document (Danish).
pub fn ticket_document(t: &JobTicket, fonts: &FontBook, style: &crate::text::ParaStyle) -> Result<Document, String> {
    let hy = Hyphenator::default();
    let ts = Typesetter::new(Shaper::new(fonts), &hy);
    let size = Size { w: Mm(210.0).to_pt(), h: Mm(297.0).to_pt() };
    let margin = Mm(18.0).to_pt();
    let width = size.w - margin * 2.0;
    let mut items = Vec::new();
    let mut y = margin;
    let put = |md: &str, scale: f64, y: &mut Pt, items: &mut Vec<FrameItem>| -> Result<(), String> {
        let st = crate::text::ParaStyle { align: Align::Left, ..style.scaled_to(Pt(style.size.0 * scale)) };
        let block = ts.set(&parse(md)?, &st, width).map_err(|e| e.message())?;
        for l in &block.lines {
            for r in &l.runs {
                items.push(FrameItem::Text {
                    origin: Point::new(margin + r.x, *y + l.baseline),
                    run: r.clone(),
                    color: Color::BLACK,
                });
            }
        }
        *y += block.height + Pt(6.0);
        Ok(())
    };
    put(&format!("**Jobseddel – {}**", esc(&t.run)), 2.2, &mut y, &mut items)?;
    if t.sample_data {
        put("**PRØVE: kontaktoplysningerne er eksempeldata. Må ikke sendes til trykkeri.**", 1.2, &mut y, &mut items)?;
    }
    let mut head = vec![
        format!("**Region:** {}", esc(&t.region_name)),
        format!("**Levering:** {}", if t.delivery == "office" { "kontorprinter (A4 duplex)" } else { "trykkeri" }),
        format!("**Papir:** {}", esc(t.paper.as_deref().unwrap_or("efter aftale"))),
        format!("**Farveprofil:** {} · **PDF-standard:** {}", esc(&t.colour_profile), esc(&t.pdfx)),
        format!("**Dato:** {}", t.date),
    ];
    if let Some(d) = &t.description {
        head.insert(0, esc(d));
    }
    put(&head.join("\n"), 1.4, &mut y, &mut items)?;
    for it in &t.items {
        y += Pt(4.0);
        items.push(FrameItem::Line {
            from: Point::new(margin, y - Pt(5.0)),
            to: Point::new(size.w - margin, y - Pt(5.0)),
            stroke: crate::layout::Stroke { color: Color::BLACK, width: Pt(0.5), dash: None },
        });
        let mut lines =
            vec![format!("**{}** ({})", esc(&it.title), esc(&it.product)), format!("Fil: {}", esc(&it.file))];
        let mut facts = vec![format!("Format: {}", it.format)];
        if let Some(f) = &it.folded {
            facts.push(format!("falset: {f}"));
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
        put(&lines.join("\n"), 1.4, &mut y, &mut items)?;
    }
    if y > size.h - margin {
        return Err(format!("the job ticket needs more than one page ({} files); split the run", t.items.len()));
    }
    let page_rect = Rect::from_origin_size(Point::default(), size);
    Ok(Document {
        title: format!("Jobseddel {}", t.run),
        frames: vec![Frame { size, trim: page_rect, items, blocks: Vec::new() }.into()],
        pages: vec![Page {
            media: size,
            trim_box: page_rect,
            bleed_box: page_rect,
            content: vec![Placed { frame: 0, at: Point::default(), rotation: Default::default(), clip: None }],
            marks: Default::default(),
            transform: None,
            label: "jobseddel".into(),
        }],
    })
}
