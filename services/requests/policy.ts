import { z } from 'zod';
import { STAGE_ROLES, STEP_TYPES } from '../../data/requestModel.js';
import { AnsvarError } from '../../core/errors.js';
import { readJsonDocuments } from '../../core/jsonDocuments.js';
import { COUNTRIES, type Country } from '../time/workingTime.js';
import {
  HOLDER_SOURCES,
  ROUTE_CONDITIONS,
  type AnyKind,
  type KindOptions,
  type KindRegistry,
  type Route,
  type StepSpec,
} from './kinds.js';

/**
 * Routing policies: per organisation and request kind, which stages decide, under which conditions more are added,
 * who carries the request out, and the kind's options. Policies are data (`data/policies/*.json`), validated at
 * start; a bad file stops the start with every problem named (AnsvarError 'InvalidConfig').
 *
 * Resolution for (organisation, kind), each of `stages`, `conditionalStages` and `task` separately: the
 * organisation's policy if it states it, else the default policy (`"default": true`, at most one), else the kind's
 * `defaultRoute`. `task: null` means "no task". Options merge key by key in the same order and are then parsed with
 * the kind's options schema, so a misspelt option is an error at load, not a silent default.
 */

const stepSpec = z
  .object({
    name: z.string().trim().min(1).max(60),
    type: z.enum(STEP_TYPES).optional(),
    role: z.enum(STAGE_ROLES),
    with: z.array(z.enum(HOLDER_SOURCES)).optional(),
    fallback: z.array(z.enum(HOLDER_SOURCES)).optional(),
    satisfiedByRequester: z.boolean().optional(),
    requesterMayAct: z.boolean().optional(),
  })
  .strict();

const kindPolicy = z
  .object({
    stages: z.array(stepSpec).optional(),
    conditionalStages: z
      .array(z.object({ when: z.enum(ROUTE_CONDITIONS), stages: z.array(stepSpec).min(1) }).strict())
      .optional(),
    task: stepSpec.nullable().optional(),
    options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  })
  .strict();

const workingDays = z.number().int().min(1).max(250);
const deadlinesSchema = z
  .object({
    remindAfterWorkingDays: workingDays.optional(),
    escalateAfterWorkingDays: workingDays.optional(),
    expireAfterWorkingDays: workingDays.optional(),
    country: z.enum(COUNTRIES).optional(),
  })
  .strict();

/**
 * How long a step of a request may wait, in working days of the organisation's country (weekends and public
 * holidays excluded): its people are reminded after `remindAfterWorkingDays`, the next holders of the step's
 * fallback chain are added every `escalateAfterWorkingDays`, and the request expires (closes, never approved) after
 * `expireAfterWorkingDays`. `country` defaults to the organisation's language (nn/nb: NO, else SE).
 */
export interface Deadlines {
  remindAfterWorkingDays: number;
  escalateAfterWorkingDays: number;
  expireAfterWorkingDays: number;
  country?: Country;
}

/** What fits a municipality when no policy says otherwise. */
export const DEFAULT_DEADLINES: Deadlines = {
  remindAfterWorkingDays: 3,
  escalateAfterWorkingDays: 5,
  expireAfterWorkingDays: 20,
};

export const policyFileSchema = z
  .object({
    $comment: z.string().optional(),
    default: z.boolean().optional(),
    deadlines: deadlinesSchema.optional(),
    organisationIds: z.array(z.string().trim().min(1)).default([]),
    kinds: z.record(z.string(), kindPolicy),
  })
  .strict()
  .refine((p) => p.default === true || p.organisationIds.length > 0, {
    message: 'a policy names its organisationIds or is the default',
  });
export type PolicyFile = z.output<typeof policyFileSchema>;
type KindPolicy = z.output<typeof kindPolicy>;

export interface ResolvedPolicy {
  kind: AnyKind;
  route: Route;
  options: KindOptions;
  /** Which files the route came from, for logs ("storsjo-kommun.json > default.json"). */
  source: string;
}

interface LoadedPolicy {
  source: string;
  file: PolicyFile;
}

export class PolicySet {
  private readonly byOrganisation = new Map<string, LoadedPolicy>();
  private readonly fallback?: LoadedPolicy;
  private readonly resolved = new Map<string, ResolvedPolicy>();

  private constructor(
    private readonly kinds: KindRegistry,
    policies: readonly LoadedPolicy[],
  ) {
    const problems: string[] = [];
    let fallback: LoadedPolicy | undefined;
    for (const policy of policies) {
      if (policy.file.default) {
        if (fallback) problems.push(`${policy.source}: a second default policy (first: ${fallback.source})`);
        else fallback = policy;
      }
      for (const organisationId of policy.file.organisationIds) {
        const earlier = this.byOrganisation.get(organisationId);
        if (earlier)
          problems.push(`${policy.source}: ${organisationId} already has a policy in ${earlier.source}`);
        else this.byOrganisation.set(organisationId, policy);
      }
      for (const kindName of Object.keys(policy.file.kinds)) {
        if (!kinds.has(kindName)) problems.push(`${policy.source}: unknown request kind "${kindName}"`);
      }
    }
    if (fallback) this.fallback = fallback;
    for (const policy of policies) {
      for (const organisationId of policy.file.default ? [undefined] : policy.file.organisationIds) {
        const d = this.deadlinesOf(organisationId);
        if (!(
          d.remindAfterWorkingDays < d.expireAfterWorkingDays &&
          d.escalateAfterWorkingDays < d.expireAfterWorkingDays
        )) {
          problems.push(
            `${policy.source}: deadlines: remindAfterWorkingDays and escalateAfterWorkingDays must be less than expireAfterWorkingDays`,
          );
        }
      }
    }
    if (problems.length === 0) {
      // Resolve every stated combination now, so bad options fail at start.
      for (const policy of policies) {
        for (const kindName of Object.keys(policy.file.kinds)) {
          const organisationIds = policy.file.default ? [undefined] : policy.file.organisationIds;
          for (const organisationId of organisationIds) {
            try {
              this.resolve(organisationId, kindName);
            } catch (error) {
              problems.push(error instanceof Error ? error.message : String(error));
            }
          }
        }
      }
    }
    if (problems.length > 0) {
      throw new AnsvarError('InvalidConfig', `routing policies: ${problems.join('; ')}`, problems);
    }
  }

  /** Policies from parsed JSON documents (a test's inline policy, or the files read by `loadPolicies`). */
  static from(kinds: KindRegistry, documents: readonly { source: string; data: unknown }[]): PolicySet {
    const problems: string[] = [];
    const loaded: LoadedPolicy[] = [];
    for (const { source, data } of documents) {
      const parsed = policyFileSchema.safeParse(data);
      if (parsed.success) loaded.push({ source, file: parsed.data });
      else {
        for (const issue of parsed.error.issues) {
          problems.push(`${source}: ${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`);
        }
      }
    }
    if (problems.length > 0) {
      throw new AnsvarError('InvalidConfig', `routing policies: ${problems.join('; ')}`, problems);
    }
    return new PolicySet(kinds, loaded);
  }

  /** The route and options for a kind in an organisation. Throws InvalidInput for a kind not in the registry. */
  for(organisationId: string, kindName: string): ResolvedPolicy {
    return this.resolve(this.byOrganisation.has(organisationId) ? organisationId : undefined, kindName);
  }

  /** The organisation's deadlines: its policy's, then the default policy's, key by key, then DEFAULT_DEADLINES. */
  deadlinesFor(organisationId: string): Deadlines {
    return this.deadlinesOf(this.byOrganisation.has(organisationId) ? organisationId : undefined);
  }

  private deadlinesOf(organisationId: string | undefined): Deadlines {
    const own = organisationId ? this.byOrganisation.get(organisationId)?.file.deadlines : undefined;
    return { ...DEFAULT_DEADLINES, ...this.fallback?.file.deadlines, ...own };
  }

  private resolve(organisationId: string | undefined, kindName: string): ResolvedPolicy {
    const key = `${organisationId ?? ''}\u0000${kindName}`;
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const kind = this.kinds.get(kindName);
    if (!kind)
      throw new AnsvarError('InvalidInput', `unknown request kind ${kindName}`, [
        { field: 'kind', problem: 'unknownKind' },
      ]);
    const own = organisationId ? this.byOrganisation.get(organisationId) : undefined;
    const layers: { source: string; policy: KindPolicy }[] = [];
    for (const loaded of [own, this.fallback]) {
      const policy = loaded?.file.kinds[kindName];
      if (loaded && policy) layers.push({ source: loaded.source, policy });
    }
    const pick = <K extends 'stages' | 'conditionalStages' | 'task'>(field: K) =>
      layers.find((l) => l.policy[field] !== undefined)?.policy[field];
    const stages = pick('stages') ?? kind.defaultRoute.stages;
    const conditionalStages = pick('conditionalStages') ?? kind.defaultRoute.conditionalStages;
    const task = pick('task');
    const route: Route = { stages: stages.map(copyStep) };
    if (conditionalStages) {
      route.conditionalStages = conditionalStages.map((c) => ({
        when: c.when,
        stages: c.stages.map(copyStep),
      }));
    }
    const taskSpec = task === undefined ? kind.defaultRoute.task : (task ?? undefined);
    if (taskSpec) route.task = copyStep(taskSpec);
    const names = [
      ...route.stages,
      ...(route.conditionalStages ?? []).flatMap((c) => c.stages),
      ...(route.task ? [route.task] : []),
    ].map((step) => step.name);
    const twice = names.filter((name, i) => names.indexOf(name) !== i);
    if (twice.length > 0) {
      const from = layers.map((l) => l.source).join(' > ') || `kind ${kindName} default`;
      throw new Error(`${from}: steps of ${kindName} need different names: ${twice.join(', ')}`);
    }
    const rawOptions = Object.assign({}, ...[...layers].reverse().map((l) => l.policy.options ?? {}));
    const options = kind.options.safeParse(rawOptions);
    const source = layers.map((l) => l.source).join(' > ') || `kind ${kindName} default`;
    if (!options.success) {
      const details = options.error.issues.map(
        (i) => `${i.path.map(String).join('.') || '(options)'}: ${i.message}`,
      );
      throw new Error(`${source}: options of ${kindName}: ${details.join(', ')}`);
    }
    const resolved: ResolvedPolicy = { kind, route, options: options.data, source };
    this.resolved.set(key, resolved);
    return resolved;
  }
}

function copyStep(step: StepSpec): StepSpec {
  return structuredClone(step);
}

/** Reads every `*.json` in `dir` (e.g. `<project>/data/policies`) as a policy file. */
export async function loadPolicies(dir: string, kinds: KindRegistry): Promise<PolicySet> {
  const { documents, problems } = await readJsonDocuments(dir);
  if (problems.length > 0) {
    throw new AnsvarError('InvalidConfig', `routing policies: ${problems.join('; ')}`, problems);
  }
  return PolicySet.from(kinds, documents);
}
