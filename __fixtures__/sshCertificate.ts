// An OpenSSH user certificate made by the real ssh-keygen: a throwaway CA
// signs a fresh ed25519 key for principal `git`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * @param validity ssh-keygen's `-V` (e.g. `+1h`, `20300102030405:20300102040506`, read in UTC)
 * @param options extra ssh-keygen options, e.g. `['-O', 'extension:NAME']`
 */
export function makeCertificate(
  validity = '+1h',
  options: string[] = []
): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssh-cert-'))
  const keygen = (args: string[]): void => {
    execFileSync('ssh-keygen', ['-q', ...args], { env: { ...process.env, TZ: 'UTC' } })
  }
  keygen(['-t', 'ed25519', '-N', '', '-f', path.join(dir, 'ca')])
  keygen(['-t', 'ed25519', '-N', '', '-f', path.join(dir, 'key')])
  keygen([
    '-s',
    path.join(dir, 'ca'),
    '-I',
    'id',
    '-n',
    'git',
    '-V',
    validity,
    ...options,
    path.join(dir, 'key.pub')
  ])
  return {
    key: readFileSync(path.join(dir, 'key'), 'utf8'),
    cert: readFileSync(path.join(dir, 'key-cert.pub'), 'utf8')
  }
}
