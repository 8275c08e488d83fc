//! Promise-returning async work on the libuv threadpool (`napi_create_async_work`), the way node-rs runs its
//! heavy `foo()` twins of `fooSync()`. Work that may run for seconds or minutes (model fits) goes to a thread of its
//! own instead (`thread_work`): the pool has 4 threads shared with fs, `dns.lookup` (used by pg) and zlib.
//!
//! Input-lifetime policy (the same for every async export): the work owns its inputs. The closure must be
//! `Send + 'static`, so it can only capture owned data — typed-array arguments copied into Rust memory on the JS
//! thread before the work is queued, and `Arc`s of native handles — never memory that JS can reach. Pinning the
//! caller's ArrayBuffer instead cannot be made sound: Node-API can keep an ArrayBuffer alive but cannot stop JS from
//! detaching it (`transfer()`, `postMessage(…, [buf])`), which frees the memory under a worker still reading it, and
//! it cannot see SharedArrayBuffer writers at all. The copy costs one memcpy (~0.1 ms per MB) against work that
//! takes far longer; in return the caller may reuse, transfer or free its arrays the moment the call returns, and an
//! AbortSignal may reject the promise at once (index.js) while the work winds down on its own copy.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use super::{check, panic_error, sys, Env, IntoJs, JsValue};
use crate::error::{Error, Result};

struct Task<T, W> {
    name: &'static str,
    work: Option<W>,
    result: Option<Result<T>>,
    deferred: sys::napi_deferred,
    handle: sys::napi_async_work,
}

/// Runs `work` on the threadpool and returns a Promise settled with its result (converted by `IntoJs` on the JS
/// thread) or rejected with its error. Panics in `work` become a rejected `NATIVE_PANIC` error.
pub fn spawn<'s, T, W>(env: Env<'s>, name: &'static str, work: W) -> Result<JsValue<'s>>
where
    T: IntoJs + Send + 'static,
    W: FnOnce() -> Result<T> + Send + 'static,
{
    let (deferred, promise) = env.promise()?;
    let resource_name = env.string_value(name)?;
    let task = Task { name, work: Some(work), result: None, deferred, handle: ptr::null_mut() };
    let task: *mut Task<T, W> = Box::into_raw(Box::new(task));
    // SAFETY: `task` is a live Box; on success napi owns the pointer until `complete` reclaims it.
    let mut status = unsafe {
        sys::napi_create_async_work(
            env.raw,
            ptr::null_mut(),
            resource_name.raw,
            execute::<T, W>,
            complete::<T, W>,
            task.cast(),
            &mut (*task).handle,
        )
    };
    if status == sys::NAPI_OK {
        status = unsafe { sys::napi_queue_async_work(env.raw, (*task).handle) };
        if status != sys::NAPI_OK {
            unsafe { sys::napi_delete_async_work(env.raw, (*task).handle) };
        }
    }
    if status != sys::NAPI_OK {
        // Never queued: settle the promise here so the caller is not left waiting forever.
        drop(unsafe { Box::from_raw(task) });
        settle::<T>(
            env,
            deferred,
            name,
            Err(Error::invalid(format!("{name}: could not start async work (napi status {status})"))),
        );
    }
    Ok(promise)
}

impl<'s> Env<'s> {
    /// A new promise and the deferred that settles it (exactly once, through `settle`).
    pub(super) fn promise(self) -> Result<(sys::napi_deferred, JsValue<'s>)> {
        let (mut deferred, mut promise) = (ptr::null_mut(), ptr::null_mut());
        check(unsafe { sys::napi_create_promise(self.raw, &mut deferred, &mut promise) }, "napi_create_promise")?;
        Ok((deferred, self.wrap(promise)))
    }
}

/// Resolves `deferred` with `result` converted to JS, or rejects it with the error. Runs on the JS thread; every
/// piece of Rust code it runs (the conversion, the drops of the result) is inside `catch_unwind`, and a panic there
/// rejects with `NATIVE_PANIC` instead of unwinding into Node.
pub(super) fn settle<T: IntoJs>(env: Env<'_>, deferred: sys::napi_deferred, name: &str, result: Result<T>) {
    let settled = catch_unwind(AssertUnwindSafe(|| match result.and_then(|value| value.into_js(env)) {
        Ok(value) => unsafe { sys::napi_resolve_deferred(env.raw, deferred, value.raw) },
        Err(error) => match env.error_value(&error) {
            Ok(js_error) => unsafe { sys::napi_reject_deferred(env.raw, deferred, js_error.raw) },
            Err(_) => sys::NAPI_PENDING_EXCEPTION,
        },
    }));
    if let Err(panic) = settled {
        if let Ok(js_error) = env.error_value(&panic_error(name, &*panic)) {
            unsafe { sys::napi_reject_deferred(env.raw, deferred, js_error.raw) };
        }
    }
}

unsafe extern "C" fn execute<T, W>(_env: sys::napi_env, data: *mut c_void)
where
    W: FnOnce() -> Result<T>,
{
    // Runs on a threadpool thread: must not touch the env; the JS thread leaves the task alone until `complete`.
    let task = data as *mut Task<T, W>;
    if let Some(work) = (*task).work.take() {
        let result =
            catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| Err(panic_error((*task).name, &*panic)));
        (*task).result = Some(result);
    }
}

unsafe extern "C" fn complete<T, W>(raw_env: sys::napi_env, _status: sys::napi_status, data: *mut c_void)
where
    T: IntoJs,
{
    let mut task = Box::from_raw(data as *mut Task<T, W>);
    let env = Env::from_raw(raw_env);
    sys::napi_delete_async_work(raw_env, task.handle);
    let (name, deferred) = (task.name, task.deferred);
    // No result means the work never ran (napi_cancelled, e.g. at environment teardown).
    let result = task.result.take().unwrap_or_else(|| Err(Error::aborted_in(name)));
    // What is left of the task (the closure and its captures, if the work never ran) is dropped here, where a
    // panicking Drop cannot unwind into libuv.
    let result = match catch_unwind(AssertUnwindSafe(move || drop(task))) {
        Ok(()) => result,
        Err(panic) => Err(panic_error(name, &*panic)),
    };
    settle(env, deferred, name, result);
}
