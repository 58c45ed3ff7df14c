// A VNC viewer without a screen: after rfbHandshake, it asks for 32-bit true colour in Raw encoding
// (RFC 6143 §7.5.1, §7.7.1), keeps the framebuffer, and waits until a frame passes a check. The
// benchmarks' floor uses it to see a desktop painted with no portal in between, by the same check
// the browser's canvas is held to (isPaintedDesktop).
import type { RfbTransport, ServerInit } from './rfb-handshake';

/** Pixels as RGBA bytes, row by row: the layout of a canvas's ImageData. */
export interface Frame {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * A desktop with something on it, not a blank or single-colour screen: sampled every 4th pixel, more
 * than one colour, none on 98 % or more of the samples, and a white box of at least 50×50 px (an
 * xterm). Self-contained (no closure, no import) so a page can run its source: see paintedCheckSource.
 */
export function isPaintedDesktop(data: ArrayLike<number>, width: number, height: number): boolean {
  const counts = new Map<number, number>();
  let samples = 0;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y += 4) {
    for (let x = 0; x < width; x += 4) {
      const i = (y * width + x) * 4;
      const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
      samples++;
      if (data[i] > 240 && data[i + 1] > 240 && data[i + 2] > 240) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
  }
  if (samples === 0) return false;
  const dominantShare = Math.max(...counts.values()) / samples;
  const whiteBox = maxX >= 0 && maxX - minX >= 50 && maxY - minY >= 50;
  return counts.size > 1 && dominantShare < 0.98 && whiteBox;
}

/** isPaintedDesktop's source, for page.evaluate in a browser: `(${paintedCheckSource})(data, w, h)`. */
export const paintedCheckSource = isPaintedDesktop.toString();

const RAW_ENCODING = 0;

/** Reads framebuffer updates into a Frame; other server messages (bell, clipboard) are skipped. */
export class RfbViewer {
  readonly frame: Frame;
  /** Framebuffer updates received, and the bytes of their pixel data. */
  updates = 0;
  pixelBytes = 0;

  constructor(
    private readonly transport: RfbTransport,
    init: ServerInit,
  ) {
    this.frame = {
      width: init.width,
      height: init.height,
      data: new Uint8Array(init.width * init.height * 4),
    };
    // SetPixelFormat: 32 bpp, depth 24, little-endian, true colour, 8 bits each, red at bit 0, so
    // the bytes in memory are R, G, B, X as in ImageData.
    const pixelFormat = Buffer.alloc(20);
    pixelFormat.writeUInt8(0, 0);
    pixelFormat.writeUInt8(32, 4);
    pixelFormat.writeUInt8(24, 5);
    pixelFormat.writeUInt8(0, 6);
    pixelFormat.writeUInt8(1, 7);
    pixelFormat.writeUInt16BE(255, 8);
    pixelFormat.writeUInt16BE(255, 10);
    pixelFormat.writeUInt16BE(255, 12);
    pixelFormat.writeUInt8(0, 14);
    pixelFormat.writeUInt8(8, 15);
    pixelFormat.writeUInt8(16, 16);
    transport.write(pixelFormat);
    // SetEncodings: Raw only, so every rectangle is plain pixels.
    const encodings = Buffer.alloc(8);
    encodings.writeUInt8(2, 0);
    encodings.writeUInt16BE(1, 2);
    encodings.writeInt32BE(RAW_ENCODING, 4);
    transport.write(encodings);
  }

  /** FramebufferUpdateRequest for the whole screen; incremental asks only for what changed. */
  request(incremental: boolean): void {
    const message = Buffer.alloc(10);
    message.writeUInt8(3, 0);
    message.writeUInt8(incremental ? 1 : 0, 1);
    message.writeUInt16BE(this.frame.width, 6);
    message.writeUInt16BE(this.frame.height, 8);
    this.transport.write(message);
  }

  /** Reads server messages until one framebuffer update has been applied. */
  async nextUpdate(): Promise<void> {
    for (;;) {
      const type = (await this.transport.read(1))[0];
      if (type === 0) return this.readUpdate();
      if (type === 2) continue; // Bell
      if (type === 3) {
        const header = await this.transport.read(7);
        await this.transport.read(header.readUInt32BE(3)); // ServerCutText
        continue;
      }
      throw new Error(`unexpected RFB server message type ${type}`);
    }
  }

  /**
   * Asks for the whole screen, then for changes after each update, until the frame passes `check`;
   * rejects after timeoutMs.
   */
  async until(check: (frame: Frame) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.request(false);
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no frame passed the check within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.nextUpdate(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no frame passed the check within ${timeoutMs} ms`)),
            remaining,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      if (check(this.frame)) return;
      this.request(true);
    }
  }

  private async readUpdate(): Promise<void> {
    const header = await this.transport.read(3);
    const rectangles = header.readUInt16BE(1);
    for (let r = 0; r < rectangles; r++) {
      const rect = await this.transport.read(12);
      const x = rect.readUInt16BE(0);
      const y = rect.readUInt16BE(2);
      const width = rect.readUInt16BE(4);
      const height = rect.readUInt16BE(6);
      const encoding = rect.readInt32BE(8);
      if (encoding !== RAW_ENCODING)
        throw new Error(`server sent encoding ${encoding}, not the Raw asked for`);
      const pixels = await this.transport.read(width * height * 4);
      this.pixelBytes += pixels.length;
      for (let row = 0; row < height; row++) {
        const target = ((y + row) * this.frame.width + x) * 4;
        this.frame.data.set(pixels.subarray(row * width * 4, (row + 1) * width * 4), target);
        // The X byte is padding: make it opaque, as a canvas would be.
        for (let i = target + 3; i < target + width * 4; i += 4) this.frame.data[i] = 255;
      }
    }
    this.updates++;
  }
}
