//! The syntax pass every JSON file goes through before anything reads it. One scan over the
//! bytes checks the JSON grammar and what serde_json lets through or explains poorly: duplicate
//! keys (serde_json silently keeps the last), an object at the top level, nesting depth, string
//! lengths, lone surrogate escapes and numbers too large for a float. Each problem comes back
//! with its byte offset and JSON path, a message and a hint.

use std::borrow::Cow;
use std::collections::HashMap;

use super::join_path;

/// Deepest nesting of objects and arrays (tryksag's files nest a handful of levels; serde_json
/// itself stops at 128 with a poor message).
pub const MAX_DEPTH: usize = 64;
/// Longest text string (card text, paragraphs, labels), in characters as written in the file.
pub const MAX_TEXT_CHARS: usize = 100_000;
/// Longest key, and longest name, id, path or other keyword value (see [`is_name_key`]).
pub const MAX_NAME_CHARS: usize = 1_000;
/// Whether `key`'s string values (or array items) are names, ids, file paths or keywords rather
/// than text, and so get the bound [`MAX_NAME_CHARS`].
pub fn is_name_key(key: &str) -> bool {
    // A match, not a list: it runs for every string of every file.
    matches!(
        key,
        "$schema"
            | "align"
            | "category"
            | "color"
            | "delivery"
            | "fallback"
            | "field"
            | "folder"
            | "font"
            | "id"
            | "identifier"
            | "image"
            | "language"
            | "layout"
            | "name"
            | "orientation"
            | "origin"
            | "paper"
            | "pdfx"
            | "product"
            | "profile"
            | "region"
            | "role"
            | "shape"
            | "sheet"
            | "sheets"
            | "size"
            | "spot"
            | "src"
            | "style"
            | "type"
            | "valign"
            | "weight"
            | "when"
    )
}

/// A syntax problem: where (byte offset and JSON path), what, and how to fix it.
#[derive(Debug)]
pub struct Problem {
    /// Byte offset in the text.
    pub at: usize,
    /// JSON path of the value (or key) concerned; empty at the top level.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// One open object or array.
#[derive(Default)]
struct Frame<'a> {
    /// Offset of the opening bracket.
    open: usize,
    array: bool,
    /// Array: index of the current item.
    index: usize,
    /// Object: the current member's key (decoded).
    key: Option<Cow<'a, str>>,
    /// Object: keys seen so far with their offsets; small objects search this list, large ones
    /// move it into `set`.
    keys: Vec<(Cow<'a, str>, usize)>,
    set: Option<HashMap<Cow<'a, str>, usize>>,
}

/// Objects with more keys than this look duplicates up in a hash map.
const LINEAR_KEYS: usize = 16;

impl<'a> Frame<'a> {
    /// Records `key` at `at`; returns the offset of an earlier identical key.
    fn add_key(&mut self, key: Cow<'a, str>, at: usize) -> Option<usize> {
        self.key = Some(key.clone());
        if let Some(set) = &mut self.set {
            return match set.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(at);
                    None
                }
            };
        }
        if let Some((_, first)) = self.keys.iter().find(|(k, _)| *k == key) {
            return Some(*first);
        }
        self.keys.push((key, at));
        if self.keys.len() > LINEAR_KEYS {
            self.set = Some(self.keys.drain(..).collect());
        }
        None
    }
}

struct Scanner<'a> {
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    /// Open containers; `frames[..depth]` are live, the rest are kept for reuse.
    frames: Vec<Frame<'a>>,
    depth: usize,
}

/// Checks `text`; the first problem found, if any.
pub fn check(text: &str) -> Result<(), Problem> {
    let mut s = Scanner { text, src: text.as_bytes(), pos: 0, frames: Vec::new(), depth: 0 };
    s.ws();
    let found = match s.peek() {
        None if text.is_empty() => {
            return Err(s.problem(0, "the file is empty", "write one JSON object into it: { … }"));
        }
        None => {
            return Err(s.problem(0, "the file holds only whitespace", "write one JSON object into it: { … }"));
        }
        Some(b'{') => None,
        Some(b'[') => Some("an array"),
        Some(b'"') => Some("a string"),
        Some(b'-' | b'0'..=b'9') => Some("a number"),
        Some(b't' | b'f') if s.word_at(s.pos) == "true" || s.word_at(s.pos) == "false" => Some("true/false"),
        Some(b'n') if s.word_at(s.pos) == "null" => Some("null"),
        // Something that is no JSON value at all: the grammar below says what.
        Some(_) => None,
    };
    if let Some(found) = found {
        return Err(s.problem(
            s.pos,
            &format!("expected a JSON object `{{ … }}` at the top level, found {found}"),
            "a tryksag file holds one object; put lists and values under keys, e.g. { \"cards\": [ … ] }",
        ));
    }
    s.value()?;
    s.ws();
    if s.pos < s.src.len() {
        let c = s.char_at(s.pos);
        return Err(s.problem(
            s.pos,
            &format!("unexpected {c} after the end of the top-level object"),
            "a file holds exactly one object: remove what follows, or look for a `}` too many above",
        ));
    }
    Ok(())
}

/// The number of chars in UTF-8 bytes (those that are not continuation bytes).
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// The bare word (letters, digits, `_`) starting at `at`, at most 40 characters.
    fn word_at(&self, at: usize) -> &'a str {
        let end = self.src[at..]
            .iter()
            .take(40)
            .position(|&b| !is_word_byte(b))
            .map_or((at + 40).min(self.src.len()), |n| at + n);
        &self.text[at..end]
    }

    /// The character at `at`, quoted for a message.
    fn char_at(&self, at: usize) -> String {
        match self.text.get(at..).and_then(|t| t.chars().next()) {
            Some(c) => format!("`{c}`"),
            None => "the end of the file".into(),
        }
    }

    /// A problem at `at`, with the JSON path of the innermost open value.
    fn problem(&self, at: usize, message: &str, hint: &str) -> Problem {
        let mut path = String::new();
        for f in &self.frames[..self.depth] {
            if f.array {
                path = format!("{path}[{}]", f.index);
            } else if let Some(k) = &f.key {
                path = join_path(&path, k);
            }
        }
        Problem { at, path, message: message.to_string(), hint: hint.to_string() }
    }

    /// Line of byte offset `at`, for messages that point back.
    fn line_of(&self, at: usize) -> usize {
        1 + self.src[..at].iter().filter(|&&b| b == b'\n').count()
    }

    /// Opens an object or array at the current `{` or `[`.
    fn open(&mut self, array: bool) -> Result<(), Problem> {
        if self.depth == MAX_DEPTH {
            return Err(self.problem(
                self.pos,
                &format!("nesting deeper than {MAX_DEPTH} levels"),
                "tryksag's files nest a few levels only: look for brackets opened but never closed",
            ));
        }
        if self.depth == self.frames.len() {
            self.frames.push(Frame::default());
        }
        let f = &mut self.frames[self.depth];
        f.open = self.pos;
        f.array = array;
        f.index = 0;
        f.key = None;
        f.keys.clear();
        f.set = None;
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// The bound for a string value in the current place: names for [`NAME_KEYS`], else text.
    fn string_bound(&self) -> usize {
        let key = self.frames[..self.depth].iter().rev().find_map(|f| if f.array { None } else { f.key.as_deref() });
        match key {
            Some(k) if is_name_key(k) => MAX_NAME_CHARS,
            _ => MAX_TEXT_CHARS,
        }
    }

    /// Parses one value and everything it contains; loops instead of recursing, so depth costs
    /// no stack.
    fn value(&mut self) -> Result<(), Problem> {
        'value: loop {
            self.ws();
            match self.peek() {
                Some(b'{') => {
                    self.open(false)?;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        self.depth -= 1;
                    } else {
                        self.key()?;
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.open(true)?;
                    self.ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        self.depth -= 1;
                    } else {
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let bound = self.string_bound();
                    self.string(bound, "string")?;
                }
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(b) if is_word_byte(b) => {
                    let w = self.word_at(self.pos);
                    if !matches!(w, "true" | "false" | "null") {
                        return Err(self.problem(
                            self.pos,
                            &format!("unknown word `{w}`"),
                            "text needs double quotes: \"…\"; the only bare words are true, false and null",
                        ));
                    }
                    self.pos += w.len();
                }
                Some(b'\'') => {
                    return Err(self.problem(
                        self.pos,
                        "strings need double quotes, not single quotes",
                        "write \"text\" instead of 'text'",
                    ));
                }
                None => return Err(self.unclosed()),
                Some(_) => {
                    let c = self.char_at(self.pos);
                    let hint = match self.frames[..self.depth].last() {
                        Some(f) if !f.array => {
                            "write a value after the `:` (text in double quotes, a number, true, false, null, { … } or [ … ]), or remove the key"
                        }
                        _ => "write a value: text in double quotes, a number, true, false, null, { … } or [ … ]",
                    };
                    return Err(self.problem(self.pos, &format!("expected a value, found {c}"), hint));
                }
            }
            // A value ended: close containers until one continues with a comma.
            loop {
                if self.depth == 0 {
                    return Ok(());
                }
                self.ws();
                let f = &self.frames[self.depth - 1];
                let (array, open) = (f.array, f.open);
                let close = if array { b']' } else { b'}' };
                match self.peek() {
                    Some(b',') => {
                        let comma = self.pos;
                        self.pos += 1;
                        self.ws();
                        if self.peek() == Some(close) {
                            return Err(self.problem(
                                comma,
                                &format!("trailing comma before `{}`", close as char),
                                "remove it: JSON allows no comma after the last item",
                            ));
                        }
                        if array {
                            self.frames[self.depth - 1].index += 1;
                        } else {
                            self.key()?;
                        }
                        continue 'value;
                    }
                    Some(b) if b == close => {
                        self.pos += 1;
                        self.depth -= 1;
                    }
                    Some(b @ (b']' | b'}')) => {
                        let (what, should) = if array { ("an array", ']') } else { ("an object", '}') };
                        return Err(self.problem(
                            self.pos,
                            &format!(
                                "`{}` closes {what} opened with `{}` at line {}",
                                b as char,
                                if array { '[' } else { '{' },
                                self.line_of(open)
                            ),
                            &format!("close it with `{should}`, or look for a bracket missing in between"),
                        ));
                    }
                    None => return Err(self.unclosed()),
                    Some(b) => {
                        let starts_value = matches!(b, b'"' | b'{' | b'[' | b'-' | b'0'..=b'9') || is_word_byte(b);
                        let c = self.char_at(self.pos);
                        let (message, hint) = match (array, starts_value) {
                            (false, _) if b == b'"' => (
                                "missing comma before this key".to_string(),
                                "put a comma after the previous value: \"a\": 1, \"b\": 2",
                            ),
                            (true, true) => {
                                ("missing comma before this item".into(), "put a comma between the items: [1, 2]")
                            }
                            _ => (
                                format!("expected `,` or `{}`, found {c}", close as char),
                                "a comma or a closing bracket is missing just before this point",
                            ),
                        };
                        return Err(self.problem(self.pos, &message, hint));
                    }
                }
            }
        }
    }

    /// The error for a file that ends inside a container: points at its opening bracket.
    fn unclosed(&self) -> Problem {
        let f = &self.frames[self.depth - 1];
        let (open, close) = if f.array { ('[', ']') } else { ('{', '}') };
        let mut p = self.problem(
            f.open,
            &format!("the file ends before this `{open}` is closed"),
            &format!("add the missing `{close}` (or whatever was cut off at the end of the file)"),
        );
        // The path of the container itself, not of its last member.
        p.path = {
            let mut path = String::new();
            for g in &self.frames[..self.depth - 1] {
                if g.array {
                    path = format!("{path}[{}]", g.index);
                } else if let Some(k) = &g.key {
                    path = join_path(&path, k);
                }
            }
            path
        };
        p
    }

    /// Parses a member's key and its `:`; checks that it is new in its object.
    fn key(&mut self) -> Result<(), Problem> {
        self.ws();
        match self.peek() {
            Some(b'"') => {}
            None => return Err(self.unclosed()),
            Some(b) if is_word_byte(b) => {
                let w = self.word_at(self.pos);
                return Err(self.problem(
                    self.pos,
                    &format!("key `{w}` needs double quotes"),
                    &format!("write \"{w}\": …"),
                ));
            }
            Some(b'\'') => {
                return Err(self.problem(self.pos, "keys need double quotes, not single quotes", "write \"key\": …"));
            }
            Some(_) => {
                let c = self.char_at(self.pos);
                return Err(self.problem(
                    self.pos,
                    &format!("expected a key in double quotes, found {c}"),
                    "write \"key\": value, or close the object with `}`",
                ));
            }
        }
        let at = self.pos;
        let escaped = self.string(MAX_NAME_CHARS, "key")?;
        let raw = &self.text[at..self.pos];
        let key = if escaped {
            // Validated above, so it decodes.
            Cow::Owned(serde_json::from_str::<String>(raw).unwrap_or_default())
        } else {
            Cow::Borrowed(&raw[1..raw.len() - 1])
        };
        let shown = key.clone();
        if let Some(first) = self.frames[self.depth - 1].add_key(key, at) {
            return Err(self.problem(
                at,
                &format!("duplicate key `{shown}` (first at line {})", self.line_of(first)),
                "remove one of them: JSON keeps only the last, so the other would be silently ignored",
            ));
        }
        self.ws();
        if self.peek() != Some(b':') {
            let c = self.char_at(self.pos);
            return Err(self.problem(
                self.pos,
                &format!("expected `:` after the key `{shown}`, found {c}"),
                "write \"key\": value",
            ));
        }
        self.pos += 1;
        Ok(())
    }

    /// Parses a string at the current `"`, at most `max` characters long; `what` names it
    /// ("key", "string"). Returns whether it has escapes.
    fn string(&mut self, max: usize, what: &str) -> Result<bool, Problem> {
        let start = self.pos;
        self.pos += 1;
        let mut escaped = false;
        loop {
            self.skip_plain();
            let Some(&b) = self.src.get(self.pos) else {
                return Err(self.problem(
                    start,
                    &format!("this {what} is never closed"),
                    "add the closing double quote \"",
                ));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    escaped = true;
                    self.escape(start)?;
                }
                b'\n' | b'\r' => {
                    return Err(self.problem(
                        self.pos,
                        &format!("line break inside a {what}"),
                        "close the string with \" before the line ends, or write a line break as \\n",
                    ));
                }
                _ => {
                    return Err(self.problem(
                        self.pos,
                        &format!("control character U+{b:04X} inside a {what}"),
                        "remove it, or write it as an escape (\\t for a tab)",
                    ));
                }
            }
        }
        // Chars are counted only when the bytes could exceed the bound (an escape counts as
        // the characters it is written with).
        let chars = if self.pos - start - 2 > max { chars_in(&self.src[start + 1..self.pos - 1]) } else { 0 };
        if chars > max {
            return Err(self.problem(
                start,
                &format!("{what} of {chars} characters is too long (at most {max} here)"),
                if max == MAX_NAME_CHARS {
                    "names, ids and paths are short: is a quote missing, or text in the wrong place?"
                } else {
                    "split the text, or check that a closing quote is not missing"
                },
            ));
        }
        Ok(escaped)
    }

    /// Moves past string bytes that need no attention (not `"`, `\\` or a control character),
    /// eight at a time where it can, as serde_json does.
    fn skip_plain(&mut self) {
        const ONES: u64 = u64::from_ne_bytes([1; 8]);
        const HIGH: u64 = ONES * 0x80;
        let src = self.src;
        let mut i = self.pos;
        while let Some(chunk) = src.get(i..i + 8) {
            let v = u64::from_ne_bytes(chunk.try_into().unwrap_or_default());
            let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
            let special = has_zero(v ^ (ONES * u64::from(b'"')))
                | has_zero(v ^ (ONES * u64::from(b'\\')))
                | (v.wrapping_sub(ONES * 0x20) & !v & HIGH);
            if special != 0 {
                break;
            }
            i += 8;
        }
        while src.get(i).is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20) {
            i += 1;
        }
        self.pos = i;
    }

    /// Four hex digits at `at`.
    fn hex4(&self, at: usize) -> Option<u32> {
        let h = self.src.get(at..at + 4)?;
        h.iter().try_fold(0, |n, &b| Some(n * 16 + char::from(b).to_digit(16)?))
    }

    /// Parses the escape at the current `\` of the string that starts at `start`.
    fn escape(&mut self, start: usize) -> Result<(), Problem> {
        let at = self.pos;
        match self.src.get(at + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.pos += 2,
            Some(b'u') => {
                let Some(cp) = self.hex4(at + 2) else {
                    return Err(self.problem(
                        at,
                        "`\\u` must be followed by four hex digits",
                        "write e.g. \\u00e6 for æ, or type the character itself",
                    ));
                };
                self.pos += 6;
                if (0xDC00..=0xDFFF).contains(&cp)
                    || (0xD800..=0xDBFF).contains(&cp)
                        && !(self.src.get(self.pos..self.pos + 2) == Some(b"\\u")
                            && self.hex4(self.pos + 2).is_some_and(|lo| (0xDC00..=0xDFFF).contains(&lo)))
                {
                    return Err(self.problem(
                        at,
                        &format!("lone surrogate escape `\\u{cp:04x}`"),
                        "\\uD800–\\uDBFF must be followed by \\uDC00–\\uDFFF (a UTF-16 pair); write the character itself instead",
                    ));
                }
                if (0xD800..=0xDBFF).contains(&cp) {
                    self.pos += 6;
                }
            }
            None => {
                return Err(self.problem(start, "this string is never closed", "add the closing double quote \""));
            }
            Some(_) => {
                let c = self.text[at + 1..].chars().next().unwrap_or('?');
                return Err(self.problem(
                    at,
                    &format!("unknown escape `\\{c}`"),
                    "write a backslash as \\\\; JSON knows \\n \\t \\\" \\\\ \\/ \\b \\f \\r and \\uXXXX",
                ));
            }
        }
        Ok(())
    }

    /// Parses a number at the current `-` or digit.
    fn number(&mut self) -> Result<(), Problem> {
        let start = self.pos;
        let digits = |s: &mut Self| {
            let from = s.pos;
            while s.peek().is_some_and(|b| b.is_ascii_digit()) {
                s.pos += 1;
            }
            s.pos - from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let mut ok = match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                true
            }
            _ => digits(self) > 0,
        };
        let mut float = false;
        if ok && self.peek() == Some(b'.') {
            self.pos += 1;
            float = true;
            ok = digits(self) > 0;
        }
        if ok && matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            float = true;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            ok = digits(self) > 0;
        }
        // "12px", "01", "1.2.3": one bad number, not a missing comma after a good one.
        while self.peek().is_some_and(|b| is_word_byte(b) || matches!(b, b'.' | b'+' | b'-')) {
            self.pos += 1;
            ok = false;
        }
        let raw = &self.text[start..self.pos];
        if !ok {
            return Err(self.problem(
                start,
                &format!("invalid number `{raw}`"),
                "write numbers like 12, -0.5 or 1e3 (no leading zeros or units); a length with a unit is a string: \"3mm\"",
            ));
        }
        // serde_json refuses a float that overflows to infinity; integers of up to 18 digits
        // always fit.
        if (float || raw.len() > 18) && !raw.parse::<f64>().is_ok_and(f64::is_finite) {
            return Err(self.problem(
                start,
                &format!("number `{raw}` is out of range"),
                "write a number of a sensible size",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Problem {
        check(text).expect_err(text)
    }

    #[test]
    fn accepts_what_serde_json_accepts() {
        for ok in [
            "{}",
            " {\"a\": [1, -0.5, 1e3, 2E-2, true, false, null, \"\\u00e6\\ud83d\\ude00\\n\"], \"b\": {}} \n",
            "{\"a\": [], \"b\": [[], {}], \"\\u0063\": 1}",
            "{\"a\": -0, \"b\": 0.0, \"c\": 123456789012345678901234567890}",
        ] {
            assert!(check(ok).is_ok(), "{ok}: {:?}", check(ok));
            assert!(serde_json::from_str::<serde_json::Value>(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn duplicate_keys_in_small_and_large_objects() {
        let e = err("{\"a\": 1,\n \"b\": {\"x\": 1, \"x\": 2}}");
        assert_eq!((e.at, e.path.as_str()), (24, "b.x"));
        assert!(e.message.starts_with("duplicate key `x` (first at line 2)"), "{}", e.message);
        // Escaped spelling of the same key, and an object large enough for the hash map.
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let e = err(&format!("{{{}, \"k\\u0033\": 0}}", keys.join(", ")));
        assert!(e.message.starts_with("duplicate key `k3`"), "{}", e.message);
        // The same key in different objects is fine.
        assert!(check("{\"a\": {\"x\": 1}, \"b\": {\"x\": 1}, \"c\": [{\"x\": 1}, {\"x\": 2}]}").is_ok());
    }

    #[test]
    fn names_trailing_commas_and_missing_commas() {
        let e = err("{\"a\": [1, 2,]}");
        assert_eq!((e.at, e.message.as_str(), e.path.as_str()), (11, "trailing comma before `]`", "a[1]"));
        let e = err("{\"a\": 1,\n}");
        assert_eq!((e.at, e.message.as_str()), (7, "trailing comma before `}`"));
        let e = err("{\"a\": 1\n \"b\": 2}");
        assert_eq!((e.at, e.message.as_str()), (9, "missing comma before this key"));
    }

    #[test]
    fn top_level_must_be_an_object() {
        assert_eq!(err("").message, "the file is empty");
        assert_eq!(err(" \n\t").message, "the file holds only whitespace");
        assert!(err("[]").message.ends_with("found an array"));
        assert!(err("\n 42").message.ends_with("found a number"));
        assert_eq!(err("\n 42").at, 2);
        assert!(err("{} {}").message.starts_with("unexpected `{` after the end"));
    }

    #[test]
    fn surrogates_numbers_words() {
        let e = err("{\"a\": \"x\\ud800\"}");
        assert_eq!((e.at, e.message.as_str()), (8, "lone surrogate escape `\\ud800`"));
        assert!(err("{\"a\": \"\\udc00\"}").message.starts_with("lone surrogate"));
        assert!(err("{\"a\": \"\\ud800\\u0041\"}").message.starts_with("lone surrogate"));
        assert_eq!(err("{\"a\": 1e400}").message, "number `1e400` is out of range");
        assert_eq!(err("{\"a\": 12px}").message, "invalid number `12px`");
        assert_eq!(err("{\"a\": 01}").message, "invalid number `01`");
        assert_eq!(err("{\"a\": True}").message, "unknown word `True`");
        assert_eq!(err("{a: 1}").message, "key `a` needs double quotes");
        assert_eq!(err("{\"a\": \"x\ny\"}").message, "line break inside a string");
        assert_eq!(err("{\"a\": \"\\x\"}").message, "unknown escape `\\x`");
    }

    #[test]
    fn depth_and_lengths_are_bounded() {
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(200), "]".repeat(200));
        let e = err(&deep);
        assert_eq!(e.message, format!("nesting deeper than {MAX_DEPTH} levels"));
        assert_eq!(e.at, 6 + MAX_DEPTH - 1);
        assert!(check(&format!("{{\"a\": {}{}}}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1))).is_ok());
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        assert!(err(&format!("{{\"id\": \"{long}\"}}")).message.contains("too long (at most 1000 here)"));
        assert!(check(&format!("{{\"question\": \"{long}\"}}")).is_ok());
        assert!(err(&format!("{{\"sheets\": [\"a4\", \"{long}\"]}}")).message.contains("at most 1000"));
        let text = "æ".repeat(MAX_TEXT_CHARS + 1);
        let e = err(&format!("{{\"fields\": {{\"question\": \"{text}\"}}}}"));
        assert_eq!((e.at, e.path.as_str()), (24, "fields.question"));
        assert!(check(&format!("{{\"question\": \"{}\"}}", "æ".repeat(MAX_TEXT_CHARS))).is_ok());
    }

    #[test]
    fn unclosed_points_at_the_opening() {
        let e = err("{\"a\": [1, 2");
        assert_eq!((e.at, e.message.as_str(), e.path.as_str()), (6, "the file ends before this `[` is closed", "a"));
        let e = err("{\"a\": \"abc");
        assert_eq!((e.at, e.message.as_str()), (6, "this string is never closed"));
        let e = err("{\"a\": [1}");
        assert_eq!(e.message, "`}` closes an array opened with `[` at line 1");
    }

    /// The syntax pass and serde_json agree on mutated copies of the shipped files: whatever the
    /// pass accepts serde_json reads (so `SourceFile::value` cannot fail), and what it refuses
    /// that serde_json would read is one of its deliberate extra rules.
    #[test]
    fn agrees_with_serde_json_on_mutated_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = [
            "decks/dialogkort.json",
            "decks/regions.json",
            "layouts/cards/poker.json",
            "layouts/runs/hovedstaden.json",
        ];
        let texts: Vec<String> = files.iter().map(|f| std::fs::read_to_string(root.join(f)).unwrap()).collect();
        let tokens = [
            ",",
            "}",
            "]",
            "{",
            "[",
            "\"",
            "\\",
            ":",
            " ",
            "\n",
            "1e400",
            "-",
            "0",
            ".",
            "e",
            "\\u",
            "\\ud800",
            "\\udc00",
            "\\ud83d\\ude00",
            "true",
            "nul",
            "\u{1b}",
            "\t",
            "æ",
            "\"a\": 1",
            "\"id\"",
            "01",
            "1.",
            "+1",
        ];
        // xorshift: a fixed, dependency-free sequence, the same on every run.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut accepted, mut stricter) = (0, 0);
        for case in 0..3000 {
            let mut chars: Vec<char> = texts[case % texts.len()].chars().collect();
            for _ in 0..1 + next(3) {
                let at = next(chars.len() + 1);
                match next(3) {
                    0 => {
                        let end = (at + 1 + next(3)).min(chars.len());
                        chars.drain(at.min(end)..end);
                    }
                    1 => {
                        let t = tokens[next(tokens.len())];
                        chars.splice(at..at, t.chars());
                    }
                    _ => {
                        let end = (at + next(40)).min(chars.len());
                        let copy: Vec<char> = chars[at.min(end)..end].to_vec();
                        chars.splice(at..at, copy);
                    }
                }
            }
            let text: String = chars.into_iter().collect();
            let ours = check(&text);
            let theirs = serde_json::from_str::<serde_json::Value>(&text);
            match (&ours, &theirs) {
                (Ok(()), Ok(_)) => accepted += 1,
                (Ok(()), Err(e)) => panic!("accepted what serde_json refuses ({e}):\n{text}"),
                (Err(p), Ok(_)) => {
                    let extra = ["duplicate key", "expected a JSON object", "nesting deeper", "too long"];
                    assert!(extra.iter().any(|x| p.message.starts_with(x)), "refused valid JSON: {p:?}\n{text}");
                    stricter += 1;
                }
                (Err(p), Err(_)) => assert!(p.at <= text.len()),
            }
        }
        eprintln!("{accepted} of 3000 mutated files accepted, {stricter} refused by extra rules only");
        // The mutations must exercise both sides.
        assert!(accepted > 100 && stricter > 10, "{accepted} accepted, {stricter} refused by extra rules only");
    }
}
