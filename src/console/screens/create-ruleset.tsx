import { useState, type FormEvent } from 'react';
import { RULESET_KINDS, type RulesetKind } from '../../engine/rule-schema.js';
import type { RulesetDetail } from '../api/types.js';
import { ErrorMessage } from '../components/status.js';
import { navigate } from '../router.js';
import { useSession } from '../session/session.js';

const KIND_LABELS: Record<RulesetKind, string> = {
  tagging: 'tagging (tags profiles)',
  product: 'product (offers products)',
  fraud: 'fraud (raises alerts)',
  risk: 'risk (adds score points)',
};

/** Create a ruleset (`POST /v1/rulesets`): an id, a kind and a description; its empty draft opens in the editor. */
export function CreateRuleset() {
  const { api } = useSession();
  const [id, setId] = useState('');
  const [kind, setKind] = useState<RulesetKind>('tagging');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>();
  const [creating, setCreating] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setCreating(true);
    setError(undefined);
    try {
      const created = await api.post<RulesetDetail>('/v1/rulesets', { id, kind, ...(description && { description }) });
      navigate(`/rulesets/${created.id}/draft`);
    } catch (failure) {
      setError(failure);
      setCreating(false);
    }
  };
  return (
    <section aria-labelledby="create-ruleset-title">
      <h2 id="create-ruleset-title">Create a ruleset</h2>
      <form className="toolbar" onSubmit={(event) => void submit(event)}>
        <label className="field">
          <span>Id</span>
          <input value={id} onChange={(event) => setId(event.target.value)} required aria-describedby="ruleset-id-hint" />
        </label>
        <label className="field">
          <span>Kind</span>
          <select value={kind} onChange={(event) => setKind(event.target.value as RulesetKind)}>
            {RULESET_KINDS.map((item) => (
              <option key={item} value={item}>
                {KIND_LABELS[item]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Description</span>
          <input value={description} onChange={(event) => setDescription(event.target.value)} maxLength={1000} size={50} />
        </label>
        <button type="submit" disabled={creating}>
          {creating ? 'Creating…' : 'Create the ruleset'}
        </button>
      </form>
      <p className="hint" id="ruleset-id-hint">
        Id: 1–64 lowercase letters, digits and dashes, e.g. <code>sme-working-capital</code>. The new ruleset starts with an empty draft and
        no version.
      </p>
      <ErrorMessage error={error} />
    </section>
  );
}
