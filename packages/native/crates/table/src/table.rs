//! Decoded rows: a row-major f64 feature matrix, label columns and raw keys.

use pgml_ml_core::{Error, Result};

use crate::columns::WireType;
use crate::dictionary::Dictionary;

/// `theirs`' codes as codes of `ours` (adding the values `ours` lacks).
fn translate(ours: &mut Dictionary, theirs: &Dictionary) -> Result<Vec<f64>> {
    theirs
        .values()
        .iter()
        .map(|v| ours.code(v.as_bytes()).map(f64::from).map_err(|_| Error::invalid("a dictionary value is not UTF-8")))
        .collect()
}

/// A feature column's place in the matrix.
pub struct FeatureColumn {
    pub name: String,
    pub wire: WireType,
    /// First slot of the column in a row.
    pub offset: usize,
    /// Slots it takes: array elements, else 1.
    pub width: usize,
    pub is_array: bool,
    /// Text columns: the distinct values; the slot holds the code (NaN for NULL).
    pub dictionary: Option<Dictionary>,
}

pub struct LabelColumn {
    pub name: String,
    pub wire: WireType,
    /// One value per row (NaN for NULL); a text label holds its code in `dictionary`.
    pub values: Vec<f64>,
    pub dictionary: Option<Dictionary>,
}

#[derive(Default)]
pub struct Table {
    pub rows: usize,
    /// rows × width, row-major; NaN marks NULL.
    pub features: Vec<f64>,
    pub width: usize,
    pub feature_columns: Vec<FeatureColumn>,
    pub labels: Vec<LabelColumn>,
    /// Key columns of every row as they travelled (i32 length + bytes each), ready to be written back by COPY FROM.
    pub keys: Vec<u8>,
    pub key_columns: usize,
}

impl Table {
    /// Appends `other`'s rows (decoded with the same columns, e.g. the second half of a relation read in parallel):
    /// its text codes are translated into this table's dictionaries, its matrix moved without a third copy.
    pub fn append(&mut self, other: Table) -> Result<()> {
        let same_shape = self.width == other.width
            && self.key_columns == other.key_columns
            && self.feature_columns.len() == other.feature_columns.len()
            && self.labels.len() == other.labels.len()
            && self
                .feature_columns
                .iter()
                .zip(&other.feature_columns)
                .all(|(a, b)| a.name == b.name && a.width == b.width && a.wire == b.wire)
            && self.labels.iter().zip(&other.labels).all(|(a, b)| a.name == b.name && a.wire == b.wire);
        if !same_shape
            || self.features.len() != self.rows * self.width
            || other.features.len() != other.rows * other.width
        {
            return Err(Error::invalid(
                "tables to append must be decoded from the same columns, and not yet transformed",
            ));
        }
        let start = self.rows;
        let Table { rows, features, feature_columns, labels, keys, .. } = other;
        crate::memory::move_onto(&mut self.features, features);
        for (column, theirs) in self.feature_columns.iter_mut().zip(&feature_columns) {
            let (Some(ours), Some(theirs)) = (column.dictionary.as_mut(), theirs.dictionary.as_ref()) else { continue };
            let remap = translate(ours, theirs)?;
            for row in start..start + rows {
                let slot = &mut self.features[row * self.width + column.offset];
                if !slot.is_nan() {
                    *slot = remap[*slot as usize];
                }
            }
        }
        for (column, theirs) in self.labels.iter_mut().zip(labels) {
            let remap = match (column.dictionary.as_mut(), theirs.dictionary.as_ref()) {
                (Some(ours), Some(theirs)) => Some(translate(ours, theirs)?),
                _ => None,
            };
            column.values.extend(theirs.values.iter().map(|&v| match &remap {
                Some(remap) if !v.is_nan() => remap[v as usize],
                _ => v,
            }));
        }
        self.keys.extend_from_slice(&keys);
        self.rows += rows;
        Ok(())
    }

    /// The key fields of each row, in order.
    pub fn key_rows(&self) -> KeyRows<'_> {
        KeyRows { bytes: &self.keys, columns: self.key_columns }
    }
}

pub struct KeyRows<'a> {
    bytes: &'a [u8],
    columns: usize,
}

impl<'a> Iterator for KeyRows<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.bytes.is_empty() || self.columns == 0 {
            return None;
        }
        let mut end = 0;
        for _ in 0..self.columns {
            let len = crate::copy_format::be_i32(&self.bytes[end..]);
            end += 4 + len.max(0) as usize;
        }
        let (row, rest) = self.bytes.split_at(end);
        self.bytes = rest;
        Some(row)
    }
}
