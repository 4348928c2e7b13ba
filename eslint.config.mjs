import js from '@eslint/js'
import jest from 'eslint-plugin-jest'
import n from 'eslint-plugin-n'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Every package a file imports is declared in package.json (as setup-go
    // checks): an undeclared one works only while another package pulls it in.
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { n },
    rules: { 'n/no-extraneous-import': 'error' }
  },
  {
    files: ['src/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-require-imports': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-expect-error': 'allow-with-description' }
      ]
    }
  },
  {
    files: ['__tests__/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      // Mocks keep the real signature; an underscore marks an unused parameter.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Conditional test blocks (suites that need root and sshd).
      'jest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['readOnlyHome'] }],
      'jest/expect-expect': [
        'error',
        { assertFunctionNames: ['expect', 'expect*', 'assert*', 'suite.expect*'] }
      ]
    }
  },
  {
    // Shared suite helpers: their expects run inside the tests that call them.
    files: ['__tests__/**/harness.ts'],
    rules: { 'jest/no-standalone-expect': 'off' }
  },
  {
    files: ['scripts/**/*.mjs', 'sandbox/**/*.mjs', '*.mjs', '*.js', '__tests__/**/*.ts'],
    languageOptions: { globals: globals.node }
  },
  prettier
)
