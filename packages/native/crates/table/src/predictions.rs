//! Predictions as a binary COPY FROM stream: per row the key fields exactly as they were read (so the target column
//! has the key's own type), the prediction, and optionally the class probabilities as `float8[]`.

use pgml_ml_core::{Error, Result};

use crate::copy_format::SIGNATURE;
use crate::table::Table;

/// What the prediction column holds.
pub enum Prediction<'a> {
    /// One number per row (`float8`).
    Number(&'a [f64]),
    /// `width` numbers per row (`float8[]`): joint regression, decomposition.
    Numbers { values: &'a [f64], width: usize },
    /// Class indices written as their text label.
    TextLabel { classes: &'a [f64], labels: &'a [String] },
    /// Class indices of a boolean label (0 → false, 1 → true).
    BoolLabel(&'a [f64]),
}

impl Prediction<'_> {
    fn rows(&self) -> usize {
        match self {
            Prediction::Number(v) | Prediction::BoolLabel(v) => v.len(),
            Prediction::Numbers { values, width } => values.len() / (*width).max(1),
            Prediction::TextLabel { classes, .. } => classes.len(),
        }
    }
}

fn float8_array(out: &mut Vec<u8>, values: &[f64]) {
    out.extend_from_slice(&((20 + 12 * values.len()) as i32).to_be_bytes());
    for header in [1i32, 0, 701, values.len() as i32, 1] {
        out.extend_from_slice(&header.to_be_bytes());
    }
    for v in values {
        out.extend_from_slice(&8i32.to_be_bytes());
        out.extend_from_slice(&v.to_be_bytes());
    }
}

fn class(index: f64, classes: usize) -> Result<usize> {
    if index >= 0.0 && index.fract() == 0.0 && (index as usize) < classes {
        Ok(index as usize)
    } else {
        Err(Error::invalid(format!("predicted class {index} is outside the model's {classes} classes")))
    }
}

/// One binary COPY stream (header to trailer) of the table's keys with their predictions (and `probabilities`:
/// rows × k); there must be one prediction per row of the table.
pub fn encode(table: &Table, prediction: &Prediction, probabilities: Option<(&[f64], usize)>) -> Result<Vec<u8>> {
    let (keys, key_columns) = (table.key_rows(), table.key_columns);
    let rows = prediction.rows();
    if rows != table.rows {
        return Err(Error::invalid(format!("{rows} predictions for a table of {} rows", table.rows)));
    }
    if let Some((p, k)) = probabilities {
        if k == 0 || p.len() != rows * k {
            return Err(Error::invalid(format!("{} probabilities for {rows} rows of {k} classes", p.len())));
        }
    }
    let fields = (key_columns + 1 + usize::from(probabilities.is_some())) as i16;
    let mut out = Vec::with_capacity(32 + rows * (24 + probabilities.map_or(0, |(_, k)| 20 + 12 * k)));
    out.extend_from_slice(SIGNATURE);
    out.extend_from_slice(&[0; 8]);
    let mut written = 0;
    for (row, key) in keys.take(rows).enumerate() {
        out.extend_from_slice(&fields.to_be_bytes());
        out.extend_from_slice(key);
        match prediction {
            Prediction::Number(values) => {
                out.extend_from_slice(&8i32.to_be_bytes());
                out.extend_from_slice(&values[row].to_be_bytes());
            }
            Prediction::Numbers { values, width } => float8_array(&mut out, &values[row * width..(row + 1) * width]),
            Prediction::TextLabel { classes, labels } => {
                let label = &labels[class(classes[row], labels.len())?];
                out.extend_from_slice(&(label.len() as i32).to_be_bytes());
                out.extend_from_slice(label.as_bytes());
            }
            Prediction::BoolLabel(classes) => {
                out.extend_from_slice(&1i32.to_be_bytes());
                out.push(class(classes[row], 2)? as u8);
            }
        }
        if let Some((p, k)) = probabilities {
            float8_array(&mut out, &p[row * k..(row + 1) * k]);
        }
        written += 1;
    }
    if written != rows {
        return Err(Error::invalid(format!("{written} keys for {rows} predictions")));
    }
    out.extend_from_slice(&(-1i16).to_be_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::TableBuilder;
    use crate::columns::{ColumnSpec, Role, WireType};
    use crate::copy_format::tests::stream;

    #[test]
    fn writes_what_the_decoder_reads_back() {
        let specs = vec![ColumnSpec { name: "id".into(), wire: WireType::Int4, role: Role::Key, array: None }];
        let mut builder = TableBuilder::new(specs, 0).unwrap();
        builder.push(&stream(&[vec![Some(5i32.to_be_bytes().to_vec())], vec![None]])).unwrap();
        let table = builder.finish().unwrap();
        let labels = vec!["cat".to_string(), "dog".to_string()];
        let bytes = encode(
            &table,
            &Prediction::TextLabel { classes: &[1.0, 0.0], labels: &labels },
            Some((&[0.25, 0.75, 0.5, 0.5], 2)),
        )
        .unwrap();
        let specs = vec![
            ColumnSpec { name: "id".into(), wire: WireType::Int4, role: Role::Feature, array: None },
            ColumnSpec { name: "label".into(), wire: WireType::Text, role: Role::Feature, array: None },
            ColumnSpec { name: "p".into(), wire: WireType::Float8, role: Role::Feature, array: Some(2) },
        ];
        let mut reader = TableBuilder::new(specs, 0).unwrap();
        reader.push(&bytes).unwrap();
        let back = reader.finish().unwrap();
        assert_eq!(&back.features[0..4], &[5.0, 0.0, 0.25, 0.75]);
        assert!(back.features[4].is_nan());
        assert_eq!(back.feature_columns[1].dictionary.as_ref().unwrap().values(), ["dog", "cat"]);
        assert!(encode(&table, &Prediction::BoolLabel(&[2.0, 0.0]), None).is_err());
        assert!(encode(&table, &Prediction::Number(&[1.0]), None).is_err());
    }
}
