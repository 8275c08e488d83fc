//! The addon uses ml-core's error type (one enum of codes for the algorithms, the data path and the N-API layer;
//! `ErrorKind::code()` mirrors `PgmlErrorCode` in packages/core/src/errors.ts), plus the one length-check wording.

pub use pgml_ml_core::error::{Error, ErrorKind, Result};

/// `what: dimension mismatch: a has 3 elements, b has 4` — the one wording used for every length check.
pub fn check_same_len(what: &str, a_name: &str, a: usize, b_name: &str, b: usize) -> Result<()> {
    if a == b {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::DimensionMismatch,
        format!("{what}: dimension mismatch: {a_name} has {a} elements, {b_name} has {b}"),
    ))
}
