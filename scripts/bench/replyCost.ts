import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { replyForAnswer } from '../../cards/answers.js';
import { renderCard } from '../../cards/render.js';
import type { SystemCardData } from '../../cards/systemCard.js';
import { buildHolder, buildPersonView, buildSystemAnswer } from '../../fakes/answerFixtures.js';

/**
 * Micro-benchmark of the reply path of a "who owns" answer, in-process: `replyForAnswer` (card data, template
 * expansion, summary) and the JSON the bot then serialises. No target; run before and after a change to the cards:
 * `node --expose-gc --import tsx scripts/bench/replyCost.ts`. The answer has four holders, one out of office with
 * whom to turn to, as a typical system of the sample register. The outbound activity is serialised as the
 * connector does it (botframework-connector's Activity mapper through @azure/core-client's serializer, then
 * JSON.stringify); the card is an `Object` there, passed through unwalked, so only JSON.stringify grows with it.
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

const require = createRequire(import.meta.url);
type Serializer = { serialize(mapper: unknown, object: unknown, name: string): unknown };
const { createSerializer } = require('botbuilder-stdlib/lib/azureCoreHttpCompat') as {
  createSerializer(mappers: unknown): Serializer;
};
const mappers = require('botframework-connector/lib/connectorApi/models/conversationsMappers') as {
  Activity: object;
};
const serializer = createSerializer(mappers);
const activityMapper = { ...mappers.Activity, required: true };

const reply = replyForAnswer(answer);
/** The reply as bot/teamsBot.ts sends it, with the fields botbuilder adds from the conversation reference. */
const activity = {
  type: 'message',
  text: reply.summary,
  textFormat: 'plain',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: reply.card }],
  channelId: 'msteams',
  serviceUrl: 'http://127.0.0.1:3979/',
  conversation: { id: 'a:1personal', conversationType: 'personal', tenantId: 'tenant' },
  from: { id: '28:bot', name: 'Ansvar' },
  recipient: { id: '29:asker', name: 'Anna Berg', aadObjectId: 'aad-asker' },
  replyToId: 'activity-1',
  locale: 'sv-SE',
};
const body = JSON.stringify(serializer.serialize(activityMapper, activity, 'activity'));
process.stdout.write(
  `card ${Buffer.byteLength(JSON.stringify(reply.card))} bytes, summary ${reply.summary.length} characters, ` +
    `outbound activity ${Buffer.byteLength(body)} bytes\n`,
);
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
  } satisfies SystemCardData),
);
measure('JSON.stringify(reply)', N, () => JSON.stringify({ text: reply.summary, card: reply.card }));
measure('connector serialiser (mapper walk) only', N, () =>
  serializer.serialize(activityMapper, activity, 'activity'),
);
measure('connector serialiser + JSON.stringify', N, () =>
  JSON.stringify(serializer.serialize(activityMapper, activity, 'activity')),
);
