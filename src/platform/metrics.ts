// Prometheus metrics of one process (all its zones), served at /metrics on the internal listener only: requests by
// zone, route, status and error code, with latency; and gauges that modules and zones register (ledger queue and lag,
// search index sizes, database pools). One registry per process, never prom-client's global one.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface RequestSample {
  readonly zone: string;
  readonly method: string;
  /** the route's pattern (`/api/v1/registry/registers/:code`), never the raw URL: bounded label values */
  readonly route: string;
  readonly status: number;
  /** our error code for a 4xx/5xx (`exchange.rate_limited` …), or '' */
  readonly code: string;
  readonly seconds: number;
}

/** A gauge read when Prometheus scrapes: each call answers label values → value. */
export type GaugeReader = () => Promise<ReadonlyArray<{ labels: Record<string, string>; value: number }>>;

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'zone' | 'method' | 'route' | 'status' | 'code'>;
  private readonly latency: Histogram<'zone' | 'method' | 'route' | 'status'>;

  constructor() {
    this.requests = new Counter({
      name: 'zt_http_requests_total',
      help: 'HTTP requests answered, by zone, method, route pattern, status and error code',
      labelNames: ['zone', 'method', 'route', 'status', 'code'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'zt_http_request_duration_seconds',
      help: 'Time from a request’s arrival to its answer, by zone, method, route pattern and status',
      labelNames: ['zone', 'method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  observeRequest(s: RequestSample): void {
    const status = String(s.status);
    this.requests.inc({ zone: s.zone, method: s.method, route: s.route, status, code: s.code });
    this.latency.observe({ zone: s.zone, method: s.method, route: s.route, status }, s.seconds);
  }

  /** A gauge whose values are read at scrape time; registering the same name twice adds to the readers. */
  gauge(name: string, help: string, labelNames: readonly string[], read: GaugeReader): void {
    const existing = this.readers.get(name);
    if (existing) {
      existing.push(read);
      return;
    }
    const readers = [read];
    this.readers.set(name, readers);
    new Gauge({
      name,
      help,
      labelNames: [...labelNames],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const r of readers) {
          for (const { labels, value } of await r().catch(() => [])) this.set(labels, value);
        }
      },
    });
  }

  private readonly readers = new Map<string, GaugeReader[]>();

  /** The text exposition format, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
