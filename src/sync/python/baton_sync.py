#!/usr/bin/env python3
"""baton_sync: the sync client for Python blocks (sync spec I1), standard library only.

As a module:
    from baton_sync import SyncClient, Aborted
    with SyncClient.from_env() as sync:
        data = sync.wait("ready", 3, timeout=60, data=b"port=5201")   # {member: bytes} on GO

As a command, with the exit codes of `baton sync`:
    python3 baton_sync.py wait NAME COUNT [TIMEOUT_S [DATA]]   0 GO (prints member=value lines)
    python3 baton_sync.py abort NAME [REASON]                  2 usage or ERR, 3 cannot connect or auth,
    python3 baton_sync.py status [NAME]                        4 ABORTED, 5 TIMEOUT, 6 LOST, 7 CANCELLED

Reads BATON_SYNC_ADDR (HOST:PORT), BATON_SYNC_TOKEN, BATON_SYNC_MEMBER and BATON_SYNC_SCOPE. Payloads are
opaque bytes, percent-encoded on the wire and never evaluated.
"""
import os
import socket
import sys
from urllib.parse import quote_from_bytes, unquote_to_bytes


class SyncError(Exception):
    """An outcome other than GO; `exit_code` is the one `baton sync wait` uses for it."""

    exit_code = 2

    def __init__(self, line):
        super().__init__(line)
        self.line = line
        self.fields = _fields(line.split()[1:])


class Aborted(SyncError):
    exit_code = 4


class TimedOut(SyncError):
    exit_code = 5


class Lost(SyncError):
    exit_code = 6


class Cancelled(SyncError):
    exit_code = 7


class ConnectionFailed(SyncError):
    exit_code = 3


OUTCOMES = {"ABORTED": Aborted, "TIMEOUT": TimedOut, "LOST": Lost, "CANCELLED": Cancelled}
FATAL_ERRORS = ("auth", "shutdown", "session-expired", "superseded")


def _fields(words):
    return dict(word.split("=", 1) for word in words if "=" in word)


def _encode(data):
    return quote_from_bytes(data if isinstance(data, bytes) else str(data).encode(), safe="")


class SyncClient:
    def __init__(self, address, token, member, scope=None, connect_timeout=5.0):
        host, _, port = address.rpartition(":")
        try:
            self._socket = socket.create_connection((host.strip("[]"), int(port)), timeout=connect_timeout)
        except (OSError, ValueError) as error:
            raise ConnectionFailed(f"ERR connect {address}: {error}") from error
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._reader = self._socket.makefile("r", encoding="utf-8", newline="\n")
        self.member = member
        hello = f"HELLO 1 member={member} session=- token={token}" + (f" scope={scope}" if scope else "")
        self._send(hello)
        welcome = self._read_line(None)
        if not welcome.startswith("WELCOME"):
            raise ConnectionFailed(welcome) if welcome.startswith("ERR auth") else SyncError(welcome)
        self.heartbeat = int(_fields(welcome.split()).get("heartbeat_ms", "2000")) / 1000

    @classmethod
    def from_env(cls, **options):
        env = os.environ
        if not env.get("BATON_SYNC_ADDR") or not env.get("BATON_SYNC_TOKEN"):
            raise ConnectionFailed("ERR environment: set BATON_SYNC_ADDR=HOST:PORT and BATON_SYNC_TOKEN")
        member = env.get("BATON_SYNC_MEMBER") or f"{socket.gethostname()}.{os.getpid()}"
        return cls(env["BATON_SYNC_ADDR"], env["BATON_SYNC_TOKEN"], member, env.get("BATON_SYNC_SCOPE"), **options)

    def wait(self, name, count, timeout=None, data=None):
        """Arrive at barrier `name` of `count` members; on GO return {member: bytes}, else raise its outcome."""
        request = f"WAIT {name} count={count}"
        if timeout is not None:
            request += f" timeout_ms={int(timeout * 1000)}"
        if data is not None:
            request += f" data={_encode(data)}"
        self._send(request)
        exchanged = {}
        try:
            while True:
                line = self._read_line(self.heartbeat)
                verb, *words = line.split()
                if verb == "DATA" and len(words) >= 2:
                    payload = next((word for word in words[1:] if "=" not in word), "")
                    exchanged[_fields(words).get("member", "")] = unquote_to_bytes(payload)
                elif verb == "GO":
                    for key, value in _fields(words).items():
                        if key.startswith("data."):
                            exchanged[key[5:]] = unquote_to_bytes(value)
                    return exchanged
                elif verb in OUTCOMES:
                    raise OUTCOMES[verb](line)
                elif verb == "ERR":
                    fatal = words and words[0] in FATAL_ERRORS
                    raise ConnectionFailed(line) if fatal else SyncError(line)
        except KeyboardInterrupt:
            self._send(f"CANCEL {name}")
            raise Cancelled(f"CANCELLED {name} member={self.member}") from None

    def abort(self, name, reason=None):
        self._send(f"ABORT {name}" + (f" reason={_encode(reason)}" if reason else ""))
        line = self._read_line(None)
        if not line.startswith("OK"):
            raise SyncError(line)

    def status(self, name=""):
        self._send(f"STATUS {name}".rstrip())
        lines = []
        while (line := self._read_line(None)) != "END":
            lines.append(line)
        return lines

    def close(self):
        try:
            self._send("BYE")
        except OSError:
            pass
        self._socket.close()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    def _send(self, line):
        self._socket.sendall(line.encode() + b"\n")

    def _read_line(self, heartbeat):
        """The next line; while waiting longer than a heartbeat, send PING (sync spec R4)."""
        self._socket.settimeout(heartbeat)
        while True:
            try:
                line = self._reader.readline()
            except (socket.timeout, TimeoutError):
                self._send("PING")
                continue
            if not line:
                raise ConnectionFailed("ERR closed: the server closed the connection")
            line = line.rstrip("\r\n")
            if not line.startswith("PONG"):
                return line


def main(argv):
    usage = "usage: baton_sync.py wait NAME COUNT [TIMEOUT_S [DATA]] | abort NAME [REASON] | status [NAME]"
    if not argv or argv[0] not in ("wait", "abort", "status") or (argv[0] != "status" and len(argv) < 2):
        print(usage, file=sys.stderr)
        return 2
    try:
        with SyncClient.from_env() as sync:
            if argv[0] == "wait":
                if len(argv) < 3:
                    print(usage, file=sys.stderr)
                    return 2
                timeout = float(argv[3]) if len(argv) > 3 else None
                data = argv[4].encode() if len(argv) > 4 else None
                for member, value in sync.wait(argv[1], int(argv[2]), timeout, data).items():
                    print(f"{member}={value.decode(errors='replace')}")
            elif argv[0] == "abort":
                sync.abort(argv[1], argv[2] if len(argv) > 2 else None)
            else:
                print("\n".join(sync.status(argv[1] if len(argv) > 1 else "")))
        return 0
    except SyncError as error:
        print(f"baton_sync: {error.line}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
