import { InputError } from '../errors.js'

/*
 * The `project` and `environment` inputs, checked offline so that a value
 * that cannot be an ID never reaches the API (or the job's environment).
 */

/** The platform's project IDs: lowercase letters and digits (e.g. `abcdefgh12345`). */
const PROJECT_ID = /^[a-z0-9]+$/

/** Parses `project`: empty, or a project ID. */
export function parseProjectId(raw: string): string {
  const value = raw.trim()
  if (value === '' || PROJECT_ID.test(value)) return value
  throw new InputError(
    `Input \`project\` must be a project ID: lowercase letters and digits, such as abcdefgh12345; got ${quote(value)}. ` +
      `${projectHint(value)}Find the ID with \`upsun project:list\`, or in the console's project settings.`
  )
}

/** What the value most likely is instead of an ID, when that can be told. */
function projectHint(value: string): string {
  if (/^https?:\/\//i.test(value)) return 'That is a URL; the ID is the last part of its path. '
  if (/@git\./.test(value)) return "That is the project's git URL; the ID is the part before @. "
  if (/[A-Z]/.test(value) && PROJECT_ID.test(value.toLowerCase()))
    return 'IDs have no uppercase letters. '
  if (/\s/.test(value)) return 'That looks like a title; pass the ID. '
  return ''
}

/**
 * Parses `environment`: empty, or an environment ID or machine name.
 *
 * An environment's ID is the name of its git branch (which is why the API
 * takes it URL-encoded: `feature/login` is an ID); its machine name is a
 * lowercase slug of it. So the exact rule is git's for a branch name
 * (git-check-ref-format with --branch), which every machine name also meets.
 */
export function parseEnvironment(raw: string, project: string, binary = 'upsun'): string {
  const value = raw.trim()
  if (value === '') return ''
  if (project === '') {
    throw new InputError(
      'Input `environment` needs `project`: an environment is looked up in a project. Set `project` to the project ID as well.'
    )
  }
  const flaw = branchNameFlaw(value)
  if (flaw) {
    throw new InputError(
      `Input \`environment\` must be an environment ID (its git branch name, such as main or feature/login) or its machine name; ` +
        `got ${quote(value)}, which ${flaw}. Run \`${binary} environment:list -p ${project}\` to see the environments.`
    )
  }
  return value
}

/** Why a value cannot be a git branch name, or '' when it can be one. */
export function branchNameFlaw(name: string): string {
  // Control characters, space and the characters git reserves for revision syntax.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const bad = /[\u0000-\u0020\u007f~^:?*[\\]/.exec(name)
  if (bad) return `contains ${describeChar(bad[0])}`
  if (name.startsWith('-')) return 'starts with "-"'
  if (name.includes('..')) return 'contains ".."'
  if (name.includes('@{')) return 'contains "@{"'
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'has an empty path component (a leading, trailing or double "/")'
  if (name.endsWith('.')) return 'ends with "."'
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'has a component starting with "."'
    if (part.endsWith('.lock')) return 'has a component ending with ".lock"'
  }
  return ''
}

function describeChar(char: string): string {
  const code = char.charCodeAt(0)
  if (char === ' ') return 'a space'
  if (code < 0x20 || code === 0x7f)
    return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`
  return `the character "${char}"`
}

/** Quotes a value for an error message, bounded, control characters escaped. */
function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value
  return JSON.stringify(shown)
}
