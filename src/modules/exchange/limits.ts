// Per-grant call rate: a token bucket per grant in this process (capacity = the grant's calls per minute, refilled
// evenly). With several exchange instances behind a balancer each enforces the rate on its own share of traffic;
// the daily volume, which must hold across instances, is counted in the database (grant_usage).

export class RateLimiter {
  private readonly buckets = new Map<number, { tokens: number; at: number; rate: number }>();
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  /** Takes one call for the grant; returns 0 when allowed, else the seconds until a call will be allowed. */
  take(grantId: number, perMinute: number): number {
    const t = this.now();
    let b = this.buckets.get(grantId);
    if (!b || b.rate !== perMinute) {
      b = { tokens: perMinute, at: t, rate: perMinute };
      this.buckets.set(grantId, b);
    }
    b.tokens = Math.min(perMinute, b.tokens + ((t - b.at) / 60_000) * perMinute);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - b.tokens) * 60) / perMinute));
  }
}

/**
 * Refusals of callers that did not prove who they are (no verified signature), per address and minute. The first
 * `perMinute` are recorded one by one (access log + ledger); past that the address is answered 429 at once — before
 * any signature is checked — and its refusals are only counted, to be recorded as one summary when its minute ends.
 * Junk from one address can then neither fill the ledger nor spend the node's CPU on signatures. Bounded memory:
 * at most `maxAddresses` addresses are tracked (the oldest minute goes first).
 */
export class RefusalThrottle {
  private readonly windows = new Map<string, { start: number; recorded: number; suppressed: number }>();
  /** minutes that ended with refusals only counted, waiting to be summarised */
  private ended: { ip: string; since: number; suppressed: number }[] = [];
  private readonly perMinute: number;
  private readonly maxAddresses: number;

  constructor(perMinute: number, maxAddresses = 10_000) {
    this.perMinute = perMinute;
    this.maxAddresses = maxAddresses;
  }

  private window(ip: string, now: number) {
    let w = this.windows.get(ip);
    if (!w || now - w.start >= 60_000) {
      if (w) this.end(ip, w);
      w = { start: now, recorded: 0, suppressed: 0 };
      this.windows.set(ip, w);
      if (this.windows.size > this.maxAddresses) {
        const [oldest, ow] = this.windows.entries().next().value ?? [];
        if (oldest !== undefined && ow && oldest !== ip) this.end(oldest, ow);
      }
    }
    return w;
  }

  private end(ip: string, w: { start: number; suppressed: number }) {
    if (w.suppressed) this.ended.push({ ip, since: w.start, suppressed: w.suppressed });
    this.windows.delete(ip);
  }

  /** Before the call: the seconds to wait when this address is over its budget, else 0 (and then it may proceed). */
  blocked(ip: string, now: number): number {
    const w = this.windows.get(ip);
    if (!w || now - w.start >= 60_000 || w.recorded < this.perMinute) return 0;
    w.suppressed++;
    return Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
  }

  /** After a refusal of an unverified caller: whether to record it one by one. */
  recordable(ip: string, now: number): boolean {
    const w = this.window(ip, now);
    if (w.recorded < this.perMinute) {
      w.recorded++;
      return true;
    }
    w.suppressed++;
    return false;
  }

  /** The minutes that have ended (all of them when `now` is Infinity) with refusals only counted, forgotten here. */
  drain(now: number): { ip: string; since: number; suppressed: number }[] {
    for (const [ip, w] of [...this.windows]) if (now - w.start >= 60_000) this.end(ip, w);
    const out = this.ended;
    this.ended = [];
    return out;
  }
}
