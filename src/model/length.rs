//! Lengths as designers write them: a number means millimetres, a string carries its unit.

use std::fmt;

use serde::{Deserialize, Deserializer};

use super::rule::{Broken, refuse};
use crate::units::{Mm, Pt};

/// Why a length was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum LengthError {
    /// Not a number with a known unit (the text as written).
    Invalid(String),
    /// Beyond the ±10 m every length lies within: the value in millimetres (not finite when it
    /// is too large to use).
    OutOfBounds(f64),
}

impl LengthError {
    /// The rule an out-of-bounds length broke (an unreadable one broke none).
    fn broken(&self) -> Option<Broken> {
        let LengthError::OutOfBounds(mm) = self else { return None };
        let got = if mm.is_finite() { format!("{mm:e} mm") } else { "a value too large to use".into() };
        Some(Broken {
            key: None,
            rule: format!("be a length between -{MAX_LENGTH_MM} and {MAX_LENGTH_MM} mm, not {got}"),
            hint: None,
        })
    }

    /// The serde error for this refusal.
    fn into_de<E: serde::de::Error>(self) -> E {
        match self.broken() {
            Some(b) => refuse(b),
            None => E::custom(self),
        }
    }
}

impl fmt::Display for LengthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LengthError::Invalid(s) => write!(
                f,
                "invalid length `{s}`: write a number (mm) or a string like \"3mm\", \"8.5pt\", \"1cm\", \"0.5in\""
            ),
            LengthError::OutOfBounds(_) => self.broken().map_or(Ok(()), |b| b.fmt(f)),
        }
    }
}

impl std::error::Error for LengthError {}

/// A length from JSON: `12` (mm), `"12mm"`, `"8.5pt"`, `"1.2cm"`, `"0.5in"`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Length(pub Pt);

impl Length {
    /// The length in points.
    pub fn pt(self) -> Pt {
        self.0
    }
    /// Parses `"8.5pt"` and friends.
    pub fn parse(s: &str) -> Result<Length, LengthError> {
        sane(parse_number(s)?)
    }
}

/// `"8.5pt"` → 8.5 pt, without the ±10 m bound (may be infinite).
fn parse_number(s: &str) -> Result<Pt, LengthError> {
    {
        let t = s.trim();
        let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let v: f64 = num.trim().parse().map_err(|_| bad(s))?;
        let pt = match unit.trim() {
            "" | "mm" => Mm(v).to_pt(),
            "pt" => Pt(v),
            "cm" => Mm(v * 10.0).to_pt(),
            "in" => Pt(v * 72.0),
            _ => return Err(bad(s)),
        };
        if pt.0.is_nan() {
            return Err(bad(s));
        }
        Ok(pt)
    }
}

/// Any length tryksag reads lies within ±10 m: far beyond any print product, far inside f64, so
/// that no later arithmetic overflows. Fields with a narrower domain use [`super::range::Len`].
pub const MAX_LENGTH_MM: f64 = 10_000.0;

fn sane(pt: Pt) -> Result<Length, LengthError> {
    let mm = pt.to_mm().0;
    if !mm.is_finite() || mm.abs() > MAX_LENGTH_MM {
        return Err(LengthError::OutOfBounds(mm));
    }
    Ok(Length(pt))
}

fn bad(s: &str) -> LengthError {
    LengthError::Invalid(s.to_string())
}

impl Length {
    /// Reads a length without the ±10 m bound (the caller checks a narrower domain); a string
    /// must still parse to a number.
    pub fn deserialize_unbounded<'de, D: Deserializer<'de>>(d: D) -> Result<Length, D::Error> {
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom("invalid length: write a number (mm) or a string like \"3mm\" or \"8.5pt\"")
        })? {
            Raw::Num(v) => Ok(Length(Mm(v).to_pt())),
            // Out of the ±10 m bound but a number: the domain says so.
            Raw::Str(s) => parse_number(&s).map(Length).map_err(LengthError::into_de),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Raw {
    Num(f64),
    Str(String),
}

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let l = Length::deserialize_unbounded(d)?;
        sane(l.0).map_err(LengthError::into_de)
    }
}

/// The pattern a length string must match in the JSON Schemas (a number with an optional unit).
pub const LENGTH_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?\s*(mm|pt|cm|in)?$";

impl schemars::JsonSchema for Length {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Length".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A length: a number means millimetres; a string carries its unit, e.g. \"3mm\", \"8.5pt\", \"1.2cm\", \"0.5in\".",
            "anyOf": [
                { "type": "number", "description": "Millimetres." },
                { "type": "string", "pattern": LENGTH_PATTERN, "description": "A number with a unit: mm, pt, cm or in (no unit: mm)." }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert!((Length::parse("25.4mm").unwrap().0.0 - 72.0).abs() < 1e-9);
        assert_eq!(Length::parse("8.5pt").unwrap().0, Pt(8.5));
        assert!((Length::parse("1in").unwrap().0.0 - 72.0).abs() < 1e-9);
        assert!(Length::parse("3px").is_err());
        assert!(Length::parse("pt").is_err());
        assert_eq!(Length::parse("3px"), Err(LengthError::Invalid("3px".into())));
        assert_eq!(
            Length::parse("3px").unwrap_err().to_string(),
            "invalid length `3px`: write a number (mm) or a string like \"3mm\", \"8.5pt\", \"1cm\", \"0.5in\""
        );
        assert_eq!(
            Length::parse("20m").unwrap_err().to_string(),
            "invalid length `20m`: write a number (mm) or a string like \"3mm\", \"8.5pt\", \"1cm\", \"0.5in\""
        );
        let far = Length::parse("20000mm").unwrap_err();
        assert_eq!(far, LengthError::OutOfBounds(20000.0));
        assert_eq!(far.to_string(), "must be a length between -10000 and 10000 mm, not 2e4 mm");
        let l: Length = serde_json::from_str("3").unwrap();
        assert!((l.0.to_mm().0 - 3.0).abs() < 1e-9);
        let l: Length = serde_json::from_str("\"-2mm\"").unwrap();
        assert!((l.0.to_mm().0 + 2.0).abs() < 1e-9);
    }
}
