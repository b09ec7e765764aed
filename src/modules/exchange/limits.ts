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
