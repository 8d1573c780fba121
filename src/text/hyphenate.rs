//! Danish hyphenation: soft hyphens first, then the deck's exception list, then TeX patterns
//! (hypher) with compound boundaries from a small list of Danish compound parts
//! ([`super::compounds`]). Patterns do not know where a compound joins, so a boundary the list
//! finds is marked preferred (the breaker charges less for it) and added when the patterns miss
//! it, and a pattern point between a stem and its binding -s/-e ("arbejd-splads") is dropped.

use std::collections::BTreeMap;

/// Soft hyphen, an invisible break point written by authors.
pub const SOFT_HYPHEN: char = '\u{AD}';

/// Fewest letters before / after a hyphen (Danish typographic practice).
const LEFT_MIN: usize = 2;
const RIGHT_MIN: usize = 3;

/// A possible hyphenation point in a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    /// Char offset: the break falls between char `at - 1` and `at`.
    pub at: usize,
    /// A compound boundary or the author's own point (exception list): preferred to a break inside
    /// a stem.
    pub preferred: bool,
}

/// Which pattern points a text style allows (exceptions and soft hyphens are the author's and
/// are kept as written).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordRules {
    /// Words of fewer letters are not hyphenated.
    pub min_word: usize,
    /// Fewest letters before a hyphen.
    pub min_before: usize,
    /// Fewest letters after a hyphen.
    pub min_after: usize,
}

impl Default for WordRules {
    /// Danish practice: words of fewer than 7 letters whole, at least 3 letters each side.
    fn default() -> Self {
        WordRules { min_word: 7, min_before: 3, min_after: 3 }
    }
}

/// Hyphenation rules of one deck.
#[derive(Clone, Debug, Default)]
pub struct Hyphenator {
    /// Lower-cased word → break points (char offsets).
    exceptions: BTreeMap<String, Vec<usize>>,
}

impl Hyphenator {
    /// Builds a hyphenator from exceptions like `"job-kon-su-lent"`.
    pub fn new<'a>(exceptions: impl IntoIterator<Item = &'a str>) -> Hyphenator {
        let mut map = BTreeMap::new();
        for e in exceptions {
            let mut points = Vec::new();
            let mut word = String::new();
            for c in e.chars() {
                if c == '-' {
                    points.push(word.chars().count());
                } else {
                    word.extend(c.to_lowercase());
                }
            }
            map.insert(word, points);
        }
        Hyphenator { exceptions: map }
    }

    /// Break points of a word as char offsets (a point `i` means "between char i-1 and i"), at
    /// least 2 letters before and 3 after. The word must not contain soft hyphens (they are
    /// handled by the caller).
    pub fn points(&self, word: &str) -> Vec<usize> {
        let n = word.chars().count();
        let (points, exception) = self.breaks(word);
        points.into_iter().map(|p| p.at).filter(|&at| exception || (at >= LEFT_MIN && at + RIGHT_MIN <= n)).collect()
    }

    /// The points of a word a style's rules allow: an exception as listed; otherwise the pattern
    /// and compound points of a word of at least `min_word` letters, `min_before` / `min_after`
    /// letters from its ends.
    pub fn points_for(&self, word: &str, rules: &WordRules) -> Vec<Point> {
        let (points, exception) = self.breaks(word);
        allowed(&points, exception, word.chars().count(), rules)
    }

    /// All points of a word (exception, or patterns at the language's own bounds merged with
    /// compound boundaries), and whether they come from the exception list; [`allowed`] picks
    /// those a style takes.
    pub fn breaks(&self, word: &str) -> (Vec<Point>, bool) {
        let lower = word.to_lowercase();
        if let Some(p) = self.exceptions.get(&lower) {
            return (p.iter().map(|&at| Point { at, preferred: true }).collect(), true);
        }
        let n = word.chars().count();
        if n < 4 || !word.chars().all(char::is_alphabetic) {
            return (Vec::new(), false);
        }
        let compounds = super::compounds::boundaries(&lower);
        let mut points = Vec::new();
        let mut at = 0;
        for syllable in hypher::hyphenate(&lower, hypher::Lang::Danish) {
            at += syllable.chars().count();
            // The binding -s/-e stays with the first part: no break just before it.
            if at < n && !compounds.iter().any(|b| b.binding && b.at == at + 1) {
                points.push(Point { at, preferred: compounds.iter().any(|b| b.at == at) });
            }
        }
        for b in &compounds {
            if !points.iter().any(|p| p.at == b.at) {
                points.push(Point { at: b.at, preferred: true });
            }
        }
        points.sort_by_key(|p| p.at);
        (points, false)
    }

    /// Convenience for tests and tools: the word with `-` at every break point.
    pub fn show(&self, word: &str) -> String {
        let pts = self.points(word);
        let mut s = String::new();
        for (i, c) in word.chars().enumerate() {
            if pts.contains(&i) {
                s.push('-');
            }
            s.push(c);
        }
        s
    }
}

/// The points of a word of `n` letters (from [`Hyphenator::breaks`]) that `rules` allow.
pub fn allowed(points: &[Point], exception: bool, n: usize, rules: &WordRules) -> Vec<Point> {
    points.iter().copied().filter(|p| allows(p, exception, n, rules)).collect()
}

/// Whether `rules` allow point `p` of a word of `n` letters (an exception's points always).
#[must_use]
pub fn allows(p: &Point, exception: bool, n: usize, rules: &WordRules) -> bool {
    exception || n >= rules.min_word && p.at >= rules.min_before && p.at + rules.min_after <= n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_patterns() {
        let h = Hyphenator::default();
        assert_eq!(h.show("beskæftigelsesrettet"), "be-skæf-ti-gel-ses-ret-tet");
        assert_eq!(h.show("selvstigmatisering"), "selv-stig-ma-ti-se-ring");
        // Too short to split.
        assert_eq!(h.show("kort"), "kort");
    }

    #[test]
    fn exceptions_override_patterns() {
        let h = Hyphenator::new(["Ærøs-kø-bing", "jobcenter"]);
        assert_eq!(h.show("Ærøskøbing"), "Ærøs-kø-bing");
        assert_eq!(h.show("jobcenter"), "jobcenter");
    }

    #[test]
    fn binding_s_stays_with_the_first_part() {
        let h = Hyphenator::default();
        let rules = WordRules::default();
        let show = |w: &str| {
            let pts = h.points_for(w, &rules);
            let mut s = String::new();
            for (i, c) in w.chars().enumerate() {
                if let Some(p) = pts.iter().find(|p| p.at == i) {
                    s.push(if p.preferred { '=' } else { '-' });
                }
                s.push(c);
            }
            s
        };
        // `=` marks a compound boundary: after the binding -s, never before it.
        assert!(show("arbejdspladsen").contains("arbejds=plad"), "{}", show("arbejdspladsen"));
        assert!(show("beskæftigelsesrettede").contains("ses=ret"), "{}", show("beskæftigelsesrettede"));
        assert!(!show("arbejdspladsen").contains("arbejd-s"), "{}", show("arbejdspladsen"));
        assert!(show("holdningsbærer").contains("nings=bæ"), "{}", show("holdningsbærer"));
    }

    #[test]
    fn style_rules_limit_points() {
        let h = Hyphenator::default();
        let rules = WordRules::default();
        // Six letters: below the default minimum word length.
        assert!(h.points_for("sygdom", &rules).is_empty());
        for w in ["arbejdsmarkedet", "selvstigmatisering", "tilpasninger", "omgivelsernes"] {
            let n = w.chars().count();
            let pts = h.points_for(w, &rules);
            assert!(!pts.is_empty(), "{w}");
            for p in pts {
                assert!(p.at >= 3 && p.at + 3 <= n, "{w} at {}", p.at);
            }
        }
        let wide = WordRules { min_word: 5, min_before: 5, min_after: 5 };
        for p in h.points_for("arbejdsmarkedet", &wide) {
            assert!(p.at >= 5 && p.at + 5 <= 15);
        }
    }

    #[test]
    fn right_min_is_respected() {
        let h = Hyphenator::default();
        for p in h.points("arbejdsmarkedet") {
            assert!(p >= 2 && p + 3 <= "arbejdsmarkedet".chars().count());
        }
    }
}
