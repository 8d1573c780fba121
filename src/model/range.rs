//! Numbers with a domain: every length, size, percentage, angle and count a JSON file holds is
//! checked when the file is read — finite, in its domain, below a sane maximum — so that a value
//! such as `1e308` or `0` is reported at its own key, never as a later symptom (a panic in export,
//! a hang in the line breaker, gigabytes of allocation).
//!
//! The domain is part of the field's type: `bleed: Len<Bleed>` reads a [`Length`] and refuses
//! anything outside [`Bleed`]'s range, and the JSON Schema of the field states the same range as
//! `minimum`/`maximum`, so editors flag it while typing. One marker type per kind of value keeps
//! every range in this file.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::{Deserialize, Deserializer};

use super::length::{LENGTH_PATTERN, Length};
use super::rule::{Broken, refuse};
use crate::units::Mm;

/// The unit a domain's bounds are stated in (and in which messages show them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Millimetres (lengths of the page).
    Mm,
    /// Points (type sizes).
    Pt,
    /// Percent (ink, tints).
    Percent,
    /// Thousandths of an em (tracking).
    PerMilleEm,
    /// Degrees.
    Degrees,
    /// A plain number (counts, weights).
    Count,
}

impl Unit {
    fn suffix(self) -> &'static str {
        match self {
            Unit::Mm => " mm",
            Unit::Pt => " pt",
            Unit::Percent => " %",
            Unit::PerMilleEm => "/1000 em",
            Unit::Degrees => "°",
            Unit::Count => "",
        }
    }
}

/// A kind of value and the range it may take.
pub trait Domain: 'static {
    /// Least allowed value, in [`Domain::UNIT`].
    const MIN: f64;
    /// Greatest allowed value, in [`Domain::UNIT`].
    const MAX: f64;
    /// Whether `MIN` itself is excluded (a size must be more than zero).
    const MIN_EXCLUSIVE: bool = false;
    /// Unit of `MIN` and `MAX`.
    const UNIT: Unit;
    /// What to do about a value out of range.
    const HINT: &'static str = "";
}

/// Shows a value in a domain's unit, rounded for reading (`2.5`, `1e308`).
fn show(v: f64, unit: Unit) -> String {
    let s = if v.abs() >= 1e7 || (v != 0.0 && v.abs() < 1e-3) {
        format!("{v:e}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    format!("{s}{}", unit.suffix())
}

/// A number outside its domain's range, or a fraction where a whole number belongs.
#[derive(Clone, Debug, PartialEq)]
pub enum RangeError {
    /// Outside `[min, max]` (`min` excluded when `min_exclusive`).
    Outside {
        /// The value, in `unit`.
        value: f64,
        /// Least allowed value.
        min: f64,
        /// Greatest allowed value.
        max: f64,
        /// Whether `min` itself is excluded.
        min_exclusive: bool,
        /// Unit of the numbers.
        unit: Unit,
        /// What to do about it (empty: nothing to add).
        hint: &'static str,
    },
    /// A fraction where a count belongs.
    NotWhole(f64),
}

impl RangeError {
    /// `value` outside `D`'s range.
    pub fn outside<D: Domain>(value: f64) -> RangeError {
        RangeError::Outside {
            value,
            min: D::MIN,
            max: D::MAX,
            min_exclusive: D::MIN_EXCLUSIVE,
            unit: D::UNIT,
            hint: D::HINT,
        }
    }

    /// The rule the value broke, for the loader (which puts the key in front:
    /// `` `bleed` must be … ``).
    pub fn broken(&self) -> Broken {
        match *self {
            RangeError::NotWhole(v) => Broken { key: None, rule: format!("be a whole number, not {v}"), hint: None },
            RangeError::Outside { value, min, max, min_exclusive, unit, hint } => {
                let got = if value.is_finite() { show(value, unit) } else { "a value too large to use".to_string() };
                let low = if min_exclusive { "more than" } else { "at least" };
                let rule = if min_exclusive && min == 0.0 {
                    format!("be more than 0 and at most {}, not {got}", show(max, unit))
                } else if min == max {
                    format!("be {}, not {got}", show(min, unit))
                } else {
                    format!(
                        "be {low} {} and at most {}, not {got}",
                        show(min, unit).trim_end_matches(unit.suffix()),
                        show(max, unit)
                    )
                };
                Broken { key: None, rule, hint: (!hint.is_empty()).then_some(hint) }
            }
        }
    }

    /// The same rule, broken by the member `key` of a value read by hand.
    pub fn at_key(&self, key: &'static str) -> Broken {
        Broken { key: Some(key), ..self.broken() }
    }
}

/// Starts with "must be", so that a key can go in front (`` `tint` must be … ``).
impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.broken().fmt(f)
    }
}

impl std::error::Error for RangeError {}

/// Whether `v` (in `D`'s unit) lies in `D`'s range.
fn in_range<D: Domain>(v: f64) -> bool {
    v.is_finite() && (if D::MIN_EXCLUSIVE { v > D::MIN } else { v >= D::MIN }) && v <= D::MAX
}

/// Checks `v` (in `D`'s unit) against `D`'s range.
pub fn check<D: Domain>(v: f64) -> Result<f64, RangeError> {
    if in_range::<D>(v) { Ok(v) } else { Err(RangeError::outside::<D>(v)) }
}

fn to_unit(l: Length, unit: Unit) -> f64 {
    match unit {
        Unit::Pt => l.pt().0,
        _ => l.pt().to_mm().0,
    }
}

/// The `minimum`/`maximum` keywords of a domain, with numbers in `number_unit` (JSON numbers are
/// millimetres for lengths, whatever unit the domain is stated in).
fn bounds<D: Domain>(scale: f64) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    let round = |v: f64| (v * scale * 1e4).round() / 1e4;
    let min_key = if D::MIN_EXCLUSIVE { "exclusiveMinimum" } else { "minimum" };
    m.insert(min_key.into(), round(D::MIN).into());
    m.insert("maximum".into(), round(D::MAX).into());
    m
}

/// `{"type": kind, "minimum": …, "maximum": …}` of a plain number in domain `D`.
fn plain_schema<D: Domain>(kind: &str) -> schemars::Schema {
    let mut m = serde_json::Map::new();
    m.insert("type".into(), kind.into());
    m.extend(bounds::<D>(1.0));
    schemars::Schema::from(m)
}

fn range_text<D: Domain>() -> String {
    let low = if D::MIN_EXCLUSIVE { "more than" } else { "from" };
    format!("{low} {} to {}", show(D::MIN, D::UNIT), show(D::MAX, D::UNIT))
}

/// Clone, Copy, Debug and PartialEq by the value alone (a derive would ask the same of `D`).
macro_rules! value_traits {
    ($($t:ident),*) => {$(
        impl<D> Clone for $t<D> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<D> Copy for $t<D> {}
        impl<D> fmt::Debug for $t<D> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
        impl<D> PartialEq for $t<D> {
            fn eq(&self, o: &Self) -> bool {
                self.0 == o.0
            }
        }
    )*};
}

value_traits!(Len, Num, Int);

/// A length in domain `D`. Reads like [`Length`] (`3`, `"3mm"`, `"8.5pt"`), then checks the range.
pub struct Len<D>(Length, PhantomData<D>);

impl<D: Domain> Len<D> {
    /// A length in millimetres (for defaults; not range-checked).
    pub fn mm(v: f64) -> Len<D> {
        Len(Length(Mm(v).to_pt()), PhantomData)
    }
    /// Checks a length against the domain.
    pub fn new(l: Length) -> Result<Len<D>, RangeError> {
        check::<D>(to_unit(l, D::UNIT)).map(|_| Len(l, PhantomData))
    }
}

impl<D> Deref for Len<D> {
    type Target = Length;
    fn deref(&self) -> &Length {
        &self.0
    }
}

impl<D> Default for Len<D> {
    fn default() -> Self {
        Len(Length::default(), PhantomData)
    }
}

impl<'de, D: Domain> Deserialize<'de> for Len<D> {
    fn deserialize<De: Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
        // Unbounded first: the domain's own message is the one to show for 1e308.
        let l = Length::deserialize_unbounded(d)?;
        Len::new(l).map_err(|e| refuse(e.broken()))
    }
}

impl<D: Domain> schemars::JsonSchema for Len<D> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        // Inlined: each field shows its own range.
        "Length".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // JSON numbers are millimetres; a domain stated in points converts.
        let scale = if D::UNIT == Unit::Pt { 25.4 / 72.0 } else { 1.0 };
        let mut number = serde_json::Map::new();
        number.insert("type".into(), "number".into());
        number.insert("description".into(), "Millimetres.".into());
        number.extend(bounds::<D>(scale));
        schemars::json_schema!({
            "description": format!(
                "A length, {}: a number means millimetres; a string carries its unit, e.g. \"3mm\", \"8.5pt\", \"1.2cm\", \"0.5in\".",
                range_text::<D>()
            ),
            "anyOf": [
                serde_json::Value::Object(number),
                { "type": "string", "pattern": LENGTH_PATTERN, "description": "A number with a unit: mm, pt, cm or in (no unit: mm)." }
            ]
        })
    }
}

/// A plain number in domain `D` (percentages, tracking, angles).
pub struct Num<D>(pub f64, PhantomData<D>);

impl<D: Domain> Num<D> {
    /// A value (for defaults; not range-checked).
    pub const fn of(v: f64) -> Num<D> {
        Num(v, PhantomData)
    }
    /// The number.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl<D> Default for Num<D> {
    fn default() -> Self {
        Num(0.0, PhantomData)
    }
}

impl<'de, D: Domain> Deserialize<'de> for Num<D> {
    fn deserialize<De: Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
        let v = d.deserialize_f64(NumberVisitor("a number"))?;
        check::<D>(v).map(Num::of).map_err(|e| refuse(e.broken()))
    }
}

impl<D: Domain> schemars::JsonSchema for Num<D> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        plain_schema::<D>("number")
    }
}

/// A whole number in domain `D` (copies, quantities, weights).
pub struct Int<D>(pub u32, PhantomData<D>);

impl<D: Domain> Int<D> {
    /// A value (for defaults; not range-checked).
    pub const fn of(v: u32) -> Int<D> {
        Int(v, PhantomData)
    }
    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl<'de, D: Domain> Deserialize<'de> for Int<D> {
    fn deserialize<De: Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
        // Read as a float so that `1e12` or `-3` get the range message, not a type error; a
        // fraction is refused.
        let v = d.deserialize_f64(NumberVisitor("a whole number"))?;
        let v = check::<D>(v).map_err(|e| refuse(e.broken()))?;
        if v.fract() != 0.0 {
            return Err(refuse(RangeError::NotWhole(v).broken()));
        }
        Ok(Int::of(v as u32))
    }
}

impl<D: Domain> schemars::JsonSchema for Int<D> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Integer".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        plain_schema::<D>("integer")
    }
}

/// Reads any JSON number as f64; says what was expected (not "f64") otherwise.
struct NumberVisitor(&'static str);

impl serde::de::Visitor<'_> for NumberVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_f64<E>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
}

macro_rules! domains {
    ($($(#[$doc:meta])* $name:ident: $low:ident $min:literal ..= $max:literal $unit:ident $(, $hint:literal)?;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug)]
            pub enum $name {}
            impl Domain for $name {
                const MIN: f64 = $min as f64;
                const MAX: f64 = $max as f64;
                const MIN_EXCLUSIVE: bool = domains!(@excl $low);
                const UNIT: Unit = Unit::$unit;
                $(const HINT: &'static str = $hint;)?
            }
        )*
    };
    (@excl from) => { false };
    (@excl above) => { true };
}

// Every range of every number (`from a ..= b`: a ≤ v ≤ b; `above a ..= b`: a < v ≤ b) a JSON file may hold. Maxima are far above any real print product
// (the largest sheet a press takes is about 1 × 1.4 m) but low enough that the geometry and the
// line breaker stay well inside f64 and finish at once.
domains! {
    /// A width or height of a card, panel, box or image: more than 0, at most 2 m.
    Extent: above 0 ..= 2000 Mm, "sizes are in millimetres unless a unit is written";
    /// A sheet's width or height.
    SheetExtent: above 0 ..= 3000 Mm, "the largest sheets presses take are about 1000 × 1400 mm";
    /// A position from the trim's top-left corner; may be negative (into the bleed).
    Position: from -2000 ..= 2000 Mm, "positions are millimetres from the top-left corner of the trim";
    /// Bleed beyond the trim.
    Bleed: from 0 ..= 25 Mm, "print shops ask for 2–5 mm of bleed";
    /// A distance inside the trim: safe area, padding, margins of a page.
    Inset: from 0 ..= 500 Mm;
    /// A margin of a sheet.
    SheetMargin: from 0 ..= 1000 Mm;
    /// The border an office printer cannot print.
    Unprintable: from 0 ..= 50 Mm, "office printers leave 3–6 mm unprinted";
    /// A gutter between imposed cards.
    Gutter: from 0 ..= 200 Mm;
    /// Length of a crop mark.
    MarkLength: above 0 ..= 50 Mm, "crop marks are usually 3–10 mm long";
    /// Gap between the trim and a crop mark.
    MarkOffset: from 0 ..= 50 Mm, "the offset is usually the bleed, 3 mm";
    /// Width of a stroke (crop marks, lines, rectangle borders).
    Stroke: from 0 ..= 20 Mm;
    /// A duplex back offset (printer misregistration is a millimetre or two).
    BackShift: from -20 ..= 20 Mm, "print `tryksag calibrate` and read the offset off the sheet";
    /// Extra bleed on backs.
    BackExtraBleed: from 0 ..= 10 Mm, "1–2 mm hides most misregistration";
    /// Fold compensation of a roll fold's folded-in panel.
    FoldCompensation: from 0 ..= 20 Mm, "roll folds shorten the folded-in panel by 2–3 mm";
    /// Vertical space between blocks or paragraphs.
    Spacing: from 0 ..= 200 Mm;
    /// A type size.
    FontSize: from 4 ..= 200 Pt, "type sizes are points: write e.g. \"10pt\" (a bare number means millimetres)";
    /// Baseline-to-baseline distance.
    Leading: from 1 ..= 400 Pt, "leading is usually 1.2 × the type size";
    /// Letter spacing.
    Tracking: from -100 ..= 500 PerMilleEm, "tracking is in thousandths of an em: 0 is normal, 50 is open";
    /// A font weight.
    Weight: from 1 ..= 1000 Count, "weights are 100 (thin) to 900 (black); 400 is regular, 700 bold";
    /// Fewest letters of a word that is hyphenated.
    HyphenWord: from 2 ..= 40 Count, "Danish practice hyphenates words of 7 letters or more";
    /// Fewest letters before or after a hyphen.
    HyphenLetters: from 2 ..= 10 Count, "at least 3 letters each side of a hyphen is Danish practice";
    /// Most hyphenated lines in a row.
    HyphensInRow: from 0 ..= 10 Count, "2 for justified text and 1 for ragged are the defaults";
    /// Fewest characters on a paragraph's last line.
    LastLineChars: from 0 ..= 200 Count, "the default 7 keeps a single short word off the last line";
    /// How full a leaflet's flow panel must be, as a fraction of the deepest one.
    FillRatio: above 0 ..= 1 Count, "0.6 lets a panel end at 60 % of the depth of the fullest panel";
    /// An ink or tint percentage.
    Percent: from 0 ..= 100 Percent;
    /// The total ink a colour may have (C+M+Y+K).
    InkLimit: above 0 ..= 400 Percent, "offset printing on coated paper allows 300–330 %";
    /// A rotation of the duplex back in degrees.
    BackAngle: from -10 ..= 10 Degrees, "misregistration angles are a fraction of a degree";
    /// How many times a card is printed in one deck.
    Copies: from 1 ..= 100 Count, "`copies` is how often the card is on the sheets (1–100); the run's `quantity` orders more";
    /// How many copies a print run orders.
    Quantity: from 1 ..= 1000000 Count;
    /// The thickness of one sheet of paper (a leaf): office paper is about 0.1 mm.
    Caliper: above 0 ..= 1 Mm, "paper calipers are 0.05–0.4 mm (80 g/m² copy paper: 0.1 mm; 120 g/m² silk: 0.11 mm)";
    /// Paper weight in g/m².
    Grammage: from 30 ..= 500 Count, "text papers are 80–170 g/m², covers 200–350 g/m²";
    /// A booklet's fixed page count.
    PageCount: from 4 ..= 400 Count, "a saddle-stitched booklet has 8–64 pages, a multiple of 4";
    /// Text columns on a page.
    Columns: from 1 ..= 4 Count;
    /// Heading levels a table of contents lists.
    TocLevels: from 1 ..= 3 Count;
    /// Ruled write-in lines of an exercise.
    WriteLines: from 1 ..= 40 Count, "an A5 page holds about 18 write-in lines";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Pt;

    #[test]
    fn lengths_in_and_out_of_range() {
        let ok: Len<Bleed> = serde_json::from_str("3").unwrap();
        assert!((ok.pt().to_mm().0 - 3.0).abs() < 1e-9);
        let e = serde_json::from_str::<Len<Bleed>>("500").unwrap_err().to_string();
        assert!(e.starts_with("must be at least 0 and at most 25 mm, not 500 mm"), "{e}");
        let e = serde_json::from_str::<Len<Extent>>("0").unwrap_err().to_string();
        assert!(e.starts_with("must be more than 0 and at most 2000 mm, not 0 mm"), "{e}");
        let e = serde_json::from_str::<Len<Extent>>("1e308").unwrap_err().to_string();
        assert!(e.contains("too large"), "{e}");
        let e = serde_json::from_str::<Len<FontSize>>("\"0pt\"").unwrap_err().to_string();
        assert!(e.contains("at least 4 and at most 200 pt, not 0 pt"), "{e}");
        let ok: Len<FontSize> = serde_json::from_str("\"9pt\"").unwrap();
        assert_eq!(ok.pt(), Pt(9.0));
    }

    #[test]
    fn range_errors_are_typed_and_keep_their_texts() {
        let e = check::<Bleed>(500.0).unwrap_err();
        assert_eq!(
            e,
            RangeError::Outside {
                value: 500.0,
                min: 0.0,
                max: 25.0,
                min_exclusive: false,
                unit: Unit::Mm,
                hint: "print shops ask for 2–5 mm of bleed"
            }
        );
        assert_eq!(
            e.to_string(),
            "must be at least 0 and at most 25 mm, not 500 mm; print shops ask for 2–5 mm of bleed"
        );
        assert_eq!(e.broken().rule, "be at least 0 and at most 25 mm, not 500 mm");
        assert_eq!(e.at_key("top").to_string(), format!("`top` {e}"));
        assert_eq!(check::<Percent>(101.0).unwrap_err().to_string(), "must be at least 0 and at most 100 %, not 101 %");
        assert_eq!(RangeError::NotWhole(2.5).to_string(), "must be a whole number, not 2.5");
        assert!(check::<Percent>(100.0).is_ok());
    }

    #[test]
    fn numbers_and_counts() {
        assert!(serde_json::from_str::<Num<Percent>>("100").is_ok());
        assert!(serde_json::from_str::<Num<Percent>>("100.5").is_err());
        assert!(serde_json::from_str::<Num<Percent>>("-1").is_err());
        assert!(serde_json::from_str::<Int<Copies>>("0").is_err());
        let e = serde_json::from_str::<Int<Copies>>("4000000000").unwrap_err().to_string();
        assert!(e.contains("at most 100,"), "{e}");
        assert!(serde_json::from_str::<Int<Copies>>("2.5").is_err());
        assert_eq!(serde_json::from_str::<Int<Copies>>("3").unwrap().get(), 3);
    }

    #[test]
    fn schema_states_the_range_in_millimetres() {
        let s = schemars::schema_for!(Len<FontSize>);
        let v = serde_json::to_value(&s).unwrap();
        let max = v["anyOf"][0]["maximum"].as_f64().unwrap();
        assert!((max - 70.5556).abs() < 1e-3, "{max}");
        assert_eq!(v["anyOf"][0]["minimum"].as_f64(), Some(1.4111));
        let s = serde_json::to_value(schemars::schema_for!(Len<Extent>)).unwrap();
        assert_eq!(s["anyOf"][0]["exclusiveMinimum"].as_f64(), Some(0.0));
    }
}
