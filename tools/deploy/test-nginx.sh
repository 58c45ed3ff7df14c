#!/usr/bin/env bash
# Tests tools/deploy/nginx/vizportal.conf for real: the built API (dist/apps/api/main.js, with a
# throw-away data folder) behind Debian's nginx on loopback, with a self-signed certificate. Only the
# site's ports, certificate paths and upstream port are rewritten. Through nginx: the HTTP→HTTPS
# redirect, HSTS, the web app, REST with the login cookie, Socket.IO, and a VNC session on the local
# Slurm cluster (tools/deploy/test/through-nginx.check.ts). Then header mode: a second API with
# AUTH_MODE=header, behind the plain site (a client's own X-Remote-User must not get through) and
# with nginx/vizportal-sso.conf and a stand-in for oauth2-proxy. Needs the builds
# (`nx run-many -t build`) and the dev cluster; holds /tmp/vizportal-cluster.lock while its session
# runs. Run as root.
# shellcheck disable=SC2015,SC2030,SC2031 # `check && check || fail` (fail exits); each API gets its env in a subshell
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
site=tools/deploy/nginx/vizportal.conf
sso_snippet=tools/deploy/nginx/vizportal-sso.conf

source tools/lib/apt.sh
# nginx-light if no nginx flavour is there yet (any of them has ssl, http2 and auth_request).
# Debian's policy-rc.d (where present) keeps the packaged nginx from starting on port 80.
if ! dpkg-query -W -f='${db:Status-Abbrev}' nginx-light nginx-core nginx-full nginx-extras 2>/dev/null | grep -q '^ii'; then
  apt_install_missing nginx-light
fi
apt_install_missing openssl curl

for built in dist/apps/api/main.js dist/apps/web/browser/index.html; do
  [ -f "$built" ] || { echo "test-nginx: $built is missing: build first (npx nx run-many -t build -p api web)" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/vizportal-nginx-test.XXXXXX)
chmod 0711 "$tmp"
api_pid=''
nginx_pid=''
header_api_pid=''
sso_stub_pid=''
cleanup() {
  # A job this test's API submitted must not outlive it (a failed check may leave one running).
  squeue -h -o '%i %Z' 2>/dev/null | awk -v dir="$tmp/" 'index($2, dir) == 1 { print $1 }' | xargs -r scancel 2>/dev/null || true
  local pid
  for pid in $nginx_pid $api_pid $header_api_pid $sso_stub_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $nginx_pid $api_pid $header_api_pid $sso_stub_pid; do wait "$pid" 2>/dev/null || true; done
  rm -rf -- "$tmp"
}
trap cleanup EXIT

fail() {
  echo "test-nginx: FAIL - $*" >&2
  for log in "$tmp/api.log" "$tmp/header-api.log" "$tmp/nginx/error.log" "$tmp/nginx/access.log"; do
    [ -f "$log" ] || continue
    echo "--- $log" >&2
    tail -n 30 "$log" >&2
  done
  exit 1
}
pass() { echo "test-nginx: ok - $*"; }

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}
api_port=$(free_port)
header_api_port=$(free_port)
sso_stub_port=$(free_port)
https_port=$(free_port)
http_port=$(free_port)

# A self-signed certificate for 127.0.0.1; the checks trust exactly it (NODE_EXTRA_CA_CERTS, curl --cacert).
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/tls.key" -out "$tmp/tls.crt" 2>/dev/null

# The API, as start.sh runs it, on its own port and data folder.
admin_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
mkdir -p "$tmp/data"
(
  export NODE_ENV=production HOST=127.0.0.1 PORT="$api_port" \
    DATABASE_PATH="$tmp/data/vizportal.sqlite" STAGING_DIR="$tmp/data/sessions" \
    CATALOG_DIR="$repo/catalog" WEB_DIST_DIR="$repo/dist/apps/web/browser" \
    ADMIN_USERNAME=admin ADMIN_PASSWORD="$admin_password" SESSION_COOKIE_SECURE=true \
    PASSWORD_HASH_COST=4 POLL_INTERVAL_FAST_MS=300 SLURM_JOB_ACCOUNT=vizportal
  exec node dist/apps/api/main.js
) >"$tmp/api.log" 2>&1 &
api_pid=$!

# The site, rewritten only where this machine differs from a real host; each rewrite must hit.
rewrite() {
  local file=$1 pattern=$2 replacement=$3 expected=$4 found
  found=$(grep -c -E -- "$pattern" "$file" || true)
  [ "$found" -eq "$expected" ] || fail "$file: expected $expected line(s) matching '$pattern', found $found"
  local sep=$'\x01' # a delimiter no pattern, path or replacement contains
  sed -i -E "s${sep}$pattern${sep}$replacement${sep}" "$file"
}
# render_site API_PORT [sso]: $tmp/site.conf in front of that API; with sso, vizportal-sso.conf included.
render_site() {
  local upstream_port=$1 conf="$tmp/site.conf"
  cp "$site" "$conf"
  rewrite "$conf" '^( *)listen 443 ssl http2;' "\\1listen 127.0.0.1:$https_port ssl http2;" 1
  rewrite "$conf" '^( *)listen 80;' "\\1listen 127.0.0.1:$http_port;" 1
  rewrite "$conf" '^( *)listen \[::\]:(80|443).*;' '\1# (no IPv6 listener in the test)' 2
  rewrite "$conf" '^( *)server 127\.0\.0\.1:8080;' "\\1server 127.0.0.1:$upstream_port;" 1
  rewrite "$conf" '^( *)ssl_certificate +/etc/ssl/certs/vizportal\.crt;' "\\1ssl_certificate $tmp/tls.crt;" 1
  rewrite "$conf" '^( *)ssl_certificate_key +/etc/ssl/private/vizportal\.key;' "\\1ssl_certificate_key $tmp/tls.key;" 1
  rewrite "$conf" '/var/log/nginx/vizportal\.access\.log' "$tmp/nginx/access.log" 2
  if [ "${2:-}" = sso ]; then
    cp "$sso_snippet" "$tmp/sso.conf"
    rewrite "$tmp/sso.conf" 'http://127\.0\.0\.1:4180;' "http://127.0.0.1:$sso_stub_port;" 2
    rewrite "$conf" '^( *)#include /etc/nginx/snippets/vizportal-sso\.conf;' "\\1include $tmp/sso.conf;" 1
  fi
}
start_nginx() {
  nginx -t -q -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>"$tmp/nginx-t.log" || { cat "$tmp/nginx-t.log" >&2; fail "nginx -t rejects the site"; }
  nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  local _
  for _ in $(seq 50); do
    (: </dev/tcp/127.0.0.1/"$https_port") 2>/dev/null && return 0
    sleep 0.1
  done
  fail "nginx does not listen on 127.0.0.1:$https_port"
}
stop_nginx() {
  kill "$nginx_pid"
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=''
}
render_site "$api_port"

mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<EOF
# A private nginx: its own prefix, pid, logs and temp folders; nothing of /etc/nginx but mime.types.
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $tmp/nginx/client_body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    include $tmp/site.conf;
}
EOF
start_nginx
pass "nginx -t accepts $site (nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'))"

portal="https://127.0.0.1:$https_port"
# Until the API listens, nginx answers 502 (curl says 000 until nginx listens).
health=000
for _ in $(seq 120); do
  health=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$tmp/tls.crt" "$portal/api/health" || true)
  [ "$health" = 000 ] || [ "$health" = 502 ] || break
  kill -0 "$api_pid" 2>/dev/null || fail "the API exited at start-up"
  sleep 0.5
done
# 503 is the API's own answer while Slurm is unreachable: still proof that nginx reaches it.
[ "$health" = 200 ] || [ "$health" = 503 ] || fail "GET /api/health through nginx answered $health"
pass "the API answers /api/health through nginx over TLS, certificate verified (HTTP $health)"

redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/sessions?x=1")
[ "$redirect" = "301 https://127.0.0.1/sessions?x=1" ] || fail "plain HTTP answered '$redirect'"
pass "plain HTTP is redirected to HTTPS (301)"

curl -s -D "$tmp/index.headers" -o "$tmp/index.html" --cacert "$tmp/tls.crt" "$portal/"
grep -qi '^strict-transport-security: max-age=' "$tmp/index.headers" || fail "no HSTS header on /"
grep -q '<app-root' "$tmp/index.html" || grep -qi '<!doctype html' "$tmp/index.html" || fail "/ did not serve the web app"
pass "the web app is served at / with HSTS"

too_big=$(head -c 2000000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' --cacert "$tmp/tls.crt" \
  -H 'content-type: application/json' --data-binary @- "$portal/api/auth/login")
[ "$too_big" = 413 ] || fail "a 2 MB body answered $too_big, not 413"
pass "client_max_body_size refuses a 2 MB body with 413"

# REST, Socket.IO and VNC, like a browser; the session needs the shared cluster.
echo "test-nginx: waiting for /tmp/vizportal-cluster.lock"
PORTAL_URL=$portal ADMIN_USERNAME=admin ADMIN_PASSWORD=$admin_password TOKEN_FILE="$tmp/vnc-token" \
  NODE_EXTRA_CA_CERTS="$tmp/tls.crt" \
  flock /tmp/vizportal-cluster.lock \
  npx ts-node --transpile-only --skip-project --compiler-options '{"module":"commonjs","target":"es2022","esModuleInterop":true}' \
  tools/deploy/test/through-nginx.check.ts || fail "a check through nginx failed"

[ -s "$tmp/vnc-token" ] || fail "the check wrote no VNC token"
grep -q 'GET /api/sessions/[0-9a-f-]*/vnc HTTP/1.1" 101' "$tmp/nginx/access.log" || fail "the access log shows no VNC upgrade (101)"
! grep -qF -- "$(cat "$tmp/vnc-token")" "$tmp/nginx/access.log" || fail "the VNC token is in nginx's access log"
pass "nginx logged the VNC upgrade (101) without its token"

# Header mode (single sign-on): a second API with AUTH_MODE=header, first behind the plain site,
# then with vizportal-sso.conf and a stand-in for oauth2-proxy (202 plus the user for its cookie).
(
  export NODE_ENV=production HOST=127.0.0.1 PORT="$header_api_port" \
    DATABASE_PATH="$tmp/header-data/vizportal.sqlite" STAGING_DIR="$tmp/header-data/sessions" \
    CATALOG_DIR="$repo/catalog" WEB_DIST_DIR="$repo/dist/apps/web/browser" \
    AUTH_MODE=header AUTH_ADMIN_USERS=alice SESSION_COOKIE_SECURE=true SLURM_JOB_ACCOUNT=vizportal
  exec node dist/apps/api/main.js
) >"$tmp/header-api.log" 2>&1 &
header_api_pid=$!
cat >"$tmp/sso-stub.js" <<'STUB'
// Answers like oauth2-proxy with --set-xauthrequest: /oauth2/auth is 202 with the user for a
// signed-in cookie, else 401; /oauth2/sign_in is its sign-in page.
require('node:http')
  .createServer((req, res) => {
    if (req.url.startsWith('/oauth2/auth')) {
      const signedIn = /(^|;\s*)_oauth2_proxy=signed-in-alice(;|$)/.test(req.headers.cookie || '');
      res.writeHead(signedIn ? 202 : 401, signedIn ? { 'X-Auth-Request-Preferred-Username': 'alice', 'X-Auth-Request-User': 'sub-4711' } : {});
      res.end();
    } else if (req.url.startsWith('/oauth2/sign_in')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('stand-in oauth2-proxy sign-in page');
    } else {
      res.writeHead(404);
      res.end();
    }
  })
  .listen(Number(process.argv[2]), '127.0.0.1');
STUB
node "$tmp/sso-stub.js" "$sso_stub_port" &
sso_stub_pid=$!
for _ in $(seq 120); do
  curl -s -o /dev/null "http://127.0.0.1:$header_api_port/api/health" && break
  kill -0 "$header_api_pid" 2>/dev/null || fail "the header-mode API exited at start-up"
  sleep 0.5
done
me() { curl -s -o "$tmp/me.json" -w '%{http_code}' --cacert "$tmp/tls.crt" "$@" "$portal/api/auth/me"; }

# Control: straight to the API from 127.0.0.1 (a trusted proxy address), the header names the user.
direct=$(curl -s -H 'X-Remote-User: alice' "http://127.0.0.1:$header_api_port/api/auth/me")
grep -q '"username":"alice"' <<<"$direct" || fail "the header-mode API did not take X-Remote-User from 127.0.0.1: $direct"
stop_nginx
render_site "$header_api_port"
start_nginx
status=$(me -H 'X-Remote-User: alice')
[ "$status" = 401 ] || fail "through the plain site a client's own X-Remote-User answered $status: $(cat "$tmp/me.json")"
pass "header mode: the site drops a client's own X-Remote-User (401 through nginx, while the API alone would take it)"

stop_nginx
render_site "$header_api_port" sso
start_nginx
status=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --cacert "$tmp/tls.crt" "$portal/api/auth/me")
[ "$status" = "302 $portal/oauth2/sign_in?rd=$portal/api/auth/me" ] || fail "without a sign-in cookie /api/auth/me answered '$status'"
sign_in=$(curl -s --cacert "$tmp/tls.crt" "$portal/oauth2/sign_in")
[ "$sign_in" = 'stand-in oauth2-proxy sign-in page' ] || fail "/oauth2/sign_in did not reach oauth2-proxy: $sign_in"
pass "header mode: without a sign-in, nginx sends the browser to oauth2-proxy's /oauth2/sign_in with rd="
status=$(me -b '_oauth2_proxy=signed-in-alice' -H 'X-Remote-User: bob')
[ "$status" = 200 ] && grep -qF '"username":"alice","isAdmin":true,"groups":[],"authMode":"header"' "$tmp/me.json" ||
  fail "signed in as alice, /api/auth/me answered $status: $(cat "$tmp/me.json")"
pass "header mode: signed in, the API sees oauth2-proxy's preferred username (alice, admin), not the client's X-Remote-User: bob"
status=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$tmp/tls.crt" "$portal/api/health")
[ "$status" = 200 ] || [ "$status" = 503 ] || fail "/api/health behind single sign-on answered $status"
status=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$tmp/tls.crt" -H 'content-type: application/json' -d '{}' \
  "$portal/api/internal/sessions/00000000-0000-4000-8000-000000000000/ready")
case "$status" in 302 | 000 | 502) fail "the readiness endpoint is not reachable past the sign-in (HTTP $status)" ;; esac
pass "header mode: /api/health and the jobs' /api/internal/ readiness reports bypass the sign-in (HTTP $status from the API)"
echo "test-nginx: all checks passed ($SECONDS s, including any wait for the cluster lock)"
