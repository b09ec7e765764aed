// Limits of the exchange that hold across instances: the per-grant call rate (a LeasedBudget over the shared
// counters; the daily volume is counted in grant_usage) and the refusal budget of unverified callers.
import type { SharedCounters } from '../../platform/counters.ts';

/**
 * Refusals of callers that did not prove who they are (no verified signature), per address and minute, counted
 * across every exchange instance. The first `perMinute` are recorded one by one (access log + ledger); past that
 * the address is answered 429 at once — before any signature is checked — and its refusals are only counted, to be
 * recorded as one summary per instance when its minute ends. Junk from one address can then neither fill the ledger
 * nor spend the nodes' CPU on signatures. Bounded memory: at most `maxAddresses` blocked addresses are tracked.
 */
export class RefusalThrottle {
  private readonly perMinute: number;
  private readonly counters: SharedCounters;
  private readonly maxAddresses: number;
  /** addresses over budget in their minute (by its start), with the refusals counted here since */
  private readonly windows = new Map<string, { start: number; suppressed: number }>();
  /** minutes that ended with refusals only counted, waiting to be summarised */
  private ended: { ip: string; since: number; suppressed: number }[] = [];

  constructor(perMinute: number, counters: SharedCounters, maxAddresses = 10_000) {
    this.perMinute = perMinute;
    this.counters = counters;
    this.maxAddresses = maxAddresses;
  }

  private static minute(now: number): number {
    return Math.floor(now / 60_000) * 60_000;
  }

  private end(ip: string, w: { start: number; suppressed: number }) {
    if (w.suppressed) this.ended.push({ ip, since: w.start, suppressed: w.suppressed });
    this.windows.delete(ip);
  }

  /** Before the call: the seconds to wait when this address is over its budget, else 0 (and then it may proceed). */
  blocked(ip: string, now: number): number {
    const w = this.windows.get(ip);
    if (!w) return 0;
    if (w.start !== RefusalThrottle.minute(now)) {
      this.end(ip, w);
      return 0;
    }
    w.suppressed++;
    return Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
  }

  /** After a refusal of an unverified caller: whether to record it one by one (counted on every instance). */
  async recordable(ip: string, now: number): Promise<boolean> {
    const { count } = await this.counters.hit(`exchange.refusals:${ip}`, 60_000, now);
    // Once the budget is spent (by this instance or others), further calls from the address are answered at once.
    if (count >= this.perMinute) this.block(ip, now);
    if (count <= this.perMinute) return true;
    const w = this.windows.get(ip);
    if (w) w.suppressed++;
    return false;
  }

  private block(ip: string, now: number): void {
    const start = RefusalThrottle.minute(now);
    const w = this.windows.get(ip);
    if (w?.start === start) return;
    if (w) this.end(ip, w);
    this.windows.set(ip, { start, suppressed: 0 });
    if (this.windows.size > this.maxAddresses) {
      const [oldest, ow] = this.windows.entries().next().value ?? [];
      if (oldest !== undefined && ow && oldest !== ip) this.end(oldest, ow);
    }
  }

  /** The minutes that have ended (all of them when `now` is Infinity) with refusals only counted, forgotten here. */
  drain(now: number): { ip: string; since: number; suppressed: number }[] {
    const current = Number.isFinite(now) ? RefusalThrottle.minute(now) : Number.POSITIVE_INFINITY;
    for (const [ip, w] of [...this.windows]) if (w.start !== current) this.end(ip, w);
    const out = this.ended;
    this.ended = [];
    return out;
  }
}
