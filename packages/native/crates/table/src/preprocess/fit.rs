//! Fitting the preprocessor: one pass over the training rows gathers every element's count, sum, min, max and
//! missing values together (row-major, so the matrix is read once, in cache-friendly rows); a second pass runs only
//! for standard scaling (sklearn's two-pass variance), and values are gathered only for the elements whose
//! imputation or scaling needs an order statistic.

use pgml_ml_core::{Error, Result};

use super::state::{ColumnOptions, ColumnState, Encode, Impute, Kind, Scale, State};
use super::stats::{median, min_max, mode, percentile, safe_scale, standard_scale};
use super::{apply::CategoryCodes, missing_error, shown};
use crate::columns::WireType;
use crate::dictionary::js_order;
use crate::table::{FeatureColumn, Table};

/// The kind preprocessing sees: text is categorical, arrays expand, booleans are 0/1.
pub fn kind_of(column: &FeatureColumn) -> Kind {
    match (column.is_array, column.wire) {
        (true, _) => Kind::Array,
        (false, WireType::Text) => Kind::Text,
        (false, WireType::Bool) => Kind::Bool,
        _ => Kind::Numeric,
    }
}

fn element_name(column: &FeatureColumn, e: usize) -> String {
    if column.is_array {
        format!("{}[{e}]", column.name)
    } else {
        column.name.clone()
    }
}

/// Identity columns are not scanned while fitting (the transform reports their gaps), so before a later column's gap
/// is reported an earlier identity column's is looked for: errors name the first column with a gap, in the
/// relation's order. Only on the error path, so a clean table is still read once.
fn earlier_identity_gap(table: &Table, states: &[ColumnState], train_rows: &[u32], c: usize) -> Option<Error> {
    for (i, column) in table.feature_columns.iter().enumerate().take(c).filter(|(i, _)| states[*i].is_identity()) {
        for e in 0..states[i].array_length {
            let at = column.offset + e;
            let missing =
                train_rows.iter().filter(|&&r| table.features[r as usize * table.width + at].is_nan()).count();
            if missing > 0 {
                return Some(missing_error(&element_name(column, e), &states[i], missing, "training", false));
            }
        }
    }
    None
}

/// One element's training statistics.
struct Accumulator {
    present: usize,
    sum: f64,
    values: Option<Vec<f64>>,
}

fn gathered(a: &mut Accumulator) -> &mut [f64] {
    a.values.as_deref_mut().expect("gathered for this imputation or scaling")
}

pub fn fit(table: &Table, train_rows: &[u32], options: &[ColumnOptions], target: Option<&[f64]>) -> Result<State> {
    if options.len() != table.feature_columns.len() {
        return Err(Error::invalid(format!(
            "{} preprocess options for {} feature columns",
            options.len(),
            table.feature_columns.len()
        )));
    }
    if table.features.len() != table.rows * table.width {
        return Err(Error::invalid("the table's features were already transformed"));
    }
    if train_rows.is_empty() {
        return Err(Error::new(pgml_ml_core::ErrorKind::DataError, "no training rows to fit preprocessing on"));
    }
    if let Some(&row) = train_rows.iter().find(|&&r| r as usize >= table.rows) {
        return Err(Error::invalid(format!("training row {row} is out of range for {} rows", table.rows)));
    }
    let mut states: Vec<ColumnState> = Vec::with_capacity(options.len());
    let mut codes: Vec<Option<CategoryCodes>> = Vec::with_capacity(options.len());
    for (column, opts) in table.feature_columns.iter().zip(options) {
        let (state, column_codes) = column_state(table, column, opts, train_rows, target)?;
        states.push(state);
        codes.push(column_codes);
    }

    // Pass 1: every element's present count, sum and, where needed, its present values.
    let needs_values = |s: &ColumnState| {
        matches!(s.impute, Impute::Median | Impute::Mode | Impute::Min | Impute::Max)
            || (s.encode != Encode::OneHot && matches!(s.scale, Scale::Robust | Scale::MinMax | Scale::MaxAbs))
    };
    let mut acc: Vec<Vec<Accumulator>> = states
        .iter()
        .map(|s| {
            let gather = needs_values(s);
            (0..s.array_length)
                .map(|_| Accumulator {
                    present: 0,
                    sum: 0.0,
                    values: gather.then(|| Vec::with_capacity(train_rows.len())),
                })
                .collect()
        })
        .collect();
    // Identity columns need no statistics: their missing or infinite values are reported when the matrix is
    // transformed (every row is checked there), so a plain numeric table is read once, not twice.
    let fitted: Vec<usize> = (0..states.len()).filter(|&c| !states[c].is_identity()).collect();
    for &row in train_rows.iter().take(if fitted.is_empty() { 0 } else { train_rows.len() }) {
        let row = row as usize;
        let slots = &table.features[row * table.width..(row + 1) * table.width];
        for &c in &fitted {
            let column = &table.feature_columns[c];
            for (e, a) in acc[c].iter_mut().enumerate() {
                let v = encoded(&states[c], codes[c].as_ref(), slots[column.offset + e]);
                if v.is_nan() {
                    continue;
                }
                if v.is_infinite() {
                    return Err(Error::data(format!(
                        "column {:?} contains {} in training row {row}",
                        element_name(column, e),
                        shown(v)
                    )));
                }
                a.present += 1;
                a.sum += v;
                if let Some(values) = a.values.as_mut() {
                    values.push(v);
                }
            }
        }
    }

    // Pass 2, only for standard scaling: sklearn's corrected two-pass variance needs the mean first.
    let standard: Vec<bool> = states.iter().map(|s| s.encode != Encode::OneHot && s.scale == Scale::Standard).collect();
    let mut variance: Vec<Vec<(f64, f64)>> = states.iter().map(|s| vec![(0.0, 0.0); s.array_length]).collect();
    if standard.iter().any(|&b| b) {
        for &row in train_rows {
            let slots = &table.features[row as usize * table.width..];
            for (c, column) in table.feature_columns.iter().enumerate().filter(|(c, _)| standard[*c]) {
                for (e, (correction, squares)) in variance[c].iter_mut().enumerate() {
                    let v = encoded(&states[c], codes[c].as_ref(), slots[column.offset + e]);
                    if !v.is_nan() {
                        let d = v - acc[c][e].sum / acc[c][e].present as f64;
                        *correction += d;
                        *squares += d * d;
                    }
                }
            }
        }
    }

    for (c, column) in table.feature_columns.iter().enumerate() {
        let gap =
            |a: &Accumulator| a.present == 0 || (a.present < train_rows.len() && states[c].impute == Impute::Error);
        if !states[c].is_identity() && acc[c].iter().any(gap) {
            if let Some(earlier) = earlier_identity_gap(table, &states, train_rows, c) {
                return Err(earlier);
            }
        }
        let state = &mut states[c];
        if state.is_identity() {
            state.fill = vec![None; state.array_length];
            state.offset = vec![0.0; state.array_length];
            state.divisor = vec![1.0; state.array_length];
            continue;
        }
        for (e, a) in acc[c].iter_mut().enumerate() {
            let name = element_name(column, e);
            let missing = train_rows.len() - a.present;
            if a.present == 0 {
                return Err(Error::data(format!("column {name:?} is NULL in all {missing} training rows")));
            }
            if missing > 0 && state.impute == Impute::Error {
                return Err(missing_error(&name, state, missing, "training", false));
            }
            let mean = a.sum / a.present as f64;
            let (lo, hi) = a.values.as_deref().map_or((f64::NAN, f64::NAN), min_max);
            let fill = match state.impute {
                Impute::Error => None,
                Impute::Mean => Some(mean),
                Impute::Median => Some(median(gathered(a))),
                Impute::Mode => Some(mode(gathered(a))),
                Impute::Min => Some(lo),
                Impute::Max => Some(hi),
                Impute::Zero => Some(0.0),
            };
            let (offset, divisor) = match (state.encode, state.scale) {
                (Encode::OneHot, _) | (_, Scale::Preserve) => (0.0, 1.0),
                (_, Scale::Standard) => {
                    let (correction, squares) = variance[c][e];
                    let n = a.present as f64;
                    (mean, standard_scale((squares - correction * correction / n) / n, mean, a.present))
                }
                (_, Scale::MinMax) => (lo, safe_scale(hi - lo)),
                (_, Scale::MaxAbs) => (0.0, safe_scale(lo.abs().max(hi.abs()))),
                (_, Scale::Robust) => {
                    let values = gathered(a);
                    (median(values), safe_scale(percentile(values, 75.0) - percentile(values, 25.0)))
                }
            };
            state.fill.push(fill);
            state.offset.push(offset);
            state.divisor.push(divisor);
        }
    }
    let num_features = states.iter().map(|s| s.width).sum();
    Ok(State { columns: states, num_features })
}

/// A training-time value of element `raw` for the state being fitted (text: its encoded category).
#[inline]
fn encoded(state: &ColumnState, codes: Option<&CategoryCodes>, raw: f64) -> f64 {
    match codes {
        None => raw,
        Some(codes) => codes.encode(state, raw),
    }
}

/// The column's options resolved against its data: text categories, target means; statistics are filled later.
fn column_state(
    table: &Table,
    column: &FeatureColumn,
    opts: &ColumnOptions,
    train_rows: &[u32],
    target: Option<&[f64]>,
) -> Result<(ColumnState, Option<CategoryCodes>)> {
    let kind = kind_of(column);
    let mut state = ColumnState {
        name: column.name.clone(),
        kind,
        array_length: column.width,
        encode: opts.encode,
        impute: opts.impute,
        scale: opts.scale,
        categories: None,
        target_means: None,
        fill: Vec::with_capacity(column.width),
        offset: Vec::with_capacity(column.width),
        divisor: Vec::with_capacity(column.width),
        width: column.width,
    };
    let Some(dictionary) = column.dictionary.as_ref() else { return Ok((state, None)) };
    let code_at = |row: u32| table.features[row as usize * table.width + column.offset];
    let mut seen = vec![false; dictionary.len()];
    for &row in train_rows {
        let code = code_at(row);
        if !code.is_nan() {
            seen[code as usize] = true;
        }
    }
    let values = dictionary.values();
    let categories: Vec<String> = match &opts.ordinal {
        Some(order) => {
            if let Some(outside) = (0..values.len()).find(|&c| seen[c] && !order.contains(&values[c])) {
                return Err(Error::data(format!(
                    "column {:?}: value {:?} is not in the ordinal list",
                    column.name, values[outside]
                )));
            }
            order.clone()
        }
        None => {
            let mut present: Vec<String> = (0..values.len()).filter(|&c| seen[c]).map(|c| values[c].clone()).collect();
            if present.is_empty() {
                return Err(Error::data(format!("column {:?} is NULL in all training rows", column.name)));
            }
            present.sort_by(|a, b| js_order(a, b));
            present
        }
    };
    let codes = CategoryCodes::from_dictionary(dictionary, &categories);
    if opts.encode == Encode::Target {
        let target = target.ok_or_else(|| {
            Error::invalid(format!("column {:?}: target encoding needs the training target", column.name))
        })?;
        state.target_means = Some(target_means(&codes, categories.len(), train_rows, &code_at, target));
    }
    if opts.encode == Encode::OneHot {
        state.width = categories.len();
    }
    state.categories = Some(categories);
    Ok((state, Some(codes)))
}

/// Mean target per category over training rows (PostgresML's target encoding); categories without one get the
/// overall mean.
fn target_means(
    codes: &CategoryCodes,
    k: usize,
    train_rows: &[u32],
    code_at: &dyn Fn(u32) -> f64,
    target: &[f64],
) -> Vec<f64> {
    let (mut sums, mut counts) = (vec![0.0; k], vec![0.0; k]);
    let (mut total, mut count) = (0.0, 0.0);
    for &row in train_rows {
        let y = target[row as usize];
        if y.is_nan() {
            continue;
        }
        total += y;
        count += 1.0;
        if let Some(c) = codes.category(code_at(row)) {
            sums[c] += y;
            counts[c] += 1.0;
        }
    }
    let overall = if count > 0.0 { total / count } else { 0.0 };
    (0..k).map(|c| if counts[c] > 0.0 { sums[c] / counts[c] } else { overall }).collect()
}
