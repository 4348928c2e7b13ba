'use strict';

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

exports.apiReader = apiReader;
exports.findEnvironment = findEnvironment;
exports.readEnvironments = readEnvironments;
exports.readPermissions = readPermissions;
exports.readPrimaryUrl = readPrimaryUrl;
exports.readProject = readProject;
exports.record = record;
exports.text = text;
