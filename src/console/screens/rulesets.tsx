import type { Page, RulesetDetail, RulesetSummary } from '../api/types.js';
import { Loaded } from '../components/status.js';
import { href } from '../router.js';
import { useSession } from '../session/session.js';
import { useAsync } from '../use-async.js';
import { CreateRuleset } from './create-ruleset.js';

/** Every ruleset with its kind, active and latest version, and who published the latest when. */
export function RulesetsScreen() {
  const { api, can } = useSession();
  const state = useAsync(async () => {
    const { items } = await api.get<Page<RulesetSummary>>('/v1/rulesets');
    return Promise.all(items.map((item) => api.get<RulesetDetail>(`/v1/rulesets/${encodeURIComponent(item.id)}`)));
  }, [api]);
  return (
    <section aria-labelledby="rulesets-title">
      <h1 id="rulesets-title">Rulesets</h1>
      <Loaded state={state} what="rulesets">
        {(rulesets) => (
          <table>
            <caption className="visually-hidden">Rulesets</caption>
            <thead>
              <tr>
                <th scope="col">Ruleset</th>
                <th scope="col">Kind</th>
                <th scope="col">Description</th>
                <th scope="col">Active</th>
                <th scope="col">Latest</th>
                <th scope="col">Serving</th>
                <th scope="col">Latest published</th>
              </tr>
            </thead>
            <tbody>
              {rulesets.map((ruleset) => {
                const latest = ruleset.versions[ruleset.versions.length - 1];
                return (
                  <tr key={ruleset.id}>
                    <th scope="row">
                      <a href={href(`/rulesets/${ruleset.id}`)}>{ruleset.id}</a>
                    </th>
                    <td>{ruleset.kind}</td>
                    <td>{ruleset.description}</td>
                    <td>{ruleset.activeVersion ?? '—'}</td>
                    <td>{ruleset.latestVersion ?? '—'}</td>
                    <td>{ruleset.servingVersion ?? '—'}</td>
                    <td>
                      {latest ? `${latest.publishedBy?.name ?? 'system'}, ${new Date(latest.publishedAt).toLocaleString()}` : 'never'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Loaded>
      {can('rules:edit') && <CreateRuleset />}
    </section>
  );
}
