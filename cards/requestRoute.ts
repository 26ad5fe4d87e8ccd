import type { Language, Organisation } from '../data/model.js';
import { stepType, type Stage, type WorkRequest } from '../data/requestModel.js';
import type { Catalogue } from '../services/equipment/catalogue.js';
import { formatDateTime, formatList, t, type MessageKey } from '../services/i18n/index.js';
import { assetTagsOf } from '../services/requests/equipmentKind.js';
import type { FieldProblem } from '../services/requests/kinds.js';
import { problemKey } from './cardParts.js';
import { REQUEST_LIMITS, sourceLabel, stageTitle, type PersonName, type StateColor } from './requestText.js';
import { clip, currencyOf, formatMoney } from './text.js';

/**
 * The route on the request card, step by step by type: who acts (or stood in, or was escalated to), who was skipped,
 * the decision (approved or rejected by whom, when, why) or the work (done or not by whom, when, with the values it
 * recorded); and the inputs of the current work step.
 */

export interface RequestStageCardData {
  title: string;
  /** Who acts (or stood in), who was skipped, the decision's reason or the work's note, the recorded values. */
  lines: { text: string }[];
  stateText: string;
  stateColor: StateColor;
}

/**
 * One input of a work step on the request card (a quote's cost, a delivery's asset tags), with its value (prefilled,
 * or what the user typed before a refused click) and the problem with it ('' = none).
 */
export interface StepInputCardData {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  multiline: boolean;
  maxLength: number;
  error: string;
}

/** Labels of the values work steps record; a value of another key is shown under its own name. */
const VALUE_LABELS: Partial<Record<string, MessageKey>> = {
  cost: 'step.value.cost',
  delivery: 'step.value.delivery',
  assetTags: 'step.value.assetTags',
  location: 'step.value.location',
  holder: 'step.value.holder',
};

/** Up to `REQUEST_LIMITS.namesPerLine` names, the rest counted. */
export function namesText(lang: Language, ids: readonly string[], person: PersonName): string {
  const shown = ids.slice(0, REQUEST_LIMITS.namesPerLine).map(person);
  const hidden = ids.length - shown.length;
  const list = formatList(lang, shown);
  return hidden > 0 ? t(lang, 'request.moreNames', { names: list, count: hidden }) : list;
}

/** What every step's rendering needs from the request's card. */
export interface StageRender {
  request: WorkRequest;
  lang: Language;
  organisation: Organisation | undefined;
  catalogue: Catalogue | undefined;
  person: PersonName;
}

export function stageData(render: StageRender, stage: Stage, index: number): RequestStageCardData {
  const { request, lang, organisation, person } = render;
  const work = stepType(stage) === 'work';
  const lines: { text: string }[] = [];
  // People added by escalation are named on their own lines, with why.
  const escalated = new Set((stage.escalations ?? []).flatMap((e) => e.to));
  const names = () =>
    namesText(
      lang,
      stage.approverIds.filter((id) => !escalated.has(id)),
      person,
    );
  if (stage.approverIds.length === 0)
    lines.push({ text: t(lang, work ? 'step.nobodyWork' : 'request.stage.nobody') });
  else if (stage.awaitingReturn && !stage.decision) {
    lines.push({ text: clip(t(lang, 'request.stage.awaitingReturn', { names: names() }), 600) });
  } else if (stage.resolvedVia !== undefined) {
    const params = { names: names(), role: sourceLabel(stage.resolvedVia, lang, organisation) };
    lines.push({ text: clip(t(lang, work ? 'step.doersStandIn' : 'request.stage.standIn', params), 600) });
  } else {
    const key = work ? 'request.task.assignees' : 'request.stage.deciders';
    lines.push({ text: clip(t(lang, key, { names: names() }), 600) });
  }
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
  for (const escalation of (stage.escalations ?? []).slice(-REQUEST_LIMITS.skippedPerStage)) {
    lines.push({
      text: clip(
        t(lang, 'request.stage.escalated', {
          names: namesText(lang, escalation.to, person),
          role: sourceLabel(escalation.via, lang, organisation),
          days: escalation.afterWorkingDays,
          at: formatDateTime(lang, escalation.at),
        }),
        600,
      ),
    });
  }
  let stateText: string;
  let stateColor: StateColor = 'Default';
  const decision = stage.decision;
  if (decision) {
    const params = { name: person(decision.by), at: formatDateTime(lang, decision.at) };
    stateText = t(lang, outcomeKey(stage, decision.outcome), params);
    stateColor = decision.outcome === 'approved' || decision.outcome === 'done' ? 'Good' : 'Attention';
    if (decision.reason) {
      const reason = clip(decision.reason, REQUEST_LIMITS.reason);
      lines.push({
        text: work
          ? t(lang, 'request.task.note', { note: reason })
          : t(lang, 'request.stage.reason', { reason }),
      });
    }
    lines.push(...valueLines(render, stage));
  } else if (request.status === 'open' && index === request.currentStage) {
    stateText = t(lang, work ? 'request.task.waiting' : 'request.stage.waiting');
    stateColor = 'Accent';
  } else if (request.status === 'open') {
    stateText = t(lang, 'request.stage.notYet');
  } else {
    stateText = t(lang, work ? 'step.notDone' : 'request.stage.notDecided');
  }
  return {
    title: t(lang, 'request.stage.title', {
      number: index + 1,
      role: stageTitle(stage, lang, organisation),
    }),
    lines,
    stateText,
    stateColor,
  };
}

function outcomeKey(stage: Stage, outcome: NonNullable<Stage['decision']>['outcome']): MessageKey {
  if (stage.name === 'accept_quote' && (outcome === 'approved' || outcome === 'rejected'))
    return outcome === 'approved' ? 'step.accept_quote.approved' : 'step.accept_quote.rejected';
  switch (outcome) {
    case 'approved':
      return 'request.stage.approved';
    case 'rejected':
      return 'request.stage.rejected';
    case 'done':
      return 'request.task.done';
    case 'failed':
      return 'request.task.failed';
  }
}

/** The values a done work step recorded, each with its label: a cost as money, asset tags as a list, a holder by name. */
function valueLines(render: StageRender, stage: Stage): { text: string }[] {
  const { lang } = render;
  const lines: { text: string }[] = [];
  for (const [key, raw] of Object.entries(stage.values ?? {}).slice(0, REQUEST_LIMITS.valuesPerStage)) {
    if (raw === null || raw === '') continue;
    const value = clip(formatValue(render, key, raw), REQUEST_LIMITS.value);
    const label = VALUE_LABELS[key];
    lines.push({
      text: label ? t(lang, label, { value }) : t(lang, 'step.value.other', { label: clip(key, 60), value }),
    });
  }
  return lines;
}

function formatValue(render: StageRender, key: string, value: string | number | boolean): string {
  if (key === 'cost' && typeof value === 'number')
    return formatMoney(render.lang, value, currencyOf(render.organisation, render.catalogue));
  if (key === 'assetTags' && typeof value === 'string') return assetTagsOf(value).join(', ');
  if (key === 'holder' && typeof value === 'string' && value.includes('@'))
    return render.person(value.trim().toLowerCase());
  return String(value);
}

/**
 * The inputs of the current work step: a quote's cost and delivery time; a delivery's asset tags (one per item),
 * location (prefilled with the request's) and holder (prefilled with whom it is for). What the user typed before a
 * refused click is kept, with the problem under the input.
 */
export function stepInputs(
  render: StageRender,
  stage: Stage,
  context: { problems?: readonly FieldProblem[]; inputs?: Readonly<Record<string, string>> },
): StepInputCardData[] {
  const { request, lang } = render;
  const typed = context.inputs ?? {};
  const problems = new Map((context.problems ?? []).map((p) => [p.field, p]));
  const quantity = Number(request.fields.quantity ?? 1);
  const input = (
    id: string,
    label: string,
    prefill: string,
    options: { placeholder?: string; multiline?: boolean; maxLength?: number } = {},
  ): StepInputCardData => ({
    id,
    label,
    placeholder: options.placeholder ?? '',
    value: clip(typed[id] ?? prefill, options.maxLength ?? 200),
    multiline: options.multiline ?? false,
    maxLength: options.maxLength ?? 200,
    error: problemText(lang, id, problems.get(id), quantity),
  });
  const field = (key: string) => (typeof request.fields[key] === 'string' ? String(request.fields[key]) : '');
  switch (stage.name) {
    case 'quote': {
      const currency = currencyOf(render.organisation, render.catalogue) ?? '';
      return [
        input('cost', t(lang, 'step.input.cost', { currency }), '', {
          placeholder: t(lang, 'step.input.costPlaceholder'),
          maxLength: 40,
        }),
        input('delivery', t(lang, 'step.input.delivery'), '', {
          placeholder: t(lang, 'step.input.deliveryPlaceholder'),
        }),
      ];
    }
    case 'deliver':
      return [
        input('assetTags', t(lang, 'step.input.assetTags', { count: quantity }), '', {
          placeholder: t(lang, 'step.input.assetTagsPlaceholder'),
          multiline: true,
          maxLength: 4000,
        }),
        input('location', t(lang, 'step.input.location'), field('location')),
        input('holder', t(lang, 'step.input.holder'), field('forWhom')),
      ];
    default:
      return [];
  }
}

/** The message under a work step's input; the cost and the asset tags say what is expected of them. */
function problemText(
  lang: Language,
  id: string,
  problem: FieldProblem | undefined,
  quantity: number,
): string {
  if (!problem) return '';
  if (problem.problem === 'required') return t(lang, 'problem.required');
  if (id === 'cost') return t(lang, 'step.problem.cost');
  if (id === 'assetTags') return t(lang, 'step.problem.assetTags', { count: quantity });
  return t(lang, problemKey(problem));
}
