import assert from 'node:assert/strict';
import { logger } from '../../../core/logger.js';
import { StalledRequestRouter } from '../../../services/requests/stalledRouter.js';

/** An engine whose runs end when the test says so. */
function gatedEngine() {
  const gates: (() => void)[] = [];
  let runs = 0;
  let failNext = false;
  return {
    get runs() {
      return runs;
    },
    failNext() {
      failNext = true;
    },
    open() {
      for (const release of gates.splice(0)) release();
    },
    rerouteStalled: async () => {
      runs += 1;
      await new Promise<void>((resolve) => gates.push(resolve));
      if (failNext) {
        failNext = false;
        throw new Error('store unavailable');
      }
      return [];
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('StalledRequestRouter', () => {
  it('runs once per wake, and once more for any number of wakes during a run', async () => {
    const engine = gatedEngine();
    const router = new StalledRequestRouter(engine, logger);
    router.wake();
    await tick();
    assert.equal(engine.runs, 1);
    router.wake();
    router.wake();
    router.wake();
    engine.open();
    await tick();
    assert.equal(engine.runs, 2, 'three wakes during a run should make exactly one more run');
    engine.open();
    await router.idle();
    assert.equal(engine.runs, 2);
    router.wake();
    engine.open();
    await tick();
    engine.open();
    await router.idle();
    assert.equal(engine.runs, 3);
  });

  it('tries again at the next wake after a failed run', async () => {
    const engine = gatedEngine();
    const router = new StalledRequestRouter(engine, logger);
    engine.failNext();
    router.wake();
    await tick();
    engine.open();
    await router.idle();
    router.wake();
    await tick();
    assert.equal(engine.runs, 2, 'a failed run stopped the router');
    engine.open();
    await router.idle();
  });

  it('lets the run in progress finish on stop and starts no other', async () => {
    const engine = gatedEngine();
    const router = new StalledRequestRouter(engine, logger);
    router.wake();
    await tick();
    router.wake();
    const stopped = router.stop();
    engine.open();
    await stopped;
    router.wake();
    await tick();
    assert.equal(engine.runs, 1, 'a run started after stop');
  });
});
