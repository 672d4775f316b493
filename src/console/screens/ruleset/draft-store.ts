import { useEffect, useSyncExternalStore } from 'react';
import type { ApiClient } from '../../api/client.js';
import { ApiError } from '../../api/api-error.js';
import type { DraftView, RulesetDetail, TestReport } from '../../api/types.js';
import { sameDraft, type DraftDocument } from '../../rules/draft-edits.js';
import type { Problem } from '../../rules/draft-problems.js';
import { parseJson } from '../../rules/json-text.js';

/**
 * The draft a person is editing, shared by the "Edit the draft" and "Test the draft" tabs and kept
 * while they switch tabs: the working copy, what the service last saved, the JSON view's text, texts
 * typed into JSON fields that are not valid yet, the problems of the last refused save and the last
 * test run. One session per ruleset, in memory only (a reload starts again from the saved draft).
 */
export interface DraftSession {
  saved: DraftView;
  working: DraftDocument;
  /** The JSON view's text while the last edit came from there (so the person's typing is not reformatted). */
  jsonText: string | null;
  /** Texts typed into JSON fields that are not applied because they are not valid, by field: `draft`, `test:2:profile`… */
  unapplied: Record<string, { text: string; message: string }>;
  /** The problems of the last save the service refused (400 `details`), until the next save. */
  problems: Problem[];
  saving: boolean;
  saveError: unknown;
  /** A draft saved elsewhere (another person, another tab) after this session started. */
  newerElsewhere: DraftView | null;
  lastRun: { report: TestReport; at: Date } | null;
  running: boolean;
  runError: unknown;
}

const sessions = new Map<string, DraftSession>();
/** The key the sessions were started with: another key signing in on this tab must not see them. */
let sessionsApi: ApiClient | undefined;
const listeners = new Set<() => void>();
/** The checksum of the draft each ruleset page last loaded, to tell a newly loaded draft from one seen before. */
const pageDrafts = new Map<string, string>();

function put(id: string, session: DraftSession): void {
  sessions.set(id, session);
  for (const listener of listeners) listener();
}

const change = (id: string, patch: (session: DraftSession) => Partial<DraftSession>) => {
  const session = sessions.get(id);
  if (session) put(id, { ...session, ...patch(session) });
};

const documentOf = (draft: DraftView): DraftDocument => ({
  rules: draft.rules as DraftDocument['rules'],
  tests: draft.tests as DraftDocument['tests'],
  reasons: (draft.reasons ?? {}) as Record<string, string>,
});

function fresh(saved: DraftView): DraftSession {
  return {
    saved,
    working: documentOf(saved),
    jsonText: null,
    unapplied: {},
    problems: [],
    saving: false,
    saveError: undefined,
    newerElsewhere: null,
    lastRun: null,
    running: false,
    runError: undefined,
  };
}

const unsavedByWorking = new WeakMap<DraftDocument, { saved: DraftView; unsaved: boolean }>();

export function hasUnsavedChanges(session: DraftSession): boolean {
  if (Object.keys(session.unapplied).length > 0) return true;
  // Asked several times per render with the same drafts: compared once per working copy and saved draft.
  const known = unsavedByWorking.get(session.working);
  if (known?.saved === session.saved) return known.unsaved;
  const unsaved = !sameDraft(session.working, documentOf(session.saved));
  unsavedByWorking.set(session.working, { saved: session.saved, unsaved });
  return unsaved;
}

/** The draft's shape as the JSON view must give it: an object of rules and tests, each an array of objects. */
function draftShapeProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'The draft must be an object with "rules" and "tests".';
  const extra = Object.keys(value).filter((key) => key !== 'rules' && key !== 'tests' && key !== 'reasons');
  if (extra.length > 0)
    return `The draft holds only "rules", "tests" and "reasons"; remove ${extra.map((key) => JSON.stringify(key)).join(', ')}.`;
  const { reasons = {} } = value as { reasons?: unknown };
  if (reasons === null || typeof reasons !== 'object' || Array.isArray(reasons)) return '"reasons" must be an object of code → text.';
  const { rules, tests = [] } = value as { rules?: unknown; tests?: unknown };
  const isObject = (item: unknown) => item !== null && typeof item === 'object' && !Array.isArray(item);
  if (!Array.isArray(rules) || !rules.every(isObject)) return '"rules" must be an array of rule objects.';
  if (!Array.isArray(tests) || !tests.every(isObject)) return '"tests" must be an array of test objects.';
  return undefined;
}

export interface DraftActions {
  /**
   * A change from the builder or a form: the JSON view's text follows it. A change that moves rules or
   * tests (`reorders`) drops the last save's problems, whose pointers would now name other items.
   */
  edit(change: (draft: DraftDocument) => DraftDocument, reorders?: boolean): void;
  /** A change typed in the JSON view: applied when it is a valid draft, kept as it is either way. */
  editJson(text: string): void;
  /** A JSON field's text that is not valid (kept, not applied), or `undefined` once it is valid again. */
  setUnapplied(field: string, entry: { text: string; message: string } | undefined): void;
  discard(): void;
  /** Saves rules and tests; true when the service took them. */
  save(): Promise<boolean>;
  /** Saves first when there are unsaved changes, then runs the draft's tests on the service. */
  runTests(): Promise<void>;
}

/** The editing session of a ruleset's draft, started from the draft the page loaded. */
export function useDraftSession(ruleset: RulesetDetail, api: ApiClient, reload: () => void): [DraftSession, DraftActions] {
  const id = ruleset.id;
  if (sessionsApi !== api) {
    sessions.clear();
    pageDrafts.clear();
    sessionsApi = api;
  }
  const known = sessions.get(id);
  if (!known) sessions.set(id, fresh(ruleset.draft));
  else if (pageDrafts.get(id) !== ruleset.draft.checksum && known.saved.checksum !== ruleset.draft.checksum) {
    // The page loaded a draft this session did not save: take it when nothing here is unsaved, else say so and keep the person's work.
    sessions.set(id, hasUnsavedChanges(known) ? { ...known, newerElsewhere: ruleset.draft } : fresh(ruleset.draft));
  }
  pageDrafts.set(id, ruleset.draft.checksum);
  const session = useSyncExternalStore(subscribe, () => sessions.get(id)!);
  const dirty = hasUnsavedChanges(session);
  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  return [session, actionsFor(id, api, reload)];
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function actionsFor(id: string, api: ApiClient, reload: () => void): DraftActions {
  const save = async (): Promise<boolean> => {
    const session = sessions.get(id)!;
    change(id, () => ({ saving: true, saveError: undefined }));
    try {
      const saved = await api.put<DraftView>(`/v1/rulesets/${encodeURIComponent(id)}/draft`, {
        rules: session.working.rules,
        tests: session.working.tests,
        reasons: session.working.reasons ?? {},
      });
      // Edits made while the save was in flight stay unsaved on top of what was saved.
      change(id, (now) => ({
        saved,
        saving: false,
        problems: [],
        newerElsewhere: null,
        ...(now.working === session.working && { working: documentOf(saved), jsonText: null }),
      }));
      reload();
      return true;
    } catch (error) {
      const problems = error instanceof ApiError && error.status === 400 ? error.details : [];
      change(id, () => ({ saving: false, saveError: error, problems }));
      return false;
    }
  };
  return {
    edit: (update, reorders = false) =>
      change(id, (session) => ({
        working: update(session.working),
        jsonText: null,
        ...(reorders && { problems: [], saveError: undefined }),
      })),
    editJson: (text) =>
      change(id, (session) => {
        const parsed = parseJson(text);
        const problem = parsed.ok ? draftShapeProblem(parsed.value) : parsed.message;
        const unapplied = { ...session.unapplied };
        delete unapplied.draft;
        if (problem !== undefined || !parsed.ok)
          return { jsonText: text, unapplied: { ...unapplied, draft: { text, message: problem ?? '' } } };
        const value = parsed.value as DraftDocument;
        return { jsonText: text, unapplied, working: { rules: value.rules, tests: value.tests ?? [], reasons: value.reasons ?? {} } };
      }),
    setUnapplied: (field, entry) =>
      change(id, (session) => {
        const unapplied = { ...session.unapplied };
        if (entry) unapplied[field] = entry;
        else delete unapplied[field];
        return { unapplied };
      }),
    discard: () => change(id, (session) => ({ ...fresh(session.newerElsewhere ?? session.saved), lastRun: session.lastRun })),
    save,
    runTests: async () => {
      if (hasUnsavedChanges(sessions.get(id)!) && !(await save())) return;
      change(id, () => ({ running: true, runError: undefined }));
      try {
        const report = await api.post<TestReport>(`/v1/rulesets/${encodeURIComponent(id)}/draft/test`);
        change(id, () => ({ running: false, lastRun: { report, at: new Date() } }));
      } catch (error) {
        change(id, () => ({ running: false, runError: error }));
      }
    },
  };
}
