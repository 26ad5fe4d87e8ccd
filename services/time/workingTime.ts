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

export class WorkingCalendar {
  readonly timeZone: string;
  private holidays: Holidays | undefined;
  private readonly byYear = new Map<number, Set<string>>();

  constructor(readonly country: Country) {
    this.timeZone = TIME_ZONES[country];
  }

  /** The country's days off (public holidays) of a year, as ISO dates, sorted. */
  holidaysOf(year: number): string[] {
    return [...this.holidaySet(year)].sort();
  }

  isWorkingDay(date: Temporal.PlainDate): boolean {
    if (date.dayOfWeek >= 6) return false;
    return !this.holidaySet(date.year).has(date.toString());
  }

  /** The instant `days` working days after `from`, at the same local time (days counted from the next day). */
  addWorkingDays(from: Date, days: number): Date {
    const local = this.local(from);
    let date = local.toPlainDate();
    for (let left = days; left > 0;) {
      date = date.add({ days: 1 });
      if (this.isWorkingDay(date)) left -= 1;
    }
    const zoned = date.toZonedDateTime({ timeZone: this.timeZone, plainTime: local.toPlainTime() });
    return new Date(zoned.epochMilliseconds);
  }

  /** Whole working days from `from` to `to` (how long something has waited). */
  workingDaysBetween(from: Date, to: Date): number {
    let count = 0;
    while (this.addWorkingDays(from, count + 1).getTime() <= to.getTime()) count += 1;
    return count;
  }

  /** Whether nothing may be sent at `at`: outside 07:00–18:00 local, a weekend or a holiday. */
  isQuiet(at: Date): boolean {
    const local = this.local(at);
    return (
      !this.isWorkingDay(local.toPlainDate()) || local.hour < SEND_FROM_HOUR || local.hour >= SEND_UNTIL_HOUR
    );
  }

  /** `at` itself when messages may be sent then, else 07:00 local of the next working day (today's if still early). */
  nextAllowed(at: Date): Date {
    if (!this.isQuiet(at)) return at;
    const local = this.local(at);
    let date = local.toPlainDate();
    if (!(this.isWorkingDay(date) && local.hour < SEND_FROM_HOUR)) {
      do date = date.add({ days: 1 });
      while (!this.isWorkingDay(date));
    }
    const zoned = date.toZonedDateTime({
      timeZone: this.timeZone,
      plainTime: Temporal.PlainTime.from({ hour: SEND_FROM_HOUR }),
    });
    return new Date(zoned.epochMilliseconds);
  }

  /** 07:00 local on the ISO date `date` moved by `days` (the first sending time of that day). */
  morningOf(date: string, days = 0): Date {
    const zoned = Temporal.PlainDate.from(date)
      .add({ days })
      .toZonedDateTime({
        timeZone: this.timeZone,
        plainTime: Temporal.PlainTime.from({ hour: SEND_FROM_HOUR }),
      });
    return new Date(zoned.epochMilliseconds);
  }

  private local(at: Date): Temporal.ZonedDateTime {
    return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(this.timeZone);
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
