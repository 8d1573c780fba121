//! PDF/X finishing pass: turns a PDF written by krilla into PDF/X-4 (the print default) or
//! PDF/X-1a:2003, deterministically.
//!
//! krilla has no PDF/X mode, so the print exporter lets krilla write an ordinary PDF (with
//! [`krilla_settings`]) and hands the bytes to [`finish`], which with lopdf:
//!
//! - rejects what it cannot repair and what would make the PDF/X claim false: encryption, pages
//!   without a TrimBox (or ArtBox) or with boxes that do not nest, annotations with actions or
//!   inside the BleedBox, plain RGB colour under the CMYK output intent, transfer functions, LZW,
//!   and for X-1a transparency and ICC-based, Lab or calibrated colour;
//! - repairs what krilla adds on its own: transparency groups (krilla writes one for isolated
//!   groups and soft masks) get the blending space `/DeviceCMYK` instead of `/DeviceRGB`;
//! - replaces krilla's document information dictionary, XMP metadata, output intents and file
//!   identifier with its own: `GTS_PDFXVersion`, `Trapped`, equal dates in Info and XMP,
//!   `pdfxid:GTS_PDFXVersion`, `xmpMM` ids, and exactly one `GTS_PDFX` output intent with the
//!   embedded CMYK output profile;
//! - writes `%PDF-1.6` or `%PDF-1.4` with a classic cross-reference table and no object
//!   streams (X-1a).
//!
//! The output depends only on the input bytes and the options: there is no clock and no random
//! id. The file identifier and the XMP ids come from a SHA-256 hash (first 128 bits) of the title,
//! the date, the options and the input PDF, and objects are numbered in the order of the input.
//!
//! Author, Subject and Keywords that krilla wrote from its `Metadata` are carried over into both
//! the Info dictionary and the XMP packet (`dc:creator`, `dc:description`, `pdf:Keywords`).

use krilla::SerializeSettings;
use krilla::configure::{ConfigurationBuilder, PdfVersion};
use lopdf::xref::XrefType;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

/// Which PDF/X flavour to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfxFlavour {
    /// PDF/X-4 (ISO 15930-7): PDF 1.6, transparency and ICC-based colour allowed. The default.
    #[default]
    X4,
    /// PDF/X-1a:2003 (ISO 15930-4): PDF 1.4, CMYK/gray/separation only, no transparency.
    X1a2003,
}

impl PdfxFlavour {
    /// The value of `GTS_PDFXVersion`.
    fn version_name(self) -> &'static str {
        match self {
            PdfxFlavour::X4 => "PDF/X-4",
            PdfxFlavour::X1a2003 => "PDF/X-1a:2003",
        }
    }

    /// The version in the file header.
    fn pdf_version(self) -> &'static str {
        match self {
            PdfxFlavour::X4 => "1.6",
            PdfxFlavour::X1a2003 => "1.4",
        }
    }

    /// Lower-case name for messages.
    fn label(self) -> &'static str {
        match self {
            PdfxFlavour::X4 => "pdf/x-4",
            PdfxFlavour::X1a2003 => "pdf/x-1a:2003",
        }
    }
}

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
pub fn krilla_settings(flavour: PdfxFlavour) -> SerializeSettings {
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

/// Checks that `profile` is an ICC output (class `prtr`) profile with colour space CMYK; returns a
/// short lower-case reason otherwise (e.g. "profile class is `mntr`, a print run needs a CMYK output (prtr) profile").
///
/// # Errors
///
/// When the bytes are not an ICC profile (too short, no `acsp` signature, truncated), or the
/// profile is not of class `prtr` with colour space `CMYK`.
pub fn check_output_profile(profile: &[u8]) -> Result<(), String> {
    let header = IccHeader::parse(profile)?;
    if &header.class != b"prtr" {
        return Err(format!(
            "profile class is `{}`, a print run needs a CMYK output (prtr) profile",
            signature(header.class)
        ));
    }
    if &header.space != b"CMYK" {
        return Err(format!(
            "profile colour space is `{}`, a print run needs a CMYK output (prtr) profile",
            signature(header.space)
        ));
    }
    Ok(())
}

/// Applies the pass. Errors are short lower-case strings.
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
pub fn finish(pdf: &[u8], opts: &PdfxOptions) -> Result<Vec<u8>, String> {
    let flavour = opts.flavour;
    let title = opts.title.trim();
    if title.is_empty() {
        return Err("pdf/x needs a document title; the title is empty".into());
    }
    let oci = opts.output_condition_identifier.trim();
    if oci.is_empty() {
        return Err("the output intent needs an output condition identifier (e.g. `FOGRA39`)".into());
    }
    check_output_profile(opts.profile)?;
    let icc = IccHeader::parse(opts.profile)?;
    match flavour {
        PdfxFlavour::X1a2003 if icc.major != 2 => {
            return Err(format!(
                "pdf/x-1a:2003 needs an icc version 2 output profile, this one is version {}.{}",
                icc.major, icc.minor
            ));
        }
        PdfxFlavour::X4 if !(2..=4).contains(&icc.major) => {
            return Err(format!(
                "pdf/x-4 needs an icc version 2 or 4 output profile, this one is version {}.{}",
                icc.major, icc.minor
            ));
        }
        _ => {}
    }
    let date = Stamp::from_epoch(opts.date_epoch)?;
    let ids = Ids::new(pdf, opts);

    let mut doc = Document::load_mem(pdf).map_err(|e| format!("cannot read the pdf: {e}"))?;
    if doc.is_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err("the pdf is encrypted; pdf/x forbids encryption".into());
    }
    // Only the header is rewritten, so the body must already keep to the older version's limits.
    let written = parse_version(&doc.version);
    if written.is_none_or(|v| v > parse_version(flavour.pdf_version()).unwrap_or((1, 4))) {
        return Err(format!(
            "the pdf was written as pdf {}, {} needs pdf {} or older; write it with `krilla_settings`",
            doc.version,
            flavour.label(),
            flavour.pdf_version()
        ));
    }
    let root_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| "the pdf has no document catalog".to_string())?;
    let carried = Carried::from_info(&doc);

    // Drop what this pass writes itself: krilla's XMP packet, any output intents (krilla writes
    // an sRGB one for PDF/A), a catalog /Version that could contradict the header, the old Info
    // dictionary and file id (a fresh trailer), and everything only they referenced.
    {
        let catalog = doc.get_dictionary_mut(root_id).map_err(|_| "the pdf has no document catalog".to_string())?;
        catalog.remove(b"Metadata");
        catalog.remove(b"OutputIntents");
        catalog.remove(b"Version");
    }
    let mut trailer = Dictionary::new();
    trailer.set("Root", root_id);
    doc.trailer = trailer;
    doc.prune_objects();

    if flavour == PdfxFlavour::X4 {
        rgb_groups_to_cmyk(&mut doc);
    }
    check_document(&doc, flavour)?;

    doc.renumber_objects();
    let root_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| "the pdf has no document catalog".to_string())?;

    // Output intent with the embedded profile.
    let profile_id = doc.add_object(compressed_profile(opts.profile)?);
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
    let xmp = xmp_packet(opts, title, &date, &ids, &carried);
    let mut xmp_dict = Dictionary::new();
    xmp_dict.set("Type", Object::Name(b"Metadata".to_vec()));
    xmp_dict.set("Subtype", Object::Name(b"XML".to_vec()));
    let metadata_id = doc.add_object(Stream::new(xmp_dict, xmp.into_bytes()).with_compression(false));

    {
        let catalog = doc.get_dictionary_mut(root_id).map_err(|_| "the pdf has no document catalog".to_string())?;
        catalog.set("Metadata", metadata_id);
        catalog.set("OutputIntents", vec![Object::Reference(intent_id)]);
    }

    // Document information dictionary.
    let mut info = Dictionary::new();
    info.set("Title", text(title));
    if let Some(author) = &carried.author {
        info.set("Author", text(author));
    }
    if let Some(subject) = &carried.subject {
        info.set("Subject", text(subject));
    }
    if let Some(keywords) = &carried.keywords {
        info.set("Keywords", text(keywords));
    }
    info.set("Creator", text(opts.creator));
    info.set("Producer", text(PRODUCER));
    info.set("CreationDate", text(&date.pdf()));
    info.set("ModDate", text(&date.pdf()));
    info.set("Trapped", Object::Name(trapped_name(opts.trapped).as_bytes().to_vec()));
    info.set("GTS_PDFXVersion", text(flavour.version_name()));
    let info_id = doc.add_object(info);

    doc.trailer.set("Info", info_id);
    doc.trailer.set(
        "ID",
        vec![
            Object::String(ids.document.to_vec(), StringFormat::Hexadecimal),
            Object::String(ids.instance.to_vec(), StringFormat::Hexadecimal),
        ],
    );

    doc.version = flavour.pdf_version().to_string();
    doc.binary_mark = vec![0xE2, 0xE3, 0xCF, 0xD3];
    doc.reference_table.cross_reference_type = XrefType::CrossReferenceTable;
    let mut out = Vec::with_capacity(pdf.len() + opts.profile.len() + 8192);
    doc.save_to(&mut out).map_err(|e| format!("cannot write the pdf: {e}"))?;
    Ok(out)
}

/// `"1.6"` → `(1, 6)`.
fn parse_version(v: &str) -> Option<(u32, u32)> {
    let (major, minor) = v.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

// ---------------------------------------------------------------------------------------------
// ICC header

/// The fields of an ICC profile header that the pass looks at.
struct IccHeader {
    major: u8,
    minor: u8,
    class: [u8; 4],
    space: [u8; 4],
}

impl IccHeader {
    fn parse(data: &[u8]) -> Result<Self, String> {
        if data.len() < 128 {
            return Err(format!("not an icc profile: {} bytes, shorter than the 128-byte header", data.len()));
        }
        if &data[36..40] != b"acsp" {
            return Err("not an icc profile: no `acsp` signature in the header".into());
        }
        let declared = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as usize;
        if declared > data.len() {
            return Err(format!(
                "the icc profile is truncated: its header says {declared} bytes, the file has {}",
                data.len()
            ));
        }
        let sig = |at: usize| [data[at], data[at + 1], data[at + 2], data[at + 3]];
        Ok(IccHeader { major: data[8], minor: data[9] >> 4, class: sig(12), space: sig(16) })
    }
}

/// A four-byte ICC signature for a message (trailing spaces dropped).
fn signature(sig: [u8; 4]) -> String {
    sig.iter()
        .map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '?' })
        .collect::<String>()
        .trim_end()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Dates, ids, text

/// A UTC date and time, from seconds since the epoch.
struct Stamp {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Stamp {
    fn from_epoch(epoch: i64) -> Result<Self, String> {
        // 0001-01-01T00:00:00Z ..= 9999-12-31T23:59:59Z: four-digit years only.
        if !(-62_135_596_800..=253_402_300_799).contains(&epoch) {
            return Err(format!("date {epoch} (seconds since 1970) is outside the years 1 to 9999"));
        }
        let days = epoch.div_euclid(86_400);
        let secs = epoch.rem_euclid(86_400);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Ok(Stamp {
            year,
            month: month as u32,
            day: day as u32,
            hour: (secs / 3600) as u32,
            minute: (secs / 60 % 60) as u32,
            second: (secs % 60) as u32,
        })
    }

    /// `D:YYYYMMDDHHmmSS+00'00'`
    fn pdf(&self) -> String {
        format!(
            "D:{:04}{:02}{:02}{:02}{:02}{:02}+00'00'",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `YYYY-MM-DDTHH:mm:SS+00:00`
    fn xmp(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// The hash behind the file identifiers: SHA-256 (hardware-accelerated where the CPU has it; the
/// whole PDF and the output profile go through it for every file), first 16 bytes.
struct IdHash(sha2::Sha256);

impl IdHash {
    fn new() -> Self {
        use sha2::Digest;
        IdHash(sha2::Sha256::new())
    }

    fn bytes(&mut self, data: &[u8]) {
        use sha2::Digest;
        self.0.update(data);
    }

    /// A length-prefixed field, so that ("ab", "c") and ("a", "bc") differ.
    fn field(&mut self, data: &[u8]) {
        self.bytes(&(data.len() as u64).to_le_bytes());
        self.bytes(data);
    }

    fn finish(self) -> [u8; 16] {
        use sha2::Digest;
        let d = self.0.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&d[..16]);
        out
    }
}

/// The two file identifiers: trailer `/ID` and XMP `xmpMM:DocumentID` / `InstanceID`.
struct Ids {
    /// Permanent id: title, date and the input PDF.
    document: [u8; 16],
    /// This rendition: additionally the flavour, output condition, profile and the other options.
    instance: [u8; 16],
}

impl Ids {
    fn new(pdf: &[u8], opts: &PdfxOptions) -> Self {
        let mut input = IdHash::new();
        input.bytes(pdf);
        let input = input.finish();

        let mut document = IdHash::new();
        document.field(b"tryksag pdfx document");
        document.field(opts.title.trim().as_bytes());
        document.field(&opts.date_epoch.to_le_bytes());
        document.field(&input);

        let mut profile = IdHash::new();
        profile.bytes(opts.profile);
        let mut instance = IdHash::new();
        instance.field(b"tryksag pdfx instance");
        instance.field(opts.title.trim().as_bytes());
        instance.field(&opts.date_epoch.to_le_bytes());
        instance.field(&input);
        instance.field(opts.flavour.version_name().as_bytes());
        instance.field(opts.output_condition_identifier.as_bytes());
        instance.field(opts.output_condition.as_bytes());
        instance.field(&profile.finish());
        instance.field(&[u8::from(opts.trapped)]);
        instance.field(opts.creator.as_bytes());

        Ids { document: document.finish(), instance: instance.finish() }
    }
}

/// `uuid:xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx`: an RFC 9562 version 8 (custom) UUID from a hash.
fn uuid(hash: &[u8; 16]) -> String {
    let mut b = *hash;
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("uuid:{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// A PDF text string: literal if ASCII, else UTF-16BE with a byte order mark.
fn text(s: &str) -> Object {
    lopdf::text_string(s)
}

fn trapped_name(trapped: bool) -> &'static str {
    if trapped { "True" } else { "False" }
}

/// Info entries that krilla wrote from its `Metadata` and that the pass keeps.
#[derive(Default)]
struct Carried {
    author: Option<String>,
    subject: Option<String>,
    keywords: Option<String>,
}

impl Carried {
    fn from_info(doc: &Document) -> Self {
        let Some(info) =
            doc.trailer.get(b"Info").ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok())
        else {
            return Carried::default();
        };
        let get = |key: &[u8]| {
            info.get(key)
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| lopdf::decode_text_string(o).ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        Carried { author: get(b"Author"), subject: get(b"Subject"), keywords: get(b"Keywords") }
    }
}

/// Escapes XML text; drops characters XML 1.0 does not allow.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The XMP packet (UTF-8, with 2 KB of padding for in-place edits by later tools).
///
/// X-4 identifies itself with `pdfxid:GTS_PDFXVersion` (ISO 15930-7); X-1a:2003 predates that
/// namespace and uses Adobe's `pdfx:GTS_PDFXVersion`, as Acrobat writes it.
fn xmp_packet(opts: &PdfxOptions, title: &str, date: &Stamp, ids: &Ids, carried: &Carried) -> String {
    let (pdfx_ns, pdfx_id) = match opts.flavour {
        PdfxFlavour::X4 => (
            "xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\"",
            "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>",
        ),
        PdfxFlavour::X1a2003 => (
            "xmlns:pdfx=\"http://ns.adobe.com/pdfx/1.3/\"",
            "<pdfx:GTS_PDFXVersion>PDF/X-1a:2003</pdfx:GTS_PDFXVersion>",
        ),
    };
    let mut optional = String::new();
    if let Some(author) = &carried.author {
        optional += &format!("   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n", xml(author));
    }
    if let Some(subject) = &carried.subject {
        optional += &format!(
            "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            xml(subject)
        );
    }
    if let Some(keywords) = &carried.keywords {
        optional += &format!("   <pdf:Keywords>{}</pdf:Keywords>\n", xml(keywords));
    }
    let padding = format!("{}\n", " ".repeat(99)).repeat(20);
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">
  <rdf:Description rdf:about=\"\"
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"
    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"
    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"
    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"
    {pdfx_ns}>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>
{optional}   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdf:Trapped>{trapped}</pdf:Trapped>
   <xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{instance_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   {pdfx_id}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
{padding}<?xpacket end=\"w\"?>",
        title = xml(title),
        date = date.xmp(),
        creator = xml(opts.creator),
        producer = xml(PRODUCER),
        trapped = trapped_name(opts.trapped),
        document_id = uuid(&ids.document),
        instance_id = uuid(&ids.instance),
    )
}

// ---------------------------------------------------------------------------------------------
// Repairs and checks

fn is_name(obj: &Object, name: &[u8]) -> bool {
    matches!(obj, Object::Name(n) if n == name)
}

/// krilla gives every transparency group (isolated groups, soft masks) the blending space
/// `/DeviceRGB`, which PDF/X forbids under a CMYK output intent; blend in `/DeviceCMYK` instead.
fn rgb_groups_to_cmyk(doc: &mut Document) {
    fn visit(obj: &mut Object) {
        match obj {
            Object::Dictionary(d) => visit_dict(d),
            Object::Stream(s) => visit_dict(&mut s.dict),
            Object::Array(a) => a.iter_mut().for_each(visit),
            _ => {}
        }
    }
    fn visit_dict(d: &mut Dictionary) {
        let is_group = d.get(b"S").is_ok_and(|s| is_name(s, b"Transparency"));
        if is_group && d.get(b"CS").is_ok_and(|cs| is_name(cs, b"DeviceRGB")) {
            d.set("CS", Object::Name(b"DeviceCMYK".to_vec()));
        }
        for (_, v) in d.iter_mut() {
            visit(v);
        }
    }
    for obj in doc.objects.values_mut() {
        visit(obj);
    }
}

/// Collects what makes the document not PDF/X; reports the first few problems.
struct Checker<'a> {
    doc: &'a Document,
    flavour: PdfxFlavour,
    problems: Vec<String>,
}

fn check_document(doc: &Document, flavour: PdfxFlavour) -> Result<(), String> {
    let mut c = Checker { doc, flavour, problems: Vec::new() };
    // Page-level findings first: "page 3 paints in devicergb" says more than an object number.
    c.catalog();
    c.pages();
    c.content_streams();
    for (&id, obj) in &doc.objects {
        c.object(id, obj, None);
    }
    if c.problems.is_empty() {
        return Ok(());
    }
    let mut seen = std::collections::BTreeSet::new();
    let unique: Vec<&String> = c.problems.iter().filter(|p| seen.insert(*p)).collect();
    let mut msg = unique[0].clone();
    if unique.len() > 1 {
        msg.push_str(&format!(" (and {} more problem{})", unique.len() - 1, if unique.len() == 2 { "" } else { "s" }));
    }
    Err(msg)
}

impl<'a> Checker<'a> {
    fn problem(&mut self, msg: String) {
        self.problems.push(msg);
    }

    fn deref(&self, obj: &'a Object) -> &'a Object {
        let doc: &'a Document = self.doc;
        doc.dereference(obj).map(|(_, o)| o).unwrap_or(obj)
    }

    fn dict(&self, obj: &'a Object) -> Option<&'a Dictionary> {
        match self.deref(obj) {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    fn catalog(&mut self) {
        let doc: &'a Document = self.doc;
        let Ok(cat) = doc.catalog() else { return };
        let label = self.flavour.label();
        if cat.has(b"AA") {
            self.problem(format!("the document has actions (/AA); {label} forbids them"));
        }
        if let Some(oa) = cat.get(b"OpenAction").ok().and_then(|o| self.dict(o))
            && oa.has(b"S")
        {
            self.problem(format!("the document has an open action; {label} forbids actions"));
        }
        if let Some(names) = cat.get(b"Names").ok().and_then(|o| self.dict(o)) {
            if names.has(b"JavaScript") {
                self.problem(format!("the document has javascript; {label} forbids it"));
            }
            if names.has(b"EmbeddedFiles") {
                self.problem(format!("the document has embedded files; {label} forbids them"));
            }
        }
        if self.flavour == PdfxFlavour::X1a2003 && cat.has(b"OCProperties") {
            self.problem("the document has optional content (layers); pdf/x-1a forbids it".into());
        }
    }

    fn rect(&self, obj: &'a Object) -> Option<[f32; 4]> {
        let Object::Array(a) = self.deref(obj) else {
            return None;
        };
        if a.len() != 4 {
            return None;
        }
        let mut v = [0.0f32; 4];
        for (slot, item) in v.iter_mut().zip(a) {
            *slot = self.deref(item).as_float().ok()?;
        }
        Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
    }

    /// A page box, following /Parent for the inheritable MediaBox and CropBox.
    fn page_box(&self, page: &'a Dictionary, key: &[u8], inheritable: bool) -> Option<[f32; 4]> {
        let mut node = page;
        for _ in 0..64 {
            if let Ok(v) = node.get(key) {
                return self.rect(v);
            }
            if !inheritable {
                return None;
            }
            node = node.get(b"Parent").ok().and_then(|p| self.dict(p))?;
        }
        None
    }

    fn pages(&mut self) {
        const EPS: f32 = 0.01;
        let inside = |a: [f32; 4], b: [f32; 4]| {
            a[0] >= b[0] - EPS && a[1] >= b[1] - EPS && a[2] <= b[2] + EPS && a[3] <= b[3] + EPS
        };
        let overlaps = |a: [f32; 4], b: [f32; 4]| !(a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1]);
        let label = self.flavour.label();
        let doc: &'a Document = self.doc;
        for (n, page_id) in doc.get_pages() {
            let Ok(page) = doc.get_dictionary(page_id) else {
                continue;
            };
            let media = self.page_box(page, b"MediaBox", true);
            let crop = self.page_box(page, b"CropBox", true);
            let bleed = self.page_box(page, b"BleedBox", false);
            let trim = self.page_box(page, b"TrimBox", false);
            let art = self.page_box(page, b"ArtBox", false);
            let Some(media) = media else {
                self.problem(format!("page {n} has no mediabox"));
                continue;
            };
            match (trim, art) {
                (None, None) => {
                    self.problem(format!("page {n} has no trimbox; {label} needs one (or an artbox) on every page"))
                }
                (Some(_), Some(_)) => {
                    self.problem(format!("page {n} has both a trimbox and an artbox; {label} allows only one"))
                }
                _ => {}
            }
            let inner = trim.or(art);
            let chain = [("trimbox", inner), ("bleedbox", bleed), ("cropbox", crop), ("mediabox", Some(media))];
            let chain: Vec<(&str, [f32; 4])> = chain.into_iter().filter_map(|(name, b)| b.map(|b| (name, b))).collect();
            for pair in chain.windows(2) {
                if !inside(pair[0].1, pair[1].1) {
                    self.problem(format!("page {n}: the {} is not inside the {}", pair[0].0, pair[1].0));
                }
            }
            if page.has(b"AA") {
                self.problem(format!("page {n} has actions (/AA); {label} forbids them"));
            }
            let limit = bleed.or(inner);
            if let Ok(Object::Array(annots)) = page.get(b"Annots").map(|a| self.deref(a)) {
                for annot in annots {
                    let Some(a) = self.dict(annot) else { continue };
                    let subtype = a
                        .get(b"Subtype")
                        .ok()
                        .and_then(|s| s.as_name().ok())
                        .map(|s| String::from_utf8_lossy(s).to_lowercase())
                        .unwrap_or_else(|| "unknown".into());
                    if a.has(b"A") || a.has(b"AA") {
                        self.problem(format!(
                            "page {n} has a {subtype} annotation with an action; {label} forbids actions"
                        ));
                    }
                    let rect = a.get(b"Rect").ok().and_then(|r| self.rect(r));
                    let Some(rect) = rect.filter(|r| r[2] > r[0] && r[3] > r[1]) else {
                        continue;
                    };
                    match subtype.as_str() {
                        "trapnet" => {}
                        "printermark" => {
                            if inner.is_some_and(|i| overlaps(rect, i)) {
                                self.problem(format!("page {n} has a printer's mark annotation inside the trimbox"));
                            }
                        }
                        _ => {
                            if limit.is_some_and(|l| overlaps(rect, l)) {
                                self.problem(format!(
                                    "page {n} has a {subtype} annotation inside the bleedbox; {label} forbids that"
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Colour spaces, transparency, transfer functions and filters in an object's dictionaries.
    fn object(&mut self, id: ObjectId, obj: &Object, key: Option<&[u8]>) {
        let at = || format!("object {}", id.0);
        let label = self.flavour.label();
        match obj {
            Object::Name(n) if n == b"DeviceRGB" && key != Some(b"Alternate") => {
                self.problem(format!(
                    "{} uses devicergb; {label} allows no plain rgb under a cmyk output intent (convert to cmyk)",
                    at()
                ));
            }
            Object::Array(a) => {
                if self.flavour == PdfxFlavour::X1a2003
                    && let Some(Object::Name(first)) = a.first()
                    && matches!(first.as_slice(), b"ICCBased" | b"Lab" | b"CalRGB" | b"CalGray")
                {
                    self.problem(format!(
                        "{} uses a {} colour space; pdf/x-1a allows only cmyk, gray and separations",
                        at(),
                        String::from_utf8_lossy(first).to_lowercase()
                    ));
                }
                for item in a {
                    self.object(id, item, None);
                }
            }
            Object::Dictionary(d) => self.dictionary(id, d),
            Object::Stream(s) => {
                self.dictionary(id, &s.dict);
                self.filters(id, &s.dict);
            }
            _ => {}
        }
    }

    fn dictionary(&mut self, id: ObjectId, d: &Dictionary) {
        let at = format!("object {}", id.0);
        let label = self.flavour.label();
        if d.has(b"TR") {
            self.problem(format!("{at} sets a transfer function; {label} forbids them"));
        }
        if let Ok(tr2) = d.get(b"TR2")
            && !is_name(tr2, b"Default")
        {
            self.problem(format!("{at} sets a transfer function (tr2); {label} forbids them"));
        }
        if d.has(b"HTP") {
            self.problem(format!("{at} sets a halftone phase; {label} forbids it"));
        }
        if self.flavour == PdfxFlavour::X1a2003 {
            let transparency =
                |what: &str| format!("{at} uses transparency ({what}); pdf/x-1a forbids it, use pdf/x-4");
            for key in [&b"CA"[..], b"ca"] {
                if let Ok(v) = d.get(key).and_then(Object::as_float)
                    && v != 1.0
                {
                    self.problem(transparency("opacity"));
                }
            }
            if let Ok(sm) = d.get(b"SMask")
                && !is_name(sm, b"None")
            {
                self.problem(transparency("soft mask"));
            }
            if let Ok(bm) = d.get(b"BM") {
                let mode = match bm {
                    Object::Array(a) => a.first(),
                    other => Some(other),
                };
                if !mode.is_some_and(|m| is_name(m, b"Normal") || is_name(m, b"Compatible")) {
                    self.problem(transparency("blend mode"));
                }
            }
            if d.get(b"SMaskInData").and_then(Object::as_i64).is_ok_and(|v| v != 0) {
                self.problem(transparency("soft mask in image data"));
            }
            if d.get(b"S").is_ok_and(|s| is_name(s, b"Transparency")) {
                self.problem(transparency("transparency group"));
            }
        }
        for (k, v) in d.iter() {
            self.object(id, v, Some(k));
        }
    }

    fn filters(&mut self, id: ObjectId, d: &Dictionary) {
        let names: Vec<Vec<u8>> = match d.get(b"Filter").map(|f| self.deref(f)) {
            Ok(Object::Name(n)) => vec![n.clone()],
            Ok(Object::Array(a)) => a.iter().filter_map(|f| f.as_name().ok().map(<[u8]>::to_vec)).collect(),
            _ => Vec::new(),
        };
        let label = self.flavour.label();
        for f in names {
            let bad = match f.as_slice() {
                b"LZWDecode" | b"Crypt" => true,
                b"JPXDecode" | b"JBIG2Decode" => self.flavour == PdfxFlavour::X1a2003,
                _ => false,
            };
            if bad {
                self.problem(format!(
                    "object {} uses the {} filter; {label} forbids it",
                    id.0,
                    String::from_utf8_lossy(&f).to_lowercase()
                ));
            }
        }
        if d.has(b"F") {
            self.problem(format!("object {} refers to an external file; {label} forbids that", id.0));
        }
    }

    /// Device colour set by operators inside content streams (`rg`, `RG`, `/DeviceRGB cs`).
    fn content_streams(&mut self) {
        let mut streams: Vec<(String, ObjectId)> = Vec::new();
        for (n, page_id) in self.doc.get_pages() {
            for content in self.doc.get_page_contents(page_id) {
                streams.push((format!("page {n}"), content));
            }
        }
        for (&id, obj) in &self.doc.objects {
            let Object::Stream(s) = obj else {
                if let Object::Dictionary(d) = obj
                    && d.get(b"Subtype").is_ok_and(|s| is_name(s, b"Type3"))
                {
                    // krilla draws glyphs it cannot embed as outlines (no glyf/CFF, colour or
                    // bitmap glyphs) as a Type 3 font: blank or RGB text on a press. FontBook
                    // refuses such fonts at load; this is the last line.
                    self.problem(format!(
                        "object {} is a type 3 font (glyphs drawn as graphics); print files need embedded outline fonts",
                        id.0
                    ));
                }
                if let Object::Dictionary(d) = obj
                    && d.get(b"Subtype").is_ok_and(|s| is_name(s, b"Type3"))
                    && let Some(procs) = d.get(b"CharProcs").ok().and_then(|p| self.dict(p))
                {
                    for (_, p) in procs.iter() {
                        if let Ok(r) = p.as_reference() {
                            streams.push((format!("object {}", r.0), r));
                        }
                    }
                }
                continue;
            };
            let form = s.dict.get(b"Subtype").is_ok_and(|t| is_name(t, b"Form"));
            let tiling = s.dict.get(b"PatternType").and_then(Object::as_i64).is_ok_and(|t| t == 1);
            if form || tiling {
                streams.push((format!("object {}", id.0), id));
            }
        }
        let label = self.flavour.label();
        // Inflating and scanning every content stream is most of this pass: do it in parallel.
        use rayon::prelude::*;
        let doc = self.doc;
        let rgb: Vec<bool> = streams
            .par_iter()
            .map(|(_, id)| match doc.get_object(*id) {
                // Best effort: a stream lopdf cannot decode is left to outside checkers.
                Ok(Object::Stream(s)) => s.decompressed_content().is_ok_and(|data| paints_rgb(&data)),
                _ => false,
            })
            .collect();
        for ((place, _), rgb) in streams.iter().zip(rgb) {
            if rgb {
                self.problem(format!(
                    "{place} paints in devicergb; {label} allows no plain rgb under a cmyk output intent (convert to cmyk)"
                ));
            }
        }
    }
}

/// The output profile as a Flate-compressed ICC stream. Each distinct profile is compressed once
/// per process, at a fast level: ICC tables barely compress (FOGRA39: 654 KB → 487 KB at level 1,
/// 484 KB at level 9, which takes three times as long). [`warm_profile`] does it ahead of time.
fn compressed_profile(profile: &[u8]) -> Result<Stream, String> {
    use std::io::Write;
    static CACHE: super::PerProfile<std::sync::Arc<Stream>> = super::PerProfile::new();
    let stream = CACHE.get_or_make(profile, || {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let data = z
            .write_all(profile)
            .and_then(|()| z.finish())
            .map_err(|e| format!("cannot compress the output profile: {e}"))?;
        let mut dict = Dictionary::new();
        dict.set("N", 4);
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        Ok(std::sync::Arc::new(Stream::new(dict, data).with_compression(false)))
    })?;
    Ok(Stream::clone(&stream))
}

/// Compresses `profile` for later [`finish`] calls now (e.g. on another thread while pages are
/// laid out), so the finishing pass does not wait for it.
pub fn warm_profile(profile: &[u8]) {
    let _ = compressed_profile(profile);
}

/// Whether a content stream sets plain RGB colour (`rg`, `RG`, or `/DeviceRGB cs|CS`).
///
/// A fast tokenizer instead of a full content parse (which took a third of a large build):
/// strings, hex strings, comments and inline image data are skipped, operators are compared.
fn paints_rgb(data: &[u8]) -> bool {
    // Byte classes from a table: this loop sees every byte of every page.
    const WS: u8 = 1;
    const DELIM: u8 = 2;
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let ws = b" \n\r\t\x0c\0";
        let mut k = 0;
        while k < ws.len() {
            t[ws[k] as usize] = WS;
            k += 1;
        }
        let delim = b"()<>[]{}/%";
        k = 0;
        while k < delim.len() {
            t[delim[k] as usize] = DELIM;
            k += 1;
        }
        t
    };
    let is_ws = |b: u8| CLASS[b as usize] == WS;
    let (mut i, n) = (0, data.len());
    let mut prev: &[u8] = b"";
    while i < n {
        let b = data[i];
        if is_ws(b) {
            i += 1;
            continue;
        }
        match b {
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                // Literal strings (every glyph run is one) may nest and escape. Glyph ids are
                // written with an escape every few bytes, so a plain byte loop beats memchr here.
                let mut depth = 0;
                while i < n {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i = (i + 1).min(n);
                prev = b"";
            }
            b'<' if data.get(i + 1) != Some(&b'<') => {
                i = data[i..].iter().position(|&b| b == b'>').map_or(n, |k| i + k + 1);
                prev = b"";
            }
            b'<' | b'>' => i += 2,
            b'[' | b']' | b'{' | b'}' | b')' => i += 1,
            _ => {
                let start = i;
                i += 1;
                // Up to the next white space or delimiter (`i > start` here, so a delimiter ends it).
                while i < n && CLASS[data[i] as usize] == 0 {
                    i += 1;
                }
                let tok = &data[start..i];
                match tok {
                    b"rg" | b"RG" => return true,
                    b"cs" | b"CS" if prev == b"/DeviceRGB" => return true,
                    // Inline image data is binary: jump to its end.
                    b"ID" => {
                        while i + 2 < n && !(is_ws(data[i]) && &data[i + 1..i + 3] == b"EI") {
                            i += 1;
                        }
                        i += 3;
                    }
                    _ => {}
                }
                prev = tok;
            }
        }
    }
    false
}

#[cfg(test)]
mod scan_tests {
    use super::paints_rgb;

    #[test]
    fn finds_rgb_operators_and_ignores_strings() {
        assert!(paints_rgb(b"q 1 0 0 rg 0 0 10 10 re f Q"));
        assert!(paints_rgb(b"0.5 0.2 0.1 RG"));
        assert!(paints_rgb(b"/DeviceRGB cs 1 0 0 sc"));
        assert!(!paints_rgb(b"0 0 0 1 k (rg RG) Tj <7267> Tj % rg\n/Cs0 cs 1 scn"));
        assert!(!paints_rgb(b"q /F1 12 Tf [<0001>-80<0002>] TJ Q"));
        assert!(!paints_rgb(b"<< /MCID 3 >> BDC EMC 0 0 0 1 K"));
        // Nested and escaped parentheses stay inside the string; what follows is read again.
        assert!(!paints_rgb(b"(a (b) \\) rg) Tj 0 0 0 1 k"));
        assert!(paints_rgb(b"(a (b) \\) c) Tj 1 0 0 rg"));
        // Unterminated strings and hex strings, or a trailing escape, end the scan quietly.
        assert!(!paints_rgb(b"(never closed rg"));
        assert!(!paints_rgb(b"<0012 rg"));
        assert!(!paints_rgb(b"(ends in escape \\"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use krilla::Document as KrillaDocument;
    use krilla::color::{cmyk, rgb};
    use krilla::geom::{PathBuilder, Point, Rect};
    use krilla::metadata::Metadata;
    use krilla::num::NormalizedF32;
    use krilla::page::PageSettings;
    use krilla::paint::{Fill, FillRule};
    use krilla::text::{Font, GlyphId, KrillaGlyph};
    use read_fonts::{FontRef, TableProvider};

    const FOGRA39: &[u8] = include_bytes!("../../layouts/profiles/CoatedFOGRA39.icc");
    const FONT: &[u8] = include_bytes!("../../fonts/AtkinsonHyperlegibleNext/AtkinsonHyperlegibleNext_400Regular.ttf");
    const MM: f32 = 72.0 / 25.4;
    /// 2026-03-01T12:34:56Z
    const DATE: i64 = 1_772_368_496;

    /// What the test page draws.
    #[derive(Clone, Copy, PartialEq)]
    enum Art {
        Cmyk,
        Rgb,
        IsolatedGroup,
    }

    /// One 63×88 mm card with 3 mm bleed: a 69×94 mm page, TrimBox and BleedBox set.
    fn card(flavour: PdfxFlavour, art: Art) -> Vec<u8> {
        let mut doc = KrillaDocument::new_with(krilla_settings(flavour));
        doc.set_metadata(Metadata::new().title("krilla's own title".into()).authors(vec!["Æble Ørn".into()]));
        let (w, h) = (69.0 * MM, 94.0 * MM);
        let settings = PageSettings::from_wh(w, h)
            .unwrap()
            .with_bleed_box(Rect::from_xywh(0.0, 0.0, w, h))
            .with_trim_box(Rect::from_xywh(3.0 * MM, 3.0 * MM, 63.0 * MM, 88.0 * MM));
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        if art == Art::IsolatedGroup {
            surface.push_isolated();
        }
        let paint = match art {
            Art::Rgb => rgb::Color::new(200, 30, 30).into(),
            _ => cmyk::Color::new(0, 128, 255, 0).into(),
        };
        surface.set_fill(Some(Fill { paint, opacity: NormalizedF32::ONE, rule: FillRule::NonZero }));
        let mut pb = PathBuilder::new();
        pb.push_rect(Rect::from_xywh(0.0, 0.0, w, h / 2.0).unwrap());
        surface.draw_path(&pb.finish().unwrap());
        if art == Art::IsolatedGroup {
            surface.pop();
        }
        if art == Art::Cmyk {
            // 100 % K text, so that the checked file carries an embedded font subset.
            surface.set_fill(Some(Fill {
                paint: cmyk::Color::new(0, 0, 0, 255).into(),
                opacity: NormalizedF32::ONE,
                rule: FillRule::NonZero,
            }));
            let text = "Ærøskøbing";
            let cmap = FontRef::new(FONT).unwrap().cmap().unwrap();
            let glyphs: Vec<KrillaGlyph> = text
                .char_indices()
                .map(|(i, c)| KrillaGlyph {
                    glyph_id: GlyphId::new(cmap.map_codepoint(c).unwrap().to_u32()),
                    text_range: i..i + c.len_utf8(),
                    x_advance: 0.6,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    y_advance: 0.0,
                    location: None,
                })
                .collect();
            let font = Font::new(FONT.into(), 0).unwrap();
            let at = Point::from_xy(8.0 * MM, 70.0 * MM);
            surface.draw_glyphs(at, &glyphs, font, text, 12.0, false);
        }
        surface.finish();
        page.finish();
        doc.finish().unwrap()
    }

    fn opts(flavour: PdfxFlavour) -> PdfxOptions<'static> {
        PdfxOptions {
            flavour,
            title: "Kortspil – æøå (test)",
            date_epoch: DATE,
            profile: FOGRA39,
            output_condition_identifier: "FOGRA39",
            output_condition: "Coated FOGRA39 (ISO 12647-2:2004)",
            trapped: false,
            creator: "tryksag 0.1.0",
        }
    }

    fn info(doc: &Document) -> &Dictionary {
        let id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        doc.get_dictionary(id).unwrap()
    }

    fn string(d: &Dictionary, key: &[u8]) -> String {
        lopdf::decode_text_string(d.get(key).unwrap()).unwrap()
    }

    fn xmp(doc: &Document) -> String {
        let id = doc.catalog().unwrap().get(b"Metadata").unwrap().as_reference().unwrap();
        let Object::Stream(s) = doc.get_object(id).unwrap() else { panic!("metadata is not a stream") };
        assert!(is_name(s.dict.get(b"Type").unwrap(), b"Metadata"));
        assert!(is_name(s.dict.get(b"Subtype").unwrap(), b"XML"));
        assert!(!s.dict.has(b"Filter"), "the xmp stream must be uncompressed");
        String::from_utf8(s.content.clone()).unwrap()
    }

    /// The text of `<tag>…</tag>` in the XMP.
    fn xmp_value<'a>(xmp: &'a str, tag: &str) -> &'a str {
        let open = format!("<{tag}>");
        let start = xmp.find(&open).unwrap_or_else(|| panic!("{tag} missing")) + open.len();
        let end = start + xmp[start..].find(&format!("</{tag}>")).unwrap();
        &xmp[start..end]
    }

    fn check_common(out: &[u8], flavour: PdfxFlavour) -> Document {
        let doc = Document::load_mem(out).unwrap();
        assert!(out.starts_with(format!("%PDF-{}\n", flavour.pdf_version()).as_bytes()));
        assert_eq!(doc.version, flavour.pdf_version());

        // Exactly one GTS_PDFX output intent with the embedded CMYK profile.
        let cat = doc.catalog().unwrap();
        let Object::Array(intents) = cat.get(b"OutputIntents").unwrap() else { panic!() };
        assert_eq!(intents.len(), 1);
        let intent = doc.get_dictionary(intents[0].as_reference().unwrap()).unwrap();
        assert!(is_name(intent.get(b"S").unwrap(), b"GTS_PDFX"));
        assert!(is_name(intent.get(b"Type").unwrap(), b"OutputIntent"));
        assert_eq!(string(intent, b"OutputConditionIdentifier"), "FOGRA39");
        assert_eq!(string(intent, b"RegistryName"), "http://www.color.org");
        assert!(intent.has(b"OutputCondition") && intent.has(b"Info"));
        let pid = intent.get(b"DestOutputProfile").unwrap().as_reference().unwrap();
        let Object::Stream(profile) = doc.get_object(pid).unwrap() else { panic!() };
        assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 4);
        assert_eq!(profile.decompressed_content().unwrap(), FOGRA39);

        // Info.
        let info = info(&doc);
        assert_eq!(string(info, b"Title"), "Kortspil – æøå (test)");
        assert_eq!(string(info, b"Author"), "Æble Ørn");
        assert_eq!(string(info, b"Creator"), "tryksag 0.1.0");
        assert_eq!(string(info, b"Producer"), PRODUCER);
        assert_eq!(string(info, b"CreationDate"), "D:20260301123456+00'00'");
        assert_eq!(string(info, b"ModDate"), string(info, b"CreationDate"));
        assert!(is_name(info.get(b"Trapped").unwrap(), b"False"));
        assert_eq!(string(info, b"GTS_PDFXVersion"), flavour.version_name());

        // XMP.
        let xmp = xmp(&doc);
        let date = "2026-03-01T12:34:56+00:00";
        assert_eq!(xmp_value(&xmp, "xmp:CreateDate"), date);
        assert_eq!(xmp_value(&xmp, "xmp:ModifyDate"), date);
        assert_eq!(xmp_value(&xmp, "xmp:MetadataDate"), date);
        assert_eq!(xmp_value(&xmp, "pdf:Trapped"), "False");
        assert_eq!(xmp_value(&xmp, "dc:format"), "application/pdf");
        assert_eq!(xmp_value(&xmp, "xmpMM:VersionID"), "1");
        assert_eq!(xmp_value(&xmp, "xmpMM:RenditionClass"), "default");
        assert!(xmp_value(&xmp, "xmpMM:DocumentID").starts_with("uuid:"));
        assert!(xmp_value(&xmp, "xmpMM:InstanceID").starts_with("uuid:"));
        assert!(xmp.contains("<rdf:li xml:lang=\"x-default\">Kortspil – æøå (test)</rdf:li>"));
        assert!(xmp.contains("<rdf:li>Æble Ørn</rdf:li>"));

        // Trailer /ID: two 16-byte strings, matching the XMP ids.
        let Object::Array(id) = doc.trailer.get(b"ID").unwrap() else { panic!() };
        assert_eq!(id.len(), 2);
        let first: [u8; 16] = id[0].as_str().unwrap().try_into().unwrap();
        assert_eq!(uuid(&first)[..20], xmp_value(&xmp, "xmpMM:DocumentID")[..20]);

        // Boxes survive.
        let page = doc.get_dictionary(doc.page_iter().next().unwrap()).unwrap();
        assert!(page.has(b"TrimBox") && page.has(b"BleedBox"));
        doc
    }

    #[test]
    fn x4_structure() {
        let out = finish(&card(PdfxFlavour::X4, Art::Cmyk), &opts(PdfxFlavour::X4)).unwrap();
        let doc = check_common(&out, PdfxFlavour::X4);
        let xmp = xmp(&doc);
        assert_eq!(xmp_value(&xmp, "pdfxid:GTS_PDFXVersion"), "PDF/X-4");
        // krilla's own XMP and Info are gone.
        assert!(!out.windows(18).any(|w| w == b"krilla's own title"));
        if let Ok(path) = std::env::var("TRYKSAG_PDFX_OUT") {
            std::fs::write(path, &out).unwrap();
        }
    }

    #[test]
    fn x1a_structure() {
        let out = finish(&card(PdfxFlavour::X1a2003, Art::Cmyk), &opts(PdfxFlavour::X1a2003)).unwrap();
        let doc = check_common(&out, PdfxFlavour::X1a2003);
        assert!(out.starts_with(b"%PDF-1.4\n"));
        for obj in doc.objects.values() {
            if let Object::Stream(s) = obj {
                let t = s.dict.get(b"Type").ok();
                assert!(!t.is_some_and(|t| is_name(t, b"ObjStm") || is_name(t, b"XRef")));
            }
        }
        assert!(out.windows(5).any(|w| w == b"\nxref"), "classic xref table");
        assert!(!out.windows(6).any(|w| w == b"ObjStm"));
        let xmp = xmp(&doc);
        assert_eq!(xmp_value(&xmp, "pdfx:GTS_PDFXVersion"), "PDF/X-1a:2003");
        assert!(!xmp.contains("pdfxid:"));
        if let Ok(path) = std::env::var("TRYKSAG_PDFX1A_OUT") {
            std::fs::write(path, &out).unwrap();
        }
    }

    #[test]
    fn deterministic() {
        let input = card(PdfxFlavour::X4, Art::Cmyk);
        assert_eq!(input, card(PdfxFlavour::X4, Art::Cmyk), "krilla itself is deterministic");
        let a = finish(&input, &opts(PdfxFlavour::X4)).unwrap();
        let b = finish(&input, &opts(PdfxFlavour::X4)).unwrap();
        assert_eq!(a, b);
        // A different date gives different ids.
        let mut later = opts(PdfxFlavour::X4);
        later.date_epoch += 1;
        let c = finish(&input, &later).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn trapped_true() {
        let mut o = opts(PdfxFlavour::X4);
        o.trapped = true;
        let out = finish(&card(PdfxFlavour::X4, Art::Cmyk), &o).unwrap();
        let doc = Document::load_mem(&out).unwrap();
        assert!(is_name(info(&doc).get(b"Trapped").unwrap(), b"True"));
        assert_eq!(xmp_value(&xmp(&doc), "pdf:Trapped"), "True");
    }

    #[test]
    fn isolated_group_blends_in_cmyk_for_x4_and_fails_x1a() {
        let input = card(PdfxFlavour::X4, Art::IsolatedGroup);
        assert!(input.windows(10).any(|w| w == b"/DeviceRGB"), "krilla writes an rgb group");
        let out = finish(&input, &opts(PdfxFlavour::X4)).unwrap();
        assert!(!out.windows(10).any(|w| w == b"/DeviceRGB"));
        assert!(out.windows(11).any(|w| w == b"/DeviceCMYK"));

        let input = card(PdfxFlavour::X1a2003, Art::IsolatedGroup);
        let err = finish(&input, &opts(PdfxFlavour::X1a2003)).unwrap_err();
        assert!(err.contains("transparency"), "{err}");
    }

    #[test]
    fn rgb_is_rejected() {
        let err = finish(&card(PdfxFlavour::X4, Art::Rgb), &opts(PdfxFlavour::X4)).unwrap_err();
        assert!(err.starts_with("page 1 paints in devicergb"), "{err}");
    }

    #[test]
    fn missing_trim_box_is_rejected() {
        let mut doc = KrillaDocument::new_with(krilla_settings(PdfxFlavour::X4));
        let page = doc.start_page_with(PageSettings::from_wh(100.0, 100.0).unwrap());
        page.finish();
        let err = finish(&doc.finish().unwrap(), &opts(PdfxFlavour::X4)).unwrap_err();
        assert!(err.contains("page 1 has no trimbox"), "{err}");
    }

    /// Edits the first page of a krilla card with lopdf.
    fn edit_page(flavour: PdfxFlavour, edit: impl FnOnce(&mut Document, ObjectId)) -> Vec<u8> {
        let mut doc = Document::load_mem(&card(flavour, Art::Cmyk)).unwrap();
        let page = doc.page_iter().next().unwrap();
        edit(&mut doc, page);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn a_type3_font_is_rejected() {
        let input = edit_page(PdfxFlavour::X4, |doc, page| {
            let mut font = Dictionary::new();
            font.set("Type", Object::Name(b"Font".to_vec()));
            font.set("Subtype", Object::Name(b"Type3".to_vec()));
            font.set("CharProcs", Dictionary::new());
            let font = doc.add_object(font);
            let mut fonts = Dictionary::new();
            fonts.set("T3", Object::Reference(font));
            let mut res = Dictionary::new();
            res.set("Font", fonts);
            doc.get_dictionary_mut(page).unwrap().set("Resources", res);
        });
        let err = finish(&input, &opts(PdfxFlavour::X4)).unwrap_err();
        assert!(err.contains("is a type 3 font"), "{err}");
    }

    #[test]
    fn links_and_bad_boxes_are_rejected() {
        let input = edit_page(PdfxFlavour::X4, |doc, page| {
            let mut action = Dictionary::new();
            action.set("S", Object::Name(b"URI".to_vec()));
            action.set("URI", Object::string_literal("https://example.org"));
            let mut link = Dictionary::new();
            link.set("Type", Object::Name(b"Annot".to_vec()));
            link.set("Subtype", Object::Name(b"Link".to_vec()));
            link.set("Rect", vec![10.into(), 10.into(), 50.into(), 20.into()]);
            link.set("A", action);
            let link = doc.add_object(link);
            doc.get_dictionary_mut(page).unwrap().set("Annots", vec![Object::Reference(link)]);
        });
        let err = finish(&input, &opts(PdfxFlavour::X4)).unwrap_err();
        assert!(err.starts_with("page 1 has a link annotation with an action"), "{err}");
        assert!(err.ends_with("(and 1 more problem)"), "{err}");

        let input = edit_page(PdfxFlavour::X4, |doc, page| {
            let boxes = vec![0.into(), 0.into(), 500.into(), 500.into()];
            doc.get_dictionary_mut(page).unwrap().set("TrimBox", boxes);
        });
        let err = finish(&input, &opts(PdfxFlavour::X4)).unwrap_err();
        assert!(err.contains("page 1: the trimbox is not inside the bleedbox"), "{err}");
    }

    #[test]
    fn options_are_checked() {
        let input = card(PdfxFlavour::X4, Art::Cmyk);
        let mut o = opts(PdfxFlavour::X4);
        o.title = "  ";
        assert!(finish(&input, &o).unwrap_err().contains("title"));
        let mut o = opts(PdfxFlavour::X4);
        o.output_condition_identifier = "";
        assert!(finish(&input, &o).unwrap_err().contains("output condition identifier"));
        let mut o = opts(PdfxFlavour::X4);
        o.date_epoch = i64::MAX;
        assert!(finish(&input, &o).is_err());
        assert!(finish(b"not a pdf", &opts(PdfxFlavour::X4)).is_err());
        // A PDF 1.6 body cannot become PDF/X-1a:2003 (PDF 1.4) by changing the header.
        let err = finish(&input, &opts(PdfxFlavour::X1a2003)).unwrap_err();
        assert!(err.contains("written as pdf 1.6"), "{err}");
    }

    #[test]
    fn output_profile_check() {
        assert_eq!(check_output_profile(FOGRA39), Ok(()));
        let mut fake = FOGRA39[..128].to_vec();
        fake[0..4].copy_from_slice(&128u32.to_be_bytes());
        fake[12..16].copy_from_slice(b"mntr");
        fake[16..20].copy_from_slice(b"RGB ");
        assert_eq!(
            check_output_profile(&fake).unwrap_err(),
            "profile class is `mntr`, a print run needs a CMYK output (prtr) profile"
        );
        fake[12..16].copy_from_slice(b"prtr");
        assert_eq!(
            check_output_profile(&fake).unwrap_err(),
            "profile colour space is `RGB`, a print run needs a CMYK output (prtr) profile"
        );
        assert!(check_output_profile(&FOGRA39[..100]).unwrap_err().contains("not an icc profile"));
        assert!(check_output_profile(&FOGRA39[..1000]).unwrap_err().contains("truncated"));
    }

    #[test]
    fn dates() {
        let s = Stamp::from_epoch(0).unwrap();
        assert_eq!(s.pdf(), "D:19700101000000+00'00'");
        let s = Stamp::from_epoch(951_782_400).unwrap(); // leap day 2000
        assert_eq!(s.xmp(), "2000-02-29T00:00:00+00:00");
        let s = Stamp::from_epoch(-1).unwrap();
        assert_eq!(s.xmp(), "1969-12-31T23:59:59+00:00");
        assert_eq!(Stamp::from_epoch(253_402_300_799).unwrap().pdf(), "D:99991231235959+00'00'");
        assert!(Stamp::from_epoch(253_402_300_800).is_err());
    }

    #[test]
    fn id_hash_is_sha256_truncated() {
        // FIPS 180-2 test vectors, first 128 bits.
        let h = |s: &[u8]| {
            let mut f = IdHash::new();
            f.bytes(s);
            u128::from_be_bytes(f.finish())
        };
        assert_eq!(h(b""), 0xe3b0c44298fc1c149afbf4c8996fb924);
        assert_eq!(h(b"abc"), 0xba7816bf8f01cfea414140de5dae2223);
        // Fields are length-prefixed: ("ab", "c") and ("a", "bc") differ.
        let f = |a: &[u8], b: &[u8]| {
            let mut x = IdHash::new();
            x.field(a);
            x.field(b);
            x.finish()
        };
        assert_ne!(f(b"ab", b"c"), f(b"a", b"bc"));
    }
}
