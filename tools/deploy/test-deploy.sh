#!/usr/bin/env bash
# Tests deploy-app-images.sh over real ssh: two Debian sshd on loopback play the nodes viz01 and
# viz02 (each on its own port, with its own host key), and an ssh client config maps the node names
# to them. Each sshd's ForceCommand starts every remote command in that node's own root folder, so
# a relative --dest lands in a different place per node. Checks that files and checksums land on
# both nodes, that --dry-run changes nothing, that a damaged copy and an unreachable node are
# reported FAILED with a non-zero exit, and that bad names are refused. Run as root.
# shellcheck disable=SC2015 # `check && check || fail`: fail exits, so this is if-not-then-fail.
set -euo pipefail
cd "$(dirname "$0")"
deploy="$PWD/deploy-app-images.sh"
source ../lib/apt.sh

apt_install_missing openssh-server openssh-client rsync

tmp=$(mktemp -d /tmp/vizportal-deploy-test.XXXXXX)
sshd_pids=()
cleanup() {
  local pid
  for pid in "${sshd_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${sshd_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf -- "$tmp"
}
trap cleanup EXIT

checks=0
pass() {
  checks=$((checks + 1))
  echo "test-deploy: ok - $*"
}
fail() {
  echo "test-deploy: FAIL - $*" >&2
  for log in "$tmp"/sshd-*.log; do
    echo "--- $log" >&2
    tail -n 20 "$log" >&2 || true
  done
  exit 1
}

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# sshd refuses to start without its privilege separation directory.
mkdir -p /run/sshd
chmod 0755 /run/sshd

ssh-keygen -q -t ed25519 -N '' -C vizportal-deploy-test -f "$tmp/client_key"
cp "$tmp/client_key.pub" "$tmp/authorized_keys"
user=$(id -un)

{
  echo "Host *"
  echo "  User $user"
  echo "  IdentityFile $tmp/client_key"
  echo "  IdentitiesOnly yes"
  echo "  UserKnownHostsFile $tmp/known_hosts"
  echo "  GlobalKnownHostsFile /dev/null"
  echo "  StrictHostKeyChecking yes"
  echo "  LogLevel ERROR"
} >"$tmp/ssh_config.common"
: >"$tmp/ssh_config.nodes"

start_node() {
  local node=$1 port
  port=$(free_port)
  mkdir -p "$tmp/nodes/$node"
  ssh-keygen -q -t ed25519 -N '' -C "$node" -f "$tmp/hostkey-$node"
  cat >"$tmp/sshd-$node.conf" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/hostkey-$node
PidFile $tmp/sshd-$node.pid
AuthorizedKeysFile $tmp/authorized_keys
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $user
UsePAM no
X11Forwarding no
AllowTcpForwarding no
Subsystem sftp internal-sftp
# Not root's own ~/.bashrc (bash reads it for ssh commands): the test must not depend on this machine's shell setup.
SetEnv HOME=$tmp/home-$node
ForceCommand cd $tmp/nodes/$node && exec /bin/sh -c "\$SSH_ORIGINAL_COMMAND"
EOF
  /usr/sbin/sshd -t -f "$tmp/sshd-$node.conf" || fail "sshd rejects the config of $node"
  /usr/sbin/sshd -D -f "$tmp/sshd-$node.conf" -E "$tmp/sshd-$node.log" &
  sshd_pids+=($!)
  printf '%s %s\n' "$node" "$(cut -d' ' -f1,2 "$tmp/hostkey-$node.pub")" >>"$tmp/known_hosts"
  printf 'Host %s\n  HostName 127.0.0.1\n  Port %s\n  HostKeyAlias %s\n' "$node" "$port" "$node" >>"$tmp/ssh_config.nodes"
  local listening=false
  for _ in $(seq 50); do
    if (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
      listening=true
      break
    fi
    sleep 0.1
  done
  $listening || fail "sshd for $node does not listen on 127.0.0.1:$port"
  echo "test-deploy: sshd for $node on 127.0.0.1:$port (pid ${sshd_pids[-1]})"
}
start_node viz01
start_node viz02
# viz03 is named in the ssh config but nothing listens on its port: an unreachable node.
printf 'Host viz03\n  HostName 127.0.0.1\n  Port %s\n' "$(free_port)" >>"$tmp/ssh_config.nodes"
cat "$tmp/ssh_config.nodes" "$tmp/ssh_config.common" >"$tmp/ssh_config"

ssh -F "$tmp/ssh_config" viz01 'pwd' | grep -qx "$tmp/nodes/viz01" || fail "ssh to viz01 does not land in its node root"
pass "ssh reaches both sshd with the test key and known host keys"

mkdir -p "$tmp/images"
head -c 3000000 /dev/urandom >"$tmp/images/gedit.sif"
echo 'A site note kept beside the image' >"$tmp/images/README.txt"
sum_sif=$(sha256sum "$tmp/images/gedit.sif" | cut -d' ' -f1)
sum_readme=$(sha256sum "$tmp/images/README.txt" | cut -d' ' -f1)

# The two nodes by name, as sinfo reports them (a node in two partitions is listed twice), with
# partition filtering passed through. A stand-in sinfo keeps this test off the shared Slurm cluster.
mkdir -p "$tmp/bin"
cat >"$tmp/bin/sinfo" <<EOF
#!/bin/sh
echo "\$*" >>"$tmp/sinfo.args"
case "\$*" in
  *"-p debug"*) echo viz02 ;;
  *) printf 'viz01\nviz02\nviz01\nviz02\n' ;;
esac
EOF
chmod +x "$tmp/bin/sinfo"

run_deploy() {
  # Runs the script, keeping its output in $tmp/out and its status in $status.
  set +e
  PATH="$tmp/bin:$PATH" bash "$deploy" --ssh-config "$tmp/ssh_config" --dest apptainers/apps "$@" >"$tmp/out" 2>&1
  status=$?
  set -e
  sed 's/^/    | /' "$tmp/out"
}

# 1. --dry-run reaches every node and changes nothing.
run_deploy --dry-run gedit "$tmp/images/gedit.sif" "$tmp/images/README.txt"
[ "$status" -eq 0 ] || fail "dry run exited $status"
grep -q '^deploy: viz01 .*DRY-RUN' "$tmp/out" && grep -q '^deploy: viz02 .*DRY-RUN' "$tmp/out" || fail "dry run does not report both nodes"
grep -q 'gedit.sif' "$tmp/out" || fail "dry run does not say it would copy gedit.sif"
[ -z "$(find "$tmp/nodes" -mindepth 2)" ] || fail "dry run changed the nodes: $(find "$tmp/nodes" -mindepth 2)"
grep -q -- '-N -h -o %N' "$tmp/sinfo.args" || fail "the nodes did not come from sinfo -N -h -o %N"
pass "--dry-run reports both sinfo nodes and creates nothing on them"

# 2. The real deployment: files and checksums land on both nodes.
run_deploy gedit "$tmp/images/gedit.sif" "$tmp/images/README.txt"
[ "$status" -eq 0 ] || fail "deploy exited $status"
[ "$(grep -c '^deploy: viz0[12] .*OK' "$tmp/out")" -eq 2 ] || fail "deploy does not report both nodes OK"
for node in viz01 viz02; do
  dir="$tmp/nodes/$node/apptainers/apps/gedit"
  [ "$(sha256sum "$dir/gedit.sif" | cut -d' ' -f1)" = "$sum_sif" ] || fail "gedit.sif on $node has the wrong sha256"
  [ "$(sha256sum "$dir/README.txt" | cut -d' ' -f1)" = "$sum_readme" ] || fail "README.txt on $node has the wrong sha256"
  [ "$(stat -c %a "$dir/gedit.sif")" = 644 ] || fail "gedit.sif on $node is not mode 644"
done
pass "both files landed on viz01 and viz02 with the right sha256 and mode 644"

# 3. A dry run after it has nothing left to copy.
run_deploy --dry-run gedit "$tmp/images/gedit.sif" "$tmp/images/README.txt"
[ "$status" -eq 0 ] && [ "$(grep -c 'would copy 0 file' "$tmp/out")" -eq 2 ] || fail "dry run after a deploy still wants to copy"
pass "a dry run after the deploy finds nothing to copy"

# 4. --partition reaches sinfo; only that partition's node is deployed to.
run_deploy --partition debug --dry-run gedit "$tmp/images/gedit.sif"
grep -q -- '-p debug' "$tmp/sinfo.args" && grep -q '1 node(s): viz02 (dry run' "$tmp/out" || fail "--partition debug did not select viz02 alone"
pass "--partition is passed to sinfo and selects its nodes"

# 5. A damaged copy with the right size and time: rsync's quick check skips it, the checksum does not.
damaged="$tmp/nodes/viz02/apptainers/apps/gedit/gedit.sif"
cp -p "$damaged" "$tmp/reference"
printf 'X' | dd of="$damaged" bs=1 seek=1000 conv=notrunc status=none
touch -r "$tmp/reference" "$damaged"
run_deploy gedit "$tmp/images/gedit.sif" "$tmp/images/README.txt"
[ "$status" -eq 1 ] || fail "a damaged copy on viz02 gave exit $status, not 1"
grep -q '^deploy: viz02 .*FAILED sha256 mismatch.*gedit.sif' "$tmp/out" || fail "viz02's damaged copy is not reported FAILED"
grep -q '^deploy: viz01 .*OK' "$tmp/out" || fail "viz01 is not reported OK beside the failed viz02"
pass "a damaged copy is reported FAILED (sha256 mismatch) on its node only, exit 1"

run_deploy --sudo --checksum gedit "$tmp/images/gedit.sif" "$tmp/images/README.txt"
[ "$status" -eq 0 ] && [ "$(sha256sum "$damaged" | cut -d' ' -f1)" = "$sum_sif" ] || fail "--checksum did not repair viz02"
pass "--checksum (here with --sudo on the nodes) recopies the damaged file and both nodes verify"

# 6. An unreachable node is FAILED; the others still get the image.
run_deploy --nodes viz01,viz03 gedit "$tmp/images/gedit.sif"
[ "$status" -eq 1 ] || fail "an unreachable node gave exit $status, not 1"
grep -q '^deploy: viz03 .*FAILED.*[Cc]onnection refused' "$tmp/out" || fail "viz03 is not reported FAILED with the reason"
grep -q '^deploy: viz01 .*OK' "$tmp/out" || fail "viz01 is not OK beside the unreachable viz03"
pass "an unreachable node is reported FAILED with ssh's reason, exit 1"

# 7. Names that could escape the target folder or reach a shell are refused before any ssh.
for bad_app in '../etc' 'a b' 'x;touch pwned' '..'; do
  run_deploy --nodes viz01 "$bad_app" "$tmp/images/gedit.sif"
  [ "$status" -eq 2 ] && grep -q 'refusing app name' "$tmp/out" || fail "app name '$bad_app' was not refused"
done
run_deploy --nodes viz01 --dest '/opt/x y' gedit "$tmp/images/gedit.sif"
[ "$status" -eq 2 ] || fail "a --dest with a space was not refused"
[ -z "$(find "$tmp/nodes" -name pwned)" ] && [ ! -e "$tmp/nodes/viz01/etc" ] || fail "a refused name still changed a node"
pass "bad app names and destinations are refused with exit 2 and nothing changes"

echo "test-deploy: all $checks checks passed"
