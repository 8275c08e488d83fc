/** Builds PostgreSQL binary COPY streams in tests, byte for byte as the server writes them. */
export type Field = Uint8Array | null;

export function copyStream(rows: Field[][], { trailer = true }: { trailer?: boolean } = {}): Uint8Array {
  const parts: number[] = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
  const push = (bytes: Uint8Array) => parts.push(...bytes);
  for (const row of rows) {
    push(i16(row.length));
    for (const field of row) {
      if (field === null) push(i32(-1));
      else {
        push(i32(field.length));
        push(field);
      }
    }
  }
  if (trailer) push(i16(-1));
  return Uint8Array.from(parts);
}

export function i16(v: number): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setInt16(0, v);
  return b;
}

export function i32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v);
  return b;
}

function concat(...chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export function float4(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v);
  return b;
}

export function float8(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v);
  return b;
}

/** A one-dimensional float4[] (oid 700) or float8[] (oid 701); `null` elements set the has-null flag. */
export function floatArray(values: (number | null)[], oid: 700 | 701 = 700, dims?: number[]): Uint8Array {
  const shape = dims ?? [values.length];
  const header = [i32(shape.length), i32(values.some((v) => v === null) ? 1 : 0), i32(oid)];
  for (const d of shape) header.push(i32(d), i32(1));
  const elements = values.map((v) =>
    v === null ? i32(-1) : concat(i32(oid === 700 ? 4 : 8), oid === 700 ? float4(v) : float8(v)),
  );
  return concat(...header, ...elements);
}
