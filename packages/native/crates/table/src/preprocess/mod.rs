//! PostgresML's per-column `preprocess` (encode → impute → scale) on the decoded matrix, with statistics from the
//! training rows only. The fitted state is JSON (stored with the model, so predict applies exactly the training
//! transform); its shape is `PreprocessorState` in packages/core/src/ml/preprocess-state.ts.
//!
//! Semantics (PostgresML 2.x `Preprocessor`, made stricter where it was ambiguous):
//! - Defaults: encode `native`, impute `error`, scale `preserve`. Only text columns are categorical.
//! - Text categories: `native`, `target`, `one_hot` and plain `ordinal` use the training categories in sorted
//!   (JavaScript string) order, so codes do not depend on row order; `{ ordinal: [...] }` uses the given order and a
//!   training value outside it is an error. Codes are 1..k, 0 being PostgresML's NULL category.
//! - Missing = NULL/NaN, and for native/ordinal/target also a category unseen in training: imputed from training
//!   statistics of the encoded values (`error` → DATA_ERROR naming the column and the count). For `one_hot` an unseen
//!   category is all zeros; NULL is imputed (`zero` also gives all zeros).
//! - Scale statistics are over the present training values (sklearn's scalers ignore NaN); one_hot columns are never
//!   scaled. Argument checks (which encodings fit which columns) happen in TypeScript before any data is read.

mod apply;
mod fit;
mod state;
pub mod stats;

pub use apply::{transform_table, CategoryCodes, RowTransform};
pub use fit::kind_of;
pub use fit::fit;
pub use state::{ColumnOptions, ColumnState, Encode, Impute, Kind, Scale, State};

use pgml_ml_core::Error;

/// The JSON a `--preprocess` flag (and `preprocess` option) takes to impute a column of this kind: valid for the
/// column's type, so the hint in an error can be pasted as it is.
pub fn impute_hint(name: &str, kind: Kind) -> String {
    let impute = if kind == Kind::Text { "mode" } else { "mean" };
    format!("{{{}: {{\"impute\": \"{impute}\"}}}}", pgml_ml_core::json::quote(name))
}

/// A value in a message as JavaScript (and PostgreSQL) spell it: `Infinity`, not Rust's `inf`.
fn shown(v: f64) -> String {
    match v {
        f64::INFINITY => "Infinity".into(),
        f64::NEG_INFINITY => "-Infinity".into(),
        _ => v.to_string(),
    }
}

/// `element` is the column or, for arrays, `column[i]`; the hint names the column, as the option does.
fn missing_error(element: &str, column: &str, kind: Kind, count: usize, where_: &str) -> Error {
    Error::data(format!(
        "{count} missing value(s) in {where_} rows of column {element:?}; impute them with the preprocess option, e.g. {}",
        impute_hint(column, kind)
    ))
}
