import { useState } from 'react';
import { placeholderPaths, renderMessage } from '../../../engine/message-template.js';

/** The values typed for a template's placeholders, as the renderer reads them: `basic.residence.city` nested. */
function sampleValues(samples: Map<string, string>): Record<string, unknown> {
  // Null prototypes: the keys are what the person typed into the template.
  const values: Record<string, unknown> = Object.create(null);
  for (const [path, text] of samples) {
    if (text === '') continue;
    const keys = path.split('.');
    let target = values;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      if (next === null || typeof next !== 'object') target[key] = Object.create(null);
      target = target[key] as Record<string, unknown>;
    }
    const trimmed = text.trim();
    target[keys[keys.length - 1]!] = trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
  }
  return values;
}

/**
 * The message as a decision would show it, rendered by the service's own template renderer from
 * sample values the person types for each placeholder (numbers are formatted as the service does;
 * an empty sample reads "n/a", as a fact absent from a decision does). Rendered as text, never HTML.
 */
export function MessagePreview({ template, ruleName }: { template: string; ruleName: string }) {
  const [samples, setSamples] = useState<Map<string, string>>(() => new Map());
  const paths = [...new Set(placeholderPaths(template))];
  const values = sampleValues(new Map(paths.map((path) => [path, samples.get(path) ?? ''])));
  return (
    <div className="preview">
      {paths.length > 0 && (
        <fieldset>
          <legend>Sample values for the preview</legend>
          {paths.map((path) => (
            <label key={path} className="field inline">
              <span>{`{{${path}}}`}</span>
              <input
                type="text"
                value={samples.get(path) ?? ''}
                onChange={(event) => setSamples((current) => new Map(current).set(path, event.target.value))}
                aria-label={`Sample value of {{${path}}} for the message of rule ${ruleName}`}
              />
            </label>
          ))}
        </fieldset>
      )}
      <p>
        <span aria-hidden="true">Preview: </span>
        <output aria-label={`Preview of the message of rule ${ruleName}`} aria-live="polite" className="message-preview">
          {template === '' ? '(no message)' : renderMessage(template, values)}
        </output>
      </p>
    </div>
  );
}
