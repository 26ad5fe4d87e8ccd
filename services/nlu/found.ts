import type { Organisation, Person, SystemRecord, Unit } from '../../data/model.js';
import type { RoleCue } from './roleWords.js';
import type { Token } from './normalise.js';

/** What a reading finds in a message (`find` in entities.ts): the entities' spans and the cues, for `decide`. */

/** Runs longer than this are no system name people type. */
export const MAX_NAME_WORDS = 4;

export interface Span {
  start: number;
  end: number;
}

export interface SystemSpan extends Span {
  systems: readonly SystemRecord[];
  /** The name or alias as the register spells it, when the words typed are another form of it ("Lifeacre"). */
  spelled?: string;
}

export interface Found {
  tokens: Token[];
  words: string[];
  /** Per word: the role it names (a role word, or the first word of a role phrase) and the words it covers. */
  roles: { at: number; length: number; cue: RoleCue }[];
  system?: SystemSpan;
  organisation?: Span & { organisation: Organisation };
  unit?: Span & { units: readonly Unit[] };
  person?: Span & { people: readonly Person[] };
  /** A second person named, after the first ("flytt rollene hennar over til Eirik Vatne"). */
  otherPerson?: Span & { people: readonly Person[] };
  date?: { at: number; length: number; date: string };
  question: boolean;
  gap: boolean;
  list: boolean;
  systemsWord: boolean;
  need: boolean;
  about: boolean;
  /** "om" / "about" right before the system: asks about it only when nothing else is said ("mötet om X flyttas"). */
  aboutSystem: boolean;
  stop: boolean;
  /**
   * Leaving a role named right after "som / as / vara / be" ("slutar som superanvändare i X", "stepping down as
   * owner of X"): the writer, or the person named, steps down from it.
   */
  leave: boolean;
  change: boolean;
  who: boolean;
  get: boolean;
  my: boolean;
  self: boolean;
  requests: boolean;
  open: boolean;
  waiting: boolean;
  approval: boolean;
  check: boolean;
  register: boolean;
  hygiene: boolean;
  /** An access review named ("granskningar", "tilgangsgjennomgangar", "access reviews"), or asked to start. */
  review: boolean;
  reviewStart: boolean;
  greeting: boolean;
  questionMark: boolean;
  /** "roller", "roles", "uppdrag": one's roles as a whole. */
  rolesWord: boolean;
  /** A number of days ("5 dagar", "en uke" = 7) anywhere in the message. */
  days?: number;
  /** The first word assigns a role ("lägg till", "gjer", "make") or edits an entry ("ändra", "edit"). */
  careAssign: boolean;
  careEdit: boolean;
  /** Where the edit word stands: first, or right after a greeting ("hi, edit Raindance"). */
  careEditAt: number;
  /** A help word ("hjälp", "hjelpe", "help"): a greeting with it is no mere greeting. */
  help: boolean;
  /**
   * Where a role holder is said to be away: after "när / når / when / while" with an absence word ("borte", "sjuk",
   * "on leave"); -1 when not. A role named there asks for whoever stands in ("kven steppar inn når
   * fagsystemansvarleg er borte"); a role asked before it does not ("kven er fagsystemansvarleg når Jorunn er borte").
   */
  awayFrom: number;
  /** Where absence words stand ("borte", "sjuk", "away"), said of a role holder or of a system. */
  absent: number[];
  /** A word that moves roles to someone ("flytt", "transfer", "ge"). */
  handover: boolean;
  /** Equipment as things held ("utrustning", "utstyr", "devices"), and "registrerad / registered". */
  equipment: boolean;
  registered: boolean;
  /** Approving as a verb ("godkänna", "approve"). */
  approve: boolean;
  /** Words that are no cue, no entity and no small talk: what is left to be a name. */
  rest: number[];
}

export function joinRaw(tokens: readonly Token[], span: Span): string {
  return tokens
    .slice(span.start, span.end)
    .map((t) => t.raw)
    .join(' ');
}

export function overlaps(a: Span | undefined, at: number): boolean {
  return a !== undefined && at >= a.start && at < a.end;
}
