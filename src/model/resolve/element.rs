//! Resolving a template element (text box, rectangle, image, line): its box in frame coordinates,
//! its style and colours, and the static checks (safe area, thin lines, placeholders).

use std::collections::BTreeMap;

use super::Ctx;
use crate::diag::{Diagnostic, Topic, did_you_mean};
use crate::model::color::Color;
use crate::model::element::{ColorRef, Element, ImageSource, Style, TextSource, is_pdf, placeholders};
use crate::model::layout::ElementSpec;
use crate::model::source::SourceFile;
use crate::units::{Point, Pt, Rect, Size};

/// Reads an element by its `type`, then the element's own struct, so that an error inside it is
/// located at its key (serde's tagged enums buffer the content and lose the path).
pub(super) fn de_element(file: &SourceFile, v: &serde_json::Value, path: &str) -> Result<ElementSpec, Diagnostic> {
    let mut body = v.clone();
    let kind = match body.as_object_mut().and_then(|m| m.shift_remove("type")) {
        Some(serde_json::Value::String(k)) => k,
        // Not an object, or no string `type`: serde's own message says what is missing.
        _ => return file.de(v, path),
    };
    Ok(match kind.as_str() {
        "text" => ElementSpec::Text(file.de(&body, path)?),
        "rect" => ElementSpec::Rect(file.de(&body, path)?),
        "line" => ElementSpec::Line(file.de(&body, path)?),
        "image" => ElementSpec::Image(file.de(&body, path)?),
        _ => return file.de(v, path),
    })
}

pub(super) fn resolve_element(
    e: &ElementSpec,
    path: &str,
    styles: &BTreeMap<String, Style>,
    trim: Rect,
    safe: Rect,
    cx: &mut Ctx,
) -> Option<Element> {
    let file = cx.file;
    let origin = trim.min;
    let at = |x: Pt, y: Pt| Point::new(origin.x + x, origin.y + y);
    match e {
        ElementSpec::Text(t) => {
            let source = match (&t.field, &t.text) {
                (Some(f), None) => TextSource::Field(f.clone()),
                (None, Some(s)) => TextSource::Template(s.clone()),
                _ => {
                    cx.errors.push(
                        Diagnostic::error("a text box needs exactly one of `field` or `text`").at(file.locate(path)),
                    );
                    return None;
                }
            };
            if let TextSource::Template(s) = &source {
                for p in placeholders(s) {
                    if (p.starts_with("deck.") && !["deck.title", "deck.subtitle", "deck.sender"].contains(&p.as_str()))
                        || (p.starts_with("card.") && !["card.id", "card.number", "card.total"].contains(&p.as_str()))
                    {
                        cx.errors.push(
                            Diagnostic::error(format!("unknown placeholder `{{{p}}}`"))
                                .with_hint("known: {deck.title}, {deck.subtitle}, {deck.sender}, {card.id}, {card.number}, {card.total}, {category}, or a card field")
                                .at(file.locate(&format!("{path}.text"))),
                        );
                    }
                }
            }
            let Some(style) = styles.get(&t.style) else {
                if cx.broken_styles.contains(&t.style) {
                    return None;
                }
                let names: Vec<&str> = styles.keys().map(String::as_str).collect();
                let hint = match did_you_mean(&t.style, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("styles: {}", names.join(", ")),
                };
                cx.errors.push(
                    Diagnostic::error(format!("unknown style `{}`", t.style))
                        .with_hint(hint)
                        .at(file.locate(&format!("{path}.style"))),
                );
                return None;
            };
            let rect = Rect::from_origin_size(at(t.x.pt(), t.y.pt()), Size { w: t.width.pt(), h: t.height.pt() });
            if rect.width().0 <= 0.0 || rect.height().0 <= 0.0 {
                cx.errors.push(Diagnostic::error("a text box needs a positive width and height").at(file.locate(path)));
                return None;
            }
            let over = safe.overhang(&rect);
            if over.0 > 0.005 {
                cx.errors.push(
                    Diagnostic::error(format!("text box lies {:.1} mm outside the safe area", over.to_mm().0))
                        .with_hint(format!("keep text at least the safe margin ({:.1} mm) inside the trim; cutting varies by about 1 mm", (safe.min.x - trim.min.x).to_mm().0))
                        .with_topic(Topic::SafeArea)
                        .at(file.locate(path)),
                );
            }
            let min_size = t.min_size.map(|m| m.pt());
            if let Some(m) = min_size
                && (m.0 > style.para.size.0 || m.0 < 4.0)
            {
                cx.errors.push(
                    Diagnostic::error(format!(
                        "min_size {:.1} pt must lie between 4 pt and the style's size ({:.1} pt)",
                        m.0, style.para.size.0
                    ))
                    .at(file.locate(&format!("{path}.min_size"))),
                );
            }
            let color = match &t.color {
                Some(c) => Some(cx.color(c, &format!("{path}.color"))?),
                None => None,
            };
            Some(Element::Text {
                source,
                rect,
                style: (t.style.clone(), style.clone()),
                valign: t.valign,
                min_size,
                color,
                optional: t.optional,
                role: t.role,
                path: path.to_string(),
            })
        }
        ElementSpec::Rect(r) => {
            let rect = Rect::from_origin_size(at(r.x.pt(), r.y.pt()), Size { w: r.width.pt(), h: r.height.pt() });
            // Edges lying on the trim run out to the bleed edge (whatever bleed the face gets).
            let on = |a: Pt, b: Pt| r.bleed && (a - b).abs().0 < 0.01;
            let bleed_edges = [
                on(rect.min.x, trim.min.x),
                on(rect.min.y, trim.min.y),
                on(rect.max.x, trim.max.x),
                on(rect.max.y, trim.max.y),
            ];
            let fill = match &r.fill {
                Some(c) => Some(cx.color(c, &format!("{path}.fill"))?),
                None => None,
            };
            let stroke = match &r.stroke {
                Some(c) => {
                    let w = r.stroke_width.map(|l| l.pt()).unwrap_or(Pt(0.5));
                    check_thin(w, &format!("{path}.stroke_width"), cx);
                    Some((cx.color(c, &format!("{path}.stroke"))?, w))
                }
                None => None,
            };
            Some(Element::Rect { rect, bleed_edges, fill, stroke, when: r.when.clone(), path: path.to_string() })
        }
        ElementSpec::Image(im) => {
            let source = match (&im.src, &im.field) {
                (Some(s), None) => ImageSource::File(s.clone()),
                (None, Some(f)) => ImageSource::Field(f.clone()),
                _ => {
                    cx.errors.push(
                        Diagnostic::error("an image needs exactly one of `src` or `field`").at(file.locate(path)),
                    );
                    return None;
                }
            };
            let rect = Rect::from_origin_size(at(im.x.pt(), im.y.pt()), Size { w: im.width.pt(), h: im.height.pt() });
            if rect.width().0 <= 0.0 || rect.height().0 <= 0.0 {
                cx.errors.push(Diagnostic::error("an image needs a positive width and height").at(file.locate(path)));
                return None;
            }
            let on = |a: Pt, b: Pt| im.bleed && (a - b).abs().0 < 0.01;
            let bleed_edges = [
                on(rect.min.x, trim.min.x),
                on(rect.min.y, trim.min.y),
                on(rect.max.x, trim.max.x),
                on(rect.max.y, trim.max.y),
            ];
            if im.page == Some(0) {
                cx.errors.push(
                    Diagnostic::error("`page` counts from 1; page 0 does not exist")
                        .at(file.locate(&format!("{path}.page")))
                        .with_hint("write \"page\": 1 for the first page"),
                );
                return None;
            }
            // A fixed file is judged here, once; a field's files are judged per card.
            if let (Some(_), Some(src)) = (im.page, &im.src)
                && !is_pdf(src)
            {
                cx.errors.push(
                    Diagnostic::error(format!("`page` is only for pdf artwork, and {src} is not a pdf file"))
                        .at(file.locate(&format!("{path}.page")))
                        .with_hint("remove \"page\", or name a .pdf file in \"src\""),
                );
                return None;
            }
            Some(Element::Image {
                source,
                rect,
                bleed_edges,
                fit: im.fit,
                optional: im.optional,
                alt: im.alt.clone(),
                page: im.page.map(|p| p as usize),
                path: path.to_string(),
            })
        }
        ElementSpec::Line(l) => {
            let w = l.width.map(|l| l.pt()).unwrap_or(Pt(0.5));
            check_thin(w, &format!("{path}.width"), cx);
            let color = match &l.color {
                Some(c) => cx.color(c, &format!("{path}.color"))?,
                None => ColorRef::Fixed(Color::BLACK),
            };
            Some(Element::Line {
                from: at(l.from[0].pt(), l.from[1].pt()),
                to: at(l.to[0].pt(), l.to[1].pt()),
                width: w,
                color,
                when: l.when.clone(),
                path: path.to_string(),
            })
        }
    }
}

fn check_thin(w: Pt, path: &str, cx: &mut Ctx) {
    if w.0 < 0.25 {
        cx.errors.push(
            Diagnostic::error(format!("line width {:.2} pt is thinner than 0.25 pt and may not print", w.0))
                .at(cx.file.locate(path)),
        );
    }
}
