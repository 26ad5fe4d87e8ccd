/**
 * Splits the paraphrase corpus into development.jsonl (about 60 %) and heldout.jsonl (about 40 %), stratified by
 * answer language and intent, with a seeded shuffle: the same items always give the same split.
 *
 * An item never changes part once it is in one: a held-out item that moved to development would have been seen, and a
 * development item that moved to held-out could have been tuned against. So only the new items (JSONL files named on
 * the command line) are split, among themselves, and added to the parts; both parts are rewritten sorted by id.
 * Run: npx tsx test/services/nlu/corpus/split.ts [--development] [new-items.jsonl ...]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEED = 20261207;
export const HELDOUT_SHARE = 0.4;

/**
 * The batches the corpus was split in, each by the last id number it took per language: the shape test splits each
 * batch again and checks that the parts are exactly that. Adding items: write them with the next ids, run this
 * script with them, and add their batch here.
 */
export const BATCHES: Record<string, number>[] = [
  { sv: 186, nn: 188, nb: 169, en: 176 },
  { sv: 203, nn: 198, nb: 177, en: 184 },
  { sv: 265, nn: 260, nb: 239, en: 246 },
  { sv: 285, nn: 278, nb: 257, en: 263 },
  { sv: 294, nn: 287, nb: 264, en: 270 },
  { sv: 313, nn: 305, nb: 282, en: 288 },
  { sv: 318, nn: 310, nb: 286, en: 293 },
  { sv: 324, nn: 315, nb: 290, en: 297 },
];

/**
 * Batches written into the development part only (indexes into BATCHES), never split: written by a helper who had
 * read the rules, to tune against, so none of them could measure anything in the held-out part. Added with
 * `--development`.
 */
export const DEVELOPMENT_ONLY = new Set<number>([5, 6, 7]);

/** The parts a batch's items belong in: the seeded split, or all in development for a development-only batch. */
export function partsOf(items: Item[], batch: number): { development: Item[]; heldout: Item[] } {
  return DEVELOPMENT_ONLY.has(batch) ? { development: [...items].sort(byId), heldout: [] } : split(items);
}

/** The index in BATCHES of the batch an id belongs to, or -1 when no batch holds it. */
export function batchOf(id: string): number {
  const [lang, number] = id.split('-');
  return BATCHES.findIndex((batch) => Number(number) <= (batch[lang ?? ''] ?? -1));
}

const here = dirname(fileURLToPath(import.meta.url));
const DEVELOPMENT = join(here, 'development.jsonl');
const HELDOUT = join(here, 'heldout.jsonl');

interface Item {
  id: string;
  lang: string;
  expect: { intent: string };
}

/** mulberry32: a small, well-known seeded generator; its numbers are the same on every platform. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readItems(path: string): Item[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Item);
}

const byId = (a: Item, b: Item) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The split itself: pure, so the shape test can check that the files on disk are what it gives. */
export function split(items: Item[], seed = SEED): { development: Item[]; heldout: Item[] } {
  const strata = new Map<string, Item[]>();
  for (const item of [...items].sort(byId)) {
    const key = `${item.lang}/${item.expect.intent}`;
    strata.set(key, [...(strata.get(key) ?? []), item]);
  }
  const random = mulberry32(seed);
  const development: Item[] = [];
  const heldout: Item[] = [];
  for (const key of [...strata.keys()].sort()) {
    const stratum = strata.get(key) ?? [];
    for (let i = stratum.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [stratum[i], stratum[j]] = [stratum[j] as Item, stratum[i] as Item];
    }
    const held = stratum.length < 2 ? 0 : Math.max(1, Math.round(stratum.length * HELDOUT_SHARE));
    heldout.push(...stratum.slice(0, held));
    development.push(...stratum.slice(held));
  }
  return { development: development.sort(byId), heldout: heldout.sort(byId) };
}

function main(): void {
  const development = readItems(DEVELOPMENT);
  const heldout = readItems(HELDOUT);
  const fresh = process.argv
    .slice(2)
    .filter((arg) => !arg.startsWith('--'))
    .flatMap(readItems);
  const seen = new Set<string>();
  for (const item of [...development, ...heldout, ...fresh]) {
    if (seen.has(item.id)) throw new Error(`id ${item.id} occurs twice`);
    seen.add(item.id);
  }
  const parts = process.argv.includes('--development') ? { development: fresh, heldout: [] } : split(fresh);
  const write = (path: string, part: Item[]) =>
    writeFileSync(path, part.map((item) => JSON.stringify(item)).join('\n') + '\n');
  write(DEVELOPMENT, [...development, ...parts.development].sort(byId));
  write(HELDOUT, [...heldout, ...parts.heldout].sort(byId));
  console.log(`new: ${parts.development.length} to development, ${parts.heldout.length} to heldout`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
