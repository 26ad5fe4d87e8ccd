import type { Language, Organisation, Person, Role, SystemRecord, Unit } from '../data/model.js';
import type { PersonView } from '../services/responsibility/answers.js';
import { formatDate, formatList, t, type MessageKey, type MessageParams } from '../services/i18n/index.js';
import { roleLabel } from '../services/nlu/vocabulary.js';
import { riskAnalysisDue } from '../services/hygiene/index.js';
import type { HandoverPlan } from '../services/care/index.js';
import type { FieldProblem } from '../services/requests/kinds.js';
import { refusalKeepers, type KeeperCardData, type Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, LIMITS, lines, summaryOf, upperFirst } from './text.js';

/**
 * The cards of register care: confirmations (what will change, with the register revision they show), the system
 * form, results and refusals, all on one template (careCard.json). Register text goes into TextRuns and input
 * values only; buttons carry ids and the revision.
 *
 * Handover: at most `HANDOVER_TOGGLES` roles get a toggle each (on = hand over); the rest are named by count only
 * ("… and 12 more roles, also handed over") and are always handed over, which keeps the card far below 80 KB
 * whatever a person holds (the test renders 500 roles). A role to keep among those is ended one by one afterwards.
 */
export const HANDOVER_TOGGLES = 40;
/** Units offered in the system form; more are not shown (a municipality has a few dozen). */
const UNIT_CHOICES = 100;

/** A toggle's input id for a role to hand over / a holder to replace; the rest of the id is the assignment id. */
export const HANDOVER_TOGGLE_PREFIX = 'role:';
export const REPLACE_TOGGLE_PREFIX = 'end:';

/**
 * A care card: a confirmation, a form, a result or a refusal. `action` names the one verb its confirm button sends
 * ('' = no buttons); the buttons carry ids and the register revision only, and every input, toggle and line is
 * computed here. Toggles are on by default (a role handed over, a holder replaced).
 */
export interface CareCardData {
  title: string;
  noticeText: string;
  lines: { text: string }[];
  inputs: {
    id: string;
    label: string;
    placeholder: string;
    value: string;
    maxLength: number;
    error: string;
  }[];
  /** '' = no unit choice. */
  unitLabel: string;
  unitId: string;
  unitChoices: { title: string; value: string }[];
  unitError: string;
  /** '' = no personal-data toggle. */
  personalDataTitle: string;
  personalData: string;
  /** '' = no risk-analysis date input (the owner check's); the value is YYYY-MM-DD or ''. */
  riskAnalysisLabel: string;
  riskAnalysisAt: string;
  riskAnalysisError: string;
  togglesIntro: string;
  toggles: { id: string; title: string }[];
  moreText: string;
  keepersText: string;
  keepers: KeeperCardData[];
  action:
    '' | 'system.add' | 'system.edit' | 'system.confirm' | 'role.assign' | 'role.end' | 'roles.handover';
  confirmTitle: string;
  cancelTitle: string;
  revision: number;
  organisationId: string;
  systemId: string;
  role: string;
  personId: string;
  unitIds: string;
  assignmentId: string;
  fromId: string;
  toId: string;
}

const render = cardRenderer<CareCardData>('careCard');

const BLANK: Omit<CareCardData, 'title' | 'confirmTitle' | 'cancelTitle'> = {
  noticeText: '',
  lines: [],
  inputs: [],
  unitLabel: '',
  unitId: '',
  unitChoices: [],
  unitError: '',
  personalDataTitle: '',
  personalData: 'false',
  riskAnalysisLabel: '',
  riskAnalysisAt: '',
  riskAnalysisError: '',
  togglesIntro: '',
  toggles: [],
  moreText: '',
  keepersText: '',
  keepers: [],
  action: '',
  revision: 0,
  organisationId: '',
  systemId: '',
  role: '',
  personId: '',
  unitIds: '',
  assignmentId: '',
  fromId: '',
  toId: '',
};

function card(lang: Language, data: Partial<CareCardData> & { title: string }): Reply {
  const full: CareCardData = {
    ...BLANK,
    confirmTitle: t(lang, 'care.confirm'),
    cancelTitle: t(lang, 'care.cancel'),
    ...data,
  };
  const summary = [
    full.title,
    full.noticeText,
    ...full.lines.map((l) => l.text),
    full.moreText,
    full.keepersText,
  ];
  return {
    card: render(full),
    summary: summaryOf(summary.filter((s) => s !== '').join(' ')),
  };
}

/** A coordinator as the care refusal names them: title and address under the name, no department. */
function personView(person: Person): PersonView {
  const view: PersonView = { id: person.id, name: person.name, email: person.email };
  if (person.title !== undefined) view.title = person.title;
  return view;
}

/** A result or a message without buttons. */
export function careNoticeReply(lang: Language, key: MessageKey, params: MessageParams = {}): Reply {
  return card(lang, { title: clip(t(lang, key, params)) });
}

/** The polite refusal: who may change the register, and the asker's IT coordinators to turn to. */
export function careRefusalReply(
  lang: Language,
  coordinators: readonly Person[],
  organisation: Organisation | undefined,
  reason: MessageKey = 'care.refused',
  params: MessageParams = {},
): Reply {
  const { keepersText, keepers } = refusalKeepers(lang, coordinators.map(personView), organisation);
  return card(lang, {
    title: t(lang, 'care.refusedTitle'),
    lines: lines(t(lang, reason, params)),
    keepersText,
    keepers,
  });
}

export interface HandoverCardInput {
  plan: HandoverPlan;
  noticeText?: string;
}

export function handoverReply(lang: Language, { plan, noticeText = '' }: HandoverCardInput): Reply {
  const names = { from: clip(plan.from.name, LIMITS.name), to: clip(plan.to.name, LIMITS.name) };
  const title = clip(t(lang, 'care.handover.title', names));
  if (plan.roles.length === 0) {
    return card(lang, { title, noticeText, lines: lines(t(lang, 'care.handover.none', names)) });
  }
  const shown = plan.roles.slice(0, HANDOVER_TOGGLES);
  const hidden = plan.roles.length - shown.length;
  return card(lang, {
    title,
    noticeText,
    lines: lines(t(lang, 'care.handover.intro', names)),
    togglesIntro: t(lang, 'care.handover.choose'),
    toggles: shown.map(({ assignment, organisation, system, units }) => {
      const label = roleLabel(assignment.role, lang, organisation);
      const where = system?.name ?? organisation.name;
      const unitText =
        units.length > 0
          ? ` (${formatList(
              lang,
              units.map((u) => u.name),
            )})`
          : '';
      return {
        id: `${HANDOVER_TOGGLE_PREFIX}${assignment.id}`,
        title: clip(`${upperFirst(label)} – ${where}${unitText}`, LIMITS.text),
      };
    }),
    moreText: hidden > 0 ? t(lang, 'care.handover.more', { count: hidden }) : '',
    action: 'roles.handover',
    revision: plan.revision,
    fromId: plan.from.id,
    toId: plan.to.id,
  });
}

export interface AssignCardInput {
  revision: number;
  person: Person;
  role: Role;
  organisation: Organisation;
  system?: SystemRecord;
  units?: readonly Unit[];
  /** Current holders of the role, offered for ending in the same change (on for an owner or administrator). */
  holders: readonly { assignmentId: string; person: Person }[];
  noticeText?: string;
}

export function assignReply(lang: Language, input: AssignCardInput): Reply {
  const { person, role, organisation, system, units = [], holders } = input;
  const label = roleLabel(role, lang, organisation);
  const subject = system?.name ?? organisation.name;
  return card(lang, {
    title: clip(t(lang, 'care.assign.title', { person: person.name, role: label, subject })),
    noticeText: input.noticeText ?? '',
    lines: lines(
      units.length > 0
        ? t(lang, 'care.assign.units', {
            units: formatList(
              lang,
              units.map((u) => u.name),
            ),
          })
        : '',
      t(lang, 'care.assign.from'),
    ),
    togglesIntro: holders.length > 0 ? t(lang, 'care.assign.replaceIntro') : '',
    toggles: holders.slice(0, HANDOVER_TOGGLES).map((h) => ({
      id: `${REPLACE_TOGGLE_PREFIX}${h.assignmentId}`,
      title: clip(t(lang, 'care.assign.replace', { person: h.person.name, role: label })),
    })),
    action: 'role.assign',
    revision: input.revision,
    role,
    personId: person.id,
    systemId: system?.id ?? '',
    organisationId: organisation.id,
    unitIds: units.map((u) => u.id).join(' '),
  });
}

export interface EndCardInput {
  revision: number;
  assignmentId: string;
  person: Person;
  role: Role;
  organisation: Organisation;
  system: SystemRecord;
  noticeText?: string;
}

export function endRoleReply(lang: Language, input: EndCardInput): Reply {
  const role = roleLabel(input.role, lang, input.organisation);
  return card(lang, {
    title: clip(t(lang, 'care.end.title', { person: input.person.name, role, subject: input.system.name })),
    noticeText: input.noticeText ?? '',
    lines: lines(t(lang, 'care.end.history')),
    action: 'role.end',
    revision: input.revision,
    assignmentId: input.assignmentId,
  });
}

export interface ConfirmSystemCardInput {
  revision: number;
  system: SystemRecord;
  /** "Systemägare: Anna Berg" lines, already labelled. */
  facts: readonly string[];
  /** Judges whether the risk analysis is due (missing or older than 12 months). */
  now: Date;
  noticeText?: string;
  /** A refused risk-analysis date (after today, not a date). */
  riskAnalysisProblem?: boolean;
}

/**
 * The owner's confirmation (typed "confirm Raindance" or the yearly owner check): the roles as facts, then the
 * supplier, personal data and the day of the last risk analysis as inputs the owner corrects while confirming. A
 * risk analysis that is missing or older than 12 months is the card's notice (the owner's reminder).
 */
export function confirmSystemReply(lang: Language, input: ConfirmSystemCardInput): Reply {
  const { system } = input;
  const riskDue = riskAnalysisDue(system, input.now);
  const riskNotice = !riskDue
    ? ''
    : system.riskAnalysisAt === undefined
      ? t(lang, 'care.confirmSystem.riskMissing')
      : t(lang, 'care.confirmSystem.riskStale', { date: formatDate(lang, system.riskAnalysisAt) });
  return card(lang, {
    title: clip(t(lang, 'care.confirmSystem.title', { system: system.name })),
    noticeText: input.noticeText ?? riskNotice,
    lines: lines(
      t(lang, 'care.confirmSystem.intro'),
      ...input.facts,
      system.riskAnalysisAt
        ? t(lang, 'care.confirmSystem.riskLast', { date: formatDate(lang, system.riskAnalysisAt) })
        : t(lang, 'care.confirmSystem.riskNone'),
      system.confirmedAt
        ? t(lang, 'care.confirmSystem.last', { date: formatDate(lang, system.confirmedAt) })
        : '',
    ),
    inputs: [
      {
        id: 'supplier',
        label: t(lang, 'care.field.supplier'),
        placeholder: '',
        value: system.supplier ?? '',
        maxLength: 200,
        error: '',
      },
    ],
    personalDataTitle: t(lang, 'care.field.personalData'),
    personalData: system.processesPersonalData ? 'true' : 'false',
    riskAnalysisLabel: t(lang, 'care.field.riskAnalysis'),
    riskAnalysisAt: system.riskAnalysisAt?.slice(0, 10) ?? '',
    riskAnalysisError: input.riskAnalysisProblem ? t(lang, 'care.problem.riskAnalysisDate') : '',
    action: 'system.confirm',
    revision: input.revision,
    systemId: system.id,
  });
}

export interface SystemFormInput {
  mode: 'add' | 'edit';
  revision: number;
  organisation: Organisation;
  /** The system edited. */
  system?: SystemRecord;
  units: readonly Unit[];
  /** What the form shows: the typed values after a refused submit, else the system's or the typed name. */
  values: {
    name?: string;
    aliases?: string;
    unitId?: string;
    supplier?: string;
    supplierSupport?: string;
    personalData?: boolean;
  };
  problems?: readonly FieldProblem[];
  noticeText?: string;
}

/** The add / edit form; the confirm button sends its inputs with the organisation or system id and the revision. */
export function systemFormReply(lang: Language, input: SystemFormInput): Reply {
  const { values, problems = [] } = input;
  const error = (field: string) => {
    const problem = problems.find((p) => p.field === field || p.field.startsWith(`${field}.`))?.problem;
    if (problem === undefined) return '';
    const known = ['required', 'exists', 'unchanged'].includes(problem) ? problem : 'invalid';
    return t(lang, `care.problem.${known}` as MessageKey);
  };
  const field = (id: string, label: MessageKey, value: string | undefined, maxLength: number) => ({
    id,
    label: t(lang, label),
    placeholder: '',
    value: value ?? '',
    maxLength,
    error: error(id),
  });
  const inputs = [
    ...(input.mode === 'add' ? [field('name', 'care.field.name', values.name, 120)] : []),
    field('aliases', 'care.field.aliases', values.aliases, 1000),
    field('supplier', 'care.field.supplier', values.supplier, 200),
    field('supplierSupport', 'care.field.supplierSupport', values.supplierSupport, 300),
  ];
  const name = input.system?.name ?? input.organisation.name;
  return card(lang, {
    title: clip(
      input.mode === 'add'
        ? t(lang, 'care.add.title', { organisation: input.organisation.name })
        : t(lang, 'care.edit.title', { system: name }),
    ),
    noticeText: input.noticeText ?? (problems.some((p) => p.field === 'fields') ? error('fields') : ''),
    inputs,
    unitLabel: t(lang, 'care.field.unit'),
    unitId: values.unitId ?? '',
    unitChoices: [
      { title: t(lang, 'care.field.noUnit'), value: '' },
      ...input.units.slice(0, UNIT_CHOICES).map((u) => ({ title: clip(u.name, LIMITS.name), value: u.id })),
    ],
    unitError: error('unitId'),
    personalDataTitle: input.mode === 'add' ? t(lang, 'care.field.personalData') : '',
    personalData: values.personalData ? 'true' : 'false',
    action: input.mode === 'add' ? 'system.add' : 'system.edit',
    revision: input.revision,
    organisationId: input.organisation.id,
    systemId: input.system?.id ?? '',
  });
}
