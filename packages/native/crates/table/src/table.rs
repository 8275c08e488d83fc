//! Decoded rows: a row-major f64 feature matrix, label columns and raw keys.

use crate::columns::WireType;
use crate::dictionary::Dictionary;

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
