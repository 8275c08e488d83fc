// The seed's table: N random FLOAT4[] embeddings of D dimensions, built by the article's own SQL (seeded here).
import type pg from 'pg';

export const EMBEDDINGS_TABLE = 'bench_embeddings';

export async function seedEmbeddings(client: pg.Client, rows: number, dim: number): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${EMBEDDINGS_TABLE}`);
  await client.query('SELECT setseed(0.42)');
  await client.query(
    `CREATE TABLE ${EMBEDDINGS_TABLE} AS
       SELECT ARRAY_AGG(random() ORDER BY i)::FLOAT4[] AS vector
       FROM generate_series(1, $1::int * $2::int) i
       GROUP BY i % $1::int`,
    [rows, dim],
  );
  await client.query(`ANALYZE ${EMBEDDINGS_TABLE}`);
}

/** A deterministic query vector (xorshift), the same for every variant. */
export function queryVector(dim: number, seed = 7): Float32Array {
  const out = new Float32Array(dim);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < dim; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = (state >>> 0) / 0x1_0000_0000;
  }
  return out;
}
