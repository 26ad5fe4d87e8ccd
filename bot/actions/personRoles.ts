import { z } from 'zod';
import { replyForAnswer } from '../../cards/answers.js';
import { noticeReply } from '../../cards/noticeCard.js';
import { isAnsvarError } from '../../core/errors.js';
import { defineHandler } from './context.js';

/** `person.roles` { personId }: every current role the person holds. A person no longer registered gets a notice. */
export const personRoles = defineHandler(
  z.object({ personId: z.string().trim().min(1).max(320) }),
  async (context, { personId }) => {
    const language = await context.language();
    try {
      return replyForAnswer(await context.responsibility.rolesOf(context.asker, personId, language));
    } catch (error) {
      if (isAnsvarError(error, 'UnknownPerson')) return noticeReply(language, 'notice.personGone');
      throw error;
    }
  },
);
