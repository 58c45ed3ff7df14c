import { createServer, type Server, type Socket } from 'node:net';
import { isPaintedDesktop, paintedCheckSource, RfbViewer } from './rfb-frames';
import { tcpTransport, type RfbTransport } from './rfb-handshake';

const WIDTH = 200;
const HEIGHT = 120;

/** A frame of one colour, with an optional white box. */
function frame(box?: { x: number; y: number; size: number }): Uint8Array {
  const data = new Uint8Array(WIDTH * HEIGHT * 4);
  for (let i = 0; i < data.length; i += 4) data.set([40, 60, 90, 255], i);
  if (box) {
    for (let y = box.y; y < box.y + box.size; y++)
      for (let x = box.x; x < box.x + box.size; x++) data.set([255, 255, 255, 255], (y * WIDTH + x) * 4);
  }
  return data;
}

describe('isPaintedDesktop', () => {
  it('refuses a frame of one colour (a blank desktop)', () => {
    expect(isPaintedDesktop(frame(), WIDTH, HEIGHT)).toBe(false);
  });

  it('refuses a white box too small to be a window', () => {
    expect(isPaintedDesktop(frame({ x: 10, y: 10, size: 30 }), WIDTH, HEIGHT)).toBe(false);
  });

  it('accepts a desktop with a window of 60×60 on it', () => {
    expect(isPaintedDesktop(frame({ x: 20, y: 20, size: 60 }), WIDTH, HEIGHT)).toBe(true);
  });

  it('refuses an empty frame', () => {
    expect(isPaintedDesktop(new Uint8Array(0), 0, 0)).toBe(false);
  });

  it('gives the same answers from its source, as a page runs it', () => {
    const fromSource = new Function(`return (${paintedCheckSource})`)() as typeof isPaintedDesktop;
    expect(fromSource(frame({ x: 20, y: 20, size: 60 }), WIDTH, HEIGHT)).toBe(true);
    expect(fromSource(frame(), WIDTH, HEIGHT)).toBe(false);
  });
});

describe('RfbViewer', () => {
  let server: Server;
  let peer: Promise<Socket>;
  let transport: RfbTransport;
  const received: Buffer[] = [];

  beforeEach(async () => {
    received.length = 0;
    server = createServer();
    peer = new Promise((resolve) =>
      server.once('connection', (socket) => {
        socket.on('data', (chunk) => received.push(chunk));
        resolve(socket);
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    transport = await tcpTransport('127.0.0.1', address.port);
  });

  afterEach(async () => {
    transport.close();
    (await peer).destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A FramebufferUpdate of one Raw rectangle, from RGBA pixels (the X byte is sent as 0). */
  function rawUpdate(x: number, y: number, width: number, height: number, rgba: Uint8Array): Buffer {
    const header = Buffer.alloc(4 + 12);
    header.writeUInt8(0, 0);
    header.writeUInt16BE(1, 2);
    header.writeUInt16BE(x, 4);
    header.writeUInt16BE(y, 6);
    header.writeUInt16BE(width, 8);
    header.writeUInt16BE(height, 10);
    header.writeInt32BE(0, 12);
    const pixels = Buffer.from(rgba);
    for (let i = 3; i < pixels.length; i += 4) pixels[i] = 0;
    return Buffer.concat([header, pixels]);
  }

  it('asks for 32-bit true colour in Raw, then for the whole screen', async () => {
    const viewer = new RfbViewer(transport, { width: WIDTH, height: HEIGHT, name: 'test' });
    viewer.request(false);
    const socket = await peer;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = Buffer.concat(received);
    expect(sent.readUInt8(0)).toBe(0); // SetPixelFormat
    expect(sent.readUInt8(4)).toBe(32);
    expect(sent.readUInt8(7)).toBe(1); // true colour
    expect(sent.readUInt8(20)).toBe(2); // SetEncodings
    expect(sent.readInt32BE(24)).toBe(0); // Raw
    expect([...sent.subarray(28, 38)]).toEqual([3, 0, 0, 0, 0, 0, 0, WIDTH, 0, HEIGHT]);
    expect(socket.bytesRead).toBe(38);
  });

  it('applies rectangles sent in small pieces, skips a bell, and stops at the first painted frame', async () => {
    const viewer = new RfbViewer(transport, { width: WIDTH, height: HEIGHT, name: 'test' });
    const socket = await peer;
    const blank = rawUpdate(0, 0, WIDTH, HEIGHT, frame());
    const box = new Uint8Array(60 * 60 * 4).fill(255);
    const windowUpdate = rawUpdate(30, 20, 60, 60, box);
    const stream = Buffer.concat([blank, Buffer.from([2]), windowUpdate]);
    // In 1,000-byte pieces, as TCP may deliver them.
    const sending = (async () => {
      for (let i = 0; i < stream.length; i += 1000) {
        socket.write(stream.subarray(i, i + 1000));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await viewer.until((f) => isPaintedDesktop(f.data, f.width, f.height), 5000);
    await sending;
    expect(viewer.updates).toBe(2);
    expect(viewer.pixelBytes).toBe(WIDTH * HEIGHT * 4 + 60 * 60 * 4);
    const at = (x: number, y: number) => [
      ...viewer.frame.data.subarray((y * WIDTH + x) * 4, (y * WIDTH + x) * 4 + 4),
    ];
    expect(at(0, 0)).toEqual([40, 60, 90, 255]);
    expect(at(30, 20)).toEqual([255, 255, 255, 255]);
    expect(at(89, 79)).toEqual([255, 255, 255, 255]);
    expect(at(90, 80)).toEqual([40, 60, 90, 255]);
  });

  it('gives up after its time-out when no frame passes', async () => {
    const viewer = new RfbViewer(transport, { width: WIDTH, height: HEIGHT, name: 'test' });
    const socket = await peer;
    socket.write(rawUpdate(0, 0, WIDTH, HEIGHT, frame()));
    await expect(viewer.until((f) => isPaintedDesktop(f.data, f.width, f.height), 300)).rejects.toThrow(
      /no frame passed the check within 300 ms/,
    );
  });

  it('refuses an encoding it did not ask for', async () => {
    const viewer = new RfbViewer(transport, { width: WIDTH, height: HEIGHT, name: 'test' });
    const socket = await peer;
    const update = rawUpdate(0, 0, 1, 1, new Uint8Array(4));
    update.writeInt32BE(7, 12); // Tight
    socket.write(update);
    await expect(viewer.nextUpdate()).rejects.toThrow(/encoding 7/);
  });
});
