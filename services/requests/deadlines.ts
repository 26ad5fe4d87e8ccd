import { createHash } from 'node:crypto';
import type { AuditEvent, WorkRequest } from '../../data/requestModel.js';
import type { Effects, RequestStore } from '../../data/requestStore.js';
import type { NewTimer, Timer, TimerStore } from '../../data/timerStore.js';
import { t } from '../i18n/index.js';
import type { Logger } from '../../core/logger.js';
import { DONE, type TimerHandler, type TimerResult } from '../time/scheduler.js';
import type { RegisterView } from '../search/registerView.js';
import { calendarOf, countryOfLanguage, type WorkingCalendar } from '../time/workingTime.js';
import type { RequestEngine } from './engine.js';
import { stepStartedAt } from './requestState.js';

/**
 * Reminders, escalation and expiry of waiting requests, as durable timers (data/timerStore.ts) planned from each
 * request's state and run by the scheduler. Never approves anything.
 *
 * Plan (`plan(request)`, after every change of a request and for every open request at start): while a request is
 * open, its waiting step (index i, current since `stepStartedAt`) has, in the organisation's working days
 * (policy `deadlines`, services/time/workingTime.ts):
 * - `request:<id>:<i>:remind` after `remindAfterWorkingDays`: its people are reminded, by a digest per person;
 * - `request:<id>:<i>:escalate:<n>` after n × `escalateAfterWorkingDays` (n = escalations so far + 1, while before
 *   the expiry): the next holders of the step's fallback chain are added (engine.escalate);
 * - `request:<id>:<i>:expire` after `expireAfterWorkingDays`: the request closes as expired (engine.expire).
 * Due times fall inside sending hours (07:00–18:00 local on working days). The plan replaces the request's timers
 * (group `request:<id>`) and keeps those already stored, so planning again after every change moves nothing; a
 * closed request's timers are removed.
 *
 * Once only: escalate and expire act by compare-and-set only while step i waits (and, for escalation, while it has
 * fewer than n escalations), so a timer run twice (a crash after the effect) or late changes nothing. A reminder
 * changes no request (cards keep their version): it adds a digest timer `reminder:<person>` (one per person while
 * one is pending: several reminders due together make one card) and records a `reminded` audit event whose id is
 * derived from the timer, so a second run is not logged twice. Escalation and expiry due in quiet hours (a catch-up
 * at night) wait for the next sending time.
 */

export const TIMER_KINDS = {
  remind: 'request.remind',
  escalate: 'request.escalate',
  expire: 'request.expire',
  digest: 'reminder.digest',
  renew: 'access.renew',
  end: 'access.end',
} as const;

/** Days before a time-bound access ends that the subject and the requester are asked whether to renew it. */
export const RENEW_DAYS_BEFORE = 14;

/** A reminder waits this long for other reminders of the same person, so they go in one digest. */
export const DIGEST_GATHER_MS = 5 * 60_000;

export interface RequestDeadlinesDeps {
  engine: Pick<RequestEngine, 'escalate' | 'expire' | 'deadlinesFor' | 'get' | 'listOpen' | 'submit'> &
    Partial<Pick<RequestEngine, 'listDone'>>;
  audit: Pick<RequestStore, 'recordAudit'>;
  timers: TimerStore;
  view: Pick<RegisterView, 'current'>;
  now: () => Date;
  logger: Logger;
  /**
   * The request store writes each change's timers in the change itself (`RequestStore.plansTimers`): no plan can be
   * lost, so `planAll` does not look for granted accesses without timers.
   */
  plansWithChanges?: boolean;
}

export function requestGroup(requestId: string): string {
  return `request:${requestId}`;
}

/** A UUID-shaped id derived from `key`, so the same effect records the same audit event id. */
export function derivedId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class RequestDeadlines {
  private readonly log: Logger;

  constructor(private readonly deps: RequestDeadlinesDeps) {
    this.log = deps.logger.child({ component: 'deadlines' });
  }

  /** The organisation's working calendar (its policy's country, else its language's). */
  async calendarFor(organisationId: string): Promise<WorkingCalendar> {
    const country = this.deps.engine.deadlinesFor(organisationId).country;
    if (country) return calendarOf(country);
    const organisation = (await this.deps.view.current()).organisations.get(organisationId);
    return calendarOf(countryOfLanguage(organisation?.language ?? 'sv'));
  }

  /** The timers a request should have now (see the plan above). */
  async timersFor(request: WorkRequest): Promise<NewTimer[]> {
    if (timeBound(request)) return this.accessEndTimers(request, timeBound(request)!);
    const stage = request.status === 'open' ? request.stages[request.currentStage] : undefined;
    if (!stage) return [];
    const deadlines = this.deps.engine.deadlinesFor(request.organisationId);
    const calendar = await this.calendarFor(request.organisationId);
    const start = new Date(stepStartedAt(request));
    const i = request.currentStage;
    const group = requestGroup(request.id);
    const due = (days: number) => calendar.nextAllowed(calendar.addWorkingDays(start, days)).toISOString();
    const timers: NewTimer[] = [];
    const base = { requestId: request.id, stage: i };
    if (stage.approverIds.length > 0) {
      timers.push({
        id: `${group}:${i}:remind`,
        kind: TIMER_KINDS.remind,
        group,
        dueAt: due(deadlines.remindAfterWorkingDays),
        payload: { ...base, workingDays: deadlines.remindAfterWorkingDays },
      });
      const level = (stage.escalations?.length ?? 0) + 1;
      const after = deadlines.escalateAfterWorkingDays * level;
      if (after < deadlines.expireAfterWorkingDays && !stage.awaitingReturn) {
        timers.push({
          id: `${group}:${i}:escalate:${level}`,
          kind: TIMER_KINDS.escalate,
          group,
          dueAt: due(after),
          payload: { ...base, level, workingDays: after },
        });
      }
    }
    timers.push({
      id: `${group}:${i}:expire`,
      kind: TIMER_KINDS.expire,
      group,
      dueAt: due(deadlines.expireAfterWorkingDays),
      payload: { ...base, workingDays: deadlines.expireAfterWorkingDays },
    });
    return timers;
  }

  /**
   * A granted access with an end date: `request:<id>:renew` 14 days before (07:00 local, in sending hours) sends the
   * subject and the requester a "renew?" card; `request:<id>:end` the morning after the end date submits a stop
   * request for the same person, system and role (request id derived from this one, so it is submitted once), which
   * the organisation's route takes to the administrator.
   */
  private async accessEndTimers(request: WorkRequest, endDate: string): Promise<NewTimer[]> {
    const calendar = await this.calendarFor(request.organisationId);
    const group = requestGroup(request.id);
    const payload = { requestId: request.id, endDate };
    return [
      {
        id: `${group}:renew`,
        kind: TIMER_KINDS.renew,
        group,
        dueAt: calendar.nextAllowed(calendar.morningOf(endDate, -RENEW_DAYS_BEFORE)).toISOString(),
        payload,
      },
      {
        id: `${group}:end`,
        kind: TIMER_KINDS.end,
        group,
        dueAt: calendar.nextAllowed(calendar.morningOf(endDate, 1)).toISOString(),
        payload,
      },
    ];
  }

  /** Resolves to the timers planned (for `Scheduler.planned`). */
  async plan(request: WorkRequest): Promise<NewTimer[]> {
    const timers = await this.timersFor(request);
    await this.deps.timers.replaceGroup(requestGroup(request.id), timers);
    return timers;
  }

  /**
   * At start: plans every open request, and the end of every granted time-bound access whose timers are missing, so
   * a change whose plan was not written (a crash between the change and its plan, or a failed plan) gets its timers
   * now. A granted access is planned again only while its end is still ahead and its group is empty: its renewal
   * and end timers cannot both have run before the end's due time, so an empty group means the plan was lost, and a
   * renewal notice is never sent twice. Resolves to the number of requests planned.
   */
  async planAll(): Promise<number> {
    const open = await this.deps.engine.listOpen();
    for (const request of open) await this.plan(request);
    let recovered = 0;
    const now = this.deps.now().getTime();
    const done = this.deps.plansWithChanges === true ? [] : ((await this.deps.engine.listDone?.()) ?? []);
    for (const request of done) {
      const endDate = timeBound(request);
      if (endDate === undefined) continue;
      const timers = await this.accessEndTimers(request, endDate);
      const end = timers.find((t) => t.kind === TIMER_KINDS.end);
      if (!end || Date.parse(end.dueAt) <= now) continue;
      if ((await this.deps.timers.group(requestGroup(request.id))).length > 0) continue;
      await this.deps.timers.replaceGroup(requestGroup(request.id), timers);
      recovered += 1;
    }
    if (recovered > 0)
      this.log.warn({ recovered }, 'planned the end of granted accesses whose timers were lost');
    return open.length + recovered;
  }

  handlers(): Record<string, TimerHandler> {
    return {
      [TIMER_KINDS.remind]: (timer) => this.remind(timer),
      [TIMER_KINDS.escalate]: (timer) => this.escalate(timer),
      [TIMER_KINDS.expire]: (timer) => this.expire(timer),
      [TIMER_KINDS.end]: (timer) => this.endAccess(timer),
    };
  }

  /** Submits the stop request of a time-bound access whose end date has passed (once: derived request id). */
  private async endAccess(timer: Timer): Promise<TimerResult> {
    const granted = await this.deps.engine.get(String(timer.payload.requestId)).catch(() => undefined);
    const endDate = granted ? timeBound(granted) : undefined;
    if (!granted || !endDate || !granted.systemId) return DONE;
    const organisation = (await this.deps.view.current()).organisations.get(granted.organisationId);
    const lang = organisation?.language ?? 'sv';
    const { request, created } = await this.deps.engine.submit({
      kind: 'access',
      requestId: derivedId(`access-end:${granted.id}`),
      requesterId: granted.requesterId,
      subjectId: granted.subjectId,
      systemId: granted.systemId,
      ...(granted.unitId ? { unitId: granted.unitId } : {}),
      fields: {
        change: 'stop',
        role: granted.fields.role ?? '',
        justification: t(lang, 'access.end.justification', { date: endDate }),
        startDate: calendarDate(this.deps.now()),
      },
    });
    this.log.info({ requestId: granted.id, stopRequestId: request.id, created }, 'time-bound access ended');
    return DONE;
  }

  private async waiting(timer: Timer): Promise<WorkRequest | undefined> {
    const requestId = String(timer.payload.requestId);
    try {
      const request = await this.deps.engine.get(requestId);
      const waits = request.status === 'open' && request.currentStage === Number(timer.payload.stage);
      return waits ? request : undefined;
    } catch {
      // An archived or unknown request has nothing waiting.
      return undefined;
    }
  }

  private async remind(timer: Timer): Promise<TimerResult> {
    const request = await this.waiting(timer);
    const stage = request?.stages[request.currentStage];
    if (!request || !stage) return DONE;
    const calendar = await this.calendarFor(request.organisationId);
    const sendAt = calendar.nextAllowed(new Date(this.deps.now().getTime() + DIGEST_GATHER_MS));
    await this.deps.timers.add(
      stage.approverIds.map((personId) => ({
        id: `reminder:${personId}`,
        kind: TIMER_KINDS.digest,
        group: `reminder:${personId}`,
        dueAt: sendAt.toISOString(),
        payload: { personId },
      })),
    );
    const event: AuditEvent = {
      id: derivedId(timer.id),
      at: this.deps.now().toISOString(),
      type: 'reminded',
      actor: 'system',
      requestId: request.id,
      requestKind: request.kind,
      organisationId: request.organisationId,
      details: {
        step: stage.name,
        people: stage.approverIds.join(';'),
        afterWorkingDays: Number(timer.payload.workingDays),
      },
    };
    if (request.systemId !== undefined) event.systemId = request.systemId;
    if (request.subjectId !== 'system') event.onBehalfOf = request.subjectId;
    await this.deps.audit.recordAudit([event]);
    this.log.info({ requestId: request.id, step: stage.name }, 'reminder due');
    return DONE;
  }

  private async escalate(timer: Timer): Promise<TimerResult> {
    const request = await this.waiting(timer);
    if (!request) return DONE;
    const quiet = await this.quiet(request);
    if (quiet) return quiet;
    const result = await this.deps.engine.escalate({
      requestId: request.id,
      stage: request.currentStage,
      level: Number(timer.payload.level),
      afterWorkingDays: Number(timer.payload.workingDays),
    });
    this.log.info({ requestId: request.id, changed: result.changed }, 'escalation due');
    return DONE;
  }

  private async expire(timer: Timer): Promise<TimerResult> {
    const request = await this.waiting(timer);
    if (!request) return DONE;
    const quiet = await this.quiet(request);
    if (quiet) return quiet;
    const result = await this.deps.engine.expire({
      requestId: request.id,
      stage: request.currentStage,
      afterWorkingDays: Number(timer.payload.workingDays),
    });
    this.log.info({ requestId: request.id, changed: result.changed }, 'expiry due');
    return DONE;
  }

  /** A later time when nothing may be sent now in the request's organisation. */
  private async quiet(request: WorkRequest): Promise<TimerResult | undefined> {
    const calendar = await this.calendarFor(request.organisationId);
    const now = this.deps.now();
    return calendar.isQuiet(now) ? { retryAt: calendar.nextAllowed(now) } : undefined;
  }

  /** Open requests waiting for the person whose reminder time has passed (for the digest), oldest first. */
  async overdueFor(requests: readonly WorkRequest[]): Promise<WorkRequest[]> {
    const now = this.deps.now();
    const overdue: WorkRequest[] = [];
    for (const request of requests) {
      const deadlines = this.deps.engine.deadlinesFor(request.organisationId);
      const calendar = await this.calendarFor(request.organisationId);
      const remindAt = calendar.addWorkingDays(
        new Date(stepStartedAt(request)),
        deadlines.remindAfterWorkingDays,
      );
      if (remindAt.getTime() <= now.getTime()) overdue.push(request);
    }
    return overdue.sort((a, b) => stepStartedAt(a).localeCompare(stepStartedAt(b)));
  }
}

/** The end date of a granted (done) new or changed access, if it has one. */
export function timeBound(request: WorkRequest): string | undefined {
  const { change, endDate } = request.fields;
  const granted = request.kind === 'access' && request.status === 'done' && change !== 'stop';
  return granted && typeof endDate === 'string' && endDate !== '' ? endDate : undefined;
}

/** The date in Stockholm (the municipalities' civil date), YYYY-MM-DD. */
function calendarDate(at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(at);
}

/** How `withDeadlinePlanning` plans: after a change (`plan`), or within it (`timersFor`, then `planned`). */
export interface DeadlinePlanner {
  /** Replaces the request's timers with its plan, in the timer store (after the change). */
  plan(request: WorkRequest): Promise<unknown>;
  /** The request's timers (RequestDeadlines.timersFor), for a store that writes them with the change. */
  timersFor(request: WorkRequest): Promise<NewTimer[]>;
  /** After a change whose timers the store wrote (tells the scheduler their due times). */
  planned(request: WorkRequest, timers: readonly NewTimer[]): void;
}

/**
 * The request store with deadline planning for every committed create or update.
 *
 * - A store that keeps timers with its requests (`plansTimers`: PostgreSQL) gets the plan in the change's own
 *   effects: one atomic write, so no crash can leave a change without its timers or timers without the change.
 * - Otherwise (the embedded store: requests and timers are separate files) the plan is written after the change.
 *   It is idempotent and derived from the stored requests alone, so a failure or a crash between the two writes
 *   loses nothing: it is logged, and `planAll` at the next start plans every request that can have timers again.
 */
export function withDeadlinePlanning(
  store: RequestStore,
  planner: DeadlinePlanner,
  logger: Logger,
): RequestStore {
  const planned = (request: WorkRequest) => {
    planner
      .plan(request)
      .catch((error: unknown) =>
        logger.error({ err: error, requestId: request.id }, 'could not plan the request’s deadlines'),
      );
  };
  // A plan that cannot be made must not stop the change: it is written without timers (logged), and planned
  // again at the next start like any open request.
  const withTimers = async (request: WorkRequest, effects: Effects | undefined): Promise<Effects> => {
    try {
      return {
        ...effects,
        timers: { group: requestGroup(request.id), timers: await planner.timersFor(request) },
      };
    } catch (error) {
      logger.error({ err: error, requestId: request.id }, 'could not plan the request’s deadlines');
      return effects ?? {};
    }
  };
  const plannedIn = (effects: Effects) => effects.timers?.timers ?? [];
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'create') {
        return async (request: WorkRequest, effects?: Effects) => {
          if (target.plansTimers === true) {
            const planned = await withTimers(request, effects);
            await target.create(request, planned);
            planner.planned(request, plannedIn(planned));
            return;
          }
          await target.create(request, effects);
          planned(request);
        };
      }
      if (key === 'update') {
        return async (next: WorkRequest, expectedVersion: number, effects?: Effects) => {
          if (target.plansTimers === true) {
            const planned = await withTimers(next, effects);
            const written = await target.update(next, expectedVersion, planned);
            planner.planned(written, plannedIn(planned));
            return written;
          }
          const written = await target.update(next, expectedVersion, effects);
          planned(written);
          return written;
        };
      }
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
