import assert from 'node:assert/strict';
import { createEvaluator, evaluatePart, type PartReport } from '../../../scripts/nluEvaluate.js';

/**
 * The paraphrase corpus end to end (scripts/nluEvaluate.ts: the real ResponsibilityService over data/sample), so CI
 * holds the understanding targets of issue 10. The held-out part is read here and by `npm run nlu:report` only.
 *
 * Targets (issue 10): development >= 98% right, held-out >= 95% right, no wrong owner named in either, and no
 * development message gets the help card unless it is meant to. As this was written: 455/456 and 291/306.
 */
const TARGETS = { development: 0.98, heldout: 0.95 } as const;

describe('the paraphrase corpus, end to end against the sample register', function () {
  this.timeout(120_000);
  const reports = new Map<string, PartReport>();

  before(async () => {
    const evaluator = await createEvaluator();
    for (const part of ['development', 'heldout'] as const) {
      const report = await evaluatePart(evaluator, part);
      assert.ok(report, `the ${part} part of the corpus exists`);
      reports.set(part, report);
    }
  });

  for (const part of ['development', 'heldout'] as const) {
    it(`understands at least ${TARGETS[part] * 100}% of the ${part} part`, () => {
      const report = reports.get(part)!;
      assert.ok(report.total >= 200, `${part} has ${report.total} messages`);
      const share = report.right / report.total;
      assert.ok(share >= TARGETS[part], `${part}: ${report.right}/${report.total} right`);
    });

    it(`names no wrong owner in the ${part} part`, () => {
      const report = reports.get(part)!;
      const wrong = report.results.filter((r) => r.wrongOwner).map((r) => r.item.id);
      assert.deepEqual(wrong, [], `${part}: wrong owners named`);
    });
  }

  it('gives no development message the help card unless the message is meant to get it', () => {
    const report = reports.get('development')!;
    const helped = report.results
      .filter((r) => r.outcome.intent === 'help' && !['help', 'unknown'].includes(r.item.expect.intent))
      .map((r) => r.item.id);
    assert.deepEqual(helped, [], 'development messages answered with the help card');
  });
});
