import assert from 'node:assert/strict';
import { t } from '../../../services/i18n/index.js';

describe('plural forms (Intl.PluralRules)', () => {
  it('says "1 roll" and "2 roller", and the same in each language', () => {
    assert.equal(t('sv', 'personRoles.more', { count: 1 }), '… och 1 roll till.');
    assert.equal(t('sv', 'personRoles.more', { count: 2 }), '… och 2 roller till.');
    assert.equal(t('nn', 'personRoles.more', { count: 1 }), '… og 1 rolle til.');
    assert.equal(t('nb', 'personRoles.more', { count: 3 }), '… og 3 roller til.');
    assert.equal(t('en', 'personRoles.more', { count: 1 }), '… and 1 more role.');
    assert.equal(t('en', 'personRoles.more', { count: 0 }), '… and 0 more roles.');
  });

  it('chooses the verb with the noun in English', () => {
    assert.equal(t('en', 'choice.more', { count: 1 }), '1 more match is not shown. Try a more exact name.');
    assert.equal(
      t('en', 'choice.more', { count: 4 }),
      '4 more matches are not shown. Try a more exact name.',
    );
  });

  it('leaves a form without its number as written', () => {
    assert.match(t('sv', 'personRoles.more'), /\{count\|roll\|roller\}/);
  });
});
