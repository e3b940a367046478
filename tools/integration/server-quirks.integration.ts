import { probeCommitMode } from '../../src/app/sync/engine/remote/probe';
import { WebDavProvider } from '../../src/app/sync/providers/webdav.provider';
import { FaultProxy, ProxyFault, startFaultProxy } from '../servers/fault-proxy';
import { localServers } from './local-servers';
import { uniqueFolder } from './providers';

const bytes = new TextEncoder().encode('{"v":1}');

/**
 * What particular real servers do (issue 14), played by the fault proxy in front of nephele: each
 * must be survived by the provider, or recognized by the probe.
 */
describe('WebDAV servers that answer differently from nephele', () => {
  let proxy: FaultProxy;
  let upstream: string;
  beforeAll(async () => {
    upstream = (await localServers()).nephele.url;
    proxy = await startFaultProxy(upstream);
  });
  afterAll(() => proxy.close());
  const behave = (fault: ProxyFault) => (proxy.choose = () => fault);
  afterEach(() => behave('pass'));

  for (const fault of ['parent-404', 'parent-500'] as const) {
    it(`recreates a sync folder deleted while the app runs on a server that answers ${fault.slice(7)} for a missing parent`, async () => {
      behave(fault);
      const folder = uniqueFolder();
      const store = new WebDavProvider({ url: `${proxy.url}/`, folder });
      await store.write('meta.json', bytes);
      expect((await fetch(`${upstream}${folder}/`, { method: 'DELETE' })).ok).toBe(true);
      await store.write('deltas/1-dev-a.json', bytes, { createOnly: true });
      expect((await store.read('deltas/1-dev-a.json')).status).toBe('ok');
    });
  }

  it('goes on after a server closed the connection following a DELETE without saying so', async () => {
    behave('reset-after-delete');
    const store = new WebDavProvider({ url: `${proxy.url}/`, folder: uniqueFolder() });
    await store.write('meta.json', bytes);
    await store.write('deltas/a.json', bytes);
    for (let i = 0; i < 10; i++) {
      await store.delete('deltas/a.json');
      expect((await store.read('meta.json')).status).toBe('ok');
      await store.write('deltas/a.json', bytes);
    }
  });

  it('racy conditions: two conditional PUTs on one ETag, sent together, both pass (as nephele and Apache let them)', async () => {
    // A wide window, so that the two requests surely meet on a busy machine.
    proxy.nature = { conditions: 'racy', writes: 'as-server', windowMs: 400 };
    try {
      const store = new WebDavProvider({ url: `${proxy.url}/`, folder: uniqueFolder() });
      const base = await store.write('meta.json', bytes);
      const both = await Promise.allSettled(['{"a":1}', '{"b":2}'].map((body) => store.write('meta.json', new TextEncoder().encode(body), { ifMatch: base.revision! })));
      expect(both.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
      // And a stale one is still refused: the check is there, only not atomic with the write.
      const stale = await store.write('meta.json', bytes, { ifMatch: base.revision! }).then(() => 'accepted', (error: unknown) => (error as { code?: string }).code);
      expect(stale).toBe('precondition-failed');
    } finally {
      proxy.nature = { conditions: 'as-server', writes: 'as-server' };
    }
  });

  it('in-place writes: a reader sees the file half written, and two overlapping PUTs leave a lasting mix', async () => {
    proxy.nature = { conditions: 'as-server', writes: 'in-place', windowMs: 600 };
    try {
      const folder = uniqueFolder();
      const store = new WebDavProvider({ url: `${proxy.url}/`, folder });
      const direct = new WebDavProvider({ url: upstream, folder });
      const one = 'A'.repeat(40);
      const two = 'B'.repeat(40);
      await store.write('lock.json', new TextEncoder().encode('x'));
      const writes = Promise.all([store.write('lock.json', new TextEncoder().encode(one)), store.write('lock.json', new TextEncoder().encode(two))]);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const during = await direct.read('lock.json');
      expect(during.status === 'ok' && new TextDecoder().decode(during.data).length).toBe(20);
      await writes;
      const after = await direct.read('lock.json');
      const text = after.status === 'ok' ? new TextDecoder().decode(after.data) : '';
      expect(text.length).toBe(40);
      expect(text).toMatch(/^(A{20}B{20}|B{20}A{20})$/);
    } finally {
      proxy.nature = { conditions: 'as-server', writes: 'as-server' };
    }
  });

  it('the probe tells weak ETags (a conditional write refused for a second after each write) from compare-and-swap', async () => {
    behave('weak-etag');
    const probe = await probeCommitMode(new WebDavProvider({ url: `${proxy.url}/`, folder: uniqueFolder() }));
    expect(probe.mode).toBe('lock');
    expect(probe.reason).toContain('current ETag right after a write');
    behave('pass');
    expect((await probeCommitMode(new WebDavProvider({ url: `${proxy.url}/`, folder: uniqueFolder() }))).mode).toBe('compare-and-swap');
  });
});
