import { INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';

/**
 * The turn as the shared code sees it, whichever SDK hosts it (ANSVAR_HOST).
 *
 * The dispatch (bot/teamsBot.ts), its handlers and the wrappers from bot/app.ts (conversation references, invoke
 * de-duplication) are written against botbuilder's `TurnContext`. The Microsoft 365 Agents SDK's `TurnContext` is a
 * port of it: the members the shared code uses (`activity` with the same fields, `sendActivity`, `updateActivity`,
 * `turnState`) have the same names and meaning, and its adapter records an `invokeResponse` activity in `turnState`
 * as botbuilder's does, only under its own symbol. So the Agents host hands its context to the same `Bot.run`
 * through `asSharedTurn`, the one cast, which makes botbuilder's invoke response key name the SDK's entry: what
 * botbuilder's ActivityHandler and bot/invokeDeduplication.ts read or write there is what the SDK's adapter answers.
 *
 * This file does not import the Agents SDK (the botbuilder host never loads it): the host passes its key in.
 */

/**
 * What the shared code needs from a turn context, checked structurally on the Agents SDK's (its activity's types
 * differ in detail, e.g. a timestamp may still be a string, which the shared code never reads).
 */
export interface SharedTurn {
  readonly activity: { readonly type?: string; readonly id?: string };
  readonly turnState: Map<unknown, unknown>;
  sendActivity(...args: never[]): Promise<unknown>;
  updateActivity(...args: never[]): Promise<unknown>;
}

/** Another SDK's turn context as the shared dispatch's context; `invokeResponseKey` is that SDK's turnState key. */
export function asSharedTurn(context: SharedTurn, invokeResponseKey: symbol): TurnContext {
  const state = context.turnState;
  const get = state.get.bind(state);
  const set = state.set.bind(state);
  const has = state.has.bind(state);
  const keyOf = (key: unknown) => (key === INVOKE_RESPONSE_KEY ? invokeResponseKey : key);
  state.get = (key) => get(keyOf(key));
  state.set = (key, value) => set(keyOf(key), value);
  state.has = (key) => has(keyOf(key));
  return context as unknown as TurnContext;
}
