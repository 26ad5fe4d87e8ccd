import assert from 'node:assert/strict';
import { replyForAnswer } from '../../cards/answers.js';
import { exampleParams, HELP_EXAMPLES } from '../../cards/helpCard.js';
import { noticeReply } from '../../cards/noticeCard.js';
import { chatUrl, LIMITS } from '../../cards/text.js';
import type { AdaptiveCard } from '../../cards/render.js';
import { LANGUAGES } from '../../data/model.js';
import { t } from '../../services/i18n/index.js';
import { understand } from '../../services/nlu/intent.js';
import { buildOrganisation, buildSystem } from '../../fakes/registerBuilder.js';
import { buildHolder, buildPersonView, buildSystemAnswer } from '../../fakes/answerFixtures.js';
import { cardActions, textRuns } from '../fixtures/cardQueries.js';

/** Every string in the card with the key that holds it and the `type` of the element it sits in. */
function stringsIn(card: AdaptiveCard): { key: string; value: string; elementType: string }[] {
  const found: { key: string; value: string; elementType: string }[] = [];
  const visit = (node: unknown, elementType: string): void => {
    if (Array.isArray(node)) node.forEach((n) => visit(n, elementType));
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      const type = typeof record.type === 'string' ? record.type : elementType;
      for (const [key, value] of Object.entries(record)) {
        if (typeof value === 'string') found.push({ key, value, elementType: type });
        else visit(value, type);
      }
    }
  };
  visit(card, 'AdaptiveCard');
  return found;
}

describe('replyForAnswer', () => {
  describe('system answer', () => {
    it('names each holder with the organisation’s role label, title and a Teams chat link', () => {
      const { card } = replyForAnswer(buildSystemAnswer());
      const runs = textRuns(card);
      assert.ok(runs.includes('Procapita'), "runs.includes('Procapita')");
      assert.ok(
        runs.includes('Systemägare') && runs.includes('Anna Berg'),
        "runs.includes('Systemägare') && runs.includes('Anna Berg')",
      );
      assert.ok(
        runs.includes('Systemansvarig') && runs.includes('Bo Ek'),
        "runs.includes('Systemansvarig') && runs.includes('Bo Ek')",
      );
      assert.ok(
        runs.some((r) => r.includes('Förvaltningschef')),
        "runs.some((r) => r.includes('Förvaltningschef'))",
      );
      const chat = cardActions(card).find(
        (a) => a.type === 'Action.OpenUrl' && a.title === 'Chatta' && a.tooltip === 'Chatta med Anna Berg',
      );
      assert.equal(chat?.url, 'https://teams.microsoft.com/l/chat/0/0?users=anna.berg%40testkommun.se');
    });

    it('summarises organisation, unit, roles and supplier in one plain line', () => {
      const { summary } = replyForAnswer(buildSystemAnswer());
      assert.equal(
        summary,
        'Procapita (Storsjö kommun, Socialförvaltningen): Systemägare Anna Berg; Systemansvarig Bo Ek; ' +
          'Leverantör: Tietoevry; Leverantörens support: 010-123 45 67',
      );
    });

    it('answers only the asked-for role in the summary but shows every holder on the card, that role first', () => {
      const { summary, card } = replyForAnswer(buildSystemAnswer({ focus: 'administrator' }));
      assert.match(summary, /^Procapita \([^)]*\): Systemansvarig Bo Ek; Leverantör/);
      assert.doesNotMatch(summary, /Anna Berg/);
      const runs = textRuns(card);
      const bo = runs.indexOf('Bo Ek');
      const anna = runs.indexOf('Anna Berg');
      assert.ok(bo !== -1 && anna !== -1 && bo < anna, 'administrator before owner on the card');
    });

    it('says so when no one holds the asked-for role', () => {
      const answer = buildSystemAnswer({ focus: 'deputy' });
      const { summary } = replyForAnswer(answer);
      assert.match(summary, /Ingen är registrerad i den rollen för systemet/);
    });

    it('flags an out-of-office holder and names whom to turn to instead', () => {
      const away = buildHolder({
        role: 'administrator',
        roleLabel: 'Systemansvarig',
        person: buildPersonView({ email: 'bo.ek@testkommun.se', name: 'Bo Ek' }),
        status: 'outOfOffice',
        outOfOfficeUntil: '2026-03-02T16:00:00Z',
      });
      const deputy = buildHolder({
        role: 'deputy',
        roleLabel: 'Ersättare',
        person: buildPersonView({ email: 'cia.dahl@testkommun.se', name: 'Cia Dahl' }),
      });
      const answer = buildSystemAnswer({
        focus: 'administrator',
        holders: [buildHolder(), away, deputy],
        unavailable: [{ holder: away, turnTo: [deputy] }],
      });
      const { card, summary } = replyForAnswer(answer);
      const runs = textRuns(card);
      assert.ok(
        runs.includes('Frånvarande till 2 mars 2026'),
        "runs.includes('Frånvarande till 2 mars 2026')",
      );
      assert.ok(
        runs.includes('Vänd dig i stället till: Cia Dahl (Ersättare)'),
        "runs.includes('Vänd dig i stället till: Cia Dahl (Ersättare)')",
      );
      assert.match(
        summary,
        /Bo Ek \(Frånvarande till 2 mars 2026\. Vänd dig i stället till: Cia Dahl \(Ersättare\)\)/,
      );
    });

    it('says when a disabled holder has no deputy to turn to', () => {
      const gone = buildHolder({ status: 'disabled' });
      const { card } = replyForAnswer(
        buildSystemAnswer({ holders: [gone], unavailable: [{ holder: gone, turnTo: [] }], language: 'nn' }),
      );
      const runs = textRuns(card);
      assert.ok(runs.includes(t('nn', 'status.disabled')), "runs.includes(t('nn', 'status.disabled'))");
      assert.ok(runs.includes(t('nn', 'holder.noTurnTo')), "runs.includes(t('nn', 'holder.noTurnTo'))");
    });

    it('notes a system of another organisation than the asker’s', () => {
      const { card, summary } = replyForAnswer(
        buildSystemAnswer({ otherOrganisation: true, language: 'nb' }),
      );
      const note = t('nb', 'system.otherOrganisation', { organisation: 'Storsjö kommun' });
      assert.ok(textRuns(card).includes(note), 'textRuns(card).includes(note)');
      assert.ok(summary.endsWith(note), 'summary.endsWith(note)');
    });

    it('says so when nobody holds a role', () => {
      const { card } = replyForAnswer(buildSystemAnswer({ holders: [], language: 'en' }));
      assert.ok(
        textRuns(card).includes('No one is registered in a role for this system.'),
        "textRuns(card).includes('No one is registered in a role for this system.')",
      );
    });

    it('offers each holder’s roles through person.roles with the person id only', () => {
      const { card } = replyForAnswer(buildSystemAnswer());
      const roles = cardActions(card).filter((a) => a.type === 'Action.Execute');
      assert.deepEqual(
        roles.map((a) => [a.verb, a.data]),
        [
          ['person.roles', { personId: 'anna.berg@testkommun.se' }],
          ['person.roles', { personId: 'bo.ek@testkommun.se' }],
          ['request.start', { systemId: buildSystemAnswer().system.id }],
        ],
      );
    });

    it('keeps card and summary under 80 KB together and says how many are left out for a huge answer', () => {
      const long = 'x'.repeat(5000);
      const holders = Array.from({ length: 500 }, (_, i) =>
        buildHolder({
          roleLabel: long,
          person: buildPersonView({
            email: `${'p'.repeat(240)}${i}@testkommun.se`,
            name: long,
            title: long,
            department: long,
          }),
          status: 'outOfOffice',
        }),
      );
      const answer = buildSystemAnswer({
        system: buildSystem({ name: long, description: long, supplier: long, supplierSupport: long }),
        holders,
        unavailable: holders.map((holder) => ({ holder, turnTo: holders.slice(0, 50) })),
      });
      const { card, summary } = replyForAnswer(answer);
      assert.ok(
        Buffer.byteLength(JSON.stringify(card)) + Buffer.byteLength(summary) < 80 * 1024,
        'Buffer.byteLength(JSON.stringify(card)) + Buffer.byteLength(summary) < 80 * 1024',
      );
      assert.ok(
        textRuns(card).includes(t('sv', 'system.moreHolders', { count: 500 - LIMITS.holders })),
        "textRuns(card).includes(t('sv', 'system.moreHolders', { count: 500 - LIMITS.h...",
      );
    });
  });

  describe('injection', () => {
    const evilName = 'Evil [click](https://evil.example) ${$root}';
    const evilQuery = 'vem äger ${string($root)} [här](https://evil.example) *fet*';

    it('puts a hostile system name only into TextRun text, action titles and ids, with ${ literal', () => {
      const { card } = replyForAnswer(
        buildSystemAnswer({ system: buildSystem({ id: 'testkommun/evil', name: evilName }) }),
      );
      const carrying = stringsIn(card).filter((s) => s.value.includes('evil.example'));
      assert.ok(carrying.length > 0, 'carrying.length > 0');
      for (const s of carrying) assert.equal(`${s.elementType}.${s.key}`, 'TextRun.text', JSON.stringify(s));
      assert.ok(textRuns(card).includes(evilName), 'textRuns(card).includes(evilName)');
    });

    it('Markdown-escapes the summary so no link can be planted', () => {
      const { summary } = replyForAnswer(buildSystemAnswer({ system: buildSystem({ name: evilName }) }));
      assert.ok(summary.startsWith('Evil \\[click\\](https://evil.example) ${$root} ('), summary);
      assert.ok(!summary.includes('[click]'), "!summary.includes('[click]')");
    });

    it('echoes a hostile query literally in a TextRun on the choice and no-match cards', () => {
      const ref = { system: buildSystem(), organisation: buildOrganisation() };
      for (const answer of [
        { kind: 'choose' as const, language: 'sv' as const, query: evilQuery, candidates: [ref, ref] },
        {
          kind: 'noMatch' as const,
          language: 'sv' as const,
          query: evilQuery,
          suggestions: [],
          registerKeepers: [],
        },
      ]) {
        const { card, summary } = replyForAnswer(answer);
        const carrying = stringsIn(card).filter((s) => s.value.includes(evilQuery));
        assert.equal(carrying.length, 1);
        assert.equal(carrying[0]?.elementType, 'TextRun');
        assert.ok(summary.includes('${string($root)} \\[här\\](https://evil.example) \\*fet\\*'), summary);
      }
    });
  });

  describe('choice answer', () => {
    it('offers each candidate as an Action.Execute system.show button carrying only the system id', () => {
      const refs = ['procapita', 'procapita-ifo'].map((slug) => ({
        system: buildSystem({ id: `testkommun/${slug}`, name: slug }),
        organisation: buildOrganisation(),
      }));
      const { card } = replyForAnswer({
        kind: 'choose',
        language: 'en',
        query: 'procapita',
        candidates: refs,
      });
      const buttons = cardActions(card);
      assert.deepEqual(
        buttons.map((b) => [b.type, b.verb, b.data, b.title]),
        [
          ['Action.Execute', 'system.show', { systemId: 'testkommun/procapita' }, 'procapita – Testkommun'],
          [
            'Action.Execute',
            'system.show',
            { systemId: 'testkommun/procapita-ifo' },
            'procapita-ifo – Testkommun',
          ],
        ],
      );
    });

    it('caps a long list and says how many are not shown', () => {
      const refs = Array.from({ length: 30 }, (_, i) => ({
        system: buildSystem({ id: `testkommun/s${i}`, name: `System ${i}` }),
        organisation: buildOrganisation(),
      }));
      const { card } = replyForAnswer({ kind: 'choose', language: 'sv', query: 'system', candidates: refs });
      assert.equal(cardActions(card).length, LIMITS.candidates);
      assert.ok(
        textRuns(card).includes(t('sv', 'choice.more', { count: 30 - LIMITS.candidates })),
        "textRuns(card).includes(t('sv', 'choice.more', { count: 30 - LIMITS.candidate...",
      );
    });
  });

  describe('no-match answer', () => {
    it('suggests the closest systems and names the IT coordinators who keep the register', () => {
      const keeper = buildPersonView({
        email: 'eva.lund@storsjo.se',
        name: 'Eva Lund',
        title: 'IT-samordnare',
      });
      const { card, summary } = replyForAnswer({
        kind: 'noMatch',
        language: 'sv',
        query: 'procapitta',
        suggestions: [{ system: buildSystem(), organisation: buildOrganisation({ name: 'Storsjö kommun' }) }],
        organisation: buildOrganisation({ name: 'Storsjö kommun' }),
        registerKeepers: [keeper],
      });
      assert.deepEqual(
        cardActions(card).map((a) => [a.type, a.verb ?? a.url]),
        [
          ['Action.Execute', 'system.show'],
          ['Action.OpenUrl', chatUrl('eva.lund@storsjo.se')],
        ],
      );
      assert.ok(
        textRuns(card).includes('Registret förs av IT-samordnarna i Storsjö kommun:'),
        "textRuns(card).includes('Registret förs av IT-samordnarna i Storsjö kommun:')",
      );
      assert.ok(textRuns(card).includes('Eva Lund'), "textRuns(card).includes('Eva Lund')");
      assert.match(summary, /Registret förs av IT-samordnarna i Storsjö kommun: Eva Lund$/);
    });

    it('asks the user to turn to their IT coordinator when none is registered', () => {
      const { card } = replyForAnswer({
        kind: 'noMatch',
        language: 'nb',
        query: 'x',
        suggestions: [],
        registerKeepers: [],
      });
      assert.ok(
        textRuns(card).includes(t('nb', 'noMatch.keepersNone')),
        "textRuns(card).includes(t('nb', 'noMatch.keepersNone'))",
      );
      assert.deepEqual(cardActions(card), []);
    });
  });

  describe('person roles answer', () => {
    it('lists system roles with a system.show button and organisation roles with their units', () => {
      const organisation = buildOrganisation({ name: 'Storsjö kommun' });
      const { card } = replyForAnswer({
        kind: 'personRoles',
        language: 'sv',
        person: buildPersonView(),
        self: false,
        roles: [
          { role: 'owner', roleLabel: 'Systemägare', organisation, system: buildSystem() },
          {
            role: 'it_orderer',
            roleLabel: 'IT-beställare',
            organisation,
            units: [
              { id: 'a', organisationId: 'testkommun', name: 'Skola' },
              { id: 'b', organisationId: 'testkommun', name: 'Vård' },
            ],
          },
        ],
      });
      const runs = textRuns(card);
      assert.ok(runs.includes('Roller för Anna Berg'), "runs.includes('Roller för Anna Berg')");
      assert.ok(
        runs.includes(' – Procapita') && runs.includes(' – Storsjö kommun'),
        "runs.includes(' – Procapita') && runs.includes(' – Storsjö kommun')",
      );
      assert.ok(runs.includes('Enheter: Skola och Vård'), "runs.includes('Enheter: Skola och Vård')");
      assert.deepEqual(
        cardActions(card).map((a) => [a.verb, a.data]),
        [['system.show', { systemId: 'testkommun/procapita' }]],
      );
    });

    it('tells the asker they hold no roles', () => {
      const { card } = replyForAnswer({
        kind: 'personRoles',
        language: 'en',
        person: buildPersonView(),
        self: true,
        roles: [],
      });
      assert.deepEqual(textRuns(card).slice(0, 1), ['Your roles']);
      assert.ok(
        textRuns(card).includes('You hold no roles in the register.'),
        "textRuns(card).includes('You hold no roles in the register.')",
      );
    });
  });

  describe('unknown person answer', () => {
    it('offers similar people through person.roles', () => {
      const { card } = replyForAnswer({
        kind: 'unknownPerson',
        language: 'sv',
        query: 'Ana',
        suggestions: [buildPersonView()],
      });
      assert.deepEqual(
        cardActions(card).map((a) => [a.verb, a.data, a.title]),
        [['person.roles', { personId: 'anna.berg@testkommun.se' }, 'Anna Berg – Förvaltningschef']],
      );
    });
  });

  describe('help and welcome', () => {
    for (const language of LANGUAGES) {
      it(`shows the example questions in ${language}`, () => {
        const { card, summary } = replyForAnswer({ kind: 'help', language });
        const runs = textRuns(card);
        assert.ok(runs.includes(t(language, 'help.title')), "runs.includes(t(language, 'help.title'))");
        assert.ok(
          runs.includes(`• ${t(language, 'help.example1', exampleParams(language))}`),
          "runs.includes(`• ${t(language, 'help.example1', exampleParams(language))}`)",
        );
        assert.ok(
          summary.includes(t(language, 'help.example2', exampleParams(language))),
          "summary.includes(t(language, 'help.example2', exampleParams(language)))",
        );
      });

      it(`shows in ${language} how to ask for access, list one's requests and what waits for one`, () => {
        const { card, summary } = replyForAnswer({ kind: 'help', language });
        const runs = textRuns(card);
        for (const key of ['help.example5', 'help.example6', 'help.example7'] as const) {
          assert.ok(runs.includes(`• ${t(language, key, exampleParams(language))}`), key);
          assert.ok(summary.includes(t(language, key, exampleParams(language))), key);
        }
        assert.deepEqual(
          runs.filter((r) => r.startsWith('• ')),
          HELP_EXAMPLES.map(({ key }) => `• ${t(language, key, exampleParams(language))}`),
        );
      });

      for (const example of HELP_EXAMPLES) {
        it(`understands the ${language} help example ${example.key} as ${example.intent}, in ${language}`, () => {
          const text = t(language, example.key, exampleParams(language));
          const understood = understand(text);
          assert.equal(understood.intent.kind, example.intent, text);
          assert.ok(
            understood.language === language ||
              (understood.language === undefined &&
                (language === 'nn' || language === 'nb') === understood.norwegian),
            `${text}: understood as ${understood.language ?? (understood.norwegian ? 'Norwegian' : '?')}`,
          );
          if (understood.intent.kind === 'requestAccess') {
            assert.equal(understood.intent.change, 'new');
            assert.equal(understood.intent.subjectQuery, undefined, 'for the asker');
            assert.ok(text.endsWith(understood.intent.system.query), understood.intent.system.query);
          }
          if (understood.intent.kind === 'whoOwns') {
            // A history question ends with its day, anything else with the system's name.
            const { at, query } = understood.intent;
            assert.ok(text.endsWith(at ?? query) && text.includes(query), `${query} ${at ?? ''}`);
            assert.equal(at, example.key === 'help.exampleOwnedOn' ? '2025-03-01' : undefined, text);
          }
          if (understood.intent.kind === 'rolesOf') assert.equal(understood.intent.self, true);
        });
      }

      it(`welcomes in ${language} with a help.show button`, () => {
        const { card } = replyForAnswer({
          kind: 'welcome',
          language,
          organisation: buildOrganisation({ name: 'Storsjö kommun' }),
        });
        assert.ok(
          textRuns(card).includes(t(language, 'welcome.title')),
          "textRuns(card).includes(t(language, 'welcome.title'))",
        );
        const requests = textRuns(card).find(
          (r) =>
            r ===
            t(language, 'welcome.requests', {
              request: t(language, 'help.example5', exampleParams(language)),
              mine: t(language, 'help.example6'),
              awaiting: t(language, 'help.example7'),
            }),
        );
        assert.ok(requests, 'the welcome mentions requests');
        assert.ok(
          requests.includes(t(language, 'help.example5', exampleParams(language))) && !requests.includes('{'),
          "requests.includes(t(language, 'help.example5', exampleParams(language))) && !requests.includes('{')",
        );
        assert.ok(
          textRuns(card).includes(t(language, 'help.organisation', { organisation: 'Storsjö kommun' })),
          "textRuns(card).includes(t(language, 'help.organisation', { organisation: 'Sto...",
        );
        assert.deepEqual(
          cardActions(card).map((a) => [a.verb, a.title]),
          [['help.show', t(language, 'welcome.helpButton')]],
        );
      });
    }
  });

  describe('noticeReply', () => {
    it('renders a catalogue title and line with the same summary', () => {
      const { card, summary } = noticeReply('nn', 'notice.systemGone', 'notice.askAgain');
      assert.deepEqual(textRuns(card), [t('nn', 'notice.systemGone'), t('nn', 'notice.askAgain')]);
      assert.equal(summary, `${t('nn', 'notice.systemGone')} ${t('nn', 'notice.askAgain')}`);
    });
  });
});

describe("help examples from the asker's register", () => {
  for (const language of ['sv', 'nn', 'nb', 'en'] as const)
    it(`names only the register's systems and role in ${language}, the history example too`, () => {
      const { summary } = replyForAnswer({
        kind: 'help',
        language,
        exampleSystems: ['Lifecare', 'Visma Lön'],
        exampleRole: 'Egen roll',
      });
      for (const other of ['Procapita', 'Public 360', 'Acos WebSak', 'Visma Flyt Skole', 'Gerica'])
        assert.ok(!summary.includes(other), `${other} is in no example: ${summary}`);
      assert.ok(summary.includes(t(language, 'help.exampleOwnedOn', { system: 'Lifecare' })), summary);
      assert.ok(
        summary.includes(t(language, 'help.exampleOrganisationRole', { role: 'Egen roll' })),
        summary,
      );
    });
});
