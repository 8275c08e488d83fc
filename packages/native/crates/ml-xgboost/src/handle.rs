//! Safe owners of XGBoost's handles: a `DMatrix` and a `Booster` free themselves on drop, every return code is
//! checked and turned into our `Error` with `XGBGetLastError`'s text. The only `unsafe` of the crate lives here.
//!
//! Data goes in as numpy-style `__array_interface__` JSON pointing at our f64 buffers, exactly what
//! python-xgboost hands the same library for a float64 ndarray, so XGBoost's own f64 → f32 conversion is the one
//! both sides use.

use std::ffi::{CStr, CString};
use std::os::raw::c_int;
use std::ptr;

use pgml_ml_core::{Error, ErrorKind, MatrixView, Result};

use crate::ffi;

/// The library's message for the call that just failed on this thread.
fn last_error() -> String {
    // SAFETY: XGBGetLastError returns a pointer to a thread-local, NUL-terminated string (or null).
    let message = unsafe { ffi::XGBGetLastError() };
    if message.is_null() {
        return "unknown XGBoost error".to_string();
    }
    // SAFETY: non-null, NUL-terminated, alive until the next C API call on this thread.
    let text = unsafe { CStr::from_ptr(message) }.to_string_lossy();
    // Messages start with "[time] /build/path/file.cc:line: "; keep what follows.
    match text.rsplit_once(".cc:").and_then(|(_, rest)| rest.split_once(": ")) {
        Some((_, message)) => message.trim().to_string(),
        None => text.trim().to_string(),
    }
}

fn check(rc: c_int, kind: ErrorKind, doing: &str) -> Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(Error::new(kind, format!("XGBoost failed {doing}: {}", last_error())))
    }
}

fn c_string(text: &str) -> Result<CString> {
    CString::new(text).map_err(|_| Error::invalid(format!("{text:?} contains a NUL byte")))
}

/// `__array_interface__` of a row-major f64 buffer; `shape` is `[rows]` or `[rows, cols]`.
fn array_interface(data: &[f64], shape: &[usize]) -> Result<CString> {
    let shape: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    c_string(&format!(
        r#"{{"data":[{},true],"shape":[{}],"typestr":"<f8","version":3,"strides":null}}"#,
        data.as_ptr() as usize,
        shape.join(",")
    ))
}

/// XGBoost's training matrix: X copied into the library's own storage (f32), plus labels.
pub struct DMatrix(ffi::DMatrixHandle);

impl DMatrix {
    /// X as python's `DMatrix(ndarray, nthread=n_jobs)` builds it (missing = NaN; our X is finite anyway).
    pub fn dense(x: &MatrixView, nthread: i64) -> Result<DMatrix> {
        let interface = array_interface(x.data(), &[x.rows(), x.cols()])?;
        let config = c_string(&format!(r#"{{"missing":NaN,"nthread":{nthread}}}"#))?;
        let mut handle = ptr::null_mut();
        // SAFETY: the interface points at x's live buffer with its true shape; XGBoost copies it before returning.
        check(
            unsafe { ffi::XGDMatrixCreateFromDense(interface.as_ptr(), config.as_ptr(), &mut handle) },
            ErrorKind::DataError,
            "to copy X",
        )?;
        Ok(DMatrix(handle))
    }

    /// Labels, rows × targets (a 1-D interface for one target, as python passes a 1-D y).
    pub fn set_labels(&mut self, labels: &[f64], rows: usize, targets: usize) -> Result<()> {
        let interface =
            if targets == 1 { array_interface(labels, &[rows])? } else { array_interface(labels, &[rows, targets])? };
        let field = c_string("label")?;
        // SAFETY: the handle is live; the interface describes `labels` exactly; XGBoost copies them.
        check(
            unsafe { ffi::XGDMatrixSetInfoFromInterface(self.0, field.as_ptr(), interface.as_ptr()) },
            ErrorKind::DataError,
            "to set labels",
        )
    }
}

impl Drop for DMatrix {
    fn drop(&mut self) {
        // SAFETY: created by XGDMatrixCreateFromDense and freed only here.
        unsafe { ffi::XGDMatrixFree(self.0) };
    }
}

/// A trained or loaded booster.
pub struct Booster(ffi::BoosterHandle);

// SAFETY: XGBoost 1.7 boosters may be used from several threads for prediction: the learner configures itself once
// under its own mutex, and in-place prediction writes only to a per-thread output entry. Training and loading
// happen on one thread before the booster is shared; nothing here mutates it afterwards.
unsafe impl Send for Booster {}
unsafe impl Sync for Booster {}

impl std::fmt::Debug for Booster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Booster({:p})", self.0)
    }
}

impl Booster {
    fn create(cache: &[&DMatrix]) -> Result<Booster> {
        let handles: Vec<ffi::DMatrixHandle> = cache.iter().map(|d| d.0).collect();
        let mut handle = ptr::null_mut();
        // SAFETY: `handles` are live DMatrix handles (or none).
        check(
            unsafe { ffi::XGBoosterCreate(handles.as_ptr(), handles.len() as u64, &mut handle) },
            ErrorKind::DataError,
            "to create a booster",
        )?;
        Ok(Booster(handle))
    }

    /// What `xgboost.train(params, dtrain, rounds)` does: a booster caching `dtrain`, the parameters in order, then
    /// one `UpdateOneIter` per round. `cancelled` is polled between rounds. Library errors here come from parameter
    /// combinations (ranges, incompatible options) → INVALID_HYPERPARAMETER, or from label values the objective
    /// rejects → DATA_ERROR.
    pub fn train(
        dtrain: &DMatrix,
        params: &[(&str, String)],
        rounds: usize,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Booster> {
        let booster = Booster::create(&[dtrain])?;
        for (name, value) in params {
            let (name_c, value_c) = (c_string(name)?, c_string(value)?);
            // SAFETY: live handle, NUL-terminated strings.
            check(
                unsafe { ffi::XGBoosterSetParam(booster.0, name_c.as_ptr(), value_c.as_ptr()) },
                ErrorKind::InvalidHyperparameter,
                &format!("to set {name}={value}"),
            )?;
        }
        for round in 0..rounds {
            if cancelled() {
                return Err(Error::aborted());
            }
            // SAFETY: live booster and training matrix.
            let rc = unsafe { ffi::XGBoosterUpdateOneIter(booster.0, round as c_int, dtrain.0) };
            if rc != 0 {
                let message = last_error();
                let kind = if message.to_lowercase().contains("label") {
                    ErrorKind::DataError
                } else {
                    ErrorKind::InvalidHyperparameter
                };
                return Err(Error::new(kind, format!("XGBoost failed to train round {round}: {message}")));
            }
        }
        Ok(booster)
    }

    /// A string attribute stored with the model (python's `Booster.set_attr`).
    pub fn set_attr(&self, key: &str, value: &str) -> Result<()> {
        let (key_c, value_c) = (c_string(key)?, c_string(value)?);
        // SAFETY: live handle, NUL-terminated strings (copied by the library).
        check(
            unsafe { ffi::XGBoosterSetAttr(self.0, key_c.as_ptr(), value_c.as_ptr()) },
            ErrorKind::DataError,
            &format!("to set attribute {key}"),
        )
    }

    /// A booster from bytes `save_ubj` produced; anything XGBoost cannot parse → CORRUPT_MODEL.
    pub fn load(model: &[u8]) -> Result<Booster> {
        if model.is_empty() {
            return Err(Error::corrupt("empty XGBoost model"));
        }
        let booster = Booster::create(&[])?;
        // SAFETY: live handle; the buffer is valid for `model.len()` bytes and copied/parsed before returning.
        check(
            unsafe { ffi::XGBoosterLoadModelFromBuffer(booster.0, model.as_ptr().cast(), model.len() as u64) },
            ErrorKind::CorruptModel,
            "to load the model",
        )?;
        Ok(booster)
    }

    /// The model as XGBoost's UBJSON (trees, base score, objective, feature/class counts): what python's
    /// `Booster.save_raw("ubj")` returns, copied out of the library's thread-local buffer.
    pub fn save_ubj(&self) -> Result<Vec<u8>> {
        let config = c_string(r#"{"format":"ubj"}"#)?;
        let (mut len, mut data) = (0u64, ptr::null());
        // SAFETY: live handle; out-pointers are valid.
        check(
            unsafe { ffi::XGBoosterSaveModelToBuffer(self.0, config.as_ptr(), &mut len, &mut data) },
            ErrorKind::DataError,
            "to save the model",
        )?;
        if data.is_null() || len == 0 {
            return Err(Error::data("XGBoost saved an empty model"));
        }
        // SAFETY: XGBoost reports `len` valid bytes at `data`, alive until this thread's next call on the booster.
        Ok(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len as usize) }.to_vec())
    }

    pub fn num_features(&self) -> Result<usize> {
        let mut n = 0u64;
        // SAFETY: live handle, valid out-pointer.
        check(
            unsafe { ffi::XGBoosterGetNumFeature(self.0, &mut n) },
            ErrorKind::CorruptModel,
            "to read the feature count",
        )?;
        Ok(n as usize)
    }

    /// Python's `get_score(importance_type="gain")` over `n_features` features: the average gain of the splits on
    /// each feature (0 for features never split on), as XGBoost's f32. Linear boosters have no gain → DATA_ERROR.
    pub fn gain_scores(&self, n_features: usize) -> Result<Vec<f32>> {
        let config = c_string(r#"{"importance_type":"gain","feature_map":""}"#)?;
        let (mut n_named, mut names, mut dims, mut shape, mut scores) =
            (0u64, ptr::null(), 0u64, ptr::null(), ptr::null());
        // SAFETY: live handle; every out-pointer is valid.
        check(
            unsafe {
                ffi::XGBoosterFeatureScore(
                    self.0,
                    config.as_ptr(),
                    &mut n_named,
                    &mut names,
                    &mut dims,
                    &mut shape,
                    &mut scores,
                )
            },
            ErrorKind::DataError,
            "to compute feature gains",
        )?;
        let mut out = vec![0.0f32; n_features];
        if n_named == 0 {
            return Ok(out);
        }
        if names.is_null() || scores.is_null() || dims != 1 {
            return Err(Error::data(format!("XGBoost returned feature scores of {dims} dimensions")));
        }
        // SAFETY: XGBoost reports `n_named` names and as many scores (a tree model's scores are one per named
        // feature), alive until this thread's next call on the booster; both are read before any other call.
        let (names, scores) = unsafe {
            (std::slice::from_raw_parts(names, n_named as usize), std::slice::from_raw_parts(scores, n_named as usize))
        };
        for (&name, &score) in names.iter().zip(scores) {
            // SAFETY: each name is a NUL-terminated string owned by the same thread-local buffer.
            let name = unsafe { CStr::from_ptr(name) }.to_string_lossy();
            let index = name.strip_prefix('f').and_then(|i| i.parse::<usize>().ok()).filter(|&i| i < n_features);
            let index = index.ok_or_else(|| Error::data(format!("XGBoost scored an unknown feature {name:?}")))?;
            out[index] = score;
        }
        Ok(out)
    }

    /// Python's `inplace_predict(X, predict_type="value")`: transformed predictions (probabilities for classifiers)
    /// as XGBoost's f32, rows × outputs per row, straight from our f64 buffer without building a DMatrix.
    pub fn predict(&self, x: &MatrixView) -> Result<(Vec<f32>, usize)> {
        let interface = array_interface(x.data(), &[x.rows(), x.cols()])?;
        let config = c_string(
            r#"{"type":0,"training":false,"iteration_begin":0,"iteration_end":0,"missing":NaN,"strict_shape":false,"cache_id":0}"#,
        )?;
        let (mut shape, mut dims, mut result) = (ptr::null(), 0u64, ptr::null());
        // SAFETY: live handle; the interface describes x's live buffer; a null proxy DMatrix means "no base margin".
        check(
            unsafe {
                ffi::XGBoosterPredictFromDense(
                    self.0,
                    interface.as_ptr(),
                    config.as_ptr(),
                    ptr::null_mut(),
                    &mut shape,
                    &mut dims,
                    &mut result,
                )
            },
            ErrorKind::DataError,
            "to predict",
        )?;
        if shape.is_null() || result.is_null() || dims == 0 {
            return Err(Error::data("XGBoost returned no predictions"));
        }
        // SAFETY: XGBoost reports `dims` shape entries at `shape` (thread-local, alive until the next call).
        let shape = unsafe { std::slice::from_raw_parts(shape, dims as usize) };
        let total: u64 = shape.iter().product();
        if shape[0] as usize != x.rows() || !(total as usize).is_multiple_of(x.rows()) {
            return Err(Error::data(format!("XGBoost returned predictions of shape {shape:?} for {} rows", x.rows())));
        }
        // SAFETY: `total` f32 values at `result`, same lifetime as `shape`; copied before any other call.
        let values = unsafe { std::slice::from_raw_parts(result, total as usize) }.to_vec();
        Ok((values, total as usize / x.rows()))
    }
}

impl Drop for Booster {
    fn drop(&mut self) {
        // SAFETY: created by XGBoosterCreate and freed only here.
        unsafe { ffi::XGBoosterFree(self.0) };
    }
}
