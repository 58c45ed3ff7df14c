#!/usr/bin/env bash
# record-fixtures.sh - records what Slurm really prints for the exact commands CliSlurmClient runs.
#
# Run as root on the local dev cluster (tools/dev-cluster/dev-cluster.sh up). It submits a few
# jobs (held, running, completed, failed with exit 3, cancelled, caught while COMPLETING, timed out,
# pending over a partition limit, one as alice), then records for each command case
#   <case>.argv    the argv, one word per line (what the unit tests compare the client's argv with)
#   <case>.stdin   the input given on stdin (sbatch cases only)
#   <case>.stdout  <case>.stderr  <case>.exit  <case>.ms (wall time)
# into libs/slurm-client/src/lib/__fixtures__/, plus jobs.json naming the job id of every case.
# The unit tests parse these files; nothing there is typed by hand.
#
# Options (everything is recorded by default):
#   --no-ctld-down  skip the "controller down" cases (they stop slurmctld for ~45 s through
#                   tools/dev-cluster/dev-cluster.sh stop-ctld / start-ctld)
#   --no-timeout    skip the job that runs into its 1-minute limit (~90 s of waiting)
#   --no-drain      skip draining viz02 for a moment to record a drained node
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR
REPO_ROOT=$(cd "${SCRIPT_DIR}/../../.." && pwd)
readonly REPO_ROOT
readonly OUT="${SCRIPT_DIR}/../src/lib/__fixtures__"
readonly DEV_CLUSTER="${REPO_ROOT}/tools/dev-cluster/dev-cluster.sh"
# Job files go here; fixed so the recorded sbatch argv is the same on every run.
readonly JOB_DIR=/tmp/vizportal-fixture-jobs
readonly UNKNOWN_ID=9999999
readonly UNKNOWN_ID2=9999998
readonly SEP=$'\x1f'

WITH_CTLD_DOWN=1
WITH_TIMEOUT=1
WITH_DRAIN=1
for arg in "$@"; do
  case ${arg} in
  --no-ctld-down) WITH_CTLD_DOWN=0 ;;
  --no-timeout) WITH_TIMEOUT=0 ;;
  --no-drain) WITH_DRAIN=0 ;;
  -h | --help)
    sed -n '2,20p' "$0"
    exit 0
    ;;
  *)
    echo "unknown option: ${arg}" >&2
    exit 2
    ;;
  esac
done

log() { printf '[record-fixtures] %s\n' "$*"; }
die() {
  printf '[record-fixtures] ERROR: %s\n' "$*" >&2
  exit 1
}

[[ ${EUID} -eq 0 ]] || die "run as root (jobs are also submitted as alice through sudo)"
bash "${DEV_CLUSTER}" status >/dev/null || die "the dev cluster is not healthy: bash ${DEV_CLUSTER} up"

# The client's environment: variables that steer the tools removed, epoch timestamps.
while IFS='=' read -r name _; do
  if [[ ${name} =~ ^(SLURM_|SBATCH_|SQUEUE_|SINFO_|SCANCEL_|SCONTROL_|SALLOC_|SRUN_) && ${name} != SLURM_CONF ]]; then
    unset "${name}"
  fi
done < <(env)
export SLURM_TIME_FORMAT=%s

# ------------------------------------------------------------ the client's commands
# Kept in step with squeue-jobs.ts, sinfo-nodes.ts, sbatch-command.ts and cli-slurm-client.ts;
# the unit tests fail when the recorded argv differs from the client's.
readonly SQUEUE_FIELDS=(JobID Name UserName Partition State Reason NodeList BatchHost NumNodes NumCPUs
  tres-alloc SubmitTime StartTime EndTime TimeLimit TimeUsed exit_code Account QOS Comment WorkDir STDOUT)
readonly SINFO_FIELDS=(NodeList NodeAddr NodeHost PartitionName StateComplete CPUsState Memory AllocMem
  FreeMem Gres GresUsed Reason)

format_arg() {
  local out="" f
  for f in "$@"; do out+="${f}:${SEP},"; done
  printf '%s' "${out%,}"
}
SQUEUE_FORMAT_ARG="--Format=$(format_arg "${SQUEUE_FIELDS[@]}")"
SINFO_FORMAT_ARG="--Format=$(format_arg "${SINFO_FIELDS[@]}")"
readonly SQUEUE_FORMAT_ARG SINFO_FORMAT_ARG

squeue_ids() { printf '%s\n' squeue -h --all -t all --noconvert "--jobs=$1" "${SQUEUE_FORMAT_ARG}"; }
squeue_name() { printf '%s\n' squeue -h --all -t all --noconvert "--name=$1" "${SQUEUE_FORMAT_ARG}"; }
sinfo_nodes() { printf '%s\n' sinfo -h --all -N "${SINFO_FORMAT_ARG}"; }

# sbatch_argv TOKEN PARTITION CPUS MEM_MB MINUTES [--gres=..] [--env=LIST] [--hold] [--comment=..]
# prints the argv sbatchCommand() builds for the same request (same option order).
sbatch_argv() {
  local token=$1 partition=$2 cpus=$3 mem=$4 minutes=$5
  shift 5
  local gres="" export_arg="NONE" hold="" comment="" a
  for a in "$@"; do
    case ${a} in
    --gres=*) gres=${a#--gres=} ;;
    --env=*) export_arg=${a#--env=} ;;
    --hold) hold=1 ;;
    --comment=*) comment=${a#--comment=} ;;
    esac
  done
  local -a argv=(sbatch --parsable "--job-name=vizportal-${token}" "--partition=${partition}" --nodes=1 --ntasks=1
    "--cpus-per-task=${cpus}" "--mem=${mem}M" "--time=${minutes}")
  [[ -n ${gres} ]] && argv+=("--gres=${gres}")
  argv+=("--output=${JOB_DIR}/%j.out" "--chdir=${JOB_DIR}" "--export=${export_arg}")
  [[ -n ${comment} ]] && argv+=("--comment=${comment}")
  [[ -n ${hold} ]] && argv+=(--hold)
  printf '%s\n' "${argv[@]}"
}

# ------------------------------------------------------------ recording

declare -A JOB_IDS=()

# record CASE STDIN_FILE|- ARGV...: run the argv (no shell), keep what it printed.
record() {
  local name=$1 input=$2
  shift 2
  local rc=0 t0 t1
  printf '%s\n' "$@" >"${OUT}/${name}.argv"
  if [[ ${input} == - ]]; then input=/dev/null; else cp "${input}" "${OUT}/${name}.stdin"; fi
  t0=$(date +%s%N)
  "$@" <"${input}" >"${OUT}/${name}.stdout" 2>"${OUT}/${name}.stderr" || rc=$?
  t1=$(date +%s%N)
  echo "${rc}" >"${OUT}/${name}.exit"
  echo $(((t1 - t0) / 1000000)) >"${OUT}/${name}.ms"
  log "${name}: exit ${rc} in $(((t1 - t0) / 1000000)) ms"
}

# record_argv CASE STDIN - reads the argv from stdin lines (as printed by the builders above).
record_lines() {
  local name=$1 input=$2
  local -a argv=()
  mapfile -t argv
  record "${name}" "${input}" "${argv[@]}"
}

# submit CASE SCRIPT_FILE [sudo-user] -- builder args: records the sbatch case and remembers the id.
submit() {
  local name=$1 script=$2 user=$3
  shift 3
  local -a argv=()
  mapfile -t argv < <(sbatch_argv "$@")
  if [[ -n ${user} ]]; then argv=(sudo -n -u "${user}" -- "${argv[@]}"); fi
  record "sbatch-${name}" "${script}" "${argv[@]}"
  local id
  id=$(tr -d '[:space:]' <"${OUT}/sbatch-${name}.stdout")
  id=${id%%;*}
  [[ ${id} =~ ^[0-9]+$ ]] || die "sbatch-${name} gave no job id: $(cat "${OUT}/sbatch-${name}.stderr")"
  JOB_IDS[${name}]=${id}
}

state_of() { squeue -h -t all -j "$1" -o '%T' 2>/dev/null || true; }

# wait_state ID REGEX SECONDS
wait_state() {
  local id=$1 want=$2 secs=$3 i state=""
  for ((i = 0; i < secs * 5; i++)); do
    state=$(state_of "${id}")
    [[ ${state} =~ ${want} ]] && return 0
    sleep 0.2
  done
  die "job ${id} did not reach ${want} within ${secs}s (last: '${state}')"
}

cleanup() {
  local name
  for name in "${!JOB_IDS[@]}"; do scancel "${JOB_IDS[${name}]}" 2>/dev/null || true; done
  if ((WITH_DRAIN)); then scontrol update NodeName=viz02 State=RESUME 2>/dev/null || true; fi
  if ! scontrol ping 2>/dev/null | grep -q 'is UP'; then bash "${DEV_CLUSTER}" start-ctld || true; fi
  [[ -n ${LISTENER_PID:-} ]] && kill "${LISTENER_PID}" 2>/dev/null || true
  rm -rf "${SCRATCH:-/nonexistent}"
}
trap cleanup EXIT

SCRATCH=$(mktemp -d)
mkdir -p "${OUT}" "${JOB_DIR}"
chmod 1777 "${JOB_DIR}"
rm -f "${OUT}"/*.argv "${OUT}"/*.stdin "${OUT}"/*.stdout "${OUT}"/*.stderr "${OUT}"/*.exit "${OUT}"/*.ms "${OUT}/jobs.json"

write_script() { # write_script NAME BODY...: a batch script file
  local file="${SCRATCH}/$1.sh"
  shift
  printf '#!/bin/bash\n' >"${file}"
  printf '%s\n' "$@" >>"${file}"
  printf '%s' "${file}"
}

log "submitting jobs"
((WITH_TIMEOUT)) && submit timeout "$(write_script timeout 'sleep 300')" "" fixture-timeout viz 1 256 1
submit held "$(write_script held 'sleep 60')" "" fixture-held viz 1 256 5 --hold "--comment=recorded by record-fixtures.sh"
submit running "$(write_script running 'sleep 600')" "" fixture-running viz 4 1024 10
submit completed "$(write_script completed 'test "$VIZ_FIXTURE" = yes')" "" fixture-completed viz 1 256 5 \
  "--env=VIZ_FIXTURE=yes,VIZ_OTHER=2"
submit failed "$(write_script failed 'exit 3')" "" fixture-failed viz 1 256 5
submit cancelled "$(write_script cancelled 'sleep 600')" "" fixture-cancelled viz 1 256 5
# Ignores the first TERM for a few seconds, so Slurm shows it COMPLETING after scancel.
rm -f "${JOB_DIR}/completing.ready"
submit completing "$(write_script completing 'trap "sleep 4" TERM' "touch ${JOB_DIR}/completing.ready" 'sleep 600 & wait' 'sleep 4')" "" \
  fixture-completing viz 1 256 5
# 1563 minutes = 1-02:03:00, over viz's MaxTime of 8 h: accepted, then PENDING (PartitionTimeLimit).
submit over-limit "$(write_script over-limit 'true')" "" fixture-over-limit viz 1 256 1563
submit alice "$(write_script alice 'sleep 600')" alice fixture-alice viz 1 256 5

log "recording rejected submissions"
record_lines sbatch-rejected-partition "$(write_script rejected 'true')" < <(sbatch_argv fixture-rejected nosuch 1 256 5)
record_lines sbatch-rejected-memory "$(write_script rejected 'true')" < <(sbatch_argv fixture-rejected viz 1 999999 5)
record_lines sbatch-rejected-gres "$(write_script rejected 'true')" < <(sbatch_argv fixture-rejected viz 1 256 5 --gres=gpu:1)
mapfile -t argv < <(sbatch_argv fixture-rejected viz 1 256 5)
record sbatch-sudo-unknown-user "$(write_script rejected 'true')" sudo -n -u nosuchuser -- "${argv[@]}"

log "waiting for the jobs to settle"
wait_state "${JOB_IDS[running]}" '^RUNNING$' 30
wait_state "${JOB_IDS[cancelled]}" '^RUNNING$' 30
wait_state "${JOB_IDS[completing]}" '^RUNNING$' 30
wait_state "${JOB_IDS[alice]}" '^RUNNING$' 30
wait_state "${JOB_IDS[completed]}" '^COMPLETED$' 30
wait_state "${JOB_IDS[failed]}" '^FAILED$' 30
wait_state "${JOB_IDS[over-limit]}" '^PENDING$' 10

log "cancelling"
record scancel-running - scancel --verbose "${JOB_IDS[cancelled]}"
# Catch the COMPLETING state (the job sleeps 4 s on TERM; KillWait is 5 s) once its trap is set.
for ((i = 0; i < 50; i++)); do [[ -e ${JOB_DIR}/completing.ready ]] && break; sleep 0.2; done
scancel "${JOB_IDS[completing]}"
wait_state "${JOB_IDS[completing]}" '^COMPLETING$' 5
squeue_ids "${JOB_IDS[completing]}" | record_lines squeue-completing -
record scontrol-job-completing - scontrol show job -o "${JOB_IDS[completing]}"
record scancel-completing - scancel --verbose "${JOB_IDS[completing]}"
wait_state "${JOB_IDS[cancelled]}" '^CANCELLED$' 20
wait_state "${JOB_IDS[completing]}" '^CANCELLED$' 20

record scancel-finished - scancel --verbose "${JOB_IDS[completed]}"
record scancel-unknown - scancel --verbose "${UNKNOWN_ID}"
record scancel-signal-running - scancel --verbose --signal=USR1 "${JOB_IDS[running]}"
record scancel-signal-finished - scancel --verbose --signal=TERM "${JOB_IDS[completed]}"
record scancel-signal-unknown - scancel --verbose --signal=TERM "${UNKNOWN_ID}"
record scancel-other-user - sudo -n -u alice -- scancel --verbose "${JOB_IDS[running]}"

log "querying"
ids="${JOB_IDS[held]},${JOB_IDS[running]},${JOB_IDS[completed]},${JOB_IDS[failed]},${JOB_IDS[cancelled]},${JOB_IDS[completing]},${JOB_IDS[over-limit]},${JOB_IDS[alice]}"
squeue_ids "${ids}" | record_lines squeue-jobs -
squeue_ids "${JOB_IDS[running]},${UNKNOWN_ID},${JOB_IDS[completed]}" | record_lines squeue-some-unknown -
squeue_ids "${UNKNOWN_ID}" | record_lines squeue-one-unknown -
squeue_ids "${UNKNOWN_ID2},${UNKNOWN_ID}" | record_lines squeue-all-unknown -
squeue_ids "${JOB_IDS[running]}" | record_lines squeue-one-running -
# What cancel(id, {signal}) asks after scancel called the finished job "Invalid job id".
squeue_ids "${JOB_IDS[completed]}" | record_lines squeue-one-completed -
squeue_name vizportal-fixture-running | record_lines squeue-by-name -
squeue_name vizportal-fixture-nosuch | record_lines squeue-by-name-none -
for name in held running completed failed cancelled alice over-limit; do
  record "scontrol-job-${name}" - scontrol show job -o "${JOB_IDS[${name}]}"
done
record scontrol-job-unknown - scontrol show job -o "${UNKNOWN_ID}"
record scontrol-partitions - scontrol show partition -o
# Time limits (Extend), after alice's job was recorded as submitted: root (an operator) may raise a
# running job's limit, alice may not raise her own.
record scontrol-update-running - scontrol update "JobId=${JOB_IDS[alice]}" TimeLimit=10
record scontrol-update-denied - sudo -n -u alice -- scontrol update "JobId=${JOB_IDS[alice]}" TimeLimit=20
record scontrol-update-unknown - scontrol update "JobId=${UNKNOWN_ID}" TimeLimit=10
sinfo_nodes | record_lines sinfo-nodes -

if ((WITH_DRAIN)); then
  log "draining viz02 for a moment"
  scontrol update NodeName=viz02 State=DRAIN Reason="record-fixtures drain"
  sinfo_nodes | record_lines sinfo-nodes-drained -
  scontrol update NodeName=viz02 State=RESUME
fi

log "Slurm unreachable without stopping it: a wrong munge socket, a controller that never answers"
sed -e '/^AuthType/a AuthInfo=socket=/nonexistent/munge.socket' /etc/slurm/slurm.conf >"${SCRATCH}/munge.conf"
squeue_ids "${JOB_IDS[running]},${JOB_IDS[completed]}" | SLURM_CONF="${SCRATCH}/munge.conf" record_lines squeue-munge-failure -
sed -e 's/^SlurmctldPort=.*/SlurmctldPort=6899/' /etc/slurm/slurm.conf >"${SCRATCH}/silent.conf"
python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 6899)); s.listen(64); s.settimeout(1)
held, end = [], time.time() + 30
while time.time() < end:
    try: held.append(s.accept())
    except OSError: pass
' &
LISTENER_PID=$!
sleep 0.5
squeue_ids "${JOB_IDS[running]},${JOB_IDS[completed]}" | SLURM_CONF="${SCRATCH}/silent.conf" record_lines squeue-socket-timeout -
kill "${LISTENER_PID}" 2>/dev/null || true
LISTENER_PID=

if ((WITH_CTLD_DOWN)); then
  log "stopping slurmctld"
  bash "${DEV_CLUSTER}" stop-ctld
  squeue_ids "${JOB_IDS[running]},${JOB_IDS[completed]}" | record_lines squeue-ctld-down -
  squeue_ids "${JOB_IDS[running]}" | record_lines squeue-one-ctld-down -
  sinfo_nodes | record_lines sinfo-ctld-down -
  record scontrol-partitions-ctld-down - scontrol show partition -o
  record scontrol-job-ctld-down - scontrol show job -o "${JOB_IDS[running]}"
  record scancel-ctld-down - scancel --verbose "${JOB_IDS[running]}"
  record_lines sbatch-ctld-down "$(write_script down 'true')" < <(sbatch_argv fixture-ctld-down viz 1 256 5)
  log "starting slurmctld"
  bash "${DEV_CLUSTER}" start-ctld
fi

if ((WITH_TIMEOUT)); then
  log "waiting for the 1-minute job to time out"
  wait_state "${JOB_IDS[timeout]}" '^TIMEOUT$' 150
  squeue_ids "${JOB_IDS[timeout]}" | record_lines squeue-timeout -
  record scontrol-job-timeout - scontrol show job -o "${JOB_IDS[timeout]}"
fi

{
  printf '{\n'
  first=1
  for name in $(printf '%s\n' "${!JOB_IDS[@]}" | sort); do
    ((first)) || printf ',\n'
    printf '  "%s": "%s"' "${name}" "${JOB_IDS[${name}]}"
    first=0
  done
  printf '\n}\n'
} >"${OUT}/jobs.json"
{
  printf 'Recorded %s by libs/slurm-client/scripts/record-fixtures.sh\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  sinfo --version
} >"${OUT}/RECORDED.txt"
log "done: $(ls "${OUT}" | wc -l) files in ${OUT}"
