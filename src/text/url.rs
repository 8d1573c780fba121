//! Web addresses in running text: they break only where their own `/` or `-` allows (the line
//! breaker's opportunities), never at an inserted hyphen, which would change the address.

use std::ops::Range;

/// The byte ranges of the words of `text` (split at white space) that are web addresses:
/// starting, after an opening bracket or quote, with `https://`, `http://` or `www.`.
pub(crate) fn url_ranges(text: &str) -> Vec<Range<usize>> {
    let starts = |core: &str, prefix: &str| {
        core.as_bytes().get(..prefix.len()).is_some_and(|b| b.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    let mut found = Vec::new();
    for word in text.split(char::is_whitespace) {
        let core = word.trim_start_matches(['(', '<', '«', '"', '“', '\'']);
        if starts(core, "https://") || starts(core, "http://") || starts(core, "www.") {
            // Where the word is in `text` (white space may be wider than a byte: a no-break space).
            let at = word.as_ptr() as usize - text.as_ptr() as usize;
            found.push(at..at + word.len());
        }
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

    #[test]
    fn an_address_after_a_no_break_space_is_found_where_it_is() {
        let t = "EN\u{a0}AF\u{a0}OS: HTTPS://www.eksempel.dk/a-b\u{a0}og Www.psykinfo.dk";
        let r = url_ranges(t);
        assert_eq!(r.len(), 2);
        assert_eq!(&t[r[0].clone()], "HTTPS://www.eksempel.dk/a-b");
        assert_eq!(&t[r[1].clone()], "Www.psykinfo.dk");
    }
}
