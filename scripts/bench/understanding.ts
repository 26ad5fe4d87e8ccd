import fs from 'node:fs';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { MemoryRegisterStore } from '../../data/memory/memoryRegisterStore.js';
import type { Register } from '../../data/model.js';
import { readMessage } from '../../services/nlu/reader.js';
import { loadSampleRegister } from '../../services/register/importer.js';
import { buildRegisterIndexes, type RegisterIndexes } from '../../services/search/registerView.js';
import { buildQueries } from './nameResolution.js';
import { median, summarise, type Summary } from './stats.js';

/**
 * The understanding step alone (services/nlu/reader.ts: grammar, entities, cues, and the one fuzzy search a
 * reading may make): what a "who owns" turn spends before the answer is looked up, asked by someone of the
 * system's organisation. Each read is timed on its own with `process.hrtime.bigint()`.
 *
 * Method: WARMUP_PASSES over the messages (the JIT settles; each fuzzy search a message needs is made once and
 * then answered from the name index's cache, as a repeated question is), then TIMED_PASSES. The figure with the
 * target is the p99 of all timed reads. Printed with it: the p99 over messages of each message's median read
 * (what a message costs without the scheduler's and the collector's pauses, which land on random reads), the
 * garbage collections during the timed passes, and on the generated register the first read of another draw of
 * messages (their fuzzy search included; that search alone is the names section's figure).
 *
 * Messages: on the sample register, the development part of the paraphrase corpus (never the held-out part) and
 * the same phrasings as below; on a generated register, each generated name (exact, alias, folded, typo,
 * partial, elsewhere, garbage: nameResolution.ts) put into one of the phrasings people use, in the four languages.
 */

const WARMUP_PASSES = 2;
const TIMED_PASSES = 10;

/** `{}` is the system name. Word orders, role word forms, small talk, lists and remarks in four languages. */
const PHRASINGS = [
  'vem äger {}',
  '{}, vem är ägare?',
  'hej! kan du säga vem som är systemförvaltare för {} tack',
  'vem är ersättare för {} egentligen?',
  'kven er stadfortredar for {}?',
  '{} fagsystemeigaren',
  'hvem er systemansvarlig for {}',
  'systemeiere for {}',
  'who is the owner of {} please',
  "{} - who's the deputy?",
  'jag behöver behörighet till {}',
  'kan eg få tilgang til {}?',
  '{}',
  'fortell meg om {}',
  '{} var segt idag',
  'vilka system saknar ersättare?',
];

export interface UnderstandingResult {
  label: string;
  systems: number;
  messages: number;
  /** Every timed read of every pass. */
  overall: Summary;
  /** Each message's median read over the timed passes. */
  perMessage: Summary;
  /** Garbage collections during the timed passes: how many, and their total pause. */
  gc: { count: number; totalMs: number };
  /** The first read of messages never read before (generated register only). */
  firstRead?: Summary;
}

interface Ask {
  text: string;
  home?: string | undefined;
}

function reader(indexes: RegisterIndexes) {
  return (ask: Ask) =>
    readMessage(ask.text, indexes, ask.home === undefined ? {} : { homeOrganisationId: ask.home });
}

function timeOnce(read: (ask: Ask) => unknown, ask: Ask): number {
  const start = process.hrtime.bigint();
  read(ask);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function time(indexes: RegisterIndexes, asks: readonly Ask[], label: string) {
  const read = reader(indexes);
  for (let pass = 0; pass < WARMUP_PASSES; pass += 1) for (const ask of asks) read(ask);
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const times: number[] = [];
  const byMessage: number[][] = asks.map(() => []);
  for (let pass = 0; pass < TIMED_PASSES; pass += 1) {
    asks.forEach((ask, i) => {
      const ms = timeOnce(read, ask);
      times.push(ms);
      byMessage[i]!.push(ms);
    });
  }
  // GC entries are delivered asynchronously, after the turn that made them.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return {
    label,
    systems: indexes.systems.size,
    messages: asks.length,
    overall: summarise(times),
    perMessage: summarise(byMessage.map((reads) => median(reads))),
    gc: { count: pauses.length, totalMs: pauses.reduce((a, b) => a + b, 0) },
  };
}

/** On a generated register: every generated name in each phrasing. */
export async function measureUnderstanding(register: Register, perKind = 60): Promise<UnderstandingResult> {
  const indexes = buildRegisterIndexes(register);
  const phrased = (seed: number): Ask[] =>
    buildQueries(register, perKind, seed).map((query, i) => ({
      text: PHRASINGS[i % PHRASINGS.length]!.replace('{}', query.text),
      home: query.preferOrganisationId,
    }));
  // First reads: after the JIT has warmed up on one draw of messages, another draw, each read once.
  const read = reader(indexes);
  for (let pass = 0; pass < WARMUP_PASSES; pass += 1) for (const ask of phrased(1)) read(ask);
  const firstRead = summarise(phrased(29).map((ask) => timeOnce(read, ask)));
  const asks = phrased(13);
  return { ...(await time(indexes, asks, `generated register, ${asks.length} messages`)), firstRead };
}

/** On data/sample: the development corpus and the phrasings with each sample system's name. */
export async function measureSampleUnderstanding(root: string): Promise<UnderstandingResult> {
  const store = new MemoryRegisterStore();
  await loadSampleRegister(store, path.join(root, 'data/sample'));
  const snapshot = await store.snapshot();
  const indexes = buildRegisterIndexes(snapshot);
  const homeOf = new Map(snapshot.people.map((p) => [p.email, p.organisationId]));
  const corpus = fs
    .readFileSync(path.join(root, 'test/services/nlu/corpus/development.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { text: string; asker: string })
    .map((item) => ({ text: item.text, home: homeOf.get(item.asker) }));
  const phrased = snapshot.systems.flatMap((system, i) => [
    { text: PHRASINGS[i % PHRASINGS.length]!.replace('{}', system.name), home: system.organisationId },
  ]);
  return time(
    indexes,
    [...corpus, ...phrased],
    `sample register, ${corpus.length + phrased.length} messages`,
  );
}
