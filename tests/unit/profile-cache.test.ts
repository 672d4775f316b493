import { expect } from 'chai';
import { ProfileCache, type ReadState } from '../../src/features/profiles/profile-cache.js';
import type { StoredProfile } from '../../src/features/profiles/profile-schema.js';

const stateOf = (profileId: string, bytes = 1000, subject = 's-1'): ReadState => ({
  profile: { profileId, type: 'individual', tags: [], tagDetails: [], createdAt: '', updatedAt: '' } as StoredProfile,
  subject,
  velocity: { n: 0, times: '[]' },
  bytes,
});
describe('ProfileCache', () => {
  it('when more profiles are read than its memory bound holds, then the least recently used go and are read again', async () => {
    // About 6 KB an entry (parsed objects take a few times their text): three fit in 20 KB.
    const cache = new ProfileCache(20_000, undefined);
    let reads = 0;
    const read = (id: string) => async () => {
      reads += 1;
      return stateOf(id);
    };
    for (const id of ['A', 'B', 'C', 'D']) await cache.get(id, read(id));
    expect(cache.size).to.equal(3);
    await cache.get('B', read('B'));
    expect(reads, 'B is still there').to.equal(4);
    await cache.get('A', read('A'));
    expect(reads, 'A went first').to.equal(5);
  });

  it('when a profile is written while it is being read, then the read is answered but not kept', async () => {
    const cache = new ProfileCache(1_000_000, undefined);
    let release: (state: ReadState) => void = () => undefined;
    const slow = cache.get('A', () => new Promise<ReadState>((resolve) => (release = resolve)));
    cache.forget(['A']);
    release(stateOf('A'));
    expect((await slow)?.profile.profileId).to.equal('A');
    let reads = 0;
    await cache.get('A', async () => {
      reads += 1;
      return stateOf('A');
    });
    expect(reads, 'read again after the write').to.equal(1);
  });

  it('when several decisions miss the same profile at once, then it is read once', async () => {
    const cache = new ProfileCache(1_000_000, undefined);
    let reads = 0;
    const read = async () => {
      reads += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return stateOf('A');
    };
    await Promise.all([cache.get('A', read), cache.get('A', read), cache.get('A', read)]);
    expect(reads).to.equal(1);
  });
});
