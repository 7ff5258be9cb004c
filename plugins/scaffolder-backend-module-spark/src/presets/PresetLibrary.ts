import { InputError } from '@backstage/errors';
import type { Preset } from '@spark-k8s/plugin-spark-common';
import {
  PresetRenderError,
  renderPreset,
  type RenderedPreset,
} from '../render/render';
import { loadPresets } from './loadPresets';

/** The presets of one folder, loaded (and validated) once, rendered on request. */
export class PresetLibrary {
  private constructor(private readonly presets: Map<string, Preset>) {}

  /** Loads every preset; an invalid preset file fails the backend's start with its field named. */
  static fromDirectory(dir: string): PresetLibrary {
    return new PresetLibrary(loadPresets(dir));
  }

  names(): string[] {
    return [...this.presets.keys()];
  }

  get(name: string): Preset {
    const preset = this.presets.get(name);
    if (!preset) {
      throw new InputError(
        `preset "${name}" does not exist; presets: ${this.names().join(', ')}`,
      );
    }
    return preset;
  }

  /** Renders with a template's parameters; bad parameters become one InputError naming every field. */
  render(name: string, parameters: unknown): RenderedPreset {
    try {
      return renderPreset(this.get(name), parameters);
    } catch (error) {
      if (error instanceof PresetRenderError) {
        throw new InputError(
          `invalid parameters for preset "${name}": ${error.issues
            .map(i => `${i.path} ${i.message}`)
            .join('; ')}`,
        );
      }
      throw error;
    }
  }
}
