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

  it('takes Norway for Nynorsk and Bokmål organisations, Sweden otherwise', () => {
    assert.deepEqual((['nn', 'nb', 'sv', 'en'] as const).map(countryOfLanguage), ['NO', 'NO', 'SE', 'SE']);
  });
});
