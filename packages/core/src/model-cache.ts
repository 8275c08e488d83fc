/**
 * Loaded models, per process: an LRU bounded by the bytes of the stored models, shared by every `Db` of the process
 * (the default instance is module-level; tests and embedders may inject their own). Keys name the database
 * instance, the model id and the version of its stored files, so a model from another database, or bytes rewritten
 * in place, are never served from a stale entry.
 */
export interface ModelCacheOptions {
  /** Upper bound on the sum of entry sizes; default 256 MiB (`PGML_MODEL_CACHE_BYTES` overrides the default). */
  maxBytes?: number;
}

interface Entry<V> {
  value: V;
  bytes: number;
}

export class ModelCache<V = unknown> {
  readonly maxBytes: number;
  // Map iteration order is insertion order: re-inserting on hit makes the first key the least recently used.
  readonly #entries = new Map<string, Entry<V>>();
  // Concurrent misses for one key share one load.
  readonly #loading = new Map<string, Promise<V>>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(options: ModelCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? defaultMaxBytes();
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    // An entry larger than the whole budget is used once and not kept.
    if (bytes > this.maxBytes) return;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }

  /** Returns the cached value or loads it once (concurrent callers share the load). */
  async getOrLoad(key: string, load: () => Promise<{ value: V; bytes: number }>): Promise<V> {
    const cached = this.get(key);
    if (cached !== undefined) {
      this.#hits++;
      return cached;
    }
    const inflight = this.#loading.get(key);
    if (inflight) return inflight;
    this.#misses++;
    const pending = load().then(({ value, bytes }) => {
      this.set(key, value, bytes);
      return value;
    });
    this.#loading.set(key, pending);
    try {
      return await pending;
    } finally {
      this.#loading.delete(key);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  stats(): { entries: number; bytes: number; maxBytes: number; hits: number; misses: number } {
    return { entries: this.#entries.size, bytes: this.#bytes, maxBytes: this.maxBytes, hits: this.#hits, misses: this.#misses };
  }
}

function defaultMaxBytes(): number {
  const fromEnv = Number(process.env.PGML_MODEL_CACHE_BYTES);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 256 * 1024 * 1024;
}
