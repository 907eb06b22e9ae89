//! Printable documents as PDF, written here without a browser or a
//! download: A4 pages of headings, paragraphs and tables in a TrueType font
//! read from the system (DejaVu Sans, Debian's `fonts-dejavu-core`) and
//! embedded whole, so the file looks the same everywhere and its text can be
//! copied, searched and read back (a test reads it with `pdftotext`).
//!
//! The text is encoded as WinAnsi, which holds British English, the pound
//! sign and typographic quotes and dashes; any other character is shown as
//! a question mark.

use pdf_writer::types::FontFlags;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use std::io::Write as _;

/// Where the fonts are looked for, first found first used; the
/// `PLACEWORKS_PDF_FONT_DIR` folder before these.
const FONT_DIRS: [&str; 3] = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts/dejavu"];

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the font DejaVu Sans was not found in {0}: install Debian's fonts-dejavu-core, or set PLACEWORKS_PDF_FONT_DIR to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf")]
    NoFont(String),
    #[error("the font {0} cannot be read")]
    BadFont(String),
}

/// A font read from the system: its file and what the page layout needs of it.
struct Font {
    name: &'static str,
    data: Vec<u8>,
    /// Advance widths of WinAnsi codes 32..=255, in thousandths of the font size.
    widths: Vec<f32>,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    bbox: [f32; 4],
}

fn font_file(file: &str) -> Result<(String, Vec<u8>), PdfError> {
    let mut dirs: Vec<String> = std::env::var("PLACEWORKS_PDF_FONT_DIR").ok().filter(|d| !d.trim().is_empty()).into_iter().collect();
    dirs.extend(FONT_DIRS.iter().map(|d| (*d).to_owned()));
    for d in &dirs {
        let path = std::path::Path::new(d).join(file);
        if let Ok(bytes) = std::fs::read(&path) {
            return Ok((path.display().to_string(), bytes));
        }
    }
    Err(PdfError::NoFont(dirs.join(", ")))
}

impl Font {
    fn load(file: &str, name: &'static str) -> Result<Font, PdfError> {
        let (path, data) = font_file(file)?;
        let face = ttf_parser::Face::parse(&data, 0).map_err(|_| PdfError::BadFont(path.clone()))?;
        let per_em = f32::from(face.units_per_em());
        let scale = |v: f32| v * 1000.0 / per_em;
        let widths = (32u8..=255)
            .map(|code| {
                let c = winansi_char(code);
                c.and_then(|c| face.glyph_index(c)).and_then(|g| face.glyph_hor_advance(g)).map_or(0.0, |w| scale(f32::from(w)))
            })
            .collect();
        let b = face.global_bounding_box();
        Ok(Font {
            name,
            widths,
            ascent: scale(f32::from(face.ascender())),
            descent: scale(f32::from(face.descender())),
            cap_height: scale(f32::from(face.capital_height().unwrap_or(face.ascender()))),
            bbox: [scale(f32::from(b.x_min)), scale(f32::from(b.y_min)), scale(f32::from(b.x_max)), scale(f32::from(b.y_max))],
            data,
        })
    }

    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        encode(text).iter().map(|b| self.widths.get(usize::from(b.saturating_sub(32))).copied().unwrap_or(500.0)).sum::<f32>() * size / 1000.0
    }
}

/// The character a WinAnsi code stands for.
fn winansi_char(code: u8) -> Option<char> {
    const HIGH: [u16; 32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D,
        0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ];
    match code {
        0x80..=0x9F => Some(HIGH[usize::from(code - 0x80)]).filter(|c| *c != 0).and_then(|c| char::from_u32(u32::from(c))),
        _ => char::from_u32(u32::from(code)),
    }
}

/// `text` in WinAnsi, a question mark for anything it cannot hold.
fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c as u32 {
            0x20..=0x7E | 0xA0..=0xFF => c as u8,
            _ => (0x80u8..=0x9F).find(|b| winansi_char(*b) == Some(c)).unwrap_or(b'?'),
        })
        .collect()
}

/// One block of a document.
pub enum Block {
    /// A heading: level 1 (the title), 2 or 3.
    Heading(u8, String),
    Paragraph(String),
    /// Smaller, grey text.
    Note(String),
    /// A table: the column widths as shares of the page, the header and the rows.
    Table {
        widths: Vec<f32>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

const PAGE: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 50.0;

/// Lines of `text` no wider than `width` at `size` in `font`.
fn wrap(font: &Font, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if font.width(&candidate, size) <= width || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_owned();
            }
        }
        lines.push(line);
    }
    lines
}

/// Lays the blocks out on A4 pages and writes the PDF, titled `title`.
pub fn document(title: &str, blocks: &[Block]) -> Result<Vec<u8>, PdfError> {
    let regular = Font::load("DejaVuSans.ttf", "DejaVuSans")?;
    let bold = Font::load("DejaVuSans-Bold.ttf", "DejaVuSans-Bold")?;
    let mut pages: Vec<Content> = vec![Content::new()];
    let mut y = PAGE.1 - MARGIN;
    let width = PAGE.0 - 2.0 * MARGIN;
    // Writes one line of text at (x, y) in a font (F1 regular, F2 bold).
    let line = |c: &mut Content, bold: bool, size: f32, x: f32, y: f32, text: &str, grey: bool| {
        if grey {
            c.set_fill_rgb(0.31, 0.35, 0.37);
        }
        c.begin_text();
        c.set_font(Name(if bold { b"F2" } else { b"F1" }), size);
        c.next_line(x, y);
        c.show(Str(&encode(text)));
        c.end_text();
        if grey {
            c.set_fill_rgb(0.04, 0.05, 0.05);
        }
    };
    let need = |pages: &mut Vec<Content>, y: &mut f32, height: f32| {
        if *y - height < MARGIN {
            pages.push(Content::new());
            *y = PAGE.1 - MARGIN;
        }
    };
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                let size = match level {
                    1 => 20.0,
                    2 => 14.0,
                    _ => 11.5,
                };
                let lines = wrap(&bold, text, size, width);
                y -= if *level == 1 { 0.0 } else { size * 0.8 };
                need(&mut pages, &mut y, size * 1.3 * lines.len() as f32 + 20.0);
                for l in lines {
                    y -= size * 1.25;
                    line(pages.last_mut().expect("a page"), true, size, MARGIN, y, &l, false);
                }
                y -= size * 0.4;
            }
            Block::Paragraph(text) | Block::Note(text) => {
                let (size, grey) = if matches!(block, Block::Note(_)) { (8.5, true) } else { (10.0, false) };
                for l in wrap(&regular, text, size, width) {
                    need(&mut pages, &mut y, size * 1.4);
                    y -= size * 1.4;
                    line(pages.last_mut().expect("a page"), false, size, MARGIN, y, &l, grey);
                }
                y -= size * 0.6;
            }
            Block::Table { widths, header, rows } => {
                let size = 8.5;
                let total: f32 = widths.iter().sum();
                let cols: Vec<f32> = widths.iter().map(|w| w / total * width).collect();
                let draw_row = |pages: &mut Vec<Content>, y: &mut f32, cells: &[String], is_header: bool| {
                    let font = if is_header { &bold } else { &regular };
                    let wrapped: Vec<Vec<String>> = cells.iter().zip(&cols).map(|(t, w)| wrap(font, t, size, w - 6.0)).collect();
                    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * size * 1.3 + 6.0;
                    need(pages, y, height);
                    let c = pages.last_mut().expect("a page");
                    let mut x = MARGIN;
                    for (cell, w) in wrapped.iter().zip(&cols) {
                        for (i, l) in cell.iter().enumerate() {
                            line(c, is_header, size, x + 3.0, *y - 3.0 - size * 1.3 * (i as f32 + 1.0) + 2.0, l, false);
                        }
                        x += w;
                    }
                    *y -= height;
                    c.set_line_width(0.4);
                    c.move_to(MARGIN, *y);
                    c.line_to(MARGIN + width, *y);
                    c.stroke();
                };
                draw_row(&mut pages, &mut y, header, true);
                for r in rows {
                    draw_row(&mut pages, &mut y, r, false);
                }
                y -= 10.0;
            }
        }
    }
    // Page numbers: "Page 1 of 3".
    let count = pages.len();
    for (i, c) in pages.iter_mut().enumerate() {
        let text = format!("{title}: page {} of {count}", i + 1);
        line(c, false, 7.5, MARGIN, MARGIN / 2.0, &text, true);
    }
    Ok(write(title, pages, &regular, &bold))
}

fn write(title: &str, pages: Vec<Content>, regular: &Font, bold: &Font) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut id = || {
        next += 1;
        Ref::new(next - 1)
    };
    let (catalog, tree, info) = (id(), id(), id());
    let fonts: Vec<(Ref, &Font)> = [regular, bold].into_iter().map(|f| (id(), f)).collect();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (id(), id())).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.document_info(info).title(pdf_writer::TextStr(title)).producer(pdf_writer::TextStr("Placeworks"));
    pdf.pages(tree).kids(page_ids.iter().map(|(p, _)| *p)).count(page_ids.len() as i32);
    for ((page, content_id), content) in page_ids.iter().zip(pages) {
        let mut p = pdf.page(*page);
        p.media_box(Rect::new(0.0, 0.0, PAGE.0, PAGE.1)).parent(tree).contents(*content_id);
        let mut res = p.resources();
        let mut f = res.fonts();
        f.pair(Name(b"F1"), fonts[0].0);
        f.pair(Name(b"F2"), fonts[1].0);
        f.finish();
        res.finish();
        p.finish();
        let data = deflate(&content.finish().into_vec());
        pdf.stream(*content_id, &data).filter(Filter::FlateDecode);
    }
    for (font_id, font) in &fonts {
        let (descriptor, file) = (id(), id());
        let mut d = pdf.indirect(*font_id).dict();
        d.pair(Name(b"Type"), Name(b"Font"));
        d.pair(Name(b"Subtype"), Name(b"TrueType"));
        d.pair(Name(b"BaseFont"), Name(font.name.as_bytes()));
        d.pair(Name(b"FirstChar"), 32);
        d.pair(Name(b"LastChar"), 255);
        d.insert(Name(b"Widths")).array().items(font.widths.iter().copied());
        d.pair(Name(b"Encoding"), Name(b"WinAnsiEncoding"));
        d.pair(Name(b"FontDescriptor"), descriptor);
        d.finish();
        pdf.font_descriptor(descriptor)
            .name(Name(font.name.as_bytes()))
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(font.bbox[0], font.bbox[1], font.bbox[2], font.bbox[3]))
            .italic_angle(0.0)
            .ascent(font.ascent)
            .descent(font.descent)
            .cap_height(font.cap_height)
            .stem_v(80.0)
            .font_file2(file);
        let data = deflate(&font.data);
        pdf.stream(file, &data).filter(Filter::FlateDecode).pair(Name(b"Length1"), font.data.len() as i32);
    }
    pdf.finish()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("writing to memory");
    e.finish().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    #[test]
    fn winansi_holds_british_english_and_the_pound() {
        assert_eq!(super::encode("£2,100 – “ok” café"), b"\xA32,100 \x96 \x93ok\x94 caf\xE9");
        assert_eq!(super::encode("日本"), b"??");
        assert_eq!(super::winansi_char(0x96), Some('–'));
    }
}
