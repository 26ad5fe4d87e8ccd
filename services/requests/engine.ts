import type { SystemRecord } from '../../data/model.js';
import type { RegisterStore } from '../../data/registerStore.js';
import {
  stepType,
  type AuditEvent,
  type AuditEventType,
  type Decision,
  type Escalation,
  type InventoryItem,
  type RequestNote,
  type Stage,
  type StepType,
  type Unreachable,
  type WorkRequest,
} from '../../data/requestModel.js';
import type { RequestStore } from '../../data/requestStore.js';
import type { Directory } from '../directory/directory.js';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import { logger as defaultLogger, type Logger } from '../../core/logger.js';
import { countDecision } from '../../core/telemetry.js';
import { RegisterView } from '../search/registerView.js';
import {
  awaitsDecision,
  awaitsTask,
  fieldProblems,
  invalidInput,
  type FieldProblem,
  type Fields,
  type FieldValue,
  type KindOptions,
  type KindRegistry,
  type AnyKind,
  type HolderSource,
} from './kinds.js';
import { outboxItems } from './outbox.js';
import type { Deadlines, PolicySet } from './policy.js';
import { escalationTargets, stepsOf, type OmittedStep, type RoutingProblem } from './routing.js';
import { auditEvent, submissionAudit } from './auditEvents.js';
import { boundedText, compactFields, norm } from './inputChecks.js';
import {
  awaitsPerson,
  cardIsCurrent,
  decisionVersion,
  lastAction,
  mayActOn,
  onRoute,
  type LastAction,
} from './requestState.js';
import { directoryKnows, resolveRoute, unitOf, type DirectoryLookup } from './routeResolution.js';

export { awaitsPerson, lastAction, onRoute, stepStartedAt, type LastAction } from './requestState.js';

/**
 * The request use cases, the same for every kind (access, equipment, any kind defined in data). Guarantees:
 *
 * - `submit` validates everything first (kind, system, subject, unit, the kind's fields for the organisation's
 *   options) and throws AnsvarError('InvalidInput', details: FieldProblem[]) with every problem at once; nothing is
 *   stored from an invalid submission. A `requestId` from the caller makes a retried submission return the request
 *   the first one created.
 * - Every other use case reloads the request, authorises the actor against the stored route, and changes it with
 *   one compare-and-set on the request's current `version` together with its audit events and outbox items (see
 *   outbox.ts). Authorisation comes first: the requester and the subject are never approvers (NotAnApprover, even
 *   on a stale card), nor is anyone who holds no card of the request.
 * - A card is stale when something its buttons decide on changed since the version it showed: the step (decided,
 *   done, moved on), the request's status (closed, cancelled, expired), the people of the waiting step (escalated,
 *   routed again). Those changes set `decisionVersion`; a note (`addNote`) or an unreachable person
 *   (`noteUnreachable`) bumps `version` only, so a card out before it still decides (`cardIsCurrent`). A click on a
 *   stale card or on a closed request changes nothing and is not an error: the result says `changed: false` and
 *   carries the current request and its last action ("approved by X at T"). A click that lost the compare-and-set
 *   is checked again on the request as it now is: after a concurrent decision it is stale (one decision, however
 *   many clicks), after a concurrent note it is made again (up to CLICK_ATTEMPTS). The check reads only what the
 *   store holds, and the write is the store's compare-and-set, so it holds across instances sharing one store.
 * - A route is a list of steps, each a decision (approve / reject: `decide`) or work (done / failed, recording the
 *   values the kind asks for that step: `completeStep`); calling the wrong one for the current step, or acting on a
 *   step that is not current (out of order), changes nothing. The people of every step are fixed at submit
 *   (resolved at request time). Advancing does not ask the directory again: the click path stays off Graph, and the
 *   route people were shown is the route that runs. A step resolved to nobody stays empty (a routing problem names
 *   the IT coordinators) until `rerouteStalled` finds someone for it after a register change; the requester may
 *   cancel meanwhile.
 * - The requester and the subject never act on their own request, except on a step marked `requesterMayAct` whose
 *   people include the requester (an IT orderer accepting the quote of their own order).
 * - Rejecting needs a reason; reporting work as failed needs a note (InvalidInput). A work step's values are
 *   validated with the kind's schema for that step (every problem at once); its records (inventory) are written
 *   in the same compare-and-set.
 * - `addNote`: the requester, the subject or anyone on the route adds a note to an open request at any step, one
 *   compare-and-set like any change (it leaves `decisionVersion`, so no card goes stale); the same note from the
 *   same card version is added once.
 * - `cancel` is the requester's only, while the request is open; like every click, a cancel on a stale card
 *   returns the current state and changes nothing.
 * - `noteUnreachable` (from delivery, not a click) records that a card with buttons could not reach an approver or
 *   assignee, so the requester's card names whom to contact. It applies only while the person still has something to
 *   do (an approver of the current stage, an assignee of the open task); it is idempotent per (person, reason); it
 *   writes the note, a `recipient_unreachable` audit event and the usual outbox items (an 'info' for the requester
 *   and the subject, 'update's so other card holders' copies show the note) in one compare-and-set, and tries again
 *   on a lost compare-and-set, since it states a fact rather than answering a card. It leaves `decisionVersion`: the
 *   cards already out still decide.
 * - NotAnApprover is also the answer for "you may not do this to this request" outside deciding (cancel by someone
 *   else, completing a task one is not assigned to): the catalogue has no wider code, and the user-facing text is
 *   the same.
 */

export interface RequestEngineDeps {
  requests: RequestStore;
  store: Pick<RegisterStore, 'revision' | 'snapshot' | 'frozen'>;
  directory: Directory;
  now: () => Date;
  newId: () => string;
  kinds: KindRegistry;
  policies: PolicySet;
  /** Share the process's view (indexes per register revision) instead of building another. */
  view?: RegisterView;
  logger?: Logger;
}

export interface SubmitInput {
  kind: string;
  /** Person id (lower-cased e-mail / UPN) of who asks. */
  requesterId: string;
  /** Whom the request is for; the requester when absent. */
  subjectId?: string;
  systemId?: string;
  /** For kinds without a system when the requester's organisation is not in the register. */
  organisationId?: string;
  /** The subject's unit, when the register does not know it from their department (a new employee). */
  unitId?: string;
  /** The raw inputs of the request card; validated with the kind's schema. */
  fields: Record<string, unknown>;
  /** Idempotency key chosen by the caller (e.g. per request card); a repeat returns the first request. */
  requestId?: string;
}

export interface SubmitResult {
  request: WorkRequest;
  /** False when a repeated submission found the request already stored. */
  created: boolean;
  /** Steps that resolved to nobody, with whom to contact (the requester is told). */
  routingProblems: RoutingProblem[];
  /** Steps left out because the requester holds their role. */
  omitted: OmittedStep[];
}

export interface DecideInput {
  requestId: string;
  /** The version the card showed. */
  version: number;
  actorId: string;
  outcome: Decision['outcome'];
  reason?: string;
}

export interface CancelInput {
  requestId: string;
  version: number;
  actorId: string;
}

export interface CompleteStepInput {
  requestId: string;
  version: number;
  actorId: string;
  outcome: 'done' | 'failed';
  note?: string;
  /** The step's inputs from the card, validated with the kind's schema for the step (when done). */
  values?: Record<string, unknown>;
}

export interface AddNoteInput {
  requestId: string;
  /** The version the card showed (with the writer and the text, what makes a repeated click add the note once). */
  version: number;
  actorId: string;
  text: string;
}

export interface NoteUnreachableInput {
  requestId: string;
  /** The approver or assignee whom a 'decide' or 'task' card could not reach. */
  personId: string;
  reason: Unreachable['reason'];
}

/** Several people of one request that cards could not reach (e.g. the whole IT unit), noted as one change. */
export interface NoteUnreachableManyInput {
  requestId: string;
  people: Array<Pick<NoteUnreachableInput, 'personId' | 'reason'>>;
}

export interface NoteUnreachableResult {
  /** False when the note was already there, or the person no longer has anything to do on the request. */
  changed: boolean;
  request: WorkRequest;
}

/** Lost compare-and-sets `noteUnreachable` tolerates before giving up (each loss is another change that won). */
const NOTE_ATTEMPTS = 5;
/**
 * Compare-and-sets a click makes at most while its card stays current (each loss is another change that won; one
 * its buttons depend on ends the click at the next check).
 */
const CLICK_ATTEMPTS = 5;

export type TransitionResult =
  | { changed: true; request: WorkRequest }
  | { changed: false; request: WorkRequest; why: 'stale' | 'closed'; last?: LastAction };
type Unchanged = Extract<TransitionResult, { changed: false }>;

type FieldSchema = ReturnType<AnyKind['fields']>;

export class RequestEngine {
  private readonly view: RegisterView;
  private readonly logger: Logger;
  private readonly lookup: DirectoryLookup;
  /**
   * Each kind's field schema per organisation and options (policies are resolved once, so their options are the same
   * object): building one (zod compiles an object schema on its first parse) was a quarter of a submission's CPU.
   */
  private readonly fieldSchemas = new Map<string, { options: unknown; schema: FieldSchema }>();

  constructor(private readonly deps: RequestEngineDeps) {
    this.view = deps.view ?? new RegisterView(deps.store);
    this.logger = deps.logger ?? defaultLogger;
    this.lookup = { directory: deps.directory, logger: this.logger };
  }

  async submit(input: SubmitInput): Promise<SubmitResult> {
    if (input.requestId !== undefined) {
      const existing = await this.deps.requests.get(input.requestId);
      if (existing) return this.repeatedSubmission(existing, input);
    }
    const kind = this.deps.kinds.get(input.kind);
    if (!kind)
      throw invalidInput(`unknown request kind ${input.kind}`, [{ field: 'kind', problem: 'unknownKind' }]);
    const requesterId = norm(input.requesterId);
    if (requesterId === '') throw invalidInput('no requester', [{ field: 'requester', problem: 'required' }]);
    const indexes = await this.view.current();
    const problems: FieldProblem[] = [];

    let system: SystemRecord | undefined;
    if (input.systemId !== undefined && input.systemId !== '') {
      if (kind.system === 'none') problems.push({ field: 'system', problem: 'invalid' });
      else {
        system = indexes.systems.get(input.systemId);
        if (!system) throw new AnsvarError('UnknownSystem', `no system with id ${input.systemId}`);
      }
    } else if (kind.system === 'required') {
      problems.push({ field: 'system', problem: 'required' });
    }

    const requester = indexes.people.get(requesterId);
    const subjectId = norm(input.subjectId ?? requesterId) || requesterId;
    const subject = indexes.people.get(subjectId);
    if (!subject && subjectId !== requesterId && !(await directoryKnows(this.lookup, subjectId))) {
      problems.push({ field: 'subject', problem: 'unknownPerson' });
    }

    const organisationId =
      system?.organisationId ?? input.organisationId ?? requester?.organisationId ?? subject?.organisationId;
    const organisation = organisationId ? indexes.organisations.get(organisationId) : undefined;
    if (!organisation) {
      if (organisationId) throw new AnsvarError('UnknownOrganisation', `no organisation ${organisationId}`);
      problems.push({ field: 'organisation', problem: 'required' });
    }

    let unitId = input.unitId === '' ? undefined : input.unitId;
    if (unitId !== undefined && !indexes.units.has(unitId))
      problems.push({ field: 'unit', problem: 'invalid' });
    unitId ??= unitOf(indexes, subject);

    const policy = organisation ? this.deps.policies.for(organisation.id, kind.kind) : undefined;
    const parsed = organisation
      ? this.fieldSchema(kind, policy?.options, organisation.id).safeParse(input.fields ?? {})
      : undefined;
    if (parsed && !parsed.success) problems.push(...fieldProblems(parsed.error));
    if (problems.length > 0 || !parsed?.success || !organisation || !policy) {
      throw invalidInput(`invalid ${kind.kind} request`, problems);
    }
    const fields = compactFields(parsed.data);

    const now = this.deps.now();
    const at = now.toISOString();
    const routed = await resolveRoute(this.lookup, {
      indexes,
      route: policy.route,
      organisation,
      system,
      requesterId,
      subjectId,
      unitId,
      now,
    });

    const request: WorkRequest = {
      id: input.requestId ?? this.deps.newId(),
      kind: kind.kind,
      organisationId: organisation.id,
      version: 1,
      decisionVersion: 1,
      status: 'open',
      requesterId,
      subjectId,
      urgent: kind.urgent(fields),
      fields,
      stages: routed.stages,
      currentStage: 0,
      createdAt: at,
      updatedAt: at,
    };
    if (system) request.systemId = system.id;
    if (unitId !== undefined) request.unitId = unitId;
    if (request.stages.length === 0) request.status = 'done';

    const audit = submissionAudit(this.deps.newId, request, requesterId, at, routed);
    const outbox = outboxItems(undefined, request, { newId: this.deps.newId, at });
    try {
      await this.deps.requests.create(request, { audit, outbox });
    } catch (error) {
      if (input.requestId === undefined || !isAnsvarError(error, 'RevisionConflict')) throw error;
      const existing = await this.deps.requests.get(input.requestId);
      if (!existing) throw error;
      return this.repeatedSubmission(existing, input);
    }
    return { request, created: true, routingProblems: routed.problems, omitted: routed.omitted };
  }

  private fieldSchema(kind: AnyKind, options: KindOptions | undefined, organisationId: string): FieldSchema {
    const key = `${kind.kind}\u0000${organisationId}`;
    const known = this.fieldSchemas.get(key);
    if (known && known.options === options) return known.schema;
    const schema = kind.fields(options ?? kind.options.parse({}), { organisationId });
    this.fieldSchemas.set(key, { options, schema });
    return schema;
  }

  async decide(input: DecideInput): Promise<TransitionResult> {
    if (input.outcome !== 'approved' && input.outcome !== 'rejected') {
      throw invalidInput(`unknown outcome ${String(input.outcome)}`, [
        { field: 'outcome', problem: 'invalidChoice' },
      ]);
    }
    const actorId = norm(input.actorId);
    const result = await this.clicked(input.requestId, () => this.decideOnce(input, actorId));
    return this.counted(input.outcome, result);
  }

  private async decideOnce(
    input: DecideInput,
    actorId: string,
  ): Promise<TransitionResult | { conflict: true }> {
    const click = await this.clickOn('decision', input.requestId, input.version, actorId);
    if ('changed' in click) return click;
    const { request, stage } = click;
    const reason = boundedText(input.reason, 'reason', input.outcome === 'rejected');

    const at = this.deps.now().toISOString();
    const next = this.nextOf(request, at, 'decisive');
    const decision: Decision = { outcome: input.outcome, by: actorId, at };
    if (reason !== undefined) decision.reason = reason;
    next.stages[next.currentStage]!.decision = decision;
    if (input.outcome === 'rejected') next.status = 'rejected';
    else {
      next.currentStage += 1;
      if (next.currentStage >= next.stages.length) next.status = 'done';
    }
    const event = this.event(
      'decided',
      actorId,
      next,
      at,
      { stage: stage.name, outcome: input.outcome },
      reason,
    );
    return this.commitOrConflict(request, next, [event], at);
  }

  async cancel(input: CancelInput): Promise<TransitionResult> {
    const actorId = norm(input.actorId);
    return this.clicked(input.requestId, () => this.cancelOnce(input, actorId));
  }

  private async cancelOnce(
    input: CancelInput,
    actorId: string,
  ): Promise<TransitionResult | { conflict: true }> {
    const request = await this.load(input.requestId);
    if (request.requesterId !== actorId) throw this.notAllowed(request, actorId, 'is not the requester');
    const unchanged = this.unchangedResult(request, input.version);
    if (unchanged) return unchanged;
    const at = this.deps.now().toISOString();
    const next = this.nextOf(request, at, 'decisive');
    next.status = 'cancelled';
    next.cancelledBy = actorId;
    return this.commitOrConflict(request, next, [this.event('cancelled', actorId, next, at, {})], at);
  }

  async completeStep(input: CompleteStepInput): Promise<TransitionResult> {
    if (input.outcome !== 'done' && input.outcome !== 'failed') {
      throw invalidInput(`unknown outcome ${String(input.outcome)}`, [
        { field: 'outcome', problem: 'invalidChoice' },
      ]);
    }
    const actorId = norm(input.actorId);
    const result = await this.clicked(input.requestId, () => this.completeStepOnce(input, actorId));
    return this.counted(input.outcome, result);
  }

  private async completeStepOnce(
    input: CompleteStepInput,
    actorId: string,
  ): Promise<TransitionResult | { conflict: true }> {
    const click = await this.clickOn('work', input.requestId, input.version, actorId);
    if ('changed' in click) return click;
    const { request, stage } = click;
    const note = boundedText(input.note, 'note', input.outcome === 'failed');
    const kind = this.kindOf(request);
    const definition = kind.steps?.[stage.name];
    let values: Fields | undefined;
    if (input.outcome === 'done' && definition?.record) {
      const parsed = definition.record(request).safeParse(input.values ?? {});
      if (!parsed.success)
        throw invalidInput(`invalid values for ${stage.name}`, fieldProblems(parsed.error));
      values = compactFields(parsed.data);
    }

    const at = this.deps.now().toISOString();
    const next = this.nextOf(request, at, 'decisive');
    const done = next.stages[next.currentStage]!;
    const decision: Decision = { outcome: input.outcome, by: actorId, at };
    if (note !== undefined) decision.reason = note;
    done.decision = decision;
    if (values !== undefined) done.values = values;
    if (input.outcome === 'failed') next.status = 'failed';
    else {
      next.currentStage += 1;
      if (next.currentStage >= next.stages.length) next.status = 'done';
    }
    const audit = [
      this.event(
        'carried_out',
        actorId,
        next,
        at,
        { step: stage.name, outcome: input.outcome, ...values },
        note,
      ),
    ];
    let inventory: InventoryItem[] | undefined;
    if (input.outcome === 'done' && definition?.effects) {
      inventory = definition.effects({
        request,
        values: values ?? {},
        actorId,
        at,
        newId: this.deps.newId,
      }).inventory;
      for (const item of inventory ?? []) {
        audit.push(
          this.event('inventory_registered', actorId, next, at, {
            itemId: item.id,
            itemType: item.itemType,
            assetTag: item.assetTag,
          }),
        );
      }
    }
    return this.commitOrConflict(request, next, audit, at, inventory);
  }

  /** Adds a note to an open request (see the contract above). */
  async addNote(input: AddNoteInput): Promise<TransitionResult> {
    const actorId = norm(input.actorId);
    const text = boundedText(input.text, 'note', true)!;
    // A note states something about the request, not about the card's version: it goes on the latest one.
    return this.onLatest<Unchanged>(input.requestId, (request) => {
      const involved =
        actorId === request.requesterId || actorId === request.subjectId || onRoute(request, actorId);
      if (!involved) throw this.notAllowed(request, actorId, 'is not on the request');
      if (request.status !== 'open') return this.unchanged(request, 'closed');
      const repeated = (request.notes ?? []).some(
        (n) => n.by === actorId && n.version === input.version && n.text === text,
      );
      if (repeated) return this.unchanged(request, 'stale');
      const at = this.deps.now().toISOString();
      const next = this.nextOf(request, at, 'notes');
      const note: RequestNote = { by: actorId, at, text, version: input.version };
      const stage = request.stages[request.currentStage];
      if (stage) note.stage = stage.name;
      next.notes = [...(request.notes ?? []), note];
      return {
        next,
        event: this.event('noted', actorId, next, at, stage ? { step: stage.name } : {}, text),
        at,
      };
    });
  }

  /** Records that a card could not reach `personId` and tells the requester whom to contact (see the contract above). */
  async noteUnreachable(input: NoteUnreachableInput): Promise<NoteUnreachableResult> {
    return this.noteUnreachableMany({ requestId: input.requestId, people: [input] });
  }

  /**
   * `noteUnreachable` for several people at once: one change (one version, one message to the requester) with a
   * note and an audit event for each person not yet noted with that reason who still has something to do.
   */
  async noteUnreachableMany(input: NoteUnreachableManyInput): Promise<NoteUnreachableResult> {
    const people = input.people.map((p) => ({ personId: norm(p.personId), reason: p.reason }));
    return this.onLatest<{ changed: false; request: WorkRequest }>(input.requestId, (request) => {
      const known = new Set((request.unreachable ?? []).map((u) => `${u.personId}\u0000${u.reason}`));
      const fresh = people.filter((p) => {
        const key = `${p.personId}\u0000${p.reason}`;
        if (known.has(key) || !awaitsPerson(request, p.personId)) return false;
        known.add(key);
        return true;
      });
      if (fresh.length === 0) return { changed: false, request };
      const at = this.deps.now().toISOString();
      const next = this.nextOf(request, at, 'notes');
      next.unreachable = [...(request.unreachable ?? []), ...fresh.map((p) => ({ ...p, at }))];
      const events = fresh.map((p) =>
        this.event('recipient_unreachable', 'system', next, at, { personId: p.personId }, p.reason),
      );
      return { next, events, at };
    });
  }

  /**
   * A change that states a fact rather than answering a card (a note, an unreachable person): made on the latest
   * version, tried again when a concurrent change wins the compare-and-set (up to NOTE_ATTEMPTS times). `change`
   * gives the next request with its audit event, or the answer without a change.
   */
  private async onLatest<R extends { changed: false }>(
    requestId: string,
    change: (
      request: WorkRequest,
    ) => R | ({ next: WorkRequest; at: string } & ({ event: AuditEvent } | { events: AuditEvent[] })),
  ): Promise<R | { changed: true; request: WorkRequest }> {
    for (let attempt = 1; ; attempt += 1) {
      const request = await this.load(requestId);
      const decided = change(request);
      if ('changed' in decided) return decided;
      const { next, at } = decided;
      const audit = 'events' in decided ? decided.events : [decided.event];
      const outbox = outboxItems(request, next, { newId: this.deps.newId, at });
      try {
        const written = await this.deps.requests.update(next, request.version, { audit, outbox });
        return { changed: true, request: written };
      } catch (error) {
        if (!isAnsvarError(error, 'RevisionConflict') || attempt >= NOTE_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Adds the next holders of the waiting step's fallback chain to its people because nobody answered in
   * `afterWorkingDays` (the deadline timers call it; no person does). Changes the request only while step `stage`
   * is still the one waiting and has had fewer than `level` escalations, so a repeated or late timer changes
   * nothing. The step's earlier people keep their buttons; any one decision ends the step (compare-and-set). No
   * one is added when the chain has nobody more (or the step waits for away holders to return): `changed: false`.
   * One compare-and-set with an `escalated` audit event: the new people get the decision card, the earlier ones
   * an update, the requester and the subject an info.
   */
  async escalate(input: {
    requestId: string;
    stage: number;
    level: number;
    afterWorkingDays: number;
  }): Promise<TransitionResult> {
    return this.systemChange(() => this.escalateOnce(input));
  }

  /**
   * A change Ansvar makes by itself (escalation, expiry): it states a fact, so a compare-and-set lost to another
   * change (a card that could not be delivered was noted) is tried again on the new version, up to NOTE_ATTEMPTS.
   */
  private async systemChange(
    attempt: () => Promise<TransitionResult | { conflict: true }>,
  ): Promise<TransitionResult> {
    for (let i = 1; ; i += 1) {
      const result = await attempt();
      if (!('conflict' in result)) return result;
      if (i >= NOTE_ATTEMPTS) throw new AnsvarError('RevisionConflict', 'the request kept changing');
    }
  }

  /**
   * One compare-and-set on the version `before` was read at (the request's real version, whatever the card
   * showed), with the change's audit events, outbox items and inventory: `{conflict: true}` when another change
   * won it.
   */
  private async commitOrConflict(
    before: WorkRequest,
    next: WorkRequest,
    audit: AuditEvent[],
    at: string,
    inventory?: InventoryItem[],
  ): Promise<TransitionResult | { conflict: true }> {
    const outbox = outboxItems(before, next, { newId: this.deps.newId, at });
    try {
      const written = await this.deps.requests.update(next, before.version, {
        audit,
        outbox,
        ...(inventory && inventory.length > 0 ? { inventory } : {}),
      });
      return { changed: true, request: written };
    } catch (error) {
      if (isAnsvarError(error, 'RevisionConflict')) return { conflict: true };
      throw error;
    }
  }

  /**
   * A click's change (`once`: the checks, then one compare-and-set on the request's current version). Lost to a
   * concurrent change, the click is checked again on the request as it now is and, if its card is still current
   * (the change that won was a note, say), made again, up to CLICK_ATTEMPTS times; a change that won and that the
   * card's buttons depend on (another decision, a cancel) makes the check answer without a change. After
   * CLICK_ATTEMPTS lost compare-and-sets the answer is the current state without a change.
   */
  private async clicked(
    requestId: string,
    once: () => Promise<TransitionResult | { conflict: true }>,
  ): Promise<TransitionResult> {
    for (let i = 1; i <= CLICK_ATTEMPTS; i += 1) {
      const result = await once();
      if (!('conflict' in result)) return result;
    }
    const current = await this.load(requestId);
    return this.unchanged(current, current.status === 'open' ? 'stale' : 'closed');
  }

  private async escalateOnce(input: {
    requestId: string;
    stage: number;
    level: number;
    afterWorkingDays: number;
  }): Promise<TransitionResult | { conflict: true }> {
    const request = await this.load(input.requestId);
    const stage = request.stages[input.stage];
    if (request.status !== 'open' || request.currentStage !== input.stage || !stage) {
      return this.unchanged(request, request.status === 'open' ? 'stale' : 'closed');
    }
    if ((stage.escalations?.length ?? 0) >= input.level || stage.awaitingReturn) {
      return this.unchanged(request, 'stale');
    }
    const indexes = await this.view.current();
    const organisation = indexes.organisations.get(request.organisationId);
    const system = request.systemId === undefined ? undefined : indexes.systems.get(request.systemId);
    if (!organisation) return this.unchanged(request, 'stale');
    const route = this.deps.policies.for(organisation.id, request.kind).route;
    const spec = stepsOf({ route, ...(system ? { system } : {}) }).find((s) => s.name === stage.name);
    if (!spec) return this.unchanged(request, 'stale');
    const chain: HolderSource[] = [...(spec.fallback ?? [])];
    const reached = stage.escalations?.at(-1)?.via ?? stage.resolvedVia;
    const from = reached === undefined ? 0 : chain.indexOf(reached as HolderSource) + 1;
    const subject = { id: request.subjectId, ...(request.unitId ? { unitId: request.unitId } : {}) };
    const managerId = indexes.people.get(request.subjectId)?.managerId;
    const now = this.deps.now();
    const found = await escalationTargets(
      {
        indexes,
        route,
        organisation,
        ...(system ? { system } : {}),
        requesterId: request.requesterId,
        subject: managerId ? { ...subject, managerId } : subject,
        now,
      },
      chain.slice(Math.max(0, from)),
      stage.approverIds,
      this.deps.directory,
    );
    if (!found) {
      this.logger.info({ requestId: request.id, step: stage.name }, 'nobody more to escalate to');
      return this.unchanged(request, 'stale');
    }
    const at = now.toISOString();
    const next = this.nextOf(request, at, 'decisive');
    const escalation: Escalation = {
      at,
      to: found.personIds,
      via: found.via,
      afterWorkingDays: input.afterWorkingDays,
    };
    const nextStage = next.stages[input.stage]!;
    nextStage.approverIds = [...stage.approverIds, ...found.personIds];
    nextStage.escalations = [...(stage.escalations ?? []), escalation];
    const event = this.event('escalated', 'system', next, at, {
      step: stage.name,
      to: found.personIds.join(';'),
      via: found.via,
      afterWorkingDays: input.afterWorkingDays,
    });
    return this.commitOrConflict(request, next, [event], at);
  }

  /**
   * Closes the request as `expired` because step `stage` waited `afterWorkingDays` without an answer (the deadline
   * timers call it). Never approves anything: the request ends, the requester and the subject are told and may
   * submit again, and the step's people get an update without buttons. Only while step `stage` still waits.
   */
  async expire(input: {
    requestId: string;
    stage: number;
    afterWorkingDays: number;
  }): Promise<TransitionResult> {
    return this.systemChange(() => this.expireOnce(input));
  }

  private async expireOnce(input: {
    requestId: string;
    stage: number;
    afterWorkingDays: number;
  }): Promise<TransitionResult | { conflict: true }> {
    const request = await this.load(input.requestId);
    const stage = request.stages[input.stage];
    if (request.status !== 'open' || request.currentStage !== input.stage || !stage) {
      return this.unchanged(request, request.status === 'open' ? 'stale' : 'closed');
    }
    const at = this.deps.now().toISOString();
    const next = this.nextOf(request, at, 'decisive');
    next.status = 'expired';
    next.expired = { at, afterWorkingDays: input.afterWorkingDays, stage: stage.name };
    const event = this.event('expired', 'system', next, at, {
      step: stage.name,
      afterWorkingDays: input.afterWorkingDays,
    });
    return this.commitOrConflict(request, next, [event], at);
  }

  /** The organisation's deadlines for waiting steps (policy `deadlines`). */
  deadlinesFor(organisationId: string): Deadlines {
    return this.deps.policies.deadlinesFor(organisationId);
  }

  /** Open requests, oldest first, for planning their deadlines at start. */
  async listOpen(): Promise<WorkRequest[]> {
    return this.deps.requests.list({ status: ['open'], limit: Number.MAX_SAFE_INTEGER });
  }

  /** Requests carried out (done) that the store still holds, for planning the end of time-bound accesses at start. */
  async listDone(): Promise<WorkRequest[]> {
    return this.deps.requests.list({ status: ['done'], limit: Number.MAX_SAFE_INTEGER });
  }

  /**
   * Routes again the open requests whose current step resolved to nobody (everyone who could act had left, or
   * nobody held the role), as the register and the directory are now: call it after a register change (an IT
   * orderer added to the unit's authorisation list, a new administrator). A step that now has people gets them,
   * with the route's rules (`routeRequest`), in one compare-and-set per request with a `routed` audit event
   * (`rerouted: true`) and the usual notifications (the new people get the card, the requester is told). A request
   * that changed meanwhile is left for the next call. Resolves with the ids of the requests that got people.
   */
  async rerouteStalled(): Promise<string[]> {
    const stalled = await this.deps.requests.list({ waitingForNobody: true, limit: Number.MAX_SAFE_INTEGER });
    const rerouted: string[] = [];
    for (const request of stalled) {
      try {
        if (await this.rerouteOne(request)) rerouted.push(request.id);
      } catch (error) {
        this.logger.error({ err: error, requestId: request.id }, 'could not route a stalled request again');
      }
    }
    return rerouted;
  }

  private async rerouteOne(request: WorkRequest): Promise<boolean> {
    const indexes = await this.view.current();
    const organisation = indexes.organisations.get(request.organisationId);
    if (!organisation) return false;
    const system = request.systemId === undefined ? undefined : indexes.systems.get(request.systemId);
    if (request.systemId !== undefined && !system) return false;
    const now = this.deps.now();
    const routed = await resolveRoute(this.lookup, {
      indexes,
      route: this.deps.policies.for(organisation.id, request.kind).route,
      organisation,
      system,
      requesterId: request.requesterId,
      subjectId: request.subjectId,
      unitId: request.unitId,
      now,
    });
    const stalled = request.stages[request.currentStage]!;
    const found = routed.stages.find((s) => s.name === stalled.name);
    if (!found || found.approverIds.length === 0) return false;
    const at = now.toISOString();
    const next = this.nextOf(request, at, 'decisive');
    const stage: Stage = { ...stalled, approverIds: found.approverIds, skipped: found.skipped };
    delete stage.resolvedVia;
    delete stage.awaitingReturn;
    if (found.resolvedVia !== undefined) stage.resolvedVia = found.resolvedVia;
    if (found.awaitingReturn) stage.awaitingReturn = true;
    next.stages[request.currentStage] = stage;
    const details: Record<string, FieldValue> = {
      step: stage.name,
      type: stepType(stage),
      role: stage.role,
      approvers: stage.approverIds.join(';'),
      rerouted: true,
    };
    if (stage.resolvedVia !== undefined) details.resolvedVia = stage.resolvedVia;
    if (stage.awaitingReturn) details.awaitingReturn = true;
    if (!routed.directoryAvailable) details.directory = 'unavailable';
    const result = await this.commit(request, next, [this.event('routed', 'system', next, at, details)], at);
    return result.changed;
  }

  /** One request, for rendering its card. Throws InvalidInput (field requestId) when there is none. */
  async get(requestId: string): Promise<WorkRequest> {
    return this.load(requestId);
  }

  /** The kind's options for the organisation (e.g. whether the form asks for the IT-policy confirmation). */
  kindOptions(organisationId: string, kind: string): KindOptions {
    return this.deps.policies.for(organisationId, kind).options;
  }

  /** Requests the person asked for or that are for them, newest first. */
  async listMine(personId: string, limit = 50): Promise<WorkRequest[]> {
    return this.deps.requests.list({ personId: norm(personId), limit });
  }

  /** Open requests waiting for the person's decision or task, newest first. */
  async listAwaiting(personId: string, limit = 50): Promise<WorkRequest[]> {
    return this.deps.requests.list({ awaitingPersonId: norm(personId), status: ['open'], limit });
  }

  private repeatedSubmission(existing: WorkRequest, input: SubmitInput): SubmitResult {
    if (existing.requesterId !== norm(input.requesterId) || existing.kind !== input.kind) {
      throw invalidInput(`request id ${existing.id} is taken`, [{ field: 'requestId', problem: 'invalid' }]);
    }
    return { request: existing, created: false, routingProblems: [], omitted: [] };
  }

  private async load(requestId: string): Promise<WorkRequest> {
    const request = await this.deps.requests.get(requestId);
    if (!request) {
      throw invalidInput(`no request ${requestId}`, [{ field: 'requestId', problem: 'unknownRequest' }]);
    }
    return request;
  }

  /**
   * The checks every click on a step's button makes, in order: authorised at all (even on a stale card); the request
   * open and the card current (nothing its buttons depend on changed since its version: `cardIsCurrent`); the current step of the type the button acts on (else the click is
   * stale: out of order); the actor one of that step's people. Gives the request and its step, or the answer
   * without a change.
   */
  private async clickOn(
    type: StepType,
    requestId: string,
    version: number,
    actorId: string,
  ): Promise<Unchanged | { request: WorkRequest; stage: Stage }> {
    const request = await this.load(requestId);
    this.authorise(request, actorId);
    const unchanged = this.unchangedResult(request, version);
    if (unchanged) return unchanged;
    const waiting = type === 'decision' ? awaitsDecision(request) : awaitsTask(request);
    if (!waiting) return this.unchanged(request, 'stale');
    const stage = request.stages[request.currentStage]!;
    if (!mayActOn(request, stage, actorId)) {
      throw this.notAllowed(request, actorId, 'is not among the people of the current step');
    }
    return { request, stage };
  }

  /**
   * Who may click a step's buttons at all, before anything about the card's version: someone on the route, and the
   * requester or subject only where a step lets the requester act. Refused even on a stale card.
   */
  private authorise(request: WorkRequest, actorId: string): void {
    const own = actorId === request.requesterId || actorId === request.subjectId;
    if (
      own &&
      !request.stages.some((stage) => stage.requesterMayAct === true && mayActOn(request, stage, actorId))
    ) {
      throw this.notAllowed(
        request,
        actorId,
        actorId === request.requesterId ? 'is the requester' : 'is the subject',
      );
    }
    if (!onRoute(request, actorId)) throw this.notAllowed(request, actorId, 'is not an approver');
  }

  private kindOf(request: WorkRequest): AnyKind {
    const kind = this.deps.kinds.get(request.kind);
    if (!kind)
      throw new AnsvarError('InvalidConfig', `request ${request.id} has unknown kind ${request.kind}`);
    return kind;
  }

  private notAllowed(request: WorkRequest, actorId: string, why: string): AnsvarError {
    return new AnsvarError('NotAnApprover', `${actorId} ${why} of request ${request.id}`, {
      requestId: request.id,
      actorId,
    });
  }

  /**
   * The answer to a click on a closed request or on a card no longer current (something its buttons depend on
   * changed since the version it showed: `cardIsCurrent`); undefined when it may proceed.
   */
  private unchangedResult(request: WorkRequest, version: number): Unchanged | undefined {
    if (request.status !== 'open') return this.unchanged(request, 'closed');
    if (!cardIsCurrent(request, version)) return this.unchanged(request, 'stale');
    return undefined;
  }

  private unchanged(request: WorkRequest, why: 'stale' | 'closed'): Unchanged {
    const last = lastAction(request);
    return last ? { changed: false, request, why, last } : { changed: false, request, why };
  }

  /**
   * The request after a change, one version on. A 'decisive' change (one that cards' buttons depend on: a step
   * decided or done, the request closed, people added to the waiting step) moves `decisionVersion` to the new
   * version, so every card out before it is stale; a 'notes' change (a note, an unreachable person) keeps it, so
   * those cards stay current.
   */
  private nextOf(request: WorkRequest, at: string, change: 'decisive' | 'notes'): WorkRequest {
    const next = structuredClone(request);
    next.version = request.version + 1;
    next.decisionVersion = change === 'decisive' ? next.version : decisionVersion(request);
    next.updatedAt = at;
    return next;
  }

  /** A decision or work step that was written counts in the telemetry's decisions (a lost click does not). */
  private counted(outcome: Decision['outcome'], result: TransitionResult): TransitionResult {
    if (result.changed) countDecision(outcome, result.request.kind);
    return result;
  }

  /** One compare-and-set with the transition's audit and outbox; losing it answers the current state. */
  private async commit(
    before: WorkRequest,
    next: WorkRequest,
    audit: AuditEvent[],
    at: string,
  ): Promise<TransitionResult> {
    const result = await this.commitOrConflict(before, next, audit, at);
    if (!('conflict' in result)) return result;
    const current = await this.load(before.id);
    return this.unchanged(current, current.status === 'open' ? 'stale' : 'closed');
  }

  private event(
    type: AuditEventType,
    actor: string,
    request: WorkRequest,
    at: string,
    details: Record<string, FieldValue>,
    reason?: string,
  ): AuditEvent {
    return auditEvent(this.deps.newId, type, actor, request, at, details, reason);
  }
}
