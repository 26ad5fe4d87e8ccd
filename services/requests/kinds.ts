import { AnsvarError } from '../../core/errors.js';
import { z } from 'zod';
import {
  STAGE_ROLES,
  stepType,
  type InventoryItem,
  type StageRole,
  type StepType,
  type WorkRequest,
} from '../../data/requestModel.js';

/**
 * Request kinds as data. A kind says what a request of it asks (its fields, as a zod schema built from the
 * organisation's options for the kind), how it is routed by default, who carries it out, and what makes it urgent.
 * The engine knows nothing about any kind: access (accessKind.ts), equipment (part 3) and any further kind plug in
 * through `KindRegistry` alone.
 *
 * Why a zod schema per kind rather than a declarative field list: the rules that matter cross fields ("justification
 * required unless it is a stop", "end date not before start date", "policy confirmation where the organisation
 * demands it"), and a schema states them directly. The helpers below keep the schemas short and make every field
 * problem a stable key (`FieldProblem.problem`) that the card layer translates.
 */

/** What a request's `fields` may hold (flat, JSON-safe). */
export type FieldValue = string | number | boolean | null;
export type Fields = Record<string, FieldValue>;
/** A kind's per-organisation settings, as a routing policy states them (e.g. `requirePolicyConfirmation`). */
export type KindOptions = Record<string, FieldValue>;

/**
 * Where routing looks for holders: every stage role, plus the system's deputies, who are only ever a fallback or a
 * co-holder (they stand in for the administrator, Tanum 4.2).
 */
export const HOLDER_SOURCES = [...STAGE_ROLES, 'system_deputy'] as const;
export type HolderSource = (typeof HOLDER_SOURCES)[number];

/**
 * One step of a route. Holders are looked for group by group: first `role` together with `with`, then each
 * `fallback` source alone, in order; the first group with anyone available decides (or carries out) the step.
 */
export interface StepSpec {
  /** Shown on cards and in the audit log ("manager", "administrator"). */
  name: string;
  /** 'decision' (default): approve or reject. 'work': carry out, done or failed (see StepType). */
  type?: StepType;
  role: StageRole;
  with?: HolderSource[];
  fallback?: HolderSource[];
  /**
   * When the requester holds `role` (or a `with` source) for this request – a manager ordering for their own
   * employee, an IT orderer for their unit – the asking is the step: it is left out of the route (and audited), never
   * decided by the requester.
   */
  satisfiedByRequester?: boolean;
  /**
   * The requester stays eligible for this step when they hold its role (an IT orderer accepts the quote of their own
   * order). Stored on the step, so the engine lets exactly these steps be done by the requester.
   */
  requesterMayAct?: boolean;
}

/** Conditions a route may add stages under. */
export const ROUTE_CONDITIONS = ['systemProcessesPersonalData'] as const;
export type RouteCondition = (typeof ROUTE_CONDITIONS)[number];

export interface Route {
  /** Run in order; every decision must approve and every work step be done. */
  stages: StepSpec[];
  /** Appended after `stages` when their condition holds for the request. */
  conditionalStages?: { when: RouteCondition; stages: StepSpec[] }[];
  /**
   * Shorthand for a last work step after everything else (access: the administrator carries the change out); none =
   * the request is done when its last step is.
   */
  task?: StepSpec;
}

/** What a work step asks for when it is done, and what it writes with it. */
export interface WorkStepDefinition<F extends Fields = Fields> {
  /**
   * The values the step records when done (a quote's cost and delivery time), validated like the request's fields;
   * none = the step records nothing but an optional note. Gets the request, so a value can be checked against it
   * (as many asset tags as the quantity ordered).
   */
  record?: (request: WorkRequest & { fields: F }) => z.ZodType<Fields>;
  /** Records written in the same atomic change as the step (a delivery registers the inventory items). */
  effects?: (context: StepEffectContext<F>) => { inventory?: InventoryItem[] };
}

export interface StepEffectContext<F extends Fields = Fields> {
  request: WorkRequest & { fields: F };
  values: Fields;
  actorId: string;
  at: string;
  newId: () => string;
}

/** Where a kind's fields are checked: the organisation they are for, with its options for the kind. */
export interface FieldContext {
  organisationId: string;
}

export interface RequestKindDefinition<F extends Fields = Fields, O extends KindOptions = KindOptions> {
  /** Stored as `WorkRequest.kind`; lower-case letters, digits, '_' and '-'. */
  kind: string;
  /** Whether a request of this kind is about one system of the register. */
  system: 'required' | 'optional' | 'none';
  /** The kind's options with their defaults; a policy's `options` for the kind are parsed with it. */
  options: z.ZodType<O>;
  /** The schema of the fields, for one organisation's options. Its output is what the request stores. */
  fields(options: O, context: FieldContext): z.ZodType<F>;
  /** Work steps that record values or write records, by step name; any other work step records only a note. */
  steps?: Record<string, WorkStepDefinition<F>>;
  /** Used where no policy names the kind. */
  defaultRoute: Route;
  urgent(fields: F): boolean;
}

/** Any kind, with its field and option types erased (what the engine and the registry hold). */
export type AnyKind = RequestKindDefinition<Fields, KindOptions>;

/** Keeps a kind's own types while it is written, and erases them for the registry. */
export function defineKind<F extends Fields, O extends KindOptions>(
  kind: RequestKindDefinition<F, O>,
): AnyKind {
  if (!/^[a-z0-9_-]+$/.test(kind.kind)) throw new Error(`request kind name must be a slug: ${kind.kind}`);
  return kind as unknown as AnyKind;
}

export type KindRegistry = ReadonlyMap<string, AnyKind>;

export function kindRegistry(...kinds: AnyKind[]): KindRegistry {
  const registry = new Map<string, AnyKind>();
  for (const kind of kinds) {
    if (registry.has(kind.kind)) throw new Error(`request kind defined twice: ${kind.kind}`);
    registry.set(kind.kind, kind);
  }
  return registry;
}

/** One problem with one input; `problem` is a stable key for the card's message. */
export interface FieldProblem {
  field: string;
  problem:
    | 'required'
    | 'invalid'
    | 'invalidChoice'
    | 'invalidDate'
    | 'tooLong'
    | 'endBeforeStart'
    | 'mustConfirm'
    | 'unknownKind'
    | 'unknownPerson'
    | (string & {});
}

/** The one way a service says "this input is not valid": an InvalidInput error listing each field's problem. */
export function invalidInput(message: string, problems: FieldProblem[]): AnsvarError {
  return new AnsvarError('InvalidInput', message, problems);
}

/** Field problems from a failed parse: one per field, the first problem found. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  const byField = new Map<string, FieldProblem>();
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'fields';
    if (byField.has(field)) continue;
    byField.set(field, { field, problem: problemKey(issue) });
  }
  return [...byField.values()];
}

function problemKey(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'custom': {
      const problem = (issue.params as { problem?: unknown } | undefined)?.problem;
      return typeof problem === 'string' ? problem : 'invalid';
    }
    case 'invalid_type':
      return issue.input === undefined ? 'required' : 'invalid';
    case 'invalid_value':
      return 'invalidChoice';
    case 'too_big':
      return 'tooLong';
    case 'too_small':
      return 'required';
    case 'invalid_format':
      return issue.format === 'date' ? 'invalidDate' : 'invalid';
    default:
      return 'invalid';
  }
}

/** Adds a problem with a stable key inside a kind's `superRefine` ('' = the field being checked). */
export function addProblem(ctx: z.RefinementCtx, field: string, problem: FieldProblem['problem']): void {
  ctx.addIssue({ code: 'custom', path: field === '' ? [] : [field], message: problem, params: { problem } });
}

// Field helpers. Cards send every input as a string and an untouched input as '' or not at all: both mean "absent".

const blankToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** Required text, trimmed, at most `max` characters. */
export function text(max = 500) {
  return z.preprocess(blankToUndefined, z.string().trim().min(1).max(max));
}

/** Optional text; absent becomes null. */
export function optionalText(max = 500) {
  return z.preprocess(blankToUndefined, z.string().trim().max(max).nullish()).transform((v) => v ?? null);
}

/** A calendar date, YYYY-MM-DD. */
export function isoDate() {
  return z.preprocess(blankToUndefined, z.iso.date());
}

export function optionalIsoDate() {
  return z.preprocess(blankToUndefined, z.iso.date().nullish()).transform((v) => v ?? null);
}

/** One of fixed choices. */
export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(blankToUndefined, z.enum(values));
}

/**
 * A number as people type it into a card ("2", "2 400", "2400,50"): blank is 'required', anything not a number
 * within [min, max] (or not whole, when `whole`) is 'invalid'.
 */
export function typedNumber(options: { min: number; max: number; whole?: boolean; decimals?: number }) {
  return z.unknown().transform((value, ctx): number => {
    const typed = typeof value === 'string' ? value.replace(/[\s\u00a0]/g, '').replace(',', '.') : value;
    if (typed === undefined || typed === null || typed === '') {
      addProblem(ctx, '', 'required');
      return z.NEVER;
    }
    const decimals = options.whole ? 0 : (options.decimals ?? 2);
    const pattern = decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+([.]\\d{1,${decimals}})?$`);
    const number =
      typeof typed === 'number'
        ? typed
        : typeof typed === 'string' && pattern.test(typed)
          ? Number(typed)
          : NaN;
    const whole = !options.whole || Number.isInteger(number);
    if (!Number.isFinite(number) || !whole || number < options.min || number > options.max) {
      addProblem(ctx, '', 'invalid');
      return z.NEVER;
    }
    return number;
  });
}

/** A checkbox (Input.Toggle sends "true"/"false"); absent is false. */
export function checkbox() {
  return z
    .preprocess(
      (v) => (v === 'true' ? true : v === 'false' ? false : blankToUndefined(v)),
      z.boolean().optional(),
    )
    .transform((v) => v ?? false);
}

/** True while the request's current step is a decision waiting to be made. */
export function awaitsDecision(request: WorkRequest): boolean {
  const stage = request.status === 'open' ? request.stages[request.currentStage] : undefined;
  return stage !== undefined && stepType(stage) === 'decision';
}

/** True while the request's current step is work waiting to be carried out. */
export function awaitsTask(request: WorkRequest): boolean {
  const stage = request.status === 'open' ? request.stages[request.currentStage] : undefined;
  return stage !== undefined && stepType(stage) === 'work';
}
