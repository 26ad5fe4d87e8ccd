import assert from 'node:assert/strict';
import { cleanUtterance, fold, normaliseKey, tokenize } from '../../../services/nlu/normalise.js';

describe('fold', () => {
  const cases: [string, string][] = [
    ['Äger', 'ager'],
    ['Åtkomst', 'atkomst'],
    ['Nyström', 'nystrom'],
    ['Nesøy', 'nesoy'],
    ['Bærum', 'baerum'],
    ['Café', 'cafe'],
    ['Müller', 'muller'],
    ['Ándalo', 'andalo'],
    ['IT-stöd 2.0', 'it-stod 2.0'],
  ];
  for (const [input, expected] of cases) {
    it(`folds "${input}" to "${expected}"`, () => assert.equal(fold(input), expected));
  }
});

describe('normaliseKey', () => {
  it('gives one key to spellings that differ only in case, diacritics, spaces and punctuation', () => {
    const keys = ['Public 360', 'public-360', 'PUBLIC360', ' Public  360. '].map(normaliseKey);
    assert.deepEqual(new Set(keys), new Set(['public360']));
    assert.equal(normaliseKey('Visma Lön'), normaliseKey('visma lon'));
  });

  it('keeps different names apart', () => {
    assert.notEqual(normaliseKey('Visma Flyt Skole'), normaliseKey('Visma Flyt Skule'));
  });
});

describe('cleanUtterance', () => {
  const cases: [string, string][] = [
    ['<at>Ansvar</at> vem äger Procapita', 'vem äger Procapita'],
    ['<at id="0">Ansvar</at>&nbsp;who owns <b>Public&nbsp;360</b>?', 'who owns Public 360 ?'],
    ['vem &auml;ger X &amp; Y', 'vem äger X & Y'],
    // A sentence typed on without its space; addresses keep their dots.
    ['Hej.Vem äger Procapita', 'Hej. Vem äger Procapita'],
    ['takk!kven eig Gerica?', 'takk! kven eig Gerica?'],
    ['mejla anna.berg@kommun.se eller www.kommun.se', 'mejla anna.berg@kommun.se eller www.kommun.se'],
    ['kven eig &#65;cos og &#x42;', 'kven eig Acos og B'],
    ['<p>hej</p>\n<p>  hej  </p>', 'hej hej'],
    ['vad äger <at>Anna Berg</at>?', 'vad äger Anna Berg ?'],
    ['<at>Ansvar</at> <at>Ansvar</at>: vad äger <at>Anna Berg</at>', 'vad äger Anna Berg'],
    ['who owns Procapita <at>Ansvar</at>', 'who owns Procapita'],
  ];
  for (const [input, expected] of cases) {
    it(`cleans ${JSON.stringify(input)}`, () => assert.equal(cleanUtterance(input), expected));
  }
});

describe('tokenize', () => {
  it('drops surrounding punctuation, keeps inner hyphens and splits at apostrophes', () => {
    assert.deepEqual(
      tokenize("Who's the IT-samordnare, (Procapita)?").map((t) => t.raw),
      ['Who', 's', 'the', 'IT-samordnare', 'Procapita'],
    );
    assert.deepEqual(
      tokenize('Äger').map((t) => t.folded),
      ['ager'],
    );
  });
});
