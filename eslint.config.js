import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
