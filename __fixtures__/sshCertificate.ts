// OpenSSH user certificates made by the real ssh-keygen: a throwaway CA signs
// a fresh key of the asked type for principal `git`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** The key types a certificate can certify (PROTOCOL.certkeys). */
export const KEY_TYPES = [
  'rsa',
  'dsa',
  'ecdsa-256',
  'ecdsa-384',
  'ecdsa-521',
  'ed25519',
  'sk-ecdsa',
  'sk-ed25519'
] as const
export type KeyType = (typeof KEY_TYPES)[number]

const keygen = (args: string[]): void => {
  execFileSync('ssh-keygen', ['-q', ...args], { env: { ...process.env, TZ: 'UTC' } })
}

/** An SSH wire-format string: uint32 length, then the bytes. */
const sshString = (bytes: Buffer | string): Buffer => {
  const body = Buffer.from(bytes)
  const length = Buffer.alloc(4)
  length.writeUInt32BE(body.length)
  return Buffer.concat([length, body])
}

/** The strings of a public key blob (`type`, then its key fields). */
const sshStrings = (blob: Buffer): Buffer[] => {
  const out: Buffer[] = []
  for (let at = 0; at < blob.length;) {
    const length = blob.readUInt32BE(at)
    out.push(blob.subarray(at + 4, at + 4 + length))
    at += 4 + length
  }
  return out
}

/**
 * Writes `file.pub` for `type`. A security-key (sk-*) key needs a FIDO device to
 * make, but only its public half is certified: ssh-keygen signs one built from
 * a fresh software key's fields plus the `application` field (PROTOCOL.u2f).
 */
function makePublicKey(type: KeyType, file: string): void {
  const [algorithm, bits] = type.replace(/^sk-/, '').split('-')
  // RSA at its smallest size: the test is about the layout, and 3072 bits take seconds.
  const size = bits ?? (algorithm === 'rsa' ? '1024' : undefined)
  keygen(['-t', algorithm, ...(size ? ['-b', size] : []), '-N', '', '-f', file])
  if (!type.startsWith('sk-')) return
  const blob = Buffer.from(readFileSync(`${file}.pub`, 'utf8').split(' ')[1], 'base64')
  const [, ...fields] = sshStrings(blob)
  const name =
    type === 'sk-ecdsa' ? 'sk-ecdsa-sha2-nistp256@openssh.com' : 'sk-ssh-ed25519@openssh.com'
  const sk = Buffer.concat([name, ...fields, 'ssh:'].map((f) => sshString(f)))
  writeFileSync(`${file}.pub`, `${name} ${sk.toString('base64')} sk\n`)
}

/**
 * @param validity ssh-keygen's `-V` (e.g. `+1h`, `20300102030405:20300102040506`, read in UTC)
 * @param options extra ssh-keygen options, e.g. `['-O', 'extension:NAME']`
 * @param type the certified key's type
 */
export function makeCertificate(
  validity = '+1h',
  options: string[] = [],
  type: KeyType = 'ed25519'
): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssh-cert-'))
  keygen(['-t', 'ed25519', '-N', '', '-f', path.join(dir, 'ca')])
  makePublicKey(type, path.join(dir, 'key'))
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
