import type { Language, Organisation, Role } from '../data/model.js';
import type { Stage, Unreachable, WorkRequest } from '../data/requestModel.js';
import { formatDate, formatDateTime, formatList, t, type MessageKey } from '../services/i18n/index.js';
import { roleLabel } from '../services/nlu/vocabulary.js';
import { awaitsPerson, lastAction, type LastAction } from '../services/requests/engine.js';
import { awaitsDecision, awaitsTask, type FieldProblem } from '../services/requests/kinds.js';
import type { RoutingProblem } from '../services/requests/routing.js';
import type { RegisterIndexes } from '../services/search/registerView.js';
import { chatUrl, clip, summaryOf, upperFirst, type Reply } from './answerCards.js';
import type {
  RequestCardData,
  RequestFormCardData,
  RequestListItemCardData,
  RequestStageCardData,
  UnreachableCardData,
} from './cardData.js';
import { renderCard } from './render.js';

/**
 * Access requests as cards: the form, one request as one viewer sees it, and the lists. Everything shown is
 * computed here from the stored request and the register's names; user text (role, justification, reasons) is
 * laid out in TextRuns only, and the plain-text summary is Markdown-escaped.
 */

/** Caps that keep a request card under the 80 KB budget however long its route is. */
export const REQUEST_LIMITS = {
  stages: 12,
  namesPerLine: 8,
  skippedPerStage: 8,
  unreachable: 8,
  listItems: 15,
  justification: 1000,
  reason: 500,
} as const;

/** Names for the ids a request holds. `requestNamesFrom` builds it from the register's current indexes. */
export interface RequestNames {
  personName(id: string): string | undefined;
  /** The person's e-mail address; absent or undefined = the person id (a lower-cased e-mail) is shown. */
  personEmail?(id: string): string | undefined;
  systemName(id: string): string | undefined;
  organisation(id: string): Organisation | undefined;
}

export function requestNamesFrom(
  indexes: Pick<RegisterIndexes, 'people' | 'systems' | 'organisations'>,
): RequestNames {
  return {
    personName: (id) => indexes.people.get(id)?.name,
    personEmail: (id) => indexes.people.get(id)?.email,
    systemName: (id) => indexes.systems.get(id)?.name,
    organisation: (id) => indexes.organisations.get(id),
  };
}

/** Who looks at the card: decides which buttons it has. */
export interface RequestViewer {
  /** Person id (lower-cased e-mail / UPN). */
  personId: string;
}

/** A line shown above the request after a click. */
export type RequestNotice =
  | { kind: 'submitted' }
  | { kind: 'unchanged'; last?: LastAction }
  | { kind: 'reasonRequired' }
  | { kind: 'noteRequired' }
  | { kind: 'tooLong' };

export interface RequestReplyContext {
  names: RequestNames;
  notice?: RequestNotice;
  /** From a fresh submission: steps no one could be found for, with whom to contact. */
  routingProblems?: readonly RoutingProblem[];
}

/**
 * The request card for `viewer` in `language`, with buttons by the viewer's part in the request's current state:
 * Approve / Reject (with a reason input) for an approver of the current stage, Cancel for the requester while it is
 * open, Done / Could not (with a note) for a task assignee while the task is open. The requester and the subject
 * never get decision buttons. The delivery side renders outbox items with this too.
 */
export function requestReply(
  request: WorkRequest,
  viewer: RequestViewer,
  language: Language,
  context: RequestReplyContext,
): Reply {
  const lang = language;
  const { names } = context;
  const person = (id: string) => clip(names.personName(id) ?? id, 120);
  const organisation = names.organisation(request.organisationId);
  const systemName = clip(
    (request.systemId && names.systemName(request.systemId)) ?? request.systemId ?? '',
    120,
  );
  const fields = request.fields;
  const change = changeOf(fields.change);
  const viewerId = viewer.personId.trim().toLowerCase();
  const ownRequest = viewerId === request.requesterId || viewerId === request.subjectId;

  const facts: RequestCardData['facts'] = [
    { label: t(lang, 'request.fact.requester'), value: person(request.requesterId) },
    { label: t(lang, 'request.fact.subject'), value: person(request.subjectId) },
    { label: t(lang, 'request.fact.system'), value: systemName },
  ];
  if (change) facts.push({ label: t(lang, 'request.fact.kind'), value: t(lang, `request.change.${change}`) });
  const text = (key: string, max = 300) => {
    const value = fields[key];
    return typeof value === 'string' && value.trim() !== '' ? clip(value, max) : undefined;
  };
  const role = text('role', 200);
  if (role) facts.push({ label: t(lang, 'request.fact.role'), value: role });
  const justification = text('justification', REQUEST_LIMITS.justification);
  if (justification) facts.push({ label: t(lang, 'request.fact.justification'), value: justification });
  const startDate = text('startDate', 20);
  if (startDate) facts.push({ label: t(lang, 'request.fact.startDate'), value: formatDate(lang, startDate) });
  const endDate = text('endDate', 20);
  if (endDate) facts.push({ label: t(lang, 'request.fact.endDate'), value: formatDate(lang, endDate) });
  if (fields.policyConfirmed === true)
    facts.push({ label: t(lang, 'request.fact.policy'), value: t(lang, 'request.yes') });

  const shownStages = request.stages.slice(0, REQUEST_LIMITS.stages);
  const stages = shownStages.map((stage, i) => stageData(request, stage, i, lang, organisation, person));
  const task = request.task ? taskData(request, lang, person) : undefined;
  if (task) stages.push(task);
  const hiddenStages = request.stages.length - shownStages.length;

  const status = statusOf(request, lang, organisation, person);
  const contacts = [...new Set((context.routingProblems ?? []).flatMap((p) => p.contacts))];
  const canDecide =
    !ownRequest &&
    awaitsDecision(request) &&
    request.stages[request.currentStage]!.approverIds.includes(viewerId);
  const canComplete = !ownRequest && awaitsTask(request) && request.task!.assigneeIds.includes(viewerId);
  const data: RequestCardData = {
    title: clip(t(lang, 'request.title', { system: systemName }), 200),
    urgentText: request.urgent ? t(lang, 'request.urgent') : '',
    statusText: status.text,
    statusColor: status.color,
    noticeText: context.notice ? noticeText(context.notice, lang, person) : '',
    facts,
    routeTitle: t(lang, 'request.route'),
    stages,
    moreStagesText: hiddenStages > 0 ? t(lang, 'request.moreStages', { count: hiddenStages }) : '',
    contactsText:
      contacts.length > 0
        ? clip(t(lang, 'request.contacts', { names: namesText(lang, contacts, person) }), 600)
        : '',
    unreachable: ownRequest ? unreachableData(request, lang, names) : [],
    requestId: request.id,
    version: request.version,
    canDecide,
    reasonLabel: t(lang, 'request.reason'),
    reasonPlaceholder: t(lang, 'request.reasonPlaceholder'),
    approveTitle: t(lang, 'request.approve'),
    rejectTitle: t(lang, 'request.reject'),
    canCancel: request.status === 'open' && viewerId === request.requesterId,
    cancelTitle: t(lang, 'request.cancel'),
    canComplete,
    noteLabel: t(lang, 'request.note'),
    notePlaceholder: t(lang, 'request.notePlaceholder'),
    doneTitle: t(lang, 'request.done'),
    failedTitle: t(lang, 'request.failed'),
  };
  const summary = [
    data.noticeText,
    `${data.title}.`,
    data.urgentText,
    `${data.statusText}.`,
    ...data.unreachable.map((u) => u.text),
    facts.map((f) => `${f.label}: ${f.value}`).join('; '),
  ]
    .filter((s) => s !== '')
    .join(' ');
  return { card: renderCard('requestCard', data), summary: summaryOf(summary) };
}

/** The values a form shows: defaults when it opens, the user's inputs after a refused submit. */
export interface RequestFormValues {
  change: string;
  subject: string;
  role: string;
  justification: string;
  startDate: string;
  endDate: string;
  policyConfirmed: boolean;
}

export interface RequestFormInput {
  language: Language;
  system: { id: string; name: string };
  organisationName: string;
  /** Idempotency key of this form: the request id a submission of it gets. */
  formId: string;
  values: RequestFormValues;
  policyRequired: boolean;
  problems?: readonly FieldProblem[];
}

const FORM_FIELDS = [
  'change',
  'subject',
  'role',
  'justification',
  'startDate',
  'endDate',
  'policyConfirmed',
] as const;
type FormField = (typeof FORM_FIELDS)[number];

const PROBLEM_KEYS: Record<string, MessageKey> = {
  required: 'problem.required',
  invalid: 'problem.invalid',
  invalidChoice: 'problem.invalidChoice',
  invalidDate: 'problem.invalidDate',
  tooLong: 'problem.tooLong',
  endBeforeStart: 'problem.endBeforeStart',
  mustConfirm: 'problem.mustConfirm',
  unknownPerson: 'problem.unknownPerson',
  ambiguousPerson: 'problem.ambiguousPerson',
};

/** The request form for one system; with `problems`, each input carries its message and the values stay. */
export function requestFormReply(input: RequestFormInput): Reply {
  const lang = input.language;
  const problems = new Map<FormField, string>();
  let elsewhere = false;
  for (const problem of input.problems ?? []) {
    const field = (problem.field === 'requester' ? 'subject' : problem.field) as FormField;
    if (!(FORM_FIELDS as readonly string[]).includes(field)) {
      elsewhere = true;
      continue;
    }
    if (!problems.has(field))
      problems.set(field, t(lang, PROBLEM_KEYS[problem.problem] ?? 'problem.invalid'));
  }
  const error = (field: FormField) => problems.get(field) ?? '';
  const errorText =
    input.problems && input.problems.length > 0
      ? t(lang, elsewhere && problems.size === 0 ? 'request.form.problemElsewhere' : 'request.form.errors')
      : '';
  const v = input.values;
  const data: RequestFormCardData = {
    title: clip(t(lang, 'request.form.title', { system: input.system.name }), 200),
    subtitle: clip(input.organisationName, 120),
    errorText,
    systemId: input.system.id,
    formId: input.formId,
    changeLabel: t(lang, 'request.form.change'),
    change: changeOf(v.change) ?? 'new',
    changeChoices: (['new', 'change', 'stop'] as const).map((c) => ({
      title: t(lang, `request.change.${c}`),
      value: c,
    })),
    changeError: error('change'),
    subjectLabel: t(lang, 'request.form.subject'),
    subjectPlaceholder: t(lang, 'request.form.subjectPlaceholder'),
    subject: clip(v.subject, 320),
    subjectError: error('subject'),
    roleLabel: t(lang, 'request.form.role'),
    rolePlaceholder: t(lang, 'request.form.rolePlaceholder'),
    role: clip(v.role, 200),
    roleError: error('role'),
    justificationLabel: t(lang, 'request.form.justification'),
    justificationPlaceholder: t(lang, 'request.form.justificationPlaceholder'),
    justification: clip(v.justification, 2000),
    justificationError: error('justification'),
    startDateLabel: t(lang, 'request.form.startDate'),
    startDate: isoDateOrEmpty(v.startDate),
    startDateError: error('startDate'),
    endDateLabel: t(lang, 'request.form.endDate'),
    endDate: isoDateOrEmpty(v.endDate),
    endDateError: error('endDate'),
    policyRequired: input.policyRequired,
    policyTitle: t(lang, 'request.form.policy'),
    policyConfirmed: v.policyConfirmed ? 'true' : 'false',
    policyError: input.policyRequired ? error('policyConfirmed') : '',
    submitTitle: t(lang, 'request.form.submit'),
  };
  const summary = [data.title, data.errorText, ...problems.values()].filter((s) => s !== '').join(' ');
  return { card: renderCard('requestFormCard', data), summary: summaryOf(summary) };
}

export type RequestListKind = 'mine' | 'awaiting';

/**
 * "My requests" (with Cancel on one's own open ones) or "waiting for me"; each item opens the request card. At
 * most `REQUEST_LIMITS.listItems` items, the rest counted.
 */
export function requestListReply(
  kind: RequestListKind,
  requests: readonly WorkRequest[],
  viewer: RequestViewer,
  language: Language,
  names: RequestNames,
): Reply {
  const lang = language;
  const person = (id: string) => clip(names.personName(id) ?? id, 120);
  const viewerId = viewer.personId.trim().toLowerCase();
  const shown = requests.slice(0, REQUEST_LIMITS.listItems);
  const items = shown.map((request): RequestListItemCardData => {
    const organisation = names.organisation(request.organisationId);
    const change = changeOf(request.fields.change);
    const system = (request.systemId && names.systemName(request.systemId)) ?? request.systemId ?? '';
    const waitingForViewer =
      kind === 'awaiting'
        ? awaitsTask(request)
          ? t(lang, 'requests.item.taskYou')
          : t(lang, 'requests.item.waitingYou')
        : '';
    return {
      heading: clip(
        t(lang, 'requests.item.heading', {
          kind: change ? t(lang, `request.change.${change}`) : request.kind,
          system,
        }),
        200,
      ),
      detail: clip(
        t(lang, 'requests.item.detail', {
          subject: person(request.subjectId),
          date: formatDate(lang, request.createdAt),
        }),
        200,
      ),
      statusText: clip(
        [
          request.urgent ? t(lang, 'request.urgent') : '',
          waitingForViewer || statusOf(request, lang, organisation, person).text,
        ]
          .filter((s) => s !== '')
          .join(' · '),
        300,
      ),
      requestId: request.id,
      version: request.version,
      openTitle: t(lang, 'requests.open'),
      canCancel: kind === 'mine' && request.status === 'open' && request.requesterId === viewerId,
      cancelTitle: t(lang, 'request.cancel'),
    };
  });
  const hidden = requests.length - shown.length;
  const title = t(lang, kind === 'mine' ? 'requests.mine.title' : 'requests.awaiting.title');
  const emptyText =
    requests.length === 0 ? t(lang, kind === 'mine' ? 'requests.mine.empty' : 'requests.awaiting.empty') : '';
  const moreText = hidden > 0 ? t(lang, 'requests.more', { count: hidden }) : '';
  const summary = [
    `${title}:`,
    emptyText,
    items.map((i) => `${i.heading} (${i.statusText})`).join('; '),
    moreText,
  ]
    .filter((s) => s !== '')
    .join(' ');
  return {
    card: renderCard('requestListCard', {
      title,
      emptyText,
      items,
      moreText,
      mineTitle: t(lang, 'requests.mine.title'),
      awaitingTitle: t(lang, 'requests.awaiting.title'),
    }),
    summary: summaryOf(summary),
  };
}

type PersonName = (id: string) => string;

function changeOf(value: unknown): 'new' | 'change' | 'stop' | undefined {
  return value === 'new' || value === 'change' || value === 'stop' ? value : undefined;
}

function isoDateOrEmpty(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '';
}

/** Register roles behind the routing roles, for their labels in the organisation's words. */
const SOURCE_ROLES: Record<string, Role> = {
  system_administrator: 'administrator',
  system_deputy: 'deputy',
  system_owner: 'owner',
  unit_it_orderer: 'it_orderer',
  security_officer: 'security_officer',
  it_coordinator: 'it_coordinator',
  it_unit: 'it_unit',
};

function sourceLabel(source: string, lang: Language, organisation: Organisation | undefined): string {
  const role = SOURCE_ROLES[source];
  if (role) return roleLabel(role, lang, organisation);
  if (source === 'subject_manager') return t(lang, 'request.role.manager');
  return source;
}

function namesText(lang: Language, ids: readonly string[], person: PersonName): string {
  const shown = ids.slice(0, REQUEST_LIMITS.namesPerLine).map(person);
  const hidden = ids.length - shown.length;
  const list = formatList(lang, shown);
  return hidden > 0 ? t(lang, 'request.moreNames', { names: list, count: hidden }) : list;
}

function stageData(
  request: WorkRequest,
  stage: Stage,
  index: number,
  lang: Language,
  organisation: Organisation | undefined,
  person: PersonName,
): RequestStageCardData {
  const lines: { text: string }[] = [];
  if (stage.approverIds.length === 0) lines.push({ text: t(lang, 'request.stage.nobody') });
  else if (stage.resolvedVia !== undefined)
    lines.push({
      text: clip(
        t(lang, 'request.stage.standIn', {
          names: namesText(lang, stage.approverIds, person),
          role: sourceLabel(stage.resolvedVia, lang, organisation),
        }),
        600,
      ),
    });
  else
    lines.push({
      text: clip(
        t(lang, 'request.stage.deciders', { names: namesText(lang, stage.approverIds, person) }),
        600,
      ),
    });
  for (const skipped of stage.skipped.slice(0, REQUEST_LIMITS.skippedPerStage)) {
    lines.push({
      text: clip(
        t(lang, 'request.stage.skipped', {
          name: person(skipped.personId),
          reason: t(lang, `request.skipped.${skipped.reason}`),
        }),
        300,
      ),
    });
  }
  let stateText: string;
  let stateColor: RequestStageCardData['stateColor'] = 'Default';
  const decision = stage.decision;
  if (decision) {
    const params = { name: person(decision.by), at: formatDateTime(lang, decision.at) };
    stateText = t(
      lang,
      decision.outcome === 'approved' ? 'request.stage.approved' : 'request.stage.rejected',
      params,
    );
    stateColor = decision.outcome === 'approved' ? 'Good' : 'Attention';
    if (decision.reason)
      lines.push({
        text: t(lang, 'request.stage.reason', { reason: clip(decision.reason, REQUEST_LIMITS.reason) }),
      });
  } else if (request.status === 'open' && index === request.currentStage) {
    stateText = t(lang, 'request.stage.waiting');
    stateColor = 'Accent';
  } else if (request.status === 'open') {
    stateText = t(lang, 'request.stage.notYet');
  } else {
    stateText = t(lang, 'request.stage.notDecided');
  }
  return {
    title: t(lang, 'request.stage.title', {
      number: index + 1,
      role: upperFirst(sourceLabel(stage.role, lang, organisation)),
    }),
    lines,
    stateText,
    stateColor,
  };
}

/**
 * One line per approver or assignee whom a card could not reach and who still has something to do (the latest
 * reason per person), with their address and a chat link; none once they have decided or are no longer waited for.
 */
function unreachableData(request: WorkRequest, lang: Language, names: RequestNames): UnreachableCardData[] {
  const latest = new Map<string, Unreachable>();
  for (const note of request.unreachable ?? []) {
    if (awaitsPerson(request, note.personId)) latest.set(note.personId, note);
  }
  return [...latest.values()].slice(0, REQUEST_LIMITS.unreachable).map((note) => {
    const name = clip(names.personName(note.personId) ?? note.personId, 120);
    const email = clip(names.personEmail?.(note.personId) ?? note.personId, 254);
    return {
      text: clip(
        t(lang, 'request.unreachable', {
          name,
          reason: t(lang, `request.unreachable.${note.reason}`),
          email,
        }),
        600,
      ),
      chatTitle: clip(t(lang, 'holder.chat', { name }), 120),
      chatUrl: chatUrl(email),
    };
  });
}

function taskData(request: WorkRequest, lang: Language, person: PersonName): RequestStageCardData {
  const task = request.task!;
  const lines: { text: string }[] = [
    task.assigneeIds.length === 0
      ? { text: t(lang, 'request.stage.nobody') }
      : {
          text: clip(
            t(lang, 'request.task.assignees', { names: namesText(lang, task.assigneeIds, person) }),
            600,
          ),
        },
  ];
  let stateText: string;
  let stateColor: RequestStageCardData['stateColor'] = 'Default';
  if (task.outcome && task.by && task.at) {
    const params = { name: person(task.by), at: formatDateTime(lang, task.at) };
    stateText = t(lang, task.outcome === 'done' ? 'request.task.done' : 'request.task.failed', params);
    stateColor = task.outcome === 'done' ? 'Good' : 'Attention';
    if (task.note)
      lines.push({ text: t(lang, 'request.task.note', { note: clip(task.note, REQUEST_LIMITS.reason) }) });
  } else if (awaitsTask(request)) {
    stateText = t(lang, 'request.task.waiting');
    stateColor = 'Accent';
  } else if (request.status === 'open') {
    stateText = t(lang, 'request.task.notYet');
  } else {
    stateText = t(lang, 'request.stage.notDecided');
  }
  return {
    title: t(lang, 'request.stage.title', {
      number: Math.min(request.stages.length, REQUEST_LIMITS.stages) + 1,
      role: t(lang, 'request.task.title'),
    }),
    lines,
    stateText,
    stateColor,
  };
}

function statusOf(
  request: WorkRequest,
  lang: Language,
  organisation: Organisation | undefined,
  person: PersonName,
): { text: string; color: RequestStageCardData['stateColor'] } {
  const last = lastAction(request);
  const params = last ? { name: person(last.by), at: formatDateTime(lang, last.at) } : { name: '', at: '' };
  switch (request.status) {
    case 'open': {
      if (awaitsDecision(request)) {
        const stage = request.stages[request.currentStage]!;
        return {
          text: t(lang, 'request.status.waiting', { stage: sourceLabel(stage.role, lang, organisation) }),
          color: 'Accent',
        };
      }
      return { text: t(lang, 'request.status.task'), color: 'Accent' };
    }
    case 'rejected':
      return { text: t(lang, 'request.status.rejected', params), color: 'Attention' };
    case 'cancelled':
      return { text: t(lang, 'request.status.cancelled', params), color: 'Warning' };
    case 'done':
      return request.task?.outcome === 'done'
        ? { text: t(lang, 'request.status.done', params), color: 'Good' }
        : { text: t(lang, 'request.status.approved'), color: 'Good' };
    case 'failed':
      return { text: t(lang, 'request.status.failed', params), color: 'Attention' };
  }
}

function noticeText(notice: RequestNotice, lang: Language, person: PersonName): string {
  switch (notice.kind) {
    case 'submitted':
      return t(lang, 'request.notice.submitted');
    case 'reasonRequired':
      return t(lang, 'request.notice.reasonRequired');
    case 'noteRequired':
      return t(lang, 'request.notice.noteRequired');
    case 'tooLong':
      return t(lang, 'request.notice.tooLong');
    case 'unchanged': {
      const last = notice.last;
      if (!last) return t(lang, 'request.notice.changed');
      return t(lang, `request.notice.${last.action}`, {
        name: person(last.by),
        at: formatDateTime(lang, last.at),
      });
    }
  }
}
