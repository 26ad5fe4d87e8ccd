import assert from 'node:assert/strict';
import { LANGUAGES } from '../../data/model.js';
import { t } from '../../services/i18n/index.js';
import { understand } from '../../services/nlu/intent.js';
import { textRuns } from '../fixtures/cardQueries.js';
import { exampleParams, HELP_EXAMPLES } from '../../cards/helpCard.js';
import { helpReply } from '../../cards/helpCard.js';

describe('helpReply', () => {
  for (const language of LANGUAGES) {
    it(`shows the example questions in ${language}`, () => {
      const { card, summary } = helpReply({ kind: 'help', language });
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
      const { card, summary } = helpReply({ kind: 'help', language });
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
  }
});

describe("help examples from the asker's register", () => {
  for (const language of ['sv', 'nn', 'nb', 'en'] as const)
    it(`names only the register's systems and role in ${language}, the history example too`, () => {
      const { summary } = helpReply({
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
