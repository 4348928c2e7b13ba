// Reading an OpenSSH certificate's expiry, on certificates made by ssh-keygen.
import { describe, expect, it } from '@jest/globals'
import { KEY_TYPES, makeCertificate } from '../../__fixtures__/sshCertificate.js'
import { MFA_EXTENSION, certificateExpiry, readCertificate } from '../../src/ssh/certificate.js'

describe('certificateExpiry', () => {
  it('reads valid-before from a certificate made by ssh-keygen', () => {
    const { cert } = makeCertificate('20300102030405:20300102040506')
    expect(certificateExpiry(cert)).toBe('2030-01-02T04:05:06Z')
  })

  it('refuses a certificate type it does not know, rather than guess its layout', () => {
    const str = (text: string): Buffer => {
      const length = Buffer.alloc(4)
      length.writeUInt32BE(text.length)
      return Buffer.concat([length, Buffer.from(text)])
    }
    const type = 'ssh-new-cert-v01@openssh.com'
    const blob = Buffer.concat([str(type), str('nonce')]).toString('base64')
    expect(() => certificateExpiry(`${type} ${blob}`)).toThrow(
      'Unknown SSH certificate type: "ssh-new-cert-v01@openssh.com".'
    )
  })

  it('refuses what is not a certificate', () => {
    expect(() => certificateExpiry('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ4 comment')).toThrow(
      /Not an OpenSSH certificate|truncated/
    )
  })
})

describe('readCertificate', () => {
  const sign = (extra: string[]): string => makeCertificate('+1h', extra).cert

  it('lists the extensions: a token certificate has no has-mfa@platform.sh', () => {
    const facts = readCertificate(sign([]))
    expect(facts.extensions).toContain('permit-pty')
    expect(facts.extensions).not.toContain(MFA_EXTENSION)
  })

  it('finds has-mfa@platform.sh when the certifier added it', () => {
    const facts = readCertificate(sign(['-O', `extension:${MFA_EXTENSION}`]))
    expect(facts.extensions).toContain(MFA_EXTENSION)
    expect(facts.extensions).toContain('permit-pty')
  })
})

describe('every key type a certificate can certify', () => {
  // The key's fields come before the dates: a miscount reads the wrong bytes.
  it.each(KEY_TYPES)('%s: expiry and extensions', (type) => {
    const { cert } = makeCertificate(
      '20300102030405:20300102040506',
      ['-O', `extension:${MFA_EXTENSION}`],
      type
    )
    expect(cert.split(' ')[0]).toMatch(/-cert-v01@openssh\.com$/)
    expect(readCertificate(cert)).toEqual({
      expiresAt: '2030-01-02T04:05:06Z',
      extensions: expect.arrayContaining([MFA_EXTENSION, 'permit-pty'])
    })
  })
})
