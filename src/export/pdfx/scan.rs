//! The content scanner: whether a content stream sets plain RGB colour. Part of the preflight
//! ([`super::preflight`]), kept apart because it is a tokenizer, not a PDF/X rule.

/// Whether a content stream sets plain RGB colour (`rg`, `RG`, or `/DeviceRGB cs|CS`).
///
/// A fast tokenizer instead of a full content parse (which took a third of a large build):
/// strings, hex strings, comments and inline image data are skipped, operators are compared.
pub(super) fn paints_rgb(data: &[u8]) -> bool {
    // Byte classes from a table: this loop sees every byte of every page.
    const WS: u8 = 1;
    const DELIM: u8 = 2;
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let ws = b" \n\r\t\x0c\0";
        let mut k = 0;
        while k < ws.len() {
            t[ws[k] as usize] = WS;
            k += 1;
        }
        let delim = b"()<>[]{}/%";
        k = 0;
        while k < delim.len() {
            t[delim[k] as usize] = DELIM;
            k += 1;
        }
        t
    };
    let is_ws = |b: u8| CLASS[b as usize] == WS;
    let (mut i, n) = (0, data.len());
    let mut prev: &[u8] = b"";
    while i < n {
        let b = data[i];
        if is_ws(b) {
            i += 1;
            continue;
        }
        match b {
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                // Literal strings (every glyph run is one) may nest and escape. Glyph ids are
                // written with an escape every few bytes, so a plain byte loop beats memchr here.
                let mut depth = 0;
                while i < n {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i = (i + 1).min(n);
                prev = b"";
            }
            b'<' if data.get(i + 1) != Some(&b'<') => {
                i = data[i..].iter().position(|&b| b == b'>').map_or(n, |k| i + k + 1);
                prev = b"";
            }
            b'<' | b'>' => i += 2,
            b'[' | b']' | b'{' | b'}' | b')' => i += 1,
            _ => {
                let start = i;
                i += 1;
                // Up to the next white space or delimiter (`i > start` here, so a delimiter ends it).
                while i < n && CLASS[data[i] as usize] == 0 {
                    i += 1;
                }
                let tok = &data[start..i];
                match tok {
                    b"rg" | b"RG" => return true,
                    b"cs" | b"CS" if prev == b"/DeviceRGB" => return true,
                    // Inline image data is binary: jump to its end.
                    b"ID" => {
                        while i + 2 < n && !(is_ws(data[i]) && &data[i + 1..i + 3] == b"EI") {
                            i += 1;
                        }
                        i += 3;
                    }
                    _ => {}
                }
                prev = tok;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::paints_rgb;
    #[test]
    fn finds_rgb_operators_and_ignores_strings() {
        assert!(paints_rgb(b"q 1 0 0 rg 0 0 10 10 re f Q"));
        assert!(paints_rgb(b"0.5 0.2 0.1 RG"));
        assert!(paints_rgb(b"/DeviceRGB cs 1 0 0 sc"));
        assert!(!paints_rgb(b"0 0 0 1 k (rg RG) Tj <7267> Tj % rg\n/Cs0 cs 1 scn"));
        assert!(!paints_rgb(b"q /F1 12 Tf [<0001>-80<0002>] TJ Q"));
        assert!(!paints_rgb(b"<< /MCID 3 >> BDC EMC 0 0 0 1 K"));
        // Nested and escaped parentheses stay inside the string; what follows is read again.
        assert!(!paints_rgb(b"(a (b) \\) rg) Tj 0 0 0 1 k"));
        assert!(paints_rgb(b"(a (b) \\) c) Tj 1 0 0 rg"));
        // Unterminated strings and hex strings, or a trailing escape, end the scan quietly.
        assert!(!paints_rgb(b"(never closed rg"));
        assert!(!paints_rgb(b"<0012 rg"));
        assert!(!paints_rgb(b"(ends in escape \\"));
    }
}
