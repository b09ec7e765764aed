// Exact in-process caches of rarely changing rows. Triggers bump one counter (cache_generation) whenever a cached
// table changes; a hot path reads the counter in the same statement as its work. When the counter moved, every
// cache registered here is dropped, and the caller redoes its work on fresh rows — so a revoked key or grant stops
// working at the next call, on every instance, without a round trip spent asking.
import { sql } from 'kysely';
import type { Tx } from './db.ts';

declare module './db.ts' {
  interface Database {
    cache_generation: { singleton: boolean; n: number };
  }
}

export interface Clearable {
  clear(): void;
}

export class Generation {
  private current = -1;
  private readonly caches: Clearable[] = [];

  /** The generation the caches hold (-1: nothing cached yet). */
  get value(): number {
    return this.current;
  }

  /** Registers a cache to drop when the generation moves. */
  track<T extends Clearable>(cache: T): T {
    this.caches.push(cache);
    return cache;
  }

  /** Takes a generation read from the database; true when the caches were current, false when they were dropped. */
  observe(n: number): boolean {
    if (n === this.current) return true;
    for (const c of this.caches) c.clear();
    this.current = n;
    return false;
  }

  /** Reads the counter (one statement) and drops the caches if it moved. */
  async refresh(q: Tx): Promise<void> {
    this.observe(await readGeneration(q));
  }
}

export async function readGeneration(q: Tx): Promise<number> {
  const r = await sql<{ n: number }>`select n from cache_generation`.execute(q);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * A map whose entries are valid for the generation that was current when their load began: an entry loaded while
 * the generation moved is never served as current.
 */
export class GenerationMap<K, V> implements Clearable {
  private readonly generation: Generation;
  private entries = new Map<K, { gen: number; value: V }>();
  private readonly limit: number;

  constructor(generation: Generation, limit = 10_000) {
    this.generation = generation;
    this.limit = limit;
    generation.track(this);
  }

  clear(): void {
    this.entries = new Map();
  }

  async get(key: K, load: () => Promise<V>): Promise<V> {
    const gen = this.generation.value;
    const hit = this.entries.get(key);
    if (hit && hit.gen === gen && gen >= 0) return hit.value;
    const value = await load();
    if (gen >= 0 && gen === this.generation.value) {
      if (this.entries.size >= this.limit) this.entries = new Map();
      this.entries.set(key, { gen, value });
    }
    return value;
  }
}
