import { replyForAnswer } from '../../cards/answers.js';
import { MemoryRegisterStore } from '../../data/memory/memoryRegisterStore.js';
import { isCurrent, type Register } from '../../data/model.js';
import type { Asker } from '../../services/responsibility/answers.js';
import { LocalDirectory } from '../../services/directory/localDirectory.js';
import { logger } from '../../core/logger.js';
import { ResponsibilityService } from '../../services/responsibility/index.js';
import { summarise, type Summary } from './stats.js';

/**
 * The coordinators' lists on a large register (issue 5): "system utan ersättare" (first page) and "vilka roller har
 * NAME" for the person of each organisation who holds the most roles (among those with a name nobody else has), each asked by an IT coordinator of that
 * organisation through ResponsibilityService.answer and rendered to a card (replyForAnswer), as a turn does before
 * sending; no HTTP. Each question timed on its own, after a warm-up pass.
 */

export interface ListQuestionResult extends Summary {
  /** Answer kinds seen, to show the questions were answered as meant (a refusal would be fast and wrong). */
  answers: Record<string, number>;
  /** Largest card + summary, in bytes. */
  maxReplyBytes: number;
}

export interface ListsBenchResult {
  organisations: number;
  noDeputy: ListQuestionResult;
  rolesOf: ListQuestionResult & { maxRoles: number };
  problems: string[];
}

interface Question {
  asker: Asker;
  text: string;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export async function measureLists(
  register: Register,
  options: { rounds?: number; warmupPasses?: number } = {},
): Promise<ListsBenchResult> {
  const store = new MemoryRegisterStore(register);
  const now = new Date();
  const service = new ResponsibilityService({
    store,
    directory: new LocalDirectory(store),
    now: () => now,
    logger,
  });
  const people = new Map(register.people.map((p) => [p.id, p]));
  const tenants = new Map(register.organisations.map((o) => [o.id, o.tenantId]));
  /** People per (organisation, name): the search prefers the asker's organisation, so a name must be unique there. */
  const namesakes = new Map<string, number>();
  const nameKey = (id: string) => `${people.get(id)?.organisationId}\u0000${people.get(id)?.name}`;
  for (const p of register.people) namesakes.set(nameKey(p.id), (namesakes.get(nameKey(p.id)) ?? 0) + 1);

  const noDeputy: Question[] = [];
  const rolesOf: Question[] = [];
  let maxRoles = 0;
  for (const organisation of register.organisations) {
    const current = register.roleAssignments.filter(
      (a) => a.organisationId === organisation.id && isCurrent(a, now),
    );
    const coordinator = people.get(current.find((a) => a.role === 'it_coordinator')?.personId ?? '');
    if (!coordinator) continue;
    const asker: Asker = {
      aadObjectId: coordinator.aadObjectId,
      tenantId: tenants.get(organisation.id),
      locale: 'sv-SE',
    };
    const counts = new Map<string, number>();
    for (const a of current) counts.set(a.personId, (counts.get(a.personId) ?? 0) + 1);
    // The busiest holder whose name is theirs alone: a shared name gets a "which one?" answer, not the roles.
    const [busiest, roles] = [...counts]
      .filter(([id]) => namesakes.get(nameKey(id)) === 1)
      .sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    maxRoles = Math.max(maxRoles, roles);
    noDeputy.push({ asker, text: 'system utan ersättare' });
    rolesOf.push({ asker, text: `vilka roller har ${people.get(busiest)?.name ?? busiest}` });
  }

  const rounds = options.rounds ?? 10;
  const run = async (questions: readonly Question[]): Promise<ListQuestionResult> => {
    const ask = async (q: Question) => replyForAnswer(await service.ask(q.asker, q.text));
    for (let pass = 0; pass < (options.warmupPasses ?? 1); pass += 1) for (const q of questions) await ask(q);
    collectGarbage();
    const times: number[] = [];
    const answers: Record<string, number> = {};
    let maxReplyBytes = 0;
    for (let round = 0; round < rounds; round += 1) {
      for (const q of questions) {
        const t0 = process.hrtime.bigint();
        const answer = await service.ask(q.asker, q.text);
        const reply = replyForAnswer(answer);
        const t1 = process.hrtime.bigint();
        times.push(Number(t1 - t0) / 1e6);
        const kind = answer.kind === 'systemList' ? `systemList/${answer.result.kind}` : answer.kind;
        answers[kind] = (answers[kind] ?? 0) + 1;
        maxReplyBytes = Math.max(maxReplyBytes, Buffer.byteLength(JSON.stringify(reply)));
      }
    }
    return { ...summarise(times), answers, maxReplyBytes };
  };

  const result: ListsBenchResult = {
    organisations: noDeputy.length,
    noDeputy: await run(noDeputy),
    rolesOf: { ...(await run(rolesOf)), maxRoles },
    problems: [],
  };
  const expect = (name: string, r: ListQuestionResult, kind: string) => {
    if (r.answers[kind] !== r.count)
      result.problems.push(`${name}: expected ${r.count} × ${kind}, got ${JSON.stringify(r.answers)}`);
  };
  expect('systems without a deputy', result.noDeputy, 'systemList/page');
  expect('roles of NAME', result.rolesOf, 'personRoles');
  return result;
}
