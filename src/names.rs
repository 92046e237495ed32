//! Folding of names into look-up keys, shared by every table that is searched by name
//! (sources, entity aliases, column headers).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The look-up key of a name: trimmed, lower case, inner runs of white space made one space,
/// and accents on Latin letters removed, so `Dnípro`, `DNIPRO` and ` dnipro ` are one key.
/// Letters of other scripts are kept as written (`й` is not `и`), precomposed or not.
pub fn fold(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        let start = key.len();
        for c in word.nfc() {
            if is_latin(c) {
                decompose_canonical(c, |d| {
                    if !is_combining_mark(d) {
                        key.extend(d.to_lowercase());
                    }
                });
            } else if !is_combining_mark(c) {
                key.extend(c.to_lowercase());
            }
        }
        if key.len() == start {
            // A "word" of marks alone keeps them: a key is never emptied by folding.
            key.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    key
}

/// Latin letters, the ones whose accents [`fold`] removes.
fn is_latin(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}')
}

/// The key of a column header or JSON key: lower case with spaces, `_` and `-` removed, so
/// `Event ID`, `event_id` and `event-id` are one.
pub fn header_key(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_trims_lowers_and_squeezes_spaces() {
        assert_eq!(fold("  Kyiv  Oblast "), "kyiv oblast");
        assert_eq!(fold("ЗЕЛЕНСЬКИЙ"), "зеленський");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn fold_removes_accents() {
        assert_eq!(fold("Dnípro"), "dnipro");
        assert_eq!(fold("ZAPORIZHZHIA"), fold("Zaporizhzhia"));
        assert_eq!(fold("Zürich  Café"), "zurich cafe");
        // Precomposed and decomposed spellings are one key.
        assert_eq!(fold("Caf\u{e9}"), fold("Cafe\u{301}"));
        // Cyrillic letters stay as they are, precomposed or not.
        assert_eq!(fold("Київ"), "київ");
        assert_eq!(fold("Зеленськии\u{306}"), "зеленський");
        // Marks alone are not folded away to nothing.
        assert_eq!(fold("\u{301}"), "\u{301}");
    }

    #[test]
    fn header_key_ignores_case_spaces_underscores_and_dashes() {
        assert_eq!(header_key("Event ID"), "eventid");
        assert_eq!(header_key("event_id"), "eventid");
        assert_eq!(header_key("event-id"), "eventid");
        assert_eq!(header_key("\u{feff}url"), "url");
    }
}
