import assert from 'node:assert/strict';
import { Template } from 'adaptivecards-templating';
import { compileTemplate } from '../../cards/fastTemplate.js';
import { cardTemplates } from '../../cards/render.js';

/**
 * fastTemplate.ts must expand every card exactly as adaptivecards-templating does. Each template is expanded by
 * both with many data objects made of the names its expressions use, each name holding one of many kinds of value
 * (missing, null, empty, text, numbers, booleans, lists of such objects, nested objects, odd casing), and the two
 * results (or both failures) must be the same.
 */

/** A small deterministic random source, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The names (path steps) the expressions of a template use. */
function namesOf(template: unknown): string[] {
  const names = new Set<string>();
  const text = JSON.stringify(template);
  for (const [, expression] of text.matchAll(/\$\{([^}]*)\}/g)) {
    for (const [name] of expression!.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(name!);
  }
  for (const reserved of ['exists', 'root', 'data', 'index']) names.delete(reserved);
  return [...names];
}

function valueFor(names: readonly string[], next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * 16);
  switch (pick) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return '';
    case 3:
      return 'Procapita';
    case 4:
      return 'text with ${notExpanded} and ä ö';
    case 5:
      return 0;
    case 6:
      return 7;
    case 7:
      return true;
    case 8:
      return false;
    case 9:
      return [];
    case 10:
    case 11:
      return depth < 2
        ? Array.from({ length: 1 + Math.floor(next() * 3) }, () => objectFor(names, next, depth + 1))
        : 'x';
    case 12:
      return depth < 2 ? objectFor(names, next, depth + 1) : 'y';
    case 13:
      return 'system.edit';
    case 14:
      return 'role.assign';
    default:
      return ['a', 'b'];
  }
}

function objectFor(names: readonly string[], next: () => number, depth: number): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const name of names) {
    if (next() < 0.15) continue;
    const key = next() < 0.05 ? name.toUpperCase() : name;
    object[key] = next() < 0.6 ? (next() < 0.5 ? '' : `${name} value`) : valueFor(names, next, depth);
  }
  return object;
}

type Outcome = { ok: true; value: unknown } | { ok: false };

function outcome(expand: () => unknown): Outcome {
  try {
    return { ok: true, value: expand() };
  } catch {
    return { ok: false };
  }
}

describe('fastTemplate', () => {
  for (const [name, payload] of Object.entries(cardTemplates)) {
    it(`expands ${name} as adaptivecards-templating does`, () => {
      const fast = compileTemplate(payload);
      assert.ok(fast, `${name} compiles`);
      const library = new Template(payload);
      const names = namesOf(payload);
      const next = random(name.length * 7919 + 17);
      let expanded = 0;
      for (let i = 0; i < 400; i += 1) {
        const data = objectFor(names, next, 0);
        const expected = outcome(() => library.expand({ $root: data }) as unknown);
        const actual = outcome(() => fast(data));
        assert.deepStrictEqual(actual, expected, `${name}, data ${JSON.stringify(data)}`);
        if (expected.ok) expanded += 1;
      }
      assert.ok(expanded > 100, `${name}: most data objects expand (${expanded} of 400)`);
    });
  }

  it('expands the expression forms it supports as the library does', () => {
    const payload = {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: '${title}', $when: "${kind == 'a' || !$root.hidden}" },
        {
          type: 'TextBlock',
          text: 'before ${title} after ${count}',
          isVisible: '${exists(count) && count != 0}',
        },
        { $data: '${items}', type: 'TextBlock', text: '${$index}: ${label}', $when: '${label != ""}' },
        { $data: '${single}', type: 'TextBlock', text: '${label} of ${$root.title}' },
        { type: 'TextBlock', text: '${missing}', wrap: '${nested.deep.value}' },
        { type: 'TextBlock', text: 'plain', $when: 'not an expression' },
        { type: 'TextBlock', text: 'kept', $when: '' },
      ],
    };
    const fast = compileTemplate(payload);
    assert.ok(fast, 'the payload compiles');
    const library = new Template(payload);
    const datas: Record<string, unknown>[] = [
      {},
      { title: 'T', kind: 'a', count: 3, items: [{ label: 'x' }, { label: '' }, { Label: 'y' }], single: {} },
      {
        title: null,
        hidden: true,
        count: 0,
        items: [],
        single: { label: 'z' },
        nested: { deep: { value: 1 } },
      },
      { title: 'T', hidden: false, items: 'text', single: [{ label: 'p' }, { label: 'q' }] },
      { TITLE: 'upper', kind: 'b', nested: { Deep: { VALUE: false } } },
      // Keys whose lower case differs from a simple ASCII one: U+212A (KELVIN SIGN) lower-cases to "k" and matches
      // "kind"; U+0130 lower-cases to "i" plus U+0307 and matches nothing.
      { '\u212Aind': 'a', TITLE: 'first', title: 'second' },
      { 'T\u0130TLE': 'dotted', title: 'plain', KIND: 'b', '\u212AIND': 'a' },
    ];
    for (const data of datas) {
      assert.deepStrictEqual(
        outcome(() => fast(data)),
        outcome(() => library.expand({ $root: data }) as unknown),
        `data ${JSON.stringify(data)}`,
      );
    }
  });

  it('writes any key and literal of a template into its generated code as the library expands them', () => {
    const odd = 'we"ird\\key\u2028 ${not an expression}';
    const payload = JSON.parse(
      JSON.stringify({
        type: 'AdaptiveCard',
        [odd]: 'line\u2028sep \\ " \' \u0000 end',
        e: 1e21,
        t: true,
        z: null,
        1: 'numeric key',
        toString: { p: '${title}' },
        constructor: 'c',
        arr: [
          [1, [2, null]],
          null,
          'x',
          { $when: '${flag}', k: '${title}' },
          { $data: '${items}', i: '${$index}' },
        ],
        or: '${missing || alsoMissing}',
        obj: { $when: '${flag}', v: '${title}' },
      }),
    ) as unknown;
    const fast = compileTemplate(payload);
    assert.ok(fast, 'the payload compiles');
    const library = new Template(payload);
    for (const data of [{}, { title: 'T', flag: true, items: [1, 2] }, { flag: false, items: 'one' }]) {
      assert.deepStrictEqual(
        outcome(() => fast(data)),
        outcome(() => library.expand({ $root: data }) as unknown),
        `data ${JSON.stringify(data)}`,
      );
    }
  });

  it('leaves a template with other expressions to the library', () => {
    assert.equal(
      compileTemplate({ text: '${join(names, ", ")}' }),
      undefined,
      'a function call is not compiled',
    );
    assert.equal(compileTemplate({ text: '${count + 1}' }), undefined, 'arithmetic is not compiled');
    assert.equal(compileTemplate({ text: '${items[0]}' }), undefined, 'an index is not compiled');
    assert.ok(compileTemplate({ text: 'no expression' }), 'a template without expressions compiles');
  });
});
