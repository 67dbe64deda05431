// Durations of the plan format: "45m", "4h", "1h30m" (hours and minutes only).

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?$/;

/** "1h30m" -> 90; null when not a duration. */
export function parseDuration(text: string): number | null {
  if (typeof text !== 'string' || text === '') return null;
  const m = DURATION.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  return Number.isSafeInteger(minutes) ? minutes : null;
}

/** 90 -> "1h30m", 240 -> "4h", 45 -> "45m", 0 -> "0m". */
export function formatDuration(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}
