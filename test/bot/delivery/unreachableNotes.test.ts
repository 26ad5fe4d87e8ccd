import assert from 'node:assert/strict';
import type { DeliveryOutcome } from '../../../bot/delivery/outboxProcessor.js';
import { noteUndeliverableCards } from '../../../bot/delivery/unreachableNotes.js';
import type { OutboxItem } from '../../../data/requestModel.js';
import { logger } from '../../../core/logger.js';
import type { NoteUnreachableManyInput } from '../../../services/requests/engine.js';
import { buildOutboxItem, buildRequest } from '../../data/fixtures/requestBuilder.js';

/** A request engine that records the notes it is asked to write (and fails for the request ids in `failFor`). */
function recordingEngine(failFor: string[] = []) {
  const notes: NoteUnreachableManyInput[] = [];
  return {
    notes,
    noteUnreachableMany: async (input: NoteUnreachableManyInput) => {
      notes.push(input);
      if (failFor.includes(input.requestId)) throw new Error('store unavailable');
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
        await noteUndeliverableCards(engine, logger)([{ item, outcome }]);
        assert.ok(engine.notes.length <= 1, `${engine.notes.length} notes for one item`);
        if (engine.notes[0]) {
          assert.equal(engine.notes[0].requestId, 'r-9');
          assert.deepEqual(
            engine.notes[0].people.map((p) => p.personId),
            ['chef@kommun.se'],
          );
        }
        got.push(engine.notes[0]?.people[0]?.reason);
      }
      assert.deepEqual(got, c.expected);
    });
  }

  it('makes one note per request for all of its unreachable people in the batch', async () => {
    const engine = recordingEngine();
    const unit = ['aida', 'josefin', 'magnus', 'patrik', 'tobias'].map((name) =>
      buildOutboxItem({ purpose: 'task', requestId: 'r-order', recipientId: `${name}@storsjo.example` }),
    );
    const orderers = ['fredrik', 'lina'].map((name) =>
      buildOutboxItem({ purpose: 'decide', requestId: 'r-other', recipientId: `${name}@storsjo.example` }),
    );
    const info = buildOutboxItem({
      purpose: 'info',
      requestId: 'r-order',
      recipientId: 'mona@storsjo.example',
    });
    await noteUndeliverableCards(
      engine,
      logger,
    )([
      ...unit.map((item) => ({ item, outcome: { status: 'unreachable' } as const })),
      { item: orderers[0]!, outcome: { status: 'blocked' } },
      { item: orderers[1]!, outcome: { status: 'delivered', activityIds: ['a'] } },
      { item: info, outcome: { status: 'unreachable' } },
    ]);
    assert.deepEqual(engine.notes, [
      {
        requestId: 'r-order',
        people: unit.map((i) => ({ personId: i.recipientId, reason: 'noConversation' })),
      },
      { requestId: 'r-other', people: [{ personId: orderers[0]!.recipientId, reason: 'blocked' }] },
    ]);
  });

  it('still notes the other requests when one note cannot be written', async () => {
    const engine = recordingEngine(['r-1']);
    const items = ['r-1', 'r-2'].map((requestId) => buildOutboxItem({ purpose: 'decide', requestId }));
    await noteUndeliverableCards(
      engine,
      logger,
    )(items.map((item) => ({ item, outcome: { status: 'unreachable' } })));
    assert.deepEqual(
      engine.notes.map((n) => n.requestId),
      ['r-1', 'r-2'],
    );
  });
});
