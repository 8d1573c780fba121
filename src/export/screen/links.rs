//! E-mail and web addresses in the laid-out text of a download version, made real links: a Link
//! annotation over the address's glyphs with a `mailto:` or `https://` URI action, tagged as a
//! `Link` structure element with the text run and the annotation (PDF/UA-1 § 7.18.5), and alt
//! text saying where it goes. Print files get none (PDF/X forbids actions).

use std::ops::Range;

use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::page::Page as KPage;

use super::bounds::page_rect;
use crate::export::geom::krect;
use crate::impose::Page;
use crate::layout::FrameItem;
use crate::text::{FontBook, GlyphRun};
use crate::units::{Point, Pt, Rect, Transform};

/// An address found in a run's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Address {
    /// Where it is in the run's text (bytes).
    pub(super) at: Range<usize>,
    /// The URI it opens.
    pub(super) uri: String,
    /// What a screen reader says about it.
    pub(super) alt: String,
}

/// Top-level domains an address without `www.` or a scheme may end in (so `kl.10.30` or `f.eks.`
/// are not taken for one).
const DOMAINS: &[&str] = &["dk", "com", "org", "net", "eu", "info", "nu", "se", "no", "de", "fo", "gl", "io"];

/// The e-mail and web addresses in `text`: words (split at white space, without surrounding
/// brackets, quotes and sentence punctuation) of the shape `name@domain.tld`, `https://…`,
/// `http://…`, `www.…` or `domain.tld/…`.
pub(super) fn addresses(text: &str) -> Vec<Address> {
    let mut found = Vec::new();
    let mut start = 0;
    for word in text.split(char::is_whitespace) {
        let at = start;
        start += word.len() + 1;
        let lead = word.len() - word.trim_start_matches(['(', '<', '«', '"', '“', '\'']).len();
        let core = word[lead..].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '>', '»', '"', '”', '\'']);
        if core.is_empty() {
            continue;
        }
        let range = at + lead..at + lead + core.len();
        if let Some((user, domain)) = core.split_once('@') {
            let user_ok = !user.is_empty() && user.chars().all(|c| c.is_alphanumeric() || "._%+-".contains(c));
            if user_ok && is_domain(domain) {
                found.push(Address { at: range, uri: format!("mailto:{core}"), alt: format!("e-mail til {core}") });
            }
            continue;
        }
        let lower = core.to_lowercase();
        let uri = if lower.starts_with("https://") || lower.starts_with("http://") {
            let host = core.split_once("://").map_or("", |(_, r)| r.split('/').next().unwrap_or(""));
            is_domain(host).then(|| core.to_string())
        } else {
            let host = core.split('/').next().unwrap_or("");
            (is_domain(host) && (lower.starts_with("www.") || known_tld(host))).then(|| format!("https://{core}"))
        };
        if let Some(uri) = uri {
            found.push(Address { at: range, uri, alt: format!("link til {core}") });
        }
    }
    found
}

/// `a.b` with labels of letters, digits and `-`, and a top-level domain of letters.
fn is_domain(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()))
}

fn known_tld(host: &str) -> bool {
    host.rsplit('.').next().is_some_and(|t| DOMAINS.contains(&t.to_ascii_lowercase().as_str()))
}

/// Where the glyphs of `at` (bytes of the run's text) lie, in frame coordinates.
fn span_rect(origin: Point, run: &GlyphRun, at: &Range<usize>, fonts: &FontBook) -> Option<Rect> {
    let face = fonts.face(run.font);
    let k = run.size.0 / face.upem;
    let (mut x, mut from, mut to) = (origin.x, None, None);
    for g in &run.glyphs {
        let t = g.text();
        if t.start < at.end && t.end > at.start {
            from.get_or_insert(x);
            to = Some(x + g.advance());
        }
        x += g.advance();
    }
    Some(Rect {
        min: Point::new(from?, origin.y - Pt(face.ascender * k)),
        max: Point::new(to?, origin.y - Pt(face.descender * k)),
    })
}

/// A text item's run and baseline, if it is text.
fn text_at(items: &[FrameItem], i: usize) -> Option<(&GlyphRun, Pt)> {
    match items.get(i)? {
        FrameItem::Text { origin, run, .. } => Some((run, origin.y)),
        _ => None,
    }
}

/// The first run of the line after item `i`'s (the next text item on a lower baseline, within two
/// line heights).
fn next_line(items: &[FrameItem], i: usize) -> Option<usize> {
    let (run, y) = text_at(items, i)?;
    let j = (i + 1..items.len()).find(|&j| text_at(items, j).is_some_and(|(_, y2)| y2 != y))?;
    let (_, y2) = text_at(items, j)?;
    (y2 > y && (y2 - y).0 < run.size.0 * 3.0).then_some(j)
}

/// The last run of the line before item `i`'s.
fn prev_line(items: &[FrameItem], i: usize) -> Option<usize> {
    let (run, y) = text_at(items, i)?;
    let j = (0..i).rev().find(|&j| text_at(items, j).is_some_and(|(_, y2)| y2 != y))?;
    let (_, y2) = text_at(items, j)?;
    (y2 < y && (y - y2).0 < run.size.0 * 3.0).then_some(j)
}

/// Whether a line ends in the middle of an address: at its own `/` or `-` (where the line
/// breaker breaks addresses), with no space after.
fn breaks_address(text: &str, word: &str) -> bool {
    text.ends_with(word) && (word.ends_with('/') || word.ends_with('-'))
}

/// The rest of an address broken at the end of item `i`: the first words of the lines after it.
fn continuation(items: &[FrameItem], i: usize) -> String {
    let Some(j) = next_line(items, i) else { return String::new() };
    let Some((run, _)) = text_at(items, j) else { return String::new() };
    let word = run.text.split(char::is_whitespace).next().unwrap_or("");
    let word =
        if breaks_address(&run.text, word) { word } else { word.trim_end_matches(['.', ',', ';', ':', ')', '»']) };
    if breaks_address(&run.text, word) { format!("{word}{}", continuation(items, j)) } else { word.to_string() }
}

/// The beginning of an address that item `i`'s line ends in the middle of, if it does.
fn broken_head(items: &[FrameItem], i: usize) -> Option<String> {
    let (run, _) = text_at(items, i)?;
    let word = run.text.rsplit(char::is_whitespace).next().unwrap_or("");
    if !breaks_address(&run.text, word) {
        return None;
    }
    if addresses(word).first().is_some_and(|a| a.at == (0..word.len())) {
        return Some(word.to_string());
    }
    // A middle piece of an address broken over three or more lines.
    (run.text.len() == word.len())
        .then(|| prev_line(items, i).and_then(|p| broken_head(items, p)))
        .flatten()
        .map(|h| h + word)
}

/// The addresses in item `i` of a frame's items, whole where the line breaker broke them over
/// lines: an address that ends the line at its own `/` or `-` goes on with the first word of the
/// next line, and that word links to the whole address too.
fn addresses_at(items: &[FrameItem], i: usize) -> Vec<Address> {
    let Some((run, _)) = text_at(items, i) else { return Vec::new() };
    let text = &run.text;
    let mut found = addresses(text);
    let mut continued = false;
    // The line starts with the rest of an address begun on the line before.
    if let Some(head) = prev_line(items, i).and_then(|p| broken_head(items, p)) {
        let word = text.split(char::is_whitespace).next().unwrap_or("");
        let (piece, rest) = if breaks_address(text, word) {
            (word, continuation(items, i))
        } else {
            (word.trim_end_matches(['.', ',', ';', ':', ')', '»']), String::new())
        };
        if !piece.is_empty() {
            found.retain(|a| a.at.start >= piece.len());
            let whole = format!("{head}{piece}{rest}");
            let uri = if whole.to_lowercase().starts_with("http") { whole.clone() } else { format!("https://{whole}") };
            found.insert(0, Address { at: 0..piece.len(), uri, alt: format!("link til {whole}") });
            continued = breaks_address(text, piece);
        }
    }
    // An address this line ends in the middle of.
    let only_continued = continued && found.len() == 1;
    if let Some(last) = found.last_mut()
        && !only_continued
        && last.at.end == text.len()
        && breaks_address(text, &text[last.at.clone()])
        && !last.uri.starts_with("mailto:")
    {
        let rest = continuation(items, i);
        last.uri.push_str(&rest);
        last.alt.push_str(&rest);
    }
    found
}

/// Adds a tagged link annotation to `kp` for every address in the text item `items[i]` of a
/// frame (placed with `placed` on `page`); returns the annotations' identifiers for the structure
/// tree. An address broken over lines is a link on each of its pieces, to the whole address.
pub(super) fn annotate(
    kp: &mut KPage,
    page: &Page,
    placed: Transform,
    items: &[FrameItem],
    i: usize,
    fonts: &FontBook,
    location: krilla::surface::Location,
) -> Vec<krilla::tagging::Identifier> {
    let FrameItem::Text { origin, run, .. } = &items[i] else { return Vec::new() };
    let mut ids = Vec::new();
    for a in addresses_at(items, i) {
        let Some(r) = span_rect(*origin, run, &a.at, fonts).map(|r| page_rect(page, placed, &r)) else { continue };
        let Some(rect) = krect(&r) else { continue };
        let link = LinkAnnotation::new(rect, Target::Action(LinkAction::new(a.uri).into()));
        let annotation = Annotation::new_link(link, Some(a.alt)).with_location(Some(location));
        ids.push(kp.add_tagged_annotation(annotation));
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uris(t: &str) -> Vec<(String, String)> {
        addresses(t).into_iter().map(|a| (t[a.at].to_string(), a.uri)).collect()
    }

    #[test]
    fn finds_e_mail_and_web_addresses_in_running_text() {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            uris("Skriv til psykinfo@eksempel.dk, eller se www.eksempel.dk/psykinfo."),
            vec![
                s("psykinfo@eksempel.dk", "mailto:psykinfo@eksempel.dk"),
                s("www.eksempel.dk/psykinfo", "https://www.eksempel.dk/psykinfo")
            ]
        );
        assert_eq!(uris("(https://enafos.dk/om)"), vec![s("https://enafos.dk/om", "https://enafos.dk/om")]);
        assert_eq!(uris("Læs mere på psykinfo.dk"), vec![s("psykinfo.dk", "https://psykinfo.dk")]);
    }

    #[test]
    fn ordinary_words_are_not_addresses() {
        for t in ["kl. 10.30", "f.eks. i dag", "Man.–tors.", "@hjem", "a@b", "1.2.3", "side 2/3", "www."] {
            assert!(addresses(t).is_empty(), "{t}: {:?}", addresses(t));
        }
    }
}
