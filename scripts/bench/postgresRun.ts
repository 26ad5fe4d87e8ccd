import fs from 'node:fs';
import os from 'node:os';
import { logger } from '../../core/logger.js';
import { measureLocalRatio, sampleRegister, type LocalRatioOptions } from './localRatio.js';
import { ADMIN_URL, admin, measurePostgresDecisions } from './postgres.js';
import { heading, ms, out, type SummaryRow } from './report.js';
import { serverEntry } from './serverProcess.js';
import { round, table } from './stats.js';

const PG_TARGETS = { decisionsPerSec: 1000, decisionP99Ms: 25 };

/** The local ratio's load (scripts/bench/localRatio.ts), shorter: both stores are measured in the same run. */
const WHO_OWNS: LocalRatioOptions = {
  rounds: 4,
  burstSec: 3,
  singleRounds: 2,
  singleBurstSec: 2,
  connections: 10,
  warmupSec: 2,
  warmupTurns: 4000,
};

/**
 * "Who owns" with the register in PostgreSQL (the sample register, loaded into a fresh database at the first start)
 * against the same on the embedded store, each as a ratio to the echo bot: answers come from memory on both stores.
 */
async function whoOwnsOnBothStores(): Promise<{ postgres: number; embedded: number }> {
  const name = `ansvar_bench_ratio_${process.pid}_${Date.now()}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await admin(`CREATE DATABASE ${name}`);
  try {
    const onPostgres = await measureLocalRatio(sampleRegister, WHO_OWNS, {
      DATABASE_URL: url.toString(),
      ANSVAR_SAMPLE_ON_EMPTY: 'true',
    });
    const onEmbedded = await measureLocalRatio(sampleRegister, WHO_OWNS);
    for (const [label, result] of [
      ['PostgreSQL', onPostgres],
      ['embedded', onEmbedded],
    ] as const) {
      if (result.problems.length > 0) throw new Error(`${label}: ${result.problems.join('; ')}`);
      out(
        `register from ${label}: ratio ${round(result.many.ratio, 3)} at ${result.many.connections} connections ` +
          `(rounds ${result.many.roundRatios.map((r) => round(r, 2)).join(' ')}; ${round(result.many.ansvarReqPerSec, 0)} / ${round(result.many.echoReqPerSec, 0)} req/s), ` +
          `${round(result.one.ratio, 3)} at one`,
      );
    }
    return { postgres: onPostgres.many.ratio, embedded: onEmbedded.many.ratio };
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  }
}

/** `--store postgres`: decisions on two instances sharing one PostgreSQL database (scripts/bench/postgres.ts). */
export async function mainPostgres(): Promise<number> {
  process.noDeprecation = true;
  logger.level = 'warn';
  out(`Ansvar benchmark, --store postgres — ${new Date().toISOString()}`);
  out(
    `node ${process.version}, ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (!fs.existsSync(serverEntry())) {
    out(`ERROR: ${serverEntry()} is missing: run npm run build first`);
    return 1;
  }
  heading('Decisions on two instances, one PostgreSQL database (approve invokes over HTTP)');
  try {
    const result = await measurePostgresDecisions({ requests: 1000, concurrency: 16 });
    out(
      `${result.decisions} approves over ${result.instances} instances in ${round(result.seconds, 2)} s: ` +
        `${round(result.decisionsPerSec, 1)} decisions/s; latency p50 ${ms(result.latency.p50)}, p99 ${ms(result.latency.p99)}, max ${ms(result.latency.max)}; ` +
        `non-200 answers ${result.failed}; requests decided afterwards ${result.decided} of ${result.decisions}`,
    );
    const { during, settled } = result.perDecision;
    out(
      `Per decision, both instances to PostgreSQL (load-independent): ${during.roundTrips} round trips and ` +
        `${during.statements} statements while the approves ran; ${settled.roundTrips} round trips and ` +
        `${settled.statements} statements once delivery, audit flush and timer planning settled`,
    );
    const cpu = result.cpuMsPerDecision;
    if (cpu) {
      const total = cpu.instances.reduce((a, b) => a + b, 0) + cpu.postgres + cpu.loadGenerator;
      out(
        `CPU per decision while the approves ran (from /proc; grows under load, less than the timings): instances ${cpu.instances.map((c) => `${c} ms`).join(' + ')}, ` +
          `PostgreSQL ${cpu.postgres} ms, load generator and connector sink ${cpu.loadGenerator} ms; ` +
          `${round(total, 2)} ms in all, so this ${os.cpus().length}-core machine tops out near ` +
          `${Math.round((os.cpus().length * 1000) / total)} decisions/s with nothing else running`,
      );
    }
    const rows: SummaryRow[] = [
      {
        figure: 'decisions/s, two instances (total)',
        value: String(round(result.decisionsPerSec, 1)),
        target: `>= ${PG_TARGETS.decisionsPerSec}`,
        verdict: result.decisionsPerSec >= PG_TARGETS.decisionsPerSec ? 'PASS' : 'FAIL',
      },
      {
        figure: 'decision p99 (two instances)',
        value: ms(result.latency.p99),
        target: `< ${PG_TARGETS.decisionP99Ms} ms`,
        verdict: result.latency.p99 < PG_TARGETS.decisionP99Ms ? 'PASS' : 'FAIL',
      },
      {
        figure: 'every approve decided once',
        value: `${result.decided}/${result.decisions}, ${result.failed} failed`,
        target: 'all',
        verdict: result.decided === result.decisions && result.failed === 0 ? 'PASS' : 'FAIL',
      },
    ];
    heading(
      '"Who owns" with the register read from PostgreSQL, ratio to the echo bot, against the embedded store',
    );
    const whoOwns = await whoOwnsOnBothStores();
    rows.push({
      figure: '"who owns" ÷ echo, register from PostgreSQL vs embedded',
      value: `${round(whoOwns.postgres, 3)} vs ${round(whoOwns.embedded, 3)}`,
      target: 'the same (within 10%)',
      verdict: whoOwns.postgres >= whoOwns.embedded * 0.9 ? 'PASS' : 'FAIL',
    });
    heading('Summary');
    out(
      table(
        ['figure', 'value', 'target', 'result'],
        rows.map((r) => [r.figure, r.value, r.target, r.verdict]),
      ),
    );
    out();
    out(
      JSON.stringify({ bench: 'ansvar', store: 'postgres', at: new Date().toISOString(), figures: result }),
    );
    return 0;
  } catch (error) {
    out(`ERROR: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
