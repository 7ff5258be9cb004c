import {
  fieldIssues,
  presetSchema,
  type Preset,
  type PresetFieldIssue,
} from '@spark-k8s/plugin-spark-common';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * A preset file that does not validate, with every offending field.
 *
 * @public
 */
export class PresetFileError extends Error {
  /** The preset.yaml. */
  readonly file: string;
  /** Every field that does not validate. */
  readonly issues: PresetFieldIssue[];

  constructor(file: string, issues: PresetFieldIssue[]) {
    super(`${file}: ${issues.map(i => `${i.path} ${i.message}`).join('; ')}`);
    this.name = 'PresetFileError';
    this.file = file;
    this.issues = issues;
  }
}

/**
 * Parses and validates one preset.yaml's text.
 *
 * @public
 */
export function parsePreset(text: string, file: string): Preset {
  let raw: unknown;
  try {
    // Aliases and custom tags are not part of the preset format.
    raw = parse(text, { maxAliasCount: 0, customTags: [] });
  } catch (error) {
    throw new PresetFileError(file, [
      {
        path: '(root)',
        message: `is not valid YAML: ${(error as Error).message}`,
      },
    ]);
  }
  const result = presetSchema.safeParse(raw);
  if (!result.success)
    throw new PresetFileError(file, fieldIssues(result.error));
  return result.data;
}

/**
 * Every `<dir>/<name>/preset.yaml`; the folder name must be the preset's name.
 *
 * @public
 */
export function loadPresets(dir: string): Map<string, Preset> {
  const presets = new Map<string, Preset>();
  const folders = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => entry.name)
    .sort();
  for (const folder of folders) {
    const file = path.join(dir, folder, 'preset.yaml');
    if (!fs.existsSync(file)) continue;
    const preset = parsePreset(fs.readFileSync(file, 'utf8'), file);
    if (preset.name !== folder) {
      throw new PresetFileError(file, [
        { path: 'name', message: `must be the folder name "${folder}"` },
      ]);
    }
    presets.set(preset.name, preset);
  }
  return presets;
}
