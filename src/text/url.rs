//! Web addresses in running text: they break only where their own `/` or `-` allows (the line
//! breaker's opportunities), never at an inserted hyphen, which would change the address.

use std::ops::Range;

/// The byte ranges of the words of `text` (split at white space) that are web addresses:
/// starting, after an opening bracket or quote, with `https://`, `http://` or `www.`.
pub(crate) fn url_ranges(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut at = 0;
    for word in text.split(char::is_whitespace) {
        let core = word.trim_start_matches(['(', '<', '«', '"', '“', '\'']);
        let lower = core.get(..8).unwrap_or(core).to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("www.") {
            found.push(at..at + word.len());
        }
        at += word.len() + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::url_ranges;

    #[test]
    fn finds_addresses_and_nothing_else() {
        let t = "Se https://www.sundhedsstyrelsen.dk/da/en-af-os og (www.psykinfo.dk) – ikke arbejds-pladsen.";
        let r = url_ranges(t);
        assert_eq!(r.len(), 2);
        assert_eq!(&t[r[0].clone()], "https://www.sundhedsstyrelsen.dk/da/en-af-os");
        assert_eq!(&t[r[1].clone()], "(www.psykinfo.dk)");
        assert!(url_ranges("arbejds-pladsen og f.eks. kl. 9").is_empty());
    }
}
