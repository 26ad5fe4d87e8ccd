import { z } from 'zod';
import type { Language, Lifecycle, OrganisationRole } from '../../data/model.js';
import type { FileKind } from './headers.js';
import { personId } from './ids.js';
import type { ImportProblem, Location } from './problems.js';
import type { RawTable } from './readFiles.js';
import { booleanFor, languageFor, lifecycleFor, organisationRoleFor, systemRoleFor } from './vocabulary.js';

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
  /** Lower-cased e-mail. */
  manager?: string | null;
}

export interface SystemRow {
  at: Location;
  organisation: string;
  name: string;
  aliases?: string[];
  unit?: string | null;
  /** Lower-cased e-mails; an empty list is an empty cell (a gap, warned about, not an error). */
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
}

export interface RoleRow {
  at: Location;
  organisation: string;
  role: OrganisationRole;
  /** Lower-cased e-mail. */
  person: string;
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

const optionalEmail = orNull(email);

/** Person cells hold e-mails separated by ';' (',', spaces and line breaks are accepted too: e-mails contain none). */
const emailList = cell
  .transform((v) => v.split(/[;,\s]+/).filter((p) => p !== ''))
  .pipe(z.array(email))
  .transform((list) => [...new Set(list)])
  .optional();

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
  manager: optionalEmail,
});

const systemsSchema = z.object({
  organisation: required,
  system: required,
  aliases: nameList,
  unit: optionalText,
  owner: emailList,
  administrator: emailList,
  deputies: emailList,
  super_users: emailList,
  supplier: optionalText,
  supplier_support: optionalText,
  description: optionalText,
  lifecycle: optionalWord(
    lifecycleFor,
    (v) => `unknown lifecycle "${v}" (use planned, active, phasing_out or retired)`,
  ),
  personal_data: optionalWord(booleanFor, (v) => `"${v}" is not yes or no`),
  confirmed_at: date,
});

const rolesSchema = z.object({
  organisation: required,
  role: word(organisationRoleFor, (v) => {
    const systemRole = systemRoleFor(v);
    if (systemRole) return `"${v}" is a role for one system (${systemRole}): put it in the systems table`;
    return `unknown role "${v}" (use it_coordinator, it_orderer, security_officer, data_protection_officer, it_manager or it_unit)`;
  }),
  person: requiredEmail,
  units: nameList,
  valid_to: date,
});

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
      const parsed = SCHEMAS[table.kind].safeParse(raw.cells);
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
