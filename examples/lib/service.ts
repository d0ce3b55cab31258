/** Shell pieces the handover and disrupt examples share: a small HTTP service and the wait for it. */

/**
 * Write serve.py into the task's data folder: Python's http.server serving a folder, without its reverse DNS
 * lookup of the bound address (which waits for a timeout on a lab network without DNS).
 */
export const WRITE_SERVE_PY = `cat > "$BATON_TASK_DIR/serve.py" <<'PY'
import functools, http.server, socketserver, sys
class Server(http.server.ThreadingHTTPServer):
    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = 'service', self.server_address[1]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])
Server(('0.0.0.0', int(sys.argv[1])), handler).serve_forever()
PY`;

/** Poll until the service on `port` serves /token (the process `pidVar` names must stay alive), at most 20 s. */
export function awaitService(port: number | string, pidVar: string): string {
  return `n=0; until curl -fsS "http://127.0.0.1:${port}/token" >/dev/null 2>&1; do n=$((n+1)); [ $n -lt 400 ] && kill -0 $${pidVar} || exit 3; sleep 0.05; done`;
}

/** Set \`addr\` to the host's first address (or that of interface \`link\`), 127.0.0.1 when it has none. */
export function hostAddress(link?: string): string {
  const lookup = link
    ? `ip -4 -o addr show dev ${link} 2>/dev/null | awk '{print $4}' | cut -d/ -f1`
    : `hostname -I 2>/dev/null | cut -d' ' -f1`;
  return `addr=$(${lookup}); addr=\${addr:-127.0.0.1}`;
}

/** The \`member=value\` line of barrier output for \`member\`, without the name. */
export function dataOf(member: string): string {
  return `sed -n 's/^${member}=//p'`;
}
