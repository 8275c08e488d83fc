//! The one error type of pgml-native: the algorithms, the data path and the N-API layer all return it. `code()` is
//! the string the JS side sees as `error.code`; the names match `PgmlErrorCode` in packages/core/src/errors.ts so the
//! sdk can rethrow them unchanged.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Shapes, lengths, unknown algorithm/task: the caller passed something malformed.
    InvalidArgument,
    /// An argument of the wrong JS type (a string where a Float64Array belongs, a foreign handle): code
    /// INVALID_ARGUMENT like the above, but thrown as a JS `TypeError`, as Node's own APIs do.
    ArgumentType,
    /// Two vectors (or a vector and a matrix row) of different lengths.
    DimensionMismatch,
    /// An empty vector or no rows where at least one is needed.
    EmptyInput,
    /// The task/algorithm pair has no native implementation.
    AlgorithmUnavailable,
    /// Unknown hyperparameter name, wrong type or out-of-range value.
    InvalidHyperparameter,
    /// The data itself cannot be fitted: NaN/Inf, a single class, labels out of range.
    DataError,
    /// A serialized payload that is truncated, foreign or inconsistent.
    CorruptModel,
    /// The caller's cancellation flag fired.
    Aborted,
    /// A Rust panic caught at the N-API boundary: a bug in pgml-native, never the caller's fault.
    NativePanic,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument | ErrorKind::ArgumentType => "INVALID_ARGUMENT",
            ErrorKind::DimensionMismatch => "DIMENSION_MISMATCH",
            ErrorKind::EmptyInput => "EMPTY_INPUT",
            ErrorKind::AlgorithmUnavailable => "ALGORITHM_UNAVAILABLE",
            ErrorKind::InvalidHyperparameter => "INVALID_HYPERPARAMETER",
            ErrorKind::DataError => "DATA_ERROR",
            ErrorKind::CorruptModel => "CORRUPT_MODEL",
            ErrorKind::Aborted => "ABORTED",
            ErrorKind::NativePanic => "NATIVE_PANIC",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }
    /// A wrong JS type (see `ErrorKind::ArgumentType`).
    pub fn argument_type(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::ArgumentType, message)
    }
    pub fn empty(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::EmptyInput, message)
    }
    pub fn hyperparameter(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidHyperparameter, message)
    }
    pub fn data(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::DataError, message)
    }
    /// The caller's cancellation flag fired during fit.
    pub fn aborted() -> Self {
        Error::aborted_in("fit")
    }
    /// The caller's cancellation flag fired during `what` (an operation name such as "topKAsync").
    pub fn aborted_in(what: &str) -> Self {
        Error::new(ErrorKind::Aborted, format!("{what}: the operation was aborted"))
    }
    pub fn corrupt(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::CorruptModel, format!("corrupt native model payload: {}", message.into()))
    }
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message)
    }
}

impl std::error::Error for Error {}
