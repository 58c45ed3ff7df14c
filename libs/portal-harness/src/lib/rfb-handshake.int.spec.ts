// Checks the test RFB client itself against a real Xvnc (started here, outside Slurm), so a failing
// desktop test later means the desktop, not the client.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPaintedDesktop, RfbViewer } from './rfb-frames';
import { RfbAuthError, rfbHandshake, tcpTransport } from './rfb-handshake';

const DISPLAY = 97;
const PORT = 5900 + DISPLAY;

describe('rfbHandshake against a real Xvnc', () => {
  let dir: string;
  let xvnc: ChildProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vizportal-rfb-'));
    const passwordFile = join(dir, 'passwd');
    execFileSync('sh', ['-c', `printf '%s\\n' 'pa55word' | vncpasswd -f > '${passwordFile}'`]);
    xvnc = spawn(
      'Xvnc',
      [
        `:${DISPLAY}`,
        '-rfbport',
        String(PORT),
        '-rfbauth',
        passwordFile,
        '-SecurityTypes',
        'VncAuth',
        '-geometry',
        '1024x640',
        '-interface',
        '127.0.0.1',
        '-BlacklistThreshold',
        '1000000',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      try {
        (await tcpTransport('127.0.0.1', PORT)).close();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error('Xvnc did not start');
  });

  afterAll(() => {
    xvnc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes VNC Authentication and reads the geometry from ServerInit', async () => {
    const transport = await tcpTransport('127.0.0.1', PORT);
    try {
      const init = await rfbHandshake(transport, 'pa55word');
      expect(init).toMatchObject({ width: 1024, height: 640 });
    } finally {
      transport.close();
    }
  });

  it('is refused with a wrong password', async () => {
    const transport = await tcpTransport('127.0.0.1', PORT);
    try {
      await expect(rfbHandshake(transport, 'wrong')).rejects.toBeInstanceOf(RfbAuthError);
    } finally {
      transport.close();
    }
  });

  it('sees the bare desktop as unpainted, and an xterm on it as painted, in 32-bit Raw frames', async () => {
    const transport = await tcpTransport('127.0.0.1', PORT);
    let xterm: ChildProcess | undefined;
    try {
      const viewer = new RfbViewer(transport, await rfbHandshake(transport, 'pa55word'));
      viewer.request(false);
      await viewer.nextUpdate();
      expect(viewer.pixelBytes).toBe(1024 * 640 * 4);
      expect(isPaintedDesktop(viewer.frame.data, 1024, 640)).toBe(false);

      xterm = spawn('xterm', ['-bg', 'white', '-fg', 'black', '-geometry', '60x20+100+100'], {
        env: { ...process.env, DISPLAY: `:${DISPLAY}` },
        stdio: 'ignore',
      });
      await viewer.until((frame) => isPaintedDesktop(frame.data, frame.width, frame.height), 20_000);
      // The xterm's white at its place, the bare root's colour far from it.
      const at = (x: number, y: number) => [
        ...viewer.frame.data.subarray((y * 1024 + x) * 4, (y * 1024 + x) * 4 + 3),
      ];
      expect(at(150, 150)).toEqual([255, 255, 255]);
      expect(at(1000, 620)).not.toEqual([255, 255, 255]);
    } finally {
      xterm?.kill('SIGTERM');
      transport.close();
    }
  });
});
