#!/usr/bin/env bash
# start-check.sh - the README's start command, checked as a new user would use it: tools/start.sh
# serves the portal; the administrator creates alice; alice launches an xterm, which reaches running
# on a node with its window on the desktop, and runs as alice, never as root (who runs the portal);
# a grant opens her desktop; Stop ends it. The data go to a throw-away folder. Needs the dev cluster's
# users (tools/prepare.sh); builds what start.sh builds. Run as root: bash tools/ci/start-check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { printf '[start-check] %s\n' "$*"; }
die() {
  printf '[start-check] FAIL: %s\n' "$*" >&2
  [[ -f ${tmp:-}/start.log ]] && tail -n 40 "$tmp/start.log" >&2
  exit 1
}

tmp=$(mktemp -d /tmp/vizportal-start-check.XXXXXX)
chmod 0711 "$tmp"
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
base="http://127.0.0.1:${port}"
admin_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
start_pid=''
cleanup() {
  squeue -h -o '%i %Z' 2>/dev/null | awk -v dir="$tmp/" 'index($2, dir) == 1 { print $1 }' | xargs -r scancel 2>/dev/null || true
  [[ -n $start_pid ]] && kill "$start_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf -- "$tmp"
}
trap cleanup EXIT

log "tools/start.sh on port ${port}"
PORT=$port ADMIN_PASSWORD=$admin_password DATABASE_PATH="$tmp/vizportal.sqlite" STAGING_DIR="$tmp/sessions" \
  bash tools/start.sh >"$tmp/start.log" 2>&1 &
start_pid=$!
for ((i = 0; i < 600; i++)); do
  curl -fsS "$base/api/health" >/dev/null 2>&1 && break
  kill -0 "$start_pid" 2>/dev/null || die "tools/start.sh exited before the portal answered"
  sleep 1
done
curl -fsS "$base/api/health" >/dev/null || die "the portal did not answer on :${port} within 10 minutes"
curl -fsS "$base/" | grep -q '<vp-root' || die "the portal does not serve the web app at /"
log "the portal answers, web app and /api/health"

# JSON field of stdin, as text.
field() { node -e 'let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => { const v = JSON.parse(s)[process.argv[1]]; console.log(v ?? ""); })' "$1"; }
api() { # api JAR METHOD PATH [BODY]
  curl -fsS -b "$1" -c "$1" -X "$2" -H 'content-type: application/json' ${4:+-d "$4"} "$base$3"
}
api "$tmp/admin.jar" POST /api/auth/login "{\"username\":\"admin\",\"password\":\"${admin_password}\"}" >/dev/null ||
  die "the administrator cannot log in"
api "$tmp/admin.jar" POST /api/users '{"username":"alice","password":"alice-start-check-1"}' >/dev/null ||
  die "the administrator cannot create alice"
api "$tmp/alice.jar" POST /api/auth/login '{"username":"alice","password":"alice-start-check-1"}' >/dev/null ||
  die "alice cannot log in"
session=$(api "$tmp/alice.jar" POST /api/sessions '{"appId":"xterm","values":{}}') || die "alice cannot launch an xterm"
id=$(field id <<<"$session")
log "alice launched session ${id}"

state=''
for ((i = 0; i < 120; i++)); do
  session=$(api "$tmp/alice.jar" GET "/api/sessions/${id}")
  state=$(field state <<<"$session")
  [[ $state == running ]] && break
  [[ $state =~ ^(completed|failed|cancelled|timed_out)$ ]] && die "the session ended ${state}: $(field message <<<"$session")"
  sleep 1
done
[[ $state == running ]] || die "the session is ${state} after 2 minutes, not running"
job=$(field jobId <<<"$session")
owner=$(squeue -h -j "$job" -o %u)
[[ $owner == alice ]] || die "job ${job} runs as '${owner}', not as alice"
display=$(pgrep -u alice -a Xvnc | sed -nE 's/^[0-9]+ Xvnc :([0-9]+) .*/\1/p' | head -n 1)
[[ -n $display ]] || die "no X server of alice's is running (is the desktop another account's?)"
for ((i = 0; i < 50; i++)); do
  xwininfo -display ":${display}" -root -tree 2>/dev/null | grep -q '("xterm" "XTerm")' && break
  sleep 0.2
done
window=$(xwininfo -display ":${display}" -root -tree | awk '/\("xterm" "XTerm"\)/ { print $1; exit }')
[[ -n $window ]] || die "no xterm window on display :${display}"
# The shell a user types into is the window's process: whose is it?
xterm_pid=$(xprop -display ":${display}" -id "$window" _NET_WM_PID | sed -nE 's/.* = ([0-9]+)$/\1/p')
[[ -n $xterm_pid ]] || die "the xterm window names no process"
xterm_user=$(ps -o user= -p "$xterm_pid" | tr -d ' ')
[[ $xterm_user == alice ]] || die "the xterm on alice's desktop runs as '${xterm_user}', not alice"
log "session running on $(field node <<<"$session") as alice (job ${job}), its xterm on display :${display}"

grant=$(api "$tmp/alice.jar" POST "/api/sessions/${id}/connect") || die "alice gets no connect grant"
[[ $(field path <<<"$grant") == "/api/sessions/${id}/vnc?token="* ]] || die "the grant names no VNC path: ${grant}"
log "alice gets a grant for her desktop"

api "$tmp/alice.jar" POST "/api/sessions/${id}/stop" >/dev/null || die "alice cannot stop her session"
state=$(api "$tmp/alice.jar" GET "/api/sessions/${id}" | field state)
[[ $state == cancelled ]] || die "the stopped session is ${state}, not cancelled"
log "ok - tools/start.sh serves a portal whose desktops run as their users"
