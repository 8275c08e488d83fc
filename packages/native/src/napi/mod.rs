//! Safe wrapper over the raw Node-API declarations in `sys`. This module and its submodules (`typed_arrays`,
//! `handles`, `async_work`, `thread_work`) are the only place that calls `napi_*` functions; everything else sees
//! `Args` (reading arguments), `Env` (creating values) and `IntoJs`.
//!
//! Lifetimes: `'s` is the scope of one JS → Rust call. Handles (`JsValue<'s>`) and zero-copy typed-array slices
//! borrowed from arguments cannot outlive it, so they can never reach a worker thread; async work receives owned
//! data only (see `async_work` for that policy).
//!
//! The rule that keeps borrowed slices sound against hostile JavaScript: no JS runs between the moment Rust borrows
//! a typed array's elements and its last use of them, since JS could detach (transfer) or shrink the ArrayBuffer.
//! The only argument readers that run JS are those that walk a plain array (`number[]`, arrays of vectors: element
//! getters, holes reading the prototype), so callers read every such value first and borrow typed arrays last
//! (`Args::array_elements` refuses to run once a typed array was borrowed, so a wrong order is an error, not a
//! use-after-free). Results are built after the kernel has run, so setters they might trigger see no live borrow.

pub mod async_work;
mod handles;
mod sys;
pub mod thread_work;
mod typed_arrays;

use std::cell::Cell;
use std::ffi::{c_void, CString};
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use crate::error::{Error, ErrorKind, Result};

pub use handles::{Handle, TypeTag};
pub use typed_arrays::{TypedArray, TypedElement};

#[derive(Clone, Copy)]
pub struct Env<'s> {
    raw: sys::napi_env,
    _scope: PhantomData<&'s ()>,
}

#[derive(Clone, Copy)]
pub struct JsValue<'s> {
    raw: sys::napi_value,
    _scope: PhantomData<&'s ()>,
}

/// A JS value's type as far as argument parsing cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsType {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Object,
    Function,
    External,
    Other,
}

impl JsType {
    pub fn name(self) -> &'static str {
        match self {
            JsType::Undefined => "undefined",
            JsType::Null => "null",
            JsType::Boolean => "a boolean",
            JsType::Number => "a number",
            JsType::String => "a string",
            JsType::Object => "an object",
            JsType::Function => "a function",
            JsType::External => "a native handle",
            JsType::Other => "a symbol or bigint",
        }
    }
}

/// Results that know how to become a JS value; async work returns one of these from the worker thread.
pub trait IntoJs {
    fn into_js<'s>(self, env: Env<'s>) -> Result<JsValue<'s>>;
}

fn check(status: sys::napi_status, what: &str) -> Result<()> {
    if status == sys::NAPI_OK {
        Ok(())
    } else {
        // If a JS exception is pending (a getter threw), `throw_error` keeps it instead of this message.
        Err(Error::invalid(format!("{what} failed (napi status {status})")))
    }
}

fn c_name(name: &str) -> CString {
    CString::new(name).expect("property names are literals without NUL bytes")
}

impl<'s> Env<'s> {
    /// # Safety
    /// `raw` must be the env of the callback whose scope `'s` denotes.
    unsafe fn from_raw(raw: sys::napi_env) -> Self {
        Env { raw, _scope: PhantomData }
    }

    fn wrap(self, raw: sys::napi_value) -> JsValue<'s> {
        JsValue { raw, _scope: PhantomData }
    }

    pub fn type_of(self, value: JsValue<'s>) -> JsType {
        let mut t = sys::NAPI_UNDEFINED;
        if unsafe { sys::napi_typeof(self.raw, value.raw, &mut t) } != sys::NAPI_OK {
            return JsType::Other;
        }
        match t {
            sys::NAPI_UNDEFINED => JsType::Undefined,
            sys::NAPI_NULL => JsType::Null,
            sys::NAPI_BOOLEAN => JsType::Boolean,
            sys::NAPI_NUMBER => JsType::Number,
            sys::NAPI_STRING => JsType::String,
            sys::NAPI_OBJECT => JsType::Object,
            sys::NAPI_FUNCTION => JsType::Function,
            sys::NAPI_EXTERNAL => JsType::External,
            _ => JsType::Other,
        }
    }

    /// Whether `value` is a plain JS array (`Array.isArray`; proxies are not). Runs no JS.
    fn is_array(self, value: JsValue<'s>) -> bool {
        let mut is = false;
        (unsafe { sys::napi_is_array(self.raw, value.raw, &mut is) } == sys::NAPI_OK) && is
    }

    /// Elements of a plain JS array (`number[]`, or an array of vectors), or `None` if `value` is not an array.
    /// Runs JS (element getters): only `Args::array_elements` calls it, which checks no typed array is borrowed.
    fn array_elements(self, value: JsValue<'s>) -> Option<Vec<JsValue<'s>>> {
        if !self.is_array(value) {
            return None;
        }
        let mut len = 0u32;
        if unsafe { sys::napi_get_array_length(self.raw, value.raw, &mut len) } != sys::NAPI_OK {
            return None;
        }
        let mut out = Vec::with_capacity(len as usize);
        for i in 0..len {
            let mut element = ptr::null_mut();
            if unsafe { sys::napi_get_element(self.raw, value.raw, i, &mut element) } != sys::NAPI_OK {
                return None;
            }
            out.push(self.wrap(element));
        }
        Some(out)
    }

    /// The number in `value`, or `None` if it is not a JS number.
    pub fn number(self, value: JsValue<'s>) -> Option<f64> {
        if self.type_of(value) != JsType::Number {
            return None;
        }
        let mut out = 0.0;
        (unsafe { sys::napi_get_value_double(self.raw, value.raw, &mut out) } == sys::NAPI_OK).then_some(out)
    }

    pub fn string(self, value: JsValue<'s>) -> Option<String> {
        if self.type_of(value) != JsType::String {
            return None;
        }
        let mut len = 0usize;
        if unsafe { sys::napi_get_value_string_utf8(self.raw, value.raw, ptr::null_mut(), 0, &mut len) } != sys::NAPI_OK
        {
            return None;
        }
        let mut buf = vec![0u8; len + 1];
        let mut written = 0usize;
        let status = unsafe {
            sys::napi_get_value_string_utf8(self.raw, value.raw, buf.as_mut_ptr().cast(), buf.len(), &mut written)
        };
        if status != sys::NAPI_OK {
            return None;
        }
        buf.truncate(written);
        String::from_utf8(buf).ok()
    }

    pub fn undefined(self) -> Result<JsValue<'s>> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::napi_get_undefined(self.raw, &mut out) }, "napi_get_undefined")?;
        Ok(self.wrap(out))
    }

    pub fn number_value(self, value: f64) -> Result<JsValue<'s>> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::napi_create_double(self.raw, value, &mut out) }, "napi_create_double")?;
        Ok(self.wrap(out))
    }

    pub fn string_value(self, value: &str) -> Result<JsValue<'s>> {
        let mut out = ptr::null_mut();
        check(
            unsafe { sys::napi_create_string_utf8(self.raw, value.as_ptr().cast(), value.len(), &mut out) },
            "napi_create_string_utf8",
        )?;
        Ok(self.wrap(out))
    }

    pub fn object(self) -> Result<JsValue<'s>> {
        let mut out = ptr::null_mut();
        check(unsafe { sys::napi_create_object(self.raw, &mut out) }, "napi_create_object")?;
        Ok(self.wrap(out))
    }

    pub fn set(self, object: JsValue<'s>, name: &str, value: JsValue<'s>) -> Result<()> {
        let name = c_name(name);
        check(
            unsafe { sys::napi_set_named_property(self.raw, object.raw, name.as_ptr(), value.raw) },
            "setting a property",
        )
    }

    /// Throws `error` as a JS `Error` with a `code` property, unless a JS exception is already pending.
    fn throw_error(self, error: &Error) {
        let mut pending = false;
        unsafe { sys::napi_is_exception_pending(self.raw, &mut pending) };
        if pending {
            return;
        }
        if let Ok(js_error) = self.error_value(error) {
            unsafe { sys::napi_throw(self.raw, js_error.raw) };
        }
    }

    /// `error` as a JS `Error` (a `TypeError` for `ErrorKind::ArgumentType`) with its `code`.
    pub fn error_value(self, error: &Error) -> Result<JsValue<'s>> {
        let code = self.string_value(error.code())?;
        let message = self.string_value(&error.message)?;
        let mut out = ptr::null_mut();
        let status = if error.kind == ErrorKind::ArgumentType {
            unsafe { sys::napi_create_type_error(self.raw, code.raw, message.raw, &mut out) }
        } else {
            unsafe { sys::napi_create_error(self.raw, code.raw, message.raw, &mut out) }
        };
        check(status, "napi_create_error")?;
        let value = self.wrap(out);
        if error.kind == ErrorKind::Aborted {
            self.set(value, "name", self.string_value("AbortError")?)?;
        }
        Ok(value)
    }
}

/// The arguments of one call, in the scope `'s`.
pub struct Args<'s> {
    pub env: Env<'s>,
    // A fixed array, not a Vec: the single-row predict path makes no heap allocation per call.
    values: [sys::napi_value; MAX_ARGS],
    count: usize,
    name: &'static str,
    /// Set once a typed array's elements were borrowed: from then on no argument reader may run JS.
    borrowed: Cell<bool>,
}

impl<'s> Args<'s> {
    /// Name of the JS function, used as the prefix of every error message.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Argument `i` (undefined when missing, like JS).
    pub fn get(&self, i: usize) -> Result<JsValue<'s>> {
        if i < self.count {
            Ok(self.env.wrap(self.values[i]))
        } else {
            self.env.undefined()
        }
    }

    /// Zero-copy view of a typed array argument (see `Env::typed_array`), or `None` if `value` is not one.
    pub fn typed_array(&self, value: JsValue<'s>) -> Option<TypedArray<'s>> {
        let view = self.env.typed_array(value);
        if view.as_ref().is_some_and(TypedArray::borrows) {
            self.borrowed.set(true);
        }
        view
    }

    /// A Float64Array borrowed for writing (see `Env::f64_array_mut`): `Ok(None)` if `value` is not one.
    pub fn f64_array_mut(&self, value: JsValue<'s>, input: &[f64]) -> Result<Option<&'s mut [f64]>> {
        let out = self
            .env
            .f64_array_mut(value, input)
            .map_err(|e| Error::invalid(format!("{}: {}", self.name, e.message)))?;
        if out.as_ref().is_some_and(|o| !o.is_empty()) {
            self.borrowed.set(true);
        }
        Ok(out)
    }

    /// Elements of a plain JS array, `Ok(None)` if `value` is not one. Reading them runs JS (getters), so it is
    /// refused once a typed array of this call was borrowed: read arrays first, borrow typed arrays last.
    pub fn array_elements(&self, value: JsValue<'s>) -> Result<Option<Vec<JsValue<'s>>>> {
        if !self.env.is_array(value) {
            return Ok(None);
        }
        if self.borrowed.get() {
            return Err(Error::new(
                ErrorKind::NativePanic,
                format!("{}: internal error in pgml-native (please report): a JS array was read after a typed array was borrowed", self.name),
            ));
        }
        Ok(self.env.array_elements(value))
    }
}

/// A JS-facing function: parse `Args`, run a kernel, return a value or an `Error` to throw.
pub type Callback = for<'s> fn(&Args<'s>) -> Result<JsValue<'s>>;

const MAX_ARGS: usize = 8;

/// The one trampoline every exported function goes through: it turns `Err` results and panics into thrown JS
/// errors, so no Rust panic ever unwinds into V8 or aborts the process.
unsafe extern "C" fn trampoline(raw_env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let env = Env::from_raw(raw_env);
    let mut argc = MAX_ARGS;
    let mut argv = [ptr::null_mut(); MAX_ARGS];
    let mut data = ptr::null_mut();
    if sys::napi_get_cb_info(raw_env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), &mut data) != sys::NAPI_OK {
        env.throw_error(&Error::invalid("could not read the call arguments"));
        return ptr::null_mut();
    }
    // SAFETY: `data` is the `&'static Export` registered in `register` for this very function.
    let export = &*(data as *const Export);
    let args = Args { env, values: argv, count: argc.min(MAX_ARGS), name: export.name, borrowed: Cell::new(false) };
    match catch_unwind(AssertUnwindSafe(|| (export.callback)(&args))) {
        Ok(Ok(value)) => value.raw,
        Ok(Err(error)) => {
            env.throw_error(&error);
            ptr::null_mut()
        }
        Err(panic) => {
            env.throw_error(&panic_error(export.name, &*panic));
            ptr::null_mut()
        }
    }
}

pub(crate) fn panic_error(name: &str, panic: &(dyn std::any::Any + Send)) -> Error {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    Error::new(ErrorKind::NativePanic, format!("{name}: internal error in pgml-native (please report): {detail}"))
}

/// One exported function: its JS name and implementation.
pub struct Export {
    pub name: &'static str,
    pub callback: Callback,
}

/// Defines every export on the module's `exports` object. Called once from `napi_register_module_v1`.
///
/// # Safety
/// `raw_env` and `exports` must be the arguments Node passed to `napi_register_module_v1`.
pub unsafe fn register(raw_env: *mut c_void, exports: *mut c_void, table: &'static [Export]) -> *mut c_void {
    let env = Env::from_raw(raw_env.cast());
    let exports = env.wrap(exports.cast());
    for export in table {
        let mut function = ptr::null_mut();
        let status = sys::napi_create_function(
            env.raw,
            export.name.as_ptr().cast(),
            export.name.len(),
            trampoline,
            export as *const Export as *mut c_void,
            &mut function,
        );
        if status != sys::NAPI_OK || env.set(exports, export.name, env.wrap(function)).is_err() {
            env.throw_error(&Error::invalid(format!("could not export {}", export.name)));
            return ptr::null_mut();
        }
    }
    exports.raw.cast()
}
