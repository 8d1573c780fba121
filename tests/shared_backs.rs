//! A back that shows nothing of a card but its category is laid out once per category and
//! written once, as a form XObject that every back page places; a back with a card's own text
//! or number is drawn on its own page.

use std::collections::BTreeSet;

use lopdf::{Document, Object, ObjectId};

use crate::common::{TempProject, card, deck, stderr};

/// The form XObjects each page draws directly (object ids), page by page.
fn forms_per_page(doc: &Document) -> Vec<BTreeSet<ObjectId>> {
    doc.get_pages()
        .into_values()
        .map(|page| {
            let content = doc.get_and_decode_page_content(page).unwrap();
            let res = doc.get_dictionary(page).unwrap().get(b"Resources").unwrap();
            let res = match res {
                Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
                Object::Dictionary(d) => d,
                _ => panic!("resources"),
            };
            let xobjects = res.get(b"XObject").ok().map(|x| match x {
                Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
                Object::Dictionary(d) => d,
                _ => panic!("XObject"),
            });
            content
                .operations
                .iter()
                .filter(|o| o.operator == "Do")
                .filter_map(|o| xobjects?.get(o.operands[0].as_name().ok()?).ok()?.as_reference().ok())
                .collect()
        })
        .collect()
}

fn faces(p: &TempProject) -> Document {
    let o = p.run(&["build", "d"]);
    assert!(o.status.success(), "{}", stderr(&o));
    Document::load(p.path("output/d-faces.pdf")).unwrap()
}

#[test]
fn a_common_back_is_one_form_placed_on_every_back_page() {
    let cards: Vec<String> = (0..6).map(|i| card(&format!("k{i}"), &format!("Spørgsmål nummer {i}?"))).collect();
    let own =
        card("egen", "Med egen bagside?").replace("\"fields\"", "\"back\": { \"text\": \"Kun her.\" }, \"fields\"");
    let p = TempProject::with_deck(&deck(&format!("{},\n{own}", cards.join(",\n"))));
    let pages = forms_per_page(&faces(&p));
    assert_eq!(pages.len(), 14, "front and back of seven cards");
    let backs: Vec<&BTreeSet<ObjectId>> = pages.iter().skip(1).step_by(2).collect();
    let common = backs[0];
    assert_eq!(common.len(), 1, "the common back is one form: {backs:?}");
    assert!(backs[..6].iter().all(|b| *b == common), "all six common backs place the same form: {backs:?}");
    assert!(!backs[6].contains(common.iter().next().unwrap()), "the card with its own back text draws its own");
    // The fronts differ card by card: none of them is a shared form.
    assert!(pages.iter().step_by(2).all(|f| !f.contains(common.iter().next().unwrap())));
}

#[test]
fn a_back_that_shows_the_card_number_is_drawn_on_each_page() {
    let cards: Vec<String> = (0..3).map(|i| card(&format!("k{i}"), "Hvad så?")).collect();
    let p = TempProject::with_deck(&deck(&cards.join(",\n")));
    p.edit("layouts/cards/poker.json", |s| s.replacen("\"text\": \"{deck.sender}\"", "\"text\": \"{card.number}\"", 1));
    let pages = forms_per_page(&faces(&p));
    let shared: BTreeSet<&ObjectId> = pages.iter().skip(1).step_by(2).flatten().collect();
    assert!(shared.is_empty(), "no back is shared: {pages:?}");
}

#[test]
fn a_common_back_with_a_warning_is_still_one_form_and_each_card_reports_it() {
    let cards: Vec<String> = (0..4).map(|i| card(&format!("k{i}"), &format!("Spørgsmål nummer {i}?"))).collect();
    let p = TempProject::with_deck(&deck(&cards.join(",\n")));
    // White text on a pale backdrop: a contrast warning on every back.
    p.edit("layouts/cards/poker.json", |s| {
        s.replacen("\"backdrop\": [90, 45, 40, 35]", "\"backdrop\": [10, 5, 5, 0]", 1)
    });
    let o = p.run(&["build", "d"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("on 4 cards: k0, k1, k2, k3"), "the back's warning names every card that shows it:\n{err}");
    let pages = forms_per_page(&Document::load(p.path("output/d-faces.pdf")).unwrap());
    let backs: Vec<&BTreeSet<ObjectId>> = pages.iter().skip(1).step_by(2).collect();
    assert_eq!(backs[0].len(), 1, "the back is one form: {backs:?}");
    assert!(backs.iter().all(|b| *b == backs[0]), "every back places it: {backs:?}");
}
