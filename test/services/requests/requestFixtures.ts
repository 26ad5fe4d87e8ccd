import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { MemoryRequestStore } from '../../../data/memory/memoryRequestStore.js';
import type { Register } from '../../../data/model.js';
import type { OutboxItem } from '../../../data/requestModel.js';
import { RequestEngine, type SubmitInput } from '../../../services/requests/engine.js';
import { requestKinds } from '../../../services/requests/index.js';
import type { KindRegistry } from '../../../services/requests/kinds.js';
import { projectCatalogues } from '../../fixtures/appServices.js';
import { PolicySet } from '../../../services/requests/policy.js';
import { FakeDirectory } from '../../../fakes/fakeDirectory.js';
import { buildAssignment, buildUnit } from '../../../fakes/registerBuilder.js';
import {
  buildScenario,
  FJORDVIK,
  NOW,
  PEOPLE,
  person,
  SYSTEMS,
  TANUM,
} from '../../fixtures/registerScenario.js';

/**
 * The request engine on the register scenario, plus what access requests need there: an employee with a manager
 * in Tanum's Socialförvaltningen, an employee in Fjordvik's "Helse og omsorg" with an IKT-bestillar for that unit,
 * IT coordinators in both. Tests state only what differs.
 */

/** The kinds the product ships (access, equipment on the shipped catalogues), as the shipped policies name them. */
export function shippedKinds(): KindRegistry {
  return requestKinds(projectCatalogues());
}

export const POLICY_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../data/policies',
);

export const EXTRA_PEOPLE = {
  /** Tanum employee; manager Karl Ström. */
  idaSjo: person(TANUM, 'ida.sjo', 'Ida Sjö', {
    department: 'Socialförvaltningen',
    managerId: 'karl.strom@tanum.example',
  }),
  karlStrom: person(TANUM, 'karl.strom', 'Karl Ström', { department: 'Socialförvaltningen' }),
  goranWestin: person(TANUM, 'goran.westin', 'Göran Westin'),
  /** Fjordvik employee in Helse og omsorg. */
  astridKleppe: person(FJORDVIK, 'astrid.kleppe', 'Astrid Kleppe', { department: 'Helse og omsorg' }),
  /** IKT-bestillar for Helse og omsorg. */
  kariBjorlo: person(FJORDVIK, 'kari.bjorlo', 'Kari Bjørlo', { department: 'Helse og omsorg' }),
  frodeHeggheim: person(FJORDVIK, 'frode.heggheim', 'Frode Heggheim'),
};
export const P = { ...PEOPLE, ...EXTRA_PEOPLE };

export const HELSE_OG_OMSORG = 'fjordvik-kommune/helse-og-omsorg';

export function accessScenario(extra: Partial<Register> = {}): Register {
  return buildScenario({
    ...extra,
    units: [
      buildUnit({ id: HELSE_OG_OMSORG, organisationId: FJORDVIK.id, name: 'Helse og omsorg' }),
      ...(extra.units ?? []),
    ],
    people: [...Object.values(EXTRA_PEOPLE), ...(extra.people ?? [])],
    roleAssignments: [
      buildAssignment({
        role: 'it_orderer',
        personId: P.kariBjorlo.id,
        organisationId: FJORDVIK.id,
        systemId: undefined,
        unitIds: [HELSE_OG_OMSORG],
      }),
      buildAssignment({
        role: 'it_coordinator',
        personId: P.frodeHeggheim.id,
        organisationId: FJORDVIK.id,
        systemId: undefined,
      }),
      buildAssignment({
        role: 'security_officer',
        personId: P.goranWestin.id,
        organisationId: TANUM.id,
        systemId: undefined,
      }),
      ...(extra.roleAssignments ?? []),
    ],
  });
}

/** A shipped policy file with its organisations replaced (the scenario's Tanum stands in for Storsjö). */
export function shippedPolicy(file: string, organisationIds?: string[]): { source: string; data: unknown } {
  const data = JSON.parse(readFileSync(path.join(POLICY_DIR, file), 'utf8')) as Record<string, unknown>;
  if (organisationIds) data.organisationIds = organisationIds;
  return { source: file, data };
}

/** The shipped default and Norwegian policies, and the Storsjö policy applied to Tanum. */
export function scenarioPolicies(kinds: KindRegistry = shippedKinds()): PolicySet {
  return PolicySet.from(kinds, [
    shippedPolicy('default.json'),
    shippedPolicy('storsjo-kommun.json', [TANUM.id]),
    shippedPolicy('ikt-vestfjord.json'),
  ]);
}

export interface Harness {
  engine: RequestEngine;
  requests: MemoryRequestStore;
  directory: FakeDirectory;
  register: Register;
  /** The register store the engine reads (changes to it reach the engine at its next call). */
  registerStore: MemoryRegisterStore;
}

export function buildHarness(
  options: { register?: Register; policies?: PolicySet; kinds?: KindRegistry } = {},
): Harness {
  const register = options.register ?? accessScenario();
  const kinds = options.kinds ?? shippedKinds();
  const requests = new MemoryRequestStore();
  const directory = FakeDirectory.fromPeople(register.people);
  const registerStore = new MemoryRegisterStore(register);
  let seq = 0;
  const engine = new RequestEngine({
    requests,
    store: registerStore,
    directory,
    now: () => NOW,
    newId: () => `id-${(seq += 1)}`,
    kinds,
    policies: options.policies ?? scenarioPolicies(kinds),
  });
  return { engine, requests, directory, register, registerStore };
}

export const VALID_ACCESS_FIELDS = {
  change: 'new',
  role: 'Handläggare',
  justification: 'Ny tjänst som biståndshandläggare',
  startDate: '2026-06-15',
  policyConfirmed: 'true',
};

export function accessRequest(overrides: Partial<SubmitInput> = {}): SubmitInput {
  return {
    kind: 'access',
    requesterId: P.idaSjo.id,
    systemId: SYSTEMS.procapita.id,
    fields: { ...VALID_ACCESS_FIELDS },
    ...overrides,
  };
}

/** Outbox items as "purpose recipient" lines, sorted: easy to compare whole sets. */
export function summary(items: readonly OutboxItem[]): string[] {
  return items.map((i) => `${i.purpose} ${i.recipientId}`).sort();
}

/** Outbox items written since `before` (by id). */
export async function newOutbox(
  requests: MemoryRequestStore,
  before: readonly OutboxItem[],
): Promise<OutboxItem[]> {
  const seen = new Set(before.map((i) => i.id));
  return (await requests.pendingOutbox()).filter((i) => !seen.has(i.id));
}

export { FJORDVIK, NOW, SYSTEMS, TANUM };
