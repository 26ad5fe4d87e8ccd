import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { BATCHES, batchOf, partsOf } from './corpus/split.js';

/**
 * The paraphrase corpus (test/services/nlu/corpus/*.jsonl) has the shape CORPUS.md gives, and every expectation in it
 * names things that exist in the sample register (data/sample), so a wrong answer is the bot's fault, never the
 * corpus's. This test reads no grammar: it checks the corpus against the register only.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const corpusDir = join(root, 'test', 'services', 'nlu', 'corpus');

type Row = Record<string, string>;
const csv = (name: string): Row[] =>
  parse(readFileSync(join(root, 'data', 'sample', name), 'utf8'), { columns: true, skip_empty_lines: true });
const cells = (value: string | undefined) =>
  (value ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');

const organisations = csv('organisations.csv');
const people = csv('people.csv');
const systems = csv('systems.csv');
const roles = csv('roles.csv');

const orgNames = new Set(organisations.map((row) => row.organisation));
const personByEmail = new Map(people.map((row) => [row.email, row]));
const personNames = new Set(people.map((row) => row.name));

/** The inter-municipal IT service whose systems its member municipalities' people use as well (data/sample/README.md). */
const SERVICE_OF: Record<string, string> = {
  'Fjordvik kommune': 'IKT Vestfjord',
  'Breidal kommune': 'IKT Vestfjord',
  'Nesøy kommune': 'IKT Vestfjord',
};

const unitsOf = (organisation: string) =>
  new Set([
    ...systems.filter((row) => row.organisation === organisation).map((row) => row.unit),
    ...people.filter((row) => row.organisation === organisation).map((row) => row.department),
    ...roles.filter((row) => row.organisation === organisation).flatMap((row) => cells(row.units)),
  ]);

const systemsIn = (organisation: string) => systems.filter((row) => row.organisation === organisation);
/** The systems an asker can mean without naming an organisation: their own organisation's and its IT service's. */
const visibleSystems = (organisation: string) => [
  ...systemsIn(organisation),
  ...(SERVICE_OF[organisation] ? systemsIn(SERVICE_OF[organisation]) : []),
];

const catalogueIds = new Set(
  ['default.json', 'storsjo-kommun.json', 'ikt-vestfjord.json'].flatMap((file) =>
    (
      JSON.parse(readFileSync(join(root, 'data', 'catalogues', file), 'utf8')) as { types: { id: string }[] }
    ).types.map((type) => type.id),
  ),
);

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2);

/** The words of a name, and each run of two or three of them written together ("Time Care" → "timecare"). */
const nameWords = (text: string) => {
  const single = words(text);
  const joined = single.flatMap((_, i) =>
    [2, 3].flatMap((n) => (i + n <= single.length ? [single.slice(i, i + n).join('')] : [])),
  );
  return [...single, ...joined];
};

const LANGS = ['sv', 'nn', 'nb', 'en'] as const;
const INTENTS = [
  'whoOwns',
  'choose',
  'organisationRole',
  'rolesOf',
  'requestAccess',
  'requestEquipment',
  'inventory',
  'systemList',
  'openRequests',
  'myRequests',
  'awaitingMe',
  'hygieneCheck',
  'care',
  'help',
  'greeting',
  'unknown',
] as const;
const name = z.string().min(1);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const systemRole = z.enum(['owner', 'administrator', 'deputy', 'super_user']);
const organisationRole = z.enum([
  'it_coordinator',
  'it_orderer',
  'security_officer',
  'data_protection_officer',
  'it_manager',
  'it_unit',
]);

const expectSchema = z.union([
  z.strictObject({
    intent: z.literal('whoOwns'),
    system: name,
    focus: z.enum(['owner', 'administrator', 'deputy', 'super_user', 'access', 'supplier', 'all']),
    organisation: name.optional(),
    at: date.optional(),
  }),
  z.strictObject({ intent: z.literal('choose'), systems: z.array(name).min(2) }),
  z.strictObject({
    intent: z.literal('organisationRole'),
    role: organisationRole,
    unit: name.optional(),
    organisation: name.optional(),
  }),
  z.union([
    z.strictObject({ intent: z.literal('rolesOf'), self: z.literal(true) }),
    z.strictObject({ intent: z.literal('rolesOf'), person: name }),
  ]),
  z.strictObject({
    intent: z.literal('requestAccess'),
    change: z.enum(['new', 'change', 'stop']),
    system: name,
    subject: name.optional(),
  }),
  z.strictObject({
    intent: z.literal('requestEquipment'),
    item: name.optional(),
    quantity: z.number().int().positive().optional(),
  }),
  z.union([
    z.strictObject({ intent: z.literal('inventory'), scope: z.literal('mine') }),
    z.strictObject({ intent: z.literal('inventory'), scope: z.literal('unit'), unit: name }),
  ]),
  z.strictObject({
    intent: z.literal('systemList'),
    list: z.enum(['all', 'noDeputy', 'noOwner', 'noAdministrator', 'noSuperUser']),
    unit: name.optional(),
  }),
  z.strictObject({
    intent: z.literal('openRequests'),
    olderThanDays: z.number().int().positive().optional(),
  }),
  z.strictObject({ intent: z.literal('myRequests') }),
  z.strictObject({ intent: z.literal('awaitingMe') }),
  z.strictObject({ intent: z.literal('hygieneCheck') }),
  z.union([
    z.strictObject({ intent: z.literal('care'), action: z.literal('addSystem'), name }),
    z.strictObject({
      intent: z.literal('care'),
      action: z.enum(['editSystem', 'confirmSystem']),
      system: name,
    }),
    z.strictObject({
      intent: z.literal('care'),
      action: z.enum(['assignRole', 'endRole']),
      person: name,
      role: systemRole,
      system: name,
    }),
    z.strictObject({
      intent: z.literal('care'),
      action: z.literal('assignOrganisationRole'),
      person: name,
      role: organisationRole,
    }),
    z.strictObject({ intent: z.literal('care'), action: z.literal('handover'), from: name, to: name }),
  ]),
  z.strictObject({ intent: z.literal('help') }),
  z.strictObject({ intent: z.literal('greeting') }),
  z.strictObject({ intent: z.literal('unknown') }),
]);

const itemSchema = z.strictObject({
  id: z.string().regex(/^(sv|nn|nb|en)-\d{3,}$/),
  text: z.string().min(1),
  asker: z.string().min(1),
  locale: z
    .string()
    .regex(/^[a-z]{2}-[A-Z]{2}$/)
    .optional(),
  before: z.array(z.string().min(1)).min(1).optional(),
  lang: z.enum(LANGS),
  expect: expectSchema,
});
type Item = z.infer<typeof itemSchema>;

function readPart(file: string): unknown[] {
  return readFileSync(join(corpusDir, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (error) {
        throw new Error(`${file} line ${index + 1} is not JSON: ${(error as Error).message}`, {
          cause: error,
        });
      }
    });
}

const raw = { development: readPart('development.jsonl'), heldout: readPart('heldout.jsonl') };

/** The items of a part that match the schema, and a line for each that does not. */
function parsed(part: unknown[]): { items: Item[]; invalid: string[] } {
  const items: Item[] = [];
  const invalid: string[] = [];
  for (const value of part) {
    const result = itemSchema.safeParse(value);
    if (result.success) items.push(result.data);
    else {
      const id = (value as { id?: unknown }).id ?? JSON.stringify(value).slice(0, 80);
      const intent = (value as { expect?: { intent?: unknown } }).expect?.intent;
      invalid.push(`${String(id)} (intent ${String(intent)}): ${z.prettifyError(result.error)}`);
    }
  }
  return { items, invalid };
}

/** Checks one item's names against the register; returns the problems found (empty when the item is sound). */
function problems(item: Item): string[] {
  const found: string[] = [];
  const asker = personByEmail.get(item.asker);
  if (!asker) return [`asker ${item.asker} is not in people.csv`];
  const home = asker.organisation as string;
  const visible = visibleSystems(home);
  const isVisible = (system: string) => visible.some((row) => row.system === system);
  const needSystem = (system: string) => {
    if (!isVisible(system)) found.push(`system "${system}" is not one of ${home}'s (or its IT service's)`);
  };
  const needPerson = (person: string) => {
    if (!personNames.has(person)) found.push(`person "${person}" is not in people.csv`);
  };
  const needUnit = (unit: string, organisation = home) => {
    if (!unitsOf(organisation).has(unit)) found.push(`unit "${unit}" is not a unit of ${organisation}`);
  };
  if (!item.id.startsWith(`${item.lang}-`))
    found.push(`id ${item.id} does not start with its language ${item.lang}`);
  const e = item.expect;
  switch (e.intent) {
    case 'whoOwns':
      if (e.organisation) {
        if (!orgNames.has(e.organisation)) found.push(`organisation "${e.organisation}" is unknown`);
        else if (!systemsIn(e.organisation).some((row) => row.system === e.system))
          found.push(`"${e.system}" is not a system of ${e.organisation}`);
        if (systems.filter((row) => row.system === e.system).length < 2)
          found.push(
            `"${e.system}" exists in one organisation only, so naming the organisation adds nothing`,
          );
      } else needSystem(e.system);
      if (e.at && Number.isNaN(Date.parse(e.at))) found.push(`"${e.at}" is not a date`);
      break;
    case 'choose': {
      e.systems.forEach(needSystem);
      const wanted = new Set(e.systems);
      if (wanted.size !== e.systems.length) found.push('choose lists a system twice');
      // A word of the text that names exactly these systems (in their names or aliases) among those the asker sees;
      // words of a name written together ("timecare") count as the name's words.
      const shared = words(item.text).filter((word) => {
        const having = new Set(
          visible
            .filter((row) =>
              [row.system ?? '', ...cells(row.aliases)].some((name) => nameWords(name).includes(word)),
            )
            .map((row) => row.system as string),
        );
        return having.size === wanted.size && [...wanted].every((system) => having.has(system));
      });
      if (shared.length === 0) found.push(`no word of the text is shared by exactly ${e.systems.join(', ')}`);
      break;
    }
    case 'organisationRole': {
      const organisation = e.organisation ?? home;
      if (!orgNames.has(organisation)) found.push(`organisation "${organisation}" is unknown`);
      if (e.unit) needUnit(e.unit, organisation);
      if (!roles.some((row) => row.organisation === organisation && row.role === e.role))
        found.push(`${organisation} has nobody as ${e.role}`);
      break;
    }
    case 'rolesOf':
      if ('person' in e) needPerson(e.person);
      break;
    case 'requestAccess':
      needSystem(e.system);
      if (e.subject) needPerson(e.subject);
      break;
    case 'requestEquipment':
      if (e.item && !catalogueIds.has(e.item)) found.push(`item "${e.item}" is not a catalogue type`);
      break;
    case 'inventory':
      if (e.scope === 'unit') needUnit(e.unit);
      break;
    case 'systemList':
      if (e.unit) needUnit(e.unit);
      break;
    case 'care':
      if (e.action === 'addSystem') {
        if (systems.some((row) => row.system?.toLowerCase() === e.name.toLowerCase()))
          found.push(`"${e.name}" is already a system, so adding it is not a new system`);
      } else if (e.action === 'editSystem' || e.action === 'confirmSystem') needSystem(e.system);
      else if (e.action === 'assignRole' || e.action === 'endRole') {
        needPerson(e.person);
        needSystem(e.system);
      } else if (e.action === 'assignOrganisationRole') needPerson(e.person);
      else if (e.action === 'handover') {
        needPerson(e.from);
        needPerson(e.to);
      }
      break;
    default:
      break;
  }
  return found;
}

const normalised = (text: string) =>
  text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[?!.\s]+$/u, '');

describe('paraphrase corpus shape', () => {
  const parts = { development: parsed(raw.development), heldout: parsed(raw.heldout) };
  const development = parts.development.items;
  const heldout = parts.heldout.items;
  const all = [...development, ...heldout];

  it('every line of both parts matches the schema of CORPUS.md', () => {
    const invalid = [...parts.development.invalid, ...parts.heldout.invalid];
    assert.deepEqual(invalid, [], `items that do not match CORPUS.md:\n${invalid.join('\n')}`);
    assert.ok(development.length > 0, 'development.jsonl holds items');
    assert.ok(heldout.length > 0, 'heldout.jsonl holds items');
  });

  it('ids are unique across both parts', () => {
    const seen = new Map<string, number>();
    for (const item of all) seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
    const twice = [...seen].filter(([, count]) => count > 1).map(([id]) => id);
    assert.deepEqual(twice, [], `ids that occur more than once: ${twice.join(', ')}`);
  });

  it('no text occurs twice (ignoring case, spacing and final punctuation)', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const item of all) {
      const key = normalised(item.text);
      const first = seen.get(key);
      if (first) twice.push(`${first} and ${item.id}: "${item.text}"`);
      else seen.set(key, item.id);
    }
    assert.deepEqual(twice, [], `texts that occur twice: ${twice.join('; ')}`);
  });

  it('every asker, system, unit, person, organisation and catalogue item exists in the sample register', () => {
    const found = all.flatMap((item) => problems(item).map((problem) => `${item.id}: ${problem}`));
    assert.deepEqual(found, [], `items that do not fit the register:\n${found.join('\n')}`);
  });

  it('each language has at least 140 items and every intent', () => {
    for (const lang of LANGS) {
      const items = all.filter((item) => item.lang === lang);
      assert.ok(items.length >= 140, `${lang} has ${items.length} items, fewer than 140`);
      const missing = INTENTS.filter((intent) => !items.some((item) => item.expect.intent === intent));
      assert.deepEqual(missing, [], `${lang} lacks the intents ${missing.join(', ')}`);
    }
    assert.ok(all.length >= 660, `the corpus has ${all.length} items, fewer than 660`);
  });

  it('the held-out part is at least a third of the corpus, in each language too', () => {
    assert.ok(
      heldout.length * 3 >= all.length,
      `heldout has ${heldout.length} of ${all.length} items, less than a third`,
    );
    for (const lang of LANGS) {
      const held = heldout.filter((item) => item.lang === lang).length;
      const total = all.filter((item) => item.lang === lang).length;
      assert.ok(held * 3 >= total, `heldout has ${held} of ${total} ${lang} items, less than a third`);
    }
  });

  it('the parts are exactly the seeded split of split.ts, batch by batch', () => {
    const outside = all.filter((item) => batchOf(item.id) < 0).map((item) => item.id);
    assert.deepEqual(outside, [], `items in no batch of split.ts: ${outside.join(', ')}`);
    const again = BATCHES.map((_, index) =>
      partsOf(
        all.filter((item) => batchOf(item.id) === index),
        index,
      ),
    );
    const ids = (items: { id: string }[]) => items.map((item) => item.id).sort();
    assert.deepEqual(
      ids(heldout),
      ids(again.flatMap((part) => part.heldout)),
      'heldout.jsonl is not what split.ts gives for these items',
    );
    assert.deepEqual(
      ids(development),
      ids(again.flatMap((part) => part.development)),
      'development.jsonl is not what split.ts gives for these items',
    );
  });
});
