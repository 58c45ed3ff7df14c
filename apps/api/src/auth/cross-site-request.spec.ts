import type { IncomingMessage } from 'node:http';
import { isCrossSiteRequest } from './cross-site-request';

const req = (method: string, headers: Record<string, string>) =>
  ({ method, headers }) as unknown as IncomingMessage;

describe('isCrossSiteRequest', () => {
  it('refuses state-changing requests whose Origin is another host, scheme-default ports compared as URLs', () => {
    expect(isCrossSiteRequest(req('POST', { host: 'portal.example', origin: 'https://evil.example' }))).toBe(
      true,
    );
    expect(
      isCrossSiteRequest(
        req('DELETE', { host: 'portal.example', origin: 'https://portal.example.evil.example' }),
      ),
    ).toBe(true);
    expect(isCrossSiteRequest(req('PATCH', { host: 'portal.example', origin: 'null' }))).toBe(true);
    expect(
      isCrossSiteRequest(req('PUT', { host: 'portal.example:443', origin: 'https://portal.example' })),
    ).toBe(false);
    expect(
      isCrossSiteRequest(req('POST', { host: 'Portal.Example:8080', origin: 'http://portal.example:8080' })),
    ).toBe(false);
  });

  it('leaves reads and Origin-less requests alone', () => {
    expect(isCrossSiteRequest(req('GET', { host: 'portal.example', origin: 'https://evil.example' }))).toBe(
      false,
    );
    expect(isCrossSiteRequest(req('POST', { host: 'portal.example' }))).toBe(false);
  });

  it('accepts the first X-Forwarded-Host as the browser-facing host', () => {
    expect(
      isCrossSiteRequest(
        req('POST', {
          host: '127.0.0.1:8080',
          'x-forwarded-host': 'portal.example, inner',
          origin: 'https://portal.example',
        }),
      ),
    ).toBe(false);
    expect(
      isCrossSiteRequest(
        req('POST', {
          host: '127.0.0.1:8080',
          'x-forwarded-host': 'inner, portal.example',
          origin: 'https://portal.example',
        }),
      ),
    ).toBe(true);
  });
});
