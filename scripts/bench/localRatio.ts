import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../bot/app.js';
import type { Language, Person, Register, SystemRecord } from '../../data/model.js';
import { startFakeConnector, type FakeConnector } from '../../fakes/fakeConnector.js';
import { makeTempDir, removeDir, writeRegister, writeSampleRegister } from './dataDir.js';
import { freePort, readMemory, serverEntry, serverNodeOptions, waitUntilReady } from './serverProcess.js';
import { median, percentile } from './stats.js';

/**
 * "Who owns" turns in local mode (issue 17): the product's server and an echo bot on the same botbuilder + restify
 * stack, both started the way `npm start` starts the server (`node <start options> dist/bot/server.js`, and
 * scripts/bench/echoServer.mjs for the echo bot: the same composition root with the EchoBot), with no MicrosoftAppId
 * (no JWT on either side, so the bot's own work is not hidden behind token checks) and the start script's default
 * logging. When `taskset` exists both servers run on CPU 0 and this process (load generator and the loopback
 * connector the bots reply to) on CPU 1.
 *
 * The load: "who owns" questions about every active system of a register, in the language of a fixed mix
 * (sv, nn, nb, en), each asked by a person of the system's organisation, every person with a fixed Teams locale and a
 * personal chat of their own. A closed loop of `connections` keep-alive connections; one body after another from a
 * shuffled list. Every answer must be a 200 and every reply must be what the bot answers to that question (Ansvar:
 * a card whose plain-text summary starts with the system's name and names its owner; echo: the question), matched by
 * `replyToId`; anything else is a problem and the figure is not trusted.
 *
 * Rounds alternate which bot goes first (A B, B A, ...) so a change in the machine's load falls on both alike; the
 * ratio is the median of per-round ratios, the spread (max - min) / median of those ratios.
 */

export type RatioBot = 'ansvar' | 'echo';

export interface LocalRatioOptions {
  rounds: number;
  burstSec: number;
  /** Rounds and seconds per burst at one connection. */
  singleRounds: number;
  singleBurstSec: number;
  connections: number;
  /** Seconds of load per bot after a full pass over the questions, before measuring. */
  warmupSec: number;
}

export interface LocalBurst {
  round: number;
  bot: RatioBot;
  connections: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  answered: number;
  failed: number;
  replies: number;
  expectedReplies: number;
}

export interface ConnectionFigures {
  connections: number;
  /** Median over rounds of ansvar req/s ÷ echo req/s of the same round. */
  ratio: number;
  roundRatios: number[];
  /** (max - min) ÷ median of the round ratios. */
  spread: number;
  ansvarReqPerSec: number;
  echoReqPerSec: number;
  /** Median over rounds of each bot's p50 latency. */
  ansvarP50Ms: number;
  echoP50Ms: number;
  ansvarP99Ms: number;
  echoP99Ms: number;
}

export interface LocalRatioResult {
  label: string;
  systems: number;
  questions: number;
  /** Questions left out because Ansvar answers them with a choice of systems (see measureLocalRatio). */
  dropped: number;
  askers: number;
  languages: Record<string, number>;
  pinned: boolean;
  many: ConnectionFigures;
  one: ConnectionFigures;
  rssMb: Record<RatioBot, number>;
  peakRssMb: Record<RatioBot, number>;
  bursts: LocalBurst[];
  problems: string[];
}

export interface RatioRegister {
  label: string;
  /** Writes the register into an empty data directory and returns what it holds. */
  write(dir: string): Promise<Register>;
}

/** The project's sample register (data/sample), imported as an empty store does it. */
export const sampleRegister: RatioRegister = {
  label: 'sample register',
  write: (dir) => writeSampleRegister(dir),
};

export function generatedRegister(label: string, register: Register): RatioRegister {
  return {
    label,
    write: async (dir) => {
      await writeRegister(dir, register);
      return register;
    },
  };
}

const QUESTION: Record<Language, (name: string) => string> = {
  sv: (name) => `vem äger ${name}`,
  nn: (name) => `kven eig ${name}`,
  nb: (name) => `hvem eier ${name}`,
  en: (name) => `who owns ${name}`,
};

/** Teams locales (Teams has no Nynorsk UI: Nynorsk writers use nb-NO or nn-NO). */
const LOCALES: Record<'sv' | 'no', readonly string[]> = {
  sv: ['sv-SE', 'sv-SE', 'sv-SE', 'en-US', 'en-GB'],
  no: ['nb-NO', 'nb-NO', 'nn-NO', 'en-US', 'en-GB'],
};

export interface Question {
  body: Buffer;
  activityId: string;
  /** What the reply's text must start with and contain. */
  title: string;
  owner: string | undefined;
  text: string;
  language: Language;
}

/** A small deterministic PRNG (mulberry32), so every run asks the same questions in the same order. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function buildQuestions(register: Register, serviceUrl: string): Question[] {
  const next = rng(1717);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const now = new Date().toISOString();
  const orgById = new Map(register.organisations.map((o) => [o.id, o]));
  const peopleByOrg = new Map<string, Person[]>();
  for (const person of register.people) {
    if (!person.aadObjectId || !person.organisationId) continue;
    const list = peopleByOrg.get(person.organisationId) ?? [];
    list.push(person);
    peopleByOrg.set(person.organisationId, list);
  }
  const personById = new Map(register.people.map((p) => [p.id, p]));
  const ownerOf = new Map<string, string>();
  for (const a of register.roleAssignments) {
    if (a.role !== 'owner' || !a.systemId || a.validTo !== undefined) continue;
    const name = personById.get(a.personId)?.name;
    if (name && !ownerOf.has(a.systemId)) ownerOf.set(a.systemId, name);
  }
  // A name two systems of one organisation share is a question with two answers: not a "who owns" turn.
  const nameCount = new Map<string, number>();
  for (const s of register.systems) {
    const key = `${s.organisationId}\n${s.name.toLowerCase()}`;
    nameCount.set(key, (nameCount.get(key) ?? 0) + 1);
  }
  const askable = (s: SystemRecord) =>
    s.lifecycle === 'active' &&
    nameCount.get(`${s.organisationId}\n${s.name.toLowerCase()}`) === 1 &&
    orgById.get(s.organisationId)?.tenantId !== undefined &&
    (peopleByOrg.get(s.organisationId)?.length ?? 0) > 0;
  const locales = new Map<string, string>();
  const questions: Question[] = [];
  for (const system of register.systems.filter(askable)) {
    const organisation = orgById.get(system.organisationId)!;
    const asker = pick(peopleByOrg.get(organisation.id)!);
    const norwegian = organisation.language !== 'sv';
    let locale = locales.get(asker.id);
    if (locale === undefined) {
      locale = pick(LOCALES[norwegian ? 'no' : 'sv']);
      locales.set(asker.id, locale);
    }
    // Mostly the organisation's own language, some English, and the other Norwegian written standard.
    const roll = next();
    const language: Language =
      roll < 0.15 ? 'en' : !norwegian ? 'sv' : roll < 0.6 ? 'nn' : roll < 0.9 ? 'nb' : organisation.language;
    const text = QUESTION[language](system.name);
    const activityId = `ratio-${questions.length + 1}`;
    const activity = {
      type: 'message',
      id: activityId,
      channelId: 'msteams',
      serviceUrl,
      timestamp: now,
      locale,
      from: { id: `29:${asker.aadObjectId}`, name: asker.name, aadObjectId: asker.aadObjectId },
      recipient: { id: '28:ansvar-bot', name: 'Ansvar' },
      conversation: {
        id: `a:ratio-${asker.aadObjectId}`,
        conversationType: 'personal',
        tenantId: organisation.tenantId,
      },
      channelData: { tenant: { id: organisation.tenantId } },
      text,
      textFormat: 'plain',
    };
    questions.push({
      body: Buffer.from(JSON.stringify(activity)),
      activityId,
      title: system.name,
      owner: ownerOf.get(system.id),
      text,
      language,
    });
  }
  // Shuffled, so consecutive questions come from different people, organisations and languages.
  for (let i = questions.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [questions[i], questions[j]] = [questions[j]!, questions[i]!];
  }
  return questions;
}

export interface Server {
  bot: RatioBot;
  child: ChildProcess;
  pid: number;
  url: string;
  output(): string;
}

function hasTaskset(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** `extraNodeOptions`: added after the start script's (a profile: `--cpu-prof`). */
export async function startServer(
  bot: RatioBot,
  dataDir: string,
  pinned: boolean,
  extraNodeOptions: readonly string[] = [],
): Promise<Server> {
  const port = await freePort();
  const envFile = `${dataDir}.env`;
  await fsp.writeFile(envFile, '');
  const entry =
    bot === 'ansvar' ? serverEntry() : path.join(projectRoot(), 'scripts', 'bench', 'echoServer.mjs');
  const command = [process.execPath, ...serverNodeOptions(), ...extraNodeOptions, entry];
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  const [file, ...args] = pinned ? ['taskset', '-c', '0', ...command] : command;
  // npm start's environment in local mode: no app id, the default log level and format; nothing else of ours.
  const child = spawn(file!, args, {
    cwd: projectRoot(),
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      ANSVAR_DATA_DIR: dataDir,
      ANSVAR_SAMPLE_ON_EMPTY: 'false',
      // An empty env file: a developer's .env (an app id, say) must not change what is measured.
      ANSVAR_ENV_FILE: envFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (child.pid === undefined) throw new Error(`could not spawn the ${bot} server`);
  const server = { bot, child, pid: child.pid, url: `http://127.0.0.1:${port}`, output: () => output };
  await waitUntilReady({ ...server, spawnedAt: performance.now() }, 60_000);
  return server;
}

export function stop(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface LoadResult {
  answered: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
}

/** A closed loop: `connections` keep-alive connections, each sending the next question as soon as it has an answer. */
export async function drive(
  url: string,
  questions: readonly Question[],
  connections: number,
  limit: { seconds?: number; requests?: number },
  cursor: { next: number },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL('/api/messages', url);
  const latenciesMs: number[] = [];
  let answered = 0;
  let failed = 0;
  let sent = 0;
  const started = performance.now();
  const end = limit.seconds === undefined ? Infinity : started + limit.seconds * 1000;
  const one = (body: Buffer) =>
    new Promise<number>((resolve) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });
  const worker = async () => {
    while (performance.now() < end && (limit.requests === undefined || sent < limit.requests)) {
      sent += 1;
      const question = questions[cursor.next % questions.length]!;
      cursor.next += 1;
      const t0 = performance.now();
      const status = await one(question.body);
      latenciesMs.push(performance.now() - t0);
      if (status === 200) answered += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { answered, failed, seconds, latenciesMs };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectedReply(bot: RatioBot, reply: Record<string, unknown>, byId: Map<string, Question>): boolean {
  const question = byId.get(String(reply.replyToId));
  if (!question || typeof reply.text !== 'string') return false;
  if (bot === 'echo') return reply.text === question.text;
  const attachments = reply.attachments as { contentType?: string }[] | undefined;
  return (
    attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive' &&
    reply.text.startsWith(question.title) &&
    (question.owner === undefined || reply.text.includes(question.owner))
  );
}

function figures(bursts: readonly LocalBurst[], connections: number): ConnectionFigures {
  const mine = bursts.filter((b) => b.connections === connections);
  const rounds = [...new Set(mine.map((b) => b.round))];
  const roundRatios = rounds.map((r) => {
    const a = mine.find((b) => b.round === r && b.bot === 'ansvar')!;
    const e = mine.find((b) => b.round === r && b.bot === 'echo')!;
    return a.reqPerSec / e.reqPerSec;
  });
  const ratio = median(roundRatios);
  const of = (bot: RatioBot, pick: (b: LocalBurst) => number) =>
    median(mine.filter((b) => b.bot === bot).map(pick));
  return {
    connections,
    ratio,
    roundRatios,
    spread: (Math.max(...roundRatios) - Math.min(...roundRatios)) / ratio,
    ansvarReqPerSec: of('ansvar', (b) => b.reqPerSec),
    echoReqPerSec: of('echo', (b) => b.reqPerSec),
    ansvarP50Ms: of('ansvar', (b) => b.p50Ms),
    echoP50Ms: of('echo', (b) => b.p50Ms),
    ansvarP99Ms: of('ansvar', (b) => b.p99Ms),
    echoP99Ms: of('echo', (b) => b.p99Ms),
  };
}

/** Pins this process (all its threads) to `cpus`; returns the list it had. */
function pinSelf(cpus: string): string | undefined {
  const before = spawnSync('taskset', ['-p', '-c', String(process.pid)], { encoding: 'utf8' });
  const had = /:\s*(\S+)\s*$/.exec(before.stdout ?? '')?.[1];
  spawnSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
  return had;
}

export async function measureLocalRatio(
  source: RatioRegister,
  options: LocalRatioOptions,
): Promise<LocalRatioResult> {
  const pinned = hasTaskset() && os.cpus().length >= 2;
  const dirs = { ansvar: await makeTempDir('ratio-ansvar'), echo: await makeTempDir('ratio-echo') };
  const servers: Partial<Record<RatioBot, Server>> = {};
  let connector: FakeConnector | undefined;
  const restore = pinned ? pinSelf('1') : undefined;
  try {
    const register = await source.write(dirs.ansvar);
    await source.write(dirs.echo);
    connector = await startFakeConnector();
    let questions = buildQuestions(register, connector.serviceUrl);
    if (questions.length === 0) throw new Error(`${source.label}: no askable system`);
    const byId = new Map(questions.map((q) => [q.activityId, q]));
    const problems: string[] = [];
    const cursors = { ansvar: { next: 0 }, echo: { next: 0 } };

    // Ansvar first: every question once (each asker's first message also stores their conversation reference).
    // A question Ansvar answers with a choice (its name is also part of another system's name or alias, as in
    // "Prosa" and "Tieto Prosa") is not a "who owns" turn: it is left out of the load for both bots, and counted.
    let dropped = 0;
    for (const bot of ['ansvar', 'echo'] as const) {
      const server = await startServer(bot, dirs[bot], pinned);
      servers[bot] = server;
      connector.reset();
      const pass = await drive(
        server.url,
        questions,
        options.connections,
        { requests: questions.length },
        cursors[bot],
      );
      await sleep(300);
      const wrong = connector.activities.filter((r) => !expectedReply(bot, r, byId));
      if (pass.failed > 0)
        problems.push(`${bot}: ${pass.failed} questions of the first pass not answered 200`);
      if (connector.activities.length < pass.answered)
        problems.push(
          `${bot}: first pass ${pass.answered} answers but ${connector.activities.length} replies`,
        );
      if (bot === 'ansvar') {
        const unexpected = new Set(wrong.map((r) => String(r.replyToId)));
        dropped = unexpected.size;
        if (dropped > questions.length * 0.1) {
          const sample = JSON.stringify({ text: wrong[0]?.text }).slice(0, 300);
          problems.push(
            `ansvar: ${dropped} of ${questions.length} questions not answered as expected ${sample}`,
          );
        }
        questions = questions.filter((q) => !unexpected.has(q.activityId));
      } else if (wrong.length > 0)
        problems.push(`echo: ${wrong.length} replies of the first pass not the question`);
      cursors[bot].next = 0;
      await drive(server.url, questions, options.connections, { seconds: options.warmupSec }, cursors[bot]);
      await sleep(300);
    }

    const bursts: LocalBurst[] = [];
    const run = async (connections: number, rounds: number, seconds: number) => {
      for (let round = 1; round <= rounds; round += 1) {
        const order: RatioBot[] = round % 2 === 1 ? ['ansvar', 'echo'] : ['echo', 'ansvar'];
        for (const bot of order) {
          connector!.reset();
          const load = await drive(servers[bot]!.url, questions, connections, { seconds }, cursors[bot]);
          await sleep(200);
          const replies = connector!.activities;
          const sorted = load.latenciesMs.sort((a, b) => a - b);
          const burst: LocalBurst = {
            round,
            bot,
            connections,
            reqPerSec: load.answered / load.seconds,
            p50Ms: percentile(sorted, 50),
            p99Ms: percentile(sorted, 99),
            answered: load.answered,
            failed: load.failed,
            replies: replies.length,
            expectedReplies: replies.filter((r) => expectedReply(bot, r, byId)).length,
          };
          bursts.push(burst);
          const label = `${bot}, ${connections} connection(s), round ${round}`;
          if (burst.failed > 0) problems.push(`${label}: ${burst.failed} answers not 200`);
          if (burst.replies < burst.answered || burst.expectedReplies !== burst.replies)
            problems.push(
              `${label}: ${burst.answered} answers, ${burst.replies} replies, ${burst.expectedReplies} as expected`,
            );
        }
      }
    };
    await run(options.connections, options.rounds, options.burstSec);
    const memory = { ansvar: readMemory(servers.ansvar!.pid), echo: readMemory(servers.echo!.pid) };
    await run(1, options.singleRounds, options.singleBurstSec);

    const languages: Record<string, number> = {};
    for (const q of questions) languages[q.language] = (languages[q.language] ?? 0) + 1;
    return {
      label: source.label,
      systems: register.systems.length,
      questions: questions.length,
      dropped,
      askers: new Set(questions.map((q) => JSON.parse(q.body.toString()).from.aadObjectId as string)).size,
      languages,
      pinned,
      many: figures(bursts, options.connections),
      one: figures(bursts, 1),
      rssMb: { ansvar: memory.ansvar.rssMb, echo: memory.echo.rssMb },
      peakRssMb: { ansvar: memory.ansvar.hwmMb, echo: memory.echo.hwmMb },
      bursts,
      problems,
    };
  } catch (error) {
    const outputs = Object.values(servers)
      .map((s) => `${s.bot}: ${s.output().trim().slice(-600)}`)
      .join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${outputs}`, {
      cause: error,
    });
  } finally {
    for (const server of Object.values(servers)) await stop(server);
    await connector?.close();
    if (restore) pinSelf(restore);
    await removeDir(dirs.ansvar);
    await removeDir(dirs.echo);
    await fsp.rm(`${dirs.ansvar}.env`, { force: true });
    await fsp.rm(`${dirs.echo}.env`, { force: true });
  }
}
