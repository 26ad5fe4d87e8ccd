import fs from 'node:fs';
import os from 'node:os';
import { logger } from '../../core/logger.js';
import { measureColdStart } from './coldStart.js';
import { makeTempDir, removeDir, writeRegister, writeSampleRegister } from './dataDir.js';
import { generateRegister, twoOrganisations } from './generateRegister.js';
import { measureLists } from './lists.js';
import { measureMemory } from './memory.js';
import { measureAnswers, measureNameResolution, QUERY_KINDS } from './nameResolution.js';
import { measureRequests } from './requests.js';
import { measureSampleUnderstanding, measureUnderstanding } from './understanding.js';
import { serverEntry } from './serverProcess.js';
import { round, table } from './stats.js';
import { measureThroughput } from './throughput.js';
import { measureTimers } from './timers.js';
import { generatedRegister, measureLocalRatio, sampleRegister, type RatioRegister } from './localRatio.js';
import { mainPostgres } from './postgresRun.js';
import {
  heading,
  ms,
  out,
  printColdStart,
  printLists,
  printMemory,
  printNameResolution,
  printRatio,
  printRequests,
  printThroughput,
  type SummaryRow,
  type Verdict,
} from './report.js';

/**
 * `npm run bench`: the product's figures, measured in one run on this machine, each against its target. A missed
 * target is printed as FAIL and still exits 0; a section that could not be measured prints ERROR and exits 1.
 * The last line of output is one JSON object with every figure.
 *
 * Options: `--only=ratio,names,understanding,throughput,memory,coldstart,requests,lists,timers` runs some sections only;
 * `--store postgres` measures decisions on two instances sharing one PostgreSQL database instead
 * (scripts/bench/postgres.ts). `ANSVAR_BENCH_HOST=agents` measures the Agents SDK host (ANSVAR_HOST) instead of
 * botbuilder's; the local-mode echo bot stays the botbuilder one.
 * Needs `npm run build` first (memory and cold start run `node dist/bot/server.js`).
 */

const SECTIONS = [
  'ratio',
  'throughput',
  'names',
  'understanding',
  'memory',
  'coldstart',
  'requests',
  'lists',
  'timers',
] as const;
type Section = (typeof SECTIONS)[number];

const LARGE = { systems: 10_000, aliases: 30_000 };
const TARGETS = {
  throughputRatio: 0.8,
  nameResolutionP99Ms: 1,
  understandingP99Ms: 0.3,
  rssMb: 250,
  coldStartMs: 1500,
  decisionP99Ms: 25,
  eventLoopDelayP99Ms: 20,
  listP99Ms: 20,
  timerTickP99Ms: 50,
  timerEventLoopMaxMs: 20,
};
const TIMERS = { pending: 100_000, duePerTick: 10, ticks: 50 };
const REQUESTS = {
  pastRequests: 100_000,
  latencyDecisions: 300,
  decisionsPerSec: 20,
  eventLoopSec: 6,
  submitSec: 5,
  submitConcurrency: 16,
};
/** Issue 17: local mode, no JWT, mixed languages and askers (scripts/bench/localRatio.ts). */
const RATIO = {
  rounds: 6,
  burstSec: 5,
  singleRounds: 4,
  singleBurstSec: 2,
  connections: 10,
  warmupSec: 3,
  warmupTurns: 6000,
  unseenSystems: 400,
};
const RATIO_TARGETS = { many: 0.85, one: 0.7, spread: 0.1, rssOverEchoMb: 50 };
const THROUGHPUT = { rounds: 8, burstSec: 2, warmupSec: 3, connections: 8 };
const COLD_START_RUNS = { sample: 5, large: 3 };
const MEMORY_QUESTIONS = 40;
/** Each organisation's two list questions are asked this many times. */
const LIST_ROUNDS = 10;

function selectedSections(argv: readonly string[]): Set<Section> {
  const only = argv.find((a) => a.startsWith('--only='));
  if (!only) return new Set(SECTIONS);
  const wanted = only.slice('--only='.length).split(',');
  const unknown = wanted.filter((w) => !(SECTIONS as readonly string[]).includes(w));
  if (unknown.length > 0)
    throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  return new Set(wanted as Section[]);
}

async function main(): Promise<number> {
  // autocannon reads process.binding('http_parser'), which Node flags as deprecated on every run.
  process.noDeprecation = true;
  logger.level = 'warn';
  const sections = selectedSections(process.argv.slice(2));
  const started = performance.now();
  const figures: Record<string, unknown> = {};
  const rows: SummaryRow[] = [];
  const errors: string[] = [];
  const fail = (section: Section, figure: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    errors.push(`${section}: ${message}`);
    out(`ERROR: ${message}`);
    rows.push({ figure, value: '-', target: '-', verdict: 'ERROR' });
  };
  const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'FAIL');

  out(`Ansvar benchmark — ${new Date().toISOString()}`);
  out(
    `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  out(
    'Figures are from this one run on this machine; other work on the machine moves them (ratios less so).',
  );

  const needsServer = sections.has('coldstart') || sections.has('memory') || sections.has('ratio');
  if (needsServer && !fs.existsSync(serverEntry()))
    throw new Error(`${serverEntry()} is missing: run npm run build first`);

  const needsLarge =
    sections.has('names') ||
    sections.has('understanding') ||
    sections.has('coldstart') ||
    sections.has('memory') ||
    sections.has('lists');
  const t = performance.now();
  const large = generateRegister(needsLarge ? LARGE : { systems: 0, aliases: 0 });
  const generateMs = performance.now() - t;
  if (needsLarge) {
    figures.register = {
      ...LARGE,
      organisations: large.organisations.length,
      people: large.people.length,
      roleAssignments: large.roleAssignments.length,
      generateMs: round(generateMs, 1),
    };
    out(
      `generated register: ${large.systems.length} systems, ${LARGE.aliases} aliases, ${large.organisations.length} organisations, ${large.people.length} people, ${large.roleAssignments.length} role assignments (${ms(generateMs)})`,
    );
  }

  const sampleDir = await makeTempDir('sample');
  const largeDir = await makeTempDir('large');
  try {
    if (sections.has('ratio')) {
      heading(
        `0. "Who owns" in local mode (no JWT), ratio to the echo bot, both as npm start runs them: ${RATIO.connections} connections (target ≥ ${RATIO_TARGETS.many}) and 1 (target ≥ ${RATIO_TARGETS.one}), round-to-round spread ≤ ${RATIO_TARGETS.spread * 100}%, RSS after load ≤ echo + ${RATIO_TARGETS.rssOverEchoMb} MB; ${RATIO.rounds} + ${RATIO.singleRounds} alternating rounds of ${RATIO.burstSec} / ${RATIO.singleBurstSec} s after ${RATIO.warmupTurns} turns + ${RATIO.warmupSec} s warm-up each`,
      );
      const registers: RatioRegister[] = [
        sampleRegister,
        generatedRegister(
          `unseen two-organisation register (${RATIO.unseenSystems} systems)`,
          twoOrganisations(RATIO.unseenSystems),
        ),
        generatedRegister(
          `generated two-organisation register (${LARGE.systems} systems)`,
          twoOrganisations(LARGE.systems),
        ),
      ];
      const ratios: Record<string, unknown>[] = [];
      for (const source of registers) {
        try {
          const result = await measureLocalRatio(source, RATIO);
          printRatio(result);
          const { many, one } = result;
          ratios.push({
            register: result.label,
            systems: result.systems,
            ratio: round(many.ratio, 3),
            roundRatios: many.roundRatios.map((r) => round(r, 3)),
            spread: round(many.spread, 3),
            reqPerSec: { ansvar: round(many.ansvarReqPerSec, 1), echo: round(many.echoReqPerSec, 1) },
            oneConnection: {
              ratio: round(one.ratio, 3),
              spread: round(one.spread, 3),
              p50Ms: { ansvar: round(one.ansvarP50Ms, 3), echo: round(one.echoP50Ms, 3) },
            },
            rssMb: { ansvar: round(result.rssMb.ansvar, 1), echo: round(result.rssMb.echo, 1) },
            problems: result.problems,
          });
          if (result.problems.length > 0)
            throw new Error(`the load was not all real work: ${result.problems.join('; ')}`);
          const rssOver = result.rssMb.ansvar - result.rssMb.echo;
          rows.push(
            {
              figure: `local "who owns" ÷ echo, ${many.connections} conn (${result.label})`,
              value: `${round(many.ratio, 3)} (spread ${round(many.spread * 100, 1)}%)`,
              target: `≥ ${RATIO_TARGETS.many}, spread ≤ ${RATIO_TARGETS.spread * 100}%`,
              verdict: verdict(many.ratio >= RATIO_TARGETS.many && many.spread <= RATIO_TARGETS.spread),
            },
            {
              figure: `local "who owns" ÷ echo, 1 conn (${result.label})`,
              value: `${round(one.ratio, 3)} (p50 ${round(one.ansvarP50Ms, 2)} / ${round(one.echoP50Ms, 2)} ms)`,
              target: `≥ ${RATIO_TARGETS.one}`,
              verdict: verdict(one.ratio >= RATIO_TARGETS.one),
            },
            {
              figure: `RSS after load, ansvar − echo (${result.label})`,
              value: `${round(rssOver, 1)} MB (${round(result.rssMb.ansvar, 1)} / ${round(result.rssMb.echo, 1)})`,
              target: `≤ ${RATIO_TARGETS.rssOverEchoMb} MB`,
              verdict: verdict(rssOver <= RATIO_TARGETS.rssOverEchoMb),
            },
          );
        } catch (error) {
          fail('ratio', `local "who owns" ratio (${source.label})`, error);
        }
      }
      figures.localRatio = ratios;
    }
    if (sections.has('throughput')) {
      heading(
        `1. "Who owns" throughput over HTTP with JWT auth, ratio to the echo bot (target ≥ ${TARGETS.throughputRatio}); ${THROUGHPUT.rounds} rounds of ${THROUGHPUT.burstSec} s bursts (A B, B A, ...) after ${THROUGHPUT.warmupSec} s warm-up each, ${THROUGHPUT.connections} connections`,
      );
      try {
        const result = await measureThroughput({ ...THROUGHPUT });
        printThroughput(result);
        figures.throughput = {
          ansvarReqPerSec: round(result.ansvarReqPerSec, 1),
          echoReqPerSec: round(result.echoReqPerSec, 1),
          ratio: round(result.ratio, 3),
          ratioOfTotals: round(result.ratioOfTotals, 3),
          roundRatios: result.roundRatios.map((r) => round(r, 3)),
          bursts: result.bursts.map((b) => ({
            round: b.round,
            bot: b.bot,
            reqPerSec: round(b.reqPerSec, 1),
            p99Ms: b.latencyP99Ms,
            replies: b.replies,
          })),
          problems: result.problems,
        };
        if (result.problems.length > 0)
          throw new Error(`the load was not all real work: ${result.problems.join('; ')}`);
        rows.push({
          figure: '"who owns" req/s ÷ echo req/s',
          value: `${round(result.ratio, 3)} (${round(result.ansvarReqPerSec, 1)} / ${round(result.echoReqPerSec, 1)} req/s)`,
          target: `≥ ${TARGETS.throughputRatio}`,
          verdict: verdict(result.ratio >= TARGETS.throughputRatio),
        });
      } catch (error) {
        fail('throughput', '"who owns" throughput ratio', error);
      }
    }
    if (sections.has('names')) {
      heading(
        `2. Name resolution over ${LARGE.systems} systems / ${LARGE.aliases} aliases (target p99 < ${TARGETS.nameResolutionP99Ms} ms)`,
      );
      try {
        const names = measureNameResolution(large);
        const answers = await measureAnswers(large);
        printNameResolution(names, answers);
        const p99 = names.overall.p99;
        figures.nameResolution = {
          p50Ms: round(names.overall.p50, 4),
          p90Ms: round(names.overall.p90, 4),
          p99Ms: round(p99, 4),
          maxMs: round(names.overall.max, 4),
          byKindP99Ms: Object.fromEntries(QUERY_KINDS.map((k) => [k, round(names.byKind[k].p99, 4)])),
          systemIndexBuildMs: round(names.systemIndexBuildMs, 1),
          registerIndexesBuildMs: round(names.registerIndexesBuildMs, 1),
          answerInProcess: { p50Ms: round(answers.overall.p50, 4), p99Ms: round(answers.overall.p99, 4) },
        };
        rows.push({
          figure: 'name resolution p99 (10k systems)',
          value: `${ms(p99)} (p50 ${ms(names.overall.p50)})`,
          target: `< ${TARGETS.nameResolutionP99Ms} ms`,
          verdict: verdict(p99 < TARGETS.nameResolutionP99Ms),
        });
        rows.push({
          figure: 'whole answer in-process p99 (10k systems)',
          value: `${ms(answers.overall.p99)} (p50 ${ms(answers.overall.p50)})`,
          target: 'none',
          verdict: 'INFO',
        });
        rows.push({
          figure: 'index build (10k systems)',
          value: ms(names.systemIndexBuildMs),
          target: 'none',
          verdict: 'INFO',
        });
      } catch (error) {
        fail('names', 'name resolution p99', error);
      }
    }

    if (sections.has('understanding')) {
      heading(
        `2b. Understanding a message (entities first, then intent) on the sample register and on ${LARGE.systems} systems (target p99 < ${TARGETS.understandingP99Ms} ms)`,
      );
      try {
        const sample = await measureSampleUnderstanding(process.cwd());
        const generated = await measureUnderstanding(large);
        figures.understanding = {};
        for (const [key, result] of [
          ['sample', sample],
          ['large', generated],
        ] as const) {
          out(
            `  ${result.label} (${result.systems} systems), ${result.overall.count} timed reads: p50 ${ms(result.overall.p50)}, p90 ${ms(result.overall.p90)}, p99 ${ms(result.overall.p99)}, max ${ms(result.overall.max)}`,
          );
          out(
            `    each message's median read: p50 ${ms(result.perMessage.p50)}, p99 ${ms(result.perMessage.p99)}, max ${ms(result.perMessage.max)}; ${result.gc.count} garbage collections (${ms(result.gc.totalMs)} in all)`,
          );
          if (result.firstRead)
            out(
              `    first read of new messages (fuzzy search included): p50 ${ms(result.firstRead.p50)}, p90 ${ms(result.firstRead.p90)}, p99 ${ms(result.firstRead.p99)}`,
            );
          (figures.understanding as Record<string, unknown>)[key] = {
            systems: result.systems,
            messages: result.messages,
            reads: result.overall.count,
            p50Ms: round(result.overall.p50, 4),
            p99Ms: round(result.overall.p99, 4),
            perMessageP99Ms: round(result.perMessage.p99, 4),
            gcCount: result.gc.count,
            ...(result.firstRead ? { firstReadP99Ms: round(result.firstRead.p99, 4) } : {}),
          };
        }
        rows.push({
          figure: 'understanding p99 (sample / 10k systems)',
          value: `${ms(sample.overall.p99)} / ${ms(generated.overall.p99)}`,
          target: `< ${TARGETS.understandingP99Ms} ms`,
          verdict: verdict(
            sample.overall.p99 < TARGETS.understandingP99Ms &&
              generated.overall.p99 < TARGETS.understandingP99Ms,
          ),
        });
      } catch (error) {
        fail('understanding', 'understanding p99', error);
      }
    }

    if (sections.has('coldstart') || sections.has('memory')) {
      await writeSampleRegister(sampleDir);
      await writeRegister(largeDir, large);
    }

    if (sections.has('memory')) {
      heading(
        `3. RSS of node dist/bot/server.js with the ${LARGE.systems}-system register (target < ${TARGETS.rssMb} MB)`,
      );
      try {
        const memory = await measureMemory(largeDir, large, MEMORY_QUESTIONS);
        printMemory(memory);
        const rss = memory.afterQuestions.rssMb;
        figures.memory = {
          readyRssMb: round(memory.ready.rssMb, 1),
          rssMb: round(rss, 1),
          peakRssMb: round(memory.afterQuestions.hwmMb, 1),
          questions: memory.questions,
          answered: memory.answered,
          firstAnswerMs: round(memory.firstAnswerMs, 1),
          laterAnswerMedianMs: round(memory.laterAnswerMedianMs, 2),
        };
        if (memory.answered !== memory.questions)
          throw new Error(`only ${memory.answered} of ${memory.questions} questions were answered`);
        rows.push({
          figure: 'RSS after questions (10k systems)',
          value: `${round(rss, 1)} MB (peak ${round(memory.afterQuestions.hwmMb, 1)} MB)`,
          target: `< ${TARGETS.rssMb} MB`,
          verdict: verdict(rss < TARGETS.rssMb),
        });
        rows.push({
          figure: 'first question after start (10k systems)',
          value: ms(memory.firstAnswerMs),
          target: 'none',
          verdict: 'INFO',
        });
      } catch (error) {
        fail('memory', 'RSS with the large register', error);
      }
    }

    if (sections.has('coldstart')) {
      heading(
        `4. Cold start to ready: spawn → first 200 from /healthz (target < ${TARGETS.coldStartMs} ms, sample register)`,
      );
      try {
        const sample = await measureColdStart(sampleDir, COLD_START_RUNS.sample);
        printColdStart(`sample register (${COLD_START_RUNS.sample} runs)`, sample);
        const big = await measureColdStart(largeDir, COLD_START_RUNS.large);
        printColdStart(`${LARGE.systems}-system register (${COLD_START_RUNS.large} runs; no target)`, big);
        out(
          "The target applies to the sample register. The large register's indexes are built on its first question (see 3).",
        );
        figures.coldStart = {
          sampleMedianMs: round(sample.medianMs, 1),
          sampleRunsMs: sample.runsMs.map((v) => round(v, 1)),
          largeMedianMs: round(big.medianMs, 1),
          largeRunsMs: big.runsMs.map((v) => round(v, 1)),
        };
        rows.push({
          figure: 'cold start to ready, sample (median)',
          value: ms(sample.medianMs),
          target: `< ${TARGETS.coldStartMs} ms`,
          verdict: verdict(sample.medianMs < TARGETS.coldStartMs),
        });
        rows.push({
          figure: `cold start to ready, ${LARGE.systems} systems (median)`,
          value: ms(big.medianMs),
          target: 'none',
          verdict: 'INFO',
        });
      } catch (error) {
        fail('coldstart', 'cold start to ready', error);
      }
    }
    if (sections.has('requests')) {
      heading(
        `5. Access requests with ${REQUESTS.pastRequests} past requests in the embedded store: decision latency (target p99 < ${TARGETS.decisionP99Ms} ms), event-loop delay at ${REQUESTS.decisionsPerSec} decisions/s (target p99 < ${TARGETS.eventLoopDelayP99Ms} ms), submissions/s with none lost`,
      );
      const requestsDir = await makeTempDir('requests');
      try {
        const result = await measureRequests({ dataDir: requestsDir, ...REQUESTS });
        printRequests(result);
        figures.requests = {
          mode: result.mode,
          pastRequests: result.pastRequests,
          seedMs: round(result.seedMs, 1),
          decisionP50Ms: round(result.decision.p50, 3),
          decisionP99Ms: round(result.decision.p99, 3),
          eventLoopDelayP99Ms: round(result.eventLoop.p99Ms, 3),
          decisionsPerSec: round(result.eventLoop.decisionsPerSec, 1),
          submissionsPerSec: round(result.submissions.perSec, 1),
          submissionsAcknowledged: result.submissions.acknowledged,
          submissionsFound: result.submissions.foundAfterRestart,
          problems: result.problems,
        };
        if (result.problems.length > 0) throw new Error(`requests: ${result.problems.join('; ')}`);
        const via = result.mode === 'http' ? 'HTTP invoke' : 'engine, no HTTP';
        rows.push({
          figure: `decision latency p99 (${via}, 100k past)`,
          value: `${ms(result.decision.p99)} (p50 ${ms(result.decision.p50)})`,
          target: `< ${TARGETS.decisionP99Ms} ms`,
          verdict: verdict(result.decision.p99 < TARGETS.decisionP99Ms),
        });
        rows.push({
          figure: `event-loop delay p99 at ${REQUESTS.decisionsPerSec} decisions/s`,
          value: ms(result.eventLoop.p99Ms),
          target: `< ${TARGETS.eventLoopDelayP99Ms} ms`,
          verdict: verdict(result.eventLoop.p99Ms < TARGETS.eventLoopDelayP99Ms),
        });
        rows.push({
          figure: 'request submissions/s, none lost',
          value: `${round(result.submissions.perSec, 1)}/s (${result.submissions.foundAfterRestart}/${result.submissions.acknowledged} kept)`,
          target: 'none lost',
          verdict: verdict(result.submissions.foundAfterRestart === result.submissions.acknowledged),
        });
      } catch (error) {
        fail('requests', 'access requests', error);
      } finally {
        await removeDir(requestsDir);
      }
    }
    if (sections.has('lists')) {
      heading(
        `6. Coordinators' lists over ${LARGE.systems} systems, in-process with the card rendered (target p99 < ${TARGETS.listP99Ms} ms each)`,
      );
      try {
        const result = await measureLists(large, { rounds: LIST_ROUNDS });
        printLists(result);
        figures.lists = {
          noDeputyP50Ms: round(result.noDeputy.p50, 3),
          noDeputyP99Ms: round(result.noDeputy.p99, 3),
          rolesOfP50Ms: round(result.rolesOf.p50, 3),
          rolesOfP99Ms: round(result.rolesOf.p99, 3),
          rolesOfMaxRoles: result.rolesOf.maxRoles,
          problems: result.problems,
        };
        if (result.problems.length > 0) throw new Error(`lists: ${result.problems.join('; ')}`);
        for (const [figure, r] of [
          ['"systems without a deputy" p99 (10k systems)', result.noDeputy],
          ['"roles of NAME" p99 (10k systems)', result.rolesOf],
        ] as const) {
          rows.push({
            figure,
            value: `${ms(r.p99)} (p50 ${ms(r.p50)})`,
            target: `< ${TARGETS.listP99Ms} ms`,
            verdict: verdict(r.p99 < TARGETS.listP99Ms),
          });
        }
      } catch (error) {
        fail('lists', "coordinators' lists p99", error);
      }
    }
    if (sections.has('timers')) {
      heading(
        `7. Scheduler tick with ${TIMERS.pending} pending timers in the embedded store, ${TIMERS.duePerTick} due per tick (target p99 < ${TARGETS.timerTickP99Ms} ms, no event-loop stall > ${TARGETS.timerEventLoopMaxMs} ms)`,
      );
      const timersDir = await makeTempDir('timers');
      try {
        const result = await measureTimers({ dataDir: timersDir, ...TIMERS });
        out(
          table(
            ['figure', 'p50', 'p99', 'max'],
            [
              [
                `tick, ${TIMERS.duePerTick} due`,
                ms(result.tick.p50),
                ms(result.tick.p99),
                ms(result.tick.max),
              ],
              [
                'tick, nothing due',
                ms(result.idleTick.p50),
                ms(result.idleTick.p99),
                ms(result.idleTick.max),
              ],
            ],
          ),
        );
        out(
          `seeding ${result.pending} timers: ${ms(result.seedMs)}; event-loop delay max ${ms(result.eventLoopMaxMs)}`,
        );
        figures.timers = {
          pending: result.pending,
          seedMs: round(result.seedMs, 1),
          tickP50Ms: round(result.tick.p50, 3),
          tickP99Ms: round(result.tick.p99, 3),
          idleTickP99Ms: round(result.idleTick.p99, 3),
          eventLoopMaxMs: round(result.eventLoopMaxMs, 3),
          problems: result.problems,
        };
        if (result.problems.length > 0) throw new Error(`timers: ${result.problems.join('; ')}`);
        rows.push({
          figure: `scheduler tick p99 (${TIMERS.pending / 1000}k pending, ${TIMERS.duePerTick} due)`,
          value: `${ms(result.tick.p99)} (p50 ${ms(result.tick.p50)})`,
          target: `< ${TARGETS.timerTickP99Ms} ms`,
          verdict: verdict(result.tick.p99 < TARGETS.timerTickP99Ms),
        });
        rows.push({
          figure: 'event-loop delay max during ticks',
          value: ms(result.eventLoopMaxMs),
          target: `< ${TARGETS.timerEventLoopMaxMs} ms`,
          verdict: verdict(result.eventLoopMaxMs < TARGETS.timerEventLoopMaxMs),
        });
      } catch (error) {
        fail('timers', 'scheduler tick', error);
      } finally {
        await removeDir(timersDir);
      }
    }
  } finally {
    await removeDir(sampleDir);
    await removeDir(largeDir);
  }

  for (const section of SECTIONS) {
    if (!sections.has(section)) rows.push({ figure: section, value: '-', target: '-', verdict: 'SKIPPED' });
  }
  const elapsedSec = (performance.now() - started) / 1000;
  heading(
    `Summary (${round(elapsedSec, 1)} s; load average now ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  out(
    table(
      ['figure', 'value', 'target', 'result'],
      rows.map((r) => [r.figure, r.value, r.target, r.verdict]),
    ),
  );
  const missed = rows.filter((r) => r.verdict === 'FAIL').length;
  if (missed > 0) out(`\n${missed} target(s) MISSED (see FAIL above).`);
  out();
  out(
    JSON.stringify({
      bench: 'ansvar',
      at: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map((l) => round(l, 2)),
      elapsedSec: round(elapsedSec, 1),
      results: rows.map((r) => ({ figure: r.figure, value: r.value, target: r.target, result: r.verdict })),
      figures,
      errors,
    }),
  );
  return errors.length > 0 ? 1 : 0;
}

const storeArg = process.argv
  .slice(2)
  .find((a, i, all) => a.startsWith('--store=') || all[i - 1] === '--store');
const store = storeArg?.startsWith('--store=') ? storeArg.slice('--store='.length) : storeArg;

(store === 'postgres' ? mainPostgres() : main()).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
