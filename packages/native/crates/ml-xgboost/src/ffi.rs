//! The subset of XGBoost's C API (xgboost/c_api.h, 1.7) this crate calls. Every function returns 0 on success and
//! -1 on failure, with the message in `XGBGetLastError` (thread-local); the C API catches the library's C++
//! exceptions, so a failure never unwinds into Rust. Only `handle.rs` calls these.

use std::os::raw::{c_char, c_int, c_void};

pub type DMatrixHandle = *mut c_void;
pub type BoosterHandle = *mut c_void;
/// `bst_ulong` is `uint64_t`.
pub type BstUlong = u64;

extern "C" {
    pub fn XGBGetLastError() -> *const c_char;

    /// `data`: a numpy `__array_interface__` JSON; `config`: `{"missing": …, "nthread": …}`.
    pub fn XGDMatrixCreateFromDense(data: *const c_char, config: *const c_char, out: *mut DMatrixHandle) -> c_int;
    /// `field` "label"; the interface may be 2-D (rows × targets) for multi-target regression.
    pub fn XGDMatrixSetInfoFromInterface(
        handle: DMatrixHandle,
        field: *const c_char,
        interface: *const c_char,
    ) -> c_int;
    pub fn XGDMatrixFree(handle: DMatrixHandle) -> c_int;

    pub fn XGBoosterCreate(dmats: *const DMatrixHandle, len: BstUlong, out: *mut BoosterHandle) -> c_int;
    pub fn XGBoosterFree(handle: BoosterHandle) -> c_int;
    pub fn XGBoosterSetParam(handle: BoosterHandle, name: *const c_char, value: *const c_char) -> c_int;
    pub fn XGBoosterUpdateOneIter(handle: BoosterHandle, iter: c_int, dtrain: DMatrixHandle) -> c_int;
    pub fn XGBoosterSetAttr(handle: BoosterHandle, key: *const c_char, value: *const c_char) -> c_int;
    pub fn XGBoosterGetNumFeature(handle: BoosterHandle, out: *mut BstUlong) -> c_int;

    /// In-place prediction from a dense array interface (no DMatrix); `m` is an optional proxy DMatrix (null).
    /// The result buffer belongs to the booster's thread-local state: valid until this thread's next call.
    pub fn XGBoosterPredictFromDense(
        handle: BoosterHandle,
        values: *const c_char,
        config: *const c_char,
        m: DMatrixHandle,
        out_shape: *mut *const BstUlong,
        out_dim: *mut BstUlong,
        out_result: *mut *const f32,
    ) -> c_int;

    /// `config`: `{"format": "ubj"}` or `"json"`. The buffer is thread-local to the booster, like predictions'.
    pub fn XGBoosterSaveModelToBuffer(
        handle: BoosterHandle,
        config: *const c_char,
        out_len: *mut BstUlong,
        out_dptr: *mut *const c_char,
    ) -> c_int;
    pub fn XGBoosterLoadModelFromBuffer(handle: BoosterHandle, buf: *const c_void, len: BstUlong) -> c_int;

    /// Feature scores of a tree model (`config`: `{"importance_type": "gain", …}`): only features used in a split
    /// are listed, by name (`f<i>` when the booster has no feature names). Buffers are thread-local to the booster.
    pub fn XGBoosterFeatureScore(
        handle: BoosterHandle,
        config: *const c_char,
        out_n_features: *mut BstUlong,
        out_features: *mut *const *const c_char,
        out_dim: *mut BstUlong,
        out_shape: *mut *const BstUlong,
        out_scores: *mut *const f32,
    ) -> c_int;
}
