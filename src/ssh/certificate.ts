import { ActionError } from '../errors.js'

/**
 * Reads `valid before` from an OpenSSH certificate (PROTOCOL.certkeys) and
 * returns it as ISO 8601; `forever` for an unbounded certificate.
 */
export function certificateExpiry(certLine: string): string {
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
  // Public key fields, by key type.
  const fields = inner.startsWith('ssh-rsa')
    ? 2
    : inner.startsWith('ssh-dss')
      ? 4
      : inner.startsWith('ecdsa')
        ? 2
        : 1
  for (let i = 0; i < fields; i++) str()
  u64() // serial
  u32() // type
  str() // key id
  str() // principals
  u64() // valid after
  const validBefore = u64()
  if (validBefore === 0xffffffffffffffffn) return 'forever'
  return new Date(Number(validBefore) * 1000).toISOString().replace('.000Z', 'Z')
}
