// Parsed inputs for unit tests: the action's defaults for one CLI, with the
// fields a test cares about overridden.
import type { ActionInputs } from '../src/inputs.js'
import { CLIS, type CliName } from '../src/clis.js'

export function inputsFor(cli: CliName, overrides: Partial<ActionInputs> = {}): ActionInputs {
  const spec = CLIS[cli]
  return {
    cli: spec,
    version: { kind: 'latest' },
    releasesUrl: '',
    githubToken: '',
    token: '',
    verifyToken: true,
    authUrl: spec.defaultAuthUrl,
    apiUrl: spec.defaultApiUrl,
    sshCert: false,
    cleanup: true,
    project: '',
    environment: '',
    deploy: {
      wait: false,
      commit: '',
      commitFrom: '',
      timeoutMs: 1_200_000,
      githubDeployment: false
    },
    ...overrides
  }
}
