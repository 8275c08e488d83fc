//! The preprocessing options (per feature column, already checked in TypeScript) and the fitted state, both as
//! the JSON that crosses the FFI boundary and is stored with every model.

use std::fmt::Write;

use pgml_ml_core::json::{quote, Json};
use pgml_ml_core::{Error, Result};

macro_rules! named_enum {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Result<Self> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(Error::invalid(format!(concat!("unknown ", stringify!($name), " {:?}"), other))),
                }
            }
        }
    };
}

named_enum!(Kind { Numeric = "numeric", Text = "text", Bool = "bool", Array = "array" });
named_enum!(Encode { Native = "native", Target = "target", OneHot = "one_hot", Ordinal = "ordinal" });
named_enum!(Impute { Error = "error", Mean = "mean", Median = "median", Mode = "mode", Min = "min", Max = "max", Zero = "zero" });
named_enum!(Scale { Preserve = "preserve", Standard = "standard", MinMax = "min_max", MaxAbs = "max_abs", Robust = "robust" });

/// One feature column's preprocessing, as TypeScript normalised it.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnOptions {
    pub encode: Encode,
    /// `{ ordinal: [...] }`: the given category order.
    pub ordinal: Option<Vec<String>>,
    pub impute: Impute,
    pub scale: Scale,
}

impl ColumnOptions {
    /// `[{ "encode", "ordinal"?, "impute", "scale" }, …]`, one per feature column in table order.
    pub fn parse_list(text: &str) -> Result<Vec<ColumnOptions>> {
        let json = pgml_ml_core::json::parse(text)
            .map_err(|e| Error::invalid(format!("preprocess options are not JSON: {} at byte {}", e.what, e.at)))?;
        let items = json.as_array().ok_or_else(|| Error::invalid("preprocess options must be an array"))?;
        items
            .iter()
            .map(|item| {
                let text = |key: &str| {
                    item.get(key)
                        .and_then(Json::as_str)
                        .ok_or_else(|| Error::invalid(format!("preprocess option {key} must be text")))
                };
                Ok(ColumnOptions {
                    encode: Encode::parse(text("encode")?)?,
                    ordinal: match item.get("ordinal") {
                        None | Some(Json::Null) => None,
                        Some(list) => Some(strings(list, "ordinal")?),
                    },
                    impute: Impute::parse(text("impute")?)?,
                    scale: Scale::parse(text("scale")?)?,
                })
            })
            .collect()
    }
}

/// One column's fitted transform.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnState {
    pub name: String,
    pub kind: Kind,
    /// Raw values per row (1 unless an array column).
    pub array_length: usize,
    pub encode: Encode,
    pub impute: Impute,
    pub scale: Scale,
    /// Text only: category i has code i + 1.
    pub categories: Option<Vec<String>>,
    /// Target encoding only: the encoded value of category i.
    pub target_means: Option<Vec<f64>>,
    /// Per raw element: the imputed value, None for impute `error`.
    pub fill: Vec<Option<f64>>,
    /// Per raw element: scaled = (value − offset) / divisor.
    pub offset: Vec<f64>,
    pub divisor: Vec<f64>,
    /// Output feature columns.
    pub width: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub columns: Vec<ColumnState>,
    pub num_features: usize,
}

fn number(n: f64) -> String {
    // Debug prints the shortest text that reads back as the same double, and is valid JSON for finite values.
    format!("{n:?}")
}

fn numbers(values: impl Iterator<Item = String>) -> String {
    format!("[{}]", values.collect::<Vec<_>>().join(","))
}

fn strings(json: &Json, what: &str) -> Result<Vec<String>> {
    let items = json.as_array().ok_or_else(|| Error::invalid(format!("{what} must be an array")))?;
    items
        .iter()
        .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| Error::invalid(format!("{what} must hold text"))))
        .collect()
}

fn floats(json: Option<&Json>, what: &str) -> Result<Vec<Option<f64>>> {
    let items = json
        .and_then(Json::as_array)
        .ok_or_else(|| Error::invalid(format!("preprocessor state: {what} must be an array")))?;
    items
        .iter()
        .map(|v| match v {
            Json::Null => Ok(None),
            Json::Number(n) => Ok(Some(*n)),
            _ => Err(Error::invalid(format!("preprocessor state: {what} must hold numbers"))),
        })
        .collect()
}

fn required(values: Vec<Option<f64>>, what: &str) -> Result<Vec<f64>> {
    values
        .into_iter()
        .map(|v| v.ok_or_else(|| Error::invalid(format!("preprocessor state: {what} has a null"))))
        .collect()
}

impl State {
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"version\":1,\"columns\":[");
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(
                out,
                "{{\"name\":{},\"kind\":\"{}\",\"arrayLength\":{},\"encode\":\"{}\",\"impute\":\"{}\",\"scale\":\"{}\"",
                quote(&c.name),
                c.kind.name(),
                c.array_length,
                c.encode.name(),
                c.impute.name(),
                c.scale.name()
            );
            if let Some(categories) = &c.categories {
                let _ = write!(
                    out,
                    ",\"categories\":[{}]",
                    categories.iter().map(|s| quote(s)).collect::<Vec<_>>().join(",")
                );
            }
            if let Some(means) = &c.target_means {
                let _ = write!(out, ",\"targetMeans\":{}", numbers(means.iter().map(|&m| number(m))));
            }
            let fill = numbers(c.fill.iter().map(|f| f.map_or_else(|| "null".to_string(), number)));
            let _ = write!(
                out,
                ",\"fill\":{fill},\"offset\":{},\"divisor\":{},\"width\":{}}}",
                numbers(c.offset.iter().map(|&v| number(v))),
                numbers(c.divisor.iter().map(|&v| number(v))),
                c.width
            );
        }
        let _ = write!(out, "],\"numFeatures\":{}}}", self.num_features);
        out
    }

    pub fn from_json(text: &str) -> Result<State> {
        let json = pgml_ml_core::json::parse(text)
            .map_err(|e| Error::invalid(format!("preprocessor state is not JSON: {} at byte {}", e.what, e.at)))?;
        let bad = |what: &str| Error::invalid(format!("preprocessor state: {what}"));
        let count = |v: Option<&Json>, what: &str| -> Result<usize> {
            v.and_then(Json::as_f64)
                .filter(|n| *n >= 0.0 && n.fract() == 0.0)
                .map(|n| n as usize)
                .ok_or_else(|| bad(&format!("{what} must be a count")))
        };
        let columns = json
            .get("columns")
            .and_then(Json::as_array)
            .ok_or_else(|| bad("columns must be an array"))?
            .iter()
            .map(|c| {
                let text =
                    |key: &str| c.get(key).and_then(Json::as_str).ok_or_else(|| bad(&format!("{key} must be text")));
                let column = ColumnState {
                    name: text("name")?.to_owned(),
                    kind: Kind::parse(text("kind")?)?,
                    array_length: count(c.get("arrayLength"), "arrayLength")?,
                    encode: Encode::parse(text("encode")?)?,
                    impute: Impute::parse(text("impute")?)?,
                    scale: Scale::parse(text("scale")?)?,
                    categories: c.get("categories").map(|v| strings(v, "categories")).transpose()?,
                    target_means: c
                        .get("targetMeans")
                        .map(|v| floats(Some(v), "targetMeans").and_then(|m| required(m, "targetMeans")))
                        .transpose()?,
                    fill: floats(c.get("fill"), "fill")?,
                    offset: required(floats(c.get("offset"), "offset")?, "offset")?,
                    divisor: required(floats(c.get("divisor"), "divisor")?, "divisor")?,
                    width: count(c.get("width"), "width")?,
                };
                column.check()?;
                Ok(column)
            })
            .collect::<Result<Vec<_>>>()?;
        let num_features = count(json.get("numFeatures"), "numFeatures")?;
        if num_features != columns.iter().map(|c| c.width).sum::<usize>() {
            return Err(bad("numFeatures is not the sum of the column widths"));
        }
        Ok(State { columns, num_features })
    }
}

impl ColumnState {
    /// Passes values through unchanged (numbers, no imputation, no scaling): nothing to fit, only checks to make.
    pub fn is_identity(&self) -> bool {
        self.kind != Kind::Text && self.impute == Impute::Error && self.scale == Scale::Preserve
    }

    /// Everything apply indexes by is present and sized (a stored state is data: it may be corrupt or hand-made).
    fn check(&self) -> Result<()> {
        let bad = |what: &str| Err(Error::invalid(format!("preprocessor state of column {:?}: {what}", self.name)));
        let n = self.array_length;
        if n == 0 || self.fill.len() != n || self.offset.len() != n || self.divisor.len() != n {
            return bad("fill, offset and divisor need one entry per element");
        }
        if (self.kind == Kind::Text) != self.categories.is_some() || (self.kind == Kind::Text && n != 1) {
            return bad("text columns (and only they) have categories and one element");
        }
        let k = self.categories.as_ref().map_or(0, Vec::len);
        let expected_width = if self.encode == Encode::OneHot { k } else { n };
        if self.width != expected_width {
            return bad("width does not match the encoding");
        }
        if (self.encode == Encode::Target) != self.target_means.as_ref().is_some_and(|m| m.len() == k) {
            return bad("target encoding needs one mean per category");
        }
        if self.encode == Encode::OneHot && self.fill[0].is_some_and(|f| f.fract() != 0.0 || f < 0.0 || f > k as f64) {
            return bad("a one_hot fill must be a category code");
        }
        if self.divisor.iter().any(|&d| d == 0.0 || !d.is_finite()) {
            return bad("divisors must be finite and non-zero");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_through_json() {
        let state = State {
            columns: vec![ColumnState {
                name: "color \"c\"".into(),
                kind: Kind::Text,
                array_length: 1,
                encode: Encode::Target,
                impute: Impute::Mean,
                scale: Scale::Standard,
                categories: Some(vec!["a".into(), "é".into()]),
                target_means: Some(vec![0.1, 1e-300]),
                fill: vec![Some(0.30000000000000004)],
                offset: vec![-2.5],
                divisor: vec![1.0],
                width: 1,
            }],
            num_features: 1,
        };
        assert_eq!(State::from_json(&state.to_json()).unwrap(), state);
        let mut corrupt = state.clone();
        corrupt.columns[0].divisor = vec![0.0];
        assert!(State::from_json(&corrupt.to_json()).is_err());
        assert!(State::from_json("{\"columns\":[],\"numFeatures\":1}").is_err());
    }

    #[test]
    fn parses_options() {
        let options = ColumnOptions::parse_list(
            r#"[{"encode":"ordinal","ordinal":["s","m"],"impute":"mode","scale":"preserve"}]"#,
        )
        .unwrap();
        assert_eq!(options[0].ordinal.as_deref(), Some(&["s".to_string(), "m".to_string()][..]));
        assert!(ColumnOptions::parse_list(r#"[{"encode":"x","impute":"mode","scale":"preserve"}]"#).is_err());
    }
}
