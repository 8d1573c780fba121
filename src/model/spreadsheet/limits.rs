//! What a spreadsheet may hold before it is read: an `.xlsx` or `.ods` file is a zip of XML
//! parts, so a small file can unpack to gigabytes or declare a million rows in one element.
//! Each limit is checked before calamine allocates anything it would need.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::{SheetError, column_letters};

/// The largest spreadsheet file read (bytes).
pub const MAX_BYTES: u64 = 20_000_000;
/// The most bytes all parts of an `.xlsx` or `.ods` file may unpack to.
pub const MAX_UNPACKED: u64 = 100_000_000;
/// The most parts (files in the zip) a workbook may have.
pub const MAX_PARTS: usize = 10_000;
/// The most rows (the header counted) a sheet may use.
pub const MAX_ROWS: usize = 100_000;
/// The most columns a sheet may use.
pub const MAX_COLUMNS: usize = 200;
/// The most cells (rows × columns of the range in use) a sheet may have.
pub const MAX_CELLS: usize = 2_000_000;
/// The most bytes of text all cells of a sheet may hold together.
pub const MAX_TEXT: usize = 50_000_000;

/// Checks the parts of a workbook (a zip) as its directory declares them: how many, and how
/// large unpacked. The zip reader stops at the declared size, so a part cannot unpack to more.
pub fn check_zip(bytes: &[u8]) -> Result<(), SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| SheetError::Workbook(e.to_string()))?;
    if zip.len() > MAX_PARTS {
        return Err(SheetError::Unpacked(format!("{} parts (at most {MAX_PARTS})", zip.len())));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| SheetError::Workbook(e.to_string()))?;
        total = total.saturating_add(part.size());
    }
    if total > MAX_UNPACKED {
        return Err(SheetError::Unpacked(format!(
            "{} MB (at most {} MB)",
            total / 1_000_000,
            MAX_UNPACKED / 1_000_000
        )));
    }
    Ok(())
}

/// The extent of one sheet while it is scanned, counted as calamine will expand it.
#[derive(Default)]
struct Extent {
    name: String,
    /// Rows so far, repeats counted.
    rows: usize,
    /// The first row with a value, and the row after the last one.
    first: Option<usize>,
    end: usize,
    /// The columns with values: the first, and the one after the last.
    left: usize,
    right: usize,
    text: usize,
}

impl Extent {
    /// The error for a sheet past a limit, naming the cell where it was passed.
    fn check(&self) -> Result<(), SheetError> {
        let at = |col: usize, row: usize| format!("{}!{}{}", self.name, column_letters(col), row + 1);
        if self.end > MAX_ROWS {
            return Err(SheetError::TooLarge(format!("{MAX_ROWS} rows (a value in row {})", self.end)));
        }
        if self.right > MAX_COLUMNS {
            return Err(SheetError::TooLarge(format!(
                "{MAX_COLUMNS} columns (a value in {})",
                at(self.right - 1, self.end.saturating_sub(1))
            )));
        }
        let area = (self.end - self.first.unwrap_or(self.end)).saturating_mul(self.right.saturating_sub(self.left));
        if area > MAX_CELLS {
            return Err(SheetError::TooLarge(format!("{MAX_CELLS} cells in use")));
        }
        if self.text > MAX_TEXT {
            return Err(SheetError::TooLarge(format!("{} MB of text", MAX_TEXT / 1_000_000)));
        }
        Ok(())
    }
}

/// One cell being scanned: where it starts, how often it repeats, whether it holds anything.
struct ScanCell {
    col: usize,
    repeats: usize,
    filled: bool,
    text: usize,
}

/// A repeat count attribute (`table:number-rows-repeated`), 1 when absent or unreadable (calamine
/// then refuses the file itself).
fn repeats(e: &BytesStart<'_>, name: &str) -> usize {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse::<usize>().ok())
        .unwrap_or(1)
}

/// Whether a cell element says it holds a value or a formula.
fn has_value(e: &BytesStart<'_>) -> bool {
    e.attributes().flatten().any(|a| matches!(a.key.as_ref(), "office:value-type" | "table:formula"))
}

/// Scans an `.ods` file's `content.xml` and checks every sheet against the limits as calamine
/// will expand it: rows and cells repeated (`number-rows-repeated`, `number-columns-repeated`)
/// and runs of spaces (`<text:s text:c>`) counted, with no more memory than one element's.
pub fn check_ods(bytes: &[u8]) -> Result<(), SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| SheetError::Workbook(e.to_string()))?;
    let content = zip.by_name("content.xml").map_err(|e| SheetError::Workbook(format!("content.xml: {e}")))?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content.take(MAX_UNPACKED)));
    let mut buf = Vec::new();
    let mut sheet = Extent::default();
    // The row being scanned: its start column and end column of values, and its text.
    let mut row: Option<(usize, usize, usize, usize)> = None;
    let mut col = 0usize;
    let mut cell: Option<ScanCell> = None;
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf).map_err(|e| SheetError::Workbook(format!("content.xml: {e}")))?;
        let (e, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = e {
            match e.name().as_ref() {
                "table:table" => {
                    let name = e.attributes().flatten().find(|a| a.key.as_ref() == "table:name");
                    let name = name.map(|a| a.value.into_owned()).unwrap_or_default();
                    sheet = Extent { name, ..Extent::default() };
                }
                "table:table-row" => {
                    let n = repeats(e, "table:number-rows-repeated");
                    if empty {
                        sheet.rows = sheet.rows.saturating_add(n);
                    } else {
                        row = Some((n, usize::MAX, 0, 0));
                        col = 0;
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let c = ScanCell {
                        col,
                        repeats: repeats(e, "table:number-columns-repeated"),
                        filled: has_value(e),
                        text: 0,
                    };
                    if empty {
                        end_cell(c, &mut row, &mut col);
                    } else {
                        cell = Some(c);
                    }
                }
                "text:s" => {
                    if let Some(c) = &mut cell {
                        c.text = c.text.saturating_add(repeats(e, "text:c"));
                    }
                }
                _ => {
                    if let Some(c) = &mut cell {
                        c.filled = true;
                    }
                }
            }
            continue;
        }
        match event {
            Event::Text(t) => {
                if let Some(c) = &mut cell {
                    c.text = c.text.saturating_add(t.len());
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(c) = cell.take() {
                        end_cell(c, &mut row, &mut col);
                    }
                }
                "table:table-row" => {
                    if let Some((n, left, right, text)) = row.take() {
                        if right > 0 {
                            sheet.first.get_or_insert(sheet.rows);
                            sheet.end = sheet.rows.saturating_add(n);
                            sheet.left = if sheet.right == 0 { left } else { sheet.left.min(left) };
                            sheet.right = sheet.right.max(right);
                            sheet.text = sheet.text.saturating_add(text.saturating_mul(n));
                        }
                        sheet.rows = sheet.rows.saturating_add(n);
                        sheet.check()?;
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// Adds a scanned cell to its row.
fn end_cell(c: ScanCell, row: &mut Option<(usize, usize, usize, usize)>, col: &mut usize) {
    *col = c.col.saturating_add(c.repeats);
    if let Some((_, left, right, text)) = row
        && (c.filled || c.text > 0)
    {
        *left = (*left).min(c.col);
        *right = (*right).max(*col);
        *text = text.saturating_add(c.text.saturating_mul(c.repeats));
    }
}
