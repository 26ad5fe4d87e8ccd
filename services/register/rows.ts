import { z } from 'zod';
import type { Language, Lifecycle, OrganisationRole } from '../../data/model.js';
import type { FileKind } from './headers.js';
import { personId } from './ids.js';
import type { ImportProblem, Location } from './problems.js';
import type { RawTable } from './readFiles.js';
import {
  booleanFor,
  languageFor,
  lifecycleFor,
  organisationRoleFor,
  systemRoleFor,
  unknownRoleMessage,
} from './vocabulary.js';

/**
 * Row validation: cell text → typed rows, with zod. Three states per optional field, which the merge relies on:
 * `undefined` = the column is absent (keep what the register has), `null` = the cell is empty (clear it), a value =
 * set it. Whether a named person or organisation exists is decided later, against the whole file set and the store.
 */

export interface OrganisationRow {
  at: Location;
  name: string;
  language: Language;
  tenantId?: string | null;
}

export interface PersonRow {
  at: Location;
  /** Lower-cased. */
  email: string;
  name: string;
  title?: string | null;
  department?: string | null;
  organisation?: string | null;
  aadObjectId?: string | null;
  /** A person reference (see `PersonRef`). */
  manager?: string | null;
}

/**
 * How a cell names a person: a lower-cased e-mail address (holds '@'), or a name as written ("Karin Holm"), which
 * the merge matches to the people tables or the register (planImport.ts) before calling it an error.
 */
export type PersonRef = string;

export function isEmailRef(ref: PersonRef): boolean {
  return ref.includes('@');
}

export interface SystemRow {
  at: Location;
  /** Absent when the file has no organisation column or the cell is empty: the import's one organisation. */
  organisation?: string;
  name: string;
  aliases?: string[];
  unit?: string | null;
  /** Person references; an empty list is an empty cell (a gap, warned about, not an error). */
  owner?: string[];
  administrator?: string[];
  deputies?: string[];
  superUsers?: string[];
  supplier?: string | null;
  supplierSupport?: string | null;
  description?: string | null;
  lifecycle?: Lifecycle | null;
  personalData?: boolean | null;
  /** ISO date-time of the owner's last confirmation of the entry; null = never confirmed. */
  confirmedAt?: string | null;
  /** ISO date of the last risk analysis; null = none recorded. */
  riskAnalysisAt?: string | null;
}

export interface RoleRow {
  at: Location;
  /** As in SystemRow. */
  organisation?: string;
  role: OrganisationRole;
  /** A person reference. */
  person: PersonRef;
  units?: string[];
  /** ISO date-time at which the role ends (exclusive); null = an open-ended role. */
  validTo?: string | null;
}

export interface ImportRows {
  organisations: OrganisationRow[];
  people: PersonRow[];
  systems: SystemRow[];
  roles: RoleRow[];
}

export interface ValidatedRows {
  rows: ImportRows;
  problems: ImportProblem[];
  /** People rows that failed validation but name a valid e-mail: still known, so references to them are not errors. */
  knownPersonIds: Set<string>;
}

const cell = z.string().trim();
const required = cell.min(1, { error: 'must not be empty' });
const optionalText = cell.transform((v) => (v === '' ? null : v)).optional();

const email = z
  .string()
  .trim()
  .pipe(z.email({ error: (issue) => `"${String(issue.input)}" is not a valid e-mail address` }))
  .transform(personId);
const requiredEmail = cell.min(1, { error: 'must not be empty' }).pipe(email);
/** Unions report "Invalid input"; these helpers keep the specific message of the one schema that applies. */
function orNull<T>(schema: z.ZodType<T, string>) {
  return cell
    .transform((v, ctx): T | null => {
      if (v === '') return null;
      const parsed = schema.safeParse(v);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues)
        ctx.issues.push({ code: 'custom', input: v, message: issue.message });
      return z.NEVER;
    })
    .optional();
}

/** One person: an e-mail address (validated, lower-cased) or, without '@', a name to match later. */
const personRef = cell.transform((v, ctx): PersonRef => {
  if (!v.includes('@')) return v.replace(/\s+/g, ' ');
  const parsed = email.safeParse(v);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.issues.push({ code: 'custom', input: v, message: issue.message });
  return z.NEVER;
});
const requiredPerson = cell.min(1, { error: 'must not be empty' }).pipe(personRef);
const optionalPerson = orNull(personRef);

/**
 * Person cells hold people separated by ';' or line breaks (Alt+Enter); ',' too. A part with '@' may hold several
 * e-mails separated by spaces (e-mails contain none); a part without is one name ("Karin Holm").
 */
const personList = cell
  .transform((v, ctx) => {
    const parts = v
      .split(/[;,\r\n]+/)
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .flatMap((p) => (p.includes('@') ? p.split(/\s+/) : [p]));
    const out: PersonRef[] = [];
    for (const part of parts) {
      const parsed = personRef.safeParse(part);
      if (parsed.success) out.push(parsed.data);
      else
        for (const issue of parsed.error.issues)
          ctx.issues.push({ code: 'custom', input: part, message: issue.message });
    }
    return [...new Set(out)];
  })
  .optional();
const optionalOrganisation = cell.transform((v) => (v === '' ? undefined : v)).optional();

/** Name lists (aliases, units) are separated by ';' or line breaks (Alt+Enter in Excel); names may contain ','. */
const nameList = cell
  .transform((v) => [
    ...new Set(
      v
        .split(/[;\r\n]+/)
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    ),
  ])
  .optional();

function word<T>(lookup: (w: string) => T | undefined, explain: (w: string) => string) {
  return cell.transform((v, ctx) => {
    const found = v === '' ? undefined : lookup(v);
    if (found === undefined) {
      ctx.issues.push({ code: 'custom', input: v, message: v === '' ? 'must not be empty' : explain(v) });
      return z.NEVER;
    }
    return found;
  });
}

/** Like `word`, but an empty cell is null (keep the stored value, or the default for a new entity). */
function optionalWord<T>(lookup: (w: string) => T | undefined, explain: (w: string) => string) {
  return cell
    .transform((v, ctx) => {
      if (v === '') return null;
      const found = lookup(v);
      if (found === undefined) {
        ctx.issues.push({ code: 'custom', input: v, message: explain(v) });
        return z.NEVER;
      }
      return found;
    })
    .optional();
}

const guid = orNull(
  z.guid({ error: (i) => `"${String(i.input)}" is not a GUID` }).transform((v) => v.toLowerCase()),
);

/** A date (the start of that day, UTC) or an ISO date-time with offset. */
const date = orNull(
  z.string().transform((v, ctx) => {
    if (z.iso.date().safeParse(v).success) return `${v}T00:00:00.000Z`;
    if (z.iso.datetime({ offset: true }).safeParse(v).success) return new Date(v).toISOString();
    ctx.issues.push({ code: 'custom', input: v, message: `"${v}" is not a date (use YYYY-MM-DD)` });
    return z.NEVER;
  }),
);

const organisationsSchema = z.object({
  organisation: required,
  language: word(languageFor, (v) => `unknown language "${v}" (use sv, nn, nb or en)`),
  tenant_id: guid,
});

const peopleSchema = z.object({
  email: requiredEmail,
  name: required,
  title: optionalText,
  department: optionalText,
  organisation: optionalText,
  aad_object_id: guid,
  manager: optionalPerson,
});

const systemsSchema = z.object({
  organisation: optionalOrganisation,
  system: required,
  aliases: nameList,
  unit: optionalText,
  owner: personList,
  administrator: personList,
  deputies: personList,
  super_users: personList,
  supplier: optionalText,
  supplier_support: optionalText,
  description: optionalText,
  lifecycle: optionalWord(
    lifecycleFor,
    (v) => `unknown lifecycle "${v}" (use planned, active, phasing_out or retired)`,
  ),
  personal_data: optionalWord(booleanFor, (v) => `"${v}" is not yes or no`),
  confirmed_at: date,
  risk_analysis_at: date,
});

/** The roles schema of a file written in `language`: an unknown role lists the words of that language. */
function rolesSchemaFor(language: Language) {
  return z.object({
    organisation: optionalOrganisation,
    role: word(organisationRoleFor, (v) => {
      const systemRole = systemRoleFor(v);
      if (systemRole) return `"${v}" is a role for one system (${systemRole}): put it in the systems table`;
      return unknownRoleMessage(v, language);
    }),
    person: requiredPerson,
    units: nameList,
    valid_to: date,
  });
}
const rolesSchema = rolesSchemaFor('en');
const ROLES_SCHEMAS = new Map<Language, typeof rolesSchema>();

type Parsed<S extends z.ZodType> = z.output<S>;

const CONVERT = {
  organisations: (r: Parsed<typeof organisationsSchema>, at: Location): OrganisationRow => ({
    at,
    name: r.organisation,
    language: r.language,
    tenantId: r.tenant_id,
  }),
  people: (r: Parsed<typeof peopleSchema>, at: Location): PersonRow => ({
    at,
    email: r.email,
    name: r.name,
    title: r.title,
    department: r.department,
    organisation: r.organisation,
    aadObjectId: r.aad_object_id,
    manager: r.manager,
  }),
  systems: (r: Parsed<typeof systemsSchema>, at: Location): SystemRow => ({
    at,
    organisation: r.organisation,
    name: r.system,
    aliases: r.aliases,
    unit: r.unit,
    owner: r.owner,
    administrator: r.administrator,
    deputies: r.deputies,
    superUsers: r.super_users,
    supplier: r.supplier,
    supplierSupport: r.supplier_support,
    description: r.description,
    lifecycle: r.lifecycle,
    personalData: r.personal_data,
    confirmedAt: r.confirmed_at,
    riskAnalysisAt: r.risk_analysis_at,
  }),
  roles: (r: Parsed<typeof rolesSchema>, at: Location): RoleRow => ({
    at,
    organisation: r.organisation,
    role: r.role,
    person: r.person,
    units: r.units,
    validTo: r.valid_to,
  }),
};

const SCHEMAS: Record<FileKind, z.ZodType<unknown, Record<string, string>>> = {
  organisations: organisationsSchema,
  people: peopleSchema,
  systems: systemsSchema,
  roles: rolesSchema,
};

function schemaFor(table: RawTable): z.ZodType<unknown, Record<string, string>> {
  if (table.kind !== 'roles') return SCHEMAS[table.kind];
  const language = table.language ?? 'en';
  let schema = ROLES_SCHEMAS.get(language);
  if (schema === undefined) {
    schema = rolesSchemaFor(language);
    ROLES_SCHEMAS.set(language, schema);
  }
  return schema;
}

export function validateTables(tables: readonly RawTable[]): ValidatedRows {
  const out: ValidatedRows = {
    rows: { organisations: [], people: [], systems: [], roles: [] },
    problems: [],
    knownPersonIds: new Set(),
  };
  for (const table of tables) {
    for (const raw of table.rows) {
      const at: Location = {
        file: table.file,
        ...(table.sheet === undefined ? {} : { sheet: table.sheet }),
        row: raw.row,
      };
      const parsed = schemaFor(table).safeParse(raw.cells);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          out.problems.push({ ...at, message: `${String(issue.path[0] ?? table.kind)}: ${issue.message}` });
        if (table.kind === 'people') {
          const id = email.safeParse((raw.cells as { email?: string }).email ?? '');
          if (id.success) out.knownPersonIds.add(id.data);
        }
        continue;
      }
      switch (table.kind) {
        case 'organisations':
          out.rows.organisations.push(
            CONVERT.organisations(parsed.data as Parsed<typeof organisationsSchema>, at),
          );
          break;
        case 'people':
          out.rows.people.push(CONVERT.people(parsed.data as Parsed<typeof peopleSchema>, at));
          break;
        case 'systems':
          out.rows.systems.push(CONVERT.systems(parsed.data as Parsed<typeof systemsSchema>, at));
          break;
        case 'roles':
          out.rows.roles.push(CONVERT.roles(parsed.data as Parsed<typeof rolesSchema>, at));
          break;
      }
    }
  }
  return out;
}
