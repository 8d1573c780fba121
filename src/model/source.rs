//! JSON source files with positions: every value's JSON path maps back to line and column, so a
//! problem found long after parsing (an unknown layout name, text that does not fit) still points
//! at the right place in the file.

mod syntax;

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::rule;
use crate::diag::{Diagnostic, Location, Topic, did_you_mean};

/// Largest JSON file tryksag reads (a 10 000-card deck is about 6 MB); larger files are
/// refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Byte step of [`SourceFile`]'s char-count marks.
const CHAR_MARK_STEP: usize = 4096;
/// Characters of a source line a [`Location`] keeps on each side of its column.
const KEEP_AROUND: usize = 100;

/// A parsed JSON file that remembers where each value came from.
pub struct SourceFile {
    /// Path as shown in diagnostics.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// JSON path → byte offset of the value (and of its key, for object members); built on the
    /// first look-up, so files without problems never pay for it.
    index: OnceLock<HashMap<String, Span>>,
    /// Byte offset where each line starts, and the number of chars before every
    /// [`CHAR_MARK_STEP`]th byte (for fast line/column look-ups, also in one long minified
    /// line); built on the first look-up.
    line_starts: OnceLock<(Vec<usize>, Vec<usize>)>,
}

/// The file's path and text: not the look-up tables, which are built on demand (so a Debug
/// string is the same whatever was looked up, as [`crate::layout::face_cache`] needs).
impl std::fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceFile").field("path", &self.path).field("text", &self.text).finish_non_exhaustive()
    }
}

#[derive(Clone, Copy, Debug)]
struct Span {
    key: Option<usize>,
    value: usize,
}

impl SourceFile {
    /// Reads and parses a JSON file. Syntax errors come back located; a file larger than
    /// [`MAX_FILE_BYTES`] is refused before it is read.
    pub fn load(path: &Path, shown: &Path) -> Result<SourceFile, Diagnostic> {
        let cannot = |e: std::io::Error| {
            Diagnostic::error(format!("cannot read {}: {}", shown.display(), e.to_string().to_lowercase()))
                .in_file(shown)
                .with_topic(Topic::Syntax)
        };
        let too_large = |len: u64| {
            Diagnostic::error(format!(
                "{} is too large: {} MB (tryksag reads JSON files of at most {} MB)",
                shown.display(),
                len.div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ))
            .with_hint("is this the right file? a deck of 10 000 cards is about 6 MB")
            .in_file(shown)
        };
        let file = std::fs::File::open(path).map_err(cannot)?;
        let len = file.metadata().map_err(cannot)?.len();
        if len > MAX_FILE_BYTES {
            return Err(too_large(len));
        }
        // Never more than the bound, even if the file grows or is no regular file.
        let mut bytes = Vec::with_capacity(len as usize);
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        Self::parse_bytes(shown, bytes)
    }

    /// Parses the bytes of a JSON file read from `path`: checks they are UTF-8 (naming the line
    /// and column of the first bad byte) and accepts a UTF-8 byte-order mark.
    pub fn parse_bytes(path: &Path, mut bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Self::parse(path, text),
            Err(e) => {
                let bytes = e.as_bytes();
                let bad = e.utf8_error().valid_up_to();
                let good = std::str::from_utf8(&bytes[..bad]).unwrap_or_default();
                let start = good.rfind('\n').map_or(0, |i| i + 1);
                let end = bytes[bad..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| bad + i);
                let line = String::from_utf8_lossy(&bytes[start..end]);
                let col0 = good[start..].chars().count();
                let byte = bytes[bad];
                let hint = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                    "the file is UTF-16: save it as UTF-8 in your editor"
                } else if matches!(byte, 0xC5 | 0xC6 | 0xD8 | 0xE5 | 0xE6 | 0xF8) {
                    "æ, ø or å saved as Latin-1 or Windows-1252? save the file as UTF-8 in your editor"
                } else {
                    "save the file as UTF-8 in your editor"
                };
                Err(Diagnostic::error(format!("the file is not valid UTF-8 (byte 0x{byte:02X})"))
                    .with_hint(hint)
                    .with_topic(Topic::Syntax)
                    .at(location_in_line(path, good.matches('\n').count() + 1, &line, col0, None)))
            }
        }
    }

    /// Parses JSON text that was read from `path`.
    pub fn parse(path: &Path, mut text: String) -> Result<SourceFile, Diagnostic> {
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        // Only the syntax is checked here; values are deserialized from the text where they are
        // needed, so a large deck is never held as a `Value` tree for the whole run.
        if let Err(p) = syntax::check(&text) {
            let path_shown = (!p.path.is_empty()).then_some(p.path.as_str());
            return Err(Diagnostic::error(p.message)
                .with_hint(p.hint)
                .with_topic(Topic::Syntax)
                .at(location_at(path, &text, p.at, path_shown)));
        }
        // serde_json reads the values later: make sure it agrees (the syntax pass is stricter, so
        // this only guards against a difference between the two).
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
            let (line, col) = (e.line(), e.column());
            let msg = strip_position(&e);
            let src = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
            return Err(Diagnostic::error(format!("invalid JSON: {msg}"))
                .with_hint("check for a missing comma, quote or bracket just before this point")
                .with_topic(Topic::Syntax)
                .at(location_in_line(path, line, src, col.saturating_sub(1), None)));
        }
        Ok(SourceFile { path: path.to_path_buf(), text, index: OnceLock::new(), line_starts: OnceLock::new() })
    }

    /// The whole file as a JSON value (parsed anew on each call).
    #[must_use]
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.text).expect("the syntax was checked when the file was read")
    }

    fn index(&self) -> &HashMap<String, Span> {
        self.index.get_or_init(|| {
            let mut index = HashMap::new();
            Indexer { src: self.text.as_bytes(), pos: 0, out: &mut index }.value(String::new(), None);
            index
        })
    }

    fn line_starts(&self) -> (&[usize], &[usize]) {
        let (lines, marks) = self.line_starts.get_or_init(|| {
            let lines = std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect();
            let mut marks = vec![0];
            for chunk in self.text.as_bytes().chunks(CHAR_MARK_STEP) {
                marks.push(marks[marks.len() - 1] + chars_in(chunk));
            }
            (lines, marks)
        });
        (lines, marks)
    }

    /// The number of chars before byte `off` (a char boundary).
    fn chars_before(&self, off: usize) -> usize {
        let (_, marks) = self.line_starts();
        let k = off / CHAR_MARK_STEP;
        marks[k] + chars_in(&self.text.as_bytes()[k * CHAR_MARK_STEP..off])
    }

    /// The location of the value at `json_path` (or of its nearest ancestor that exists).
    pub fn locate(&self, json_path: &str) -> Location {
        self.locate_inner(json_path, false)
    }

    /// The location of the key of the member at `json_path` (falls back to the value).
    pub fn locate_key(&self, json_path: &str) -> Location {
        self.locate_inner(json_path, true)
    }

    fn locate_inner(&self, json_path: &str, key: bool) -> Location {
        let mut p = json_path.to_string();
        let span = loop {
            if let Some(s) = self.index().get(&p) {
                break Some(*s);
            }
            match parent_path(&p) {
                Some(parent) => p = parent,
                None => break None,
            }
        };
        let offset = span.map(|s| if key { s.key.unwrap_or(s.value) } else { s.value });
        let Some(off) = offset else {
            return Location {
                file: Some(self.path.clone()),
                json_path: (!json_path.is_empty()).then(|| json_path.to_string()),
                ..Location::default()
            };
        };
        // Binary search in the line index: locating stays cheap with thousands of cards.
        let (starts, _) = self.line_starts();
        let off = off.min(self.text.len());
        let l = starts.partition_point(|&s| s <= off);
        let start = starts[l - 1];
        let col0 = self.chars_before(off) - self.chars_before(start);
        // Only the part of the line around the column is kept.
        let from = self.text[start..off].char_indices().rev().nth(KEEP_AROUND - 1).map_or(start, |(i, _)| start + i);
        let end = self.text[off..].find('\n').map_or(self.text.len(), |i| off + i);
        let to = self.text[off..end].char_indices().nth(KEEP_AROUND).map_or(end, |(i, _)| off + i);
        let skipped = if from == start { 0 } else { col0 - self.text[from..off].chars().count() };
        Location {
            file: Some(self.path.clone()),
            line_col: Some((l, col0 + 1)),
            json_path: (!json_path.is_empty()).then(|| json_path.to_string()),
            subject: None,
            cell: None,
            source_line: Some(self.text[from..to].trim_end_matches('\r').to_string()),
            snippet_from: skipped,
        }
    }

    /// Deserializes the value at `json_path` into `T`, with a located error and a "did you mean"
    /// hint for unknown keys.
    pub fn de<T: DeserializeOwned>(&self, value: &Value, json_path: &str) -> Result<T, Diagnostic> {
        rule::clear();
        self.located(serde_path_to_error::deserialize(value), json_path)
    }

    /// Deserializes the whole file (straight from the text).
    pub fn de_root<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        let mut de = serde_json::Deserializer::from_str(&self.text);
        rule::clear();
        self.located(serde_path_to_error::deserialize(&mut de), "")
    }

    fn located<T>(
        &self,
        res: Result<T, serde_path_to_error::Error<serde_json::Error>>,
        json_path: &str,
    ) -> Result<T, Diagnostic> {
        located_by(res, json_path, &|p, key| if key { self.locate_key(p) } else { self.locate(p) })
    }
}

/// Deserializes `value` (built from another kind of file, such as a spreadsheet row) with the
/// same messages as a JSON file's values; `locate(path, key)` places a JSON path of the value.
pub fn de_located<T: DeserializeOwned>(
    value: &Value,
    locate: &dyn Fn(&str, bool) -> Location,
) -> Result<T, Diagnostic> {
    rule::clear();
    located_by(serde_path_to_error::deserialize(value), "", locate)
}

/// A deserialization error as a located diagnostic.
fn located_by<T>(
    res: Result<T, serde_path_to_error::Error<serde_json::Error>>,
    json_path: &str,
    locate: &dyn Fn(&str, bool) -> Location,
) -> Result<T, Diagnostic> {
    res.map_err(|e| {
        let inner = e.path().to_string();
        let mut path = join_path(json_path, if inner == "." { "" } else { &inner });
        let msg = strip_position(e.inner());
        let mut d;
        if let Some((unknown, expected)) = parse_unknown_field(&msg) {
            if !path.ends_with(&unknown) {
                path = join_path(&path, &unknown);
            }
            d = Diagnostic::error(format!("unknown key `{unknown}`"));
            let hint = match did_you_mean(&unknown, expected.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`? allowed here: {}", expected.join(", ")),
                None => format!("allowed here: {}", expected.join(", ")),
            };
            d = d.with_hint(hint).at(locate(&path, true));
        } else if let Some(v) = parse_unknown_variant(&msg) {
            d = Diagnostic::error(format!("unknown value `{}`", v.0));
            let hint = match did_you_mean(&v.0, v.1.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`? allowed: {}", v.1.join(", ")),
                None => format!("allowed: {}", v.1.join(", ")),
            };
            d = d.with_hint(hint).at(locate(&path, false));
        } else if msg.starts_with("missing field") {
            let field = msg.split('`').nth(1).unwrap_or("?").to_string();
            d = Diagnostic::error(format!("missing key `{field}`"))
                .with_hint(format!("add \"{field}\": … to this object"))
                .at(locate(&path, false));
        } else if let Some(broken) = rule::take_for(&msg) {
            // A rule of model::range or model::length: name the value's own key.
            if let Some(member) = broken.key {
                path = join_path(&path, member);
            }
            let key = last_key(&path);
            d = Diagnostic::error(format!("`{key}` must {}", broken.rule)).at(locate(&path, false));
            if let Some(h) = broken.hint {
                d = d.with_hint(h);
            }
        } else {
            d = Diagnostic::error(msg).at(locate(&path, false));
        }
        d
    })
}

/// The number of chars in UTF-8 bytes (those that are not continuation bytes).
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// The location of byte `at` of `text` (a file that failed to parse, so no index is built).
fn location_at(file: &Path, text: &str, at: usize, json_path: Option<&str>) -> Location {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line_no = 1 + text.as_bytes()[..start].iter().filter(|&&b| b == b'\n').count();
    location_in_line(file, line_no, &text[start..end], text[start..at].chars().count(), json_path)
}

/// The location of char `col0` (0-based) of `line`, line number `line_no`, keeping only the part
/// of the line around it.
fn location_in_line(file: &Path, line_no: usize, line: &str, col0: usize, json_path: Option<&str>) -> Location {
    let line = line.trim_end_matches('\r');
    let from = col0.saturating_sub(KEEP_AROUND);
    Location {
        file: Some(file.to_path_buf()),
        line_col: Some((line_no, col0 + 1)),
        json_path: json_path.map(str::to_string),
        subject: None,
        cell: None,
        source_line: Some(line.chars().skip(from).take(2 * KEEP_AROUND).collect()),
        snippet_from: from,
    }
}

/// Appends a serde_path_to_error path (`a.b[2]`) or a key to a base path.
pub fn join_path(base: &str, rest: &str) -> String {
    match (base.is_empty(), rest.is_empty()) {
        (_, true) => base.to_string(),
        (true, false) => rest.to_string(),
        (false, false) if rest.starts_with('[') => format!("{base}{rest}"),
        _ => format!("{base}.{rest}"),
    }
}

/// The last key of a JSON path, with its index (`cards[3].copies` → `copies`, `from[1]` → `from[1]`).
fn last_key(path: &str) -> &str {
    let start = path.rfind('.').map_or(0, |i| i + 1);
    &path[start..]
}

fn parent_path(p: &str) -> Option<String> {
    if p.is_empty() {
        return None;
    }
    if p.ends_with(']') {
        return p.rfind('[').map(|i| p[..i].to_string());
    }
    Some(p.rfind('.').map(|i| p[..i].to_string()).unwrap_or_default())
}

/// serde_json's message without the position it appends (the location is shown on its own).
fn strip_position(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match msg.strip_suffix(&suffix) {
        Some(m) if e.line() != 0 => m.to_string(),
        _ => msg,
    }
}

fn backticked(s: &str) -> Vec<String> {
    s.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

fn parse_unknown_field(msg: &str) -> Option<(String, Vec<String>)> {
    let rest = msg.strip_prefix("unknown field ")?;
    let mut names = backticked(rest);
    if names.is_empty() {
        return None;
    }
    let unknown = names.remove(0);
    Some((unknown, names))
}

fn parse_unknown_variant(msg: &str) -> Option<(String, Vec<String>)> {
    let rest = msg.strip_prefix("unknown variant ")?;
    let mut names = backticked(rest);
    if names.is_empty() {
        return None;
    }
    let unknown = names.remove(0);
    Some((unknown, names))
}

/// A minimal scanner over already-valid JSON that records where each value starts.
struct Indexer<'a> {
    src: &'a [u8],
    pos: usize,
    out: &'a mut HashMap<String, Span>,
}

impl Indexer<'_> {
    fn ws(&mut self) {
        while self.pos < self.src.len() && self.src[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn value(&mut self, path: String, key: Option<usize>) {
        self.ws();
        self.out.insert(path.clone(), Span { key, value: self.pos });
        match self.src.get(self.pos) {
            Some(b'{') => {
                self.pos += 1;
                loop {
                    self.ws();
                    match self.src.get(self.pos) {
                        Some(b'}') | None => {
                            self.pos += 1;
                            return;
                        }
                        Some(b',') => {
                            self.pos += 1;
                            continue;
                        }
                        _ => {}
                    }
                    let key_pos = self.pos;
                    let k = self.string();
                    self.ws();
                    self.pos += 1; // ':'
                    self.value(join_path(&path, &k), Some(key_pos));
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut i = 0;
                loop {
                    self.ws();
                    match self.src.get(self.pos) {
                        Some(b']') | None => {
                            self.pos += 1;
                            return;
                        }
                        Some(b',') => {
                            self.pos += 1;
                            continue;
                        }
                        _ => {}
                    }
                    self.value(format!("{path}[{i}]"), None);
                    i += 1;
                }
            }
            Some(b'"') => {
                self.string();
            }
            _ => {
                while self.pos < self.src.len() && !matches!(self.src[self.pos], b',' | b'}' | b']') {
                    self.pos += 1;
                }
            }
        }
    }

    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while self.pos < self.src.len() {
            match self.src[self.pos] {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        let raw = std::str::from_utf8(&self.src[start..self.pos]).unwrap_or("\"\"");
        serde_json::from_str(raw).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceFile {
        SourceFile::parse(Path::new("t.json"), text.to_string()).unwrap()
    }

    #[test]
    fn locates_nested_values_and_keys() {
        let f = src("{\n  \"cards\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"x\": [1, 2]}\n  ]\n}");
        assert_eq!(f.locate("cards[1].id").line_col, Some((4, 12)));
        assert_eq!(f.locate_key("cards[1].x").line_col, Some((4, 17)));
        assert_eq!(f.locate("cards[1].x[1]").line_col, Some((4, 26)));
        // A missing path falls back to its nearest ancestor.
        assert_eq!(f.locate("cards[1].nope").line_col, Some((4, 5)));
    }

    #[test]
    fn syntax_error_is_located() {
        let e = SourceFile::parse(Path::new("t.json"), "{\n \"a\": 1\n \"b\": 2}".into()).unwrap_err();
        assert_eq!(e.location.line_col, Some((3, 2)));
        assert_eq!(e.message, "missing comma before this key");
        assert_eq!(e.location.source_line.as_deref(), Some(" \"b\": 2}"));
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Card {
        id: String,
        question: String,
    }

    #[test]
    fn unknown_key_gets_did_you_mean() {
        let f = src("{\"cards\": [{\"id\": \"a\", \"qestion\": \"?\"}]}");
        let e = f.de::<Card>(&f.value()["cards"][0], "cards[0]").unwrap_err();
        assert_eq!(e.message, "unknown key `qestion`");
        assert!(e.hint.as_deref().unwrap().contains("did you mean `question`"));
        assert_eq!(e.location.json_path.as_deref(), Some("cards[0].qestion"));
        assert_eq!(e.location.line_col, Some((1, 24)));
    }

    #[test]
    fn wrong_type_is_located() {
        let f = src("{\"id\": 5, \"question\": \"x\"}");
        let e = f.de_root::<Card>().unwrap_err();
        assert!(e.message.contains("invalid type"), "{}", e.message);
        assert_eq!(e.location.json_path.as_deref(), Some("id"));
        assert_eq!(e.location.line_col, Some((1, 8)));
    }
}

#[cfg(test)]
mod rule_tests {
    use super::*;
    use crate::model::length::Length;
    use crate::model::range::{Bleed, Len};
    use crate::model::sheet::Sides;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Values {
        #[serde(default)]
        bleed: Option<Len<Bleed>>,
        #[serde(default)]
        margin: Option<Sides>,
        #[serde(default)]
        x: Option<Length>,
    }

    fn refused(text: &str) -> Diagnostic {
        SourceFile::parse(Path::new("t.json"), text.to_string()).unwrap().de_root::<Values>().unwrap_err()
    }

    #[test]
    fn a_broken_rule_names_its_key_and_keeps_its_hint() {
        let e = refused("{\"bleed\": 40}");
        assert_eq!(e.message, "`bleed` must be at least 0 and at most 25 mm, not 40 mm");
        assert_eq!(e.hint.as_deref(), Some("print shops ask for 2–5 mm of bleed"));
        assert_eq!(e.location.json_path.as_deref(), Some("bleed"));
    }

    #[test]
    fn a_member_read_by_hand_names_itself() {
        let e = refused("{\"margin\": {\"top\": 5000, \"right\": 1, \"bottom\": 1, \"left\": 1}}");
        assert_eq!(e.message, "`top` must be at least 0 and at most 1000 mm, not 5000 mm");
        assert_eq!(e.location.json_path.as_deref(), Some("margin.top"));
        let e = refused("{\"margin\": 5000}");
        assert_eq!(e.message, "`margin` must be at least 0 and at most 1000 mm, not 5000 mm");
    }

    #[test]
    fn a_length_beyond_ten_metres_names_its_key() {
        let e = refused("{\"x\": \"20000mm\"}");
        assert_eq!(e.message, "`x` must be a length between -10000 and 10000 mm, not 2e4 mm");
        assert_eq!(e.hint, None);
        // An unreadable length broke no rule: serde's text as it is.
        let e = refused("{\"x\": \"3px\"}");
        assert!(e.message.starts_with("invalid length `3px`"), "{}", e.message);
    }
}
