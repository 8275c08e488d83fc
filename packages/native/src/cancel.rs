//! Cooperative cancellation and progress for async work: JS flips the flag when an AbortSignal fires, kernels poll it
//! between chunks (never per element, so the check costs nothing measurable); fits report how far they came into the
//! same token, which JS polls to show progress.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

#[derive(Default)]
struct Token {
    cancelled: AtomicBool,
    done: AtomicUsize,
    total: AtomicUsize,
    unit: Mutex<&'static str>,
}

/// Shared by the JS-side token (an external) and the worker running the job.
#[derive(Clone, Default)]
pub struct CancelFlag(Arc<Token>);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
    }
    /// The latest progress report: (done, total — 0 when unknown —, unit — empty before the first report).
    pub fn progress(&self) -> (usize, usize, &'static str) {
        let unit = *self.0.unit.lock().unwrap_or_else(|p| p.into_inner());
        (self.0.done.load(Ordering::Relaxed), self.0.total.load(Ordering::Relaxed), unit)
    }
}

impl crate::napi::Handle for CancelFlag {
    const TAG: crate::napi::TypeTag =
        crate::napi::TypeTag { lower: 0xba8c_236a_e7d5_43da, upper: 0x83ec_d83c_be75_2fd4 };
}

impl pgml_ml_core::Progress for CancelFlag {
    fn report(&self, done: usize, total: usize, unit: &'static str) {
        *self.0.unit.lock().unwrap_or_else(|p| p.into_inner()) = unit;
        self.0.total.store(total, Ordering::Relaxed);
        self.0.done.store(done, Ordering::Relaxed);
    }
}

/// What kernels receive: maybe a flag, plus the operation name for the error message.
#[derive(Clone, Copy)]
pub struct Cancel<'a> {
    flag: Option<&'a CancelFlag>,
    what: &'static str,
}

impl<'a> Cancel<'a> {
    pub fn new(flag: Option<&'a CancelFlag>, what: &'static str) -> Self {
        Cancel { flag, what }
    }
    pub fn never(what: &'static str) -> Self {
        Cancel { flag: None, what }
    }
    pub fn what(&self) -> &'static str {
        self.what
    }
    pub fn check(&self) -> Result<()> {
        match self.flag {
            Some(flag) if flag.is_cancelled() => Err(Error::aborted_in(self.what)),
            _ => Ok(()),
        }
    }
}
