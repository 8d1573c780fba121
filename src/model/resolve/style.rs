//! Resolving a text style: font family and faces found in `fonts/`, leading and colour checked.

use super::Ctx;
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::color::Color;
use crate::model::element::{ColorRef, Style};
use crate::model::layout;
use crate::text::FontBook;
use crate::text::hyphenate::WordRules;
use crate::text::paragraph::{Breaking, FontSet, ParaStyle};
use crate::units::Pt;

pub(super) fn resolve_style(s: &layout::StyleSpec, path: &str, fonts: &FontBook, cx: &mut Ctx) -> Option<Style> {
    let file = cx.file;
    let weight = s.weight.get() as u16;
    let Some(regular) = fonts.find(&s.font, weight, s.italic) else {
        let families = fonts.families();
        let d = if families.iter().any(|f| f.eq_ignore_ascii_case(&s.font)) {
            Diagnostic::error(format!(
                "font `{}` has no face with weight {}{}",
                s.font,
                weight,
                if s.italic { " italic" } else { "" }
            ))
            .with_hint(format!("faces in fonts/: {}", fonts.variants_of(&s.font).join(", ")))
        } else {
            let hint = match did_you_mean(&s.font, families.iter().map(String::as_str)) {
                Some(f) => format!("did you mean `{f}`? families in fonts/: {}", families.join(", ")),
                None => format!("put the font file into fonts/; families there: {}", families.join(", ")),
            };
            Diagnostic::error(format!("font family `{}` is not in fonts/", s.font)).with_hint(hint)
        };
        cx.errors.push(d.at(file.locate(&format!("{path}.font"))));
        return None;
    };
    let bold_w = if weight < 600 { 700 } else { weight.max(800) };
    let bold = fonts.find(&s.font, bold_w, s.italic).or_else(|| fonts.find(&s.font, 700, s.italic));
    let fontset = FontSet {
        regular,
        bold,
        italic: fonts.find(&s.font, weight, true),
        bold_italic: fonts.find(&s.font, bold_w, true).or_else(|| fonts.find(&s.font, 700, true)),
    };
    // In range (4–200 pt): checked when the file was read.
    let size = s.size.pt();
    if let Some(l) = s.leading
        && l.pt().0 < size.0 * 0.7
    {
        cx.errors.push(
            Diagnostic::error(format!(
                "`leading` {:.1} pt is less than 0.7 × the type size ({:.1} pt): the lines would print over each other",
                l.pt().0,
                size.0
            ))
            .with_hint(
                "leading is the baseline-to-baseline distance, usually 1.2 × the size; remove it for the default",
            )
            .at(file.locate(&format!("{path}.leading"))),
        );
        return None;
    }
    let color = match &s.color {
        Some(c) => cx.color(c, &format!("{path}.color"))?,
        None => ColorRef::Fixed(Color::BLACK),
    };
    if let ColorRef::Fixed(Color::Cmyk([c, m, y, k])) = &color
        && *k >= 80.0
        && c + m + y > 0.0
        && size.0 < 14.0
    {
        cx.warnings.push(
            Diagnostic::warning(format!(
                "{:.1} pt text in rich black {:?}: small text in several inks shows misregistration",
                size.0,
                [c, m, y, k]
            ))
            .with_hint("use [0, 0, 0, 100] (100 % K) for black text")
            .at(file.locate(&format!("{path}.color"))),
        );
    }
    let mut fallback = Vec::new();
    for (i, fam) in s.fallback.iter().enumerate() {
        let find = |w: u16, it: bool| fonts.find(fam, w, it);
        let Some(regular) = find(weight, s.italic).or_else(|| find(400, s.italic)).or_else(|| find(400, false)) else {
            cx.errors.push(
                Diagnostic::error(format!("fallback font family `{fam}` is not in fonts/"))
                    .with_hint(format!("families in fonts/: {}", fonts.families().join(", ")))
                    .at(file.locate(&format!("{path}.fallback[{i}]"))),
            );
            return None;
        };
        fallback.push(FontSet {
            regular,
            bold: find(bold_w, s.italic).or_else(|| find(700, s.italic)),
            italic: find(weight, true).or_else(|| find(400, true)),
            bold_italic: find(bold_w, true).or_else(|| find(700, true)),
        });
    }
    Some(Style {
        para: ParaStyle {
            fallback,
            fonts: fontset,
            size,
            leading: s.leading.map(|l| l.pt()).unwrap_or(size * 1.2),
            align: s.align.into(),
            hyphenate: s.hyphenate,
            tracking: s.tracking.get(),
            uppercase: s.uppercase,
            paragraph_spacing: s.paragraph_spacing.map(|l| l.pt()).unwrap_or(Pt::ZERO),
            breaking: Breaking {
                words: WordRules {
                    min_word: s.hyphen_min_word.get() as usize,
                    min_before: s.hyphen_min_before.get() as usize,
                    min_after: s.hyphen_min_after.get() as usize,
                },
                hyphens_in_row: s.hyphens_in_row.map(|n| n.get() as usize),
                last_line_chars: s.last_line_min_chars.get() as usize,
                last_line_fraction: s.last_line_min_percent.get() / 100.0,
            },
        },
        color,
    })
}
