#!/usr/bin/env bash
# Entrypoint of the portal image: as root, installs the shared munge key, renders slurm.conf with the
# dev-cluster tool's own code (the Slurm containers' hosts and addresses from DEV_CLUSTER_*) and
# starts munged, so that sbatch, squeue, scancel, scontrol and sinfo work here; then runs the API as
# the vizportal account (the one SLURM_SUBMIT_AS=service submits as).
set -euo pipefail

# shellcheck disable=SC1091 # copied into the image from tools/dev-cluster
source /opt/vizportal/dev-cluster/dev-cluster.sh
# shellcheck disable=SC1091 # copied into the image from containers/munge-key.sh
source /opt/vizportal/munge-key.sh

install_shared_munge_key
install -d -o munge -g munge -m 0755 "${MUNGE_RUN_DIR}"
install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
install -d -m 0755 /etc/slurm
write_config || true
start_munge

# Named volumes start out root-owned on some engines: the portal writes to both.
install -d -o vizportal -g vizportal -m 0755 "${STAGING_DIR}" "$(dirname "${DATABASE_PATH}")"

cd /opt/vizportal
export HOME=/home/vizportal USER=vizportal LOGNAME=vizportal
exec setpriv --reuid=vizportal --regid=vizportal --init-groups -- node dist/apps/api/main.js "$@"
