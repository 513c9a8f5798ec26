import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Agent, request } from 'undici';
import { makeTestCerts, type TestCerts } from '../helpers/certs.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

describe('HTTPS listener with client-certificate authentication', () => {
  let certs: TestCerts;
  let stack: Stack;
  let withCert: Agent;
  let withoutCert: Agent;

  before(async () => {
    certs = makeTestCerts('acme-client');
    stack = await startStack({
      extra: { listeners: [{ host: '127.0.0.1', port: 0, tls: { cert_file: certs.serverCert, key_file: certs.serverKey, ca_file: certs.caFile, client_cert: 'request' } }] },
      tenantExtra: { acme: { principals: [{ name: 'acme-cert', cert_subject_cn: 'acme-client', roles: ['read', 'write'] }] } },
    });
    const ca = certs.read(certs.caFile);
    withCert = new Agent({ connect: { ca, cert: certs.read(certs.clientCert), key: certs.read(certs.clientKey) } });
    withoutCert = new Agent({ connect: { ca } });
  });
  after(async () => {
    await withCert.close();
    await withoutCert.close();
    await stack.close();
    rmSync(certs.dir, { recursive: true, force: true });
  });

  it('listens on https and binds a verified client certificate to its tenant', async () => {
    assert.match(stack.url, /^https:/);
    const put = await request(`${stack.url}/certs/_doc/1?refresh=true`, {
      method: 'PUT',
      body: JSON.stringify({ a: 1 }),
      headers: { 'content-type': 'application/json' },
      dispatcher: withCert,
    });
    assert.equal(put.statusCode, 201, await put.body.text());
    const get = await request(`${stack.url}/certs/_doc/1`, { dispatcher: withCert });
    assert.equal(get.statusCode, 200);
    assert.deepEqual(((await get.body.json()) as { _source: unknown })._source, { a: 1 });
  });

  it('answers 401 to a TLS client without certificate or credentials', async () => {
    const res = await request(`${stack.url}/certs/_doc/1`, { dispatcher: withoutCert });
    assert.equal(res.statusCode, 401);
    await res.body.dump();
  });

  it('does not let the certificate principal into another tenant', async () => {
    const res = await request(`${stack.url}/certs/_doc/1`, { dispatcher: withCert, headers: { 'x-osproxy-tenant': 'globex' } });
    assert.equal(res.statusCode, 403);
    await res.body.dump();
  });
});
