//! One input row, whatever the format: the [`Row`] trait that record builders read fields
//! through, and its CSV and JSON implementations.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use super::fields::Field;

/// A row of input, read field by field.
pub trait Row {
    /// The line the row starts on (1-based), for messages.
    fn line(&self) -> u64;
    /// Whether the file has this field at all (a column or key), empty or not.
    fn has(&self, field: &Field) -> bool;
    /// The field's text, trimmed; None when absent, null or empty.
    fn text(&self, field: &Field) -> Option<Cow<'_, str>>;
    /// The field as several values: a JSON array, or a cell split on `;`.
    /// None when the field is absent; empty when it is present but blank.
    fn list(&self, field: &Field) -> Option<Vec<String>>;
    /// The raw JSON value of a field (JSON rows only).
    fn json(&self, field: &Field) -> Option<&Value>;
    /// The column or key as the file names it, for messages.
    fn column(&self, field: &Field) -> String;
    /// The figure fields the row has, in file order.
    fn figures(&self) -> Vec<&Field>;
    /// The weapon and range a figure field comes with (mapped rows only).
    fn figure_detail(&self, _field: &Field) -> FigureDetail<'_> {
        FigureDetail::default()
    }
    /// A value of the wrong shape (a JSON array or object where one value belongs):
    /// (column, value).
    fn invalid(&self) -> Option<(String, String)> {
        None
    }
    /// Articles a row cites by description rather than url (mapped rows only).
    fn cited_articles(&self) -> Vec<CitedArticle> {
        Vec::new()
    }
}

/// An article a row names (outlet, date, headline) without a url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedArticle {
    pub source: Option<String>,
    pub published: Option<String>,
    pub title: String,
}

impl CitedArticle {
    /// A stable key standing in for the missing url, so that every row citing the same
    /// article links to one record.
    pub fn key(&self, dataset: &str) -> String {
        use sha2::{Digest, Sha256};
        let text = format!(
            "{}\u{1f}{}\u{1f}{}",
            self.source.as_deref().unwrap_or(""),
            self.published.as_deref().unwrap_or(""),
            self.title
        );
        let digest = Sha256::digest(text.as_bytes());
        let hex: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
        format!("urn:sitrep:{dataset}:cited:{hex}")
    }
}

/// Parses UCDP's `source_article` cell: `"Outlet,2014-01-22,Headline";"Outlet,…"`.
pub fn parse_ucdp_citations(cell: &str) -> Vec<CitedArticle> {
    let cell = cell.trim();
    let inner = cell
        .strip_prefix('"')
        .and_then(|c| c.strip_suffix('"'))
        .unwrap_or(cell);
    inner
        .split("\";\"")
        .filter_map(|entry| {
            let entry = entry.trim();
            if entry.is_empty() {
                return None;
            }
            let mut parts = entry.splitn(3, ',');
            let (source, date, title) = (parts.next(), parts.next(), parts.next());
            Some(match (source, date, title) {
                (Some(source), Some(date), Some(title)) if looks_like_date(date) => CitedArticle {
                    source: Some(source.trim().to_string()).filter(|s| !s.is_empty()),
                    published: Some(date.trim().to_string()),
                    title: title.trim().to_string(),
                },
                _ => CitedArticle {
                    source: None,
                    published: None,
                    title: entry.to_string(),
                },
            })
        })
        .collect()
}

fn looks_like_date(text: &str) -> bool {
    let t = text.trim();
    t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// What a mapped figure carries beside its value.
#[derive(Debug, Default)]
pub struct FigureDetail<'a> {
    pub weapon: Option<Cow<'a, str>>,
    pub low: Option<Cow<'a, str>>,
    pub high: Option<Cow<'a, str>>,
}

/// Splits a multi-valued cell on `;`, trimming and dropping empty parts.
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A multi-valued CSV cell: a JSON array of strings (as `export` writes a list whose
/// items hold `;`), or values separated by `;`.
pub fn cell_list(cell: &str) -> Vec<String> {
    let t = cell.trim();
    if t.starts_with('[')
        && t.ends_with(']')
        && let Ok(items) = serde_json::from_str::<Vec<String>>(t)
    {
        return items
            .into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    split_list(cell)
}

fn non_empty(s: &str) -> Option<Cow<'_, str>> {
    let t = s.trim();
    (!t.is_empty()).then_some(Cow::Borrowed(t))
}

/// The columns of a CSV file: which field each column holds.
pub struct Columns {
    pub headers: Vec<String>,
    pub index: HashMap<Field, usize>,
    /// Figure fields in column order.
    pub figures: Vec<Field>,
}

/// A CSV row over the reader's reused record.
pub struct CsvRow<'a> {
    pub columns: &'a Columns,
    pub record: &'a csv::ByteRecord,
    pub line: u64,
}

impl CsvRow<'_> {
    fn cell(&self, field: &Field) -> Option<&str> {
        let i = *self.columns.index.get(field)?;
        std::str::from_utf8(self.record.get(i)?).ok()
    }
}

impl Row for CsvRow<'_> {
    fn line(&self) -> u64 {
        self.line
    }
    fn has(&self, field: &Field) -> bool {
        self.columns.index.contains_key(field)
    }
    fn text(&self, field: &Field) -> Option<Cow<'_, str>> {
        non_empty(self.cell(field)?)
    }
    fn list(&self, field: &Field) -> Option<Vec<String>> {
        self.has(field)
            .then(|| self.cell(field).map(cell_list).unwrap_or_default())
    }
    fn json(&self, _field: &Field) -> Option<&Value> {
        None
    }
    fn column(&self, field: &Field) -> String {
        match self.columns.index.get(field) {
            Some(&i) => format!(
                "{} (column {})",
                self.columns.headers.get(i).map_or("?", String::as_str),
                i + 1
            ),
            None => field.canonical().to_string(),
        }
    }
    fn figures(&self) -> Vec<&Field> {
        self.columns.figures.iter().collect()
    }
}

/// A JSON object row, its keys resolved to fields.
pub struct JsonRow<'a> {
    pub fields: Vec<(Field, &'a str, &'a Value)>,
    pub line: u64,
}

impl<'a> JsonRow<'a> {
    fn value(&self, field: &Field) -> Option<&'a Value> {
        self.fields
            .iter()
            .find(|(f, _, _)| f == field)
            .map(|(_, _, v)| *v)
    }
}

/// A scalar JSON value as text (numbers as written; null, arrays and objects as None).
pub fn json_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(s) => non_empty(s),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Whether a field holds several values or a nested structure (else one value).
fn takes_structure(field: &Field) -> bool {
    matches!(
        field,
        Field::Actors
            | Field::Targets
            | Field::Weapon
            | Field::ArticleUrl
            | Field::Aliases
            | Field::Entities
            | Field::Events
            | Field::Figures
            | Field::Extra
    )
}

impl Row for JsonRow<'_> {
    fn invalid(&self) -> Option<(String, String)> {
        self.fields.iter().find_map(|(field, key, value)| {
            let wrong = match value {
                Value::Object(_) => !matches!(field, Field::Extra),
                Value::Array(items) => match field {
                    Field::Entities | Field::Events | Field::Figures => false,
                    // A list holds plain values.
                    f if takes_structure(f) => items.iter().any(|i| i.is_array() || i.is_object()),
                    _ => true,
                },
                _ => false,
            };
            wrong.then(|| (format!("\"{key}\""), value.to_string()))
        })
    }

    fn line(&self) -> u64 {
        self.line
    }
    fn has(&self, field: &Field) -> bool {
        self.value(field).is_some()
    }
    fn text(&self, field: &Field) -> Option<Cow<'_, str>> {
        json_text(self.value(field)?)
    }
    fn list(&self, field: &Field) -> Option<Vec<String>> {
        let value = self.value(field)?;
        Some(match value {
            Value::Array(items) => items
                .iter()
                .filter_map(json_text)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            Value::String(s) => split_list(s),
            other => json_text(other)
                .map(|s| vec![s.into_owned()])
                .unwrap_or_default(),
        })
    }
    fn json(&self, field: &Field) -> Option<&Value> {
        self.value(field)
    }
    fn column(&self, field: &Field) -> String {
        self.fields.iter().find(|(f, _, _)| f == field).map_or_else(
            || field.canonical().to_string(),
            |(_, k, _)| format!("\"{k}\""),
        )
    }
    fn figures(&self) -> Vec<&Field> {
        self.fields
            .iter()
            .filter(|(f, _, _)| matches!(f, Field::Figure(_)))
            .map(|(f, _, _)| f)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ucdp_citations_split_into_outlet_date_and_headline() {
        let cited = parse_ucdp_citations(
            r#""Agence France Presse,2014-01-22,Police disperse Kiev protest, activists say one shot dead";"Reuters News,2014-02-22,Ukraine removes Yanukovich in "coup"""#,
        );
        assert_eq!(cited.len(), 2);
        assert_eq!(cited[0].source.as_deref(), Some("Agence France Presse"));
        assert_eq!(cited[0].published.as_deref(), Some("2014-01-22"));
        assert_eq!(
            cited[0].title,
            "Police disperse Kiev protest, activists say one shot dead"
        );
        assert_eq!(cited[1].title, "Ukraine removes Yanukovich in \"coup\"");
        assert_ne!(cited[0].key("ucdp-ged"), cited[1].key("ucdp-ged"));
        assert_eq!(parse_ucdp_citations("  ").len(), 0);
    }

    #[test]
    fn split_list_trims_and_drops_empty_parts() {
        assert_eq!(split_list(" A ; B;;C "), vec!["A", "B", "C"]);
        assert!(split_list(" ; ").is_empty());
    }

    #[test]
    fn json_row_reads_scalars_lists_and_absence() {
        let v: Value = serde_json::json!({"actors": ["A", " ", "B"], "killed": 12, "notes": null});
        let obj = v.as_object().unwrap();
        let row = JsonRow {
            fields: vec![
                (Field::Actors, "actors", &obj["actors"]),
                (Field::Figure("killed".into()), "killed", &obj["killed"]),
                (Field::Notes, "notes", &obj["notes"]),
            ],
            line: 3,
        };
        assert_eq!(row.list(&Field::Actors).unwrap(), vec!["A", "B"]);
        assert_eq!(row.text(&Field::Figure("killed".into())).unwrap(), "12");
        assert!(row.has(&Field::Notes));
        assert!(row.text(&Field::Notes).is_none());
        assert!(row.list(&Field::Targets).is_none());
        assert_eq!(row.column(&Field::Actors), "\"actors\"");
    }
}
