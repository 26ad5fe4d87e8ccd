import type { ColdStartResult } from './coldStart.js';
import type { ListsBenchResult } from './lists.js';
import type { LocalRatioResult } from './localRatio.js';
import type { MemoryResult } from './memory.js';
import { QUERY_KINDS, type AnswerLatencyResult, type NameResolutionResult } from './nameResolution.js';
import type { RequestsBenchResult } from './requests.js';
import { round, table, type Summary } from './stats.js';
import type { ThroughputResult } from './throughput.js';

// How `npm run bench` prints its figures: the lines of each section and the rows of the summary.

/** INFO: a figure printed for context, with no target. */
export type Verdict = 'PASS' | 'FAIL' | 'INFO' | 'ERROR' | 'SKIPPED';

export interface SummaryRow {
  figure: string;
  value: string;
  target: string;
  verdict: Verdict;
}

export function out(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function heading(text: string): void {
  out();
  out(`== ${text}`);
}

export const ms = (value: number) => `${round(value, 3)} ms`;

export function summaryRow(s: Summary): string[] {
  return [String(s.count), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];
}

export function printNameResolution(result: NameResolutionResult, answers: AnswerLatencyResult): void {
  out(`register: ${result.systems} systems, ${result.aliases} aliases`);
  out(
    `index build: system index ${ms(result.systemIndexBuildMs)}; all question-path indexes ${ms(result.registerIndexesBuildMs)} (no target)`,
  );
  out();
  out('name resolution (system index lookups as whoOwns makes them), per query:');
  out(
    table(
      ['queries', 'count', 'p50', 'p90', 'p99', 'max', 'one system'],
      [
        ...QUERY_KINDS.map((kind) => {
          const s = result.byKind[kind];
          return [kind, ...summaryRow(s), `${s.resolvedOne}`];
        }),
        ['ALL', ...summaryRow(result.overall), ''],
      ],
    ),
  );
  out();
  out('whole answer in-process (ResponsibilityService.answer "vem äger <name>", no HTTP; no target):');
  out(
    table(
      ['queries', 'count', 'p50', 'p90', 'p99', 'max', 'answers'],
      [
        ...QUERY_KINDS.map((kind) => {
          const s = answers.byKind[kind];
          return [
            kind,
            ...summaryRow(s),
            Object.entries(s.answers)
              .map(([k, n]) => `${k} ${n}`)
              .join(', '),
          ];
        }),
        ['ALL', ...summaryRow(answers.overall), ''],
      ],
    ),
  );
}

export function printColdStart(label: string, result: ColdStartResult): void {
  out(
    `${label}: median ${ms(result.medianMs)}; runs ${result.runsMs.map((v) => Math.round(v)).join(', ')} ms; RSS when ready ${round(result.readyRssMb, 1)} MB`,
  );
}

export function printMemory(result: MemoryResult): void {
  out(`RSS when ready (indexes not built yet): ${round(result.ready.rssMb, 1)} MB`);
  out(
    `RSS after ${result.questions} "vem äger" questions (${result.answered} answered with a reply): ${round(result.afterQuestions.rssMb, 1)} MB; peak (VmHWM) ${round(result.afterQuestions.hwmMb, 1)} MB`,
  );
  out(
    `first question (builds the indexes) ${ms(result.firstAnswerMs)}; later questions median ${ms(result.laterAnswerMedianMs)}`,
  );
}

export function printThroughput(result: ThroughputResult): void {
  out(`questions rotated: ${result.questions.join(' | ')}`);
  out(
    table(
      ['round', 'bot', 'req/s (2xx)', 'p50', 'p99', '2xx', 'other', 'err+timeouts', 'replies', 'as expected'],
      result.bursts.map((b) => [
        String(b.round),
        b.bot,
        String(round(b.reqPerSec, 1)),
        `${b.latencyP50Ms} ms`,
        `${b.latencyP99Ms} ms`,
        String(b.responses2xx),
        Object.keys(b.otherStatuses).length > 0 ? JSON.stringify(b.otherStatuses) : '-',
        String(b.errors + b.timeouts),
        String(b.replies),
        String(b.expectedReplies),
      ]),
    ),
  );
  out(`per-round ratios: ${result.roundRatios.map((r) => round(r, 3)).join(', ')}`);
  out(
    `req/s over all bursts: ansvar ${round(result.ansvarReqPerSec, 1)}, echo ${round(result.echoReqPerSec, 1)} (ratio of totals ${round(result.ratioOfTotals, 3)}); median per-round ratio ${round(result.ratio, 3)}`,
  );
  for (const problem of result.problems) out(`PROBLEM: ${problem}`);
}

export function printRequests(result: RequestsBenchResult): void {
  out(
    `decisions ${result.mode === 'http' ? 'over HTTP (adaptiveCard/action invokes)' : "through the request engine in the server process (no approve verb yet; the store's compare-and-set and durable write, no HTTP)"}`,
  );
  out(
    `past requests: ${result.pastRequests} seeded (${ms(result.seedMs)}), ${result.archivedInStore} in the archive at start`,
  );
  out(
    `decision latency (${result.staleClicks} click(s) refused as stale and made again on the refreshed card):`,
  );
  out(table(['count', 'p50', 'p90', 'p99', 'max'], [summaryRow(result.decision)]));
  const e = result.eventLoop;
  out(
    `event-loop delay in the server at ${round(e.decisionsPerSec, 1)} decisions/s (${e.changed}/${e.decisions} changed): p50 ${ms(e.p50Ms)}, p99 ${ms(e.p99Ms)}, max ${ms(e.maxMs)}`,
  );
  const s = result.submissions;
  out(
    `submissions: ${round(s.perSec, 1)}/s over ${round(s.durationSec, 1)} s; ${s.acknowledged} acknowledged, ${s.failed} failed, ${s.foundAfterRestart} found in the store after the server stopped`,
  );
  for (const problem of result.problems) out(`PROBLEM: ${problem}`);
}

export function printLists(result: ListsBenchResult): void {
  out(
    `${result.organisations} organisations, each asked by an IT coordinator; "roles of" names the busiest role holder of each (up to ${result.rolesOf.maxRoles} current roles)`,
  );
  const row = (label: string, r: ListsBenchResult['noDeputy']) => [
    label,
    ...summaryRow(r),
    `${Math.round(r.maxReplyBytes / 1024)} KB`,
    Object.entries(r.answers)
      .map(([k, n]) => `${k} ${n}`)
      .join(', '),
  ];
  out(
    table(
      ['question', 'count', 'p50', 'p90', 'p99', 'max', 'largest reply', 'answers'],
      [row('"system utan ersättare"', result.noDeputy), row('"vilka roller har NAME"', result.rolesOf)],
    ),
  );
  for (const problem of result.problems) out(`PROBLEM: ${problem}`);
}

export function printRatio(result: LocalRatioResult): void {
  out(
    `${result.label}: ${result.systems} systems, ${result.questions} questions (${result.dropped} left out: answered with a choice) by ${result.askers} people (${Object.entries(
      result.languages,
    )
      .map(([l, n]) => `${l} ${n}`)
      .join(', ')}); ${result.pinned ? 'servers on CPU 0, load on CPU 1' : 'not pinned (no taskset)'}`,
  );
  const rows = [result.many, result.one].map((f) => [
    String(f.connections),
    String(round(f.ratio, 3)),
    f.roundRatios.map((r) => round(r, 2)).join(' '),
    `${round(f.spread * 100, 1)}%`,
    `${round(f.ansvarReqPerSec, 0)} / ${round(f.echoReqPerSec, 0)}`,
    `${round(f.ansvarP50Ms, 2)} / ${round(f.echoP50Ms, 2)} ms`,
    `${round(f.ansvarP99Ms, 2)} / ${round(f.echoP99Ms, 2)} ms`,
  ]);
  out(table(['conn', 'ratio', 'round ratios', 'spread', 'req/s ansvar / echo', 'p50', 'p99'], rows));
  out(
    `RSS after load at ${result.many.connections} connections: ansvar ${round(result.rssMb.ansvar, 1)} MB (peak ${round(result.peakRssMb.ansvar, 1)}), echo ${round(result.rssMb.echo, 1)} MB (peak ${round(result.peakRssMb.echo, 1)})`,
  );
  const withCpu = result.bursts.filter((b) => b.connections === result.many.connections && b.cpu);
  if (withCpu.length > 0) {
    // Where each burst's time went (CPU from /proc): what a turn cost the loaded bot, what the idle bot took from the
    // same core meanwhile, and how busy the load generator's own core was.
    const line = (bot: 'ansvar' | 'echo') =>
      withCpu
        .filter((b) => b.bot === bot)
        .map(
          (b) =>
            `${round(b.cpu!.perAnswerMs, 2)} ms/answer, idle bot ${round(b.cpu!.idleBotMs, 0)} ms, load ${round(b.cpu!.loadGeneratorShare * 100, 0)}%` +
            (b.cpu!.serverCpuStealShare === undefined
              ? ''
              : `, steal ${round(b.cpu!.serverCpuStealShare * 100, 0)}%`),
        )
        .join('; ');
    out(`CPU per ${result.many.connections}-connection burst (rounds in order), ansvar: ${line('ansvar')}`);
    out(`CPU per ${result.many.connections}-connection burst (rounds in order), echo: ${line('echo')}`);
  }
  for (const problem of result.problems) out(`PROBLEM: ${problem}`);
}
