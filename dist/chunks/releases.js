/** Where releases of 5.10.0 and later are published (tags `vX.Y.Z`). */
const UPSUN_RELEASES = 'https://github.com/upsun/cli/releases';
/** Where releases of 5.9.0 and earlier are published (tags `X.Y.Z`). */
const PLATFORMSH_RELEASES = 'https://github.com/platformsh/cli/releases';
/** Is `version` (X.Y.Z[-pre]) 5.10.0 or later, prereleases of 5.10.0 included? */
function fromUpsunRepo(version) {
    const [major, minor] = version.split('.').map((n) => parseInt(n, 10));
    return major > 5 || (major === 5 && minor >= 10);
}
/** The release of `version` (tag `tag`) on the releases page `releasesUrl`. */
function gitHubRelease(version, tag, releasesUrl) {
    return { version, tag, releasesUrl, where: `${releasesUrl} (tag ${tag})` };
}
/** The git tag of a version: `v5.11.1` from 5.10.0 on, bare before. */
function tagFor(version) {
    return fromUpsunRepo(version) ? `v${version}` : version;
}
/** The default release channel for a version (undefined: the newest). */
function defaultReleasesUrl(version) {
    return version === undefined || fromUpsunRepo(version) ? UPSUN_RELEASES : PLATFORMSH_RELEASES;
}
/** `{releases-url}/download/{tag}/{file}` */
function downloadUrl(release, file) {
    return `${release.releasesUrl}/download/${encodeURIComponent(release.tag)}/${encodeURIComponent(file)}`;
}
/** An exact version needs no network: tag and channel follow from it. */
function exactRelease(version, releasesUrl) {
    return gitHubRelease(version, tagFor(version), releasesUrl || defaultReleasesUrl(version));
}

export { PLATFORMSH_RELEASES as P, UPSUN_RELEASES as U, downloadUrl as d, exactRelease as e, gitHubRelease as g, tagFor as t };
