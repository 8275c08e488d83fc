//! Typed arrays held across async work without copying (what node-rs/napi-rs do for borrowed buffers, and Node's
//! own `fs.write` for the Buffer it writes from the threadpool).
//!
//! `Pinned<T>` is a strong reference (`napi_create_reference`, count 1) to a typed array plus its element pointer.
//! While the reference lives the GC can neither collect the array nor move its elements (they sit in the
//! ArrayBuffer's off-heap backing store, see `Env::typed_array_info`), so a threadpool thread may read them.
//!
//! What the reference cannot stop is JS itself: the caller must not write to the array, nor detach its ArrayBuffer
//! (transfer it to a worker, `structuredClone(…, { transfer })`, `ArrayBuffer.prototype.transfer`), until the work
//! ends — when the promise settles, or, after an AbortSignal rejected it early, once the work notices the flag. A
//! write is a data race (the work sees some mix of old and new values), a detach frees memory the work is reading.
//! Resizable ArrayBuffers could shrink under the work the same way and are refused up front.
//!
//! Threading: a `Pinned` is created on the JS thread and must be dropped there (dropping deletes the reference),
//! so it is `Sync` but not `Send`. `async_work::spawn_holding` keeps it in the task and lends `&Pinned` to the
//! worker; the task is dropped in the completion callback, on the JS thread.

use std::ops::Deref;
use std::ptr::{self, NonNull};

use super::{sys, Env, JsValue, TypedElement};

pub struct Pinned<T> {
    env: sys::napi_env,
    reference: sys::napi_ref,
    data: *const T,
    len: usize,
}

// SAFETY: `&Pinned<T>` only gives out `&[T]` over memory the reference keeps alive and in place; concurrent writes
// from JS are the caller's contract (module docs). Not `Send`: `Drop` must run on the JS thread.
unsafe impl<T: Sync> Sync for Pinned<T> {}

impl<T> Deref for Pinned<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        // SAFETY: `data` points at `len` initialised, aligned `T`s (or is dangling with `len` 0) kept alive by
        // `reference` until `self` is dropped.
        unsafe { std::slice::from_raw_parts(self.data, self.len) }
    }
}

impl<T> Drop for Pinned<T> {
    fn drop(&mut self) {
        // Fails only if the env is being torn down, when the reference goes with it.
        unsafe { sys::napi_delete_reference(self.env, self.reference) };
    }
}

/// Why a typed array cannot be pinned; the caller turns it into an INVALID_ARGUMENT naming the argument.
#[derive(Debug)]
pub enum PinRefused {
    Detached,
    Resizable,
    /// `napi_create_reference` failed.
    NoReference,
}

impl PinRefused {
    pub fn reason(&self) -> &'static str {
        match self {
            PinRefused::Detached => "is a view of a detached ArrayBuffer (it was transferred away)",
            PinRefused::Resizable => {
                "is a view of a resizable ArrayBuffer, which could shrink while native code reads it on a worker \
                 thread; pass a fixed-length copy (e.g. x.slice())"
            }
            PinRefused::NoReference => "could not be referenced (napi_create_reference failed)",
        }
    }
}

impl<'s> Env<'s> {
    /// `value` held for async work if it is a typed array of `T`s, `Ok(None)` if it is anything else.
    pub fn pin<T: TypedElement>(self, value: JsValue<'s>) -> Result<Option<Pinned<T>>, PinRefused> {
        let Some(info) = self.typed_array_info(value) else { return Ok(None) };
        if info.kind != T::KIND {
            return Ok(None);
        }
        if info.len == 0 && info.detached(self) {
            return Err(PinRefused::Detached);
        }
        if self.resizable(info.buffer) {
            return Err(PinRefused::Resizable);
        }
        let mut reference = ptr::null_mut();
        if unsafe { sys::napi_create_reference(self.raw, value.raw, 1, &mut reference) } != sys::NAPI_OK {
            return Err(PinRefused::NoReference);
        }
        let data = if info.len == 0 { NonNull::dangling().as_ptr() } else { info.data as *const T };
        Ok(Some(Pinned { env: self.raw, reference, data, len: info.len }))
    }

    /// `buffer.resizable === true` (ES2024 resizable ArrayBuffers; SharedArrayBuffers can only grow and say
    /// `growable` instead, so they pass).
    fn resizable(self, buffer: sys::napi_value) -> bool {
        let mut property = ptr::null_mut();
        let status = unsafe { sys::napi_get_named_property(self.raw, buffer, c"resizable".as_ptr(), &mut property) };
        if status != sys::NAPI_OK || self.type_of(self.wrap(property)) != super::JsType::Boolean {
            return false;
        }
        let mut resizable = false;
        unsafe { sys::napi_get_value_bool(self.raw, property, &mut resizable) };
        resizable
    }
}
