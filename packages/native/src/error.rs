//! The error type every kernel returns. Codes mirror `PgmlErrorCode` in packages/core/src/errors.ts (this crate
//! does not depend on core; the sdk maps the JS `code` property onto its own error classes).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    DimensionMismatch,
    EmptyInput,
    InvalidArgument,
    Aborted,
    /// A Rust panic caught at the N-API boundary: a bug in this crate, never the caller's fault.
    NativePanic,
    // Model codes (crates/ml-core ErrorKind), same names as core's PgmlErrorCode.
    AlgorithmUnavailable,
    InvalidHyperparameter,
    DataError,
    CorruptModel,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::DimensionMismatch => "DIMENSION_MISMATCH",
            ErrorCode::EmptyInput => "EMPTY_INPUT",
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::Aborted => "ABORTED",
            ErrorCode::NativePanic => "NATIVE_PANIC",
            ErrorCode::AlgorithmUnavailable => "ALGORITHM_UNAVAILABLE",
            ErrorCode::InvalidHyperparameter => "INVALID_HYPERPARAMETER",
            ErrorCode::DataError => "DATA_ERROR",
            ErrorCode::CorruptModel => "CORRUPT_MODEL",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into() }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidArgument, message)
    }
    pub fn empty(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::EmptyInput, message)
    }
    pub fn aborted(what: &str) -> Self {
        Error::new(ErrorCode::Aborted, format!("{what}: the operation was aborted"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

/// `what: dimension mismatch: a has 3 elements, b has 4` — the one wording used for every length check.
pub fn check_same_len(what: &str, a_name: &str, a: usize, b_name: &str, b: usize) -> Result<()> {
    if a == b {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::DimensionMismatch,
        format!("{what}: dimension mismatch: {a_name} has {a} elements, {b_name} has {b}"),
    ))
}
