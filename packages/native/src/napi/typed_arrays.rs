//! Typed arrays across the boundary: JS typed arrays' elements borrowed in place for one call, and typed arrays
//! created from Rust data (copied, or handed over without a copy).
//!
//! Views of a SharedArrayBuffer are refused: another thread (a JS worker) may write the memory while Rust reads it
//! through a `&[T]`, which is a data race however short the call. Callers pass a copy (`x.slice()` of a shared view
//! is backed by an ordinary ArrayBuffer).

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use super::{check, sys, Env, JsValue};
use crate::error::{Error, Result};

/// A typed array borrowed from JS without copying. Only the element types the API accepts are distinguished.
pub enum TypedArray<'s> {
    F32(&'s [f32]),
    F64(&'s [f64]),
    U8(&'s [u8]),
    U32(&'s [u32]),
    Other,
    /// A view of an ArrayBuffer that was detached (transferred to a worker or `structuredClone`d away).
    Detached,
    /// A view of a SharedArrayBuffer (refused, see the module docs).
    Shared,
}

impl TypedArray<'_> {
    /// Whether this view lends out JS memory (a non-empty slice).
    pub fn borrows(&self) -> bool {
        match self {
            TypedArray::F32(v) => !v.is_empty(),
            TypedArray::F64(v) => !v.is_empty(),
            TypedArray::U8(v) => !v.is_empty(),
            TypedArray::U32(v) => !v.is_empty(),
            TypedArray::Other | TypedArray::Detached | TypedArray::Shared => false,
        }
    }
}

/// What `napi_get_typedarray_info` reports; `len` is 0 whenever `data` is null.
struct RawTypedArray {
    kind: sys::napi_typedarray_type,
    len: usize,
    data: *mut c_void,
    buffer: sys::napi_value,
}

impl RawTypedArray {
    fn detached(&self, env: Env<'_>) -> bool {
        let mut detached = false;
        let status = unsafe { sys::napi_is_detached_arraybuffer(env.raw, self.buffer, &mut detached) };
        status == sys::NAPI_OK && detached
    }

    /// `napi_is_arraybuffer` is false for a SharedArrayBuffer (V8's `IsArrayBuffer` excludes shared ones).
    fn shared(&self, env: Env<'_>) -> bool {
        let mut plain = false;
        let status = unsafe { sys::napi_is_arraybuffer(env.raw, self.buffer, &mut plain) };
        status != sys::NAPI_OK || !plain
    }
}

/// Element types this addon creates typed arrays of.
pub trait TypedElement: Copy + 'static {
    const KIND: sys::napi_typedarray_type;
}
impl TypedElement for f32 {
    const KIND: sys::napi_typedarray_type = sys::NAPI_FLOAT32_ARRAY;
}
impl TypedElement for f64 {
    const KIND: sys::napi_typedarray_type = sys::NAPI_FLOAT64_ARRAY;
}
impl TypedElement for u32 {
    const KIND: sys::napi_typedarray_type = sys::NAPI_UINT32_ARRAY;
}
impl TypedElement for u8 {
    const KIND: sys::napi_typedarray_type = sys::NAPI_UINT8_ARRAY;
}

impl<'s> Env<'s> {
    /// Zero-copy view of a typed array, or `None` if `value` is not one. Only `Args::typed_array` calls it, which
    /// records the borrow.
    pub(super) fn typed_array(self, value: JsValue<'s>) -> Option<TypedArray<'s>> {
        let info = self.typed_array_info(value)?;
        if info.shared(self) {
            return Some(TypedArray::Shared);
        }
        if info.len == 0 {
            return Some(if info.detached(self) {
                TypedArray::Detached
            } else {
                match info.kind {
                    sys::NAPI_FLOAT32_ARRAY => TypedArray::F32(&[]),
                    sys::NAPI_FLOAT64_ARRAY => TypedArray::F64(&[]),
                    sys::NAPI_UINT8_ARRAY => TypedArray::U8(&[]),
                    sys::NAPI_UINT32_ARRAY => TypedArray::U32(&[]),
                    _ => TypedArray::Other,
                }
            });
        }
        // SAFETY: V8 guarantees `data` points at `len` elements of the reported type, aligned to the element size
        // (typed-array offsets must be multiples of it). The argument keeps the buffer alive for the call scope
        // `'s`; it is not shared with other threads (checked above), and no JS runs on this thread between the
        // borrow and the slice's last use (the ordering rule in `napi`'s module docs, enforced by `Args`).
        unsafe {
            Some(match info.kind {
                sys::NAPI_FLOAT32_ARRAY => {
                    TypedArray::F32(std::slice::from_raw_parts(info.data as *const f32, info.len))
                }
                sys::NAPI_FLOAT64_ARRAY => {
                    TypedArray::F64(std::slice::from_raw_parts(info.data as *const f64, info.len))
                }
                sys::NAPI_UINT8_ARRAY => TypedArray::U8(std::slice::from_raw_parts(info.data as *const u8, info.len)),
                sys::NAPI_UINT32_ARRAY => {
                    TypedArray::U32(std::slice::from_raw_parts(info.data as *const u32, info.len))
                }
                _ => TypedArray::Other,
            })
        }
    }

    /// A Float64Array's elements borrowed for writing during the call: `Ok(None)` if `value` is not a Float64Array
    /// (or its buffer was detached, or is shared), `Err` if its memory overlaps `input` — a view of the same
    /// ArrayBuffer as an input would make the two slices alias, which Rust forbids. Only `Args::f64_array_mut`
    /// calls it, which records the borrow.
    pub(super) fn f64_array_mut(self, value: JsValue<'s>, input: &[f64]) -> Result<Option<&'s mut [f64]>> {
        let Some(info) = self.typed_array_info(value) else { return Ok(None) };
        if info.kind != sys::NAPI_FLOAT64_ARRAY || info.shared(self) || (info.len == 0 && info.detached(self)) {
            return Ok(None);
        }
        if info.len == 0 {
            return Ok(Some(&mut []));
        }
        let (start, end) = (info.data as usize, info.data as usize + info.len * std::mem::size_of::<f64>());
        let (input_start, input_end) =
            (input.as_ptr() as usize, input.as_ptr() as usize + std::mem::size_of_val(input));
        if !input.is_empty() && start < input_end && input_start < end {
            return Err(Error::invalid("the output array shares memory with the input: pass a separate Float64Array"));
        }
        // SAFETY: as in `typed_array`: V8 guarantees `len` aligned f64s at `data`, alive for the call scope `'s`, not
        // shared with other threads (checked above), and no JS runs while Rust holds the slice. The range was just checked to be disjoint from `input`, the only
        // other slice the caller borrows, so the mutable borrow is unique.
        Ok(Some(unsafe { std::slice::from_raw_parts_mut(info.data as *mut f64, info.len) }))
    }

    /// `napi_get_typedarray_info`, or `None` if `value` is not a typed array. Asking for `data` makes V8 move an
    /// on-heap (small) typed array's elements into a fixed off-heap backing store, so the pointer stays valid for
    /// as long as the ArrayBuffer is neither collected nor detached.
    fn typed_array_info(self, value: JsValue<'s>) -> Option<RawTypedArray> {
        let mut is = false;
        if unsafe { sys::napi_is_typedarray(self.raw, value.raw, &mut is) } != sys::NAPI_OK || !is {
            return None;
        }
        let (mut kind, mut len, mut data) = (0, 0usize, ptr::null_mut::<c_void>());
        let (mut buffer, mut offset) = (ptr::null_mut(), 0usize);
        let status = unsafe {
            sys::napi_get_typedarray_info(self.raw, value.raw, &mut kind, &mut len, &mut data, &mut buffer, &mut offset)
        };
        // Empty or detached arrays may report a null data pointer, which a Rust slice must never hold.
        let len = if data.is_null() { 0 } else { len };
        (status == sys::NAPI_OK).then_some(RawTypedArray { kind, len, data, buffer })
    }

    /// A new typed array holding a copy of `data` (one memcpy into a fresh, GC-owned ArrayBuffer).
    pub fn typed_array_from<T: TypedElement>(self, data: &[T]) -> Result<JsValue<'s>> {
        let bytes = std::mem::size_of_val(data);
        let (mut buffer, mut raw_data) = (ptr::null_mut(), ptr::null_mut::<c_void>());
        check(
            unsafe { sys::napi_create_arraybuffer(self.raw, bytes, &mut raw_data, &mut buffer) },
            "napi_create_arraybuffer",
        )?;
        if bytes > 0 {
            // SAFETY: the new ArrayBuffer owns `bytes` writable bytes at `raw_data`; it cannot overlap `data`.
            unsafe { ptr::copy_nonoverlapping(data.as_ptr().cast::<u8>(), raw_data.cast::<u8>(), bytes) };
        }
        self.typed_array_over::<T>(buffer, data.len())
    }

    /// A typed array that takes ownership of `data` without copying when it is large (the ArrayBuffer's finalizer
    /// frees the Vec); small vectors, or runtimes that forbid external buffers, get a copy.
    pub fn typed_array_from_vec<T: TypedElement + Send>(self, data: Vec<T>) -> Result<JsValue<'s>> {
        const ZERO_COPY_MIN_BYTES: usize = 64 * 1024;
        let bytes = std::mem::size_of_val(data.as_slice());
        if bytes < ZERO_COPY_MIN_BYTES {
            return self.typed_array_from(&data);
        }
        let mut owner = Box::new(data);
        let data_ptr = owner.as_mut_ptr().cast::<c_void>();
        let len = owner.len();
        let hint = Box::into_raw(owner);
        let mut buffer = ptr::null_mut();
        let status = unsafe {
            sys::napi_create_external_arraybuffer(
                self.raw,
                data_ptr,
                bytes,
                Some(drop_vec::<T>),
                hint.cast(),
                &mut buffer,
            )
        };
        if status != sys::NAPI_OK {
            // SAFETY: napi did not take the buffer, so the Vec is still ours (e.g. V8 sandbox: no external buffers).
            let data = unsafe { Box::from_raw(hint) };
            return self.typed_array_from(&data);
        }
        self.typed_array_over::<T>(buffer, len)
    }

    fn typed_array_over<T: TypedElement>(self, buffer: sys::napi_value, len: usize) -> Result<JsValue<'s>> {
        let mut out = ptr::null_mut();
        check(
            unsafe { sys::napi_create_typedarray(self.raw, T::KIND, len, buffer, 0, &mut out) },
            "napi_create_typedarray",
        )?;
        Ok(self.wrap(out))
    }
}

unsafe extern "C" fn drop_vec<T>(_env: sys::napi_env, _data: *mut c_void, hint: *mut c_void) {
    let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(hint as *mut Vec<T>))));
}
