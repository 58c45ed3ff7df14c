import type { IncomingMessage } from 'node:http';
import { isCrossSiteHandshake, isCrossSiteRequest, isFormPost } from './cross-site-request';

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

  it('refuses Origin-less requests that the browser marks cross-site or same-site, not same-origin ones', () => {
    expect(isCrossSiteRequest(req('POST', { host: 'portal.example', 'sec-fetch-site': 'cross-site' }))).toBe(
      true,
    );
    expect(isCrossSiteRequest(req('DELETE', { host: 'portal.example', 'sec-fetch-site': 'Same-Site' }))).toBe(
      true,
    );
    expect(isCrossSiteRequest(req('POST', { host: 'portal.example', 'sec-fetch-site': 'same-origin' }))).toBe(
      false,
    );
    expect(isCrossSiteRequest(req('POST', { host: 'portal.example', 'sec-fetch-site': 'none' }))).toBe(false);
    expect(isCrossSiteRequest(req('GET', { host: 'portal.example', 'sec-fetch-site': 'cross-site' }))).toBe(
      false,
    );
  });
});

describe('isCrossSiteHandshake', () => {
  // A WebSocket handshake is a GET with an Upgrade header; Socket.IO's polling handshake a plain GET.
  const handshake = (headers: Record<string, string>) =>
    req('GET', { upgrade: 'websocket', connection: 'Upgrade', ...headers });

  it("refuses a GET handshake whose Origin is another host, or a sibling's, or null", () => {
    expect(isCrossSiteHandshake(handshake({ host: 'portal.example', origin: 'https://evil.example' }))).toBe(
      true,
    );
    expect(
      isCrossSiteHandshake(
        handshake({ host: 'portal.example', origin: 'https://portal.example.evil.example' }),
      ),
    ).toBe(true);
    expect(
      isCrossSiteHandshake(handshake({ host: 'portal.example:8080', origin: 'http://portal.example:8081' })),
    ).toBe(true);
    expect(isCrossSiteHandshake(handshake({ host: 'portal.example', origin: 'null' }))).toBe(true);
    expect(isCrossSiteHandshake(req('GET', { host: 'portal.example', origin: 'https://evil.example' }))).toBe(
      true,
    );
  });

  it('refuses one that the browser marks cross-site or same-site', () => {
    expect(isCrossSiteHandshake(handshake({ host: 'portal.example', 'sec-fetch-site': 'cross-site' }))).toBe(
      true,
    );
    expect(
      isCrossSiteHandshake(
        handshake({
          host: 'portal.example',
          'sec-fetch-site': 'same-site',
          origin: 'https://portal.example',
        }),
      ),
    ).toBe(true);
  });

  it("accepts the portal's own pages, behind a proxy too, and clients that send no Origin", () => {
    expect(
      isCrossSiteHandshake(handshake({ host: 'portal.example', origin: 'https://portal.example' })),
    ).toBe(false);
    expect(
      isCrossSiteHandshake(
        handshake({
          host: 'Portal.Example:443',
          origin: 'https://portal.example',
          'sec-fetch-site': 'same-origin',
        }),
      ),
    ).toBe(false);
    expect(
      isCrossSiteHandshake(
        handshake({
          host: '127.0.0.1:8080',
          'x-forwarded-host': 'portal.example',
          origin: 'https://portal.example',
        }),
      ),
    ).toBe(false);
    // curl, node's socket.io-client and ws, the bench: no browser, so no ambient cookie of a user either.
    expect(isCrossSiteHandshake(handshake({ host: 'portal.example' }))).toBe(false);
  });
});

describe('isFormPost', () => {
  it('flags state-changing requests with a body type an HTML form can send', () => {
    expect(isFormPost(req('POST', { 'content-type': 'text/plain;charset=UTF-8' }))).toBe(true);
    expect(isFormPost(req('POST', { 'content-type': 'application/x-www-form-urlencoded' }))).toBe(true);
    expect(isFormPost(req('PATCH', { 'content-type': 'Multipart/Form-Data; boundary=x' }))).toBe(true);
  });

  it('leaves JSON, bodiless requests and reads alone', () => {
    expect(isFormPost(req('POST', { 'content-type': 'application/json' }))).toBe(false);
    expect(isFormPost(req('POST', {}))).toBe(false);
    expect(isFormPost(req('GET', { 'content-type': 'text/plain' }))).toBe(false);
  });
});
