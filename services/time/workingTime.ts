import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';
import { Temporal } from 'temporal-polyfill';
import type { Language } from '../../data/model.js';

/**
 * Working days and quiet hours for reminders, escalation and expiry, by the organisation's country.
 *
 * - Not working days: Saturdays, Sundays, and the country's public holidays as date-holidays lists them with type
 *   `public` or `bank` (Sweden: midsommarafton, julafton and nyårsafton are days off in practice and are typed `bank`
 *   there; Norway: julaften, nyttårsaften likewise). date-holidays is kept up to date with the laws of both
 *   countries, which a hand-written Easter computation would not be when a holiday moves.
 * - Quiet hours: nothing is sent before 07:00 or from 18:00 local time, nor on a day that is not a working day.
 * - Local time is the country's civil time zone (Europe/Stockholm, Europe/Oslo), daylight saving included.
 */
export const COUNTRIES = ['SE', 'NO'] as const;
export type Country = (typeof COUNTRIES)[number];

export const TIME_ZONES: Readonly<Record<Country, string>> = { SE: 'Europe/Stockholm', NO: 'Europe/Oslo' };

/** First hour messages may be sent, and the hour from which they may not (local time). */
export const SEND_FROM_HOUR = 7;
export const SEND_UNTIL_HOUR = 18;

/** The country of an organisation without one stated: Norwegian languages → Norway, otherwise Sweden. */
export function countryOfLanguage(language: Language): Country {
  return language === 'nn' || language === 'nb' ? 'NO' : 'SE';
}

const NON_WORKING_TYPES = new Set(['public', 'bank']);

/**
 * date-holidays, loaded at the first holiday lookup: importing it takes about a third of a second (its astronomy
 * tables), and nothing before the bot is ready asks for a holiday. Synchronous, so the calendar's API stays so.
 */
let holidaysClass: typeof Holidays | undefined;
function loadHolidays(): typeof Holidays {
  holidaysClass ??= createRequire(import.meta.url)('date-holidays') as typeof Holidays;
  return holidaysClass;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Offsets and working days remembered per calendar, at most (cleared when full). */
const MEMO_SIZE = 8192;

/** A local calendar day (days since 1970-01-01) and the milliseconds into it. */
interface LocalTime {
  day: number;
  msOfDay: number;
}

/**
 * The calendar of a country. Local times are computed from the zone's UTC offset, looked up once per hour of UTC
 * (Temporal gives it) and remembered, with plain day arithmetic in between: Temporal's polyfill took about 0.2 ms
 * per deadline (its field getters each format the instant again), and every decision plans three. Near a daylight
 * saving change (the offset a day before and after differs) a local time is turned back into an instant by Temporal
 * itself, with its 'compatible' rule for a time that is skipped or repeated.
 */
export class WorkingCalendar {
  readonly timeZone: string;
  private holidays: Holidays | undefined;
  private readonly byYear = new Map<number, Set<string>>();
  /** UTC hour (ms since epoch / 1 h) → the zone's offset in ms during it. */
  private readonly offsets = new Map<number, number>();
  /** Local day → whether it is a working day. */
  private readonly workingDays = new Map<number, boolean>();

  constructor(readonly country: Country) {
    this.timeZone = TIME_ZONES[country];
  }

  /** The country's days off (public holidays) of a year, as ISO dates, sorted. */
  holidaysOf(year: number): string[] {
    return [...this.holidaySet(year)].sort();
  }

  isWorkingDay(date: Temporal.PlainDate): boolean {
    return this.isWorkingDayNumber(date.toZonedDateTime('UTC').epochMilliseconds / DAY_MS);
  }

  /** The instant `days` working days after `from`, at the same local time (days counted from the next day). */
  addWorkingDays(from: Date, days: number): Date {
    const local = this.local(from.getTime());
    let day = local.day;
    for (let left = days; left > 0;) {
      day += 1;
      if (this.isWorkingDayNumber(day)) left -= 1;
    }
    return new Date(this.instantOf({ day, msOfDay: local.msOfDay }));
  }

  /** Whole working days from `from` to `to` (how long something has waited). */
  workingDaysBetween(from: Date, to: Date): number {
    let count = 0;
    while (this.addWorkingDays(from, count + 1).getTime() <= to.getTime()) count += 1;
    return count;
  }

  /** Whether nothing may be sent at `at`: outside 07:00–18:00 local, a weekend or a holiday. */
  isQuiet(at: Date): boolean {
    return this.quiet(this.local(at.getTime()));
  }

  /** `at` itself when messages may be sent then, else 07:00 local of the next working day (today's if still early). */
  nextAllowed(at: Date): Date {
    const local = this.local(at.getTime());
    if (!this.quiet(local)) return at;
    let day = local.day;
    if (!(this.isWorkingDayNumber(day) && local.msOfDay < SEND_FROM_HOUR * HOUR_MS)) {
      do day += 1;
      while (!this.isWorkingDayNumber(day));
    }
    return new Date(this.instantOf({ day, msOfDay: SEND_FROM_HOUR * HOUR_MS }));
  }

  /** 07:00 local on the ISO date `date` moved by `days` (the first sending time of that day). */
  morningOf(date: string, days = 0): Date {
    const day = Temporal.PlainDate.from(date).toZonedDateTime('UTC').epochMilliseconds / DAY_MS + days;
    return new Date(this.instantOf({ day, msOfDay: SEND_FROM_HOUR * HOUR_MS }));
  }

  private quiet(local: LocalTime): boolean {
    const hour = Math.floor(local.msOfDay / HOUR_MS);
    return !this.isWorkingDayNumber(local.day) || hour < SEND_FROM_HOUR || hour >= SEND_UNTIL_HOUR;
  }

  private local(epochMs: number): LocalTime {
    const wall = epochMs + this.offsetAt(epochMs);
    const day = Math.floor(wall / DAY_MS);
    return { day, msOfDay: wall - day * DAY_MS };
  }

  /** The instant of a local time. */
  private instantOf(local: LocalTime): number {
    const wall = local.day * DAY_MS + local.msOfDay;
    const before = this.offsetAt(wall - DAY_MS - 12 * HOUR_MS);
    if (before === this.offsetAt(wall + DAY_MS + 12 * HOUR_MS)) return wall - before;
    // A daylight saving change is near: Temporal decides (a skipped time moves forward, a repeated one is the first).
    const date = new Date(local.day * DAY_MS);
    const zoned = Temporal.PlainDateTime.from({
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
    })
      .add({ milliseconds: local.msOfDay })
      .toZonedDateTime(this.timeZone, { disambiguation: 'compatible' });
    return zoned.epochMilliseconds;
  }

  /** The zone's UTC offset at an instant, in ms (the same for a whole UTC hour in the zones used here). */
  private offsetAt(epochMs: number): number {
    const hour = Math.floor(epochMs / HOUR_MS);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      const zoned = (ms: number) =>
        Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(this.timeZone);
      offset = zoned(hour * HOUR_MS).offsetNanoseconds / 1e6;
      // A zone whose offset changes inside an hour: not remembered, asked at the instant itself.
      if (zoned((hour + 1) * HOUR_MS - 1).offsetNanoseconds / 1e6 !== offset) {
        return zoned(epochMs).offsetNanoseconds / 1e6;
      }
      if (this.offsets.size >= MEMO_SIZE) this.offsets.clear();
      this.offsets.set(hour, offset);
    }
    return offset;
  }

  private isWorkingDayNumber(day: number): boolean {
    let working = this.workingDays.get(day);
    if (working === undefined) {
      // 1970-01-01 was a Thursday (ISO day 4); Saturday and Sunday are 6 and 7.
      const isoWeekday = ((((day + 3) % 7) + 7) % 7) + 1;
      const date = new Date(day * DAY_MS);
      working =
        isoWeekday < 6 && !this.holidaySet(date.getUTCFullYear()).has(date.toISOString().slice(0, 10));
      if (this.workingDays.size >= MEMO_SIZE) this.workingDays.clear();
      this.workingDays.set(day, working);
    }
    return working;
  }

  private holidaySet(year: number): Set<string> {
    let set = this.byYear.get(year);
    if (!set) {
      this.holidays ??= new (loadHolidays())(this.country);
      set = new Set(
        this.holidays
          .getHolidays(year)
          .filter((h) => NON_WORKING_TYPES.has(h.type))
          .map((h) => h.date.slice(0, 10)),
      );
      this.byYear.set(year, set);
    }
    return set;
  }
}

const calendars = new Map<Country, WorkingCalendar>();

/** One calendar per country for the process (holiday lists are computed once per year). */
export function calendarOf(country: Country): WorkingCalendar {
  let calendar = calendars.get(country);
  if (!calendar) calendars.set(country, (calendar = new WorkingCalendar(country)));
  return calendar;
}

/**
 * Milliseconds of an ISO 8601 duration ("P5D", "PT36H", "-P1D"), days taken as 24 hours; throws a RangeError for
 * anything else (years, months and weeks included: their length depends on the date).
 */
export function durationMs(text: string): number {
  const duration = Temporal.Duration.from(text);
  if (duration.years !== 0 || duration.months !== 0 || duration.weeks !== 0) {
    throw new RangeError('use days, hours, minutes or seconds (e.g. P5D, PT36H)');
  }
  return duration.total({ unit: 'milliseconds' });
}
