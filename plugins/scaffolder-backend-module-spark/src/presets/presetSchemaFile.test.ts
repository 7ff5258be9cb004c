import { presetJsonSchema } from '@spark-k8s/plugin-spark-common';
import fs from 'node:fs';
import path from 'node:path';
import { PRESETS_DIR } from '../__testUtils__/presets';

const file = path.join(PRESETS_DIR, 'preset.schema.json');

describe('presets/preset.schema.json', () => {
  // UPDATE_GENERATED=1 rewrites the file from the zod schema in spark-common.
  if (process.env.UPDATE_GENERATED === '1') {
    fs.writeFileSync(file, `${JSON.stringify(presetJsonSchema(), null, 2)}\n`);
  }

  it('is the JSON Schema generated from the zod preset schema', () => {
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(
      presetJsonSchema(),
    );
  });
});
