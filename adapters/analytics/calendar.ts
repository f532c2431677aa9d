/**
 * Days are UTC calendar days: Mali keeps GMT all year (no daylight saving), so a UTC day is the
 * day people in Mali live. Weeks are ISO weeks (Monday first).
 */
const DAY_MS = 86_400_000;

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function isDay(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayOf(dayStart(value)) === value;
}

/** Every day from `from` to `to`, both included (empty when from > to). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = dayStart(from); ms <= dayStart(to); ms += DAY_MS) out.push(dayOf(ms));
  return out;
}

export function addDays(day: string, n: number): string {
  return dayOf(dayStart(day) + n * DAY_MS);
}

/** ISO week of a day: `2026-W49`. */
export function weekOf(day: string): string {
  const date = new Date(dayStart(day));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(date.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Sunday that ends the ISO week of a day. */
export function weekEnd(day: string): string {
  const weekday = (new Date(dayStart(day)).getUTCDay() + 6) % 7;
  return addDays(day, 6 - weekday);
}

export { DAY_MS };
