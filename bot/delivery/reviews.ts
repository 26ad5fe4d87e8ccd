import { reviewReply } from '../../cards/reviewCard.js';
import type { ReviewCampaign } from '../../data/reviewModel.js';
import type { PersonMessage, TellOutcome } from '../../services/infrastructure/appServices.js';
import type { Logger } from '../../core/logger.js';
import {
  REVIEW_DUE_KIND,
  REVIEW_START_KIND,
  scheduledCampaignId,
  type ReviewService,
} from '../../services/reviews/reviewService.js';
import type { RegisterView } from '../../services/search/registerView.js';
import { DONE, type TimerHandler } from '../../services/time/scheduler.js';

type Tell = (person: { id: string; aadObjectId?: string }, message: PersonMessage) => Promise<TellOutcome>;

/**
 * Sends the review card of `campaign` to each person, in their organisation's language (the system's organisation
 * for someone the register does not know). Best effort: what each send came to is returned for the log.
 */
export async function tellReview(
  deps: { view: Pick<RegisterView, 'current'>; tell: Tell },
  campaign: ReviewCampaign,
  personIds: readonly string[],
  audience: 'reviewer' | 'owner',
): Promise<TellOutcome[]> {
  const indexes = await deps.view.current();
  const system = indexes.systems.get(campaign.systemId);
  if (!system) return [];
  const nameOf = (id: string) => indexes.people.get(id)?.name ?? id;
  const outcomes: TellOutcome[] = [];
  for (const personId of personIds) {
    const person = indexes.people.get(personId);
    const lang =
      indexes.organisations.get(person?.organisationId ?? system.organisationId)?.language ??
      indexes.organisations.get(system.organisationId)?.language ??
      'en';
    const reply = reviewReply(lang, { campaign, system, nameOf, audience });
    outcomes.push(await deps.tell(person ?? { id: personId }, { card: reply.card, text: reply.summary }));
  }
  return outcomes;
}

/**
 * The review timers: `review.due` (nobody answered: the campaign becomes overdue and its owners get the review;
 * nothing is removed) and `review.start` (the yearly campaign: started as 'system' with an id derived from system
 * and year, sent to the administrators and deputies).
 */
export function reviewTimerHandlers(deps: {
  reviews: ReviewService;
  view: Pick<RegisterView, 'current'>;
  tell: Tell;
  logger: Logger;
}): Record<string, TimerHandler> {
  const log = deps.logger.child({ component: 'reviews' });
  return {
    [REVIEW_DUE_KIND]: async (timer) => {
      const overdue = await deps.reviews.markOverdue(String(timer.payload.campaignId));
      if (!overdue) return DONE;
      const outcomes = await tellReview(deps, overdue, overdue.ownerIds ?? [], 'owner');
      log.info({ campaignId: overdue.id, outcomes }, 'access review overdue: owners told');
      return DONE;
    },
    [REVIEW_START_KIND]: async (timer) => {
      const systemId = String(timer.payload.systemId);
      const year = Number(timer.payload.year);
      const indexes = await deps.view.current();
      const system = indexes.systems.get(systemId);
      if (!system || system.lifecycle === 'retired') return DONE;
      const { campaign, created } = await deps.reviews.start({
        actorId: 'system',
        systemId,
        yearly: true,
        campaignId: scheduledCampaignId(systemId, year),
      });
      if (created) await tellReview(deps, campaign, campaign.reviewerIds, 'reviewer');
      log.info({ systemId, campaignId: campaign.id, created }, 'yearly access review');
      return DONE;
    },
  };
}
