//! The query editor: one line of text with a caret, counted in characters.

/// The longest query, in characters. Real queries are a few words; a paste of a whole
/// document would otherwise be matched against every partner on each keystroke.
pub const MAX_QUERY_CHARS: usize = 256;

/// A one-line text editor with a caret, counted in characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    caret: usize,
}

impl LineEdit {
    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The caret position in characters.
    pub fn caret(&self) -> usize {
        self.caret
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Inserts text at the caret; control characters are dropped, newlines become spaces.
    /// The query never grows past [`MAX_QUERY_CHARS`]: what does not fit is dropped, and
    /// the count of dropped characters is returned (0 when everything fitted).
    pub fn insert(&mut self, s: &str) -> usize {
        let room = MAX_QUERY_CHARS.saturating_sub(self.len());
        // Cleaning can only remove characters, so more than a few times the room is
        // never needed: a huge paste costs no more than a small one.
        let head_end = s
            .char_indices()
            .nth(room.saturating_mul(4).max(64))
            .map_or(s.len(), |(i, _)| i);
        let clean = crate::text::clean(&s[..head_end]);
        let fits = clean
            .char_indices()
            .nth(room)
            .map_or(clean.len(), |(i, _)| i);
        let kept = &clean[..fits];
        let at = self.byte_at(self.caret);
        self.text.insert_str(at, kept);
        let kept_chars = kept.chars().count();
        self.caret += kept_chars;
        let offered = clean.chars().count() + s[head_end..].chars().count();
        offered - kept_chars
    }

    /// Deletes the character before the caret.
    pub fn backspace(&mut self) {
        if self.caret > 0 {
            let start = self.byte_at(self.caret - 1);
            let end = self.byte_at(self.caret);
            self.text.replace_range(start..end, "");
            self.caret -= 1;
        }
    }

    /// Deletes the character under the caret.
    pub fn delete(&mut self) {
        if self.caret < self.len() {
            let start = self.byte_at(self.caret);
            let end = self.byte_at(self.caret + 1);
            self.text.replace_range(start..end, "");
        }
    }

    /// Deletes from the start to the caret.
    pub fn delete_to_start(&mut self) {
        let end = self.byte_at(self.caret);
        self.text.replace_range(..end, "");
        self.caret = 0;
    }

    /// Deletes the word before the caret (and the spaces after it), like a shell's Ctrl-W.
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut i = self.caret;
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
        let (start, end) = (self.byte_at(i), self.byte_at(self.caret));
        self.text.replace_range(start..end, "");
        self.caret = i;
    }

    /// Moves the caret left.
    pub fn left(&mut self) {
        self.caret = self.caret.saturating_sub(1);
    }

    /// Moves the caret right.
    pub fn right(&mut self) {
        self.caret = (self.caret + 1).min(self.len());
    }

    /// Moves the caret to the start.
    pub fn home(&mut self) {
        self.caret = 0;
    }

    /// Moves the caret to the end.
    pub fn end(&mut self) {
        self.caret = self.len();
    }

    /// Empties the editor.
    pub fn clear(&mut self) {
        self.text.clear();
        self.caret = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_edit_handles_multibyte_text() {
        let mut e = LineEdit::default();
        e.insert("横浜 city");
        assert_eq!(e.caret(), 7);
        e.delete_word();
        assert_eq!(e.text(), "横浜 ");
        e.backspace();
        e.backspace();
        assert_eq!(e.text(), "横");
        e.home();
        e.insert("\u{1b}[2J");
        assert_eq!(e.text(), "[2J横");
        e.right();
        e.delete_to_start();
        assert_eq!(e.text(), "");
    }
}
