//! Print delivery: krilla settings and the PDF/X finishing pass with the output profile.

use super::pdfx::{self, PdfxFlavour, PdfxOptions};
use crate::model::OutputIntent;

/// krilla settings for print files of a flavour.
pub fn settings(flavour: PdfxFlavour) -> krilla::SerializeSettings {
    pdfx::krilla_settings(flavour)
}

/// Applies the PDF/X pass (identification, output intent, metadata).
pub fn finish(
    pdf: &[u8],
    intent: &OutputIntent,
    flavour: PdfxFlavour,
    title: &str,
    date: i64,
) -> Result<Vec<u8>, String> {
    let creator = concat!("tryksag ", env!("CARGO_PKG_VERSION"));
    pdfx::finish(
        pdf,
        &PdfxOptions {
            flavour,
            title,
            date_epoch: date,
            profile: &intent.profile,
            output_condition_identifier: &intent.identifier,
            output_condition: &intent.condition,
            trapped: false,
            creator,
        },
    )
}
