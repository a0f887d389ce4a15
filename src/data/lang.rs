//! The two display languages, and text given in both.

use serde::{Deserialize, Serialize};

/// A piece of text in both display languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

/// A display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Lang {
    /// Japanese.
    Ja,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// The other language.
    pub fn toggled(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }
}

impl Text {
    /// The text in `lang`, falling back to the other language when empty.
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Ja => (&self.ja, &self.en),
            Lang::En => (&self.en, &self.ja),
        };
        if first.is_empty() { second } else { first }
    }
}
