// VNC proxy throughput and added latency: the portal's WebSocket-to-VNC proxy against websockify
// (Debian's, the reference noVNC proxy) in front of the same TCP source, in the same run, with 1 and
// 100 concurrent streams. The source stands in for Xvnc: per connection it either streams bytes
// ('T') or echoes ('E'). The portal dials it because a running session row says its desktop is
// there (node viz01, whose Slurm NodeAddr is 127.0.0.1; a port inside VNC_PORT_MIN..MAX).
// Then a real desktop: the desktop app launched through the portal as a Slurm job, a command typed
// into its xterm over VNC that keeps the window scrolling, and a screenless VNC client asking for
// every change (Raw encoding) for PROXY_DESKTOP_SECONDS, through the portal and through websockify
// in front of the same Xvnc, in turns: framebuffer updates per second and MB/s.
//
//   npx ts-node --transpile-only -P bench/tsconfig.json bench/proxy-throughput.ts   (takes the cluster lock)
//   env: PROXY_REPEATS (5), PROXY_DESKTOP_SECONDS (10)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { WebSocket } from 'ws';
import {
  type RfbTransport,
  RfbViewer,
  isPaintedDesktop,
  rfbHandshake,
  webSocketTransport,
} from '../libs/portal-harness/src';
import {
  type RunningApi,
  apiJson,
  createAccounts,
  fmt,
  freePort,
  insertSessions,
  launchRunningDesktop,
  login,
  machineSummary,
  median,
  onCleanup,
  percentile,
  runBenchmark,
  scancelAll,
  sleep,
  startApi,
  tcpAccepts,
  tempDir,
  until,
} from './lib';

const REPEATS = Number(process.env['PROXY_REPEATS'] ?? 5);
const DESKTOP_SECONDS = Number(process.env['PROXY_DESKTOP_SECONDS'] ?? 10);
const MiB = 1024 * 1024;
/** Bytes per stream: one stream carries 256 MiB; each of 100 carries 4 MiB. */
const STREAM_BYTES: Record<number, number> = { 1: 256 * MiB, 100: 4 * MiB };
/** Round trips per stream for the echo latency: 2,000 on one stream; 100 on each of 100. */
const ECHOES: Record<number, number> = { 1: 2000, 100: 100 };
const ECHO_SIZE = 64;
const CHUNK = Buffer.alloc(64 * 1024, 0x5a);

runBenchmark('proxy-throughput', main, { usesCluster: true });

type Opener = () => Promise<WebSocket>;

async function main(): Promise<void> {
  console.log(`proxy-throughput: ${machineSummary()}`);
  const dir = tempDir('vizportal-proxy-');
  // A port the desktops' wrapper could pick (the default VNC_PORT_MIN..MAX), free now and held by us.
  const source = await startSource();
  const sourcePort = source.port;

  let api: RunningApi = await startApi({
    dir,
    env: { SLURM_SUBMIT_AS: 'service', SLURM_JOB_ACCOUNT: 'vizportal' },
  });
  const [alice] = await createAccounts(api, ['alice']);
  await api.stop();
  const sessionId = randomUUID();
  const now = new Date();
  // A running desktop with no job id: the poller leaves it be, the proxy dials its endpoint.
  await insertSessions(api.databasePath, [
    {
      id: sessionId,
      owner: 'alice',
      state: 'running',
      jobId: null,
      node: 'viz01',
      createdAt: now,
      startedAt: now,
      readyAt: now,
      endpointPort: sourcePort,
      endpointDisplay: sourcePort - 5900,
      vncPassword: 'benchpw1',
      slurmState: 'RUNNING',
    },
  ]);
  api = await startApi({
    dir,
    port: api.port,
    env: {
      SLURM_SUBMIT_AS: 'service',
      SLURM_JOB_ACCOUNT: 'vizportal',
      LOG_LEVEL: 'error',
      // 100 streams to one desktop of one user: far over what a person opens, so the limits are raised.
      VNC_MAX_CONNECTIONS_PER_SESSION: '200',
      VNC_MAX_CONNECTIONS_PER_USER: '200',
    },
  });
  const cookie = await login(api.baseUrl, alice);

  const websockifyPort = await freePort();
  const websockify = spawn('websockify', [`127.0.0.1:${websockifyPort}`, `127.0.0.1:${sourcePort}`], {
    stdio: 'ignore',
  });
  onCleanup(() => stopChild(websockify));
  await until(() => tcpAccepts('127.0.0.1', websockifyPort), Boolean, 10_000, 'websockify listening');

  /** websockify in front of another VNC server (the real desktop's), on a port of its own. */
  const websockifyPortFor = async (host: string, port: number): Promise<number> => {
    const listen = await freePort();
    const child = spawn('websockify', [`127.0.0.1:${listen}`, `${host}:${port}`], { stdio: 'ignore' });
    onCleanup(() => stopChild(child));
    await until(() => tcpAccepts('127.0.0.1', listen), Boolean, 10_000, 'websockify listening');
    return listen;
  };

  const viaPortal: Opener = async () => {
    const grant = await apiJson<{ path: string }>(api, cookie, 'POST', `/api/sessions/${sessionId}/connect`);
    return open(`ws://127.0.0.1:${api.port}${grant.path}`, { cookie });
  };
  const viaWebsockify: Opener = () => open(`ws://127.0.0.1:${websockifyPort}/`);

  const lines: string[] = [];
  for (const streams of [1, 100]) {
    const portalRates: number[] = [];
    const websockifyRates: number[] = [];
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      // Alternating which goes first, so neither always meets a warmer machine.
      const order: [Opener, number[]][] = [
        [viaPortal, portalRates],
        [viaWebsockify, websockifyRates],
      ];
      if (repeat % 2) order.reverse();
      for (const [opener, rates] of order)
        rates.push(await throughput(opener, streams, STREAM_BYTES[streams]));
    }
    const portalEcho = await echoLatency(viaPortal, streams, ECHOES[streams]);
    const websockifyEcho = await echoLatency(viaWebsockify, streams, ECHOES[streams]);
    const tcpEcho = await echoLatency(
      () => Promise.resolve(tcpAsWebSocketLike(sourcePort)),
      streams,
      ECHOES[streams],
    );
    const portalMBps = median(portalRates);
    const websockifyMBps = median(websockifyRates);
    lines.push(
      `${streams} stream(s): throughput portal ${fmt(portalMBps)} MB/s, websockify ${fmt(websockifyMBps)} MB/s, ratio ${fmt(portalMBps / websockifyMBps, 2)}` +
        ` (medians of ${REPEATS}; portal ${portalRates.map((r) => fmt(r)).join('/')}, websockify ${websockifyRates.map((r) => fmt(r)).join('/')})`,
      `${streams} stream(s): echo RTT p50/p99 portal ${fmt(percentile(portalEcho, 50), 3)}/${fmt(percentile(portalEcho, 99), 3)} ms, websockify ${fmt(percentile(websockifyEcho, 50), 3)}/${fmt(percentile(websockifyEcho, 99), 3)} ms,` +
        ` plain TCP ${fmt(percentile(tcpEcho, 50), 3)}/${fmt(percentile(tcpEcho, 99), 3)} ms; portal added at p50 vs websockify ${fmt(percentile(portalEcho, 50) - percentile(websockifyEcho, 50), 3)} ms` +
        ` (${portalEcho.length} round trips of ${ECHO_SIZE} B)`,
    );
    for (const line of lines.slice(-2)) console.log(line);
  }
  lines.push(...(await realDesktop(api, cookie, websockifyPortFor)));
  console.log('');
  for (const line of lines) console.log(`proxy-throughput: ${line}`);
  console.log(
    'proxy-throughput: MB = 10^6 bytes. targets: throughput ratio at least 0.9, at most 1 ms added at p50',
  );
}

// ---------------------------------------------------------------- a real desktop

/**
 * The desktop app as a real Slurm job; a command typed into its xterm keeps it scrolling; then
 * turns of DESKTOP_SECONDS each through the portal and through websockify, alternating.
 */
async function realDesktop(
  api: RunningApi,
  cookie: string,
  websockifyPortFor: (host: string, port: number) => Promise<number>,
): Promise<string[]> {
  const jobs: string[] = [];
  onCleanup(() => scancelAll(jobs));
  const session = await launchRunningDesktop(api, cookie);
  jobs.push(session.jobId as string);
  const connection = JSON.parse(
    readFileSync(join(api.stagingDir, session.id, 'connection.json'), 'utf8'),
  ) as {
    host: string;
    port: number;
    password: string;
  };
  const throughPortal = async (): Promise<{ transport: RfbTransport; password: string }> => {
    const grant = await apiJson<{ path: string; password: string }>(
      api,
      cookie,
      'POST',
      `/api/sessions/${session.id}/connect`,
    );
    return {
      transport: await webSocketTransport(`ws://127.0.0.1:${api.port}${grant.path}`, { cookie }),
      password: grant.password,
    };
  };
  const websockifyPort = await websockifyPortFor(connection.host, connection.port);
  const throughWebsockify = async () => ({
    transport: await webSocketTransport(`ws://127.0.0.1:${websockifyPort}/`),
    password: connection.password,
  });

  // Wait for the xterm, click into it, and type a command that scrolls it without end.
  {
    const { transport, password } = await throughPortal();
    const viewer = new RfbViewer(transport, await rfbHandshake(transport, password));
    await viewer.until((frame) => isPaintedDesktop(frame.data, frame.width, frame.height), 60_000);
    const [x, y] = whiteBoxCentre(viewer.frame.data, viewer.frame.width, viewer.frame.height);
    transport.write(pointerEvent(1, x, y));
    transport.write(pointerEvent(0, x, y));
    for (const key of [...'seq 999999999'].map((c) => c.charCodeAt(0)).concat(0xff0d)) {
      transport.write(keyEvent(true, key));
      transport.write(keyEvent(false, key));
    }
    await sleep(1000);
    transport.close();
  }

  const results = { portal: [] as Turn[], websockify: [] as Turn[] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const order: [keyof typeof results, () => Promise<{ transport: RfbTransport; password: string }>][] = [
      ['portal', throughPortal],
      ['websockify', throughWebsockify],
    ];
    if (repeat % 2) order.reverse();
    for (const [name, connect] of order) results[name].push(await watchDesktop(await connect()));
  }
  await apiJson(api, cookie, 'POST', `/api/sessions/${session.id}/stop`);
  await scancelAll(jobs);

  const summary = (turns: Turn[]) =>
    `${fmt(median(turns.map((t) => t.updatesPerSecond)))} updates/s, ${fmt(median(turns.map((t) => t.mbPerSecond)))} MB/s`;
  const ratio =
    median(results.portal.map((t) => t.mbPerSecond)) / median(results.websockify.map((t) => t.mbPerSecond));
  return [
    `real desktop (Xvnc in a Slurm job, its xterm scrolling, Raw encoding, ${DESKTOP_SECONDS} s turns, medians of ${REPEATS}): ` +
      `portal ${summary(results.portal)}; websockify ${summary(results.websockify)}; ratio of MB/s ${fmt(ratio, 2)}` +
      ` (portal ${results.portal.map((t) => fmt(t.mbPerSecond)).join('/')}, websockify ${results.websockify.map((t) => fmt(t.mbPerSecond)).join('/')} MB/s)`,
  ];
}

interface Turn {
  updatesPerSecond: number;
  mbPerSecond: number;
}

/** Asks for every change for DESKTOP_SECONDS (one update request outstanding at a time, as noVNC does). */
async function watchDesktop({
  transport,
  password,
}: {
  transport: RfbTransport;
  password: string;
}): Promise<Turn> {
  try {
    const viewer = new RfbViewer(transport, await rfbHandshake(transport, password));
    viewer.request(false);
    await viewer.nextUpdate();
    const updatesBefore = viewer.updates;
    const bytesBefore = viewer.pixelBytes;
    const started = process.hrtime.bigint();
    const endAt = started + BigInt(DESKTOP_SECONDS * 1e9);
    while (process.hrtime.bigint() < endAt) {
      viewer.request(true);
      await viewer.nextUpdate();
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      updatesPerSecond: (viewer.updates - updatesBefore) / seconds,
      mbPerSecond: (viewer.pixelBytes - bytesBefore) / 1e6 / seconds,
    };
  } finally {
    transport.close();
  }
}

/** The centre of the white pixels' bounding box: the xterm, on the desktop's dark root. */
function whiteBoxCentre(data: Uint8Array, width: number, height: number): [number, number] {
  let minX = width;
  let minY = height;
  let maxX = 0;
  let maxY = 0;
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      const i = (y * width + x) * 4;
      if (data[i] > 240 && data[i + 1] > 240 && data[i + 2] > 240) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
  }
  return [Math.round((minX + maxX) / 2), Math.round((minY + maxY) / 2)];
}

/** RFB KeyEvent (RFC 6143 §7.5.4): a keysym down or up. */
function keyEvent(down: boolean, keysym: number): Buffer {
  const message = Buffer.alloc(8);
  message.writeUInt8(4, 0);
  message.writeUInt8(down ? 1 : 0, 1);
  message.writeUInt32BE(keysym, 4);
  return message;
}

/** RFB PointerEvent (§7.5.5): the buttons held (bit 0 the left one) at x, y. */
function pointerEvent(buttons: number, x: number, y: number): Buffer {
  const message = Buffer.alloc(6);
  message.writeUInt8(5, 0);
  message.writeUInt8(buttons, 1);
  message.writeUInt16BE(x, 2);
  message.writeUInt16BE(y, 4);
  return message;
}

// ---------------------------------------------------------------- the fake Xvnc

async function startSource(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    socket.once('data', (first: Buffer) => {
      const mode = first[0];
      if (mode === 0x54 /* T */) {
        const size = first.readUInt32BE(1);
        streamBytes(socket, size);
      } else {
        // Echo whatever follows the mode byte.
        if (first.length > 1) socket.write(first.subarray(1));
        socket.pipe(socket);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  // From the top of the default VNC port range down, the first port nothing listens on.
  for (let port = 6019; port >= 5920; port--) {
    const bound = await new Promise<boolean>((done) => {
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => done(true));
    });
    if (bound) {
      onCleanup(() => new Promise<void>((done) => server.close(() => done())));
      return { server, port };
    }
  }
  throw new Error('no free port in 5920..6019 for the fake Xvnc');
}

/**
 * Writes `size` bytes with back-pressure and keeps the connection open: the client closes once it
 * has them all, so a proxy's handling of a closing server (websockify drops what it still holds)
 * does not cut the measurement short.
 */
function streamBytes(socket: Socket, size: number): void {
  let left = size;
  const pump = () => {
    while (left > 0) {
      const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= chunk.length;
      if (!socket.write(chunk)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

// ---------------------------------------------------------------- clients

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(url, ['binary'], { headers, perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => done(ws));
    ws.once('error', fail);
    ws.once('unexpected-response', (_request, response) =>
      fail(new Error(`${url}: HTTP ${response.statusCode}`)),
    );
  });
}

/** All streams at once, each asking the source for `bytes`; MB/s over the wall time until the last byte. */
async function throughput(opener: Opener, streams: number, bytes: number): Promise<number> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < streams; i++) sockets.push(await opener());
  const request = Buffer.alloc(5);
  request[0] = 0x54;
  request.writeUInt32BE(bytes, 1);
  const started = process.hrtime.bigint();
  const received = await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<number>((done, fail) => {
          let total = 0;
          ws.on('message', (data: Buffer) => {
            total += data.length;
            if (total >= bytes) done(total);
          });
          ws.once('close', () =>
            total >= bytes
              ? done(total)
              : fail(new Error(`a stream closed after ${total} of ${bytes} bytes`)),
          );
          ws.send(request);
        }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const ws of sockets) ws.close();
  const total = received.reduce((a, b) => a + b, 0);
  return total / 1e6 / seconds;
}

interface EchoChannel {
  send(data: Buffer): void;
  onData(listener: (data: Buffer) => void): void;
  close(): void;
}

const wsChannel = (ws: WebSocket): EchoChannel => ({
  send: (data) => ws.send(data),
  onData: (listener) => ws.on('message', listener),
  close: () => ws.close(),
});

/** Plain TCP to the source, for the floor: no proxy at all. */
function tcpAsWebSocketLike(port: number): EchoChannel {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  return {
    send: (data) => socket.write(data),
    onData: (listener) => socket.on('data', listener),
    close: () => socket.destroy(),
  };
}

/** Round-trip times (ms) of ECHO_SIZE-byte messages, sequential per stream, all streams at once. */
async function echoLatency(
  opener: () => Promise<WebSocket | EchoChannel>,
  streams: number,
  rounds: number,
): Promise<number[]> {
  const channels: EchoChannel[] = [];
  for (let i = 0; i < streams; i++) {
    const opened = await opener();
    channels.push(opened instanceof WebSocket ? wsChannel(opened) : opened);
  }
  for (const channel of channels) channel.send(Buffer.from('E'));
  await sleep(200);
  const payload = Buffer.alloc(ECHO_SIZE, 0x65);
  const samples: number[] = [];
  await Promise.all(
    channels.map(async (channel) => {
      let pending: (() => void) | null = null;
      let got = 0;
      channel.onData((data) => {
        got += data.length;
        if (got >= ECHO_SIZE && pending) {
          got -= ECHO_SIZE;
          const resolve = pending;
          pending = null;
          resolve();
        }
      });
      for (let round = 0; round < rounds; round++) {
        const sentAt = process.hrtime.bigint();
        await new Promise<void>((resolve) => {
          pending = resolve;
          channel.send(payload);
        });
        samples.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
      }
      channel.close();
    }),
  );
  return samples;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
