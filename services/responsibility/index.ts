import {
  isCurrent,
  isSystemRole,
  type Language,
  type Organisation,
  type RoleAssignment,
  type SystemRecord,
  type SystemRole,
  type Unit,
} from '../../data/model.js';
import {
  type Answer,
  type Asker,
  type HolderView,
  type SystemFocus,
  type SystemListKind,
} from './answers.js';
import type { AppServices } from '../infrastructure/appServices.js';
import type { PersonStatus } from '../directory/directory.js';
import { AnsvarError } from '../../core/errors.js';
import { type DidYouMean, type Intent, type Scope } from '../nlu/intent.js';
import { roleLabel } from '../nlu/vocabulary.js';
import { RegisterView, type RegisterIndexes } from '../search/registerView.js';
import { availabilityOf } from '../directory/availability.js';
import { pageOf } from '../lists/index.js';
import { OPEN_REQUESTS_PAGE_SIZE, openRequestRows, type OpenRequestsAnswer } from '../lists/openRequests.js';
import { exampleOrganisationRole, exampleSystemNames } from './helpExamples.js';
import { middayInStockholm, ROLE_ORDER, statusesOf, turnTo } from './holders.js';
import { RegisterQueries, type AskerContext } from './registerQueries.js';
import { MessageReader } from './messageReader.js';
import { organisationOf, personViewById, unitNamed } from './registerReading.js';
import { findSystemIn, type ChooseOrNoMatch } from './systemSearch.js';
import { listAccess, systemListAnswer } from './listAnswers.js';
import { ownRolesAnswer, personRolesAnswer, rolesByNameAnswer } from './roleAnswers.js';
import { organisationRoleAnswer, organisationRoleScope } from './organisationRoleAnswers.js';

export { FOCUS_ROLES, middayInStockholm, TURN_TO } from './holders.js';
export type { ChooseOrNoMatch } from './systemSearch.js';
export type { AskerIdentity } from './registerQueries.js';
export type { Understood } from './messageReader.js';

/**
 * The question path: "who owns system X?", "what do I / does NAME hold?". Never writes to the register.
 *
 * What it offers bot/ (`ResponsibilityService`): `reader` reads a message once (intent and answer language);
 * one `answer…` method per question intent (who owns, roles of, organisation role, system list, greeting, help);
 * the same answers by id for card buttons (`systemAnswer`, `rolesOf`, `systemListPage`, `openRequests`); the
 * system or unit a typed name means (`findSystem`, `findUnit`); and `register`, the queries about the register and
 * who is asking (registerQueries.ts), so that bot/ never reads the register's indexes itself.
 *
 * Decisions (all documented here because the bot and the cards rely on them):
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

export class ResponsibilityService {
  private readonly view: RegisterView;
  /** The register queries and "who is asking", shared with bot/ (one view, so the process builds its indexes once). */
  readonly register: RegisterQueries;
  /** Reads a message once: its intent and answer language (messageReader.ts). */
  readonly reader: MessageReader;

  constructor(private readonly services: Services) {
    this.view = services.view ?? new RegisterView(services.store);
    this.register = new RegisterQueries({
      view: this.view,
      directory: services.directory,
      logger: services.logger,
    });
    this.reader = new MessageReader({
      register: this.register,
      logger: services.logger,
      now: services.now,
      ...(services.catalogues ? { catalogues: services.catalogues } : {}),
    });
  }

  /**
   * The question path whole, from text (mention markup and HTML allowed) to answer: for tests and the NLU
   * evaluation. An intent that is no question (a request, care, a list ...) is bot/'s to act on and gets 'help'.
   */
  async ask(asker: Asker, text: string): Promise<Answer> {
    const { understanding, language } = await this.reader.understand(asker, text);
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
      case 'didYouMean':
        return this.answerDidYouMean(asker, intent, language);
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
      ? ownRolesAnswer(this.services, context, indexes, language)
      : rolesByNameAnswer(this.services, context, indexes, intent.personQuery, language);
  }

  /** "Who is the data protection officer (in ORGANISATION)?", "who is IT orderer for UNIT?". */
  async answerOrganisationRole(
    asker: Asker,
    intent: Extract<Intent, { kind: 'organisationRole' }>,
    language: Language,
  ): Promise<Answer> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    return organisationRoleAnswer(this.services, context, indexes, intent.role, intent.scope, language);
  }

  /** A responsibility list asked for in words: its first page. */
  async answerSystemList(
    asker: Asker,
    intent: Extract<Intent, { kind: 'systemList' }>,
    language: Language,
  ): Promise<Answer> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    return systemListAnswer(
      this.services,
      context,
      indexes,
      intent.list,
      { query: intent.unit?.fullQuery },
      0,
      language,
    );
  }

  /** "Did you mean": the readings' questions that read back as themselves; none left, the help card. */
  async answerDidYouMean(asker: Asker, intent: DidYouMean, language: Language): Promise<Answer> {
    const questions = await this.reader.didYouMean(asker, intent, language);
    return questions.length > 0
      ? { kind: 'didYouMean', language, questions }
      : this.answerHelp(asker, language);
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
    return systemListAnswer(
      this.services,
      context,
      indexes,
      request.list,
      { id: request.unitId },
      request.page,
      language,
    );
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
    const access = listAccess(this.services, await this.register.asker(asker, indexes), indexes);
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
    return personRolesAnswer(this.services, indexes, person, context.person?.id === person.id, language);
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
    const found = findSystemIn(indexes, context.organisation, scope, language, this.services.now());
    if (found.kind !== 'one') return found;
    return {
      kind: 'one',
      system: found.system,
      organisation: organisationOf(indexes, found.system.organisationId),
    };
  }

  /** The unit a typed scope names, resolved as a responsibility list's unit is. */
  async findUnit(asker: Asker, scope: Scope): Promise<Unit | undefined> {
    const indexes = await this.view.current();
    const context = await this.register.asker(asker, indexes);
    const { organisation, unitQuery } = organisationRoleScope(context, indexes, scope);
    if (!organisation || unitQuery === undefined) return undefined;
    return unitNamed(indexes, organisation, unitQuery);
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
    const found = findSystemIn(indexes, context.organisation, intent, language, this.services.now());
    if (found.kind !== 'one') return found;
    const asOf = intent.at !== undefined && middayInStockholm(intent.at) ? intent.at : undefined;
    return this.systemAnswerFor(context, indexes, found.system, intent.focus, language, asOf);
  }

  private async systemAnswerFor(
    context: AskerContext,
    indexes: RegisterIndexes,
    system: SystemRecord,
    focus: SystemFocus,
    language: Language,
    asOf?: string,
  ): Promise<Answer> {
    const organisation = organisationOf(indexes, system.organisationId);
    const moment = (asOf !== undefined ? middayInStockholm(asOf) : undefined) ?? this.services.now();
    const assignments = (indexes.assignmentsBySystem.get(system.id) ?? [])
      .filter((a): a is RoleAssignment & { role: SystemRole } => isSystemRole(a.role) && isCurrent(a, moment))
      .sort(
        (a, b) =>
          ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.validFrom.localeCompare(b.validFrom),
      );
    const people = assignments.map((a) => personViewById(indexes, a.personId));
    // Today's directory status says nothing about a past day: history answers carry no flags.
    const statuses =
      asOf === undefined
        ? await statusesOf(
            this.services,
            people.map((p) => p.email.toLowerCase()),
          )
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
}
