//! The one error type of the algorithms. `code()` is the string the JS side sees as `error.code`; the names match
//! `PgmlErrorCode` in packages/core/src/errors.ts so the sdk can rethrow them unchanged.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Shapes, lengths, unknown algorithm/task: the caller passed something malformed.
    InvalidArgument,
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
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "INVALID_ARGUMENT",
            ErrorKind::AlgorithmUnavailable => "ALGORITHM_UNAVAILABLE",
            ErrorKind::InvalidHyperparameter => "INVALID_HYPERPARAMETER",
            ErrorKind::DataError => "DATA_ERROR",
            ErrorKind::CorruptModel => "CORRUPT_MODEL",
            ErrorKind::Aborted => "ABORTED",
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
    pub fn hyperparameter(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidHyperparameter, message)
    }
    pub fn data(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::DataError, message)
    }
    /// The caller's cancellation flag fired during fit.
    pub fn aborted() -> Self {
        Error::new(ErrorKind::Aborted, "fit was aborted")
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
