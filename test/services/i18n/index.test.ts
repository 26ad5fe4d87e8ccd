import assert from 'node:assert/strict';
import { LANGUAGES, type Language } from '../../../data/model.js';
import {
  catalogues,
  formatDate,
  MESSAGE_AREAS,
  formatList,
  placeholdersOf,
  t,
  type MessageKey,
} from '../../../services/i18n/index.js';

const referenceKeys = Object.keys(catalogues.en).sort() as MessageKey[];

describe('i18n catalogues', () => {
  it('gives every key to exactly one area file', async () => {
    const { readFile } = await import('node:fs/promises');
    const dir = new URL('../../../services/i18n/locales/', import.meta.url);
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const area of ['en.json', ...MESSAGE_AREAS.map((name) => `${name}/en.json`)]) {
      const keys = Object.keys(JSON.parse(await readFile(new URL(area, dir), 'utf8')) as object);
      for (const key of keys) {
        if (seen.has(key)) clashes.push(`${key} in ${seen.get(key)} and ${area}`);
        seen.set(key, area);
      }
    }
    assert.deepEqual(clashes, [], 'keys defined in two areas');
    assert.ok(seen.size > 0, 'the area files were read');
  });

  for (const language of LANGUAGES) {
    it(`${language} has exactly the keys of the reference catalogue`, () => {
      assert.deepEqual(Object.keys(catalogues[language]).sort(), referenceKeys);
    });

    it(`${language} uses the same {placeholders} as the reference for every key`, () => {
      const mismatches = referenceKeys.filter(
        (key) =>
          placeholdersOf(catalogues[language][key]).join() !== placeholdersOf(catalogues.en[key]).join(),
      );
      assert.deepEqual(mismatches, []);
    });

    it(`${language} has no empty message`, () => {
      assert.deepEqual(
        referenceKeys.filter((key) => catalogues[language][key].trim() === ''),
        [],
      );
    });
  }

  // Words that mark the other written standard (or Danish); a catalogue containing them is in the wrong language.
  const foreignWords: Record<Language, RegExp> = {
    nn: /\b(ikke|jeg|hvem|hva|hvilke|noe|fikk|finnes|av disse|spørre|hvad|af)\b/i,
    nb: /\b(ikkje|eg|kven|kva|noko|eitt|desse|finst|spørje|hvad|af)\b/i,
    sv: /\b(ikke|ikkje|jeg|eg|hvem|kven|og)\b/i,
    en: /\b(och|og|ikke|inte)\b/i,
  };
  for (const language of LANGUAGES) {
    it(`${language} contains no words of the other languages`, () => {
      const offending = referenceKeys.filter((key) => foreignWords[language].test(catalogues[language][key]));
      assert.deepEqual(offending, []);
    });
  }
});

describe('t', () => {
  it('fills each placeholder with its parameter', () => {
    assert.equal(t('sv', 'personRoles.title', { name: 'Anna Berg' }), 'Roller för Anna Berg');
    assert.equal(t('nn', 'personRoles.title', { name: 'Kari Nordmann' }), 'Rollene til Kari Nordmann');
  });

  it('keeps braces and ${...} inside a parameter value literal', () => {
    assert.equal(t('en', 'personRoles.title', { name: '{name} ${$root}' }), 'Roles of {name} ${$root}');
  });

  it('leaves a placeholder without a value as written', () => {
    assert.equal(t('en', 'personRoles.title'), 'Roles of {name}');
  });
});

describe('formatDate and formatList', () => {
  it('writes a date the way each language does', () => {
    assert.equal(formatDate('sv', '2026-03-02T10:00:00Z'), '2 mars 2026');
    assert.equal(formatDate('nb', '2026-03-02T10:00:00Z'), '2. mars 2026');
    assert.equal(formatDate('en', '2026-03-02T10:00:00Z'), '2 March 2026');
  });

  it('returns an unparseable date unchanged', () => {
    assert.equal(formatDate('sv', 'snart'), 'snart');
  });

  it('joins names with the language’s word for and', () => {
    assert.equal(formatList('sv', ['Anna', 'Bo']), 'Anna och Bo');
    assert.equal(formatList('nn', ['Kari', 'Ola']), 'Kari og Ola');
    assert.equal(formatList('en', ['Ann', 'Bob']), 'Ann and Bob');
  });

  it('keeps each language’s conventions when languages alternate between calls', () => {
    const rounds = [1, 2].flatMap(() =>
      (['sv', 'en', 'nb', 'sv'] as const).map((language) => [
        formatList(language, ['A', 'B']),
        formatDate(language, '2026-03-02T10:00:00Z'),
      ]),
    );
    const expected = [
      ['A och B', '2 mars 2026'],
      ['A and B', '2 March 2026'],
      ['A og B', '2. mars 2026'],
      ['A och B', '2 mars 2026'],
    ];
    assert.deepEqual(rounds, [...expected, ...expected]);
  });
});
