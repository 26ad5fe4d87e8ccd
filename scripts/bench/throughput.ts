import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../../bot/app.js';
import { startFakeConnector, type FakeConnector } from '../../fakes/fakeConnector.js';
import { startFakeOpenIdServer, type FakeOpenIdServer } from '../../fakes/fakeOpenIdServer.js';
import { teamsMessage } from './activity.js';
import type { HarnessStart } from './appHarness.js';
import { makeTempDir, removeDir, writeSampleRegister } from './dataDir.js';
import { serverNodeOptions } from './serverProcess.js';
import { median } from './stats.js';

/**
 * "Who owns" throughput over HTTP with Bot Framework authentication on, as a ratio to the EchoBot on the same
 * stack. Two app processes (appHarness.ts) run side by side on copies of the sample register, one with the
 * product's bot and one with the echo bot; this process holds the fake OpenID server, the fake connector both bots
 * reply to, and autocannon. Only one app is under load at a time, in short bursts alternating A B B A A B B A ...,
 * so a change in the machine's load (other people's tests) falls on both alike; the ratio is the median of the
 * per-round ratios of two adjacent bursts, and each bot's req/s is its total 2xx answers over its total time.
 *
 * The load is real work: every request carries a valid signed token and a Teams message "vem äger <system>"
 * (rotating over several systems of the asker's organisation); only 2xx answers count, and the connector must have
 * received one reply per answer, carrying a card (Ansvar) or the question's text (echo).
 */

export type BotKind = HarnessStart['bot'];

export interface ThroughputOptions {
  rounds: number;
  /** Seconds per burst; each round has one burst per bot. */
  burstSec: number;
  warmupSec: number;
  connections: number;
}

export interface Burst {
  round: number;
  bot: BotKind;
  /** 2xx answers per second. */
  reqPerSec: number;
  durationSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  responses2xx: number;
  otherStatuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Replies the fake connector received during the burst. */
  replies: number;
  /** Replies that were what this bot answers (an Adaptive Card; or the echoed question). */
  expectedReplies: number;
}

export interface ThroughputResult {
  bursts: Burst[];
  /** Total 2xx answers ÷ total seconds under load. */
  ansvarReqPerSec: number;
  echoReqPerSec: number;
  /** Median over rounds of ansvar req/s ÷ echo req/s in the same round. */
  ratio: number;
  roundRatios: number[];
  /** ansvarReqPerSec ÷ echoReqPerSec. */
  ratioOfTotals: number;
  questions: string[];
  /** Empty when every burst measured real work; otherwise what was wrong (the ratio is then not trustworthy). */
  problems: string[];
}

const APP_ID = '00000000-bench-4000-8000-ansvarbench01';
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

interface Harness {
  child: ChildProcess;
  url: string;
}

function startHarness(start: HarnessStart): Promise<Harness> {
  const child = fork(path.join(projectRoot(), 'scripts', 'bench', 'appHarness.ts'), [], {
    cwd: projectRoot(),
    // Both bots with the options npm start gives the server (heap sizing matters to throughput).
    execArgv: [...serverNodeOptions(), '--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`app harness not ready within 60 s: ${output}`));
    }, 60_000);
    child.on('message', (message: { type: string; url?: string; message?: string }) => {
      clearTimeout(timer);
      if (message.type === 'ready' && message.url) resolve({ child, url: message.url });
      else reject(new Error(`app harness failed: ${message.message ?? 'unknown'} ${output}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app harness exited (${code}) before it was ready: ${output}`));
    });
    child.send({ type: 'start', start });
  });
}

function stopHarness(harness: Harness): Promise<void> {
  return new Promise((resolve) => {
    if (harness.child.exitCode !== null) return resolve();
    const timer = setTimeout(() => harness.child.kill('SIGKILL'), 15_000);
    harness.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    harness.child.send({ type: 'close' });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isExpectedReply(
  bot: BotKind,
  body: Record<string, unknown>,
  questions: ReadonlySet<string>,
): boolean {
  if (bot === 'echo') return typeof body.text === 'string' && questions.has(body.text);
  const attachments = body.attachments as { contentType?: string }[] | undefined;
  return attachments?.[0]?.contentType === ADAPTIVE_CARD;
}

interface Load {
  url: string;
  requests: { method: string; path: string; headers: Record<string, string>; body: string }[];
  connections: number;
}

async function burst(
  load: Load,
  connector: FakeConnector,
  bot: BotKind,
  round: number,
  durationSec: number,
  questions: ReadonlySet<string>,
): Promise<Burst> {
  connector.reset();
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: durationSec,
    requests: load.requests,
    timeout: 10,
  });
  // Replies of the requests still in flight when autocannon stopped.
  await sleep(300);
  const replies = connector.activities;
  return {
    round,
    bot,
    reqPerSec: result['2xx'] / result.duration,
    durationSec: result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    responses2xx: result['2xx'],
    otherStatuses: Object.fromEntries(
      Object.entries(result.statusCodeStats)
        .filter(([status]) => !status.startsWith('2'))
        .map(([status, v]) => [status, v.count]),
    ),
    errors: result.errors,
    timeouts: result.timeouts,
    replies: replies.length,
    expectedReplies: replies.filter((r) => isExpectedReply(bot, r, questions)).length,
  };
}

function problemsOf(b: Burst): string[] {
  const label = `${b.bot} burst of round ${b.round}`;
  const problems: string[] = [];
  if (b.responses2xx === 0) problems.push(`${label}: no 2xx answers`);
  if (Object.keys(b.otherStatuses).length > 0)
    problems.push(`${label}: non-2xx answers ${JSON.stringify(b.otherStatuses)}`);
  if (b.errors + b.timeouts > 0) problems.push(`${label}: ${b.errors} errors, ${b.timeouts} timeouts`);
  if (b.replies < b.responses2xx)
    problems.push(`${label}: ${b.responses2xx} answers but only ${b.replies} replies`);
  if (b.expectedReplies !== b.replies) {
    problems.push(
      `${label}: ${b.replies - b.expectedReplies} replies were not what the ${b.bot} bot answers`,
    );
  }
  return problems;
}

export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const dataDirs = {
    ansvar: await makeTempDir('throughput-ansvar'),
    echo: await makeTempDir('throughput-echo'),
  };
  const harnesses: Harness[] = [];
  let openId: FakeOpenIdServer | undefined;
  let connector: FakeConnector | undefined;
  try {
    // One writer per data directory: each app gets its own copy of the sample register.
    const register = await writeSampleRegister(dataDirs.ansvar);
    await writeSampleRegister(dataDirs.echo);
    openId = await startFakeOpenIdServer();
    connector = await startFakeConnector();

    // The asker: someone of the first organisation with a tenant; the questions: its active systems.
    const organisation = register.organisations.find(
      (o) => o.tenantId && register.systems.filter((s) => s.organisationId === o.id).length >= 4,
    );
    if (!organisation?.tenantId)
      throw new Error('the sample register has no organisation with a tenant and systems');
    const asker = register.people.find((p) => p.organisationId === organisation.id && p.aadObjectId);
    const systems = register.systems
      .filter((s) => s.organisationId === organisation.id && s.lifecycle === 'active')
      .sort((a, b) => a.id.localeCompare(b.id))
      .slice(0, 8);
    const questions = systems.map((s) => `vem äger ${s.name}`);
    const token = openId.sign(openId.claims(APP_ID, connector.serviceUrl));
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const requests = Array.from({ length: questions.length * 4 }, (_, i) => ({
      method: 'POST',
      path: '/api/messages',
      headers,
      body: JSON.stringify(
        teamsMessage({
          serviceUrl: connector!.serviceUrl,
          tenantId: organisation.tenantId,
          aadObjectId: asker?.aadObjectId,
          conversationId: `a:bench-conversation-${i % 16}`,
          text: questions[i % questions.length]!,
        }),
      ),
    }));
    const questionSet = new Set(questions);

    const loads = {} as Record<BotKind, Load>;
    for (const bot of ['ansvar', 'echo'] as const) {
      const harness = await startHarness({
        bot,
        dataDir: dataDirs[bot],
        appId: APP_ID,
        tenantId: organisation.tenantId,
        metadataUrl: openId.metadataUrl,
        issuer: openId.issuer,
      });
      harnesses.push(harness);
      loads[bot] = { url: harness.url, requests, connections: options.connections };
      // One question first: it must be accepted and answered the way this bot answers.
      connector.reset();
      const first = await fetch(`${harness.url}/api/messages`, {
        method: 'POST',
        headers,
        body: requests[0]!.body,
      });
      if (first.status !== 200) throw new Error(`${bot}: the first question got HTTP ${first.status}`);
      const [reply] = await connector.waitForCalls(1, 10_000);
      if (!reply || !isExpectedReply(bot, reply.body, questionSet)) {
        throw new Error(
          `${bot}: unexpected reply to the first question: ${JSON.stringify(reply?.body).slice(0, 300)}`,
        );
      }
      await autocannon({
        url: harness.url,
        connections: options.connections,
        duration: options.warmupSec,
        requests,
      });
      await sleep(300);
    }

    const bursts: Burst[] = [];
    const roundRatios: number[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      const order: BotKind[] = round % 2 === 1 ? ['ansvar', 'echo'] : ['echo', 'ansvar'];
      const rates = {} as Record<BotKind, number>;
      for (const bot of order) {
        const b = await burst(loads[bot], connector, bot, round, options.burstSec, questionSet);
        bursts.push(b);
        rates[bot] = b.reqPerSec;
      }
      roundRatios.push(rates.ansvar / rates.echo);
    }
    const rate = (bot: BotKind) => {
      const mine = bursts.filter((b) => b.bot === bot);
      return mine.reduce((n, b) => n + b.responses2xx, 0) / mine.reduce((n, b) => n + b.durationSec, 0);
    };
    const ansvarReqPerSec = rate('ansvar');
    const echoReqPerSec = rate('echo');
    return {
      bursts,
      ansvarReqPerSec,
      echoReqPerSec,
      ratio: median(roundRatios),
      roundRatios,
      ratioOfTotals: ansvarReqPerSec / echoReqPerSec,
      questions,
      problems: bursts.flatMap(problemsOf),
    };
  } finally {
    for (const harness of harnesses) await stopHarness(harness);
    await connector?.close();
    await openId?.close();
    await removeDir(dataDirs.ansvar);
    await removeDir(dataDirs.echo);
  }
}
