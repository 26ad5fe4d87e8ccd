import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * One `no-restricted-imports` block per floor: relative imports that climb into a floor above are refused, and the
 * floors below bot/ may not import the Bot Framework, the Microsoft 365 Agents SDK or either host's web framework (they
 * must not know which SDK hosts them).
 */
function floors(list) {
  return list.map(({ folder, above, sdk, contractsOnly, hint }) => ({
    files: [`${folder}/**/*.ts`, `${folder}/**/*.mjs`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^(\\.\\./)+(${above.join('|')})/`, message: hint },
            ...(sdk
              ? [
                  {
                    regex: '^(botbuilder|botframework-|@microsoft/agents-|express$|restify$)',
                    message: `${folder}/ must not know the bot SDK: ${hint}`,
                  },
                ]
              : []),
            ...(contractsOnly
              ? [
                  {
                    regex: '^(\\.\\./)+data/(lowdb|memory|postgres)/',
                    message: `${folder}/ uses the stores through their contracts (data/<name>Store.ts); data/stores.ts opens the one configured`,
                  },
                ]
              : []),
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['.scratch/**', 'dist/**', 'node_modules/**', '.ansvar/**', 'manifest/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Typed rules for async code: a promise nobody awaits or handles loses its errors (an unhandled rejection stops
    // the server), and a promise passed where a callback's result is ignored (event handlers, restify's `next`)
    // does the same. A deliberate fire-and-forget says so with `void` and a comment on why its errors are handled.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // The floors (ARCHITECTURE.md): core/ → data/ → services/ → cards/ → bot/, with scripts/ on top and test/ beside
  // everything. A file may import from its own floor and the floors below it, never from one above: an upward import
  // is a lint error that names the floor to use instead.
  ...floors([
    {
      folder: 'core',
      above: ['data', 'services', 'cards', 'bot', 'scripts', 'test'],
      sdk: true,
      hint: 'core/ is the bottom floor (errors, logger, clock, JSON documents): it imports nothing of the product.',
    },
    {
      folder: 'data',
      above: ['services', 'cards', 'bot', 'scripts', 'test'],
      sdk: true,
      hint: 'data/ may use core/ only: errors and the logger live in core/; a rule about the data belongs in services/.',
    },
    {
      folder: 'services',
      above: ['cards', 'bot', 'scripts', 'test'],
      sdk: true,
      contractsOnly: true,
      hint: 'services/ may use data/ and core/: return an answer or a domain object and let cards/ or bot/ present it.',
    },
    {
      folder: 'cards',
      above: ['bot', 'scripts', 'test'],
      sdk: true,
      contractsOnly: true,
      hint: 'cards/ may use services/ (answer types, i18n), data/ and core/: hand the card to bot/, do not reach into it.',
    },
    {
      folder: 'bot',
      above: ['scripts', 'test'],
      sdk: false,
      hint: 'bot/ is the top floor of the product: scripts/ and test/ sit beside it and build on it, not under it.',
    },
    {
      folder: 'scripts',
      above: ['test'],
      sdk: false,
      hint: 'scripts/ may use the product, not the tests: share a fake through fakes/ instead.',
    },
    {
      folder: 'fakes',
      above: ['scripts', 'test'],
      sdk: false,
      hint: 'fakes/ stand in for what we do not own (Teams, Graph, OpenID) for tests and benchmarks alike.',
    },
  ]),
  {
    files: ['scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // A failing assert.ok(x) without a message makes Node read and parse the test's source to build one, which
    // under tsx can spin forever instead of failing: every one-argument assertion states what it checks.
    files: ['test/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name='assert'][callee.property.name='ok'][arguments.length=1]",
          message: 'Give assert.ok a message (without one a failure can hang mocha under tsx).',
        },
        {
          selector: "CallExpression[callee.name='assert'][arguments.length=1]",
          message: 'Give assert a message (without one a failure can hang mocha under tsx).',
        },
      ],
    },
  },
);
