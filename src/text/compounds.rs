//! Where Danish compounds join. Danish writes compounds as one word ("arbejdspladsen",
//! "beskæftigelsesrettede"), and a reader takes a break at the joint far better than one inside a
//! stem. The TeX patterns know syllables, not joints, so a small list of compound parts finds them:
//! a joint is a position where everything before it splits into known parts (each perhaps with its
//! binding -s or -e) and what follows begins with a known part.

/// Compound parts as they appear in compounds: stems, lower case, at least 3 letters. Chosen from
/// the words of mental-health, job-centre and workplace texts; a word not covered is hyphenated by
/// the patterns alone.
const PARTS: &[&str] = &[
    "afdeling",
    "aftale",
    "angst",
    "arbejd",
    "arbejde",
    "arbejder",
    "behandling",
    "behov",
    "beskæftigelse",
    "bolig",
    "brev",
    "bærer",
    "center",
    "centre",
    "chef",
    "dag",
    "dialog",
    "familie",
    "fond",
    "form",
    "forløb",
    "gruppe",
    "giver",
    "hjælp",
    "holdning",
    "hverdag",
    "indsats",
    "job",
    "kollega",
    "kolleger",
    "kommune",
    "konsulent",
    "kontakt",
    "kort",
    "krop",
    "land",
    "leder",
    "ledelse",
    "liv",
    "marked",
    "medarbejd",
    "mellem",
    "menneske",
    "møde",
    "netværk",
    "opgave",
    "ordning",
    "person",
    "personale",
    "plads",
    "plan",
    "post",
    "psykiatri",
    "punkt",
    "ramme",
    "rettet",
    "rettede",
    "rådgivning",
    "samtale",
    "selv",
    "side",
    "skole",
    "sted",
    "stigma",
    "stigmatisering",
    "sundhed",
    "syg",
    "sygdom",
    "tal",
    "telefon",
    "tid",
    "tilbud",
    "tilknytning",
    "time",
    "uddannelse",
    "vej",
    "vejledning",
    "vilkår",
    "værd",
    "web",
    "ydelse",
];

/// A compound joint in a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Joint {
    /// Char offset of the joint (the second part begins here).
    pub at: usize,
    /// The first part ends in a binding -s or -e (the char before `at`), which stays with it.
    pub binding: bool,
}

/// The joints of a lower-case word, in order.
pub fn boundaries(lower: &str) -> Vec<Joint> {
    let n = lower.len();
    // reach[i]: lower[..i] splits into parts; Some(true) when the last part ended in a binding.
    let mut reach: Vec<Option<bool>> = vec![None; n + 1];
    reach[0] = Some(false);
    let mut joints = Vec::new();
    for i in 0..n {
        let Some(binding) = reach[i] else { continue };
        let rest = &lower[i..];
        if i > 0 && PARTS.iter().any(|p| rest.starts_with(p)) {
            joints.push(Joint { at: lower[..i].chars().count(), binding });
        }
        for p in PARTS.iter().filter(|p| rest.starts_with(*p)) {
            let e = i + p.len();
            if reach[e].is_none() {
                reach[e] = Some(false);
            }
            for link in ["s", "e"] {
                if lower[e..].starts_with(link) && reach[e + 1].is_none() {
                    reach[e + 1] = Some(true);
                }
            }
        }
    }
    // A joint must leave a whole part after it, not just its first letters at the word's end.
    joints.retain(|j| j.at + 3 <= lower.chars().count());
    joints
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(w: &str) -> String {
        let js = boundaries(w);
        let mut s = String::new();
        for (i, c) in w.chars().enumerate() {
            if js.iter().any(|j| j.at == i) {
                s.push('|');
            }
            s.push(c);
        }
        s
    }

    #[test]
    fn finds_joints_with_the_binding_letter_on_the_first_part() {
        assert_eq!(show("arbejdspladsen"), "arbejds|pladsen");
        assert_eq!(show("beskæftigelsesrettede"), "beskæftigelses|rettede");
        assert_eq!(show("kontaktperson"), "kontakt|person");
        assert_eq!(show("personalegruppen"), "personale|gruppen");
        assert_eq!(show("tidspunktet"), "tids|punktet");
    }

    #[test]
    fn leaves_words_that_are_not_compounds_of_known_parts() {
        assert_eq!(show("bekymringer"), "bekymringer");
        assert_eq!(show("arbejde"), "arbejde");
        assert_eq!(show("omgivelsernes"), "omgivelsernes");
    }
}
