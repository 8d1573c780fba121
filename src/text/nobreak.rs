//! Spaces that must not break a line: the project's keep-together phrases ("EN AF OS") and the
//! Danish typographic rules — a number and its unit ("10 mm", "5 %"), "kl. 9", phone numbers
//! ("+45 70 27 07 07"), the space before a dash that ends a clause (" – ") and an abbreviation
//! followed by a lower-case word ("f.eks. en"). The text keeps its ordinary spaces (so the PDF's
//! text layer reads as written); the paragraph turns a held space into glue that is no break.

use std::ops::Range;

/// Units a number keeps on its line.
const UNITS: &[&str] = &[
    "mm", "cm", "dm", "m", "km", "mg", "g", "kg", "ml", "cl", "dl", "l", "%", "‰", "pt", "min", "sek", "t", "kr.", "kr",
];

/// Words a following number keeps on its line.
const BEFORE_NUMBER: &[&str] = &["kl.", "nr."];

/// Danish abbreviations that never end a line when a lower-case word follows.
const ABBREVIATIONS: &[&str] = &["f.eks.", "bl.a.", "dvs.", "mv.", "ca.", "jf.", "evt.", "pga.", "osv."];

/// The held spaces of one paragraph's text, grouped by what they hold together.
#[derive(Debug, Default)]
pub(crate) struct Holds {
    /// Byte offsets of held spaces, sorted, each with the index of its group.
    spaces: Vec<(usize, usize)>,
    /// What each group holds together (byte ranges of the text).
    pub(crate) groups: Vec<Range<usize>>,
    /// Keep-together phrases (byte ranges): not hyphenated either.
    phrases: Vec<Range<usize>>,
}

impl Holds {
    /// Finds the held spaces of `t`; `keep` are the project's keep-together phrases (matched in
    /// capitals when the style sets text in capitals).
    pub(crate) fn find(t: &str, keep: &[String], uppercase: bool) -> Holds {
        let mut h = Holds::default();
        for phrase in keep {
            let p = if uppercase { phrase.to_uppercase() } else { phrase.clone() };
            if p.is_empty() {
                continue;
            }
            for (at, _) in t.match_indices(p.as_str()) {
                let r = at..at + p.len();
                if boundary_before(t, r.start) && boundary_after(t, r.end) {
                    h.hold(t, r.clone());
                    h.phrases.push(r);
                }
            }
        }
        let words = words(t);
        for w in words.windows(2) {
            let (a, b) = (&t[w[0].clone()], &t[w[1].clone()]);
            if w[1].start != w[0].end + 1 {
                continue; // only a single ordinary space between them is held
            }
            let unit = b.trim_end_matches([',', ';', ':', ')', '!', '?']);
            let unit = if unit.ends_with('.') && !UNITS.contains(&unit) { &unit[..unit.len() - 1] } else { unit };
            let number_unit = ends_in_digit(a) && UNITS.contains(&unit);
            let before_number =
                BEFORE_NUMBER.iter().any(|x| a.eq_ignore_ascii_case(x)) && b.starts_with(|c: char| c.is_ascii_digit());
            let abbreviation =
                a.ends_with('.') && b.starts_with(char::is_lowercase) && ABBREVIATIONS.iter().any(|x| word_is(a, x));
            let dash = b == "–" || b == "—";
            if number_unit || before_number || abbreviation || dash {
                h.hold(t, w[0].start..w[1].end);
            }
        }
        // Phone numbers: groups of 2–4 digits (after an optional "+45") with 8 digits or more.
        let mut i = 0;
        while i < words.len() {
            let mut j = i;
            let mut digits = 0;
            while j < words.len()
                && phone_part(&t[words[j].clone()], j == i)
                && (j == i || words[j].start == words[j - 1].end + 1)
            {
                digits += t[words[j].clone()].chars().filter(char::is_ascii_digit).count();
                j += 1;
            }
            if j - i >= 2 && digits >= 8 {
                h.hold(t, words[i].start..words[j - 1].end);
                i = j;
            } else {
                i += 1;
            }
        }
        h.spaces.sort_unstable();
        h.spaces.dedup_by_key(|s| s.0);
        h
    }

    fn hold(&mut self, t: &str, r: Range<usize>) {
        let g = self.groups.len();
        self.groups.push(r.clone());
        for (o, c) in t[r.clone()].char_indices() {
            if c == ' ' {
                self.spaces.push((r.start + o, g));
            }
        }
    }

    /// The group holding the space at byte `at`, if the space must not break.
    pub(crate) fn group_of_space(&self, at: usize) -> Option<usize> {
        self.spaces.binary_search_by_key(&at, |s| s.0).ok().map(|i| self.spaces[i].1)
    }

    /// Whether byte `at` lies inside a keep-together phrase (no hyphenation there).
    pub(crate) fn in_phrase(&self, at: usize) -> bool {
        self.phrases.iter().any(|r| r.start < at && at < r.end)
    }

    /// Whether nothing is held.
    pub(crate) fn is_empty(&self) -> bool {
        self.spaces.is_empty() && self.phrases.is_empty()
    }
}

/// The words of `t` split at ordinary spaces and line breaks (byte ranges).
fn words(t: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices() {
        if c == ' ' || c == '\n' || c == '\t' {
            if let Some(s) = start.take() {
                out.push(s..i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(s..t.len());
    }
    out
}

fn boundary_before(t: &str, at: usize) -> bool {
    !t[..at].chars().next_back().is_some_and(char::is_alphanumeric)
}

fn boundary_after(t: &str, at: usize) -> bool {
    !t[at..].chars().next().is_some_and(char::is_alphanumeric)
}

fn ends_in_digit(w: &str) -> bool {
    w.ends_with(|c: char| c.is_ascii_digit())
}

/// `w` is the abbreviation `x`, perhaps after an opening bracket or quote ("(f.eks.").
/// Whether `w` is the (ASCII) abbreviation `x` in any case, after nothing but punctuation ("(f.eks.").
fn word_is(w: &str, x: &str) -> bool {
    let Some(cut) = w.len().checked_sub(x.len()) else { return false };
    w.is_char_boundary(cut) && w[cut..].eq_ignore_ascii_case(x) && w[..cut].chars().all(|c| !c.is_alphanumeric())
}

/// A group of a phone number: 2–4 digits (the first may be "+45"), the last may end a sentence.
fn phone_part(w: &str, first: bool) -> bool {
    let w = w.trim_end_matches(['.', ',', ';', ':', ')']);
    let w = if first { w.trim_start_matches('(') } else { w };
    let digits = if first { w.strip_prefix('+').unwrap_or(w) } else { w };
    (2..=4).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(t: &str, keep: &[&str]) -> Vec<String> {
        let keep: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
        let h = Holds::find(t, &keep, false);
        let mut g: Vec<String> = h.groups.iter().map(|r| t[r.clone()].to_string()).collect();
        g.sort();
        g
    }

    #[test]
    fn numbers_units_times_phones_dashes_and_abbreviations_are_held() {
        assert_eq!(held("en kant på 10 mm og 5 % mere", &[]), vec!["10 mm", "5 %"]);
        assert_eq!(held("åbent kl. 9 i 20 min.", &[]), vec!["20 min.", "kl. 9"]);
        assert_eq!(held("ring på +45 70 27 07 07.", &[]), vec!["+45 70 27 07 07."]);
        assert_eq!(held("ring 70 27 07 07 i dag", &[]), vec!["70 27 07 07"]);
        assert_eq!(held("noget – og mere", &[]), vec!["noget –"]);
        assert_eq!(held("f.eks. en ven, bl.a. Jens", &[]), vec!["f.eks. en"]);
        // Not a phone number: too few digits.
        assert!(held("kapitel 12 og 13", &[]).is_empty());
    }

    #[test]
    fn phrases_are_held_at_word_boundaries_only() {
        assert_eq!(held("fra EN AF OS og PsykInfo.", &["EN AF OS", "PsykInfo"]), vec!["EN AF OS", "PsykInfo"]);
        assert!(held("PsykInfoen", &["PsykInfo"]).is_empty());
        let h = Holds::find("EN AF OS", &["EN AF OS".into()], false);
        assert_eq!(h.group_of_space(2), Some(0));
        assert_eq!(h.group_of_space(0), None);
        assert!(h.in_phrase(3) && !h.in_phrase(0));
    }
}
