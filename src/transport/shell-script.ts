/**
 * The shell text that persistent shells (pty, ssh) are fed: the start-up line and one line per command, each
 * printing sentinel markers (see sentinel.ts). POSIX sh only; bash-only parts fail silently under sh.
 */
import { BatonError } from '../errors.ts';
import { requestEnv } from './transport.ts';
import type { ExecRequest } from './transport.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `text` as one single-quoted shell word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The descriptor on which a plain shell's command writes the environment the shell is to keep (shared-env.ts).
 * It is a pipe into the shell's own memory: the stream's environment (its sync token) is never written to a file.
 */
export const ENV_FD = 4;

/**
 * The descriptor on which a plain shell's command can read the bytes sent right after its line (the shell's own
 * input, which holds nothing else until the command ends): how files travel through the stream's shell.
 * Blocks never get it.
 */
export const INPUT_FD = 6;

/** The end of an environment update, so that a shell never evaluates one cut short. */
export const ENV_END = '#baton-env';

/** The variable holding a newline in a plain shell, so that a command of several lines travels as one line. */
const NEWLINE = '__baton_nl';

/** `text` as one single-quoted shell word on a single line: newlines come from $__baton_nl. */
export function oneLineQuote(text: string): string {
  return shellQuote(text).replaceAll('\n', `'"$${NEWLINE}"'`);
}

/** `export A='1' B='2'; ` for an environment, or '' when it is empty. */
export function exportLine(env: Record<string, string> | undefined, quote = shellQuote): string {
  const entries = Object.entries(env ?? {});
  if (entries.length === 0) return '';
  for (const [name] of entries) {
    if (!NAME.test(name)) {
      throw new BatonError('TRANSPORT_SPAWN_FAILED', `environment variable name "${name}" is not valid`);
    }
  }
  return `export ${entries.map(([name, value]) => `${name}=${quote(value)}`).join(' ')}; `;
}

/**
 * A printf of one marker; `seq` and `value` are shell words. The prefix is split into two printf arguments so
 * that the line as typed (and echoed by a terminal) never contains the marker itself.
 */
function printMarker(
  prefix: string,
  seq: string | number,
  kind: '+' | '=' | '?' | ':' | ';',
  value = '',
): string {
  if (kind === ';') return `printf '%s%s%s;' ${prefixWords(prefix)} ${seq} >&2`;
  return printStdoutMarkers(prefix, [[seq, kind, value]]);
}

/** One printf, so one write, of several markers on stdout; each is `[seq, kind, value]`, shell words. */
function printStdoutMarkers(
  prefix: string,
  markers: [string | number, '+' | '=' | '?' | ':', string][],
): string {
  const parts = prefixWords(prefix);
  const format = markers.map(([, kind]) => `%s%s%s${kind}%d;`).join('');
  return `printf '${format}' ${markers.map(([seq, , value]) => `${parts} ${seq} ${value}`).join(' ')}`;
}

function prefixWords(prefix: string): string {
  const half = Math.ceil(prefix.length / 2);
  return `${shellQuote(prefix.slice(0, half))} ${shellQuote(prefix.slice(half))}`;
}

export interface ScriptContext {
  prefix: string;
  /** A terminal shell: stdout and stderr merged, output framed by a start marker, commands keep the tty. */
  terminal: boolean;
}

/** What ends the text the subshell leaves on ENV_FD when its command was probed, before the probe's bits. */
const PROBE_END = '#baton-probe ';

/**
 * The command loop of a plain shell. Each turn forks the subshell for the next command before that command
 * arrives, so the fork is paid while the stream is idle: the subshell reads one line (`SEQ COMMAND`), reports
 * `SEQ=TURN`, and evals the command with stdin from /dev/null and the shell's input on INPUT_FD (`exit 3` ends
 * only the subshell). The shell then
 * reports the turn's status on stdout and the end of its stderr. The subshell is a command substitution whose
 * output is descriptor ENV_FD (its stdout is the shell's, through descriptor 5): what a command writes there
 * before closing it (shared-env.ts) is an environment update the shell evaluates, complete, before the next turn
 * forks; a probed command's exit trap adds `PROBE_END BITS` after it, which the shell reports with the status
 * in one write. While it waits for its line the subshell ignores signals; if it dies anyway (SIGKILL), its turn
 * matches no command. The end of input ends the shell.
 */
function commandLoop(prefix: string): string {
  const turn = '"$__baton_k"';
  const status: [string, ':', string] = [turn, ':', '"$__baton_x"'];
  return (
    `${NEWLINE}='\n'; __baton_k=0; while :; do __baton_k=$((__baton_k + 1)); ` +
    `{ __baton_u=$( exec ${ENV_FD}>&1 >&5 5>&-; trap '' INT TERM HUP QUIT; ` +
    "IFS=' ' read -r __baton_n __baton_l || { kill -s TERM $$; exit 0; }; " +
    `trap - INT TERM HUP QUIT; ${printMarker(prefix, '"$__baton_n"', '=', turn)}; eval "$__baton_l" ${INPUT_FD}<&0 </dev/null ); } 5>&1; ` +
    // Bits only when the text ends with PROBE_END and digits: an environment update ends with ENV_END.
    `__baton_x=$?; __baton_v=\${__baton_u##*'${PROBE_END}'}; case $__baton_v in *[!0-9]*|'') ` +
    `${printStdoutMarkers(prefix, [status])};; *) __baton_u=\${__baton_u%'${PROBE_END}'*}; __baton_u=\${__baton_u%"$${NEWLINE}"}; ` +
    `${printStdoutMarkers(prefix, [[turn, '?', '"$__baton_v"'], status])};; esac; ${printMarker(prefix, turn, ';')}; ` +
    `case $__baton_u in *'${ENV_END}') eval "$__baton_u";; esac; __baton_u=; done`
  );
}

/**
 * The first line: quiet the terminal, set the stream's environment and folder, report the shell's pid and the
 * status of entering the folder as command 0; a plain shell then enters its command loop.
 */
export function startupLine(
  context: ScriptContext,
  env: Record<string, string> | undefined,
  cwd?: string,
): string {
  const quiet = context.terminal
    ? "stty -echo 2>/dev/null; PS1=''; PS2=''; PS0=''; unset PROMPT_COMMAND HISTFILE; " +
      "bind 'set enable-bracketed-paste off' 2>/dev/null; bind 'set disable-completion on' 2>/dev/null; "
    : '';
  const enter = cwd === undefined ? 'true' : `cd ${shellQuote(cwd)}`;
  const ready = `${printMarker(context.prefix, 0, '+', '$$')}; ${enter}; ${printMarker(context.prefix, 0, ':', '$?')}`;
  if (context.terminal) return `${quiet}${exportLine(env)}${ready}\n`;
  // One brace group: the shell has read all of it before it reports ready, so it never reads a command line.
  return `{ ${exportLine(env)}${probeFunction()}; ${homeAndWatchdog()} ${ready}; ${printMarker(context.prefix, 0, ';')}; ${commandLoop(context.prefix)}; }\n`;
}

/** Variable holding the plain shell's own temporary folder, under which the stream's temporary folders go. */
export const HOME_VARIABLE = '__baton_home';

/** How often, in seconds, a plain shell's watchdog checks that the shell and its ssh session are alive. */
export const WATCHDOG_PERIOD_S = 2;

/**
 * A plain shell's folder and watchdog. The folder `baton-stream-<pid>-*` holds the stream's temporary folders;
 * folders of earlier shells whose pid is gone (a controller or host that crashed before its watchdog ran) are
 * removed first. The watchdog, detached from the channel's pipes, polls the shell and its parent (the ssh
 * session's process, gone when the connection drops): once either has died it removes the folder and kills
 * the shell's whole process group (when the shell leads one, as sshd's sessions do), so no task outlives its
 * stream. The text ends with `&`, which separates it from what follows (`&;` would be a syntax error).
 */
function homeAndWatchdog(): string {
  const home = HOME_VARIABLE;
  const alive = (pid: string) => `{ kill -0 ${pid} 2>/dev/null || ps -p ${pid} >/dev/null 2>&1; }`;
  return (
    `__baton_t=\${TMPDIR:-/tmp}; for __baton_f in "$__baton_t"/baton-stream-*; do ` +
    `__baton_p=\${__baton_f##*/baton-stream-}; __baton_p=\${__baton_p%%-*}; ` +
    `if [ -d "$__baton_f" ] && [ -O "$__baton_f" ] && ! ${alive('"$__baton_p"')}; then rm -rf "$__baton_f"; fi; done; ` +
    `${home}=$(mktemp -d "$__baton_t/baton-stream-$$-XXXXXX") || ${home}=$__baton_t; ` +
    `__baton_g=$(ps -o pgid= -p $$ 2>/dev/null | tr -d ' '); __baton_s=$$; __baton_q=$PPID; ` +
    `( trap '' HUP INT TERM; while ${alive('$__baton_s')} && ${alive('$__baton_q')}; do sleep ${WATCHDOG_PERIOD_S}; done; ` +
    `[ "$${home}" = "$__baton_t" ] || rm -rf "$${home}"; ` +
    // Only a shell that leads its process group (sshd makes each session one) has a group of its own to kill.
    `[ "$__baton_g" != "$__baton_s" ] || kill -s KILL -- "-$__baton_g" 2>/dev/null ) ` +
    '</dev/null >/dev/null 2>&1 &'
  );
}

/** One command: a line for the plain shell's loop, or a line typed into the terminal's shell. */
export function commandLine(
  context: ScriptContext,
  seq: number,
  request: Pick<ExecRequest, 'command' | 'env' | 'sharedEnv' | 'cwd' | 'probe'>,
  readsInput = false,
): string {
  if (context.terminal) {
    const enter = request.cwd === undefined ? '' : `cd ${shellQuote(request.cwd)} && `;
    return terminalCommandLine(
      context.prefix,
      seq,
      `${exportLine(requestEnv(request))}${enter}`,
      request.command,
    );
  }
  // A plain shell's session adds the shared environment when it writes the line (shared-env.ts).
  const enter = request.cwd === undefined ? '' : `cd ${oneLineQuote(request.cwd)} && `;
  const probe = request.probe === undefined ? undefined : probeSetup(request.probe);
  // The command never holds the update descriptor: a process it leaves running would keep the turn open.
  const input = readsInput ? '' : ` ${INPUT_FD}<&-`;
  const env = exportLine(request.env, probe ? (value) => underProbeBase(probe.base, value) : oneLineQuote);
  return `${seq} ${probe?.text ?? ''}${env}${enter}eval ${oneLineQuote(request.command)} ${ENV_FD}>&-${input}\n`;
}

/** The function the exit trap of a probed command calls, defined once by the plain shell's start-up line. */
const PROBE_FUNCTION = '__baton_probe';

/** The variable holding the folder a probed command's paths are under (its line sets it). */
const PROBE_BASE = '__baton_d';

/**
 * `__baton_probe NAME...`: with shell builtins only (no fork), a bit per `$__baton_d/NAME` that is a file or a
 * folder with something in it, left on ENV_FD for the loop to report as a `probe` marker with the status. Run
 * from an exit trap, which keeps the command's exit status and runs after `exit N` in the command too (with
 * the command's redirections undone, so ENV_FD is open again).
 */
function probeFunction(): string {
  return (
    `${PROBE_FUNCTION}() { __baton_r=0; __baton_b=1; for __baton_p in "$@"; do ` +
    `__baton_p=$${PROBE_BASE}$__baton_p; ` +
    'if [ -f "$__baton_p" ]; then __baton_r=$((__baton_r | __baton_b)); ' +
    'elif [ -d "$__baton_p" ]; then for __baton_f in "$__baton_p"/* "$__baton_p"/.[!.]* "$__baton_p"/..?*; do ' +
    'if [ -e "$__baton_f" ] || [ -L "$__baton_f" ]; then __baton_r=$((__baton_r | __baton_b)); break; fi; done; fi; ' +
    `__baton_b=$((__baton_b * 2)); done; printf '${PROBE_END}%d' "$__baton_r" >&${ENV_FD}; }`
  );
}

/** Text the shell reads as one word, quoted only when it must be: most paths then travel as they are. */
function shellWord(text: string): string {
  return /^[\w./,:@%+=-]+$/.test(text) ? text : oneLineQuote(text);
}

/**
 * The start of a probed command's line: the paths' longest common folder in PROBE_BASE and an exit trap
 * naming what is below it. Every byte of a line costs the subshell a system call (`read` cannot read ahead on
 * a pipe), so the folder is written once and the environment's paths under it refer to it (underProbeBase).
 */
function probeSetup(paths: readonly string[]): { base: string; text: string } {
  let base = paths[0] ?? '';
  for (const path of paths) {
    while (!path.startsWith(base)) base = base.slice(0, -1);
  }
  base = base.slice(0, base.lastIndexOf('/') + 1);
  const names = paths.map((path) => shellWord(path.slice(base.length))).join(' ');
  const trap = `trap ${shellWord(`${PROBE_FUNCTION} ${names}`)} EXIT; `;
  return { base, text: `${PROBE_BASE}=${shellWord(base)}; ${trap}` };
}

/** `value` as a shell word, written relative to the probed folder when it is under it. */
function underProbeBase(base: string, value: string): string {
  if (base === '' || !value.startsWith(base)) return oneLineQuote(value);
  const rest = value.slice(base.length);
  return `"$${PROBE_BASE}"${rest === '' ? '' : shellWord(rest)}`;
}

/**
 * On a terminal the job is a subshell that traps the signals a kill or a Ctrl-C sends: an interactive shell
 * drops the rest of the line, status marker included, when a job dies of SIGINT. The command itself runs in a
 * freshly started shell (default signal handling from its first instruction, unlike a forked subshell of an
 * interactive shell, which can miss an early SIGINT); that shell prints the start marker with the job's pid.
 * `exit` after it keeps the shell from replacing the trapping subshell.
 */
function terminalCommandLine(prefix: string, seq: number, setup: string, command: string): string {
  const inner = `${printMarker(prefix, seq, '+', '"$PPID"')}; ${setup}eval "$1"`;
  return (
    `( trap : INT TERM HUP QUIT; "\${BASH:-/bin/sh}" -c ${shellQuote(inner)} sh ${shellQuote(command)}; exit "$?" ); ` +
    `${printMarker(prefix, seq, ':', '$?')}\n`
  );
}

/** The start of a command run alone (an exec channel): report its pid, then become the command. */
export function execChannelCommand(
  prefix: string,
  request: Pick<ExecRequest, 'command' | 'env' | 'cwd'>,
): string {
  const enter = request.cwd === undefined ? '' : `cd ${shellQuote(request.cwd)} && `;
  return `${printMarker(prefix, 1, '+', '$$')}; ${exportLine(request.env)}${enter}exec sh -c ${shellQuote(request.command)} </dev/null`;
}

/**
 * Send `signal` to every process below `rootPid` (and to it when `includeRoot`), from one snapshot of the
 * process table, parents before children: a shell signalled after its child could report the child's death
 * as its own exit status. ps and awk are POSIX, so no process group or setsid is needed on the host.
 */
export function killTreeCommand(rootPid: number, signal: NodeJS.Signals, includeRoot: boolean): string {
  const program =
    '{ parent[$1] = $2 } END { for (p in parent) { q = p; d = 0; ' +
    'while (q + 0 != root + 0 && (q in parent) && d++ < 1000) q = parent[q]; ' +
    'if (q + 0 == root + 0 && (self || d > 0)) { depth[p] = d; if (d > deepest) deepest = d } } ' +
    'for (d = 0; d <= deepest; d++) for (p in depth) if (depth[p] == d) print p }';
  const pids = `$(ps -A -o pid= -o ppid= | awk -v root=${rootPid} -v self=${includeRoot ? 1 : 0} '${program}')`;
  return `kill -s ${signal.replace(/^SIG/, '')} ${pids} 2>/dev/null; true`;
}

/**
 * The command an ssh channel gives the user's login shell so that `shell` (a command line) starts as a plain
 * shell. sshd runs every command through the login shell, and bash sources ~/.bashrc
 * for commands from sshd before it reads the command, which nothing on our side can prevent; what it changed
 * is undone: `shell` starts with the environment sshd gave the login shell (read, where /proc exists, from
 * the login shell's own /proc/PID/environ, which its exports do not touch), without BASH_ENV or ENV, so no
 * rc file is read again. Where /proc is missing only BASH_ENV and ENV are cleared. Needs a Bourne-like login
 * shell (sh, bash, dash, ksh, zsh).
 */
export function plainShellCommand(shell: string): string {
  const restore =
    'f=$1; if [ -n "$2" ]; then set -f; n=$#; IFS=$(printf "\\001"); ' +
    'for v in $2; do case $v in BASH_ENV=*|ENV=*) ;; [A-Za-z_]*=*) set -- "$@" "$v";; esac; done; ' +
    'shift $n; exec env -i "$@" sh -c "$f"; fi; unset BASH_ENV ENV; exec sh -c "$f"';
  return `exec sh -c '${restore}' sh ${shellQuote(shell)} "$(tr '\\0' '\\1' </proc/$$/environ 2>/dev/null)"`;
}
