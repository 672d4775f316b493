/**
 * The block and allow lists a decision reads, as it saw them: `inList` / `notInList` look a fact value up
 * here. The service passes one immutable view per evaluation, so that every rule of a decision sees the
 * same revision of a list even when a change arrives while it evaluates.
 */
export interface ListLookup {
  get(listId: string): ReadonlySet<string> | undefined;
}

/** No lists at all: list conditions are false, as on an unknown list. */
export const NO_LISTS: ListLookup = { get: () => undefined };
