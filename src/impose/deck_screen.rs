//! A deck's download version: its cards as pages, trimmed (no bleed, no marks), in reading order.
//!
//! - The first page is the deck's cover: the common back (the deck's title, subtitle, sender).
//! - Then the fronts, grouped by category in the order the categories first appear in the deck
//!   (a deck listed by category, as decks are, keeps its order). The category heading is read
//!   once, on the first card of its category; on the others it is decoration.
//! - A card with its own back text is followed by its back; what that back repeats from the cover
//!   (the deck's title, subtitle, sender) is decoration there.
//!
//! One card a page, as a card is held: a reader pages through the deck card by card, and a
//! screen reader meets one card's heading and text at a time.

use std::sync::Arc;

use super::Document;
use super::pages::push_trimmed;
use crate::layout::card::{CATEGORY_HEADING, CardFaces};
use crate::layout::frame::BlockKind;
use crate::layout::{Frame, Side};
use crate::model::Deck;

/// The deck's download document from its laid-out cards (`faces[i]` is `deck.cards[i]`).
#[must_use]
pub fn deck_screen_document(deck: &Deck, faces: &[CardFaces]) -> Document {
    let mut doc = Document { title: deck.title.clone(), ..Document::default() };
    let Some(cover) = deck.cards.iter().position(|c| c.back.is_empty()).or((!faces.is_empty()).then_some(0)) else {
        return doc;
    };
    let cover_frame = &faces[cover].back;
    let cover_texts: Vec<&str> = cover_frame.blocks.iter().map(|b| b.text.as_str()).collect();
    push(&mut doc, cover_frame.clone(), "cover (the deck's back)".into());

    // Categories in the order they first appear.
    let mut order: Vec<&str> = Vec::new();
    for c in &deck.cards {
        if !order.contains(&c.category.as_str()) {
            order.push(&c.category);
        }
    }
    for category in order {
        let mut first = true;
        for (card, f) in deck.cards.iter().zip(faces).filter(|(c, _)| c.category == category) {
            let mut front = (*f.front).clone();
            if !first {
                front.blocks.retain(|b| b.kind != BlockKind::Heading(CATEGORY_HEADING));
            }
            first = false;
            push(&mut doc, Arc::new(front), format!("card {} {}", card.id, Side::Front.name()));
            if !card.back.is_empty() {
                let mut back = (*f.back).clone();
                back.blocks.retain(|b| b.kind != BlockKind::Title && !cover_texts.contains(&b.text.as_str()));
                push(&mut doc, Arc::new(back), format!("card {} {}", card.id, Side::Back.name()));
            }
        }
    }
    doc
}

/// A page showing `frame`'s trim box, labelled so in diagnostics too.
fn push(doc: &mut Document, frame: Arc<Frame>, label: String) {
    push_trimmed(doc, frame, label.clone(), label);
}
