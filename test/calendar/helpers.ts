// Test helpers: build calendars from the plan-file notation, read/write instants.
import { compileCalendar } from '../../src/calendar/compile.js';
import type { Calendar, Window } from '../../src/calendar/types.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

function window(text: string): Window {
  const [start, end] = text.split('-');
  return { start: minutes(start), end: minutes(end) };
}

/** hours: { 'mon-fri': ['08:00-12:00', '13:00-17:00'], sun: [...] } as in a plan file. */
export function cal(timezone: string, hours: Record<string, string[]>, holidays: string[] = []): Calendar {
  const weekly: Window[][] = DAYS.map(() => []);
  for (const [key, windows] of Object.entries(hours)) {
    const [from, to = from] = key.split('-');
    for (let d = DAYS.indexOf(from); d <= DAYS.indexOf(to); d++) weekly[d] = windows.map(window);
  }
  return compileCalendar({ id: 'test', timezone, weekly, holidays, alwaysOpen: false });
}

export const ms = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant ${iso}`);
  return t;
};

export const iso = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString() : String(t));

/** Deadline as ISO Z for a received instant (ISO) and target in minutes. */
export const due = (c: Calendar, received: string, target: number): string => iso(c.addWorkingTime(ms(received), target));
