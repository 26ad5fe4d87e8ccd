import {
  ActivityTypes,
  DeliveryModes,
  INVOKE_RESPONSE_KEY,
  InputHints,
  TurnContext,
  type Activity,
  type ResourceResponse,
  type SendActivitiesHandler,
} from 'botbuilder';

/**
 * The turn context of the botbuilder host's turns (bot/adapter.ts `runTurn`): botbuilder's TurnContext with
 * `sendActivity` and `sendActivities` as plain functions over promises instead of botbuilder's compiled `__awaiter`
 * generators, doing what botbuilder 4.23's do, step for step: the conversation reference applied to a copy of each
 * activity (channel, service URL, conversation, locale if unset, the bot as sender, the user as recipient, the
 * incoming activity as `replyToId`), `message` as the default type, no `id`; the send hooks (`onSendActivities`) run in
 * order around the send; with `deliveryMode: expectReplies` the activities are buffered instead (an invokeResponse
 * also recorded in turn state); after a send the ids the connector gave are set on the copies and `responded` is set
 * unless only traces went out.
 *
 * Why: a generator that is suspended while the reply is on its way keeps the reply's activity, and so its card,
 * reachable, and what such frames reach is promoted to V8's old generation (docs/performance.md, issue 17). Here no
 * suspended frame holds an activity: the ids are written back only onto the copies someone else can see (all of them
 * when a send hook was registered, else an invokeResponse, which turn state keeps), and the adapter's send path (bot/adapter.ts sendActivities,
 * bot/connectorPost.ts) lets go of the activity once it is serialised.
 */
export class ReplyContext extends TurnContext {
  override sendActivity(
    activityOrText: string | Partial<Activity>,
    speak?: string,
    inputHint?: string,
  ): Promise<ResourceResponse | undefined> {
    try {
      let activity: Partial<Activity>;
      if (typeof activityOrText === 'string') {
        activity = { text: activityOrText, inputHint: inputHint || InputHints.AcceptingInput };
        if (speak) activity.speak = speak;
      } else activity = activityOrText;
      return this.sendActivities([activity]).then(firstResponse);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  override sendActivities(activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    let sentNonTraceActivity = false;
    const reference = TurnContext.getConversationReference(this.activity);
    const output = activities.map((activity) => {
      const result = TurnContext.applyConversationReference({ ...activity }, reference);
      if (!result.type) result.type = ActivityTypes.Message;
      if (result.type !== ActivityTypes.Trace) sentNonTraceActivity = true;
      if (result.id) delete result.id;
      return result;
    });
    const hooks = sendHooksOf(this);
    return emit(this, hooks, output, () => deliver(this, output, sentNonTraceActivity, hooks.length > 0));
  }
}

function firstResponse(responses: ResourceResponse[] | undefined): ResourceResponse | undefined {
  return (responses || [])[0];
}

/** TurnContext's private list of send hooks (what `onSendActivities` adds to). */
function sendHooksOf(context: TurnContext): SendActivitiesHandler[] {
  return (context as unknown as { _onSendActivities: SendActivitiesHandler[] })._onSendActivities;
}

/** TurnContext's `emit`: the hooks as a chain around `next`, a synchronous throw as a rejection. */
function emit(
  context: TurnContext,
  hooks: readonly SendActivitiesHandler[],
  activities: Partial<Activity>[],
  next: () => Promise<ResourceResponse[]>,
): Promise<ResourceResponse[]> {
  const run = (index: number): Promise<ResourceResponse[]> => {
    try {
      const hook = hooks[index];
      return hook ? hook(context, activities, () => run(index + 1)) : Promise.resolve(next());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  };
  return run(0);
}

/** The end of TurnContext's send chain: buffered for expectReplies, else the adapter's send. */
function deliver(
  context: TurnContext,
  output: Partial<Activity>[],
  sentNonTraceActivity: boolean,
  hooked: boolean,
): Promise<ResourceResponse[]> {
  try {
    if (context.activity.deliveryMode === DeliveryModes.ExpectReplies) {
      const responses: ResourceResponse[] = [];
      for (const activity of output) {
        context.bufferedReplyActivities.push(activity);
        // As botbuilder: this activity does not pass the adapter, which would record it in turn state.
        if (activity.type === ActivityTypes.InvokeResponse)
          context.turnState.set(INVOKE_RESPONSE_KEY, activity);
        responses.push({ id: undefined as unknown as string });
      }
      if (sentNonTraceActivity) context.responded = true;
      return Promise.resolve(responses);
    }
    // Who can see the copies after the send: the hooks (all of them), turn state (an invokeResponse, which the
    // adapter records there). Only those are kept to receive their ids.
    const seen = hooked ? output.map(indexed) : output.map(indexed).filter(isInvokeResponse);
    const sent = context.adapter.sendActivities(context, output);
    return seen.length > 0
      ? withIds(context, sent, seen, sentNonTraceActivity)
      : afterSend(context, sent, sentNonTraceActivity);
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

type Indexed = [index: number, activity: Partial<Activity>];

function indexed(activity: Partial<Activity>, index: number): Indexed {
  return [index, activity];
}

function isInvokeResponse([, activity]: Indexed): boolean {
  return activity.type === ActivityTypes.InvokeResponse;
}

/** Nobody sees the copies: nothing keeps them (and their cards) while the send is on its way. */
function afterSend(
  context: TurnContext,
  sent: Promise<ResourceResponse[]>,
  sentNonTraceActivity: boolean,
): Promise<ResourceResponse[]> {
  return sent.then((responses) => {
    if (sentNonTraceActivity) context.responded = true;
    return responses;
  });
}

/** The copies someone sees get the ids the connector gave, as botbuilder sets them on every copy. */
function withIds(
  context: TurnContext,
  sent: Promise<ResourceResponse[]>,
  seen: Indexed[],
  sentNonTraceActivity: boolean,
): Promise<ResourceResponse[]> {
  return sent.then((responses) => {
    for (const [index, activity] of seen) if (index < responses?.length) activity.id = responses[index]!.id;
    if (sentNonTraceActivity) context.responded = true;
    return responses;
  });
}
