import type { Reply } from '../../cards/cardParts.js';
import { hygieneRefusedReply, hygieneReply } from '../../cards/hygieneCard.js';
import type { HygieneCheck } from '../../services/hygiene/index.js';
import type { HandlerContext } from './context.js';

/**
 * "kör hygienkontroll" / "check the register" (the message intent `hygieneCheck`): the same card the daily digest
 * sends, for the asker's organisation, answered in the asker's language. Who may: the rule of the responsibility
 * lists (`HygieneCheck.access`); anyone else gets the refusal naming their IT coordinators.
 */
export async function hygieneCheckReply(context: HandlerContext, hygiene: HygieneCheck): Promise<Reply> {
  const language = await context.language();
  const identity = await context.identity();
  const access = await hygiene.access(
    identity?.personId,
    identity?.organisation ?? (await context.organisation()),
  );
  if (!access.allowed) return hygieneRefusedReply(language, access.organisation, access.registerKeepers);
  return hygieneReply(await hygiene.check(access.organisation.id), language);
}
