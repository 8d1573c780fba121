//! Danish hyphenation: soft hyphens first, then the deck's exception list, then TeX patterns
//! (hypher). Patterns split some compounds badly, which is what the other two are for.

use std::collections::HashMap;

/// Soft hyphen, an invisible break point written by authors.
pub const SOFT_HYPHEN: char = '\u{AD}';

/// Fewest letters before / after a hyphen (Danish typographic practice).
const LEFT_MIN: usize = 2;
const RIGHT_MIN: usize = 3;

/// Hyphenation rules of one deck.
#[derive(Clone, Debug, Default)]
pub struct Hyphenator {
    /// Lower-cased word → break points (char offsets).
    exceptions: HashMap<String, Vec<usize>>,
}

impl Hyphenator {
    /// Builds a hyphenator from exceptions like `"job-kon-su-lent"`.
    pub fn new<'a>(exceptions: impl IntoIterator<Item = &'a str>) -> Hyphenator {
        let mut map = HashMap::new();
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

    /// Break points of a word as char offsets (a point `i` means "between char i-1 and i").
    /// The word must not contain soft hyphens (they are handled by the caller).
    pub fn points(&self, word: &str) -> Vec<usize> {
        let lower = word.to_lowercase();
        if let Some(p) = self.exceptions.get(&lower) {
            return p.clone();
        }
        let n = word.chars().count();
        if n < LEFT_MIN + RIGHT_MIN || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        let mut points = Vec::new();
        let mut at = 0;
        for syllable in hypher::hyphenate(&lower, hypher::Lang::Danish) {
            at += syllable.chars().count();
            if at >= LEFT_MIN && at + RIGHT_MIN <= n {
                points.push(at);
            }
        }
        points
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
    fn right_min_is_respected() {
        let h = Hyphenator::default();
        for p in h.points("arbejdsmarkedet") {
            assert!(p >= 2 && p + 3 <= "arbejdsmarkedet".chars().count());
        }
    }
}
