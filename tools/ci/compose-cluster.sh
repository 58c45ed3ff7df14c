#!/usr/bin/env bash
# compose-cluster.sh - brings docker-compose.slurm.yml up for real with podman and podman-compose,
# checks it end to end, and always takes it down again.
#
# Checks: the containerized portal answers GET /api/health; sinfo (in the slurmctld container) shows
# viz01 and viz02 idle; the admin logs in through REST; a desktop session launched through
# POST /api/sessions reaches `running` on viz01 or viz02 (the job's Xvnc reported ready to the portal
# over the compose network), as the portal's account vizportal; the node's Xvnc greets through the
# portal's VNC WebSocket proxy; POST /stop ends the session cancelled.
# Needs the portal's build in dist/ (nx build api web), which the portal image packs.
#
# No container registry is reachable here, so the base images the Dockerfiles name
# (docker.io/library/debian:bookworm, docker.io/library/node:20-bookworm-slim) are made locally:
# debootstrap (minbase) + `podman import`, and that root plus this machine's Node 20. They stay in
# podman's image store, so later runs skip that (~35 s). Run as root on Debian 12. Does not touch
# the host's dev cluster (127.0.0.1:6817-6822, /etc/slurm, /etc/munge): the containers sit on
# their own bridge network and publish only the portal's port.
#
# Usage: bash tools/ci/compose-cluster.sh            (env: COMPOSE_CLUSTER_PORTAL_PORT, default 18080)
#        bash tools/ci/compose-cluster.sh --install  (only install the host packages)
#        bash tools/ci/compose-cluster.sh --base-images  (only make the two base images)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly REPO_ROOT=$PWD
readonly COMPOSE_FILE=docker-compose.slurm.yml
readonly PROJECT=vizportal-ci
readonly NETWORK=${PROJECT}_cluster
readonly DEBIAN_IMAGE=docker.io/library/debian:bookworm
readonly NODE_IMAGE=docker.io/library/node:20-bookworm-slim
readonly PORTAL_PORT=${COMPOSE_CLUSTER_PORTAL_PORT:-18080}
readonly PORTAL_URL=http://127.0.0.1:${PORTAL_PORT}
readonly ADMIN_USER=admin
ADMIN_PASS=ci-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
readonly ADMIN_PASS
readonly PODMAN_NPROC_CAP=32768 # podman lowers its own RLIMIT_NPROC to this

log() { printf '[compose-cluster] %s\n' "$*"; }
die() {
  printf '[compose-cluster] ERROR: %s\n' "$*" >&2
  exit 1
}

# Phase timings, printed at the end (and on failure).
declare -a TIMINGS=()
phase_started=0
phase_name=''
phase() {
  phase_end
  phase_name=$1
  phase_started=$SECONDS
  log "---- ${phase_name}"
}
phase_end() {
  if [[ -n ${phase_name} ]]; then TIMINGS+=("$(printf '%-46s %4d s' "${phase_name}" $((SECONDS - phase_started)))"); fi
  phase_name=''
}
print_timings() {
  phase_end
  log "timings:"
  local t
  for t in "${TIMINGS[@]}"; do printf '    %s\n' "${t}"; done
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@"
}

installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }

# ------------------------------------------------------------------ host packages

ensure_backports() {
  if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then return 0; fi
  log "adding bookworm-backports to the apt sources"
  cat >/etc/apt/sources.list.d/bookworm-backports.sources <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt-get -o DPkg::Lock::Timeout=600 update
}

install_host_packages() {
  local -a missing=()
  local p
  for p in podman runc golang-github-containernetworking-plugin-dnsname debootstrap docker-compose curl; do
    installed "${p}" || missing+=("${p}")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt_install "${missing[@]}" || { apt-get -o DPkg::Lock::Timeout=600 update && apt_install "${missing[@]}"; }
  fi
  # podman-compose 1.0.3 (bookworm) leaves the project network behind on `down`; 1.0.6 does not.
  if ! dpkg-query -W -f='${Version}' podman-compose 2>/dev/null | grep -q '^1\.0\.6'; then
    ensure_backports
    log "installing podman-compose from bookworm-backports"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -t bookworm-backports \
      install -y --no-install-recommends podman-compose ||
      {
        apt-get -o DPkg::Lock::Timeout=600 update
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -t bookworm-backports \
          install -y --no-install-recommends podman-compose
      }
  fi
  log "podman $(podman --version | awk '{print $3}'), $(podman-compose version 2>/dev/null | grep -i 'podman-compose version' | head -n 1)"
}

# ------------------------------------------------------------------ base images

# containers.conf for this run only (CONTAINERS_CONF, never /etc): runc (crun fails on this host's
# hybrid cgroups), CNI networking (service names resolve through the dnsname plugin), and rlimits
# no higher than what podman itself keeps, read now rather than hard-coded.
write_containers_conf() {
  local nofile nproc
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  [[ ${nofile} == unlimited ]] && nofile=1048576
  if [[ ${nproc} == unlimited ]] || ((nproc > PODMAN_NPROC_CAP)); then nproc=${PODMAN_NPROC_CAP}; fi
  sed -e "s|@NOFILE@|${nofile}|g" -e "s|@NPROC@|${nproc}|g" \
    containers/podman/containers.conf.template >"${WORK_DIR}/containers.conf"
  export CONTAINERS_CONF=${WORK_DIR}/containers.conf
  log "CONTAINERS_CONF=${CONTAINERS_CONF} (nofile ${nofile}, nproc ${nproc})"
}

# docker.io/library/debian:bookworm from debootstrap (minbase), kept in podman's store.
make_debian_image() {
  if podman image exists "${DEBIAN_IMAGE}"; then
    log "${DEBIAN_IMAGE} already in podman's store"
    return 0
  fi
  local root=${WORK_DIR}/debian-root
  log "debootstrap bookworm (minbase) into ${root}"
  debootstrap --variant=minbase bookworm "${root}" http://deb.debian.org/debian >"${WORK_DIR}/debootstrap.log" 2>&1 ||
    {
      tail -n 30 "${WORK_DIR}/debootstrap.log" >&2
      die "debootstrap failed"
    }
  # As in the official image: no apt caches; each Dockerfile runs apt-get update.
  rm -rf "${root}"/var/cache/apt/archives/*.deb "${root}"/var/lib/apt/lists/*
  tar -C "${root}" -c . | podman import --change 'CMD ["bash"]' - "${DEBIAN_IMAGE}" >"${WORK_DIR}/import.log" 2>&1 ||
    {
      cat "${WORK_DIR}/import.log" >&2
      die "podman import failed"
    }
  rm -rf "${root}"
  log "imported ${DEBIAN_IMAGE}"
}

# docker.io/library/node:20-bookworm-slim: that Debian root plus this machine's Node 20 and npm,
# where the official image has them (/usr/local). Rebuilt when the host's Node version changes.
make_node_image() {
  local node_bin npm_dir version ctx
  node_bin=$(readlink -f "$(command -v node)")
  version=$("${node_bin}" --version)
  [[ ${version} == v20.* ]] || die "Node 20 is needed for the portal's base image (found ${version})"
  if podman image exists "${NODE_IMAGE}" &&
    [[ $(podman image inspect -f '{{ index .Config.Labels "org.vizportal.node-version" }}' "${NODE_IMAGE}") == "${version}" ]]; then
    log "${NODE_IMAGE} (${version}) already in podman's store"
    return 0
  fi
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  ctx=${WORK_DIR}/node-image
  mkdir -p "${ctx}"
  cp "${node_bin}" "${ctx}/node"
  cp -a "${npm_dir}" "${ctx}/npm"
  {
    echo "FROM ${DEBIAN_IMAGE}"
    echo "LABEL org.vizportal.node-version=${version}"
    echo "COPY node /usr/local/bin/node"
    echo "COPY npm /usr/local/lib/node_modules/npm"
    echo "RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version"
    echo 'CMD ["node"]'
  } >"${ctx}/Containerfile"
  podman build -q -t "${NODE_IMAGE}" "${ctx}" >/dev/null
  rm -rf "${ctx}"
  log "built ${NODE_IMAGE} from ${DEBIAN_IMAGE} and the host's Node ${version}"
}

# ------------------------------------------------------------------ the compose cluster

compose() { podman-compose -p "${PROJECT}" -f "${COMPOSE_FILE}" "$@"; }
container_of() { printf '%s_%s_1' "${PROJECT}" "$1"; }
readonly SERVICES=(munge slurmctld viz01 viz02 portal)

# Takes everything of the project down: containers, volumes, the network. Safe to repeat.
take_down() {
  local -a ids
  compose down -v -t 5 >"${WORK_DIR}/down.log" 2>&1 || true
  mapfile -t ids < <(podman ps -aq --filter "label=io.podman.compose.project=${PROJECT}" 2>/dev/null || true)
  if ((${#ids[@]})); then podman rm -f -t 5 "${ids[@]}" >/dev/null 2>&1 || true; fi
  mapfile -t ids < <(podman volume ls -q --filter "label=io.podman.compose.project=${PROJECT}" 2>/dev/null || true)
  if ((${#ids[@]})); then podman volume rm -f "${ids[@]}" >/dev/null 2>&1 || true; fi
  if podman network exists "${NETWORK}" 2>/dev/null; then podman network rm -f "${NETWORK}" >/dev/null 2>&1 || true; fi
}

dump_diagnostics() {
  local s
  {
    if [[ -s ${WORK_DIR}/up.log ]]; then
      echo "---- podman-compose up (last 20 lines)"
      tail -n 20 "${WORK_DIR}/up.log"
    fi
    echo "---- podman ps"
    podman ps -a --filter "label=io.podman.compose.project=${PROJECT}" 2>&1 || true
    for s in "${SERVICES[@]}"; do
      echo "---- logs of ${s} (last 40 lines)"
      podman logs --tail 40 "$(container_of "${s}")" 2>&1 || true
    done
    echo "---- sinfo / squeue (slurmctld)"
    podman exec "$(container_of slurmctld)" sh -c 'sinfo; squeue -t all' 2>&1 || true
    if [[ -n ${SESSION_ID:-} ]]; then
      echo "---- session ${SESSION_ID}: its log"
      curl -sS -b "${WORK_DIR}/cookies" "${PORTAL_URL}/api/sessions/${SESSION_ID}/log" 2>&1 || true
      echo
    fi
  } >&2
}

on_exit() {
  local rc=$?
  trap - EXIT
  if ((rc != 0)); then
    log "FAILED (exit ${rc}) in phase: ${phase_name:-?}"
    dump_diagnostics
  fi
  phase "take down (podman-compose down -v, network)"
  take_down
  # Images replaced by this run's builds; the current ones stay as the next run's cache.
  podman image prune -f >/dev/null 2>&1 || true
  print_timings
  rm -rf "${WORK_DIR}"
  if ((rc == 0)); then log "PASSED"; fi
  exit "${rc}"
}

# wait_until SECONDS WHAT COMMAND...: retries COMMAND every second until it succeeds.
wait_until() {
  local timeout=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "${what}: not after ${timeout} s"
    sleep 1
  done
}

# podman runs healthchecks from systemd timers, and there is no systemd here: run them ourselves.
healthy() { podman healthcheck run "$(container_of "$1")"; }

all_healthy() {
  local s
  for s in "${SERVICES[@]}"; do healthy "${s}" || return 1; done
}

# "NODE STATE" for every node, as the controller sees it.
node_states() { podman exec "$(container_of slurmctld)" sinfo -h -N -o '%N %t' | sort -u; }

both_nodes_idle() {
  local states
  states=$(node_states) || return 1
  grep -qx 'viz01 idle' <<<"${states}" && grep -qx 'viz02 idle' <<<"${states}"
}

api() {
  local method=$1 path=$2
  shift 2
  curl -sS -f -b "${WORK_DIR}/cookies" -c "${WORK_DIR}/cookies" -X "${method}" \
    -H 'content-type: application/json' "$@" "${PORTAL_URL}${path}"
}

json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];console.log(v===null||v===undefined?"":v)})' "$1"; }

session_state() { api GET "/api/sessions/${SESSION_ID}" | json_field state; }
session_cancelled() { [[ $(session_state) == cancelled ]]; }

wait_for_running() {
  local deadline=$((SECONDS + 120)) state
  while :; do
    state=$(session_state) || state='?'
    case ${state} in
    running) return 0 ;;
    failed | cancelled | completed | timed_out) die "the session ended ${state} instead of running" ;;
    esac
    ((SECONDS < deadline)) || die "the session is still '${state}' after 120 s"
    sleep 1
  done
}

# Through the portal's VNC proxy: a single-use token from /connect, the WebSocket to the node's
# Xvnc, and the RFB greeting it must send first.
check_vnc_proxy() {
  local grant path
  grant=$(api POST "/api/sessions/${SESSION_ID}/connect")
  path=$(json_field path <<<"${grant}")
  NODE_PATH=${REPO_ROOT}/node_modules node -e '
    const WebSocket = require("ws");
    const ws = new WebSocket(process.argv[1], { headers: { cookie: process.argv[2] } });
    const timer = setTimeout(() => { console.error("no RFB greeting within 10 s"); process.exit(1); }, 10000);
    ws.on("message", (data) => {
      const text = Buffer.from(data).toString("latin1");
      if (!/^RFB \d{3}\.\d{3}\n/.test(text)) { console.error("not an RFB greeting: " + JSON.stringify(text)); process.exit(1); }
      console.log("    VNC proxy: " + text.trim());
      clearTimeout(timer); ws.close(); process.exit(0);
    });
    ws.on("error", (e) => { console.error("websocket: " + e.message); process.exit(1); });
    ws.on("unexpected-response", (_req, res) => { console.error("websocket refused: HTTP " + res.statusCode); process.exit(1); });
  ' "ws://127.0.0.1:${PORTAL_PORT}${path}" "$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "${WORK_DIR}/cookies")"
}

main() {
  [[ ${EUID} -eq 0 ]] || die "run as root (podman runs rootful here)"
  WORK_DIR=$(mktemp -d /tmp/compose-cluster.XXXXXX)
  trap on_exit EXIT

  phase "host packages"
  install_host_packages
  write_containers_conf

  phase "validate compose file (docker-compose config)"
  docker-compose -f "${COMPOSE_FILE}" config -q
  [[ -s dist/apps/api/main.js && -s dist/apps/web/browser/index.html ]] ||
    die "the portal image packs the build: run 'npx nx run-many -t build -p api web --configuration=production' first"
  if curl -s -o /dev/null "${PORTAL_URL}/"; then die "port ${PORTAL_PORT} is taken; set COMPOSE_CLUSTER_PORTAL_PORT"; fi

  phase "base images (debootstrap + podman import)"
  make_debian_image
  make_node_image

  phase "leftovers of an earlier run"
  take_down

  phase "build images"
  compose build >"${WORK_DIR}/build.log" 2>&1 || {
    tail -n 40 "${WORK_DIR}/build.log" >&2
    die "podman-compose build failed"
  }
  # podman-compose 1.0.6 exits 0 when a build fails: an image that is not there says so.
  local image
  for image in localhost/vizportal-slurm:latest localhost/vizportal-portal:latest; do
    podman image exists "${image}" || {
      grep -n -B2 -A8 -m 3 -E '^Error|error building|exit status' "${WORK_DIR}/build.log" | tail -n 40 >&2
      die "podman-compose build made no ${image}"
    }
  done

  phase "podman-compose up -d"
  VIZPORTAL_PORT=${PORTAL_PORT} VIZPORTAL_ADMIN_USERNAME=${ADMIN_USER} VIZPORTAL_ADMIN_PASSWORD=${ADMIN_PASS} \
    compose up -d >"${WORK_DIR}/up.log" 2>&1 || {
    tail -n 40 "${WORK_DIR}/up.log" >&2
    die "podman-compose up failed"
  }

  phase "all five containers healthy"
  wait_until 120 "healthchecks of ${SERVICES[*]}" all_healthy
  log "healthy: ${SERVICES[*]}"

  phase "sinfo: viz01 and viz02 idle"
  wait_until 60 "viz01 and viz02 idle" both_nodes_idle
  node_states | sed 's/^/    /'
  # The portal's own Slurm client commands work too (its munged, the shared key, slurm.conf).
  podman exec "$(container_of portal)" setpriv --reuid=vizportal --regid=vizportal --init-groups sinfo -h -o '%P %a %D %t' |
    sed 's/^/    portal$ sinfo: /'

  phase "portal: GET /api/health"
  wait_until 60 "GET /api/health answers 200" curl -sf "${PORTAL_URL}/api/health"
  # shellcheck disable=SC2016 # JavaScript
  curl -sS "${PORTAL_URL}/api/health" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const h = JSON.parse(s), slurm = h.info?.slurm ?? {};
      console.log(`    /api/health: ${h.status}; database ${h.info?.database?.status}; slurm ${slurm.status}, nodes ` +
        (slurm.nodes ?? []).map((n) => `${n.name} ${n.state}`).join(", "));
    });'
  curl -sf "${PORTAL_URL}/" | grep -qi '<vp-root' || die "the portal does not serve the web app at /"

  phase "log in as ${ADMIN_USER} (POST /api/auth/login)"
  api POST /api/auth/login -d "{\"username\":\"${ADMIN_USER}\",\"password\":\"${ADMIN_PASS}\"}" >/dev/null

  phase "desktop session through REST until running"
  SESSION_ID=$(api POST /api/sessions -d '{"appId":"desktop","values":{"cpus":1,"hours":1}}' | json_field id)
  [[ -n ${SESSION_ID} ]] || die "POST /api/sessions returned no id"
  log "session ${SESSION_ID} launched"
  wait_for_running
  local session node
  session=$(api GET "/api/sessions/${SESSION_ID}")
  node=$(json_field node <<<"${session}")
  [[ ${node} == viz01 || ${node} == viz02 ]] || die "the session runs on '${node}', not on viz01 or viz02"
  local job owner
  job=$(json_field jobId <<<"${session}")
  # SLURM_SUBMIT_AS=service: the job runs as the portal's own account, which the nodes know too.
  owner=$(podman exec "$(container_of slurmctld)" squeue -h -j "${job}" -o %u)
  [[ ${owner} == vizportal ]] || die "job ${job} runs as '${owner}', not as the portal's account vizportal"
  log "session ${SESSION_ID} is running on ${node} (Slurm job ${job}, user ${owner})"

  phase "VNC through the portal's proxy"
  check_vnc_proxy

  phase "stop the session (POST /stop)"
  api POST "/api/sessions/${SESSION_ID}/stop" >/dev/null
  wait_until 30 "the session cancelled" session_cancelled
  log "session cancelled"
}

case ${1:-} in
--install)
  install_host_packages
  exit 0
  ;;
--base-images)
  WORK_DIR=$(mktemp -d /tmp/compose-cluster.XXXXXX)
  trap 'rm -rf "${WORK_DIR}"' EXIT
  write_containers_conf
  make_debian_image
  make_node_image
  exit 0
  ;;
esac

main
