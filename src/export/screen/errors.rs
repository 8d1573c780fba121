//! The screen version's error texts: what its own checks find, and krilla's PDF/UA-1 and PDF/A-2a
//! validation findings, in lower-case words a user can act on.

use krilla::configure::ValidationError;
use krilla::error::KrillaError;
use krilla::surface::Location;

/// Why a screen PDF cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreenError {
    /// What the checks before export found, all of them.
    #[error("{}", join(.0))]
    Check(Vec<Finding>),
    /// krilla refuses the PDF/UA-1 + PDF/A-2a configuration.
    #[error("cannot configure pdf/ua-1 + pdf/a-2a export: {0}")]
    Configure(String),
    /// The print profile cannot tag CMYK images.
    #[error("the cmyk profile cannot be read as a 4-channel icc profile")]
    CmykProfile,
    /// krilla's PDF/UA-1 and PDF/A-2a validators' findings, each once.
    #[error("the screen pdf is not pdf/ua-1 and pdf/a-2a compliant: {}", .0.join("; "))]
    NotAccessible(Vec<String>),
    /// Another krilla error, lower case.
    #[error("screen pdf export failed: {0}")]
    Krilla(String),
}

/// One problem the checks before export find (what krilla cannot check, or reports less clearly).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Finding {
    /// No title.
    #[error("the document has no title")]
    NoTitle,
    /// No language.
    #[error("the document has no language")]
    NoLanguage,
    /// A page places a frame the document lacks.
    #[error("page {page} places frame {frame} which does not exist")]
    NoFrame {
        /// 1-based page.
        page: usize,
        /// Frame index.
        frame: usize,
    },
    /// A figure without alt text.
    #[error("figure on page {0} has no alt text")]
    NoAltText(usize),
    /// A contents entry whose heading the document does not have (after the previous entry's).
    #[error(
        "the contents entry \"{heading}\" on page {page} has no heading of that text to go to (after the previous entry's heading)"
    )]
    ContentsHeading {
        /// 1-based page of the entry.
        page: usize,
        /// The heading text the entry names.
        heading: String,
    },
    /// A block names items beyond its frame's.
    #[error("a block on page {page} (\"{text}\") refers to item {item} but its frame has {items} items")]
    BlockRange {
        /// 1-based page.
        page: usize,
        /// The block's text.
        text: String,
        /// The last item it names.
        item: usize,
        /// How many items the frame has.
        items: usize,
    },
}

fn join(findings: &[Finding]) -> String {
    findings.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// A krilla error as a screen error; validation findings are listed.
pub(super) fn describe_error(e: KrillaError) -> ScreenError {
    match e {
        KrillaError::Validation(errors) => {
            let mut list: Vec<String> = errors.iter().map(|(e, _)| describe_validation(e)).collect();
            list.dedup();
            ScreenError::NotAccessible(list)
        }
        other => ScreenError::Krilla(other.to_string().to_lowercase()),
    }
}

fn on_page(loc: &Option<Location>) -> String {
    loc.map(|l| format!(" on page {l}")).unwrap_or_default()
}

fn describe_validation(e: &ValidationError) -> String {
    match e {
        ValidationError::NoDocumentTitle => "the document has no title".into(),
        ValidationError::NoDocumentLanguage => "the document has no language".into(),
        ValidationError::MissingAltText(loc) => format!("a figure has no alt text{}", on_page(loc)),
        ValidationError::MissingHeadingTitle => "a heading has no text (its bookmark title)".into(),
        ValidationError::MissingDocumentOutline => {
            "the document has no bookmarks (it needs at least one title or heading block)".into()
        }
        ValidationError::MissingTagging => "the document is not tagged".into(),
        ValidationError::ContainsNotDefGlyph(_, loc, text) => {
            format!("text \"{text}\" uses a glyph the font lacks (.notdef){}", on_page(loc))
        }
        ValidationError::NoCodepointMapping(_, glyph, loc) => {
            format!("glyph {} maps to no character{}", glyph.to_u32(), on_page(loc))
        }
        ValidationError::InvalidCodepointMapping(_, glyph, c, loc) => {
            format!("glyph {} maps to the invalid character u+{:04x}{}", glyph.to_u32(), *c as u32, on_page(loc))
        }
        ValidationError::RestrictedLicense(_) => "a font's licence does not allow embedding".into(),
        // What PDF/A-2a adds to PDF/UA-1.
        ValidationError::UnicodePrivateArea(_, glyph, c, loc) => format!(
            "glyph {} maps to u+{:04x} in the private use area, which has no meaning a reader can say{}",
            glyph.to_u32(),
            *c as u32,
            on_page(loc)
        ),
        ValidationError::MissingAnnotationAltText(loc) => format!("a link has no alt text{}", on_page(loc)),
        ValidationError::Transparency(loc) => {
            format!("transparency is not allowed in a pdf/a file without a blending colour space{}", on_page(loc))
        }
        ValidationError::ImageInterpolation(loc) => format!("an image asks for interpolation{}", on_page(loc)),
        ValidationError::MissingDocumentDate => "the document has no creation date".into(),
        ValidationError::MissingCMYKProfile => "a cmyk colour has no icc profile".into(),
        ValidationError::ContainsPostScript(loc) => format!("the file contains postscript{}", on_page(loc)),
        ValidationError::EmbeddedFile(_, loc) => format!("an embedded file is not allowed{}", on_page(loc)),
        ValidationError::TooLongString
        | ValidationError::TooLongName
        | ValidationError::TooLongArray
        | ValidationError::TooLongDictionary
        | ValidationError::TooLargeFloat
        | ValidationError::TooManyIndirectObjects
        | ValidationError::TooHighQNestingLevel => {
            format!("the file exceeds a pdf/a implementation limit ({})", format!("{e:?}").to_lowercase())
        }
        other => format!("{other:?}").to_lowercase(),
    }
}
