import { lazyCrypto } from './lazy.js'
import * as core from '@actions/core'

/**
 * Text that comes from outside the action (inputs, URLs, what a server
 * answers, the CLI's own output) is printed through this module, so that no
 * line of it can become a workflow command.
 *
 * What the runner treats as a command (actions/runner, ActionCommand.cs):
 *   - a line that starts with `::name …::` once leading whitespace is trimmed;
 *   - a line that holds `##[name …]` anywhere (the old syntax, still read);
 * and it splits the output into lines at `\n`, `\r` and `\r\n`.
 * A value printed inside one of our own lines therefore needs no line break
 * and no `##[`; text printed as whole lines of its own (the CLI's output) goes
 * between `::stop-commands::<token>` and `::<token>::`, with a token drawn
 * after the text is known, so the text cannot hold it.
 */

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
// Those, plus Unicode format characters (category Cf: zero-width spaces and
// joiners, bidirectional embeddings, overrides and isolates, the BOM, tag
// characters): invisible, they can make a line read as something it is not.
// One character class, so removing them is linear in the text's length.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu
// ANSI escape sequences (colours, cursor moves): removed whole, not left as `[32m`.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g

/** The first control character in `text`, or undefined. */
export function firstControlCharacter(text: string): { index: number; name: string } | undefined {
  const match = CONTROL.exec(text)
  if (!match) return undefined
  return { index: match.index, name: controlName(match[0]) }
}

function controlName(char: string): string {
  const names: Record<string, string> = {
    '\n': 'a line break (\\n)',
    '\r': 'a carriage return (\\r)',
    '\t': 'a tab',
    '\u0000': 'a NUL'
  }
  const code = char.codePointAt(0) ?? 0
  return names[char] ?? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * One line of outside text, safe to print inside a line of ours: ANSI
 * sequences, control and format characters removed (a tab becomes a space),
 * and the old command opener `##[` broken visibly as `## [` (after the
 * removals, so that `##\u200b[` cannot rejoin into one). Linear time.
 */
export function printable(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/\t/g, ' ')
    .replace(UNPRINTABLE, '')
    .replace(/##\[/g, '## [')
}

/**
 * Prints outside text line by line (the CLI's output) with the runner's
 * command processing stopped around it, each line also made printable.
 * Returns the lines as printed, for error messages.
 */
export function echoUntrusted(text: string, indent = '  '): string[] {
  const lines = text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map(printable)
    .filter((line) => line.trim() !== '')
  if (lines.length === 0) return lines
  // Drawn after the text was read: nothing in it can name the resume token.
  const token = lazyCrypto().randomBytes(16).toString('hex')
  core.info(`::stop-commands::${token}`)
  for (const line of lines) core.info(`${indent}${line}`)
  core.info(`::${token}::`)
  return lines
}
