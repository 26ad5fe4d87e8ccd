import assert from 'node:assert/strict';
import { replyForAnswer } from '../../cards/answers.js';
import { organisationRoleReply } from '../../cards/organisationRoleCard.js';
import { LANGUAGES } from '../../data/model.js';
import type { Answer, OrganisationRoleHolderView } from '../../services/responsibility/answers.js';
import { t } from '../../services/i18n/index.js';
import { understand } from '../../services/nlu/intent.js';
import { buildOrganisation } from '../../fakes/registerBuilder.js';
import { buildPersonView } from '../../fakes/answerFixtures.js';
import { cardActions, textRuns } from '../fixtures/cardQueries.js';
import { KULTUR, SOCIAL, STORSJO } from './fixtures/storsjo.js';

type OrganisationRoleAnswer = Extract<Answer, { kind: 'organisationRole' }>;

function buildOrganisationRoleAnswer(
  overrides: Partial<OrganisationRoleAnswer> = {},
): OrganisationRoleAnswer {
  return {
    kind: 'organisationRole',
    language: 'sv',
    role: 'data_protection_officer',
    roleLabel: 'dataskyddsombud',
    organisation: STORSJO,
    organisations: [],
    holders: [
      {
        person: buildPersonView({
          email: 'elin.carlsson@storsjo.se',
          name: 'Elin Carlsson',
          title: 'Jurist',
        }),
        status: 'available',
      },
    ],
    registerKeepers: [],
    ...overrides,
  };
}

function orderer(name: string, units: OrganisationRoleHolderView['units']): OrganisationRoleHolderView {
  const email = `${name.toLowerCase().replace(' ', '.')}@storsjo.se`;
  return { person: buildPersonView({ email, name, title: 'Enhetschef' }), status: 'available', units };
}

const ORDERERS: Partial<OrganisationRoleAnswer> = {
  role: 'it_orderer',
  roleLabel: 'IT-beställare',
  holders: [orderer('Sara Ek', [SOCIAL]), orderer('Bo Lund', [SOCIAL, KULTUR])],
};

describe('organisationRoleReply', () => {
  it('is what replyForAnswer sends for an organisation-role answer', () => {
    const answer = buildOrganisationRoleAnswer();
    assert.deepEqual(replyForAnswer(answer), organisationRoleReply(answer));
  });

  it('titles the card with the role and organisation and gives each holder details, a chat link and their roles', () => {
    const { card } = organisationRoleReply(buildOrganisationRoleAnswer());
    const runs = textRuns(card);
    assert.equal(runs[0], 'Dataskyddsombud – Storsjö kommun');
    assert.ok(runs.includes('Elin Carlsson'), "runs.includes('Elin Carlsson')");
    assert.ok(
      runs.includes('Jurist · elin.carlsson@storsjo.se'),
      "runs.includes('Jurist · elin.carlsson@storsjo.se')",
    );
    assert.deepEqual(
      cardActions(card).map((a) => [a.type, a.title, a.tooltip, a.url ?? a.verb, a.data]),
      [
        [
          'Action.OpenUrl',
          'Chatta',
          'Chatta med Elin Carlsson',
          'https://teams.microsoft.com/l/chat/0/0?users=elin.carlsson%40storsjo.se',
          undefined,
        ],
        [
          'Action.Execute',
          'Roller',
          'Roller för Elin Carlsson',
          'person.roles',
          { personId: 'elin.carlsson@storsjo.se' },
        ],
      ],
    );
  });

  it('summarises role, organisation and holders in one plain line like the system answer', () => {
    const { summary } = organisationRoleReply(buildOrganisationRoleAnswer());
    assert.equal(summary, 'Dataskyddsombud (Storsjö kommun): Elin Carlsson');
  });

  it('lists the units of each IT orderer on the card and in the summary', () => {
    const { card, summary } = organisationRoleReply(buildOrganisationRoleAnswer(ORDERERS));
    const runs = textRuns(card);
    assert.ok(runs.includes('Enheter: Socialförvaltningen'), "runs.includes('Enheter: Socialförvaltningen')");
    assert.ok(
      runs.includes('Enheter: Socialförvaltningen och Kultur och fritid'),
      "runs.includes('Enheter: Socialförvaltningen och Kultur och fritid')",
    );
    assert.equal(
      summary,
      'IT-beställare (Storsjö kommun): Sara Ek (Socialförvaltningen) och Bo Lund (Socialförvaltningen, Kultur och fritid)',
    );
  });

  it('names the unit asked about once, not after every orderer', () => {
    const { card, summary } = organisationRoleReply(
      buildOrganisationRoleAnswer({ ...ORDERERS, unit: SOCIAL }),
    );
    const runs = textRuns(card);
    assert.ok(
      runs.includes(`${t('sv', 'system.unit')}: `) && runs.includes('Socialförvaltningen'),
      "runs.includes(`${t('sv', 'system.unit')}: `) && runs.includes('Socialförvaltn...",
    );
    assert.equal(summary, 'IT-beställare (Storsjö kommun, Socialförvaltningen): Sara Ek och Bo Lund');
  });

  it('says which unit it could not find before listing all orderers', () => {
    const { card, summary } = organisationRoleReply(
      buildOrganisationRoleAnswer({ ...ORDERERS, unknownUnit: 'Ankeborg' }),
    );
    const note = 'Jag hittade ingen enhet som matchar ”Ankeborg” i Storsjö kommun, så jag visar alla.';
    assert.ok(textRuns(card).includes(note), 'textRuns(card).includes(note)');
    assert.ok(summary.startsWith(`IT-beställare (Storsjö kommun): ${note} Sara Ek`), summary);
  });

  it('flags a holder who is out of office or disabled, on the card and in the summary', () => {
    const [elin] = buildOrganisationRoleAnswer().holders;
    const { card, summary } = organisationRoleReply(
      buildOrganisationRoleAnswer({
        holders: [
          { ...elin!, status: 'outOfOffice', outOfOfficeUntil: '2026-03-02T16:00:00Z' },
          { person: buildPersonView({ email: 'bo@storsjo.se', name: 'Bo Ek' }), status: 'disabled' },
        ],
      }),
    );
    const runs = textRuns(card);
    assert.ok(runs.includes('Frånvarande till 2 mars 2026'), runs.join(' | '));
    assert.ok(runs.includes(t('sv', 'status.disabled')), "runs.includes(t('sv', 'status.disabled'))");
    assert.equal(
      summary,
      `Dataskyddsombud (Storsjö kommun): Elin Carlsson (Frånvarande till 2 mars 2026) och Bo Ek (${t('sv', 'status.disabled')})`,
    );
  });

  it('says nobody holds the role and names the IT coordinators with chat links', () => {
    const eva = buildPersonView({ email: 'eva.lund@storsjo.se', name: 'Eva Lund', title: 'IT-samordnare' });
    const { card, summary } = organisationRoleReply(
      buildOrganisationRoleAnswer({ holders: [], registerKeepers: [eva] }),
    );
    const runs = textRuns(card);
    assert.ok(runs.includes('Ingen är registrerad som dataskyddsombud i Storsjö kommun.'), runs.join(' | '));
    assert.ok(
      runs.includes('Registret förs av IT-samordnarna i Storsjö kommun:'),
      "runs.includes('Registret förs av IT-samordnarna i Storsjö kommun:')",
    );
    assert.ok(runs.includes('Eva Lund'), "runs.includes('Eva Lund')");
    assert.ok(
      cardActions(card).some(
        (a) =>
          a.type === 'Action.OpenUrl' &&
          a.url === 'https://teams.microsoft.com/l/chat/0/0?users=eva.lund%40storsjo.se',
      ),
      "cardActions(card).some( (a) => a.type === 'Action.OpenUrl' && a.url === 'http...",
    );
    assert.equal(
      summary,
      'Dataskyddsombud (Storsjö kommun): Ingen är registrerad som dataskyddsombud i Storsjö kommun. ' +
        'Registret förs av IT-samordnarna i Storsjö kommun: Eva Lund',
    );
  });

  it('says nobody is authorised for the unit asked about', () => {
    const { card } = organisationRoleReply(
      buildOrganisationRoleAnswer({ ...ORDERERS, holders: [], unit: KULTUR }),
    );
    assert.ok(
      textRuns(card).includes(
        'Ingen är registrerad som IT-beställare för Kultur och fritid i Storsjö kommun.',
      ),
      "textRuns(card).includes( 'Ingen är registrerad som IT-beställare för Kultur o...",
    );
  });

  describe('without an organisation', () => {
    const answer = buildOrganisationRoleAnswer({
      language: 'en',
      roleLabel: 'data protection officer',
      organisation: undefined,
      organisations: [STORSJO, buildOrganisation({ id: 'fjordvik-kommune', name: 'Fjordvik kommune' })],
      holders: [],
    });

    it('asks which organisation, with an example question and the organisations to choose from', () => {
      const { card, summary } = organisationRoleReply(answer);
      const runs = textRuns(card);
      assert.equal(runs[0], 'Data protection officer');
      assert.ok(
        runs.includes(
          'Which organisation do you mean? Ask, for example: “who is the data protection officer in Storsjö kommun”.',
        ),
        runs.join(' | '),
      );
      assert.ok(
        runs.includes('Organisations in the register: Storsjö kommun and Fjordvik kommune'),
        "runs.includes('Organisations in the register: Storsjö kommun and Fjordvik kom...",
      );
      assert.ok(
        !summary.includes(t('en', 'organisationRole.none').slice(0, 10)),
        "!summary.includes(t('en', 'organisationRole.none').slice(0, 10))",
      );
      assert.deepEqual(cardActions(card), []);
    });

    for (const language of LANGUAGES) {
      it(`offers an example question in ${language} that the bot reads as the same role in that organisation`, () => {
        const example = t(language, 'organisationRole.example', {
          role: {
            sv: 'dataskyddsombud',
            nn: 'personvernombod',
            nb: 'personvernombud',
            en: 'data protection officer',
          }[language],
          organisation: 'Storsjö kommun',
        });
        assert.deepEqual(understand(example).intent, {
          kind: 'organisationRole',
          role: 'data_protection_officer',
          scope: { query: 'Storsjö kommun', fullQuery: 'Storsjö kommun' },
        });
      });
    }
  });

  it('puts a hostile name only into TextRun text and action tooltips (plain text), literally, and escapes it in the summary', () => {
    const evil = 'Evil [click](https://evil.example) ${title}';
    const { card, summary } = organisationRoleReply(
      buildOrganisationRoleAnswer({
        holders: [{ person: buildPersonView({ email: 'x@storsjo.se', name: evil }), status: 'available' }],
      }),
    );
    const places: string[] = [];
    const visit = (node: unknown, type: string): void => {
      if (Array.isArray(node)) node.forEach((n) => visit(n, type));
      else if (node !== null && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        const own = typeof record.type === 'string' ? record.type : type;
        for (const [key, value] of Object.entries(record)) {
          if (typeof value === 'string' && value.includes('evil.example')) places.push(`${own}.${key}`);
          else visit(value, own);
        }
      }
    };
    visit(card.body, 'AdaptiveCard');
    assert.ok(textRuns(card).includes(evil), 'textRuns(card).includes(evil)');
    assert.deepEqual([...new Set(places)].sort(), [
      'Action.Execute.tooltip',
      'Action.OpenUrl.tooltip',
      'Action.Submit.tooltip',
      'TextRun.text',
    ]);
    assert.ok(summary.includes('Evil \\[click\\](https://evil.example) ${title}'), summary);
  });

  it('caps a long list of holders and says how many are not shown', () => {
    const holders = Array.from({ length: 25 }, (_, i) => orderer(`Person ${i}`, [SOCIAL]));
    const { card } = organisationRoleReply(buildOrganisationRoleAnswer({ ...ORDERERS, holders }));
    const runs = textRuns(card);
    assert.ok(
      runs.includes('Person 19') && !runs.includes('Person 20'),
      "runs.includes('Person 19') && !runs.includes('Person 20')",
    );
    assert.ok(
      runs.includes(t('sv', 'system.moreHolders', { count: 5 })),
      "runs.includes(t('sv', 'system.moreHolders', { count: 5 }))",
    );
  });

  for (const language of LANGUAGES) {
    it(`leaves no {placeholder} in the ${language} card or summary`, () => {
      const answers = [
        buildOrganisationRoleAnswer({ language }),
        buildOrganisationRoleAnswer({ ...ORDERERS, language, unknownUnit: 'X' }),
        buildOrganisationRoleAnswer({ language, holders: [], registerKeepers: [buildPersonView()] }),
        buildOrganisationRoleAnswer({
          language,
          organisation: undefined,
          organisations: [STORSJO],
          holders: [],
        }),
      ];
      for (const answer of answers) {
        const { card, summary } = organisationRoleReply(answer);
        assert.doesNotMatch(JSON.stringify(card) + summary, /\{\w+\}|\$\{/);
      }
    });
  }
});
