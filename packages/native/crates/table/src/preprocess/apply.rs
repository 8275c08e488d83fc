//! Applying a fitted preprocessor: raw row values → model features. On a decoded table whose output has the raw
//! width (no one_hot), the rows are permuted and transformed in place; otherwise they are gathered into the output.

use pgml_ml_core::{Error, Result};

use super::state::{ColumnState, Encode, Kind, State};
use super::{missing_error, shown};
use crate::dictionary::Dictionary;
use crate::reorder::permute_rows;
use crate::table::Table;

/// A one_hot category unseen in training: all zeros (distinct from NULL, which is imputed).
const UNSEEN: f64 = -1.0;

/// How a text column's slot values map to the fitted categories: dictionary codes of a decoded table (`remap`),
/// or already category indices (predict inputs, where negative means a category unseen in training).
pub struct CategoryCodes {
    remap: Option<Vec<i64>>,
}

impl CategoryCodes {
    pub fn from_dictionary(dictionary: &Dictionary, categories: &[String]) -> Self {
        let index: std::collections::HashMap<&str, i64> =
            categories.iter().enumerate().map(|(i, c)| (c.as_str(), i as i64)).collect();
        CategoryCodes {
            remap: Some(dictionary.values().iter().map(|v| index.get(v.as_str()).copied().unwrap_or(-1)).collect()),
        }
    }

    pub fn category_indices() -> Self {
        CategoryCodes { remap: None }
    }

    /// The category of a slot value: None for NULL or a value unseen in training.
    #[inline]
    pub fn category(&self, raw: f64) -> Option<usize> {
        if raw.is_nan() {
            return None;
        }
        let index = match &self.remap {
            Some(remap) => remap.get(raw as usize).copied().unwrap_or(-1),
            None => raw as i64,
        };
        usize::try_from(index).ok()
    }

    /// The encoded value: NaN when missing (NULL, or unseen outside one_hot), `UNSEEN` for one_hot.
    #[inline]
    pub fn encode(&self, state: &ColumnState, raw: f64) -> f64 {
        match self.category(raw) {
            Some(c) if c < state.categories.as_ref().map_or(0, Vec::len) => match (state.encode, &state.target_means) {
                (Encode::Target, Some(means)) => means[c],
                _ => (c + 1) as f64,
            },
            _ if raw.is_nan() => f64::NAN,
            _ if state.encode == Encode::OneHot => UNSEEN,
            _ => f64::NAN,
        }
    }
}

/// Where each state column's raw values are in a source row, and how its text maps to categories.
pub struct SourceColumn {
    pub offset: usize,
    pub codes: Option<CategoryCodes>,
}

/// Why a row could not be transformed.
#[derive(Clone, Copy)]
enum Rejected {
    /// Column `c` has a missing value and nothing to impute it with.
    Missing(usize),
    /// Column `c` has ±Infinity, which no model takes.
    Infinite(usize, f64),
}

/// Transforms one row.
#[inline]
fn apply_row(
    state: &State,
    sources: &[SourceColumn],
    src: &[f64],
    dst: &mut [f64],
) -> std::result::Result<(), Rejected> {
    let mut at = 0;
    for (c, (column, source)) in state.columns.iter().zip(sources).enumerate() {
        let raw = &src[source.offset..source.offset + column.array_length];
        if column.encode == Encode::OneHot {
            let out = &mut dst[at..at + column.width];
            out.fill(0.0);
            let mut v = source.codes.as_ref().expect("text column").encode(column, raw[0]);
            if v.is_nan() {
                v = column.fill[0].ok_or(Rejected::Missing(c))?;
            }
            if v >= 1.0 {
                out[v as usize - 1] = 1.0;
            }
        } else if column.is_identity() {
            let out = &mut dst[at..at + column.width];
            out.copy_from_slice(raw);
            check_finite(out, c)?;
        } else {
            for (e, (&x, out)) in raw.iter().zip(&mut dst[at..at + column.width]).enumerate() {
                let mut v = match &source.codes {
                    Some(codes) => codes.encode(column, x),
                    None => x,
                };
                if v.is_nan() {
                    v = column.fill[e].ok_or(Rejected::Missing(c))?;
                } else if v.is_infinite() {
                    return Err(Rejected::Infinite(c, v));
                }
                *out = (v - column.offset[e]) / column.divisor[e];
            }
        }
        at += column.width;
    }
    Ok(())
}

/// Missing (NaN) or infinite values in an identity column's slots; the common case is one vectorisable sum.
#[inline]
fn check_finite(values: &[f64], c: usize) -> std::result::Result<(), Rejected> {
    // v * 0 is 0 for finite v and NaN otherwise: one pass, no branch per value.
    if !values.iter().map(|v| v * 0.0).sum::<f64>().is_nan() {
        return Ok(());
    }
    match values.iter().find(|v| !v.is_finite()) {
        Some(v) if v.is_nan() => Err(Rejected::Missing(c)),
        Some(&v) => Err(Rejected::Infinite(c, v)),
        None => Ok(()),
    }
}

/// Rows are whole in place when every column passes through unchanged: only their values need checking.
fn all_identity(state: &State) -> bool {
    state.columns.iter().all(ColumnState::is_identity)
}

/// The error for a rejected row: missing values counted over `rows`, an infinite value with its relation row.
fn rejected(
    state: &State,
    sources: &[SourceColumn],
    why: Rejected,
    source_row: usize,
    rows: &mut dyn Iterator<Item = &[f64]>,
    where_: &str,
) -> Error {
    match why {
        Rejected::Missing(c) => missing(state, sources, c, rows, where_),
        Rejected::Infinite(c, v) => Error::data(format!(
            "column {:?} contains {} in {where_} row {source_row}",
            state.columns[c].name,
            shown(v)
        )),
    }
}

fn missing(
    state: &State,
    sources: &[SourceColumn],
    c: usize,
    rows: &mut dyn Iterator<Item = &[f64]>,
    where_: &str,
) -> Error {
    let (column, source) = (&state.columns[c], &sources[c]);
    let mut count = 0;
    let mut element = None;
    for src in rows {
        for (e, &x) in src[source.offset..source.offset + column.array_length].iter().enumerate() {
            let v = source.codes.as_ref().map_or(x, |codes| codes.encode(column, x));
            if v.is_nan() && column.fill[e].is_none() {
                count += 1;
                element.get_or_insert(e);
            }
        }
    }
    let name = match (column.kind, element) {
        (Kind::Array, Some(e)) => format!("{}[{e}]", column.name),
        _ => column.name.clone(),
    };
    let what = if column.kind == Kind::Text {
        format!("{where_} (NULL or a category unseen in training)")
    } else {
        where_.to_string()
    };
    // Training and test rows are read while training; anything else is a trained model's input.
    missing_error(&name, column, count, &what, !matches!(where_, "training" | "test"))
}

/// A fitted preprocessor ready for predict inputs: where each column's raw values sit in a row is worked out once,
/// so transforming a row allocates nothing.
pub struct RowTransform {
    state: State,
    sources: Vec<SourceColumn>,
    /// Raw values per row: every column's array length.
    width: usize,
}

impl RowTransform {
    pub fn new(state: State) -> Self {
        let mut offset = 0;
        let sources = state
            .columns
            .iter()
            .map(|c| {
                let source =
                    SourceColumn { offset, codes: (c.kind == Kind::Text).then(CategoryCodes::category_indices) };
                offset += c.array_length;
                source
            })
            .collect();
        RowTransform { state, sources, width: offset }
    }

    pub fn raw_width(&self) -> usize {
        self.width
    }

    pub fn num_features(&self) -> usize {
        self.state.num_features
    }

    /// Model input for raw predict rows (`rows × raw width`, text as category indices, NaN for NULL).
    pub fn apply(&self, raw: &[f64], rows: usize) -> Result<Vec<f64>> {
        let mut out = vec![0.0; rows * self.state.num_features];
        self.apply_into(raw, rows, &mut out)?;
        Ok(out)
    }

    /// `apply` into `out` (`rows × features`), which must have exactly that length.
    pub fn apply_into(&self, raw: &[f64], rows: usize, out: &mut [f64]) -> Result<()> {
        let (width, features) = (self.width, self.state.num_features);
        if raw.len() != rows * width {
            return Err(Error::invalid(format!("{} raw values for {rows} rows of {width}", raw.len())));
        }
        if out.len() != rows * features {
            return Err(Error::invalid(format!(
                "the output has room for {} values, {rows} rows of {features} features need {}",
                out.len(),
                rows * features
            )));
        }
        for (row, (src, dst)) in raw.chunks_exact(width.max(1)).zip(out.chunks_exact_mut(features.max(1))).enumerate() {
            if let Err(why) = apply_row(&self.state, &self.sources, src, dst) {
                return Err(rejected(&self.state, &self.sources, why, row, &mut raw.chunks_exact(width), "input"));
            }
        }
        Ok(())
    }
}

/// The model input of a decoded table, rows in `order` (training rows, then test rows), returned as one buffer; the
/// table's own matrix is consumed (transformed in place when the widths allow). `test_from`: the position in
/// `order` where test rows start, for messages; 0 means there are no training rows (scoring input rows).
pub fn transform_table(table: &mut Table, state: &State, order: &[u32], test_from: usize) -> Result<Vec<f64>> {
    if state.columns.len() != table.feature_columns.len() {
        return Err(Error::invalid(format!(
            "the preprocessor has {} columns, the table {}",
            state.columns.len(),
            table.feature_columns.len()
        )));
    }
    let mut sources = Vec::with_capacity(state.columns.len());
    for (column, decoded) in state.columns.iter().zip(&table.feature_columns) {
        if column.name != decoded.name || column.array_length != decoded.width {
            return Err(Error::invalid(format!(
                "preprocessor column {:?} does not match the table's {:?}",
                column.name, decoded.name
            )));
        }
        let codes = match (&decoded.dictionary, &column.categories) {
            (Some(d), Some(categories)) => Some(CategoryCodes::from_dictionary(d, categories)),
            (None, None) => None,
            _ => {
                return Err(Error::invalid(format!(
                    "column {:?} is text in only one of the table and the preprocessor",
                    column.name
                )))
            }
        };
        sources.push(SourceColumn { offset: decoded.offset, codes });
    }
    let (width, features) = (table.width, std::mem::take(&mut table.features));
    let describe = |position: usize| match test_from {
        0 => "input",
        _ if position < test_from => "training",
        _ => "test",
    };
    if state.num_features == width && order.len() == table.rows {
        let mut data = features;
        permute_rows(&mut data, width, order)?;
        let identity = all_identity(state);
        let mut src = vec![0.0; width];
        for i in 0..table.rows {
            let row = &mut data[i * width..(i + 1) * width];
            let outcome = if identity {
                state.columns.iter().zip(&sources).enumerate().try_for_each(|(c, (column, source))| {
                    check_finite(&row[source.offset..source.offset + column.width], c)
                })
            } else {
                src.copy_from_slice(row);
                apply_row(state, &sources, &src, row)
            };
            if let Err(why) = outcome {
                // Rows before `i` are already transformed (and had no missing value here): count from `i` on.
                let end = if i < test_from { test_from } else { table.rows };
                let mut rows = data[i * width..end * width].chunks_exact(width);
                return Err(rejected(state, &sources, why, order[i] as usize, &mut rows, describe(i)));
            }
        }
        return Ok(data);
    }
    let mut out = Vec::with_capacity(order.len() * state.num_features);
    pgml_ml_core::memory::advise_huge_pages(&out);
    out.resize(order.len() * state.num_features, 0.0);
    for (i, (&row, dst)) in order.iter().zip(out.chunks_exact_mut(state.num_features.max(1))).enumerate() {
        let row = row as usize;
        if row >= table.rows {
            return Err(Error::invalid(format!("row {row} is out of range for {} rows", table.rows)));
        }
        if let Err(why) = apply_row(state, &sources, &features[row * width..(row + 1) * width], dst) {
            let part = if i < test_from { &order[..test_from] } else { &order[test_from..] };
            let mut rows = part.iter().map(|&r| &features[r as usize * width..(r as usize + 1) * width]);
            return Err(rejected(state, &sources, why, row, &mut rows, describe(i)));
        }
    }
    Ok(out)
}
