//! Folding of names into look-up keys, shared by every table that is searched by name
//! (sources, entity aliases, column headers).

/// The look-up key of a name: trimmed, lower case, inner runs of white space made one space.
pub fn fold(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
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
    fn header_key_ignores_case_spaces_underscores_and_dashes() {
        assert_eq!(header_key("Event ID"), "eventid");
        assert_eq!(header_key("event_id"), "eventid");
        assert_eq!(header_key("event-id"), "eventid");
        assert_eq!(header_key("\u{feff}url"), "url");
    }
}
