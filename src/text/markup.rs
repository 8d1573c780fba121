//! Inline markup of text fields.
//!
//! - a blank line starts a new paragraph; a single newline is a line break;
//! - lines starting with `- ` (or `• `) are bulleted list items;
//! - `**bold**`, `*italic*` (they nest: `***both***`);
//! - `\` takes the next character literally (`\*`);
//! - a soft hyphen (U+00AD, `\u00ad` in JSON) marks an allowed hyphenation point.

/// A run of text with one font variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The text; `\n` is a forced line break.
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

/// A paragraph or list item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Styled runs in order.
    pub spans: Vec<Span>,
    /// A bulleted list item.
    pub bullet: bool,
}

/// Why markup could not be read. Display gives the message users see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MarkupError {
    /// A `\` with nothing after it.
    #[error("a lone `\\` at the end of the text")]
    LoneBackslash,
    /// `**` without its closing `**`.
    #[error("`**` opens bold text that is never closed; close it with `**` or write `\\*\\*`")]
    UnclosedBold,
    /// `*` without its closing `*`.
    #[error("`*` opens italic text that is never closed; close it with `*` or write `\\*`")]
    UnclosedItalic,
}

/// Parses markup into paragraphs; an error names what is unbalanced.
///
/// # Errors
///
/// Unbalanced markup ([`MarkupError`]).
pub fn parse(src: &str) -> Result<Vec<Paragraph>, MarkupError> {
    let src = src.replace("\r\n", "\n");
    let mut paras = Vec::new();
    for block in src.split("\n\n") {
        let block = block.trim_matches('\n');
        if block.trim().is_empty() {
            continue;
        }
        // Group lines into items: a bullet line starts an item, other lines continue it.
        let mut items: Vec<(bool, String)> = Vec::new();
        for line in block.split('\n') {
            let bullet = line.strip_prefix("- ").or_else(|| line.strip_prefix("• "));
            match (bullet, items.last_mut()) {
                (Some(rest), _) => items.push((true, rest.trim().to_string())),
                (None, Some(last)) => {
                    last.1.push('\n');
                    last.1.push_str(line.trim());
                }
                (None, None) => items.push((false, line.trim().to_string())),
            }
        }
        for (bullet, text) in items {
            paras.push(Paragraph { spans: inline(&text)?, bullet });
        }
    }
    Ok(paras)
}

fn inline(text: &str) -> Result<Vec<Span>, MarkupError> {
    let mut spans: Vec<Span> = Vec::new();
    let (mut bold, mut italic) = (false, false);
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    let flush = |cur: &mut String, spans: &mut Vec<Span>, bold, italic| {
        if !cur.is_empty() {
            spans.push(Span { text: std::mem::take(cur), bold, italic });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => cur.push(n),
                None => return Err(MarkupError::LoneBackslash),
            },
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                flush(&mut cur, &mut spans, bold, italic);
                bold = !bold;
            }
            '*' => {
                flush(&mut cur, &mut spans, bold, italic);
                italic = !italic;
            }
            _ => cur.push(c),
        }
    }
    flush(&mut cur, &mut spans, bold, italic);
    if bold {
        return Err(MarkupError::UnclosedBold);
    }
    if italic {
        return Err(MarkupError::UnclosedItalic);
    }
    Ok(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str, bold: bool, italic: bool) -> Span {
        Span { text: text.into(), bold, italic }
    }

    #[test]
    fn paragraphs_breaks_and_bullets() {
        let p = parse("Første linje\nanden linje\n\n- punkt et\n- punkt to\nfortsat").unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].spans, vec![s("Første linje\nanden linje", false, false)]);
        assert!(p[1].bullet && p[2].bullet);
        assert_eq!(p[2].spans, vec![s("punkt to\nfortsat", false, false)]);
    }

    #[test]
    fn bold_italic_and_escapes() {
        let p = parse("en **fed** og *kursiv* \\*stjerne").unwrap();
        assert_eq!(
            p[0].spans,
            vec![
                s("en ", false, false),
                s("fed", true, false),
                s(" og ", false, false),
                s("kursiv", false, true),
                s(" *stjerne", false, false)
            ]
        );
    }

    #[test]
    fn unclosed_markers_are_errors() {
        assert!(parse("**fed").unwrap_err().to_string().contains("never closed"));
        assert!(parse("*kursiv").unwrap_err().to_string().contains("italic"));
    }
}
