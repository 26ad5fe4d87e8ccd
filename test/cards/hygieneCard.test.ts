import assert from 'node:assert/strict';
import { hygieneRefusedReply, hygieneReply } from '../../cards/hygieneCard.js';
import { LANGUAGES, type Language } from '../../data/model.js';
import type { SystemListRow } from '../../services/responsibility/answers.js';
import {
  DEFAULT_HYGIENE_SETTINGS,
  FINDINGS_PER_KIND,
  type HolderFinding,
  type HygieneReport,
} from '../../services/hygiene/index.js';
import { formatDate, t } from '../../services/i18n/index.js';
import type { OpenRequestRow } from '../../services/lists/openRequests.js';
import { cardActions, textRuns } from '../fixtures/cardQueries.js';
import { buildOrganisation, buildSystem, buildUnit } from '../../fakes/registerBuilder.js';

const EVIL = 'Evil [click](https://evil.example) ${$root} ${string(json($root))} **bold** <b>x</b>';
const STORSJO = buildOrganisation({ id: 'storsjo-kommun', name: 'Storsjö kommun', language: 'sv' });
const SOCIAL = buildUnit({
  id: 'storsjo-kommun/soc',
  organisationId: STORSJO.id,
  name: 'Socialförvaltningen',
});

function holder(overrides: Partial<HolderFinding> = {}): HolderFinding {
  return {
    person: { id: 'erik@storsjo.se', name: 'Erik Lund', email: 'erik@storsjo.se' },
    status: 'disabled',
    roles: [
      { role: 'administrator', system: buildSystem({ name: 'Procapita' }) },
      { role: 'it_coordinator' },
    ],
    ...overrides,
  };
}

function gap(name: string, overrides: Partial<SystemListRow> = {}): SystemListRow {
  return {
    system: buildSystem({ id: `storsjo-kommun/${name}`, name }),
    owners: [],
    administrators: ['Bo Ek'],
    deputies: [],
    unit: SOCIAL,
    ...overrides,
  };
}

function overdue(overrides: Partial<OpenRequestRow> = {}): OpenRequestRow {
  return {
    requestId: 'r-1',
    kind: 'access',
    about: 'Procapita',
    requesterName: 'Anna Berg',
    urgent: false,
    stepName: 'systemförvaltare',
    stepType: 'decision',
    waitingFor: ['Bo Ek'],
    waitingSince: '2026-05-20T08:00:00.000Z',
    waitingDays: 12,
    ...overrides,
  };
}

function report(overrides: Partial<HygieneReport> = {}): HygieneReport {
  const list = <T>(items: T[]) => ({ total: items.length, items });
  return {
    organisation: STORSJO,
    checkedAt: '2026-06-01T05:00:00.000Z',
    settings: DEFAULT_HYGIENE_SETTINGS,
    directoryChecked: true,
    holders: list([holder(), holder({ person: { id: 's', name: 'Sara Ek', email: 's@x' }, status: 'gone' })]),
    noOwner: list([gap('Lifecare')]),
    noDeputy: list([gap('Lifecare'), gap('Treserva', { owners: ['Anna Berg'] })]),
    unconfirmed: list([
      { system: buildSystem({ name: 'Public 360' }) },
      { system: buildSystem({ name: 'Treserva' }), unit: SOCIAL, confirmedAt: '2025-05-01T00:00:00.000Z' },
    ]),
    riskAnalysis: list([
      { system: buildSystem({ name: 'Lifecare' }) },
      {
        system: buildSystem({ name: 'Procapita' }),
        unit: SOCIAL,
        riskAnalysisAt: '2025-02-01T00:00:00.000Z',
      },
    ]),
    overdue: list([overdue({ urgent: true })]),
    ...overrides,
  };
}

describe('hygieneReply', () => {
  it('groups the findings by kind, each heading with its count, every item as text', () => {
    const { card, summary } = hygieneReply(report(), 'sv');
    const runs = textRuns(card);
    for (const text of [
      'Hygienkontroll – Storsjö kommun',
      `Kontrollerat ${formatDate('sv', '2026-06-01T05:00:00.000Z')}`,
      'Rollinnehavare som har slutat eller är inaktiverade (2)',
      'Erik Lund',
      ' · kontot är inaktiverat',
      'erik@storsjo.se · Systemansvarig för Procapita och IT-samordnare',
      ' · finns inte längre i katalogen',
      'System utan ägare (1)',
      'System utan ersättare (2)',
      'Socialförvaltningen · Systemägare: Anna Berg · Systemansvarig: Bo Ek',
      'Socialförvaltningen · Systemägare: — · Systemansvarig: Bo Ek',
      'System som ägaren inte har bekräftat på 12 månader (2)',
      'aldrig bekräftat',
      `Socialförvaltningen · senast bekräftat ${formatDate('sv', '2025-05-01T00:00:00.000Z')}`,
      'System utan riskanalys de senaste 12 månaderna (2)',
      'ingen riskanalys registrerad',
      `Socialförvaltningen · senaste riskanalys ${formatDate('sv', '2025-02-01T00:00:00.000Z')}`,
      'Ärenden som väntat mer än 5 dagar (1)',
      ' · Brådskande',
      '12 dagar · väntar på Bo Ek (systemförvaltare)',
    ]) {
      assert.ok(runs.includes(text), `missing ${JSON.stringify(text)} in ${JSON.stringify(runs)}`);
    }
    assert.deepEqual(cardActions(card), []);
    assert.ok(summary.startsWith('Hygienkontroll – Storsjö kommun.'), summary);
  });

  it('leaves out kinds with nothing found and says when nothing at all was found', () => {
    const none = { total: 0, items: [] };
    const { card } = hygieneReply(
      report({
        holders: none,
        noOwner: none,
        noDeputy: none,
        unconfirmed: none,
        riskAnalysis: none,
        overdue: none,
      }),
      'en',
    );
    const runs = textRuns(card);
    assert.ok(runs.includes(t('en', 'hygiene.allClear')), JSON.stringify(runs));
    assert.ok(!runs.some((r) => r.startsWith('Systems without')), JSON.stringify(runs));
  });

  it('says the directory could not be checked, and lists the rest', () => {
    const { card, summary } = hygieneReply(
      report({ directoryChecked: false, holders: { total: 0, items: [] } }),
      'nn',
    );
    const runs = textRuns(card);
    assert.ok(runs.includes(t('nn', 'hygiene.directoryUnchecked')), JSON.stringify(runs));
    assert.ok(runs.includes('System utan eigar (1)'), JSON.stringify(runs));
    assert.ok(!runs.includes(t('nn', 'hygiene.allClear')), JSON.stringify(runs));
    assert.ok(summary.includes(t('nn', 'hygiene.directoryUnchecked')), summary);
  });

  it('shows the exact count with the capped items and how many more there are', () => {
    const rows = Array.from({ length: FINDINGS_PER_KIND }, (_, i) => gap(`System ${i}`));
    const { card } = hygieneReply(report({ noOwner: { total: 140, items: rows } }), 'nb');
    const runs = textRuns(card);
    assert.ok(runs.includes('Systemer uten eier (140)'), JSON.stringify(runs));
    assert.ok(runs.includes(`… og ${140 - FINDINGS_PER_KIND} til.`), JSON.stringify(runs));
  });

  for (const language of LANGUAGES) {
    it(`speaks ${language}, with no placeholder or template expression left`, () => {
      const { card } = hygieneReply(report(), language as Language);
      const json = JSON.stringify(card);
      assert.ok(
        textRuns(card).includes(t(language, 'hygiene.title', { organisation: 'Storsjö kommun' })),
        json,
      );
      assert.ok(!json.includes('${') && !/\{[a-z]+\}/.test(json), `${language}: ${json.slice(0, 300)}`);
    });
  }

  it('keeps register text literal: no template expression, link or Markdown', () => {
    const evilSystem = buildSystem({ name: EVIL });
    const { card, summary } = hygieneReply(
      report({
        holders: {
          total: 1,
          items: [
            holder({
              person: { id: 'e', name: EVIL, email: 'e@x' },
              roles: [{ role: 'owner', system: evilSystem }],
            }),
          ],
        },
        noOwner: {
          total: 1,
          items: [gap(EVIL, { administrators: [EVIL], unit: { ...SOCIAL, name: EVIL } })],
        },
        overdue: { total: 1, items: [overdue({ about: EVIL, waitingFor: [EVIL], stepName: EVIL })] },
      }),
      'sv',
    );
    const runs = textRuns(card);
    assert.ok(runs.includes(EVIL), JSON.stringify(runs));
    assert.ok(runs.includes(`e@x · Systemägare för ${EVIL}`), JSON.stringify(runs));
    assert.ok(runs.includes(`${EVIL} · Systemägare: — · Systemansvarig: ${EVIL}`), JSON.stringify(runs));
    assert.ok(runs.includes(`12 dagar · väntar på ${EVIL} (${EVIL})`), JSON.stringify(runs));
    assert.ok(!JSON.stringify(card).includes('"Storsjö kommun","language"'), 'the data object never leaks');
    assert.ok(!summary.includes('[click]('), summary);
  });

  it('stays far below 80 KB with every kind full of the longest texts', () => {
    const long = (c: string) => c.repeat(400);
    const many = <T>(make: (i: number) => T) => ({
      total: 10_000,
      items: Array.from({ length: FINDINGS_PER_KIND }, (_, i) => make(i)),
    });
    const system = buildSystem({ name: long('S') });
    const { card, summary } = hygieneReply(
      report({
        organisation: { ...STORSJO, name: long('O') },
        holders: many(() =>
          holder({
            person: { id: 'x', name: long('P'), email: long('e') },
            roles: Array.from({ length: 40 }, () => ({ role: 'deputy' as const, system })),
          }),
        ),
        noOwner: many(() => gap(long('N'), { administrators: Array.from({ length: 30 }, () => long('A')) })),
        noDeputy: many(() => gap(long('D'), { owners: Array.from({ length: 30 }, () => long('O')) })),
        unconfirmed: many(() => ({ system, unit: { ...SOCIAL, name: long('U') } })),
        riskAnalysis: many(() => ({ system, unit: { ...SOCIAL, name: long('U') } })),
        overdue: many(() =>
          overdue({
            about: long('R'),
            stepName: long('T'),
            waitingFor: Array.from({ length: 30 }, () => long('W')),
          }),
        ),
        directoryChecked: false,
      }),
      'sv',
    );
    const bytes = Buffer.byteLength(JSON.stringify({ text: summary, card }));
    assert.ok(bytes < 80_000, `${bytes} bytes`);
  });
});

describe('hygieneRefusedReply', () => {
  for (const language of LANGUAGES) {
    it(`refuses politely in ${language}, naming the IT coordinators with a chat link`, () => {
      const { card, summary } = hygieneRefusedReply(language, STORSJO, [
        { id: 'eva@storsjo.se', name: 'Eva Lund', email: 'eva@storsjo.se', title: 'IT-samordnare' },
      ]);
      const runs = textRuns(card);
      assert.ok(runs.includes(t(language, 'hygiene.refused')), `${language}: ${JSON.stringify(runs)}`);
      assert.ok(runs.includes('Eva Lund'), `${language}: ${JSON.stringify(runs)}`);
      assert.equal(cardActions(card)[0]?.type, 'Action.OpenUrl');
      assert.ok(summary.includes('Eva Lund'), summary);
    });
  }
});
