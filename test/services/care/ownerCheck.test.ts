import assert from 'node:assert/strict';
import type { SystemRecord } from '../../../data/model.js';
import { ownerCheckDay, ownerCheckTimer, ownerCheckTimers } from '../../../services/care/ownerCheck.js';
import { WorkingCalendar } from '../../../services/time/workingTime.js';

const SE = new WorkingCalendar('SE');
const system = (id: string, lifecycle: SystemRecord['lifecycle'] = 'active'): SystemRecord => ({
  id,
  organisationId: 'storsjo-kommun',
  name: id,
  aliases: [],
  lifecycle,
  processesPersonalData: false,
});

describe('the yearly owner check (services/care/ownerCheck)', () => {
  it('spreads 2,000 systems over every month of the year, and keeps each on the same day', () => {
    const months = new Map<number, number>();
    for (let i = 0; i < 2000; i += 1) {
      const due = new Date(
        ownerCheckTimer(system(`org/system-${i}`), new Date('2027-01-01T00:00:00Z'), SE).dueAt,
      );
      months.set(due.getUTCMonth(), (months.get(due.getUTCMonth()) ?? 0) + 1);
    }
    assert.equal(months.size, 12);
    for (const [month, count] of months) assert.ok(count > 100 && count < 240, `month ${month}: ${count}`);
    assert.equal(ownerCheckDay('storsjo-kommun/raindance'), ownerCheckDay('storsjo-kommun/raindance'));
  });

  it('falls in sending hours on a working day, and moves to next year once this year’s day has passed', () => {
    const id = 'storsjo-kommun/raindance';
    const first = ownerCheckTimer(system(id), new Date('2027-01-01T00:00:00Z'), SE);
    const due = new Date(first.dueAt);
    assert.equal(SE.isQuiet(due), false);
    assert.equal(first.id, `owner-check:${id}:2027`);
    const next = ownerCheckTimer(system(id), new Date(due.getTime() + 1000), SE);
    assert.equal(next.id, `owner-check:${id}:2028`);
  });

  it('plans no check for a retired system', () => {
    const timers = ownerCheckTimers(
      [system('a'), system('b', 'retired')],
      new Date('2027-01-01T00:00:00Z'),
      () => SE,
    );
    assert.deepEqual(
      timers.map((t) => t.payload.systemId),
      ['a'],
    );
  });
});
