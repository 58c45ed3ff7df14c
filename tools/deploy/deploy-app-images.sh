#!/usr/bin/env bash
# Deploys an app's image files (Apptainer .sif and the like) to the visualization nodes: rsync over
# ssh into <dest>/<app>/ on every node, then the sha256 of every file is checked on every node
# against the local one. Prints one line per node (OK / FAILED with the reason, or DRY-RUN) and
# exits 1 when any node failed. See tools/deploy/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy-app-images.sh [options] APP FILE...

Copies FILE... (e.g. gedit.sif) to DEST/APP/ on every visualization node and verifies each file's
sha256 on each node. The app manifest then names the image, e.g. /opt/apptainers/apps/gedit/gedit.sif.

Nodes (default: every node `sinfo -N -h -o %N` lists):
  --nodes LIST         comma- or space-separated node names instead of sinfo
  --partition NAME     only the nodes of this Slurm partition (sinfo -p NAME)
Target:
  --dest DIR           target root on the nodes (default /opt/apptainers/apps); a relative DIR is
                       relative to the ssh user's login directory
  --sudo               run the remote commands as root via `sudo -n` (for a non-root ssh user)
  --checksum           let rsync compare file contents, not size and time, to decide what to copy
                       (repairs a damaged copy that still has the right size and time)
ssh:
  --user NAME          ssh login name
  --port N             ssh port
  --identity FILE      ssh private key
  --ssh-config FILE    ssh client config (ssh -F), e.g. mapping node names to addresses
  --ssh-option OPT     extra `ssh -o OPT` (repeatable), e.g. --ssh-option StrictHostKeyChecking=yes
Run:
  --parallel N         nodes deployed at the same time (default 4)
  --dry-run            connect and show what rsync would copy; change nothing on any node
  -h, --help           this text

Exit status: 0 every node OK, 1 at least one node FAILED, 2 bad usage or local problem.
EOF
}

die() {
  echo "deploy: $*" >&2
  exit 2
}

# Names that end up in remote paths and commands: nothing a shell or rsync could read as syntax.
SAFE_NAME='^[A-Za-z0-9._-]+$'
SAFE_PATH='^[A-Za-z0-9._/+-]+$'

dest=/opt/apptainers/apps
nodes_arg=''
partition=''
use_sudo=false
use_checksum=false
dry_run=false
parallel=4
ssh_opts=(-o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=15)

while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) [ $# -ge 2 ] || die "--nodes needs a value"; nodes_arg=$2; shift 2 ;;
    --partition) [ $# -ge 2 ] || die "--partition needs a value"; partition=$2; shift 2 ;;
    --dest) [ $# -ge 2 ] || die "--dest needs a value"; dest=$2; shift 2 ;;
    --sudo) use_sudo=true; shift ;;
    --checksum) use_checksum=true; shift ;;
    --user) [ $# -ge 2 ] || die "--user needs a value"; ssh_opts+=(-l "$2"); shift 2 ;;
    --port) [ $# -ge 2 ] || die "--port needs a value"; [[ $2 =~ ^[0-9]+$ ]] || die "--port must be a number"; ssh_opts+=(-p "$2"); shift 2 ;;
    --identity) [ $# -ge 2 ] || die "--identity needs a value"; [ -r "$2" ] || die "cannot read the identity file $2"; ssh_opts+=(-i "$2" -o IdentitiesOnly=yes); shift 2 ;;
    --ssh-config) [ $# -ge 2 ] || die "--ssh-config needs a value"; [ -r "$2" ] || die "cannot read the ssh config $2"; ssh_opts+=(-F "$2"); shift 2 ;;
    --ssh-option) [ $# -ge 2 ] || die "--ssh-option needs a value"; ssh_opts+=(-o "$2"); shift 2 ;;
    --parallel) [ $# -ge 2 ] || die "--parallel needs a value"; [[ $2 =~ ^[1-9][0-9]*$ ]] || die "--parallel must be a positive number"; parallel=$2; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done

[ $# -ge 2 ] || { usage >&2; exit 2; }
app=$1
shift
files=("$@")

[[ $app =~ $SAFE_NAME ]] || die "refusing app name '$app': only letters, digits, '.', '_' and '-' are allowed"
[[ $app != . && $app != .. ]] || die "refusing app name '$app'"
[[ $dest =~ $SAFE_PATH ]] || die "refusing --dest '$dest': only letters, digits and . _ / + - are allowed"
for ((i = 0; i < ${#ssh_opts[@]}; i++)); do
  # rsync's -e takes one string; each argument is single-quoted there, so none may hold a quote.
  [[ ${ssh_opts[i]} != *"'"* ]] || die "refusing an ssh option containing a single quote: ${ssh_opts[i]}"
done

declare -A seen_names=()
for file in "${files[@]}"; do
  { [ -f "$file" ] && [ -r "$file" ]; } || die "not a readable file: $file"
  name=$(basename -- "$file")
  [[ $name =~ $SAFE_NAME ]] || die "refusing file name '$name': only letters, digits, '.', '_' and '-' are allowed"
  [ -z "${seen_names[$name]:-}" ] || die "two files are both called $name"
  seen_names[$name]=1
done

# The nodes: the list given, or Slurm's (a node in several partitions is listed once).
if [ -n "$nodes_arg" ]; then
  read -r -a nodes <<<"${nodes_arg//,/ }"
else
  command -v sinfo >/dev/null || die "sinfo is not on PATH: give the nodes with --nodes"
  sinfo_args=(-N -h -o %N)
  [ -z "$partition" ] || sinfo_args+=(-p "$partition")
  sinfo_out=$(sinfo "${sinfo_args[@]}") || die "sinfo failed"
  mapfile -t nodes < <(printf '%s\n' "$sinfo_out" | awk 'NF && !seen[$1]++ { print $1 }')
fi
[ ${#nodes[@]} -gt 0 ] || die "no nodes to deploy to${partition:+ in partition $partition}"
for node in "${nodes[@]}"; do
  [[ $node =~ $SAFE_NAME ]] || die "refusing node name '$node'"
done

# Local checksums: what every node must end up holding.
declare -A local_sums=()
for file in "${files[@]}"; do
  local_sums[$(basename -- "$file")]=$(sha256sum -- "$file" | awk '{ print $1 }')
done

target_dir="${dest%/}/$app"
remote_prefix=''
rsync_path=()
if $use_sudo; then
  remote_prefix='sudo -n '
  rsync_path=(--rsync-path='sudo -n rsync')
fi
rsync_shell="'ssh'$(printf " '%s'" "${ssh_opts[@]}")"
# shellcheck disable=SC2054 # --chmod's value is one argument with commas
rsync_opts=(--secluded-args --copy-links --times --perms --chmod=D0755,F0644 --itemize-changes -e "$rsync_shell" "${rsync_path[@]}")
$use_checksum && rsync_opts+=(--checksum)
$dry_run && rsync_opts+=(--dry-run)
rsync --help 2>&1 | grep -q -- '--secluded-args' || rsync_opts=("${rsync_opts[@]/--secluded-args/--protect-args}")

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

echo "deploy: app $app: ${#files[@]} file(s) to $target_dir/ on ${#nodes[@]} node(s): ${nodes[*]}$($dry_run && echo ' (dry run: nothing is changed)')"
for name in "${!local_sums[@]}"; do
  printf 'deploy:   %s  sha256 %s\n' "$name" "${local_sums[$name]}"
done

# One node, start to end; its verdict goes to $work/<node>.result, its details to $work/<node>.log.
deploy_node() {
  local node=$1 result="$work/$1.result" log="$work/$1.log"
  local quoted_dir="'$target_dir'"
  if ! $dry_run; then
    if ! ssh "${ssh_opts[@]}" -- "$node" "${remote_prefix}mkdir -p -- $quoted_dir" >>"$log" 2>&1; then
      echo "FAILED cannot create $target_dir: $(tail -n 1 "$log")" >"$result"
      return
    fi
  fi
  if ! rsync "${rsync_opts[@]}" -- "${files[@]}" "$node:$target_dir/" >>"$log" 2>&1; then
    echo "FAILED rsync: $(grep -v '^[<>ch.*]' "$log" | tail -n 1)" >"$result"
    return
  fi
  if $dry_run; then
    # rsync --itemize-changes: `<f…` is a file it would send; `created directory` a folder it would make.
    local to_copy creates_dir=''
    to_copy=$(grep '^<f' "$log" | awk '{ print $2 }' | tr '\n' ' ' || true)
    grep -q '^created directory' "$log" && creates_dir=" and create $target_dir"
    echo "DRY-RUN reachable; would copy $(wc -w <<<"$to_copy") file(s)${to_copy:+: ${to_copy% }}${creates_dir}" >"$result"
    return
  fi
  local names=() name
  for name in "${!local_sums[@]}"; do names+=("'$name'"); done
  local sums
  if ! sums=$(ssh "${ssh_opts[@]}" -- "$node" "cd -- $quoted_dir && ${remote_prefix}sha256sum -- ${names[*]}" 2>>"$log"); then
    echo "FAILED cannot checksum on the node: $(tail -n 1 "$log")" >"$result"
    return
  fi
  local bad=() remote_sum remote_name
  for name in "${!local_sums[@]}"; do
    remote_sum=''
    while read -r sum remote_name; do
      [ "$remote_name" = "$name" ] && remote_sum=$sum
    done <<<"$sums"
    [ "$remote_sum" = "${local_sums[$name]}" ] || bad+=("$name")
  done
  if [ ${#bad[@]} -gt 0 ]; then
    echo "FAILED sha256 mismatch on the node for: ${bad[*]} (rerun with --checksum to recopy)" >"$result"
  else
    echo "OK ${#local_sums[@]} file(s) in $target_dir, sha256 verified" >"$result"
  fi
}

running=0
for node in "${nodes[@]}"; do
  deploy_node "$node" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

failed=0
for node in "${nodes[@]}"; do
  verdict=$(cat "$work/$node.result" 2>/dev/null || echo "FAILED no result (the deploy of this node crashed)")
  printf 'deploy: %-20s %s\n' "$node" "$verdict"
  case "$verdict" in
    OK* | DRY-RUN*) ;;
    *) failed=$((failed + 1)) ;;
  esac
done

if [ "$failed" -gt 0 ]; then
  echo "deploy: $failed of ${#nodes[@]} node(s) FAILED"
  exit 1
fi
echo "deploy: all ${#nodes[@]} node(s) $($dry_run && echo 'reachable (dry run)' || echo 'OK')"
