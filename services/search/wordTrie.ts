/** The radix tree inside a MiniSearch SearchableMap (a private field), when it is the Map this module expects. */
export function radixTreeOf(map: unknown): Map<string, unknown> | undefined {
  const tree = (map as { _tree?: unknown } | undefined)?._tree;
  return tree instanceof Map ? (tree as Map<string, unknown>) : undefined;
}

/**
 * The order in which MiniSearch's fuzzy lookup (`fuzzySearch`/`recurse` in minisearch) meets the words of a radix
 * tree: depth first, each node's keys in their order, the leaf key '' marking a word.
 */
export function walkOrder(tree: Map<string, unknown>): Map<string, number> {
  const order = new Map<string, number>();
  const walk = (node: Map<string, unknown>, prefix: string) => {
    for (const [key, child] of node) {
      if (key === '') order.set(prefix, order.size);
      else walk(child as Map<string, unknown>, prefix + key);
    }
  };
  walk(tree, '');
  return order;
}

/**
 * Words in a character trie of typed arrays, for one query: every word within an edit distance, with its
 * (Levenshtein) distance, in the order of `order` (the walk order of the radix tree they came from, so results
 * come in the order MiniSearch's `fuzzyGet` gives them). The same banded Levenshtein walk as MiniSearch's
 * `fuzzySearch` (rows added as the walk descends, a branch left once a whole row exceeds the distance), over
 * numbers instead of Maps and strings.
 */
export class WordTrie {
  private readonly words: string[];
  /** Per node: first child, next sibling, character code, the word ending here (-1: none). Node 0 is the root. */
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly char: Uint16Array;
  private readonly wordAt: Int32Array;

  constructor(order: ReadonlyMap<string, number>) {
    this.words = [...order.keys()];
    let capacity = 1;
    for (const word of this.words) capacity += word.length;
    const firstChild = new Int32Array(capacity).fill(-1);
    const nextSibling = new Int32Array(capacity).fill(-1);
    const lastChild = new Int32Array(capacity).fill(-1);
    const char = new Uint16Array(capacity);
    const wordAt = new Int32Array(capacity).fill(-1);
    let nodes = 1;
    this.words.forEach((word, index) => {
      let node = 0;
      for (let i = 0; i < word.length; i += 1) {
        const code = word.charCodeAt(i);
        let child = firstChild[node]!;
        while (child !== -1 && char[child] !== code) child = nextSibling[child]!;
        if (child === -1) {
          child = nodes;
          nodes += 1;
          char[child] = code;
          if (lastChild[node] === -1) firstChild[node] = child;
          else nextSibling[lastChild[node]!] = child;
          lastChild[node] = child;
        }
        node = child;
      }
      wordAt[node] = index;
    });
    this.firstChild = firstChild.slice(0, nodes);
    this.nextSibling = nextSibling.slice(0, nodes);
    this.char = char.slice(0, nodes);
    this.wordAt = wordAt.slice(0, nodes);
  }

  /** [word, distance] for every word at most `maxDistance` edits from `query`, in `order`. */
  within(query: string, maxDistance: number): [string, number][] {
    const n = query.length + 1;
    const rows = n + maxDistance;
    const codes = new Uint16Array(query.length);
    for (let j = 0; j < query.length; j += 1) codes[j] = query.charCodeAt(j);
    // Row i: the distances between the first i characters of the trie path and each prefix of the query.
    const matrix = new Uint8Array(rows * n).fill(maxDistance + 1);
    for (let j = 0; j < n; j += 1) matrix[j] = j;
    for (let i = 1; i < rows; i += 1) matrix[i * n] = i;
    const found: number[] = [];
    const distances: number[] = [];
    const { firstChild, nextSibling, char, wordAt } = this;
    const visit = (node: number, i: number): void => {
      // Deeper than the longest word within reach: nothing below can match.
      if (i >= rows) return;
      for (let child = firstChild[node]!; child !== -1; child = nextSibling[child]!) {
        const code = char[child]!;
        const row = n * i;
        const previous = row - n;
        let minDistance = matrix[row]!;
        const jmin = Math.max(0, i - maxDistance - 1);
        const jmax = Math.min(n - 1, i + maxDistance);
        for (let j = jmin; j < jmax; j += 1) {
          const replace = matrix[previous + j]! + (code === codes[j] ? 0 : 1);
          const remove = matrix[previous + j + 1]! + 1;
          const insert = matrix[row + j]! + 1;
          const distance = Math.min(replace, remove, insert);
          matrix[row + j + 1] = distance;
          if (distance < minDistance) minDistance = distance;
        }
        if (minDistance > maxDistance) continue;
        const word = wordAt[child]!;
        if (word !== -1 && matrix[row + n - 1]! <= maxDistance) {
          found.push(word);
          distances.push(matrix[row + n - 1]!);
        }
        visit(child, i + 1);
      }
    };
    visit(0, 1);
    const byOrder = found.map((_, k) => k).sort((a, b) => found[a]! - found[b]!);
    return byOrder.map((k) => [this.words[found[k]!]!, distances[k]!]);
  }
}
