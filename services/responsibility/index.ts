import {
  isCurrent,
  ORGANISATION_ROLES,
  SYSTEM_ROLES,
  isSystemRole,
  type Language,
  type Organisation,
  type OrganisationRole,
  type Person,
  type Role,
  type RoleAssignment,
  type SystemRecord,
  type SystemRole,
  type Unit,
} from '../../data/model.js';
import {
  personView,
  type Answer,
  type Asker,
  type HolderView,
  type OrganisationRoleHolderView,
  type PersonView,
  type SystemFocus,
  type SystemListKind,
  type SystemRef,
} from './answers.js';
import type { AppServices } from '../infrastructure/appServices.js';
import type { PersonStatus } from '../directory/directory.js';
import { AnsvarError } from '../../core/errors.js';
import { type Intent, type Scope, type Understanding } from '../nlu/intent.js';
import { readMessage, type ReadingContext } from '../nlu/reader.js';
import { matchItemType } from '../equipment/catalogue.js';
import { resolveLanguage } from '../nlu/language.js';
import { fold, normaliseKey, spelledOut } from '../nlu/normalise.js';
import { roleLabel } from '../nlu/vocabulary.js';
import { NameIndex, type Hit, type MatchResult, type SearchScope } from '../search/nameIndex.js';
import { RegisterView, type RegisterIndexes } from '../search/registerView.js';
import { lookupSystem, suggestSystems } from '../search/systemLookup.js';
import { availabilityOf } from '../directory/availability.js';
import { isListReader, pageOf, systemListRows } from '../lists/index.js';
import { OPEN_REQUESTS_PAGE_SIZE, openRequestRows, type OpenRequestsAnswer } from '../lists/openRequests.js';
import { exampleOrganisationRole, exampleSystemNames } from './helpExamples.js';
import { directoryCall, RegisterQueries, type AskerContext } from './registerQueries.js';

export type { AskerIdentity } from './registerQueries.js';

/**
 * The question path: "who owns system X?", "what do I / does NAME hold?". Turns a message into an Answer; never
 * writes to the register. Decisions (all documented here because the bot and the cards rely on them):
 *
 * - The asker's organisation: the register person whose aadObjectId is the asker's; else the directory's person
 *   for that object id, matched to the register by UPN; else the organisation whose tenantId is the asker's tenant.
 * - Systems are searched in the asker's organisation first, and in all organisations only when it has nothing by
 *   that name (the exact order is `lookupSystem` in search/systemLookup.ts). A trailing "i Tanum" / "for Nesøy
 *   kommune" limits the search to that organisation when it names a known one; otherwise it is part of the name.
 * - A greeting gets 'help' from someone the register or directory knows and 'welcome' from anyone else; a message
 *   the parser does not understand gets 'help'. Asking for one's own roles while unknown gives 'unknownPerson'
 *   (query ''); known only to the directory gives 'personRoles' with no roles.
 * - `otherOrganisation` is true only when the asker's organisation is known and is not the system's. An asker of
 *   unknown organisation gets false: there is no "own" to differ from, and the answer always names the organisation.
 * - Holders are all current assignments of the system, ordered owner, administrator, deputy, super user: someone
 *   who asked for the owner usually needs the administrator next, so the card shows every role and the bot leads
 *   with the focused ones (`FOCUS_ROLES`). Their status comes from one `directory.statusOf` call for all holders.
 *   A holder who is disabled, unknown to the directory or out of office is listed in `unavailable` with whom to
 *   turn to instead (`TURN_TO`).
 * - When the directory cannot be reached (DirectoryUnavailable), the answer still comes, every holder marked
 *   'available' (no flags rather than wrong flags), and a warning is logged.
 * - Organisation roles ("vem är dataskyddsombud?") are answered for the asker's organisation, or for the one the
 *   question names after "i / for / in". An asker of unknown organisation who names none is asked which one
 *   (the register's organisations listed), unless the register holds only one. Holders are the current
 *   assignments of the role, each person once, with status flags from one directory call. For IT orderers a
 *   named unit (found by name within the organisation, fuzzily) keeps only the orderers whose authorisation list
 *   holds it; a name that fits no unit is reported and all orderers listed. Anything named after other roles
 *   that is not an organisation is ignored: those roles are organisation-wide. With no holder the answer names
 *   the IT coordinators, who keep the register.
 * - "Who owned X on DAY" (`whoOwns.at`) answers with the assignments valid at midday of that day in Stockholm
 *   (`middayInStockholm`), every holder listed with no directory flag (they may have left since; today's status
 *   says nothing about then) and the day on the card. A day that is not a calendar date gets the current answer.
 */

/** `requestStore` only for the open requests list (`openRequests`). */
type Services = Pick<AppServices, 'store' | 'directory' | 'now' | 'logger'> &
  Partial<Pick<AppServices, 'view' | 'requestStore' | 'catalogues'>>;

/** Whether the asker may read their organisation's lists, or the refusal naming its IT coordinators. */
type ListAccess =
  | { allowed: true; organisation: Organisation }
  | { allowed: false; organisation?: Organisation; registerKeepers: PersonView[] };

/** The roles shown for each focus. Supplier support is a text on the system; its administrator is the contact. */
export const FOCUS_ROLES: Record<SystemFocus, readonly SystemRole[]> = {
  owner: ['owner'],
  administrator: ['administrator'],
  deputy: ['deputy'],
  super_user: ['super_user'],
  access: ['administrator', 'deputy'],
  supplier: ['administrator'],
  all: SYSTEM_ROLES,
};

/**
 * Whom to turn to when a holder cannot act: the first of these roles with an available holder. The administrator's
 * deputy stands in for them (Tanum 4.2); a deputy's stand-in is the administrator; the owner's work goes to the
 * administrator it appointed.
 */
export const TURN_TO: Record<SystemRole, readonly SystemRole[]> = {
  owner: ['administrator', 'deputy'],
  administrator: ['deputy', 'owner'],
  deputy: ['administrator', 'owner'],
  super_user: ['administrator', 'deputy'],
};

const ROLE_ORDER: readonly Role[] = [...SYSTEM_ROLES, ...ORGANISATION_ROLES];
const SUGGESTION_LIMIT = 5;
/** Words an organisation's name carries that people leave out: "Fjordvik" for "Fjordvik kommune". */
const ORGANISATION_SUFFIXES = [
  'kommune',
  'kommun',
  'kommunes',
  'kommuns',
  'municipality',
  'stad',
  'fylkeskommune',
];

/** The units of each register revision, by name; built on the first unit question of a revision. */
const unitIndexes = new WeakMap<RegisterIndexes, NameIndex<Unit>>();

/** A message read once: what it asks, and the language to answer it in. */
export interface Understood {
  understanding: Understanding;
  language: Language;
}

/** The answers a system search gives when it does not find exactly one system. */
export type ChooseOrNoMatch = Extract<Answer, { kind: 'choose' | 'noMatch' }>;

/**
 * The keys a question may name an organisation by: its name or id, each also without "kommun(e)" and, for the
 * Swedish genitive, without a final s ("Tanums kommun" → "Tanum").
 */
function organisationKeys(organisation: Organisation): Set<string> {
  const keys = new Set<string>();
  const names = [organisation.name, spelledOut(organisation.name)];
  for (const words of [...names.map((n) => n.split(/\s+/)), organisation.id.split('-')]) {
    keys.add(normaliseKey(words.join(' ')));
    const core = words.filter((w) => !ORGANISATION_SUFFIXES.includes(w.toLowerCase()));
    if (core.length === 0 || core.length === words.length) continue;
    const key = normaliseKey(core.join(' '));
    keys.add(key);
    if (key.length > 3 && key.endsWith('s')) keys.add(key.slice(0, -1));
  }
  return keys;
}

export class ResponsibilityService {
  private readonly view: RegisterView;
  /** The register queries and "who is asking", shared with bot/ (one view, so the process builds its indexes once). */
  readonly register: RegisterQueries;

  constructor(private readonly services: Services) {
    this.view = services.view ?? new RegisterView(services.store);
    this.register = new RegisterQueries({
      view: this.view,
      directory: services.directory,
      logger: services.logger,
    });
  }

  /**
   * What a message asks, read once against the register (services/nlu/reader.ts: the systems, people, units and
   * organisations it names, the asker's organisation preferred for names several share), and the language its
   * answer is in (`resolveLanguage`: the message's own words, the language the asker last wrote, the Teams locale,
   * the organisation's language).
   */
  async understand(asker: Asker, text: string): Promise<Understood> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    const understanding = this.read(text, indexes, context);
    const language = resolveLanguage(
      understanding.language,
      asker.locale,
      context.organisation?.language,
      understanding.norwegian,
      asker.recentLanguage,
    );
    this.services.logger.debug({ intent: understanding.intent.kind, language }, 'question understood');
    return { understanding, language };
  }

  /**
   * The question path whole, from text (mention markup and HTML allowed) to answer: for tests and the NLU
   * evaluation. An intent that is no question (a request, care, a list ...) is bot/'s to act on and gets 'help'.
   */
  async ask(asker: Asker, text: string): Promise<Answer> {
    const { understanding, language } = await this.understand(asker, text);
    const intent = understanding.intent;
    switch (intent.kind) {
      case 'whoOwns':
        return this.answerWhoOwns(asker, intent, language);
      case 'rolesOf':
        return this.answerRolesOf(asker, intent, language);
      case 'organisationRole':
        return this.answerOrganisationRole(asker, intent, language);
      case 'systemList':
        return this.answerSystemList(asker, intent, language);
      case 'greeting':
        return this.answerGreeting(asker, language);
      default:
        return this.answerHelp(asker, language);
    }
  }

  /** "Who owns X?", "who owned X on DAY?", "X": the system's holders, or the choice or no-match answer. */
  async answerWhoOwns(
    asker: Asker,
    intent: Extract<Intent, { kind: 'whoOwns' }>,
    language: Language,
  ): Promise<Answer> {
    const indexes = await this.view.current();
    return this.whoOwns(await this.register.asker(asker, indexes), indexes, intent, language);
  }

  /** "What do I hold?", "what does NAME hold?". */
  async answerRolesOf(
    asker: Asker,
    intent: Extract<Intent, { kind: 'rolesOf' }>,
    language: Language,
  ): Promise<Answer> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    return intent.self
      ? this.ownRoles(context, indexes, language)
      : this.rolesByName(context, indexes, intent.personQuery, language);
  }

  /** "Who is the data protection officer (in ORGANISATION)?", "who is IT orderer for UNIT?". */
  async answerOrganisationRole(
    asker: Asker,
    intent: Extract<Intent, { kind: 'organisationRole' }>,
    language: Language,
  ): Promise<Answer> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    return this.organisationRole(context, indexes, intent.role, intent.scope, language);
  }

  /** A responsibility list asked for in words: its first page. */
  async answerSystemList(
    asker: Asker,
    intent: Extract<Intent, { kind: 'systemList' }>,
    language: Language,
  ): Promise<Answer> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    return this.systemList(context, indexes, intent.list, { query: intent.unit?.fullQuery }, 0, language);
  }

  /** A greeting: 'help' for someone the register or directory knows, 'welcome' for anyone else. */
  async answerGreeting(asker: Asker, language: Language): Promise<Answer> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    const organisation = context.organisation;
    if (context.person || context.directoryPerson) return this.help(indexes, organisation, language);
    return {
      kind: 'welcome',
      language,
      organisation,
      exampleSystems: exampleSystemNames(indexes, organisation?.id),
    };
  }

  /** The example questions (asked for, or a message nobody understood). */
  async answerHelp(asker: Asker, language: Language): Promise<Answer> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    return this.help(indexes, context.organisation, language);
  }

  private help(indexes: RegisterIndexes, organisation: Organisation | undefined, language: Language): Answer {
    return {
      kind: 'help',
      language,
      organisation,
      exampleSystems: exampleSystemNames(indexes, organisation?.id),
      exampleRole: exampleOrganisationRole(indexes, organisation, language),
    };
  }

  private read(text: string, indexes: RegisterIndexes, context: AskerContext): Understanding {
    const homeOrganisationId = context.organisation?.id;
    const where: ReadingContext = {};
    if (homeOrganisationId !== undefined) where.homeOrganisationId = homeOrganisationId;
    const catalogues = this.services.catalogues;
    if (catalogues && homeOrganisationId !== undefined) {
      const catalogue = catalogues.for(homeOrganisationId);
      where.isEquipment = (words) => matchItemType(catalogue, words) !== undefined;
    }
    return readMessage(text, indexes, where);
  }

  /**
   * A page of a responsibility list (a card's paging button): the list is computed again from the current
   * register and the asker checked again, so a button carries only the list, the unit id and the page.
   */
  async systemListPage(
    asker: Asker,
    request: { list: SystemListKind; unitId?: string; page: number },
    language: Language,
  ): Promise<Answer> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    return this.systemList(context, indexes, request.list, { id: request.unitId }, request.page, language);
  }

  /**
   * The open requests of the asker's organisation (a question or a paging button), for list readers only (the
   * same check as the system lists); see services/lists/openRequests.ts for what a row holds and how rows are ordered.
   * `olderThanDays` 0 or absent: all open requests.
   */
  async openRequests(
    asker: Asker,
    request: { olderThanDays?: number | undefined; page: number },
    language: Language,
  ): Promise<OpenRequestsAnswer> {
    const indexes = await this.view.current();
    const access = this.listAccess(await this.register.asker(asker, indexes), indexes);
    const olderThanDays = request.olderThanDays ? request.olderThanDays : undefined;
    const base: OpenRequestsAnswer = { language, result: { kind: 'refused', registerKeepers: [] } };
    if (olderThanDays !== undefined) base.olderThanDays = olderThanDays;
    if (access.organisation) base.organisation = access.organisation;
    if (!access.allowed)
      return { ...base, result: { kind: 'refused', registerKeepers: access.registerKeepers } };
    const store = this.services.requestStore;
    if (!store)
      throw new AnsvarError('InvalidConfig', 'ResponsibilityService needs a request store for lists');
    const rows = await openRequestRows(
      store,
      indexes,
      access.organisation,
      olderThanDays,
      this.services.now(),
    );
    return { ...base, result: { kind: 'page', page: pageOf(rows, request.page, OPEN_REQUESTS_PAGE_SIZE) } };
  }

  /** The answer about one system, by id (a card button). Throws AnsvarError('UnknownSystem') for an unknown id. */
  async systemAnswer(
    asker: Asker,
    systemId: string,
    focus: SystemFocus,
    language: Language,
  ): Promise<Answer> {
    const indexes = await this.view.current();
    const system = indexes.systems.get(systemId);
    if (!system) throw new AnsvarError('UnknownSystem', `no system with id ${systemId}`);
    const context = await this.register.asker(asker, indexes);
    return this.systemAnswerFor(context, indexes, system, focus, language);
  }

  /** The current roles of one person, by register id. Throws AnsvarError('UnknownPerson') for an unknown id. */
  async rolesOf(asker: Asker, personId: string, language: Language): Promise<Answer> {
    const indexes = await this.view.current();
    const person = indexes.people.get(personId.toLowerCase());
    if (!person) throw new AnsvarError('UnknownPerson', `no person with id ${personId}`);
    const context = await this.register.asker(asker, indexes);
    return this.personRoles(indexes, person, context.person?.id === person.id, language);
  }

  /**
   * The system a name in a message means, searched as for "who owns" (asker's organisation first, a trailing
   * organisation as a hint, typos and aliases): one system, or the 'choose' / 'noMatch' answer to show instead.
   */
  async findSystem(
    asker: Asker,
    scope: Scope,
    language: Language,
  ): Promise<{ kind: 'one'; system: SystemRecord; organisation: Organisation } | ChooseOrNoMatch> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    const found = this.lookup(context, indexes, scope, language);
    if (found.kind !== 'one') return found;
    return {
      kind: 'one',
      system: found.system,
      organisation: this.organisationOf(indexes, found.system.organisationId),
    };
  }

  /** The unit a typed scope names, resolved as a responsibility list's unit is. */
  async findUnit(asker: Asker, scope: Scope): Promise<Unit | undefined> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    const { organisation, unitQuery } = this.organisationRoleScope(context, indexes, scope);
    if (!organisation || unitQuery === undefined) return undefined;
    return this.unitNamed(indexes, organisation, unitQuery);
  }

  /** System names of the organisation's register for the help and welcome cards' examples. */
  async exampleSystems(organisation: Organisation | undefined): Promise<string[]> {
    return exampleSystemNames(await this.view.current(), organisation?.id);
  }

  /** The role word of the help card's organisation-role example, from the organisation's register. */
  async exampleRole(organisation: Organisation | undefined, language: Language): Promise<string | undefined> {
    return exampleOrganisationRole(await this.view.current(), organisation, language);
  }

  private async whoOwns(
    context: AskerContext,
    indexes: RegisterIndexes,
    intent: Extract<Intent, { kind: 'whoOwns' }>,
    language: Language,
  ): Promise<Answer> {
    const found = this.lookup(context, indexes, intent, language);
    if (found.kind !== 'one') return found;
    const asOf = intent.at !== undefined && middayInStockholm(intent.at) ? intent.at : undefined;
    return this.systemAnswerFor(context, indexes, found.system, intent.focus, language, asOf);
  }

  private lookup(
    context: AskerContext,
    indexes: RegisterIndexes,
    scope: Scope,
    language: Language,
  ): { kind: 'one'; system: SystemRecord } | ChooseOrNoMatch {
    const hinted = scope.organisationHint
      ? this.organisationNamed(indexes, scope.organisationHint)
      : undefined;
    const query = hinted ? scope.query : scope.fullQuery;
    const home = context.organisation;
    const found = lookupSystem(indexes.systems, query, {
      namedOrganisationId: hinted?.id,
      homeOrganisationId: home?.id,
    });
    let result = !hinted && home ? servingHome(indexes, found, home) : found;
    // The asker's own organisation named without the system ("Teams hjå oss i Fjordvik"): the one an organisation
    // of the asker's country (the inter-municipal IT service) runs, found by its exact name.
    if (result.kind === 'none' && hinted && home && hinted.id === home.id) {
      const serving = servingHome(indexes, lookupSystem(indexes.systems, query), home);
      const near = (h: Hit<SystemRecord>) => {
        const organisation = indexes.organisations.get(h.item.organisationId);
        return h.exact && organisation !== undefined && sameCountry(organisation, home);
      };
      if (serving.kind !== 'none' && serving.hits.every(near)) result = serving;
    }
    const shared =
      result.kind !== 'one'
        ? []
        : result.hit.exact
          ? this.aliasNamesakes(indexes, result.hit.item, query)
          : sharedWordHits(result.hits, query);
    if (shared.length > 1) {
      return {
        kind: 'choose',
        language,
        query,
        candidates: shared.map((h) => this.systemRef(indexes, h.item)),
      };
    }
    if (result.kind === 'one') return { kind: 'one', system: result.hit.item };
    if (result.kind === 'several') {
      const hits = closeChoices(result.hits, query);
      if (hits.length === 1) return { kind: 'one', system: hits[0]!.item };
      const shared = hits[0]!.exact ? hits : sharedWordHits(hits, query);
      if (shared.length > 1) {
        const candidates = shared.map((h) => this.systemRef(indexes, h.item));
        return { kind: 'choose', language, query, candidates };
      }
      // No name holds the typed words as they are: a typo, so the closest two or three as "did you mean".
      const candidates = hits.slice(0, DID_YOU_MEAN_LIMIT).map((h) => this.systemRef(indexes, h.item));
      return { kind: 'choose', language, query, candidates, didYouMean: true };
    }
    const suggestions = suggestSystems(indexes.systems, query, (hinted ?? home)?.id, SUGGESTION_LIMIT).map(
      (h) => this.systemRef(indexes, h.item),
    );
    const registerKeepers = home ? this.registerKeepers(indexes, home) : [];
    const answer: ChooseOrNoMatch = { kind: 'noMatch', language, query, suggestions, registerKeepers };
    if (home) answer.organisation = home;
    return answer;
  }

  /**
   * "Time Care" is an alias of Time Care Planering, and Time Care Pool's name holds it too: a name typed exactly as
   * an alias (not the system's own name) that other systems of the same organisation carry as whole words in
   * their names is a choice of them all. Empty when the query is the system's name or nobody shares it.
   */
  private aliasNamesakes(indexes: RegisterIndexes, system: SystemRecord, query: string): Hit<SystemRecord>[] {
    if (normaliseKey(system.name) === normaliseKey(query)) return [];
    const scope = { organisationIds: new Set([system.organisationId]) };
    const others = sharedWordHits(
      [{ item: system, score: 1, exact: false }, ...indexes.systems.suggest(query, scope, 8)],
      query,
      true,
    );
    const unique = [...new Map(others.map((h) => [h.item.id, h])).values()];
    return unique.length > 1 ? unique : [];
  }

  private async organisationRole(
    context: AskerContext,
    indexes: RegisterIndexes,
    role: OrganisationRole,
    scope: Scope | undefined,
    language: Language,
  ): Promise<Answer> {
    const { organisation, unitQuery } = this.organisationRoleScope(context, indexes, scope);
    const answer: Extract<Answer, { kind: 'organisationRole' }> = {
      kind: 'organisationRole',
      language,
      role,
      roleLabel: roleLabel(role, language, organisation),
      organisations: [],
      holders: [],
      registerKeepers: [],
    };
    if (!organisation) {
      answer.organisations = [...indexes.organisations.values()].sort((a, b) => a.name.localeCompare(b.name));
      return answer;
    }
    answer.organisation = organisation;
    const now = this.services.now();
    let assignments = (indexes.organisationAssignments.get(organisation.id) ?? []).filter(
      (a) => a.role === role && isCurrent(a, now),
    );
    if (role === 'it_orderer' && unitQuery !== undefined) {
      const unit = this.unitNamed(indexes, organisation, unitQuery);
      if (unit) {
        answer.unit = unit;
        assignments = assignments.filter((a) => a.unitIds?.includes(unit.id));
      } else {
        answer.unknownUnit = unitQuery;
      }
    }
    // A person may hold the role through several assignments (one row per unit): one holder, units merged.
    const unitIdsByPerson = new Map<string, Set<string>>();
    for (const assignment of assignments) {
      const unitIds = unitIdsByPerson.get(assignment.personId) ?? new Set<string>();
      for (const id of assignment.unitIds ?? []) unitIds.add(id);
      unitIdsByPerson.set(assignment.personId, unitIds);
    }
    const people = [...unitIdsByPerson.keys()].map((id) => this.personViewById(indexes, id));
    const statuses = await this.statuses(people.map((p) => p.email.toLowerCase()));
    answer.holders = people.map((person): OrganisationRoleHolderView => {
      const holder: OrganisationRoleHolderView = {
        person,
        ...availabilityOf(statuses.get(person.email.toLowerCase())),
      };
      if (role === 'it_orderer') {
        holder.units = [...unitIdsByPerson.get(person.id)!].flatMap((id) => {
          const unit = indexes.units.get(id);
          return unit ? [unit] : [];
        });
      }
      return holder;
    });
    if (answer.holders.length === 0) answer.registerKeepers = this.registerKeepers(indexes, organisation);
    return answer;
  }

  /**
   * The organisation an organisation-role question is about and the unit words it names: the whole scope when it
   * names an organisation; else its trailing "i <organisation>" with the rest as the unit; else the asker's (or
   * the register's only) organisation with the whole scope as the unit.
   */
  private organisationRoleScope(
    context: AskerContext,
    indexes: RegisterIndexes,
    scope: Scope | undefined,
  ): { organisation?: Organisation; unitQuery?: string } {
    const only = indexes.organisations.size === 1 ? [...indexes.organisations.values()][0] : undefined;
    const home = context.organisation ?? only;
    if (!scope) return home ? { organisation: home } : {};
    const whole = this.organisationNamed(indexes, scope.fullQuery);
    if (whole) return { organisation: whole };
    const hinted = scope.organisationHint
      ? this.organisationNamed(indexes, scope.organisationHint)
      : undefined;
    if (hinted) return { organisation: hinted, unitQuery: scope.query };
    return home ? { organisation: home, unitQuery: scope.fullQuery } : { unitQuery: scope.fullQuery };
  }

  /**
   * A responsibility list of the asker's organisation, for the holders of `LIST_READER_ROLES` there only; anyone
   * else is refused with the organisation's IT coordinators named. The unit comes by name (a question) or by id
   * (a button); a name or id that is not one of the organisation's units is reported and the list left unfiltered.
   */
  private systemList(
    context: AskerContext,
    indexes: RegisterIndexes,
    list: SystemListKind,
    unitRef: { query?: string | undefined; id?: string | undefined },
    page: number,
    language: Language,
  ): Answer {
    const base = { kind: 'systemList', language, list } as const;
    const access = this.listAccess(context, indexes);
    if (!access.allowed) {
      const refused = { kind: 'refused', registerKeepers: access.registerKeepers } as const;
      return access.organisation
        ? { ...base, organisation: access.organisation, result: refused }
        : { ...base, result: refused };
    }
    const organisation = access.organisation;
    let unit: Unit | undefined;
    let unknownUnit: string | undefined;
    if (unitRef.query !== undefined) {
      unit = this.unitNamed(indexes, organisation, unitRef.query);
      if (!unit) unknownUnit = unitRef.query;
    } else if (unitRef.id !== undefined) {
      const byId = indexes.units.get(unitRef.id);
      if (byId?.organisationId === organisation.id) unit = byId;
      else unknownUnit = unitRef.id;
    }
    const rows = systemListRows(indexes, organisation, list, unit?.id, this.services.now());
    const answer: Answer = { ...base, organisation, result: { kind: 'page', page: pageOf(rows, page) } };
    if (unit) answer.unit = unit;
    if (unknownUnit !== undefined) answer.unknownUnit = unknownUnit;
    return answer;
  }

  /** Who may read the lists: the holders of `LIST_READER_ROLES` in their own organisation, now. */
  private listAccess(context: AskerContext, indexes: RegisterIndexes): ListAccess {
    const organisation = context.organisation;
    if (organisation && this.mayReadLists(context, indexes, organisation))
      return { allowed: true, organisation };
    return organisation
      ? { allowed: false, organisation, registerKeepers: this.registerKeepers(indexes, organisation) }
      : { allowed: false, registerKeepers: [] };
  }

  /** Whether the asker (as the register knows them) holds a list reader's role in `organisation` now. */
  private mayReadLists(context: AskerContext, indexes: RegisterIndexes, organisation: Organisation): boolean {
    const personId = context.person?.id;
    return personId !== undefined && isListReader(indexes, organisation.id, personId, this.services.now());
  }

  /** The organisation's unit `query` names, exactly or fuzzily; none when it fits no unit or several equally. */
  private unitNamed(indexes: RegisterIndexes, organisation: Organisation, query: string): Unit | undefined {
    let index = unitIndexes.get(indexes);
    if (!index) {
      index = new NameIndex(indexes.register.units, {
        id: (u) => u.id,
        organisationId: (u) => u.organisationId,
        exactKeys: (u) => [u.name],
        fields: { name: { boost: 1, values: (u) => [u.name] } },
      });
      unitIndexes.set(indexes, index);
    }
    const result = index.find(query, { organisationIds: new Set([organisation.id]) });
    return result.kind === 'one' ? result.hit.item : undefined;
  }

  private organisationNamed(indexes: RegisterIndexes, hint: string): Organisation | undefined {
    const key = normaliseKey(hint);
    for (const organisation of indexes.organisations.values()) {
      if (organisationKeys(organisation).has(key)) return organisation;
    }
    return undefined;
  }

  private registerKeepers(indexes: RegisterIndexes, organisation: Organisation): PersonView[] {
    const now = this.services.now();
    const keepers = new Map<string, PersonView>();
    for (const assignment of indexes.organisationAssignments.get(organisation.id) ?? []) {
      if (assignment.role !== 'it_coordinator' || !isCurrent(assignment, now)) continue;
      keepers.set(assignment.personId, this.personViewById(indexes, assignment.personId));
    }
    return [...keepers.values()];
  }

  private systemRef(indexes: RegisterIndexes, system: SystemRecord): SystemRef {
    return { system, organisation: this.organisationOf(indexes, system.organisationId) };
  }

  private organisationOf(indexes: RegisterIndexes, organisationId: string): Organisation {
    const organisation = indexes.organisations.get(organisationId);
    if (!organisation)
      throw new AnsvarError('UnknownOrganisation', `register names unknown organisation ${organisationId}`);
    return organisation;
  }

  private personViewById(indexes: RegisterIndexes, personId: string): PersonView {
    const person = indexes.people.get(personId);
    return person ? personView(person) : { id: personId, name: personId, email: personId };
  }

  private async systemAnswerFor(
    context: AskerContext,
    indexes: RegisterIndexes,
    system: SystemRecord,
    focus: SystemFocus,
    language: Language,
    asOf?: string,
  ): Promise<Answer> {
    const organisation = this.organisationOf(indexes, system.organisationId);
    const moment = (asOf !== undefined ? middayInStockholm(asOf) : undefined) ?? this.services.now();
    const assignments = (indexes.assignmentsBySystem.get(system.id) ?? [])
      .filter((a): a is RoleAssignment & { role: SystemRole } => isSystemRole(a.role) && isCurrent(a, moment))
      .sort(
        (a, b) =>
          ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.validFrom.localeCompare(b.validFrom),
      );
    const people = assignments.map((a) => this.personViewById(indexes, a.personId));
    // Today's directory status says nothing about a past day: history answers carry no flags.
    const statuses =
      asOf === undefined
        ? await this.statuses(people.map((p) => p.email.toLowerCase()))
        : new Map<string, PersonStatus>();
    const all: HolderView[] = assignments.map((assignment, i) => {
      const person = people[i]!;
      return {
        role: assignment.role,
        roleLabel: roleLabel(assignment.role, language, organisation),
        person,
        ...availabilityOf(statuses.get(person.email.toLowerCase())),
      };
    });
    const holders = all;
    const unavailable = holders
      .filter((h) => h.status !== 'available')
      .map((holder) => ({ holder, turnTo: turnTo(holder, all) }));
    const answer: Answer = {
      kind: 'system',
      language,
      focus,
      system,
      organisation,
      holders,
      unavailable,
      otherOrganisation: context.organisation !== undefined && context.organisation.id !== organisation.id,
    };
    const unit = system.unitId ? indexes.units.get(system.unitId) : undefined;
    if (unit) answer.unit = unit;
    if (asOf !== undefined) answer.asOf = asOf;
    return answer;
  }

  /** Status of every UPN in one directory call; an empty map when the directory is unreachable. */
  private async statuses(upns: readonly string[]): Promise<Map<string, PersonStatus>> {
    const unique = [...new Set(upns)];
    if (unique.length === 0) return new Map();
    const result = await directoryCall(
      this.services.logger,
      () => this.services.directory.statusOf(unique),
      undefined,
    );
    if (!result) return new Map();
    return new Map([...result].map(([upn, status]) => [upn.toLowerCase(), status]));
  }

  private ownRoles(context: AskerContext, indexes: RegisterIndexes, language: Language): Answer {
    if (context.person) return this.personRoles(indexes, context.person, true, language);
    if (context.directoryPerson) {
      const d = context.directoryPerson;
      const person: PersonView = {
        id: d.upn,
        name: d.displayName,
        email: d.mail?.toLowerCase() ?? d.upn,
        aadObjectId: d.id,
      };
      if (d.jobTitle !== undefined) person.title = d.jobTitle;
      if (d.department !== undefined) person.department = d.department;
      return { kind: 'personRoles', language, person, self: true, roles: [] };
    }
    return { kind: 'unknownPerson', language, query: '', suggestions: [] };
  }

  private rolesByName(
    context: AskerContext,
    indexes: RegisterIndexes,
    query: string,
    language: Language,
  ): Answer {
    const scope: SearchScope = context.organisation ? { preferOrganisationId: context.organisation.id } : {};
    const result = indexes.people.find(query, scope);
    if (result.kind === 'one') {
      return this.personRoles(indexes, result.hit.item, result.hit.item.id === context.person?.id, language);
    }
    const hits =
      result.kind === 'several' ? result.hits : indexes.people.suggest(query, scope, SUGGESTION_LIMIT);
    return { kind: 'unknownPerson', language, query, suggestions: hits.map((h) => personView(h.item)) };
  }

  private personRoles(indexes: RegisterIndexes, person: Person, self: boolean, language: Language): Answer {
    const now = this.services.now();
    const roles: Extract<Answer, { kind: 'personRoles' }>['roles'] = [];
    for (const assignment of indexes.assignmentsByPerson.get(person.id) ?? []) {
      if (!isCurrent(assignment, now)) continue;
      const organisation = indexes.organisations.get(assignment.organisationId);
      const system = assignment.systemId ? indexes.systems.get(assignment.systemId) : undefined;
      if (!organisation || (assignment.systemId && !system)) {
        this.services.logger.warn(
          { assignmentId: assignment.id },
          'role assignment names an unknown organisation or system',
        );
        continue;
      }
      const role: (typeof roles)[number] = {
        role: assignment.role,
        roleLabel: roleLabel(assignment.role, language, organisation),
        organisation,
      };
      if (system) role.system = system;
      if (assignment.unitIds) {
        role.units = assignment.unitIds.flatMap((id) => {
          const unit = indexes.units.get(id);
          return unit ? [unit] : [];
        });
      }
      roles.push(role);
    }
    roles.sort(
      (a, b) =>
        a.organisation.name.localeCompare(b.organisation.name) ||
        ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) ||
        (a.system?.name ?? '').localeCompare(b.system?.name ?? ''),
    );
    return { kind: 'personRoles', language, person: personView(person), self, roles };
  }
}

/** Words of a typed system name that say only "system" ("LSS-systemet", "the HR system"). */
const GENERIC_NAME_WORDS = new Set([
  'system',
  'systemet',
  'systems',
  'systemer',
  'systema',
  'systemen',
  'fagsystem',
  'fagsystemet',
  'programmet',
  'program',
  'appen',
  'app',
  'the',
]);

/** How many close readings a "did you mean" offers. */
const DID_YOU_MEAN_LIMIT = 3;

const NORWEGIAN: ReadonlySet<Language> = new Set(['nn', 'nb']);

/** Whether two organisations are in one country (an IT service serves municipalities of its own country). */
function sameCountry(a: Organisation, b: Organisation): boolean {
  return a.language === b.language || (NORWEGIAN.has(a.language) && NORWEGIAN.has(b.language));
}

/**
 * A name several organisations' systems carry exactly, none of them the asker's, when the message names no
 * organisation ("kven eig Microsoft 365 hjå oss" from Fjordvik): the asker means the one that serves them, so the
 * systems of organisations in the asker's own country (the inter-municipal IT service, IKT Vestfjord, not Storsjö).
 * One left is the answer, several a choice of those; none left keeps the result as it was.
 */
function servingHome(
  indexes: RegisterIndexes,
  result: MatchResult<SystemRecord>,
  home: Organisation,
): MatchResult<SystemRecord> {
  if (result.kind !== 'several' || !result.hits[0]!.exact) return result;
  const exact = result.hits.filter((h) => h.exact);
  if (exact.some((h) => h.item.organisationId === home.id)) return result;
  const near = exact.filter((h) => {
    const organisation = indexes.organisations.get(h.item.organisationId);
    return organisation !== undefined && sameCountry(organisation, home);
  });
  if (near.length === 0 || near.length === exact.length) return result;
  return near.length === 1 ? { kind: 'one', hit: near[0]!, hits: near } : { kind: 'several', hits: near };
}

/** A choice never lists a system scoring below this share of the best one (issue 10, item 3). */
const CHOICE_SCORE_SHARE = 0.5;

/**
 * The candidates worth offering for a fuzzy "several": those scoring at least CHOICE_SCORE_SHARE of the best,
 * and only the one system when its name or an alias is a close misspelling of the query (at most one edit in
 * five letters) and no other candidate's is. Exact hits (a name several systems share) are kept as they are.
 */
export function closeChoices<T extends { name: string; aliases: readonly string[] }>(
  hits: readonly Hit<T>[],
  query: string,
): Hit<T>[] {
  if (hits.length === 0 || hits[0]!.exact) return [...hits];
  const best = hits[0]!.score;
  const scored = hits.filter((h) => h.score >= best * CHOICE_SCORE_SHARE);
  // "LSS-systemet": a hit that matched only the generic word ("HR-systemet") is no candidate when others
  // matched the distinctive one.
  const distinctive = fold(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !GENERIC_NAME_WORDS.has(w));
  const holds = (h: Hit<T>) =>
    [h.item.name, ...h.item.aliases].some((name) =>
      fold(name)
        .split(/[^\p{L}\p{N}]+/u)
        .some((w) => distinctive.some((d) => w.startsWith(d))),
    );
  const specific = distinctive.length > 0 ? scored.filter(holds) : [];
  const kept = specific.length > 0 ? specific : scored;
  const key = normaliseKey(query);
  const near = kept.filter((h) =>
    [h.item.name, ...h.item.aliases].some((name) => {
      const other = normaliseKey(name);
      return editDistanceWithin(key, other, Math.floor(Math.max(key.length, other.length) / 5));
    }),
  );
  return near.length === 1 ? near : kept;
}

/**
 * The fuzzy hits whose name or an alias holds every word of the query as a whole word: "Visma" names Visma Flyt
 * Skole, Visma Flyt Barnehage and Visma Enterprise alike, so the answer is a choice of them, not the best scorer.
 * None for an exact hit (the query is a name) or a query no hit holds whole (a misspelling).
 */
export function sharedWordHits<T extends { name: string; aliases: readonly string[] }>(
  hits: readonly Hit<T>[],
  query: string,
  namesOnly = false,
): Hit<T>[] {
  if (hits.length < 2 || hits[0]!.exact) return [];
  const words = fold(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  if (words.length === 0) return [];
  return hits.filter((h, i) =>
    (namesOnly && i > 0 ? [h.item.name] : [h.item.name, ...h.item.aliases]).some((name) => {
      const own = new Set(fold(name).split(/[^\p{L}\p{N}]+/u));
      return words.every((w) => own.has(w));
    }),
  );
}

/** Whether two strings are at most `limit` edits apart (Levenshtein), without computing more than that band. */
function editDistanceWithin(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const value = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return false;
    previous = current;
  }
  return previous[b.length]! <= limit;
}

/**
 * The moment a "who owned X on DAY" question is answered for: 12:00 in Europe/Stockholm (the civil time of every
 * organisation served) on `day` (YYYY-MM-DD). One moment rather than "anyone valid at some time that day": on the
 * day a role changed hands the answer is whoever held it at midday, never both the old and the new holder.
 * Daylight saving changes happen at night, so the offset at 12:00 UTC is the one at local midday. Undefined for
 * anything that is not a calendar date.
 */
export function middayInStockholm(day: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const utcNoon = new Date(`${day}T12:00:00.000Z`);
  if (Number.isNaN(utcNoon.getTime()) || utcNoon.toISOString().slice(0, 10) !== day) return undefined;
  const offset = STOCKHOLM_OFFSET.formatToParts(utcNoon).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return new Date(utcNoon.getTime() - minutes * 60_000);
}

const STOCKHOLM_OFFSET = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Stockholm',
  timeZoneName: 'longOffset',
});

/** The available holders of the first role in the holder's `TURN_TO` chain that has any. */
function turnTo(holder: HolderView, all: readonly HolderView[]): HolderView[] {
  for (const role of TURN_TO[holder.role]) {
    const available = all.filter(
      (h) => h.role === role && h.status === 'available' && h.person.id !== holder.person.id,
    );
    if (available.length > 0) return available;
  }
  return [];
}
