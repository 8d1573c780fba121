//! Spreadsheets a deck takes its cards from (`cards_from`): CSV (the csv crate), XLSX and ODS
//! (calamine), read into one [`Table`] of cells whatever the format.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader as _};

mod limits;

pub use limits::{MAX_BYTES, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_TEXT};

/// One cell's value, as the spreadsheet holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing in it (or only spaces).
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A date or time, as the spreadsheet shows it (roughly).
    Date(String),
    /// A formula error such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// The file formats read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma- or semicolon-separated text, UTF-8.
    Csv,
    /// Excel workbook.
    Xlsx,
    /// OpenDocument spreadsheet (LibreOffice, Numbers' export).
    Ods,
}

impl Format {
    /// The format a file name's extension says, if it is one read here.
    pub fn of(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "ods" => Some(Format::Ods),
            _ => None,
        }
    }
}

/// A sheet read: its name (none for CSV) and its rows, the first being the header.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The worksheet's name; `None` for CSV.
    pub sheet: Option<String>,
    /// The rows from the sheet's first row (`rows[0]` is row 1), each as long as it is written.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The header row's texts (empty for cells without text).
    pub fn header(&self) -> Vec<String> {
        self.rows.first().map_or_else(Vec::new, |r| r.iter().map(cell_text).collect())
    }
}

/// A header or other cell as text, for matching and messages.
fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.trim().to_string(),
        Cell::Number(n) => number_text(*n),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Cell::Date(s) | Cell::Error(s) => s.clone(),
        Cell::Empty => String::new(),
    }
}

/// A number as a spreadsheet shows it in its general format: whole numbers without a decimal
/// part (`7`, not `7.0`), others to 15 significant digits (`0.1 + 0.2` is `0.3`).
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{}", n as i64);
    }
    let rounded: f64 = format!("{n:.14e}").parse().unwrap_or(n);
    format!("{rounded}")
}

/// Why a spreadsheet cannot be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SheetError {
    /// A CSV file that is not UTF-8.
    #[error("is not UTF-8 text (byte {0} is not UTF-8)")]
    NotUtf8(usize),
    /// A CSV syntax problem.
    #[error("cannot be read as CSV: {0}")]
    Csv(String),
    /// A workbook calamine cannot open or read.
    #[error("cannot be read as a spreadsheet: {0}")]
    Workbook(String),
    /// The named worksheet is not in the workbook.
    #[error("has no sheet `{name}`")]
    UnknownSheet {
        /// The name asked for.
        name: String,
        /// The workbook's sheets.
        sheets: Vec<String>,
    },
    /// A CSV file asked for a sheet.
    #[error("is a CSV file, which has no sheets")]
    SheetInCsv,
    /// Too many rows or columns.
    #[error("has more than {0}")]
    TooLarge(String),
    /// A workbook whose parts unpack to too much (a zip bomb, or not a deck's cards).
    #[error("unpacks to more than {0}")]
    Unpacked(String),
    /// Nothing in the sheet.
    #[error("has no header row (the sheet is empty)")]
    Empty,
}

impl SheetError {
    /// How to fix it.
    pub fn hint(&self) -> String {
        match self {
            SheetError::NotUtf8(_) => {
                "save the file as \"CSV UTF-8\" (Excel: Save As → CSV UTF-8 (comma delimited))".into()
            }
            SheetError::Csv(_) => "save the file again from the spreadsheet program as CSV UTF-8".into(),
            SheetError::Workbook(_) => "save the file again as .xlsx or .ods from the spreadsheet program".into(),
            SheetError::UnknownSheet { sheets, .. } => format!("the sheets are: {}", sheets.join(", ")),
            SheetError::SheetInCsv => "remove \"sheet\", or use an .xlsx or .ods file".into(),
            SheetError::TooLarge(_) => {
                "split the cards into several decks; cells far below or right of the cards (Ctrl+End shows the last one) can be deleted".into()
            }
            SheetError::Unpacked(_) => {
                "save the cards alone as a new .xlsx or .ods file (without pictures or other sheets)".into()
            }
            SheetError::Empty => "put the column names (e.g. id, category, fields.question) in the first row".into(),
        }
    }
}

/// Reads `bytes` as a spreadsheet of `format`; `sheet` names a worksheet (default: the first).
pub fn read(bytes: &[u8], format: Format, sheet: Option<&str>) -> Result<Table, SheetError> {
    let table = match format {
        Format::Csv if sheet.is_some() => return Err(SheetError::SheetInCsv),
        Format::Csv => read_csv(bytes)?,
        Format::Xlsx | Format::Ods => read_workbook(bytes, format, sheet)?,
    };
    if table.rows.iter().all(|r| r.iter().all(Cell::is_empty)) {
        return Err(SheetError::Empty);
    }
    Ok(table)
}

/// The delimiter of a CSV file, from its first line: Danish Excel writes `;`, others `,`.
fn delimiter(text: &str) -> u8 {
    let line = text.lines().next().unwrap_or("");
    let (mut semi, mut comma, mut quoted) = (0, 0, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semi += 1,
            ',' if !quoted => comma += 1,
            _ => {}
        }
    }
    if semi > comma { b';' } else { b',' }
}

fn read_csv(bytes: &[u8]) -> Result<Table, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| SheetError::NotUtf8(e.valid_up_to() + 1))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Csv(e.to_string()))?;
        if rows.len() == MAX_ROWS {
            return Err(SheetError::TooLarge(format!("{MAX_ROWS} rows")));
        }
        if record.len() > MAX_COLUMNS {
            return Err(SheetError::TooLarge(format!("{MAX_COLUMNS} columns")));
        }
        rows.push(
            record
                .iter()
                .map(|f| if f.trim().is_empty() { Cell::Empty } else { Cell::Text(f.replace("\r\n", "\n")) })
                .collect(),
        );
    }
    Ok(Table { sheet: None, rows })
}

/// The worksheet `sheet` names among `names` (default: the first).
fn pick_sheet(names: Vec<String>, sheet: Option<&str>) -> Result<String, SheetError> {
    match sheet {
        Some(s) if names.iter().any(|n| n == s) => Ok(s.to_string()),
        Some(s) => Err(SheetError::UnknownSheet { name: s.to_string(), sheets: names }),
        None => names.first().cloned().ok_or(SheetError::Empty),
    }
}

fn read_workbook(bytes: &[u8], format: Format, sheet: Option<&str>) -> Result<Table, SheetError> {
    limits::check_zip(bytes)?;
    match format {
        Format::Ods => read_ods(bytes, sheet),
        _ => read_xlsx(bytes, sheet),
    }
}

/// An XLSX sheet, read cell by cell (calamine's whole range would be as large as the cells
/// farthest apart, whatever lies between); each cell is checked against the limits as it comes.
fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Table, SheetError> {
    let workbook = |e: calamine::XlsxError| SheetError::Workbook(e.to_string());
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).map_err(workbook)?;
    let name = pick_sheet(book.sheet_names(), sheet)?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(workbook)?;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let (mut in_use, mut text) = (0usize, 0usize);
    while let Some(c) = cells.next_cell().map_err(workbook)? {
        let value = c.get_value();
        if matches!(value, DataRef::Empty) {
            continue;
        }
        let (row, col) = c.get_position();
        let (row, col) = (row as usize, col as usize);
        let at = || format!("{name}!{}{}", column_letters(col), row + 1);
        if row >= MAX_ROWS {
            return Err(SheetError::TooLarge(format!("{MAX_ROWS} rows (a value in {})", at())));
        }
        if col >= MAX_COLUMNS {
            return Err(SheetError::TooLarge(format!("{MAX_COLUMNS} columns (a value in {})", at())));
        }
        let cell = cell_of_ref(value);
        if let Cell::Text(s) | Cell::Error(s) | Cell::Date(s) = &cell {
            text = text.saturating_add(s.len());
        }
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let r = &mut rows[row];
        if r.len() <= col {
            in_use += col + 1 - r.len();
            r.resize(col + 1, Cell::Empty);
        }
        if in_use > MAX_CELLS {
            return Err(SheetError::TooLarge(format!("{MAX_CELLS} cells in use (up to {})", at())));
        }
        if text > MAX_TEXT {
            return Err(SheetError::TooLarge(format!("{} MB of text (up to {})", MAX_TEXT / 1_000_000, at())));
        }
        r[col] = cell;
    }
    Ok(Table { sheet: Some(name), rows })
}

/// An ODS sheet: calamine reads every sheet of the file when it opens it, so each is scanned
/// against the limits first.
fn read_ods(bytes: &[u8], sheet: Option<&str>) -> Result<Table, SheetError> {
    limits::check_ods(bytes)?;
    let workbook = |e: calamine::OdsError| SheetError::Workbook(e.to_string());
    let mut book: calamine::Ods<_> = calamine::Ods::new(Cursor::new(bytes)).map_err(workbook)?;
    let name = pick_sheet(book.sheet_names(), sheet)?;
    let range = book.worksheet_range(&name).map_err(workbook)?;
    let Some((top, left)) = range.start() else {
        return Ok(Table { sheet: Some(name), rows: Vec::new() });
    };
    let (height, width) = range.get_size();
    let (top, left) = (top as usize, left as usize);
    if top + height > MAX_ROWS {
        return Err(SheetError::TooLarge(format!("{MAX_ROWS} rows")));
    }
    if left + width > MAX_COLUMNS {
        return Err(SheetError::TooLarge(format!("{MAX_COLUMNS} columns")));
    }
    // The range starts at its first used cell; rows and columns before it are empty.
    let mut rows = vec![Vec::new(); top];
    for r in range.rows() {
        let mut row = vec![Cell::Empty; left];
        row.extend(r.iter().map(cell_of));
        rows.push(row);
    }
    Ok(Table { sheet: Some(name), rows })
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.replace("\r\n", "\n")),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(t) => Cell::Date(date_text(t)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Date(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn cell_of_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) if s.trim().is_empty() => Cell::Empty,
        DataRef::SharedString(s) if s.trim().is_empty() => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.replace("\r\n", "\n")),
        DataRef::SharedString(s) => Cell::Text(s.replace("\r\n", "\n")),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(t) => Cell::Date(date_text(t)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Date(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// An Excel date or time as ISO 8601 (`2026-12-02`, `2026-12-02T09:30:00`), a duration as its
/// number of days.
fn date_text(t: &calamine::ExcelDateTime) -> String {
    if t.is_duration() {
        return number_text(t.as_f64());
    }
    let (y, m, d, h, min, s, _) = t.to_ymd_hms_milli();
    if (h, min, s) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else if t.as_f64() < 1.0 {
        format!("{h:02}:{min:02}:{s:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}")
    }
}

/// The column letters of a 0-based column index (0 → `A`, 26 → `AA`).
pub fn column_letters(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The 0-based column index of column letters (`A` → 0, `AA` → 26); `None` unless 1–3 upper-case
/// letters.
pub fn column_index(letters: &str) -> Option<usize> {
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Some(letters.bytes().fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1)) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_round_trip() {
        for (i, s) in [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")] {
            assert_eq!(column_letters(i), s);
            assert_eq!(column_index(s), Some(i));
        }
        assert_eq!(column_index("a"), None);
        assert_eq!(column_index("Kategori"), None);
    }

    #[test]
    fn csv_semicolons_bom_and_quoted_newlines() {
        let t = read("\u{feff}id;fields.title\nx;\"to\nlinjer; æøå\"\n".as_bytes(), Format::Csv, None).unwrap();
        assert_eq!(t.header(), ["id", "fields.title"]);
        assert_eq!(t.rows[1][1], Cell::Text("to\nlinjer; æøå".into()));
    }

    #[test]
    fn numbers_read_as_the_spreadsheet_shows_them() {
        assert_eq!(number_text(7.0), "7");
        assert_eq!(number_text(-12.0), "-12");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }

    #[test]
    fn csv_in_latin1_is_refused() {
        assert_eq!(read(b"id,title\nx,r\xf8d\n", Format::Csv, None), Err(SheetError::NotUtf8(13)));
    }
}
