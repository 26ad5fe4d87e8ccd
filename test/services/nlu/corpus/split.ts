/**
 * Splits the paraphrase corpus into development.jsonl (about 60 %) and heldout.jsonl (about 40 %), stratified by
 * answer language and intent, with a seeded shuffle: the same items always give the same split.
 *
 * It reads the items of both parts plus any JSONL files named on the command line (new items), and rewrites both
 * parts sorted by id. Run: npx tsx test/services/nlu/corpus/split.ts [new-items.jsonl ...]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEED = 20261207;
export const HELDOUT_SHARE = 0.4;

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
  const items = [DEVELOPMENT, HELDOUT, ...process.argv.slice(2)].flatMap(readItems);
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) throw new Error(`id ${item.id} occurs twice`);
    seen.add(item.id);
  }
  const parts = split(items);
  const write = (path: string, part: Item[]) =>
    writeFileSync(path, part.map((item) => JSON.stringify(item)).join('\n') + '\n');
  write(DEVELOPMENT, parts.development);
  write(HELDOUT, parts.heldout);
  console.log(`development: ${parts.development.length}, heldout: ${parts.heldout.length}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
