import { performance } from 'node:perf_hooks';
import { replyForAnswer } from '../../cards/answerCards.js';
import { renderCard } from '../../cards/render.js';
import { buildHolder, buildPersonView, buildSystemAnswer } from '../../test/cards/answerFixtures.js';

/**
 * Micro-benchmark of the reply path of a "who owns" answer, in-process: `replyForAnswer` (card data, template
 * expansion, summary) and the JSON the bot then serialises. No target; run before and after a change to the cards:
 * `node --expose-gc --import tsx scripts/bench/replyCost.ts`. The answer has four holders, one out of office with
 * whom to turn to, as a typical system of the sample register.
 */

const answer = buildSystemAnswer({
  holders: [
    buildHolder(),
    buildHolder({
      role: 'administrator',
      roleLabel: 'systemförvaltare',
      person: buildPersonView({ email: 'bo.ek@testkommun.se', name: 'Bo Ek', title: 'Systemförvaltare' }),
    }),
    buildHolder({
      role: 'deputy',
      roleLabel: 'ersättare',
      person: buildPersonView({ email: 'cia.lund@testkommun.se', name: 'Cia Lund', department: 'IT' }),
      status: 'outOfOffice',
      outOfOfficeUntil: '2026-12-01',
    }),
    buildHolder({
      role: 'super_user',
      roleLabel: 'superanvändare',
      person: buildPersonView({ email: 'dan.ny@testkommun.se', name: 'Dan Ny', title: 'Handläggare' }),
    }),
  ],
});
answer.unavailable = [{ holder: answer.holders[2]!, turnTo: [answer.holders[1]!] }];

function measure(label: string, iterations: number, work: () => unknown): void {
  for (let i = 0; i < 2000; i += 1) work();
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  for (let i = 0; i < iterations; i += 1) work();
  const perCallUs = ((performance.now() - start) / iterations) * 1000;
  process.stdout.write(`${label.padEnd(44)} ${perCallUs.toFixed(1).padStart(7)} µs\n`);
}

const reply = replyForAnswer(answer);
const cardJson = JSON.stringify(reply.card);
process.stdout.write(`card ${cardJson.length} bytes, summary ${reply.summary.length} characters\n`);
const N = 20_000;
measure('replyForAnswer (system, 4 holders)', N, () => replyForAnswer(answer));
measure('renderCard(systemCard) only', N, () =>
  renderCard('systemCard', {
    title: 'Procapita',
    subtitle: 'Verksamhetssystem för socialtjänsten',
    otherOrganisationNote: '',
    facts: [
      { label: 'Kommun', value: 'Storsjö kommun' },
      { label: 'Leverantör', value: 'Tietoevry' },
    ],
    noHoldersText: '',
    holders: [],
    moreHoldersText: '',
  }),
);
measure('JSON.stringify(reply)', N, () => JSON.stringify({ text: reply.summary, card: reply.card }));
