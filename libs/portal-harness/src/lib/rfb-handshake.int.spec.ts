// Checks the test RFB client itself against a real Xvnc (started here, outside Slurm), so a failing
// desktop test later means the desktop, not the client.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
