//! Papers as uploaded: what may be uploaded, how large, and of which types
//! (told from the content, not the name).

/// The largest paper that may be uploaded.
pub const MAX_PAPER_BYTES: usize = 20 * 1024 * 1024;
/// The longest file name a paper may have (a name is sent back in a header).
pub const MAX_FILE_NAME: usize = 200;

/// The kinds of file a paper may be: PDF and office formats, by extension,
/// with the bytes each must begin with.
pub const PAPER_TYPES: [(&str, &str, &[u8]); 10] = [
    ("pdf", "application/pdf", b"%PDF-"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", b"PK\x03\x04"),
    ("odt", "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
    ("odp", "application/vnd.oasis.opendocument.presentation", b"PK\x03\x04"),
    ("doc", "application/msword", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
    ("xls", "application/vnd.ms-excel", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
    ("ppt", "application/vnd.ms-powerpoint", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
];

/// An uploaded file, before it becomes a paper.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    /// The first bytes of the file (at least 8, where it has them).
    pub head: Vec<u8>,
    pub size: usize,
    pub sha256: String,
}

/// The media type of an upload, or why it cannot be a paper.
pub fn paper_type(u: &Upload) -> Result<&'static str, String> {
    let names = || PAPER_TYPES.iter().map(|t| t.0.to_uppercase()).collect::<Vec<_>>().join(", ");
    if u.size == 0 {
        return Err("The selected file is empty".to_owned());
    }
    if u.file_name.chars().count() > MAX_FILE_NAME {
        return Err(format!("The selected file's name must be {MAX_FILE_NAME} characters or fewer: rename the file, then upload it again"));
    }
    if u.size > MAX_PAPER_BYTES {
        return Err(format!("The selected file must be smaller than {} MB", MAX_PAPER_BYTES / 1024 / 1024));
    }
    let ext = u.file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let Some((_, media, magic)) = PAPER_TYPES.iter().find(|t| t.0 == ext) else {
        return Err(format!("The selected file must be a {}", names()));
    };
    if !u.head.starts_with(magic) {
        return Err(format!("The selected file is not a real {} file: check it opens, then upload it again", ext.to_uppercase()));
    }
    Ok(media)
}
