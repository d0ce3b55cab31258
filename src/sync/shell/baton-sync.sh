#!/usr/bin/env bash
# baton-sync: the sync client for hosts without node, in plain bash over /dev/tcp (spec I1).
#
#   baton-sync wait NAME COUNT [TIMEOUT_S [DATA]]   wait on a barrier; on GO print member=value lines
#   baton-sync abort NAME [REASON]                  abort the barrier's current generation
#   baton-sync status [NAME]                        print the BARRIER lines
#
# Reads BATON_SYNC_ADDR (HOST:PORT), BATON_SYNC_TOKEN, BATON_SYNC_MEMBER and BATON_SYNC_SCOPE.
# Exit codes, as `baton sync`: 0 GO (or done), 2 usage or an ERR reply, 3 cannot connect, authentication
# refused or server restarted, 4 ABORTED, 5 TIMEOUT, 6 LOST, 7 CANCELLED (SIGINT or SIGTERM while waiting).
# Source it to get the function, or run it as a command. Data is percent-encoded and never evaluated.

_baton_sync_send() { printf '%s\n' "$*" >&"$_baton_sync_fd"; }

# Read one line into $line; after $hb seconds of silence send PING (R4) and keep reading.
_baton_sync_recv() {
  local part status
  line=''
  while :; do
    IFS= read -r -t "$hb" part <&"$_baton_sync_fd" && { line+=${part%$'\r'}; return 0; }
    status=$?
    line+=$part
    ((status > 128)) || return 1
    _baton_sync_send PING
  done
}

_baton_sync_enc() {
  local LC_ALL=C s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~*\'\(\)!-]) out+=$c ;;
      *) printf -v c '%%%02X' "'$c" && out+=$c ;;
    esac
  done
  printf '%s' "$out"
}

_baton_sync_dec() { printf '%b' "${1//%/\\x}"; }

# _baton_sync_field KEY WORDS...: the value of KEY= among the words.
_baton_sync_field() {
  local key=$1 word
  shift
  for word; do [[ $word == "$key="* ]] && { printf '%s' "${word#*=}"; return 0; }; done
  return 1
}

# The payload of a DATA line: the first word after the name that is not KEY=VALUE.
_baton_sync_payload() {
  local word
  shift 2
  for word; do [[ $word == *=* ]] || { printf '%s' "$word"; return 0; }; done
}

_baton_sync_run() {
  local verb=${1:-} addr=${BATON_SYNC_ADDR:-} line='' hb=2 rc ms
  local member=${BATON_SYNC_MEMBER:-$(hostname 2>/dev/null || echo host).$$}
  if [[ -z $addr || -z ${BATON_SYNC_TOKEN:-} || $addr != *:* ]]; then
    echo "baton-sync: set BATON_SYNC_ADDR=HOST:PORT and BATON_SYNC_TOKEN" >&2
    return 2
  fi
  local host=${addr%:*} port=${addr##*:}
  host=${host#[} host=${host%]}
  exec {_baton_sync_fd}<>"/dev/tcp/$host/$port" || { echo "baton-sync: cannot connect to $addr" >&2; return 3; }

  _baton_sync_send "HELLO 1 member=$member session=- token=$BATON_SYNC_TOKEN${BATON_SYNC_SCOPE:+ scope=$BATON_SYNC_SCOPE}"
  _baton_sync_recv || { echo "baton-sync: the server closed the connection" >&2; return 3; }
  case $line in
    WELCOME*) ;;
    'ERR auth'*) echo "baton-sync: authentication refused" >&2; return 3 ;;
    *) echo "baton-sync: $line" >&2; return 2 ;;
  esac
  ms=$(_baton_sync_field heartbeat_ms $line) && hb=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))

  case $verb in
    wait)
      [[ $# -ge 3 ]] || { echo "usage: baton-sync wait NAME COUNT [TIMEOUT_S [DATA]]" >&2; return 2; }
      local request="WAIT $2 count=$3" name=$2
      [[ -n ${4:-} ]] && request+=" timeout_ms=$(awk -v s="$4" 'BEGIN { printf "%d", s * 1000 }')"
      [[ $# -ge 5 ]] && request+=" data=$(_baton_sync_enc "$5")"
      trap '_baton_sync_send "CANCEL $name"' INT TERM
      _baton_sync_send "$request"
      while _baton_sync_recv; do
        set -- $line
        case $1 in
          QUEUED | PONG | OK) ;;
          DATA) printf '%s=' "$(_baton_sync_field member "$@")" && _baton_sync_dec "$(_baton_sync_payload "$@")" && printf '\n' ;;
          GO)
            local word key
            for word; do
              [[ $word == data.* ]] || continue
              word=${word#data.} key=${word%%=*}
              printf '%s=' "$key" && _baton_sync_dec "${word#*=}" && printf '\n'
            done
            _baton_sync_send BYE
            return 0 ;;
          ABORTED | TIMEOUT | LOST | CANCELLED | ERR)
            echo "baton-sync: $line" >&2
            case $1 in ABORTED) rc=4 ;; TIMEOUT) rc=5 ;; LOST) rc=6 ;; CANCELLED) rc=7 ;; *) rc=2 ;; esac
            [[ $1 == ERR && ${2:-} =~ ^(auth|shutdown|session-expired|superseded)$ ]] && rc=3
            _baton_sync_send BYE 2>/dev/null
            return $rc ;;
        esac
      done
      echo "baton-sync: the server closed the connection" >&2
      return 3 ;;
    abort)
      [[ $# -ge 2 ]] || { echo "usage: baton-sync abort NAME [REASON]" >&2; return 2; }
      _baton_sync_send "ABORT $2${3:+ reason=$(_baton_sync_enc "$3")}"
      _baton_sync_recv && [[ $line == OK* ]] && { _baton_sync_send BYE; return 0; }
      echo "baton-sync: $line" >&2
      _baton_sync_send BYE 2>/dev/null
      return 2 ;;
    status)
      _baton_sync_send "STATUS ${2:-}"
      while _baton_sync_recv; do
        [[ $line == END* ]] && { _baton_sync_send BYE; return 0; }
        printf '%s\n' "$line"
      done
      return 3 ;;
    *)
      echo "usage: baton-sync wait NAME COUNT [TIMEOUT_S [DATA]] | abort NAME [REASON] | status [NAME]" >&2
      return 2 ;;
  esac
}

# The command: runs in the calling shell (so that Ctrl-C reaches it) and restores its options, traps and fds.
baton-sync() {
  local - _baton_sync_fd='' rc old_int old_term
  set -f -u
  old_int=$(trap -p INT) old_term=$(trap -p TERM)
  _baton_sync_run "$@"
  rc=$?
  [[ -n $_baton_sync_fd ]] && exec {_baton_sync_fd}>&-
  trap - INT TERM
  eval "$old_int"
  eval "$old_term"
  return $rc
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  baton-sync "$@"
fi
