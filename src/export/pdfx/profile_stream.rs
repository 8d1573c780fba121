//! The output profile as the PDF stream the output intent embeds: Flate-compressed once per
//! distinct profile and process.

use std::sync::Arc;

use lopdf::{Dictionary, Object, Stream};

use super::PdfxError;
use crate::assets::profile::PerProfile;

/// The output profile as a Flate-compressed ICC stream. Each distinct profile is compressed once
/// per process, at a fast level: ICC tables barely compress (FOGRA39: 654 KB → 487 KB at level 1,
/// 484 KB at level 9, which takes three times as long). [`warm_profile`] does it ahead of time.
pub(super) fn compressed_profile(profile: &[u8]) -> Result<Stream, PdfxError> {
    use std::io::Write;
    static CACHE: PerProfile<Arc<Stream>> = PerProfile::new();
    let stream = CACHE.get_or_make(profile, || {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let data = z.write_all(profile).and_then(|()| z.finish()).map_err(|e| PdfxError::Compress(e.to_string()))?;
        let mut dict = Dictionary::new();
        dict.set("N", 4);
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        Ok::<_, PdfxError>(Arc::new(Stream::new(dict, data).with_compression(false)))
    })?;
    Ok(Stream::clone(&stream))
}

/// Compresses `profile` for later finishing passes now (e.g. on another thread while pages are
/// laid out), so the pass does not wait for it.
pub fn warm_profile(profile: &[u8]) {
    let _ = compressed_profile(profile);
}
