import assert from 'node:assert/strict';
import type { Language } from '../../../data/model.js';
import {
  detectLanguage,
  languageEvidence,
  localeLanguage,
  resolveLanguage,
} from '../../../services/nlu/language.js';

describe('detectLanguage', () => {
  const cases: [string, Language | undefined][] = [
    ['vem äger Procapita', 'sv'],
    ['vad äger jag', 'sv'],
    ['vem ager Procapita', 'sv'],
    ['behörighet till Treserva', 'sv'],
    ['kven er fagsystemeigar for Acos', 'nn'],
    ['kva eig eg', 'nn'],
    ['eg treng tilgang, men ikkje no', 'nn'],
    ['hvem er systemansvarlig for Gerica', 'nb'],
    ['hva eier jeg', 'nb'],
    ['jeg trenger tilgang, men ikke nå', 'nb'],
    ['who owns Lifecare', 'en'],
    ['what is my access', 'en'],
    ['Procapita', undefined],
    ['Visma Flyt Skole', undefined],
    ['er for til', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`finds ${expected ?? 'no language'} in "${text}"`, () => {
      assert.equal(detectLanguage(text), expected);
    });
  }

  it('tells Nynorsk and Bokmål apart by kven/kva/eg/ikkje against hvem/hva/jeg/ikke', () => {
    assert.equal(detectLanguage('kven kan gje meg tilgang til Acos'), 'nn');
    assert.equal(detectLanguage('hvem kan gi meg tilgang til Acos'), 'nb');
  });

  it('tells Nynorsk and Bokmål apart by the endings of compounds no list holds', () => {
    assert.equal(detectLanguage('fagsystemansvarlig Gerica'), 'nb');
    assert.equal(detectLanguage('fagsystemansvarleg Gerica'), 'nn');
    assert.equal(detectLanguage('mine bestillinger'), 'nb');
    assert.equal(detectLanguage('nøkkelbrukarane i Gerica'), 'nn');
    assert.equal(detectLanguage('mina beställningar'), 'sv');
    assert.equal(detectLanguage('hvor er kantina?'), 'nb');
    assert.equal(detectLanguage('kor er kantina?'), 'nn');
    assert.equal(detectLanguage('Pool after work anyone?'), 'en');
  });

  it('says "Norwegian" without a written form for words both forms share', () => {
    assert.deepEqual(languageEvidence('mine roller'), { norwegian: true });
    assert.deepEqual(languageEvidence('leverandør for Gerica'), { norwegian: true });
    assert.deepEqual(languageEvidence('Procapita'), { norwegian: false });
  });

  it('takes "rollene" as Norwegian of either form, answered in the form the person last wrote', () => {
    const evidence = languageEvidence('overlat alle rollene til Kari til Ola');
    assert.deepEqual(evidence, { norwegian: true });
    assert.equal(resolveLanguage(evidence.language, 'nb-NO', 'nn', evidence.norwegian, 'nn'), 'nn');
    assert.equal(resolveLanguage(evidence.language, 'nn-NO', 'nn', evidence.norwegian), 'nn');
  });
});

describe('localeLanguage', () => {
  const cases: [string | undefined, Language | undefined][] = [
    ['sv-SE', 'sv'],
    ['sv-FI', 'sv'],
    ['nn-NO', 'nn'],
    ['nb-NO', 'nb'],
    ['no-NO', 'nb'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['de-DE', undefined],
    [undefined, undefined],
  ];
  for (const [locale, expected] of cases) {
    it(`maps ${locale ?? 'no locale'} to ${expected ?? 'nothing'}`, () => {
      assert.equal(localeLanguage(locale), expected);
    });
  }
});

describe('resolveLanguage', () => {
  const cases: {
    name: string;
    args: [Language | undefined, string | undefined, Language | undefined, boolean?, Language?];
    expected: Language;
  }[] = [
    {
      name: 'the detected language wins over locale and organisation',
      args: ['nn', 'sv-SE', 'nb'],
      expected: 'nn',
    },
    { name: 'the Teams locale comes next', args: [undefined, 'nb-NO', 'sv'], expected: 'nb' },
    { name: 'then the organisation language', args: [undefined, 'de-DE', 'nn'], expected: 'nn' },
    {
      name: 'a Bokmål locale in a Nynorsk organisation gives Bokmål: the locale comes before the organisation',
      args: [undefined, 'nb-NO', 'nn'],
      expected: 'nb',
    },
    {
      name: 'the language the person last wrote clearly comes before locale and organisation',
      args: [undefined, 'nb-NO', 'nn', false, 'sv'],
      expected: 'sv',
    },
    {
      name: 'Norwegian text of either form takes the Norwegian form the person last wrote',
      args: [undefined, 'nb-NO', 'nn', true, 'nn'],
      expected: 'nn',
    },
    {
      name: 'Norwegian text does not take a Swedish last language',
      args: [undefined, 'nb-NO', 'nn', true, 'sv'],
      expected: 'nb',
    },
    { name: 'then English', args: [undefined, undefined, undefined], expected: 'en' },
    {
      name: 'Norwegian text takes the Nynorsk locale',
      args: [undefined, 'nn-NO', 'nb', true],
      expected: 'nn',
    },
    {
      name: 'Norwegian text ignores a Swedish locale for a Nynorsk organisation',
      args: [undefined, 'sv-SE', 'nn', true],
      expected: 'nn',
    },
    {
      name: 'Norwegian text with nothing else to go on is Bokmål',
      args: [undefined, 'en-US', 'sv', true],
      expected: 'nb',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(resolveLanguage(...c.args), c.expected);
    });
  }
});
