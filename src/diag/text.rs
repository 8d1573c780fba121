//! What of the user's input a message may echo: control characters escaped, long values and
//! source lines bounded.

use std::fmt::Write as _;

/// Most characters of one quoted input value (a `backticked` part) a message shows.
pub const MAX_QUOTE: usize = 80;
/// Most characters of a message (and of a subject or JSON path).
pub(super) const MAX_MESSAGE: usize = 400;
/// Most characters of a hint (it may list every allowed name).
pub(super) const MAX_HINT: usize = 1000;
/// Most characters of a source line a snippet shows.
pub(super) const SNIPPET_WIDTH: usize = 80;

/// Whether `c` must not reach a terminal as it is: control characters (which include the ESC of
/// ANSI sequences), bidirectional overrides and invisible separators that could hide or reorder
/// what a message says.
pub(super) fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// How `c` is shown: itself, or escaped as `\u{1b}`.
pub(super) fn shown_char(c: char, out: &mut String) {
    if is_unsafe(c) {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// `s` with every control character, ANSI escape and bidirectional override escaped (`\u{1b}`).
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    s.chars().for_each(|c| shown_char(c, &mut out));
    out
}

/// A short, printable excerpt of input: escaped like [`escape_controls`] and cut to `max`
/// characters with "…".
pub fn excerpt(s: &str, max: usize) -> String {
    let all = escape_controls(s);
    if all.chars().count() <= max {
        return all;
    }
    let mut out = String::new();
    let mut piece = String::new();
    let mut width = 0;
    for c in s.chars() {
        piece.clear();
        shown_char(c, &mut piece);
        // Whole escapes only, and room for the ellipsis.
        if width + piece.chars().count() >= max {
            break;
        }
        width += piece.chars().count();
        out.push_str(&piece);
    }
    out.push('…');
    out
}

/// A text for a diagnostic: control characters escaped, each `backticked` quote cut to
/// [`MAX_QUOTE`] characters, and the whole to `max`.
pub(super) fn bounded(s: &str, max: usize) -> String {
    let safe = s.chars().all(|c| !is_unsafe(c)) && s.len() <= MAX_QUOTE.min(max);
    if safe {
        return s.to_string();
    }
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&excerpt(part, MAX_QUOTE));
        } else {
            out.push_str(&escape_controls(part));
        }
    }
    if out.chars().count() > max { excerpt(&out, max) } else { out }
}

/// The snippet line for `line` with the caret at char index `col0`: escaped, and for a long
/// line a window of [`SNIPPET_WIDTH`] characters around the caret with "…" where it is cut.
/// `cut_before` says the line was already cut before its start. Returns the text and the
/// caret's display column.
pub(super) fn snippet(line: &str, col0: usize, cut_before: bool) -> (String, usize) {
    // Tabs become one space so the caret stays under its character.
    let pieces: Vec<String> = line
        .chars()
        .map(|c| {
            let mut p = String::new();
            if c == '\t' {
                p.push(' ')
            } else {
                shown_char(c, &mut p)
            }
            p
        })
        .collect();
    let width = |ps: &[String]| ps.iter().map(|p| p.chars().count()).sum::<usize>();
    let col0 = col0.min(pieces.len());
    let (mut a, mut b) = (0, pieces.len());
    if width(&pieces) > SNIPPET_WIDTH - 2 {
        // Some context before the caret, then as much after it as fits.
        a = col0;
        let mut w = 0;
        while a > 0 && w + pieces[a - 1].chars().count() <= SNIPPET_WIDTH / 3 {
            a -= 1;
            w += pieces[a].chars().count();
        }
        b = a;
        let mut w = 0;
        while b < pieces.len() && w + pieces[b].chars().count() <= SNIPPET_WIDTH - 2 {
            w += pieces[b].chars().count();
            b += 1;
        }
    }
    let before = cut_before || a > 0;
    let mut shown = String::from(if before { "…" } else { "" });
    shown.extend(pieces[a..b].iter().map(String::as_str));
    if b < pieces.len() {
        shown.push('…');
    }
    (shown, usize::from(before) + width(&pieces[a..col0.max(a)]))
}
