//! The layout stage: card data + templates + typeset text → frames.

pub mod calibration;
pub mod card;
pub mod frame;
pub mod leaflet;
pub mod slug;
pub mod template;
pub mod text_page;

pub use card::layout_deck;
pub use frame::{Block, BlockKind, Frame, FrameItem, Side, Stroke};
