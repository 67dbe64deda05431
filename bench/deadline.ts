// Benchmark: response deadlines (SPEC §3.5) on the contoso office calendar
// (Mon–Fri 08–18, Sat 09–13, holidays, America/New_York with both DST changes),
// targets of 1 minute to 40 hours, received at any minute of 2026. Anchor, in
// the same run: a naive loop that steps minute by minute through isOpen().
//   node --import tsx bench/deadline.ts
import type { Calendar } from '../src/calendar/types.js';
import { loadContosoPlan, prng } from './data.js';
import type { BenchResult } from './types.js';
import { isMain, line, rate, result, sink } from './util.js';

const MINUTE = 60_000;

/** The anchor: count open minutes one by one (what the engine must not do). */
export function naiveDeadline(cal: Calendar, at: number, minutes: number): number {
  let t = at;
  let left = minutes;
  while (left > 0) {
    if (cal.isOpen(t)) left--;
    t += MINUTE;
  }
  return t;
}

export interface DeadlineCase {
  readonly at: number;
  readonly minutes: number;
}

export function deadlineCases(n: number, seed = 5): DeadlineCase[] {
  const rnd = prng(seed);
  const from = Date.parse('2026-01-01T05:00:00Z');
  const minutesInYear = 365 * 24 * 60;
  return Array.from({ length: n }, () => ({ at: from + Math.floor(rnd() * minutesInYear) * MINUTE, minutes: 1 + Math.floor(rnd() * 40 * 60) }));
}

export async function runDeadlineBench(opts: { seconds?: number } = {}): Promise<BenchResult[]> {
  const ms = (opts.seconds ?? 2) * 1000;
  const cal = loadContosoPlan().offerings.get('standard')!.calendar;
  const cases = deadlineCases(100_000);
  // Same answers, or the comparison means nothing.
  let mismatches = 0;
  for (let i = 0; i < 300; i++) {
    const c = cases[i]!;
    if (cal.addWorkingTime(c.at, c.minutes) !== naiveDeadline(cal, c.at, c.minutes)) mismatches++;
  }
  if (mismatches > 0) console.warn(`deadline: ${mismatches} of 300 sample deadlines differ from the naive loop`);

  const engine = (): number => {
    let s = 0;
    for (let i = 0; i < cases.length; i++) s += cal.addWorkingTime(cases[i]!.at, cases[i]!.minutes);
    sink.n += s;
    return cases.length;
  };
  let j = 0;
  const naive = (): number => {
    let s = 0;
    for (let k = 0; k < 20; k++, j = (j + 1) % cases.length) s += naiveDeadline(cal, cases[j]!.at, cases[j]!.minutes);
    sink.n += s;
    return 20;
  };
  rate(engine, 300); // warm up: every chunk of the year computed once, V8 optimized
  const value = rate(engine, ms);
  rate(naive, 100);
  const anchorValue = rate(naive, ms);
  return [result('deadline', value, 'deadlines/s', 'naive minute-stepping loop', anchorValue)];
}

if (isMain(import.meta.url)) {
  for (const r of await runDeadlineBench()) console.log(line(r));
}
