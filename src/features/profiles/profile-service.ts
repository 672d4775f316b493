import { notFound, validationFailed, type ErrorDetail } from '../../errors/domain-error.js';
import { toDetails, validatorFor } from '../../schema/validation.js';
import { bulkProfileItemSchema, type ProfileDocument, type ProfileDocumentRequest, type StoredProfile } from './profile-schema.js';
import type { ProfileFilter, ProfileStore } from './profile-store.js';

export interface BulkItemError {
  index: number;
  profileId: string | null;
  error: { code: string; message: string; details: ErrorDetail[] };
}

/** Profile use cases: write, read, list a segment, bulk upsert (erasure is features/erasure). */
export class ProfileService {
  constructor(private readonly store: ProfileStore) {}

  async put(profileId: string, body: ProfileDocumentRequest): Promise<{ created: boolean; profile: StoredProfile }> {
    const { profileId: bodyId, ...document } = body;
    if (bodyId !== undefined && bodyId !== profileId) {
      throw validationFailed('The body profileId differs from the one in the path.', [
        { path: '/profileId', message: 'must equal the profileId in the path' },
      ]);
    }
    return this.store.upsert(profileId, document, new Date());
  }

  async get(profileId: string): Promise<StoredProfile> {
    const profile = await this.store.get(profileId);
    if (!profile) throw notFound(`No profile with id ${profileId}.`);
    return profile;
  }

  list(filter: ProfileFilter, limit: number, afterId?: string): Promise<StoredProfile[]> {
    return this.store.list(filter, limit, afterId);
  }

  /** Validates each item on its own and writes the valid ones; one bad profile never blocks the others. */
  async bulkUpsert(items: unknown[]): Promise<{ upserted: number; errors: BulkItemError[] }> {
    const validate = validatorFor(bulkProfileItemSchema);
    const errors: BulkItemError[] = [];
    const valid: { index: number; profileId: string; document: ProfileDocument }[] = [];
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const claimedId = typeof (item as { profileId?: unknown })?.profileId === 'string' ? (item as { profileId: string }).profileId : null;
      if (!validate(item)) {
        errors.push({ index, profileId: claimedId, error: invalid(toDetails(validate.errors, `/profiles/${index}`)) });
        return;
      }
      const { profileId, ...document } = item as ProfileDocument & { profileId: string };
      if (seen.has(profileId)) {
        errors.push({
          index,
          profileId,
          error: invalid([{ path: `/profiles/${index}/profileId`, message: 'appears more than once in this request' }]),
        });
        return;
      }
      seen.add(profileId);
      valid.push({ index, profileId, document });
    });
    const { failed } = await this.store.bulkUpsert(valid, new Date());
    for (const [position, message] of failed) {
      const item = valid[position]!;
      errors.push({ index: item.index, profileId: item.profileId, error: { code: 'INTERNAL', message, details: [] } });
    }
    errors.sort((a, b) => a.index - b.index);
    return { upserted: valid.length - failed.size, errors };
  }
}

function invalid(details: ErrorDetail[]): BulkItemError['error'] {
  return { code: 'VALIDATION_FAILED', message: 'The profile is invalid.', details };
}
