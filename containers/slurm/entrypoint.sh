#!/usr/bin/env bash
# Entrypoint of the Slurm image: runs one role of the compose cluster in the foreground.
#   munge       creates the shared munge key (once, in its volume) and runs munged
#   slurmctld   the controller
#   viz01/viz02 a visualization node's slurmd
# slurm.conf is rendered and the daemons are started by the dev-cluster tool's own functions
# (tools/dev-cluster/dev-cluster.sh, sourced), with the hosts and addresses of the compose network
# from DEV_CLUSTER_CTLD_HOST/_ADDR and DEV_CLUSTER_VIZ0n_HOST/_ADDR. Every container also runs its
# own munged with the shared key. The daemon's log goes to the container's output; the container
# stops when the daemon dies, and stops the daemon on TERM.
set -euo pipefail

role=${1:-slurmctld}

# shellcheck disable=SC1091 # copied into the image from tools/dev-cluster
source /opt/vizportal/dev-cluster/dev-cluster.sh
# shellcheck disable=SC1091 # copied into the image from containers/munge-key.sh
source /opt/vizportal/munge-key.sh

if [[ ${role} == munge ]]; then create_shared_munge_key; fi
install_shared_munge_key
prepare_dirs
write_config || true
start_munge

case ${role} in
munge)
  log_file=${MUNGE_LOG}
  role_pid() { munged_pid; }
  ;;
slurmctld)
  start_ctld
  log_file=${LOG_DIR}/slurmctld.log
  role_pid() { ctld_pid; }
  ;;
*)
  is_known_node "${role}" || die "unknown role '${role}' (munge, slurmctld, ${NODES[*]})"
  start_slurmd "${role}"
  log_file=${LOG_DIR}/slurmd-${role}.log
  role_pid() { slurmd_pid "${role}"; }
  ;;
esac

stop_role() {
  log "stopping ${role}"
  case ${role} in
  munge) ;;
  slurmctld) stop_ctld ;;
  *) stop_slurmd "${role}" ;;
  esac
  local pid
  if pid=$(munged_pid); then terminate munged "${pid}"; fi
  exit 0
}
trap stop_role TERM INT

tail -n +1 -F "${log_file}" 2>/dev/null &
log "${role} is running"
while role_pid >/dev/null; do
  # In the background, so that TERM is handled at once.
  sleep 2 &
  wait $! || true
done
die "${role} exited; see its log above"
