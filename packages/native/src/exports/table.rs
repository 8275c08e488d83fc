//! The data path's exports (`crates/table` does the work): a streaming binary COPY decoder, the decoded table
//! (labels out, preprocessing fitted on its training rows, features transformed in place and handed to JS without a
//! copy, predictions encoded back with its keys), and a fitted preprocessor for predict inputs.
//!
//! Handles are externals owning a slot: `free()` (or `finish()` for the decoder) empties it, the GC drops it, and
//! async work clones the `Arc` inside, so nothing is freed under a running job. Structured arguments (column specs,
//! preprocess options, states) arrive as JSON text, so no JS getter ever runs while Rust reads them.

use std::sync::{Arc, Mutex};

use pgml_ml_core::json::{parse, quote, Json};
use pgml_table::predictions::{encode, Prediction};
use pgml_table::preprocess::{fit, transform_table, ColumnOptions, RowTransform, State};
use pgml_table::wire::WireEnd;
use pgml_table::{ColumnSpec, Role, Table, TableBuilder, WireType};

use super::args::{bytes, count, float64_array, floats, handle, output_f64, read_floats, u32_array};
use super::model_inputs::string;
use crate::error::{Error, Result};
use crate::napi::async_work::spawn;
use crate::napi::{Args, Env, Handle, IntoJs, JsType, JsValue, TypeTag};

/// An external's slot: `None` once freed (or, for a decoder, finished).
struct Slot<T>(Mutex<Option<T>>);

impl Handle for Slot<TableBuilder> {
    const TAG: TypeTag = TypeTag { lower: 0xc8d4_f458_0c88_4e43, upper: 0x9b52_b7ef_58d8_3451 };
}

impl Handle for Slot<SharedTable> {
    const TAG: TypeTag = TypeTag { lower: 0xae52_9e39_24e7_4007, upper: 0x818d_e494_62bf_5e3b };
}

/// A fitted preprocessor for predict inputs.
struct Preprocessor(RowTransform);

impl Handle for Preprocessor {
    const TAG: TypeTag = TypeTag { lower: 0xa1c1_990f_405c_4732, upper: 0xb13c_1310_52e2_698d };
}

fn slot<'s, T: Send + 'static>(args: &Args<'s>, i: usize, what: &str) -> Result<&'s Slot<T>>
where
    Slot<T>: Handle,
{
    handle::<Slot<T>>(args, i, what)
}

fn locked<T>(slot: &Slot<T>) -> std::sync::MutexGuard<'_, Option<T>> {
    slot.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

type SharedTable = Arc<Mutex<Table>>;

fn live_table(args: &Args<'_>) -> Result<SharedTable> {
    locked(slot::<SharedTable>(args, 0, "NativeTable")?)
        .clone()
        .ok_or_else(|| Error::invalid(format!("{}: the table was freed", args.name())))
}

fn json(args: &Args<'_>, i: usize, what: &str) -> Result<Json> {
    parse(&string(args, i, what)?)
        .map_err(|e| Error::invalid(format!("{}: {what} is not JSON: {} at byte {}", args.name(), e.what, e.at)))
}

fn column_specs(args: &Args<'_>, i: usize) -> Result<Vec<ColumnSpec>> {
    let list = json(args, i, "columns")?;
    let items = list.as_array().ok_or_else(|| Error::invalid(format!("{}: columns must be an array", args.name())))?;
    items
        .iter()
        .map(|item| {
            let text = |key: &str| {
                item.get(key)
                    .and_then(Json::as_str)
                    .ok_or_else(|| Error::invalid(format!("{}: every column needs a {key}", args.name())))
            };
            let role = match text("role")? {
                "feature" => Role::Feature,
                "label" => Role::Label,
                "key" => Role::Key,
                other => return Err(Error::invalid(format!("{}: unknown column role {other:?}", args.name()))),
            };
            let array =
                match item.get("arrayLength") {
                    None | Some(Json::Null) => None,
                    Some(n) => Some(n.as_f64().filter(|n| *n >= 1.0 && n.fract() == 0.0).ok_or_else(|| {
                        Error::invalid(format!("{}: arrayLength must be a positive integer", args.name()))
                    })? as usize),
                };
            // Keys travel as raw bytes whatever their type.
            let wire = match (role, item.get("type")) {
                (Role::Key, None) => WireType::Text,
                _ => WireType::parse(text("type")?)?,
            };
            Ok(ColumnSpec { name: text("name")?.to_owned(), wire, role, array })
        })
        .collect()
}

/// (columnsJson, expectedRows) → a decoder handle.
pub fn decoder_new<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let builder = TableBuilder::new(column_specs(args, 0)?, count(args, 1, "expectedRows")?)?;
    args.env.external(Slot(Mutex::new(Some(builder))))
}

fn with_decoder<T>(args: &Args<'_>, run: impl FnOnce(&mut TableBuilder) -> Result<T>) -> Result<T> {
    let mut guard = locked(slot::<TableBuilder>(args, 0, "TableDecoder")?);
    let builder = guard.as_mut().ok_or_else(|| Error::invalid(format!("{}: the decoder has finished", args.name())))?;
    run(builder)
}

/// (decoder, chunk) → rows decoded and not yet taken. The chunk is read during the call only.
pub fn decoder_push<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let chunk = bytes(args, 1, "chunk")?;
    let rows = with_decoder(args, |b| {
        b.push(chunk)?;
        Ok(b.rows())
    })?;
    args.env.number_value(rows as f64)
}

/// (decoder, socketBytes) → -1 when the whole chunk was the copy's, else the offset where the driver's protocol
/// parser takes over; bytes of that message cut off in the previous chunk are left for `decoderWireCarry`.
pub fn decoder_push_wire<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let chunk = bytes(args, 1, "chunk")?;
    let offset = with_decoder(args, |b| {
        Ok(match b.push_wire(chunk)? {
            WireEnd::Consumed => -1.0,
            WireEnd::Handback { offset, carried } => {
                b.wire_carry = carried;
                offset as f64
            }
        })
    })?;
    args.env.number_value(offset)
}

/// (decoder) → the start of the message handed back that arrived in the previous chunk (usually empty).
pub fn decoder_wire_carry<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let carried = with_decoder(args, |b| Ok(std::mem::take(&mut b.wire_carry)))?;
    args.env.typed_array_from(&carried)
}

/// (decoder) → rows decoded and not yet taken.
pub fn decoder_rows<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let rows = with_decoder(args, |b| Ok(b.rows()))?;
    args.env.number_value(rows as f64)
}

fn table_value<'s>(env: Env<'s>, table: Table) -> Result<JsValue<'s>> {
    env.external(Slot(Mutex::new(Some(Arc::new(Mutex::new(table))))))
}

/// (decoder) → the rows decoded so far, as a table; the decoder goes on.
pub fn decoder_take<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let table = with_decoder(args, |b| Ok(b.take()))?;
    table_value(args.env, table)
}

/// (decoder) → the remaining rows once the stream ended with its trailer; the decoder is spent.
pub fn decoder_finish<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let builder = locked(slot::<TableBuilder>(args, 0, "TableDecoder")?).take();
    let builder = builder.ok_or_else(|| Error::invalid(format!("{}: the decoder has finished", args.name())))?;
    table_value(args.env, builder.finish()?)
}

/// (table) → `{ rows, width, labels }` (width: raw feature slots).
pub fn info<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let table = live_table(args)?;
    let table = table.lock().unwrap_or_else(|p| p.into_inner());
    let (env, out) = (args.env, args.env.object()?);
    env.set(out, "rows", env.number_value(table.rows as f64)?)?;
    env.set(out, "width", env.number_value(table.width as f64)?)?;
    env.set(out, "labels", env.number_value(table.labels.len() as f64)?)?;
    Ok(out)
}

/// (table, i) → `{ values: Float64Array, categoriesJson?: string }`; label i's values move out of the table.
pub fn label<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let table = live_table(args)?;
    let i = count(args, 1, "label")?;
    let (values, categories) = {
        let mut table = table.lock().unwrap_or_else(|p| p.into_inner());
        let rows = table.rows;
        let column =
            table.labels.get_mut(i).ok_or_else(|| Error::invalid(format!("{}: no label column {i}", args.name())))?;
        if column.values.len() != rows {
            return Err(Error::invalid(format!("{}: label {i} was already taken", args.name())));
        }
        let categories = column
            .dictionary
            .as_ref()
            .map(|d| format!("[{}]", d.values().iter().map(|v| quote(v)).collect::<Vec<_>>().join(",")));
        (std::mem::take(&mut column.values), categories)
    };
    let (env, out) = (args.env, args.env.object()?);
    env.set(out, "values", env.typed_array_from_vec(values)?)?;
    if let Some(categories) = categories {
        env.set(out, "categoriesJson", env.string_value(&categories)?)?;
    }
    Ok(out)
}

struct Text(String);
impl IntoJs for Text {
    fn into_js<'s>(self, env: Env<'s>) -> Result<JsValue<'s>> {
        env.string_value(&self.0)
    }
}

/// (table, optionsJson, trainRows: Uint32Array, target?: Float64Array) → Promise<stateJson>.
pub fn fit_preprocessor<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let table = live_table(args)?;
    let options = ColumnOptions::parse_list(&string(args, 1, "options")?)?;
    // A number[] target runs JS, so it is read before trainRows is borrowed.
    let target = match args.env.type_of(args.get(3)?) {
        JsType::Undefined | JsType::Null => None,
        _ => Some(floats(args, 3, "target")?.to_f64().into_owned()),
    };
    let train_rows = u32_array(args, 2, "trainRows")?.to_vec();
    spawn(args.env, args.name(), move || {
        let table = table.lock().unwrap_or_else(|p| p.into_inner());
        Ok(Text(fit(&table, &train_rows, &options, target.as_deref())?.to_json()))
    })
}

struct Features(Vec<f64>);
impl IntoJs for Features {
    fn into_js<'s>(self, env: Env<'s>) -> Result<JsValue<'s>> {
        env.typed_array_from_vec(self.0)
    }
}

/// (table, stateJson, order: Uint32Array, testFrom) → Promise<Float64Array>: rows × features in `order`, built from
/// (and in place of) the table's matrix, which the table no longer holds.
pub fn transform<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let table = live_table(args)?;
    let state = State::from_json(&string(args, 1, "state")?)?;
    let order = u32_array(args, 2, "order")?.to_vec();
    let test_from = count(args, 3, "testFrom")?;
    spawn(args.env, args.name(), move || {
        let mut table = table.lock().unwrap_or_else(|p| p.into_inner());
        if table.features.len() != table.rows * table.width {
            return Err(Error::invalid("transform: the table's features were already transformed"));
        }
        Ok(Features(transform_table(&mut table, &state, &order, test_from)?))
    })
}

/// (table, kind, predictions: Float64Array, width, labelsJson?, probabilities?: Float64Array, classes) → the
/// binary COPY FROM stream of (keys…, prediction[, probabilities]). kind: 'number' | 'numbers' | 'text' | 'bool'.
pub fn encode_predictions<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let table = live_table(args)?;
    let kind = string(args, 1, "kind")?;
    let width = count(args, 3, "width")?;
    let labels: Vec<String> = match args.env.type_of(args.get(4)?) {
        JsType::Undefined | JsType::Null => Vec::new(),
        _ => match json(args, 4, "labels")? {
            Json::Array(items) => items.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<_>>(),
            _ => None,
        }
        .ok_or_else(|| Error::invalid(format!("{}: labels must be a JSON array of text", args.name())))?,
    };
    let classes = count(args, 6, "classes")?;
    // predictions and probabilities together: a number[] among them is converted before the other is borrowed.
    let mut items = vec![(args.get(2)?, "predictions")];
    let probabilities_value = args.get(5)?;
    if !matches!(args.env.type_of(probabilities_value), JsType::Undefined | JsType::Null) {
        items.push((probabilities_value, "probabilities"));
    }
    let read = read_floats(args, &items)?;
    let values = read[0].to_f64();
    let probabilities = read.get(1).map(|p| p.to_f64());
    let prediction = match kind.as_str() {
        "number" => Prediction::Number(&values),
        "numbers" => Prediction::Numbers { values: &values, width },
        "text" => Prediction::TextLabel { classes: &values, labels: &labels },
        "bool" => Prediction::BoolLabel(&values),
        other => return Err(Error::invalid(format!("{}: unknown prediction kind {other:?}", args.name()))),
    };
    let table = table.lock().unwrap_or_else(|p| p.into_inner());
    let stream = encode(&table, &prediction, probabilities.as_deref().map(|p| (p, classes)))?;
    args.env.typed_array_from_vec(stream)
}

/// (table, other) → appends `other`'s rows (same columns) and frees `other`.
pub fn append<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let table = live_table(args)?;
    let other_slot = slot::<SharedTable>(args, 1, "NativeTable")?;
    let other = locked(other_slot)
        .take()
        .ok_or_else(|| Error::invalid(format!("{}: the other table was freed", args.name())))?;
    if Arc::ptr_eq(&table, &other) {
        return Err(Error::invalid(format!("{}: a table cannot be appended to itself", args.name())));
    }
    // Async work on `other` holds a clone: it must finish before its rows can move.
    let other = Arc::try_unwrap(other)
        .map_err(|_| Error::invalid(format!("{}: the other table is in use by a running operation", args.name())))?
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    table.lock().unwrap_or_else(|p| p.into_inner()).append(other)?;
    args.env.undefined()
}

/// (table) → frees its memory now rather than at garbage collection; idempotent.
pub fn free<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    locked(slot::<SharedTable>(args, 0, "NativeTable")?).take();
    args.env.undefined()
}

/// (stateJson) → a preprocessor handle for predict inputs.
pub fn preprocessor_new<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let state = State::from_json(&string(args, 0, "state")?)?;
    args.env.external(Preprocessor(RowTransform::new(state)))
}

fn preprocessor<'s>(args: &Args<'s>) -> Result<&'s RowTransform> {
    Ok(&handle::<Preprocessor>(args, 0, "preprocessor")?.0)
}

/// (preprocessor, raw, rows) → Float64Array of rows × features; text slots hold category indices (NaN = NULL,
/// negative = unseen in training).
pub fn preprocessor_apply<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let transform = preprocessor(args)?;
    let raw = floats(args, 1, "raw")?;
    let rows = count(args, 2, "rows")?;
    args.env.typed_array_from_vec(transform.apply(&raw.to_f64(), rows)?)
}

/// (preprocessor, raw: Float64Array, rows, out: Float64Array) → undefined: `apply` written into `out` (rows ×
/// features), allocating nothing — the single-row predict path.
pub fn preprocessor_apply_into<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let transform = preprocessor(args)?;
    let raw = float64_array(args, 1, "raw")?;
    let rows = count(args, 2, "rows")?;
    let out = output_f64(args, 3, rows * transform.num_features(), raw)?;
    transform.apply_into(raw, rows, out)?;
    args.env.undefined()
}
