import {
  container,
  deployment,
  IMAGE_USERS,
  podSpec,
  resources,
  service,
} from '../objects';
import { jupyterImage } from '../versions';
import { connectUrl } from './connectServer';
import type { Component } from './types';

/** JupyterLab whose PySpark sessions go to the Connect server (`SPARK_REMOTE`). */
export const jupyter: Component<'jupyter'> = {
  unsupported(ctx) {
    return ctx.preset.components.some(c => c.use === 'connect-server')
      ? undefined
      : 'jupyter needs the connect-server component in the same preset';
  },
  objects(ctx) {
    const name = ctx.name('jupyter');
    return [
      deployment(
        ctx,
        name,
        'jupyter',
        1,
        podSpec(ctx, IMAGE_USERS.jupyter, {
          containers: [
            container({
              name: 'jupyter',
              image: jupyterImage(ctx.parameters.sparkVersion),
              args: ['start-notebook.py', '--ServerApp.root_dir=/tmp/work'],
              env: [
                { name: 'SPARK_REMOTE', value: connectUrl(ctx.name) },
                // An arbitrary UID has no home of its own.
                { name: 'HOME', value: '/tmp' },
              ],
              ports: [{ name: 'http', containerPort: 8888 }],
              resources: resources(1, 2048),
            }),
          ],
        }),
      ),
      service(ctx, name, 'jupyter', [{ name: 'http', port: 8888 }]),
    ];
  },
};
