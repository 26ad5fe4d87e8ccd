import assert from 'node:assert/strict';
import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import { withInvokeDeduplication } from '../../bot/invokeDeduplication.js';
import { MemoryHandledActivities } from '../../data/memory/memoryHandledActivities.js';
import { logger } from '../../core/logger.js';

function turn(type: string, id: string | undefined): TurnContext {
  return { activity: { type, id }, turnState: new Map() } as unknown as TurnContext;
}

function answerOf(context: TurnContext): unknown {
  return (context.turnState.get(INVOKE_RESPONSE_KEY) as { value?: unknown } | undefined)?.value;
}

describe('withInvokeDeduplication', () => {
  it('executes an invoke once and answers its repeat with the first answer', async () => {
    let runs = 0;
    const bot = withInvokeDeduplication(
      {
        async run(context) {
          runs += 1;
          context.turnState.set(INVOKE_RESPONSE_KEY, {
            type: ActivityTypes.InvokeResponse,
            value: { status: 200, body: { run: runs } },
          });
        },
      },
      new MemoryHandledActivities(),
      logger,
    );
    const first = turn(ActivityTypes.Invoke, 'act-1');
    await bot.run(first);
    const repeat = turn(ActivityTypes.Invoke, 'act-1');
    await bot.run(repeat);
    assert.equal(runs, 1);
    assert.deepEqual(answerOf(repeat), { status: 200, body: { run: 1 } });
    await bot.run(turn(ActivityTypes.Invoke, 'act-2'));
    await bot.run(turn(ActivityTypes.Message, 'act-2'));
    assert.equal(runs, 3, 'another id, and a message, run');
  });

  it('executes a retry again when the first execution failed', async () => {
    let runs = 0;
    const bot = withInvokeDeduplication(
      {
        async run() {
          runs += 1;
          if (runs === 1) throw new Error('store unavailable');
        },
      },
      new MemoryHandledActivities(),
      logger,
    );
    await assert.rejects(bot.run(turn(ActivityTypes.Invoke, 'act-1')), /store unavailable/);
    await bot.run(turn(ActivityTypes.Invoke, 'act-1'));
    assert.equal(runs, 2);
  });

  it('forgets an id after its time to live', async () => {
    let now = 0;
    const handled = new MemoryHandledActivities(() => now, 1000);
    assert.equal(await handled.begin('a'), true);
    assert.equal(await handled.begin('a'), false);
    now = 1001;
    assert.equal(await handled.begin('a'), true);
  });
});
