// bridgeVnc between a real ws client and a real TCP server standing in for Xvnc, all on loopback:
// bytes intact both ways, back-pressure both ways, and which side's close does what.
import { randomBytes } from 'node:crypto';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { VNC_BRIDGE_HIGH_WATER_MARK, type VncBridgeOptions, bridgeVnc } from './vnc-bridge';

jest.setTimeout(30_000);

/** The largest amount the bridge may queue toward the browser: its mark plus one read (256 KiB). */
const QUEUE_LIMIT = VNC_BRIDGE_HIGH_WATER_MARK + 256 * 1024;

interface Rig {
  /** The browser's end. */
  client: WebSocket;
  /** The proxy's end of the WebSocket, and its socket to the VNC server. */
  proxyWs: WebSocket;
  vnc: Socket;
  /** The VNC server's end of the TCP connection. */
  desktop: Socket;
  bytes: { to_vnc: number; to_browser: number };
  /** The first onClose call's error; and how many calls there were (should be one). */
  closed: Promise<Error | undefined>;
  closeCalls: () => number;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function listening<T extends Server | WebSocketServer>(server: T): Promise<number> {
  return new Promise((done) => server.once('listening', () => done((server.address() as AddressInfo).port)));
}

async function rig(options: Pick<VncBridgeOptions, 'highWaterMark'> = {}): Promise<Rig> {
  const vncServer = createServer();
  const desktop = new Promise<Socket>((done) => vncServer.once('connection', done));
  vncServer.listen(0, '127.0.0.1');
  const vncPort = await listening(vncServer);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const wssPort = await listening(wss);
  cleanups.push(async () => {
    for (const socket of wss.clients) socket.terminate();
    await new Promise((done) => wss.close(done));
    await new Promise((done) => vncServer.close(done));
  });

  const bytes = { to_vnc: 0, to_browser: 0 };
  let reportClose: (error?: Error) => void = () => undefined;
  const closed = new Promise<Error | undefined>((done) => (reportClose = done));
  let closes = 0;
  const bridged = new Promise<{ proxyWs: WebSocket; vnc: Socket }>((done) =>
    wss.once('connection', (proxyWs) => {
      const vnc = bridgeVnc(
        proxyWs,
        { host: '127.0.0.1', port: vncPort },
        {
          ...options,
          onBytes: (direction, count) => (bytes[direction] += count),
          onClose: (error) => {
            closes++;
            reportClose(error);
          },
        },
      );
      done({ proxyWs, vnc });
    }),
  );
  const client = new WebSocket(`ws://127.0.0.1:${wssPort}/`, { perMessageDeflate: false });
  cleanups.push(async () => client.terminate());
  await new Promise((done, fail) => client.once('open', done).once('error', fail));
  return { client, ...(await bridged), desktop: await desktop, bytes, closed, closeCalls: () => closes };
}

/** Everything the client receives, until it closes: the bytes and the close code. */
function received(client: WebSocket): Promise<{ data: Buffer; code: number }> {
  const chunks: Buffer[] = [];
  client.on('message', (data) => chunks.push(data as Buffer));
  return new Promise((done) => client.once('close', (code) => done({ data: Buffer.concat(chunks), code })));
}

/** Writes all of `data`, waiting for 'drain' whenever the socket asks; `written` says how far it got. */
function writeAll(
  socket: Socket,
  data: Buffer,
  chunkSize = 64 * 1024,
): { written: () => number; done: Promise<void> } {
  let offset = 0;
  const done = new Promise<void>((resolve) => {
    const pump = () => {
      while (offset < data.length) {
        const chunk = data.subarray(offset, offset + chunkSize);
        offset += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      resolve();
    };
    pump();
  });
  return { written: () => offset, done };
}

function readAll(socket: Socket, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  return new Promise((done) => {
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= length) done(Buffer.concat(chunks));
    });
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('bridgeVnc', () => {
  it('carries bytes both ways intact, in order, and counts them', async () => {
    const { client, desktop, bytes } = await rig();
    const up = randomBytes(3 * 1024 * 1024 + 17);
    const down = randomBytes(9 * 1024 * 1024 + 5);

    const atDesktop = readAll(desktop, up.length);
    const atClient = readAllMessages(client, down.length);
    // The browser sends in messages of many sizes, as noVNC does (small events, large clipboard).
    for (let offset = 0, size = 1; offset < up.length; offset += size, size = (size * 7 + 13) % 70_000 || 1)
      client.send(up.subarray(offset, offset + size), { binary: true });
    writeAll(desktop, down);

    expect((await atDesktop).equals(up)).toBe(true);
    expect((await atClient).equals(down)).toBe(true);
    expect(bytes).toEqual({ to_vnc: up.length, to_browser: down.length });
  });

  it('stops reading the VNC server while the browser reads slowly, and resumes', async () => {
    const { client, proxyWs, vnc, desktop } = await rig();
    const down = randomBytes(64 * 1024 * 1024);
    client.pause(); // the browser stops reading its socket
    const atClient = readAllMessages(client, down.length);
    const writer = writeAll(desktop, down);

    let maxQueued = 0;
    for (let i = 0; i < 20; i++) {
      await sleep(25);
      maxQueued = Math.max(maxQueued, proxyWs.bufferedAmount);
    }
    // The proxy holds at most its mark plus one read; the rest waits in the kernel and the desktop.
    expect(maxQueued).toBeGreaterThan(0);
    expect(maxQueued).toBeLessThanOrEqual(QUEUE_LIMIT);
    expect(vnc.isPaused()).toBe(true);
    expect(writer.written()).toBeLessThan(down.length);

    client.resume();
    expect((await atClient).equals(down)).toBe(true);
    await writer.done;
    expect(vnc.isPaused()).toBe(false);
  });

  it('stops reading the browser while the VNC server reads slowly, and resumes', async () => {
    const { client, proxyWs, vnc, desktop } = await rig();
    desktop.pause(); // the desktop stops reading
    const up = randomBytes(32 * 1024 * 1024);
    for (let offset = 0; offset < up.length; offset += 64 * 1024)
      client.send(up.subarray(offset, offset + 64 * 1024));

    let maxPending = 0;
    for (let i = 0; i < 20; i++) {
      await sleep(25);
      maxPending = Math.max(maxPending, vnc.writableLength);
    }
    expect(proxyWs.isPaused).toBe(true);
    // One socket read of WebSocket frames may still arrive after the pause: about 64 KiB over the mark.
    expect(maxPending).toBeLessThanOrEqual(vnc.writableHighWaterMark + 256 * 1024);
    // The rest waits in the client and the kernel.
    expect(client.bufferedAmount).toBeGreaterThan(0);

    const atDesktop = readAll(desktop, up.length);
    desktop.resume();
    expect((await atDesktop).equals(up)).toBe(true);
    expect(proxyWs.isPaused).toBe(false);
  });

  it('when the VNC server closes, delivers every byte it sent, then closes the WebSocket normally', async () => {
    // A mark above what the desktop sends, so the proxy reads it all, and the desktop's close, while
    // the browser is not reading: most of it is still queued in the proxy when the VNC socket closes.
    const { client, proxyWs, vnc, desktop, closed, closeCalls } = await rig({
      highWaterMark: 64 * 1024 * 1024,
    });
    const down = randomBytes(20 * 1024 * 1024 + 3);
    client.pause();
    const atClient = received(client);
    const vncClosed = new Promise((done) => vnc.once('close', done));
    desktop.end(down);
    await vncClosed;
    const queuedAtVncClose = proxyWs.bufferedAmount;
    client.resume();

    const { data, code } = await atClient;
    expect(code).toBe(1000);
    expect(data.length).toBe(down.length);
    expect(data.equals(down)).toBe(true);
    expect(queuedAtVncClose).toBeGreaterThan(0);
    await expect(closed).resolves.toBeUndefined();
    await sleep(50);
    expect(closeCalls()).toBe(1);
  });

  it('when the browser closes, destroys the VNC connection', async () => {
    const { client, vnc, desktop, closed, closeCalls } = await rig();
    const desktopClosed = new Promise((done) => desktop.once('close', done));
    desktop.resume();
    client.close(1000);

    await desktopClosed;
    expect(vnc.destroyed).toBe(true);
    await expect(closed).resolves.toBeUndefined();
    await sleep(50);
    expect(closeCalls()).toBe(1);
  });

  it('when the browser goes away abruptly, destroys the VNC connection', async () => {
    const { client, vnc, desktop, closed, closeCalls } = await rig();
    const desktopClosed = new Promise((done) => desktop.once('close', done));
    desktop.resume();
    client.terminate();

    await desktopClosed;
    expect(vnc.destroyed).toBe(true);
    await closed;
    await sleep(50);
    expect(closeCalls()).toBe(1);
  });

  it('closes the WebSocket with 1011 and reports the error when the VNC server cannot be reached', async () => {
    const vncServer = createServer();
    vncServer.listen(0, '127.0.0.1');
    const deadPort = await listening(vncServer);
    await new Promise((done) => vncServer.close(done));
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    const wssPort = await listening(wss);
    cleanups.push(() => new Promise((done) => wss.close(() => done())));
    const closed = new Promise<Error | undefined>((done) =>
      wss.once('connection', (proxyWs) =>
        bridgeVnc(proxyWs, { host: '127.0.0.1', port: deadPort }, { onClose: done }),
      ),
    );
    const client = new WebSocket(`ws://127.0.0.1:${wssPort}/`);
    const { code } = await received(client);

    expect(code).toBe(1011);
    expect((await closed)?.message).toMatch(/ECONNREFUSED/);
  });
});

/** The first `length` bytes of the client's messages. */
function readAllMessages(client: WebSocket, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  return new Promise((done) =>
    client.on('message', (data: Buffer) => {
      chunks.push(data);
      total += data.length;
      if (total >= length) done(Buffer.concat(chunks));
    }),
  );
}
