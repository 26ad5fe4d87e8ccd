import { z } from 'zod';
import { ORGANISATION_ROLES, SYSTEM_ROLES } from '../../data/model.js';
import { addProblem, checkbox, fieldProblems, optionalText, text, invalidInput } from '../requests/kinds.js';

const MAX_ALIASES = 20;

export const addSystemSchema = z.object({
  organisationId: text(320),
  name: text(120),
  aliases: z.array(text(120)).max(MAX_ALIASES).default([]),
  unitId: optionalText(320),
  supplier: optionalText(200),
  supplierSupport: optionalText(300),
  processesPersonalData: checkbox(),
});

export const editSystemSchema = z.object({
  systemId: text(320),
  aliases: z.array(text(120)).max(MAX_ALIASES).optional(),
  supplier: z.string().trim().max(200).optional(),
  supplierSupport: z.string().trim().max(300).optional(),
  unitId: z.string().trim().max(320).optional(),
});

/**
 * What the owner may correct while confirming (the owner-check card's inputs); an absent field stays as it is. A
 * blank date keeps the stored one (a recorded risk analysis is never erased by an empty input); a day after today
 * is refused.
 */
export const confirmSystemSchema = z.object({
  systemId: text(320),
  supplier: z.string().trim().max(200).optional(),
  processesPersonalData: z.boolean().optional(),
  riskAnalysisAt: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.iso.date().optional(),
  ),
});

export const assignRoleSchema = z
  .object({
    role: z.enum([...SYSTEM_ROLES, ...ORGANISATION_ROLES]),
    personId: text(320).transform((id) => id.toLowerCase()),
    systemId: optionalText(320),
    organisationId: optionalText(320),
    unitIds: z.array(text(320)).max(200).default([]),
    endAssignmentIds: z.array(text(320)).max(50).default([]),
  })
  .superRefine((input, ctx) => {
    const systemRole = (SYSTEM_ROLES as readonly string[]).includes(input.role);
    if (systemRole && input.systemId === null) addProblem(ctx, 'systemId', 'required');
    if (!systemRole && input.organisationId === null) addProblem(ctx, 'organisationId', 'required');
    if (input.role === 'it_orderer' && input.unitIds.length === 0) addProblem(ctx, 'unitIds', 'required');
    if (input.role !== 'it_orderer' && input.unitIds.length > 0) addProblem(ctx, 'unitIds', 'invalid');
  });

export function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(`invalid ${what}`, fieldProblems(parsed.error));
  return parsed.data;
}
