//! Rust results → JS values. Async work returns these types from the worker; the conversion runs on the JS thread.

use crate::copy_binary::{CopyData, CopyMatrix};
use crate::error::Result;
use crate::napi::{Env, IntoJs, JsValue, TypedElement};
use crate::vector::scan::TopK;
use crate::vector::Float;

/// A vector result whose element type follows the first argument (Float32Array in → Float32Array out).
pub enum FloatVec {
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl FloatVec {
    /// Converts a result computed in `T` to f32 when the caller's first argument was a Float32Array.
    pub fn shaped_like<T: Float>(values: Vec<T>, f32_out: bool) -> FloatVec {
        if f32_out {
            FloatVec::F32(values.into_iter().map(|x| x.to_f64() as f32).collect())
        } else {
            FloatVec::F64(values.into_iter().map(|x| x.to_f64()).collect())
        }
    }
}

impl IntoJs for FloatVec {
    fn into_js<'s>(self, env: Env<'s>) -> Result<JsValue<'s>> {
        match self {
            FloatVec::F32(v) => env.typed_array_from_vec(v),
            FloatVec::F64(v) => env.typed_array_from_vec(v),
        }
    }
}

impl<T: TypedElement + Send> IntoJs for Vec<T> {
    fn into_js<'s>(self, env: Env<'s>) -> Result<JsValue<'s>> {
        env.typed_array_from_vec(self)
    }
}

impl IntoJs for f64 {
    fn into_js<'s>(self, env: Env<'s>) -> Result<JsValue<'s>> {
        env.number_value(self)
    }
}

impl IntoJs for TopK {
    fn into_js<'s>(self, env: Env<'s>) -> Result<JsValue<'s>> {
        let object = env.object()?;
        env.set(object, "indices", env.typed_array_from_vec(self.indices)?)?;
        env.set(object, "scores", env.typed_array_from_vec(self.scores)?)?;
        Ok(object)
    }
}

impl IntoJs for CopyMatrix {
    fn into_js<'s>(self, env: Env<'s>) -> Result<JsValue<'s>> {
        let object = env.object()?;
        let data = match self.data {
            CopyData::F32(v) => env.typed_array_from_vec(v)?,
            CopyData::F64(v) => env.typed_array_from_vec(v)?,
        };
        env.set(object, "data", data)?;
        env.set(object, "rows", env.number_value(self.rows as f64)?)?;
        env.set(object, "dim", env.number_value(self.dim as f64)?)?;
        Ok(object)
    }
}
