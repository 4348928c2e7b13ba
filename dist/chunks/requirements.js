import { I as InputError } from './errors.js';

/**
 * The Go CLI bundles the platform's SSH host keys (`git.<region>.platform.sh`,
 * `ssh.<region>.platform.sh`) from 5.0.6 on (legacy 4.12.1). With an older
 * one, the certificate loads but every later git or ssh step stops at "Host
 * key verification failed": refused before anything is downloaded when the
 * version is exact, else as soon as it is resolved. The Web PaaS phar bundles
 * no host keys for its hosts in any version (its caveat says what to do).
 */
const SSH_CERT_MIN_VERSION = '5.0.6';
function checkSshCertVersion(cli, version) {
    if (cli.channel.kind !== 'github-releases')
        return;
    if (compareVersions(version, SSH_CERT_MIN_VERSION) >= 0)
        return;
    throw new InputError(`\`ssh-cert: true\` needs ${cli.title} ${SSH_CERT_MIN_VERSION} or later, and \`version\` is ${version}: ` +
        `older versions bundle no SSH host keys for the platform, so later git and ssh steps would stop at "Host key verification failed". ` +
        `Set \`version\` to ${SSH_CERT_MIN_VERSION} or later (or latest).`);
}
/**
 * Compares dotted numeric versions (`5.0.6`, `5.0.6-rc.1` counts as 5.0.6).
 * Hand-written so that a cache hit does not load semver (measured by bench).
 */
function compareVersions(a, b) {
    const parts = (v) => v
        .replace(/^v/, '')
        .split(/[-+]/)[0]
        .split('.')
        .map((n) => Number.parseInt(n, 10) || 0);
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? 0) - (y[i] ?? 0);
        if (d !== 0)
            return Math.sign(d);
    }
    return 0;
}

export { checkSshCertVersion as c };
