//! The XMP metadata packet of a PDF/X file, written with `xmp-writer`: title, dates, tool,
//! producer, trapping, the `xmpMM` ids and the PDF/X identification.
//!
//! X-4 identifies itself with `pdfxid:GTS_PDFXVersion` (ISO 15930-7); X-1a:2003 predates that
//! namespace and uses Adobe's `pdfx:GTS_PDFXVersion`, as Acrobat writes it (a custom namespace).

use xmp_writer::{CustomNamespace, DateTime, Namespace, RenditionClass, Timezone, XmpWriter};

use super::PRODUCER;
use super::PdfxOptions;
use super::ids::{Ids, uuid};
use super::info::{Carried, Date};
use crate::model::standard::PdfxFlavour;

/// How xmp-writer ends a packet: read-only. Replaced by padding and a writable end.
const READ_ONLY_END: &str = "<?xpacket end=\"r\"?>";

/// The XMP packet (UTF-8), with 2 KB of padding and a writable end (`end="w"`) so that later
/// tools can edit it in place.
pub(super) fn packet(opts: &PdfxOptions, title: &str, date: &Date, ids: &Ids, carried: &Carried) -> String {
    let mut w = XmpWriter::new();
    w.format("application/pdf");
    w.title([(None, clean(title).as_str())]);
    if let Some(author) = &carried.author {
        w.creator([clean(author).as_str()]);
    }
    if let Some(subject) = &carried.subject {
        w.description([(None, clean(subject).as_str())]);
    }
    if let Some(keywords) = &carried.keywords {
        w.pdf_keywords(&clean(keywords));
    }
    let when = xmp_date(date);
    w.create_date(when);
    w.modify_date(when);
    w.metadata_date(when);
    w.creator_tool(&clean(opts.creator));
    w.producer(PRODUCER);
    w.trapped(opts.trapped);
    w.document_id(&uuid(&ids.document));
    w.instance_id(&uuid(&ids.instance));
    w.version_id("1");
    w.rendition_class(RenditionClass::Default);
    match opts.flavour {
        PdfxFlavour::X4 => {
            w.pdfx_version(opts.flavour.version_name());
        }
        PdfxFlavour::X1a2003 => {
            let adobe_pdfx = CustomNamespace::new("Adobe PDF/X", "pdfx", "http://ns.adobe.com/pdfx/1.3/");
            w.element("GTS_PDFXVersion", Namespace::Custom(Box::new(adobe_pdfx))).value(opts.flavour.version_name());
        }
    }
    let xmp = w.finish(None);
    let body = xmp.strip_suffix(READ_ONLY_END).unwrap_or(&xmp);
    let padding = format!("{}\n", " ".repeat(99)).repeat(20);
    format!("{body}\n{padding}<?xpacket end=\"w\"?>")
}

/// The date as XMP writes it, `YYYY-MM-DDTHH:mm:SS+00:00` (the same instant as Info's).
fn xmp_date(d: &Date) -> DateTime {
    DateTime::new(d.year, d.month, d.day, d.hour, d.minute, d.second, Timezone::Local { hour: 0, minute: 0 })
}

/// Drops the characters XML 1.0 does not allow (xmp-writer escapes markup, but passes control
/// characters through, which would make the packet unreadable).
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || !((c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use xmp_writer::XmpType;

    fn date_text(epoch: i64) -> String {
        let mut s = String::new();
        xmp_date(&Date::from_epoch(epoch).unwrap()).write(&mut s);
        s
    }

    #[test]
    fn dates() {
        assert_eq!(date_text(951_782_400), "2000-02-29T00:00:00+00:00"); // leap day 2000
        assert_eq!(date_text(-1), "1969-12-31T23:59:59+00:00");
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(clean("a\u{1}b\tc\u{ffff}"), "ab\tc");
        let opts = PdfxOptions {
            flavour: PdfxFlavour::X1a2003,
            title: "",
            date_epoch: 0,
            profile: b"",
            output_condition_identifier: "FOGRA39",
            output_condition: "",
            trapped: false,
            creator: "tryksag <&> \u{7}",
            gwg: false,
        };
        let ids = Ids::new(b"", &opts);
        let xmp = packet(&opts, "A & B <c> \"d\"", &Date::from_epoch(0).unwrap(), &ids, &Carried::default());
        assert!(xmp.contains(">A &amp; B &lt;c&gt; &quot;d&quot;</rdf:li>"), "{xmp}");
        assert!(xmp.contains("<xmp:CreatorTool>tryksag &lt;&amp;&gt; </xmp:CreatorTool>"), "{xmp}");
        assert!(xmp.contains(" xmlns:pdfx=\"http://ns.adobe.com/pdfx/1.3/\""), "{xmp}");
        assert!(xmp.contains("<pdfx:GTS_PDFXVersion>PDF/X-1a:2003</pdfx:GTS_PDFXVersion>"), "{xmp}");
        assert!(xmp.starts_with("<?xpacket begin=\"\u{feff}\""));
        assert!(xmp.ends_with("<?xpacket end=\"w\"?>") && !xmp.contains("end=\"r\""));
    }
}
