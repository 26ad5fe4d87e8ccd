import { CORPUS_PARTS, createEvaluator, evaluatePart, type PartReport } from './nluEvaluate.js';

/**
 * `npm run nlu:report`: accuracy of understanding on the paraphrase corpus, per part, language and intent, the
 * confusions (expected → got, aggregated) and the wrong owners named. `--items` also lists each wrong item of the
 * development part (never of the held-out part: nobody tunes against it, so nobody reads its items here).
 */

const TARGETS: Record<string, number> = { development: 0.98, heldout: 0.95 };

/** Rounded down to a tenth, so a share just below a target never prints as the target ("95.0%" for 94.97%). */
function percent(right: number, total: number): string {
  return total === 0 ? '-' : `${(Math.floor((1000 * right) / total) / 10).toFixed(1)}%`;
}

function print(report: PartReport, items: boolean): void {
  const share = report.total === 0 ? 0 : report.right / report.total;
  const target = TARGETS[report.part] ?? 1;
  const verdict = share >= target && report.wrongOwners === 0 ? 'PASS' : 'FAIL';
  process.stdout.write(
    `\n== ${report.part}: ${report.right}/${report.total} right (${percent(report.right, report.total)}, target ` +
      `${(target * 100).toFixed(0)}%), wrong owners named: ${report.wrongOwners} (target 0), help card for a ` +
      `question: ${report.helpForQuestion}, did you mean: ${report.didYouMean} (first button right: ` +
      `${report.didYouMeanRight})  ${verdict}\n`,
  );
  process.stdout.write('by language:\n');
  for (const [language, { total, right }] of [...report.byLanguage].sort())
    process.stdout.write(
      `  ${language.padEnd(4)} ${String(right).padStart(4)}/${total}  ${percent(right, total)}\n`,
    );
  process.stdout.write('by intent:\n');
  for (const [intent, { total, right }] of [...report.byIntent].sort())
    process.stdout.write(
      `  ${intent.padEnd(18)} ${String(right).padStart(4)}/${total}  ${percent(right, total)}\n`,
    );
  process.stdout.write('confusions (expected -> got [fields] (language)):\n');
  for (const [key, n] of [...report.confusions].sort((a, b) => b[1] - a[1]))
    process.stdout.write(`  ${String(n).padStart(3)}  ${key}\n`);
  if (items && report.part === 'development') {
    process.stdout.write('wrong items:\n');
    for (const r of report.results.filter((x) => !x.right)) {
      process.stdout.write(
        `  ${r.item.id} ${JSON.stringify(r.item.text)} expect ${JSON.stringify(r.item.expect)} lang ${r.item.lang}` +
          ` got ${JSON.stringify(r.outcome)}${r.wrongOwner ? '  WRONG OWNER' : ''}\n`,
      );
    }
  }
}

async function main(): Promise<void> {
  const items = process.argv.includes('--items');
  const evaluator = await createEvaluator();
  let failed = false;
  for (const part of CORPUS_PARTS) {
    const report = await evaluatePart(evaluator, part);
    if (!report) {
      process.stdout.write(`\n== ${part}: no corpus file\n`);
      continue;
    }
    print(report, items);
    if (report.right / Math.max(1, report.total) < (TARGETS[part] ?? 1) || report.wrongOwners > 0)
      failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
