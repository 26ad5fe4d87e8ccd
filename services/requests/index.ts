import { randomUUID } from 'node:crypto';
import type { RegisterStore } from '../../data/registerStore.js';
import type { RequestStore } from '../../data/requestStore.js';
import type { Directory } from '../directory/directory.js';
import type { Logger } from '../logger.js';
import type { RegisterView } from '../search/registerView.js';
import { accessKind } from './accessKind.js';
import { RequestEngine } from './engine.js';
import { kindRegistry } from './kinds.js';
import { loadPolicies } from './policy.js';

/** The request kinds this deployment knows. A new kind is one more definition here, no engine change. */
export const requestKinds = kindRegistry(accessKind);

/** Builds the engine with the routing policies in `policiesDir` (validated; a bad file stops the start). */
export async function createRequestEngine(deps: {
  requests: RequestStore;
  store: Pick<RegisterStore, 'revision' | 'snapshot' | 'frozen'>;
  directory: Directory;
  now: () => Date;
  policiesDir: string;
  view?: RegisterView;
  logger?: Logger;
}): Promise<RequestEngine> {
  const policies = await loadPolicies(deps.policiesDir, requestKinds);
  return new RequestEngine({
    requests: deps.requests,
    store: deps.store,
    directory: deps.directory,
    now: deps.now,
    newId: randomUUID,
    kinds: requestKinds,
    policies,
    ...(deps.view ? { view: deps.view } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}
