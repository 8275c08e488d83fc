//! Promise-returning async work on the libuv threadpool (`napi_create_async_work`), the way node-rs runs its
//! heavy `foo()` twins of `fooSync()`.
//!
//! Ownership rule that keeps this sound: the worker closure must be `Send + 'static`, so it can only capture owned
//! data (copied inputs, `Arc`s) — never a slice borrowed from a JS typed array, whose call scope ends when the
//! promise is returned. Inputs that must not be copied go in `spawn_holding`'s `held` value instead (typically
//! `Pinned` typed arrays): the task owns it from queuing until the completion callback drops it on the JS thread,
//! and the worker only ever sees `&held`, so nothing borrowed from it can outlive the work (`T: 'static`).

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use super::{check, panic_error, sys, Env, IntoJs, JsValue};
use crate::error::{Error, Result};

struct Task<H, T, W> {
    name: &'static str,
    held: H,
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
    spawn_holding(env, name, (), move |_: &()| work())
}

/// `spawn` for work that reads `held` in place: `held` need only be `Sync` (it stays on the JS thread's side and
/// is dropped there after the promise settles), `work` gets `&held` on the threadpool.
pub fn spawn_holding<'s, H, T, W>(env: Env<'s>, name: &'static str, held: H, work: W) -> Result<JsValue<'s>>
where
    H: Sync + 'static,
    T: IntoJs + Send + 'static,
    W: FnOnce(&H) -> Result<T> + Send + 'static,
{
    let (mut deferred, mut promise) = (ptr::null_mut(), ptr::null_mut());
    check(unsafe { sys::napi_create_promise(env.raw, &mut deferred, &mut promise) }, "napi_create_promise")?;
    let resource_name = env.string_value(name)?;
    let task = Task { name, held, work: Some(work), result: None, deferred, handle: ptr::null_mut() };
    let task: *mut Task<H, T, W> = Box::into_raw(Box::new(task));
    // SAFETY: `task` is a live Box; on success napi owns the pointer until `complete` reclaims it.
    let mut status = unsafe {
        sys::napi_create_async_work(
            env.raw,
            ptr::null_mut(),
            resource_name.raw,
            execute::<H, T, W>,
            complete::<H, T, W>,
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
        let error = env.error_value(&Error::invalid(format!("{name}: could not start async work (napi status {status})")))?;
        unsafe { sys::napi_reject_deferred(env.raw, deferred, error.raw) };
    }
    Ok(env.wrap(promise))
}

unsafe extern "C" fn execute<H, T, W>(_env: sys::napi_env, data: *mut c_void)
where
    W: FnOnce(&H) -> Result<T>,
{
    // Runs on a threadpool thread: must not touch the env, and takes only a shared borrow of `held` (which may be
    // `!Send`); the JS thread leaves the task alone until `complete`.
    let task = data as *mut Task<H, T, W>;
    if let Some(work) = (*task).work.take() {
        let held = &(*task).held;
        let result = catch_unwind(AssertUnwindSafe(|| work(held))).unwrap_or_else(|panic| Err(panic_error((*task).name, &*panic)));
        (*task).result = Some(result);
    }
}

unsafe extern "C" fn complete<H, T, W>(raw_env: sys::napi_env, _status: sys::napi_status, data: *mut c_void)
where
    T: IntoJs,
{
    // Dropping the task at the end of this function drops `held` here, on the JS thread.
    let mut task = Box::from_raw(data as *mut Task<H, T, W>);
    let env = Env::from_raw(raw_env);
    sys::napi_delete_async_work(raw_env, task.handle);
    let (name, deferred) = (task.name, task.deferred);
    // No result means the work never ran (napi_cancelled, e.g. at environment teardown).
    let result = task.result.take().unwrap_or_else(|| Err(Error::aborted(name)));
    let settled = catch_unwind(AssertUnwindSafe(|| match result.and_then(|value| value.into_js(env)) {
        Ok(value) => sys::napi_resolve_deferred(raw_env, deferred, value.raw),
        Err(error) => match env.error_value(&error) {
            Ok(js_error) => sys::napi_reject_deferred(raw_env, deferred, js_error.raw),
            Err(_) => sys::NAPI_PENDING_EXCEPTION,
        },
    }));
    if let Err(panic) = settled {
        if let Ok(js_error) = env.error_value(&panic_error(name, &*panic)) {
            sys::napi_reject_deferred(raw_env, deferred, js_error.raw);
        }
    }
}
