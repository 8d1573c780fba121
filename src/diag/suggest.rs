//! "Did you mean": the closest known name to a mistyped one.

/// `s` lower-cased with æ, ø, å written ae, oe, aa, so `sjælland` matches `sjaelland`.
pub(super) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            _ => out.push(c),
        }
    }
    out
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
/// Case and the Danish letters (`æ` = `ae`, `ø` = `oe`, `å` = `aa`) do not count.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // A word far longer than any name is no typo; this also bounds the work.
    if word.chars().count() > 200 {
        return None;
    }
    let word_l = fold(word);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word_l, &fold(c)), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}
