// The OVHcloud Web PaaS CLI for the sandbox: a small phar built here with the
// real PHP (php -d phar.readonly=0), which answers --version like the legacy
// CLI and, for auth:info, exchanges OVHCLOUD_WEBPAAS_CLI_TOKEN at the auth URL
// the CLI reads from its environment, as the real phar does. Served with a
// manifest.json by a loopback "cli site".
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { answerWithFault, faultQueue, listenLoopback, trackSockets } from './faults.mjs'
import { FIXTURES_DIR } from './fixtures.mjs'

const MAIN = `<?php
$args = array_slice($argv, 1);
$p = 'OVHCLOUD_WEBPAAS_CLI_';
if (in_array('--version', $args) || in_array('-V', $args)) {
  echo "OVHcloud Web PaaS CLI ", VERSION, "\\n";
  exit(0);
}
if (isset($args[0]) && $args[0] === 'auth:info') {
  $token = getenv($p . 'TOKEN');
  if (!$token) { fwrite(STDERR, "[LoginRequiredException] Authentication is required.\\n"); exit(3); }
  $auth = getenv($p . 'API_AUTH_URL') ?: 'https://eu.auth.webpaas.ovhcloud.com';
  $api = getenv($p . 'API_BASE_URL') ?: 'https://eu.api.webpaas.ovhcloud.com';
  $body = http_build_query(array('client_id' => 'ovh-eu-cli', 'grant_type' => 'api_token', 'api_token' => $token));
  $ctx = stream_context_create(array('http' => array('method' => 'POST', 'ignore_errors' => true,
    'header' => "Content-Type: application/x-www-form-urlencoded\\r\\n", 'content' => $body)));
  $res = json_decode(file_get_contents($auth . '/oauth2/token', false, $ctx), true);
  if (!isset($res['access_token'])) { fwrite(STDERR, "The API token is invalid.\\n"); exit(3); }
  $ctx = stream_context_create(array('http' => array('header' => "Authorization: Bearer " . $res['access_token'] . "\\r\\n")));
  $me = json_decode(file_get_contents($api . '/users/me', false, $ctx), true);
  echo $me['email'], "\\n";
  exit(0);
}
fwrite(STDERR, "sandbox webpaas: command not implemented\\n");
exit(1);
`

/** Builds (or reuses) webpaas.phar for a version; returns its path and SHA-256. */
export function buildPhar(version) {
  const dir = path.join(FIXTURES_DIR, `webpaas-${version}`)
  const phar = path.join(dir, 'webpaas.phar')
  if (!existsSync(phar)) {
    mkdirSync(dir, { recursive: true })
    const build = path.join(dir, 'build.php')
    const main = path.join(dir, 'main.php')
    writeFileSync(main, MAIN.replace('VERSION', JSON.stringify(version)))
    // Single-quoted PHP strings: nothing in the paths is interpolated.
    writeFileSync(
      build,
      `<?php
$phar = new Phar('${phar}');
$phar->addFile('${main}', 'main.php');
$phar->setStub("#!/usr/bin/env php\\n<?php Phar::mapPhar('webpaas.phar'); require 'phar://webpaas.phar/main.php'; __HALT_COMPILER();");
`
    )
    execFileSync('php', ['-d', 'phar.readonly=0', build])
  }
  return { phar, sha256: createHash('sha256').update(readFileSync(phar)).digest('hex') }
}

/**
 * Serves /manifest.json and the phars it lists.
 * @param {{ versions: string[], manifest?: (entries: object[]) => object[] }} options
 *   manifest: a hook to rewrite the entries (tampered digests, hostile urls).
 */
export async function startPharSite({ versions, manifest = (e) => e }) {
  const phars = Object.fromEntries(versions.map((v) => [v, buildPhar(v)]))
  const faults = faultQueue()
  const requests = []
  let rewrite = manifest
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    requests.push(url.pathname)
    const fault = faults.take(url.pathname)
    if (fault && answerWithFault(fault, req, res)) return
    // The site lives under /cli/, so that a url climbing out of it can be tested.
    if (url.pathname === '/cli/manifest.json') {
      const entries = versions.map((v) => ({
        version: v,
        sha256: phars[v].sha256,
        name: 'webpaas.phar',
        url: `webpaas-${v}.phar`
      }))
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify(rewrite(entries)))
    }
    const m = /^\/cli\/webpaas-(.+)\.phar$/.exec(url.pathname)
    if (m && phars[m[1]]) {
      const body = readFileSync(phars[m[1]].phar)
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(body.length)
      })
      return res.end(body)
    }
    res.writeHead(404)
    res.end('Not Found')
  })
  const close = trackSockets(server)
  const origin = await listenLoopback(server)
  return {
    origin,
    /** The site's base URL, a value for `releases-url`. */
    url: `${origin}/cli`,
    requests,
    phars,
    fault: (pattern, fault, times = 1) => faults.add(pattern, fault, times),
    /** Replace the manifest rewrite hook (reset with `(e) => e`). */
    setManifest(hook) {
      rewrite = hook
    },
    close
  }
}
