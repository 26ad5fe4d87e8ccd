import assert from 'node:assert/strict';
import { Lanes } from '../../../bot/delivery/lanes.js';

/** A task that records its start and finishes when the test says so. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    task: async () => {
      log.push(name);
      await opened;
    },
    open,
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('Lanes', () => {
  it('runs at most `concurrency` tasks at once, one per lane, each lane in the order pushed', async () => {
    const started: string[] = [];
    const lanes = new Lanes(2);
    const a1 = gate(started, 'a1');
    const a2 = gate(started, 'a2');
    const b1 = gate(started, 'b1');
    const c1 = gate(started, 'c1');
    lanes.push('a', a1.task);
    lanes.push('a', a2.task);
    lanes.push('b', b1.task);
    lanes.push('c', c1.task);
    await turn();
    assert.deepEqual(started, ['a1', 'b1'], 'a2 started beside a1, or c1 beyond the bound');
    b1.open();
    await turn();
    assert.deepEqual(started, ['a1', 'b1', 'c1'], 'a stuck task held up another lane');
    a1.open();
    await turn();
    assert.deepEqual(started, ['a1', 'b1', 'c1', 'a2']);
    c1.open();
    a2.open();
    await lanes.whenEmpty();
    assert.equal(lanes.empty, true);
  });

  it('treats a failed task as done and goes on with its lane', async () => {
    const ran: string[] = [];
    const lanes = new Lanes(1);
    lanes.push('a', async () => {
      throw new Error('boom');
    });
    lanes.push('a', async () => {
      ran.push('after');
    });
    await lanes.whenEmpty();
    assert.deepEqual(ran, ['after']);
  });

  it('forgets the tasks not started on clear and lets the running one finish', async () => {
    const started: string[] = [];
    const lanes = new Lanes(1);
    const first = gate(started, 'first');
    lanes.push('a', first.task);
    lanes.push('b', gate(started, 'second').task);
    await turn();
    lanes.clear();
    first.open();
    await lanes.whenEmpty();
    assert.deepEqual(started, ['first']);
  });
});
