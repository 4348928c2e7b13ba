// act's --json log, read: one JSON object a line (stderr's plain lines kept
// as they are); a step's output lines carry `raw_output: true`. Shared by
// sandbox/act.mjs (runAct) and the suites that check what act printed.

/**
 * Reads act's --json log: one JSON object a line (other lines are kept as
 * they are). Step output lines carry `raw_output: true`.
 * @param {string} text
 */
export function parseActLog(text) {
  const log = []
  /** @type {Record<string, string>} */
  const outputs = {}
  /** @type {{ job: string, stepId: string, stage: string, result?: string, output: string[] }[]} */
  const steps = []
  /** @type {Record<string, string>} */
  const jobs = {}
  const stepOf = (entry) => {
    const stepId = (entry.stepID ?? entry.stepid ?? []).join('/')
    const stage = entry.stage ?? ''
    let step = steps.find((s) => s.job === entry.jobID && s.stepId === stepId && s.stage === stage)
    if (!step) steps.push((step = { job: entry.jobID, stepId, stage, output: [] }))
    return step
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    let entry
    try {
      entry = JSON.parse(line)
    } catch {
      log.push(line)
      continue
    }
    const msg = String(entry.msg ?? '').replace(/\n$/, '')
    log.push(entry.jobID ? `[${entry.jobID}] ${msg}` : msg)
    if (entry.jobResult) jobs[entry.jobID] = entry.jobResult
    if (!entry.jobID || !(entry.stepID || entry.stepid)) continue
    const step = stepOf(entry)
    if (entry.stepResult) step.result = entry.stepResult
    if (entry.raw_output) {
      for (const out of msg.split('\n')) {
        step.output.push(out)
        const m = /^result: ([\w.-]+)=(.*)$/.exec(out)
        if (m) outputs[m[1]] = m[2]
      }
    }
  }
  return { log: log.join('\n'), outputs, steps, jobs }
}

/**
 * Where any of `secrets` shows in act's output: every field of every JSON
 * line, except the `arg` and `raw` that act records for a workflow command
 * (`::add-mask::` must carry the value; act prints the command masked in `msg`).
 * @param {{ raw: string }} run @param {string[]} secrets
 * @returns {string[]}
 */
export function findActLeaks(run, secrets) {
  const wanted = secrets.filter((s) => s && s.length >= 8)
  const leaks = []
  for (const line of run.raw.split('\n')) {
    let entry
    try {
      entry = JSON.parse(line)
    } catch {
      entry = { line }
    }
    for (const [key, value] of Object.entries(entry)) {
      if (entry.command && (key === 'arg' || key === 'raw')) continue
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      for (const secret of wanted)
        if (text.includes(secret)) leaks.push(`${key} (secret …${secret.slice(-4)})`)
    }
  }
  return [...new Set(leaks)]
}
