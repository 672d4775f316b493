import { notFound, validationFailed } from '../../errors/domain-error.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import type { Actor } from '../audit/audit-event-store.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { ListRegistry, ListState } from './list-registry.js';
import { MAX_LIST_ITEMS } from './list-schema.js';

export interface ListSummaryView {
  id: string;
  description: string;
  size: number;
  revision: number;
  updatedAt: string;
  updatedBy: Actor;
}

/** Items in order, sorted once per list revision (lists are never changed in place). */
const sortedItems = new WeakMap<ListState, string[]>();

function sortedOf(list: ListState): string[] {
  let sorted = sortedItems.get(list);
  if (!sorted) {
    sorted = [...list.items].sort();
    sortedItems.set(list, sorted);
  }
  return sorted;
}

export function summaryOf(list: ListState): ListSummaryView {
  const { id, description, items, revision, updatedAt, updatedBy } = list;
  return { id, description, size: items.size, revision, updatedAt: updatedAt.toISOString(), updatedBy };
}

const tooMany = (path: string, size: number) =>
  validationFailed(`A list holds at most ${MAX_LIST_ITEMS} items.`, [
    { path, message: `would make the list ${size} items long (at most ${MAX_LIST_ITEMS})` },
  ]);

/** Block and allow lists: every change goes through the registry (one sequence of changes) and is an audit event. */
export class ListService {
  constructor(
    private readonly registry: ListRegistry,
    private readonly audit: AuditTrail,
  ) {}

  /** A page of the lists, by list id (code point order, like the items). */
  list(page: { limit: number; cursor?: string }): { items: ListSummaryView[]; nextCursor: string | null } {
    const after = decodeCursor(page.cursor, { id: 'id' })?.id;
    const summaries = this.registry
      .all()
      .map(summaryOf)
      .filter((summary) => after === undefined || summary.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const items = summaries.slice(0, page.limit);
    return { items, nextCursor: summaries.length > page.limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
  }

  /** The list with one page of its sorted items, those containing `q` when given. */
  get(listId: string, page: { limit: number; cursor?: string; q?: string }) {
    const list = this.existing(listId);
    const after = decodeCursor(page.cursor, { item: 'id' })?.item;
    let items = sortedOf(list);
    if (page.q) items = items.filter((item) => item.includes(page.q!));
    const matching = items.length;
    const start = after === undefined ? 0 : upperBound(items, after);
    const slice = items.slice(start, start + page.limit);
    const more = start + page.limit < items.length;
    return { ...summaryOf(list), items: slice, matching, nextCursor: more ? encodeCursor({ item: slice.at(-1)! }) : null };
  }

  /** Writes the whole list: created (true) or replaced. */
  async put(listId: string, input: { description: string; items: string[] }, actor: Actor) {
    let created = false;
    const items = [...new Set(input.items)];
    const { state, change } = await this.registry.write((lists) => {
      created = lists.state(listId) === undefined;
      return { listId, op: 'replace', items, description: input.description, at: new Date(), by: actor };
    });
    await this.audit.record('list.replaced', actor, { kind: 'list', id: listId }, { created, items: items.length, revision: change!.seq });
    return { created, list: { ...summaryOf(state!), changed: items.length } };
  }

  /** Ensures a list exists, empty, without touching one that does (the shipped lists at start-up). */
  async ensure(listId: string, description: string, actor: Actor): Promise<void> {
    const { change } = await this.registry.write((lists) =>
      lists.state(listId) ? undefined : { listId, op: 'replace', items: [], description, at: new Date(), by: actor },
    );
    if (change)
      await this.audit.record('list.replaced', actor, { kind: 'list', id: listId }, { created: true, items: 0, revision: change.seq });
  }

  async add(listId: string, items: string[], actor: Actor) {
    const { state, change } = await this.registry.write((lists) => {
      const list = lists.state(listId);
      if (!list) throw notFound(`No list with id ${listId}.`);
      const fresh = [...new Set(items)].filter((item) => !list.items.has(item));
      if (fresh.length === 0) return undefined;
      if (list.items.size + fresh.length > MAX_LIST_ITEMS) throw tooMany('/items', list.items.size + fresh.length);
      return { listId, op: 'add', items: fresh, at: new Date(), by: actor };
    });
    const after = state ?? this.existing(listId);
    const added = change?.items.length ?? 0;
    if (change) {
      await this.audit.record(
        'list.items-added',
        actor,
        { kind: 'list', id: listId },
        { added, items: after.items.size, revision: change.seq },
      );
    }
    return { ...summaryOf(after), changed: added };
  }

  async remove(listId: string, item: string, actor: Actor): Promise<void> {
    const { state, change } = await this.registry.write((lists) => {
      const list = lists.state(listId);
      if (!list) throw notFound(`No list with id ${listId}.`);
      if (!list.items.has(item)) throw notFound(`The list ${listId} does not hold that item.`);
      return { listId, op: 'remove', items: [item], at: new Date(), by: actor };
    });
    await this.audit.record('list.item-removed', actor, { kind: 'list', id: listId }, { items: state!.items.size, revision: change!.seq });
  }

  private existing(listId: string): ListState {
    const list = this.registry.view().state(listId);
    if (!list) throw notFound(`No list with id ${listId}.`);
    return list;
  }
}

/** The index of the first item after `after` in sorted `items`. */
function upperBound(items: readonly string[], after: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
