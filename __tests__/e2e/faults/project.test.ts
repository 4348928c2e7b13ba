// Fault suite, project binding: a project or environment that is not what the
// workflow says (absent, not shared with the token's user, suspended,
// malformed), and an API that fails while the project is read. A refusal
// must name the input and say what to do; nothing is exported (no token, no
// PLATFORM_*). See ./harness.ts for the checks and where the figures go.
import { describe, expect, it } from '@jest/globals'
import { SANDBOX_USER } from '../../../sandbox/api.mjs'
import { SANDBOX_OUTSIDER } from '../../../sandbox/projects.mjs'
import { FaultSandbox, FaultSuite, OUTSIDER_TOKEN, type Case } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)
const PROJECT = 'storefront2026'
const bound =
  (extra: Record<string, string> = {}) =>
  () => ({
    ...sb.withToken(),
    project: PROJECT,
    ...extra
  })
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** Cases refused before any request reaches the API. */
const offlineCases: Case[] = [
  {
    fault: '`project` with uppercase letters',
    expect: 'refused',
    message:
      /Input `project` must be a project ID: lowercase letters and digits.*got "Storefront2026"\. IDs have no uppercase letters\./,
    inputs: bound({ project: 'Storefront2026' })
  },
  {
    fault: "`project` given the console's URL",
    expect: 'refused',
    message:
      /Input `project` must be a project ID.*That is a URL; the ID is the last part of its path/,
    inputs: bound({ project: 'https://console.upsun.com/acme/storefront2026' })
  },
  {
    fault: '`environment` that cannot be a branch name (`..`)',
    expect: 'refused',
    message:
      /Input `environment` must be an environment ID \(its git branch name.*got "release\.\.1", which contains "\.\."/,
    inputs: bound({ environment: 'release..1' })
  },
  {
    fault: '`environment` with a space',
    expect: 'refused',
    message: /Input `environment` .*got "my branch", which contains a space/,
    inputs: bound({ environment: 'my branch' })
  },
  {
    fault: '`environment` without `project`',
    expect: 'refused',
    message: /Input `environment` needs `project`/,
    inputs: () => ({ ...sb.withToken(), environment: 'main' })
  }
]

const onlineCases: Case[] = [
  {
    fault: 'project that does not exist (404)',
    expect: 'refused',
    message: new RegExp(
      escape(
        `The token's user ${SANDBOX_USER.email} cannot access project nosuchproject1 (HTTP 404): the project may not exist, or the user was never invited to it. ` +
          'Check input `project`; to invite a machine user, run ' +
          `\`upsun user:add ${SANDBOX_USER.email} -p nosuchproject1 --role viewer --role development:contributor\` ` +
          "as a project admin, or add it in the console under the project's settings > Access."
      )
    ),
    inputs: bound({ project: 'nosuchproject1' })
  },
  {
    fault: 'project the token user was never invited to (403)',
    expect: 'refused',
    message: new RegExp(
      escape(
        `The token's user ${SANDBOX_OUTSIDER.email} cannot access project ${PROJECT} (HTTP 403)`
      ) + `.*upsun user:add ${escape(SANDBOX_OUTSIDER.email)} -p ${PROJECT} --role viewer`
    ),
    inputs: bound({ token: OUTSIDER_TOKEN })
  },
  {
    fault: 'environment that does not exist',
    expect: 'refused',
    message: new RegExp(
      escape(
        `Input \`environment\`: project ${PROJECT} (Storefront) has no environment "feature/logout" (by ID or machine name) that ${SANDBOX_USER.email} can see. ` +
          `The environments ${SANDBOX_USER.email} can see: main (machine name main-bvxea6i), staging (machine name staging-5ye5ytq), ` +
          'feature/login (machine name feature-login-q3x7lda), old-demo (machine name old-demo-k2mnp4a, inactive). ' +
          'Check the name, or create the environment by pushing its branch: `upsun push --target feature/logout --activate`.'
      )
    ),
    inputs: bound({ environment: 'feature/logout' })
  },
  {
    fault: 'suspended project (`status` as {code, message})',
    expect: 'refused',
    message:
      /Project frozen2026 \(Frozen\) is suspended \(its status is suspended\): the platform neither runs nor deploys it\. Check the organization's billing/,
    inputs: bound({ project: 'frozen2026' })
  },
  {
    fault: 'suspended project (`status` as a string)',
    expect: 'refused',
    message: /Project unpaid2026 \(Unpaid\) is suspended \(its status is suspended\)/,
    inputs: bound({ project: 'unpaid2026' })
  },
  {
    fault: 'suspended subscription (`subscription.suspended`, status not yet updated)',
    expect: 'refused',
    message: /Project lapsed2026 \(Lapsed\) is suspended \(its subscription is suspended\)/,
    inputs: bound({ project: 'lapsed2026' })
  },
  {
    fault: 'project read answers 5xx twice',
    expect: 'survived',
    inputs: bound(),
    inject: () => sb.api.fault(new RegExp(`^/projects/${PROJECT}$`), { status: 502 }, 2),
    check: (step) => {
      expect(step.log).toMatch(/Reading project storefront2026 from .*: HTTP 502; retrying/)
      expect(step.exported.PLATFORM_PROJECT).toBe(PROJECT)
    }
  },
  {
    fault: 'environment list answers 5xx, then a connection reset',
    expect: 'survived',
    inputs: bound({ environment: 'staging' }),
    inject: () => {
      sb.api.fault(/\/environments$/, { status: 503 })
      sb.api.fault(/\/environments$/, { kind: 'reset' })
    },
    check: (step) => expect(step.exported.PLATFORM_BRANCH).toBe('staging')
  },
  {
    fault: 'project read answers 5xx until the retries run out',
    expect: 'refused',
    message: /Could not read project storefront2026: .*answered HTTP 502 \(after retries\)/,
    inputs: bound(),
    inject: () => sb.api.fault(new RegExp(`^/projects/${PROJECT}$`), { status: 502 }, 4)
  },
  {
    fault: 'project read answers something that is not JSON',
    expect: 'refused',
    message: /answered \/projects\/storefront2026 with something that is not JSON \(HTTP 200\)/,
    inputs: bound(),
    inject: () => sb.api.fault(new RegExp(`^/projects/${PROJECT}$`), { kind: 'garbage' })
  },
  {
    fault: 'the user may not read its own permissions (403)',
    expect: 'survived',
    inputs: bound({ project: 'reports2026' }),
    check: (step) => {
      expect(step.outputs.permissions).toBe('')
      expect(step.log).toContain(
        "The API did not show the user's permissions on the project (HTTP 403); the permissions output is empty."
      )
    }
  },
  {
    fault: 'active environment without a current deployment (404)',
    expect: 'survived',
    inputs: bound({ environment: 'main' }),
    inject: () => sb.api.fault(/\/deployments\/current$/, { status: 404 }),
    check: (step) => {
      expect(step.outputs['environment-url']).toBe('')
      expect(step.outputs['environment-status']).toBe('active')
      expect(step.log).toContain('Environment main: production, active, no current deployment.')
    }
  },
  {
    fault: 'project read answers for another id, one holding a workflow command',
    expect: 'refused',
    message: new RegExp(
      escape(
        'answered GET /projects/imposter2026 with a project whose id is "imposter2026::save-state name=ssh::'
      ) +
        '.*' +
        escape(', not imposter2026. Check `api-url`')
    ),
    inputs: bound({ project: 'imposter2026' }),
    check: (step) => expect(step.state).not.toHaveProperty('ssh')
  },
  {
    fault: 'project text that tries to become workflow commands',
    expect: 'survived',
    inputs: bound({ project: 'hostile2026', environment: 'main' }),
    check: (step) => {
      expect(step.warnings).toEqual([])
      expect(step.errors).toEqual([])
      expect(step.notices).toEqual([])
      expect(step.log).toContain(
        'Project hostile2026: Shop::warning::injected by the project title'
      )
      // Outputs too: a later `run: echo "${{ … }}"` must not print a command either.
      expect(step.outputs['project-title']).toBe('Shop::warning::injected by the project title')
      expect(step.outputs['project-region']).toBe('eu-5.platform.sh::error::injected by the region')
    }
  }
]

describe('faults: project binding', () => {
  it.each(offlineCases.map((c) => [c.fault, c] as const))('refused offline: %s', async (_f, c) => {
    const before = sb.api.requests.length
    await suite.expectOutcome('project', c)
    // Not one request: the input was refused before the token was even exchanged.
    expect(sb.api.requests.length).toBe(before)
  })

  it.each(onlineCases.map((c) => [c.fault, c] as const))('%s', async (_f, c) => {
    await suite.expectOutcome('project', c)
  })

  it('leaks nothing in any of these runs, and records its figures', () => {
    suite.expectNoLeaks(offlineCases.length + onlineCases.length)
  })
})
