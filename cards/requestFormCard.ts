import type { Language } from '../data/model.js';
import { t } from '../services/i18n/index.js';
import type { FieldProblem } from '../services/requests/kinds.js';
import { formProblems, type Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { changeOf } from './requestText.js';
import { clip, isoDateOrEmpty, summaryOf } from './text.js';

/**
 * The access request form. Every input shows the user's value (after a refused submit) and, under it, the
 * problem with it in the user's language ('' = none). `policyRequired` shows the IT-policy confirmation only where
 * the organisation's policy asks for it.
 */
export interface RequestFormCardData {
  title: string;
  subtitle: string;
  errorText: string;
  /** Button data: the system and an idempotency key for this form (a retried submit stores one request). */
  systemId: string;
  formId: string;
  changeLabel: string;
  change: string;
  changeChoices: { title: string; value: string }[];
  changeError: string;
  subjectLabel: string;
  subjectPlaceholder: string;
  subject: string;
  subjectError: string;
  roleLabel: string;
  rolePlaceholder: string;
  role: string;
  roleError: string;
  justificationLabel: string;
  justificationPlaceholder: string;
  justification: string;
  justificationError: string;
  startDateLabel: string;
  startDate: string;
  startDateError: string;
  endDateLabel: string;
  endDate: string;
  endDateError: string;
  policyRequired: boolean;
  policyTitle: string;
  policyConfirmed: string;
  policyError: string;
  submitTitle: string;
}

const render = cardRenderer<RequestFormCardData>('requestFormCard');

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

/** The request form for one system; with `problems`, each input carries its message and the values stay. */
export function requestFormReply(input: RequestFormInput): Reply {
  const lang = input.language;
  const { error, errorText, messages } = formProblems(lang, input.problems, FORM_FIELDS, {
    inputOf: (field) => (field === 'requester' ? 'subject' : field),
  });
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
  const summary = [data.title, data.errorText, ...messages].filter((s) => s !== '').join(' ');
  return { card: render(data), summary: summaryOf(summary) };
}
