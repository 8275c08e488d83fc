//! Promise-returning work on a thread of its own, for jobs that may run for minutes (model fits): on the libuv
//! threadpool (`async_work`) two concurrent fits would hold half of its 4 threads, starving fs, `dns.lookup` (which
//! pg uses to connect) and zlib. The thread hands its result back through a thread-safe function
//! (`napi_create_threadsafe_function`), whose callback settles the promise on the JS thread; the function keeps the
//! event loop alive until then, as queued async work does.
//!
//! Same ownership rule as `async_work`: `work` owns everything it reads (`Send + 'static`).

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use super::async_work::settle;
use super::{check, panic_error, sys, Env, IntoJs, JsValue};
use crate::error::{Error, Result};

/// A finished job on its way to the JS thread.
struct Done<T> {
    name: &'static str,
    deferred: sys::napi_deferred,
    result: Result<T>,
}

/// The raw handles the thread carries. They are only passed back to Node-API calls documented as callable from any
/// thread (`napi_call_threadsafe_function`, `napi_release_threadsafe_function`) or to the JS thread's callback.
struct Handoff {
    tsfn: sys::napi_threadsafe_function,
    deferred: sys::napi_deferred,
}
// SAFETY: see the struct docs; the env itself never crosses threads.
unsafe impl Send for Handoff {}

/// Runs `work` on a new thread named `pgml-{name}` and returns a Promise settled with its result (converted by
/// `IntoJs` on the JS thread) or rejected with its error; panics in `work` reject with `NATIVE_PANIC`.
pub fn spawn_thread<'s, T, W>(env: Env<'s>, name: &'static str, work: W) -> Result<JsValue<'s>>
where
    T: IntoJs + Send + 'static,
    W: FnOnce() -> Result<T> + Send + 'static,
{
    let (deferred, promise) = env.promise()?;
    let resource_name = env.string_value(name)?;
    let mut tsfn = ptr::null_mut();
    let status = unsafe {
        sys::napi_create_threadsafe_function(
            env.raw,
            ptr::null_mut(),
            ptr::null_mut(),
            resource_name.raw,
            0,
            1,
            ptr::null_mut(),
            None,
            ptr::null_mut(),
            Some(call_js::<T>),
            &mut tsfn,
        )
    };
    if let Err(error) = check(status, "napi_create_threadsafe_function") {
        settle::<T>(env, deferred, name, Err(error));
        return Ok(promise);
    }
    let handoff = Handoff { tsfn, deferred };
    let spawned = std::thread::Builder::new().name(format!("pgml-{name}")).spawn(move || {
        let handoff = handoff;
        let result = catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| Err(panic_error(name, &*panic)));
        let done = Box::into_raw(Box::new(Done { name, deferred: handoff.deferred, result }));
        // SAFETY: thread-safe function calls are allowed from any thread; on success `call_js` owns `done`.
        let status = unsafe { sys::napi_call_threadsafe_function(handoff.tsfn, done.cast(), sys::NAPI_TSFN_BLOCKING) };
        if status != sys::NAPI_OK {
            // The environment is shutting down (napi_closing): nobody is left to settle; free the result here.
            let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(done) })));
        }
        unsafe { sys::napi_release_threadsafe_function(handoff.tsfn, sys::NAPI_TSFN_RELEASE) };
    });
    if let Err(spawn_error) = spawned {
        // The closure (and its handoff) was dropped unrun: release the function and settle here.
        unsafe { sys::napi_release_threadsafe_function(tsfn, sys::NAPI_TSFN_RELEASE) };
        settle::<T>(
            env,
            deferred,
            name,
            Err(Error::invalid(format!("{name}: could not start a thread: {spawn_error}"))),
        );
    }
    Ok(promise)
}

unsafe extern "C" fn call_js<T: IntoJs>(
    raw_env: sys::napi_env,
    _callback: sys::napi_value,
    _context: *mut c_void,
    data: *mut c_void,
) {
    let done = Box::from_raw(data as *mut Done<T>);
    if raw_env.is_null() {
        // Called while the function is torn down with the environment: drop the result, settle nothing.
        let _ = catch_unwind(AssertUnwindSafe(move || drop(done)));
        return;
    }
    let Done { name, deferred, result } = *done;
    settle(Env::from_raw(raw_env), deferred, name, result);
}
