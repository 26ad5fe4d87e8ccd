import { isCurrent, type SystemRecord } from '../../data/model.js';
import type { AuditEvent, WorkRequest } from '../../data/requestModel.js';
import type { AuditLog } from '../../data/auditLog.js';
import type { RequestStore } from '../../data/requestStore.js';
import type { ReviewCampaign, ReviewEntry, ReviewItemDecision, AccessList } from '../../data/reviewModel.js';
import type { ReviewStore } from '../../data/reviewStore.js';
import type { NewTimer, TimerStore } from '../../data/timerStore.js';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { FieldProblem } from '../requests/kinds.js';
import { derivedId } from '../requests/deadlines.js';
import type { RequestEngine } from '../requests/engine.js';
import type { RegisterIndexes, RegisterView } from '../search/registerView.js';
import { isListReader } from '../lists/index.js';

/**
 * Access reviews (issue 13 item 4). Decisions:
 *
 * - Who starts: the system's current owner or a list reader (IT coordinator, IT unit, IT manager, security
 *   officer) of its organisation; a scheduled campaign starts as 'system'. One campaign per system at a time: a
 *   start while one is open or overdue returns that one (`created: false`).
 * - What is reviewed: the accesses granted through Ansvar (done access requests for the system, new/change add,
 *   stop removes, in the order they were carried out) merged with the system's imported access list, one entry per
 *   person and role.
 * - Who decides: the system's current administrators and deputies (checked against the register at the click, not
 *   the ones sent the card); after `dueAt` also its current owners. Anyone else: NotAnApprover.
 * - The decision is made once for the whole campaign: the removals chosen, each with a reason, and "keep all the
 *   rest". One compare-and-set on the version; a repeated or late click finds it decided (AlreadyDecided).
 * - A removal becomes a stop request through the request engine (id derived from campaign, person and role, so a
 *   retry never makes two), requested by the decider for the person.
 * - No answer by `dueAt`: nothing is removed; the campaign becomes overdue and the owners are told (`overdue`).
 * - Yearly: deciding plans the next campaign a year after this one started (timer REVIEW_START_KIND).
 * - Audit: review_started, review_overdue, review_decided (one summary, and one per removal with its reason). The
 *   campaign write comes first and holds the whole decision; its audit events and stop requests follow with
 *   derived ids, and `recover` (at start) writes them again for a process stopped in between.
 */

export const REVIEW_DUE_KIND = 'review.due';
export const REVIEW_START_KIND = 'review.start';
/** Days the reviewers have before the owners are told. */
export const REVIEW_DUE_DAYS = 30;
/** Removal reasons are kept as written, up to this length. */
export const REASON_MAX = 500;

export interface ReviewServiceDeps {
  store: ReviewStore;
  view: Pick<RegisterView, 'current'>;
  engine: Pick<RequestEngine, 'submit'>;
  audit: Pick<RequestStore, 'recordAudit'>;
  timers: Pick<TimerStore, 'add'>;
  /** The accesses granted through Ansvar for a system (see `grantedAccesses`). */
  granted: (systemId: string) => Promise<{ personId: string; role: string }[]>;
  now: () => Date;
  newId: () => string;
  logger: Logger;
  dueDays?: number;
}

export interface Removal {
  personId: string;
  role: string;
  reason: string;
}

export interface StartResult {
  campaign: ReviewCampaign;
  created: boolean;
}

export interface CampaignProgress {
  campaign: ReviewCampaign;
  system?: SystemRecord;
  kept: number;
  removed: number;
}

export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  async get(campaignId: string): Promise<ReviewCampaign | undefined> {
    return this.deps.store.get(campaignId);
  }

  /** Whether the person may start a review of the system: its owner or a list reader of its organisation. */
  async mayStart(actorId: string, systemId: string): Promise<boolean> {
    const indexes = await this.deps.view.current();
    const system = indexes.systems.get(systemId);
    if (!system) return false;
    const now = this.deps.now();
    return (
      holders(indexes, system, ['owner'], now).includes(actorId.toLowerCase()) ||
      isListReader(indexes, system.organisationId, actorId, now)
    );
  }

  /** Starts a campaign for the system (see the class notes); `actorId` 'system' for a scheduled one. */
  async start(input: {
    actorId: string;
    systemId: string;
    yearly?: boolean;
    /** Fixes the campaign id (a scheduled start), so a repeated timer run makes one campaign. */
    campaignId?: string;
  }): Promise<StartResult> {
    const indexes = await this.deps.view.current();
    const system = indexes.systems.get(input.systemId);
    if (!system || system.lifecycle === 'retired')
      throw new AnsvarError('UnknownSystem', `no system ${input.systemId} to review`);
    if (input.actorId !== 'system' && !(await this.mayStart(input.actorId, system.id)))
      throw new AnsvarError('NotAnApprover', `${input.actorId} may not start a review of ${system.id}`);
    const running = (await this.deps.store.list({ systemId: system.id })).find((c) => c.status !== 'done');
    if (running) return { campaign: running, created: false };
    if (input.campaignId !== undefined) {
      const existing = await this.deps.store.get(input.campaignId);
      if (existing) return { campaign: existing, created: false };
    }
    const now = this.deps.now();
    const campaign: ReviewCampaign = {
      id: input.campaignId ?? this.deps.newId(),
      organisationId: system.organisationId,
      systemId: system.id,
      startedBy: input.actorId === 'system' ? 'system' : input.actorId.toLowerCase(),
      startedAt: now.toISOString(),
      dueAt: new Date(now.getTime() + (this.deps.dueDays ?? REVIEW_DUE_DAYS) * 86_400_000).toISOString(),
      yearly: input.yearly ?? false,
      status: 'open',
      reviewerIds: holders(indexes, system, ['administrator', 'deputy'], now),
      entries: mergeEntries(await this.deps.granted(system.id), await this.deps.store.accessList(system.id)),
      version: 0,
    };
    try {
      await this.deps.store.create(campaign);
    } catch (error) {
      // Another start came first (this process or another instance): its campaign is the answer.
      if (!isAnsvarError(error, 'RevisionConflict')) throw error;
      const first =
        (await this.deps.store.list({ systemId: system.id })).find((c) => c.status !== 'done') ??
        (await this.deps.store.get(campaign.id));
      if (!first) throw error;
      return { campaign: first, created: false };
    }
    await this.deps.timers.add([dueTimer(campaign)]);
    await this.deps.audit.recordAudit([
      this.event(campaign, 'review_started', campaign.startedBy, `started:${campaign.id}`, {
        entries: campaign.entries.length,
        reviewers: campaign.reviewerIds.join(';'),
        dueAt: campaign.dueAt,
        yearly: campaign.yearly,
      }),
    ]);
    this.deps.logger.info({ campaignId: campaign.id, systemId: system.id }, 'access review started');
    return { campaign, created: true };
  }

  /**
   * The decision on a campaign: `removals` (each with a reason), everything else kept. Throws NotAnApprover,
   * AlreadyDecided (the campaign is done: its current state is the answer), RevisionConflict (another change came
   * first) or InvalidInput (an unknown entry, a removal without a reason: field `reason:<personId>:<role>`).
   */
  async decide(input: {
    actorId: string;
    campaignId: string;
    version: number;
    removals: readonly Removal[];
  }): Promise<ReviewCampaign> {
    const campaign = await this.deps.store.get(input.campaignId);
    if (!campaign) throw new AnsvarError('InvalidInput', `no review ${input.campaignId}`, []);
    if (campaign.status === 'done')
      throw new AnsvarError('AlreadyDecided', `review ${campaign.id} is decided`, { campaign });
    const actorId = input.actorId.toLowerCase();
    const now = this.deps.now();
    if (!(await this.mayDecide(actorId, campaign, now)))
      throw new AnsvarError('NotAnApprover', `${actorId} may not decide review ${campaign.id}`);
    if (campaign.version !== input.version)
      throw new AnsvarError('RevisionConflict', `review ${campaign.id} changed since the card was shown`);

    const problems: FieldProblem[] = [];
    const chosen = new Map<string, Removal>();
    for (const removal of input.removals) {
      const k = entryKey(removal.personId, removal.role);
      if (!campaign.entries.some((e) => entryKey(e.personId, e.role) === k))
        problems.push({ field: `entry:${removal.personId}:${removal.role}`, problem: 'invalid' });
      else if (removal.reason.trim() === '')
        problems.push({ field: `reason:${removal.personId}:${removal.role}`, problem: 'required' });
      else if (removal.reason.trim().length > REASON_MAX)
        problems.push({ field: `reason:${removal.personId}:${removal.role}`, problem: 'tooLong' });
      else chosen.set(k, removal);
    }
    if (problems.length > 0) throw new AnsvarError('InvalidInput', 'invalid review decision', problems);

    const at = now.toISOString();
    const items: ReviewItemDecision[] = campaign.entries.map((entry) => {
      const removal = chosen.get(entryKey(entry.personId, entry.role));
      if (!removal) return { personId: entry.personId, role: entry.role, outcome: 'keep' };
      return {
        personId: entry.personId,
        role: entry.role,
        outcome: 'remove',
        reason: removal.reason.trim(),
        stopRequestId: derivedId(`review:${campaign.id}:${entryKey(entry.personId, entry.role)}`),
      };
    });
    let decided: ReviewCampaign;
    try {
      decided = await this.deps.store.update(
        { ...campaign, status: 'done', decision: { by: actorId, at, items } },
        campaign.version,
      );
    } catch (error) {
      if (!isAnsvarError(error, 'RevisionConflict')) throw error;
      const current = await this.deps.store.get(campaign.id);
      if (current?.status === 'done')
        throw new AnsvarError('AlreadyDecided', `review ${campaign.id} is decided`, { campaign: current });
      throw error;
    }
    const removed = items.filter((i) => i.outcome === 'remove');
    await this.deps.audit.recordAudit(this.decisionEvents(decided, campaign.status === 'overdue'));
    await this.submitStops(decided);
    if (decided.yearly) await this.deps.timers.add([nextYearTimer(decided)]);
    this.deps.logger.info(
      { campaignId: decided.id, removed: removed.length, kept: items.length - removed.length },
      'access review decided',
    );
    return decided;
  }

  /**
   * The stop requests of a decided campaign's removals (idempotent: derived ids). Called after each decision and
   * again at start for campaigns decided when the process stopped between the decision and its requests.
   */
  async submitStops(campaign: ReviewCampaign): Promise<void> {
    for (const item of campaign.decision?.items ?? []) {
      if (item.outcome !== 'remove' || item.stopRequestId === undefined) continue;
      try {
        await this.deps.engine.submit({
          kind: 'access',
          requestId: item.stopRequestId,
          requesterId: campaign.decision?.by ?? 'system',
          subjectId: item.personId,
          systemId: campaign.systemId,
          fields: {
            change: 'stop',
            role: item.role,
            justification: item.reason ?? '',
            startDate: this.deps.now().toISOString().slice(0, 10),
          },
        });
      } catch (error) {
        // A person no longer known anywhere cannot get a stop request; the review keeps the decision.
        this.deps.logger.warn(
          { err: error, campaignId: campaign.id, personId: item.personId },
          'review removal: stop request not submitted',
        );
      }
    }
  }

  /**
   * The due time has passed: an open campaign becomes overdue (nothing is removed) and names its current owners,
   * who are told and may decide from now. Undefined when there is nothing to do (decided, already overdue).
   */
  async markOverdue(campaignId: string): Promise<ReviewCampaign | undefined> {
    const campaign = await this.deps.store.get(campaignId);
    if (!campaign || campaign.status !== 'open') return undefined;
    const indexes = await this.deps.view.current();
    const system = indexes.systems.get(campaign.systemId);
    const ownerIds = system ? holders(indexes, system, ['owner'], this.deps.now()) : [];
    let overdue: ReviewCampaign;
    try {
      overdue = await this.deps.store.update({ ...campaign, status: 'overdue', ownerIds }, campaign.version);
    } catch (error) {
      if (isAnsvarError(error, 'RevisionConflict')) return undefined;
      throw error;
    }
    await this.deps.audit.recordAudit([
      this.event(overdue, 'review_overdue', 'system', `overdue:${campaign.id}`, {
        owners: ownerIds.join(';'),
        entries: overdue.entries.length,
      }),
    ]);
    return overdue;
  }

  /** The campaigns of an organisation with their progress, newest first; only for its list readers. */
  async progress(actorId: string, organisationId: string): Promise<CampaignProgress[]> {
    const indexes = await this.deps.view.current();
    if (!isListReader(indexes, organisationId, actorId, this.deps.now()))
      throw new AnsvarError('NotAnApprover', `${actorId} may not list the reviews of ${organisationId}`);
    return (await this.deps.store.list({ organisationId })).map((campaign) => {
      const items = campaign.decision?.items ?? [];
      const removed = items.filter((i) => i.outcome === 'remove').length;
      const row: CampaignProgress = { campaign, kept: items.length - removed, removed };
      const system = indexes.systems.get(campaign.systemId);
      if (system) row.system = system;
      return row;
    });
  }

  /**
   * Who may read a campaign's result (its card, its XLSX): the list readers of its organisation, and the system's
   * current owners, administrators and deputies.
   */
  async mayRead(actorId: string, campaign: ReviewCampaign): Promise<boolean> {
    const indexes = await this.deps.view.current();
    const now = this.deps.now();
    if (isListReader(indexes, campaign.organisationId, actorId, now)) return true;
    const system = indexes.systems.get(campaign.systemId);
    return (
      system !== undefined &&
      holders(indexes, system, ['owner', 'administrator', 'deputy'], now).includes(actorId.toLowerCase())
    );
  }

  /** Who may decide now: the current administrators and deputies; the owners too once the campaign is due. */
  async mayDecide(actorId: string, campaign: ReviewCampaign, now = this.deps.now()): Promise<boolean> {
    const indexes = await this.deps.view.current();
    const system = indexes.systems.get(campaign.systemId);
    if (!system) return false;
    const id = actorId.toLowerCase();
    if (holders(indexes, system, ['administrator', 'deputy'], now).includes(id)) return true;
    const due = campaign.status === 'overdue' || now.getTime() >= Date.parse(campaign.dueAt);
    return due && holders(indexes, system, ['owner'], now).includes(id);
  }

  /** Replaces the system's imported access list (the import's "access list" kind). */
  async importAccessList(list: AccessList): Promise<void> {
    await this.deps.store.putAccessList(list);
  }

  /**
   * After a restart: the campaigns decided in the last `withinDays` days get their audit events and stop requests
   * again, for a process stopped between a decision's write and those (both are idempotent: derived ids). Resolves
   * with how many campaigns were looked at.
   */
  async recover(withinDays = 7): Promise<number> {
    const since = this.deps.now().getTime() - withinDays * 86_400_000;
    const decided = (await this.deps.store.list()).filter(
      (c) => c.status === 'done' && c.decision !== undefined && Date.parse(c.decision.at) >= since,
    );
    for (const campaign of decided) {
      await this.deps.audit.recordAudit(this.decisionEvents(campaign));
      await this.submitStops(campaign);
    }
    return decided.length;
  }

  /** The audit events of a decision, from the stored decision alone (so a replay after a crash is the same). */
  private decisionEvents(campaign: ReviewCampaign, afterDue?: boolean): AuditEvent[] {
    const decision = campaign.decision;
    if (!decision) return [];
    const items = decision.items;
    const removed = items.filter((i) => i.outcome === 'remove');
    const at = (event: AuditEvent): AuditEvent => ({ ...event, at: decision.at });
    return [
      at(
        this.event(campaign, 'review_decided', decision.by, `decided:${campaign.id}`, {
          kept: items.length - removed.length,
          removed: removed.length,
          ...(afterDue === undefined ? {} : { afterDue }),
        }),
      ),
      ...removed.map((item) => ({
        ...at(
          this.event(
            campaign,
            'review_decided',
            decision.by,
            `removed:${campaign.id}:${item.personId}:${item.role}`,
            { role: item.role, outcome: 'remove', stopRequestId: item.stopRequestId ?? null },
          ),
        ),
        onBehalfOf: item.personId,
        reason: item.reason ?? '',
      })),
    ];
  }

  private event(
    campaign: ReviewCampaign,
    type: 'review_started' | 'review_decided' | 'review_overdue',
    actor: string,
    key: string,
    details: NonNullable<AuditEvent['details']>,
  ): AuditEvent {
    return {
      id: derivedId(`review-audit:${key}`),
      at: this.deps.now().toISOString(),
      type,
      actor,
      organisationId: campaign.organisationId,
      systemId: campaign.systemId,
      details: { campaignId: campaign.id, ...details },
    };
  }
}

function holders(
  indexes: Pick<RegisterIndexes, 'assignmentsBySystem'>,
  system: SystemRecord,
  roles: readonly string[],
  now: Date,
): string[] {
  return [
    ...new Set(
      (indexes.assignmentsBySystem.get(system.id) ?? [])
        .filter((a) => roles.includes(a.role) && isCurrent(a, now))
        .map((a) => a.personId),
    ),
  ];
}

export function entryKey(personId: string, role: string): string {
  return `${personId.trim().toLowerCase()}|${role.trim().toLowerCase()}`;
}

/** One entry per person and role: the accesses granted through Ansvar, then the imported list's. */
export function mergeEntries(
  granted: readonly { personId: string; role: string }[],
  imported: AccessList | undefined,
): ReviewEntry[] {
  const entries = new Map<string, ReviewEntry>();
  const add = (personId: string, role: string, source: 'ansvar' | 'imported') => {
    const k = entryKey(personId, role);
    const entry = entries.get(k);
    if (entry) {
      if (!entry.sources.includes(source)) entry.sources.push(source);
    } else entries.set(k, { personId: personId.trim().toLowerCase(), role: role.trim(), sources: [source] });
  };
  for (const g of granted) add(g.personId, g.role, 'ansvar');
  for (const row of imported?.rows ?? []) add(row.personId, row.role, 'imported');
  return [...entries.values()].sort(
    (a, b) => a.personId.localeCompare(b.personId) || a.role.localeCompare(b.role),
  );
}

/**
 * The accesses granted through Ansvar for one system: the access requests carried out to the end (found through
 * the audit log's `carried_out` events, read in order, each request read once from the store, archive included),
 * new and change adding the role, stop taking it away (a stop without a role: every role of the person).
 */
export async function grantedAccesses(
  deps: { audit: Pick<AuditLog, 'read'>; get: (requestId: string) => Promise<WorkRequest | undefined> },
  systemId: string,
): Promise<{ personId: string; role: string }[]> {
  const order: string[] = [];
  const seen = new Set<string>();
  for await (const event of deps.audit.read({ systemId })) {
    if (event.type !== 'carried_out' || event.requestKind !== 'access' || event.requestId === undefined)
      continue;
    if (seen.has(event.requestId)) continue;
    seen.add(event.requestId);
    order.push(event.requestId);
  }
  const current = new Map<string, { personId: string; role: string }>();
  for (const requestId of order) {
    const request = await deps.get(requestId);
    if (!request || request.status !== 'done' || request.systemId !== systemId) continue;
    const personId = request.subjectId.toLowerCase();
    const role = typeof request.fields.role === 'string' ? request.fields.role.trim() : '';
    const change = request.fields.change;
    if (change === 'stop') {
      for (const [k, v] of current)
        if (v.personId === personId && (role === '' || k === entryKey(personId, role))) current.delete(k);
    } else if (role !== '') {
      if (change === 'change') for (const [k, v] of current) if (v.personId === personId) current.delete(k);
      current.set(entryKey(personId, role), { personId, role });
    }
  }
  return [...current.values()];
}

function dueTimer(campaign: ReviewCampaign): NewTimer {
  return {
    id: `review:${campaign.id}:due`,
    kind: REVIEW_DUE_KIND,
    group: `review:${campaign.id}`,
    dueAt: campaign.dueAt,
    payload: { campaignId: campaign.id },
  };
}

/** The next yearly campaign of the system: a year after this one started; its id is derived (one per year). */
export function nextYearTimer(campaign: ReviewCampaign): NewTimer {
  const started = new Date(campaign.startedAt);
  const next = new Date(started);
  next.setUTCFullYear(started.getUTCFullYear() + 1);
  const year = next.getUTCFullYear();
  return {
    id: `review-start:${campaign.systemId}:${year}`,
    kind: REVIEW_START_KIND,
    group: `review-start:${campaign.systemId}`,
    dueAt: next.toISOString(),
    payload: { systemId: campaign.systemId, year },
  };
}

/** The id of the scheduled campaign of a system and year (a repeated timer run finds it). */
export function scheduledCampaignId(systemId: string, year: number): string {
  return derivedId(`review-campaign:${systemId}:${year}`);
}
