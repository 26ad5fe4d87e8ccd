import assert from 'node:assert/strict';
import type { DeliveryOutcome } from '../../../bot/delivery/outboxProcessor.js';
import { noteUndeliverableCards } from '../../../bot/delivery/unreachableNotes.js';
import type { OutboxItem } from '../../../data/requestModel.js';
import { logger } from '../../../services/logger.js';
import type { NoteUnreachableInput } from '../../../services/requests/engine.js';
import { buildOutboxItem, buildRequest } from '../../data/fixtures/requestBuilder.js';

/** A request engine that records the notes it is asked to write. */
function recordingEngine() {
  const notes: NoteUnreachableInput[] = [];
  return {
    notes,
    noteUnreachable: async (input: NoteUnreachableInput) => {
      notes.push(input);
      return { changed: true, request: buildRequest() };
    },
  };
}

const OUTCOMES: DeliveryOutcome[] = [
  { status: 'delivered', activityIds: ['1'] },
  { status: 'skipped', reason: 'nothingToSend' },
  { status: 'deferred', reason: 'throttled', retryAt: 0 },
  { status: 'unreachable' },
  { status: 'blocked' },
  { status: 'failed', reason: 'refused' },
];

describe('noteUndeliverableCards', () => {
  const cases: { purpose: OutboxItem['purpose']; expected: (string | undefined)[] }[] = [
    { purpose: 'decide', expected: [undefined, undefined, undefined, 'noConversation', 'blocked', 'failed'] },
    { purpose: 'task', expected: [undefined, undefined, undefined, 'noConversation', 'blocked', 'failed'] },
    { purpose: 'info', expected: OUTCOMES.map(() => undefined) },
    { purpose: 'update', expected: OUTCOMES.map(() => undefined) },
  ];
  for (const c of cases) {
    it(`notes only undeliverable cards with buttons: ${c.purpose}`, async () => {
      const got: (string | undefined)[] = [];
      for (const outcome of OUTCOMES) {
        const engine = recordingEngine();
        const item = buildOutboxItem({ purpose: c.purpose, requestId: 'r-9', recipientId: 'chef@kommun.se' });
        await noteUndeliverableCards(engine, logger)(item, outcome);
        assert.ok(engine.notes.length <= 1, 'engine.notes.length <= 1');
        if (engine.notes[0]) {
          assert.equal(engine.notes[0].requestId, 'r-9');
          assert.equal(engine.notes[0].personId, 'chef@kommun.se');
        }
        got.push(engine.notes[0]?.reason);
      }
      assert.deepEqual(got, c.expected);
    });
  }
});
