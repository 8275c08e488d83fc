//! The table of JS-facing functions. Each entry is a thin closure over a parse → kernel → result function;
//! index.js builds the public API (NativeMatrix class, AbortSignal handling) on top of these.

mod args;
mod batch;
mod matrix;
mod model_inputs;
mod models;
mod results;
mod table;
mod vector_fns;

use crate::napi::Export;
use crate::vector::aggregate::Aggregate;
use crate::vector::ops::{Elementwise, Norm};
use vector_fns::PairScalar;

pub static EXPORTS: &[Export] = &[
    Export { name: "add", callback: |a| vector_fns::elementwise(a, Elementwise::Add) },
    Export { name: "subtract", callback: |a| vector_fns::elementwise(a, Elementwise::Subtract) },
    Export { name: "multiply", callback: |a| vector_fns::elementwise(a, Elementwise::Multiply) },
    Export { name: "divide", callback: |a| vector_fns::elementwise(a, Elementwise::Divide) },
    Export { name: "normL0", callback: |a| vector_fns::norm(a, Norm::L0) },
    Export { name: "normL1", callback: |a| vector_fns::norm(a, Norm::L1) },
    Export { name: "normL2", callback: |a| vector_fns::norm(a, Norm::L2) },
    Export { name: "normMax", callback: |a| vector_fns::norm(a, Norm::Max) },
    Export { name: "normalizeL1", callback: |a| vector_fns::normalize(a, Norm::L1) },
    Export { name: "normalizeL2", callback: |a| vector_fns::normalize(a, Norm::L2) },
    Export { name: "normalizeMax", callback: |a| vector_fns::normalize(a, Norm::Max) },
    Export { name: "distanceL1", callback: |a| vector_fns::pair_scalar(a, PairScalar::DistanceL1) },
    Export { name: "distanceL2", callback: |a| vector_fns::pair_scalar(a, PairScalar::DistanceL2) },
    Export { name: "dotProduct", callback: |a| vector_fns::pair_scalar(a, PairScalar::DotProduct) },
    Export { name: "cosineSimilarity", callback: |a| vector_fns::pair_scalar(a, PairScalar::CosineSimilarity) },
    Export { name: "sum", callback: |a| vector_fns::aggregate(a, Aggregate::Sum) },
    Export { name: "min", callback: |a| vector_fns::aggregate(a, Aggregate::Min) },
    Export { name: "max", callback: |a| vector_fns::aggregate(a, Aggregate::Max) },
    Export { name: "minAbs", callback: |a| vector_fns::aggregate(a, Aggregate::MinAbs) },
    Export { name: "maxAbs", callback: |a| vector_fns::aggregate(a, Aggregate::MaxAbs) },
    Export { name: "scoreRows", callback: batch::score_rows_sync },
    Export { name: "topK", callback: batch::top_k_sync },
    Export { name: "scoreRowsAsync", callback: batch::score_rows_async },
    Export { name: "topKAsync", callback: batch::top_k_async },
    Export { name: "parseCopyFloatArrays", callback: batch::parse_copy_sync },
    Export { name: "parseCopyFloatArraysAsync", callback: batch::parse_copy_async },
    Export { name: "blasSgemv", callback: batch::blas_sgemv },
    Export { name: "blasSdot", callback: batch::blas_sdot },
    Export { name: "nativeInfo", callback: batch::native_info },
    Export { name: "createCancelToken", callback: batch::create_cancel_token },
    Export { name: "cancel", callback: batch::cancel },
    Export { name: "workProgress", callback: batch::work_progress },
    Export { name: "matrixFromCopy", callback: matrix::from_copy },
    Export { name: "matrixFromArray", callback: matrix::from_array },
    Export { name: "matrixShape", callback: matrix::shape },
    Export { name: "matrixFree", callback: matrix::free },
    Export { name: "matrixScores", callback: matrix::scores },
    Export { name: "matrixTopK", callback: matrix::top_k },
    Export { name: "matrixScoresAsync", callback: matrix::scores_async },
    Export { name: "matrixTopKAsync", callback: matrix::top_k_async },
    Export { name: "mlAlgorithms", callback: models::algorithms },
    Export { name: "mlValidate", callback: models::validate },
    Export { name: "mlFit", callback: models::fit },
    Export { name: "mlFitAsync", callback: models::fit_async },
    Export { name: "mlModelInfo", callback: models::info },
    Export { name: "mlPredict", callback: models::predict },
    Export { name: "mlPredictAsync", callback: models::predict_async },
    Export { name: "mlPredictProba", callback: models::predict_proba },
    Export { name: "mlPredictProbaAsync", callback: models::predict_proba_async },
    Export { name: "mlPredictInto", callback: models::predict_into },
    Export { name: "mlPredictProbaInto", callback: models::predict_proba_into },
    Export { name: "mlFeatureImportances", callback: models::feature_importances },
    Export { name: "mlSerialize", callback: models::serialize },
    Export { name: "mlDeserialize", callback: models::deserialize },
    Export { name: "xgboostToUbjson", callback: models::xgboost_to_ubjson },
    Export { name: "tableDecoderNew", callback: table::decoder_new },
    Export { name: "tableDecoderPush", callback: table::decoder_push },
    Export { name: "tableDecoderPushWire", callback: table::decoder_push_wire },
    Export { name: "tableDecoderWireCarry", callback: table::decoder_wire_carry },
    Export { name: "tableDecoderRows", callback: table::decoder_rows },
    Export { name: "tableDecoderTake", callback: table::decoder_take },
    Export { name: "tableDecoderFinish", callback: table::decoder_finish },
    Export { name: "tableInfo", callback: table::info },
    Export { name: "tableLabel", callback: table::label },
    Export { name: "tableFitPreprocessor", callback: table::fit_preprocessor },
    Export { name: "tableTransform", callback: table::transform },
    Export { name: "tableEncodePredictions", callback: table::encode_predictions },
    Export { name: "tableAppend", callback: table::append },
    Export { name: "tableFree", callback: table::free },
    Export { name: "preprocessorNew", callback: table::preprocessor_new },
    Export { name: "preprocessorApply", callback: table::preprocessor_apply },
    Export { name: "preprocessorApplyInto", callback: table::preprocessor_apply_into },
    #[cfg(feature = "test-exports")]
    Export { name: "_testPanic", callback: batch::panics::sync },
    #[cfg(feature = "test-exports")]
    Export { name: "_testPanicAsync", callback: batch::panics::pool },
    #[cfg(feature = "test-exports")]
    Export { name: "_testPanicThread", callback: batch::panics::thread },
];
