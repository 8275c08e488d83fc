//! Chunks of a binary COPY stream → a `Table`, one pass, no per-row allocation: each field is decoded straight
//! into its slot of the row-major matrix (or its label column, or the key bytes).

use pgml_ml_core::{Error, Result};

use crate::columns::{ColumnSpec, Role, WireType};
use crate::copy_format::{be_i32, Framer, Tuple};
use crate::decode::{array_into, scalar_unchecked, FieldError};
use crate::dictionary::Dictionary;
use crate::table::{FeatureColumn, LabelColumn, Table};
use crate::wire::{WireEnd, WireFramer};

pub struct TableBuilder {
    specs: Vec<ColumnSpec>,
    plan: Vec<Step>,
    fixed: Option<FixedLayout>,
    framer: Framer,
    wire: WireFramer,
    /// The start of a handed-back protocol message that arrived in an earlier chunk (see `push_wire`).
    pub wire_carry: Vec<u8>,
    table: Table,
    /// Row numbers of `table` continue from here (rows already taken), for messages.
    first_row: usize,
}

/// What to do with field i of every row, worked out once so the per-field work is a jump and a store.
#[derive(Clone, Copy)]
enum Step {
    /// A fixed-size scalar into feature slot `slot`.
    Scalar {
        slot: usize,
        wire: WireType,
        size: usize,
    },
    Text {
        slot: usize,
        column: usize,
    },
    Array {
        slot: usize,
        width: usize,
        wire: WireType,
    },
    Label {
        index: usize,
        wire: WireType,
        size: usize,
    },
    TextLabel {
        index: usize,
    },
    Key,
}

/// The byte layout every row has when all columns are fixed-size scalars and none is NULL — the common shape of a
/// numeric training table. Such a row is decoded at constant offsets, checking each length prefix with one compare.
struct FixedLayout {
    size: usize,
    /// Per field: where its value starts in the tuple, its length prefix as it travels (read natively), its step.
    fields: Vec<(usize, u32, Step)>,
}

fn fixed_layout(plan: &[Step]) -> Option<FixedLayout> {
    let mut at = 2;
    let mut fields = Vec::with_capacity(plan.len());
    for step in plan {
        let size = match *step {
            Step::Scalar { size, .. } | Step::Label { size, .. } => size,
            _ => return None,
        };
        fields.push((at + 4, u32::from_ne_bytes((size as i32).to_be_bytes()), *step));
        at += 4 + size;
    }
    Some(FixedLayout { size: at, fields })
}

fn plan(specs: &[ColumnSpec], table: &Table) -> Vec<Step> {
    let (mut feature, mut label) = (0, 0);
    specs
        .iter()
        .map(|spec| match spec.role {
            Role::Key => Step::Key,
            Role::Label => {
                label += 1;
                match spec.wire {
                    WireType::Text => Step::TextLabel { index: label - 1 },
                    wire => Step::Label { index: label - 1, wire, size: wire.size() },
                }
            }
            Role::Feature => {
                let column = &table.feature_columns[feature];
                feature += 1;
                match (spec.array, spec.wire) {
                    (Some(width), wire) => Step::Array { slot: column.offset, width, wire },
                    (None, WireType::Text) => Step::Text { slot: column.offset, column: feature - 1 },
                    (None, wire) => Step::Scalar { slot: column.offset, wire, size: wire.size() },
                }
            }
        })
        .collect()
}

fn fresh_table(specs: &[ColumnSpec]) -> Table {
    let mut offset = 0;
    let mut table = Table { key_columns: specs.iter().filter(|s| s.role == Role::Key).count(), ..Table::default() };
    for spec in specs {
        match spec.role {
            Role::Feature => {
                table.feature_columns.push(FeatureColumn {
                    name: spec.name.clone(),
                    wire: spec.wire,
                    offset,
                    width: spec.width(),
                    is_array: spec.array.is_some(),
                    dictionary: (spec.wire == WireType::Text).then(Dictionary::default),
                });
                offset += spec.width();
            }
            Role::Label => table.labels.push(LabelColumn {
                name: spec.name.clone(),
                wire: spec.wire,
                values: Vec::new(),
                dictionary: (spec.wire == WireType::Text).then(Dictionary::default),
            }),
            Role::Key => {}
        }
    }
    table.width = offset;
    table
}

impl TableBuilder {
    /// `expected_rows` (0 = unknown) pre-sizes the buffers so a large read does not grow them step by step.
    pub fn new(specs: Vec<ColumnSpec>, expected_rows: usize) -> Result<Self> {
        if specs.is_empty() {
            return Err(Error::invalid("a table needs at least one column"));
        }
        for spec in &specs {
            spec.check()?;
        }
        let mut table = fresh_table(&specs);
        table.features.reserve(expected_rows * table.width);
        pgml_ml_core::memory::advise_huge_pages(&table.features);
        for label in &mut table.labels {
            label.values.reserve(expected_rows);
        }
        let plan = plan(&specs, &table);
        let fixed = fixed_layout(&plan);
        Ok(TableBuilder {
            framer: Framer::new(specs.len()),
            wire: WireFramer::default(),
            wire_carry: Vec::new(),
            specs,
            plan,
            fixed,
            table,
            first_row: 0,
        })
    }

    /// Decodes every row the chunk completes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        let TableBuilder { specs, plan, fixed, framer, table, first_row, .. } = self;
        framer.push(chunk, &mut |tuple| append_tuple(specs, plan, fixed.as_ref(), table, *first_row, tuple))
    }

    /// Decodes the rows that socket bytes of a COPY TO STDOUT complete, stripping the wire protocol's framing (see
    /// `wire`); says where the driver's own parser takes over.
    pub fn push_wire(&mut self, chunk: &[u8]) -> Result<WireEnd> {
        let TableBuilder { specs, plan, fixed, framer, wire, table, first_row, .. } = self;
        wire.push(chunk, &mut |data| {
            framer.push(data, &mut |tuple| append_tuple(specs, plan, fixed.as_ref(), table, *first_row, tuple))
        })
    }

    /// Rows decoded and not yet taken.
    pub fn rows(&self) -> usize {
        self.table.rows
    }

    /// Hands out the rows decoded so far and goes on with an empty table (scoring a relation batch by batch).
    pub fn take(&mut self) -> Table {
        self.first_row += self.table.rows;
        std::mem::replace(&mut self.table, fresh_table(&self.specs))
    }

    /// The remaining rows, once the stream has ended with its trailer.
    pub fn finish(mut self) -> Result<Table> {
        self.framer.finish()?;
        Ok(self.take())
    }
}

fn field_error(spec: &ColumnSpec, row: usize, error: FieldError) -> Error {
    let column = &spec.name;
    match error {
        FieldError::Ragged { got, expected } => Error::data(format!(
            "column {column:?} row {row}: an array of {got} elements where the column's arrays have {expected} \
             (arrays of different lengths cannot be features: make them one length or impute the missing elements)"
        )),
        FieldError::Malformed(what) => Error::data(format!("column {column:?} row {row}: {what}")),
    }
}

#[cold]
fn size_error(spec: &ColumnSpec, row: usize, len: usize) -> Error {
    field_error(spec, row, FieldError::Malformed(format!("{len} bytes is not a {}", spec.wire.name())))
}

fn text_code(dictionary: &mut Dictionary, spec: &ColumnSpec, row: usize, bytes: &[u8]) -> Result<f64> {
    dictionary
        .code(bytes)
        .map(|c| c as f64)
        .map_err(|_| Error::data(format!("column {:?} row {row}: text is not valid UTF-8", spec.name)))
}

fn append_tuple(
    specs: &[ColumnSpec],
    plan: &[Step],
    fixed: Option<&FixedLayout>,
    table: &mut Table,
    first_row: usize,
    tuple: &Tuple,
) -> Result<()> {
    if let Some(fixed) = fixed.filter(|f| f.size == tuple.bytes().len()) {
        if append_fixed_row(fixed, table, tuple.bytes()) {
            return Ok(());
        }
    }
    append_row(specs, plan, table, first_row, tuple)
}

/// Decodes a row of the fixed layout; false (nothing appended) when a length prefix differs — a NULL, or a malformed
/// row whose lengths happen to add up — so the general path decodes it, or reports it.
#[inline]
fn append_fixed_row(fixed: &FixedLayout, table: &mut Table, bytes: &[u8]) -> bool {
    // Compared as u32 words: a byte-slice comparison would call memcmp once per field.
    let prefix = |at: usize| u32::from_ne_bytes(bytes[at - 4..at].try_into().expect("4 bytes"));
    if fixed.fields.iter().any(|&(at, expected, _)| prefix(at) != expected) {
        return false;
    }
    let start = table.features.len();
    table.features.resize(start + table.width, f64::NAN);
    let values = &mut table.features[start..];
    for &(at, _, step) in &fixed.fields {
        match step {
            Step::Scalar { slot, wire, size } => values[slot] = scalar_unchecked(wire, &bytes[at..at + size]),
            Step::Label { index, wire, size } => {
                table.labels[index].values.push(scalar_unchecked(wire, &bytes[at..at + size]))
            }
            _ => unreachable!("fixed layouts hold scalars only"),
        }
    }
    table.rows += 1;
    true
}

fn append_row(specs: &[ColumnSpec], plan: &[Step], table: &mut Table, first_row: usize, tuple: &Tuple) -> Result<()> {
    let row = first_row + table.rows;
    let start = table.features.len();
    table.features.resize(start + table.width, f64::NAN);
    let values = &mut table.features[start..];
    let bytes = tuple.bytes();
    let mut at = 2;
    for (i, step) in plan.iter().enumerate() {
        // The framer checked the tuple is complete: every length and value below is in bounds.
        let len = be_i32(&bytes[at..at + 4]);
        let value = at + 4..at + 4 + len.max(0) as usize;
        let raw = &bytes[at..value.end];
        at = value.end;
        if len < 0 {
            match *step {
                Step::Label { index, .. } | Step::TextLabel { index } => table.labels[index].values.push(f64::NAN),
                Step::Key => table.keys.extend_from_slice(raw),
                _ => {}
            }
            continue;
        }
        let b = &bytes[value];
        match *step {
            Step::Scalar { slot, wire, size } => {
                if b.len() != size {
                    return Err(size_error(&specs[i], row, b.len()));
                }
                values[slot] = scalar_unchecked(wire, b);
            }
            Step::Label { index, wire, size } => {
                if b.len() != size {
                    return Err(size_error(&specs[i], row, b.len()));
                }
                table.labels[index].values.push(scalar_unchecked(wire, b));
            }
            Step::Text { slot, column } => {
                let dictionary =
                    table.feature_columns[column].dictionary.as_mut().expect("text columns have a dictionary");
                values[slot] = text_code(dictionary, &specs[i], row, b)?;
            }
            Step::TextLabel { index } => {
                let column = &mut table.labels[index];
                let code =
                    text_code(column.dictionary.as_mut().expect("text labels have a dictionary"), &specs[i], row, b)?;
                column.values.push(code);
            }
            Step::Array { slot, width, wire } => {
                array_into(wire, b, &mut values[slot..slot + width]).map_err(|e| field_error(&specs[i], row, e))?;
            }
            Step::Key => table.keys.extend_from_slice(raw),
        }
    }
    table.rows += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copy_format::tests::stream;
    use crate::decode::tests::array;

    fn spec(name: &str, wire: WireType, role: Role, array: Option<usize>) -> ColumnSpec {
        ColumnSpec { name: name.into(), wire, role, array }
    }

    fn f8(v: f64) -> Option<Vec<u8>> {
        Some(v.to_be_bytes().to_vec())
    }

    #[test]
    fn decodes_every_role_into_place() {
        let emb = |a: f32, b: f32| {
            Some(array(WireType::Float4, &[2], &[Some(a.to_be_bytes().to_vec()), Some(b.to_be_bytes().to_vec())]))
        };
        let rows = vec![
            vec![
                Some(7i64.to_be_bytes().to_vec()),
                f8(1.5),
                Some(b"red".to_vec()),
                emb(1.0, 2.0),
                Some(b"yes".to_vec()),
            ],
            vec![Some(8i64.to_be_bytes().to_vec()), None, Some(b"blue".to_vec()), None, Some(b"no".to_vec())],
            vec![Some(9i64.to_be_bytes().to_vec()), f8(-1.0), Some(b"red".to_vec()), emb(3.0, 4.0), None],
        ];
        let specs = vec![
            spec("id", WireType::Int8, Role::Key, None),
            spec("x", WireType::Float8, Role::Feature, None),
            spec("color", WireType::Text, Role::Feature, None),
            spec("emb", WireType::Float4, Role::Feature, Some(2)),
            spec("y", WireType::Text, Role::Label, None),
        ];
        let bytes = stream(&rows);
        for chunk in [1, 7, bytes.len()] {
            let mut builder = TableBuilder::new(specs.clone(), 0).unwrap();
            for piece in bytes.chunks(chunk) {
                builder.push(piece).unwrap();
            }
            let table = builder.finish().unwrap();
            assert_eq!((table.rows, table.width), (3, 4));
            let f = &table.features;
            assert_eq!(&f[0..4], &[1.5, 0.0, 1.0, 2.0]);
            assert!(f[4].is_nan() && f[5] == 1.0 && f[6].is_nan() && f[7].is_nan());
            assert_eq!(&f[8..12], &[-1.0, 0.0, 3.0, 4.0]);
            assert_eq!(table.feature_columns[1].dictionary.as_ref().unwrap().values(), ["red", "blue"]);
            let y = &table.labels[0];
            assert_eq!((y.values[0], y.values[1]), (0.0, 1.0));
            assert!(y.values[2].is_nan());
            let keys: Vec<&[u8]> = table.key_rows().collect();
            assert_eq!(keys.len(), 3);
            assert_eq!(keys[2], [&8i32.to_be_bytes()[..], &9i64.to_be_bytes()[..]].concat());
        }
    }

    #[test]
    fn ragged_arrays_name_the_column_and_row() {
        let specs = vec![spec("emb", WireType::Int4, Role::Feature, Some(2))];
        let one = |n: usize| Some(array(WireType::Int4, &[n as i32], &vec![Some(1i32.to_be_bytes().to_vec()); n]));
        let mut builder = TableBuilder::new(specs, 0).unwrap();
        let error = builder.push(&stream(&[vec![one(2)], vec![one(2)], vec![one(3)]])).unwrap_err();
        assert_eq!(error.code(), "DATA_ERROR");
        assert!(
            error.message.contains("column \"emb\" row 2") && error.message.contains("3 elements"),
            "{}",
            error.message
        );
    }

    #[test]
    fn appending_a_table_translates_its_text_codes_and_keeps_row_order() {
        let specs = vec![
            spec("id", WireType::Int4, Role::Key, None),
            spec("x", WireType::Float8, Role::Feature, None),
            spec("color", WireType::Text, Role::Feature, None),
            spec("y", WireType::Text, Role::Label, None),
        ];
        let row = |id: i32, x: f64, color: Option<&str>, y: &str| {
            vec![
                Some(id.to_be_bytes().to_vec()),
                f8(x),
                color.map(|c| c.as_bytes().to_vec()),
                Some(y.as_bytes().to_vec()),
            ]
        };
        let decode = |rows: Vec<Vec<Option<Vec<u8>>>>| {
            let mut b = TableBuilder::new(specs.clone(), 0).unwrap();
            b.push(&stream(&rows)).unwrap();
            b.finish().unwrap()
        };
        let mut first = decode(vec![row(1, 1.0, Some("red"), "a"), row(2, 2.0, Some("blue"), "b")]);
        let second =
            decode(vec![row(3, 3.0, Some("green"), "b"), row(4, 4.0, None, "c"), row(5, 5.0, Some("red"), "a")]);
        first.append(second).unwrap();
        assert_eq!(first.rows, 5);
        let colors: Vec<Option<&str>> = (0..5)
            .map(|r| {
                let code = first.features[r * 2 + 1];
                (!code.is_nan())
                    .then(|| first.feature_columns[1].dictionary.as_ref().unwrap().values()[code as usize].as_str())
            })
            .collect();
        assert_eq!(colors, [Some("red"), Some("blue"), Some("green"), None, Some("red")]);
        assert_eq!((0..5).map(|r| first.features[r * 2]).collect::<Vec<_>>(), [1.0, 2.0, 3.0, 4.0, 5.0]);
        let labels = first.labels[0].dictionary.as_ref().unwrap().values().to_vec();
        assert_eq!(
            first.labels[0].values.iter().map(|&c| labels[c as usize].as_str()).collect::<Vec<_>>(),
            ["a", "b", "b", "c", "a"]
        );
        assert_eq!(first.key_rows().count(), 5);
        let other = decode(vec![row(9, 9.0, None, "z")]);
        let mut narrow = TableBuilder::new(vec![spec("x", WireType::Float8, Role::Feature, None)], 0).unwrap();
        narrow.push(&stream(&[vec![f8(1.0)]])).unwrap();
        assert!(narrow.finish().unwrap().append(other).is_err());
    }

    #[test]
    fn batches_keep_counting_rows() {
        let specs = vec![spec("x", WireType::Float8, Role::Feature, None)];
        let mut builder = TableBuilder::new(specs, 0).unwrap();
        let bytes = stream(&[vec![f8(1.0)], vec![f8(2.0)], vec![Some(vec![1, 2])]]);
        builder.push(&bytes[..bytes.len() - 10]).unwrap();
        let first = builder.take();
        assert_eq!(first.rows, 2);
        let error = builder.push(&bytes[bytes.len() - 10..]).unwrap_err();
        assert!(error.message.contains("row 2"), "{}", error.message);
    }
}
