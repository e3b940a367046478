import { gunzip, isGzip } from './codec';
import { EncryptingStore, isEncrypted } from './encryption';
import { MemoryPersistence } from '../replica/memory-persistence';
import { isSyncError } from '../sync-error';
import { World, create, edit, syncAll, task } from '../testing/harness';

describe('end-to-end encryption', () => {
  let world: World;
  beforeEach(() => (world = new World()));

  function remoteText(): string {
    return [...world.remote.files.values()].map((file) => Buffer.from(file.data).toString('latin1')).join('\n');
  }

  it('round-trips between two devices and leaves no task title in the clear on the remote', async () => {
    const a = await world.device('A', { store: new EncryptingStore(world.remote, 'correct horse battery') });
    const b = await world.device('B', { store: new EncryptingStore(world.remote, 'correct horse battery') });
    await create(a, 'task', task('t1', { title: 'Secret plan for Friday' }));
    await syncAll(a, b);
    await edit(b, 'task', 't1', () => ({ notes: 'Bring the cake' }));
    await syncAll(b, a);
    expect(a.entity('task', 't1')).toEqual(jasmine.objectContaining({ title: 'Secret plan for Friday', notes: 'Bring the cake' }));
    for (const file of world.remote.files.values()) expect(isEncrypted(file.data)).toBeTrue();
    expect(remoteText()).not.toContain('Secret plan');
    expect(await anyFileContains('Secret plan')).toBeFalse();
    expect(await anyFileContains('Bring the cake')).toBeFalse();
  });

  it('says a wrong passphrase is wrong and writes nothing', async () => {
    const a = await world.device('A', { store: new EncryptingStore(world.remote, 'right one') });
    await create(a, 'task', task('t1'));
    await a.sync();
    const before = [...world.remote.files].map(([path, file]) => `${path}@${file.revision}`);
    const wrong = await world.device('B', { store: new EncryptingStore(world.remote, 'wrong one') });
    await create(wrong, 'task', task('t2'));
    const error = await wrong.sync().then(() => null, (e: unknown) => e);
    expect(isSyncError(error, 'encryption')).toBeTrue();
    expect((error as Error).message).toContain('passphrase does not open');
    expect([...world.remote.files].map(([path, file]) => `${path}@${file.revision}`)).toEqual(before);
  });

  it('stops a device without the passphrase from overwriting encrypted data', async () => {
    const a = await world.device('A', { store: new EncryptingStore(world.remote, 'secret') });
    await create(a, 'task', task('t1'));
    await a.sync();
    const before = [...world.remote.files].map(([path, file]) => `${path}@${file.revision}`);
    const plain = await world.device('B');
    await create(plain, 'task', task('t2'));
    await expectAsync(plain.sync()).toBeRejectedWith(jasmine.objectContaining({ code: 'encryption', message: jasmine.stringContaining('Enter its passphrase') }));
    expect([...world.remote.files].map(([path, file]) => `${path}@${file.revision}`)).toEqual(before);
  });

  it('turns encryption on by rewriting the remote once, and off the same way', async () => {
    const persistence = new MemoryPersistence();
    const plain = await world.device('A', { persistence });
    await create(plain, 'task', task('t1', { title: 'Visible before' }));
    await plain.sync();
    expect(await anyFileContains('Visible before')).toBeTrue();

    const turningOn = await world.device('A', { persistence, store: new EncryptingStore(world.remote, 'pass phrase') });
    expect((await turningOn.sync({ rewrite: true })).compacted).toBeTrue();
    for (const file of world.remote.files.values()) expect(isEncrypted(file.data)).toBeTrue();
    expect(await anyFileContains('Visible before')).toBeFalse();
    const other = await world.device('C', { store: new EncryptingStore(world.remote, 'pass phrase') });
    await other.sync();
    expect(other.entity('task', 't1')!['title']).toBe('Visible before');

    const turningOff = await world.device('A', { persistence, store: new EncryptingStore(world.remote, 'pass phrase', { writes: 'plain' }) });
    await turningOff.sync({ rewrite: true });
    for (const file of world.remote.files.values()) expect(isEncrypted(file.data)).toBeFalse();
    const withoutPassphrase = await world.device('D');
    await withoutPassphrase.sync();
    expect(withoutPassphrase.entity('task', 't1')!['title']).toBe('Visible before');
  });

  async function anyFileContains(text: string): Promise<boolean> {
    for (const file of world.remote.files.values()) {
      const bytes = isGzip(file.data) ? await gunzip(file.data) : file.data;
      if (Buffer.from(bytes).toString('utf8').includes(text)) return true;
    }
    return false;
  }
});
