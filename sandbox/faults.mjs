// A queue of injected faults, shared by the sandbox's servers. A fault applies
// to the next `times` requests whose path matches its pattern.

/**
 * @typedef {{ status?: number, headers?: Record<string,string>, body?: string,
 *   kind?: 'reset'|'cut'|'truncate'|'stall'|'garbage'|'slow'|'drip', delayMs?: number }} Fault
 */

export function faultQueue() {
  /** @type {{ pattern: RegExp, fault: Fault, times: number }[]} */
  const queue = []
  return {
    /** @param {RegExp} pattern @param {Fault} fault */
    add(pattern, fault, times = 1) {
      queue.push({ pattern, fault, times })
    },
    clear() {
      queue.length = 0
    },
    /** @returns {Fault | undefined} */
    take(pathname) {
      const i = queue.findIndex((f) => f.pattern.test(pathname))
      if (i === -1) return undefined
      const f = queue[i]
      if (--f.times <= 0) queue.splice(i, 1)
      return f.fault
    }
  }
}

/**
 * Answers the request if the fault replaces the whole answer (status, reset,
 * stall). Returns true when it did; body faults are left to the caller.
 * @param {Fault} fault
 */
export function answerWithFault(fault, req, res) {
  if (fault.status) {
    res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
    res.end(fault.body ?? JSON.stringify({ message: `injected ${fault.status}` }))
    return true
  }
  if (fault.kind === 'reset') {
    req.socket.destroy()
    return true
  }
  // 'stall': headers never come; the client's timeout must end this.
  return fault.kind === 'stall'
}

/** Tracks a server's sockets so close() is immediate. */
export function trackSockets(server) {
  const sockets = new Set()
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  return async () => {
    for (const s of sockets) s.destroy()
    await new Promise((resolve) => server.close(() => resolve(undefined)))
  }
}

/** Listens on a loopback port (a free one by default); returns the origin URL. */
export async function listenLoopback(server, port = 0) {
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  return `http://127.0.0.1:${address.port}`
}
