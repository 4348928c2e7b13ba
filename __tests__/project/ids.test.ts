// The `project` and `environment` inputs, checked offline.
import { describe, expect, it } from '@jest/globals'
import { branchNameFlaw, parseEnvironment, parseProjectId } from '../../src/project/ids.js'

describe('parseProjectId', () => {
  it.each([[''], ['abcdefgh12345'], ['  storefront2026  ']])('accepts %j', (raw) => {
    expect(parseProjectId(raw)).toBe(raw.trim())
  })

  it.each([
    ['Storefront2026', /IDs have no uppercase letters/],
    ['https://console.upsun.com/acme/abc123', /That is a URL/],
    ['abc123@git.eu-5.platform.sh:abc123.git', /git URL; the ID is the part before @/],
    ['My Shop', /looks like a title/],
    ['abc-123', /lowercase letters and digits, such as abcdefgh12345; got "abc-123"\. Find the ID/]
  ])('refuses %j, naming the input and what it likely is', (raw, hint) => {
    expect(() => parseProjectId(raw)).toThrow(/^Input `project` must be a project ID/)
    expect(() => parseProjectId(raw)).toThrow(hint)
  })
})

describe('parseEnvironment', () => {
  it.each([['main'], ['feature/login'], ['release-1.2'], ['feature-login-q3x7lda'], ['Fix_Bug']])(
    'accepts the branch name or machine name %j',
    (name) => {
      expect(parseEnvironment(name, 'abc123')).toBe(name)
    }
  )

  it('is empty when not given, with or without a project', () => {
    expect(parseEnvironment('  ', '')).toBe('')
  })

  it('needs `project`', () => {
    expect(() => parseEnvironment('main', '')).toThrow(/Input `environment` needs `project`/)
  })

  it('names the CLI to list environments with', () => {
    expect(() => parseEnvironment('a..b', 'abc123', 'platform')).toThrow(
      /Run `platform environment:list -p abc123` to see the environments\./
    )
  })
})

// Each case checked against `git check-ref-format --branch` (git 2.39).
describe('branchNameFlaw (git check-ref-format --branch)', () => {
  it.each([
    ['my branch', 'contains a space'],
    ['tab\there', 'contains a control character (U+0009)'],
    ['a~1', 'contains the character "~"'],
    ['a:b', 'contains the character ":"'],
    ['-x', 'starts with "-"'],
    ['a..b', 'contains ".."'],
    ['a@{1}', 'contains "@{"'],
    ['/a', 'has an empty path component (a leading, trailing or double "/")'],
    ['a//b', 'has an empty path component (a leading, trailing or double "/")'],
    ['a.', 'ends with "."'],
    ['a/.hidden', 'has a component starting with "."'],
    ['a.lock/b', 'has a component ending with ".lock"']
  ])('%j %s', (name, flaw) => {
    expect(branchNameFlaw(name)).toBe(flaw)
  })

  it('finds nothing wrong with a name git accepts', () => {
    expect(branchNameFlaw('feature/JIRA-12_fix.v2')).toBe('')
  })
})
