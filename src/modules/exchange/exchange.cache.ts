// What the exchange's hot path keeps in memory: registers' catalog facts and grants. Exact by the cache generation
// (see platform/generation.ts): the first statement of every call checks it, and a stale cache is dropped and the
// call decided again on fresh rows.
import type { Db } from '../../platform/db.ts';
import { type Generation, GenerationMap } from '../../platform/generation.ts';
import { type RegisterFacts, registerFacts } from '../registry/index.ts';
import * as store from './exchange.store.ts';

export class ExchangeCache {
  private readonly registers: GenerationMap<string, RegisterFacts | null>;
  private readonly grantsFor: GenerationMap<string, store.GrantRow[]>;
  private readonly grantById: GenerationMap<number, store.GrantRow | null>;

  constructor(generation: Generation) {
    this.registers = new GenerationMap(generation);
    this.grantsFor = new GenerationMap(generation);
    this.grantById = new GenerationMap(generation);
  }

  register(db: Db, code: string): Promise<RegisterFacts | null> {
    return this.registers.get(code, async () => (await db.read((q) => registerFacts(q, code))) ?? null);
  }

  /** A department's grants on a register, active first, newest first. */
  grants(db: Db, departmentId: number, registerId: number): Promise<store.GrantRow[]> {
    return this.grantsFor.get(`${departmentId}:${registerId}`, () =>
      db.read((q) => store.findGrantsFor(q, departmentId, registerId)),
    );
  }

  grant(db: Db, id: number): Promise<store.GrantRow | null> {
    return this.grantById.get(id, async () => (await db.read((q) => store.findGrant(q, id))) ?? null);
  }
}
