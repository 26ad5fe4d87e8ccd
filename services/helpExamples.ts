import { isCurrent } from '../data/model.js';
import type { RegisterIndexes } from './search/registerView.js';

/**
 * The system names the help and welcome cards put in their example questions: real systems of the asker's own
 * organisation (of the whole register when the asker has none), so every example can be tried and answers. The
 * systems most people ask about come first: in use, with an owner, and with the most role holders; short names
 * before long ones. At most `count`; none for an empty register (the card then uses its language's defaults).
 */
export function exampleSystemNames(
  indexes: Pick<RegisterIndexes, 'register' | 'assignmentsBySystem'>,
  organisationId: string | undefined,
  count = 2,
  now: Date = new Date(),
): string[] {
  const candidates = indexes.register.systems.filter(
    (s) =>
      s.lifecycle !== 'retired' &&
      s.name.length <= 40 &&
      (organisationId === undefined || s.organisationId === organisationId),
  );
  const scored = candidates.map((system) => {
    const current = (indexes.assignmentsBySystem.get(system.id) ?? []).filter((a) => isCurrent(a, now));
    const owned = current.some((a) => a.role === 'owner');
    return { name: system.name, score: (owned ? 100 : 0) + current.length };
  });
  scored.sort((a, b) => b.score - a.score || a.name.length - b.name.length || a.name.localeCompare(b.name));
  return [...new Set(scored.map((s) => s.name))].slice(0, count);
}
