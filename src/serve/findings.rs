//! Diagnostics as staff read them: a plain Danish headline, where it is (card, panel, field or
//! file), what to do, and the command line's message kept as the detail for whoever fixes the
//! files. The kind of problem comes from the diagnostic's [`Topic`], never from its English
//! message; the place from its subject's pieces (`deck d, card c1, field `q``), read with a small
//! vocabulary.

use crate::diag::{Diagnostic, Severity, Topic};

/// One diagnostic, told in plain Danish for the pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Whether it stops the order (an error) or only asks for a look (a warning).
    pub blocks: bool,
    /// What is wrong, in a sentence without technical words.
    pub headline: String,
    /// Where: the card, panel or field it concerns, or the file and line.
    pub place: Option<String>,
    /// What to do about it, in Danish, when there is something a staff member can do.
    pub advice: Option<String>,
    /// The command line's message, hint and location, for the person who edits the files.
    pub detail: String,
}

/// The Danish reading of one diagnostic.
pub fn finding(d: &Diagnostic) -> Finding {
    let blocks = d.severity == Severity::Error;
    let pieces = d.location.subject.as_deref().map(Pieces::of).unwrap_or_default();
    let (headline, advice) = reading(d, blocks, &pieces);
    Finding { blocks, headline, place: place(d), advice, detail: d.render() }
}

/// What a subject names, piece by piece: `deck dialogkort, card nu-03, field `question``.
#[derive(Debug, Default, PartialEq, Eq)]
struct Pieces {
    card: Option<String>,
    panel: Option<String>,
    field: Option<String>,
}

impl Pieces {
    /// The card, panel and field a subject names (only when it names one place).
    fn of(subject: &str) -> Pieces {
        let mut p = Pieces::default();
        for piece in subject.split(", ") {
            match piece.split_once(' ') {
                Some(("card", id)) => p.card = Some(id.to_string()),
                Some(("panel", name)) => p.panel = Some(name.trim_matches('`').to_string()),
                Some(("field", name)) => p.field = Some(name.trim_matches('`').to_string()),
                _ => {}
            }
        }
        p
    }
    /// " på kort nu-03" / " i panel 3" / "": where the text to change is, for advice.
    fn on(&self) -> String {
        match (&self.card, &self.panel) {
            (Some(c), _) => format!(" på kort {c}"),
            (None, Some(p)) => format!(" i panel {p}"),
            (None, None) => String::new(),
        }
    }
}

/// The headline and advice for a diagnostic's kind.
fn reading(d: &Diagnostic, blocks: bool, at: &Pieces) -> (String, Option<String>) {
    let s = |a: &str| a.to_string();
    let field = at.field.as_ref().map_or_else(String::new, |f| format!(" (feltet «{f}»)"));
    match d.topic {
        Topic::SampleData => (
            if blocks {
                s("Regionens kontaktdata er eksempeldata, så trykordren kan ikke sendes til trykkeriet.")
            } else {
                s("Regionens kontaktdata er eksempeldata. Filerne er kun til prøve og må ikke sendes til trykkeriet.")
            },
            Some(s("Ret kontaktdata for regionen under Regioner, og markér dem som bekræftede.")),
        ),
        Topic::Overflow => (
            s("Teksten er for lang og kan ikke være, hvor den skal stå."),
            Some(format!("Bed en designer om at forkorte teksten{}{field}.", at.on())),
        ),
        Topic::MissingGlyph(ch) => (
            format!("Tegnet «{ch}» (U+{:04X}) findes ikke i skriften, så det kan ikke trykkes.", u32::from(ch)),
            Some(format!(
                "Skift tegnet «{ch}» ud med et almindeligt tegn{}{field}, eller bed en designer om en skrift, der har det.",
                at.on()
            )),
        ),
        Topic::Image => (
            s("Et billede mangler eller kan ikke åbnes."),
            Some(s("Kontrollér, at billedfilen findes og kan åbnes. Bed ellers en designer om en ny fil.")),
        ),
        Topic::CoarseImage => (
            if blocks {
                s("Et billede har for lav opløsning til tryk og vil se grynet ud.")
            } else {
                s("Et billede har lidt lav opløsning og kan se uskarpt ud på tryk.")
            },
            Some(s(
                "Skaf billedet i en større udgave (med flere pixels), eller bed en designer om at gøre det mindre.",
            )),
        ),
        Topic::SafeArea => (
            s("En tekst står for tæt på kanten, hvor papiret skæres, og kan blive skåret af."),
            Some(s("Bed en designer om at flytte teksten længere ind fra kanten.")),
        ),
        Topic::Contrast => (
            s("En tekst har for lidt kontrast til baggrunden og kan være svær at læse."),
            Some(s("Bed en designer om at gøre teksten mørkere eller baggrunden lysere (eller omvendt).")),
        ),
        Topic::LooseLines => (
            s("Nogle linjer har store mellemrum mellem ordene."),
            Some(format!("Omformulér teksten{}{field} lidt, eller del et langt ord med en blød bindestreg.", at.on())),
        ),
        Topic::ShortLastLine => (
            s("Et afsnit slutter med en meget kort sidste linje."),
            Some(format!("Omformulér slutningen af afsnittet{}{field}, så den sidste linje bliver længere.", at.on())),
        ),
        Topic::Syntax => (
            s("En fil kan ikke læses, fordi den er skrevet forkert."),
            Some(match (&d.location.file, d.location.line_col) {
                (Some(f), Some((line, _))) => format!(
                    "Bed en designer om at rette {} omkring linje {line} (fx et manglende komma eller anførselstegn).",
                    f.display()
                ),
                (Some(f), None) => format!("Bed en designer om at rette eller gemme {} igen.", f.display()),
                _ => s("Bed en designer om at rette filen."),
            }),
        ),
        Topic::PrintRule => (
            match d.rule {
                Some(r) => format!("En regel for trykfiler er ikke overholdt ({r})."),
                None => s("En regel for trykfiler er ikke overholdt."),
            },
            Some(s("Bed en designer om at se på det, før der trykkes.")),
        ),
        Topic::General if blocks => (s("Der er en fejl, som skal rettes, før filerne kan laves."), None),
        Topic::General => (s("Der er noget, som bør ses efter, før der trykkes."), None),
    }
}

/// The card, panel or field a diagnostic concerns, in Danish; else its file and line.
fn place(d: &Diagnostic) -> Option<String> {
    let loc = &d.location;
    if let Some(s) = &loc.subject {
        return Some(danish_subject(s));
    }
    let file = loc.file.as_ref()?.display().to_string();
    Some(match loc.line_col {
        Some((line, _)) => format!("{file}, linje {line}"),
        None => file,
    })
}

/// A subject in Danish: each piece's first word from a small vocabulary (`card nu-03` →
/// `kort nu-03`, `field `q`` → `feltet «q»`); the deck is left out when a card is named (card
/// ids are what staff see); a grouped subject (`3 places: a; b; c`) piece by piece.
fn danish_subject(subject: &str) -> String {
    if let Some((n, rest)) = subject.split_once(" places: ")
        && n.chars().all(|c| c.is_ascii_digit())
    {
        let each: Vec<String> = rest.split("; ").map(danish_subject).collect();
        return format!("{n} steder: {}", each.join("; "));
    }
    let has_card = subject.split(", ").any(|p| p.starts_with("card "));
    let pieces: Vec<String> = subject
        .split(", ")
        .filter(|p| !(has_card && p.starts_with("deck ")))
        .map(|piece| match piece.split_once(' ') {
            Some(("deck", name)) => format!("kortene {name}"),
            Some(("card", id)) => format!("kort {id}"),
            Some(("field", name)) => format!("feltet «{}»", name.trim_matches('`')),
            Some(("image", path)) => format!("billedet {path}"),
            Some(("leaflet", name)) => format!("folderen {name}"),
            Some(("panel", name)) => format!("panel {}", name.trim_matches('`')),
            Some(("run", name)) => format!("trykordren {name}"),
            _ => piece.to_string(),
        })
        .collect();
    pieces.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;

    fn at_line(d: Diagnostic, file: &str, line: usize) -> Diagnostic {
        d.at(Location { file: Some(file.into()), line_col: Some((line, 3)), ..Location::default() })
    }

    #[test]
    fn an_error_blocks_and_keeps_the_message_as_detail() {
        let d = Diagnostic::error("text does not fit").with_hint("shorten it").about("deck d, card c1");
        let f = finding(&d);
        assert!(f.blocks);
        assert_eq!(f.headline, "Der er en fejl, som skal rettes, før filerne kan laves.");
        assert_eq!(f.place.as_deref(), Some("kort c1"));
        assert!(f.detail.contains("text does not fit") && f.detail.contains("shorten it"), "{}", f.detail);
    }

    #[test]
    fn a_warning_does_not_block_and_is_placed_by_file_and_line() {
        let d = at_line(Diagnostic::warning("loose line"), "decks/d.json", 12);
        let f = finding(&d);
        assert!(!f.blocks);
        assert_eq!(f.headline, "Der er noget, som bør ses efter, før der trykkes.");
        assert_eq!(f.place.as_deref(), Some("decks/d.json, linje 12"));
    }

    #[test]
    fn subjects_are_told_in_danish() {
        assert_eq!(danish_subject("deck dialogkort, card nu-03, field `question`"), "kort nu-03, feltet «question»");
        assert_eq!(danish_subject("deck d, card a, image images/x.png"), "kort a, billedet images/x.png");
        assert_eq!(danish_subject("deck dialogkort"), "kortene dialogkort");
        assert_eq!(danish_subject("panel 3"), "panel 3");
        assert_eq!(
            danish_subject("leaflet jobcenter-folder, image i.png"),
            "folderen jobcenter-folder, billedet i.png"
        );
        assert_eq!(
            danish_subject("2 places: deck d, card a, field `q`; deck d, card b, field `q`"),
            "2 steder: kort a, feltet «q»; kort b, feltet «q»"
        );
        assert_eq!(danish_subject("something else"), "something else");
    }

    #[test]
    fn sample_data_asks_for_the_region_form() {
        let d = at_line(Diagnostic::error("x").with_topic(Topic::SampleData), "layouts/runs/h.json", 4);
        let f = finding(&d);
        assert!(f.blocks && f.headline.contains("eksempeldata") && f.headline.contains("kan ikke sendes"), "{f:?}");
        assert_eq!(
            f.advice.as_deref(),
            Some("Ret kontaktdata for regionen under Regioner, og markér dem som bekræftede.")
        );
        assert_eq!(f.place.as_deref(), Some("layouts/runs/h.json, linje 4"));
        let w = finding(&Diagnostic::warning("x").with_topic(Topic::SampleData));
        assert!(!w.blocks && w.headline.contains("kun til prøve"), "{w:?}");
    }

    #[test]
    fn overflow_names_the_card_or_panel_and_field() {
        let d =
            Diagnostic::error("x").with_topic(Topic::Overflow).about("deck dialogkort, card nu-03, field `question`");
        let f = finding(&d);
        assert_eq!(f.headline, "Teksten er for lang og kan ikke være, hvor den skal stå.");
        assert_eq!(f.place.as_deref(), Some("kort nu-03, feltet «question»"));
        assert_eq!(
            f.advice.as_deref(),
            Some("Bed en designer om at forkorte teksten på kort nu-03 (feltet «question»).")
        );
        let p = finding(&Diagnostic::error("x").with_topic(Topic::Overflow).about("panel 3"));
        assert_eq!(p.advice.as_deref(), Some("Bed en designer om at forkorte teksten i panel 3."));
    }

    #[test]
    fn a_missing_glyph_names_the_character() {
        let d = Diagnostic::error("x").with_topic(Topic::MissingGlyph('☃')).about("deck d, card a, field `q`");
        let f = finding(&d);
        assert_eq!(f.headline, "Tegnet «☃» (U+2603) findes ikke i skriften, så det kan ikke trykkes.");
        assert!(f.advice.unwrap().starts_with("Skift tegnet «☃» ud med et almindeligt tegn på kort a (feltet «q»)"));
    }

    #[test]
    fn images_missing_or_coarse() {
        let missing = finding(&Diagnostic::error("x").with_topic(Topic::Image).about("deck d, card a, image i.png"));
        assert_eq!(missing.headline, "Et billede mangler eller kan ikke åbnes.");
        assert_eq!(missing.place.as_deref(), Some("kort a, billedet i.png"));
        let coarse = finding(&Diagnostic::error("x").with_topic(Topic::CoarseImage));
        assert!(coarse.headline.contains("for lav opløsning") && coarse.advice.unwrap().contains("større udgave"));
        let soft = finding(&Diagnostic::warning("x").with_topic(Topic::CoarseImage));
        assert!(!soft.blocks && soft.headline.contains("lidt lav opløsning"));
    }

    #[test]
    fn safe_area_contrast_and_typography() {
        let cases = [
            (Topic::SafeArea, "for tæt på kanten", "længere ind fra kanten"),
            (Topic::Contrast, "for lidt kontrast", "mørkere"),
            (Topic::LooseLines, "store mellemrum", "blød bindestreg"),
            (Topic::ShortLastLine, "kort sidste linje", "sidste linje bliver længere"),
        ];
        for (topic, headline, advice) in cases {
            let f = finding(&Diagnostic::warning("x").with_topic(topic).about("deck d, card a, field `q`"));
            assert!(f.headline.contains(headline) && f.advice.as_deref().unwrap().contains(advice), "{topic:?}: {f:?}");
        }
        let f = finding(&Diagnostic::warning("x").with_topic(Topic::LooseLines).about("deck d, card a, field `q`"));
        assert_eq!(
            f.advice.as_deref(),
            Some("Omformulér teksten på kort a (feltet «q») lidt, eller del et langt ord med en blød bindestreg.")
        );
    }

    #[test]
    fn a_broken_file_names_the_file_and_line() {
        let f = finding(&at_line(Diagnostic::error("x").with_topic(Topic::Syntax), "decks/d.json", 7));
        assert_eq!(f.headline, "En fil kan ikke læses, fordi den er skrevet forkert.");
        assert_eq!(f.place.as_deref(), Some("decks/d.json, linje 7"));
        assert!(f.advice.unwrap().contains("rette decks/d.json omkring linje 7"));
    }

    #[test]
    fn a_print_rule_names_the_rule() {
        let f = finding(&Diagnostic::error("x").with_rule("GWG 4.14 small text").with_topic(Topic::PrintRule));
        assert_eq!(f.headline, "En regel for trykfiler er ikke overholdt (GWG 4.14 small text).");
    }
}
