import type { StoredProfile } from '../../api/types.js';
import { Loaded } from '../../components/status.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { formatTime } from '../common/format.js';
import { JsonText } from '../common/json-text.js';
import { Table } from '../common/table.js';
import { SnoozePanel } from './snooze-panel.js';
import { PROFILE_READERS } from './profile-roles.js';

const OWN_FIELDS = new Set(['profileId', 'type', 'tags', 'tagDetails', 'createdAt', 'updatedAt']);

/** `#/profiles/:id`: one profile, its tags with where each came from (ruleset, version, rule, time), and its data. */
export function ProfilePage({ params }: { params: Record<string, string> }) {
  const session = useSession();
  const id = params.id!;
  if (session.can(...PROFILE_READERS)) return <ProfileView id={id} />;
  // A fraud analyst may not read profiles (the contract's roles): only the customer's snoozes; the activity is on the alert.
  return (
    <section aria-labelledby="profile-title">
      <p>
        <a href={href('/alerts')}>← Review alerts</a>
      </p>
      <h1 id="profile-title">Profile {id}</h1>
      <SnoozePanel profileId={id} />
    </section>
  );
}

function ProfileView({ id }: { id: string }) {
  const session = useSession();
  const state = useAsync(() => session.api.get<StoredProfile>(`/v1/profiles/${encodeURIComponent(id)}`), [session.api, id]);
  return (
    <section aria-labelledby="profile-title">
      <p>
        <a href={href('/profiles')}>← Profiles</a>
      </p>
      <h1 id="profile-title">Profile {id}</h1>
      <Loaded state={state} what="the profile">
        {(profile) => (
          <>
            <dl className="facts-list">
              <dt>Type</dt>
              <dd>{profile.type}</dd>
              <dt>Created</dt>
              <dd>{formatTime(profile.createdAt)}</dd>
              <dt>Updated</dt>
              <dd>{formatTime(profile.updatedAt)}</dd>
            </dl>
            {session.can('audit:read') && (
              <p>
                <a href={href(`/decisions?profileId=${encodeURIComponent(profile.profileId)}`)}>Decisions about this profile</a>
              </p>
            )}
            {session.can('alerts:review') && <SnoozePanel profileId={profile.profileId} />}
            <h2 id="tags-title">Tags and where they came from</h2>
            {profile.tagDetails.length === 0 ? (
              <p>No tags yet.</p>
            ) : (
              <Table labelledBy="tags-title" columns={['Tag', 'Ruleset', 'Version', 'Rule', 'Set at']}>
                {[...profile.tagDetails]
                  .sort((a, b) => a.tag.localeCompare(b.tag))
                  .map((detail) => (
                    <tr key={detail.tag}>
                      <th scope="row">{detail.tag}</th>
                      <td>
                        {session.can('rules:edit', 'rules:publish') ? (
                          <a href={href(`/rulesets/${encodeURIComponent(detail.ruleset)}`)}>{detail.ruleset}</a>
                        ) : (
                          detail.ruleset
                        )}
                      </td>
                      <td>{detail.version}</td>
                      <td>{detail.rule}</td>
                      <td>{formatTime(detail.at)}</td>
                    </tr>
                  ))}
              </Table>
            )}
            <h2>Profile data</h2>
            {Object.entries(profile)
              .filter(([name]) => !OWN_FIELDS.has(name))
              .map(([name, value]) => (
                <section key={name} aria-label={`Section ${name}`}>
                  <h3>{name}</h3>
                  <JsonText value={value} block />
                </section>
              ))}
          </>
        )}
      </Loaded>
    </section>
  );
}
