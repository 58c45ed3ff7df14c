#!/usr/bin/env bash
# dev-cluster.sh - a real one-machine Slurm cluster for vizportal development.
#
# Installs Slurm (slurmctld + two slurmd: viz01, viz02), munge and the desktop
# packages (TigerVNC, openbox, xterm, gedit) from Debian, renders
# slurm.conf.template into /etc/slurm/slurm.conf and runs the daemons directly
# (no systemd needed). Run as root. See README.md next to this script.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR
readonly TEMPLATE="${SCRIPT_DIR}/slurm.conf.template"
readonly SLURM_CONF=/etc/slurm/slurm.conf

readonly NODES=(viz01 viz02)
# alice and bob play researchers; vizportal is the unprivileged account that jobs run as when the
# API runs as root with SLURM_SUBMIT_AS=service (SLURM_JOB_ACCOUNT=vizportal, as the tests do).
readonly USERS=(alice bob vizportal)
readonly PACKAGES=(
  slurm-wlm slurmctld slurmd slurm-client munge
  tigervnc-standalone-server tigervnc-tools openbox xterm x11-utils xfonts-base gedit
  curl sudo procps iproute2 python3
)

readonly LOG_DIR=/var/log/slurm
readonly RUN_DIR=/run/slurm
readonly STATE_DIR=/var/lib/slurm/slurmctld
readonly SPOOL_BASE=/var/lib/slurm/slurmd
readonly CTLD_PIDFILE="${RUN_DIR}/slurmctld.pid"
readonly MUNGE_RUN_DIR=/run/munge
readonly MUNGE_PIDFILE="${MUNGE_RUN_DIR}/munged.pid"
readonly MUNGE_KEY=/etc/munge/munge.key
readonly MUNGE_LOG=/var/log/munge/munged.log

# Tunables (environment).
START_TIMEOUT=${DEV_CLUSTER_START_TIMEOUT:-30}   # seconds to wait for healthy nodes
STOP_TIMEOUT=${DEV_CLUSTER_STOP_TIMEOUT:-15}     # seconds before SIGKILL
HOST_SHORT=${DEV_CLUSTER_HOST:-$(hostname -s)}
HOST_ADDR=${DEV_CLUSTER_ADDR:-127.0.0.1}
# Per-daemon hosts and addresses for `render`, when the daemons do not share one host (the
# containers of docker-compose.slurm.yml); each defaults to the one host above.
CTLD_HOST=${DEV_CLUSTER_CTLD_HOST:-${HOST_SHORT}}
CTLD_ADDR=${DEV_CLUSTER_CTLD_ADDR:-${HOST_ADDR}}
VIZ01_HOST=${DEV_CLUSTER_VIZ01_HOST:-${HOST_SHORT}}
VIZ01_ADDR=${DEV_CLUSTER_VIZ01_ADDR:-${HOST_ADDR}}
VIZ02_HOST=${DEV_CLUSTER_VIZ02_HOST:-${HOST_SHORT}}
VIZ02_ADDR=${DEV_CLUSTER_VIZ02_ADDR:-${HOST_ADDR}}

log() { printf '[dev-cluster] %s\n' "$*"; }
warn() { printf '[dev-cluster] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[dev-cluster] ERROR: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat <<EOF
Usage: $(basename "$0") COMMAND [ARGS]

One-machine Slurm cluster (controller + nodes ${NODES[*]}) for vizportal dev/tests.

Commands:
  install            apt-get install the packages (skipped when present), create
                     users ${USERS[*]}, create /tmp/.X11-unix
  start              render ${SLURM_CONF}, start munged, slurmctld and all slurmd
                     (no-op when already running and healthy), then wait up to
                     ${START_TIMEOUT}s until every node is usable
  up                 install + start
  stop               stop all slurmd, slurmctld and munged (TERM, then KILL after
                     ${STOP_TIMEOUT}s); running job processes are left alone
  status             show daemons and sinfo; exit 1 unless healthy
  restart-ctld       stop-ctld + start-ctld
  stop-ctld          stop only slurmctld
  start-ctld         start only slurmctld (and munged if needed), wait for health
  kill-node NAME [--hard]
                     stop the slurmd of node NAME; with --hard also SIGKILL its
                     slurmstepd and job processes (simulated node crash)
  start-node NAME    start the slurmd of node NAME and wait until it is usable
  render             print the rendered slurm.conf to stdout
  -h, --help         this help

Environment: DEV_CLUSTER_START_TIMEOUT (${START_TIMEOUT}), DEV_CLUSTER_STOP_TIMEOUT
(${STOP_TIMEOUT}), DEV_CLUSTER_HOST (${HOST_SHORT}), DEV_CLUSTER_ADDR (${HOST_ADDR}).
Logs: ${LOG_DIR}/slurmctld.log, ${LOG_DIR}/slurmd-<node>.log, ${MUNGE_LOG}.
EOF
}

require_root() {
  [[ ${EUID} -eq 0 ]] || die "must run as root"
}

require_installed() {
  local bin
  for bin in slurmctld slurmd munged sinfo; do
    command -v "${bin}" >/dev/null 2>&1 || [[ -x /usr/sbin/${bin} ]] ||
      die "${bin} not found; run '$0 install' first"
  done
}

is_known_node() {
  local n
  for n in "${NODES[@]}"; do
    [[ ${n} == "$1" ]] && return 0
  done
  return 1
}

node_pidfile() { printf '%s/slurmd-%s.pid\n' "${RUN_DIR}" "$1"; }

# ---------------------------------------------------------------- processes

# True if PID is still running. A zombie waiting to be reaped (PID 1 may be
# slow to reap here) counts as gone; but the main thread of a multi-threaded
# daemon (slurmctld) shows as a zombie while its other threads still shut
# down, so a zombie with more than one task still counts as running.
pid_alive() {
  local stat tasks
  kill -0 "$1" 2>/dev/null || return 1
  { stat=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} == Z ]] || return 0
  tasks=$(find "/proc/$1/task" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  ((tasks > 1))
}

# Print the first of the pids given on stdin that is alive.
first_alive() {
  local pid
  while read -r pid; do
    if pid_alive "${pid}"; then
      printf '%s\n' "${pid}"
      return 0
    fi
  done
  return 1
}

# Print the pid from PIDFILE if that process is alive and named COMM.
pidfile_pid() {
  local pidfile=$1 comm=$2 pid
  [[ -r ${pidfile} ]] || return 1
  pid=$(tr -dc '0-9' <"${pidfile}")
  [[ -n ${pid} ]] || return 1
  [[ -r /proc/${pid}/comm ]] || return 1
  [[ $(<"/proc/${pid}/comm") == "${comm}" ]] || return 1
  pid_alive "${pid}" || return 1
  printf '%s\n' "${pid}"
}

# daemon_pid PIDFILE COMM PGREP_ARGS...: the daemon's pid, from its pid file if that names a live
# COMM, else from the process table (a daemon started by hand, or a stale pid file).
daemon_pid() {
  local pidfile=$1 comm=$2 pid
  shift 2
  if pid=$(pidfile_pid "${pidfile}" "${comm}"); then
    printf '%s\n' "${pid}"
    return 0
  fi
  pid=$(pgrep "$@" | first_alive) || true
  [[ -n ${pid} ]] || return 1
  printf '%s\n' "${pid}"
}

# Pid of the slurmd serving node NAME.
slurmd_pid() { daemon_pid "$(node_pidfile "$1")" slurmd -x -f "(/usr/sbin/)?slurmd -N $1"; }
ctld_pid() { daemon_pid "${CTLD_PIDFILE}" slurmctld -x slurmctld; }
munged_pid() { daemon_pid "${MUNGE_PIDFILE}" munged -x munged; }

# terminate WHAT PID [WHAT PID ...]: send TERM to every PID, wait up to
# STOP_TIMEOUT seconds for all of them to exit, then KILL the survivors.
terminate() {
  local -a whats=() pids=()
  local i j alive
  while (($# >= 2)); do
    log "stopping $1 (pid $2)"
    if kill -TERM "$2" 2>/dev/null; then
      whats+=("$1")
      pids+=("$2")
    fi
    shift 2
  done
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    alive=0
    for j in "${!pids[@]}"; do
      pid_alive "${pids[j]}" && alive=1
    done
    ((alive)) || return 0
    sleep 0.1
  done
  for j in "${!pids[@]}"; do
    if pid_alive "${pids[j]}"; then
      warn "${whats[j]} (pid ${pids[j]}) still alive after ${STOP_TIMEOUT}s, sending KILL"
      kill -KILL "${pids[j]}" 2>/dev/null || true
    fi
  done
  for ((i = 0; i < 50; i++)); do
    alive=0
    for j in "${!pids[@]}"; do
      pid_alive "${pids[j]}" && alive=1
    done
    ((alive)) || return 0
    sleep 0.1
  done
  die "${whats[*]} survived SIGKILL"
}

# --------------------------------------------------------------------- setup

install_packages() {
  local missing=() p status
  for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "${p}" 2>/dev/null || true)
    [[ ${status} == ii* ]] || missing+=("${p}")
  done
  if ((${#missing[@]} == 0)); then
    log "packages already installed"
  else
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
      log "apt-get install failed; running apt-get update and retrying"
      apt-get update
      apt-get install -y --no-install-recommends "${missing[@]}"
    fi
  fi
}

create_users() {
  local u
  for u in "${USERS[@]}"; do
    if id -u "${u}" >/dev/null 2>&1; then
      continue
    fi
    log "creating user ${u}"
    useradd -m -s /bin/bash "${u}"
  done
}

prepare_x11_dir() {
  mkdir -p /tmp/.X11-unix
  chown root:root /tmp/.X11-unix
  chmod 1777 /tmp/.X11-unix
}

prepare_dirs() {
  local n
  mkdir -p /etc/slurm "${LOG_DIR}" "${RUN_DIR}" "${STATE_DIR}"
  for n in "${NODES[@]}"; do
    mkdir -p "${SPOOL_BASE}/${n}"
  done
  chmod 755 "${RUN_DIR}" "${LOG_DIR}"
  chmod 700 "${STATE_DIR}"
  install -d -o munge -g munge -m 0755 "${MUNGE_RUN_DIR}"
  install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
  prepare_x11_dir
}

render_config() {
  [[ -r ${TEMPLATE} ]] || die "template not found: ${TEMPLATE}"
  sed -e "s|@CTLD_HOST@|${CTLD_HOST}|g" \
    -e "s|@CTLD_ADDR@|${CTLD_ADDR}|g" \
    -e "s|@VIZ01_HOST@|${VIZ01_HOST}|g" \
    -e "s|@VIZ01_ADDR@|${VIZ01_ADDR}|g" \
    -e "s|@VIZ02_HOST@|${VIZ02_HOST}|g" \
    -e "s|@VIZ02_ADDR@|${VIZ02_ADDR}|g" \
    "${TEMPLATE}"
}

# Strip comments and blank lines (to tell real config changes from cosmetic).
config_body() { grep -Ev '^[[:space:]]*(#|$)' "$1" || true; }

# Install the rendered config. Returns 0 if a setting changed (daemons must be
# restarted), 1 if not (a comment-only change is written without restart).
write_config() {
  local tmp rc=1
  tmp=$(mktemp)
  render_config >"${tmp}"
  if config_body "${tmp}" | grep -q '@[A-Z0-9_]*@'; then
    rm -f "${tmp}"
    die "unrendered placeholder left in slurm.conf"
  fi
  if [[ -f ${SLURM_CONF} ]] && cmp -s "${tmp}" "${SLURM_CONF}"; then
    rm -f "${tmp}"
    return 1
  fi
  if [[ ! -f ${SLURM_CONF} ]] ||
    [[ $(config_body "${tmp}") != "$(config_body "${SLURM_CONF}")" ]]; then
    rc=0
  fi
  log "writing ${SLURM_CONF}"
  install -m 0644 "${tmp}" "${SLURM_CONF}"
  rm -f "${tmp}"
  return "${rc}"
}

# ------------------------------------------------------------------- daemons

munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start_munge() {
  local i
  if munged_pid >/dev/null && munge_ok; then
    return 0
  fi
  if [[ ! -s ${MUNGE_KEY} ]]; then
    log "creating ${MUNGE_KEY}"
    mungekey --create --keyfile="${MUNGE_KEY}"
    chown munge:munge "${MUNGE_KEY}"
    chmod 0400 "${MUNGE_KEY}"
  fi
  local pid
  if pid=$(munged_pid); then
    terminate munged "${pid}" # running but not answering
  fi
  log "starting munged"
  # --force: remove a stale socket left by an unclean shutdown.
  runuser -u munge -- /usr/sbin/munged --force
  for ((i = 0; i < 50; i++)); do
    munge_ok && return 0
    sleep 0.1
  done
  tail -n 20 "${MUNGE_LOG}" >&2 2>/dev/null || true
  die "munged did not come up (munge -n | unmunge fails)"
}

ctld_responding() { scontrol ping 2>/dev/null | grep -q 'is UP'; }

start_ctld() {
  local i
  if ctld_pid >/dev/null; then
    return 0
  fi
  log "starting slurmctld"
  slurmctld
  for ((i = 0; i < 100; i++)); do
    ctld_responding && return 0
    ctld_pid >/dev/null || break
    sleep 0.1
  done
  tail -n 30 "${LOG_DIR}/slurmctld.log" >&2 2>/dev/null || true
  die "slurmctld did not come up"
}

stop_ctld() {
  local pid
  if pid=$(ctld_pid); then
    terminate slurmctld "${pid}"
  fi
  rm -f "${CTLD_PIDFILE}"
}

start_slurmd() {
  local name=$1 i
  if slurmd_pid "${name}" >/dev/null; then
    return 0
  fi
  log "starting slurmd for ${name}"
  slurmd -N "${name}"
  for ((i = 0; i < 50; i++)); do
    slurmd_pid "${name}" >/dev/null && return 0
    sleep 0.1
  done
  tail -n 30 "${LOG_DIR}/slurmd-${name}.log" >&2 2>/dev/null || true
  die "slurmd for ${name} did not come up"
}

# stop_slurmd NAME [NAME ...]: stop those slurmd in parallel.
stop_slurmd() {
  local name pid
  local -a args=()
  for name in "$@"; do
    if pid=$(slurmd_pid "${name}"); then
      args+=("slurmd ${name}" "${pid}")
    fi
  done
  if ((${#args[@]})); then terminate "${args[@]}"; fi
  for name in "$@"; do
    rm -f "$(node_pidfile "${name}")"
  done
}

# SIGKILL the slurmstepd and job processes of node NAME (simulated crash).
# Steps are found through their sockets in the node's spool dir
# (NAME_<jobid>.<stepid>); the stepds go first so they cannot report the job's
# end, then every process whose environment has SLURMD_NODENAME=NAME.
kill_node_jobs() {
  local name=$1 sock base proc pid cmd env killed=0
  local -A jobs=()
  for sock in "${SPOOL_BASE}/${name}/${name}"_*; do
    [[ -S ${sock} ]] || continue
    base=${sock##*/}
    base=${base#"${name}"_}
    jobs[${base%%.*}]=1
  done
  for proc in /proc/[0-9]*; do
    pid=${proc#/proc/}
    cmd=$(tr '\0' ' ' 2>/dev/null <"${proc}/cmdline") || continue
    [[ ${cmd} =~ ^slurmstepd:\ \[([0-9]+)\. ]] || continue
    [[ -n ${jobs[${BASH_REMATCH[1]}]:-} ]] || continue
    kill -KILL "${pid}" 2>/dev/null && killed=$((killed + 1))
  done
  for proc in /proc/[0-9]*; do
    pid=${proc#/proc/}
    [[ ${pid} == "$$" ]] && continue
    env=$(tr '\0' '\n' 2>/dev/null <"${proc}/environ") || continue
    if grep -qx "SLURMD_NODENAME=${name}" <<<"${env}"; then
      kill -KILL "${pid}" 2>/dev/null && killed=$((killed + 1))
    fi
  done
  local ids="${!jobs[*]}"
  log "killed ${killed} process(es) of node ${name} (jobs: ${ids:-none})"
}

# ------------------------------------------------------------------- health

# "NODE STATE" lines, one per node (sinfo lists a node once per partition).
node_states() {
  sinfo -h -N -o '%N %t' 2>/dev/null | sort -u
}

# A node is usable when it responds and is not down/drained.
state_usable() {
  case $1 in
  idle | mix | alloc | comp | resv) return 0 ;;
  *) return 1 ;;
  esac
}

# Check the listed nodes (default: all). Prints the problems; 0 if none.
nodes_healthy() {
  local states want n state ok=0
  states=$(node_states) || true
  if [[ -z ${states} ]]; then
    echo "sinfo returned nothing"
    return 1
  fi
  if (($# > 0)); then want=("$@"); else want=("${NODES[@]}"); fi
  for n in "${want[@]}"; do
    state=$(awk -v n="${n}" '$1 == n { print $2; exit }' <<<"${states}")
    if ! state_usable "${state}"; then
      echo "node ${n} is '${state:-missing}'"
      ok=1
    fi
  done
  return "${ok}"
}

dump_diagnostics() {
  local f
  {
    echo "---- sinfo -N -l"
    sinfo -N -l 2>&1 || true
    echo "---- scontrol show nodes (state/reason)"
    scontrol show nodes 2>&1 | grep -E 'NodeName=|State=|Reason=' || true
    for f in "${LOG_DIR}/slurmctld.log" "${LOG_DIR}"/slurmd-*.log "${MUNGE_LOG}"; do
      [[ -r ${f} ]] || continue
      echo "---- tail ${f}"
      tail -n 20 "${f}"
    done
  } >&2
}

# Wait until the given nodes (default all) are usable. A node left DOWN or
# DRAINED while its slurmd runs is resumed once (dev cluster convenience).
wait_healthy() {
  local deadline problems n state resumed=" " states
  deadline=$((SECONDS + START_TIMEOUT))
  while true; do
    if problems=$(nodes_healthy "$@"); then
      return 0
    fi
    if ((SECONDS >= deadline)); then
      printf '[dev-cluster] ERROR: cluster not healthy after %ss: %s\n' \
        "${START_TIMEOUT}" "${problems//$'\n'/; }" >&2
      dump_diagnostics
      exit 1
    fi
    states=$(node_states) || true
    for n in "${NODES[@]}"; do
      state=$(awk -v n="${n}" '$1 == n { print $2; exit }' <<<"${states}")
      case ${state} in
      down | drain | drng | fail | failg)
        if [[ ${resumed} != *" ${n} "* ]] && slurmd_pid "${n}" >/dev/null; then
          log "node ${n} is ${state} although its slurmd runs; resuming it"
          scontrol update NodeName="${n}" State=RESUME || true
          resumed+="${n} "
        fi
        ;;
      esac
    done
    sleep 0.5
  done
}

all_running() {
  local n
  munged_pid >/dev/null || return 1
  ctld_pid >/dev/null || return 1
  for n in "${NODES[@]}"; do
    slurmd_pid "${n}" >/dev/null || return 1
  done
}

# ----------------------------------------------------------------- commands

cmd_install() {
  require_root
  local t0=${SECONDS}
  install_packages
  create_users
  prepare_x11_dir
  log "install done in $((SECONDS - t0))s"
}

cmd_start() {
  require_root
  require_installed
  local t0=${SECONDS} n changed=0
  prepare_dirs
  if write_config; then changed=1; fi
  if ((changed == 0)) && all_running && munge_ok && nodes_healthy >/dev/null; then
    log "already running and healthy"
    return 0
  fi
  if ((changed == 1)); then
    # A changed slurm.conf needs a restart of every slurm daemon.
    stop_slurmd "${NODES[@]}"
    stop_ctld
  fi
  start_munge
  start_ctld
  for n in "${NODES[@]}"; do start_slurmd "${n}"; done
  wait_healthy
  log "cluster up in $((SECONDS - t0))s"
  sinfo
}

cmd_stop() {
  require_root
  local pid
  stop_slurmd "${NODES[@]}"
  stop_ctld
  if pid=$(munged_pid); then
    terminate munged "${pid}"
  fi
  log "stopped"
}

cmd_status() {
  local n pid healthy=0 problems
  if pid=$(munged_pid); then
    if munge_ok; then echo "munged    running (pid ${pid})"; else
      echo "munged    running (pid ${pid}) but munge -n | unmunge FAILS"
      healthy=1
    fi
  else
    echo "munged    NOT running"
    healthy=1
  fi
  if pid=$(ctld_pid); then echo "slurmctld running (pid ${pid})"; else
    echo "slurmctld NOT running"
    healthy=1
  fi
  for n in "${NODES[@]}"; do
    if pid=$(slurmd_pid "${n}"); then echo "slurmd    ${n} running (pid ${pid})"; else
      echo "slurmd    ${n} NOT running"
      healthy=1
    fi
  done
  echo
  if ! sinfo 2>&1; then healthy=1; fi
  if ! problems=$(nodes_healthy); then
    echo
    echo "unhealthy: ${problems//$'\n'/; }"
    healthy=1
  fi
  return "${healthy}"
}

cmd_start_ctld() {
  require_root
  require_installed
  prepare_dirs
  write_config || true
  start_munge
  start_ctld
  wait_healthy
  log "slurmctld up"
}

cmd_stop_ctld() {
  require_root
  stop_ctld
}

cmd_kill_node() {
  require_root
  local name=${1:-} hard=${2:-}
  [[ -n ${name} ]] || die "usage: kill-node NAME [--hard]"
  is_known_node "${name}" || die "unknown node '${name}' (nodes: ${NODES[*]})"
  [[ -z ${hard} || ${hard} == --hard ]] || die "unknown option '${hard}'"
  stop_slurmd "${name}"
  if [[ ${hard} == --hard ]]; then
    kill_node_jobs "${name}"
  fi
}

cmd_start_node() {
  require_root
  require_installed
  local name=${1:-}
  [[ -n ${name} ]] || die "usage: start-node NAME"
  is_known_node "${name}" || die "unknown node '${name}' (nodes: ${NODES[*]})"
  prepare_dirs
  start_munge
  start_slurmd "${name}"
  if ctld_pid >/dev/null; then
    wait_healthy "${name}"
    log "node ${name} up"
  else
    warn "slurmctld is not running; node ${name} will register when it starts"
  fi
}

main() {
  local cmd=${1:-}
  (($# > 0)) && shift
  case ${cmd} in
  install) cmd_install ;;
  start) cmd_start ;;
  up)
    cmd_install
    cmd_start
    ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart-ctld)
    cmd_stop_ctld
    cmd_start_ctld
    ;;
  stop-ctld) cmd_stop_ctld ;;
  start-ctld) cmd_start_ctld ;;
  kill-node) cmd_kill_node "$@" ;;
  start-node) cmd_start_node "$@" ;;
  render) render_config ;;
  -h | --help | help) usage ;;
  "")
    usage >&2
    exit 2
    ;;
  *)
    printf 'unknown command: %s\n\n' "${cmd}" >&2
    usage >&2
    exit 2
    ;;
  esac
}

# Sourced (containers/slurm/entrypoint.sh), it only defines the functions: the containers start their
# daemons with the same code as this tool.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
