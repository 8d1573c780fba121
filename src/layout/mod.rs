//! The layout stage: card data + templates + typeset text → frames.

pub mod card;
pub mod frame;
pub mod leaflet;
pub mod template;

pub use card::{Face, layout_deck};
pub use frame::{Block, BlockKind, Frame, FrameItem, Stroke};
