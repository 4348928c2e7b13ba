// A real OpenSSH server on loopback for the sandbox: it trusts the test CA
// (TrustedUserCAKeys), accepts only certificates, and serves a bare git
// repository. Runs as root (as CI does) and lets one dedicated test user in,
// so that the action and later ssh/git steps run as that user and nothing
// touches the real home directory of the machine.
import { execFileSync, spawn } from 'node:child_process'
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { jobRuntime } from './runtime.mjs'

export const SSHD = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => existsSync(p))

/** Can this machine run the SSH suite (root, OpenSSH server present)? */
export function sshSandboxAvailable() {
  return process.getuid?.() === 0 && Boolean(SSHD)
}

/**
 * The dedicated test user (created on first use), with its passwd home.
 * @returns {{ name: string, uid: number, gid: number, home: string }}
 */
export function ensureTestUser(name = process.env.SETUP_UPSUN_CLI_TEST_USER || 'upsun-e2e') {
  const lookup = () => execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim()
  let entry
  try {
    entry = lookup()
  } catch {
    execFileSync('useradd', [
      '--create-home',
      '--home-dir',
      `/home/${name}`,
      '--shell',
      '/bin/bash',
      name
    ])
    entry = lookup()
  }
  // '*': no password, but not locked (sshd refuses locked accounts, even with a certificate).
  execFileSync('usermod', ['-p', '*', name])
  const [, , uid, gid, , home] = entry.split(':')
  return { name, uid: Number(uid), gid: Number(gid), home }
}

/** Empties the test user's home (it is the test user's, never a person's). */
export function resetHome(user) {
  mkdirSync(user.home, { recursive: true })
  for (const name of readdirSync(user.home))
    rmSync(path.join(user.home, name), { recursive: true, force: true })
  chownSync(user.home, user.uid, user.gid)
}

/** chown -R for the directories a test user's job needs. */
export function chownTree(dir, user) {
  execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir])
}

/**
 * @param {{ caPub: string, user: { name: string, uid: number, gid: number } }} options
 */
export async function startSshd({ caPub, user }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-sshd-'))
  execFileSync('chmod', ['755', dir])
  const hostKey = path.join(dir, 'host_ed25519')
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey])
  const port = await freePort()
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })
  const config = path.join(dir, 'sshd_config')
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `TrustedUserCAKeys ${caPub}`,
      'AuthorizedKeysFile none',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin no',
      `AllowUsers ${user.name}`,
      'LogLevel VERBOSE',
      ''
    ].join('\n')
  )
  const log = []
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  child.stderr.on('data', (d) => log.push(String(d)))
  await waitForPort(port)

  // A bare repository the test user can push to.
  const repo = path.join(dir, 'project.git')
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', repo])
  chownTree(repo, user)

  // known_hosts for the names tests use: no trust on first use, ever.
  const knownHosts = path.join(dir, 'known_hosts')
  const pub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')
  writeFileSync(knownHosts, `git.eu-5.platform.sh ${pub}\n`)

  const runtime = jobRuntime(user)
  return {
    port,
    repo,
    knownHosts,
    log,
    /**
     * ssh options that send git.eu-5.platform.sh to this server. HostName
     * would make ssh look the host key up under 127.0.0.1; HostKeyAlias keeps
     * it under the platform name, pinned in a known_hosts file (no TOFU).
     */
    sshOptions: `-o HostName=127.0.0.1 -p ${port} -o HostKeyAlias=git.eu-5.platform.sh -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=10`,
    /**
     * The same through a ProxyCommand: ssh keeps the platform name as the host
     * it connects to, so `Match host` blocks (the CLI's refresh) apply.
     */
    proxiedSshOptions: `-o 'ProxyCommand=${runtime.node} ${runtime.tcpPipe} 127.0.0.1 ${port}' -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=10`,
    /**
     * Makes the bare repository tell the sandbox API what each push brought,
     * as the platform's git host does: a post-receive hook POSTs the ref, the
     * commit and the push options (the CLI sends environment.* ones) to url.
     */
    notifyPushes(url) {
      execFileSync('git', ['--git-dir', repo, 'config', 'receive.advertisePushOptions', 'true'])
      const hook = path.join(repo, 'hooks', 'post-receive')
      writeFileSync(
        hook,
        [
          '#!/bin/sh',
          'options=""',
          'i=0',
          'while [ "$i" -lt "${GIT_PUSH_OPTION_COUNT:-0}" ]; do',
          '  eval "option=\\$GIT_PUSH_OPTION_$i"',
          '  options="$options$option\n"',
          '  i=$((i + 1))',
          'done',
          'while read -r old new ref; do',
          '  [ "$new" = 0000000000000000000000000000000000000000 ] && continue',
          `  printf '%s\n%s\n%b' "$ref" "$new" "$options" | curl -sS --fail --max-time 10 --data-binary @- '${url}' >/dev/null`,
          'done',
          ''
        ].join('\n'),
        { mode: 0o755 }
      )
      chownTree(repo, user)
    },
    async close() {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

async function freePort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  await new Promise((resolve) => server.close(() => resolve(undefined)))
  return port
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`sshd did not start on port ${port}`)
}
