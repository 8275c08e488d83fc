//! pgml-native: PostgresML's vector functions, batch scoring, PostgreSQL binary COPY parsing and OpenBLAS
//! bindings for Node.js, over an own minimal Node-API layer (`napi`).

#[cfg(test)]
mod algorithm_contract_tests;
mod blas;
mod cancel;
mod copy_binary;
mod error;
mod exports;
mod napi;
mod registry;
mod vector;

use std::ffi::c_void;

/// Node-API module entry point, looked up by name when `process.dlopen` loads the `.node` file.
///
/// # Safety
/// Called by Node with a valid env and exports object.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(env: *mut c_void, exports: *mut c_void) -> *mut c_void {
    pgml_ml_core::lapack::single_threaded_blas_unless_configured();
    napi::register(env, exports, exports::EXPORTS)
}
