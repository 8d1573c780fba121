//! Horizontal alignment of a paragraph's lines: the typesetter's own word for it (the JSON
//! spelling lives in the model, which converts into this).

/// How a paragraph's lines sit between its left and right edges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Ragged right.
    Left,
    /// Centred lines.
    Center,
    /// Ragged left.
    Right,
    /// Both edges straight (last line left).
    Justify,
}
