//! Cooperative cancellation for async work: JS flips the flag when an AbortSignal fires, kernels poll it between
//! chunks (never per element, so the check costs nothing measurable).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};

/// Shared by the JS-side token (an external) and the worker running the job.
#[derive(Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
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
            Some(flag) if flag.is_cancelled() => Err(Error::aborted(self.what)),
            _ => Ok(()),
        }
    }
}
