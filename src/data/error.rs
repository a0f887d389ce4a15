//! Why a dataset could not be loaded, where in the file, and in how many words: every
//! message points at a line and column, and repeats only a bounded piece of the file.

use std::fmt;

/// Why a dataset could not be loaded. Each displays as one sentence with a location.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read the dataset: {reason}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system said.
        reason: String,
    },
    /// The path names a directory or another non-file.
    #[error("{path}: is a directory, not a dataset file")]
    NotAFile {
        /// The path.
        path: String,
    },
    /// The file is over the size limit.
    #[error("{path}: the file is {size} bytes, over the {limit}-byte limit for a dataset")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file holds nothing but whitespace.
    #[error("{path}: the file is empty; a dataset starts with `Dataset(`")]
    Empty {
        /// The file.
        path: String,
    },
    /// The file is not UTF-8 text.
    #[error("{path}:{line}:{col}: the file is not UTF-8 text (invalid byte here)")]
    NotUtf8 {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
    },
    /// RON syntax or schema error.
    #[error("{path}:{line}:{col}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// The dataset parsed but breaks a rule.
    #[error("{path}:{line}:{col}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line of the offending entry.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
}

/// An I/O error as the end of a sentence: "no such file", "permission denied".
pub fn describe_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            // Drop the "(os error N)" suffix: it means nothing to a reader.
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s.to_lowercase(),
            }
        }
    }
}

/// A ron error as a [`LoadError::Parse`], pointing at the value rather than the blank
/// before it, in one bounded sentence.
pub(super) fn ron_error(e: &ron::error::SpannedError, body: &str, name: &str) -> LoadError {
    let (line, col) = skip_blank(body, e.span.start.line.max(1), e.span.start.col.max(1));
    LoadError::Parse {
        path: name.to_string(),
        line,
        col,
        message: parse_message(&e.code),
    }
}

/// Where validation's errors point: the file by name, and its text to find entries in.
pub(super) struct Locator<'a> {
    /// The file's text.
    pub(super) text: &'a str,
    /// The file's name.
    pub(super) name: &'a str,
}

impl Locator<'_> {
    /// An error at the `n`-th entry written with `id`, or at the file start if there is none.
    pub(super) fn at(&self, id: &str, n: usize, message: String) -> LoadError {
        let (line, col) = locate_id(self.text, id, n);
        self.invalid(line, col, &message)
    }

    /// An error at the `n`-th place where `field` is written with the string `value`
    /// (`field: "value"` or `field: Some("value")`), or at the file start.
    pub(super) fn at_value(
        &self,
        field: &str,
        value: &str,
        n: usize,
        message: String,
    ) -> LoadError {
        // A value cleaning changed (an address's controls became U+FFFD) is found by
        // what comes before the first change.
        let needle = match value.split_once('\u{FFFD}') {
            Some((head, _)) => format!("\"{head}"),
            None => format!("\"{value}\""),
        };
        let found = self.text.match_indices(&needle).filter(|(i, _)| {
            let before = self.text[..*i].trim_end();
            let before = before.strip_suffix("Some(").map_or(before, str::trim_end);
            before
                .strip_suffix(':')
                .is_some_and(|b| b.trim_end().ends_with(field))
        });
        let (line, col) = match found.clone().nth(n) {
            Some((i, _)) => line_col_at(self.text, i),
            None => (1, 1),
        };
        self.invalid(line, col, &message)
    }

    /// An error about the dataset as a whole, which no one entry stands for.
    pub(super) fn top(&self, message: String) -> LoadError {
        self.invalid(1, 1, &message)
    }

    fn invalid(&self, line: usize, col: usize, message: &str) -> LoadError {
        LoadError::Invalid {
            path: self.name.to_string(),
            line,
            col,
            message: bound_message(message),
        }
    }
}

fn parse_message(code: &ron::Error) -> String {
    match code {
        ron::Error::Eof => {
            return "the file ends too early (truncated, or a bracket is not closed)".into();
        }
        ron::Error::ExpectedString => return "expected a string in double quotes".into(),
        ron::Error::ExpectedInteger => return "expected a whole number".into(),
        ron::Error::ExpectedBoolean => return "expected true or false".into(),
        ron::Error::ExceededRecursionLimit => {
            return "the file is nested too deeply to be a dataset".into();
        }
        _ => {}
    }
    // Written through the bound, not `to_string`: ron's message quotes what it found,
    // which may be a name as long as the file.
    let mut b = Bounded::default();
    let _ = fmt::write(&mut b, format_args!("{code}"));
    let mut s = b.out;
    // RON's messages are sentence fragments; make them read as one sentence.
    if let Some(first) = s.get(..1) {
        let lower = first.to_lowercase();
        s.replace_range(..1, &lower);
    }
    s.trim_end_matches('.').to_string()
}

/// How many characters of a quoted piece of the file a message repeats.
const QUOTED_MAX: usize = 60;
/// How many characters a message has at most.
const MESSAGE_MAX: usize = 300;

/// `message` with every piece it quotes (in backticks or double quotes) cut to
/// [`QUOTED_MAX`] characters and an ellipsis, and the whole to [`MESSAGE_MAX`]: a
/// message repeats what it quotes of the file, and a file can hold a name of 200 MB.
fn bound_message(message: &str) -> String {
    let mut b = Bounded::default();
    let _ = fmt::Write::write_str(&mut b, message);
    b.out
}

/// A message being written within the bounds of [`bound_message`].
#[derive(Default)]
struct Bounded {
    out: String,
    /// Characters written so far (kept or not).
    chars: usize,
    /// The quote being written (its opening character), and its characters so far.
    quote: Option<char>,
    quoted: usize,
    /// Inside double quotes, the last character was an escaping backslash.
    escaped: bool,
}

impl Bounded {
    fn push(&mut self, c: char) {
        let keep = match self.quote {
            None => {
                if c == '`' || c == '"' {
                    self.quote = Some(c);
                    self.quoted = 0;
                    self.escaped = false;
                }
                true
            }
            Some(q) if c == q && !self.escaped => {
                self.quote = None;
                true
            }
            Some(q) => {
                self.escaped = q == '"' && c == '\\' && !self.escaped;
                self.quoted += 1;
                if self.quoted == QUOTED_MAX + 1 {
                    self.emit('…');
                }
                self.quoted <= QUOTED_MAX
            }
        };
        if keep {
            self.emit(c);
        }
    }

    fn emit(&mut self, c: char) {
        if self.chars < MESSAGE_MAX {
            self.out.push(c);
        } else if self.chars == MESSAGE_MAX {
            self.out.push('…');
        }
        self.chars += 1;
    }
}

impl fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        s.chars().for_each(|c| self.push(c));
        Ok(())
    }
}

/// RON may point at the blank before a value; move to the value itself. (Without
/// collecting the rest of the line: a hostile file's one line can be the whole file.)
fn skip_blank(text: &str, line: usize, col: usize) -> (usize, usize) {
    let Some(l) = text.lines().nth(line - 1) else {
        return (line, col);
    };
    match l.chars().skip(col - 1).position(|c| !c.is_whitespace()) {
        Some(blanks) => (line, col + blanks),
        None => (line, col),
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
pub(super) fn line_col_at(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Where an entry with `id` is written: the `n`-th occurrence of `id: "…"`, else the file start.
fn locate_id(text: &str, id: &str, n: usize) -> (usize, usize) {
    let needle = format!("\"{id}\"");
    let mut found = text.match_indices(&needle).filter(|(i, _)| {
        let before = text[..*i].trim_end();
        before.ends_with("id:")
    });
    match found.nth(n) {
        Some((i, _)) => {
            let start = text[..i].rfind("id:").unwrap_or(i);
            line_col_at(text, start)
        }
        None => (1, 1),
    }
}
