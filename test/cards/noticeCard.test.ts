import assert from 'node:assert/strict';
import { t } from '../../services/i18n/index.js';
import { textRuns } from '../fixtures/cardQueries.js';
import { noticeReply } from '../../cards/noticeCard.js';

describe('noticeReply', () => {
  it('renders a catalogue title and line with the same summary', () => {
    const { card, summary } = noticeReply('nn', 'notice.systemGone', 'notice.askAgain');
    assert.deepEqual(textRuns(card), [t('nn', 'notice.systemGone'), t('nn', 'notice.askAgain')]);
    assert.equal(summary, `${t('nn', 'notice.systemGone')} ${t('nn', 'notice.askAgain')}`);
  });
});
