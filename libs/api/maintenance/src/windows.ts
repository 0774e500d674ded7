/** A weekly window on the wall clock of its time zone. */
export interface WindowSpec {
  dayOfWeek: number;
  startMinute: number;
  durationMinutes: number;
  timeZone: string;
}

const WEEK = 7 * 1440;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const mod = (n: number, m: number) => ((n % m) + m) % m;
const startOfMinute = (d: Date) => Math.floor(d.getTime() / 60_000) * 60_000;

/** Whether `timeZone` is an IANA zone the runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

// Making a formatter costs far more than using one, and every request asks (through the maintenance guard).
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (timeZone: string) => {
  let formatter = formatters.get(timeZone);
  if (!formatter)
    formatters.set(
      timeZone,
      (formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        weekday: 'short',
        hour: 'numeric',
        minute: 'numeric',
        hourCycle: 'h23',
      })),
    );
  return formatter;
};

/** Minutes since Sunday 00:00 on the wall clock of `timeZone` at `now`. */
export function minuteOfWeek(now: Date, timeZone: string): number {
  const parts = formatterOf(timeZone).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return DAYS.indexOf(part('weekday')) * 1440 + Number(part('hour')) * 60 + Number(part('minute'));
}

/**
 * Minutes since the window's latest start (wall-clock arithmetic: a window
 * across a daylight-saving change runs its minutes, not to the printed end).
 */
const elapsedSinceStart = (w: WindowSpec, now: Date) =>
  mod(minuteOfWeek(now, w.timeZone) - (w.dayOfWeek * 1440 + w.startMinute), WEEK);

/** When `w` ends if it is running at `now`; null when it is not. */
export function runningUntil(w: WindowSpec, now: Date): Date | null {
  const elapsed = elapsedSinceStart(w, now);
  return elapsed < w.durationMinutes ? new Date(startOfMinute(now) + (w.durationMinutes - elapsed) * 60_000) : null;
}

/** The next start of `w` after `now` (a running window's next one is a week on). */
export function nextStart(w: WindowSpec, now: Date): Date {
  const until = WEEK - elapsedSinceStart(w, now);
  return new Date(startOfMinute(now) + until * 60_000);
}

/** Cron patterns (in the window's time zone) for its start, its end and a reminder a day before. */
export function cronPatterns(w: WindowSpec): { start: string; end: string; reminder: string } {
  const at = (minuteOfWeek: number) => {
    const m = mod(minuteOfWeek, WEEK);
    return `${m % 60} ${Math.floor(m / 60) % 24} * * ${Math.floor(m / 1440)}`;
  };
  const start = w.dayOfWeek * 1440 + w.startMinute;
  return { start: at(start), end: at(start + w.durationMinutes), reminder: at(start - 1440) };
}
