# shellcheck shell=bash
# Sourced by the entrypoints: the munge key every container shares, kept in a named volume
# (MUNGE_KEY_VOLUME, mounted in each container). The munge service creates it once; the others
# wait for it. Each container then runs its own munged with a copy owned by its munge account
# (munged refuses a key that its own uid does not own).
readonly MUNGE_KEY_VOLUME=${MUNGE_KEY_VOLUME:-/var/lib/vizportal-munge}

create_shared_munge_key() {
  if [[ -s ${MUNGE_KEY_VOLUME}/munge.key ]]; then return 0; fi
  mungekey --create --keyfile="${MUNGE_KEY_VOLUME}/.munge.key.$$"
  chmod 0400 "${MUNGE_KEY_VOLUME}/.munge.key.$$"
  mv -f "${MUNGE_KEY_VOLUME}/.munge.key.$$" "${MUNGE_KEY_VOLUME}/munge.key"
  echo "created the shared munge key in ${MUNGE_KEY_VOLUME}"
}

install_shared_munge_key() {
  local i
  for ((i = 0; i < 600; i++)); do
    [[ -s ${MUNGE_KEY_VOLUME}/munge.key ]] && break
    ((i % 50 == 0)) && echo "waiting for the munge key in ${MUNGE_KEY_VOLUME} (made by the munge service)"
    sleep 0.1
  done
  [[ -s ${MUNGE_KEY_VOLUME}/munge.key ]] || { echo "no munge key in ${MUNGE_KEY_VOLUME} after 60 s" >&2; return 1; }
  install -o munge -g munge -m 0400 "${MUNGE_KEY_VOLUME}/munge.key" /etc/munge/munge.key
}
