//! The layout stage: card data + templates + typeset text → frames.

pub(crate) mod artwork;
pub(crate) mod booklet;
pub(crate) mod calibration;
pub(crate) mod card;
pub(crate) mod contrast;
pub(crate) mod face_cache;
pub(crate) mod frame;
pub(crate) mod gwg;
pub(crate) mod leaflet;
pub(crate) mod leaflet_screen;
pub(crate) mod panel_flow;
pub(crate) mod picture;
pub(crate) mod reflow;
pub(crate) mod slug;
pub(crate) mod template;
pub(crate) mod text_page;
pub(crate) mod typography;

pub use booklet::{BookletInput, BookletPage, BookletPages, PageKind, lay_out_booklet};
pub use calibration::{STEPS, lay_out_calibration};
pub use card::lay_out_deck;
pub use card::{CardFaces, DeckLayout};
pub use face_cache::FaceCache;
pub use frame::{ArtPaint, Artwork, Block, BlockKind, Frame, FrameItem, Side, Stroke, VectorPath, VectorStroke};
pub use leaflet::{LeafletInput, LeafletPanels, lay_out_leaflet};
pub use leaflet_screen::lay_out_leaflet_screen;
pub use typography::{FieldReport, ProductTypography, TypographyLog};
