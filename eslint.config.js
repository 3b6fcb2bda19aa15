// Flat ESLint config. The Salesforce configs (eslint-config-salesforce-typescript and
// eslint-plugin-sf-plugin's recommended rules) ship as eslintrc configs; FlatCompat loads them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlatCompat } from '@eslint/eslintrc';
import js from '@eslint/js';

const compat = new FlatCompat({
  baseDirectory: path.dirname(fileURLToPath(import.meta.url)),
  recommendedConfig: js.configs.recommended,
  allConfig: js.configs.all,
});

export default [
  { ignores: ['lib/**', 'node_modules/**', '**/*.cjs', '**/*.mjs', 'bin/**', 'eslint.config.js'] },
  ...compat.extends('eslint-config-salesforce-typescript', 'plugin:sf-plugin/recommended'),
  {
    rules: {
      // The Salesforce config forbids importing any "lib" folder, meaning the build output. Nothing
      // here imports the build output (the top-level lib/), and no source folder is named lib.
      'no-restricted-imports': 'off',
      // OAuth's wire format uses snake_case keys (client_id, grant_type, error_description).
      camelcase: ['error', { properties: 'never', ignoreDestructuring: true }],
    },
  },
  {
    // The package ships no dependencies (scripts/build.mjs): sf-plugins-core and oclif are inside
    // the bundle, and @salesforce/core is the one of the sf that runs the plugin. So every package
    // src/ imports is a devDependency.
    // A module of core is imported statically, where the build checks every name against core's
    // exports (scripts/build.mjs): code that loads core late imports a module of its own that
    // re-exports what it needs (src/login/projectCore.ts).
    files: ['src/**/*.ts'],
    rules: {
      'import/no-extraneous-dependencies': ['error', { devDependencies: true }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.value=/^@salesforce\\u002Fcore/]',
          message: 'Import @salesforce/core statically, in a module of the plugin that is itself imported late: the build checks static names only.',
        },
      ],
    },
  },
  {
    // What sf keeps where, and the plugin's fields in it (src/sf/), and the extension of the
    // command's @salesforce/core (src/extension/): the hook-safe part. The prerun hook loads it
    // before every sf command, so it may use Node's built-ins only: no @salesforce/core, jsforce or
    // sf-plugins-core (they would cost every sf command their load time), nothing else of src/.
    // src/sf/ is the bottom layer (its own folder only); src/extension/ may use src/sf/ as well.
    files: ['src/sf/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Everything is restricted but node:* and the modules of this folder ("./x.js").
              group: ['*', '*/**', '!node:*', '!node:*/**', '!.', '!./*'],
              message: 'src/sf/ is hook-safe: import Node built-ins (node:*) and modules of src/sf/ only.',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: 'src/sf/ is hook-safe: no dynamic import.' }],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['*', '*/**', '!node:*', '!node:*/**', '!.', '!./*', '!..', '!../sf', '!../sf/*'],
              message: 'src/extension/ is hook-safe: import Node built-ins (node:*), src/extension/ and src/sf/ only.',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: 'src/extension/ is hook-safe: no dynamic import.' }],
    },
  },
  {
    // The core-free part: the renewal runs inside any sf command, through that command's own
    // @salesforce/core (handed to it), so neither it nor what it uses (the OAuth exchange, HTTP,
    // the auth store, messages) may load a core, jsforce, sf-plugins-core or oclif itself, nor
    // reach into the login command's modules.
    files: ['src/renewal/**/*.ts', 'src/oauth/**/*.ts', 'src/shared/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@salesforce/*', '@jsforce/*', 'jsforce', '@oclif/*', 'proper-lockfile'],
              message: 'src/renewal, src/oauth, src/shared and src/store are core-free: they run inside other sf commands.',
            },
            {
              group: ['../login/*', '../commands/*', '../hooks/*'],
              message: 'src/renewal, src/oauth, src/shared and src/store are core-free: the login command\'s modules use the plugin\'s core.',
            },
          ],
        },
      ],
    },
  },
  {
    // The hook itself: what it imports statically loads before every sf command. The rest of the
    // plugin is imported dynamically, once a renewal is due.
    files: ['src/hooks/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['*', '*/**', '!node:*', '!node:*/**', '!..', '!../extension', '!../extension/*', '!../sf', '!../sf/*'],
              allowTypeImports: true,
              message: 'The prerun hook imports only src/extension/ and src/sf/ (and types) statically; import the rest dynamically.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      // Tests and benchmarks read untyped JSON from sf and servers, and run steps in order on purpose.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      'no-unused-expressions': 'off',
      // Small arrow helpers in tests read better without return types; the fake org's routers are
      // one switch over Salesforce's paths.
      '@typescript-eslint/explicit-function-return-type': 'off',
      complexity: 'off',
      '@typescript-eslint/member-ordering': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      'no-await-in-loop': 'off',
      'no-console': 'off',
      'class-methods-use-this': 'off',
    },
  },
];
