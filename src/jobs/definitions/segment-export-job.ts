import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { ProfileStore } from '../../features/profiles/profile-store.js';
import { dateIn } from '../../features/reports/zoned-day.js';
import type { JobCounts, JobDefinition } from '../scheduler.js';

/**
 * For campaign systems (SMS, app push): the ids of profiles carrying each configured tag, written to
 * `DATA_DIR/exports/segment-<tag>-<date>.ndjson` (one `{"profileId"}` a line). Files appear whole:
 * written under a temporary name and renamed.
 */
export function segmentExportJob(
  profiles: ProfileStore,
  options: { dataDir: string; tags: string[]; timeZone: string },
  schedule: string,
): JobDefinition {
  return {
    name: 'segment-export',
    description: 'Writes the profile ids of each configured tag (SEGMENT_EXPORT_TAGS) to a dated NDJSON file',
    schedule,
    async run(context) {
      const dir = path.join(options.dataDir, 'exports');
      fs.mkdirSync(dir, { recursive: true });
      const date = dateIn(context.startedAt, options.timeZone);
      const counts: JobCounts = {};
      for (const tag of options.tags) {
        const file = path.join(dir, `segment-${tag}-${date}.ndjson`);
        const partial = `${file}.${context.runId.replace(/[^A-Za-z0-9]/g, '')}.partial`;
        const out = fs.createWriteStream(partial);
        let written = 0;
        for await (const profileId of profiles.idsWithTag(tag)) {
          if (!out.write(`${JSON.stringify({ profileId })}\n`)) await once(out, 'drain');
          written += 1;
        }
        out.end();
        await once(out, 'close');
        fs.renameSync(partial, file);
        // ':' not '.': MongoDB-compatible servers reject dots in keys.
        counts[`${tag}:profiles`] = written;
        counts[`${tag}:bytes`] = fs.statSync(file).size;
        counts[`${tag}:file`] = path.relative(options.dataDir, file);
        context.progress(counts);
      }
      return counts;
    },
  };
}
