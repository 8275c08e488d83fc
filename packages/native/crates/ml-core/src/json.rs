//! The little JSON the FFI boundary needs: hyperparameters arrive as `JSON.stringify(object)` (N-API has no cheap
//! generic object walk, and core stores them as jsonb anyway) and metadata leaves as JSON text. Flat objects of
//! scalars are all that is interpreted; nested arrays/objects are kept as a kind so validation can name them.

use std::fmt::Write;

use crate::error::{Error, Result};
use crate::hyperparams::{Hyperparams, Value};

/// Parses a JSON object of hyperparameters. `null`/empty input means no hyperparameters.
pub fn parse_hyperparams(text: &str) -> Result<Hyperparams> {
    let mut p = Parser { bytes: text.as_bytes(), pos: 0 };
    p.skip_ws();
    if p.pos == p.bytes.len() || p.eat_literal("null") {
        p.skip_ws();
        return p.end(Hyperparams::default());
    }
    let mut out = Vec::new();
    p.expect(b'{')?;
    p.skip_ws();
    if !p.eat(b'}') {
        loop {
            p.skip_ws();
            let key = p.string()?;
            p.skip_ws();
            p.expect(b':')?;
            out.push((key, p.value(0)?));
            p.skip_ws();
            if p.eat(b'}') {
                break;
            }
            p.expect(b',')?;
        }
    }
    p.skip_ws();
    p.end(Hyperparams(out))
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn fail<T>(&self, what: &str) -> Result<T> {
        Err(Error::hyperparameter(format!("hyperparameters are not valid JSON: {what} at byte {}", self.pos)))
    }
    fn end<T>(&self, value: T) -> Result<T> {
        if self.pos == self.bytes.len() {
            Ok(value)
        } else {
            self.fail("trailing characters")
        }
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
    fn expect(&mut self, b: u8) -> Result<()> {
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

    fn string(&mut self) -> Result<String> {
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

    fn value(&mut self, depth: usize) -> Result<Value> {
        if depth > MAX_DEPTH {
            return self.fail("nesting too deep");
        }
        self.skip_ws();
        match self.bytes.get(self.pos) {
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b't') if self.eat_literal("true") => Ok(Value::Bool(true)),
            Some(b'f') if self.eat_literal("false") => Ok(Value::Bool(false)),
            Some(b'n') if self.eat_literal("null") => Ok(Value::Null),
            Some(b'[') | Some(b'{') => {
                let (open, close) = if self.bytes[self.pos] == b'[' { (b'[', b']') } else { (b'{', b'}') };
                self.expect(open)?;
                self.skip_ws();
                if !self.eat(close) {
                    loop {
                        if open == b'{' {
                            self.skip_ws();
                            self.string()?;
                            self.skip_ws();
                            self.expect(b':')?;
                        }
                        self.value(depth + 1)?;
                        self.skip_ws();
                        if self.eat(close) {
                            break;
                        }
                        self.expect(b',')?;
                    }
                }
                Ok(Value::Nested(if open == b'[' { "an array" } else { "an object" }))
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while self.pos < self.bytes.len() && matches!(self.bytes[self.pos], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    self.pos += 1;
                }
                let text = std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or("");
                match text.parse::<f64>() {
                    Ok(n) => Ok(Value::Number(n)),
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
        assert_eq!(parse_hyperparams("").unwrap(), Hyperparams::default());
        assert_eq!(parse_hyperparams("{}").unwrap(), Hyperparams::default());
        assert_eq!(parse_hyperparams("null").unwrap(), Hyperparams::default());
    }

    #[test]
    fn malformed_json_is_an_error() {
        for bad in ["{", "{\"a\" 1}", "{\"a\": }", "[1]", "{\"a\": 1} x", "{\"a\": \"\\q\"}", "{\"a\": 1e}", "{\"a\": [[[[", "\"a\""] {
            assert!(parse_hyperparams(bad).is_err(), "{bad}");
        }
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(100), "]".repeat(100));
        assert!(parse_hyperparams(&deep).is_err());
    }

    #[test]
    fn writes_values() {
        assert_eq!(value(&Value::Number(1.0)), "1");
        assert_eq!(value(&Value::Number(0.0001)), "0.0001");
        assert_eq!(value(&Value::Str("a\"b".into())), "\"a\\\"b\"");
        assert_eq!(value(&Value::Bool(true)), "true");
    }
}
