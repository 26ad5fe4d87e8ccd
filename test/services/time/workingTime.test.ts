import assert from 'node:assert/strict';
import { Temporal } from 'temporal-polyfill';
import { countryOfLanguage, durationMs, WorkingCalendar } from '../../../services/time/workingTime.js';

const SE = new WorkingCalendar('SE');
const NO = new WorkingCalendar('NO');
const day = (iso: string) => Temporal.PlainDate.from(iso);

describe('working days and quiet hours (services/time/workingTime)', () => {
  /** Days off each country must have, 2026–2028 (moving feasts from Easter: 5 Apr 2026, 28 Mar 2027, 16 Apr 2028). */
  const DAYS_OFF: Array<[WorkingCalendar, string, string]> = [
    [SE, '2026-01-06', 'trettondedag jul'],
    [SE, '2026-04-03', 'långfredagen 2026'],
    [SE, '2026-04-06', 'annandag påsk 2026'],
    [SE, '2026-05-14', 'Kristi himmelsfärd 2026'],
    [SE, '2026-06-19', 'midsommarafton 2026'],
    [SE, '2026-12-24', 'julafton 2026'],
    [SE, '2027-03-26', 'långfredagen 2027'],
    [SE, '2027-03-29', 'annandag påsk 2027'],
    [SE, '2027-05-06', 'Kristi himmelsfärd 2027'],
    [SE, '2027-06-25', 'midsommarafton 2027'],
    [SE, '2027-12-31', 'nyårsafton 2027'],
    [SE, '2028-04-14', 'långfredagen 2028'],
    [SE, '2028-05-25', 'Kristi himmelsfärd 2028'],
    [SE, '2028-06-06', 'nationaldagen 2028'],
    [SE, '2028-06-23', 'midsommarafton 2028'],
    [NO, '2026-04-02', 'skjærtorsdag 2026'],
    [NO, '2026-05-25', 'andre pinsedag 2026'],
    [NO, '2027-03-25', 'skjærtorsdag 2027'],
    [NO, '2027-05-17', 'grunnlovsdagen and andre pinsedag 2027'],
    [NO, '2027-12-24', 'julaften 2027'],
    [NO, '2028-04-13', 'skjærtorsdag 2028'],
    [NO, '2028-05-17', 'grunnlovsdagen 2028'],
    [NO, '2028-06-05', 'andre pinsedag 2028'],
  ];
  for (const [calendar, date, name] of DAYS_OFF) {
    it(`${calendar.country}: ${date} (${name}) is not a working day`, () => {
      assert.equal(calendar.isWorkingDay(day(date)), false);
    });
  }

  it('tells the countries apart: 17 May is a working day in Sweden, 6 June in Norway, skärtorsdag in Sweden', () => {
    assert.equal(SE.isWorkingDay(day('2028-05-17')), true);
    assert.equal(NO.isWorkingDay(day('2028-06-06')), true);
    assert.equal(SE.isWorkingDay(day('2027-03-25')), true);
    assert.equal(NO.isWorkingDay(day('2027-06-25')), true, 'no midsummer eve off in Norway');
  });

  it('lists between 11 and 16 days off a year for each country, 2026–2028', () => {
    for (const calendar of [SE, NO]) {
      for (const year of [2026, 2027, 2028]) {
        const n = calendar.holidaysOf(year).length;
        assert.ok(n >= 11 && n <= 16, `${calendar.country} ${year}: ${n} days off`);
      }
    }
  });

  it('adds working days over a weekend and Easter (Sweden: Thursday before Easter + 1 = Tuesday after)', () => {
    // 2026-04-02 10:00 Stockholm (CEST) = 08:00Z; Good Friday, Easter Monday and the weekend are skipped.
    assert.equal(
      SE.addWorkingDays(new Date('2026-04-02T08:00:00Z'), 1).toISOString(),
      '2026-04-07T08:00:00.000Z',
    );
    // Norway also has skjærtorsdag off: Wednesday + 1 = Tuesday.
    assert.equal(
      NO.addWorkingDays(new Date('2026-04-01T08:00:00Z'), 1).toISOString(),
      '2026-04-07T08:00:00.000Z',
    );
    assert.equal(
      SE.workingDaysBetween(new Date('2026-03-02T08:00:00Z'), new Date('2026-03-09T08:00:00Z')),
      5,
    );
  });

  it('keeps quiet hours: nothing before 07:00 or from 18:00 local, nor on weekends and holidays', () => {
    // Winter: Stockholm is UTC+1.
    assert.equal(SE.isQuiet(new Date('2026-03-02T05:59:00Z')), true, '06:59 local');
    assert.equal(SE.isQuiet(new Date('2026-03-02T06:00:00Z')), false, '07:00 local');
    assert.equal(SE.isQuiet(new Date('2026-03-02T16:59:00Z')), false, '17:59 local');
    assert.equal(SE.isQuiet(new Date('2026-03-02T17:00:00Z')), true, '18:00 local');
    assert.equal(SE.isQuiet(new Date('2026-03-07T10:00:00Z')), true, 'Saturday');
    assert.equal(SE.isQuiet(new Date('2026-06-19T10:00:00Z')), true, 'midsommarafton');
    // Friday evening → Monday 07:00; before Easter → Tuesday 07:00 (summer time, UTC+2).
    assert.equal(SE.nextAllowed(new Date('2026-03-06T19:00:00Z')).toISOString(), '2026-03-09T06:00:00.000Z');
    assert.equal(SE.nextAllowed(new Date('2026-04-02T17:00:00Z')).toISOString(), '2026-04-07T05:00:00.000Z');
    assert.equal(
      SE.nextAllowed(new Date('2026-03-02T04:00:00Z')).toISOString(),
      '2026-03-02T06:00:00.000Z',
      'early on a working day: 07:00 the same day',
    );
  });

  it('reads ISO 8601 durations of days and hours, and refuses months and nonsense', () => {
    assert.equal(durationMs('P5D'), 5 * 86_400_000);
    assert.equal(durationMs('PT36H'), 36 * 3_600_000);
    assert.equal(durationMs('-P1D'), -86_400_000);
    assert.throws(() => durationMs('P1M'), RangeError);
    assert.throws(() => durationMs('five days'), RangeError);
  });

  it('gives the same instants as Temporal day by day, also across daylight saving changes (2026–2028)', () => {
    // The calendar computes local times from remembered offsets; this is the plain Temporal way it replaced.
    const reference = (calendar: WorkingCalendar) => {
      const local = (at: Date) =>
        Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(calendar.timeZone);
      const working = (date: Temporal.PlainDate) =>
        date.dayOfWeek < 6 && !calendar.holidaysOf(date.year).includes(date.toString());
      const at = (date: Temporal.PlainDate, plainTime: Temporal.PlainTime) =>
        new Date(
          date.toZonedDateTime({ timeZone: calendar.timeZone, plainTime }).epochMilliseconds,
        ).toISOString();
      const seven = Temporal.PlainTime.from({ hour: 7 });
      return {
        add(from: Date, days: number) {
          const z = local(from);
          let date = z.toPlainDate();
          for (let left = days; left > 0;) {
            date = date.add({ days: 1 });
            if (working(date)) left -= 1;
          }
          return at(date, z.toPlainTime());
        },
        quiet(when: Date) {
          const z = local(when);
          return !working(z.toPlainDate()) || z.hour < 7 || z.hour >= 18;
        },
        next(when: Date) {
          const z = local(when);
          if (!(!working(z.toPlainDate()) || z.hour < 7 || z.hour >= 18)) return when.toISOString();
          let date = z.toPlainDate();
          if (!(working(date) && z.hour < 7)) {
            do date = date.add({ days: 1 });
            while (!working(date));
          }
          return at(date, seven);
        },
      };
    };
    // Every 53 minutes through the weeks around each change (last Sunday of March and of October), and a stride
    // through the rest of the three years.
    const instants: Date[] = [];
    for (const change of [
      '2026-03-29',
      '2026-10-25',
      '2027-03-28',
      '2027-10-31',
      '2028-03-26',
      '2028-10-29',
    ]) {
      const middle = Date.parse(`${change}T01:00:00Z`);
      for (let t = middle - 8 * 86_400_000; t < middle + 3 * 86_400_000; t += 53 * 60_000)
        instants.push(new Date(t));
    }
    for (
      let t = Date.parse('2026-01-01T00:00:00Z');
      t < Date.parse('2028-12-31T00:00:00Z');
      t += 2_999 * 60_000
    ) {
      instants.push(new Date(t));
    }
    for (const calendar of [new WorkingCalendar('SE'), new WorkingCalendar('NO')]) {
      const ref = reference(calendar);
      for (const [n, when] of instants.entries()) {
        const days = n % 21;
        const where = `${calendar.country} ${when.toISOString()}`;
        assert.equal(
          calendar.addWorkingDays(when, days).toISOString(),
          ref.add(when, days),
          `${where} + ${days}`,
        );
        assert.equal(calendar.isQuiet(when), ref.quiet(when), `${where} quiet`);
        assert.equal(calendar.nextAllowed(when).toISOString(), ref.next(when), `${where} next allowed`);
      }
    }
  });

  it('takes Norway for Nynorsk and Bokmål organisations, Sweden otherwise', () => {
    assert.deepEqual((['nn', 'nb', 'sv', 'en'] as const).map(countryOfLanguage), ['NO', 'NO', 'SE', 'SE']);
  });
});
