import { createRequire } from 'node:module';
import type * as AELModule from 'adaptive-expressions';
import type { Constant, Expression } from 'adaptive-expressions';
import type * as TemplatingModule from 'adaptivecards-templating';

/**
 * Card template expansion without the expression engine's per-expression overhead, for the templates in cards/.
 *
 * `adaptivecards-templating` evaluates every `${...}` through adaptive-expressions, allocating a memory object, an
 * options object and a substitution closure per expression; on the "who owns" reply (a few hundred expressions)
 * that was most of the cost of a turn. This module parses each template exactly as the library does
 * (`Template.parseInterpolatedString`, the same AEL parse), then evaluates the expressions the cards use — property
 * paths, constants, `==`, `!=`, `&&`, `||`, `!`, `exists()` and interpolated strings — with the library's own
 * rules reproduced below, and expands the payload with the library's algorithm (`Template.internalExpand`: `$data`
 * arrays and objects, `$when`, `$index`, dropped nulls, one-element results unwrapped). A template using anything
 * else is not compiled (`compileTemplate` returns undefined) and is expanded by the library, so what a card
 * contains never depends on which path expanded it; test/cards/fastTemplate.test.ts compares the two on every
 * template with many kinds of data.
 */

/**
 * adaptive-expressions and adaptivecards-templating, loaded at the first template compiled: importing them takes a
 * few tenths of a second (the ANTLR parser), which a start need not wait for (cards/render.ts parses the templates
 * after the start). Synchronous, so rendering a card stays synchronous.
 */
let AEL!: typeof AELModule;
let Template!: typeof TemplatingModule.Template;
function loadLibraries(): void {
  if (AEL !== undefined) return;
  const require = createRequire(import.meta.url);
  AEL = require('adaptive-expressions') as typeof AELModule;
  Template = (require('adaptivecards-templating') as typeof TemplatingModule).Template;
}

/** The library's own expansion of a template payload (for a template `compileTemplate` does not compile). */
export function libraryTemplate(payload: unknown): (root: unknown) => unknown {
  loadLibraries();
  const template = new Template(payload);
  return (root) => template.expand({ $root: root }) as unknown;
}

/** The evaluation context of one expansion: what the library's EvaluationContext holds. */
interface Context {
  $root: unknown;
  /** The library's `_$data`: undefined means "$root". */
  data: unknown;
  index: unknown;
}

/**
 * A compiled expression. `substitute`: the library's `allowSubstitutions` (an undefined value becomes the text
 * "${path}"); it is passed on only where adaptive-expressions passes its `nullSubstitution` option on.
 */
type Evaluate = (context: Context, substitute: boolean) => unknown;

/** A node of the prepared payload. */
type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'expression'; evaluate: Evaluate; concat: boolean }
  | { kind: 'array'; items: Node[] }
  | { kind: 'object'; when: unknown; data: unknown; entries: [string, Node][] };

/** A `$when` or `$data` value, prepared: an expression, or the template's own value when it is none. */
type Special = { expression: Evaluate } | { value: unknown };

const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

class Unsupported extends Error {}

/** Compiles a template payload; undefined when it uses anything this module does not reproduce exactly. */
export function compileTemplate(payload: unknown): ((root: unknown) => unknown) | undefined {
  loadLibraries();
  let prepared: Node;
  try {
    prepared = prepare(payload);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return generate(prepared);
}

function prepare(node: unknown): Node {
  if (typeof node === 'string') {
    const parsed = Template.parseInterpolatedString(node);
    if (typeof parsed === 'string') return { kind: 'literal', value: parsed };
    return {
      kind: 'expression',
      evaluate: topLevel(parsed),
      concat: parsed.type === AEL.ExpressionType.Concat,
    };
  }
  if (Array.isArray(node)) return { kind: 'array', items: node.map(prepare) };
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const entries = Object.keys(record).map((key): [string, Node] => [key, prepare(record[key])]);
    const when = entries.find(([key]) => key === '$when')?.[1];
    const data = entries.find(([key]) => key === '$data')?.[1];
    return {
      kind: 'object',
      when: when && special(when, false),
      data: data && special(data, true),
      entries: entries.filter(([key]) => !RESERVED.has(key)),
    };
  }
  return { kind: 'literal', value: node };
}

function special(node: Node, substitute: boolean): Special {
  if (node.kind === 'expression') {
    // `$when` is evaluated without substitutions, and an interpolated string then goes to AEL's own concat.
    if (node.concat && !substitute) throw new Unsupported('$when holding an interpolated string');
    return { expression: node.evaluate };
  }
  // `$when` / `$data` holding an object or array: the library would use the prepared (not expanded) value.
  if (node.kind !== 'literal') throw new Unsupported('$when or $data that is not a string or a literal');
  return { value: node.value };
}

/**
 * The library evaluates an interpolated string ("a ${x} b", type concat) child by child with substitutions and
 * joins the values' `toString()`; any other expression is evaluated as it is.
 */
function topLevel(expression: Expression): Evaluate {
  if (expression.type !== AEL.ExpressionType.Concat) return compile(expression);
  const children = expression.children.map(compile);
  // Only ever called with substitutions (values and `$data`; `special` refuses a concat `$when`).
  return (context) => {
    let result = '';
    // As the library: a null value throws here (`null.toString()`), and the expansion fails.
    for (const child of children) result += (child(context, true) as { toString(): string }).toString();
    return result;
  };
}

function compile(expression: Expression): Evaluate {
  const children = expression.children;
  switch (expression.type) {
    case AEL.ExpressionType.Constant: {
      const value = (expression as Constant).value as unknown;
      return () => value;
    }
    case AEL.ExpressionType.Accessor:
      return accessor(expression);
    case AEL.ExpressionType.Equal:
    case AEL.ExpressionType.NotEqual: {
      if (children.length !== 2) throw new Unsupported('comparison without two operands');
      const [left, right] = children.map(compile) as [Evaluate, Evaluate];
      const equal = expression.type === AEL.ExpressionType.Equal;
      // ComparisonEvaluator: operands without substitutions; never an error for these operands. Two strings (the
      // cards' `${x != ''}`): commonEquals compares them with ===, after checks that cannot apply to strings.
      return (context) => {
        const l = left(context, false);
        const r = right(context, false);
        return (
          (typeof l === 'string' && typeof r === 'string'
            ? l === r
            : AEL.FunctionUtils.commonEquals(l, r)) === equal
        );
      };
    }
    case AEL.ExpressionType.Exists: {
      if (children.length !== 1) throw new Unsupported('exists without one operand');
      const [operand] = children.map(compile) as [Evaluate];
      return (context) => operand(context, false) != null;
    }
    case AEL.ExpressionType.Not: {
      if (children.length !== 1) throw new Unsupported('! without one operand');
      const [operand] = children.map(compile) as [Evaluate];
      return (context) => !isLogicTrue(operand(context, false));
    }
    case AEL.ExpressionType.Or: {
      const operands = children.map(compile);
      // As adaptive-expressions' Or: true at the first true operand, else the last operand's value as it is.
      return (context) => {
        let result: unknown = false;
        for (const operand of operands) {
          result = operand(context, false);
          if (isLogicTrue(result)) return true;
        }
        return result;
      };
    }
    case AEL.ExpressionType.And: {
      const operands = children.map(compile);
      return (context) => {
        for (const operand of operands) if (!isLogicTrue(operand(context, false))) return false;
        return true;
      };
    }
    default:
      throw new Unsupported(`expression type ${expression.type}`);
  }
}

/** adaptive-expressions' `InternalFunctionUtils.isLogicTrue`. */
function isLogicTrue(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return value != null;
}

/**
 * A property path ("title", "person.name", "$root.opensForm"). As the Accessor evaluator, TemplateObjectMemory and
 * SimpleObjectMemory do it: a path not starting with "$" is read from `$data`; each step is a case-insensitive
 * property lookup (an array index for a number on an array); undefined becomes "${path}" with substitutions.
 */
function accessor(expression: Expression): Evaluate {
  const names: string[] = [];
  let left: Expression | undefined = expression;
  while (left !== undefined) {
    if (left.type !== AEL.ExpressionType.Accessor) throw new Unsupported('a path that is not plain names');
    const name = left.children[0];
    const rest: Expression | undefined = left.children[1];
    if (!(name instanceof AEL.Constant) || typeof name.value !== 'string' || left.children.length > 2)
      throw new Unsupported('a path step that is not a name');
    names.unshift(name.value);
    left = rest;
  }
  const path = names.join('.');
  const parts = (path.startsWith('$') ? path : `$data.${path}`)
    .split(/[.[\]]+/)
    .filter((part) => part !== '');
  if (parts.some((part) => part.startsWith('"') || part.startsWith("'") || part !== part.trim()))
    throw new Unsupported('a quoted path');
  const [first, ...rest] = parts;
  if (first !== '$data' && first !== '$root' && first !== '$index')
    throw new Unsupported(`a path from ${first}`);
  // parseInt without a radix, as SimpleObjectMemory.getValue.
  const steps = rest.map((part): Step => {
    const lower = part.toLowerCase();
    // An ASCII name can only equal, ignoring case, a key of its own length: the only non-ASCII characters whose
    // lower case holds ASCII are U+212A (KELVIN SIGN, "k", one for one) and U+0130 ("i" plus the non-ASCII U+0307).
    return {
      part,
      lower,
      index: parseInt(part),
      length: isAscii(lower) ? lower.length : -1,
      first: lower.length > 0 ? lower.charCodeAt(0) : -1,
    };
  });
  const substitution = `\${${path}}`;
  return (context, substitute) => {
    let value: unknown =
      first === '$root'
        ? context.$root
        : first === '$index'
          ? context.index
          : context.data !== undefined
            ? context.data
            : context.$root;
    for (const step of steps) {
      const next = accessStep(value, step);
      if (next === FAILED) {
        value = undefined;
        break;
      }
      value = next;
    }
    if (value !== undefined) return value;
    return substitute ? substitution : undefined;
  };
}

const FAILED = Symbol('failed');

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** One step of a path; `length` is the name's length when it is ASCII (a key of another length cannot match), else -1. */
interface Step {
  part: string;
  lower: string;
  index: number;
  length: number;
  /** The lower-cased name's first UTF-16 unit (-1 for an empty name). */
  first: number;
}

/**
 * False when `key` certainly does not equal the step's name ignoring case, from its first character alone: an ASCII
 * character lower-cases to one ASCII character, whatever follows it, which then starts the lower-cased key.
 */
function mayMatch(key: string, step: Step): boolean {
  const c = key.charCodeAt(0);
  if (c >= 0x80 || Number.isNaN(c)) return true;
  return (c >= 0x41 && c <= 0x5a ? c + 0x20 : c) === step.first;
}

/** InternalFunctionUtils.accessIndex / accessProperty, as SimpleObjectMemory.getValue uses them. */
function accessStep(instance: unknown, step: Step): unknown | typeof FAILED {
  if (!Number.isNaN(step.index) && Array.isArray(instance)) {
    return step.index >= 0 && step.index < instance.length ? (instance[step.index] as unknown) : FAILED;
  }
  if (!instance) return undefined;
  if (instance instanceof Map) {
    const map = instance as Map<unknown, unknown>;
    const direct = map.get(step.part);
    if (direct !== undefined) return direct;
    const key = [...map.keys()].find((k) => (k as string).toLowerCase() === step.lower);
    return key === undefined ? undefined : map.get(key);
  }
  const record = instance as Record<string, unknown>;
  // The first own key, in key order, equal ignoring case (of a primitive: a string's indices, as in the library).
  // A plain object's own keys in that order without making a list of them: `for in`, whose inherited keys (none,
  // unless someone added an enumerable one to Object.prototype) are skipped.
  const prototype: unknown = typeof record === 'object' ? Object.getPrototypeOf(record) : undefined;
  if (prototype === Object.prototype || prototype === null) {
    for (const key in record) {
      if (
        (key === step.part ||
          ((step.length === -1 || key.length === step.length) &&
            mayMatch(key, step) &&
            lowerCase(key) === step.lower)) &&
        Object.hasOwn(record, key)
      )
        return record[key];
    }
    return undefined;
  }
  const key = Object.keys(record).find((k) => k.toLowerCase() === step.lower);
  return key === undefined ? undefined : record[key];
}

/** Property names lower-cased, remembered: card data uses a few dozen names, each looked up on every card. */
const lowerCased = new Map<string, string>();
const LOWER_CASED_LIMIT = 10_000;

function lowerCase(name: string): string {
  let lower = lowerCased.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerCased.size < LOWER_CASED_LIMIT) lowerCased.set(name, lower);
  }
  return lower;
}

type ObjectNode = Extract<Node, { kind: 'object' }>;

/** `$when`: an expression that is not exactly true drops the object, and so does a truthy value that is none. */
function dropped(node: ObjectNode, context: Context): boolean {
  const when = node.when as Special | undefined;
  if (when === undefined) return false;
  if ('expression' in when) return when.expression(context, false) !== true;
  return Boolean(when.value);
}

/**
 * Template.internalExpand for a prepared template, as generated JavaScript: for each node the steps the library runs
 * for it, in the same order, with the template's keys and literals written into the code. An array leaves out null
 * items and adds the items of an array (concat), an object gets its keys in template order (stored one by one, as the
 * library assigns them, so a `__proto__` key behaves as there) and leaves out an undefined value; `$when` and
 * `$data` go through `dropped` and `expandData`, which save and restore `$data` and `$index` as the library does (a
 * failed expansion is abandoned as a whole). Expressions are the compiled closures above.
 *
 * Why generated: walking the prepared nodes dispatched on every node and stored every property under a key read
 * from a list (V8's generic keyed stores), most of a card's cost; the generated code builds each card object with
 * stores to names known in advance. The code is made only from the templates (trusted files in cards/): keys and
 * strings are written as JSON literals, anything else is passed in by reference.
 */
function generate(root: Node): (root: unknown) => unknown {
  const refs: unknown[] = [];
  const functions: string[] = [];
  let counter = 0;
  const ref = (value: unknown) => `R[${refs.push(value) - 1}]`;
  const fresh = (prefix: string) => `${prefix}${(counter += 1)}`;

  function literal(value: unknown): string {
    if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
    if (typeof value === 'string' || typeof value === 'boolean' || value === null)
      return JSON.stringify(value);
    return ref(value);
  }

  /** Emits the statements computing `node` into `out`; returns a JS expression (a variable or a literal) for it. */
  function value(node: Node, out: string[]): string {
    switch (node.kind) {
      case 'literal':
        return literal(node.value);
      case 'expression': {
        const v = fresh('v');
        out.push(`const ${v} = ${ref(node.evaluate)}(ctx, true);`);
        return v;
      }
      case 'array': {
        const a = fresh('a');
        out.push(`let ${a} = [];`);
        for (const item of node.items) arrayItem(a, item, out);
        return a;
      }
      case 'object':
        return object(node, out);
    }
  }

  /** `expand`'s array step for one item: null left out, an array's items added, anything else pushed. */
  function arrayItem(a: string, item: Node, out: string[]): void {
    if (item.kind === 'literal') {
      if (item.value !== null) out.push(`${a}.push(${literal(item.value)});`);
      return;
    }
    if (item.kind === 'object' && item.data === undefined) {
      // null when dropped, else an object: pushed unless dropped.
      const inner: string[] = [];
      const o = entries(item, inner);
      if (item.when === undefined) out.push(...inner, `${a}.push(${o});`);
      else out.push(`if (!dropped(${ref(item)}, ctx)) {`, ...inner, `${a}.push(${o});`, '}');
      return;
    }
    const v = value(item, out);
    if (item.kind === 'array') out.push(`${a} = ${a}.concat(${v});`);
    else
      out.push(
        `if (${v} !== null) { if (Array.isArray(${v})) ${a} = ${a}.concat(${v}); else ${a}.push(${v}); }`,
      );
  }

  function object(node: ObjectNode, out: string[]): string {
    if (node.data !== undefined) {
      const build = fresh('b');
      const body: string[] = [];
      const o = entries(node, body);
      functions.push(`function ${build}(ctx) {`, ...body, `return ${o};`, '}');
      const v = fresh('v');
      out.push(`const ${v} = expandData(${ref(node)}, ctx, ${build});`);
      return v;
    }
    if (node.when === undefined) return entries(node, out);
    const v = fresh('v');
    const inner: string[] = [];
    const o = entries(node, inner);
    out.push(`let ${v} = null;`, `if (!dropped(${ref(node)}, ctx)) {`, ...inner, `${v} = ${o};`, '}');
    return v;
  }

  /** An object's keys in template order, a value left out when undefined. */
  function entries(node: ObjectNode, out: string[]): string {
    const o = fresh('o');
    out.push(`const ${o} = {};`);
    for (const [key, child] of node.entries) {
      const v = value(child, out);
      const store = `${o}[${JSON.stringify(key)}] = ${v};`;
      out.push(child.kind === 'expression' ? `if (${v} !== undefined) ${store}` : store);
    }
    return o;
  }

  const body: string[] = [];
  const result = value(root, body);
  const source = [
    '"use strict";',
    ...functions,
    'return function expandGenerated(root) {',
    'const ctx = { $root: root, data: undefined, index: undefined };',
    ...body,
    `return ${result};`,
    '};',
  ].join('\n');
  // Code generated from the card templates only (see above).
  const factory = new Function('R', 'dropped', 'expandData', source) as (
    refs: unknown[],
    isDropped: typeof dropped,
    data: typeof expandData,
  ) => (root: unknown) => unknown;
  return factory(refs, dropped, expandData);
}

/**
 * An object with `$data`: expanded once per item of an array (`$index` set), else once with the value as `$data`
 * (undefined keeps the current one); the entries are built by `build`, the object's generated code. None left: null;
 * one: that object; more: the list.
 */
function expandData(node: ObjectNode, context: Context, build: (context: Context) => unknown): unknown {
  const data = node.data as Special;
  const saved = context.data;
  const savedIndex = context.index;
  const value = 'expression' in data ? data.expression(context, true) : data.value;
  const isArray = Array.isArray(value);
  const contexts: readonly unknown[] = isArray ? value : [value];
  const result: unknown[] = [];
  for (let i = 0; i < contexts.length; i += 1) {
    if (isArray) context.index = i;
    if (contexts[i] !== undefined) context.data = contexts[i];
    if (!dropped(node, context)) result.push(build(context));
  }
  context.data = saved;
  context.index = savedIndex;
  if (result.length === 0) return null;
  if (result.length === 1) return result[0];
  return result;
}
