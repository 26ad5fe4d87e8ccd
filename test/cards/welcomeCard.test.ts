import assert from 'node:assert/strict';
import { replyForAnswer } from '../../cards/answers.js';

describe('welcome card with ANSVAR_CLOCK_OFFSET', () => {
  it('says the clock is shifted, in the user’s language, only when it is', () => {
    const shifted = JSON.stringify(
      replyForAnswer({ kind: 'welcome', language: 'nn', clockOffset: 'P5D' }).card,
    );
    assert.match(shifted, /Testklokke: tida i Ansvar går P5D føre/);
    const plain = JSON.stringify(replyForAnswer({ kind: 'welcome', language: 'nn' }).card);
    assert.doesNotMatch(plain, /Testklokke/);
  });
});
