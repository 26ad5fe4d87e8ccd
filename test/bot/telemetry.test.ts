import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTelemetry, type Telemetry } from '../../bot/telemetry.js';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import { telemetryEnabled } from '../../core/telemetry.js';
import { inTransaction } from '../../data/postgres/database.js';
import { GraphDirectory } from '../../services/directory/graphDirectory.js';
import { channelMessage, postActivity } from '../../fakes/channelClient.js';
import { startFakeConnector, type FakeConnector } from '../../fakes/fakeConnector.js';
import { FakeGraphServer, FakeTokenCredential } from '../../fakes/fakeGraphServer.js';
import {
  startFakeOtlpCollector,
  type FakeOtlpCollector,
  type ReceivedSpan,
} from '../../fakes/fakeOtlpCollector.js';
import {
  chatWith,
  MONA_ASKS_FOR_RAINDANCE,
  sampleRequestEngine,
  startSampleApp,
  STORSJO,
  until,
  type SampleApp,
} from '../fixtures/sampleApp.js';
import { useLogLines } from '../fixtures/logLines.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/postgres.js';
import { HOSTS, useServerProcesses } from '../fixtures/testServer.js';

/**
 * Telemetry end to end: the real SDK start-up (bot/telemetry.ts) exporting over OTLP/HTTP JSON to a fake collector on
 * loopback, and what the collector receives. Off by default: without an exporter no SDK module is even imported.
 */

const moduleRecorder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/moduleLoads.mjs',
);

/** Every string in the spans' attributes, to show no name, UPN or message text went out. */
function attributeText(spans: ReceivedSpan[]): string {
  return JSON.stringify(spans.map((s) => s.attributes));
}

describe('telemetry: the server process', function () {
  // Each test starts the server as a process (several seconds on a busy machine).
  this.timeout(60_000);
  const servers = useServerProcesses();
  let collector: FakeOtlpCollector;
  let moduleLog: string;

  beforeEach(async () => {
    collector = await startFakeOtlpCollector();
    moduleLog = path.join(servers.dataDir, 'modules.log');
  });
  afterEach(() => collector.close());

  const recorded = async () =>
    (await fs.readFile(moduleLog, 'utf8').catch(() => '')).split('\n').filter(Boolean);

  for (const host of HOSTS)
    it(`with OTEL_EXPORTER_OTLP_ENDPOINT sends a who-owns turn as a span with its intent and ids, and its duration as a metric (${host} host)`, async () => {
      const server = await servers.start({
        dir: 'otlp',
        env: {
          ANSVAR_HOST: host,
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_METRIC_EXPORT_INTERVAL: '200',
          OTEL_BSP_SCHEDULE_DELAY: '50',
          NODE_OPTIONS: `--import=${moduleRecorder}`,
          ANSVAR_MODULE_LOG: moduleLog,
        },
      });
      const question = channelMessage({
        ...chatWith(STORSJO.mona, servers.connector.serviceUrl),
        text: 'vem äger Public 360',
      });
      assert.equal((await postActivity(server.url, question)).status, 200);

      const turn = await collector.waitForSpan(
        (s) => s.name === 'ansvar.turn' && s.attributes['ansvar.intent'] === 'whoOwns',
      );
      assert.equal(turn.service, 'ansvar');
      assert.equal(turn.attributes['ansvar.activity.type'], 'message');
      assert.equal(turn.attributes['ansvar.activity.id'], question.id);
      assert.equal(turn.attributes['ansvar.conversation.id'], question.conversation.id);
      const point = await collector.waitForPoint(
        (p) => p.metric === 'ansvar.turn.duration' && p.attributes['ansvar.intent'] === 'whoOwns',
      );
      assert.equal(point.unit, 's');
      assert.equal(point.attributes['ansvar.outcome'], 'ok');
      assert.ok(point.value >= 1 && point.sum! > 0, 'one turn with its duration');
      assert.doesNotMatch(attributeText(collector.spans), /Public 360|Mona|Maria|Ekholm|storsjo\.example/);
      assert.ok(
        collector.requests.every((r) => r.contentType.startsWith('application/json')),
        'OTLP over HTTP with JSON bodies',
      );
      assert.ok(
        (await recorded()).some((url) => url.includes('@opentelemetry/sdk-trace-node')),
        'the recorder sees the SDK when telemetry is on',
      );
    });

  it('with no exporter configured imports no OpenTelemetry SDK, exporter or resources module', async () => {
    const server = await servers.start({
      dir: 'off',
      env: { NODE_OPTIONS: `--import=${moduleRecorder}`, ANSVAR_MODULE_LOG: moduleLog },
    });
    const question = channelMessage({
      ...chatWith(STORSJO.mona, servers.connector.serviceUrl),
      text: 'vem äger Public 360',
    });
    assert.equal((await postActivity(server.url, question)).status, 200);
    await servers.connector.waitForCalls(1);
    assert.deepEqual(await recorded(), []);
  });

  it('with OTEL_SDK_DISABLED=true sends nothing even with an endpoint set, and loads no SDK', async () => {
    const server = await servers.start({
      dir: 'disabled',
      env: {
        OTEL_SDK_DISABLED: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
        OTEL_METRIC_EXPORT_INTERVAL: '100',
        NODE_OPTIONS: `--import=${moduleRecorder}`,
        ANSVAR_MODULE_LOG: moduleLog,
      },
    });
    const question = channelMessage({
      ...chatWith(STORSJO.mona, servers.connector.serviceUrl),
      text: 'vem äger Public 360',
    });
    assert.equal((await postActivity(server.url, question)).status, 200);
    await servers.connector.waitForCalls(1);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.deepEqual(collector.requests, []);
    assert.deepEqual(await recorded(), []);
  });
});

/**
 * The SDK started in this process (as bot/server.ts starts it), for what is easier to reach from here than over a
 * process boundary: a decision and its click, the outbox, Graph throttling. Shut down after each test, so the rest
 * of the suite runs with telemetry off.
 */
function useInProcessTelemetry() {
  const saved: Record<string, string | undefined> = {};
  const state: { collector?: FakeOtlpCollector; telemetry?: Telemetry } = {};
  beforeEach(async () => {
    state.collector = await startFakeOtlpCollector();
    // The OTLP exporters read their endpoint from the environment, as in production.
    for (const [key, value] of Object.entries({
      OTEL_EXPORTER_OTLP_ENDPOINT: state.collector.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    })) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    state.telemetry = await startTelemetry({
      exporters: [{ kind: 'otlp', traces: true, metrics: true }],
      metricIntervalMs: 60_000,
    });
  });
  afterEach(async () => {
    await state.telemetry?.shutdown();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await state.collector?.close();
    assert.equal(telemetryEnabled(), false);
  });
  return {
    get collector() {
      return state.collector!;
    },
    /** Exports everything recorded so far. */
    flush: () => state.telemetry!.flush(),
  };
}

describe('telemetry: decisions, clicks and the outbox (SDK in this process)', () => {
  const telemetry = useInProcessTelemetry();
  const log = useLogLines();
  let connector: FakeConnector;
  let sample: SampleApp | undefined;

  before(async () => {
    connector = await startFakeConnector();
  });
  after(() => connector.close());
  afterEach(async () => {
    await sample?.close();
    sample = undefined;
  });

  it('counts an approval by outcome and kind, names the click’s turn by its verb, and records the outbox delay', async () => {
    sample = await startSampleApp(connector);
    await sample.opensAnsvar(STORSJO.lina);
    const engine = await sampleRequestEngine(sample);
    const { request } = await engine.submit(MONA_ASKS_FOR_RAINDANCE);
    const res = await sample.click(STORSJO.lina, 'request.approve', {
      requestId: request.id,
      version: request.version,
    });
    assert.equal(res.status, 200);
    const { collector } = telemetry;
    // The click wakes the app's outbox, which then delivers Lina's decide card (written by this test's engine).
    const delivered = await until(async () => {
      await telemetry.flush();
      return collector.points.find(
        (p) => p.metric === 'ansvar.outbox.delay' && p.attributes['ansvar.outbox.outcome'] === 'delivered',
      );
    }, 'a delivery');
    assert.ok(delivered.value >= 1, 'the decide card’s delivery delay');

    // Cumulative sums, exported at each flush: the last export holds the count.
    const decisions = collector.points.filter((p) => p.metric === 'ansvar.decisions');
    assert.deepEqual(
      [...new Set(decisions.map((p) => JSON.stringify(p.attributes)))],
      [JSON.stringify({ 'ansvar.decision.outcome': 'approved', 'ansvar.request.kind': 'access' })],
    );
    assert.equal(decisions.at(-1)?.value, 1);
    const click = collector.spans.find(
      (s) => s.name === 'ansvar.turn' && s.attributes['ansvar.verb'] === 'request.approve',
    );
    assert.ok(click, 'the click is a turn named by its verb');
    // Lina's first message (opensAnsvar) logged during its turn: each line leads to that turn's trace.
    const turnLines = log.lines.filter((l) => l.activityId !== undefined);
    assert.ok(turnLines.length > 0, 'a turn logged at debug level');
    for (const line of turnLines) {
      const turn = collector.spans.find(
        (s) => s.name === 'ansvar.turn' && s.attributes['ansvar.activity.id'] === line.activityId,
      );
      assert.equal(line.traceId, turn?.traceId, `"${line.msg}" carries its turn's trace id`);
    }
    assert.ok(
      collector.points.some(
        (p) => p.metric === 'ansvar.turn.duration' && p.attributes['ansvar.verb'] === 'request.approve',
      ),
      'the click’s duration by its verb',
    );
    const write = collector.spans.find(
      (s) => s.name.startsWith('store write') && s.parentSpanId === click.spanId,
    );
    assert.ok(write, 'the decision’s store write is a child of the click’s turn');
    assert.equal(write.attributes['ansvar.store.backend'], 'lowdb');
    assert.ok(
      collector.points.some(
        (p) => p.metric === 'ansvar.store.write.duration' && p.attributes['ansvar.store.backend'] === 'lowdb',
      ),
      'store write durations',
    );
    assert.ok(
      collector.points.some((p) => p.metric === 'ansvar.outbox.oldest_pending_age'),
      'the backlog gauge is observed',
    );
    assert.doesNotMatch(attributeText(collector.spans), /storsjo\.example|Lina|Mona|Attestant|hemtjänsten/);
  });
});

describe('telemetry: Microsoft Graph calls (SDK in this process)', () => {
  const telemetry = useInProcessTelemetry();
  let graph: FakeGraphServer;

  beforeEach(async () => {
    graph = await FakeGraphServer.start();
  });
  afterEach(() => graph.close());

  const directory = () =>
    new GraphDirectory(
      { baseUrl: graph.baseUrl, timeoutMs: 2000, cacheTtlSeconds: 300 },
      {
        credential: new FakeTokenCredential(graph.token),
        now: () => new Date(),
        sleep: async () => undefined,
      },
    );

  it('records each attempt by method and status, a 429 as throttled and its retry, never the UPN', async () => {
    graph.addUser({ userPrincipalName: 'anna@kommun.se' });
    graph.throttleNextRequests(1, 0);
    assert.equal((await directory().findByUpn('anna@kommun.se'))?.upn, 'anna@kommun.se');
    await telemetry.flush();
    const { collector } = telemetry;

    const attempts = collector.spans.filter((s) => s.name === 'graph GET users');
    assert.deepEqual(
      attempts.map((s) => [s.attributes['http.response.status_code'], s.attributes['ansvar.graph.retry']]),
      [
        [429, false],
        [200, true],
      ],
    );
    const counted = (metric: string) =>
      collector.points.filter((p) => p.metric === metric).reduce((n, p) => n + p.value, 0);
    assert.equal(counted('ansvar.graph.throttled'), 1);
    assert.equal(counted('ansvar.graph.retries'), 1);
    assert.deepEqual(
      collector.points
        .filter((p) => p.metric === 'ansvar.graph.request.duration')
        .map((p) => p.attributes['http.response.status_code'])
        .sort(),
      [200, 429],
    );
    assert.doesNotMatch(JSON.stringify(collector.spans), /anna@kommun\.se/);
  });

  it('counts the throttled inner requests of a $batch (answered 429 inside a 200) and their re-sending', async () => {
    graph.addUser({ userPrincipalName: 'a@kommun.se' });
    graph.addUser({ userPrincipalName: 'b@kommun.se' });
    graph.throttleNextBatchItems(2, 0);
    const statuses = await directory().statusOf(['a@kommun.se', 'b@kommun.se']);
    assert.equal(statuses.get('a@kommun.se')?.found, true);
    assert.deepEqual(graph.batchSizes(), [4, 2]);
    await telemetry.flush();

    const items = (metric: string) =>
      telemetry.collector.points
        .filter((p) => p.metric === metric && p.attributes['ansvar.graph.resource'] === '$batch:item')
        .at(-1)?.value;
    assert.equal(items('ansvar.graph.throttled'), 2);
    assert.equal(items('ansvar.graph.retries'), 2);
  });
});

describe('telemetry: PostgreSQL store writes (SDK in this process)', () => {
  const telemetry = useInProcessTelemetry();
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  after(() => database.drop());

  it('records each transaction as a store write, a rolled-back one with its error type', async () => {
    assert.equal(
      await inTransaction(database.pool, async (client) => (await client.query('SELECT 1')).rowCount),
      1,
    );
    await assert.rejects(
      inTransaction(database.pool, async (client) => {
        await client.query('SELECT 1');
        throw new AnsvarError('RevisionConflict', 'someone else won');
      }),
      (e: unknown) => isAnsvarError(e, 'RevisionConflict'),
    );
    await telemetry.flush();
    const { collector } = telemetry;

    const writes = collector.spans.filter((s) => s.name === 'store write transaction');
    assert.deepEqual(
      writes.map((s) => [s.attributes['ansvar.store.backend'], s.attributes['error.type']]),
      [
        ['postgres', undefined],
        ['postgres', 'RevisionConflict'],
      ],
    );
    assert.deepEqual(
      collector.points
        .filter((p) => p.metric === 'ansvar.store.write.duration')
        .map((p) => [p.attributes['ansvar.store.backend'], p.attributes['ansvar.outcome'], p.value])
        .sort(),
      [
        ['postgres', 'error', 1],
        ['postgres', 'ok', 1],
      ],
    );
    assert.doesNotMatch(JSON.stringify(collector.spans), /someone else won/, 'no error message leaves');
  });
});
