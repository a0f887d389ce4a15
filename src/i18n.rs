//! The interface's two languages. Dataset text carries both itself (`data::Text`); the
//! chrome (labels, hints, messages) picks its words here.

use crate::data::Lang;

/// `en` or `ja`, for the language shown.
pub fn tr(lang: Lang, en: &'static str, ja: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}
