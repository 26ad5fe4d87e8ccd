import fsp from 'node:fs/promises';
import os from 'node:os';
import type { Register } from '../../data/model.js';
import { startFakeConnector, type FakeConnector } from '../../fakes/fakeConnector.js';
import { makeTempDir, removeDir, writeRegister, writeSampleRegister } from './dataDir.js';
import { readMemory } from './serverProcess.js';
import { processCpuMs, stealMs } from './procCpu.js';
import { median, percentile } from './stats.js';
import { drive } from './ratioLoad.js';
import { buildQuestions, type Question } from './ratioQuestions.js';
import { hasTaskset, pinSelf, startServer, stop, type RatioBot, type Server } from './ratioServers.js';

export type { RatioBot } from './ratioServers.js';

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

export interface LocalRatioOptions {
  rounds: number;
  burstSec: number;
  /** Rounds and seconds per burst at one connection. */
  singleRounds: number;
  singleBurstSec: number;
  connections: number;
  /** Seconds of load per bot after a full pass over the questions, before measuring. */
  warmupSec: number;
  /**
   * Turns of load per bot before those seconds: V8 optimises the turn's code late (parseActivity after some 2,400–3,400
   * turns, the card's build after several shapes of answer), so a time-only warm-up left Ansvar's first rounds
   * measuring code still being optimised — a server that runs for days is measured in its steady state.
   */
  warmupTurns: number;
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
  /**
   * CPU during the burst (from /proc; undefined without it): the loaded bot's per answer, the other (idle) bot's in
   * all, and this process's (the load generator and the connector the bots reply to) as a share of one core.
   */
  cpu?: { perAnswerMs: number; idleBotMs: number; loadGeneratorShare: number; serverCpuStealShare?: number };
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function expectedReply(
  bot: RatioBot,
  reply: Record<string, unknown>,
  byId: Map<string, Question>,
): boolean {
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

export async function measureLocalRatio(
  source: RatioRegister,
  options: LocalRatioOptions,
  /** Added to Ansvar's environment only (`--store postgres`: DATABASE_URL). */
  ansvarEnv: Readonly<Record<string, string>> = {},
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
      const server = await startServer(bot, dirs[bot], pinned, {
        env: bot === 'ansvar' ? ansvarEnv : {},
      });
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
      await drive(
        server.url,
        questions,
        options.connections,
        { requests: options.warmupTurns },
        cursors[bot],
      );
      await drive(server.url, questions, options.connections, { seconds: options.warmupSec }, cursors[bot]);
      await sleep(300);
    }

    const bursts: LocalBurst[] = [];
    const run = async (connections: number, rounds: number, seconds: number) => {
      for (let round = 1; round <= rounds; round += 1) {
        const order: RatioBot[] = round % 2 === 1 ? ['ansvar', 'echo'] : ['echo', 'ansvar'];
        for (const bot of order) {
          connector!.reset();
          const other: RatioBot = bot === 'ansvar' ? 'echo' : 'ansvar';
          const cpuBefore = {
            bot: processCpuMs(servers[bot]!.pid),
            other: processCpuMs(servers[other]!.pid),
            self: process.cpuUsage(),
            steal: stealMs(pinned ? 0 : -1),
            at: performance.now(),
          };
          const load = await drive(servers[bot]!.url, questions, connections, { seconds }, cursors[bot]);
          const cpuAfter = {
            bot: processCpuMs(servers[bot]!.pid),
            other: processCpuMs(servers[other]!.pid),
            self: process.cpuUsage(cpuBefore.self),
            steal: stealMs(pinned ? 0 : -1),
            at: performance.now(),
          };
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
          if (
            cpuBefore.bot !== undefined &&
            cpuAfter.bot !== undefined &&
            cpuBefore.other !== undefined &&
            cpuAfter.other !== undefined &&
            load.answered > 0
          ) {
            burst.cpu = {
              perAnswerMs: (cpuAfter.bot - cpuBefore.bot) / load.answered,
              idleBotMs: cpuAfter.other - cpuBefore.other,
              loadGeneratorShare:
                (cpuAfter.self.user + cpuAfter.self.system) / 1000 / (cpuAfter.at - cpuBefore.at),
            };
            if (cpuBefore.steal !== undefined && cpuAfter.steal !== undefined) {
              burst.cpu.serverCpuStealShare =
                (cpuAfter.steal - cpuBefore.steal) / (cpuAfter.at - cpuBefore.at);
            }
          }
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
