//! Counts written in a sentence: digits (`267`, `1,200`, `472.0`), English words (`nine`,
//! `twenty-five`, `a dozen`, `one hundred and twenty`), Ukrainian words (`чотирма`,
//! `трьома`), vague amounts (`dozens of`, `several`), with the qualifier before them
//! (`at least`, `more than`, `up to`, `понад`). Numbers that are not counts — clock times,
//! years, dates, distances, durations, ages, money, percentages, ordinals and model
//! numbers — are recognised here and left out.

use super::text::{Token, TokenKind};

/// A count found in a sentence: tokens `first..=last` (qualifier included).
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub value: Option<i64>,
    pub qualifier: &'static str,
    pub first: usize,
    /// The first token of the number itself (after any qualifier).
    pub number: usize,
    pub last: usize,
    pub rule: &'static str,
}

fn en_unit(w: &str) -> Option<i64> {
    Some(match w {
        "zero" | "no" | "none" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

fn en_tens(w: &str) -> Option<i64> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// An English number word or hyphenated pair below 100 (`twenty-five`).
fn en_small(w: &str) -> Option<i64> {
    if let Some(v) = en_unit(w).filter(|_| !matches!(w, "no" | "none" | "zero")) {
        return Some(v);
    }
    if let Some(v) = en_tens(w) {
        return Some(v);
    }
    let (tens, unit) = w.split_once('-')?;
    Some(en_tens(tens)? + en_unit(unit).filter(|&u| (1..10).contains(&u))?)
}

/// Ukrainian (and Russian) number words in any case, by stem.
fn uk_number(w: &str) -> Option<i64> {
    const STEMS: &[(&str, i64)] = &[
        ("одн", 1),
        ("двоє", 2),
        ("двох", 2),
        ("троє", 3),
        ("четверо", 4),
        ("п'ятеро", 5),
        ("пʼятеро", 5),
        ("шестеро", 6),
        ("шістьох", 6),
        ("семеро", 7),
        ("восьмеро", 8),
        ("дев'ятеро", 9),
        ("десятеро", 10),
        ("один", 1),
        ("два", 2),
        ("дві", 2),
        ("двом", 2),
        ("двох", 2),
        ("три", 3),
        ("трьо", 3),
        ("трьох", 3),
        ("чотир", 4),
        ("п'ят", 5),
        ("пʼят", 5),
        ("шіст", 6),
        ("шість", 6),
        ("сім", 7),
        ("сем", 7),
        ("вісім", 8),
        ("восьм", 8),
        ("дев'ят", 9),
        ("девʼят", 9),
        ("десят", 10),
        ("двадцят", 20),
        ("тридцят", 30),
        ("сорок", 40),
        ("п'ятдесят", 50),
        ("сто", 100),
    ];
    let mut best: Option<(usize, i64)> = None;
    for &(stem, v) in STEMS {
        if w.starts_with(stem)
            && w.chars().count() <= stem.chars().count() + 3
            && best.is_none_or(|(len, _)| stem.len() > len)
        {
            best = Some((stem.len(), v));
        }
    }
    // "сто" is also the start of many words ("столиця"): only the number's own forms.
    match best {
        Some((_, 100)) if !matches!(w, "сто" | "ста") => None,
        Some((_, 7))
            if !(w.starts_with("сім") && w.chars().count() <= 5
                || w.starts_with("семи")
                || w.starts_with("семер")) =>
        {
            None
        }
        other => other.map(|(_, v)| v),
    }
}

/// Digits as written: `1,200`, `1 200` is two tokens (not joined), `472.0`, `2.5` (not a
/// whole number: None).
fn digits(text: &str) -> Option<i64> {
    if text.contains(':') {
        return None;
    }
    if let Some((whole, frac)) = text.split_once('.') {
        if frac.chars().all(|c| c == '0') && !whole.contains(',') {
            return whole.parse().ok();
        }
        // 1.200 as a thousands separator is not used in English prose.
        return None;
    }
    if text.contains(',') {
        let groups: Vec<&str> = text.split(',').collect();
        let ok = groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return None;
        }
        return text.replace(',', "").parse().ok();
    }
    text.parse().ok()
}

/// The qualifier ending just before token `i`, and the index of its first token.
fn qualifier_before(tokens: &[Token<'_>], i: usize) -> (&'static str, usize) {
    let w = |k: usize| tokens.get(k).map(|t| t.lower()).unwrap_or_default();
    let two = if i >= 2 {
        format!("{} {}", w(i - 2), w(i - 1))
    } else {
        String::new()
    };
    let three = if i >= 3 {
        format!("{} {} {}", w(i - 3), w(i - 2), w(i - 1))
    } else {
        String::new()
    };
    let one = if i >= 1 { w(i - 1) } else { String::new() };
    match three.as_str() {
        "no fewer than" | "not less than" => return ("at_least", i - 3),
        "as many as" => return ("at_most", i - 3),
        "a total of" => return ("exact", i - 3),
        _ => {}
    }
    match two.as_str() {
        "at least" => return ("at_least", i - 2),
        "more than" | "greater than" => return ("more_than", i - 2),
        "up to" => return ("at_most", i - 2),
        "fewer than" | "less than" => return ("less_than", i - 2),
        "at most" => return ("at_most", i - 2),
        _ => {}
    }
    match one.as_str() {
        "over" => ("more_than", i - 1),
        "about" | "around" | "some" | "nearly" | "almost" | "roughly" | "approximately"
        | "approx" | "близько" | "майже" | "приблизно" | "около" => {
            ("about", i - 1)
        }
        "щонайменше" | "принаймні" | "не менше" => ("at_least", i - 1),
        "понад" | "більше" | "более" => ("more_than", i - 1),
        _ => ("exact", i),
    }
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

pub fn is_month(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    MONTHS.contains(&w) || uk_month(w).is_some()
}

/// A Ukrainian or Russian month name in the genitive (as in dates) or nominative.
pub fn uk_month(w: &str) -> Option<u32> {
    const M: &[(&str, u32)] = &[
        ("січ", 1),
        ("лют", 2),
        ("берез", 3),
        ("квіт", 4),
        ("травн", 5),
        ("черв", 6),
        ("лип", 7),
        ("серп", 8),
        ("верес", 9),
        ("жовт", 10),
        ("листопад", 11),
        ("груд", 12),
        ("январ", 1),
        ("феврал", 2),
        ("март", 3),
        ("апрел", 4),
        ("ма", 5),
        ("июн", 6),
        ("июл", 7),
        ("август", 8),
        ("сентябр", 9),
        ("октябр", 10),
        ("ноябр", 11),
        ("декабр", 12),
    ];
    let w = w.to_lowercase();
    if w == "мая" || w == "май" {
        return Some(5);
    }
    M.iter()
        .find(|(stem, _)| {
            stem.len() > 4 && w.starts_with(stem) && w.chars().count() <= stem.chars().count() + 3
        })
        .map(|&(_, m)| m)
}

/// Words after a number that make it something other than a count.
const NOT_COUNT_AFTER: &[&str] = &[
    "km",
    "kilometres",
    "kilometers",
    "kilometre",
    "kilometer",
    "miles",
    "mile",
    "metres",
    "meters",
    "metre",
    "meter",
    "m",
    "km/h",
    "kmh",
    "mph",
    "%",
    "percent",
    "per",
    "years",
    "year",
    "months",
    "month",
    "weeks",
    "week",
    "days",
    "day",
    "hours",
    "hour",
    "minutes",
    "minute",
    "seconds",
    "second",
    "tonnes",
    "tons",
    "tonne",
    "ton",
    "kg",
    "kilograms",
    "mm",
    "cm",
    "storey",
    "story",
    "storeys",
    "floor",
    "floors",
    "degrees",
    "billion",
    "million",
    "bn",
    "dollars",
    "euros",
    "hryvnias",
    "hryvnia",
    "uah",
    "rubles",
    "roubles",
    "pounds",
    "a.m",
    "p.m",
    "am",
    "pm",
    "o'clock",
    "gmt",
    "utc",
    "hrs",
    "км",
    "років",
    "роки",
    "рік",
    "годин",
    "години",
    "хвилин",
    "відсотків",
    "%",
    "кілометрів",
    "метрів",
    "грн",
    "гривень",
    "доларів",
    "євро",
    "year-old",
    "years-old",
    "th",
    "st",
    "nd",
    "rd",
    "times",
    "fold",
    "x",
    "points",
];

fn lower_at(tokens: &[Token<'_>], i: usize) -> String {
    tokens.get(i).map(|t| t.lower()).unwrap_or_default()
}

/// True when the number token at `i` is a clock time, year, date, measure, age, sum of
/// money, ordinal or part of a model name, not a count.
fn not_a_count(tokens: &[Token<'_>], i: usize, value: i64) -> bool {
    let t = &tokens[i];
    let next = lower_at(tokens, i + 1);
    let prev = if i > 0 {
        lower_at(tokens, i - 1)
    } else {
        String::new()
    };
    // Ordinals and model numbers glued to letters: 47th, Kh-101 (a Word token), Su-34.
    if tokens
        .get(i + 1)
        .is_some_and(|n| n.start == t.end && n.kind == TokenKind::Word)
    {
        return true;
    }
    if i > 0
        && tokens[i - 1].end == t.start
        && matches!(tokens[i - 1].text, "-" | "/" | "$" | "€" | "£" | "#" | "№")
    {
        return true;
    }
    if t.text.contains(':') {
        return true;
    }
    if NOT_COUNT_AFTER.contains(&next.as_str()) {
        return true;
    }
    // 25-year-old, 40-km: hyphen glued to the number.
    if tokens
        .get(i + 1)
        .is_some_and(|n| n.start == t.end && (n.text == "-" || n.text == "%"))
    {
        return true;
    }
    // "Oct. 15": an abbreviated month with its stop before the day.
    let month_stop = prev == "." && i >= 2 && is_month(&lower_at(tokens, i - 2));
    if is_month(&next) || is_month(&prev) || month_stop {
        return true;
    }
    // "in 2022", "since 2014": years.
    if (1900..=2100).contains(&value) && !t.text.contains(',') {
        return true;
    }
    if matches!(
        prev.as_str(),
        "$" | "€"
            | "£"
            | "₴"
            | "aged"
            | "age"
            | "no"
            | "number"
            | "route"
            | "highway"
            | "flight"
            | "№"
    ) {
        return true;
    }
    // "at 9", "o 9" (clock); "in 2", "by 3" are rare as counts in this prose.
    if matches!(prev.as_str(), "at" | "о" | "until" | "till") && value <= 24 {
        return true;
    }
    false
}

/// Every count in the tokens.
pub fn amounts(tokens: &[Token<'_>]) -> Vec<Amount> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some((value, last, rule)) = number_at(tokens, i) else {
            i += 1;
            continue;
        };
        // A piece of a longer token (`1,000-for-1,000` leaves `000`): not a count.
        let glued = i > 0 && tokens[i - 1].end == tokens[i].start && tokens[i - 1].text != "(";
        if tokens[i].kind == TokenKind::Number && (tokens[i].text.starts_with('0') || glued) {
            i = last + 1;
            continue;
        }
        // Above the largest count an import accepts: not a count (and not stored).
        if value.is_some_and(|v| v > crate::import::value::MAX_COUNT) {
            i = last + 1;
            continue;
        }
        if tokens[i].kind == TokenKind::Number
            && value.is_some_and(|v| not_a_count(tokens, last.max(i), v))
        {
            i = last + 1;
            continue;
        }
        if tokens[i].kind == TokenKind::Word && is_followed_by_measure(tokens, last) {
            i = last + 1;
            continue;
        }
        let (qualifier, first) = match rule {
            "dozens" => ("dozens", i),
            "hundreds" => ("hundreds", i),
            "thousands" => ("thousands", i),
            "several" => ("several", i),
            "a-dozen" => ("about", i),
            _ => qualifier_before(tokens, i),
        };
        out.push(Amount {
            value,
            qualifier,
            first,
            number: i,
            last,
            rule,
        });
        i = last + 1;
    }
    out
}

fn is_followed_by_measure(tokens: &[Token<'_>], last: usize) -> bool {
    let next = lower_at(tokens, last + 1);
    NOT_COUNT_AFTER.contains(&next.as_str())
        || next.ends_with("-year-old")
        || is_month(&next)
        || next == "and"
            && lower_at(tokens, last + 2) == "a"
            && lower_at(tokens, last + 3) == "half"
}

/// The number starting at token `i`: (value, last token, rule).
fn number_at(tokens: &[Token<'_>], i: usize) -> Option<(Option<i64>, usize, &'static str)> {
    let t = &tokens[i];
    let w = t.lower();
    if t.kind == TokenKind::Number {
        let mut value = digits(t.text)?;
        let mut last = i;
        // "1.5 million" is not whole; "2 million people": scale.
        if lower_at(tokens, i + 1) == "thousand" {
            value = value.checked_mul(1000)?;
            last = i + 1;
        }
        return Some((Some(value), last, "digits"));
    }
    if t.kind != TokenKind::Word {
        return None;
    }
    match w.as_str() {
        "dozens" | "scores" if lower_at(tokens, i + 1) == "of" => {
            return Some((None, i + 1, "dozens"));
        }
        // "Dozens more were injured", "hundreds more".
        "dozens" | "scores" if lower_at(tokens, i + 1) == "more" => {
            return Some((None, i, "dozens"));
        }
        "hundreds" if lower_at(tokens, i + 1) == "more" => return Some((None, i, "hundreds")),
        "hundreds" if lower_at(tokens, i + 1) == "of" => return Some((None, i + 1, "hundreds")),
        "thousands" if lower_at(tokens, i + 1) == "of" => return Some((None, i + 1, "thousands")),
        "several" | "десятки" | "кілька" | "декілька" => {
            let rule = if w == "десятки" {
                "dozens"
            } else {
                "several"
            };
            return Some((None, i, rule));
        }
        "a" if lower_at(tokens, i + 1) == "dozen" => {
            let last = if lower_at(tokens, i + 2) == "of" {
                i + 2
            } else {
                i + 1
            };
            return Some((Some(12), last, "a-dozen"));
        }
        "a" | "one" if lower_at(tokens, i + 1) == "hundred" => {
            return en_words(tokens, i + 1, 0).map(|(v, l)| (Some(v), l, "words"));
        }
        _ => {}
    }
    if let Some(v) = uk_number(&w) {
        return Some((Some(v), i, "words-uk"));
    }
    if en_small(&w).is_some() {
        let (v, last) = en_words(tokens, i, 0)?;
        if lower_at(tokens, last + 1) == "dozen" {
            return Some((Some(v.saturating_mul(12)), last + 1, "words"));
        }
        return Some((Some(v), last, "words"));
    }
    None
}

/// An English number in words from token `i`: `one hundred and twenty`, `two thousand`.
fn en_words(tokens: &[Token<'_>], i: usize, acc: i64) -> Option<(i64, usize)> {
    let mut total = acc;
    let mut current = 0i64;
    let mut last = i;
    let mut k = i;
    let mut any = false;
    while let Some(t) = tokens.get(k) {
        let w = t.lower();
        if let Some(v) = en_small(&w) {
            current = current.saturating_add(v);
            any = true;
            last = k;
        } else if w == "hundred" {
            current = current.max(1).saturating_mul(100);
            any = true;
            last = k;
        } else if w == "thousand" {
            total = total.saturating_add(current.max(1).saturating_mul(1000));
            current = 0;
            any = true;
            last = k;
        } else if w == "and"
            && any
            && tokens
                .get(k + 1)
                .is_some_and(|n| en_small(&n.lower()).is_some())
            && current >= 100
        {
            // "one hundred and twenty"
        } else {
            break;
        }
        k += 1;
    }
    any.then_some((total.saturating_add(current), last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::tokens;

    fn found(text: &str) -> Vec<(Option<i64>, &'static str)> {
        let t = tokens(text, 0);
        amounts(&t)
            .into_iter()
            .map(|a| (a.value, a.qualifier))
            .collect()
    }

    #[test]
    fn counts_in_digits_and_words_with_qualifiers() {
        assert_eq!(found("Russia launched 267 drones"), [(Some(267), "exact")]);
        assert_eq!(found("nine missiles"), [(Some(9), "exact")]);
        assert_eq!(
            found("at least 7 people were killed"),
            [(Some(7), "at_least")]
        );
        assert_eq!(found("more than 30 wounded"), [(Some(30), "more_than")]);
        assert_eq!(found("over 20 aircraft"), [(Some(20), "more_than")]);
        assert_eq!(found("dozens of drones"), [(None, "dozens")]);
        assert_eq!(found("a dozen settlements"), [(Some(12), "about")]);
        assert_eq!(
            found("1,200 drones and 472.0 more"),
            [(Some(1200), "exact"), (Some(472), "exact")]
        );
        assert_eq!(found("twenty-five drones"), [(Some(25), "exact")]);
        assert_eq!(
            found("one hundred and twenty drones"),
            [(Some(120), "exact")]
        );
        assert_eq!(found("чотирма ракетами"), [(Some(4), "exact")]);
        assert_eq!(found("понад 40 дронів"), [(Some(40), "more_than")]);
        assert_eq!(found("щонайменше семеро людей"), [(Some(7), "at_least")]);
    }

    #[test]
    fn numbers_that_are_not_counts() {
        for text in [
            "two and a half years",
            "1,800 kilometres away",
            "at 9:40 a.m.",
            "since 2022",
            "the 47th Brigade",
            "$1.5 billion",
            "a nine-storey building",
            "on 4 March",
            "March 4",
            "on Oct. 15 ordered",
            "a Kh-101 missile",
            "40 km from the border",
            "a 12-year-old girl",
            "for 18 hours",
            "20%",
        ] {
            assert_eq!(found(text), [], "{text}");
        }
    }
}
