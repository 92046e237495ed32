//! Places the gazetteer does not list, found by how the sentence introduces them: `the
//! village of Kalynove`, `two villages in the Donetsk region, Suvorove and Nykanorivka`,
//! `Hroza, a village in the Kharkiv region`, `the Sviatoshynskyi district`, `Vnukovo and
//! Domodedovo airports`, `the Oskil River`, a dateline (`HROZA, Ukraine —`) and a town named
//! before its country (`Granada, Spain`).

use super::gazetteer::{Found, Gazetteer};
use super::romanise::{is_cyrillic, romanise};
use super::text::{Token, TokenKind};

/// A place found by its context: its name and tokens `first..=last`, and the rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Unlisted {
    pub name: String,
    pub first: usize,
    pub last: usize,
    pub rule: &'static str,
}

impl Unlisted {
    /// A village, town or other settlement (not a district, airport or river), so
    /// something that can be captured or evacuated.
    pub fn is_settlement(&self) -> bool {
        matches!(
            self.rule,
            "place-settlement-of" | "place-settlement-list" | "place-apposition" | "place-dateline"
        )
    }
}

/// Nouns for a settlement, singular and plural.
const SETTLEMENT: &[&str] = &[
    "village",
    "villages",
    "town",
    "towns",
    "settlement",
    "settlements",
    "city",
    "hamlet",
    "hamlets",
    "township",
];

/// Capitalised words that are never a place's name on their own.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "On",
    "In",
    "At",
    "He",
    "She",
    "It",
    "They",
    "His",
    "Her",
    "Their",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "Or",
    "Russian",
    "Ukrainian",
    "Russia",
    "Ukraine",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Kremlin",
    "Mr",
    "Ms",
    "President",
    "Governor",
    "Officials",
    "Police",
    "Rescuers",
    "Residents",
    "Air",
    "Defence",
    "Defense",
    "Army",
    "Forces",
    "Military",
    "Ministry",
    "Oblast",
    "Region",
    "District",
    "Regional",
    "City",
];

fn is_place_word(t: &Token<'_>) -> bool {
    t.kind == TokenKind::Word
        && t.is_capitalised()
        && t.text.chars().skip(1).any(char::is_lowercase)
        && !t.text.ends_with("'s")
        && !t.text.ends_with("’s")
        && !NOT_NAMES.contains(&t.text)
}

fn is_cyrillic_word(t: &Token<'_>) -> bool {
    t.text.chars().next().is_some_and(is_cyrillic)
}

/// A district named by a Ukrainian adjective in any case: after the town it is named for
/// when the gazetteer lists that town (`Куп'янського` → Kupiansk district, `Ізмаїльського`
/// → Izmail district), else by the adjective itself (`Слобідському` → Slobidskyi district).
fn uk_district(adjective: &str, g: &Gazetteer) -> Option<String> {
    let lower = adjective.to_lowercase();
    let stem = ["ого", "ому", "ий", "им", "ім", "их"]
        .iter()
        .find_map(|ending| lower.strip_suffix(ending))?;
    let base = stem
        .strip_suffix("ськ")
        .or_else(|| stem.strip_suffix("цьк"));
    let mut candidates = vec![stem.to_string()];
    if let Some(base) = base {
        candidates.push(base.to_string());
        if let Some(hard) = base.strip_suffix('ь') {
            candidates.push(hard.to_string());
        }
    }
    for candidate in candidates {
        if let Some(e) = g.lookup(&candidate, Some("place")) {
            let entry = &g.entries[e];
            // No raion is named after Kyiv, but several cities have a Kyivskyi district.
            if matches!(entry.subkind.as_str(), "city" | "town" | "village") && entry.name != "Kyiv"
            {
                return Some(format!("{} district", entry.name));
            }
        }
    }
    // Not a `-ський`/`-цький` adjective: no district by its own name.
    base?;
    let nominative = format!("{stem}ий");
    Some(format!("{} district", title_case(&romanise(&nominative))))
}

fn title_case(word: &str) -> String {
    word.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(c) => c
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join("-")
}

/// Places named by their context in one sentence, outside what the gazetteer and the people
/// finder already matched (`taken`).
pub fn unlisted(toks: &[Token<'_>], found: &[Found], g: &Gazetteer) -> Vec<Unlisted> {
    let taken = |k: usize| found.iter().any(|f| f.first <= k && k <= f.last);
    let free_name = |k: usize| toks.get(k).is_some_and(|t| is_place_word(t) && !taken(k));
    let lower = |k: usize| toks.get(k).map(|t| t.lower()).unwrap_or_default();
    let mut out: Vec<Unlisted> = Vec::new();
    let push = |out: &mut Vec<Unlisted>, name: String, first: usize, last: usize, rule| {
        if !out.iter().any(|u| u.first <= last && first <= u.last) {
            out.push(Unlisted {
                name,
                first,
                last,
                rule,
            });
        }
    };
    // A name of one or two capitalised words from `k` (`Kozachi Laheri`).
    let name_at = |k: usize| -> Option<(String, usize)> {
        if !free_name(k) {
            return None;
        }
        let last = if free_name(k + 1) { k + 1 } else { k };
        let words: Vec<&str> = toks[k..=last].iter().map(|t| t.text).collect();
        Some((words.join(" "), last))
    };
    // `X, Y and Z` from `k`: names joined by commas and one `and`/`or`.
    let list_at = |mut k: usize| -> Vec<(String, usize, usize)> {
        let mut names = Vec::new();
        while let Some((name, last)) = name_at(k) {
            names.push((name, k, last));
            let sep = lower(last + 1);
            if sep == "," && lower(last + 2) != "and" {
                k = last + 2;
            } else if sep == "and" || sep == "or" || (sep == "," && lower(last + 2) == "and") {
                k = last + if sep == "," { 3 } else { 2 };
            } else {
                break;
            }
        }
        names
    };
    for i in 0..toks.len() {
        let word = lower(i);
        // `с. Кучерівка`, `у селі Кучерівка`, `смт Козача Лопань`: the name, in Latin letters.
        if matches!(
            word.as_str(),
            "с" | "с." | "смт" | "село" | "селі" | "села" | "селище" | "селищі" | "селища"
        ) {
            let k = if lower(i + 1) == "." { i + 2 } else { i + 1 };
            if free_name(k) && is_cyrillic_word(&toks[k]) {
                // A second word is the name's (`Козача Лопань`) unless it is the district's
                // or region's adjective (`Кучерівка Куп'янського району`).
                let area = |w: String| {
                    ["район", "област", "громад"]
                        .iter()
                        .any(|a| w.starts_with(a))
                };
                let last = if free_name(k + 1) && !area(lower(k + 2)) {
                    k + 1
                } else {
                    k
                };
                let words: Vec<&str> = toks[k..=last].iter().map(|t| t.text).collect();
                push(
                    &mut out,
                    romanise(&words.join(" ")),
                    k,
                    last,
                    "place-settlement-of",
                );
            }
        }
        // `Куп'янського району` → Kupiansk district; `у Київському та Слобідському районах`
        // (a city's districts, named by an adjective) → Kyivskyi district, Slobidskyi district.
        if word.starts_with("район") && i > 0 {
            let mut adjectives = vec![i - 1];
            if word == "районах"
                && i >= 3
                && matches!(lower(i - 2).as_str(), "та" | "і" | "й" | ",")
            {
                adjectives.push(i - 3);
            }
            for k in adjectives {
                if taken(k) || !is_cyrillic_word(&toks[k]) || !toks[k].is_capitalised() {
                    continue;
                }
                if let Some(name) = uk_district(toks[k].text, g) {
                    push(&mut out, name, k, k, "place-named-area");
                }
            }
        }
        // `the village of Kalynove`, `the villages of Pylna and Strilecha`.
        if SETTLEMENT.contains(&word.as_str()) && lower(i + 1) == "of" {
            for (name, first, last) in list_at(i + 2) {
                push(&mut out, name, first, last, "place-settlement-of");
            }
        }
        // `captured two villages in the Donetsk region, Suvorove and Nykanorivka`;
        // `five villages in the region: Pletenivka, Ohirtseve, …`; `among them Pletenivka`.
        if matches!(
            word.as_str(),
            "villages" | "settlements" | "towns" | "hamlets"
        ) {
            let mut k = i + 1;
            while k < toks.len() && k < i + 12 {
                let t = &toks[k];
                let opens = t.text == ":"
                    || (t.text == "," && free_name(k + 1))
                    || ((t.is("them") && lower(k - 1) == "among") || t.is("including"));
                if opens {
                    let names = list_at(k + 1);
                    // A list that is cut short by more words is a clause, not names.
                    let ends = names.last().is_some_and(|(_, _, last)| {
                        matches!(lower(last + 1).as_str(), "" | "." | "," | ";" | "—" | "-")
                            || toks[last + 1].kind == TokenKind::Punct
                            || matches!(lower(last + 1).as_str(), "as" | "on" | "in" | "after")
                    });
                    if ends {
                        for (name, first, last) in names {
                            push(&mut out, name, first, last, "place-settlement-list");
                        }
                    }
                    break;
                }
                if t.text == "." || t.text == ";" {
                    break;
                }
                k += 1;
            }
        }
        // `Hroza, a village in the Kharkiv region`.
        if word == ","
            && matches!(lower(i + 1).as_str(), "a" | "the")
            && SETTLEMENT.contains(&lower(i + 2).as_str())
            && i > 0
        {
            let first = if i >= 2 && free_name(i - 2) && free_name(i - 1) {
                i - 2
            } else {
                i - 1
            };
            if free_name(i - 1) {
                let name: Vec<&str> = toks[first..i].iter().map(|t| t.text).collect();
                push(&mut out, name.join(" "), first, i - 1, "place-apposition");
            }
        }
        // `the Sviatoshynskyi district`, `Khotin and Yunakivka communities`, `the Oskil
        // River`, `Vnukovo and Domodedovo airports`.
        let suffix = match word.as_str() {
            "district" | "districts" => Some("district"),
            "community" | "communities" => Some(""),
            "hromada" | "hromadas" => Some("hromada"),
            "airport" | "airports" => Some("airport"),
            _ if toks[i].text == "River" => Some("River"),
            _ => None,
        };
        if let Some(suffix) = suffix
            && i > 0
        {
            let plural = word.ends_with('s');
            // The words naming each one: `X` or `X and Y` before a plural.
            let mut ends = vec![i - 1];
            if plural && lower(i - 2) == "and" && i >= 3 {
                ends.push(i - 3);
                // `Sheremetyevo, Vnukovo, Domodedovo and Zhukovsky airports`.
                let mut k = i - 3;
                while k >= 2 && lower(k - 1) == "," && (free_name(k - 2) || taken(k - 2)) {
                    ends.push(k - 2);
                    k -= 2;
                }
            }
            for end in ends {
                let known = found.iter().find(|f| f.last == end);
                let (first, base) = match known {
                    // `the Kupiansk district`, `the Kupiansk and Borova hromadas`: the
                    // district or hromada, not the town.
                    Some(f) if suffix == "district" || suffix == "hromada" => {
                        let e = &g.entries[f.entry];
                        if e.kind != "place"
                            || !matches!(e.subkind.as_str(), "city" | "town" | "village")
                        {
                            continue;
                        }
                        (f.first, e.name.clone())
                    }
                    Some(_) => continue,
                    None if free_name(end) && !(end == 0 && suffix.is_empty()) => {
                        (end, toks[end].text.to_string())
                    }
                    None => continue,
                };
                let name = if suffix.is_empty() {
                    base
                } else {
                    format!("{base} {suffix}")
                };
                push(&mut out, name, first, end, "place-named-area");
            }
        }
        // A dateline, `HROZA, Ukraine —`, and `in Granada, Spain`.
        if word == ","
            && i > 0
            && found.iter().any(|f| {
                f.first == i + 1
                    && g.entries[f.entry].kind == "place"
                    && g.entries[f.entry].subkind == "country"
            })
        {
            let t = &toks[i - 1];
            let shouting = i == 1 && t.is_shouted();
            if shouting && !taken(i - 1) {
                push(&mut out, title_case(t.text), i - 1, i - 1, "place-dateline");
            } else if free_name(i - 1)
                && i >= 2
                && matches!(lower(i - 2).as_str(), "in" | "at" | "from" | "near" | "to")
            {
                push(
                    &mut out,
                    t.text.to_string(),
                    i - 1,
                    i - 1,
                    "place-before-country",
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::tokens;

    fn names(text: &str) -> Vec<String> {
        let g = Gazetteer::bundled();
        let toks = tokens(text, 0);
        let found = g.find(&toks);
        unlisted(&toks, &found, &g)
            .into_iter()
            .map(|u| u.name)
            .collect()
    }

    #[test]
    fn settlements_and_districts_in_ukrainian_text_in_latin_letters() {
        assert_eq!(
            names(
                "Минулої доби внаслідок обстрілу с. Кучерівка Куп'янського району поранено двох чоловіків."
            ),
            ["Kucherivka", "Kupiansk district"]
        );
        assert_eq!(
            names("Влучання зафіксовано в Київському та Слобідському районах."),
            ["Slobidskyi district", "Kyivskyi district"]
        );
        assert_eq!(names("Удару зазнало село Зелений Гай."), ["Zelenyi Hai"]);
    }

    #[test]
    fn settlements_named_by_their_context() {
        assert_eq!(
            names("Two more people were killed in the nearby village of Samarivka."),
            ["Samarivka"]
        );
        assert_eq!(
            names(
                "Its forces had captured two villages in the Donetsk region, Suvorove and Nykanorivka."
            ),
            ["Suvorove", "Nykanorivka"]
        );
        assert_eq!(
            names(
                "It claimed five villages in the region: Pletenivka, Ohirtseve, Borysivka, Pylna and Strilecha."
            ),
            ["Pletenivka", "Ohirtseve", "Borysivka", "Pylna", "Strilecha"]
        );
        assert_eq!(
            names("HROZA, Ukraine — Rescue workers in this small village kept digging."),
            ["Hroza"]
        );
        assert_eq!(
            names("Speaking at a summit in Granada, Spain, he condemned the strike."),
            ["Granada"]
        );
        assert_eq!(
            names("Flights at Vnukovo and Domodedovo airports were suspended."),
            ["Domodedovo airport", "Vnukovo airport"]
        );
        assert_eq!(
            names("Flights were halted at Sheremetyevo, Vnukovo and Zhukovsky airports."),
            [
                "Zhukovsky airport",
                "Vnukovo airport",
                "Sheremetyevo airport"
            ]
        );
        assert_eq!(
            names(
                "Families left 10 villages in the Kupiansk district as troops neared the Oskil River."
            ),
            ["Kupiansk district", "Oskil River"]
        );
    }

    #[test]
    fn words_that_only_look_like_names_are_not_places() {
        assert!(names("The village of the damned.").is_empty());
        assert!(names("Troops captured two villages, Russia said on Monday.").is_empty());
        assert!(names("The Russian district was quiet.").is_empty());
        assert!(names("In the villages, Zelensky said, people stayed.").is_empty());
    }
}
