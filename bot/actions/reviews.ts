import { z } from 'zod';
import { replyForAnswer } from '../../cards/answers.js';
import type { Reply } from '../../cards/cardParts.js';
import {
  namesOf,
  REASON_PREFIX,
  REMOVE_PREFIX,
  REVIEW_ENTRIES,
  reviewListReply,
  reviewNoticeReply,
  reviewReply,
} from '../../cards/reviewCard.js';
import type { ReviewCampaign } from '../../data/reviewModel.js';
import { isAnsvarError } from '../../core/errors.js';
import { formatDate, t } from '../../services/i18n/index.js';
import type { Intent } from '../../services/nlu/intent.js';
import type { FieldProblem } from '../../services/requests/kinds.js';
import type { Removal } from '../../services/reviews/reviewService.js';
import { tellReview } from '../delivery/reviews.js';
import { fileTurnOf } from '../fileConsent.js';
import { withActor, type Actor } from './careSupport.js';
import { defineHandler, type HandlerContext } from './context.js';

type ReviewIntent = Extract<Intent, { kind: 'reviews' }>;
type Show = (
  current: ReviewCampaign,
  extra: { noticeText?: string; problems?: FieldProblem[]; values?: Record<string, string> },
) => Promise<Reply>;

/**
 * "granskningar" / "gjennomgangar" / "reviews": the campaigns of the asker's organisation with their progress (list
 * readers only). "granska behörigheter i X" / "revider brukartilgangar i X" / "review access in X": the owner or a
 * coordinator starts a yearly review of X; its administrators and deputies get the card.
 */
export async function reviewMessageReply(context: HandlerContext, intent: ReviewIntent): Promise<Reply> {
  return withActor(context, async (actor) => {
    const lang = actor.language;
    if (intent.action === 'list') {
      const organisation = actor.organisation;
      if (!organisation) return reviewNoticeReply(lang, 'review.list.refused');
      try {
        return reviewListReply(lang, organisation, await context.reviews.progress(actor.id, organisation.id));
      } catch (error) {
        if (isAnsvarError(error, 'NotAnApprover')) return reviewNoticeReply(lang, 'review.list.refused');
        throw error;
      }
    }
    const found = await context.responsibility.findSystem(context.asker, intent.system, lang);
    if (found.kind !== 'one') return replyForAnswer(found);
    const system = found.system;
    let started;
    try {
      started = await context.reviews.start({ actorId: actor.id, systemId: system.id, yearly: true });
    } catch (error) {
      if (isAnsvarError(error, 'NotAnApprover'))
        return reviewNoticeReply(lang, 'review.refusedStart', { system: system.name });
      throw error;
    }
    const { campaign, created } = started;
    if (!created)
      return reviewNoticeReply(lang, 'review.running', {
        system: system.name,
        date: formatDate(lang, campaign.startedAt),
      });
    await tellReview(
      { view: { current: () => context.register.snapshot() }, tell: context.tell },
      campaign,
      campaign.reviewerIds,
      'reviewer',
    );
    const nameOf = await context.register.names();
    const names = campaign.reviewerIds.map((id) => nameOf.person(id));
    return names.length === 0
      ? reviewNoticeReply(lang, 'review.startedNobody', {
          system: system.name,
          date: formatDate(lang, campaign.dueAt),
        })
      : reviewNoticeReply(lang, 'review.started', {
          system: system.name,
          reviewers: namesOf(lang, names),
          date: formatDate(lang, campaign.dueAt),
        });
  });
}

/** The inputs of a review card: `remove:<i>` toggles and `reason:<i>` texts, i < REVIEW_ENTRIES. */
function inputsOf(data: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < REVIEW_ENTRIES; i += 1) {
    for (const key of [`${REMOVE_PREFIX}${i}`, `${REASON_PREFIX}${i}`]) {
      const value = data[key];
      if (typeof value === 'string') values[key] = value.slice(0, 2000);
    }
  }
  return values;
}

function removalsOf(campaign: ReviewCampaign, values: Record<string, string>): Removal[] {
  const removals: Removal[] = [];
  campaign.entries.slice(0, REVIEW_ENTRIES).forEach((entry, index) => {
    if (values[`${REMOVE_PREFIX}${index}`] !== 'true') return;
    removals.push({
      personId: entry.personId,
      role: entry.role,
      reason: values[`${REASON_PREFIX}${index}`] ?? '',
    });
  });
  return removals;
}

/**
 * `review.decide` { campaignId, version } + the card's toggles and reasons: the removals chosen (each needs a
 * reason) and "keep all the rest". Authorised, validated and decided once by the service; a repeated or late
 * click gets the decided review, a stale one the review as it is now, a refused one the card again with its inputs.
 */
export const reviewDecide = defineHandler(
  z.looseObject({
    campaignId: z.string().trim().min(1).max(100),
    version: z.coerce.number().int().min(0),
  }),
  (context, data) =>
    withActor(context, async (actor) => {
      const lang = actor.language;
      const campaign = await context.reviews.get(data.campaignId);
      if (!campaign) return reviewNoticeReply(lang, 'review.refusedDecide');
      const values = inputsOf(data);
      const show: Show = async (current, extra) =>
        reviewReply(lang, {
          campaign: current,
          ...(await naming(context, current)),
          audience: current.status === 'overdue' ? 'owner' : 'reviewer',
          ...extra,
        });
      try {
        const decided = await context.reviews.decide({
          actorId: actor.id,
          campaignId: campaign.id,
          version: data.version,
          removals: campaign.version === data.version ? removalsOf(campaign, values) : [],
        });
        return show(decided, {});
      } catch (error) {
        return refusal(context, actor, campaign, error, values, show);
      }
    }),
);

async function refusal(
  context: HandlerContext,
  actor: Actor,
  campaign: ReviewCampaign,
  error: unknown,
  values: Record<string, string>,
  show: Show,
): Promise<Reply> {
  const lang = actor.language;
  if (isAnsvarError(error, 'NotAnApprover')) return reviewNoticeReply(lang, 'review.refusedDecide');
  const current = (await context.reviews.get(campaign.id)) ?? campaign;
  // The decision (with its reasons) only to someone who may read it; anyone else gets the refusal.
  if (isAnsvarError(error, 'AlreadyDecided'))
    return (await context.reviews.mayRead(actor.id, current))
      ? show(current, {})
      : reviewNoticeReply(lang, 'review.refusedDecide');
  if (isAnsvarError(error, 'RevisionConflict'))
    return show(current, { noticeText: t(lang, 'review.problem.stale') });
  if (isAnsvarError(error, 'InvalidInput')) {
    const problems = (Array.isArray(error.details) ? error.details : []) as FieldProblem[];
    return show(current, { problems, values });
  }
  throw error;
}

async function naming(
  context: HandlerContext,
  campaign: ReviewCampaign,
): Promise<{ system: { name: string }; nameOf: (id: string) => string }> {
  const names = await context.register.names();
  return { system: { name: names.system(campaign.systemId) }, nameOf: (id) => names.person(id) };
}

/**
 * `review.download` { campaignId }: the result of a review as XLSX, offered through Teams' file consent in the
 * personal chat (bot/fileConsent.ts) to someone who may read it; nothing is built before they accept, and the
 * reader is checked again then. The clicked card is answered with the list (a coordinator) or the review.
 */
export const reviewDownload = defineHandler(
  z.object({ campaignId: z.string().trim().min(1).max(100) }),
  (context, data) =>
    withActor(context, async (actor) => {
      const lang = actor.language;
      const campaign = await context.reviews.get(data.campaignId);
      if (!campaign || !(await context.reviews.mayRead(actor.id, campaign)))
        return reviewNoticeReply(lang, 'review.list.refused');
      const names = await naming(context, campaign);
      await fileTurnOf(context).offer({
        review: { campaignId: campaign.id, systemName: names.system.name },
      });
      // The clicked card was the coordinators' list: answer with it as it is now; anyone else, the review.
      const organisation = actor.organisation;
      if (organisation?.id === campaign.organisationId) {
        try {
          return reviewListReply(
            lang,
            organisation,
            await context.reviews.progress(actor.id, organisation.id),
          );
        } catch (error) {
          if (!isAnsvarError(error, 'NotAnApprover')) throw error;
        }
      }
      return reviewReply(lang, { campaign, ...names, audience: 'reviewer' });
    }),
);
