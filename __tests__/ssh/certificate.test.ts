// Reading an OpenSSH certificate's expiry, on certificates made by ssh-keygen.
import { describe, expect, it } from '@jest/globals'
import { makeCertificate } from '../../__fixtures__/sshCertificate.js'
import { MFA_EXTENSION, certificateExpiry, readCertificate } from '../../src/ssh/certificate.js'

describe('certificateExpiry', () => {
  it('reads valid-before from a certificate made by ssh-keygen', () => {
    const { cert } = makeCertificate('20300102030405:20300102040506')
    expect(certificateExpiry(cert)).toBe('2030-01-02T04:05:06Z')
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
