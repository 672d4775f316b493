import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../logging/logger.js';
import { assertValid } from '../../schema/validation.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import { isConflict } from '../../errors/domain-error.js';
import { SYSTEM_ACTOR } from '../audit/audit-trail.js';
import type { RulesetKind } from '../../engine/rule-schema.js';
import { shippedRulesetSchema } from './ruleset-schema.js';
import type { RulesetService } from './ruleset-service.js';
import type { RulesetPublisher } from './ruleset-publisher.js';
import type { RulesetStore } from './ruleset-store.js';

export interface ShippedRuleset {
  id: string;
  kind: RulesetKind;
  description: string;
  rules: unknown[];
  tests: unknown[];
  reasons?: Record<string, string>;
  acknowledgeProtected?: string;
}

/** Reads and schema-checks every `rulesets/*.json` file. */
export function readShippedRulesets(dir: string): ShippedRuleset[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const content = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown;
      return assertValid<ShippedRuleset>(shippedRulesetSchema, content, `Shipped ruleset ${file}`);
    });
}

/**
 * Publishes each shipped ruleset as version 1 on first start. A ruleset that already has a version
 * is left alone (business staff own it from then on); instances starting together race safely on
 * the unique ruleset id and version.
 */
export async function installShippedRulesets(
  dir: string,
  deps: { store: RulesetStore; rulesets: RulesetService; publisher: RulesetPublisher; logger: Logger },
): Promise<void> {
  for (const shipped of readShippedRulesets(dir)) {
    if (await deps.store.latestVersion(shipped.id)) continue;
    try {
      if (!(await deps.store.get(shipped.id))) {
        await deps.rulesets.create({ id: shipped.id, kind: shipped.kind, description: shipped.description }, SYSTEM_ACTOR);
      }
      const draft = { rules: shipped.rules, tests: shipped.tests, reasons: shipped.reasons ?? {} };
      const saved = await deps.rulesets.saveDraft(shipped.id, draft, SYSTEM_ACTOR);
      if (saved.warnings.length > 0 && shipped.acknowledgeProtected === undefined) {
        // PROTECTED_FACTS names a fact this file reads and gives no reason: staff must decide, not the installer.
        deps.logger.warn('shipped ruleset left unpublished: it reads protected facts and its file acknowledges none', {
          ruleset: shipped.id,
          conditions: saved.warnings.map((warning) => warning.path),
        });
        continue;
      }
      const { version } = await deps.publisher.publish(shipped.id, true, SYSTEM_ACTOR, shipped.acknowledgeProtected);
      deps.logger.info('shipped ruleset published', { ruleset: shipped.id, version });
    } catch (error) {
      if (isDuplicateKey(error) || isConflict(error)) continue;
      throw error;
    }
  }
}
