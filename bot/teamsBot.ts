import {
  ActivityTypes,
  CardFactory,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type FileConsentCardResponse,
  type InvokeResponse,
} from 'botbuilder';
import { z } from 'zod';
import { replyForAnswer } from '../cards/answers.js';
import type { Reply } from '../cards/cardParts.js';
import type { Language, Organisation } from '../data/model.js';
import type { Asker } from '../services/responsibility/answers.js';
import type { AppServices } from '../services/infrastructure/appServices.js';
import { isAnsvarError } from '../core/errors.js';
import { t } from '../services/i18n/index.js';
import type { Logger } from '../core/logger.js';
import { detectLanguage, languageEvidence, resolveLanguage } from '../services/nlu/language.js';
import { LanguageMemory } from '../services/nlu/languageMemory.js';
import type { RequestEngine } from '../services/requests/engine.js';
import { ResponsibilityService, type AskerIdentity } from '../services/responsibility/index.js';
import { userTextFor } from './errorReplies.js';
import { cardInvokeResponse, errorInvokeResponse, messageInvokeResponse } from './invokeResponses.js';
import { FileDownloads } from './fileConsent.js';
import type { HandlerContext } from './actions/context.js';
import { handlers } from './actions/index.js';
import { replyToMessage } from './messages/index.js';
import { isVerb } from './verbs.js';

const CARD_ACTION_INVOKE = 'adaptiveCard/action';
const FILE_CONSENT_INVOKE = 'fileConsent/invoke';

/** How many conversations the bot remembers (welcomed, last answer language) per process; oldest forgotten first. */
const MEMORY_LIMIT = 10_000;

/** `value` of an `adaptiveCard/action` invoke. Inputs are merged into `data`, which must be an object. */
const cardActionSchema = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().max(100),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** `value` of a message sent by the Action.Submit fallback of an Action.Execute button. */
const submitSchema = z.looseObject({ verb: z.string().max(100) });

/**
 * The Teams conversation: thin. A message is understood once (intent, answer language, asker) and answered by the
 * handler of its kind (bot/messages/index.ts) with a card plus a plain-text summary; card actions (Action.Execute
 * invokes and their Action.Submit fallbacks) go through one handler per verb (bot/actions/index.ts).
 *
 * Welcome: Teams (and the Agents Playground on every page load) sends installationUpdate and conversationUpdate
 * when the bot is added, so the welcome is sent at most once per conversation per process, whichever arrives first.
 * After a restart a user may see it once more; no state is persisted for that.
 */
export class TeamsBot extends TeamsActivityHandler {
  private readonly responsibility: ResponsibilityService;
  private readonly requests: RequestEngine;
  private readonly catalogues: AppServices['catalogues'];
  private readonly inventory: AppServices['inventory'];
  private readonly hygiene: AppServices['hygiene'];
  private readonly care: AppServices['care'];
  private readonly tell: AppServices['tell'];
  private readonly now: () => Date;
  private readonly reviews: AppServices['reviews'];
  private readonly logger: Logger;
  /** List downloads through Teams' file consent (list.download and fileConsent/invoke). */
  private readonly downloads: FileDownloads;
  private readonly welcomed = new BoundedMap<string, true>(MEMORY_LIMIT);
  /** ANSVAR_CLOCK_OFFSET in local mode, shown on the welcome card. */
  private readonly clockOffset: string | undefined;
  /**
   * The language of the last answer in each conversation, so a button clicked on that answer is answered in the
   * same language (card data carries ids only, and the Teams locale has no Nynorsk).
   */
  private readonly conversationLanguage = new BoundedMap<string, Language>(MEMORY_LIMIT);
  /** The language each person last wrote clearly in (see LanguageMemory for why in memory). */
  private readonly personLanguage = new LanguageMemory(MEMORY_LIMIT);

  constructor(services: AppServices) {
    super();
    this.clockOffset = services.config.clockOffset?.iso;
    this.logger = services.logger;
    this.responsibility = new ResponsibilityService(services);
    this.requests = services.requests;
    this.downloads = new FileDownloads({
      logger: services.logger,
      now: services.now,
      upload: {
        hostSuffixes: services.config.uploadHostSuffixes,
        allowLoopbackHttp: services.config.localMode,
      },
      ...(services.pendingDownloads ? { store: services.pendingDownloads } : {}),
    });
    this.catalogues = services.catalogues;
    this.inventory = services.inventory;
    this.hygiene = services.hygiene;
    this.care = services.care;
    this.tell = services.tell;
    this.now = services.now;
    this.reviews = services.reviews;

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.guarded(context, () => this.welcome(context));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (botId && context.activity.membersAdded?.some((m) => m.id === botId)) {
        await this.guarded(context, () => this.welcome(context));
      }
      await next();
    });
  }

  /**
   * A message goes straight to `handleMessage`, every other activity through botbuilder's dispatch. For a message
   * that dispatch is several generator-driven `__awaiter` steps (the Turn, Message and Dialog events) that only lead
   * here, as this bot registers no Turn or Dialog handlers; they allocated about 28 KB per question and got the turn's
   * objects promoted to V8's old generation (scripts/bench/survivors.ts, docs/performance.md).
   */
  override async run(context: TurnContext): Promise<void> {
    if (context.activity?.type === ActivityTypes.Message) {
      await this.guarded(context, () => this.handleMessage(context));
      return;
    }
    await super.run(context);
  }

  /**
   * The invokes Ansvar serves: card actions, and file consent (botbuilder's TeamsActivityHandler dispatches it to
   * the two handlers below). Every other invoke name (task/fetch, composeExtension/*, config/fetch,
   * application/search ...) gets a well-formed "not supported" error response, HTTP 400, instead of botbuilder's 501
   * or its own error texts: the client asked for something this bot does not offer.
   *
   * Card actions are dispatched here rather than through botbuilder's `onAdaptiveCardInvoke` hook: the SDK checks
   * the invoke value first, in a private method, answering a missing value or another action type with its own
   * English texts (code NotSupported, the client's action type echoed), and a value without `action` with a
   * TypeError, which becomes a 500. Checking the value before handing over to the hook would keep those answers,
   * but a click would then pass two dispatchers and this file twice.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const name = context.activity.name;
    if (name === CARD_ACTION_INVOKE) return this.handleCardAction(context);
    if (name === FILE_CONSENT_INVOKE) return super.onInvokeActivity(context);
    this.logger.warn({ activityId: context.activity.id, name }, 'unsupported invoke');
    const language = await this.safeLanguage(this.handlerContext(context), context);
    return errorInvokeResponse('NotSupported', t(language, 'error.notSupported'));
  }

  protected override async handleTeamsFileConsentAccept(
    context: TurnContext,
    response: FileConsentCardResponse,
  ): Promise<void> {
    await this.downloads.accept(this.handlerContext(context), context, response);
  }

  protected override async handleTeamsFileConsentDecline(
    context: TurnContext,
    response: FileConsentCardResponse,
  ): Promise<void> {
    await this.downloads.decline(this.handlerContext(context), context, response);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.value !== undefined && activity.value !== null) {
      await this.handleSubmit(context, activity.value);
      return;
    }
    const text = (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim();
    const asker = this.askerOf(activity);
    // Understood once: the intent, the answer language and (kept with `asker`) who is asking.
    const { understanding, language } = await this.responsibility.reader.understand(asker, text);
    this.personLanguage.remember(activity.from?.aadObjectId, understanding.language);
    const reply = await replyToMessage(
      this.handlerContext(context, { asker, language }),
      understanding.intent,
    );
    this.rememberLanguage(activity, language);
    await sendReply(context, reply);
  }

  /** An Action.Submit fallback: a message whose value is `{ verb, ...data }`. There is no invoke status to return. */
  private async handleSubmit(context: TurnContext, value: unknown): Promise<void> {
    const turn = this.handlerContext(context);
    const parsed = submitSchema.safeParse(value);
    if (!parsed.success || !isVerb(parsed.data.verb)) {
      this.logger.warn({ activityId: context.activity.id }, 'card submit without a known verb');
      await sendText(context, t(await turn.language(), 'error.badAction'));
      return;
    }
    const { verb, ...data } = parsed.data;
    try {
      await sendReply(context, await handlers[verb].handle(turn, data));
    } catch (error) {
      if (!isAnsvarError(error, 'InvalidActivity')) throw error;
      this.logger.warn({ verb, details: error.details }, 'card submit with malformed data');
      await sendText(context, t(await turn.language(), 'error.badAction'));
    }
  }

  /**
   * Action.Execute. Malformed payloads and unknown verbs get a 400 with a generic, translated message; a known
   * verb gets its card; a failure inside a handler gets a message the client shows while keeping the card.
   * Never a 5xx and never an exception text.
   */
  private async handleCardAction(context: TurnContext): Promise<InvokeResponse> {
    const turn = this.handlerContext(context);
    const parsed = cardActionSchema.safeParse(context.activity.value);
    const verb = parsed.success ? parsed.data.action.verb : undefined;
    if (!parsed.success || !isVerb(verb)) {
      this.logger.warn({ activityId: context.activity.id, known: parsed.success }, 'rejected card action');
      return badRequest(await this.safeLanguage(turn, context));
    }
    try {
      const reply = await handlers[verb].handle(turn, parsed.data.action.data ?? {});
      return cardInvokeResponse(reply.card);
    } catch (error) {
      const language = await this.safeLanguage(turn, context);
      if (isAnsvarError(error, 'InvalidActivity')) {
        this.logger.warn({ verb, details: error.details }, 'card action with malformed data');
        return badRequest(language);
      }
      if (isAnsvarError(error, 'NotAnApprover')) {
        this.logger.warn({ verb, details: error.details }, 'card action refused');
      } else if (isAnsvarError(error, 'NotSaved')) {
        // The storage state is reported once (app.ts) and on /healthz; each refused change is a warning.
        this.logger.warn({ verb, details: error.details }, 'card action not saved');
      } else {
        this.logger.error({ err: error, verb }, 'card action failed');
      }
      return messageInvokeResponse(userTextFor(error, language));
    }
  }

  private async welcome(context: TurnContext): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId || this.welcomed.has(conversationId)) return;
    this.welcomed.set(conversationId, true);
    const turn = this.handlerContext(context);
    const organisation = await turn.organisation();
    const reply = replyForAnswer({
      kind: 'welcome',
      language: await turn.language(),
      organisation,
      exampleSystems: await turn.responsibility.exampleSystems(organisation),
      ...(this.clockOffset ? { clockOffset: this.clockOffset } : {}),
    });
    await sendReply(context, reply);
  }

  /** Runs one turn's work; an unexpected failure is logged and the user gets an apology in their language. */
  private async guarded(context: TurnContext, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isAnsvarError(error, 'NotSaved')) {
        this.logger.warn({ details: error.details, activityType: context.activity.type }, 'change not saved');
      } else this.logger.error({ err: error, activityType: context.activity.type }, 'turn failed');
      const language = await this.safeLanguage(this.handlerContext(context), context);
      await sendText(context, userTextFor(error, language));
    }
  }

  /**
   * The turn as handlers see it. A message comes understood, with its asker and answer language; any other turn
   * (a click, an install) works its language out on first use.
   */
  private handlerContext(
    context: TurnContext,
    understood: { asker: Asker; language: Language } | undefined = undefined,
  ): HandlerContext {
    const { activity } = context;
    const asker = understood?.asker ?? this.askerOf(activity);
    let organisation: Promise<Organisation | undefined> | undefined;
    let language: Promise<Language> | undefined = understood && Promise.resolve(understood.language);
    let identity: Promise<AskerIdentity | undefined> | undefined;
    const self: HandlerContext = {
      asker,
      responsibility: this.responsibility,
      register: this.responsibility.register,
      requests: this.requests,
      catalogues: this.catalogues,
      inventory: this.inventory,
      hygiene: this.hygiene,
      care: this.care,
      tell: this.tell,
      now: this.now,
      reviews: this.reviews,
      identity: () => (identity ??= this.responsibility.register.askerIdentity(asker)),
      organisation: () => (organisation ??= this.responsibility.register.askerOrganisation(asker)),
      // A message's own words first, then the language the person last wrote (what ResponsibilityService also
      // does), then the conversation's last answer (a button pressed on it), then locale and organisation.
      language: () =>
        (language ??= (async () => {
          const evidence =
            activity.type === 'message' ? languageEvidence(activity.text ?? '') : { norwegian: false };
          const recent = asker.recentLanguage;
          const fitting =
            recent !== undefined && (!evidence.norwegian || recent === 'nn' || recent === 'nb')
              ? recent
              : undefined;
          const known =
            evidence.language ?? fitting ?? this.conversationLanguage.get(activity.conversation?.id ?? '');
          if (known) return known;
          return resolveLanguage(
            undefined,
            activity.locale,
            (await self.organisation())?.language,
            evidence.norwegian,
          );
        })()),
    };
    return this.downloads.bind(self, context);
  }

  /** The answer language even when the register cannot be read (the apology must not fail in turn). */
  private async safeLanguage(turn: HandlerContext, context: TurnContext): Promise<Language> {
    try {
      return await turn.language();
    } catch {
      const text = context.activity.type === 'message' ? (context.activity.text ?? '') : '';
      return resolveLanguage(detectLanguage(text), context.activity.locale);
    }
  }

  /** Who is asking, with the language they last wrote clearly in. */
  private askerOf(activity: Activity): Asker {
    const asker = askerOf(activity);
    const recent = this.personLanguage.get(asker.aadObjectId);
    return recent === undefined ? asker : { ...asker, recentLanguage: recent };
  }

  private rememberLanguage(activity: Activity, language: Language): void {
    const conversationId = activity.conversation?.id;
    if (conversationId) this.conversationLanguage.set(conversationId, language);
  }
}

/** Who is asking, as the (untrusted) activity says; the tenant guard has already checked the tenant. */
function askerOf(activity: Activity): Asker {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const channelTenant = typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined;
  return {
    aadObjectId: activity.from?.aadObjectId,
    tenantId: activity.conversation?.tenantId ?? channelTenant,
    locale: activity.locale,
  };
}

async function sendReply(context: TurnContext, reply: Reply): Promise<void> {
  await context.sendActivity({
    type: 'message',
    text: reply.summary,
    textFormat: 'plain',
    attachments: [CardFactory.adaptiveCard(reply.card)],
  });
}

async function sendText(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
}

function badRequest(language: Language): InvokeResponse {
  return errorInvokeResponse('BadRequest', t(language, 'error.badAction'));
}

/** A Map that forgets its oldest entry beyond `limit`, so per-conversation memory cannot grow without bound. */
class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
