// An OpenSSH ProxyCommand for the sandbox: joins stdin/stdout to a TCP port on
// loopback. Unlike `-o HostName=127.0.0.1`, it keeps the name ssh matches its
// config against (git.eu-5.platform.sh), so the CLI's
// `Match host … exec "upsun ssh-cert:load --refresh-only"` runs as on a runner.
import net from 'node:net'

const [host, port] = process.argv.slice(2)
const socket = net.connect(Number(port), host)
process.stdin.pipe(socket)
socket.pipe(process.stdout)
socket.on('error', (error) => {
  process.stderr.write(`tcp-pipe: ${error.message}\n`)
  process.exit(1)
})
socket.on('close', () => process.exit(0))
