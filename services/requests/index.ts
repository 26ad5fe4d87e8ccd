import { randomUUID } from 'node:crypto';
import type { RegisterStore } from '../../data/registerStore.js';
import type { RequestStore } from '../../data/requestStore.js';
import type { Directory } from '../directory/directory.js';
import type { Logger } from '../../core/logger.js';
import type { RegisterView } from '../search/registerView.js';
import type { CatalogueSet } from '../equipment/catalogue.js';
import { accessKind } from './accessKind.js';
import { RequestEngine } from './engine.js';
import { equipmentKind } from './equipmentKind.js';
import { kindRegistry, type KindRegistry } from './kinds.js';
import { loadPolicies } from './policy.js';

/**
 * The request kinds this deployment knows (equipment checks its fields against the organisations' catalogues). A
 * new kind is one more definition here, no engine change.
 */
export function requestKinds(catalogues: CatalogueSet): KindRegistry {
  return kindRegistry(accessKind, equipmentKind(catalogues));
}

/** Builds the engine with the routing policies in `policiesDir` (validated; a bad file stops the start). */
export async function createRequestEngine(deps: {
  requests: RequestStore;
  store: Pick<RegisterStore, 'revision' | 'snapshot' | 'frozen'>;
  directory: Directory;
  now: () => Date;
  policiesDir: string;
  catalogues: CatalogueSet;
  view?: RegisterView;
  logger?: Logger;
}): Promise<RequestEngine> {
  const kinds = requestKinds(deps.catalogues);
  const policies = await loadPolicies(deps.policiesDir, kinds);
  return new RequestEngine({
    requests: deps.requests,
    store: deps.store,
    directory: deps.directory,
    now: deps.now,
    newId: randomUUID,
    kinds,
    policies,
    ...(deps.view ? { view: deps.view } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}
