import { spawnSync } from 'node:child_process';
import { END_REASONS, JOB_ENV, VNC_DISPLAY_RANGE } from './job-contract';
import { VNC_WRAPPER, VNC_WRAPPER_MARKER } from './vnc-wrapper';

const lines = VNC_WRAPPER.split('\n');
/** Lines that are commands, not comments. */
const code = lines.filter((line) => !/^\s*#/.test(line));

describe('VNC_WRAPPER', () => {
  it('is bash that parses', () => {
    const parse = spawnSync('bash', ['-n'], { input: VNC_WRAPPER, encoding: 'utf8' });
    expect(parse.stderr).toBe('');
    expect(parse.status).toBe(0);
  });

  it('writes into end.json exactly the reasons END_REASONS names', () => {
    // Every reason the bash can pass to vp_end: literal ones and those of the signal trap.
    const written = new Set([
      ...[...VNC_WRAPPER.matchAll(/vp_end \S+ ([a-z-]+)/g)].map((match) => match[1]),
      ...[...VNC_WRAPPER.matchAll(/vp_signal_reason=([a-z-]+)/g)].map((match) => match[1]),
    ]);
    expect([...written].sort()).toEqual([...END_REASONS].sort());
  });

  it('starts with its marker', () => {
    expect(lines[0]).toBe(VNC_WRAPPER_MARKER);
  });

  it('kept no template placeholders and no stray backslash escapes from the TS string', () => {
    expect(VNC_WRAPPER).not.toMatch(/\$\{VNC_|undefined|\[object /);
    expect(VNC_WRAPPER).toContain(
      `display = ${VNC_DISPLAY_RANGE.first}; display <= ${VNC_DISPLAY_RANGE.last}`,
    );
  });

  it('reads the names the job contract documents', () => {
    for (const name of [JOB_ENV.stagingDir, JOB_ENV.readyUrl, JOB_ENV.readySecret])
      expect(VNC_WRAPPER).toContain(
        `$${name}`.replace('$VIZPORTAL_READY_SECRET', '${VIZPORTAL_READY_SECRET-}'),
      );
  });

  // The secret must never be in an argv (ps shows argv to every user): it only moves between
  // shell variables, through the printf builtin into a file, and to curl as `@file`.
  it('keeps the readiness secret out of every command line', () => {
    const touching = code
      .filter((line) => /vp_secret|VIZPORTAL_READY_SECRET/.test(line))
      .map((line) => line.trim());
    expect(touching).toEqual([
      'vp_secret=${VIZPORTAL_READY_SECRET-}',
      'unset VIZPORTAL_READY_SECRET',
      'if [[ ! $vp_secret =~ ^[A-Za-z0-9._~+/=-]+$ ]]; then',
      'vp_log "VIZPORTAL_READY_SECRET is missing or malformed: readiness not reported"',
      `printf 'Authorization: Bearer %s\\n' "$vp_secret" > "$vp_runtime/ready-headers"`,
    ]);
    expect(VNC_WRAPPER).toContain('--header "@$vp_runtime/ready-headers"');
    expect(VNC_WRAPPER).toContain('--data-binary "@$vp_runtime/connection.json"');
  });

  it('keeps the VNC password out of every command line', () => {
    const touching = code.filter((line) => /vp_password/.test(line)).map((line) => line.trim());
    expect(touching).toEqual([
      "vp_runtime='' vp_address='' vp_password='' vp_display='' vp_port='' vp_xvnc_log=''",
      `printf -v connection '{"host":"%s","port":%d,"password":"%s","display":%d}' "$vp_address" "$vp_port" "$vp_password" "$vp_display"`,
      "vp_password=$(head -c 4096 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')",
      'vp_password=${vp_password:0:8}',
      `if (( \${#vp_password} != 8 )) || ! printf '%s\\n' "$vp_password" | vncpasswd -f > "$vp_runtime/passwd"; then`,
    ]);
  });

  it('starts Xvnc itself (not the vncserver scripts) with the blacklist off and bound to the node address', () => {
    expect(VNC_WRAPPER).not.toMatch(/vncserver/);
    expect(VNC_WRAPPER).toContain('-BlacklistThreshold 1000000 -BlacklistTimeout 0');
    expect(VNC_WRAPPER).toContain('-interface "$vp_address"');
    expect(VNC_WRAPPER).toContain('-rfbauth "$vp_runtime/passwd" -SecurityTypes VncAuth');
    expect(VNC_WRAPPER).toContain('scontrol show node "$SLURMD_NODENAME" -o');
  });

  it('traps TERM and INT, and posts readiness with bounded retries', () => {
    expect(VNC_WRAPPER).toContain("trap 'vp_on_signal 143' TERM");
    expect(VNC_WRAPPER).toContain("trap 'vp_on_signal 130' INT");
    expect(VNC_WRAPPER).toContain('--retry 5 --retry-connrefused --retry-delay 1 --max-time 5');
  });
});
