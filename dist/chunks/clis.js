import { c as childEnv } from './childEnv.js';

const CLIS = {
    upsun: {
        name: 'upsun',
        title: 'Upsun CLI',
        binary: 'upsun',
        envPrefix: 'UPSUN_CLI_',
        oauthClientId: 'upsun-cli',
        userDir: '.upsun-cli',
        defaultAuthUrl: 'https://auth.upsun.com',
        defaultApiUrl: 'https://api.upsun.com',
        channel: { kind: 'github-releases' }
    },
    platform: {
        name: 'platform',
        title: 'Platform.sh CLI',
        binary: 'platform',
        envPrefix: 'PLATFORMSH_CLI_',
        oauthClientId: 'platform-cli',
        userDir: '.platformsh',
        // The platform binary moved to the Upsun hosts in 5.5.0.
        defaultAuthUrl: 'https://auth.upsun.com',
        defaultApiUrl: 'https://api.upsun.com',
        channel: { kind: 'github-releases' }
    },
    webpaas: {
        name: 'webpaas',
        title: 'OVHcloud Web PaaS CLI',
        binary: 'webpaas',
        envPrefix: 'OVHCLOUD_WEBPAAS_CLI_',
        oauthClientId: 'ovh-eu-cli',
        userDir: '.webpaas-cli',
        defaultAuthUrl: 'https://eu.auth.webpaas.ovhcloud.com',
        defaultApiUrl: 'https://eu.api.webpaas.ovhcloud.com',
        channel: { kind: 'phar-manifest', defaultUrl: 'https://eu.cli.webpaas.ovhcloud.com' },
        sshCaveat: 'The Web PaaS CLI bundles no host keys for its git and SSH hosts: add them to ~/.ssh/known_hosts in an earlier step (from a trusted source, not ssh-keyscan at run time).'
    }
};
const CLI_NAMES = Object.keys(CLIS);
/** The full name of one of the CLI's variables, e.g. `UPSUN_CLI_TOKEN`. */
function cliVar(cli, name) {
    return `${cli.envPrefix}${name}`;
}
/**
 * Variables that make the CLI safe in CI: never prompt, never look for
 * updates, never download credential helpers or touch a keychain.
 */
function ciSettings(cli) {
    return {
        [cliVar(cli, 'NO_INTERACTION')]: '1',
        [cliVar(cli, 'UPDATES_CHECK')]: '0',
        [cliVar(cli, 'API_DISABLE_CREDENTIAL_HELPERS')]: '1'
    };
}
/**
 * The CLI's service prefix: it reads the default project, environment and app
 * from `PLATFORM_PROJECT`, `PLATFORM_BRANCH`, … for all three CLIs.
 */
const SERVICE_ENV_PREFIX = 'PLATFORM_';
/**
 * The environment for CLI runs made by the action itself: the allow-listed
 * job variables (childEnv.ts says why an allow-list), the CLI's own `{P}*` and
 * `PLATFORM_*` variables, CI-safe settings, never the CLI's debug switch (it
 * prints tokens), and the token only when the run needs it (`token` given):
 * a `{P}TOKEN` of the job is never passed on otherwise.
 */
function cliEnv(cli, options = {}) {
    const dropped = new Set([cliVar(cli, 'DEBUG'), cliVar(cli, 'TOKEN')]);
    const env = childEnv((name) => (name.startsWith(cli.envPrefix) || name.startsWith(SERVICE_ENV_PREFIX)) && !dropped.has(name));
    Object.assign(env, ciSettings(cli));
    if (options.token)
        env[cliVar(cli, 'TOKEN')] = options.token;
    return env;
}

export { CLIS as C, cliEnv as a, ciSettings as b, cliVar as c, CLI_NAMES as d };
