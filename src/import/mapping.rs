//! Mapping files: how a foreign file's columns (or JSON keys) become sitrep's articles,
//! events or entities and their figures. A mapping is data (JSON), so the bundled presets
//! are mapping files a user can copy and change.
//!
//! A mapping names, for each sitrep field, an expression over the source row (a column,
//! a constant, a join, a lookup, a condition …), lists the figures a row reports, and says
//! what to do with the columns it does not use.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;
use serde_json::Value;

use super::fields::{Field, FieldMap, Resolved, figure_kind_name};
use super::row::{Row, json_text, split_list};
use crate::cli::RecordKind;
use crate::names::header_key;

/// The presets that ship with sitrep: (name, mapping file text).
pub const PRESETS: &[(&str, &str)] = &[
    (
        "air-force-daily",
        include_str!("../../presets/air-force-daily.json"),
    ),
    (
        "air-force-weapons",
        include_str!("../../presets/air-force-weapons.json"),
    ),
    ("acled", include_str!("../../presets/acled.json")),
    ("ucdp-ged", include_str!("../../presets/ucdp-ged.json")),
    ("headlines", include_str!("../../presets/headlines.json")),
];

/// A mapping file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    #[serde(default)]
    pub description: String,
    pub kind: RecordKind,
    /// The dataset the rows' ids belong to (events).
    #[serde(default)]
    pub dataset: Option<String>,
    #[serde(default)]
    pub read: ReadSpec,
    /// `one` (default): each row is a record; `many`: rows sharing an id build one record
    /// together (their links and figures add up).
    #[serde(default)]
    pub rows_per_record: RowsPerRecord,
    /// sitrep field → expression.
    #[serde(default)]
    pub fields: BTreeMap<String, Expr>,
    /// The figures a row reports.
    #[serde(default)]
    pub figures: Vec<FigureSpec>,
    /// A column that cites articles by description (events): each becomes an article
    /// linked to the event.
    #[serde(default)]
    pub cited_articles: Option<CitedSpec>,
    /// Source columns kept whole in the record's `extra` object.
    #[serde(default)]
    pub extra: Vec<String>,
    /// Source columns deliberately left out (no warning).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// What to do with every other column: warn (default), ignore, or keep in `extra`.
    #[serde(default)]
    pub rest: Rest,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadSpec {
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    #[serde(default)]
    pub skip_rows: u64,
    pub columns: Option<Vec<String>>,
    pub date_order: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowsPerRecord {
    #[default]
    One,
    Many,
}

/// Where and how a row cites articles.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitedSpec {
    pub column: String,
    /// The cell's form; `ucdp`: `"Outlet,YYYY-MM-DD,Headline";"…"`.
    pub format: CitedFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CitedFormat {
    Ucdp,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rest {
    #[default]
    Warn,
    Ignore,
    Extra,
}

/// One figure a row may report.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureSpec {
    /// The figure kind (registered when the archive does not know it).
    pub kind: String,
    /// The figure's value.
    pub value: Expr,
    #[serde(default)]
    pub low: Option<Expr>,
    #[serde(default)]
    pub high: Option<Expr>,
    /// The weapon the figure counts.
    #[serde(default)]
    pub weapon: Option<Expr>,
    /// The figure is read only from rows where this holds.
    #[serde(default)]
    pub when: Option<Cond>,
}

/// An expression over a source row.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Expr {
    /// A column's value.
    Column(String),
    Tagged(Box<Tagged>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum Tagged {
    /// A column's value: `{"column": "x"}`.
    Column(String),
    /// A fixed value.
    Const(Value),
    /// The non-empty values joined: `{"join": [..], "with": " "}`.
    Join {
        parts: Vec<Expr>,
        #[serde(default)]
        with: String,
    },
    /// The first non-empty value.
    First(Vec<Expr>),
    /// Text with `{column}` placeholders; empty placeholders drop nothing else.
    Template(String),
    /// A value looked up in a table: `{"lookup": {"of": .., "table": {..}, "default": ..}}`.
    Lookup {
        of: Expr,
        table: BTreeMap<String, Value>,
        #[serde(default)]
        default: Option<Value>,
    },
    /// One of two expressions by a condition.
    If {
        cond: Cond,
        then: Expr,
        #[serde(default, rename = "else")]
        otherwise: Option<Expr>,
    },
    /// Several values: each part split on `on` (list fields only).
    Split { parts: Vec<Expr>, on: String },
    /// One part of a value split on `on`: `{"part": {"of": .., "on": ";", "index": 0}}`.
    Part {
        of: Expr,
        on: String,
        #[serde(default)]
        index: usize,
    },
}

/// A condition on a source row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cond {
    pub column: String,
    #[serde(default)]
    pub starts_with: Option<String>,
    #[serde(default)]
    pub equals: Option<String>,
    #[serde(default)]
    pub one_of: Option<Vec<String>>,
    #[serde(default)]
    pub not_empty: Option<bool>,
    /// Inverts the condition.
    #[serde(default)]
    pub negate: bool,
}

/// A mapping checked against sitrep's fields, ready to apply.
#[derive(Debug)]
pub struct Mapping {
    pub name: String,
    pub file: MappingFile,
    pub fields: Vec<(Field, Expr)>,
    /// Figure kinds the mapping names (figure field → spec index).
    pub figure_fields: Vec<Field>,
    /// Figure kinds the archive must register.
    pub new_kinds: Vec<String>,
    /// Hex sha256 of the mapping's text (part of what an import was read with).
    pub text_hash: String,
}

impl Mapping {
    /// A bundled preset by name.
    pub fn preset(name: &str, figure_kinds: &[String]) -> Result<Mapping> {
        let text = PRESETS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| *text)
            .ok_or_else(|| {
                anyhow!(
                    "no preset named {name:?}; presets: {}",
                    PRESETS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        Mapping::parse(&format!("preset {name}"), text, figure_kinds)
    }

    /// A mapping file from disk.
    pub fn load(path: &std::path::Path, figure_kinds: &[String]) -> Result<Mapping> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read mapping file {}", path.display()))?;
        Mapping::parse(&path.display().to_string(), &text, figure_kinds)
    }

    /// Parses and checks a mapping: every field a sitrep field of the mapping's kind.
    pub fn parse(name: &str, text: &str, figure_kinds: &[String]) -> Result<Mapping> {
        let file: MappingFile = serde_json::from_str(text).map_err(|e| {
            anyhow!(
                "mapping {name}: line {}, column {}: {}",
                e.line(),
                e.column(),
                super::source::json_error_reason(&e)
            )
        })?;
        let map = FieldMap::new(file.kind, figure_kinds);
        let mut fields = Vec::new();
        for (key, expr) in &file.fields {
            let field = match map.resolve(key) {
                Resolved::Field(Field::Figure(_)) | Resolved::NewFigure(_) => {
                    bail!("mapping {name}: figure {key:?} belongs in \"figures\", not \"fields\"")
                }
                Resolved::Field(field) => field,
                Resolved::Unknown => bail!(
                    "mapping {name}: {key:?} is not a field of {}",
                    file.kind.as_str()
                ),
            };
            fields.push((field, expr.clone()));
        }
        let mut figure_fields = Vec::new();
        let mut new_kinds = Vec::new();
        for spec in &file.figures {
            if file.kind != RecordKind::Events {
                bail!("mapping {name}: only events have figures");
            }
            let kind = figure_kind_name(&spec.kind);
            if kind.is_empty() {
                bail!("mapping {name}: figure kind {:?} is not a name", spec.kind);
            }
            if !figure_kinds.contains(&kind) && !new_kinds.contains(&kind) {
                new_kinds.push(kind.clone());
            }
            figure_fields.push(Field::Figure(kind));
        }
        Ok(Mapping {
            name: name.to_string(),
            file,
            fields,
            figure_fields,
            new_kinds,
            text_hash: super::source::hex(&<sha2::Sha256 as sha2::Digest>::digest(text.as_bytes())),
        })
    }

    /// The source columns the mapping reads, for telling which are left over.
    pub fn used_columns(&self) -> Vec<String> {
        let mut used = Vec::new();
        for (_, expr) in &self.fields {
            expr.columns(&mut used);
        }
        for spec in &self.file.figures {
            for expr in [
                Some(&spec.value),
                spec.low.as_ref(),
                spec.high.as_ref(),
                spec.weapon.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                expr.columns(&mut used);
            }
            if let Some(cond) = &spec.when {
                used.push(cond.column.clone());
            }
        }
        if let Some(cited) = &self.file.cited_articles {
            used.push(cited.column.clone());
        }
        used.extend(self.file.extra.iter().cloned());
        used.extend(self.file.ignore.iter().cloned());
        used
    }
}

impl Expr {
    fn columns(&self, out: &mut Vec<String>) {
        match self {
            Expr::Column(c) => out.push(c.clone()),
            Expr::Tagged(t) => match t.as_ref() {
                Tagged::Column(c) => out.push(c.clone()),
                Tagged::Const(_) => {}
                Tagged::Join { parts, .. } | Tagged::First(parts) | Tagged::Split { parts, .. } => {
                    for p in parts {
                        p.columns(out);
                    }
                }
                Tagged::Template(text) => {
                    let mut rest = text.as_str();
                    while let Some(open) = rest.find('{') {
                        let after = rest.get(open + 1..).unwrap_or_default();
                        let Some(close) = after.find('}') else { break };
                        out.push(after.get(..close).unwrap_or_default().to_string());
                        rest = after.get(close + 1..).unwrap_or_default();
                    }
                }
                Tagged::Lookup { of, .. } | Tagged::Part { of, .. } => of.columns(out),
                Tagged::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    out.push(cond.column.clone());
                    then.columns(out);
                    if let Some(o) = otherwise {
                        o.columns(out);
                    }
                }
            },
        }
    }
}

/// The source row a mapping reads: cells by column name.
pub trait Source {
    fn get(&self, column: &str) -> Option<Cow<'_, str>>;
    /// Every column and its non-empty value, for `extra`.
    fn all(&self) -> Vec<(String, Value)>;
}

/// CSV cells by header name.
pub struct CsvSource<'a> {
    pub index: &'a HashMap<String, usize>,
    pub headers: &'a [String],
    pub record: &'a csv::ByteRecord,
}

/// Column index by exact header, with a case/spacing-insensitive fallback.
pub fn header_index(headers: &[String]) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        index.entry(h.clone()).or_insert(i);
        index.entry(format!("\u{0}{}", header_key(h))).or_insert(i);
    }
    index
}

impl Source for CsvSource<'_> {
    fn get(&self, column: &str) -> Option<Cow<'_, str>> {
        let i = self
            .index
            .get(column)
            .or_else(|| self.index.get(&format!("\u{0}{}", header_key(column))))?;
        let text = std::str::from_utf8(self.record.get(*i)?).ok()?.trim();
        (!text.is_empty()).then_some(Cow::Borrowed(text))
    }

    fn all(&self) -> Vec<(String, Value)> {
        self.headers
            .iter()
            .zip(self.record.iter())
            .filter_map(|(h, v)| {
                let v = std::str::from_utf8(v).ok()?.trim();
                (!v.is_empty()).then(|| (h.clone(), Value::String(v.to_string())))
            })
            .collect()
    }
}

/// JSON object values by key.
pub struct JsonSource<'a> {
    pub object: &'a serde_json::Map<String, Value>,
}

impl Source for JsonSource<'_> {
    fn get(&self, column: &str) -> Option<Cow<'_, str>> {
        let value = self.object.get(column).or_else(|| {
            let key = header_key(column);
            self.object
                .iter()
                .find(|(k, _)| header_key(k) == key)
                .map(|(_, v)| v)
        })?;
        json_text(value)
    }

    fn all(&self) -> Vec<(String, Value)> {
        self.object
            .iter()
            .filter_map(|(k, v)| match v {
                Value::Null => None,
                Value::String(s) if s.trim().is_empty() => None,
                other => Some((k.clone(), other.clone())),
            })
            .collect()
    }
}

fn value_text(value: &Value) -> Option<Cow<'_, str>> {
    json_text(value)
}

fn holds(cond: &Cond, src: &dyn Source) -> bool {
    let cell = src.get(&cond.column);
    let mut ok = true;
    if let Some(prefix) = &cond.starts_with {
        ok &= cell
            .as_deref()
            .is_some_and(|c| c.starts_with(prefix.as_str()));
    }
    if let Some(equals) = &cond.equals {
        ok &= cell.as_deref() == Some(equals.as_str());
    }
    if let Some(options) = &cond.one_of {
        ok &= cell
            .as_deref()
            .is_some_and(|c| options.iter().any(|o| o == c));
    }
    if let Some(want) = cond.not_empty {
        ok &= cell.is_some() == want;
    }
    ok != cond.negate
}

/// Evaluates an expression to one value (None when empty).
pub fn eval<'s>(expr: &'s Expr, src: &'s dyn Source) -> Option<Cow<'s, str>> {
    match expr {
        Expr::Column(c) => src.get(c),
        Expr::Tagged(t) => match t.as_ref() {
            Tagged::Column(c) => src.get(c),
            Tagged::Const(v) => value_text(v),
            Tagged::Join { parts, with } => {
                let values: Vec<Cow<str>> = parts.iter().filter_map(|p| eval(p, src)).collect();
                (!values.is_empty()).then(|| Cow::Owned(values.join(with)))
            }
            Tagged::First(parts) => parts.iter().find_map(|p| eval(p, src)),
            Tagged::Template(text) => {
                let mut out = String::new();
                let mut rest = text.as_str();
                let mut any = false;
                while let Some(open) = rest.find('{') {
                    out.push_str(rest.get(..open).unwrap_or_default());
                    let after = rest.get(open + 1..).unwrap_or_default();
                    let Some(close) = after.find('}') else {
                        out.push_str(rest.get(open..).unwrap_or_default());
                        rest = "";
                        break;
                    };
                    let column = after.get(..close).unwrap_or_default();
                    if let Some(v) = src.get(column) {
                        any = true;
                        out.push_str(&v);
                    }
                    rest = after.get(close + 1..).unwrap_or_default();
                }
                out.push_str(rest);
                any.then_some(Cow::Owned(out))
            }
            Tagged::Lookup { of, table, default } => {
                let key = eval(of, src);
                let hit = key.as_deref().and_then(|k| {
                    table.get(k).or_else(|| {
                        let folded = k.to_lowercase();
                        table
                            .iter()
                            .find(|(t, _)| t.to_lowercase() == folded)
                            .map(|(_, v)| v)
                    })
                });
                match (hit, default) {
                    (Some(v), _) => value_text(v),
                    (None, Some(d)) if key.is_some() => value_text(d),
                    (None, _) => key,
                }
            }
            Tagged::If {
                cond,
                then,
                otherwise,
            } => {
                if holds(cond, src) {
                    eval(then, src)
                } else {
                    otherwise.as_ref().and_then(|o| eval(o, src))
                }
            }
            Tagged::Split { parts, on } => {
                let values = eval_list(parts, on, src);
                (!values.is_empty()).then(|| Cow::Owned(values.join(";")))
            }
            Tagged::Part { of, on, index } => {
                let whole = eval(of, src)?;
                let part = whole
                    .split(on.as_str())
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .nth(*index)?
                    .to_string();
                Some(Cow::Owned(part))
            }
        },
    }
}

fn eval_list(parts: &[Expr], on: &str, src: &dyn Source) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        if let Some(v) = eval(p, src) {
            for item in v.split(on).map(str::trim).filter(|s| !s.is_empty()) {
                if !out.iter().any(|o| o == item) {
                    out.push(item.to_string());
                }
            }
        }
    }
    out
}

/// A source row seen through a mapping: the [`Row`] the record builders read.
pub struct MappedRow<'a> {
    pub mapping: &'a Mapping,
    pub source: &'a dyn Source,
    pub line: u64,
    /// The `extra` object (JSON text), when the mapping keeps columns.
    pub extra: Option<String>,
}

impl<'a> MappedRow<'a> {
    pub fn new(
        mapping: &'a Mapping,
        source: &'a dyn Source,
        line: u64,
        leftover: &[String],
    ) -> MappedRow<'a> {
        let keep_rest = mapping.file.rest == Rest::Extra;
        let extra = if mapping.file.extra.is_empty() && !keep_rest {
            None
        } else {
            let mut obj = serde_json::Map::new();
            for (column, value) in source.all() {
                if mapping.file.extra.contains(&column) || (keep_rest && leftover.contains(&column))
                {
                    obj.insert(column, value);
                }
            }
            (!obj.is_empty()).then(|| Value::Object(obj).to_string())
        };
        MappedRow {
            mapping,
            source,
            line,
            extra,
        }
    }

    fn expr(&self, field: &Field) -> Option<&'a Expr> {
        self.mapping
            .fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, e)| e)
    }

    fn figure_spec(&self, field: &Field) -> Option<&'a FigureSpec> {
        self.mapping
            .figure_fields
            .iter()
            .zip(&self.mapping.file.figures)
            .find(|(f, spec)| {
                *f == field && spec.when.as_ref().is_none_or(|c| holds(c, self.source))
            })
            .map(|(_, spec)| spec)
    }
}

impl Row for MappedRow<'_> {
    fn line(&self) -> u64 {
        self.line
    }
    fn has(&self, field: &Field) -> bool {
        match field {
            Field::Extra => self.extra.is_some(),
            Field::Figure(_) => self.figure_spec(field).is_some(),
            _ => self.expr(field).is_some(),
        }
    }
    fn text(&self, field: &Field) -> Option<Cow<'_, str>> {
        match field {
            Field::Extra => self.extra.as_deref().map(Cow::Borrowed),
            Field::Figure(_) => eval(&self.figure_spec(field)?.value, self.source),
            _ => eval(self.expr(field)?, self.source),
        }
    }
    fn list(&self, field: &Field) -> Option<Vec<String>> {
        let expr = self.expr(field)?;
        Some(match expr {
            Expr::Tagged(t) => match t.as_ref() {
                Tagged::Split { parts, on } => eval_list(parts, on, self.source),
                _ => eval(expr, self.source)
                    .map(|v| split_list(&v))
                    .unwrap_or_default(),
            },
            Expr::Column(_) => eval(expr, self.source)
                .map(|v| split_list(&v))
                .unwrap_or_default(),
        })
    }
    fn json(&self, _field: &Field) -> Option<&Value> {
        None
    }
    fn column(&self, field: &Field) -> String {
        let expr = match field {
            Field::Figure(_) => self.figure_spec(field).map(|s| &s.value),
            _ => self.expr(field),
        };
        match expr {
            Some(Expr::Column(c)) => format!("{c} (mapped to {})", field.canonical()),
            Some(Expr::Tagged(t)) => match t.as_ref() {
                Tagged::Column(c) => format!("{c} (mapped to {})", field.canonical()),
                _ => format!("{} (by mapping {})", field.canonical(), self.mapping.name),
            },
            None => field.canonical().to_string(),
        }
    }
    fn figures(&self) -> Vec<&Field> {
        self.mapping
            .figure_fields
            .iter()
            .filter(|f| self.figure_spec(f).is_some())
            .collect()
    }
    fn cited_articles(&self) -> Vec<super::row::CitedArticle> {
        match &self.mapping.file.cited_articles {
            Some(spec) => match spec.format {
                CitedFormat::Ucdp => self
                    .source
                    .get(&spec.column)
                    .map(|cell| super::row::parse_ucdp_citations(&cell))
                    .unwrap_or_default(),
            },
            None => Vec::new(),
        }
    }

    fn figure_detail(&self, field: &Field) -> super::row::FigureDetail<'_> {
        let Some(spec) = self.figure_spec(field) else {
            return Default::default();
        };
        let source = self.source;
        super::row::FigureDetail {
            weapon: spec.weapon.as_ref().and_then(|e| eval(e, source)),
            low: spec.low.as_ref().and_then(|e| eval(e, source)),
            high: spec.high.as_ref().and_then(|e| eval(e, source)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Cells(Vec<(&'static str, &'static str)>);
    impl Source for Cells {
        fn get(&self, column: &str) -> Option<Cow<'_, str>> {
            self.0
                .iter()
                .find(|(k, _)| *k == column)
                .map(|(_, v)| Cow::Borrowed(*v))
                .filter(|v| !v.is_empty())
        }
        fn all(&self) -> Vec<(String, Value)> {
            self.0
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect()
        }
    }

    fn expr(json: &str) -> Expr {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn expressions_evaluate_over_a_row() {
        let row = Cells(vec![("a", "x"), ("b", ""), ("c", "1"), ("s", "P; Q ;P")]);
        assert_eq!(eval(&expr(r#""a""#), &row).as_deref(), Some("x"));
        assert_eq!(eval(&expr(r#""b""#), &row), None);
        assert_eq!(eval(&expr(r#"{"const": "K"}"#), &row).as_deref(), Some("K"));
        assert_eq!(
            eval(
                &expr(r#"{"join": {"parts": ["a", "b", "c"], "with": "|"}}"#),
                &row
            )
            .as_deref(),
            Some("x|1")
        );
        assert_eq!(
            eval(&expr(r#"{"first": ["b", "c"]}"#), &row).as_deref(),
            Some("1")
        );
        assert_eq!(
            eval(&expr(r#"{"template": "<{a}-{b}>"}"#), &row).as_deref(),
            Some("<x->")
        );
        assert_eq!(
            eval(
                &expr(r#"{"lookup": {"of": "c", "table": {"1": "day"}}}"#),
                &row
            )
            .as_deref(),
            Some("day")
        );
        assert_eq!(
            eval(&expr(r#"{"if": {"cond": {"column": "a", "equals": "x"}, "then": {"const": "yes"}, "else": {"const": "no"}}}"#), &row).as_deref(),
            Some("yes")
        );
        assert_eq!(
            eval(
                &expr(r#"{"part": {"of": "s", "on": ";", "index": 1}}"#),
                &row
            )
            .as_deref(),
            Some("Q")
        );
        assert_eq!(
            eval_list(&[expr(r#""s""#)], ";", &row),
            vec!["P".to_string(), "Q".to_string()]
        );
    }

    #[test]
    fn every_preset_parses() {
        let kinds: Vec<String> = ["launched", "destroyed", "suppressed", "killed"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for (name, _) in PRESETS {
            let mapping = Mapping::preset(name, &kinds).unwrap();
            assert!(
                !mapping.file.description.is_empty(),
                "{name} has no description"
            );
        }
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = Mapping::parse("m", r#"{"kind": "events", "fields": {"colour": "c"}}"#, &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"colour\" is not a field of events"), "{err}");
        let err = Mapping::parse("m", r#"{"kind": "events", "feilds": {}}"#, &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field"), "{err}");
    }
}
