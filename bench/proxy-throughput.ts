// VNC proxy throughput and added latency: the portal's WebSocket-to-VNC proxy against websockify
// (Debian's, the reference noVNC proxy) in front of the same TCP source, in the same run, with 1 and
// 100 concurrent streams. The source stands in for Xvnc: per connection it either streams bytes
// ('T') or echoes ('E'). The portal dials it because a running session row says its desktop is
// there (node viz01, whose Slurm NodeAddr is 127.0.0.1; a port inside VNC_PORT_MIN..MAX).
//
//   npx ts-node --transpile-only -P bench/tsconfig.json bench/proxy-throughput.ts   (takes the cluster lock: scontrol for the node address)
//   env: PROXY_REPEATS (5)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { WebSocket } from 'ws';
import {
  type RunningApi,
  apiJson,
  createAccounts,
  fmt,
  freePort,
  insertSessions,
  login,
  machineSummary,
  median,
  onCleanup,
  percentile,
  runBenchmark,
  sleep,
  startApi,
  tcpAccepts,
  tempDir,
  until,
} from './lib';

const REPEATS = Number(process.env['PROXY_REPEATS'] ?? 5);
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
    env: { SLURM_SUBMIT_AS: 'service', SLURM_JOB_ACCOUNT: 'vizportal', LOG_LEVEL: 'error' },
  });
  const cookie = await login(api.baseUrl, alice);

  const websockifyPort = await freePort();
  const websockify = spawn('websockify', [`127.0.0.1:${websockifyPort}`, `127.0.0.1:${sourcePort}`], {
    stdio: 'ignore',
  });
  onCleanup(() => stopChild(websockify));
  await until(() => tcpAccepts('127.0.0.1', websockifyPort), Boolean, 10_000, 'websockify listening');

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
  console.log('');
  for (const line of lines) console.log(`proxy-throughput: ${line}`);
  console.log(
    'proxy-throughput: MB = 10^6 bytes. targets: throughput ratio at least 0.9, at most 1 ms added at p50',
  );
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
