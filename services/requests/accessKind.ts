import { z } from 'zod';
import { addProblem, checkbox, choice, defineKind, isoDate, optionalIsoDate, optionalText } from './kinds.js';

/**
 * Access to a business system: new, changed or stopped (Ny / Endre / Stopp; "Ny användare / Förändrade
 * behörigheter / Avslutad användare"). The administrator decides by default and, with the deputies, carries the
 * change out (the administrator "manages and reviews user access"). A stop – someone has left – is urgent.
 *
 * Field rules: `role` and `justification` are required for new and change (a stop removes what the person has);
 * `endDate` is not before `startDate`; `policyConfirmed` ("the person has been told the IT policy", Tanum 3 / Nora)
 * must be ticked for new and change where the organisation's option `requirePolicyConfirmation` is on.
 */
export const ACCESS_CHANGES = ['new', 'change', 'stop'] as const;
export type AccessChange = (typeof ACCESS_CHANGES)[number];

const accessOptions = z.object({ requirePolicyConfirmation: z.boolean().default(false) }).strict();
export type AccessOptions = z.output<typeof accessOptions>;

function accessFields(options: AccessOptions) {
  return z
    .object({
      change: choice(ACCESS_CHANGES),
      role: optionalText(200),
      justification: optionalText(2000),
      startDate: isoDate(),
      endDate: optionalIsoDate(),
      policyConfirmed: checkbox(),
    })
    .strict()
    .superRefine((f, ctx) => {
      const granting = f.change !== 'stop';
      if (granting && f.role === null) addProblem(ctx, 'role', 'required');
      if (granting && f.justification === null) addProblem(ctx, 'justification', 'required');
      if (f.endDate !== null && f.endDate < f.startDate) addProblem(ctx, 'endDate', 'endBeforeStart');
      if (granting && options.requirePolicyConfirmation && !f.policyConfirmed) {
        addProblem(ctx, 'policyConfirmed', 'mustConfirm');
      }
    });
}
export type AccessFields = z.output<ReturnType<typeof accessFields>>;

export const accessKind = defineKind<AccessFields, AccessOptions>({
  kind: 'access',
  system: 'required',
  options: accessOptions,
  fields: accessFields,
  defaultRoute: {
    stages: [
      {
        name: 'administrator',
        role: 'system_administrator',
        fallback: ['system_deputy', 'system_owner', 'it_coordinator'],
      },
    ],
    task: {
      name: 'carry_out',
      role: 'system_administrator',
      with: ['system_deputy'],
      fallback: ['it_unit', 'it_coordinator'],
    },
  },
  urgent: (fields) => fields.change === 'stop',
});
