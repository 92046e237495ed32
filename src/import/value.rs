//! Parsing of single cell values — dates and reported figures (counts) — as
//! found in messy spreadsheets and scraper output.
//!
//! This module owns the reading of one cell at a time: it turns text such as
//! `2025-06-01`, `Sunday, June 1, 2025`, `03/04/2025`, `45809` (an Excel
//! serial), `at least 12`, `1,234` or `10–15` into typed values, or says
//! precisely why it cannot. It knows nothing of files, columns or storage;
//! the only column-level help it offers is [`SlashOrderDetector`], which
//! decides the day/month order of a column of slash dates. Error messages do
//! not repeat the raw cell (an ambiguous figure's message spells out its two
//! readings): callers add file, line, column and value.

use std::fmt;

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveTime, Offset, Utc, Weekday};

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/// How exact a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precision {
    /// A single day.
    Day,
    /// A week; the date is its first day.
    Week,
    /// A calendar month; the date is its first day.
    Month,
    /// A calendar year; the date is 1 January.
    Year,
}

impl Precision {
    /// The lower-case name: `"day"`, `"week"`, `"month"` or `"year"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Week => "week",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }

    /// Reads a precision name in any case, its first letter (`d`, `w`, `m`,
    /// `y`) or an ACLED `time_precision` code (`1` day, `2` week, `3` month).
    pub fn parse(s: &str) -> Option<Precision> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" | "d" | "1" => Some(Precision::Day),
            "week" | "w" | "2" => Some(Precision::Week),
            "month" | "m" | "3" => Some(Precision::Month),
            "year" | "y" => Some(Precision::Year),
            _ => None,
        }
    }
}

/// Day/month order for slash dates like 03/04/2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Day first: 03/04/2025 is 3 April 2025.
    Dmy,
    /// Month first: 03/04/2025 is 4 March 2025.
    Mdy,
}

impl DateOrder {
    /// `"dmy"` or `"mdy"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
        }
    }

    /// Reads `dmy`/`mdy` in any case, also written `d/m/y` or `m/d/y`.
    pub fn parse(s: &str) -> Option<DateOrder> {
        match s.trim().to_ascii_lowercase().replace('/', "").as_str() {
            "dmy" => Some(DateOrder::Dmy),
            "mdy" => Some(DateOrder::Mdy),
            _ => None,
        }
    }

    fn pattern(self) -> &'static str {
        match self {
            DateOrder::Dmy => "day/month/year",
            DateOrder::Mdy => "month/day/year",
        }
    }
}

/// A parsed date value. `date` is the first day of the period for month/year precision.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDate {
    /// The day, or the first day of the week, month or year.
    pub date: NaiveDate,
    /// How exact `date` is.
    pub precision: Precision,
    /// Time of day when the value carried one (seconds kept; "12:00:00 AM" => 00:00:00).
    pub time: Option<NaiveTime>,
    /// UTC offset when the value carried one ("Z" => +00:00).
    pub offset: Option<FixedOffset>,
}

impl ParsedDate {
    /// "YYYY-MM-DD" of `date`.
    pub fn iso_date(&self) -> String {
        self.date.format("%Y-%m-%d").to_string()
    }

    /// None without a time; else "YYYY-MM-DDTHH:MM:SS", followed by the
    /// offset as "+HH:MM" when one is known (UTC is "+00:00").
    pub fn iso_datetime(&self) -> Option<String> {
        let time = self.time?;
        let mut out = format!("{}T{}", self.iso_date(), time.format("%H:%M:%S"));
        if let Some(offset) = self.offset {
            out.push_str(&format_offset(offset));
        }
        Some(out)
    }

    fn new(date: NaiveDate, precision: Precision) -> ParsedDate {
        ParsedDate {
            date,
            precision,
            time: None,
            offset: None,
        }
    }

    fn utc(moment: DateTime<Utc>) -> ParsedDate {
        ParsedDate {
            date: moment.date_naive(),
            precision: Precision::Day,
            time: Some(moment.time()),
            offset: Some(Utc.fix()),
        }
    }
}

fn format_offset(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Why a date cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// A slash date whose day/month order cannot be told (both parts <= 12) and no order was given.
    Ambiguous,
    /// Not a date sitrep reads; the String says what was expected or what is wrong.
    Invalid(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Ambiguous => f.write_str(
                "the day/month order of this slash date cannot be told (both parts are 12 or less); \
                 state whether the column is day-first or month-first",
            ),
            DateError::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DateError {}

const NOT_A_DATE: &str = "not a date: expected forms like 2025-06-01, 1 June 2025, June 1, 2025, \
                          01.06.2025, 2025/06/01, 03/04/2025, June 2025 or 2025";
const NOT_A_DATE_NUMBER: &str = "a plain number is read as a year (1900-2100), an Excel serial day \
                                 (20000-80000), a compact date like 20250601, or Unix time in \
                                 seconds (9-10 digits) or milliseconds (13 digits)";
const BAD_TIME: &str = "unreadable time of day: expected forms like 13:30, 13:30:00, 1:30 PM or \
                        13:30:00+03:00";
const BAD_OFFSET: &str = "unreadable UTC offset: expected Z, UTC, +03:00, +0300 or +03";
const BARE_YEAR: std::ops::RangeInclusive<i32> = 1900..=2100;
const EXCEL_SERIALS: std::ops::RangeInclusive<u64> = 20_000..=80_000;
const SECONDS_PER_DAY: u32 = 86_400;

fn invalid(message: impl Into<String>) -> DateError {
    DateError::Invalid(message.into())
}

/// Parse one date cell. Input is trimmed first. Empty/whitespace-only input => Ok(None) (unknown).
///
/// `order` settles slash dates such as 03/04/2025; without it they are read
/// only when one part is above 12 or both parts are equal.
pub fn parse_date(s: &str, order: Option<DateOrder>) -> Result<Option<ParsedDate>, DateError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let parsed = if is_plain_number(s) {
        parse_number_date(s)?
    } else {
        parse_date_and_time(s, order)?
    };
    Ok(Some(parsed))
}

/// Digits with at most one decimal point.
fn is_plain_number(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.bytes().filter(|&b| b == b'.').count() <= 1
}

/// The value of `s` if it is `min..=max` ASCII digits.
fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn year(s: &str) -> Option<i32> {
    digits(s, 4, 4).and_then(|y| i32::try_from(y).ok())
}

fn parse_number_date(s: &str) -> Result<ParsedDate, DateError> {
    if let Some((whole, fraction)) = s.split_once('.') {
        return excel_serial(whole, Some(fraction));
    }
    match s.len() {
        4 => bare_year(s),
        5 => excel_serial(s, None),
        8 => compact_date(s),
        9 | 10 => unix_time(s, 1),
        13 => unix_time(s, 1000),
        _ => Err(invalid(NOT_A_DATE_NUMBER)),
    }
}

fn bare_year(s: &str) -> Result<ParsedDate, DateError> {
    let date = year(s)
        .filter(|y| BARE_YEAR.contains(y))
        .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
        .ok_or_else(|| invalid("a bare year must be between 1900 and 2100"))?;
    Ok(ParsedDate::new(date, Precision::Year))
}

/// Excel's 1900 date system; for serials above 60 (all we accept) day 0 is
/// 1899-12-30 because Excel counts the non-existent 29 February 1900.
fn excel_serial(whole: &str, fraction: Option<&str>) -> Result<ParsedDate, DateError> {
    let days = digits(whole, 1, 5)
        .map(u64::from)
        .filter(|d| EXCEL_SERIALS.contains(d))
        .ok_or_else(|| invalid(NOT_A_DATE_NUMBER))?;
    let seconds = match fraction {
        Some(fraction) => day_fraction_seconds(fraction)?,
        None => 0,
    };
    let (days, seconds) = if seconds >= SECONDS_PER_DAY {
        (days + 1, 0)
    } else {
        (days, seconds)
    };
    let date = NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|epoch| epoch.checked_add_days(Days::new(days)))
        .ok_or_else(|| invalid(NOT_A_DATE_NUMBER))?;
    let mut parsed = ParsedDate::new(date, Precision::Day);
    if seconds > 0 {
        parsed.time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0);
    }
    Ok(parsed)
}

/// Seconds (rounded) in the fraction of a day written as the digits after a decimal point.
fn day_fraction_seconds(fraction: &str) -> Result<u32, DateError> {
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(NOT_A_DATE_NUMBER));
    }
    let kept = fraction.get(..15).unwrap_or(fraction);
    let share: f64 = format!("0.{kept}")
        .parse()
        .map_err(|_| invalid(NOT_A_DATE_NUMBER))?;
    // Saturating float-to-int cast; `share` is within 0..1.
    Ok((share * f64::from(SECONDS_PER_DAY)).round() as u32)
}

/// `YYYYMMDD`, as in GDELT's SQLDATE.
fn compact_date(s: &str) -> Result<ParsedDate, DateError> {
    let (y, rest) = s
        .split_at_checked(4)
        .ok_or_else(|| invalid(NOT_A_DATE_NUMBER))?;
    let (m, d) = rest
        .split_at_checked(2)
        .ok_or_else(|| invalid(NOT_A_DATE_NUMBER))?;
    let y = year(y)
        .filter(|y| BARE_YEAR.contains(y))
        .ok_or_else(|| invalid(NOT_A_DATE_NUMBER))?;
    let (m, d) = digits(m, 2, 2)
        .zip(digits(d, 2, 2))
        .ok_or_else(|| invalid(NOT_A_DATE_NUMBER))?;
    Ok(ParsedDate::new(make_date(y, m, d)?, Precision::Day))
}

/// Unix time counted in `1 / per_second` seconds; the sub-second part is dropped.
fn unix_time(s: &str, per_second: i64) -> Result<ParsedDate, DateError> {
    let count: i64 = s.parse().map_err(|_| invalid(NOT_A_DATE_NUMBER))?;
    let seconds = count / per_second;
    if seconds < 100_000_000 {
        return Err(invalid(NOT_A_DATE_NUMBER));
    }
    DateTime::from_timestamp(seconds, 0)
        .map(ParsedDate::utc)
        .ok_or_else(|| invalid(NOT_A_DATE_NUMBER))
}

fn parse_date_and_time(s: &str, order: Option<DateOrder>) -> Result<ParsedDate, DateError> {
    let (date_text, time_text) = split_time(s);
    let mut parsed = parse_date_part(date_text, order)?;
    if let Some(time_text) = time_text {
        if parsed.precision != Precision::Day {
            return Err(invalid(
                "a time of day needs a full date, not just a month or year",
            ));
        }
        let (time, offset) = parse_time(time_text)?;
        parsed.time = Some(time);
        parsed.offset = offset;
    }
    Ok(parsed)
}

/// Splits `2025-06-01T13:30`, `1 June 2025 13:30`, ... into date and time
/// text. The time starts with the digits before the first colon and must
/// follow whitespace or an ISO `T`.
fn split_time(s: &str) -> (&str, Option<&str>) {
    let Some(colon) = s.find(':') else {
        return (s, None);
    };
    let Some((head, _)) = s.split_at_checked(colon) else {
        return (s, None);
    };
    let hour_start = head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let Some((date, time)) = s.split_at_checked(hour_start) else {
        return (s, None);
    };
    let date = match date.strip_suffix(['T', 't']) {
        Some(iso) if iso.ends_with(|c: char| c.is_ascii_digit()) => iso,
        _ if date.ends_with(char::is_whitespace) => date,
        _ => return (s, None),
    };
    (date.trim_end().trim_end_matches(',').trim_end(), Some(time))
}

fn parse_date_part(s: &str, order: Option<DateOrder>) -> Result<ParsedDate, DateError> {
    if let Some(week) = iso_week(s) {
        return week;
    }
    if s.chars().any(char::is_alphabetic) {
        return parse_named(s);
    }
    if let Some((a, b, y)) = slash_parts(s) {
        return slash_date(a, b, y, order);
    }
    parse_numeric_parts(s)
}

/// `2025-W23`: the Monday of that ISO week.
fn iso_week(s: &str) -> Option<Result<ParsedDate, DateError>> {
    let (y, w) = s.split_once('-')?;
    let y = year(y)?;
    let w = digits(w.strip_prefix(['W', 'w'])?, 1, 2)?;
    let date = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)
        .ok_or_else(|| invalid(format!("week {w} does not exist in {y}")));
    Some(date.map(|d| ParsedDate::new(d, Precision::Week)))
}

/// Day/month slash dates `A/B/YYYY` with one- or two-digit parts.
fn slash_parts(s: &str) -> Option<(u32, u32, i32)> {
    let mut parts = s.split('/');
    let a = digits(parts.next()?, 1, 2)?;
    let b = digits(parts.next()?, 1, 2)?;
    let y = year(parts.next()?)?;
    parts.next().is_none().then_some((a, b, y))
}

fn slash_date(a: u32, b: u32, y: i32, order: Option<DateOrder>) -> Result<ParsedDate, DateError> {
    if a == 0 || b == 0 {
        return Err(invalid("a slash date cannot have a day or month of 0"));
    }
    let order = match order {
        Some(order) => order,
        None => infer_order(a, b)?,
    };
    let (day, month) = match order {
        DateOrder::Dmy => (a, b),
        DateOrder::Mdy => (b, a),
    };
    let date = make_date(y, month, day).map_err(|e| match e {
        DateError::Invalid(m) => invalid(format!("{m} (read as {})", order.pattern())),
        other => other,
    })?;
    Ok(ParsedDate::new(date, Precision::Day))
}

fn infer_order(a: u32, b: u32) -> Result<DateOrder, DateError> {
    match (a > 12, b > 12) {
        (true, true) => Err(invalid(
            "neither part of this slash date can be a month (both are above 12)",
        )),
        (true, false) => Ok(DateOrder::Dmy),
        (false, true) => Ok(DateOrder::Mdy),
        // Equal parts give the same date either way.
        (false, false) if a == b => Ok(DateOrder::Dmy),
        (false, false) => Err(DateError::Ambiguous),
    }
}

/// Year-first dates with any of `-`, `/`, `.`; month-first `MM/YYYY`; day-first dotted dates.
fn parse_numeric_parts(s: &str) -> Result<ParsedDate, DateError> {
    let Some(sep) = s.chars().find(|c| !c.is_ascii_digit()) else {
        return Err(invalid(NOT_A_DATE));
    };
    if !matches!(sep, '-' | '/' | '.') {
        return Err(invalid(NOT_A_DATE));
    }
    let parts: Vec<&str> = s.split(sep).collect();
    match parts.as_slice() {
        [y, m] if y.len() == 4 => year_month(y, m),
        [m, y] if sep == '/' && y.len() == 4 => year_month(y, m),
        [y, m, d] if y.len() == 4 => day_date(y, m, d),
        [d, m, y] if sep == '.' && y.len() == 4 => day_date(y, m, d),
        [_, _, y] if sep == '-' && y.len() == 4 => Err(invalid(
            "day and month before the year with dashes is not read; write 2025-06-01, \
             01.06.2025 or 01/06/2025",
        )),
        [_, _, y] if y.len() == 2 => Err(invalid("the year must have four digits")),
        _ => Err(invalid(NOT_A_DATE)),
    }
}

fn year_month(y: &str, m: &str) -> Result<ParsedDate, DateError> {
    let (y, m) = year(y)
        .zip(digits(m, 1, 2))
        .ok_or_else(|| invalid(NOT_A_DATE))?;
    Ok(ParsedDate::new(make_date(y, m, 1)?, Precision::Month))
}

fn day_date(y: &str, m: &str, d: &str) -> Result<ParsedDate, DateError> {
    let y = year(y).ok_or_else(|| invalid(NOT_A_DATE))?;
    let (m, d) = digits(m, 1, 2)
        .zip(digits(d, 1, 2))
        .ok_or_else(|| invalid(NOT_A_DATE))?;
    Ok(ParsedDate::new(make_date(y, m, d)?, Precision::Day))
}

/// A calendar date, or a message naming the impossible part.
fn make_date(y: i32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)
        .ok_or_else(|| invalid(format!("month {m} does not exist")))?;
    if d == 0 {
        return Err(invalid("day 0 does not exist"));
    }
    first
        .with_day(d)
        .ok_or_else(|| invalid(format!("{} has no day {d}", first.format("%B %Y"))))
}

/// One word or number of a date written with a month name.
#[derive(Debug, Clone, Copy)]
enum Token {
    Weekday(Weekday),
    Month(u32),
    Day(u32),
    Year(i32),
}

/// `1 June 2025`, `June 1, 2025`, `Sunday 1 June 2025`, `1-Jun-2025`, `June 2025`, ...
fn parse_named(s: &str) -> Result<ParsedDate, DateError> {
    let tokens = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '/'))
        .filter(|t| !t.is_empty())
        .map(token)
        .collect::<Result<Vec<_>, _>>()?;
    let (weekday, rest) = match tokens.as_slice() {
        [Token::Weekday(w), rest @ ..] => (Some(*w), rest),
        all => (None, all),
    };
    match rest {
        [Token::Day(d), Token::Month(m), Token::Year(y)]
        | [Token::Month(m), Token::Day(d), Token::Year(y)]
        | [Token::Year(y), Token::Month(m), Token::Day(d)] => {
            let date = make_date(*y, *m, *d)?;
            check_weekday(date, weekday)?;
            Ok(ParsedDate::new(date, Precision::Day))
        }
        [Token::Day(_), Token::Month(_), Token::Day(_)]
        | [Token::Month(_), Token::Day(_), Token::Day(_)] => {
            Err(invalid("the year must have four digits"))
        }
        [Token::Month(m), Token::Year(y)] if weekday.is_none() => {
            Ok(ParsedDate::new(make_date(*y, *m, 1)?, Precision::Month))
        }
        _ => Err(invalid(NOT_A_DATE)),
    }
}

fn token(t: &str) -> Result<Token, DateError> {
    if let Some(y) = year(t) {
        return Ok(Token::Year(y));
    }
    if let Some(d) = digits(strip_ordinal(t), 1, 2) {
        return Ok(Token::Day(d));
    }
    if t.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(invalid(
            "a day must have one or two digits and the year four digits",
        ));
    }
    let word = t.strip_suffix('.').unwrap_or(t).to_ascii_lowercase();
    month_word(&word)
        .map(Token::Month)
        .or_else(|| weekday_word(&word).map(Token::Weekday))
        .ok_or_else(|| {
            invalid("unknown word in a date; month and weekday names must be English, like June, Jun or Sunday")
        })
}

/// `1st` → `1`; anything else unchanged.
fn strip_ordinal(t: &str) -> &str {
    let Some((number, suffix)) = t.len().checked_sub(2).and_then(|at| t.split_at_checked(at))
    else {
        return t;
    };
    let is_suffix = ["st", "nd", "rd", "th"]
        .iter()
        .any(|s| suffix.eq_ignore_ascii_case(s));
    if is_suffix { number } else { t }
}

fn month_word(word: &str) -> Option<u32> {
    match word {
        "january" | "jan" => Some(1),
        "february" | "feb" => Some(2),
        "march" | "mar" => Some(3),
        "april" | "apr" => Some(4),
        "may" => Some(5),
        "june" | "jun" => Some(6),
        "july" | "jul" => Some(7),
        "august" | "aug" => Some(8),
        "september" | "sep" | "sept" => Some(9),
        "october" | "oct" => Some(10),
        "november" | "nov" => Some(11),
        "december" | "dec" => Some(12),
        _ => None,
    }
}

fn weekday_word(word: &str) -> Option<Weekday> {
    match word {
        "monday" | "mon" => Some(Weekday::Mon),
        "tuesday" | "tue" | "tues" => Some(Weekday::Tue),
        "wednesday" | "wed" => Some(Weekday::Wed),
        "thursday" | "thu" | "thur" | "thurs" => Some(Weekday::Thu),
        "friday" | "fri" => Some(Weekday::Fri),
        "saturday" | "sat" => Some(Weekday::Sat),
        "sunday" | "sun" => Some(Weekday::Sun),
        _ => None,
    }
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn check_weekday(date: NaiveDate, given: Option<Weekday>) -> Result<(), DateError> {
    match given {
        Some(given) if given != date.weekday() => Err(invalid(format!(
            "{} was a {}, not {}",
            date.format("%-d %B %Y"),
            weekday_name(date.weekday()),
            weekday_name(given)
        ))),
        _ => Ok(()),
    }
}

/// `H:MM[:SS[.fff]]`, optional AM/PM, optional UTC offset.
fn parse_time(t: &str) -> Result<(NaiveTime, Option<FixedOffset>), DateError> {
    let clock_len = t
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(t.len());
    let (clock, rest) = t.split_at_checked(clock_len).unwrap_or((t, ""));
    let (hour, minute, second) = parse_clock(clock)?;
    let (hour, rest) = apply_meridiem(hour, rest.trim_start())?;
    let offset = parse_offset(rest.trim())?;
    let time = NaiveTime::from_hms_opt(hour, minute, second).ok_or_else(|| invalid(BAD_TIME))?;
    Ok((time, offset))
}

/// Hour, minute and whole second; a fraction of a second is dropped.
fn parse_clock(clock: &str) -> Result<(u32, u32, u32), DateError> {
    let parts: Vec<&str> = clock.split(':').collect();
    let [hour, minute, rest @ ..] = parts.as_slice() else {
        return Err(invalid(BAD_TIME));
    };
    let second = match rest {
        [] => Some(0),
        [s] => whole_seconds(s),
        _ => None,
    };
    let (Some(hour), Some(minute), Some(second)) =
        (digits(hour, 1, 2), digits(minute, 2, 2), second)
    else {
        return Err(invalid(BAD_TIME));
    };
    if minute > 59 {
        return Err(invalid(format!("minute {minute} does not exist")));
    }
    if second > 59 {
        return Err(invalid(format!("second {second} does not exist")));
    }
    Ok((hour, minute, second))
}

fn whole_seconds(s: &str) -> Option<u32> {
    match s.split_once('.') {
        Some((whole, fraction)) => {
            let fraction_ok = !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit());
            digits(whole, 2, 2).filter(|_| fraction_ok)
        }
        None => digits(s, 2, 2),
    }
}

/// Applies a leading `AM`/`PM` (also `a.m.`/`p.m.`) of `rest` to `hour`.
fn apply_meridiem(hour: u32, rest: &str) -> Result<(u32, &str), DateError> {
    let marker = [("a.m.", 0), ("p.m.", 12), ("am", 0), ("pm", 12)]
        .into_iter()
        .find_map(|(word, add)| {
            let head = rest.get(..word.len())?;
            let tail = rest.get(word.len()..)?;
            let whole_word = !tail.starts_with(|c: char| c.is_alphabetic());
            (head.eq_ignore_ascii_case(word) && whole_word).then_some((add, tail))
        });
    match marker {
        Some((add, tail)) if (1..=12).contains(&hour) => Ok((hour % 12 + add, tail)),
        Some(_) => Err(invalid("with AM/PM the hour must be 1 to 12")),
        None if hour > 23 => Err(invalid(format!("hour {hour} does not exist"))),
        None => Ok((hour, rest)),
    }
}

fn parse_offset(o: &str) -> Result<Option<FixedOffset>, DateError> {
    if o.is_empty() {
        return Ok(None);
    }
    if ["z", "utc", "gmt"]
        .iter()
        .any(|z| o.eq_ignore_ascii_case(z))
    {
        return Ok(Some(Utc.fix()));
    }
    let (sign, amount) = match (o.strip_prefix('+'), o.strip_prefix('-')) {
        (Some(amount), _) => (1, amount),
        (_, Some(amount)) => (-1, amount),
        _ => return Err(invalid(BAD_OFFSET)),
    };
    let (hours, minutes) = match amount.split_once(':') {
        Some(parts) => parts,
        None if amount.len() == 2 => (amount, "00"),
        None => amount
            .split_at_checked(2)
            .ok_or_else(|| invalid(BAD_OFFSET))?,
    };
    let (Some(hours), Some(minutes)) = (digits(hours, 2, 2), digits(minutes, 2, 2)) else {
        return Err(invalid(BAD_OFFSET));
    };
    if hours > 23 || minutes > 59 {
        return Err(invalid(BAD_OFFSET));
    }
    let seconds = i32::try_from(hours * 3600 + minutes * 60).map_err(|_| invalid(BAD_OFFSET))?;
    FixedOffset::east_opt(sign * seconds)
        .map(Some)
        .ok_or_else(|| invalid(BAD_OFFSET))
}

/// Looks at a whole column's slash-date values to decide the order: feed each raw cell; then `decided()`.
#[derive(Debug, Default, Clone)]
pub struct SlashOrderDetector {
    saw_slash: bool,
    day_first: Evidence,
    month_first: Evidence,
}

/// Slash dates that can be read only one way.
#[derive(Debug, Default, Clone)]
struct Evidence {
    count: usize,
    example: Option<String>,
}

impl Evidence {
    fn add(&mut self, example: &str) {
        self.count += 1;
        if self.example.is_none() {
            self.example = Some(example.to_string());
        }
    }
}

impl SlashOrderDetector {
    /// Takes one raw cell into account; cells that are not day/month slash dates are ignored.
    pub fn observe(&mut self, s: &str) {
        let (date, _) = split_time(s.trim());
        let Some((a, b, _)) = slash_parts(date) else {
            return;
        };
        self.saw_slash = true;
        match (a > 12, b > 12) {
            (true, false) => self.day_first.add(date),
            (false, true) => self.month_first.add(date),
            _ => {}
        }
    }

    /// Some(Dmy) if any slash value has first part > 12 (and none has second part > 12), Some(Mdy) if any has second part > 12 (and none first part > 12); None if no evidence (all ambiguous or no slash dates). If evidence conflicts (one value needs DMY, another MDY) return Err(String) describing it.
    pub fn decided(&self) -> Result<Option<DateOrder>, String> {
        match (&self.day_first.example, &self.month_first.example) {
            (Some(dmy), Some(mdy)) => Err(format!(
                "slash dates in this column disagree on day/month order: {} can only be \
                 day/month/year (like {dmy}) and {} only month/day/year (like {mdy})",
                self.day_first.count, self.month_first.count
            )),
            (Some(_), None) => Ok(Some(DateOrder::Dmy)),
            (None, Some(_)) => Ok(Some(DateOrder::Mdy)),
            (None, None) => Ok(None),
        }
    }

    /// true if at least one slash date seen
    pub fn saw_slash_dates(&self) -> bool {
        self.saw_slash
    }
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

/// How a reported figure is qualified ("at least 12").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// The figure as given.
    Exact,
    /// "at least 12", "12+", "minimum 12".
    AtLeast,
    /// "more than 60", "over 60", "> 60".
    MoreThan,
    /// "at most 40", "up to 40".
    AtMost,
    /// "less than 5", "under 5".
    LessThan,
    /// "about 40", "~40", "c. 40".
    About,
    /// "dozens"; no value.
    Dozens,
    /// "hundreds"; no value.
    Hundreds,
    /// "thousands"; no value.
    Thousands,
    /// "several"; no value.
    Several,
}

const QUALIFIERS: [Qualifier; 10] = [
    Qualifier::Exact,
    Qualifier::AtLeast,
    Qualifier::MoreThan,
    Qualifier::AtMost,
    Qualifier::LessThan,
    Qualifier::About,
    Qualifier::Dozens,
    Qualifier::Hundreds,
    Qualifier::Thousands,
    Qualifier::Several,
];

impl Qualifier {
    /// The stored name: "exact", "at_least", "more_than", "at_most",
    /// "less_than", "about", "dozens", "hundreds", "thousands" or "several".
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::AtLeast => "at_least",
            Qualifier::MoreThan => "more_than",
            Qualifier::AtMost => "at_most",
            Qualifier::LessThan => "less_than",
            Qualifier::About => "about",
            Qualifier::Dozens => "dozens",
            Qualifier::Hundreds => "hundreds",
            Qualifier::Thousands => "thousands",
            Qualifier::Several => "several",
        }
    }

    /// Inverse of [`Qualifier::as_str`], in any case, with spaces allowed for underscores.
    pub fn parse(s: &str) -> Option<Qualifier> {
        let name = s.trim().to_ascii_lowercase().replace(' ', "_");
        QUALIFIERS.into_iter().find(|q| q.as_str() == name)
    }

    /// True for the qualifiers that stand without a number.
    pub fn is_vague(self) -> bool {
        matches!(
            self,
            Qualifier::Dozens | Qualifier::Hundreds | Qualifier::Thousands | Qualifier::Several
        )
    }

    fn phrase(self) -> String {
        self.as_str().replace('_', " ")
    }
}

/// A parsed figure cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// The count; None when only a qualifier is known ("dozens") or for a range.
    pub value: Option<i64>,
    /// Low end of a range ("10-15", "10 to 15", "between 10 and 15"); the qualifier is then Exact.
    pub low: Option<i64>,
    /// High end of a range.
    pub high: Option<i64>,
    /// How the figure is qualified.
    pub qualifier: Qualifier,
}

impl Figure {
    /// An exact count: `12`.
    pub fn exact(value: i64) -> Figure {
        Figure::qualified(Qualifier::Exact, value)
    }

    /// A qualified count: `at least 12`.
    pub fn qualified(qualifier: Qualifier, value: i64) -> Figure {
        Figure {
            value: Some(value),
            low: None,
            high: None,
            qualifier,
        }
    }

    /// A qualifier without a number: `dozens`.
    pub fn vague(qualifier: Qualifier) -> Figure {
        Figure {
            value: None,
            low: None,
            high: None,
            qualifier,
        }
    }

    /// A range: `10-15`.
    pub fn range(low: i64, high: i64) -> Figure {
        Figure {
            value: None,
            low: Some(low),
            high: Some(high),
            qualifier: Qualifier::Exact,
        }
    }
}

/// Canonical cell text that [`parse_figure`] reads back to the same figure
/// (for figures it can produce: non-negative, at most 10^15).
impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(low), Some(high)) = (self.low, self.high) {
            return write!(f, "{low}-{high}");
        }
        match (self.qualifier, self.value) {
            (Qualifier::Exact, Some(value)) => write!(f, "{value}"),
            (Qualifier::Exact, None) => Ok(()),
            (q, Some(value)) if !q.is_vague() => write!(f, "{} {value}", q.phrase()),
            (q, _) => f.write_str(&q.phrase()),
        }
    }
}

/// Why a figure cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureError {
    /// A minus sign before the count.
    Negative,
    /// A decimal with a non-zero fraction.
    NotWhole,
    /// Separators that can be read two ways; the String explains both.
    Ambiguous(String),
    /// Not a figure; the String says what was expected or what is wrong.
    Invalid(String),
    /// Above 10^15.
    TooLarge,
}

impl fmt::Display for FigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FigureError::Negative => f.write_str("a count cannot be negative"),
            FigureError::NotWhole => f.write_str("a count must be a whole number"),
            FigureError::Ambiguous(message) | FigureError::Invalid(message) => f.write_str(message),
            FigureError::TooLarge => f.write_str("a count cannot be above 10^15"),
        }
    }
}

impl std::error::Error for FigureError {}

/// Context that affects how separators are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct NumberContext {
    /// The file's field delimiter; b';' means ',' may be a decimal comma (European), so "1,234" is ambiguous there.
    pub delimiter: Option<u8>,
}

impl NumberContext {
    fn decimal_comma_possible(self) -> bool {
        self.delimiter == Some(b';')
    }
}

/// The largest count sitrep accepts (10^15): larger numbers are errors, not figures.
pub const MAX_COUNT: i64 = 1_000_000_000_000_000;
const SEPARATORS: [char; 3] = [',', '.', ' '];
const NOT_A_FIGURE: &str = "not a figure: expected a count like 12 or 1,234, a range like 10-15, \
                            or a qualified count like \"at least 12\", \"about 40\" or \"dozens\"";
const TEXT_AFTER_NUMBER: &str = "text follows the number; a figure cell holds only a count, \
                                 optionally qualified as in \"at least 12\"";
const SCIENTIFIC: &str = "scientific notation is not read; write the count out in full";
const BAD_GROUPS: &str = "digit groups must be thousands, as in 1,234,567 or 1 234 567";
const BAD_COMMA: &str = "a comma in a number must separate groups of three digits, as in 1,234";
const BLANKS: [&str; 8] = ["nan", "null", "none", "na", "n/a", "-", "–", "—"];

/// Phrases before a count, matched whole-word and longest first.
const PREFIXES: [(&str, Qualifier); 43] = [
    ("at least", Qualifier::AtLeast),
    ("not less than", Qualifier::AtLeast),
    ("no less than", Qualifier::AtLeast),
    ("not fewer than", Qualifier::AtLeast),
    ("no fewer than", Qualifier::AtLeast),
    ("minimum of", Qualifier::AtLeast),
    ("minimum", Qualifier::AtLeast),
    ("min.", Qualifier::AtLeast),
    ("min", Qualifier::AtLeast),
    (">=", Qualifier::AtLeast),
    ("≥", Qualifier::AtLeast),
    ("more than", Qualifier::MoreThan),
    ("greater than", Qualifier::MoreThan),
    ("over", Qualifier::MoreThan),
    ("above", Qualifier::MoreThan),
    (">", Qualifier::MoreThan),
    ("up to", Qualifier::AtMost),
    ("at most", Qualifier::AtMost),
    ("not more than", Qualifier::AtMost),
    ("no more than", Qualifier::AtMost),
    ("maximum of", Qualifier::AtMost),
    ("maximum", Qualifier::AtMost),
    ("max.", Qualifier::AtMost),
    ("max", Qualifier::AtMost),
    ("<=", Qualifier::AtMost),
    ("≤", Qualifier::AtMost),
    ("less than", Qualifier::LessThan),
    ("fewer than", Qualifier::LessThan),
    ("under", Qualifier::LessThan),
    ("below", Qualifier::LessThan),
    ("<", Qualifier::LessThan),
    ("about", Qualifier::About),
    ("around", Qualifier::About),
    ("approximately", Qualifier::About),
    ("approx.", Qualifier::About),
    ("approx", Qualifier::About),
    ("roughly", Qualifier::About),
    ("nearly", Qualifier::About),
    ("some", Qualifier::About),
    ("circa", Qualifier::About),
    ("ca.", Qualifier::About),
    ("c.", Qualifier::About),
    ("~", Qualifier::About),
];

/// Phrases after a count.
const SUFFIXES: [(&str, Qualifier); 4] = [
    ("+", Qualifier::AtLeast),
    (" or more", Qualifier::AtLeast),
    (" or fewer", Qualifier::AtMost),
    (" or less", Qualifier::AtMost),
];

const UNIT_WORDS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS_WORDS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn invalid_figure(message: impl Into<String>) -> FigureError {
    FigureError::Invalid(message.into())
}

/// Parse one figure cell. Trimmed; empty => Ok(None) (unknown, never 0). Also Ok(None) for "NaN", "nan", "null", "None", "NA", "N/A", "-" (spreadsheet/pandas blanks).
///
/// The blank markers are matched in any case, and a lone en or em dash is blank too.
pub fn parse_figure(s: &str, ctx: NumberContext) -> Result<Option<Figure>, FigureError> {
    let text = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if text.is_empty() || BLANKS.contains(&text.as_str()) {
        return Ok(None);
    }
    parse_figure_text(&text, ctx).map(Some)
}

/// `text` is lower-case with single spaces.
fn parse_figure_text(text: &str, ctx: NumberContext) -> Result<Figure, FigureError> {
    if let Some(q) = vague_qualifier(text) {
        return Ok(Figure::vague(q));
    }
    if let Some(rest) = text.strip_prefix("between ") {
        let (low, high) = rest
            .split_once(" and ")
            .ok_or_else(|| invalid_figure("expected the form \"between 10 and 15\""))?;
        return range(low, high, ctx);
    }
    if let Some((q, rest)) = qualifier_prefix(text).or_else(|| qualifier_suffix(text)) {
        return Ok(Figure::qualified(q, parse_count(rest, ctx)?));
    }
    if let Some((low, high)) = split_range(text) {
        return range(low, high, ctx);
    }
    Ok(Figure::exact(parse_count(text, ctx)?))
}

fn vague_qualifier(text: &str) -> Option<Qualifier> {
    let word = text.strip_suffix(" of").unwrap_or(text);
    QUALIFIERS
        .into_iter()
        .find(|q| q.is_vague() && q.as_str() == word)
}

fn qualifier_prefix(text: &str) -> Option<(Qualifier, &str)> {
    PREFIXES
        .iter()
        .filter_map(|&(prefix, q)| {
            let rest = text.strip_prefix(prefix)?;
            let ends_word = prefix.ends_with(char::is_alphabetic);
            let whole_word = !(ends_word && rest.starts_with(char::is_alphabetic));
            whole_word.then_some((prefix.len(), q, rest.trim_start()))
        })
        .max_by_key(|&(len, ..)| len)
        .map(|(_, q, rest)| (q, rest))
}

fn qualifier_suffix(text: &str) -> Option<(Qualifier, &str)> {
    SUFFIXES
        .iter()
        .find_map(|&(suffix, q)| Some((q, text.strip_suffix(suffix)?.trim_end())))
}

/// `10 to 15`, `10-15`, `10–15`, `10—15`; dashes only between digit-led sides.
fn split_range(text: &str) -> Option<(&str, &str)> {
    if let Some(sides) = text.split_once(" to ") {
        return Some(sides);
    }
    let (low, high) = text.split_once(['-', '–', '—'])?;
    low.trim_end()
        .starts_with(|c: char| c.is_ascii_digit())
        .then_some((low, high))
}

fn range(low: &str, high: &str, ctx: NumberContext) -> Result<Figure, FigureError> {
    let low = parse_count(low, ctx)?;
    let high = parse_count(high, ctx)?;
    if low > high {
        return Err(invalid_figure(
            "the low end of the range is above its high end",
        ));
    }
    Ok(Figure::range(low, high))
}

/// A count in digits or English words.
fn parse_count(text: &str, ctx: NumberContext) -> Result<i64, FigureError> {
    let text = text.trim();
    match number_word(text) {
        Some(n) => Ok(n),
        None => parse_number(text, ctx),
    }
}

/// `zero`..`nineteen`, `twenty`..`ninety` with an optional unit (`twenty-five`),
/// `(a|one) dozen`, `a/one hundred`, `a/one thousand`.
fn number_word(text: &str) -> Option<i64> {
    match text {
        "dozen" | "a dozen" | "one dozen" => return Some(12),
        "a hundred" | "one hundred" => return Some(100),
        "a thousand" | "one thousand" => return Some(1000),
        _ => {}
    }
    if let Some(n) = word_value(&UNIT_WORDS, text) {
        return Some(n);
    }
    let (tens, unit) = match text.split_once(['-', ' ']) {
        Some((tens, unit)) => (tens, Some(unit)),
        None => (text, None),
    };
    let tens = 20 + 10 * word_value(&TENS_WORDS, tens)?;
    match unit {
        None => Some(tens),
        Some(unit) => word_value(&UNIT_WORDS, unit)
            .filter(|n| (1..=9).contains(n))
            .map(|n| tens + n),
    }
}

fn word_value(words: &[&str], text: &str) -> Option<i64> {
    words
        .iter()
        .position(|&w| w == text)
        .and_then(|i| i64::try_from(i).ok())
}

/// A count in digits, with optional sign and thousands separators.
fn parse_number(text: &str, ctx: NumberContext) -> Result<i64, FigureError> {
    let unsigned = text.strip_prefix('+').unwrap_or(text).trim_start();
    if let Some(rest) = unsigned.strip_prefix(['-', '−']) {
        return if rest.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
            Err(FigureError::Negative)
        } else {
            Err(invalid_figure(NOT_A_FIGURE))
        };
    }
    if !unsigned.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(invalid_figure(NOT_A_FIGURE));
    }
    let body_len = unsigned
        .find(|c: char| !(c.is_ascii_digit() || SEPARATORS.contains(&c)))
        .unwrap_or(unsigned.len());
    let (body, tail) = unsigned
        .split_at_checked(body_len)
        .unwrap_or((unsigned, ""));
    if !tail.is_empty() {
        return Err(tail_error(tail));
    }
    let (whole, fraction) = split_separators(body.trim_end(), ctx)?;
    if fraction.bytes().any(|b| b != b'0') {
        return Err(FigureError::NotWhole);
    }
    to_count(&whole)
}

fn tail_error(tail: &str) -> FigureError {
    let exponent = tail
        .strip_prefix('e')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-'));
    invalid_figure(if exponent {
        SCIENTIFIC
    } else {
        TEXT_AFTER_NUMBER
    })
}

/// Whole-number digits and fraction digits of digits separated by `,`, `.` or ` `.
fn split_separators(body: &str, ctx: NumberContext) -> Result<(String, &str), FigureError> {
    let groups: Vec<&str> = body.split(SEPARATORS).collect();
    let seps: Vec<char> = body.chars().filter(|c| SEPARATORS.contains(c)).collect();
    if groups.iter().any(|g| g.is_empty()) {
        return Err(invalid_figure(BAD_GROUPS));
    }
    let (Some((&last, earlier)), Some((&fraction, whole))) =
        (seps.split_last(), groups.split_last())
    else {
        return Ok((body.to_string(), ""));
    };
    match (earlier.first(), whole) {
        (None, [whole]) if last != ' ' => single_separator(last, whole, fraction, ctx),
        (Some(&first), _)
            if first != last && last != ' ' && earlier.iter().all(|&c| c == first) =>
        {
            Ok((grouped(whole)?, fraction))
        }
        _ if seps.iter().all(|&c| c == last) => Ok((grouped(&groups)?, "")),
        _ => Err(invalid_figure(BAD_GROUPS)),
    }
}

/// `whole` and `fraction` around one `,` or `.`.
fn single_separator<'a>(
    sep: char,
    whole: &str,
    fraction: &'a str,
    ctx: NumberContext,
) -> Result<(String, &'a str), FigureError> {
    let groupable = fraction.len() == 3 && is_lead_group(whole);
    match sep {
        '.' if groupable => Err(FigureError::Ambiguous(format!(
            "{whole}.{fraction} could be the whole number {whole}{fraction} (dot as thousands \
             separator) or the decimal {whole}.{fraction}; write it without separators"
        ))),
        ',' if groupable && ctx.decimal_comma_possible() => Err(FigureError::Ambiguous(format!(
            "{whole},{fraction} could be {whole}{fraction} or the decimal {whole}.{fraction} in a \
             semicolon-separated file; write it without separators"
        ))),
        ',' if groupable => Ok((format!("{whole}{fraction}"), "")),
        ',' if !ctx.decimal_comma_possible() => Err(invalid_figure(BAD_COMMA)),
        _ => Ok((whole.to_string(), fraction)),
    }
}

/// The first group of a thousands-grouped number: 1-3 digits, no leading zero.
fn is_lead_group(group: &str) -> bool {
    (1..=3).contains(&group.len()) && !group.starts_with('0')
}

fn grouped(groups: &[&str]) -> Result<String, FigureError> {
    match groups {
        [lead, rest @ ..] if is_lead_group(lead) && rest.iter().all(|g| g.len() == 3) => {
            Ok(groups.concat())
        }
        _ => Err(invalid_figure(BAD_GROUPS)),
    }
}

fn to_count(digits: &str) -> Result<i64, FigureError> {
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return Ok(0);
    }
    if significant.len() > 16 {
        return Err(FigureError::TooLarge);
    }
    let n: i64 = significant
        .parse()
        .map_err(|_| invalid_figure(NOT_A_FIGURE))?;
    if n > MAX_COUNT {
        Err(FigureError::TooLarge)
    } else {
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn hms(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap()
    }

    fn east(hours: i32) -> FixedOffset {
        FixedOffset::east_opt(hours * 3600).unwrap()
    }

    /// Parses with no order given; panics (in tests only) on error or blank.
    fn date(s: &str) -> ParsedDate {
        parse_date(s, None).unwrap().unwrap()
    }

    fn date_with(s: &str, order: DateOrder) -> ParsedDate {
        parse_date(s, Some(order)).unwrap().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        let parsed = date(s);
        assert_eq!(parsed.precision, Precision::Day, "{s}");
        parsed.date
    }

    fn date_err(s: &str) -> String {
        match parse_date(s, None) {
            Err(DateError::Invalid(message)) => message,
            other => panic!("{s:?} gave {other:?}"),
        }
    }

    fn fig(s: &str) -> Figure {
        parse_figure(s, NumberContext::default()).unwrap().unwrap()
    }

    fn fig_err(s: &str) -> FigureError {
        parse_figure(s, NumberContext::default()).unwrap_err()
    }

    fn semicolon() -> NumberContext {
        NumberContext {
            delimiter: Some(b';'),
        }
    }

    fn invalid_fig(message: &str) -> FigureError {
        FigureError::Invalid(message.to_string())
    }

    // --- Precision and DateOrder ---

    #[test]
    fn precision_as_str() {
        assert_eq!(Precision::Day.as_str(), "day");
        assert_eq!(Precision::Week.as_str(), "week");
        assert_eq!(Precision::Month.as_str(), "month");
        assert_eq!(Precision::Year.as_str(), "year");
    }

    #[test]
    fn precision_parse_words_letters_and_acled_codes() {
        for p in [
            Precision::Day,
            Precision::Week,
            Precision::Month,
            Precision::Year,
        ] {
            assert_eq!(Precision::parse(p.as_str()), Some(p));
            assert_eq!(Precision::parse(&p.as_str().to_uppercase()), Some(p));
        }
        assert_eq!(Precision::parse(" Month "), Some(Precision::Month));
        assert_eq!(Precision::parse("1"), Some(Precision::Day));
        assert_eq!(Precision::parse("2"), Some(Precision::Week));
        assert_eq!(Precision::parse("3"), Some(Precision::Month));
        assert_eq!(Precision::parse("d"), Some(Precision::Day));
        assert_eq!(Precision::parse("W"), Some(Precision::Week));
        assert_eq!(Precision::parse("m"), Some(Precision::Month));
        assert_eq!(Precision::parse("Y"), Some(Precision::Year));
    }

    #[test]
    fn precision_parse_rejects_others() {
        for s in ["", "4", "0", "days", "decade", "🙂"] {
            assert_eq!(Precision::parse(s), None, "{s}");
        }
    }

    #[test]
    fn date_order_as_str_and_parse() {
        assert_eq!(DateOrder::Dmy.as_str(), "dmy");
        assert_eq!(DateOrder::Mdy.as_str(), "mdy");
        assert_eq!(DateOrder::parse("DMY"), Some(DateOrder::Dmy));
        assert_eq!(DateOrder::parse("m/d/y"), Some(DateOrder::Mdy));
        assert_eq!(DateOrder::parse("ymd"), None);
    }

    // --- ISO dates and times ---

    #[test]
    fn blank_dates_are_unknown() {
        assert_eq!(parse_date("", None), Ok(None));
        assert_eq!(parse_date("   \t ", None), Ok(None));
        assert_eq!(parse_date("\u{a0}", Some(DateOrder::Mdy)), Ok(None));
    }

    #[test]
    fn iso_date() {
        let parsed = date("2025-06-01");
        assert_eq!(parsed, ParsedDate::new(ymd(2025, 6, 1), Precision::Day));
        assert_eq!(parsed.iso_date(), "2025-06-01");
        assert_eq!(parsed.iso_datetime(), None);
    }

    #[test]
    fn iso_date_unpadded_and_surrounding_spaces() {
        assert_eq!(day("2025-6-1"), ymd(2025, 6, 1));
        assert_eq!(day("  2025-06-01   "), ymd(2025, 6, 1));
    }

    #[test]
    fn iso_date_with_minutes() {
        let parsed = date("2025-06-01 13:30");
        assert_eq!(parsed.time, Some(hms(13, 30, 0)));
        assert_eq!(parsed.offset, None);
        assert_eq!(
            parsed.iso_datetime().as_deref(),
            Some("2025-06-01T13:30:00")
        );
        assert_eq!(date("2025-06-01 9:05").time, Some(hms(9, 5, 0)));
    }

    #[test]
    fn iso_datetime_with_t_and_seconds() {
        let parsed = date("2025-06-01T13:30:00");
        assert_eq!(parsed.date, ymd(2025, 6, 1));
        assert_eq!(parsed.time, Some(hms(13, 30, 0)));
        assert_eq!(parsed.offset, None);
        assert_eq!(date("2025-06-01t07:08:09").time, Some(hms(7, 8, 9)));
    }

    #[test]
    fn iso_datetime_zulu_is_utc() {
        let parsed = date("2025-06-01T13:30:00Z");
        assert_eq!(parsed.offset, Some(east(0)));
        assert_eq!(
            parsed.iso_datetime().as_deref(),
            Some("2025-06-01T13:30:00+00:00")
        );
        assert_eq!(date("2025-06-01 13:30 UTC").offset, Some(east(0)));
    }

    #[test]
    fn iso_datetime_with_offsets() {
        let parsed = date("2025-06-01T13:30:00+03:00");
        assert_eq!(parsed.time, Some(hms(13, 30, 0)));
        assert_eq!(parsed.offset, Some(east(3)));
        assert_eq!(
            parsed.iso_datetime().as_deref(),
            Some("2025-06-01T13:30:00+03:00")
        );

        let fractional = date("2025-06-01T13:30:00.123+0300");
        assert_eq!(fractional.time, Some(hms(13, 30, 0)));
        assert_eq!(fractional.offset, Some(east(3)));

        let spaced = date("2025-06-01 13:30:00 +03:00");
        assert_eq!(spaced.offset, Some(east(3)));

        let negative = date("2025-06-01T13:30:00-05:30");
        assert_eq!(negative.offset, FixedOffset::west_opt(5 * 3600 + 1800));
        assert_eq!(
            negative.iso_datetime().as_deref(),
            Some("2025-06-01T13:30:00-05:30")
        );
        assert_eq!(date("2025-06-01T13:30-04").offset, Some(east(-4)));
    }

    #[test]
    fn bad_times_and_offsets() {
        assert_eq!(date_err("2025-06-01 25:00"), "hour 25 does not exist");
        assert_eq!(date_err("2025-06-01 13:61"), "minute 61 does not exist");
        assert_eq!(date_err("2025-06-01 13:30:75"), "second 75 does not exist");
        assert_eq!(date_err("2025-06-01 13:3"), BAD_TIME);
        assert_eq!(date_err("2025-06-01 13:30:00:00"), BAD_TIME);
        assert_eq!(date_err("2025-06-01T13:30:00+3"), BAD_OFFSET);
        assert_eq!(date_err("2025-06-01T13:30:00+24:00"), BAD_OFFSET);
        assert_eq!(date_err("2025-06-01T13:30:00 CEST"), BAD_OFFSET);
    }

    #[test]
    fn glued_time_is_not_a_date() {
        assert_eq!(date_err("2025-06-0113:30"), NOT_A_DATE);
    }

    // --- Month names ---

    #[test]
    fn day_month_name_year() {
        for s in [
            "1 June 2025",
            "01 Jun 2025",
            "1 june 2025",
            "1 JUNE 2025",
            "1st June 2025",
        ] {
            assert_eq!(day(s), ymd(2025, 6, 1), "{s}");
        }
    }

    #[test]
    fn month_name_day_year() {
        for s in [
            "June 1, 2025",
            "Jun 1 2025",
            "Jun. 1, 2025",
            "June 1st, 2025",
        ] {
            assert_eq!(day(s), ymd(2025, 6, 1), "{s}");
        }
    }

    #[test]
    fn dashed_month_names() {
        assert_eq!(day("1-Jun-2025"), ymd(2025, 6, 1));
        assert_eq!(day("2025-Jun-01"), ymd(2025, 6, 1));
    }

    #[test]
    fn sept_and_other_abbreviations() {
        assert_eq!(day("3 Sept 2025"), ymd(2025, 9, 3));
        assert_eq!(day("Sept. 3, 2025"), ymd(2025, 9, 3));
        assert_eq!(day("3 Sep 2025"), ymd(2025, 9, 3));
        assert_eq!(day("May 5 2025"), ymd(2025, 5, 5));
        assert_eq!(day("29 Feb 2024"), ymd(2024, 2, 29));
    }

    #[test]
    fn correct_weekday_is_accepted() {
        assert_eq!(day("Sunday, June 1, 2025"), ymd(2025, 6, 1));
        assert_eq!(day("Sunday 1 June 2025"), ymd(2025, 6, 1));
        assert_eq!(day("Sun, 1 Jun 2025"), ymd(2025, 6, 1));
        assert_eq!(day("Thurs. June 5, 2025"), ymd(2025, 6, 5));
    }

    #[test]
    fn wrong_weekday_is_named() {
        assert_eq!(
            date_err("Monday, June 1, 2025"),
            "1 June 2025 was a Sunday, not Monday"
        );
        assert_eq!(
            date_err("Fri 1 Jun 2025"),
            "1 June 2025 was a Sunday, not Friday"
        );
    }

    #[test]
    fn month_name_with_time() {
        let parsed = date("Sunday, June 1, 2025 1:30 PM");
        assert_eq!(parsed.date, ymd(2025, 6, 1));
        assert_eq!(parsed.time, Some(hms(13, 30, 0)));
        assert_eq!(date("1 June 2025, 13:30").time, Some(hms(13, 30, 0)));
    }

    #[test]
    fn month_name_errors() {
        assert_eq!(date_err("31 June 2025"), "June 2025 has no day 31");
        assert_eq!(
            date_err("1 Juin 2025"),
            "unknown word in a date; month and weekday names must be English, like June, Jun or Sunday"
        );
        assert_eq!(date_err("1 Jun 25"), "the year must have four digits");
        assert_eq!(date_err("Jun 1 25"), "the year must have four digits");
        assert_eq!(
            date_err("1 Jun 202"),
            "a day must have one or two digits and the year four digits"
        );
        assert_eq!(date_err("June 1"), NOT_A_DATE);
        assert_eq!(date_err("Sunday June 2025"), NOT_A_DATE);
        assert_eq!(date_err("June June 2025"), NOT_A_DATE);
    }

    // --- Dotted and year-first dates ---

    #[test]
    fn dotted_dates_are_day_first() {
        assert_eq!(day("01.06.2025"), ymd(2025, 6, 1));
        assert_eq!(day("1.6.2025"), ymd(2025, 6, 1));
        assert_eq!(
            date_with("01.06.2025", DateOrder::Mdy).date,
            ymd(2025, 6, 1)
        );
        assert_eq!(date("01.06.2025 14:30").time, Some(hms(14, 30, 0)));
    }

    #[test]
    fn dotted_impossible_dates() {
        assert_eq!(date_err("31.04.2025"), "April 2025 has no day 31");
        assert_eq!(date_err("01.13.2025"), "month 13 does not exist");
    }

    #[test]
    fn year_first_slash_and_dot() {
        assert_eq!(day("2025/06/01"), ymd(2025, 6, 1));
        assert_eq!(day("2025/6/1"), ymd(2025, 6, 1));
        assert_eq!(day("2025.06.01"), ymd(2025, 6, 1));
        assert_eq!(
            date_with("2025/06/01", DateOrder::Mdy).date,
            ymd(2025, 6, 1)
        );
        assert_eq!(date("2025/06/01 08:00").time, Some(hms(8, 0, 0)));
    }

    #[test]
    fn impossible_iso_dates() {
        assert_eq!(date_err("2025-02-30"), "February 2025 has no day 30");
        assert_eq!(date_err("2025-13-01"), "month 13 does not exist");
        assert_eq!(date_err("2025-00-10"), "month 0 does not exist");
        assert_eq!(date_err("2025-06-00"), "day 0 does not exist");
        assert_eq!(date_err("2023-02-29"), "February 2023 has no day 29");
    }

    // --- Slash day/month dates ---

    #[test]
    fn slash_first_part_above_twelve_is_day_first() {
        assert_eq!(day("13/04/2025"), ymd(2025, 4, 13));
        assert_eq!(day("31/1/2025"), ymd(2025, 1, 31));
    }

    #[test]
    fn slash_second_part_above_twelve_is_month_first() {
        assert_eq!(day("04/13/2025"), ymd(2025, 4, 13));
        assert_eq!(day("1/31/2025"), ymd(2025, 1, 31));
    }

    #[test]
    fn slash_ambiguous_without_order() {
        assert_eq!(parse_date("03/04/2025", None), Err(DateError::Ambiguous));
        assert_eq!(parse_date("3/4/2025", None), Err(DateError::Ambiguous));
        assert_eq!(
            parse_date("3/4/2025 10:00", None),
            Err(DateError::Ambiguous)
        );
    }

    #[test]
    fn slash_equal_parts_are_unambiguous() {
        assert_eq!(day("05/05/2025"), ymd(2025, 5, 5));
        assert_eq!(day("12/12/2025"), ymd(2025, 12, 12));
    }

    #[test]
    fn slash_with_given_order() {
        assert_eq!(
            date_with("03/04/2025", DateOrder::Dmy).date,
            ymd(2025, 4, 3)
        );
        assert_eq!(
            date_with("03/04/2025", DateOrder::Mdy).date,
            ymd(2025, 3, 4)
        );
        assert_eq!(date_with("3/4/2025", DateOrder::Mdy).date, ymd(2025, 3, 4));
    }

    #[test]
    fn slash_impossible_under_given_order() {
        assert_eq!(
            parse_date("13/04/2025", Some(DateOrder::Mdy)),
            Err(DateError::Invalid(
                "month 13 does not exist (read as month/day/year)".into()
            ))
        );
        assert_eq!(
            parse_date("31/02/2025", None),
            Err(DateError::Invalid(
                "February 2025 has no day 31 (read as day/month/year)".into()
            ))
        );
        assert_eq!(
            date_err("13/13/2025"),
            "neither part of this slash date can be a month (both are above 12)"
        );
        assert_eq!(
            date_err("0/5/2025"),
            "a slash date cannot have a day or month of 0"
        );
    }

    #[test]
    fn slash_with_times() {
        let midnight = date_with("06/01/2025 00:00:00", DateOrder::Mdy);
        assert_eq!(midnight.date, ymd(2025, 6, 1));
        assert_eq!(midnight.time, Some(hms(0, 0, 0)));

        let am = date_with("6/1/2025 12:00:00 AM", DateOrder::Mdy);
        assert_eq!(am.date, ymd(2025, 6, 1));
        assert_eq!(am.time, Some(hms(0, 0, 0)));
        assert_eq!(am.iso_datetime().as_deref(), Some("2025-06-01T00:00:00"));

        let afternoon = date_with("06/01/2025 14:30", DateOrder::Dmy);
        assert_eq!(afternoon.date, ymd(2025, 1, 6));
        assert_eq!(afternoon.time, Some(hms(14, 30, 0)));
    }

    #[test]
    fn meridiem_forms() {
        let at = |s: &str| date_with(s, DateOrder::Mdy).time;
        assert_eq!(at("6/1/2025 12:00:00 PM"), Some(hms(12, 0, 0)));
        assert_eq!(at("6/1/2025 1:30 pm"), Some(hms(13, 30, 0)));
        assert_eq!(at("6/1/2025 11:59:59 p.m."), Some(hms(23, 59, 59)));
        assert_eq!(at("6/1/2025 9:00 a.m."), Some(hms(9, 0, 0)));
        assert_eq!(at("6/1/2025 1:30PM"), Some(hms(13, 30, 0)));
        assert_eq!(
            parse_date("6/1/2025 13:00 PM", Some(DateOrder::Mdy)),
            Err(DateError::Invalid(
                "with AM/PM the hour must be 1 to 12".into()
            ))
        );
    }

    #[test]
    fn two_digit_years_and_dashed_day_month_are_refused() {
        assert_eq!(date_err("03/04/25"), "the year must have four digits");
        assert_eq!(
            date_err("01-06-2025"),
            "day and month before the year with dashes is not read; write 2025-06-01, 01.06.2025 or 01/06/2025"
        );
    }

    // --- Plain numbers ---

    #[test]
    fn excel_serials() {
        let parsed = date("45809");
        assert_eq!(parsed, ParsedDate::new(ymd(2025, 6, 1), Precision::Day));
        assert_eq!(day("20000"), ymd(1954, 10, 3));
        assert_eq!(day("80000"), ymd(2119, 1, 11));
        assert_eq!(date_err("19999"), NOT_A_DATE_NUMBER);
        assert_eq!(date_err("80001"), NOT_A_DATE_NUMBER);
    }

    #[test]
    fn excel_serials_with_fraction() {
        let noon = date("45809.5");
        assert_eq!(noon.date, ymd(2025, 6, 1));
        assert_eq!(noon.time, Some(hms(12, 0, 0)));
        assert_eq!(noon.offset, None);
        assert_eq!(date("45809.333333333").time, Some(hms(8, 0, 0)));
        assert_eq!(date("45809.0").time, None);
        let rolled = date("45809.999999999");
        assert_eq!((rolled.date, rolled.time), (ymd(2025, 6, 2), None));
        assert_eq!(date_err("45809."), NOT_A_DATE_NUMBER);
        assert_eq!(date_err(".5"), NOT_A_DATE_NUMBER);
        assert_eq!(date_err("2025.5"), NOT_A_DATE_NUMBER);
    }

    #[test]
    fn unix_seconds_and_milliseconds() {
        let parsed = date("1748736000");
        assert_eq!(parsed.date, ymd(2025, 6, 1));
        assert_eq!(parsed.time, Some(hms(0, 0, 0)));
        assert_eq!(parsed.offset, Some(east(0)));
        assert_eq!(
            parsed.iso_datetime().as_deref(),
            Some("2025-06-01T00:00:00+00:00")
        );
        assert_eq!(date("100000000").date, ymd(1973, 3, 3));
        let millis = date("1748736000500");
        assert_eq!(
            (millis.date, millis.time),
            (ymd(2025, 6, 1), Some(hms(0, 0, 0)))
        );
        assert_eq!(date("1748781045000").time, Some(hms(12, 30, 45)));
    }

    #[test]
    fn other_plain_numbers_are_refused() {
        for s in [
            "1",
            "12",
            "123",
            "123456",
            "1234567",
            "12345678901",
            "123456789012",
            "099999999",
        ] {
            assert_eq!(date_err(s), NOT_A_DATE_NUMBER, "{s}");
        }
    }

    #[test]
    fn bare_years() {
        assert_eq!(
            date("2025"),
            ParsedDate::new(ymd(2025, 1, 1), Precision::Year)
        );
        assert_eq!(date("1900").date, ymd(1900, 1, 1));
        assert_eq!(date("2100").date, ymd(2100, 1, 1));
        assert_eq!(
            date_err("1899"),
            "a bare year must be between 1900 and 2100"
        );
        assert_eq!(
            date_err("2101"),
            "a bare year must be between 1900 and 2100"
        );
    }

    #[test]
    fn compact_dates() {
        assert_eq!(day("20250601"), ymd(2025, 6, 1));
        assert_eq!(date_err("20251301"), "month 13 does not exist");
        assert_eq!(date_err("30250601"), NOT_A_DATE_NUMBER);
    }

    // --- Month, week and year precision ---

    #[test]
    fn month_precision() {
        let expected = ParsedDate::new(ymd(2025, 6, 1), Precision::Month);
        for s in [
            "2025-06",
            "2025-6",
            "June 2025",
            "Jun 2025",
            "june, 2025",
            "06/2025",
            "2025/06",
        ] {
            assert_eq!(date(s), expected, "{s}");
        }
        assert_eq!(date_err("2025-13"), "month 13 does not exist");
    }

    #[test]
    fn time_needs_a_full_date() {
        let message = "a time of day needs a full date, not just a month or year";
        assert_eq!(date_err("2025-06 13:00"), message);
        assert_eq!(date_err("June 2025 13:00"), message);
    }

    #[test]
    fn iso_weeks() {
        assert_eq!(
            date("2025-W23"),
            ParsedDate::new(ymd(2025, 6, 2), Precision::Week)
        );
        assert_eq!(date("2025-w1").date, ymd(2024, 12, 30));
        assert_eq!(date_err("2025-W54"), "week 54 does not exist in 2025");
    }

    // --- Garbage ---

    #[test]
    fn garbage_dates() {
        for s in [
            "yesterday",
            "n/a",
            "2025-06-01-02",
            "2025--06",
            "13:30",
            "2025 06 01",
            "1/2/3/2025",
        ] {
            let err = parse_date(s, None).unwrap_err();
            assert!(matches!(err, DateError::Invalid(_)), "{s}: {err:?}");
        }
        assert_eq!(
            date_err("yesterday"),
            "unknown word in a date; month and weekday names must be English, like June, Jun or Sunday"
        );
        assert_eq!(date_err("2025 06 01"), NOT_A_DATE);
        assert_eq!(date_err("13:30"), NOT_A_DATE);
    }

    #[test]
    fn date_error_display() {
        assert_eq!(
            DateError::Ambiguous.to_string(),
            "the day/month order of this slash date cannot be told (both parts are 12 or less); \
             state whether the column is day-first or month-first"
        );
        assert_eq!(
            DateError::Invalid("month 13 does not exist".into()).to_string(),
            "month 13 does not exist"
        );
    }

    #[test]
    fn hostile_date_input_never_panics() {
        let long_digits = "9".repeat(100_000);
        let long_fraction = format!("45809.{}", "3".repeat(100_000));
        let long_text = "June ".repeat(50_000);
        let inputs = [
            "🙂",
            "2025-06-01🙂",
            "🙂:🙂",
            "1:🙂",
            "é1:00",
            "2025-06-01T13:3🙂",
            "２０２５-０６-０１",
            "٢٠٢٥",
            "2025-06-01 13:30 +🙂",
            "2025-06-01 12:00 ÄM",
            "1 Jünè 2025",
            "1st🙂 June 2025",
            "::::",
            "-",
            ".",
            "..",
            "/",
            "T:",
            "2025-W",
            "2025-W🙂",
            "Sunday",
            "1 1 1",
            "2025-06-01\u{a0}13:30",
            "9999-12-31",
            "0000-01-01",
            long_digits.as_str(),
            long_fraction.as_str(),
            long_text.as_str(),
        ];
        for s in inputs {
            let _ = parse_date(s, None);
            let _ = parse_date(s, Some(DateOrder::Mdy));
            let mut detector = SlashOrderDetector::default();
            detector.observe(s);
            let _ = detector.decided();
        }
        assert_eq!(date("45809.5 ").time, Some(hms(12, 0, 0)));
        assert_eq!(date(&long_fraction).time, Some(hms(8, 0, 0)));
        assert_eq!(date("2025-06-01\u{a0}13:30").time, Some(hms(13, 30, 0)));
    }

    // --- SlashOrderDetector ---

    #[test]
    fn detector_finds_day_first() {
        let mut detector = SlashOrderDetector::default();
        for s in ["03/04/2025", "13/04/2025 10:00", "", "2025-06-01"] {
            detector.observe(s);
        }
        assert!(detector.saw_slash_dates());
        assert_eq!(detector.decided(), Ok(Some(DateOrder::Dmy)));
    }

    #[test]
    fn detector_finds_month_first() {
        let mut detector = SlashOrderDetector::default();
        for s in ["3/4/2025", " 04/13/2025 ", "6/1/2025 12:00:00 AM"] {
            detector.observe(s);
        }
        assert_eq!(detector.decided(), Ok(Some(DateOrder::Mdy)));
    }

    #[test]
    fn detector_without_evidence() {
        let mut detector = SlashOrderDetector::default();
        assert!(!detector.saw_slash_dates());
        assert_eq!(detector.decided(), Ok(None));
        for s in ["2025/06/01", "06/2025", "1 June 2025", "01.02.2025"] {
            detector.observe(s);
        }
        assert!(!detector.saw_slash_dates());
        detector.observe("03/04/2025");
        detector.observe("13/13/2025");
        assert!(detector.saw_slash_dates());
        assert_eq!(detector.decided(), Ok(None));
    }

    #[test]
    fn detector_reports_conflicts() {
        let mut detector = SlashOrderDetector::default();
        for s in ["13/04/2025", "04/13/2025", "25/12/2025", "01/01/2025"] {
            detector.observe(s);
        }
        assert_eq!(
            detector.decided(),
            Err(
                "slash dates in this column disagree on day/month order: 2 can only be \
                 day/month/year (like 13/04/2025) and 1 only month/day/year (like 04/13/2025)"
                    .to_string()
            )
        );
    }

    #[test]
    fn detected_order_resolves_ambiguous_values() {
        let mut detector = SlashOrderDetector::default();
        let column = ["03/04/2025", "25/04/2025"];
        for s in column {
            detector.observe(s);
        }
        let order = detector.decided().unwrap();
        assert_eq!(
            parse_date("03/04/2025", order).unwrap().unwrap().date,
            ymd(2025, 4, 3)
        );
    }

    // --- Figures: plain numbers ---

    #[test]
    fn plain_counts() {
        assert_eq!(fig("472"), Figure::exact(472));
        assert_eq!(fig("472.0"), Figure::exact(472));
        assert_eq!(fig("472.00"), Figure::exact(472));
        assert_eq!(fig("+472"), Figure::exact(472));
        assert_eq!(fig("0"), Figure::exact(0));
        assert_eq!(fig("007"), Figure::exact(7));
        assert_eq!(fig("  12 "), Figure::exact(12));
    }

    #[test]
    fn figure_blanks_are_unknown() {
        let ctx = NumberContext::default();
        for s in [
            "", "  ", "NaN", "nan", "null", "NULL", "None", "NA", "N/A", "n/a", "-", " - ", "–",
            "—",
        ] {
            assert_eq!(parse_figure(s, ctx), Ok(None), "{s:?}");
        }
    }

    #[test]
    fn figure_not_whole_negative() {
        assert_eq!(fig_err("472.5"), FigureError::NotWhole);
        assert_eq!(fig_err("0.5"), FigureError::NotWhole);
        assert_eq!(fig_err("-3"), FigureError::Negative);
        assert_eq!(fig_err("- 3"), FigureError::Negative);
        assert_eq!(fig_err("−3"), FigureError::Negative);
        assert_eq!(fig_err("-3.5"), FigureError::Negative);
        assert_eq!(fig_err("at least -3"), FigureError::Negative);
        assert_eq!(fig_err("-x"), invalid_fig(NOT_A_FIGURE));
    }

    #[test]
    fn figure_scientific_and_text_after() {
        assert_eq!(fig_err("1e3"), invalid_fig(SCIENTIFIC));
        assert_eq!(fig_err("1.5E+3"), invalid_fig(SCIENTIFIC));
        assert_eq!(fig_err("12 killed"), invalid_fig(TEXT_AFTER_NUMBER));
        assert_eq!(fig_err("12killed"), invalid_fig(TEXT_AFTER_NUMBER));
        assert_eq!(
            fig_err("at least 12 killed"),
            invalid_fig(TEXT_AFTER_NUMBER)
        );
        assert_eq!(fig_err("killed"), invalid_fig(NOT_A_FIGURE));
    }

    #[test]
    fn figure_too_large() {
        assert_eq!(fig("1000000000000000"), Figure::exact(MAX_COUNT));
        assert_eq!(fig_err("1000000000000001"), FigureError::TooLarge);
        assert_eq!(fig_err("99999999999999999999999"), FigureError::TooLarge);
        assert_eq!(fig_err("1,000,000,000,000,001"), FigureError::TooLarge);
        assert_eq!(fig("0000000000000000000000012"), Figure::exact(12));
    }

    // --- Figures: separators ---

    #[test]
    fn comma_thousands() {
        assert_eq!(fig("1,234"), Figure::exact(1234));
        assert_eq!(fig("1,234,567"), Figure::exact(1_234_567));
        assert_eq!(fig("1,234.00"), Figure::exact(1234));
        assert_eq!(fig_err("1,234.5"), FigureError::NotWhole);
        assert_eq!(
            parse_figure(
                "1,234",
                NumberContext {
                    delimiter: Some(b',')
                }
            ),
            Ok(Some(Figure::exact(1234)))
        );
        assert_eq!(
            parse_figure(
                "1,234",
                NumberContext {
                    delimiter: Some(b'\t')
                }
            ),
            Ok(Some(Figure::exact(1234)))
        );
    }

    #[test]
    fn bad_commas_in_comma_files() {
        assert_eq!(fig_err("1,23"), invalid_fig(BAD_COMMA));
        assert_eq!(fig_err("1,5"), invalid_fig(BAD_COMMA));
        assert_eq!(fig_err("0,123"), invalid_fig(BAD_COMMA));
        assert_eq!(fig_err("1,23,456"), invalid_fig(BAD_GROUPS));
        assert_eq!(fig_err("1234,567,890"), invalid_fig(BAD_GROUPS));
        assert_eq!(fig_err("1,,234"), invalid_fig(BAD_GROUPS));
        assert_eq!(fig_err("1,234,"), invalid_fig(BAD_GROUPS));
    }

    #[test]
    fn semicolon_files_allow_decimal_commas() {
        assert_eq!(
            parse_figure("1,234", semicolon()),
            Err(FigureError::Ambiguous(
                "1,234 could be 1234 or the decimal 1.234 in a semicolon-separated file; \
                 write it without separators"
                    .into()
            ))
        );
        assert_eq!(
            parse_figure("1,234,567", semicolon()),
            Ok(Some(Figure::exact(1_234_567)))
        );
        assert_eq!(parse_figure("1,5", semicolon()), Err(FigureError::NotWhole));
        assert_eq!(
            parse_figure("472,00", semicolon()),
            Ok(Some(Figure::exact(472)))
        );
        assert_eq!(
            parse_figure("1.234,00", semicolon()),
            Ok(Some(Figure::exact(1234)))
        );
        assert_eq!(parse_figure("12", semicolon()), Ok(Some(Figure::exact(12))));
    }

    #[test]
    fn space_thousands() {
        assert_eq!(fig("1 234"), Figure::exact(1234));
        assert_eq!(fig("1\u{a0}234"), Figure::exact(1234));
        assert_eq!(fig("1\u{202f}234"), Figure::exact(1234));
        assert_eq!(fig("12 345 678"), Figure::exact(12_345_678));
        assert_eq!(fig("1 234,00"), Figure::exact(1234));
        assert_eq!(fig_err("1 234,5"), FigureError::NotWhole);
        assert_eq!(fig_err("10 15"), invalid_fig(BAD_GROUPS));
    }

    #[test]
    fn dot_thousands_and_decimals() {
        assert_eq!(fig("1.234.567"), Figure::exact(1_234_567));
        assert_eq!(fig("1.234,00"), Figure::exact(1234));
        assert_eq!(
            fig_err("1.234"),
            FigureError::Ambiguous(
                "1.234 could be the whole number 1234 (dot as thousands separator) or the \
                 decimal 1.234; write it without separators"
                    .into()
            )
        );
        assert!(matches!(fig_err("12.000"), FigureError::Ambiguous(_)));
        assert_eq!(fig("0.000"), Figure::exact(0));
        assert_eq!(fig_err("1.23.456"), invalid_fig(BAD_GROUPS));
        assert_eq!(fig_err("1.234 567"), invalid_fig(BAD_GROUPS));
        assert_eq!(fig_err("1,234.567,8"), invalid_fig(BAD_GROUPS));
    }

    // --- Figures: qualifiers ---

    #[test]
    fn at_least_forms() {
        for s in [
            "at least 12",
            "At Least 12",
            "at  least  12",
            "not less than 12",
            "no fewer than 12",
            "minimum 12",
            "minimum of 12",
            "min. 12",
            "min 12",
            ">= 12",
            "≥12",
            "12+",
            "12 +",
            "12 or more",
            "at least twelve",
            "at least a dozen",
        ] {
            assert_eq!(fig(s), Figure::qualified(Qualifier::AtLeast, 12), "{s}");
        }
    }

    #[test]
    fn more_than_forms() {
        for s in [
            "over 60",
            "more than 60",
            "> 60",
            ">60",
            "greater than 60",
            "above 60",
            "more than sixty",
        ] {
            assert_eq!(fig(s), Figure::qualified(Qualifier::MoreThan, 60), "{s}");
        }
        assert_eq!(
            fig("more than 1,000"),
            Figure::qualified(Qualifier::MoreThan, 1000)
        );
        assert!(matches!(
            parse_figure("more than 1,000", semicolon()),
            Err(FigureError::Ambiguous(_))
        ));
    }

    #[test]
    fn at_most_forms() {
        for s in [
            "up to 40",
            "at most 40",
            "<= 40",
            "≤40",
            "no more than 40",
            "max. 40",
            "maximum 40",
            "40 or fewer",
        ] {
            assert_eq!(fig(s), Figure::qualified(Qualifier::AtMost, 40), "{s}");
        }
    }

    #[test]
    fn less_than_forms() {
        for s in [
            "less than 5",
            "fewer than 5",
            "under 5",
            "< 5",
            "<5",
            "below five",
        ] {
            assert_eq!(fig(s), Figure::qualified(Qualifier::LessThan, 5), "{s}");
        }
    }

    #[test]
    fn about_forms() {
        for s in [
            "about 40",
            "around 40",
            "approximately 40",
            "approx. 40",
            "approx 40",
            "~40",
            "~ 40",
            "c. 40",
            "c.40",
            "some 40",
            "nearly 40",
            "roughly forty",
        ] {
            assert_eq!(fig(s), Figure::qualified(Qualifier::About, 40), "{s}");
        }
    }

    #[test]
    fn qualifier_words_need_word_boundaries() {
        assert_eq!(fig_err("overall 60"), invalid_fig(NOT_A_FIGURE));
        assert_eq!(fig_err("someone"), invalid_fig(NOT_A_FIGURE));
        assert_eq!(fig_err("at least"), invalid_fig(NOT_A_FIGURE));
        assert_eq!(fig_err("+"), invalid_fig(NOT_A_FIGURE));
    }

    #[test]
    fn vague_figures() {
        assert_eq!(fig("dozens"), Figure::vague(Qualifier::Dozens));
        assert_eq!(fig("Dozens of"), Figure::vague(Qualifier::Dozens));
        assert_eq!(fig("hundreds"), Figure::vague(Qualifier::Hundreds));
        assert_eq!(fig("HUNDREDS OF"), Figure::vague(Qualifier::Hundreds));
        assert_eq!(fig("thousands"), Figure::vague(Qualifier::Thousands));
        assert_eq!(fig("several"), Figure::vague(Qualifier::Several));
        assert_eq!(fig_err("dozens of people"), invalid_fig(NOT_A_FIGURE));
    }

    #[test]
    fn number_words() {
        let cases = [
            ("zero", 0),
            ("one", 1),
            ("twelve", 12),
            ("nineteen", 19),
            ("twenty", 20),
            ("twenty-one", 21),
            ("forty five", 45),
            ("ninety-nine", 99),
            ("dozen", 12),
            ("a dozen", 12),
            ("a hundred", 100),
            ("One Hundred", 100),
            ("a thousand", 1000),
        ];
        for (s, n) in cases {
            assert_eq!(fig(s), Figure::exact(n), "{s}");
        }
        for s in ["twenty-zero", "twenty-ten", "hundred", "eleventy"] {
            assert_eq!(fig_err(s), invalid_fig(NOT_A_FIGURE), "{s}");
        }
    }

    // --- Figures: ranges ---

    #[test]
    fn ranges() {
        for s in [
            "10-15",
            "10–15",
            "10—15",
            "10 - 15",
            "10 to 15",
            "between 10 and 15",
            "Between ten and fifteen",
        ] {
            assert_eq!(fig(s), Figure::range(10, 15), "{s}");
        }
        assert_eq!(fig("1,000-2,000"), Figure::range(1000, 2000));
        assert_eq!(fig("10-10"), Figure::range(10, 10));
    }

    #[test]
    fn range_errors() {
        let reversed = invalid_fig("the low end of the range is above its high end");
        assert_eq!(fig_err("15-10"), reversed);
        assert_eq!(fig_err("between 15 and 10"), reversed);
        assert_eq!(
            fig_err("between 10"),
            invalid_fig("expected the form \"between 10 and 15\"")
        );
        assert_eq!(fig_err("10-"), invalid_fig(NOT_A_FIGURE));
        assert_eq!(fig_err("10-15.5"), FigureError::NotWhole);
    }

    // --- Qualifier, Figure display, errors ---

    #[test]
    fn qualifier_names_round_trip() {
        for q in QUALIFIERS {
            assert_eq!(Qualifier::parse(q.as_str()), Some(q));
            assert_eq!(Qualifier::parse(&q.as_str().to_uppercase()), Some(q));
            assert_eq!(Qualifier::parse(&q.phrase()), Some(q));
        }
        assert_eq!(Qualifier::parse(" At Least "), Some(Qualifier::AtLeast));
        assert_eq!(Qualifier::parse("more-than"), None);
        assert_eq!(Qualifier::parse(""), None);
    }

    #[test]
    fn figure_display() {
        assert_eq!(Figure::exact(12).to_string(), "12");
        assert_eq!(
            Figure::qualified(Qualifier::AtLeast, 12).to_string(),
            "at least 12"
        );
        assert_eq!(
            Figure::qualified(Qualifier::MoreThan, 60).to_string(),
            "more than 60"
        );
        assert_eq!(
            Figure::qualified(Qualifier::AtMost, 40).to_string(),
            "at most 40"
        );
        assert_eq!(
            Figure::qualified(Qualifier::LessThan, 5).to_string(),
            "less than 5"
        );
        assert_eq!(
            Figure::qualified(Qualifier::About, 40).to_string(),
            "about 40"
        );
        assert_eq!(Figure::vague(Qualifier::Dozens).to_string(), "dozens");
        assert_eq!(Figure::vague(Qualifier::Hundreds).to_string(), "hundreds");
        assert_eq!(Figure::vague(Qualifier::Thousands).to_string(), "thousands");
        assert_eq!(Figure::vague(Qualifier::Several).to_string(), "several");
        assert_eq!(Figure::range(10, 15).to_string(), "10-15");
        assert_eq!(Figure::vague(Qualifier::Exact).to_string(), "");
    }

    #[test]
    fn figure_display_round_trips() {
        let mut figures = vec![
            Figure::exact(0),
            Figure::exact(1234),
            Figure::exact(MAX_COUNT),
            Figure::range(0, 0),
            Figure::range(10, 15),
            Figure::range(1000, 2_000_000),
        ];
        for q in QUALIFIERS {
            if q.is_vague() {
                figures.push(Figure::vague(q));
            } else {
                figures.extend([0, 1, 12, 999, 1000, 123_456_789].map(|n| Figure::qualified(q, n)));
            }
        }
        for figure in figures {
            for ctx in [NumberContext::default(), semicolon()] {
                let text = figure.to_string();
                assert_eq!(parse_figure(&text, ctx), Ok(Some(figure.clone())), "{text}");
            }
        }
    }

    #[test]
    fn figure_error_display() {
        assert_eq!(
            FigureError::Negative.to_string(),
            "a count cannot be negative"
        );
        assert_eq!(
            FigureError::NotWhole.to_string(),
            "a count must be a whole number"
        );
        assert_eq!(
            FigureError::Ambiguous("two ways".into()).to_string(),
            "two ways"
        );
        assert_eq!(FigureError::Invalid("bad".into()).to_string(), "bad");
        assert_eq!(
            FigureError::TooLarge.to_string(),
            "a count cannot be above 10^15"
        );
    }

    #[test]
    fn hostile_figure_input_never_panics() {
        let long_digits = "7".repeat(200_000);
        let long_grouped = format!("1{}", ",000".repeat(50_000));
        let long_words = "at least ".repeat(20_000);
        let inputs = [
            "🙂",
            "12🙂",
            "🙂12",
            "≥🙂",
            "1,🙂",
            "١٢",
            "１２",
            "ǅozens",
            "İ",
            "between 🙂 and 🙂",
            "10-🙂",
            "🙂-10",
            "at least ≥ 12",
            "ΣΣ",
            "1 ",
            "1\u{2009}234",
            "e",
            "1e",
            "1e🙂",
            long_digits.as_str(),
            long_grouped.as_str(),
            long_words.as_str(),
        ];
        for s in inputs {
            let _ = parse_figure(s, NumberContext::default());
            let _ = parse_figure(s, semicolon());
        }
        assert_eq!(fig_err(&long_digits), FigureError::TooLarge);
        assert_eq!(fig_err(&long_grouped), FigureError::TooLarge);
        assert_eq!(fig("1\u{2009}234"), Figure::exact(1234));
        assert_eq!(fig_err("1e"), invalid_fig(TEXT_AFTER_NUMBER));
    }
}

/// Property tests: no text makes a parser panic, and what they accept reads back.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn dates_never_panic(s in "\\PC{0,40}", dmy in any::<bool>()) {
            let order = if dmy { DateOrder::Dmy } else { DateOrder::Mdy };
            let _ = parse_date(&s, Some(order));
            let _ = parse_date(&s, None);
        }

        #[test]
        fn date_shaped_text_never_panics(
            a in 0u32..10000, b in 0u32..100, c in 0u32..100,
            sep in prop::sample::select(vec!["-", "/", ".", " "]),
        ) {
            let _ = parse_date(&format!("{a}{sep}{b}{sep}{c}"), None);
            let _ = parse_date(&format!("{b}{sep}{c}{sep}{a}"), Some(DateOrder::Dmy));
        }

        #[test]
        fn iso_days_read_back(y in 1900i32..2100, m in 1u32..=12, d in 1u32..=28) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            let parsed = parse_date(&text, None).unwrap().unwrap();
            prop_assert_eq!(parsed.date.format("%Y-%m-%d").to_string(), text);
        }

        #[test]
        fn figures_never_panic(s in "\\PC{0,30}", semicolon in any::<bool>()) {
            let ctx = NumberContext { delimiter: semicolon.then_some(b';') };
            let _ = parse_figure(&s, ctx);
        }

        #[test]
        fn whole_numbers_read_back_up_to_the_limit(n in 0i64..i64::MAX, float in any::<bool>()) {
            let text = if float && n < 1_000_000_000 { format!("{n}.0") } else { n.to_string() };
            let parsed = parse_figure(&text, NumberContext::default());
            if n <= MAX_COUNT {
                prop_assert_eq!(parsed.unwrap().unwrap().value, Some(n));
            } else {
                prop_assert_eq!(parsed.unwrap_err(), FigureError::TooLarge);
            }
        }
    }
}
