import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Authenticator, buildCredentialTables, hashToken } from '../../src/auth/index.ts';
import { ControlSchema } from '../../src/config/schema.ts';
import { ControlPlane } from '../../src/control/control-plane.ts';
import type { StoredDoc } from '../../src/control/documents.ts';
import { StoreConflict } from '../../src/control/fleet-store.ts';
import { MemoryFleetStore } from '../../src/control/memory-store.ts';
import { TenantAdmin } from '../../src/control/tenant-admin.ts';
import { TenantSchema } from '../../src/config/tenant-schema.ts';

const silent = pino({ level: 'silent' });

function plane(store: MemoryFleetStore, seed: Record<string, unknown> = {}): ControlPlane {
  return new ControlPlane({
    store,
    config: ControlSchema.parse({ store: 'memory', poll_ms: 60_000, heartbeat_ms: 60_000 }),
    log: silent,
    instance: { id: `i-${Math.random()}`, version: 'test', host: 'h', pid: 1, startedAt: Date.now() },
    seed: Object.fromEntries(Object.entries(seed).map(([k, v]) => [k, TenantSchema.parse(v)])),
    hooks: {
      makeAuth: (tenants) => Authenticator.fromParts({ tables: buildCredentialTables([...tenants].map(([id, t]) => [id, t.doc] as const)) }),
      onAmbiguous: () => {},
    },
  });
}

const token = (t: string) => ({ principals: [{ name: 'app', token_sha256: hashToken(t) }] });

describe('the control plane over a fleet store', () => {
  it('seeds an empty store from the configuration, and only an empty one', async () => {
    const store = new MemoryFleetStore();
    const a = plane(store, { acme: token('a') });
    await a.tick();
    assert.ok(a.snapshot()?.hasTenant('acme'));
    await new TenantAdmin(a).remove('acme');
    const b = plane(store, { acme: token('a'), globex: token('g') });
    await b.tick();
    assert.equal(b.snapshot()?.hasTenant('acme'), false, 'a deleted tenant is not re-imported');
    assert.equal(b.snapshot()?.hasTenant('globex'), false, 'a store that had tenants is not seeded again');
  });

  it('two instances seeding an empty store at once both start with the tenants (writes not yet searchable)', async () => {
    const store = new MemoryFleetStore();
    await plane(store, { acme: token('a') }).tick();
    // The second instance's whole read ran before the first one's writes were refreshed: it sees
    // an empty store, and its own seeding conflicts with what the first one wrote.
    const lagging = Object.assign(Object.create(store) as MemoryFleetStore, {
      readAll: async () => ({ docs: [], checkpoint: -1, incarnation: (await store.readAll()).incarnation }),
    });
    const b = plane(lagging, { acme: token('a') });
    await b.tick();
    assert.ok(b.snapshot()?.hasTenant('acme'), 'the tenant another instance seeded is in the first snapshot');
  });

  it('sees another instance’s change at its next poll, and tombstones as deletions', async () => {
    const store = new MemoryFleetStore();
    const a = plane(store, { acme: token('a') });
    const b = plane(store);
    await a.tick();
    await b.tick();
    await new TenantAdmin(a).put('globex', TenantSchema.parse(token('g')) as never);
    assert.ok(a.snapshot()?.hasTenant('globex'), 'read-your-writes on the writing instance');
    assert.equal(b.snapshot()?.hasTenant('globex'), false);
    await b.tick();
    assert.ok(b.snapshot()?.hasTenant('globex'));
    await new TenantAdmin(a).remove('globex');
    await b.tick();
    assert.equal(b.snapshot()?.hasTenant('globex'), false);
  });

  it('keeps the last good snapshot when the store cannot be read', async () => {
    const store = new MemoryFleetStore();
    const a = plane(store, { acme: token('a') });
    await a.tick();
    store.readChanges = async () => {
      throw new Error('store down');
    };
    await a.tick();
    assert.ok(a.snapshot()?.hasTenant('acme'));
    assert.match(a.problem ?? '', /store down/);
  });

  it('applies two racing changes of one tenant (guarded writes re-read and retry)', async () => {
    const store = new MemoryFleetStore();
    const a = plane(store, { acme: token('a') });
    const b = plane(store);
    await a.tick();
    await b.tick();
    // Make every first write of each call lose a race, by changing the document underneath it once.
    let interfere = 2;
    const replace = store.replace.bind(store);
    store.replace = async (doc, expected) => {
      if (interfere-- > 0) {
        const current = (await store.get('tenant', 'acme')) as StoredDoc;
        await replace({ ...current, body: { ...current.body } }, current);
      }
      return replace(doc, expected);
    };
    const [rotated] = await Promise.all([new TenantAdmin(a).rotate('acme', 'app'), new TenantAdmin(b).setState('acme', 'suspended')]);
    const final = await new TenantAdmin(a).get('acme');
    assert.equal(final.state, 'suspended');
    assert.equal(final.principals[0].token_sha256, hashToken(rotated.token));
  });

  it('refuses a stale if_version with 409 and changes nothing', async () => {
    const store = new MemoryFleetStore();
    const a = plane(store, { acme: token('a') });
    await a.tick();
    const admin = new TenantAdmin(a);
    await assert.rejects(admin.put('acme', TenantSchema.parse(token('z')) as never, 7), (e: unknown) => (e as { status?: number }).status === 409);
    assert.equal((await admin.get('acme')).principals[0].token_sha256, hashToken('a'));
  });

  it('reports a change it made itself once, and applies a sibling’s without reporting it', async () => {
    const store = new MemoryFleetStore();
    const a = plane(store, { acme: token('a') });
    await a.tick();
    const seen: string[] = [];
    a.onLocalChange((docs) => seen.push(...docs.map((d) => `${d.kind}:${d.key}`)));
    await a.registerIndex('acme', 'logs');
    await a.registerIndex('acme', 'logs');
    assert.deepEqual(seen, ['index:acme/logs']);
    const other = new MemoryFleetStore();
    const doc = await other.create({ kind: 'index', key: 'acme/events', deleted: false, body: { tenant: 'acme', name: 'events', placement: { kind: 'shared', routing: 'tenant' }, epoch: 0, created_at: 1 } });
    a.applyPeer([{ ...doc, seqNo: 1_000 }]);
    assert.ok(a.snapshot()?.hasIndex('acme', 'events'));
    assert.equal(seen.length, 1);
  });

  it('gives up a guarded write that keeps losing, with a conflict', async () => {
    const store = new MemoryFleetStore();
    const a = plane(store, { acme: token('a') });
    await a.tick();
    store.replace = async () => {
      throw new StoreConflict('always');
    };
    await assert.rejects(new TenantAdmin(a).setState('acme', 'suspended'), StoreConflict);
  });
});
