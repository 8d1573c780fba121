//! The duplex calibration sheet of a sheet layout (`tryksag calibrate`): a test print that shows
//! how far the back lands from where the front expects it.

use std::time::Instant;

use super::util::source_date;
use super::{BuildOptions, BuildReport, Written};
use crate::diag::{Diagnostic, Diagnostics};
use crate::export::{ExportError, PrintTarget, write_print_pdf};
use crate::files::{WriteError, write_atomic};
use crate::layout::calibration::{CalibrationError, Readings, corrections};
use crate::layout::slug::slug_style;
use crate::model::{Project, load_project_with};
use crate::text::hyphenate::Hyphenator;
use crate::text::paragraph::FontSet;
use crate::text::shape::Shaper;
use crate::text::{ParaStyle, Typesetter};
use crate::units::Pt;

/// Why the calibration sheet could not be made. Display gives the message users see.
#[derive(Debug, thiserror::Error)]
enum CalibrateError {
    #[error(transparent)]
    Layout(#[from] CalibrationError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// The project and the named sheet layout, or the report that says why not (an unknown name is a
/// usage error with a suggestion).
fn project_and_sheet(opts: &BuildOptions, sheet_name: &str) -> Result<(Project, BuildReport), BuildReport> {
    let mut report = BuildReport::default();
    let (project, diags) = load_project_with(&opts.root, &opts.load_options());
    report.diags = diags;
    let Some(project) = project.filter(|p| p.output_conflicts == 0) else { return Err(report) };
    if project.sheets.contains_key(sheet_name) {
        return Ok((project, report));
    }
    let broken = report.diags.0.iter().any(|d| {
        d.location
            .file
            .as_ref()
            .is_some_and(|f| f.starts_with("layouts/sheets") && f.file_stem().is_some_and(|s| s == sheet_name))
    });
    if broken {
        // The sheet layout exists but has errors: those say what is wrong.
        return Err(report);
    }
    let names: Vec<&str> = project.sheets.keys().map(String::as_str).collect();
    let hint = match crate::diag::did_you_mean(sheet_name, names.iter().copied()) {
        Some(n) => format!("did you mean `{n}`? sheet layouts: {}", names.join(", ")),
        None => format!("sheet layouts in layouts/sheets/: {}", names.join(", ")),
    };
    let d = Diagnostic::error(format!("unknown sheet layout `{sheet_name}`")).with_hint(hint);
    Err(BuildReport { diags: Diagnostics(vec![d]), usage: true, ..BuildReport::default() })
}

/// A sheet layout's back offset after a calibration print was read.
#[derive(Clone, Debug, PartialEq)]
pub struct CorrectedOffset {
    /// The sheet layout file to write it into.
    pub file: std::path::PathBuf,
    /// The offset it has now: x mm, y mm, angle °.
    pub now: (f64, f64, f64),
    /// The offset to write: now plus the correction the readings give.
    pub new: (f64, f64, f64),
}

/// `tryksag calibrate SHEET --read …`: the back offset to write after reading the four scales of
/// a printed calibration sheet (the arithmetic the sheet prints, done for the user).
///
/// # Errors
///
/// The report of why the project or the sheet layout cannot be used.
pub fn read_calibration(opts: &BuildOptions, sheet_name: &str, r: Readings) -> Result<CorrectedOffset, BuildReport> {
    let (project, _) = project_and_sheet(opts, sheet_name)?;
    let sheet = &project.sheets[sheet_name];
    let (ox, oy, ang) = sheet.back_offset;
    let now = (ox.to_mm().0, oy.to_mm().0, ang);
    let (x, y, a) = corrections(r, sheet);
    Ok(CorrectedOffset { file: sheet.file.path.clone(), now, new: (now.0 + x, now.1 + y, now.2 + a) })
}

/// Writes `calibrate-<sheet>.pdf`, the duplex calibration sheet for a sheet layout.
pub fn calibrate(opts: &BuildOptions, sheet_name: &str) -> BuildReport {
    let started = Instant::now();
    let (project, mut report) = match project_and_sheet(opts, sheet_name) {
        Ok(found) => found,
        Err(report) => return report,
    };
    let sheet = &project.sheets[sheet_name];
    let Some(body) = slug_style(&project.fonts) else { return report };
    let body = body.scaled_to(Pt(9.0));
    let heading = ParaStyle { fonts: FontSet { bold: None, ..body.fonts }, ..body.scaled_to(Pt(14.0)) };
    let hy = Hyphenator::default();
    let ts = Typesetter::new(Shaper::new(&project.fonts), &hy);
    let date = source_date(&project);
    let res = crate::layout::calibration::lay_out_calibration(sheet, &ts, &body, &heading)
        .map(|frames| crate::impose::calibrate::calibration_document(sheet, frames))
        .map_err(CalibrateError::from)
        .and_then(|doc| {
            // Printed on the same press and paper as the sheets it calibrates: the same standard
            // (the command line's, else the sheet layout's) and output intent.
            let flavour = opts.pdfx.unwrap_or(sheet.pdfx);
            let intent = sheet.output_intent.as_ref().unwrap_or(&project.output_intent);
            let target = PrintTarget { flavour, intent, title: &doc.title, date };
            let bytes = write_print_pdf(&doc, &project.fonts, &target)?;
            Ok((bytes, doc.pages.len()))
        })
        .and_then(|(bytes, pages)| {
            let path = opts.out_dir.join(format!("calibrate-{sheet_name}.pdf"));
            write_atomic(&path, &bytes)?;
            Ok(Written {
                path,
                pages,
                sheets: Some(1),
                product: format!("calibrate {sheet_name}"),
                warnings: 0,
                millis: started.elapsed().as_millis(),
            })
        });
    match res {
        Ok(w) => report.written.push(w),
        Err(e) => {
            report.diags.push(Diagnostic::error(e.to_string()).about(format!("calibration sheet for {sheet_name}")))
        }
    }
    report
}
