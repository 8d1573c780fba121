//! E-mail and web addresses in the laid-out text of a download version, made real links: a Link
//! annotation over the address's glyphs with a `mailto:` or `https://` URI action, tagged as a
//! `Link` structure element with the text run and the annotation (PDF/UA-1 § 7.18.5), and alt
//! text saying where it goes. Print files get none (PDF/X forbids actions).

use std::collections::BTreeMap;
use std::ops::Range;

use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::page::Page as KPage;

use super::bounds::page_rect;
use crate::export::geom::krect;
use crate::impose::Page;
use crate::layout::{Frame, FrameItem};
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

/// The addresses each text item of `frame` shows (by item index; `read`: whether an item is read,
/// not decoration). Found in the whole text of the item's block, so an address broken across
/// lines links from each of its parts to the whole address; a run whose text cannot be found in
/// its block's (an upper-cased style) is searched on its own.
pub(super) fn frame_addresses(frame: &Frame, read: impl Fn(usize) -> bool) -> BTreeMap<usize, Vec<Address>> {
    let mut found = BTreeMap::new();
    let alone = |i: usize, run: &GlyphRun, found: &mut BTreeMap<usize, Vec<Address>>| {
        let a = addresses(&run.text);
        if !a.is_empty() {
            found.insert(i, a);
        }
    };
    let mut seen = vec![false; frame.items.len()];
    for block in &frame.blocks {
        // Where each run's text is in the block's text (in order, only white space between).
        let mut placed: Vec<(usize, usize, usize)> = Vec::new();
        let mut cursor = 0;
        for i in block.items.clone() {
            let Some(FrameItem::Text { run, .. }) = frame.items.get(i) else { continue };
            if !read(i) || std::mem::replace(&mut seen[i], true) {
                continue;
            }
            let shown = if run.inserted_hyphen { run.text.strip_suffix('-').unwrap_or(&run.text) } else { &run.text };
            let at = block.text.get(cursor..).and_then(|rest| rest.find(shown)).map(|p| cursor + p);
            match at {
                Some(p) if !shown.is_empty() && block.text[cursor..p].trim().is_empty() => {
                    placed.push((i, p, shown.len()));
                    cursor = p + shown.len();
                }
                _ => alone(i, run, &mut found),
            }
        }
        for a in addresses(&block.text) {
            for &(i, p, len) in &placed {
                let (from, to) = (a.at.start.max(p), a.at.end.min(p + len));
                if from < to {
                    let part = Address { at: from - p..to - p, uri: a.uri.clone(), alt: a.alt.clone() };
                    found.entry(i).or_insert_with(Vec::new).push(part);
                }
            }
        }
    }
    // Text in no block is not read; nothing else to search.
    found
}

/// Adds a tagged link annotation to `kp` for each of `found`, the addresses the text item `item`
/// shows ([`frame_addresses`]; placed with `placed` on `page`); returns the annotations'
/// identifiers for the structure tree.
pub(super) fn annotate(
    kp: &mut KPage,
    page: &Page,
    placed: Transform,
    item: &FrameItem,
    found: &[Address],
    fonts: &FontBook,
    location: krilla::surface::Location,
) -> Vec<krilla::tagging::Identifier> {
    let FrameItem::Text { origin, run, .. } = item else { return Vec::new() };
    let mut ids = Vec::new();
    for a in found.iter().cloned() {
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
