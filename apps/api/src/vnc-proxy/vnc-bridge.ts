// The byte pump between a browser's WebSocket and a desktop's Xvnc, for VncProxy: it dials the VNC
// TCP socket and carries bytes both ways, with back-pressure both ways, until either side closes.
// Plain event handlers rather than stream pipelines over createWebSocketStream, so that the close
// can be graceful; and reads of up to READ_SIZE bytes into a buffer of our own (net's `onread`)
// instead of net's 64 KiB ones, which halved the CPU per byte when measured and keeps one stream at
// websockify's pace (bench/proxy-throughput.ts).
import { type Socket, connect } from 'node:net';
import type { WebSocket } from 'ws';

export type VncDirection = 'to_vnc' | 'to_browser';

export interface VncBridgeOptions {
  /** Told the size of every chunk as it passes, by direction. */
  onBytes?: (direction: VncDirection, bytes: number) => void;
  /** Called once, when both sides are closed, with the first error either side had, if any. */
  onClose?: (error?: Error) => void;
  /** Bytes queued toward the browser above which the VNC socket stops being read. */
  highWaterMark?: number;
}

/** Enough to keep the browser's socket busy between reads, little enough for hundreds of streams. */
export const VNC_BRIDGE_HIGH_WATER_MARK = 1024 * 1024;
/** The largest read from Xvnc, and so the largest message to the browser. */
const READ_SIZE = 256 * 1024;

const BINARY = { binary: true };
const NORMAL_CLOSURE = 1000;
const INTERNAL_ERROR = 1011;

/**
 * Connects to the VNC server and bridges it to an open WebSocket. When the VNC side closes,
 * everything it sent is already queued on the WebSocket, which is then closed gracefully after it
 * (1000, or 1011 if the VNC socket failed); when the WebSocket closes, the VNC socket is destroyed.
 * Returns the VNC socket.
 */
export function bridgeVnc(
  ws: WebSocket,
  target: { host: string; port: number },
  options: VncBridgeOptions = {},
): Socket {
  const { onBytes, onClose, highWaterMark = VNC_BRIDGE_HIGH_WATER_MARK } = options;
  let firstError: Error | undefined;
  let vncClosed = false;
  let wsClosed = false;
  const settle = () => {
    if (vncClosed && wsClosed) onClose?.(firstError);
  };
  ws.binaryType = 'nodebuffer';

  // VNC → browser. A read lands in `readBuffer` and is sent as a view of it when the WebSocket's
  // socket is empty (the usual case: the kernel takes it at once, and the buffer is free for the
  // next read); if that write was only partly taken, the socket holds the view, so the next read
  // gets a new buffer. A read that finds bytes already queued is copied, so what waits in memory
  // is about what bufferedAmount says, not a READ_SIZE buffer per small read.
  let readBuffer = Buffer.allocUnsafe(READ_SIZE);
  let readBufferHeld = false;
  const nextReadBuffer = () => {
    if (readBufferHeld) {
      readBuffer = Buffer.allocUnsafe(READ_SIZE);
      readBufferHeld = false;
    }
    return readBuffer;
  };
  // ws has no 'drain': the chunk that crosses the mark is sent with a callback, which runs once
  // that chunk, and so all before it, has been handed to the kernel.
  const resumeVnc = () => vnc.resume();
  // Always true (keep reading): pausing goes through vnc.pause(), so that isPaused() tells.
  const onVncData = (length: number, buffer: Uint8Array): boolean => {
    onBytes?.('to_browser', length);
    if (ws.readyState !== ws.OPEN) return true; // the browser is leaving: nothing more reaches it
    const queued = ws.bufferedAmount;
    const view = (buffer as Buffer).subarray(0, length);
    const chunk = queued === 0 ? view : Buffer.from(view);
    if (queued + length > highWaterMark) {
      vnc.pause();
      ws.send(chunk, BINARY, resumeVnc);
    } else {
      ws.send(chunk, BINARY);
    }
    if (queued === 0 && ws.bufferedAmount > 0) readBufferHeld = true;
    return true;
  };
  const vnc = connect({
    host: target.host,
    port: target.port,
    onread: { buffer: nextReadBuffer, callback: onVncData },
  });
  vnc.setNoDelay(true);

  // Browser → VNC: stop reading the WebSocket's socket while the VNC socket's buffer is full.
  ws.on('message', (data) => {
    const chunk = data as Buffer; // binaryType 'nodebuffer'
    onBytes?.('to_vnc', chunk.length);
    if (!vnc.writable) return;
    if (!vnc.write(chunk)) ws.pause();
  });
  vnc.on('drain', () => ws.resume());

  vnc.on('error', (error) => (firstError ??= error));
  ws.on('error', (error) => (firstError ??= error));
  vnc.on('close', () => {
    vncClosed = true;
    // After the last send, so the close frame follows every byte; ws flushes before it ends.
    ws.close(firstError ? INTERNAL_ERROR : NORMAL_CLOSURE);
    settle();
  });
  ws.on('close', () => {
    wsClosed = true;
    vnc.destroy();
    settle();
  });
  return vnc;
}
