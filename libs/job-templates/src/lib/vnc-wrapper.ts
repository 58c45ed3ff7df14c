/**
 * The VNC wrapper: the bash that ends every rendered batch script and runs on the node.
 *
 * It picks a free X display and RFB port on the node (5900 + display, retrying the next pair when Xvnc
 * loses a race for either), makes a one-time VNC password, starts Xvnc directly (the vncserver
 * scripts double-fork out of Slurm's process tracking) and the window manager, records the
 * connection in the staging folder and reports readiness to the portal as soon as Xvnc takes
 * connections, starts the app once the window manager has taken over, and on TERM (scancel, time
 * limit) or when the app exits stops every child and leaves no lock file, socket or password file behind.
 *
 * Kept as a TS string so it bundles with the API. It is a template literal: bash's `${` is written
 * `\${` here, and the wrapper avoids backslashes (arrays instead of line continuations).
 *
 * It expects, from the part of the script rendered before it: VIZPORTAL_SESSION_ID,
 * VIZPORTAL_STAGING_DIR, VIZPORTAL_READY_URL, VIZPORTAL_APP_TITLE, VIZPORTAL_GEOMETRY,
 * VIZPORTAL_WINDOW_MANAGER (a command or `none`; the app starts once it has taken over the screen),
 * VIZPORTAL_TIME_LIMIT_MINUTES and a function
 * `vizportal_app` that execs the app; from the job's environment: VIZPORTAL_READY_SECRET.
 */
import { VNC_DISPLAY_RANGE } from './job-contract';

/** The line that starts the wrapper in a rendered script (tests cut the script here). */
export const VNC_WRAPPER_MARKER = '# ---- vizportal: VNC wrapper ----';

export const VNC_WRAPPER = `${VNC_WRAPPER_MARKER}
set -u
set -m    # each child gets its own process group, so stopping it stops what it started
umask 077 # the password file, the header file and connection.json are the user's alone

vp_log() { printf 'vizportal: %s\\n' "$*" >&2; }

# The secret stays in this shell: nothing started below inherits it, and no argv ever holds it.
vp_secret=\${VIZPORTAL_READY_SECRET-}
unset VIZPORTAL_READY_SECRET
# A fresh desktop: nothing of the submitter's own session leaks into it.
unset DISPLAY XAUTHORITY DBUS_SESSION_BUS_ADDRESS SESSION_MANAGER XDG_RUNTIME_DIR WAYLAND_DISPLAY
# sbatch --export=NONE (or a short list) leaves HOME unset; X apps need it.
[[ -n \${HOME-} ]] || HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
export HOME

vp_runtime='' vp_address='' vp_password='' vp_display='' vp_port='' vp_xvnc_log=''
vp_xvnc_pid='' vp_wm_pid='' vp_app_pid='' vp_report_pid=''

# Stops children: TERM to each one's process group, KILL whatever is left after 3 s
# (Slurm KILLs the whole job KillWait seconds after its own TERM).
vp_stop() {
  local pid i alive
  for pid in "$@"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; done
  for (( i = 0; i < 150; i++ )); do
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    (( alive )) || break
    sleep 0.02
  done
  for pid in "$@"; do kill -KILL -- "-$pid" 2>/dev/null; done
  wait "$@" 2>/dev/null
  return 0
}

vp_write_end() {
  local file="$VIZPORTAL_STAGING_DIR/end.json"
  # Not secret, and the portal reads it as another user: world-readable.
  if (umask 022; mkdir -p -- "$VIZPORTAL_STAGING_DIR") &&
    printf '{"exitCode":%d,"reason":"%s","endedAt":"%s"}\\n' "$1" "$2" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$file.$$" &&
    chmod 644 "$file.$$" && mv -f "$file.$$" "$file"; then
    return 0
  fi
  vp_log "could not write $file"
}

# Ends the job: stops every child, removes what Xvnc and this wrapper leave, writes end.json.
vp_end() {
  local code=$1 reason=$2 pid lock_pid='' pids=()
  vp_ending=1
  for pid in "$vp_app_pid" "$vp_wm_pid" "$vp_report_pid" "$vp_xvnc_pid"; do
    [[ -n $pid ]] && pids+=("$pid")
  done
  (( \${#pids[@]} )) && vp_stop "\${pids[@]}"
  # Xvnc removes its lock file and socket when TERMed; after a KILL they are ours to remove.
  if [[ -n $vp_display ]]; then
    read -r lock_pid 2>/dev/null < "/tmp/.X$vp_display-lock"
    [[ $lock_pid == "$vp_xvnc_pid" ]] && rm -f "/tmp/.X$vp_display-lock" "/tmp/.X11-unix/X$vp_display"
  fi
  if [[ -n $vp_xvnc_log && -s $vp_xvnc_log ]]; then
    vp_log "Xvnc log:"
    cat "$vp_xvnc_log" >&2
  fi
  [[ -n $vp_runtime ]] && rm -rf -- "$vp_runtime"
  # Slurm TERMs every process of the job, not all in the same instant: an app that died of it (or of
  # losing its X server) may be noticed before this shell's own TERM, which then arrives meanwhile.
  if [[ -n $vp_signal_reason && $reason == app-exited ]]; then
    code=$vp_signal_code reason=$vp_signal_reason
  fi
  vp_write_end "$code" "$reason"
  vp_log "ended: $reason, exit status $code"
  exit "$code"
}

# Slurm sends TERM for scancel and at the time limit alike. By then Slurm gives a job it ends at its
# limit the reason TimeLimit (a scancel leaves None): ask it, for 2 s at most. Without an answer
# (outside Slurm, or the controller away), the time already run decides, counted from this shell's
# start, which may come seconds after Slurm's.
# shellcheck disable=SC2317 # called from the traps below
vp_at_time_limit() {
  local reason=''
  if [[ -n \${SLURM_JOB_ID-} ]]; then
    reason=$(timeout 2 squeue -h -j "$SLURM_JOB_ID" -o %r 2>/dev/null) || reason=''
  fi
  case $reason in
    TimeLimit) return 0 ;;
    '') (( SECONDS >= VIZPORTAL_TIME_LIMIT_MINUTES * 60 - 5 )) ;;
    *) return 1 ;;
  esac
}
# shellcheck disable=SC2317 # called from the traps below
vp_on_signal() {
  vp_signal_code=$1 vp_signal_reason=terminated
  vp_at_time_limit && vp_signal_reason=time-limit
  [[ -n $vp_ending ]] || vp_end "$vp_signal_code" "$vp_signal_reason"
}
vp_ending='' vp_signal_code='' vp_signal_reason=''
trap 'vp_on_signal 143' TERM
trap 'vp_on_signal 130' INT

# The address the portal reaches this node at: Slurm's NodeAddr, else what the host name resolves to.
vp_node_address() {
  local line='' address=''
  if [[ -n \${SLURMD_NODENAME-} ]]; then
    line=$(scontrol show node "$SLURMD_NODENAME" -o 2>/dev/null) || line=''
    [[ $line =~ (^|[[:space:]])NodeAddr=([^[:space:]]+) ]] && address=\${BASH_REMATCH[2]}
  fi
  if [[ -z $address ]]; then
    address=$(hostname -i 2>/dev/null) || address=''
    address=\${address%% *}
  fi
  [[ $address =~ ^[A-Za-z0-9._:-]+$ ]] || return 1
  printf '%s' "$address"
}

# Ready when Xvnc says it listens for VNC and its X socket exists; false as soon as it exits.
vp_wait_for_xvnc() {
  local display=$1 log=$2 i
  for (( i = 0; i < 500; i++ )); do
    kill -0 "$vp_xvnc_pid" 2>/dev/null || return 1
    [[ -S /tmp/.X11-unix/X$display ]] && grep -q 'Listening for VNC connections' "$log" && return 0
    sleep 0.02
  done
  return 1
}

# True once the window manager runs: EWMH window managers set _NET_SUPPORTING_WM_CHECK and
# _NET_CLIENT_LIST on the root window when they have taken over the screen. An app window mapped
# while the manager is still taking over can stay unmapped for seconds, or for good (seen with
# openbox in e2e runs here), so the app waits for this, at most 10 s.
vp_wait_for_wm() {
  local i props
  for (( i = 0; i < 500; i++ )); do
    kill -0 "$vp_wm_pid" 2>/dev/null || { vp_log "the window manager exited"; return 1; }
    props=$(xprop -root _NET_SUPPORTING_WM_CHECK _NET_CLIENT_LIST 2>/dev/null) || props=''
    [[ $props == *'_NET_SUPPORTING_WM_CHECK('* && $props == *'_NET_CLIENT_LIST('* ]] && return 0
    sleep 0.02
  done
  vp_log "the window manager did not announce itself within 10 s"
  return 1
}

# True while the X server named in /tmp/.X<display>-lock lives. A lock whose process is gone (its
# desktop was KILLed) is stale: Xvnc removes it, and a stale socket, itself when it starts.
vp_display_in_use() {
  local lock_pid=''
  [[ -e /tmp/.X$1-lock ]] || return 1
  read -r lock_pid 2>/dev/null < "/tmp/.X$1-lock"
  [[ $lock_pid =~ ^[0-9]+$ ]] || return 0 # being written by a server starting right now
  [[ -e /proc/$lock_pid ]]
}

# The first display (and port 5900 + display) this Xvnc can take. Xvnc takes the display's lock
# before it listens, so it is the arbiter: another job may take the same display between our check
# and Xvnc's start, or hold the port, and Xvnc then exits (display already active, port in use, or a
# stale lock it may not remove) before it ever says it listens, and the next pair is tried.
vp_start_xvnc() {
  local display port log
  local -a args
  for (( display = ${VNC_DISPLAY_RANGE.first}; display <= ${VNC_DISPLAY_RANGE.last}; display++ )); do
    vp_display_in_use "$display" && continue
    port=$(( 5900 + display ))
    log="$vp_runtime/xvnc-$display.log"
    # Every proxied connection comes from the portal's address: without a high blacklist threshold,
    # five failed logins anywhere would lock the owner out. The portal checks its own tokens.
    args=(
      ":$display" -rfbport "$port" -interface "$vp_address"
      -rfbauth "$vp_runtime/passwd" -SecurityTypes VncAuth
      -BlacklistThreshold 1000000 -BlacklistTimeout 0
      -geometry "$VIZPORTAL_GEOMETRY" -depth 24 -desktop "$VIZPORTAL_APP_TITLE" -nolisten tcp
    )
    Xvnc "\${args[@]}" 2> "$log" &
    vp_xvnc_pid=$!
    if vp_wait_for_xvnc "$display" "$log"; then
      vp_display=$display vp_port=$port vp_xvnc_log=$log
      return 0
    fi
    vp_log "Xvnc could not take display :$display, port $port: $(grep -A1 'Fatal server error' "$log" | tail -n 1)"
    vp_stop "$vp_xvnc_pid"
    vp_xvnc_pid=''
  done
  return 1
}

# connection.json: the session's record in the staging folder, and the readiness report's body.
vp_write_connection() {
  local connection staging=$VIZPORTAL_STAGING_DIR
  printf -v connection '{"host":"%s","port":%d,"password":"%s","display":%d}' "$vp_address" "$vp_port" "$vp_password" "$vp_display"
  printf '%s\\n' "$connection" > "$vp_runtime/connection.json"
  if (umask 022; mkdir -p -- "$staging") &&
    printf '%s\\n' "$connection" > "$staging/.connection.json.$$" &&
    mv -f -- "$staging/.connection.json.$$" "$staging/connection.json"; then
    return 0
  fi
  vp_log "could not write connection.json into $staging"
}

# POSTs connection.json with the session's secret, in the background: a portal that does not answer
# is retried briefly, then left to time the session out; the desktop keeps running either way.
vp_report_ready() {
  local -a curl_args
  if [[ ! $vp_secret =~ ^[A-Za-z0-9._~+/=-]+$ ]]; then
    vp_log "VIZPORTAL_READY_SECRET is missing or malformed: readiness not reported"
    return 0
  fi
  # The secret goes to curl in a file, never in its argv (ps shows argv to every user).
  printf 'Authorization: Bearer %s\\n' "$vp_secret" > "$vp_runtime/ready-headers"
  curl_args=(
    --silent --show-error --fail --output /dev/null
    --retry 5 --retry-connrefused --retry-delay 1 --max-time 5
    --header "@$vp_runtime/ready-headers" --header 'Content-Type: application/json'
    --data-binary "@$vp_runtime/connection.json"
    "$VIZPORTAL_READY_URL"
  )
  (
    if curl "\${curl_args[@]}"; then
      vp_log "readiness reported"
    else
      vp_log "could not report readiness (curl exit status $?); the desktop keeps running"
    fi
    rm -f "$vp_runtime/ready-headers"
  ) &
  vp_report_pid=$!
}

vp_runtime=$(mktemp -d "\${TMPDIR:-/tmp}/vizportal.XXXXXXXX") || {
  vp_runtime=''
  vp_log "cannot create a private directory in \${TMPDIR:-/tmp}"
  vp_end 1 setup-failed
}
vp_address=$(vp_node_address) || { vp_log "cannot tell this node's address"; vp_end 1 setup-failed; }

# 8 characters (VNC passwords are at most 8), from 4 KiB of urandom: always enough letters and digits.
vp_password=$(head -c 4096 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')
vp_password=\${vp_password:0:8}
# vncpasswd -f reads the password on stdin (printf is a builtin: no argv).
if (( \${#vp_password} != 8 )) || ! printf '%s\\n' "$vp_password" | vncpasswd -f > "$vp_runtime/passwd"; then
  vp_log "cannot make the VNC password file (is vncpasswd installed?)"
  vp_end 1 setup-failed
fi

vp_start_xvnc || {
  vp_log "no free display between :${VNC_DISPLAY_RANGE.first} and :${VNC_DISPLAY_RANGE.last}, or Xvnc does not start"
  vp_end 1 xvnc-failed
}
vp_log "Xvnc on display :$vp_display, listening on $vp_address port $vp_port"

export DISPLAY=":$vp_display"
if [[ $VIZPORTAL_WINDOW_MANAGER != none ]]; then
  "$VIZPORTAL_WINDOW_MANAGER" &
  vp_wm_pid=$!
fi

# The desktop takes connections now: report it while the window manager takes over and the app
# starts (tens of ms here), since the portal, the browser and the VNC handshake take longer than
# that, so a viewer's first frame still shows the app (bench/launch-to-first-frame.ts).
vp_write_connection
vp_report_ready

if [[ -n $vp_wm_pid ]]; then
  vp_wait_for_wm || vp_log "starting the app anyway"
fi
vizportal_app &
vp_app_pid=$!

# The session lasts as long as the app; the job ends with the app's exit status.
wait "$vp_app_pid"
vp_end $? app-exited
`;
