"""Framing (docs/architecture.md#python-worker-protocol), mirrored by src/protocol.ts.

frame  = u32 LE body length | body
body   = u32 LE header length | header (UTF-8 JSON, space-padded so buffers start 8-byte aligned) | buffers
buffer = raw bytes, zero-padded to a multiple of 8; the header's "buffers" lists for each
         {"length": bytes, "dtype": "f64" | "bytes", "shape": [rows, cols]?}
f64 buffers are little-endian float64, row-major.
"""

import json
import struct

try:
    import numpy as np
except ImportError:  # the handshake reports the missing package; frames without matrices still work
    np = None

_U32 = struct.Struct("<I")


def _pad8(n):
    return (8 - n % 8) % 8


class EndOfInput(Exception):
    pass


def _read_exactly(stream, size):
    data = bytearray(size)
    view = memoryview(data)
    filled = 0
    while filled < size:
        got = stream.readinto(view[filled:])
        if not got:
            raise EndOfInput()
        filled += got
    return data


def read_frame(stream):
    """-> (header dict, list of buffers: numpy arrays for f64, memoryviews for bytes)."""
    (length,) = _U32.unpack(_read_exactly(stream, 4))
    body = _read_exactly(stream, length)
    (header_length,) = _U32.unpack_from(body, 0)
    header = json.loads(bytes(body[4 : 4 + header_length]).decode("utf-8"))
    offset = 4 + header_length
    offset += _pad8(offset)
    buffers = []
    for spec in header.pop("buffers", []):
        size = spec["length"]
        if spec.get("dtype") == "f64":
            array = np.frombuffer(body, dtype="<f8", count=size // 8, offset=offset)
            shape = spec.get("shape")
            buffers.append(array.reshape(shape) if shape else array)
        else:
            buffers.append(memoryview(body)[offset : offset + size])
        offset += size + _pad8(size)
    return header, buffers


def write_frame(stream, header, buffers=()):
    """buffers: numpy arrays (sent as f64 with their shape) or bytes-like objects (sent raw)."""
    specs = []
    payloads = []
    for buffer in buffers:
        if np is not None and isinstance(buffer, np.ndarray):
            array = np.ascontiguousarray(buffer, dtype="<f8")
            specs.append({"length": array.nbytes, "dtype": "f64", "shape": list(array.shape)})
            payloads.append(memoryview(array).cast("B"))
        else:
            view = memoryview(buffer).cast("B")
            specs.append({"length": view.nbytes, "dtype": "bytes"})
            payloads.append(view)
    header = dict(header, buffers=specs)
    header_bytes = json.dumps(header, separators=(",", ":"), allow_nan=False, default=_json_default).encode("utf-8")
    header_bytes += b" " * _pad8(4 + len(header_bytes))
    length = 4 + len(header_bytes) + sum(p.nbytes + _pad8(p.nbytes) for p in payloads)
    stream.write(_U32.pack(length) + _U32.pack(len(header_bytes)) + header_bytes)
    for payload in payloads:
        stream.write(payload)
        if _pad8(payload.nbytes):
            stream.write(b"\0" * _pad8(payload.nbytes))
    stream.flush()


def _json_default(value):
    if np is not None and isinstance(value, np.generic):
        return value.item()
    if np is not None and isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)
