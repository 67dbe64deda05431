// Helpers shared by the benchmarks: timing, formatting, "run alone" detection.
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.js';

/** True when the module at `url` is the script node was started with. */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(url) === process.argv[1];
}

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** CPU time of this process in ms: on a shared machine a rate per CPU second is steadier than per wall second. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Peak resident set size of this process so far, in MB. */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(1);
  if (a >= 0.1) return x.toFixed(2);
  return x.toPrecision(3);
}

export function result(name: string, value: number, unit: string, anchor: string, anchorValue: number): BenchResult {
  return { name, value, unit, anchor, anchorValue, ratio: value / anchorValue };
}

export function line(r: BenchResult): string {
  return `${r.name}: ${fmt(r.value)} ${r.unit}; anchor (${r.anchor}): ${fmt(r.anchorValue)}; ratio ${fmt(r.ratio)}`;
}

/** Calls `f` (which returns how many operations it did) until `ms` of CPU time passed; operations per CPU second. */
export function rate(f: () => number, ms: number): number {
  let n = 0;
  const t0 = cpuMs();
  let t = t0;
  do {
    n += f();
    t = cpuMs();
  } while (t - t0 < ms);
  return (n * 1000) / (t - t0);
}

/** A sink that keeps results alive so V8 cannot drop the work being measured. */
export const sink = { n: 0 };
