import type { Actor } from '../audit/audit-event-store.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import { conflict, notFound } from '../../errors/domain-error.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import { checksumOf } from '../../json/canonical-json.js';
import type { EvaluatorFactory } from '../../engine/ruleset-evaluation.js';
import type { Thresholds } from '../../engine/decision-outcome.js';
import { validateDraft, validateDraftLists } from './draft-validator.js';
import type { CreateRulesetRequest, RulesetSummary, TestReport } from './ruleset-schema.js';
import { runRulesetTests } from './draft-test-runner.js';
import type { DraftRecord, RulesetRecord, RulesetStore, VersionRecord } from './ruleset-store.js';
import type { ErrorDetail } from '../../errors/domain-error.js';
import type { Rule, RulesetKind } from '../../engine/rule-schema.js';
import { protectedFactReads, type ProtectedFact } from '../../engine/protected-facts.js';

export interface DraftView {
  rules: DraftRecord['rules'];
  tests: DraftRecord['tests'];
  reasons: Record<string, string>;
  checksum: string;
  updatedAt: string;
  updatedBy: Actor | null;
  /** Where a risk or product draft reads a protected fact: publishing it needs an acknowledgement. */
  warnings: ErrorDetail[];
}

/**
 * Draft content is what a checksum covers: rules, tests and reasons, canonically serialised. An empty
 * catalogue is left out, so drafts and versions from before reasons keep their checksums.
 */
export const draftChecksum = (draft: Pick<DraftRecord, 'rules' | 'tests' | 'reasons'>): string =>
  checksumOf({
    rules: draft.rules,
    tests: draft.tests,
    ...(draft.reasons && Object.keys(draft.reasons).length > 0 && { reasons: draft.reasons }),
  });

export function draftView(draft: DraftRecord, warnings: ErrorDetail[]): DraftView {
  return { ...draft, reasons: draft.reasons ?? {}, updatedAt: draft.updatedAt.toISOString(), warnings };
}

export function versionView(version: Pick<VersionRecord, 'version' | 'checksum' | 'publishedAt' | 'publishedBy'>) {
  return {
    version: version.version,
    checksum: version.checksum,
    publishedAt: version.publishedAt.toISOString(),
    publishedBy: version.publishedBy,
  };
}

/** Ruleset use cases for business staff: create, read, edit the draft and test it. */
export class RulesetService {
  constructor(
    private readonly store: RulesetStore,
    private readonly audit: AuditTrail,
    private readonly thresholds: Thresholds,
    private readonly createEvaluator: EvaluatorFactory,
    private readonly protectedFacts: readonly ProtectedFact[] = [],
    /** Whether a list exists, for drafts whose `inList` conditions name one. */
    private readonly listExists: (listId: string) => Promise<boolean> = async () => true,
  ) {}

  /** Where rules of this kind read a protected fact (none for tagging and fraud rulesets). */
  protectedReads(kind: RulesetKind, rules: readonly Rule[]): ErrorDetail[] {
    return protectedFactReads(kind, rules, this.protectedFacts);
  }

  async list(): Promise<RulesetSummary[]> {
    const [rulesets, heads, latest] = await Promise.all([this.store.list(), this.store.listHeads(), this.store.latestVersions()]);
    const active = new Map(heads.map((head) => [head.rulesetId, head.activeVersion]));
    return rulesets.map((ruleset) => ({
      id: ruleset.id,
      kind: ruleset.kind,
      description: ruleset.description,
      activeVersion: active.get(ruleset.id) ?? null,
      latestVersion: latest.get(ruleset.id) ?? null,
    }));
  }

  async create(input: CreateRulesetRequest, actor: Actor): Promise<RulesetRecord> {
    const now = new Date();
    const draft = { rules: [], tests: [] };
    const record: RulesetRecord = {
      id: input.id,
      kind: input.kind,
      description: input.description ?? '',
      createdAt: now,
      createdBy: actor,
      draft: { ...draft, checksum: draftChecksum(draft), updatedAt: now, updatedBy: null },
    };
    try {
      await this.store.create(record);
    } catch (error) {
      if (isDuplicateKey(error)) throw conflict(`A ruleset with id ${input.id} already exists.`);
      throw error;
    }
    await this.audit.record(
      'ruleset.created',
      actor,
      { kind: 'ruleset', id: record.id },
      { kind: record.kind, description: record.description },
    );
    return record;
  }

  async require(id: string): Promise<RulesetRecord> {
    const ruleset = await this.store.get(id);
    if (!ruleset) throw notFound(`No ruleset with id ${id}.`);
    return ruleset;
  }

  async get(id: string) {
    const ruleset = await this.require(id);
    const [head, versions] = await Promise.all([this.store.getHead(id), this.store.listVersions(id)]);
    return {
      id: ruleset.id,
      kind: ruleset.kind,
      description: ruleset.description,
      createdAt: ruleset.createdAt.toISOString(),
      createdBy: ruleset.createdBy,
      draft: draftView(ruleset.draft, this.protectedReads(ruleset.kind, ruleset.draft.rules)),
      activeVersion: head?.activeVersion ?? null,
      latestVersion: versions.length > 0 ? versions[versions.length - 1]!.version : null,
      versions: versions.map(versionView),
    };
  }

  /**
   * Validates the whole draft (nothing invalid is ever stored) and replaces it. Reading a protected
   * fact is no error: the answer warns, and publishing asks for an acknowledgement.
   */
  async saveDraft(id: string, input: unknown, actor: Actor): Promise<DraftView> {
    const before = await this.require(id);
    const valid = await validateDraftLists(validateDraft(input), this.listExists);
    const draft: DraftRecord = {
      rules: valid.rules,
      tests: valid.tests,
      reasons: valid.reasons,
      checksum: draftChecksum(valid),
      updatedAt: new Date(),
      updatedBy: actor,
    };
    if (!(await this.store.saveDraft(id, draft))) throw notFound(`No ruleset with id ${id}.`);
    await this.audit.record(
      'ruleset.draft-saved',
      actor,
      { kind: 'ruleset', id },
      {
        before: before.draft.checksum,
        after: draft.checksum,
        rules: draft.rules.length,
        tests: draft.tests.length,
      },
    );
    return draftView(draft, this.protectedReads(before.kind, draft.rules));
  }

  async testDraft(id: string): Promise<TestReport> {
    const ruleset = await this.require(id);
    return this.runTests(ruleset, ruleset.draft);
  }

  runTests(ruleset: RulesetRecord, draft: Pick<DraftRecord, 'rules' | 'tests' | 'checksum' | 'reasons'>): Promise<TestReport> {
    const identity = { id: ruleset.id, version: 0, kind: ruleset.kind, checksum: draft.checksum, reasons: draft.reasons ?? {} };
    const compiled = this.createEvaluator(identity, draft.rules);
    return runRulesetTests(compiled, draft.tests, this.thresholds);
  }
}
