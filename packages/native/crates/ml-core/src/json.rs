//! The little JSON the FFI boundary needs: hyperparameters arrive as `JSON.stringify(object)` (N-API has no cheap
//! generic object walk, and core stores them as jsonb anyway), the data path's preprocessing state travels as the
//! JSON it is stored as, and metadata leaves as JSON text. `parse` gives the whole tree; hyperparameters interpret
//! flat objects of scalars and keep nested arrays/objects as a kind so validation can name them.

use std::fmt::Write;

use crate::error::{Error, Result};
use crate::hyperparams::{Hyperparams, Value};

/// A parsed JSON value; objects keep their key order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => Some(*n),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }
}

/// Where and why a text is not JSON.
#[derive(Debug)]
pub struct SyntaxError {
    pub what: String,
    pub at: usize,
}

/// Parses one JSON value (surrounding whitespace allowed).
pub fn parse(text: &str) -> std::result::Result<Json, SyntaxError> {
    let mut p = Parser { bytes: text.as_bytes(), pos: 0 };
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return p.fail("trailing characters");
    }
    Ok(value)
}

/// Parses a JSON object of hyperparameters. `null`/empty input means no hyperparameters.
pub fn parse_hyperparams(text: &str) -> Result<Hyperparams> {
    let invalid = |e: SyntaxError| {
        Error::hyperparameter(format!("hyperparameters are not valid JSON: {} at byte {}", e.what, e.at))
    };
    if text.trim().is_empty() {
        return Ok(Hyperparams::default());
    }
    match parse(text).map_err(invalid)? {
        Json::Null => Ok(Hyperparams::default()),
        Json::Object(members) => Ok(Hyperparams(members.into_iter().map(|(k, v)| (k, scalar(v))).collect())),
        _ => Err(invalid(SyntaxError { what: "expected '{'".into(), at: text.len() - text.trim_start().len() })),
    }
}

fn scalar(v: Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(b),
        Json::Number(n) => Value::Number(n),
        Json::Str(s) => Value::Str(s),
        Json::Array(items) if !items.is_empty() && items.iter().all(|i| matches!(i, Json::Str(_))) => {
            Value::List(items.into_iter().filter_map(|i| if let Json::Str(s) = i { Some(s) } else { None }).collect())
        }
        Json::Array(_) => Value::Nested("an array"),
        Json::Object(_) => Value::Nested("an object"),
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn fail<T>(&self, what: &str) -> std::result::Result<T, SyntaxError> {
        Err(SyntaxError { what: what.to_string(), at: self.pos })
    }
    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len() && matches!(self.bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }
    fn eat(&mut self, b: u8) -> bool {
        let hit = self.bytes.get(self.pos) == Some(&b);
        self.pos += usize::from(hit);
        hit
    }
    fn expect(&mut self, b: u8) -> std::result::Result<(), SyntaxError> {
        if self.eat(b) {
            Ok(())
        } else {
            self.fail(&format!("expected '{}'", b as char))
        }
    }
    fn eat_literal(&mut self, lit: &str) -> bool {
        let hit = self.bytes[self.pos..].starts_with(lit.as_bytes());
        if hit {
            self.pos += lit.len();
        }
        hit
    }

    fn string(&mut self) -> std::result::Result<String, SyntaxError> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else { return self.fail("unterminated string") };
            self.pos += 1;
            match b {
                b'"' => return Ok(out),
                b'\\' => {
                    let Some(&e) = self.bytes.get(self.pos) else { return self.fail("unterminated escape") };
                    self.pos += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e as char),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hex = self.bytes.get(self.pos..self.pos + 4).and_then(|h| std::str::from_utf8(h).ok());
                            let Some(code) = hex.and_then(|h| u32::from_str_radix(h, 16).ok()) else {
                                return self.fail("bad \\u escape");
                            };
                            self.pos += 4;
                            // Lone surrogates cannot name a hyperparameter; keep them visible rather than fail.
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        }
                        _ => return self.fail("bad escape"),
                    }
                }
                _ => {
                    // Copy the whole UTF-8 sequence starting at this byte (the input is a &str, so it is valid).
                    let start = self.pos - 1;
                    let len = match b {
                        0x00..=0x7f => 1,
                        0xc0..=0xdf => 2,
                        0xe0..=0xef => 3,
                        _ => 4,
                    };
                    let end = (start + len).min(self.bytes.len());
                    out.push_str(std::str::from_utf8(&self.bytes[start..end]).unwrap_or("\u{fffd}"));
                    self.pos = end;
                }
            }
        }
    }

    fn value(&mut self, depth: usize) -> std::result::Result<Json, SyntaxError> {
        if depth > MAX_DEPTH {
            return self.fail("nesting too deep");
        }
        self.skip_ws();
        match self.bytes.get(self.pos) {
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') if self.eat_literal("true") => Ok(Json::Bool(true)),
            Some(b'f') if self.eat_literal("false") => Ok(Json::Bool(false)),
            Some(b'n') if self.eat_literal("null") => Ok(Json::Null),
            Some(b'[') | Some(b'{') => {
                let object = self.bytes[self.pos] == b'{';
                let close = if object { b'}' } else { b']' };
                self.pos += 1;
                self.skip_ws();
                let (mut items, mut members) = (Vec::new(), Vec::new());
                if !self.eat(close) {
                    loop {
                        if object {
                            self.skip_ws();
                            let key = self.string()?;
                            self.skip_ws();
                            self.expect(b':')?;
                            members.push((key, self.value(depth + 1)?));
                        } else {
                            items.push(self.value(depth + 1)?);
                        }
                        self.skip_ws();
                        if self.eat(close) {
                            break;
                        }
                        self.expect(b',')?;
                    }
                }
                Ok(if object { Json::Object(members) } else { Json::Array(items) })
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while self.pos < self.bytes.len()
                    && matches!(self.bytes[self.pos], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    self.pos += 1;
                }
                let text = std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or("");
                match text.parse::<f64>() {
                    Ok(n) => Ok(Json::Number(n)),
                    Err(_) => self.fail("bad number"),
                }
            }
            _ => self.fail("expected a value"),
        }
    }
}

/// A JSON string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON literal for a scalar hyperparameter value (non-finite numbers cannot pass validation; they print null).
pub fn value(v: &Value) -> String {
    match v {
        Value::Null | Value::Nested(_) => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_finite() => format!("{n:?}").trim_end_matches(".0").to_string(),
        Value::Number(_) => "null".to_string(),
        Value::Str(s) => quote(s),
        Value::List(items) => format!("[{}]", items.iter().map(|s| quote(s)).collect::<Vec<_>>().join(",")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flat_objects_and_keeps_nested_kinds() {
        let hp = parse_hyperparams(r#" {"alpha": 0.5, "fit_intercept": false, "solver": "svd\u00e9", "n_jobs": null, "x": [1, {"a": 2}], "é": -1e-3} "#).unwrap();
        assert_eq!(
            hp.0,
            vec![
                ("alpha".to_string(), Value::Number(0.5)),
                ("fit_intercept".to_string(), Value::Bool(false)),
                ("solver".to_string(), Value::Str("svdé".to_string())),
                ("n_jobs".to_string(), Value::Null),
                ("x".to_string(), Value::Nested("an array")),
                ("é".to_string(), Value::Number(-1e-3)),
            ]
        );
        let metrics = parse_hyperparams(r#"{"eval_metric": ["rmse", "mae"], "empty": []}"#).unwrap();
        assert_eq!(metrics.0[0].1, Value::List(vec!["rmse".to_string(), "mae".to_string()]));
        assert_eq!(metrics.0[1].1, Value::Nested("an array"));
        assert_eq!(value(&metrics.0[0].1), r#"["rmse","mae"]"#);
        assert_eq!(parse_hyperparams("").unwrap(), Hyperparams::default());
        assert_eq!(parse_hyperparams("{}").unwrap(), Hyperparams::default());
        assert_eq!(parse_hyperparams("null").unwrap(), Hyperparams::default());
    }

    #[test]
    fn malformed_json_is_an_error() {
        for bad in [
            "{",
            "{\"a\" 1}",
            "{\"a\": }",
            "[1]",
            "1 2",
            "{\"a\": 1} x",
            "{\"a\": \"\\q\"}",
            "{\"a\": 1e}",
            "{\"a\": [[[[",
            "\"a\"",
        ] {
            assert!(parse_hyperparams(bad).is_err(), "{bad}");
        }
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(100), "]".repeat(100));
        assert!(parse_hyperparams(&deep).is_err());
    }

    #[test]
    fn parses_whole_trees() {
        let json = parse(r#"{"a": [1, "x", null, {"b": true}], "c": {}}"#).unwrap();
        assert_eq!(json.get("a").and_then(Json::as_array).map(<[Json]>::len), Some(4));
        assert_eq!(json.get("a").unwrap().as_array().unwrap()[3].get("b"), Some(&Json::Bool(true)));
        assert_eq!(json.get("c"), Some(&Json::Object(vec![])));
        assert!(parse("[1,]").is_err());
    }

    #[test]
    fn writes_values() {
        assert_eq!(value(&Value::Number(1.0)), "1");
        assert_eq!(value(&Value::Number(0.0001)), "0.0001");
        assert_eq!(value(&Value::Str("a\"b".into())), "\"a\\\"b\"");
        assert_eq!(value(&Value::Bool(true)), "true");
    }
}
