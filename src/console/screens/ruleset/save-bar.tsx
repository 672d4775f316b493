import { ApiError } from '../../api/api-error.js';
import { ErrorMessage } from '../../components/status.js';
import { describePlace, placeOf, type Problem, type ProblemPlace } from '../../rules/draft-problems.js';
import './editing.css';
import { hasUnsavedChanges, type DraftActions, type DraftSession } from './draft-store.js';

const when = (iso: string) => new Date(iso).toLocaleString();

/** Fields whose invalid text blocks a save, for a person: `draft` is the JSON view. */
function fieldName(field: string, session: DraftSession): string {
  if (field === 'draft') return 'the JSON view';
  const [, index, part] = field.split(':');
  return `the ${part} of test ${session.working.tests[Number(index)]?.name ?? index}`;
}

/**
 * Whether the draft has unsaved changes, and Save / Discard; after a refused save, every problem the
 * service found, each with where it is and a button that shows it (`onShow`).
 */
export function SaveBar({
  session,
  actions,
  onShow,
}: {
  session: DraftSession;
  actions: DraftActions;
  onShow(place: ProblemPlace, problem: Problem): void;
}) {
  const dirty = hasUnsavedChanges(session);
  const blockedBy = Object.keys(session.unapplied);
  const { saved } = session;
  return (
    <div className="save-bar">
      <div className="toolbar">
        <p role="status" className={dirty ? 'unsaved' : 'muted'}>
          {dirty
            ? 'Unsaved changes: the service still has the draft as it was last saved.'
            : `No unsaved changes. Draft saved ${saved.updatedBy ? `by ${saved.updatedBy.name} ` : ''}on ${when(saved.updatedAt)}.`}
        </p>
        <button type="button" onClick={() => void actions.save()} disabled={!dirty || session.saving || blockedBy.length > 0}>
          {session.saving ? 'Saving…' : 'Save the draft'}
        </button>
        <button type="button" className="secondary" onClick={actions.discard} disabled={!dirty || session.saving}>
          Discard changes
        </button>
      </div>
      {blockedBy.length > 0 && (
        <p className="warn">
          Not saved while {blockedBy.map((field) => fieldName(field, session)).join(' and ')} {blockedBy.length > 1 ? 'hold' : 'holds'}{' '}
          invalid JSON: it is kept as typed and not applied.
        </p>
      )}
      {session.newerElsewhere && (
        <p className="warn" role="alert">
          The draft was saved elsewhere{session.newerElsewhere.updatedBy ? ` by ${session.newerElsewhere.updatedBy.name}` : ''} on{' '}
          {when(session.newerElsewhere.updatedAt)} after you started: saving replaces it with yours; discarding takes theirs.
        </p>
      )}
      {session.saveError !== undefined &&
        (session.problems.length > 0 ? <ProblemList session={session} onShow={onShow} /> : <ErrorMessage error={session.saveError} />)}
    </div>
  );
}

function ProblemList({ session, onShow }: { session: DraftSession; onShow(place: ProblemPlace, problem: Problem): void }) {
  const error = session.saveError;
  return (
    <div className="error" role="alert">
      <p>
        Not saved: {error instanceof ApiError ? error.message : 'the service refused the draft.'}{' '}
        {session.problems.length === 1 ? 'One problem' : `${session.problems.length} problems`}, each shown where it is:
      </p>
      <ul>
        {session.problems.map((problem) => {
          const place = placeOf(problem.path, session.working);
          return (
            <li key={`${problem.path}:${problem.message}`}>
              <button type="button" className="link" onClick={() => onShow(place, problem)}>
                {describePlace(place, session.working)}
              </button>
              : {problem.message} <code className="muted">{problem.path}</code>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
