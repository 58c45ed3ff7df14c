import { desEncryptBlock, vncAuthResponse } from './vnc-des';

describe('desEncryptBlock', () => {
  it('matches the classic FIPS worked example', () => {
    const key = Buffer.from('133457799BBCDFF1', 'hex');
    expect(desEncryptBlock(key, Buffer.from('0123456789ABCDEF', 'hex')).toString('hex')).toBe(
      '85e813540f0ab405',
    );
  });

  it('matches the NBS validation vector with an all-zero key', () => {
    expect(desEncryptBlock(Buffer.alloc(8), Buffer.from('8000000000000000', 'hex')).toString('hex')).toBe(
      '95f8a5e5dd31d900',
    );
  });
});

describe('vncAuthResponse', () => {
  it('answers both halves of the 16-byte challenge and differs by password', () => {
    const challenge = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const a = vncAuthResponse('secret12', challenge);
    expect(a).toHaveLength(16);
    expect(a.equals(vncAuthResponse('secret13', challenge))).toBe(false);
    // Only the first 8 characters count, as in every VNC server.
    expect(a.equals(vncAuthResponse('secret12andmore', challenge))).toBe(true);
  });
});
