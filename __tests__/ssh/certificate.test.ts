// Reading an OpenSSH certificate's expiry, on certificates made by ssh-keygen.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { MFA_EXTENSION, certificateExpiry, readCertificate } from '../../src/ssh/certificate.js'

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'ssh-cert-'))

describe('certificateExpiry', () => {
  it('reads valid-before from a certificate made by ssh-keygen', () => {
    const dir = tmp()
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'ca')])
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'key')])
    execFileSync(
      'ssh-keygen',
      [
        '-q',
        '-s',
        path.join(dir, 'ca'),
        '-I',
        'id',
        '-n',
        'git',
        '-V',
        '20300102030405:20300102040506',
        path.join(dir, 'key.pub')
      ],
      {
        env: { ...process.env, TZ: 'UTC' }
      }
    )
    const cert = readFileSync(path.join(dir, 'key-cert.pub'), 'utf8')
    expect(certificateExpiry(cert)).toBe('2030-01-02T04:05:06Z')
  })

  it('refuses what is not a certificate', () => {
    expect(() => certificateExpiry('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ4 comment')).toThrow(
      /Not an OpenSSH certificate|truncated/
    )
  })
})

describe('readCertificate', () => {
  const sign = (extra: string[]): string => {
    const dir = tmp()
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'ca')])
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'key')])
    execFileSync('ssh-keygen', [
      '-q',
      '-s',
      path.join(dir, 'ca'),
      '-I',
      'id',
      '-n',
      'git',
      '-V',
      '+1h',
      ...extra,
      path.join(dir, 'key.pub')
    ])
    return readFileSync(path.join(dir, 'key-cert.pub'), 'utf8')
  }

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
