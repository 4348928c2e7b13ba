import { ActionError } from '../errors.js'

/** What the action reads from an OpenSSH certificate (PROTOCOL.certkeys). */
export interface CertificateFacts {
  /** `valid before` as ISO 8601; `forever` for an unbounded certificate. */
  readonly expiresAt: string
  /** Names of its extensions (`permit-pty`, `has-mfa@platform.sh`, …). */
  readonly extensions: readonly string[]
}

/** The platform's certifier adds this extension only when MFA was verified. */
export const MFA_EXTENSION = 'has-mfa@platform.sh'

/** How many key fields each certificate type carries before its serial (PROTOCOL.certkeys). */
const KEY_FIELDS: Readonly<Record<string, number>> = {
  'ssh-rsa-cert-v01@openssh.com': 2, // e, n
  'ssh-dss-cert-v01@openssh.com': 4, // p, q, g, y
  'ecdsa-sha2-nistp256-cert-v01@openssh.com': 2, // curve, public key
  'ecdsa-sha2-nistp384-cert-v01@openssh.com': 2,
  'ecdsa-sha2-nistp521-cert-v01@openssh.com': 2,
  'ssh-ed25519-cert-v01@openssh.com': 1, // public key
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com': 3, // curve, public key, application
  'sk-ssh-ed25519-cert-v01@openssh.com': 2 // public key, application
}

/** Reads `valid before` as ISO 8601 (`forever` for an unbounded certificate). */
export function certificateExpiry(certLine: string): string {
  return readCertificate(certLine).expiresAt
}

/** Reads the expiry and the extension names of an OpenSSH certificate. */
export function readCertificate(certLine: string): CertificateFacts {
  const [type, b64] = certLine.trim().split(/\s+/)
  const blob = Buffer.from(b64 ?? '', 'base64')
  let offset = 0
  const u32 = (): number => {
    if (offset + 4 > blob.length) throw new ActionError('The SSH certificate is truncated.')
    const v = blob.readUInt32BE(offset)
    offset += 4
    return v
  }
  const str = (): Buffer => {
    const len = u32()
    if (offset + len > blob.length) throw new ActionError('The SSH certificate is truncated.')
    const v = blob.subarray(offset, offset + len)
    offset += len
    return v
  }
  const u64 = (): bigint => {
    if (offset + 8 > blob.length) throw new ActionError('The SSH certificate is truncated.')
    const v = blob.readBigUInt64BE(offset)
    offset += 8
    return v
  }
  const inner = str().toString('latin1')
  if (!inner.endsWith('-cert-v01@openssh.com') || inner !== type) {
    throw new ActionError(`Not an OpenSSH certificate: ${JSON.stringify(type?.slice(0, 60))}.`)
  }
  str() // nonce
  const fields = KEY_FIELDS[inner]
  if (fields === undefined)
    throw new ActionError(`Unknown SSH certificate type: ${JSON.stringify(inner.slice(0, 60))}.`)
  for (let i = 0; i < fields; i++) str()
  u64() // serial
  u32() // type
  str() // key id
  str() // principals
  u64() // valid after
  const validBefore = u64()
  str() // critical options
  const extensionBlob = str()
  const extensions: string[] = []
  // name (string), data (string), repeated
  for (let at = 0; at + 4 <= extensionBlob.length;) {
    const nameLength = extensionBlob.readUInt32BE(at)
    const name = extensionBlob.subarray(at + 4, at + 4 + nameLength).toString('latin1')
    at += 4 + nameLength
    if (at + 4 > extensionBlob.length) break
    at += 4 + extensionBlob.readUInt32BE(at)
    extensions.push(name)
  }
  const expiresAt =
    validBefore === 0xffffffffffffffffn
      ? 'forever'
      : new Date(Number(validBefore) * 1000).toISOString().replace('.000Z', 'Z')
  return { expiresAt, extensions }
}
