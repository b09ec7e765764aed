// Working days on the national calendar (法定节假日 and 调休 make-up working days) from the maintained `chinese-days`
// dataset, in China Standard Time. Years the dataset does not cover yet can be given as extra dates.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const DATASET = require('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

const CST_OFFSET_MS = 8 * 3_600_000; // UTC+8, no daylight saving

/** The calendar date in China Standard Time, YYYY-MM-DD. */
export function cstDate(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

export interface WorkCalendar {
  isWorkday(date: string): boolean;
  /** The end (24:00 CST) of the `n`th working day after the day of `from`. */
  deadlineAfter(from: Date, n: number): Date;
  /** Working days from the day after `from` up to and including the day of `to` (0 when `to` is not later). */
  workdaysBetween(from: Date, to: Date): number;
  /** The last year the calendar knows its holidays for. */
  readonly coveredUntil: number;
}

export function createWorkCalendar(
  extra: { holidays?: readonly string[]; workdays?: readonly string[] } = {},
): WorkCalendar {
  const holidays = new Set([...Object.keys(DATASET.holidays), ...(extra.holidays ?? [])]);
  const makeUp = new Set([...Object.keys(DATASET.workdays), ...(extra.workdays ?? [])]);
  const isWorkday = (date: string) => {
    if (makeUp.has(date)) return true;
    if (holidays.has(date)) return false;
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6;
  };
  const years = [...holidays].map((d) => Number(d.slice(0, 4)));
  return {
    isWorkday,
    coveredUntil: Math.max(...years),
    workdaysBetween(from, to) {
      let date = cstDate(from);
      const end = cstDate(to);
      let n = 0;
      while (date < end) {
        date = new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
        if (isWorkday(date)) n++;
      }
      return n;
    },
    deadlineAfter(from, n) {
      let date = cstDate(from);
      for (let counted = 0; counted < n; ) {
        date = new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
        if (isWorkday(date)) counted++;
      }
      // 24:00 CST of that day = 16:00 UTC.
      return new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000 - CST_OFFSET_MS);
    },
  };
}
