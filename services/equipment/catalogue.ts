import { z } from 'zod';
import { LANGUAGES, type Language } from '../../data/model.js';
import { AnsvarError } from '../../core/errors.js';
import { readJsonDocuments } from '../../core/jsonDocuments.js';
import { normaliseKey, tokenize } from '../nlu/normalise.js';
import { slug } from '../register/ids.js';
import { NameIndex } from '../search/nameIndex.js';

/**
 * The equipment catalogue per organisation, as data (`data/catalogues/*.json`): the types people may order and,
 * optionally, standard models with an indicative price. Loaded and validated at start like the routing policies
 * (services/requests/policy.ts): a bad file stops the start with every problem named (AnsvarError 'InvalidConfig').
 *
 * One file is the default (`"default": true`), used for every organisation without its own file. An
 * organisation's file (`"organisationIds": [...]`) lays its types over the default's, by id: a type it names
 * replaces the default's `names` and `models` where it states them, a new type brings its own names in all four
 * languages, and the default's other types stay. Within one organisation's catalogue a name names one type only,
 * so matching never has to choose.
 */
export interface CatalogueModel {
  /** Slug, unique within its type. */
  id: string;
  name: string;
  /** Indicative unit price, excluding VAT. */
  price?: number;
  currency?: 'SEK' | 'NOK' | 'EUR';
}

export interface CatalogueType {
  /** Slug: "screen", "projector", "laptop". */
  id: string;
  /** The words people use for it per language; the first is the display name. */
  names: Record<Language, string[]>;
  models: CatalogueModel[];
}

export interface Catalogue {
  types: CatalogueType[];
}

export interface CatalogueSet {
  /** The catalogue for an organisation (its own file, else the default). */
  for(organisationId: string): Catalogue;
}

const slugId = z
  .string()
  .refine((id) => id.length > 0 && slug(id) === id, { message: 'must be a slug (a-z, 0-9 and "-")' });

const model = z
  .object({
    id: slugId,
    name: z.string().trim().min(1).max(100),
    price: z.number().positive().optional(),
    currency: z.enum(['SEK', 'NOK', 'EUR']).optional(),
  })
  .strict()
  .refine((m) => m.price === undefined || m.currency !== undefined, {
    message: 'a price needs its currency',
  });

const names = z
  .object(
    Object.fromEntries(LANGUAGES.map((l) => [l, z.array(z.string().trim().min(1).max(60)).min(1)])) as Record<
      Language,
      z.ZodArray<z.ZodString>
    >,
  )
  .strict();

const typeSpec = z
  .object({ id: slugId, names: names.optional(), models: z.array(model).optional() })
  .strict()
  .superRefine((type, context) => {
    const seen = new Set<string>();
    for (const [index, m] of (type.models ?? []).entries()) {
      if (seen.has(m.id))
        context.addIssue({
          code: 'custom',
          path: ['models', index, 'id'],
          message: `duplicate model id "${m.id}"`,
        });
      seen.add(m.id);
    }
  });

export const catalogueFileSchema = z
  .object({
    $comment: z.string().optional(),
    default: z.boolean().optional(),
    organisationIds: z.array(slugId).default([]),
    types: z.array(typeSpec),
  })
  .strict()
  .refine((c) => c.default === true || c.organisationIds.length > 0, {
    message: 'a catalogue names its organisationIds or is the default',
  })
  .superRefine((file, context) => {
    const seen = new Set<string>();
    for (const [index, type] of file.types.entries()) {
      if (seen.has(type.id))
        context.addIssue({
          code: 'custom',
          path: ['types', index, 'id'],
          message: `duplicate type id "${type.id}"`,
        });
      seen.add(type.id);
      if (file.default === true && type.names === undefined)
        context.addIssue({
          code: 'custom',
          path: ['types', index, 'names'],
          message: 'the default names its types',
        });
    }
  });
type CatalogueFile = z.output<typeof catalogueFileSchema>;
type TypeSpec = CatalogueFile['types'][number];

/** The default's types with an organisation's laid over them (see the module comment). */
function overlay(
  base: readonly CatalogueType[],
  own: readonly TypeSpec[],
  problems: string[],
  source: string,
) {
  const types = base.map((t) => ({ ...t }));
  for (const spec of own) {
    const index = types.findIndex((t) => t.id === spec.id);
    const inherited = types[index];
    if (!inherited && !spec.names) {
      problems.push(`${source}: type "${spec.id}" is not in the default catalogue, so it needs names`);
      continue;
    }
    const type: CatalogueType = {
      id: spec.id,
      names: spec.names ?? inherited!.names,
      models: spec.models ?? inherited?.models ?? [],
    };
    if (inherited) types[index] = type;
    else types.push(type);
  }
  return types;
}

/** Refuses a catalogue in which one name names two types. */
function checkNames(catalogue: Catalogue, source: string, problems: string[]): void {
  const owner = new Map<string, string>();
  for (const type of catalogue.types) {
    for (const name of LANGUAGES.flatMap((l) => type.names[l])) {
      const key = normaliseKey(name);
      const earlier = owner.get(key);
      if (earlier !== undefined && earlier !== type.id)
        problems.push(`${source}: the name "${name}" names both "${earlier}" and "${type.id}"`);
      owner.set(key, type.id);
    }
  }
}

function invalid(problems: readonly string[]): AnsvarError {
  return new AnsvarError('InvalidConfig', `equipment catalogues: ${problems.join('; ')}`, problems);
}

/** Catalogues from parsed JSON documents (a test's inline catalogue, or the files read by `loadCatalogues`). */
export function catalogueSetFrom(documents: readonly { source: string; data: unknown }[]): CatalogueSet {
  const problems: string[] = [];
  const files: { source: string; file: CatalogueFile }[] = [];
  for (const { source, data } of documents) {
    const parsed = catalogueFileSchema.safeParse(data);
    if (parsed.success) files.push({ source, file: parsed.data });
    else {
      for (const issue of parsed.error.issues) {
        problems.push(`${source}: ${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`);
      }
    }
  }
  if (problems.length > 0) throw invalid(problems);

  const defaults = files.filter((f) => f.file.default === true);
  for (const extra of defaults.slice(1)) {
    problems.push(`${extra.source}: a second default catalogue (first: ${defaults[0]!.source})`);
  }
  const fallback: Catalogue = {
    types: overlay([], defaults[0]?.file.types ?? [], problems, defaults[0]?.source ?? ''),
  };
  if (defaults[0]) checkNames(fallback, defaults[0].source, problems);
  const byOrganisation = new Map<string, { source: string; catalogue: Catalogue }>();
  for (const { source, file } of files) {
    if (file.organisationIds.length === 0) continue;
    const catalogue: Catalogue = { types: overlay(fallback.types, file.types, problems, source) };
    checkNames(catalogue, source, problems);
    for (const organisationId of file.organisationIds) {
      const earlier = byOrganisation.get(organisationId);
      if (earlier) problems.push(`${source}: ${organisationId} already has a catalogue in ${earlier.source}`);
      else byOrganisation.set(organisationId, { source, catalogue });
    }
  }
  if (problems.length > 0) throw invalid(problems);
  return { for: (organisationId) => byOrganisation.get(organisationId)?.catalogue ?? fallback };
}

/** Reads every `*.json` in `dir` (e.g. `<project>/data/catalogues`) as a catalogue file. */
export async function loadCatalogues(dir: string): Promise<CatalogueSet> {
  const { documents, problems } = await readJsonDocuments(dir);
  if (problems.length > 0) throw invalid(problems);
  return catalogueSetFrom(documents);
}

/**
 * Words around an item name that name no type: articles, "new", "some", prepositions and unit words
 * ("2 st skärmar"). Folded, as `tokenize` gives them.
 */
// prettier-ignore
const FILLER = new Set([
  'ny', 'nya', 'nytt', 'nye', 'new', 'en', 'ett', 'ein', 'eit', 'ei', 'a', 'an', 'the', 'till', 'til', 'for',
  'some', 'nagra', 'nagon', 'nagot', 'nokre', 'nokon', 'noko', 'noen', 'noe', 'st', 'stk', 'styck', 'stykk',
  'another', 'annan', 'anna', 'annen', 'extra', 'more', 'fler', 'fleire', 'flere',
]);

/** The fuzzy index of a catalogue's names, built on first use; a catalogue is immutable once loaded. */
const indexes = new WeakMap<Catalogue, NameIndex<CatalogueType>>();

function indexOf(catalogue: Catalogue): NameIndex<CatalogueType> {
  let index = indexes.get(catalogue);
  if (!index) {
    const allNames = (type: CatalogueType) => LANGUAGES.flatMap((l) => type.names[l]);
    index = new NameIndex(catalogue.types, {
      id: (type) => type.id,
      organisationId: () => undefined,
      exactKeys: allNames,
      fields: { names: { boost: 1, values: allNames } },
    });
    indexes.set(catalogue, index);
  }
  return index;
}

/**
 * The type the words name ("projektor", "ny PC", "a new screen"), in any of the four languages. Filler words and
 * numbers are dropped; then the whole rest, each two-word phrase and each word is looked up exactly (case and
 * diacritics folded), left to right, so "bärbar dator" is a laptop before "dator" is a PC. Only when nothing
 * matches exactly, a typo ("projecktor") is forgiven when the fuzzy search finds one clear type.
 */
export function matchItemType(catalogue: Catalogue, words: string): CatalogueType | undefined {
  const tokens = tokenize(words)
    .filter((t) => !FILLER.has(t.folded) && !/^\d+$/.test(t.folded))
    .map((t) => t.raw);
  if (tokens.length === 0) return undefined;
  const index = indexOf(catalogue);
  const phrases = [tokens.join(' ')];
  for (const length of [2, 1]) {
    for (let start = 0; start + length <= tokens.length; start += 1) {
      phrases.push(tokens.slice(start, start + length).join(' '));
    }
  }
  for (const phrase of phrases) {
    const exact = index.findExact(phrase);
    if (exact?.kind === 'one') return exact.hit.item;
  }
  const fuzzy = index.find(phrases[0]!);
  return fuzzy.kind === 'one' ? fuzzy.hit.item : undefined;
}

/** The type's display name in `language`. */
export function typeName(type: CatalogueType, language: Language): string {
  return type.names[language][0] ?? type.id;
}
