import { lazy, Suspense } from 'react';
import { Loading } from '../../components/status.js';
import { useSession } from '../../session/session.js';

// The builder (react-querybuilder) and its controls load when the tab is first opened, not with the console.
const DraftEditor = lazy(() => import('./draft-editor.js'));

/** Edit the draft: the visual builder and the JSON view of the same draft, saved together with its tests. */
export function DraftTab() {
  const session = useSession();
  if (!session.can('rules:edit')) {
    return <p role="alert">Your key's roles ({session.identity.roles.join(', ')}) do not allow editing drafts: that needs rules:edit.</p>;
  }
  return (
    <Suspense fallback={<Loading what="the draft editor" />}>
      <DraftEditor />
    </Suspense>
  );
}
