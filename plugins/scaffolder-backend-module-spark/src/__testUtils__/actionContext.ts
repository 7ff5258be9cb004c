import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

/** Runs an action's handler the way the scaffolder does, collecting its outputs. */
export async function runAction(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
  options: { isDryRun?: boolean; workspacePath?: string } = {},
) {
  const outputs: Record<string, unknown> = {};
  const workspacePath =
    options.workspacePath ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'spark-action-'));
  const ctx = {
    logger: mockServices.logger.mock(),
    workspacePath,
    input,
    isDryRun: options.isDryRun ?? false,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(os.tmpdir(), 'spark-action-tmp-')),
    getInitiatorCredentials: async () => mockCredentials.user(),
    task: { id: 'task-1' },
  } as unknown as ActionContext<any, any>;
  await action.handler(ctx);
  return { outputs, workspacePath };
}

/** The `input` of every step of an action's examples. */
export function exampleInputs(
  action: Pick<TemplateAction<any, any, any>, 'id' | 'examples'>,
) {
  return (action.examples ?? []).map(example => ({
    description: example.description,
    inputs: (
      parse(example.example).steps as Array<{ action: string; input: any }>
    )
      .filter(step => step.action === action.id)
      .map(step => step.input),
  }));
}
