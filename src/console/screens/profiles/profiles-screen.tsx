import { useState, type FormEvent } from 'react';
import type { Page, StoredProfile } from '../../api/types.js';
import { query } from '../../api/client.js';
import { ErrorMessage, Loading } from '../../components/status.js';
import { hashQuery, href, navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatTime, plural } from '../common/format.js';
import { Pager, usePages } from '../common/pages.js';
import { Table } from '../common/table.js';

const PAGE_SIZE = 25;
// Checked against the schema's profile types by the type, without bundling the service's schemas.
const TYPES = Object.keys({ individual: true, sme: true } satisfies Record<StoredProfile['type'], true>);

/** `#/profiles?tag=&type=`: look up one profile, or browse a segment by tag and type (in the address, to share it). */
export function ProfilesScreen({ path }: { path: string }) {
  const params = hashQuery(path);
  const segment = { tag: params.get('tag') ?? '', type: params.get('type') ?? '' };
  return (
    <section aria-labelledby="profiles-title">
      <h1 id="profiles-title">Profiles</h1>
      <LookUp />
      <h2 id="segment-title">Browse a segment</h2>
      <SegmentForm key={`${segment.tag}|${segment.type}`} segment={segment} />
      <SegmentResults tag={segment.tag} type={segment.type} />
    </section>
  );
}

function LookUp() {
  const [profileId, setProfileId] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (profileId.trim()) navigate(`/profiles/${encodeURIComponent(profileId.trim())}`);
  }
  return (
    <form onSubmit={submit} aria-labelledby="lookup-title">
      <h2 id="lookup-title">Look up a profile</h2>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="lookup-id">Profile id</label>
          <input id="lookup-id" value={profileId} onChange={(event) => setProfileId(event.target.value)} required />
        </div>
        <button type="submit">Look up</button>
      </div>
    </form>
  );
}

function SegmentForm({ segment }: { segment: { tag: string; type: string } }) {
  const [draft, setDraft] = useState(segment);
  function submit(event: FormEvent) {
    event.preventDefault();
    navigate(`/profiles${query({ tag: draft.tag.trim(), type: draft.type })}`);
  }
  return (
    <form onSubmit={submit} aria-labelledby="segment-title">
      <div className="toolbar">
        <div className="field">
          <label htmlFor="segment-tag">Tag</label>
          <input
            id="segment-tag"
            value={draft.tag}
            onChange={(event) => setDraft({ ...draft, tag: event.target.value })}
            placeholder="high-value"
          />
        </div>
        <div className="field">
          <label htmlFor="segment-type">Type</label>
          <select id="segment-type" value={draft.type} onChange={(event) => setDraft({ ...draft, type: event.target.value })}>
            <option value="">any</option>
            {TYPES.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </div>
        <button type="submit">Browse</button>
      </div>
    </form>
  );
}

function SegmentResults({ tag, type }: { tag: string; type: string }) {
  const { api } = useSession();
  const pages = usePages(
    (cursor) => api.get<Page<StoredProfile>>(`/v1/profiles${query({ tag, type, limit: PAGE_SIZE, cursor })}`),
    [api, tag, type],
  );
  if (pages.state.error) return <ErrorMessage error={pages.state.error} />;
  if (!pages.state.data) return <Loading what="profiles" />;
  const profiles = pages.state.data.items;
  const described = [tag && `tagged ${tag}`, type && `of type ${type}`].filter(Boolean).join(' and ') || 'all profiles';
  return (
    <>
      <p role="status">
        {profiles.length === 0
          ? `No profile ${tag || type ? described : 'yet'}.`
          : `Page ${pages.number} of ${described}: ${plural(profiles.length, 'profile')}.`}
      </p>
      {profiles.length > 0 && (
        <Table caption={`Profiles ${described}`} columns={['Profile', 'Type', 'Tags', 'Updated']}>
          {profiles.map((profile) => (
            <tr key={profile.profileId}>
              <th scope="row">
                <a href={href(`/profiles/${encodeURIComponent(profile.profileId)}`)}>{profile.profileId}</a>
              </th>
              <td>{profile.type}</td>
              <td>{profile.tags.join(', ') || '—'}</td>
              <td>{formatTime(profile.updatedAt)}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager pages={pages} what="profiles" />
    </>
  );
}
