//! What each column of a COPY stream is: its type on the wire and where its values go.

use pgml_ml_core::{Error, Result};

/// A column's binary COPY representation. Types the decoder does not read natively (numeric, char(n), …) are cast
/// in the SELECT to one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireType {
    Float4,
    Float8,
    Int2,
    Int4,
    Int8,
    Bool,
    Text,
}

impl WireType {
    pub fn parse(name: &str) -> Result<WireType> {
        Ok(match name {
            "float4" => WireType::Float4,
            "float8" => WireType::Float8,
            "int2" => WireType::Int2,
            "int4" => WireType::Int4,
            "int8" => WireType::Int8,
            "bool" => WireType::Bool,
            "text" => WireType::Text,
            other => return Err(Error::invalid(format!("unknown column wire type {other:?}"))),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            WireType::Float4 => "float4",
            WireType::Float8 => "float8",
            WireType::Int2 => "int2",
            WireType::Int4 => "int4",
            WireType::Int8 => "int8",
            WireType::Bool => "bool",
            WireType::Text => "text",
        }
    }

    /// Bytes of one value in the binary format (text: variable, 0).
    pub fn size(self) -> usize {
        match self {
            WireType::Float4 | WireType::Int4 => 4,
            WireType::Float8 | WireType::Int8 => 8,
            WireType::Int2 => 2,
            WireType::Bool => 1,
            WireType::Text => 0,
        }
    }

    /// The element type oid an array of this type carries in its binary form.
    pub fn element_oid(self) -> u32 {
        match self {
            WireType::Float4 => 700,
            WireType::Float8 => 701,
            WireType::Int2 => 21,
            WireType::Int4 => 23,
            WireType::Int8 => 20,
            WireType::Bool => 16,
            WireType::Text => 25,
        }
    }
}

/// Where a column's values go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Feature slots of the row-major matrix.
    Feature,
    /// A label (y) column.
    Label,
    /// Kept as raw bytes and written back next to the prediction (scoring a table).
    Key,
}

#[derive(Clone, Debug)]
pub struct ColumnSpec {
    pub name: String,
    pub wire: WireType,
    pub role: Role,
    /// Some(n): an array column of `n` elements per row (n-D arrays flattened in PostgreSQL's element order).
    pub array: Option<usize>,
}

impl ColumnSpec {
    /// Matrix slots the column takes: its element count for arrays, else 1 (a text feature holds its code).
    pub fn width(&self) -> usize {
        self.array.unwrap_or(1)
    }

    pub fn check(&self) -> Result<()> {
        match (self.role, self.wire, self.array) {
            (_, _, Some(0)) => Err(Error::invalid(format!("array column {:?} needs at least one element", self.name))),
            (_, WireType::Text, Some(_)) => {
                Err(Error::invalid(format!("text array column {:?} cannot be a feature or label", self.name)))
            }
            (Role::Label, _, Some(_)) => {
                Err(Error::invalid(format!("label column {:?} cannot be an array", self.name)))
            }
            _ => Ok(()),
        }
    }
}
