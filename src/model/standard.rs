//! The print standard a file claims: which PDF/X flavour. Plain data chosen in sheet layouts and
//! print runs (`"pdfx": "x4" | "x1a"`) or on the command line; the exporter reads it to know what
//! to write and check.

use serde::Deserialize;

/// Which PDF/X flavour a print file is (as written in JSON: `x4` or `x1a`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
// The schema keeps the name and text it had when JSON had its own type for this.
#[schemars(rename = "PdfxChoice", description = "PDF/X flavour as written in JSON.")]
pub enum PdfxFlavour {
    /// PDF/X-4 (ISO 15930-7): PDF 1.6, transparency and ICC-based colour allowed. The default.
    #[default]
    #[schemars(description = "PDF/X-4.")]
    X4,
    /// PDF/X-1a:2003 (ISO 15930-4): PDF 1.4, CMYK/gray/separation only, no transparency.
    #[serde(rename = "x1a")]
    #[schemars(description = "PDF/X-1a:2003.")]
    X1a2003,
}

impl PdfxFlavour {
    /// The value of `GTS_PDFXVersion`, e.g. `PDF/X-4`.
    #[must_use]
    pub fn version_name(self) -> &'static str {
        match self {
            PdfxFlavour::X4 => "PDF/X-4",
            PdfxFlavour::X1a2003 => "PDF/X-1a:2003",
        }
    }

    /// The PDF version the file is written as (its header), e.g. `1.6`.
    #[must_use]
    pub fn pdf_version(self) -> &'static str {
        match self {
            PdfxFlavour::X4 => "1.6",
            PdfxFlavour::X1a2003 => "1.4",
        }
    }

    /// Lower-case name for messages, e.g. `pdf/x-4`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            PdfxFlavour::X4 => "pdf/x-4",
            PdfxFlavour::X1a2003 => "pdf/x-1a:2003",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PdfxFlavour;

    #[test]
    fn json_names() {
        assert_eq!(serde_json::from_str::<PdfxFlavour>("\"x4\"").unwrap(), PdfxFlavour::X4);
        assert_eq!(serde_json::from_str::<PdfxFlavour>("\"x1a\"").unwrap(), PdfxFlavour::X1a2003);
        assert!(serde_json::from_str::<PdfxFlavour>("\"x1a2003\"").is_err());
        assert_eq!(PdfxFlavour::X1a2003.version_name(), "PDF/X-1a:2003");
    }
}
