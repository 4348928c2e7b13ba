'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const startup = require('./startup.cjs');
const failures = require('./failures.cjs');
const model = require('./model.cjs');

/**
 * Checks that the token's user can reach the project (and environment) the
 * workflow names: the project, its environments and the user's permissions
 * are read at once, then the environment's primary URL.
 */
async function checkProject(options, network = {}) {
    const { projectId, user } = options;
    const api = model.apiReader(options.apiUrl, options.accessToken, network);
    const base = `/projects/${encodeURIComponent(projectId)}`;
    const [project, environments, permissions] = await Promise.allSettled([
        api.get(base, `project ${projectId}`).then(model.readProject),
        options.environment
            ? api
                // A project may have hundreds of environments: more than one answer's default cap.
                .get(`${base}/environments`, `the environments of ${projectId}`, { maxBytes: 32 << 20 })
                .then(model.readEnvironments)
            : Promise.resolve([]),
        readOwnPermissions(api, base, user)
    ]);
    // The project's answer explains a failure best (a 404 there is a 404 on its environments too).
    if (project.status === 'rejected')
        throw explainProjectFailure(options, project.reason);
    if (environments.status === 'rejected')
        throw explainListFailure(options, environments.reason);
    if (permissions.status === 'rejected')
        throw permissions.reason;
    const facts = project.value;
    if (facts.id !== projectId)
        throw startup.projectIdMismatch(options.apiUrl, projectId, facts.id);
    if (facts.suspension)
        throw startup.projectSuspended(facts);
    const access = permissions.value;
    if (!options.environment)
        return { project: facts, ...access };
    const found = model.findEnvironment(environments.value, options.environment);
    if (!found)
        throw startup.environmentNotFound(options.cli, user, facts, options.environment, environments.value);
    const url = found.status === 'active' ? await primaryUrl(api, base, found) : '';
    return { project: facts, environment: { ...found, url }, ...access };
}
/** The user's own permissions, or the status with which the API would not say. */
async function readOwnPermissions(api, base, user) {
    try {
        const path = `${base}/user-access/${encodeURIComponent(user.id)}`;
        return { permissions: model.readPermissions(await api.get(path, "the user's permissions")) };
    }
    catch (error) {
        // Whether a non-admin may read its own access is not settled (the CLI
        // tolerates a refusal too): the permissions output is then empty.
        if (error instanceof failures.HttpError && (error.status === 403 || error.status === 404))
            return { permissionsRefused: error.status };
        throw error;
    }
}
/** The environment's primary URL; '' when it has no current deployment. */
async function primaryUrl(api, base, environment) {
    try {
        return model.readPrimaryUrl(await api.get(`${base}/environments/${encodeURIComponent(environment.id)}/deployments/current`, `the current deployment of ${environment.id}`));
    }
    catch (error) {
        if (error instanceof failures.HttpError && error.status === 404)
            return '';
        throw error;
    }
}
function explainProjectFailure(options, error) {
    if (error instanceof failures.HttpError && (error.status === 403 || error.status === 404))
        return startup.projectNotAccessible(options.cli, options.user, options.projectId, error.status);
    if (error instanceof failures.HttpError && error.status === 401)
        return accessTokenRefused(options, error);
    return error;
}
/** The project was readable, its environments were not. */
function explainListFailure(options, error) {
    if (error instanceof failures.HttpError && error.status === 401)
        return accessTokenRefused(options, error);
    if (error instanceof failures.HttpError) {
        return new startup.ActionError(`The API refused to list the environments of project ${options.projectId} (HTTP ${error.status}) to ${startup.printable(options.user.email || options.user.id)}. ` +
            'Give the machine user a role on the environment types it needs (for example --role development:contributor).');
    }
    return error;
}
function accessTokenRefused(options, error) {
    return new startup.ActionError(`${new URL(options.apiUrl).host} refused the access token issued for the API token (HTTP ${error.status}) when reading project ${options.projectId}. ` +
        'Check that `api-url` and `auth-url` belong to the same platform.');
}

exports.checkProject = checkProject;
