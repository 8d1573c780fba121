//! Transparency groups: krilla blends isolated groups and soft masks in `/DeviceRGB`; under a
//! CMYK output intent PDF/X-4 needs them to blend in `/DeviceCMYK`.

use lopdf::{Dictionary, Document, Object};

use super::is_name;

/// krilla gives every transparency group (isolated groups, soft masks) the blending space
/// `/DeviceRGB`, which PDF/X forbids under a CMYK output intent; blend in `/DeviceCMYK` instead.
pub(super) fn rgb_groups_to_cmyk(doc: &mut Document) {
    fn visit(obj: &mut Object) {
        match obj {
            Object::Dictionary(d) => visit_dict(d),
            Object::Stream(s) => visit_dict(&mut s.dict),
            Object::Array(a) => a.iter_mut().for_each(visit),
            _ => {}
        }
    }
    fn visit_dict(d: &mut Dictionary) {
        let is_group = d.get(b"S").is_ok_and(|s| is_name(s, b"Transparency"));
        if is_group && d.get(b"CS").is_ok_and(|cs| is_name(cs, b"DeviceRGB")) {
            d.set("CS", Object::Name(b"DeviceCMYK".to_vec()));
        }
        for (_, v) in d.iter_mut() {
            visit(v);
        }
    }
    for obj in doc.objects.values_mut() {
        visit(obj);
    }
}
