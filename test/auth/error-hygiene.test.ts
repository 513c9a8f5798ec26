import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator, hashToken } from '../../src/auth/index.ts';
import { authFailure, basic, bearer, errorText, PASSWORDS, REMOTE, TENANTS, TOKENS } from './fixtures.ts';

const auth = await Authenticator.create({ tenants: TENANTS });

/** Every configured secret and hash: none may ever appear in an error a client or log could see. */
const configured = [
  ...Object.values(TOKENS).flatMap((t) => [t, hashToken(t)]),
  ...Object.values(PASSWORDS),
  ...Object.values(TENANTS).flatMap((t) => t.principals.map((p) => p.password_scrypt).filter((h): h is string => h !== undefined)),
];

function assertClean(text: string, secrets: string[]): void {
  for (const s of secrets) {
    assert.ok(!text.includes(s), `error text contains ${s.slice(0, 6)}…`);
    // A prefix of a hash is as bad as the hash (the display id uses 8 hex digits, errors use none).
    if (/^[0-9a-f]{64}$/.test(s)) assert.ok(!text.includes(s.slice(0, 8)), 'error text contains a hash prefix');
  }
}

test('a rejected bearer token appears in no form in the error', async () => {
  const token = 'my-very-secret-token-9f8e7d';
  const e = await authFailure(auth.authenticate(bearer(token), REMOTE), { status: 401 });
  assertClean(errorText(e), [token, hashToken(token), ...configured]);
});

test('a rejected basic password, and the username check, leave no secret in the error', async () => {
  const wrong = await authFailure(auth.authenticate(basic('alice', 'hunter2-secret'), REMOTE), { status: 401 });
  assertClean(errorText(wrong), ['hunter2-secret', ...configured]);
  // Naming the user would confirm that it exists.
  assert.ok(!errorText(wrong).includes('alice'));
});

test('binding errors name no tenant but the one the caller sent', async () => {
  const multi = await auth.authenticate(bearer(TOKENS.multi), REMOTE);
  const e = await authFailure(() => auth.bind(multi, 'initech'), { status: 403 });
  assertClean(errorText(e), [...configured, 'acme', 'globex']);
});

test('no credentials: the challenge is the only thing said', async () => {
  const e = await authFailure(auth.authenticate({}, REMOTE), { status: 401 });
  assertClean(errorText(e), configured);
  for (const t of Object.keys(TENANTS)) assert.ok(!errorText(e).includes(t));
});
