import type { Answer } from '../services/responsibility/answers.js';
import type { Reply } from './cardParts.js';
import { choiceReply, didYouMeanReply } from './choiceCard.js';
import { helpReply } from './helpCard.js';
import { noMatchReply } from './noMatchCard.js';
import { organisationRoleReply } from './organisationRoleCard.js';
import { personRolesReply } from './personRolesCard.js';
import { systemListReply } from './systemListCard.js';
import { systemReply } from './systemCard.js';
import { assertNever } from './text.js';
import { unknownPersonReply } from './unknownPersonCard.js';
import { welcomeReply } from './welcomeCard.js';

/** The card of each kind of Answer (services/responsibility): what the bot sends for a question about the register. */
export function replyForAnswer(answer: Answer): Reply {
  switch (answer.kind) {
    case 'system':
      return systemReply(answer);
    case 'choose':
      return choiceReply(answer);
    case 'didYouMean':
      return didYouMeanReply(answer);
    case 'noMatch':
      return noMatchReply(answer);
    case 'personRoles':
      return personRolesReply(answer);
    case 'organisationRole':
      return organisationRoleReply(answer);
    case 'systemList':
      return systemListReply(answer);
    case 'unknownPerson':
      return unknownPersonReply(answer);
    case 'help':
      return helpReply(answer);
    case 'welcome':
      return welcomeReply(answer);
    default:
      return assertNever(answer);
  }
}
