import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, verifyPassword } from '../../src/auth/index.ts';
import { parseScrypt } from '../../src/auth/scrypt.ts';

test('hashPassword produces scrypt$16384$8$1$salt$hash with a 16-byte salt and a 32-byte key', async () => {
  const encoded = await hashPassword('correct horse');
  const m = /^scrypt\$16384\$8\$1\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(encoded);
  assert.ok(m, encoded);
  assert.equal(Buffer.from(m[1], 'base64').length, 16);
  assert.equal(Buffer.from(m[2], 'base64').length, 32);
});

test('a hashed password verifies, a different one does not', async () => {
  const encoded = await hashPassword('correct horse');
  assert.equal(await verifyPassword('correct horse', encoded), true);
  assert.equal(await verifyPassword('correct horse ', encoded), false);
  assert.equal(await verifyPassword('', encoded), false);
});

test('the same password hashes differently each time (random salt)', async () => {
  const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('same', b), true);
});

test('non-ASCII passwords round-trip', async () => {
  const encoded = await hashPassword('pässwörd-密码');
  assert.equal(await verifyPassword('pässwörd-密码', encoded), true);
});

test('malformed or absurd encodings never verify', async () => {
  for (const bad of ['', 'scrypt$', 'bcrypt$16384$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==', 'scrypt$1000$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==']) {
    assert.equal(await verifyPassword('x', bad), false, bad);
  }
  // 2^24 · 8 · 128 bytes = 16 GiB: refused before scrypt would try to allocate it.
  assert.equal(parseScrypt('scrypt$16777216$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA=='), undefined);
});
