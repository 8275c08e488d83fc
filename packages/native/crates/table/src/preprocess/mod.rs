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
pub use fit::fit;
pub use fit::kind_of;
pub use state::{ColumnOptions, ColumnState, Encode, Impute, Kind, Scale, State};

use pgml_ml_core::Error;

/// The `preprocess` JSON for one column that imputes it, keeping the column's encoding and scaling: valid for the
/// column's type (text and one-hot columns take `mode`, numbers `mean`), so the hint in an error can be pasted into
/// the `preprocess` option or the `--preprocess` flag as it is.
pub fn impute_hint(column: &ColumnState) -> String {
    let quote = pgml_ml_core::json::quote;
    let mut fields = Vec::new();
    if column.encode != Encode::Native {
        fields.push(format!("\"encode\": \"{}\"", column.encode.name()));
    }
    if let (Encode::Ordinal, Some(categories)) = (column.encode, &column.categories) {
        let order: Vec<String> = categories.iter().map(|c| quote(c)).collect();
        fields.push(format!("\"ordinal\": [{}]", order.join(", ")));
    }
    let impute = if column.kind == Kind::Text || column.encode == Encode::OneHot { "mode" } else { "mean" };
    fields.push(format!("\"impute\": \"{impute}\""));
    if column.scale != Scale::Preserve {
        fields.push(format!("\"scale\": \"{}\"", column.scale.name()));
    }
    format!("{{{}: {{{}}}}}", quote(&column.name), fields.join(", "))
}

/// A value in a message as JavaScript (and PostgreSQL) spell it: `Infinity`, not Rust's `inf`.
fn shown(v: f64) -> String {
    match v {
        f64::INFINITY => "Infinity".into(),
        f64::NEG_INFINITY => "-Infinity".into(),
        _ => v.to_string(),
    }
}

/// `element` is the column or, for arrays, `column[i]`; the hint names the column, as the option does. `scoring`:
/// the rows are predict input, for a model already trained without imputing this column.
fn missing_error(element: &str, column: &ColumnState, count: usize, where_: &str, scoring: bool) -> Error {
    let hint = impute_hint(column);
    let remedy = if scoring {
        format!("the model was trained without imputing it (impute \"error\"): give every row a value, or re-train with preprocess {hint}")
    } else {
        format!("impute them: train with preprocess {hint}")
    };
    Error::data(format!(
        "{count} missing value(s) in {where_} rows of column {element:?}; {remedy} (--preprocess on the command line)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(kind: Kind, encode: Encode, scale: Scale, categories: Option<Vec<String>>) -> ColumnState {
        ColumnState {
            name: "c\"1".into(),
            kind,
            array_length: 1,
            encode,
            impute: Impute::Error,
            scale,
            categories,
            target_means: None,
            fill: vec![],
            offset: vec![],
            divisor: vec![],
            width: 1,
        }
    }

    #[test]
    fn hints_are_valid_for_the_column_and_keep_its_options() {
        assert_eq!(
            impute_hint(&column(Kind::Numeric, Encode::Native, Scale::Preserve, None)),
            r#"{"c\"1": {"impute": "mean"}}"#
        );
        assert_eq!(
            impute_hint(&column(Kind::Array, Encode::Native, Scale::Standard, None)),
            r#"{"c\"1": {"impute": "mean", "scale": "standard"}}"#
        );
        assert_eq!(
            impute_hint(&column(Kind::Text, Encode::Native, Scale::Preserve, None)),
            r#"{"c\"1": {"impute": "mode"}}"#
        );
        assert_eq!(
            impute_hint(&column(Kind::Text, Encode::OneHot, Scale::Preserve, None)),
            r#"{"c\"1": {"encode": "one_hot", "impute": "mode"}}"#
        );
        let ordinal = column(Kind::Text, Encode::Ordinal, Scale::MinMax, Some(vec!["s".into(), "m".into()]));
        assert_eq!(
            impute_hint(&ordinal),
            r#"{"c\"1": {"encode": "ordinal", "ordinal": ["s", "m"], "impute": "mode", "scale": "min_max"}}"#
        );
    }

    #[test]
    fn scoring_errors_say_the_model_cannot_impute() {
        let numeric = column(Kind::Numeric, Encode::Native, Scale::Preserve, None);
        let training = missing_error("c", &numeric, 2, "training", false).message;
        assert!(
            training.starts_with(
                "2 missing value(s) in training rows of column \"c\"; impute them: train with preprocess {"
            ),
            "{training}"
        );
        let scoring = missing_error("c", &numeric, 1, "input", true).message;
        assert!(
            scoring.contains("trained without imputing it") && scoring.contains("re-train with preprocess {"),
            "{scoring}"
        );
    }
}
