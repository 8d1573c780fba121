//! The document information dictionary and its dates: what krilla wrote that the pass keeps
//! (Author, Subject, Keywords), and the Info entries PDF/X asks for (`GTS_PDFXVersion`,
//! `Trapped`, equal creation and modification dates).

use lopdf::{Dictionary, Document, Object};

use super::{PRODUCER, PdfxError, PdfxOptions};

/// A UTC date and time in the years 1 to 9999 (PDF and XMP dates have four-digit years).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Date {
    pub(super) year: u16,
    pub(super) month: u8,
    pub(super) day: u8,
    pub(super) hour: u8,
    pub(super) minute: u8,
    pub(super) second: u8,
}

impl Date {
    /// The date of `epoch` seconds since 1970 (UTC).
    pub(super) fn from_epoch(epoch: i64) -> Result<Self, PdfxError> {
        // 0001-01-01T00:00:00Z ..= 9999-12-31T23:59:59Z: four-digit years only.
        if !(-62_135_596_800..=253_402_300_799).contains(&epoch) {
            return Err(PdfxError::Date(epoch));
        }
        let (y, mo, d, h, mi, s) = crate::date::civil(epoch);
        // In range by the check above: years 1–9999, and civil's fields are a calendar's.
        let small = |v: u32| v as u8;
        Ok(Date {
            year: y as u16,
            month: small(mo),
            day: small(d),
            hour: small(h),
            minute: small(mi),
            second: small(s),
        })
    }

    /// `D:YYYYMMDDHHmmSS+00'00'`
    pub(super) fn pdf(&self) -> String {
        format!(
            "D:{:04}{:02}{:02}{:02}{:02}{:02}+00'00'",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// A PDF text string: literal if ASCII, else UTF-16BE with a byte order mark.
pub(super) fn text(s: &str) -> Object {
    lopdf::text_string(s)
}

fn trapped_name(trapped: bool) -> &'static str {
    if trapped { "True" } else { "False" }
}

/// Info entries that krilla wrote from its `Metadata` and that the pass keeps.
#[derive(Default)]
pub(super) struct Carried {
    pub(super) author: Option<String>,
    pub(super) subject: Option<String>,
    pub(super) keywords: Option<String>,
}

impl Carried {
    pub(super) fn from_info(doc: &Document) -> Self {
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

/// The new Info dictionary: the title, what krilla wrote and the pass keeps, creator and
/// producer, dates, trapping and the PDF/X version.
pub(super) fn info_dictionary(opts: &PdfxOptions, title: &str, date: &Date, carried: &Carried) -> Dictionary {
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
    info.set("GTS_PDFXVersion", text(opts.flavour.version_name()));
    info
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn dates() {
        let s = Date::from_epoch(0).unwrap();
        assert_eq!(s.pdf(), "D:19700101000000+00'00'");
        let s = Date::from_epoch(951_782_400).unwrap(); // leap day 2000
        assert_eq!(s.pdf(), "D:20000229000000+00'00'");
        let s = Date::from_epoch(-1).unwrap();
        assert_eq!(s.pdf(), "D:19691231235959+00'00'");
        assert_eq!(Date::from_epoch(253_402_300_799).unwrap().pdf(), "D:99991231235959+00'00'");
        assert_eq!(Date::from_epoch(-62_135_596_800).unwrap().pdf(), "D:00010101000000+00'00'");
        assert!(Date::from_epoch(253_402_300_800).is_err());
        assert!(Date::from_epoch(-62_135_596_801).is_err());
    }
}
