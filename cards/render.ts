import { compileTemplate, libraryTemplate } from './fastTemplate.js';
import careCard from './careCard.json' with { type: 'json' };
import choiceCard from './choiceCard.json' with { type: 'json' };
import equipmentFormCard from './equipmentFormCard.json' with { type: 'json' };
import helpCard from './helpCard.json' with { type: 'json' };
import hygieneCard from './hygieneCard.json' with { type: 'json' };
import inventoryCard from './inventoryCard.json' with { type: 'json' };
import noMatchCard from './noMatchCard.json' with { type: 'json' };
import noticeCard from './noticeCard.json' with { type: 'json' };
import openRequestsCard from './openRequestsCard.json' with { type: 'json' };
import organisationRoleCard from './organisationRoleCard.json' with { type: 'json' };
import personRolesCard from './personRolesCard.json' with { type: 'json' };
import requestCard from './requestCard.json' with { type: 'json' };
import requestFormCard from './requestFormCard.json' with { type: 'json' };
import renewalCard from './renewalCard.json' with { type: 'json' };
import reviewCard from './reviewCard.json' with { type: 'json' };
import requestListCard from './requestListCard.json' with { type: 'json' };
import systemCard from './systemCard.json' with { type: 'json' };
import systemListCard from './systemListCard.json' with { type: 'json' };
import unknownPersonCard from './unknownPersonCard.json' with { type: 'json' };
import welcomeCard from './welcomeCard.json' with { type: 'json' };

/** An expanded Adaptive Card, ready to be sent as an attachment or returned from an invoke. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  [key: string]: unknown;
}

const templates = {
  systemCard,
  careCard,
  renewalCard,
  reviewCard,
  choiceCard,
  noMatchCard,
  unknownPersonCard,
  personRolesCard,
  organisationRoleCard,
  systemListCard,
  openRequestsCard,
  helpCard,
  welcomeCard,
  noticeCard,
  requestFormCard,
  requestCard,
  requestListCard,
  hygieneCard,
  equipmentFormCard,
  inventoryCard,
};

/** A template's name: its file's (`cards/<name>.json`), and the card file that builds its data, `cards/<name>.ts`. */
export type CardName = keyof typeof templates;

/** The raw templates, by name; exported for the render tests (verbs, version). Never modified. */
export const cardTemplates: Readonly<Record<CardName, unknown>> = Object.freeze(templates);

/**
 * Each template is parsed once, at its first use (or by `warmCardTemplates` after start), and can then be expanded
 * any number of times: parsing all of them takes most of a second, which a start need not wait for. Templates are
 * expanded by fastTemplate.ts, which gives what the library gives at a fraction of the cost; a template it does not
 * compile (none today) falls back to the library's Template.
 */
const compiled = new Map<CardName, (root: unknown) => unknown>();

function compiledTemplate(name: CardName): (root: unknown) => unknown {
  let expand = compiled.get(name);
  if (expand) return expand;
  if (!Object.hasOwn(cardTemplates, name)) throw new Error(`no card template named ${name}`);
  expand = compileTemplate(cardTemplates[name]) ?? libraryTemplate(cardTemplates[name]);
  compiled.set(name, expand);
  return expand;
}

/**
 * Parses the templates not parsed yet, one per macrotask so that requests arriving meanwhile are served between
 * them; resolves when all are ready. The app calls it once it is ready, so the first answers find their card parsed.
 */
export async function warmCardTemplates(): Promise<void> {
  for (const name of Object.keys(cardTemplates) as CardName[]) {
    if (compiled.has(name)) continue;
    await new Promise((resolve) => setImmediate(resolve));
    compiledTemplate(name);
  }
}

/**
 * The one way to make a card. Templates come only from the files in cards/; `data` is bound as `$root`, and the
 * templating engine never evaluates `${...}` inside data values, so register and user text stays literal. The card
 * builders render through `cardRenderer`, which types the data.
 */
export function renderCard(name: CardName, data: object): AdaptiveCard {
  return compiledTemplate(name)(data) as AdaptiveCard;
}

/**
 * `renderCard` for one template, typed with its data: each card file binds its template to its data type once,
 * next to both (`const render = cardRenderer<SystemCardData>('systemCard')`).
 */
export function cardRenderer<D extends object>(name: CardName): (data: D) => AdaptiveCard {
  return (data) => renderCard(name, data);
}
