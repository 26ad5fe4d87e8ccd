import assert from 'node:assert/strict';
import { pino } from 'pino';
import { logger } from '../../core/logger.js';
import { channelInvoke, channelMessage, postActivity } from '../../fakes/channelClient.js';
import { HOSTS, useTestServer } from '../fixtures/testServer.js';

/**
 * Malformed activities over real HTTP against the real composition root (local mode, sample register): a client's
 * mistake must never get a 5xx nor an error-level log line (that would page an operator). Seeded and bounded:
 * ANSVAR_FUZZ_COUNT (default 1,000; `npm run faults` runs 10,000) and ANSVAR_FUZZ_SEED (default 16).
 */

const COUNT = Number(process.env.ANSVAR_FUZZ_COUNT ?? 1000);
const SEED = Number(process.env.ANSVAR_FUZZ_SEED ?? 16);

/** mulberry32: small, seeded, good enough to pick mutations. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INVOKE_NAMES = [
  'adaptiveCard/action',
  'fileConsent/invoke',
  'task/fetch',
  'task/submit',
  'composeExtension/query',
  'composeExtension/queryLink',
  'composeExtension/submitAction',
  'composeExtension/fetchTask',
  'composeExtension/selectItem',
  'config/fetch',
  'config/submit',
  'tab/fetch',
  'application/search',
  'signin/verifyState',
  'signin/tokenExchange',
  'actionableMessage/executeAction',
  'healthCheck',
  'handoff/action',
  'message/submitAction',
  'unknown/name',
  '',
];

const TYPES = [
  'message',
  'invoke',
  'conversationUpdate',
  'installationUpdate',
  'messageReaction',
  'event',
  'typing',
  'endOfConversation',
  'messageUpdate',
  'messageDelete',
  'trace',
  'nonsense',
];

function valuesPool(pick: <T>(xs: readonly T[]) => T): unknown[] {
  return [
    undefined,
    null,
    0,
    -1,
    1e308,
    true,
    false,
    '',
    ' ',
    'x'.repeat(50_000),
    'ärende ✓ 𝔘',
    '2025-13-45T99:99:99Z',
    [],
    [null],
    [1, 'a', {}],
    {},
    { id: 1 },
    { id: null },
    { type: 42 },
    { action: 'accept' },
    { action: 'explode', context: 'x' },
    { action: { type: 'Action.Execute', verb: 'request.approve', data: 'no' } },
    { action: { type: 'Action.Execute', verb: 7 } },
    { verb: 'request.approve', requestId: 5 },
    { verb: pick(['request.approve', 'request.reject', 'list.download', 'nope']) },
    { query: 5 },
    { commandId: null, parameters: 'x' },
    pick(INVOKE_NAMES),
    pick(TYPES),
  ];
}

const PATHS = [
  ['type'],
  ['name'],
  ['value'],
  ['value', 'action'],
  ['value', 'action', 'verb'],
  ['value', 'action', 'data'],
  ['value', 'context'],
  ['value', 'uploadInfo'],
  ['value', 'uploadInfo', 'uploadUrl'],
  ['text'],
  ['textFormat'],
  ['locale'],
  ['id'],
  ['timestamp'],
  ['localTimestamp'],
  ['channelId'],
  ['from'],
  ['from', 'id'],
  ['from', 'aadObjectId'],
  ['from', 'name'],
  ['recipient'],
  ['recipient', 'id'],
  ['conversation'],
  ['conversation', 'id'],
  ['conversation', 'tenantId'],
  ['conversation', 'conversationType'],
  ['channelData'],
  ['channelData', 'tenant'],
  ['channelData', 'tenant', 'id'],
  ['channelData', 'eventType'],
  ['channelData', 'team'],
  ['entities'],
  ['entities', '0'],
  ['entities', '0', 'type'],
  ['entities', '0', 'mentioned'],
  ['attachments'],
  ['attachments', '0'],
  ['membersAdded'],
  ['membersAdded', '0'],
  ['membersAdded', '0', 'id'],
  ['membersRemoved'],
  ['reactionsAdded'],
  ['action'],
  ['replyToId'],
  ['serviceUrl'],
];

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

for (const host of HOSTS)
  describe(`malformed activities over HTTP (seeded fuzz), ${host} host`, function () {
    this.timeout(Math.max(120_000, COUNT * 100));
    const errorLines: string[] = [];
    let restoreWrite: (() => void) | undefined;
    let level: string;

    before(() => {
      // Every logger (children included) writes to the root's stream; error level is 50.
      level = logger.level;
      logger.level = 'warn';
      const stream = (logger as unknown as Record<symbol, { write: (line: string) => unknown }>)[
        pino.symbols.streamSym
      ]!;
      const write = stream.write;
      stream.write = (line: string) => {
        if ((JSON.parse(line) as { level: number }).level >= 50) errorLines.push(line);
        return true;
      };
      restoreWrite = () => {
        stream.write = write;
      };
    });
    after(() => {
      restoreWrite?.();
      logger.level = level;
    });
    const { connector, sample } = useTestServer({ host, sample: true, once: true });

    it(`answers ${COUNT} malformed activities (seed ${SEED}) with no 5xx and no error-level log line`, async () => {
      const next = random(SEED);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
      const base = { serviceUrl: connector.serviceUrl };
      const templates = [
        () =>
          channelMessage({ ...base, text: pick(['hej', 'vem äger Raindance?', 'hjelp', 'ny behörighet']) }),
        () => channelMessage({ ...base, value: { verb: 'request.approve', requestId: 'r-1', version: 1 } }),
        () =>
          channelInvoke(
            'adaptiveCard/action',
            { action: { type: 'Action.Execute', verb: 'help.show', data: {} } },
            base,
          ),
        () => channelInvoke('fileConsent/invoke', { action: 'accept', context: { downloadId: 'x' } }, base),
        () => channelInvoke(pick(INVOKE_NAMES), { query: 'x' }, base),
        () =>
          channelMessage({
            ...base,
            type: 'conversationUpdate',
            membersAdded: [{ id: '28:ansvar-bot' }, { id: '29:someone' }],
          }),
        () => channelMessage({ ...base, type: 'installationUpdate', action: 'add' }),
        () => channelMessage({ ...base, type: 'messageReaction', reactionsAdded: [{ type: 'like' }] }),
        () => channelMessage({ ...base, type: pick(TYPES) }),
      ];
      const statuses = new Map<number, number>();
      const fivexx: string[] = [];
      for (let i = 0; i < COUNT; i += 1) {
        const activity = pick(templates)() as unknown as Record<string, unknown>;
        const mutations = 1 + Math.floor(next() * 3);
        for (let m = 0; m < mutations; m += 1) setPath(activity, pick(PATHS), pick(valuesPool(pick)));
        // The serviceUrl stays loopback mostly, so the turn runs (and replies reach the fake connector).
        if (typeof activity.serviceUrl !== 'string' || next() < 0.9)
          activity.serviceUrl = connector.serviceUrl;
        const res = await postActivity(sample.app.url, activity);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) fivexx.push(`${res.status} for ${JSON.stringify(activity).slice(0, 300)}`);
      }
      process.stdout.write(`      statuses: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
      assert.deepEqual(fivexx.slice(0, 5), [], `${fivexx.length} responses >= 500`);
      assert.deepEqual(errorLines.slice(0, 5), [], `${errorLines.length} error-level log lines`);
      assert.ok((statuses.get(400) ?? 0) > COUNT / 10, 'the fuzz hardly produced malformed activities');
      assert.ok((statuses.get(200) ?? 0) > 0, 'no activity got through to the bot');
    });
  });
