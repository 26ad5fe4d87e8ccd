/**
 * Every Action.Execute / Action.Submit verb the bot understands, `noun.verb`. Cards name verbs only from this
 * table (the render tests check every template), and bot/actions/index.ts maps each to exactly one handler.
 * A verb is matched whole; nothing is ever read from its parts.
 */
export const VERBS = [
  'system.show',
  'person.roles',
  'help.show',
  'question.ask',
  'request.start',
  'request.submit',
  'request.show',
  'request.approve',
  'request.reject',
  'request.cancel',
  'request.note',
  'task.done',
  'task.failed',
  'requests.mine',
  'requests.awaiting',
  'requests.open',
  'systems.page',
  'list.download',
  'system.add',
  'system.edit',
  'system.confirm',
  'role.assign',
  'role.end',
  'roles.handover',
  'care.cancel',
  'equipment.start',
  'equipment.submit',
  'inventory.mine',
  'inventory.unit',
  'inventory.discard',
  'review.decide',
  'review.download',
] as const;
export type Verb = (typeof VERBS)[number];

export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (VERBS as readonly string[]).includes(value);
}
