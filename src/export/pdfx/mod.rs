//! PDF/X finishing pass: turns a PDF written by krilla into PDF/X-4 (the print default) or
//! PDF/X-1a:2003, deterministically.
//!
//! krilla has no PDF/X mode, so the print exporter lets krilla write an ordinary PDF (with
//! [`krilla_settings`]) and hands the bytes to [`finish`], which with lopdf:
//!
//! - rejects what it cannot repair and what would make the PDF/X claim false
//!   ([`preflight`]): encryption, pages without a TrimBox (or ArtBox) or with boxes that do not
//!   nest, annotations with actions or inside the BleedBox, plain RGB colour under the CMYK output
//!   intent, transfer functions, LZW, and for X-1a transparency and ICC-based, Lab or calibrated
//!   colour;
//! - repairs what krilla adds on its own: transparency groups get the blending space
//!   `/DeviceCMYK` instead of `/DeviceRGB` (X-4, [`groups`]);
//! - replaces krilla's document information dictionary ([`info`]), XMP metadata ([`xmp`]),
//!   output intents and file identifier ([`ids`]) with its own, and embeds exactly one
//!   `GTS_PDFX` output intent with the CMYK output profile ([`profile_stream`]);
//! - writes `%PDF-1.6` or `%PDF-1.4` with a classic cross-reference table and no object
//!   streams (X-1a).
//!
//! The output depends only on the input bytes and the options: there is no clock and no random
//! id. Objects are numbered in the order of the input.
//!
//! Author, Subject and Keywords that krilla wrote from its `Metadata` are carried over into both
//! the Info dictionary and the XMP packet (`dc:creator`, `dc:description`, `pdf:Keywords`).

mod groups;
mod ids;
mod info;
mod preflight;
mod profile_stream;
mod scan;
#[cfg(test)]
mod tests;
mod xmp;

use krilla::SerializeSettings;
use krilla::configure::{ConfigurationBuilder, PdfVersion};
use lopdf::xref::XrefType;
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

pub use profile_stream::warm_profile;

use crate::assets::profile::{ProfileError, check_output_profile};
use crate::model::standard::PdfxFlavour;
use info::{Carried, Date, text};

/// Everything the finishing pass needs besides the PDF bytes.
#[derive(Debug, Clone, Copy)]
pub struct PdfxOptions<'a> {
    /// The flavour to produce.
    pub flavour: PdfxFlavour,
    /// The document title (Info `/Title` and XMP `dc:title`); must not be empty.
    pub title: &'a str,
    /// Seconds since the Unix epoch (UTC); used for CreationDate and ModDate (Info and XMP identical).
    pub date_epoch: i64,
    /// The embedded CMYK output profile (ICC bytes).
    pub profile: &'a [u8],
    /// e.g. "FOGRA39"
    pub output_condition_identifier: &'a str,
    /// human readable, e.g. "Coated FOGRA39 (ISO 12647-2:2004)"
    pub output_condition: &'a str,
    /// Whether trapping has been applied (Trapped /True), normally false.
    pub trapped: bool,
    /// Creator tool string, e.g. "tryksag 0.1.0"
    pub creator: &'a str,
    /// Whether the file is for a GWG 2022 print condition: the file-level GWG rules are checked
    /// on the finished document (`preflight::check_gwg`).
    pub gwg: bool,
}

/// Why the pass cannot make a PDF/X file. Display gives a short lower-case message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfxError {
    /// The title is empty.
    #[error("pdf/x needs a document title; the title is empty")]
    NoTitle,
    /// No output condition identifier.
    #[error("the output intent needs an output condition identifier (e.g. `FOGRA39`)")]
    NoConditionIdentifier,
    /// The output profile cannot be one.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The profile's ICC version does not suit the flavour.
    #[error("{} needs an icc version {} output profile, this one is version {major}.{minor}", .flavour.label(), icc_versions(*.flavour))]
    IccVersion {
        /// The flavour.
        flavour: PdfxFlavour,
        /// Profile major version.
        major: u8,
        /// Profile minor version.
        minor: u8,
    },
    /// The date is outside four-digit years.
    #[error("date {0} (seconds since 1970) is outside the years 1 to 9999")]
    Date(i64),
    /// lopdf cannot read the input.
    #[error("cannot read the pdf: {0}")]
    Read(String),
    /// The input is encrypted.
    #[error("the pdf is encrypted; pdf/x forbids encryption")]
    Encrypted,
    /// The input's PDF version is newer than the flavour's.
    #[error(
        "the pdf was written as pdf {written}, {} needs pdf {} or older; write it with `krilla_settings`",
        .flavour.label(),
        .flavour.pdf_version()
    )]
    Version {
        /// The input's version.
        written: String,
        /// The flavour.
        flavour: PdfxFlavour,
    },
    /// No document catalog.
    #[error("the pdf has no document catalog")]
    NoCatalog,
    /// The profile stream could not be compressed.
    #[error("cannot compress the output profile: {0}")]
    Compress(String),
    /// lopdf could not write the result.
    #[error("cannot write the pdf: {0}")]
    Write(String),
    /// The preflight found something PDF/X forbids: the first problem and how many more.
    #[error("{first}{}", more_problems(*.more))]
    NotPdfx {
        /// The first problem (page or object number first).
        first: String,
        /// How many other distinct problems there are.
        more: usize,
    },
    /// A file-level GWG 2022 rule is broken: the first problem (naming the rule) and how many more.
    #[error("{first}{}", more_problems(*.more))]
    NotGwg {
        /// The first problem.
        first: String,
        /// How many other distinct problems there are.
        more: usize,
    },
}

fn icc_versions(flavour: PdfxFlavour) -> &'static str {
    match flavour {
        PdfxFlavour::X4 => "2 or 4",
        PdfxFlavour::X1a2003 => "2",
    }
}

fn more_problems(more: usize) -> String {
    match more {
        0 => String::new(),
        1 => " (and 1 more problem)".into(),
        n => format!(" (and {n} more problems)"),
    }
}

/// Written as Info `/Producer` and XMP `pdf:Producer`.
const PRODUCER: &str = "tryksag pdfx pass (krilla 0.8, lopdf 0.47)";

/// The registry that knows the characterisation names (FOGRA39, FOGRA51, ...).
const ICC_REGISTRY: &str = "http://www.color.org";

/// Settings for krilla so that its output is a good base for this pass (PDF 1.6 for X-4, 1.4 for X-1a,
/// device colour spaces allowed, XMP on, tagging off).
///
/// The PDF version matters beyond the header: krilla checks the limits of the version it writes
/// (e.g. PDF 1.4 number and string limits, 16-bit images) while it serializes. Device colour
/// means CMYK stays `DeviceCMYK` (no `cmyk_profile` is set), but also that RGB colour becomes
/// `DeviceRGB`, which [`finish`] rejects: print content must be CMYK, gray or separations.
#[must_use]
pub(crate) fn krilla_settings(flavour: PdfxFlavour) -> SerializeSettings {
    let version = match flavour {
        PdfxFlavour::X4 => PdfVersion::Pdf16,
        PdfxFlavour::X1a2003 => PdfVersion::Pdf14,
    };
    let configuration = ConfigurationBuilder::new()
        .with_version(version)
        .finish()
        .expect("a pdf version without validators is always a valid krilla configuration");
    SerializeSettings {
        pretty: false,
        compress_content_streams: true,
        no_device_cs: false,
        ascii_compatible: false,
        xmp_metadata: true,
        cmyk_profile: None,
        configuration,
        enable_tagging: false,
        ..SerializeSettings::default()
    }
}

/// Applies the pass.
///
/// # Errors
///
/// When the options are unusable (empty title or output condition identifier, a profile that
/// [`check_output_profile`] rejects, a non-v2 profile for X-1a, a date outside the years
/// 1–9999), when lopdf cannot read the PDF, and when the PDF contains something that this pass
/// cannot make PDF/X: encryption; a page without a TrimBox or ArtBox, with both, or with boxes
/// that do not nest (Trim ⊆ Bleed ⊆ Crop ⊆ Media); annotations with actions or inside the
/// BleedBox; document actions, JavaScript or embedded files; `DeviceRGB` colour (in resources,
/// images or content-stream operators); transfer functions, halftone phase, LZW or Crypt
/// filters, external stream files; and for X-1a also transparency (opacity, soft masks, blend
/// modes, transparency groups), ICC-based, Lab or calibrated colour spaces, optional content and
/// JPEG 2000 / JBIG2. The message names the first problem (page or object number) and how many
/// more there are.
pub fn finish(pdf: Vec<u8>, opts: &PdfxOptions) -> Result<Vec<u8>, PdfxError> {
    let flavour = opts.flavour;
    let title = opts.title.trim();
    if title.is_empty() {
        return Err(PdfxError::NoTitle);
    }
    let oci = opts.output_condition_identifier.trim();
    if oci.is_empty() {
        return Err(PdfxError::NoConditionIdentifier);
    }
    let icc = check_output_profile(opts.profile)?;
    let fits = match flavour {
        PdfxFlavour::X1a2003 => icc.major == 2,
        PdfxFlavour::X4 => (2..=4).contains(&icc.major),
    };
    if !fits {
        return Err(PdfxError::IccVersion { flavour, major: icc.major, minor: icc.minor });
    }
    let date = Date::from_epoch(opts.date_epoch)?;
    let ids = ids::Ids::new(&pdf, opts);

    let mut doc = Document::load_mem(&pdf).map_err(|e| PdfxError::Read(e.to_string()))?;
    let input_len = pdf.len();
    // The parsed tree holds everything from here on; at 10 000 cards the bytes are megabytes.
    drop(pdf);
    if doc.is_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(PdfxError::Encrypted);
    }
    // Only the header is rewritten, so the body must already keep to the older version's limits.
    let written = parse_version(&doc.version);
    if written.is_none_or(|v| v > parse_version(flavour.pdf_version()).unwrap_or((1, 4))) {
        return Err(PdfxError::Version { written: doc.version.clone(), flavour });
    }
    let root_id = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| PdfxError::NoCatalog)?;
    let carried = Carried::from_info(&doc);

    // Drop what this pass writes itself: krilla's XMP packet, any output intents (krilla writes
    // an sRGB one for PDF/A), a catalog /Version that could contradict the header, the old Info
    // dictionary and file id (a fresh trailer), and everything only they referenced.
    {
        let catalog = doc.get_dictionary_mut(root_id).map_err(|_| PdfxError::NoCatalog)?;
        catalog.remove(b"Metadata");
        catalog.remove(b"OutputIntents");
        catalog.remove(b"Version");
    }
    let mut trailer = Dictionary::new();
    trailer.set("Root", root_id);
    doc.trailer = trailer;
    doc.prune_objects();

    if flavour == PdfxFlavour::X4 {
        groups::rgb_groups_to_cmyk(&mut doc);
    }
    preflight::check_document(&doc, flavour)?;

    doc.renumber_objects();
    let root_id = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| PdfxError::NoCatalog)?;

    // Output intent with the embedded profile.
    let profile_id = doc.add_object(profile_stream::compressed_profile(opts.profile)?);
    let condition = opts.output_condition.trim();
    let info_text = if condition.is_empty() { oci } else { condition };
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFX".to_vec()));
    intent.set("OutputConditionIdentifier", text(oci));
    intent.set("OutputCondition", text(info_text));
    intent.set("RegistryName", text(ICC_REGISTRY));
    intent.set("Info", text(info_text));
    intent.set("DestOutputProfile", profile_id);
    let intent_id = doc.add_object(intent);

    // XMP packet, uncompressed so that file-level tools can find it.
    let xmp = xmp::packet(opts, title, &date, &ids, &carried);
    let mut xmp_dict = Dictionary::new();
    xmp_dict.set("Type", Object::Name(b"Metadata".to_vec()));
    xmp_dict.set("Subtype", Object::Name(b"XML".to_vec()));
    let metadata_id = doc.add_object(Stream::new(xmp_dict, xmp.into_bytes()).with_compression(false));

    {
        let catalog = doc.get_dictionary_mut(root_id).map_err(|_| PdfxError::NoCatalog)?;
        catalog.set("Metadata", metadata_id);
        catalog.set("OutputIntents", vec![Object::Reference(intent_id)]);
    }

    let info_id = doc.add_object(info::info_dictionary(opts, title, &date, &carried));
    doc.trailer.set("Info", info_id);
    doc.trailer.set(
        "ID",
        vec![
            Object::String(ids.document.to_vec(), StringFormat::Hexadecimal),
            Object::String(ids.instance.to_vec(), StringFormat::Hexadecimal),
        ],
    );

    if opts.gwg {
        preflight::check_gwg(&doc)?;
    }
    doc.version = flavour.pdf_version().to_string();
    doc.binary_mark = vec![0xE2, 0xE3, 0xCF, 0xD3];
    doc.reference_table.cross_reference_type = XrefType::CrossReferenceTable;
    let mut out = Vec::with_capacity(input_len + opts.profile.len() + 8192);
    doc.save_to(&mut out).map_err(|e| PdfxError::Write(e.to_string()))?;
    Ok(out)
}

/// `"1.6"` → `(1, 6)`.
fn parse_version(v: &str) -> Option<(u32, u32)> {
    let (major, minor) = v.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

fn is_name(obj: &Object, name: &[u8]) -> bool {
    matches!(obj, Object::Name(n) if n == name)
}
