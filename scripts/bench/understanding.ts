import fs from 'node:fs';
import path from 'node:path';
import { MemoryRegisterStore } from '../../data/memoryRegisterStore.js';
import type { Register } from '../../data/model.js';
import { readMessage } from '../../services/nlu/reader.js';
import { loadSampleRegister } from '../../services/register/importer.js';
import { buildRegisterIndexes, type RegisterIndexes } from '../../services/search/registerView.js';
import { buildQueries } from './nameResolution.js';
import { summarise, type Summary } from './stats.js';

/**
 * The understanding step alone (services/nlu/reader.ts: grammar, entities, cues, and the one fuzzy search a
 * reading may make): what a "who owns" turn spends before the answer is looked up. Each message timed on its own
 * with `process.hrtime.bigint()` after a warm-up pass, asked by someone of the system's organisation.
 *
 * Messages: on the sample register, the development part of the paraphrase corpus (never the held-out part) and
 * the same phrasings as below; on a generated register, each generated name (exact, alias, folded, typo,
 * partial, elsewhere, garbage: nameResolution.ts) put into one of the phrasings people use, in the four languages.
 */

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
  overall: Summary;
}

function time(indexes: RegisterIndexes, asks: readonly { text: string; home?: string }[], label: string) {
  const read = (ask: { text: string; home?: string }) =>
    readMessage(ask.text, indexes, ask.home === undefined ? {} : { homeOrganisationId: ask.home });
  for (const ask of asks) read(ask);
  const times: number[] = [];
  for (const ask of asks) {
    const start = process.hrtime.bigint();
    read(ask);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { label, systems: indexes.systems.size, messages: asks.length, overall: summarise(times) };
}

/** On a generated register: every generated name in each phrasing. */
export function measureUnderstanding(register: Register, perKind = 60): UnderstandingResult {
  const indexes = buildRegisterIndexes(register);
  const asks = buildQueries(register, perKind, 13).flatMap((query, i) => {
    const phrasing = PHRASINGS[i % PHRASINGS.length]!;
    return [{ text: phrasing.replace('{}', query.text), home: query.preferOrganisationId }];
  });
  return time(indexes, asks, `generated register, ${asks.length} messages`);
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
