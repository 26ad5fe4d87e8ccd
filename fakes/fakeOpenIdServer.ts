import crypto, { type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the Bot Framework's OpenID endpoint, and a token mint for it.
 *
 * Serves `GET /v1/.well-known/openidconfiguration` → `{issuer, jwks_uri}` and `GET /v1/keys` → the JWKS with one
 * RS256 key endorsed for `msteams`. Point the bot at it with `ToBotFromChannelOpenIdMetadataUrl = metadataUrl` and
 * `ToBotFromChannelTokenIssuer = issuer`. botbuilder caches keys per metadata URL for the whole process, so every
 * test file starts its own server (a fresh port, hence a fresh URL). The same JWKS is served at
 * `/<tenant>/discovery/v2.0/keys`, where the Agents SDK host looks for it.
 */

export interface ChannelTokenClaims {
  iss: string;
  aud: string;
  serviceurl: string;
  /** Seconds since the epoch. */
  nbf: number;
  exp: number;
  [claim: string]: unknown;
}

export interface SignOptions {
  /** `kid` header; default the served key's id. */
  kid?: string;
  /** Signing key; default the served key. Pass `unknownKey()` to sign with a key the JWKS does not hold. */
  privateKey?: KeyObject;
}

export interface FakeOpenIdServer {
  metadataUrl: string;
  issuer: string;
  /** Id of the served key. */
  kid: string;
  /** How many times the JWKS was fetched (proves the bot validated against this server). */
  readonly keyRequests: number;
  /** Claims of a valid channel token for `appId` and `serviceUrl`, valid from a minute ago for an hour. */
  claims(appId: string, serviceUrl: string, overrides?: Partial<ChannelTokenClaims>): ChannelTokenClaims;
  /** An RS256 JWT of `claims`. */
  sign(claims: Record<string, unknown>, options?: SignOptions): string;
  /** A JWT with header `{alg: 'none'}` and no signature. */
  unsigned(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

/** A private key the fake server never publishes. */
export function unknownKey(): KeyObject {
  return crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

export async function startFakeOpenIdServer(
  options: { endorsements?: string[] } = {},
): Promise<FakeOpenIdServer> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `fake-key-${crypto.randomUUID()}`;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  let keyRequests = 0;
  let base = '';

  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/v1/.well-known/openidconfiguration') {
      return send(200, { issuer: `${base}/issuer`, jwks_uri: `${base}/v1/keys` });
    }
    // The Agents SDK host reads no metadata: for an issuer other than Bot Framework's it fetches
    // `<authority>/<tenant>/discovery/v2.0/keys` (its authority is this server's origin in tests).
    if (
      req.method === 'GET' &&
      (req.url === '/v1/keys' || /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(req.url ?? ''))
    ) {
      keyRequests += 1;
      return send(200, { keys: [{ ...jwk, endorsements: options.endorsements ?? ['msteams'] }] });
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/issuer`;

  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    issuer,
    kid,
    get keyRequests() {
      return keyRequests;
    },
    claims(appId, serviceUrl, overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      return {
        iss: issuer,
        aud: appId,
        serviceurl: serviceUrl,
        nbf: now - 60,
        exp: now + 3600,
        ...overrides,
      };
    },
    sign(claims, signOptions = {}) {
      const header = { alg: 'RS256', typ: 'JWT', kid: signOptions.kid ?? kid };
      const input = `${base64url(header)}.${base64url(claims)}`;
      const signature = crypto.sign('RSA-SHA256', Buffer.from(input), signOptions.privateKey ?? privateKey);
      return `${input}.${signature.toString('base64url')}`;
    },
    unsigned(claims) {
      return `${base64url({ alg: 'none', typ: 'JWT', kid })}.${base64url(claims)}.`;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
