//! Resolving a colour: CMYK and spot values checked (range, ink limit), names looked up in the
//! palette.

use super::{BUILTIN_COLORS, Ctx};
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::color::{Color, ColorSpec, check_cmyk};
use crate::model::element::ColorRef;
use crate::model::range::{self, Percent};

impl Ctx<'_> {
    pub(super) fn color(&mut self, spec: &ColorSpec, path: &str) -> Option<ColorRef> {
        match spec {
            ColorSpec::Cmyk(c) => match check_cmyk(c) {
                Ok(()) => {
                    let total: f64 = c.iter().sum();
                    if total > self.ink_limit + 1e-9 {
                        self.errors.push(
                            Diagnostic::error(format!(
                                "colour {c:?} has {total:.0} % total ink, above the {:.0} % limit",
                                self.ink_limit
                            ))
                            .with_hint("lower C, M or Y (keep K), or raise \"ink_limit\" if the printer allows more")
                            .at(self.file.locate(path)),
                        );
                        return None;
                    }
                    Some(ColorRef::Fixed(Color::Cmyk(*c)))
                }
                Err(e) => {
                    self.errors.push(Diagnostic::error(e.to_string()).at(self.file.locate(path)));
                    None
                }
            },
            ColorSpec::Spot(s) => {
                if let Err(e) = check_cmyk(&s.cmyk) {
                    self.errors.push(Diagnostic::error(e.to_string()).at(self.file.locate(&format!("{path}.cmyk"))));
                    return None;
                }
                if let Err(msg) = range::check::<Percent>(s.tint) {
                    self.errors.push(
                        Diagnostic::error(format!("`tint` {msg}"))
                            .with_hint("a tint is the percentage of the spot ink, 0–100")
                            .at(self.file.locate(&format!("{path}.tint"))),
                    );
                    return None;
                }
                if s.spot.trim().is_empty() {
                    self.errors.push(
                        Diagnostic::error("a spot colour needs a name")
                            .with_hint("write the colorant's name as the print shop knows it, e.g. \"PANTONE 3145 C\"")
                            .at(self.file.locate(&format!("{path}.spot"))),
                    );
                    return None;
                }
                Some(ColorRef::Fixed(Color::Spot { name: s.spot.clone(), fallback: s.cmyk, tint: s.tint }))
            }
            ColorSpec::Name(n) => match n.as_str() {
                "black" => Some(ColorRef::Fixed(Color::BLACK)),
                "white" => Some(ColorRef::Fixed(Color::WHITE)),
                "registration" => Some(ColorRef::Fixed(Color::Registration)),
                "category" => Some(ColorRef::Category),
                _ => match self.colors.get(n) {
                    Some(c) => Some(ColorRef::Fixed(c.clone())),
                    None if self.broken_colors.contains(n) => None,
                    None => {
                        let names: Vec<&str> = self.colors.keys().map(String::as_str).chain(BUILTIN_COLORS).collect();
                        let hint = match did_you_mean(n, names.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`? known colours: {}", names.join(", ")),
                            None => format!("define it in \"colors\"; known colours: {}", names.join(", ")),
                        };
                        self.errors.push(
                            Diagnostic::error(format!("unknown colour `{n}`"))
                                .with_hint(hint)
                                .at(self.file.locate(path)),
                        );
                        None
                    }
                },
            },
        }
    }
}
