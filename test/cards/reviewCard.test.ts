import assert from 'node:assert/strict';
import { REVIEW_ENTRIES, reviewListReply, reviewReply } from '../../cards/reviewCard.js';
import { LANGUAGES } from '../../data/model.js';
import type { ReviewCampaign } from '../../data/reviewModel.js';
import { t } from '../../services/i18n/index.js';
import { TANUM } from '../fixtures/registerScenario.js';

function campaign(overrides: Partial<ReviewCampaign> = {}): ReviewCampaign {
  return {
    id: '7d1f4c1e-2f6b-4c39-9d8e-1a2b3c4d5e6f',
    organisationId: TANUM.id,
    systemId: 'tanum-kommun/procapita',
    startedBy: 'lisa@tanum.se',
    startedAt: '2027-03-01T08:00:00.000Z',
    dueAt: '2027-03-31T08:00:00.000Z',
    yearly: true,
    status: 'open',
    reviewerIds: ['erik@tanum.se'],
    entries: [
      { personId: 'mali@tanum.se', role: 'Handläggare', sources: ['ansvar'] },
      { personId: 'per@tanum.se', role: '[Läs](https://evil.example)', sources: ['imported'] },
    ],
    version: 3,
    ...overrides,
  };
}

const textRuns = (card: unknown): string[] => {
  const runs: string[] = [];
  JSON.stringify(card, (key, value: unknown) => {
    if (key === 'text' && typeof value === 'string') runs.push(value);
    return value;
  });
  return runs;
};

describe('reviewReply', () => {
  it('gives each access a remove toggle and a reason, and one button carrying only the id and version', () => {
    const { card } = reviewReply('sv', {
      campaign: campaign(),
      system: { name: 'Procapita' },
      nameOf: (id) => (id === 'mali@tanum.se' ? 'Mali Holm' : id),
    });
    const json = JSON.stringify(card);
    assert.match(json, /"id":"remove:0","title":"Ta bort Mali Holm – Handläggare \(beviljad genom Ansvar\)"/);
    assert.match(json, /"id":"reason:1","label":"Varför ska per@tanum.se tas bort\?"/);
    assert.match(json, /"data":\{"campaignId":"7d1f4c1e-2f6b-4c39-9d8e-1a2b3c4d5e6f","version":3\}/);
    assert.ok(
      textRuns(card).some((r) => r.includes('Svara senast')),
      'the intro names the last day',
    );
  });

  it('shows a refused removal with its message and the inputs as they were sent', () => {
    const { card } = reviewReply('en', {
      campaign: campaign(),
      system: { name: 'Procapita' },
      nameOf: (id) => id,
      problems: [{ field: 'reason:mali@tanum.se:Handläggare', problem: 'required' }],
      values: { 'remove:0': 'true', 'reason:0': '' },
    });
    const json = JSON.stringify(card);
    assert.match(json, /"id":"remove:0","title":"[^"]*","value":"true"/);
    assert.ok(textRuns(card).includes(t('en', 'review.problem.reason')), json);
  });

  it('shows a decided review without inputs or buttons', () => {
    const { card } = reviewReply('nn', {
      campaign: campaign({
        status: 'done',
        decision: {
          by: 'erik@tanum.se',
          at: '2027-03-10T08:00:00.000Z',
          items: [
            { personId: 'mali@tanum.se', role: 'Handläggare', outcome: 'remove', reason: 'Slutta' },
            { personId: 'per@tanum.se', role: 'Läs', outcome: 'keep' },
          ],
        },
      }),
      system: { name: 'Procapita' },
      nameOf: (id) => id,
    });
    const json = JSON.stringify(card);
    assert.doesNotMatch(json, /Action\.Execute|Input\./);
    assert.ok(textRuns(card).includes('Fjernast: mali@tanum.se – Handläggare: Slutta'), json);
  });

  for (const language of LANGUAGES) {
    it(`stays far below 80 KB with ${REVIEW_ENTRIES * 3} long entries in ${language}`, () => {
      const long = (c: string) => c.repeat(400);
      const entries = Array.from({ length: REVIEW_ENTRIES * 3 }, (_, i) => ({
        personId: `${long('p')}${i}@x.se`,
        role: long('R'),
        sources: ['ansvar', 'imported'] as ('ansvar' | 'imported')[],
      }));
      const { card, summary } = reviewReply(language, {
        campaign: campaign({ entries }),
        system: { name: long('S') },
        nameOf: () => long('N'),
        values: Object.fromEntries(entries.map((_, i) => [`reason:${i}`, long('W')])),
      });
      const bytes = Buffer.byteLength(JSON.stringify({ text: summary, card }));
      assert.ok(bytes < 80_000, `${bytes} bytes`);
      assert.match(JSON.stringify(card), /remove:59"/);
      assert.doesNotMatch(JSON.stringify(card), /remove:60"/);
    });
  }
});

describe('reviewListReply', () => {
  it('gives each campaign a line with where it stands and a download button', () => {
    const { card } = reviewListReply('sv', TANUM, [
      { campaign: campaign(), kept: 0, removed: 0 },
      {
        campaign: campaign({ id: 'c2', status: 'overdue' }),
        kept: 0,
        removed: 0,
      },
    ]);
    const runs = textRuns(card);
    assert.ok(
      runs.some((r) => r.startsWith('tanum-kommun/procapita: väntar på svar')),
      runs.join('\n'),
    );
    assert.ok(
      runs.some((r) => r.includes('försenad sedan')),
      runs.join('\n'),
    );
    assert.match(JSON.stringify(card), /"verb":"review.download","data":\{"campaignId":"c2"\}/);
  });
});
