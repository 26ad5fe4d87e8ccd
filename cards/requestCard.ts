import type { Language } from '../data/model.js';
import type { Unreachable, WorkRequest } from '../data/requestModel.js';
import type { Catalogue } from '../services/equipment/catalogue.js';
import { formatDate, formatDateTime, t, type MessageKey } from '../services/i18n/index.js';
import { awaitsPerson, onRoute, type LastAction } from '../services/requests/engine.js';
import { awaitsDecision, awaitsTask, type FieldProblem } from '../services/requests/kinds.js';
import type { RoutingProblem } from '../services/requests/routing.js';
import type { LabelValue, Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import {
  namesText,
  stageData,
  stepInputs,
  type RequestStageCardData,
  type StageRender,
  type StepInputCardData,
} from './requestRoute.js';
import {
  changeOf,
  equipmentHeading,
  itemTypeName,
  modelName,
  REQUEST_LIMITS,
  personNames,
  statusOf,
  type PersonName,
  type RequestNames,
  type RequestViewer,
  type StateColor,
} from './requestText.js';
import { chatUrl, clip, summaryOf } from './text.js';

/**
 * The request card, for a request of any kind: its facts, its route step by step (requestRoute.ts) and the current
 * step's buttons for its people. Everything shown is computed here from the stored request, the register's
 * names and the organisation's equipment catalogue; user text (role, justification, reasons, notes, recorded values)
 * is laid out in TextRuns only, and the plain-text summary is Markdown-escaped.
 */

/**
 * One request as one viewer sees it. Which buttons show is computed per viewer and state (`canDecide`,
 * `canCancel`, `canComplete`, `canNote`); the buttons carry `requestId` and `version` only. The button titles are
 * the current step's (Accept quote / Cancel order, Send quote, Delivered and registered ...).
 */
export interface RequestCardData {
  title: string;
  urgentText: string;
  statusText: string;
  statusColor: StateColor;
  noticeText: string;
  facts: LabelValue[];
  routeTitle: string;
  stages: RequestStageCardData[];
  moreStagesText: string;
  contactsText: string;
  /** For the requester and the subject: approvers and assignees a card could not reach, whom to contact instead. */
  unreachable: UnreachableCardData[];
  requestId: string;
  version: number;
  canDecide: boolean;
  reasonLabel: string;
  reasonPlaceholder: string;
  approveTitle: string;
  rejectTitle: string;
  canCancel: boolean;
  cancelTitle: string;
  canComplete: boolean;
  /** The current work step's own inputs, above its note. */
  stepInputs: StepInputCardData[];
  noteLabel: string;
  notePlaceholder: string;
  doneTitle: string;
  failedTitle: string;
  /** The latest notes, oldest first ('' title when there are none). */
  notesTitle: string;
  notes: RequestNoteCardData[];
  moreNotesText: string;
  /** The "add a note" input and button, for the requester, the subject and everyone on the route while open. */
  canNote: boolean;
  addNoteLabel: string;
  addNotePlaceholder: string;
  addNoteTitle: string;
}

/** A note on a request: who wrote it and when (`heading`), and the text as written. */
export interface RequestNoteCardData {
  heading: string;
  text: string;
}

export interface UnreachableCardData {
  text: string;
  chatTitle: string;
  /** '' leaves the chat button out. */
  chatUrl: string;
}

const renderRequest = cardRenderer<RequestCardData>('requestCard');

/** A line shown above the request after a click. */
export type RequestNotice =
  | { kind: 'submitted' }
  | { kind: 'unchanged'; last?: LastAction }
  | { kind: 'reasonRequired' }
  | { kind: 'noteRequired' }
  | { kind: 'noteTextRequired' }
  | { kind: 'values' }
  | { kind: 'tooLong' };

export interface RequestReplyContext {
  names: RequestNames;
  notice?: RequestNotice;
  /** From a fresh submission: steps no one could be found for, with whom to contact. */
  routingProblems?: readonly RoutingProblem[];
  /** From a refused click on a work step: the problem per input, and what the user had typed (kept in the inputs). */
  problems?: readonly FieldProblem[];
  inputs?: Readonly<Record<string, string>>;
}

/** The Done button of a work step, by the step's name; access keeps "Done – access changed". */
const DONE_TITLES: Partial<Record<string, MessageKey>> = {
  quote: 'step.done.quote',
  order: 'step.done.order',
  deliver: 'step.done.deliver',
  install: 'step.done.install',
};

/**
 * The request card for `viewer` in `language`, with buttons by the viewer's part in the request's current state:
 * Approve / Reject (Accept quote / Cancel order) with a reason input for the people of a current decision, Done (with
 * the step's inputs) / Could not with a note for the people of current work, Cancel for the requester while it is
 * open, and Add note for the requester, the subject and everyone on the route while it is open. The requester and the
 * subject act on their own request only where the step lets the requester (`requesterMayAct`), as the engine does.
 * The delivery side renders outbox items with this too.
 */
export function requestReply(
  request: WorkRequest,
  viewer: RequestViewer,
  language: Language,
  context: RequestReplyContext,
): Reply {
  const lang = language;
  const { names } = context;
  const person = personNames(names);
  const organisation = names.organisation(request.organisationId);
  const catalogue = names.catalogue?.(request.organisationId);
  const viewerId = viewer.personId.trim().toLowerCase();
  const ownRequest = viewerId === request.requesterId || viewerId === request.subjectId;
  const kind = kindView(request, lang, names, catalogue, person);

  const shownStages = request.stages.slice(0, REQUEST_LIMITS.stages);
  const render: StageRender = { request, lang, organisation, catalogue, person };
  const stages = shownStages.map((stage, i) => stageData(render, stage, i));
  const hiddenStages = request.stages.length - shownStages.length;

  const status = statusOf(request, lang, organisation, person);
  const contacts = [...new Set((context.routingProblems ?? []).flatMap((p) => p.contacts))];
  const current = request.status === 'open' ? request.stages[request.currentStage] : undefined;
  const mayAct =
    current !== undefined &&
    awaitsPerson(request, viewerId) &&
    (!ownRequest || (current.requesterMayAct === true && viewerId === request.requesterId));
  const canDecide = mayAct && awaitsDecision(request);
  const canComplete = mayAct && awaitsTask(request);
  const acceptQuote = current?.name === 'accept_quote';
  const notes = request.notes ?? [];
  const shownNotes = notes.slice(-REQUEST_LIMITS.notes);
  const data: RequestCardData = {
    title: clip(kind.title, 200),
    urgentText: request.urgent ? t(lang, 'request.urgent') : '',
    statusText: status.text,
    statusColor: status.color,
    noticeText: context.notice ? noticeText(context.notice, lang, person) : '',
    facts: kind.facts,
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
    reasonLabel: t(lang, acceptQuote ? 'step.accept_quote.reason' : 'request.reason'),
    reasonPlaceholder: t(lang, 'request.reasonPlaceholder'),
    approveTitle: t(lang, acceptQuote ? 'step.accept_quote.approve' : 'request.approve'),
    rejectTitle: t(lang, acceptQuote ? 'step.accept_quote.reject' : 'request.reject'),
    canCancel: request.status === 'open' && viewerId === request.requesterId,
    cancelTitle: t(lang, 'request.cancel'),
    canComplete,
    stepInputs: canComplete && current ? stepInputs(render, current, context) : [],
    noteLabel: t(lang, 'request.note'),
    notePlaceholder: t(lang, 'request.notePlaceholder'),
    doneTitle: t(
      lang,
      DONE_TITLES[current?.name ?? ''] ?? (request.kind === 'access' ? 'request.done' : 'step.done'),
    ),
    failedTitle: t(lang, 'request.failed'),
    notesTitle: notes.length > 0 ? t(lang, 'notes.title') : '',
    notes: shownNotes.map((note): RequestNoteCardData => ({
      heading: t(lang, 'notes.by', { name: person(note.by), at: formatDateTime(lang, note.at) }),
      text: clip(note.text, REQUEST_LIMITS.note),
    })),
    moreNotesText:
      notes.length > shownNotes.length
        ? t(lang, 'notes.more', { count: notes.length - shownNotes.length })
        : '',
    canNote: request.status === 'open' && (ownRequest || onRoute(request, viewerId)),
    addNoteLabel: t(lang, 'notes.add'),
    addNotePlaceholder: t(lang, 'notes.placeholder'),
    addNoteTitle: t(lang, 'notes.button'),
  };
  const summary = [
    data.noticeText,
    `${data.title}.`,
    data.urgentText,
    `${data.statusText}.`,
    ...data.unreachable.map((u) => u.text),
    kind.facts.map((f) => `${f.label}: ${f.value}`).join('; '),
  ]
    .filter((s) => s !== '')
    .join(' ');
  return { card: renderRequest(data), summary: summaryOf(summary) };
}

/** What a request of its kind shows above the route: its title and its facts. */
function kindView(
  request: WorkRequest,
  lang: Language,
  names: RequestNames,
  catalogue: Catalogue | undefined,
  person: PersonName,
): { title: string; facts: LabelValue[] } {
  const requester = { label: t(lang, 'request.fact.requester'), value: person(request.requesterId) };
  if (request.kind === 'equipment') {
    const unitName = request.unitId !== undefined ? names.unitName?.(request.unitId) : undefined;
    return {
      title: t(lang, 'equipment.title', { item: equipmentHeading(request, lang, catalogue) }),
      facts: [requester, ...equipmentFacts(request, lang, catalogue, unitName)],
    };
  }
  const systemName = clip(
    (request.systemId && names.systemName(request.systemId)) ?? request.systemId ?? '',
    120,
  );
  if (request.kind !== 'access') {
    const facts = [requester, { label: t(lang, 'request.fact.subject'), value: person(request.subjectId) }];
    for (const [key, value] of Object.entries(request.fields)) {
      if (value !== null && value !== '')
        facts.push({ label: clip(key, 60), value: clip(String(value), 300) });
    }
    return { title: systemName ? `${request.kind}: ${systemName}` : request.kind, facts };
  }
  const fields = request.fields;
  const change = changeOf(fields.change);
  const facts: LabelValue[] = [
    requester,
    { label: t(lang, 'request.fact.subject'), value: person(request.subjectId) },
    { label: t(lang, 'request.fact.system'), value: systemName },
  ];
  if (change) facts.push({ label: t(lang, 'request.fact.kind'), value: t(lang, `request.change.${change}`) });
  const role = textOf(fields.role, 200);
  if (role) facts.push({ label: t(lang, 'request.fact.role'), value: role });
  const justification = textOf(fields.justification, REQUEST_LIMITS.justification);
  if (justification) facts.push({ label: t(lang, 'request.fact.justification'), value: justification });
  const startDate = textOf(fields.startDate, 20);
  if (startDate) facts.push({ label: t(lang, 'request.fact.startDate'), value: formatDate(lang, startDate) });
  const endDate = textOf(fields.endDate, 20);
  if (endDate) facts.push({ label: t(lang, 'request.fact.endDate'), value: formatDate(lang, endDate) });
  if (fields.policyConfirmed === true)
    facts.push({ label: t(lang, 'request.fact.policy'), value: t(lang, 'request.yes') });
  return { title: t(lang, 'request.title', { system: systemName }), facts };
}

function textOf(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? clip(value, max) : undefined;
}

/** The facts of an equipment request, in the order the form asks them. */
function equipmentFacts(
  request: WorkRequest,
  lang: Language,
  catalogue: Catalogue | undefined,
  unitName: string | undefined,
): LabelValue[] {
  const fields = request.fields;
  const typeId = String(fields.itemType ?? '');
  const facts: LabelValue[] = [
    { label: t(lang, 'equipment.fact.item'), value: itemTypeName(catalogue, typeId, lang) },
  ];
  const model = textOf(fields.model, 100);
  if (model)
    facts.push({ label: t(lang, 'equipment.fact.model'), value: modelName(catalogue, typeId, model) });
  facts.push({ label: t(lang, 'equipment.fact.quantity'), value: String(fields.quantity ?? '') });
  const forWhom = textOf(fields.forWhom, 200);
  if (forWhom) facts.push({ label: t(lang, 'equipment.fact.forWhom'), value: forWhom });
  const location = textOf(fields.location, 200);
  if (location) facts.push({ label: t(lang, 'equipment.fact.location'), value: location });
  const justification = textOf(fields.justification, REQUEST_LIMITS.justification);
  if (justification) facts.push({ label: t(lang, 'request.fact.justification'), value: justification });
  const wantedBy = textOf(fields.wantedBy, 20);
  if (wantedBy) facts.push({ label: t(lang, 'equipment.fact.wantedBy'), value: formatDate(lang, wantedBy) });
  if (unitName) facts.push({ label: t(lang, 'equipment.fact.unit'), value: clip(unitName, 120) });
  return facts;
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

function noticeText(notice: RequestNotice, lang: Language, person: PersonName): string {
  switch (notice.kind) {
    case 'submitted':
      return t(lang, 'request.notice.submitted');
    case 'reasonRequired':
      return t(lang, 'request.notice.reasonRequired');
    case 'noteRequired':
      return t(lang, 'request.notice.noteRequired');
    case 'noteTextRequired':
      return t(lang, 'notes.required');
    case 'values':
      return t(lang, 'step.notice.values');
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
