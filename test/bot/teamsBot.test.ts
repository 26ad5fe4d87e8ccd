import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { TeamsBot } from '../../bot/teamsBot.js';
import { MemoryRegisterStore } from '../../data/memory/memoryRegisterStore.js';
import type { Register } from '../../data/model.js';
import { buildAppServices } from '../fixtures/appServices.js';
import type { AppServices } from '../../services/infrastructure/appServices.js';
import { t } from '../../services/i18n/index.js';
import { FakeDirectory } from '../../fakes/fakeDirectory.js';
import {
  buildCardAction,
  buildInstallationUpdate,
  buildMembersAdded,
  buildMessage,
} from '../fixtures/activityBuilder.js';
import {
  buildAssignment,
  buildOrganisation,
  buildPerson,
  buildRegister,
  buildSystem,
  buildUnit,
} from '../../fakes/registerBuilder.js';
import { executeActions, textRuns } from '../fixtures/cardQueries.js';

const NOW = new Date('2026-02-01T09:00:00Z');

/** Three municipalities, one per written language, with the systems of the example questions. */
function buildTestRegister(): Register {
  const storsjo = buildOrganisation({
    id: 'storsjo-kommun',
    name: 'Storsjö kommun',
    language: 'sv',
    tenantId: 'tenant-storsjo',
    roleLabels: { administrator: 'systemförvaltare' },
  });
  const fjordvik = buildOrganisation({
    id: 'fjordvik-kommune',
    name: 'Fjordvik kommune',
    language: 'nn',
    tenantId: 'tenant-fjordvik',
  });
  const nesoy = buildOrganisation({
    id: 'nesoy-kommune',
    name: 'Nesøy kommune',
    language: 'nb',
    tenantId: 'tenant-nesoy',
  });
  const person = (email: string, name: string, organisationId: string, extra: object = {}) =>
    buildPerson({ email, name, organisationId, ...extra });
  const people = [
    person('anna.berg@storsjo.se', 'Anna Berg', 'storsjo-kommun', {
      title: 'Socialchef',
      aadObjectId: 'aad-anna',
    }),
    person('bo.ek@storsjo.se', 'Bo Ek', 'storsjo-kommun', { title: 'Systemförvaltare' }),
    person('cia.dahl@storsjo.se', 'Cia Dahl', 'storsjo-kommun'),
    person('dan.eriksson@storsjo.se', 'Dan Eriksson', 'storsjo-kommun'),
    person('eva.lund@storsjo.se', 'Eva Lund', 'storsjo-kommun', { title: 'IT-samordnare' }),
    person('kari.nordmann@fjordvik.no', 'Kari Nordmann', 'fjordvik-kommune', { aadObjectId: 'aad-kari' }),
    person('ola.hansen@nesoy.no', 'Ola Hansen', 'nesoy-kommune', { aadObjectId: 'aad-ola' }),
  ];
  const system = (organisationId: string, slug: string, name: string, extra: object = {}) =>
    buildSystem({ id: `${organisationId}/${slug}`, organisationId, name, ...extra });
  const systems = [
    system('storsjo-kommun', 'procapita', 'Procapita', {
      unitId: 'storsjo-kommun/socialforvaltningen',
      supplier: 'Tietoevry',
    }),
    system('storsjo-kommun', 'visma-window', 'Visma Window'),
    system('storsjo-kommun', 'visma-lon', 'Visma Lön'),
    system('storsjo-kommun', 'public-360', 'Public 360'),
    system('fjordvik-kommune', 'acos-websak', 'Acos WebSak'),
    system('nesoy-kommune', 'visma-flyt-skole', 'Visma Flyt Skole'),
  ];
  const assign = (systemId: string, role: 'owner' | 'administrator' | 'deputy', personId: string) =>
    buildAssignment({ organisationId: systemId.split('/')[0], systemId, role, personId });
  return buildRegister({
    organisations: [storsjo, fjordvik, nesoy],
    units: [buildUnit({ id: 'storsjo-kommun/socialforvaltningen', organisationId: 'storsjo-kommun' })],
    people,
    systems,
    roleAssignments: [
      assign('storsjo-kommun/procapita', 'owner', 'anna.berg@storsjo.se'),
      assign('storsjo-kommun/procapita', 'administrator', 'bo.ek@storsjo.se'),
      assign('storsjo-kommun/procapita', 'deputy', 'cia.dahl@storsjo.se'),
      assign('storsjo-kommun/visma-window', 'administrator', 'dan.eriksson@storsjo.se'),
      assign('storsjo-kommun/visma-lon', 'owner', 'anna.berg@storsjo.se'),
      assign('storsjo-kommun/public-360', 'administrator', 'dan.eriksson@storsjo.se'),
      assign('fjordvik-kommune/acos-websak', 'owner', 'kari.nordmann@fjordvik.no'),
      assign('nesoy-kommune/visma-flyt-skole', 'owner', 'ola.hansen@nesoy.no'),
      buildAssignment({
        organisationId: 'storsjo-kommun',
        systemId: undefined,
        role: 'it_coordinator',
        personId: 'eva.lund@storsjo.se',
      }),
    ],
  });
}

const ANNA = { from: { aadObjectId: 'aad-anna' }, locale: 'sv-SE', tenantId: 'tenant-storsjo' };
const KARI = { from: { aadObjectId: 'aad-kari' }, locale: 'nb-NO', tenantId: 'tenant-fjordvik' };
const OLA = { from: { aadObjectId: 'aad-ola' }, locale: 'nb-NO', tenantId: 'tenant-nesoy' };

interface Harness {
  adapter: TestAdapter;
  directory: FakeDirectory;
  store: MemoryRegisterStore;
  /** Runs one activity through the bot and returns everything the bot sent during that turn. */
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
}

function harness(register: Register = buildTestRegister()): Harness {
  const store = new MemoryRegisterStore(register);
  const directory = FakeDirectory.fromPeople(register.people);
  const services: AppServices = buildAppServices({ store, directory, now: () => NOW });
  const bot = new TeamsBot(services);
  const adapter = new TestAdapter(async (context) => {
    await bot.run(context);
  });
  return {
    adapter,
    directory,
    store,
    async send(activity) {
      await adapter.processActivity(activity);
      return adapter.activeQueue.splice(0);
    },
  };
}

interface CardJson {
  type: string;
  version: string;
  body: unknown[];
}

function cardOf(reply: Partial<Activity> | undefined): CardJson {
  const attachment = reply?.attachments?.[0];
  assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
  return attachment.content as CardJson;
}

function invokeResponseOf(replies: Partial<Activity>[]): { status: number; body: Record<string, unknown> } {
  const response = replies.find((r) => r.type === 'invokeResponse');
  assert.ok(response, `no invokeResponse among ${JSON.stringify(replies.map((r) => r.type))}`);
  return response.value as { status: number; body: Record<string, unknown> };
}

describe('TeamsBot', () => {
  describe('questions in four languages', () => {
    it('answers "vem äger Procapita" in Swedish with the owner and a plain summary', async () => {
      const { send } = harness();
      const [reply, ...rest] = await send(buildMessage({ ...ANNA, text: 'vem äger Procapita' }));
      assert.equal(rest.length, 0);
      const runs = textRuns(cardOf(reply));
      assert.ok(runs.includes('Procapita'), "runs.includes('Procapita')");
      assert.ok(
        runs.includes('Systemägare') && runs.includes('Anna Berg'),
        "runs.includes('Systemägare') && runs.includes('Anna Berg')",
      );
      assert.equal(reply?.textFormat, 'plain');
      assert.match(
        String(reply?.text),
        /^Procapita \(Storsjö kommun, Socialförvaltningen\): systemägare Anna Berg/,
      );
    });

    it('answers "vem är systemansvarig för Visma Window" with the organisation’s own word for the role', async () => {
      const { send } = harness();
      const [reply] = await send(buildMessage({ ...ANNA, text: 'vem är systemansvarig för Visma Window' }));
      const runs = textRuns(cardOf(reply));
      assert.ok(runs.includes('Systemförvaltare'), runs.join(' | '));
      assert.ok(runs.includes('Dan Eriksson'), "runs.includes('Dan Eriksson')");
      assert.match(String(reply?.text), /systemförvaltare Dan Eriksson/);
    });

    it('answers "kven er fagsystemeigar for Acos WebSak" in Nynorsk despite a Bokmål client', async () => {
      const { send } = harness();
      const [reply] = await send(buildMessage({ ...KARI, text: 'kven er fagsystemeigar for Acos WebSak' }));
      const runs = textRuns(cardOf(reply));
      assert.ok(runs.includes('Fagsystemeigar') && runs.includes('Kari Nordmann'), runs.join(' | '));
      assert.ok(
        runs.includes(`${t('nn', 'system.organisation')}: `),
        "runs.includes(`${t('nn', 'system.organisation')}: `)",
      );
      assert.ok(runs.includes('Fjordvik kommune'), "runs.includes('Fjordvik kommune')");
    });

    it('answers "hvem eier Visma Flyt Skole" in Bokmål', async () => {
      const { send } = harness();
      const [reply] = await send(buildMessage({ ...OLA, text: 'hvem eier Visma Flyt Skole' }));
      const runs = textRuns(cardOf(reply));
      assert.ok(runs.includes('Systemeier') && runs.includes('Ola Hansen'), runs.join(' | '));
      assert.match(String(reply?.text), /^Visma Flyt Skole \(Nesøy kommune\): systemeier Ola Hansen/);
    });

    it('answers "who administers Public 360" in English', async () => {
      const { send } = harness();
      const [reply] = await send(
        buildMessage({ ...ANNA, locale: 'en-GB', text: 'who administers Public 360' }),
      );
      const runs = textRuns(cardOf(reply));
      assert.ok(runs.includes('System administrator') && runs.includes('Dan Eriksson'), runs.join(' | '));
      assert.ok(runs.includes('Organisation: '), "runs.includes('Organisation: ')");
    });

    it('answers "vem är vår IT-samordnare?" with the organisation role holder, a chat link and a plain summary', async () => {
      const { send } = harness();
      const [reply] = await send(buildMessage({ ...ANNA, text: 'vem är vår IT-samordnare?' }));
      const card = cardOf(reply);
      const runs = textRuns(card);
      assert.equal(runs[0], 'IT-samordnare – Storsjö kommun');
      assert.ok(runs.includes('Eva Lund'), runs.join(' | '));
      assert.ok(
        JSON.stringify(card).includes(
          '"url":"https://teams.microsoft.com/l/chat/0/0?users=eva.lund%40storsjo.se"',
        ),
        'JSON.stringify(card).includes( \'"url":"https://teams.microsoft.com/l/chat/0/0...',
      );
      assert.equal(reply?.text, 'IT-samordnare (Storsjö kommun): Eva Lund');
    });

    it('removes the @mention before answering', async () => {
      const { send } = harness();
      const [reply] = await send(buildMessage({ ...ANNA, text: 'vem äger Procapita', mentionBot: true }));
      assert.ok(
        textRuns(cardOf(reply)).includes('Anna Berg'),
        "textRuns(cardOf(reply)).includes('Anna Berg')",
      );
    });

    it('takes the tenant from channelData when the conversation has none', async () => {
      const { send } = harness();
      const [reply] = await send(
        buildMessage({
          from: { aadObjectId: 'someone-new' },
          tenantId: 'tenant-fjordvik',
          tenantInChannelDataOnly: true,
          locale: 'nn-NO',
          text: 'Acos WebSak',
        }),
      );
      assert.ok(
        textRuns(cardOf(reply)).includes('Kari Nordmann'),
        "textRuns(cardOf(reply)).includes('Kari Nordmann')",
      );
    });
  });

  describe('several matches', () => {
    it('offers a choice card, and the system.show invoke returns that system’s card', async () => {
      const { send } = harness();
      const [reply] = await send(buildMessage({ ...ANNA, text: 'vem äger Visma' }));
      const choices = executeActions(cardOf(reply));
      assert.ok(choices.length >= 2, JSON.stringify(choices));
      assert.ok(
        choices.every((c) => c.verb === 'system.show' && Object.keys(c.data).join() === 'systemId'),
        "choices.every((c) => c.verb === 'system.show' && Object.keys(c.data).join() =...",
      );
      const window = choices.find((c) => c.data.systemId === 'storsjo-kommun/visma-window');
      assert.ok(window, 'window');

      const replies = await send(buildCardAction({ ...ANNA, verb: 'system.show', data: window.data }));
      const { status, body } = invokeResponseOf(replies);
      assert.equal(status, 200);
      assert.equal(body.statusCode, 200);
      assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
      const runs = textRuns(body.value);
      assert.ok(
        runs.includes('Visma Window') && runs.includes('Dan Eriksson'),
        "runs.includes('Visma Window') && runs.includes('Dan Eriksson')",
      );
      assert.equal(replies.filter((r) => r.type === 'message').length, 0);
    });

    it('answers a button in the language of the conversation’s last answer', async () => {
      const { send } = harness();
      await send(buildMessage({ ...KARI, text: 'kven er fagsystemeigar for Acos WebSak' }));
      const replies = await send(
        buildCardAction({ ...KARI, verb: 'system.show', data: { systemId: 'fjordvik-kommune/acos-websak' } }),
      );
      assert.ok(
        textRuns(invokeResponseOf(replies).body.value).includes(`${t('nn', 'system.organisation')}: `),
        "textRuns(invokeResponseOf(replies).body.value).includes(`${t('nn', 'system.or...",
      );
      assert.ok(
        textRuns(invokeResponseOf(replies).body.value).includes('Fagsystemeigar'),
        "textRuns(invokeResponseOf(replies).body.value).includes('Fagsystemeigar')",
      );
    });

    it('answers a button for a system removed since with a friendly card, not an error', async () => {
      const { send } = harness();
      const replies = await send(
        buildCardAction({ ...ANNA, verb: 'system.show', data: { systemId: 'storsjo-kommun/gone' } }),
      );
      const { status, body } = invokeResponseOf(replies);
      assert.equal(status, 200);
      assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
      assert.deepEqual(textRuns(body.value), [t('sv', 'notice.systemGone'), t('sv', 'notice.askAgain')]);
    });
  });

  describe('understanding (issue 10)', () => {
    it('answers a question with the system first and small talk around it, not with the help card', async () => {
      const { send } = harness();
      const [reply] = await send(buildMessage({ ...ANNA, text: 'hej! Procapita, vem är ägare där? tack' }));
      const runs = textRuns(cardOf(reply));
      assert.ok(runs.includes('Procapita') && runs.includes('Anna Berg'), runs.join(' | '));
    });

    it('answers thanks with a short "you are welcome" in the asker\'s language, not the help card again', async () => {
      const { send } = harness();
      const [thanked] = await send(buildMessage({ ...ANNA, text: 'tack så mycket för hjälpen!' }));
      assert.deepEqual(textRuns(cardOf(thanked)), [t('sv', 'notice.thanks'), t('sv', 'notice.thanksText')]);
      const [norwegian] = await send(buildMessage({ ...OLA, text: 'takk for hjelpa' }));
      assert.equal(textRuns(cardOf(norwegian))[0], t('nb', 'notice.thanks'), 'Ola writes Bokmål (nb-NO)');
      const [greeted] = await send(buildMessage({ ...ANNA, text: 'hej' }));
      assert.ok(
        textRuns(cardOf(greeted)).includes(t('sv', 'help.title')),
        'a greeting still gets the help card',
      );
    });

    it('offers a short "did you mean" card for a typo close to several names, buttons carrying ids only', async () => {
      const { send } = harness();
      const [reply] = await send(buildMessage({ ...ANNA, text: 'vem äger Vismaa' }));
      const card = cardOf(reply);
      const choices = executeActions(card);
      assert.ok(
        textRuns(card)[0]?.startsWith('Jag hittade inget system som heter'),
        textRuns(card).join(' | '),
      );
      assert.ok(choices.length >= 2 && choices.length <= 3, JSON.stringify(choices));
      assert.ok(
        choices.every((c) => c.verb === 'system.show' && Object.keys(c.data).join() === 'systemId'),
        JSON.stringify(choices),
      );
    });

    it('answers a bare system name in the Bokmål its asker last wrote, not the organisation’s Nynorsk', async () => {
      const { send } = harness();
      const kari = { ...KARI, locale: 'nn-NO' };
      await send(buildMessage({ ...kari, text: 'hvem eier Acos WebSak?' }));
      const [reply] = await send(buildMessage({ ...kari, text: 'Acos WebSak' }));
      const runs = textRuns(cardOf(reply));
      assert.ok(runs.includes(`${t('nb', 'system.organisation')}: `), runs.join(' | '));
    });
  });

  describe('no match', () => {
    it('says so, suggests close systems and names the IT coordinator', async () => {
      const { send } = harness();
      const [reply] = await send(buildMessage({ ...ANNA, text: 'vem äger Procapa' }));
      const card = cardOf(reply);
      const runs = textRuns(card);
      assert.ok(
        runs.some((r) => r.startsWith('Jag hittade inget system')),
        runs.join(' | '),
      );
      assert.ok(
        runs.includes('Registret förs av IT-samordnarna i Storsjö kommun:'),
        "runs.includes('Registret förs av IT-samordnarna i Storsjö kommun:')",
      );
      assert.ok(runs.includes('Eva Lund'), "runs.includes('Eva Lund')");
      assert.ok(
        executeActions(card).some(
          (a) => a.verb === 'system.show' && a.data.systemId === 'storsjo-kommun/procapita',
        ),
        "executeActions(card).some( (a) => a.verb === 'system.show' && a.data.systemId...",
      );
    });
  });

  describe('unavailable holders', () => {
    it('flags an out-of-office administrator and names the deputy to turn to', async () => {
      const { send, directory } = harness();
      directory.setOutOfOffice('bo.ek@storsjo.se', '2026-03-02T16:00:00Z');
      const [reply] = await send(buildMessage({ ...ANNA, text: 'vem är systemansvarig för Procapita' }));
      const runs = textRuns(cardOf(reply));
      assert.ok(runs.includes('Frånvarande till 2 mars 2026'), runs.join(' | '));
      assert.ok(
        runs.includes('Vänd dig i stället till: Cia Dahl (ersättare)'),
        "runs.includes('Vänd dig i stället till: Cia Dahl (ersättare)')",
      );
      assert.match(
        String(reply?.text),
        /Bo Ek \(Frånvarande till 2 mars 2026\. Vänd dig i stället till: Cia Dahl/,
      );
    });
  });

  describe('card actions', () => {
    it('answers an unknown verb with a 400 error response', async () => {
      const { send } = harness();
      const { status, body } = invokeResponseOf(
        await send(buildCardAction({ ...ANNA, verb: 'system.delete' })),
      );
      assert.equal(status, 400);
      assert.deepEqual(body, {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: t('sv', 'error.badAction') },
      });
    });

    const malformed: [string, unknown][] = [
      ['no value', undefined],
      ['no action', { trigger: 'manual' }],
      [
        'data that is not an object',
        { action: { type: 'Action.Execute', verb: 'system.show', data: 'storsjo-kommun/procapita' } },
      ],
      ['data without the id', { action: { type: 'Action.Execute', verb: 'system.show', data: {} } }],
      [
        'an id that is not a string',
        { action: { type: 'Action.Execute', verb: 'system.show', data: { systemId: { $ne: 1 } } } },
      ],
      [
        'a verb that is not a string',
        { action: { type: 'Action.Execute', verb: ['system.show'], data: {} } },
      ],
      ['another action type', { action: { type: 'Action.Submit', verb: 'system.show', data: {} } }],
    ];
    for (const [what, value] of malformed) {
      it(`answers an invoke with ${what} with a 400 that reveals nothing`, async () => {
        const { send } = harness();
        const { status, body } = invokeResponseOf(await send(buildCardAction({ ...ANNA, value })));
        assert.equal(status, 400);
        assert.equal(body.type, 'application/vnd.microsoft.error');
        assert.deepEqual(body.value, { code: 'BadRequest', message: t('sv', 'error.badAction') });
      });
    }

    it('answers person.roles with the person’s roles', async () => {
      const { send } = harness();
      const replies = await send(
        buildCardAction({ ...ANNA, verb: 'person.roles', data: { personId: 'anna.berg@storsjo.se' } }),
      );
      const { body } = invokeResponseOf(replies);
      const runs = textRuns(body.value);
      assert.ok(runs.includes(t('sv', 'personRoles.titleSelf')), runs.join(' | '));
      assert.ok(
        runs.includes(' – Procapita') && runs.includes(' – Visma Lön'),
        "runs.includes(' – Procapita') && runs.includes(' – Visma Lön')",
      );
    });

    it('answers help.show with the help card', async () => {
      const { send } = harness();
      const { body } = invokeResponseOf(await send(buildCardAction({ ...OLA, verb: 'help.show', data: {} })));
      assert.ok(
        textRuns(body.value).includes(t('nb', 'help.title')),
        "textRuns(body.value).includes(t('nb', 'help.title'))",
      );
    });

    it('handles the Action.Submit fallback through the same handlers', async () => {
      const { send } = harness();
      const [reply] = await send(
        buildMessage({
          ...ANNA,
          text: '',
          value: { verb: 'system.show', systemId: 'storsjo-kommun/procapita' },
        }),
      );
      assert.equal(reply?.type, 'message');
      assert.ok(
        textRuns(cardOf(reply)).includes('Anna Berg'),
        "textRuns(cardOf(reply)).includes('Anna Berg')",
      );
      assert.match(String(reply?.text), /^Procapita/);
    });

    it('answers an Action.Submit with an unknown verb or bad data with a short message', async () => {
      const { send } = harness();
      for (const value of [{ verb: 'system.delete' }, { verb: 'system.show', systemId: 42 }, 'system.show']) {
        const replies = await send(buildMessage({ ...ANNA, value }));
        assert.deepEqual(
          replies.map((r) => [r.type, r.text, r.attachments]),
          [['message', t('sv', 'error.badAction'), undefined]],
        );
      }
    });
  });

  describe('welcome and help', () => {
    it('welcomes once when installed, however often Teams repeats the install events', async () => {
      const { send } = harness();
      const first = await send(buildInstallationUpdate(ANNA));
      assert.equal(first.length, 1);
      assert.ok(
        textRuns(cardOf(first[0])).includes(t('sv', 'welcome.title')),
        "textRuns(cardOf(first[0])).includes(t('sv', 'welcome.title'))",
      );
      assert.ok(
        textRuns(cardOf(first[0])).includes(t('sv', 'help.organisation', { organisation: 'Storsjö kommun' })),
        "textRuns(cardOf(first[0])).includes(t('sv', 'help.organisation', { organisati...",
      );
      assert.deepEqual(await send(buildMembersAdded(ANNA)), []);
      assert.deepEqual(await send(buildInstallationUpdate(ANNA)), []);
    });

    it('welcomes when added to a conversation, and not when someone else joins', async () => {
      const { send } = harness();
      assert.deepEqual(
        await send(buildMembersAdded({ ...OLA, members: [{ id: '29:someone', name: 'Someone' }] })),
        [],
      );
      const [welcome] = await send(buildMembersAdded(OLA));
      assert.ok(
        textRuns(cardOf(welcome)).includes(t('nb', 'welcome.title')),
        "textRuns(cardOf(welcome)).includes(t('nb', 'welcome.title'))",
      );
    });

    it('sends nothing when the app is removed', async () => {
      const { send } = harness();
      assert.deepEqual(await send(buildInstallationUpdate({ ...ANNA, action: 'remove' })), []);
    });

    const helpWords: [string, string, 'sv' | 'nn' | 'nb' | 'en', object][] = [
      ['hjälp', 'sv', 'sv', ANNA],
      ['hjelp', 'nn', 'nn', { ...KARI, locale: 'nn-NO' }],
      ['hjelp', 'nb', 'nb', OLA],
      ['help', 'en', 'en', { ...ANNA, locale: 'en-US' }],
    ];
    for (const [word, label, language, who] of helpWords) {
      it(`shows help in ${label} for "${word}"`, async () => {
        const { send } = harness();
        const [reply] = await send(buildMessage({ ...who, text: word }));
        const runs = textRuns(cardOf(reply));
        assert.ok(runs.includes(t(language, 'help.title')), runs.join(' | '));
        const names = buildTestRegister().systems.map((s) => s.name);
        const example = runs.find((r) =>
          names.some((system) => r === `• ${t(language, 'help.example1', { system, system2: system })}`),
        );
        assert.ok(example, `the first example names a system of the register: ${runs.join(' | ')}`);
      });
    }
  });

  describe('injection', () => {
    const evil = 'Evil [click](https://evil.example) ${$root}';

    it('shows a hostile system name only as TextRun text with ${ literal, and escapes it in the summary', async () => {
      const register = buildTestRegister();
      register.systems.push(
        buildSystem({ id: 'storsjo-kommun/evil', organisationId: 'storsjo-kommun', name: evil }),
      );
      register.roleAssignments.push(
        buildAssignment({
          organisationId: 'storsjo-kommun',
          systemId: 'storsjo-kommun/evil',
          personId: 'anna.berg@storsjo.se',
        }),
      );
      const { send } = harness(register);
      const replies = await send(
        buildCardAction({ ...ANNA, verb: 'system.show', data: { systemId: 'storsjo-kommun/evil' } }),
      );
      const card = invokeResponseOf(replies).body.value;
      const json = JSON.stringify(card);
      assert.ok(textRuns(card).includes(evil), 'textRuns(card).includes(evil)');
      assert.equal(json.split('evil.example').length - 1, 1, 'the name appears once, in its TextRun');

      const [message] = await send(
        buildMessage({ ...ANNA, value: { verb: 'system.show', systemId: 'storsjo-kommun/evil' } }),
      );
      assert.ok(
        String(message?.text).startsWith('Evil \\[click\\](https://evil.example) ${$root} ('),
        message?.text,
      );
      assert.equal(message?.textFormat, 'plain');
    });

    it('echoes a query with ${...} and a Markdown link only inside one TextRun, and escaped in the summary', async () => {
      const { send } = harness();
      const [reply] = await send(
        buildMessage({ ...ANNA, text: 'vem äger ${string($root)} [här](https://evil.example)' }),
      );
      const card = cardOf(reply);
      const carrying = textRuns(card).filter((r) => r.includes('evil.example'));
      assert.equal(carrying.length, 1, textRuns(card).join(' | '));
      assert.equal(JSON.stringify(card).split('evil.example').length - 1, 1);
      assert.doesNotMatch(String(reply?.text), /(?<!\\)[[\]]/, 'every bracket in the summary is escaped');
      assert.match(String(reply?.text), /evil\.example/);
    });
  });

  describe('failures', () => {
    it('apologises in the user’s language and logs when the register cannot be read', async () => {
      const { send, store } = harness();
      store.snapshot = async () => {
        throw new Error('disk on fire: /var/lib/ansvar/register.json');
      };
      store.revision = store.snapshot as never;
      const replies = await send(
        buildMessage({ ...KARI, locale: 'nb-NO', text: 'kven er fagsystemeigar for Acos WebSak' }),
      );
      assert.deepEqual(
        replies.map((r) => r.text),
        [t('nn', 'error.generic')],
      );
    });

    it('keeps the card and shows a message when a button fails unexpectedly', async () => {
      const { send, store } = harness();
      store.snapshot = async () => {
        throw new Error('disk on fire');
      };
      store.revision = store.snapshot as never;
      const { status, body } = invokeResponseOf(
        await send(
          buildCardAction({ ...ANNA, verb: 'system.show', data: { systemId: 'storsjo-kommun/procapita' } }),
        ),
      );
      assert.equal(status, 200);
      assert.deepEqual(body, {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: t('sv', 'error.generic'),
      });
    });
  });

  describe('responsibility lists', () => {
    const EVA = { from: { aadObjectId: 'aad-eva' }, locale: 'sv-SE', tenantId: 'tenant-storsjo' };

    /** The test register with Eva (Storsjö's IT coordinator) known to Teams, Kari an IKT-koordinator of Fjordvik,
     * Ola in Nesøy's IT unit, and 30 more Storsjö systems without a deputy (two pages). */
    function listRegister(): Register {
      const register = buildTestRegister();
      register.people = register.people.map((p) =>
        p.id === 'eva.lund@storsjo.se' ? { ...p, aadObjectId: 'aad-eva' } : p,
      );
      const extra = Array.from({ length: 30 }, (_, i) =>
        buildSystem({
          id: `storsjo-kommun/extra-${String(i).padStart(2, '0')}`,
          organisationId: 'storsjo-kommun',
          name: `Extra ${String(i).padStart(2, '0')}`,
        }),
      );
      register.systems = [...register.systems, ...extra];
      const orgRole = (organisationId: string, role: 'it_coordinator' | 'it_unit', personId: string) =>
        buildAssignment({ organisationId, systemId: undefined, role, personId });
      register.roleAssignments = [
        ...register.roleAssignments,
        orgRole('fjordvik-kommune', 'it_coordinator', 'kari.nordmann@fjordvik.no'),
        orgRole('nesoy-kommune', 'it_unit', 'ola.hansen@nesoy.no'),
      ];
      return register;
    }

    it('answers "list systems" with the first page of Storsjö’s systems and a next button', async () => {
      const { send } = harness(listRegister());
      const [reply] = await send(buildMessage({ ...EVA, locale: 'en-US', text: 'list systems' }));
      const card = cardOf(reply);
      const runs = textRuns(card);
      assert.equal(runs[0], 'Systems – Storsjö kommun');
      assert.ok(runs.includes('Page 1 of 2 · 34 systems'), JSON.stringify(runs.slice(0, 3)));
      assert.deepEqual(
        executeActions(card).filter((a) => a.verb === 'systems.page'),
        [{ verb: 'systems.page', data: { list: 'all', unitId: '', page: 1 }, title: 'Next' }],
      );
    });

    it('answers "system utan ersättare" in Swedish with the systems that have no deputy', async () => {
      const { send } = harness(listRegister());
      const [reply] = await send(buildMessage({ ...EVA, text: 'system utan ersättare' }));
      const runs = textRuns(cardOf(reply));
      assert.equal(runs[0], 'System utan ersättare – Storsjö kommun');
      assert.ok(!runs.includes('Procapita'), 'Procapita has a deputy');
      assert.ok(runs.includes('Extra 00') && runs.includes('Extra 24'), JSON.stringify(runs));
      assert.ok(!runs.includes('Extra 25'), 'the 26th system is on page 2');
      assert.match(String(reply?.text), /^System utan ersättare – Storsjö kommun\. Sida 1 av 2 · 33 system/);
    });

    it('answers "lista system för enhet Socialförvaltningen" with that unit only', async () => {
      const { send } = harness(listRegister());
      const [reply] = await send(
        buildMessage({ ...EVA, text: 'lista system för enhet Socialförvaltningen' }),
      );
      const card = cardOf(reply);
      const runs = textRuns(card);
      assert.equal(runs[0], 'System – Storsjö kommun, Socialförvaltningen');
      assert.ok(
        runs.includes('Procapita') && runs.includes('Anna Berg') && runs.includes('Cia Dahl'),
        JSON.stringify(runs),
      );
      assert.ok(!runs.includes('Visma Window'), JSON.stringify(runs));
      assert.deepEqual(
        executeActions(card).map((a) => a.verb),
        ['list.download'],
        'one page: no paging, only the download',
      );
    });

    it('answers "system utan stedfortredar" in Nynorsk to a Fjordvik IKT-koordinator', async () => {
      const { send } = harness(listRegister());
      const [reply] = await send(buildMessage({ ...KARI, text: 'system utan stedfortredar' }));
      const runs = textRuns(cardOf(reply));
      assert.equal(runs[0], 'System utan stedfortredar – Fjordvik kommune');
      assert.ok(runs.includes('Acos WebSak') && runs.includes('Kari Nordmann'), JSON.stringify(runs));
    });

    it('answers "system uten eier" in Bokmål to Nesøy’s IT unit: every system there has an owner', async () => {
      const { send } = harness(listRegister());
      const [reply] = await send(buildMessage({ ...OLA, text: 'system uten eier' }));
      const runs = textRuns(cardOf(reply));
      assert.deepEqual(runs, ['Systemer uten eier – Nesøy kommune', 'Alle systemene her har en eier.']);
    });

    it('refuses Anna, who is no coordinator, and names Eva with a chat link', async () => {
      const { send } = harness(listRegister());
      const [reply] = await send(buildMessage({ ...ANNA, text: 'systems without a deputy' }));
      const card = cardOf(reply);
      const runs = textRuns(card);
      assert.ok(runs.includes('Eva Lund'), JSON.stringify(runs));
      assert.ok(!runs.includes('Visma Window') && !runs.includes('Public 360'), JSON.stringify(runs));
      assert.ok(JSON.stringify(card).includes('users=eva.lund%40storsjo.se'), 'a chat link to Eva');
    });

    it('turns to the second page on a click, recomputed from the register', async () => {
      const { send } = harness(listRegister());
      const replies = await send(
        buildCardAction({ ...EVA, verb: 'systems.page', data: { list: 'noDeputy', unitId: '', page: 1 } }),
      );
      const { status, body } = invokeResponseOf(replies);
      assert.equal(status, 200);
      const runs = textRuns(body.value);
      assert.ok(runs.includes('Sida 2 av 2 · 33 system'), JSON.stringify(runs.slice(0, 3)));
      assert.ok(runs.includes('Visma Window'), 'after the Extra systems, which sort first');
      assert.ok(!runs.includes('Extra 00'), JSON.stringify(runs));
      assert.deepEqual(
        executeActions(body.value)
          .filter((a) => a.verb === 'systems.page')
          .map((a) => a.data),
        [{ list: 'noDeputy', unitId: '', page: 0 }],
      );
    });

    it('refuses a paging click by someone who is no coordinator, however the button got to them', async () => {
      const { send } = harness(listRegister());
      const { status, body } = invokeResponseOf(
        await send(buildCardAction({ ...ANNA, verb: 'systems.page', data: { list: 'all', page: 1 } })),
      );
      assert.equal(status, 200);
      const runs = textRuns(body.value);
      assert.ok(runs.includes('Eva Lund'), JSON.stringify(runs));
      assert.ok(!runs.some((r) => r.startsWith('Extra')), JSON.stringify(runs));
    });

    it('answers a click with a list kind it does not know with a 400', async () => {
      const { send } = harness(listRegister());
      const { status } = invokeResponseOf(
        await send(buildCardAction({ ...EVA, verb: 'systems.page', data: { list: 'everything', page: 0 } })),
      );
      assert.equal(status, 400);
    });
  });
});
