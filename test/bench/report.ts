/**
 * Shared helpers for the benchmarks: timed loops and aligned tables. Figures are printed, never
 * asserted: a missed target is reported as "target missed", not thrown.
 */

export interface Throughput {
  ops: number;
  millis: number;
  perSecond: number;
}

export interface Timings {
  runs: number;
  medianMs: number;
  minMs: number;
  p95Ms: number;
}

/** Awaits op back to back for about durationMs and returns the achieved rate. */
export async function measureFor(durationMs: number, op: (i: number) => Promise<unknown>): Promise<Throughput> {
  const start = performance.now();
  const deadline = start + durationMs;
  let ops = 0;
  // Check the clock every 16 ops: performance.now() is cheap but not free at 20k ops/s.
  while (ops % 16 !== 0 || performance.now() < deadline) {
    await op(ops);
    ops++;
  }
  const millis = performance.now() - start;
  return { ops, millis, perSecond: (ops * 1000) / millis };
}

/**
 * Measures several operations in alternating slices (a, b, c, a, b, c …) so that a burst of
 * load from elsewhere on the machine, or JIT warm-up, affects them alike and their ratio holds.
 */
export async function measureInterleaved<K extends string>(
  totalMsEach: number,
  rounds: number,
  ops: Record<K, (i: number) => Promise<unknown>>,
): Promise<Record<K, Throughput>> {
  const names = Object.keys(ops) as K[];
  const sums = Object.fromEntries(names.map((name) => [name, { ops: 0, millis: 0 }])) as Record<K, { ops: number; millis: number }>;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const slice = await measureFor(totalMsEach / rounds, (i) => ops[name](sums[name].ops + i));
      sums[name].ops += slice.ops;
      sums[name].millis += slice.millis;
    }
  }
  return Object.fromEntries(names.map((name) => {
    const { ops: n, millis } = sums[name];
    return [name, { ops: n, millis, perSecond: (n * 1000) / millis }];
  })) as Record<K, Throughput>;
}

/** Runs op `runs` times after `warmup` untimed runs; reports median, min and p95 in ms. */
export async function timeRuns(runs: number, op: () => Promise<unknown>, warmup = 1): Promise<Timings> {
  for (let i = 0; i < warmup; i++) await op();
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await op();
    all.push(performance.now() - start);
  }
  all.sort((a, b) => a - b);
  const at = (q: number): number => all[Math.min(all.length - 1, Math.floor(q * all.length))];
  return { runs, medianMs: at(0.5), minMs: all[0], p95Ms: at(0.95) };
}

export function formatNumber(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function printTable(title: string, headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
}

export interface Target {
  name: string;
  measured: string;
  isMet: boolean;
}

export function printTargets(targets: Target[]): void {
  printTable('targets', ['target', 'measured', 'result'], targets.map((t) => [t.name, t.measured, t.isMet ? 'target met' : 'target MISSED']));
}
