'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const startup = require('./startup.cjs');
const failures = require('./failures.cjs');
const model = require('./model.cjs');
const http = require('./http.cjs');
const retry = require('./retry.cjs');

/** The GitHub repository and API from the runner's variables, or why they are missing. */
function githubFromEnvironment() {
    const apiUrl = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    const repository = process.env.GITHUB_REPOSITORY ?? '';
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository))
        throw new startup.ActionError('GITHUB_REPOSITORY is not set to owner/name: `github-deployment` needs the repository.');
    return { apiUrl, repository };
}
/**
 * Creates the deployment: transient for development environments,
 * production for production ones, never merging the default branch in
 * (`auto_merge: false`) nor waiting on commit statuses (`required_contexts: []`).
 */
async function createDeployment(target, network = {}) {
    const base = `${target.apiUrl}/repos/${target.repository}/deployments`;
    const created = model.record(await post(target, base, 'create a GitHub deployment', network, {
        ref: target.commit,
        environment: target.environment,
        auto_merge: false,
        required_contexts: [],
        transient_environment: target.environmentType === 'development',
        production_environment: target.environmentType === 'production',
        description: target.description.slice(0, 140),
        payload: { environment: target.environment }
    }));
    const id = Number(created.id);
    if (!Number.isSafeInteger(id))
        throw new startup.ActionError(`${new URL(base).host} answered the deployment request without a deployment id (did GitHub merge the default branch instead?).`);
    return {
        id,
        async status(state, details) {
            await post(target, `${base}/${id}/statuses`, `set the GitHub deployment's status to ${state}`, network, {
                state,
                environment: target.environment,
                description: details.description.slice(0, 140),
                ...(details.environmentUrl ? { environment_url: details.environmentUrl } : {}),
                ...(details.logUrl ? { log_url: details.logUrl } : {}),
                auto_inactive: true
            });
        }
    };
}
async function post(target, url, doing, network, body) {
    return retry.withRetry(`GitHub: ${doing}`, async () => {
        const response = await http.send(url, {
            method: 'POST',
            headers: {
                authorization: `Bearer ${target.token}`,
                accept: 'application/vnd.github+json',
                'content-type': 'application/json',
                'x-github-api-version': '2022-11-28'
            },
            body: JSON.stringify(body),
            dispatcher: network.dispatcher
        });
        return JSON.parse(await response.body.text());
    }, network.sleep).catch((error) => {
        throw explainGithubFailure(error, url, doing, target);
    });
}
function explainGithubFailure(error, url, doing, target) {
    if (!(error instanceof failures.HttpError)) {
        if (error instanceof SyntaxError)
            return new startup.ActionError(`Could not ${doing}: GitHub's answer was not JSON.`);
        return failures.explainFailure(error, url, doing);
    }
    const said = githubMessage(error.body);
    const why = said ? ` (${said})` : '';
    if (error.status === 403)
        return new startup.ActionError(`GitHub refused to ${doing}: HTTP 403${why}. The token lacks the permission \`deployments: write\`: ` +
            'add `permissions: { deployments: write }` to the job (a personal token needs the repo_deployment scope).', { cause: error });
    if (error.status === 401)
        return new startup.ActionError(`GitHub refused the token in \`github-token\` when asked to ${doing} (HTTP 401${why}): it is invalid or expired.`, { cause: error });
    if (error.status === 404)
        return new startup.ActionError(`GitHub answered HTTP 404 when asked to ${doing} in ${target.repository}: the token in \`github-token\` cannot see the repository, or GITHUB_API_URL is not its API.`, { cause: error });
    return new startup.ActionError(`Could not ${doing}: GitHub answered HTTP ${error.status}${why}.`, {
        cause: error
    });
}
/** GitHub's `message`, short and printable. */
function githubMessage(body) {
    try {
        const message = model.record(JSON.parse(body)).message;
        return typeof message === 'string' ? startup.printable(message).slice(0, 200) : '';
    }
    catch {
        return '';
    }
}

const MAX_LOG_BYTES = 16 << 20;
/** Reads before giving up on a log that never seals (the CLI reopens on EOF too). */
const OPENINGS = 3;
/**
 * The log's URL: the link's path on `api-url`'s own host (never another host:
 * the request carries the access token), without its query string, since a
 * `count` inherited from the list gets HTTP 400 (as the CLI strips it).
 */
function logUrl(source) {
    const api = new URL(source.apiUrl);
    const linked = source.href ? new URL(source.href, api) : undefined;
    if (linked && linked.origin === api.origin)
        return `${api.origin}${linked.pathname}`;
    return `${source.apiUrl}${source.fallbackPath}`;
}
/**
 * Reads the log to its seal, reopening it when it ends early, and keeps the
 * last `keep` lines. Each opening is one bounded request; a log that never
 * seals is returned as far as it came, with `sealed: false`.
 */
async function readLogTail(source, keep, network = {}) {
    const url = logUrl(source);
    const seen = new Set();
    const lines = [];
    let problem;
    for (let opening = 1; opening <= OPENINGS; opening++) {
        try {
            const response = await http.send(url, {
                headers: {
                    authorization: `Bearer ${source.accessToken}`,
                    accept: 'application/x-ndjson, application/json'
                },
                maxBytes: MAX_LOG_BYTES,
                dispatcher: network.dispatcher
            });
            let rest = '';
            let sealed = false;
            for await (const chunk of response.body) {
                rest += chunk.toString('utf8');
                const parts = rest.split('\n');
                rest = parts.pop() ?? '';
                for (const part of parts)
                    sealed = take(part, seen, lines, keep) || sealed;
                if (sealed)
                    break;
            }
            if (!sealed && rest)
                sealed = take(rest, seen, lines, keep);
            if (sealed) {
                response.body.destroy();
                return { lines, sealed: true };
            }
            problem = `the log ended ${OPENINGS} times without its seal`;
        }
        catch (error) {
            problem = error instanceof Error ? error.message : String(error);
        }
        if (opening < OPENINGS)
            await (network.sleep ?? sleep)(network.pauseMs ?? 1000);
    }
    return { lines, sealed: false, problem };
}
/** Adds one NDJSON line's message (once per `_id`); true for the seal. */
function take(line, seen, lines, keep) {
    if (!line.trim())
        return false;
    let item;
    try {
        item = model.record(JSON.parse(line));
    }
    catch {
        return false;
    }
    if (item.seal === true)
        return true;
    const id = model.text(item._id);
    if (id && seen.has(id))
        return false;
    if (id)
        seen.add(id);
    for (const message of model.text(model.record(item.data).message).split(/\r?\n/)) {
        if (message.trim() === '')
            continue;
        lines.push(message);
        if (lines.length > keep)
            lines.shift();
    }
    return false;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Activity types that deploy code or configuration; crons, backups,
// operations, deactivation and integration notices do not.
const DEPLOYING = new Set([
    'environment.push',
    'environment.activate',
    'environment.redeploy',
    'environment.branch',
    'environment.merge',
    'environment.merge-pr',
    'environment.synchronize',
    'environment.deploy',
    'environment.resume',
    'environment.restore',
    'environment.initialize',
    'environment.source-operation',
    'environment.resources.update'
]);
const DEPLOYING_FAMILIES = [
    'environment.variable.',
    'environment.domain.',
    'environment.route.',
    'environment.update.'
];
/** Does an activity of this type deploy the environment? */
function deploys(type) {
    return DEPLOYING.has(type) || DEPLOYING_FAMILIES.some((family) => type.startsWith(family));
}
/** Over: complete (at 100 %), cancelled or staged; the CLI's --wait stops on these too. */
function isOver(activity) {
    return ['complete', 'cancelled', 'staged'].includes(activity.state);
}
/** Reads a list of activities (newest first, as the API sends them). */
function readActivities(answer) {
    return Array.isArray(answer) ? answer.map(readActivity).filter((a) => a.id !== '') : [];
}
function readActivity(answer) {
    const a = model.record(answer);
    const percent = Number(a.completion_percent);
    return {
        id: model.text(a.id),
        type: model.text(a.type),
        state: model.text(a.state),
        result: model.text(a.result),
        commit: model.text(model.record(a.parameters).new_commit).toLowerCase(),
        percent: Number.isFinite(percent) ? percent : 0,
        createdAt: model.text(a.created_at),
        completedAt: model.text(a.completed_at),
        failureReason: model.text(a.failure_reason),
        failedCommands: failedCommands(a.commands),
        logHref: model.text(model.record(model.record(a._links).log).href)
    };
}
/** Reads `GET …/environments/{id}`. */
function readEnvironmentState(answer) {
    const e = model.record(answer);
    const state = model.record(e.deployment_state);
    const successful = state.last_deployment_successful;
    return {
        id: model.text(e.id),
        type: model.text(e.type),
        status: model.text(e.status),
        headCommit: model.text(e.head_commit).toLowerCase(),
        dirty: e.is_dirty === true,
        lastSuccessful: typeof successful === 'boolean' ? successful : undefined,
        lastFailedCommands: failedCommands(state.last_deployment_commands)
    };
}
function failedCommands(value) {
    if (!Array.isArray(value))
        return [];
    return value
        .map(model.record)
        .map((c) => ({ app: model.text(c.app), type: model.text(c.type), exitCode: Number(c.exit_code) }))
        .filter((c) => Number.isFinite(c.exitCode) && c.exitCode > 0);
}
/**
 * The deploy of `commit`: the newest activity that deploys and
 * brought that commit. Another commit's deploy never matches, even when it
 * finishes first.
 */
function deployOf(activities, commit) {
    return activities.find((a) => deploys(a.type) && a.commit === commit);
}
/** What is still running on the environment and deploys (for progress and the timeout). */
function running(activities) {
    return activities.filter((a) => deploys(a.type) && !isOver(a));
}

/** Activities per read: a deploy window holds far fewer, crons and backups included. */
const PAGE = 50;
const QUIET_MS = 60_000;
/**
 * Polls the environment and its activities until the deploy of the commit
 * is over, the environment cannot deploy, or the time is up. Each poll is
 * two bounded reads (the HTTP layer's deadline and retries).
 */
async function waitForDeploy(options) {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const start = now();
    const deadline = start + options.timeoutMs;
    const base = `/projects/${encodeURIComponent(options.project)}/environments/${encodeURIComponent(options.environment)}`;
    let said = '';
    let saidAt = start;
    for (;;) {
        const [environment, activities] = await Promise.all([
            readEnvironment(options.api, base, options.environment),
            options.api
                .get(`${base}/activities?count=${PAGE}`, `the activities of ${options.environment}`)
                .then(readActivities)
                .catch((error) => {
                // An environment that does not exist yet has no activities either.
                if (error instanceof failures.HttpError && error.status === 404)
                    return [];
                throw error;
            })
        ]);
        const mine = deployOf(activities, options.commit);
        const busy = running(activities);
        if (environment && mine && isOver(mine))
            return ended(environment, mine);
        if (environment && !mine && environment.headCommit === options.commit && !environment.dirty)
            return fromDeploymentState(environment);
        if (environment && ['inactive', 'paused'].includes(environment.status) && !mine && !busy.length)
            return { kind: environment.status, environment };
        const line = describe(options, environment, mine, busy);
        const at = now();
        if (line !== said || at - saidAt >= QUIET_MS) {
            options.progress(at - start >= 1000 ? `${line} (${elapsed(at - start)})` : line);
            said = line;
            saidAt = at;
        }
        if (at >= deadline)
            return { kind: 'timeout', environment, running: busy, activity: mine };
        await sleep(Math.min(options.pollMs, Math.max(0, deadline - at)));
    }
}
async function readEnvironment(api, base, id) {
    try {
        return readEnvironmentState(await api.get(base, `environment ${id}`));
    }
    catch (error) {
        // Not there yet: a branch pushed to GitHub reaches the platform later.
        if (error instanceof failures.HttpError && error.status === 404)
            return undefined;
        throw error;
    }
}
function ended(environment, activity) {
    if (activity.state === 'cancelled')
        return { kind: 'cancelled', environment, activity };
    if (activity.state === 'staged')
        return { kind: 'staged', environment, activity };
    if (activity.result !== 'success')
        return { kind: 'failed', environment, activity };
    if (activity.failedCommands.length)
        return { kind: 'hook-failed', environment, activity };
    return { kind: 'deployed', environment, activity };
}
/** The environment is at the commit and idle, its activity out of sight: its deployment state says. */
function fromDeploymentState(environment) {
    if (environment.lastSuccessful === false)
        return { kind: 'failed', environment };
    if (environment.lastFailedCommands.length)
        return { kind: 'hook-failed', environment };
    return { kind: 'deployed', environment };
}
function describe(options, environment, mine, busy) {
    const commit = options.commit.slice(0, 12);
    const where = startup.printable(options.environment);
    if (!environment)
        return `Waiting for environment ${where} to exist (commit ${commit}).`;
    if (mine) {
        const percent = mine.state === 'in_progress' ? `, ${Math.floor(mine.percent / 10) * 10}%` : '';
        return `Deploy of ${commit} on ${where}: activity ${startup.printable(mine.id)} (${startup.printable(mine.type)}) ${startup.printable(mine.state)}${percent}.`;
    }
    const others = busy.length
        ? `; running: ${busy.map((a) => `${startup.printable(a.type)} ${startup.printable(a.id)} (${startup.printable(a.state)})`).join(', ')}`
        : '';
    return `Waiting for commit ${commit} to reach ${where}${others}.`;
}
/** `2m 05s`. */
function elapsed(ms) {
    const seconds = Math.round(ms / 1000);
    return seconds < 60
        ? `${seconds}s`
        : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/*
 * What the workflow sees of a deploy: outputs, the job summary, and for
 * every way it can go wrong an error that says what happened and what to do.
 */
/** `deployment-result`: success, or the way it did not succeed. */
const RESULTS = {
    deployed: 'success',
    failed: 'failure',
    'hook-failed': 'hook-failure',
    cancelled: 'cancelled',
    staged: 'staged',
    inactive: 'inactive',
    paused: 'paused',
    timeout: 'timeout'
};
function setDeployOutputs(facts) {
    const activity = 'activity' in facts.outcome ? facts.outcome.activity : undefined;
    startup.setOutput('deployment-result', RESULTS[facts.outcome.kind]);
    startup.setOutput('activity-id', startup.printable(activity?.id ?? ''));
    // The commit the environment runs once deployed (ours); otherwise what it runs now.
    const at = facts.outcome.kind === 'deployed' ? facts.commit : facts.outcome.environment?.headCommit;
    startup.setOutput('deployed-commit', startup.printable(at ?? ''));
    startup.setOutput('environment-url', startup.printable(facts.url));
}
/** The deploy in the job summary: environment, commit, result, duration, URL. */
async function writeDeploySummary(facts) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const activity = 'activity' in facts.outcome ? facts.outcome.activity : undefined;
    const rows = [
        [
            'Environment',
            `<code>${cell(facts.environment)}</code> (project <code>${cell(facts.project)}</code>)`
        ],
        ['Commit', `<code>${cell(facts.commit)}</code>`],
        ['Result', cell(RESULTS[facts.outcome.kind])],
        ['Duration', cell(duration(activity) ?? `${elapsed(facts.waitedMs)} waited`)],
        ['URL', facts.url ? `<a href="${cell(facts.url)}">${cell(facts.url)}</a>` : '—']
    ];
    if (activity)
        rows.push([
            'Activity',
            `<code>${cell(activity.id)}</code> (${cell(activity.type)})${facts.consoleLink ? `, <a href="${cell(facts.consoleLink)}">log</a>` : ''}`
        ]);
    // core.summary writes cells as given: every server value went through cell().
    await startup.summary
        .addHeading(`Deploy to ${cell(facts.environment)}`, 3)
        .addTable([
        [
            { data: 'What', header: true },
            { data: 'Value', header: true }
        ],
        ...rows
    ])
        .write();
}
/** The last lines of the activity's log, in a collapsed group. */
async function showLog(activity, tail) {
    const title = `Last lines of the deploy log (activity ${startup.printable(activity.id)}, ${startup.printable(activity.type)})`;
    await startup.group(title, () => {
        if (tail.lines.length)
            startup.echoUntrusted(tail.lines.join('\n'));
        else
            startup.info('  (the log is empty)');
        if (!tail.sealed)
            startup.info(`  The log was not read to its end${tail.problem ? ` (${startup.printable(tail.problem)})` : ''}; these are the lines that arrived.`);
        return Promise.resolve();
    });
}
/** The error for every outcome but success. */
function failure(facts) {
    const { cli, project, environment, outcome } = facts;
    const env = startup.printable(environment);
    const commit = facts.commit.slice(0, 12);
    const bin = cli.binary;
    const activity = 'activity' in outcome ? outcome.activity : undefined;
    const where = activity ? ` (activity ${startup.printable(activity.id)}, ${startup.printable(activity.type)})` : '';
    const logs = activity
        ? ` Full log: ${facts.consoleLink ? `${facts.consoleLink} or ` : ''}\`${bin} activity:log ${startup.printable(activity.id)} -p ${project}\`.`
        : '';
    switch (outcome.kind) {
        case 'failed':
            return new startup.ActionError(`The deploy of ${commit} to environment ${env} failed${where}${activity?.failureReason ? `, reason: ${startup.printable(activity.failureReason)}` : ''}. ` +
                `Its last log lines are in the group above; fix the build or deploy error and push again.${logs}`);
        case 'hook-failed': {
            const commands = activity?.failedCommands ?? outcome.environment.lastFailedCommands;
            const list = commands
                .map((c) => `${startup.printable(c.app) || 'app'} ${startup.printable(c.type) || 'hook'} exited ${c.exitCode}`)
                .join(', ');
            return new startup.ActionError(`The deploy of ${commit} to environment ${env} reported success, but a command failed: ${list}${where}. ` +
                `The new code runs with an unfinished deploy hook: fix the hook and redeploy (\`${bin} redeploy -p ${project} -e ${env}\`).${logs}`);
        }
        case 'cancelled':
            return new startup.ActionError(`The deploy of ${commit} to environment ${env} was cancelled${where}: a person, or a newer push, stopped it. ` +
                `Push again, or run \`${bin} redeploy -p ${project} -e ${env}\`.${logs}`);
        case 'staged':
            return new startup.ActionError(`The deploy of ${commit} to environment ${env} was staged, not deployed${where}: the environment holds changes for a manual deployment. ` +
                `Release them with \`${bin} environment:deploy -p ${project} -e ${env}\`, or switch the environment to automatic deployments.`);
        case 'inactive':
            return new startup.ActionError(`Environment ${env} is inactive, so nothing deploys there. It may be that the project has no free environment slot ` +
                '(active and paused environments count: deactivate one or raise the limit), or that the GitHub integration created it inactive ' +
                `(it activates pull request environments only). Activate it with \`${bin} environment:activate -p ${project} -e ${env}\`, or push with \`--activate\`.`);
        case 'paused':
            return new startup.ActionError(`Environment ${env} is paused (the platform pauses a development environment after 15 days without a deploy), so nothing deploys there. ` +
                `Resume it with \`${bin} environment:resume -p ${project} -e ${env}\`.`);
        case 'timeout':
            return new startup.ActionError(`\`wait-timeout\` (${elapsed(facts.timeoutMs)}) passed before the deploy of ${commit} to environment ${env} ended. ${stillRunning(outcome)} ` +
                `Raise \`wait-timeout\`, or see \`${bin} activity:list -p ${project} -e ${env}\`.`);
        default:
            return new startup.ActionError(`The deploy of ${commit} to environment ${env} did not succeed.`);
    }
}
function stillRunning(outcome) {
    if (!outcome.environment)
        return 'The environment never appeared: was the branch pushed, and (with the GitHub integration) is the pull request built?';
    if (outcome.activity)
        return `Its activity ${startup.printable(outcome.activity.id)} is still ${startup.printable(outcome.activity.state)} (${outcome.activity.percent}%).`;
    if (outcome.running.length)
        return `The commit's deploy has not started; still running: ${outcome.running
            .map((a) => `${startup.printable(a.type)} ${startup.printable(a.id)} (${startup.printable(a.state)})`)
            .join(', ')}.`;
    return `Nothing is running there and the commit never arrived (the environment is at ${startup.printable(outcome.environment.headCommit.slice(0, 12)) || 'no commit'}): was it pushed to this environment?`;
}
function duration(activity) {
    const from = Date.parse(activity?.createdAt ?? '');
    const to = Date.parse(activity?.completedAt ?? '');
    return Number.isFinite(from) && Number.isFinite(to) && to >= from ? elapsed(to - from) : undefined;
}
/** Server text in an HTML table cell: printable, with markup escaped. */
function cell(value) {
    return startup.printable(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Seconds between polls; SETUP_UPSUN_CLI_POLL_MS shortens it for the test suites. */
const POLL_MS = Number(process.env.SETUP_UPSUN_CLI_POLL_MS) > 0
    ? Number(process.env.SETUP_UPSUN_CLI_POLL_MS)
    : 5000;
const LOG_LINES = 30;
const CONSOLES = {
    upsun: 'https://console.upsun.com',
    platform: 'https://console.platform.sh'
};
async function awaitDeployment(ctx, network = {}) {
    const api = model.apiReader(ctx.apiUrl, ctx.accessToken, network);
    const { organization, environment, type } = await locate(ctx, api);
    const commit = ctx.deploy.commit;
    startup.info(`Waiting up to ${Math.round(ctx.deploy.timeoutMs / 60_000) || 1} min for the deploy of ${commit} (${ctx.deploy.commitFrom}) to environment ${startup.printable(environment)}.`);
    const github = ctx.deploy.githubDeployment
        ? await startGithubDeployment(ctx, environment, type, network)
        : undefined;
    const started = Date.now();
    let outcome;
    try {
        outcome = await waitForDeploy({
            api,
            project: ctx.project,
            environment,
            commit,
            timeoutMs: ctx.deploy.timeoutMs,
            pollMs: POLL_MS,
            progress: (line) => startup.info(line),
            sleep: network.sleep
        });
    }
    catch (error) {
        await github
            ?.status('error', { description: 'Could not follow the deploy', logUrl: runUrl() })
            .catch(() => undefined);
        throw error;
    }
    const activity = 'activity' in outcome ? outcome.activity : undefined;
    const link = activity && CONSOLES[ctx.cli.binary] && organization
        ? `${CONSOLES[ctx.cli.binary]}/${organization}/${ctx.project}/-/log/${encodeURIComponent(activity.id)}`
        : '';
    const url = outcome.kind === 'deployed' ? await primaryUrl(api, ctx.project, environment) : '';
    const facts = {
        cli: ctx.cli,
        project: ctx.project,
        environment,
        commit,
        outcome,
        url,
        waitedMs: Date.now() - started,
        timeoutMs: ctx.deploy.timeoutMs,
        consoleLink: link
    };
    setDeployOutputs(facts);
    await writeDeploySummary(facts);
    if (outcome.kind === 'deployed') {
        startup.info(`Deployed ${commit} to ${startup.printable(environment)}${activity ? ` (activity ${startup.printable(activity.id)})` : ''}: ${startup.printable(url) || 'no primary URL'}.`);
        await github?.status('success', {
            description: `Deployed to ${environment}`,
            environmentUrl: url,
            logUrl: link || runUrl()
        });
        return;
    }
    if (activity && ['failed', 'hook-failed', 'cancelled'].includes(outcome.kind)) {
        const tail = await readLogTail({
            apiUrl: ctx.apiUrl,
            accessToken: ctx.accessToken,
            href: activity.logHref,
            fallbackPath: `/projects/${encodeURIComponent(ctx.project)}/activities/${encodeURIComponent(activity.id)}/log`
        }, LOG_LINES, { ...network, pauseMs: POLL_MS });
        await showLog(activity, tail);
    }
    const error = failure(facts);
    try {
        await github?.status('failure', {
            description: `Deploy to ${environment}: ${outcome.kind}`,
            logUrl: link || runUrl()
        });
    }
    catch (also) {
        throw new startup.ActionError(`${error.message}\nAlso: ${startup.errorMessage(also)}`);
    }
    throw error;
}
/**
 * The environment's ID (the input may be its machine name; it may not exist
 * yet: a pushed branch reaches the platform later), its type, and the
 * project's organization for console links. Checks access on the way.
 */
async function locate(ctx, api) {
    const base = `/projects/${encodeURIComponent(ctx.project)}`;
    try {
        const [project, environments] = await Promise.all([
            api.get(base, `project ${ctx.project}`),
            api.get(`${base}/environments`, `the environments of ${ctx.project}`, { maxBytes: 32 << 20 })
        ]);
        const found = model.findEnvironment(model.readEnvironments(environments), ctx.environment);
        if (!found)
            startup.info(`Environment ${startup.printable(ctx.environment)} does not exist yet; waiting for it.`);
        return {
            organization: encodeURIComponent(model.text(model.record(project).organization)),
            environment: found?.id ?? ctx.environment,
            type: found?.type ?? 'development'
        };
    }
    catch (error) {
        if (error instanceof failures.HttpError && (error.status === 403 || error.status === 404))
            throw startup.projectNotAccessible(ctx.cli, ctx.user, ctx.project, error.status);
        throw error;
    }
}
async function startGithubDeployment(ctx, environment, type, network) {
    const deployment = await createDeployment({
        ...githubFromEnvironment(),
        token: ctx.githubToken,
        commit: ctx.deploy.commit,
        environment,
        environmentType: type,
        description: `${ctx.cli.title.replace(/ CLI$/, '')} ${ctx.project}/${environment}`
    }, network);
    await deployment.status('in_progress', {
        description: 'Waiting for the deploy',
        logUrl: runUrl()
    });
    startup.info(`GitHub deployment ${deployment.id} for environment ${startup.printable(environment)}: in progress.`);
    return deployment;
}
/** The environment's primary URL after the deploy. */
async function primaryUrl(api, project, environment) {
    const path = `/projects/${encodeURIComponent(project)}/environments/${encodeURIComponent(environment)}/deployments/current`;
    return model.readPrimaryUrl(await api.get(path, `the current deployment of ${environment}`));
}
/** This workflow run's page. */
function runUrl() {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env;
    return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : '';
}

exports.awaitDeployment = awaitDeployment;
