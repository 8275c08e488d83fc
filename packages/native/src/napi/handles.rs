//! Native handles: Rust values owned by JS externals, recognised by a Node-API type tag (Node-API 8,
//! `napi_type_tag_object`), the way Node's documentation recommends telling an addon's own objects from anything
//! else. The tag lives in V8's object, not behind the external's pointer, so a foreign external (another addon's,
//! or ours of another type) is refused without ever reading through its pointer.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use super::{check, sys, Env, JsType, JsValue};
use crate::error::Result;

/// A 128-bit type tag (`napi_type_tag`): a random UUID per handle type, written as two halves.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeTag {
    pub lower: u64,
    pub upper: u64,
}

/// A Rust type JS may hold as an external. `TAG` must be unique per type (a fresh random UUID); the tag an external
/// carries is `instance_tag::<T>()`.
pub trait Handle: Send + 'static {
    const TAG: TypeTag;
}

/// This copy of the addon's tag for `T`: `T::TAG` mixed with the address of a static in this copy of the library, so
/// two copies of pgml-native in one process (two versions in node_modules, or a test build) never accept each
/// other's handles, whose Rust types may differ in layout.
fn instance_tag<T: Handle>() -> TypeTag {
    static INSTANCE: u8 = 0;
    TypeTag { lower: T::TAG.lower ^ (&INSTANCE as *const u8 as u64), upper: T::TAG.upper }
}

impl<'s> Env<'s> {
    /// Moves `value` into a JS external tagged with `T::TAG`; the GC finalizer drops it. `external_ref::<T>` reads it
    /// back.
    pub fn external<T: Handle>(self, value: T) -> Result<JsValue<'s>> {
        let boxed = Box::into_raw(Box::new(value));
        let mut out = ptr::null_mut();
        let status = unsafe {
            sys::napi_create_external(self.raw, boxed.cast(), Some(finalize::<T>), ptr::null_mut(), &mut out)
        };
        if status != sys::NAPI_OK {
            // SAFETY: napi did not take ownership, so the box is still ours to free.
            drop(unsafe { Box::from_raw(boxed) });
        }
        check(status, "napi_create_external")?;
        // A fresh external has no tag yet, so tagging fails only if the env is going away; the external (and the
        // finalizer that frees `boxed`) then belong to the GC and are simply never recognised.
        check(unsafe { sys::napi_type_tag_object(self.raw, out, &instance_tag::<T>()) }, "napi_type_tag_object")?;
        Ok(self.wrap(out))
    }

    /// The value inside an external made by `external::<T>`, or `None` for any other value, type or addon.
    pub fn external_ref<T: Handle>(self, value: JsValue<'s>) -> Option<&'s T> {
        if self.type_of(value) != JsType::External {
            return None;
        }
        let mut ours = false;
        if unsafe { sys::napi_check_object_type_tag(self.raw, value.raw, &instance_tag::<T>(), &mut ours) }
            != sys::NAPI_OK
            || !ours
        {
            return None;
        }
        let mut data = ptr::null_mut();
        if unsafe { sys::napi_get_value_external(self.raw, value.raw, &mut data) } != sys::NAPI_OK || data.is_null() {
            return None;
        }
        // SAFETY: only `external::<T>` tags an external with `T::TAG`, and it points that external at a live `T`,
        // freed by the finalizer only after the external is unreachable; the argument keeps it alive for `'s`.
        Some(unsafe { &*(data as *const T) })
    }
}

unsafe extern "C" fn finalize<T>(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // A panicking Drop must not unwind into V8.
    let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(data as *mut T))));
}
