import { cronPatterns, isTimeZone, minuteOfWeek, nextStart, runningUntil, type WindowSpec } from './windows.js';

// Sundays 02:00–06:00 in Berlin (UTC+1 in January: 01:00–05:00 UTC).
const sunday: WindowSpec = { dayOfWeek: 0, startMinute: 120, durationMinutes: 240, timeZone: 'Europe/Berlin' };
const utc = (iso: string) => new Date(`${iso}Z`);

describe('weekly maintenance windows', () => {
  it('read the wall clock of their time zone', () => {
    expect(minuteOfWeek(utc('2027-01-03T01:00:00'), 'Europe/Berlin')).toBe(120); // Sunday 02:00 in Berlin
    expect(minuteOfWeek(utc('2027-01-03T01:00:00'), 'America/New_York')).toBe(6 * 1440 + 20 * 60); // still Saturday 20:00
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('run from their start to their end, to the minute', () => {
    expect(runningUntil(sunday, utc('2027-01-03T00:59:59'))).toBeNull();
    expect(runningUntil(sunday, utc('2027-01-03T01:00:00'))).toEqual(utc('2027-01-03T05:00:00'));
    expect(runningUntil(sunday, utc('2027-01-03T04:59:30'))).toEqual(utc('2027-01-03T05:00:00'));
    expect(runningUntil(sunday, utc('2027-01-03T05:00:00'))).toBeNull();
    expect(runningUntil(sunday, utc('2027-01-06T02:00:00'))).toBeNull(); // a Wednesday
  });

  it('cross midnight and the end of the week', () => {
    const saturdayNight: WindowSpec = { dayOfWeek: 6, startMinute: 23 * 60, durationMinutes: 120, timeZone: 'UTC' };
    expect(runningUntil(saturdayNight, utc('2027-01-03T00:30:00'))).toEqual(utc('2027-01-03T01:00:00')); // Sunday 00:30
    expect(cronPatterns(saturdayNight)).toEqual({ start: '0 23 * * 6', end: '0 1 * * 0', reminder: '0 23 * * 5' });
  });

  it('say when they start next', () => {
    expect(nextStart(sunday, utc('2027-01-01T12:00:00'))).toEqual(utc('2027-01-03T01:00:00'));
    expect(nextStart(sunday, utc('2027-01-03T02:00:00'))).toEqual(utc('2027-01-10T01:00:00')); // running: next week's
    expect(cronPatterns(sunday)).toEqual({ start: '0 2 * * 0', end: '0 6 * * 0', reminder: '0 2 * * 6' });
  });
});
