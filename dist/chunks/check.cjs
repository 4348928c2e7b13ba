'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const startup = require('./startup.cjs');
const failures = require('./failures.cjs');
const http = require('./http.cjs');
const retry = require('./retry.cjs');

/** A reader bound to one API and one access token. */
function apiReader(apiUrl, accessToken, network = {}) {
    const host = new URL(apiUrl).host;
    return {
        async get(path, what, options = {}) {
            const url = `${apiUrl}${path}`;
            return retry.withRetry(`Reading ${what} from ${host}`, async () => {
                const response = await http.send(url, {
                    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
                    maxBytes: options.maxBytes,
                    dispatcher: network.dispatcher
                });
                const text = await response.body.text();
                try {
                    return JSON.parse(text);
                }
                catch {
                    throw new startup.ActionError(`${host} answered ${new URL(url).pathname} with something that is not JSON (HTTP ${response.statusCode}). ` +
                        'Is `api-url` right, or is a proxy answering in its place?');
                }
            }, network.sleep).catch((error) => {
                if (error instanceof failures.HttpError && [401, 403, 404].includes(error.status))
                    throw error;
                throw failures.explainFailure(error, url, `read ${what}`);
            });
        }
    };
}
/** The object at `value`, or an empty one (answers are read defensively). */
function record(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? value
        : {};
}
/** The string at `value`, or ''. */
function text(value) {
    return typeof value === 'string' ? value : '';
}

/** Reads `GET /projects/{id}`. */
function readProject(answer) {
    const project = record(answer);
    return {
        id: text(project.id),
        title: text(project.title),
        region: text(project.region),
        gitUrl: text(record(project.repository).url),
        suspension: suspension(project)
    };
}
/**
 * The SDK types `status` as `{code, message}` while the CLI compares it to
 * the string `suspended`: both are read, and so is `subscription.suspended`.
 */
function suspension(project) {
    const status = project.status;
    const code = typeof status === 'string' ? status : text(record(status).code);
    if (code === 'suspended')
        return 'its status is suspended';
    if (record(project.subscription).suspended === true)
        return 'its subscription is suspended';
    return '';
}
/** Reads `GET /projects/{id}/environments` (a list). */
function readEnvironments(answer) {
    if (!Array.isArray(answer))
        return [];
    return answer.map((item) => {
        const environment = record(item);
        return {
            id: text(environment.id),
            machineName: text(environment.machine_name),
            type: text(environment.type),
            status: text(environment.status)
        };
    });
}
/** The environment the input names: by ID first, then by machine name, as the CLI matches. */
function findEnvironment(environments, wanted) {
    return (environments.find((e) => e.id === wanted) ??
        environments.find((e) => e.machineName !== '' && e.machineName === wanted));
}
/**
 * The primary URL from `GET …/deployments/current`: the route marked
 * `primary: true` (routes are keyed by URL), as `upsun url --primary` picks it.
 */
function readPrimaryUrl(answer) {
    const routes = record(record(answer).routes);
    for (const [url, route] of Object.entries(routes)) {
        if (record(route).primary === true && /^https?:\/\//.test(url))
            return url;
    }
    return '';
}
/** Reads `GET /projects/{id}/user-access/{userId}`: the user's permission list. */
function readPermissions(answer) {
    const permissions = record(answer).permissions;
    return Array.isArray(permissions)
        ? permissions.filter((p) => typeof p === 'string')
        : [];
}

/**
 * Checks that the token's user can reach the project (and environment) the
 * workflow names: the project, its environments and the user's permissions
 * are read at once, then the environment's primary URL.
 */
async function checkProject(options, network = {}) {
    const { projectId, user } = options;
    const api = apiReader(options.apiUrl, options.accessToken, network);
    const base = `/projects/${encodeURIComponent(projectId)}`;
    const [project, environments, permissions] = await Promise.allSettled([
        api.get(base, `project ${projectId}`).then(readProject),
        options.environment
            ? api
                // A project may have hundreds of environments: more than one answer's default cap.
                .get(`${base}/environments`, `the environments of ${projectId}`, { maxBytes: 32 << 20 })
                .then(readEnvironments)
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
    const found = findEnvironment(environments.value, options.environment);
    if (!found)
        throw startup.environmentNotFound(options.cli, user, facts, options.environment, environments.value);
    const url = found.status === 'active' ? await primaryUrl(api, base, found) : '';
    return { project: facts, environment: { ...found, url }, ...access };
}
/** The user's own permissions, or the status with which the API would not say. */
async function readOwnPermissions(api, base, user) {
    try {
        const path = `${base}/user-access/${encodeURIComponent(user.id)}`;
        return { permissions: readPermissions(await api.get(path, "the user's permissions")) };
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
        return readPrimaryUrl(await api.get(`${base}/environments/${encodeURIComponent(environment.id)}/deployments/current`, `the current deployment of ${environment.id}`));
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
