#!/usr/bin/env bash
# npm run playground [-- --approver] [-- --fjordvik] [-- --smoke]
#
# Starts the bot in local mode and Microsoft's Agents Playground against it (README: "Try it without Teams"):
#   requester instance  http://localhost:56150  as Mona Jansson   (scripts/playground/requester/)
#   approver instance   http://localhost:56151  as Ingrid Sundberg (scripts/playground/approver/, with --approver)
#   manager instance    http://localhost:56152  as Lina Axelsson   (scripts/playground/manager/, with --approver)
#   IT unit instance    http://localhost:56153  as Josefin Håkansson (scripts/playground/itunit/, with --approver)
#   Fjordvik instance   http://localhost:56154  as Frode Heggheim    (scripts/playground/fjordvik/, with --fjordvik)
# All instances talk to the same bot on http://127.0.0.1:3978. Ctrl-C stops everything this script started.
#
# --smoke      start the requester, IT unit and Fjordvik instances, run scripts/playground/smoke.ts (headless
#              Chromium) against them, stop everything and exit with the smoke's status. Uses a fresh data
#              directory, so the sample register loads and the answers are known.
# --approver   also start the approver instances: Ingrid Sundberg, systemförvaltare of Raindance (port 56151),
#              Lina Axelsson, Mona's manager and IT orderer of her unit (port 56152), and Josefin Håkansson, IT
#              coordinator and IT unit (port 56153): with Mona they run a whole access request or equipment order.
# --fjordvik   also start the Fjordvik instance: Frode Heggheim, IT coordinator (IKT-koordinator) of Fjordvik
#              kommune, a Nynorsk organisation (port 56154): the coordinator lists and Nynorsk/Bokmål answers.
#
# Network isolation (PLAYGROUND_ISOLATE): the playground dials out (telemetry, a cloud metadata probe) unless told
# not to; telemetry is always off here, and the stack runs in a loopback-only network namespace when it can.
#   auto (default)  isolate when running as root and `unshare --net` works; otherwise run on the host network.
#   1               isolate or fail.
#   0               never isolate (a developer machine with a normal browser; telemetry is still off).
# Inside the namespace only processes in that namespace can reach the playground: a browser must join it (the
# script prints the nsenter command) or use --smoke.
#
# Environment: ANSVAR_DATA_DIR (default .ansvar; the sample register loads into an empty one), PORT (bot, 3978),
# LOG_LEVEL. MicrosoftAppId and MicrosoftAppPassword are removed: the playground sends no tokens, so the bot must
# run in local mode.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SELF="$ROOT/scripts/playground.sh"
BOT_PORT="${PORT:-3978}"
REQUESTER_PORT=56150
APPROVER_PORT=56151
MANAGER_PORT=56152
ITUNIT_PORT=56153
FJORDVIK_PORT=56154

smoke=0
approver=0
fjordvik=0
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    --approver) approver=1 ;;
    --fjordvik) fjordvik=1 ;;
    -h | --help)
      sed -n '2,/^$/p' "$SELF" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "playground: unknown argument $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

say() { printf '[playground] %s\n' "$*"; }
die() {
  printf '[playground] error: %s\n' "$*" >&2
  exit 1
}

# --- 1. Isolation: re-run this script inside a new network namespace with only loopback up. ---------------------
isolate="${PLAYGROUND_ISOLATE:-auto}"
if [[ "${ANSVAR_PLAYGROUND_IN_NAMESPACE:-}" != 1 ]]; then
  case "$isolate" in
    0 | no | false) in_namespace=0 ;;
    1 | yes | true | auto)
      if [[ "$(id -u)" == 0 ]] && unshare --net -- true 2>/dev/null; then
        say "isolating: bot, playground and browser run in a loopback-only network namespace"
        export ANSVAR_PLAYGROUND_IN_NAMESPACE=1
        exec unshare --net -- bash -c 'ip link set lo up && exec bash "$@"' bash "$SELF" "$@"
      fi
      [[ "$isolate" == auto ]] || die "PLAYGROUND_ISOLATE=$isolate but a network namespace cannot be created (needs root and unshare --net); use PLAYGROUND_ISOLATE=0 on a machine where dialling out is acceptable"
      say "not isolated (not root, or unshare --net is not permitted here): running on the host network with telemetry off"
      in_namespace=0
      ;;
    *) die "PLAYGROUND_ISOLATE must be auto, 1 or 0, not '$isolate'" ;;
  esac
else
  in_namespace=1
fi

# --- 2. Work directory, no-op xdg-open, cleanup. --------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ansvar-playground.XXXXXX")"
mkdir -p "$WORK/bin"
printf '#!/bin/sh\n# The playground opens a browser on start; here the script decides what opens.\nexit 0\n' >"$WORK/bin/xdg-open"
chmod +x "$WORK/bin/xdg-open"
export PATH="$WORK/bin:$ROOT/node_modules/.bin:$PATH"
export APPLICATION_INSIGHTS_NO_STATSBEAT=true

pids=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((${#pids[@]} > 0)); then
    say "stopping (${pids[*]})"
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 50); do
      local alive=0
      for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      ((alive)) || break
      sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  fi
  say "logs kept in $WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start LOG DIR CMD...: runs CMD in DIR in its own process group (so cleanup also stops its children) and records
# its pid, which is also the group id: a background job of a non-interactive shell is no group leader, so setsid
# does not fork.
start() {
  local log="$1" dir="$2"
  shift 2
  (cd "$dir" && exec setsid "$@") >"$log" 2>&1 &
  pids+=("$!")
}

# http_ok URL: 2xx within 2 s (a port held by something that never answers must not hang the wait).
http_ok() {
  node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then(
    (r) => process.exit(r.ok ? 0 : 1),
    () => process.exit(1),
  )' "$1"
}

# wait_for URL PID LOG WHAT SECONDS: polls URL until it answers 2xx; fails when the process died or time ran out.
wait_for() {
  local url="$1" pid="$2" log="$3" what="$4" limit="$5" waited=0
  say "waiting for $what ($url)"
  until http_ok "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2 || true
      die "$what exited before it was ready; log: $log"
    fi
    if ((waited >= limit * 2)); then
      tail -n 30 "$log" >&2 || true
      die "$what not ready after ${limit}s; log: $log"
    fi
    if ((waited > 0 && waited % 10 == 0)); then say "  still waiting for $what ($((waited / 2)) s)"; fi
    sleep 0.5
    waited=$((waited + 1))
  done
  say "$what is ready"
}

# --- 3. The bot, in local mode. --------------------------------------------------------------------------------
cd "$ROOT"
say "building (npm run build)"
npm run --silent build >"$WORK/build.log" 2>&1 || {
  tail -n 40 "$WORK/build.log" >&2
  die "build failed; log: $WORK/build.log"
}

data_dir="${ANSVAR_DATA_DIR:-.ansvar}"
((smoke)) && data_dir="$WORK/data"
say "starting the bot on 127.0.0.1:$BOT_PORT (local mode, data: $data_dir)"
start "$WORK/bot.log" "$ROOT" env -u MicrosoftAppId -u MicrosoftAppPassword -u MicrosoftAppTenantId -u MicrosoftAppType \
  PORT="$BOT_PORT" ANSVAR_DATA_DIR="$data_dir" node --disable-warning=DEP0111 --max-semi-space-size=8 --heap-growing-percent=50 dist/bot/server.js
bot_pid="${pids[-1]}"
wait_for "http://127.0.0.1:$BOT_PORT/healthz" "$bot_pid" "$WORK/bot.log" "the bot" 60

# --- 4. Playground instances. ---------------------------------------------------------------------------------
# start_playground NAME PORT: runs in scripts/playground/NAME/ (its .m365agentsplayground.yml; devTools/ logs there).
start_playground() {
  local name="$1" port="$2" dir="$ROOT/scripts/playground/$1"
  say "starting the $name playground on port $port (config: ${dir#"$ROOT"/}/.m365agentsplayground.yml)"
  start "$WORK/$name.log" "$dir" agentsplayground start -e "http://localhost:$BOT_PORT/api/messages" -c msteams \
    -p "$port" --disable-telemetry
  local pid="${pids[-1]}"
  wait_for "http://127.0.0.1:$port/_debug/ping" "$pid" "$WORK/$name.log" "the $name playground server" 60
  # /_internal/v1/config answers only once the bot was reached and the yml parsed; yml errors are only in devTools/.
  wait_for "http://127.0.0.1:$port/_internal/v1/config" "$pid" "$dir/devTools/m365agentsplayground.log" \
    "the $name playground config" 60
}

start_playground requester "$REQUESTER_PORT"
((approver)) && start_playground approver "$APPROVER_PORT"
((approver)) && start_playground manager "$MANAGER_PORT"
((approver || smoke)) && start_playground itunit "$ITUNIT_PORT"
((fjordvik || smoke)) && start_playground fjordvik "$FJORDVIK_PORT"

# --- 5. Smoke, or hand over to the user. ----------------------------------------------------------------------
if ((smoke)); then
  say "running the headless smoke (scripts/playground/smoke.ts)"
  set +e
  PLAYGROUND_URL="http://localhost:$REQUESTER_PORT" PLAYGROUND_ITUNIT_URL="http://localhost:$ITUNIT_PORT" \
    PLAYGROUND_FJORDVIK_URL="http://localhost:$FJORDVIK_PORT" SMOKE_OUT_DIR="$WORK" tsx scripts/playground/smoke.ts
  status=$?
  set -e
  exit "$status"
fi

urls="http://localhost:$REQUESTER_PORT (Mona Jansson)"
((approver)) && urls="$urls, http://localhost:$MANAGER_PORT (Lina Axelsson), http://localhost:$APPROVER_PORT (Ingrid Sundberg) and http://localhost:$ITUNIT_PORT (Josefin Håkansson, IT unit)"
((fjordvik)) && urls="$urls, http://localhost:$FJORDVIK_PORT (Frode Heggheim, Fjordvik)"
if ((in_namespace)); then
  cat <<EOF

[playground] ready: $urls, inside a loopback-only network namespace.
  A browser must run in the same namespace. From another terminal, as root:
    nsenter --net=/proc/$$/ns/net -- chromium --no-sandbox --user-data-dir="\$(mktemp -d)" --disable-quic \\
      --no-first-run --disable-background-networking --disable-component-update --disable-sync \\
      http://localhost:$REQUESTER_PORT
  (a graphical browser as root needs your display: e.g. DISPLAY=:0 and xhost +SI:localuser:root).
  Or run the headless check instead: npm run playground:smoke
  Or, on a developer machine with internet: PLAYGROUND_ISOLATE=0 npm run playground and use your own browser.
  Bot log: $WORK/bot.log   Ctrl-C stops everything.
EOF
else
  cat <<EOF

[playground] ready: open $urls in your browser.
  Bot log: $WORK/bot.log   Playground log: scripts/playground/requester/devTools/m365agentsplayground.log
  Ctrl-C stops everything.
EOF
fi
wait -n "${pids[@]}" || true
die "a process stopped unexpectedly; logs in $WORK"
