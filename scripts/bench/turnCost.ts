import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { startFakeConnector, type FakeConnector } from '../../fakes/fakeConnector.js';
import { makeTempDir, removeDir, writeRegister, writeSampleRegister } from './dataDir.js';
import { twoOrganisations } from './generateRegister.js';
import { expectedReply } from './localRatio.js';
import { drive } from './ratioLoad.js';
import { buildQuestions, type Question } from './ratioQuestions.js';
import { startServer, stop, type RatioBot } from './ratioServers.js';

/**
 * What a "who owns" turn costs against an echo turn, counted in machine instructions (issue 17): both servers run
 * as `npm start` runs them in local mode, each under valgrind's callgrind, and answer the same questions (those of
 * the local-mode ratio, localRatio.ts). Instruction counts do not move with the machine's load, unlike req/s or CPU
 * time on a shared machine, so two builds can be compared in one short run.
 *
 * Per bot: every question once (conversation references stored), `--warmup` more turns (V8's optimising compiler
 * is still busy after a few hundred: its threads were 60% of the count after 600), all uninstrumented; then the
 * counters are zeroed for `--idle` seconds of no load (what timers cost after ready, per second), then zeroed
 * again for `--turns` turns. A turn's cost is the turns' count less the idle rate over the turns' wall time.
 *
 *   node --import tsx scripts/bench/turnCost.ts [--register=unseen|sample] [--turns=300] [--warmup=3000]
 *        [--idle=5] [--connections=1] [--bots=ansvar,echo] [--keep=DIR]
 *        [--node-options='--perf-basic-prof']
 *
 * `--keep=DIR` keeps the callgrind dumps (`callgrind_annotate DIR/ansvar.<pid>.2-01`: where the main thread's
 * instructions of the turns went: the engine's builtins, runtime and collector by name, JIT code as addresses).
 * Needs `npm run build`.
 */

interface Options {
  register: 'unseen' | 'sample';
  turns: number;
  warmup: number;
  idleSec: number;
  connections: number;
  bots: RatioBot[];
  keep: string | undefined;
  /** Added to both servers' node options, e.g. `--perf-basic-prof` to name JIT code in the dumps. */
  nodeOptions: string[];
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const register = value('register') ?? 'unseen';
  if (register !== 'unseen' && register !== 'sample')
    throw new Error(`--register=${register}: unseen or sample`);
  const bots = (value('bots') ?? 'ansvar,echo').split(',');
  if (bots.some((b) => b !== 'ansvar' && b !== 'echo'))
    throw new Error(`--bots=${bots.join(',')}: ansvar, echo`);
  return {
    register,
    turns: Number(value('turns') ?? 300),
    warmup: Number(value('warmup') ?? 3000),
    idleSec: Number(value('idle') ?? 5),
    connections: Number(value('connections') ?? 1),
    bots: bots as RatioBot[],
    keep: value('keep'),
    nodeOptions: (value('node-options') ?? '').split(' ').filter((o) => o !== ''),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Count {
  /** Instructions of every thread (the main thread, V8's compiler and collector helpers, libuv's pool). */
  all: number;
  /** The main thread's alone (JavaScript, the event loop and the collector's main-thread work). */
  main: number;
}

function callgrindControl(pid: number, action: string): void {
  const control = spawnSync('callgrind_control', [action, String(pid)], { encoding: 'utf8' });
  if (control.status !== 0) throw new Error(`callgrind_control ${action} ${pid}: ${control.stderr}`);
}

/**
 * Asks callgrind in `pid` for a dump and sums its instruction totals: one file per thread (`prefix.<n>-<thread>`,
 * thread 01 the main thread), written by the process itself once it next runs.
 */
async function dump(pid: number, prefix: string): Promise<Count> {
  const dir = path.dirname(prefix);
  const before = new Set(fs.readdirSync(dir));
  callgrindControl(pid, '--dump');
  let settledFiles = -1;
  for (let tries = 0; tries < 600; tries += 1) {
    await sleep(200);
    const fresh = fs.readdirSync(dir).filter((f) => !before.has(f) && f.startsWith(path.basename(prefix)));
    const totals = await Promise.all(
      fresh.map(async (file) => {
        const total = /^(?:totals|summary):\s+(\d+)/m.exec(await fsp.readFile(path.join(dir, file), 'utf8'));
        return total ? { main: file.endsWith('-01'), count: Number(total[1]) } : undefined;
      }),
    );
    // Every thread's file is complete and no new one appeared since the last look.
    if (fresh.length > 0 && totals.every((t) => t !== undefined) && fresh.length === settledFiles) {
      return {
        all: totals.reduce((sum, t) => sum + t!.count, 0),
        main: totals.find((t) => t!.main)?.count ?? 0,
      };
    }
    settledFiles = fresh.length;
  }
  throw new Error(`no callgrind dump from ${pid}`);
}

interface BotCost {
  bot: RatioBot;
  turns: number;
  seconds: number;
  instructions: Count;
  idlePerSec: Count;
  perTurn: Count;
  replyBytes: number;
}

async function measureBot(
  bot: RatioBot,
  options: Options,
  register: (dir: string) => Promise<Parameters<typeof buildQuestions>[0]>,
  connector: FakeConnector,
  outDir: string,
): Promise<BotCost> {
  const dataDir = await makeTempDir(`cost-${bot}`);
  const prefix = path.join(outDir, bot);
  try {
    const written = await register(dataDir);
    const questions: Question[] = buildQuestions(written, connector.serviceUrl);
    const byId = new Map(questions.map((q) => [q.activityId, q]));
    const server = await startServer(bot, dataDir, false, {
      nodeOptions: options.nodeOptions,
      // Counting only from the measured part on: the warm-up runs at valgrind's uninstrumented speed.
      wrapper: [
        'valgrind',
        '--tool=callgrind',
        '--instr-atstart=no',
        '--separate-threads=yes',
        `--callgrind-out-file=${prefix}.%p`,
      ],
      readyTimeoutMs: 600_000,
    });
    try {
      const cursor = { next: 0 };
      connector.reset();
      await drive(server.url, questions, options.connections, { requests: questions.length }, cursor);
      // The questions Ansvar answers with a choice of systems are left out, as localRatio.ts does.
      const unexpected = new Set(
        connector.activities.filter((r) => !expectedReply(bot, r, byId)).map((r) => String(r.replyToId)),
      );
      if (bot === 'echo' && unexpected.size > 0) throw new Error(`echo: ${unexpected.size} wrong replies`);
      const asked = questions.filter((q) => !unexpected.has(q.activityId));
      cursor.next = 0;
      await drive(server.url, asked, options.connections, { requests: options.warmup }, cursor);
      await sleep(500);

      callgrindControl(server.pid, '--instr=on');
      callgrindControl(server.pid, '--zero');
      const idleStart = performance.now();
      await sleep(options.idleSec * 1000);
      const idle = await dump(server.pid, `${prefix}.${server.pid}`);
      const idleSeconds = (performance.now() - idleStart) / 1000;

      connector.reset();
      callgrindControl(server.pid, '--zero');
      const started = performance.now();
      const load = await drive(server.url, asked, options.connections, { requests: options.turns }, cursor);
      const seconds = (performance.now() - started) / 1000;
      const instructions = await dump(server.pid, `${prefix}.${server.pid}`);
      const replies = connector.activities;
      const right = replies.filter((r) => expectedReply(bot, r, byId)).length;
      if (load.failed > 0 || right !== options.turns)
        throw new Error(`${bot}: ${load.failed} failed, ${right} of ${options.turns} replies as expected`);
      const replyBytes =
        replies.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / replies.length;
      return {
        bot,
        turns: options.turns,
        seconds,
        instructions,
        idlePerSec: { all: idle.all / idleSeconds, main: idle.main / idleSeconds },
        perTurn: {
          all: (instructions.all - (idle.all / idleSeconds) * seconds) / options.turns,
          main: (instructions.main - (idle.main / idleSeconds) * seconds) / options.turns,
        },
        replyBytes,
      };
    } finally {
      await stop(server);
    }
  } finally {
    await removeDir(dataDir);
    await fsp.rm(`${dataDir}.env`, { force: true });
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const outDir = options.keep ?? (await makeTempDir('callgrind'));
  await fsp.mkdir(outDir, { recursive: true });
  const unseen = options.register === 'unseen' ? twoOrganisations(400) : undefined;
  const register = async (dir: string) => {
    if (!unseen) return writeSampleRegister(dir);
    await writeRegister(dir, unseen);
    return unseen;
  };
  const connector = await startFakeConnector();
  try {
    const costs: BotCost[] = [];
    for (const bot of options.bots) {
      const cost = await measureBot(bot, options, register, connector, outDir);
      costs.push(cost);
      const m = (n: number) => (n / 1e6).toFixed(3);
      console.log(
        `${bot}: ${m(cost.perTurn.all)} M instructions per turn, main thread ${m(cost.perTurn.main)} M ` +
          `(raw ${m(cost.instructions.all / cost.turns)} / ${m(cost.instructions.main / cost.turns)} M; idle ` +
          `${m(cost.idlePerSec.all)} / ${m(cost.idlePerSec.main)} M/s over ${cost.seconds.toFixed(1)} s), ` +
          `reply ${Math.round(cost.replyBytes)} B`,
      );
    }
    const ansvar = costs.find((c) => c.bot === 'ansvar');
    const echo = costs.find((c) => c.bot === 'echo');
    if (ansvar && echo) {
      console.log(
        `echo ÷ ansvar instructions per turn: ${(echo.perTurn.all / ansvar.perTurn.all).toFixed(3)}, main ` +
          `thread ${(echo.perTurn.main / ansvar.perTurn.main).toFixed(3)} ` +
          `(${options.register} register, ${options.turns} turns, ${options.connections} connection(s))`,
      );
    }
    console.log(JSON.stringify({ options: { ...options, keep: undefined }, costs }));
  } finally {
    await connector.close();
    if (!options.keep) await removeDir(outDir);
  }
}

await main();
