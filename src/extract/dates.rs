//! The day a sentence's event happened, from what the sentence says and the article's
//! publication date: explicit dates (`4 March`, `March 4, 2025`, `1 червня`), weekdays
//! (`on Friday`: the last Friday on or before publication; the coming one when the sentence
//! speaks of the future), `overnight`, `last night`, `yesterday`, `the day before`,
//! `today`, nights written `the night into 26 May` or `у ніч на 2 червня`, and `earlier
//! this week` (a week-precise date).

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::numbers::{is_month, uk_month};
use super::text::{Token, TokenKind};

/// A resolved date, how precise it is, and the rule and tokens that gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    pub date: NaiveDate,
    /// `day` or `week`.
    pub precision: &'static str,
    pub rule: &'static str,
    pub first: usize,
    pub last: usize,
}

pub fn month_number(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.').to_lowercase();
    const EN: &[&str] = &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if w.len() >= 3 && w.is_ascii() {
        let stem = &w[..3];
        if is_month(&w) {
            return EN.iter().position(|m| *m == stem).map(|p| p as u32 + 1);
        }
        return None;
    }
    uk_month(&w)
}

pub fn weekday(w: &str) -> Option<Weekday> {
    Some(match w.to_lowercase().as_str() {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        "понеділок" | "понеділка" => Weekday::Mon,
        "вівторок" | "вівторка" => Weekday::Tue,
        "середу" | "середа" | "середи" => Weekday::Wed,
        "четвер" | "четверга" => Weekday::Thu,
        "п'ятницю" | "пʼятницю" | "п'ятниця" => Weekday::Fri,
        "суботу" | "субота" | "суботи" => Weekday::Sat,
        "неділю" | "неділя" | "неділі" => Weekday::Sun,
        _ => return None,
    })
}

/// Words that put the clause around token `at` in the future: a weekday there means the
/// coming one. Clauses end at commas, semicolons and dashes, so `swapped prisoners on
/// Thursday, a day before the leaders are due to meet` stays in the past.
///
/// A clause of a few words (`…, Saudi Arabia, on Tuesday`) has no verb of its own: it goes
/// with the clause before it (`are due to hold talks in Jeddah`).
fn speaks_of_future(tokens: &[Token<'_>], at: usize) -> bool {
    let ends = |t: &Token<'_>| matches!(t.text, "," | ";" | "—" | "–" | "(" | ")");
    let end = tokens[at..]
        .iter()
        .position(ends)
        .map_or(tokens.len(), |p| at + p);
    let mut start = tokens[..at].iter().rposition(ends).map_or(0, |p| p + 1);
    let mut clause_end = end;
    while start > 0 && clause_end - start <= 4 && tokens[start - 1].text == "," {
        clause_end = start - 1;
        start = tokens[..clause_end]
            .iter()
            .rposition(ends)
            .map_or(0, |p| p + 1);
    }
    tokens[start..end].iter().enumerate().any(|(k, t)| {
        let i = start + k;
        let w = t.lower();
        matches!(
            w.as_str(),
            "will"
                | "shall"
                | "scheduled"
                | "planned"
                | "plans"
                | "expected"
                | "next"
                | "upcoming"
                | "'ll"
                | "відбудеться"
                | "планують"
        ) || (w == "due"
            && (tokens.get(i + 1).is_some_and(|n| n.is("to"))
                || i > 0 && matches!(tokens[i - 1].lower().as_str(), "is" | "are" | "'s")))
            || (w == "is" && tokens.get(i + 1).is_some_and(|n| n.is("to")))
            || (w == "are" && tokens.get(i + 1).is_some_and(|n| n.is("to")))
    })
}

/// A year written right after a day-month or month-day, if any.
fn year_at(tokens: &[Token<'_>], i: usize) -> Option<(i32, usize)> {
    let mut k = i;
    if tokens.get(k).is_some_and(|t| t.text == ",") {
        k += 1;
    }
    let t = tokens.get(k)?;
    if t.kind == TokenKind::Number && t.text.len() == 4 {
        let y: i32 = t.text.parse().ok()?;
        if (1990..=2100).contains(&y) {
            return Some((y, k));
        }
    }
    None
}

/// The date of a day and month without a year: in the publication's year, or the year
/// before when that would put it more than a week after publication.
fn in_year(day: u32, month: u32, year: Option<i32>, published: NaiveDate) -> Option<NaiveDate> {
    if let Some(y) = year {
        return NaiveDate::from_ymd_opt(y, month, day);
    }
    let d = NaiveDate::from_ymd_opt(published.year(), month, day)?;
    if d > published + Days::new(7) {
        return NaiveDate::from_ymd_opt(published.year() - 1, month, day);
    }
    Some(d)
}

fn day_number(t: &Token<'_>) -> Option<u32> {
    if t.kind != TokenKind::Number {
        return None;
    }
    let d: u32 = t.text.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// Explicit dates in the tokens: (date, first token, last token).
fn explicit(tokens: &[Token<'_>], published: NaiveDate) -> Vec<(NaiveDate, usize, usize)> {
    let mut out = Vec::new();
    for i in 0..tokens.len() {
        // 4 March [2025] / 1 червня
        if let (Some(d), Some(m)) = (
            day_number(&tokens[i]),
            tokens.get(i + 1).and_then(|t| month_number(t.text)),
        ) {
            let (year, last) = match year_at(tokens, i + 2) {
                Some((y, k)) => (Some(y), k),
                None => (None, i + 1),
            };
            if let Some(date) = in_year(d, m, year, published) {
                out.push((date, i, last));
            }
            continue;
        }
        // March 4[, 2025], Aug. 23
        let dot = usize::from(tokens.get(i + 1).is_some_and(|t| t.text == "."));
        if let (Some(m), Some(d)) = (
            month_number(tokens[i].text),
            tokens.get(i + 1 + dot).and_then(day_number),
        ) {
            if !tokens[i].is_capitalised() && tokens[i].text.is_ascii() {
                continue;
            }
            // "May 24": "may" the verb is lower case; a capitalised May at the start of a
            // sentence followed by a day number is the month.
            let (year, last) = match year_at(tokens, i + 2 + dot) {
                Some((y, k)) => (Some(y), k),
                None => (None, i + 1 + dot),
            };
            // "the night of March 2 to 3": the day the night ends, too.
            if matches!(tokens.get(last + 1).map(|t| t.text), Some("to" | "-" | "–"))
                && let Some(end) = tokens.get(last + 2).and_then(day_number)
                && let Some(date) = in_year(end, m, year, published)
            {
                out.push((date, last + 2, last + 2));
            }
            if let Some(date) = in_year(d, m, year, published) {
                out.push((date, i, last));
            }
        }
    }
    out
}

/// Every date the sentence gives, resolved against the publication day. `reference` is the
/// date of the event the article is about, for `the day before`.
pub fn dates_in(
    tokens: &[Token<'_>],
    published: NaiveDate,
    reference: Option<NaiveDate>,
) -> Vec<Dated> {
    let mut out = Vec::new();
    let exp = explicit(tokens, published);
    // "the night into 26 May", "night of 1 to 2 June", "у ніч на 2 червня": the later day
    // (the explicit date that ends the phrase).
    for (date, first, last) in &exp {
        // "Since 24 February 2022": the start of a running total.
        if *first >= 1 && matches!(tokens[first - 1].lower().as_str(), "since" | "until" | "by") {
            continue;
        }
        out.push(Dated {
            date: *date,
            precision: "day",
            rule: "date-explicit",
            first: *first,
            last: *last,
        });
    }
    for (i, t) in tokens.iter().enumerate() {
        let w = t.lower();
        // "Friday's missile strike" names the day of the thing itself.
        let possessive = w.ends_with("'s");
        // "By Wednesday afternoon, the toll had risen", "since Friday": a bound, not the day.
        let bound = i >= 1
            && matches!(
                tokens[i - 1].lower().as_str(),
                "by" | "until" | "till" | "since"
            );
        if let Some(day) = weekday(w.trim_end_matches("'s")).filter(|_| !bound) {
            let future = speaks_of_future(tokens, i);
            // "said on Sunday that …": the day of the statement, not of what it reports.
            let report = i >= 2
                && tokens[i - 1].is("on")
                && matches!(
                    tokens[i - 2].lower().as_str(),
                    "said"
                        | "says"
                        | "announced"
                        | "reported"
                        | "claimed"
                        | "told"
                        | "confirmed"
                        | "stated"
                        | "added"
                );
            // "Saturday evening ... into Sunday": each weekday is a date; the caller picks.
            let back =
                (published.weekday().num_days_from_monday() + 7 - day.num_days_from_monday()) % 7;
            let date = if future {
                let ahead = (day.num_days_from_monday() + 7
                    - published.weekday().num_days_from_monday())
                    % 7;
                published + Days::new(u64::from(if ahead == 0 { 7 } else { ahead }))
            } else {
                published - Days::new(u64::from(back))
            };
            // "(March 4, 2025)" right after the weekday wins: it is the same day, explicit.
            if exp.iter().any(|(_, f, _)| *f > i && *f <= i + 2) {
                continue;
            }
            out.push(Dated {
                date,
                precision: "day",
                rule: if future {
                    "weekday-coming"
                } else if possessive {
                    "weekday-possessive"
                } else if report {
                    "weekday-report"
                } else {
                    "weekday-last"
                },
                first: i,
                last: i,
            });
            continue;
        }
        let rule_date = match w.as_str() {
            "yesterday" | "вчора" => Some(("yesterday", published - Days::new(1))),
            "today" | "сьогодні" | "tonight" => Some(("today", published)),
            "overnight" | "уночі" | "вночі" => Some(("overnight", published)),
            // "over the past day", "in the last 24 hours", "Минулої доби", "за минулу добу":
            // a daily report's day.
            "day" | "24"
                if i >= 1
                    && matches!(tokens[i - 1].lower().as_str(), "past" | "previous" | "last")
                    && (w == "day" || tokens.get(i + 1).is_some_and(|n| n.is("hours"))) =>
            {
                Some(("past-day", published))
            }
            "доби" | "добу"
                if i >= 1
                    && matches!(
                        tokens[i - 1].lower().as_str(),
                        "минулої" | "минулу" | "упродовж" | "протягом" | "за"
                    ) =>
            {
                Some(("past-day", published))
            }
            "напередодні" => {
                Some(("day-before", reference.unwrap_or(published) - Days::new(1)))
            }
            "night" | "ніч"
                if i > 0
                    && matches!(tokens[i - 1].lower().as_str(), "last" | "this" | "минулої") =>
            {
                Some(("last-night", published))
            }
            "day"
                if i >= 2
                    && tokens[i - 1].is("the")
                    && tokens.get(i + 1).is_some_and(|n| n.is("before")) =>
            {
                Some(("day-before", reference.unwrap_or(published) - Days::new(1)))
            }
            // "on Friday, the day after a Russian missile struck a café": what follows
            // happened the day before the day named first (or the article's lead date).
            "day"
                if i >= 1
                    && (tokens[i - 1].is("the") || tokens[i - 1].is("a"))
                    && tokens.get(i + 1).is_some_and(|n| n.is("after"))
                    && clause_has_verb(&tokens[i + 2..]) =>
            {
                let anchor = out
                    .iter()
                    .filter(|d| d.last + 1 < i)
                    .max_by_key(|d| d.first)
                    .map(|d| d.date)
                    .or(reference)
                    .unwrap_or(published);
                Some(("day-after", anchor - Days::new(1)))
            }
            // "last week": the week before publication's.
            "week" if i >= 1 && tokens[i - 1].is("last") => {
                let monday = published
                    - Days::new(u64::from(published.weekday().num_days_from_monday()) + 7);
                out.push(Dated {
                    date: monday,
                    precision: "week",
                    rule: "last-week",
                    first: i - 1,
                    last: i,
                });
                None
            }
            "week" if i >= 2 && tokens[i - 1].is("this") && tokens[i - 2].is("earlier") => {
                let monday =
                    published - Days::new(u64::from(published.weekday().num_days_from_monday()));
                out.push(Dated {
                    date: monday,
                    precision: "week",
                    rule: "earlier-this-week",
                    first: i - 2,
                    last: i,
                });
                None
            }
            _ => None,
        };
        if let Some((rule, date)) = rule_date {
            out.push(Dated {
                date,
                precision: "day",
                rule,
                first: i,
                last: i,
            });
        }
    }
    out.sort_by_key(|d| d.first);
    out
}

/// Whether the words up to the next comma or full stop hold a verb in the past (`a Russian
/// missile struck a café`), not just a noun (`the day after the strike`).
fn clause_has_verb(tokens: &[Token<'_>]) -> bool {
    tokens
        .iter()
        .take_while(|t| !matches!(t.text, "," | "." | ";" | "—"))
        .any(|t| {
            let w = t.lower();
            (w.len() > 4 && w.ends_with("ed"))
                || matches!(
                    w.as_str(),
                    "struck"
                        | "hit"
                        | "fired"
                        | "shot"
                        | "sent"
                        | "took"
                        | "came"
                        | "fell"
                        | "said"
                        | "held"
                        | "met"
                        | "began"
                        | "killed"
                        | "launched"
                )
        })
}

/// The one date of a sentence's event: an explicit date beats a night's end beats a
/// weekday beats a relative word; for `overnight into Sunday` and `Saturday evening … into
/// Sunday` the later day (the night's end) is the date.
pub fn sentence_date(tokens: &[Token<'_>], found: &[Dated]) -> Option<Dated> {
    if found.is_empty() {
        return None;
    }
    // A night that ends on a named day: the day after "into"/"на".
    for d in found {
        if d.first >= 1 {
            let before = tokens[d.first - 1].lower();
            if matches!(before.as_str(), "into" | "на" | "to") {
                return Some(Dated {
                    rule: "night-into",
                    ..d.clone()
                });
            }
        }
    }
    // "between the evening of March 10 and the morning of March 11", "from … to …": a span
    // ends on its second day.
    for (a, b) in found.iter().zip(found.iter().skip(1)) {
        let opens = tokens[a.first.saturating_sub(14)..a.first]
            .iter()
            .any(|t| t.is("between") || t.is("from"));
        let joined = tokens.get(a.last + 1..b.first).is_some_and(|between| {
            between
                .iter()
                .any(|t| t.is("and") || t.is("to") || t.is("until"))
        });
        if opens && joined && b.first <= a.last + 10 && b.date > a.date {
            return Some(Dated {
                rule: "span-end",
                ..b.clone()
            });
        }
    }
    // "the day after …": a date named after it belongs to what follows; one named before
    // it is the anchor, not the event's.
    if let Some(after) = found.iter().find(|d| d.rule == "day-after") {
        let later = found
            .iter()
            .filter(|d| d.first > after.last && d.rule != "overnight")
            .min_by_key(|d| d.first);
        return Some(later.unwrap_or(after).clone());
    }
    let rank = |d: &Dated| match d.rule {
        "weekday-possessive" => 0,
        "date-explicit" => 0,
        "day-before" => 1,
        "yesterday" => 2,
        "weekday-last" | "weekday-coming" => 3,
        "earlier-this-week" | "last-week" | "weekday-report" => 4,
        _ => 5,
    };
    found.iter().min_by_key(|d| (rank(d), d.first)).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::tokens;

    fn date_of(text: &str, published: &str) -> Option<(String, &'static str)> {
        let p = NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
        let t = tokens(text, 0);
        let found = dates_in(&t, p, None);
        sentence_date(&t, &found).map(|d| (d.date.to_string(), d.precision))
    }

    #[test]
    fn a_daily_report_and_a_night_in_ukrainian() {
        // 2025-06-07 is a Saturday; a weekday named beside it wins.
        for text in [
            "Уночі ворог завдав масованого удару по Харкову.",
            "Минулої доби ворог обстріляв 10 населених пунктів.",
            "Over the past day, 12 people were injured.",
            "In the last 24 hours air defences shot down 30 drones.",
        ] {
            assert_eq!(
                date_of(text, "2025-06-07"),
                Some(("2025-06-07".to_string(), "day")),
                "{text}"
            );
        }
        assert_eq!(
            date_of(
                "On Thursday, the ministry said 40 drones had been shot down over the previous 24 hours.",
                "2025-06-07"
            ),
            Some(("2025-06-05".to_string(), "day"))
        );
    }

    #[test]
    fn a_span_of_two_days_ends_on_the_second() {
        assert_eq!(
            date_of(
                "air defences destroyed 337 drones between the evening of March 10 and the morning of March 11",
                "2025-03-11"
            ),
            Some(("2025-03-11".to_string(), "day"))
        );
        // Clock times inside the span: `between 8 p.m. on Tuesday and 7 a.m. on Wednesday`.
        assert_eq!(
            date_of(
                "105 drones were destroyed between 8 p.m. Moscow time (1700 GMT) on Tuesday and 7 a.m. on Wednesday",
                "2025-05-07"
            ),
            Some(("2025-05-07".to_string(), "day"))
        );
    }

    #[test]
    fn dates_resolve_against_publication() {
        // 2025-03-09 is a Sunday.
        let d = |t| date_of(t, "2025-03-09").map(|x| x.0);
        assert_eq!(
            d("on Tuesday (March 4, 2025) drones hit Kharkiv").as_deref(),
            Some("2025-03-04")
        );
        assert_eq!(
            d("Drones hit Odesa on Friday.").as_deref(),
            Some("2025-03-07")
        );
        assert_eq!(
            d("The delegations will meet on Thursday.").as_deref(),
            Some("2025-03-13")
        );
        assert_eq!(
            d("He is due in Paris on Wednesday for talks.").as_deref(),
            Some("2025-03-12")
        );
        assert_eq!(
            d("Officials are due to hold talks in Jeddah, Saudi Arabia, on Tuesday, as Kyiv waits.")
                .as_deref(),
            Some("2025-03-11")
        );
        assert_eq!(
            d("Russia launched 100 drones overnight.").as_deref(),
            Some("2025-03-09")
        );
        assert_eq!(
            d("It began on Saturday evening and ran into Sunday.").as_deref(),
            Some("2025-03-09")
        );
        assert_eq!(
            d("on the night into 26 February").as_deref(),
            Some("2025-02-26")
        );
        assert_eq!(
            d("У ніч на 2 червня ворог атакував").as_deref(),
            Some("2024-06-02")
        );
        assert_eq!(d("Yesterday 3 people died").as_deref(), Some("2025-03-08"));
        assert_eq!(d("on Sunday").as_deref(), Some("2025-03-09"));
        assert_eq!(d("on 24 May").as_deref(), Some("2024-05-24"));
        assert_eq!(
            date_of("earlier this week", "2025-03-09"),
            Some(("2025-03-03".into(), "week"))
        );
        assert_eq!(d("Nothing is said."), None);
    }

    #[test]
    fn the_day_of_the_thing_beats_the_day_of_the_statement() {
        // 2022-04-09 is a Saturday.
        let d = |t| date_of(t, "2022-04-09").map(|x| x.0);
        assert_eq!(
            d("Officials said on Saturday that the toll from Friday's strike had risen to 52.")
                .as_deref(),
            Some("2022-04-08")
        );
        assert_eq!(
            d("Authorities said on Saturday that 1,775 people had been evacuated on Thursday alone.")
                .as_deref(),
            Some("2022-04-07")
        );
        // "the day after" + a clause: the day before the one named.
        assert_eq!(
            d("Rescuers were still digging on Friday, the day after a missile struck a café.")
                .as_deref(),
            Some("2022-04-07")
        );
        // + only a noun: the day named is the event's.
        assert_eq!(
            d("On Friday, the day after the strike, 10 more bodies were found.").as_deref(),
            Some("2022-04-08")
        );
        assert_eq!(
            date_of(
                "Last week, a drone attack on Kyiv killed two people.",
                "2022-04-09"
            ),
            Some(("2022-03-28".into(), "week"))
        );
        assert_eq!(
            d("A drone attack on Konotop on Aug. 23 injured 24 people.").as_deref(),
            Some("2021-08-23")
        );
        assert_eq!(
            d("Russia launched 83 drones on the night of March 2 to 3.").as_deref(),
            Some("2022-03-03")
        );
        // Bounds of a running count are not the day of anything.
        assert_eq!(d("By Wednesday afternoon, the toll had risen to 11."), None);
        assert_eq!(
            d("Since 24 February 2022, the UN has verified 12,164 deaths."),
            None
        );
        // A future word in another clause leaves the weekday in the past.
        assert_eq!(
            d("The sides swapped 84 prisoners on Thursday, a day before the leaders are due to meet.")
                .as_deref(),
            Some("2022-04-07")
        );
        assert_eq!(
            d("The leaders are due to meet on Thursday.").as_deref(),
            Some("2022-04-14")
        );
    }
}
