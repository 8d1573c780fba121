//! Laying out card faces from a card layout's templates.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use crate::assets::ImageCache;
use crate::diag::{Diagnostic, Location};
use crate::model::card_layout::CATEGORY_ICON;
use crate::model::color::Color;
use crate::model::layout::TextRole;
use crate::model::leaflet::Region;
use crate::model::print_condition::PrintCheck;
use crate::model::{Card, CardLayout, Deck, Element, ImageSource, TextSource, placeholders};
use crate::text::shape::Shaper;
use crate::text::{FontBook, Typesetter};
use crate::units::Pt;

use super::contrast::Contrast;
use super::face_cache::{FaceCache, FaceKey};
use super::frame::{BlockKind, Frame, Side};
use super::gwg::Checker;
use super::template::{Env, TemplateData, lay_out_elements, role_kind};

/// One card's faces.
#[derive(Clone, Debug)]
pub struct CardFaces {
    /// Card id.
    pub id: String,
    /// Copies to print.
    pub copies: u32,
    /// Front (shared, not copied, by every document that shows it).
    pub front: Arc<Frame>,
    /// Back.
    pub back: Arc<Frame>,
}

/// Lays out every card of a deck. Returns the faces (only when there are no errors) and all
/// diagnostics (errors and warnings), located in the deck file.
///
/// `back_extra_bleed` grows the backs' bleed (to hide duplex misregistration); elements that run
/// into the bleed follow it.
pub fn lay_out_deck(
    deck: &Deck,
    layout: &CardLayout,
    fonts: &FontBook,
    images: &ImageCache,
    back_extra_bleed: Pt,
    region: Option<&Region>,
    check: PrintCheck,
) -> (Option<Vec<CardFaces>>, Vec<Diagnostic>) {
    let opts =
        DeckLayout { deck, layout, fonts, images, back_extra_bleed, region, check, typography: None, faces: None };
    let (out, diags) = opts.cards(0..deck.cards.len(), &CardPool::default());
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(out), diags)
}

/// Everything needed to lay out the cards of a deck, for laying them out a window at a time.
#[derive(Clone, Copy)]
pub struct DeckLayout<'a> {
    /// The deck.
    pub deck: &'a Deck,
    /// Its card layout.
    pub layout: &'a CardLayout,
    /// Fonts.
    pub fonts: &'a FontBook,
    /// Images, converted for the output condition.
    pub images: &'a ImageCache,
    /// Extra bleed on the backs.
    pub back_extra_bleed: Pt,
    /// Region for `{region.*}`.
    pub region: Option<&'a Region>,
    /// The print condition the faces are checked against.
    pub check: PrintCheck<'a>,
    /// Where the typography report is collected; `None`: not asked for.
    pub typography: Option<&'a super::TypographyLog>,
    /// Faces of earlier builds, and the key of this deck's deck-wide inputs
    /// ([`DeckLayout::with_faces`]); `None`: every card is laid out.
    pub faces: Option<(&'a FaceCache, FaceKey)>,
}

/// What the windows of one deck's layout share (one pool per [`DeckLayout`]).
#[derive(Default)]
pub struct CardPool<'a> {
    /// Typesetters, so that their shaping and hyphenation caches (words repeat a lot across
    /// cards) outlive one chunk of cards.
    typesetters: Mutex<Vec<Typesetter<'a>>>,
    /// The back of each category, when a back shows nothing of a card but its category
    /// ([`back_is_per_category`]) and the card has no back fields of its own: laid out once,
    /// shared by the cards (and drawn once in print files, [`Frame::shared`]). With the frame,
    /// the diagnostics it had on the card that laid it out and that card's id: every card of the
    /// category reports them again as its own, as if it had laid out the back itself.
    backs: Mutex<HashMap<String, SharedBack>>,
}

impl<'a> DeckLayout<'a> {
    /// Takes the faces of unchanged cards from `cache`, and keeps those it lays out there
    /// (not while a typography report is collected: it is made while laying out).
    #[must_use]
    pub fn with_faces(self, cache: Option<&'a FaceCache>) -> Self {
        let faces = cache.filter(|_| self.typography.is_none()).map(|c| (c, self.deck_key()));
        if let Some((c, _)) = faces {
            c.lay_out(&self.deck.name);
        }
        DeckLayout { faces, ..self }
    }

    /// The hash of every deck-wide input of the faces ([`super::face_cache`]).
    fn deck_key(&self) -> FaceKey {
        let d = self.deck;
        // Debug is these types' full, deterministic content (no hash maps); written once.
        let settings = format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            d.name,
            d.title,
            d.subtitle,
            d.language,
            d.sender,
            d.hyphenator,
            d.keep_together,
            d.categories,
            self.layout,
            self.region,
            self.check,
            self.back_extra_bleed.0.to_bits(),
        );
        // The large inputs are hashed once here, not once per half of the key.
        let mut profile = std::hash::DefaultHasher::new();
        self.images.profile().hash(&mut profile);
        let profile = std::hash::Hasher::finish(&profile);
        let fonts = self.fonts.fingerprint();
        FaceKey::of(|h| (&settings, profile, fonts).hash(h))
    }

    /// Lays out the cards in `range` (deck order), in parallel. Returns the faces of every card
    /// (also those with errors) and the diagnostics, in deck order. Typesetters come from and go
    /// back to `pool`, and backs common to a category are kept there.
    pub fn cards(&self, range: std::ops::Range<usize>, pool: &CardPool<'a>) -> (Vec<CardFaces>, Vec<Diagnostic>) {
        use rayon::prelude::*;
        let DeckLayout { deck, layout, fonts, images, back_extra_bleed, region, check, typography, faces } = *self;
        let total = deck.cards.len();
        let first = range.start;
        let cards = &deck.cards[range];
        let contrast = Contrast::new(images.profile());
        // Not while a typography report is collected: it records each card's back.
        let per_category = typography.is_none() && back_is_per_category(&layout.back);
        // Cards are independent: lay them out in parallel chunks, each with its own typesetter
        // (the shaping cache is per thread). Results are joined in deck order, so output is
        // identical whatever the number of threads.
        let chunk = cards.len().div_ceil(rayon::current_num_threads().max(1) * 4).max(8);
        let parts: Vec<(Vec<CardFaces>, Vec<Diagnostic>)> = cards
            .par_chunks(chunk)
            .enumerate()
            .map(|(k, cards)| {
                crate::timing::time(crate::timing::Stage::Layout, || {
                    let ts = pool.typesetters.lock().ok().and_then(|mut p| p.pop()).unwrap_or_else(|| {
                        Typesetter::new(Shaper::new(fonts), &deck.hyphenator).keep_together(&deck.keep_together)
                    });
                    let env = Env {
                        ts: &ts,
                        images,
                        layout_file: &layout.file,
                        check: Checker::new(check),
                        contrast: contrast.clone(),
                        art_colors: &layout.artwork_colors,
                        typography,
                    };
                    let mut out = Vec::with_capacity(cards.len());
                    let mut diags = Vec::new();
                    for (i, card) in cards.iter().enumerate() {
                        let number = first + k * chunk + i + 1;
                        let key = faces.map(|(cache, deck)| (cache, card_key(deck, card, number, total)));
                        let cached = key.and_then(|(cache, key)| cache.get(key));
                        let (front, back) = match cached {
                            Some(faces) => faces,
                            None => {
                                let before = diags.len();
                                let cx = CardData { deck, layout, card, number, total, region };
                                let front = Arc::new(cx.face(&layout.front, Side::Front, Pt::ZERO, &env, &mut diags));
                                let back = if per_category && card.back.is_empty() {
                                    cx.category_back(pool, back_extra_bleed, &env, &mut diags)
                                } else {
                                    Arc::new(cx.face(&layout.back, Side::Back, back_extra_bleed, &env, &mut diags))
                                };
                                if let Some((cache, key)) = key
                                    && diags.len() == before
                                {
                                    cache.put(&deck.name, key, &front, &back);
                                }
                                (front, back)
                            }
                        };
                        out.push(CardFaces { id: card.id.clone(), copies: card.copies, front, back });
                    }
                    if let Ok(mut p) = pool.typesetters.lock() {
                        p.push(ts);
                    }
                    (out, diags)
                })
            })
            .collect();
        let mut out = Vec::with_capacity(cards.len());
        let mut diags = Vec::new();
        for (o, d) in parts {
            out.extend(o);
            diags.extend(d);
        }
        (out, diags)
    }
}

/// The key of one card's faces: the deck's inputs, the card's content and its place.
fn card_key(deck: FaceKey, card: &Card, number: usize, total: usize) -> FaceKey {
    FaceKey::of(|h| (deck, &card.id, &card.category, &card.fields, &card.back, card.copies, number, total).hash(h))
}

/// A category's back, laid out once: see [`CardPool`].
struct SharedBack {
    frame: Arc<Frame>,
    diags: Vec<Diagnostic>,
    laid_out_by: String,
}

impl SharedBack {
    /// The back's diagnostics as card `cx` reports them: named by that card instead of the card
    /// that laid the back out (its id as a group's item, and the start of the subject).
    fn diags_for<'s>(&'s self, cx: &CardData) -> impl Iterator<Item = Diagnostic> + 's {
        let (from, to) = (cx.subject_prefix_of(&self.laid_out_by), cx.subject_prefix_of(&cx.card.id));
        let id = cx.card.id.clone();
        self.diags.iter().map(move |d| {
            let mut d = d.clone();
            if let Some(g) = d.group.as_mut()
                && g.item == self.laid_out_by
            {
                g.item.clone_from(&id);
            }
            if let Some(rest) = d.location.subject.as_deref().and_then(|s| s.strip_prefix(&from)) {
                d.location.subject = Some(format!("{to}{rest}"));
            }
            d
        })
    }
}

struct CardData<'a> {
    deck: &'a Deck,
    layout: &'a CardLayout,
    card: &'a Card,
    number: usize,
    total: usize,
    region: Option<&'a Region>,
}

/// Whether a name (a field or placeholder) shows the same on every card of a category that has
/// no back fields of its own.
fn same_in_category(name: &str) -> bool {
    name == "category"
        || name == CATEGORY_ICON
        || name.starts_with("deck.")
        || name.starts_with("region.")
        || name.starts_with("back.")
}

/// Whether a face shows nothing of a card but its category (and the deck's and region's data):
/// then it is the same on every card of a category without back fields of its own.
fn back_is_per_category(elements: &[Element]) -> bool {
    elements.iter().all(|e| match e {
        Element::Text { source: TextSource::Field(f), .. } => same_in_category(f),
        Element::Text { source: TextSource::Template(t), .. } => placeholders(t).iter().all(|n| same_in_category(n)),
        Element::Rect { when, .. } | Element::Line { when, .. } => when.as_deref().is_none_or(same_in_category),
        Element::Image { source: ImageSource::Field(f), .. } => same_in_category(f),
        Element::Image { source: ImageSource::File(_), .. } => true,
    })
}

impl CardData<'_> {
    /// The back this card shares with its category: laid out by the first card that needs it
    /// (under the pool's lock, so one frame per category, whichever thread comes first). A
    /// diagnostic of that back is one of every card that shows it, so each card reports it again
    /// under its own name (a warning on a shared back used to make every card lay out its own).
    fn category_back(&self, pool: &CardPool, extra: Pt, env: &Env, diags: &mut Vec<Diagnostic>) -> Arc<Frame> {
        let mut backs = pool.backs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(shared) = backs.get(&self.card.category) {
            diags.extend(shared.diags_for(self));
            return shared.frame.clone();
        }
        let before = diags.len();
        let mut back = self.face(&self.layout.back, Side::Back, extra, env, diags);
        let mut id = std::hash::DefaultHasher::new();
        self.card.category.hash(&mut id);
        back.shared = Some(std::hash::Hasher::finish(&id));
        let frame = Arc::new(back);
        let shared =
            SharedBack { frame: frame.clone(), diags: diags[before..].to_vec(), laid_out_by: self.card.id.clone() };
        backs.insert(self.card.category.clone(), shared);
        frame
    }

    /// How [`Templated::subject`] begins for the card `id` of this deck.
    fn subject_prefix_of(&self, id: &str) -> String {
        format!("deck {}, card {id}, ", self.deck.name)
    }

    fn face(&self, elements: &[Element], side: Side, extra: Pt, env: &Env, diags: &mut Vec<Diagnostic>) -> Frame {
        let bleed = self.layout.bleed + extra;
        let mut frame =
            Frame { size: self.layout.frame_size(bleed), trim: self.layout.trim_rect(bleed), ..Frame::default() };
        lay_out_elements(elements, self, env, &mut frame, extra, side.name(), diags);
        // A front without a `title` box is named by its first text (the question).
        if side == Side::Front
            && !frame.blocks.iter().any(|b| b.kind == BlockKind::Heading(CARD_HEADING))
            && let Some(b) = frame.blocks.iter_mut().find(|b| b.kind == BlockKind::Paragraph)
        {
            b.kind = BlockKind::Heading(CARD_HEADING);
        }
        frame
    }
}

/// The heading level of a card's category in the download version (below the deck's title).
pub const CATEGORY_HEADING: u8 = 2;
/// The heading level of a card's title (or question) in the download version.
pub const CARD_HEADING: u8 = 3;

/// Whether a placeholder is the same on every card of the deck.
fn deck_wide(name: &str) -> bool {
    name.starts_with("deck.") || matches!(name, "card.number" | "card.total")
}

impl TemplateData for CardData<'_> {
    fn value(&self, name: &str) -> Option<String> {
        let d = self.deck;
        match name {
            "category" => Some(d.category_label(&self.card.category).to_string()),
            CATEGORY_ICON => self.layout.category_icon(&self.card.category).map(str::to_string),
            "deck.title" => Some(d.title.clone()),
            "deck.subtitle" => d.subtitle.clone(),
            "deck.sender" => d.sender.clone(),
            "card.id" => Some(self.card.id.clone()),
            "card.number" => Some(self.number.to_string()),
            "card.total" => Some(self.total.to_string()),
            "region.name" => self.region.map(|r| r.name.clone()),
            _ if name.starts_with("region.") => {
                self.region.and_then(|r| r.fields.get(&name["region.".len()..]).cloned())
            }
            _ => match name.strip_prefix("back.") {
                Some(b) => self.card.back.get(b).cloned(),
                None => self.card.fields.get(name).cloned(),
            },
        }
    }

    fn locate(&self, field: &str) -> Location {
        if field == CATEGORY_ICON {
            // The layout names the file.
            let key =
                if self.layout.category_icons.contains_key(&self.card.category) { &self.card.category } else { "*" };
            return self.layout.file.locate(&format!("categories.{key}.icon"));
        }
        let sub = match field.strip_prefix("back.") {
            Some(b) => format!("back.{b}"),
            None if field == "category" => "category".to_string(),
            None if self.card.fields.contains_key(field) => format!("fields.{field}"),
            None => String::new(),
        };
        self.card.origin.locate(&self.deck.file, &sub)
    }

    fn subject(&self, field: &str) -> String {
        format!("{}field `{field}`", self.subject_prefix_of(&self.card.id))
    }

    fn image_subject(&self, path: &str) -> String {
        format!("{}image {path}", self.subject_prefix_of(&self.card.id))
    }

    /// A card layout rarely says what its boxes mean, so the default role (`paragraph`) is read
    /// from what a box shows: the category is a heading above the card's title (`title` field),
    /// texts that are the same on every card (deck title, card number) are decoration on a front,
    /// and the deck's title is the title on a back (the download version's cover). A declared
    /// role other than `paragraph` is kept.
    fn block_kind(&self, source: &TextSource, role: TextRole, face: &str) -> Option<BlockKind> {
        if role != TextRole::Paragraph {
            return role_kind(role);
        }
        let front = face == Side::Front.name();
        match source {
            TextSource::Field(f) if f == "category" => Some(BlockKind::Heading(CATEGORY_HEADING)),
            TextSource::Field(f) if f == "title" && front => Some(BlockKind::Heading(CARD_HEADING)),
            TextSource::Field(_) => Some(BlockKind::Paragraph),
            TextSource::Template(t) => {
                let names = placeholders(t);
                if names.iter().any(|n| n == "category") {
                    Some(BlockKind::Heading(CATEGORY_HEADING))
                } else if !names.iter().all(|n| deck_wide(n)) {
                    Some(BlockKind::Paragraph)
                } else if front {
                    None
                } else if names == ["deck.title"] {
                    Some(BlockKind::Title)
                } else {
                    Some(BlockKind::Paragraph)
                }
            }
        }
    }

    fn category_color(&self) -> Option<Color> {
        self.layout.category_colors.get(&self.card.category).or(self.layout.default_category_color.as_ref()).cloned()
    }
}
