import { INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';

/**
 * The turn as the shared code sees it, whichever SDK hosts it (ANSVAR_HOST).
 *
 * The dispatch (bot/teamsBot.ts), its handlers and the wrappers from bot/app.ts are written against botbuilder's
 * `TurnContext`. The Microsoft 365 Agents SDK's `TurnContext` is a port of it: the members the shared code uses
 * (`activity` with the same fields, `sendActivity`, `updateActivity`, `deleteActivity`, `turnState`) have the same
 * names and meaning, and its adapter records an `invokeResponse` activity in `turnState` as botbuilder's does, under
 * its own symbol. So the Agents host hands its context to the same `Bot.run` (`asSharedTurn`, the one cast) and
 * registers its symbol here (`useInvokeResponseKey`), and the one place that reads or writes the invoke response
 * directly (bot/invokeDeduplication.ts) uses the two functions below, which know every registered symbol. (This file
 * does not import the Agents SDK, so the botbuilder host does not load it.)
 */

const invokeResponseKeys: symbol[] = [INVOKE_RESPONSE_KEY];

/** Called by a host whose adapter keeps the invoke response under its own turnState key. */
export function useInvokeResponseKey(key: symbol): void {
  if (!invokeResponseKeys.includes(key)) invokeResponseKeys.push(key);
}

/** What the shared code needs from a turn context; both SDKs' contexts have these members. */
export interface SharedTurn {
  readonly activity: TurnContext['activity'];
  readonly turnState: { get(key: unknown): unknown; set(key: unknown, value: unknown): unknown };
  sendActivity: TurnContext['sendActivity'];
  updateActivity: TurnContext['updateActivity'];
}

/** An Agents SDK turn context as the shared dispatch's context (see above for why this holds). */
export function asSharedTurn(context: SharedTurn): TurnContext {
  return context as unknown as TurnContext;
}

/** The `invokeResponse` activity the turn produced so far, under either SDK. */
export function invokeResponseOf(context: SharedTurn): { value?: unknown } | undefined {
  for (const key of invokeResponseKeys) {
    const response = context.turnState.get(key);
    if (response !== undefined) return response as { value?: unknown };
  }
  return undefined;
}

/** Sets the turn's invoke response so that either SDK's adapter answers the HTTP request with it. */
export function setInvokeResponse(context: SharedTurn, value: unknown): void {
  const activity = { type: 'invokeResponse', value };
  for (const key of invokeResponseKeys) context.turnState.set(key, activity);
}
