//! The file identifiers: trailer `/ID` and XMP `xmpMM:DocumentID` / `InstanceID`, derived from a
//! hash of the input and the options (no clock, no random id), so equal inputs give equal files.

use super::PdfxOptions;

/// The hash behind the file identifiers: SHA-256 (hardware-accelerated where the CPU has it; the
/// whole PDF and the output profile go through it for every file), first 16 bytes.
struct IdHash(sha2::Sha256);

impl IdHash {
    fn new() -> Self {
        use sha2::Digest;
        IdHash(sha2::Sha256::new())
    }

    fn bytes(&mut self, data: &[u8]) {
        use sha2::Digest;
        self.0.update(data);
    }

    /// A length-prefixed field, so that ("ab", "c") and ("a", "bc") differ.
    fn field(&mut self, data: &[u8]) {
        self.bytes(&(data.len() as u64).to_le_bytes());
        self.bytes(data);
    }

    fn finish(self) -> [u8; 16] {
        use sha2::Digest;
        let d = self.0.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&d[..16]);
        out
    }
}

/// The two file identifiers: trailer `/ID` and XMP `xmpMM:DocumentID` / `InstanceID`.
pub(super) struct Ids {
    /// Permanent id: title, date and the input PDF.
    pub(super) document: [u8; 16],
    /// This rendition: additionally the flavour, output condition, profile and the other options.
    pub(super) instance: [u8; 16],
}

impl Ids {
    pub(super) fn new(pdf: &[u8], opts: &PdfxOptions) -> Self {
        let mut input = IdHash::new();
        input.bytes(pdf);
        let input = input.finish();

        let mut document = IdHash::new();
        document.field(b"tryksag pdfx document");
        document.field(opts.title.trim().as_bytes());
        document.field(&opts.date_epoch.to_le_bytes());
        document.field(&input);

        let mut profile = IdHash::new();
        profile.bytes(opts.profile);
        let mut instance = IdHash::new();
        instance.field(b"tryksag pdfx instance");
        instance.field(opts.title.trim().as_bytes());
        instance.field(&opts.date_epoch.to_le_bytes());
        instance.field(&input);
        instance.field(opts.flavour.version_name().as_bytes());
        instance.field(opts.output_condition_identifier.as_bytes());
        instance.field(opts.output_condition.as_bytes());
        instance.field(&profile.finish());
        instance.field(&[u8::from(opts.trapped)]);
        instance.field(opts.creator.as_bytes());

        Ids { document: document.finish(), instance: instance.finish() }
    }
}

/// `uuid:xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx`: an RFC 9562 version 8 (custom) UUID from a hash.
pub(super) fn uuid(hash: &[u8; 16]) -> String {
    let mut b = *hash;
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("uuid:{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_hash_is_sha256_truncated() {
        // FIPS 180-2 test vectors, first 128 bits.
        let h = |s: &[u8]| {
            let mut f = IdHash::new();
            f.bytes(s);
            u128::from_be_bytes(f.finish())
        };
        assert_eq!(h(b""), 0xe3b0c44298fc1c149afbf4c8996fb924);
        assert_eq!(h(b"abc"), 0xba7816bf8f01cfea414140de5dae2223);
        // Fields are length-prefixed: ("ab", "c") and ("a", "bc") differ.
        let f = |a: &[u8], b: &[u8]| {
            let mut x = IdHash::new();
            x.field(a);
            x.field(b);
            x.finish()
        };
        assert_ne!(f(b"ab", b"c"), f(b"a", b"bc"));
    }
}
