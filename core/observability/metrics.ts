/**
 * Prometheus metrics, one registry per platform instance (so tests can run
 * several instances in one process without name clashes).
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  dbRoundTrips: Counter<'command' | 'outcome'>;
  dbDuration: Histogram<'command'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_seconds and its percentiles.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  return {
    registry,
    httpRequests: new Counter({
      name: 'relata_http_requests_total',
      help: 'HTTP requests by method, matched route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'relata_http_request_duration_seconds',
      help: 'HTTP request latency by method, matched route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    dbRoundTrips: new Counter({
      name: 'relata_db_roundtrips_total',
      help: 'Database commands sent, by command name and outcome',
      labelNames: ['command', 'outcome'],
      registers: [registry],
    }),
    dbDuration: new Histogram({
      name: 'relata_db_roundtrip_duration_seconds',
      help: 'Database command round-trip time by command name',
      labelNames: ['command'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  };
}
