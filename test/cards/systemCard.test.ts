import assert from 'node:assert/strict';
import { t } from '../../services/i18n/index.js';
import { buildSystem } from '../../fakes/registerBuilder.js';
import { buildHolder, buildPersonView, buildSystemAnswer } from '../../fakes/answerFixtures.js';
import { cardActions, stringsIn, textRuns } from '../fixtures/cardQueries.js';
import { LIMITS } from '../../cards/text.js';
import { systemReply } from '../../cards/systemCard.js';

describe('systemReply', () => {
  it('names each holder with the organisation’s role label, title and a Teams chat link', () => {
    const { card } = systemReply(buildSystemAnswer());
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
    const { summary } = systemReply(buildSystemAnswer());
    assert.equal(
      summary,
      'Procapita (Storsjö kommun, Socialförvaltningen): Systemägare Anna Berg; Systemansvarig Bo Ek; ' +
        'Leverantör: Tietoevry; Leverantörens support: 010-123 45 67',
    );
  });

  it('answers only the asked-for role in the summary but shows every holder on the card, that role first', () => {
    const { summary, card } = systemReply(buildSystemAnswer({ focus: 'administrator' }));
    assert.match(summary, /^Procapita \([^)]*\): Systemansvarig Bo Ek; Leverantör/);
    assert.doesNotMatch(summary, /Anna Berg/);
    const runs = textRuns(card);
    const bo = runs.indexOf('Bo Ek');
    const anna = runs.indexOf('Anna Berg');
    assert.ok(bo !== -1 && anna !== -1 && bo < anna, 'administrator before owner on the card');
  });

  it('says so when no one holds the asked-for role', () => {
    const answer = buildSystemAnswer({ focus: 'deputy' });
    const { summary } = systemReply(answer);
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
    const { card, summary } = systemReply(answer);
    const runs = textRuns(card);
    assert.ok(runs.includes('Frånvarande till 2 mars 2026'), "runs.includes('Frånvarande till 2 mars 2026')");
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
    const { card } = systemReply(
      buildSystemAnswer({ holders: [gone], unavailable: [{ holder: gone, turnTo: [] }], language: 'nn' }),
    );
    const runs = textRuns(card);
    assert.ok(runs.includes(t('nn', 'status.disabled')), "runs.includes(t('nn', 'status.disabled'))");
    assert.ok(runs.includes(t('nn', 'holder.noTurnTo')), "runs.includes(t('nn', 'holder.noTurnTo'))");
  });

  it('notes a system of another organisation than the asker’s', () => {
    const { card, summary } = systemReply(buildSystemAnswer({ otherOrganisation: true, language: 'nb' }));
    const note = t('nb', 'system.otherOrganisation', { organisation: 'Storsjö kommun' });
    assert.ok(textRuns(card).includes(note), 'textRuns(card).includes(note)');
    assert.ok(summary.endsWith(note), 'summary.endsWith(note)');
  });

  it('says so when nobody holds a role', () => {
    const { card } = systemReply(buildSystemAnswer({ holders: [], language: 'en' }));
    assert.ok(
      textRuns(card).includes('No one is registered in a role for this system.'),
      "textRuns(card).includes('No one is registered in a role for this system.')",
    );
  });

  it('offers each holder’s roles through person.roles with the person id only', () => {
    const { card } = systemReply(buildSystemAnswer());
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
    const { card, summary } = systemReply(answer);
    assert.ok(
      Buffer.byteLength(JSON.stringify(card)) + Buffer.byteLength(summary) < 80 * 1024,
      'Buffer.byteLength(JSON.stringify(card)) + Buffer.byteLength(summary) < 80 * 1024',
    );
    assert.ok(
      textRuns(card).includes(t('sv', 'system.moreHolders', { count: 500 - LIMITS.holders })),
      "textRuns(card).includes(t('sv', 'system.moreHolders', { count: 500 - LIMITS.h...",
    );
  });

  describe('injection', () => {
    const evilName = 'Evil [click](https://evil.example) ${$root}';

    it('puts a hostile system name only into TextRun text, action titles and ids, with ${ literal', () => {
      const { card } = systemReply(
        buildSystemAnswer({ system: buildSystem({ id: 'testkommun/evil', name: evilName }) }),
      );
      const carrying = stringsIn(card).filter((s) => s.value.includes('evil.example'));
      assert.ok(carrying.length > 0, 'carrying.length > 0');
      for (const s of carrying) assert.equal(`${s.elementType}.${s.key}`, 'TextRun.text', JSON.stringify(s));
      assert.ok(textRuns(card).includes(evilName), 'textRuns(card).includes(evilName)');
    });

    it('Markdown-escapes the summary so no link can be planted', () => {
      const { summary } = systemReply(buildSystemAnswer({ system: buildSystem({ name: evilName }) }));
      assert.ok(summary.startsWith('Evil \\[click\\](https://evil.example) ${$root} ('), summary);
      assert.ok(!summary.includes('[click]'), "!summary.includes('[click]')");
    });
  });
});
