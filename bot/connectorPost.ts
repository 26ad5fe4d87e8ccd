import type { Activity, ConversationReference, ResourceResponse } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';

/**
 * The connector calls that send an activity (reply to an activity, send to a conversation), made through the
 * connector client's own HTTP pipeline but without botbuilder's compiled `__awaiter` steps holding the activity.
 *
 * botbuilder's path is `conversations.replyToActivity` → botbuilder-stdlib's `ServiceClientContext.sendOperationRequest`
 * (a generator driven by `__awaiter`) → @azure/core-client's `ServiceClient.sendOperationRequest`, whose pipeline
 * serialises the activity (the Activity mapper, then JSON.stringify) and keeps the operation's arguments, the
 * activity with its card, on the request until the answer is in. Generator frames that outlive a scavenge leave the
 * objects they reach to be promoted to V8's old generation (docs/performance.md), so each reply's card and body were.
 *
 * Here the activity is serialised first, exactly as that pipeline does it (the operation's own serializer and mapper,
 * then JSON.stringify), into a Buffer, whose bytes live outside V8's heap; the operation is then sent by the same
 * core-client ServiceClient with the same operation spec except the body, declared as an already serialised
 * stream. So the request goes through every policy of the client as before (its credentials' token, user agent,
 * client request id, retries including 429 with Retry-After, redirects, proxy, logging) and the answer, or the
 * RestError of a failure, is read by the same deserialisation. The bytes on the wire are the same
 * (test/bot/replyPath.test.ts compares them), and neither the activity nor its card is reachable from the
 * request once it is serialised.
 */

/** What of @azure/core-client's OperationSpec is read here (botframework-connector's specs are of that type). */
interface OperationSpec {
  readonly requestBody?: { parameterPath: string; mapper: Mapper };
  readonly serializer: { serialize(mapper: Mapper, object: unknown, objectName: string): unknown };
}

interface Mapper {
  readonly serializedName?: string;
  readonly required?: boolean;
  readonly type: { readonly name: string };
}

/** The part of core-client's ServiceClient (the connector client's `client`) used here. */
interface OperationClient {
  sendOperationRequest(
    operationArguments: Record<string, unknown>,
    operationSpec: OperationSpec,
  ): Promise<Record<string, unknown>>;
}

type SendOperationRequest = (
  operationArguments: Record<string, unknown>,
  operationSpec: OperationSpec,
) => Promise<ResourceResponse>;

type Conversations = ConnectorClient['conversations'];

interface SendOperation {
  /** botframework-connector's spec, for the body's serialisation (its Activity mapper and serializer). */
  readonly original: OperationSpec;
  /** The same spec with the body as an already serialised stream. */
  readonly serialised: OperationSpec;
}

/** The operations of the Conversations prototype (one per loaded botframework-connector), found once. */
const operations = new WeakMap<object, { reply: SendOperation; send: SendOperation }>();

/** The operation spec botframework-connector passes for a call, caught by calling it on a probe client. */
function specOf(conversations: Conversations, call: (probe: Conversations) => unknown): OperationSpec {
  let caught: OperationSpec | undefined;
  const probe = Object.create(Object.getPrototypeOf(conversations) as object, {
    client: {
      value: {
        sendOperationRequest: (_args: unknown, spec: OperationSpec) => {
          caught = spec;
          return Promise.resolve({});
        },
      },
    },
  }) as Conversations;
  void call(probe);
  if (!caught?.requestBody) throw new Error('botframework-connector: no operation spec with a request body');
  return caught;
}

function sendOperation(original: OperationSpec): SendOperation {
  const body = original.requestBody!;
  return {
    original,
    serialised: {
      ...original,
      requestBody: {
        parameterPath: 'body',
        mapper: { serializedName: body.mapper.serializedName, required: true, type: { name: 'Stream' } },
      },
    },
  };
}

function operationsOf(conversations: Conversations): { reply: SendOperation; send: SendOperation } {
  const prototype = Object.getPrototypeOf(conversations) as object;
  let found = operations.get(prototype);
  if (!found) {
    const activity = {} as Activity;
    found = {
      reply: sendOperation(specOf(conversations, (c) => c.replyToActivity('c', 'a', activity))),
      send: sendOperation(specOf(conversations, (c) => c.sendToConversation('c', activity))),
    };
    operations.set(prototype, found);
  }
  return found;
}

/**
 * The body as core-client's serialisation policy makes it (serializationPolicy.ts: the mapper, then JSON.stringify),
 * with its error text for an activity the mapper refuses.
 */
function serialise(operation: SendOperation, activity: Partial<Activity>): Buffer {
  const { mapper, parameterPath } = operation.original.requestBody!;
  try {
    return Buffer.from(
      JSON.stringify(operation.original.serializer.serialize(mapper, activity, parameterPath)),
    );
  } catch (error) {
    // eslint-disable-next-line preserve-caught-error -- the same error core-client throws there, which has no cause
    throw new Error(
      `Error "${(error as Error).message}" occurred in serializing the payload - ${JSON.stringify(mapper.serializedName, undefined, '  ')}.`,
    );
  }
}

/**
 * botbuilder-stdlib's `ServiceClientContext.sendOperationRequest` without its generator: core-client's
 * ServiceClient (kept in a field TypeScript calls private) called with the options that wrapper passes (no request
 * options, an `onResponse` that keeps the raw response), and the raw response set as `_response` on the result, as the
 * wrapper does. Another botbuilder-stdlib without that field: its public wrapper itself.
 */
function sendOperationRequestOf(connectorClient: ConnectorClient): SendOperationRequest {
  const client = (connectorClient as unknown as { client?: Partial<OperationClient> }).client;
  if (typeof client?.sendOperationRequest !== 'function') {
    const wrapper = connectorClient as unknown as OperationClient;
    return (operationArguments, operationSpec) =>
      wrapper.sendOperationRequest(operationArguments, operationSpec) as unknown as Promise<ResourceResponse>;
  }
  const core = client as OperationClient;
  return (operationArguments, operationSpec) => {
    let rawResponse: unknown;
    const options = {
      requestOptions: {},
      onResponse: (response: unknown) => {
        rawResponse = response;
      },
    };
    return core.sendOperationRequest({ ...operationArguments, options }, operationSpec).then((result) => {
      Object.defineProperty(result, '_response', { value: rawResponse });
      return result as unknown as ResourceResponse;
    });
  };
}

/**
 * Sends one activity as botbuilder's CloudAdapterBase.sendActivities does: a reply to `replyToId` when the activity
 * has one, else to the conversation. Resolves to the connector's ResourceResponse (with `_response`, the raw
 * response, as botbuilder-stdlib adds it); rejects with core-client's RestError as botbuilder's call does.
 * Not an async function: nothing of it waits while holding the activity.
 */
export function postActivity(
  connectorClient: ConnectorClient,
  activity: Partial<Activity> & { conversation: ConversationReference['conversation'] },
): Promise<ResourceResponse> {
  try {
    const send = sendOperationRequestOf(connectorClient);
    const operation = operationsOf(connectorClient.conversations);
    const conversationId = activity.conversation.id;
    const replyToId = activity.replyToId;
    if (replyToId) {
      const body = serialise(operation.reply, activity);
      return send({ conversationId, activityId: replyToId, body }, operation.reply.serialised);
    }
    const body = serialise(operation.send, activity);
    return send({ conversationId, body }, operation.send.serialised);
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
