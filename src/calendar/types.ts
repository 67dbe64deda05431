// A compiled business-hours calendar. Instants are epoch milliseconds (UTC);
// local wall-clock reasoning happens inside, with the zone resolved once at
// compile time.

/** A window on a local day in minutes since local midnight: [start, end). end may be 1440. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** What a calendar is made of (what the plan loader hands to compileCalendar). */
export interface CalendarSpec {
  readonly id: string;
  readonly timezone: string; // IANA
  /** Index 0 = Monday … 6 = Sunday; each day's windows sorted, non-overlapping. */
  readonly weekly: readonly (readonly Window[])[];
  readonly holidays: readonly string[]; // local dates YYYY-MM-DD, whole day closed
  /**
   * Local date YYYY-MM-DD -> that day's windows, replacing its weekday's hours
   * (an empty list closes the day): make-up working days, half days. Absent
   * means none; a date is never both a holiday and an override.
   */
  readonly overrides?: Readonly<Record<string, readonly Window[]>>;
  readonly alwaysOpen: boolean; // the built-in '24x7'
}

export interface Calendar extends CalendarSpec {
  /** True when the instant is inside a window (start included, end excluded). */
  isOpen(at: number): boolean;
  /** The earliest instant >= at at which the calendar is open; Infinity if never. */
  nextOpening(at: number): number;
  /**
   * §3.5: the earliest T >= at such that exactly `minutes` of open time lie in
   * [at, T]. 0 minutes -> at itself. Infinity if the calendar never opens.
   */
  addWorkingTime(at: number, minutes: number): number;
  /** Open time between a and b (a <= b) in minutes (may be fractional). */
  workingTimeBetween(a: number, b: number): number;
}
