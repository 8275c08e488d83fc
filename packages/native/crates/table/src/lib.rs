//! The data path between PostgreSQL and the algorithms, with no N-API in it (the addon's `exports::table` wraps it).
//!
//! | module | what |
//! |---|---|
//! | `copy_format` | binary COPY framing: the header, tuples that may straddle the chunks a socket delivers, the trailer |
//! | `columns` | what each selected column is (its wire type) and where its values go (feature slots, label, key) |
//! | `decode` | one field's bytes → f64 values (scalars, 1-D and n-D arrays), exact, NULL → NaN |
//! | `dictionary` | text values → codes in first-seen order, as they stream |
//! | `builder` | chunks → a `Table`: row-major features, labels, keys; ragged arrays are DATA_ERRORs naming column and row |
//! | `table` | the decoded rows |
//! | `memory` | huge-page advice for the large matrices |
//! | `preprocess` | PostgresML's encode → impute → scale: statistics from training rows, applied in place on the matrix |
//! | `reorder` | rows permuted in place (train rows first, then test rows) so a split costs no copy |
//! | `predictions` | (key, prediction, probabilities) rows as a binary COPY FROM stream |
//! | `wire` | the wire protocol's CopyData framing stripped natively, for drivers that hand over socket bytes |

pub mod builder;
pub mod columns;
pub mod copy_format;
pub mod decode;
pub mod dictionary;
mod memory;
pub mod predictions;
pub mod preprocess;
pub mod reorder;
pub mod table;
pub mod wire;

pub use builder::TableBuilder;
pub use columns::{ColumnSpec, Role, WireType};
pub use pgml_ml_core::memory::owned_copy;
pub use table::Table;
