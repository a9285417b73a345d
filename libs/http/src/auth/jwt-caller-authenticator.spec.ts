import { createHmac, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { toErrorResponse } from '../errors/error-response';
import { AuthenticationError, AuthenticationFailure } from './authentication-error';
import { JwtCallerAuthenticator } from './jwt-caller-authenticator';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const nowSeconds = () => Math.floor(Date.now() / 1000);

// Tokens are signed here with node:crypto rather than jose, so verification is checked against an independent signer.
function token(header: object, payload: object, signWith: (input: string) => Buffer): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${signWith(input).toString('base64url')}`;
}

const hs256 = (payload: object, secret = SECRET) =>
  token({ alg: 'HS256', typ: 'JWT' }, payload, (input) =>
    createHmac('sha256', secret).update(input).digest(),
  );

const rs256 = (payload: object, privateKey: KeyObject) =>
  token({ alg: 'RS256', typ: 'JWT' }, payload, (input) => sign('sha256', Buffer.from(input), privateKey));

const valid = (overrides: object = {}) => ({ sub: 'user-42', exp: nowSeconds() + 300, ...overrides });
const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

async function failureOf(attempt: Promise<unknown>): Promise<AuthenticationFailure> {
  const error = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AuthenticationError))
    throw new Error(`expected an AuthenticationError, got ${String(error)}`);
  return error.failure;
}

describe(JwtCallerAuthenticator.name, () => {
  describe('HS256', () => {
    const authenticator = new JwtCallerAuthenticator({
      secret: SECRET,
      issuer: 'https://issuer.example',
      audience: 'session-store',
    });
    const claims = { iss: 'https://issuer.example', aud: 'session-store' };

    it('takes the caller from the sub of a valid token, and when it lapses from its exp', async () => {
      const exp = nowSeconds() + 300;
      await expect(authenticator.authenticate(bearer(hs256(valid({ ...claims, exp }))))).resolves.toEqual({
        userId: 'user-42',
        expiresAt: exp,
      });
    });

    it('refuses an exp no clock reaches (1e400 parses to Infinity)', async () => {
      const payload = `{"sub":"user-42","iss":"https://issuer.example","aud":"session-store","exp":1e400}`;
      const input = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
      const signature = createHmac('sha256', SECRET).update(input).digest('base64url');
      expect(await failureOf(authenticator.authenticate(bearer(`${input}.${signature}`)))).toBe(
        AuthenticationFailure.ClaimRejected,
      );
    });

    it('refuses a signature spelled with base64 padding', async () => {
      const token = hs256(valid(claims));
      expect(await failureOf(authenticator.authenticate(bearer(`${token}=`)))).toBe(
        AuthenticationFailure.MalformedToken,
      );
    });

    it.each([
      ['no Authorization header', {}, AuthenticationFailure.MissingToken],
      ['an empty Authorization header', { authorization: ' ' }, AuthenticationFailure.MissingToken],
      [
        'a scheme other than Bearer',
        { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        AuthenticationFailure.MalformedToken,
      ],
      ['a token that is not a JWT', bearer('not-a-jwt'), AuthenticationFailure.MalformedToken],
      [
        'a token with a garbled payload',
        bearer('eyJhbGciOiJIUzI1NiJ9.!!!.sig'),
        AuthenticationFailure.MalformedToken,
      ],
      [
        'a token signed with another secret',
        bearer(hs256(valid(claims), 'another-secret-of-thirty-two-characters!')),
        AuthenticationFailure.BadSignature,
      ],
      [
        'an expired token',
        bearer(hs256(valid({ ...claims, exp: nowSeconds() - 600 }))),
        AuthenticationFailure.Expired,
      ],
      [
        'a token without exp',
        bearer(hs256({ ...claims, sub: 'user-42' })),
        AuthenticationFailure.ClaimRejected,
      ],
      [
        'a token for another audience',
        bearer(hs256(valid({ ...claims, aud: 'elsewhere' }))),
        AuthenticationFailure.ClaimRejected,
      ],
      [
        'a token from another issuer',
        bearer(hs256(valid({ ...claims, iss: 'https://evil.example' }))),
        AuthenticationFailure.ClaimRejected,
      ],
      [
        'a token without sub',
        bearer(hs256({ ...claims, exp: nowSeconds() + 300 })),
        AuthenticationFailure.MissingSubject,
      ],
      [
        'a token with an empty sub',
        bearer(hs256(valid({ ...claims, sub: '' }))),
        AuthenticationFailure.MissingSubject,
      ],
      [
        'an unsigned token (alg none)',
        bearer(`${token({ alg: 'none' }, valid(claims), () => Buffer.alloc(0))}`),
        AuthenticationFailure.MalformedToken,
      ],
    ])('refuses %s', async (_case, headers, failure) => {
      expect(await failureOf(authenticator.authenticate(headers))).toBe(failure);
    });

    it('answers a refusal with 401, a detail saying why, and a Bearer challenge', async () => {
      const error = await authenticator
        .authenticate(bearer(hs256(valid({ ...claims, exp: nowSeconds() - 600 }))))
        .catch((thrown: unknown) => thrown);
      const response = toErrorResponse(error);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Invalid token: expired' });
      expect(response.headers['WWW-Authenticate']).toMatch(/^Bearer error="invalid_token"/);
      const missing = toErrorResponse(
        await authenticator.authenticate({}).catch((thrown: unknown) => thrown),
      );
      expect(missing.headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    });
  });

  describe('RS256', () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const authenticator = new JwtCallerAuthenticator({ publicKey });

    it('verifies a token signed with the private key of the configured public key', async () => {
      await expect(authenticator.authenticate(bearer(rs256(valid(), keys.privateKey)))).resolves.toEqual({
        userId: 'user-42',
        expiresAt: expect.any(Number),
      });
    });

    it('refuses a token signed with another key, and an HS256 token made with the public key as its secret', async () => {
      const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      expect(await failureOf(authenticator.authenticate(bearer(rs256(valid(), stranger))))).toBe(
        AuthenticationFailure.BadSignature,
      );
      expect(await failureOf(authenticator.authenticate(bearer(hs256(valid(), publicKey))))).toBe(
        AuthenticationFailure.MalformedToken,
      );
    });
  });

  it('needs exactly one key', () => {
    expect(() => new JwtCallerAuthenticator({})).toThrow(/exactly one/);
    expect(() => new JwtCallerAuthenticator({ secret: SECRET, publicKey: 'pem' })).toThrow(/exactly one/);
  });
});
