import {
  container,
  deployment,
  IMAGE_USERS,
  namespaced,
  podSpec,
  resources,
  s3CredentialsEnv,
  service,
  statefulSet,
  type RenderContext,
  type RenderedObject,
} from '../objects';
import { VERSIONS } from '../versions';
import {
  MissingParameterError,
  type Component,
  type SettingsOf,
} from './types';

export const METASTORE_PORT = 9083;

/** `thrift://<name>-metastore:9083`, for hive.metastore.uris and Iceberg's hive catalog. */
export function metastoreUri(ctx: RenderContext): string {
  return `thrift://${ctx.name('metastore')}:${METASTORE_PORT}`;
}

/**
 * The backup and restore scripts. They are static: every value they use comes from env vars,
 * so no parameter is ever spliced into shell.
 */
const BACKUP_SCRIPTS = {
  'dump.sh': [
    '#!/bin/sh',
    'set -eu',
    'pg_dump --format=custom --file=/backup/metastore.dump "$PGDATABASE"',
    '',
  ].join('\n'),
  'upload.sh': [
    '#!/bin/sh',
    'set -eu',
    'target="s3://${BACKUP_URI#s3a://}"',
    'stamp="$(date -u +%Y%m%dT%H%M%SZ)"',
    'aws ${S3_ENDPOINT:+--endpoint-url "$S3_ENDPOINT"} s3 cp /backup/metastore.dump "${target%/}/metastore-${stamp}.dump"',
    'aws ${S3_ENDPOINT:+--endpoint-url "$S3_ENDPOINT"} s3 cp /backup/metastore.dump "${target%/}/metastore-latest.dump"',
    '',
  ].join('\n'),
  'download.sh': [
    '#!/bin/sh',
    'set -eu',
    'source="s3://${BACKUP_URI#s3a://}"',
    'aws ${S3_ENDPOINT:+--endpoint-url "$S3_ENDPOINT"} s3 cp "${source%/}/${RESTORE_OBJECT:-metastore-latest.dump}" /backup/metastore.dump',
    '',
  ].join('\n'),
  'restore.sh': [
    '#!/bin/sh',
    'set -eu',
    'pg_restore --clean --if-exists --no-owner --dbname="$PGDATABASE" /backup/metastore.dump',
    '',
  ].join('\n'),
};

/**
 * The Hive Metastore on PostgreSQL. The database password comes from the Secret
 * `<name>-metastore-db` (key `password`) that the team's secret manager provides; backups are
 * `pg_dump` to `storage.backupDir` on a CronJob, restores a suspended CronJob run by hand
 * (`kubectl create job --from=cronjob/<name>-metastore-restore`).
 */
export function metastoreObjects(
  ctx: RenderContext,
  settings: SettingsOf<'hive-metastore'>,
): RenderedObject[] {
  const p = ctx.parameters;
  if (!p.storage.backupDir) {
    throw new MissingParameterError('storage.backupDir', 'hive-metastore');
  }
  if (!p.storage.warehouseDir) {
    throw new MissingParameterError('storage.warehouseDir', 'hive-metastore');
  }
  const db = ctx.name('metastore-db');
  const secret = ctx.name('metastore-db');
  const password = {
    valueFrom: { secretKeyRef: { name: secret, key: 'password' } },
  };
  const pgEnv = [
    { name: 'PGHOST', value: db },
    { name: 'PGUSER', value: 'hive' },
    { name: 'PGDATABASE', value: 'metastore' },
    { name: 'PGPASSWORD', ...password },
  ];
  const s3Env = [
    { name: 'BACKUP_URI', value: p.storage.backupDir },
    ...(p.storage.endpoint
      ? [{ name: 'S3_ENDPOINT', value: p.storage.endpoint }]
      : []),
    { name: 'HOME', value: '/tmp' },
    ...s3CredentialsEnv(p),
  ];
  const scripts = ctx.name('metastore-scripts');
  const jobPod = (
    first: { name: string; image: string; script: string; env: object[] },
    second: { name: string; image: string; script: string; env: object[] },
    user: { uid: number; gid: number },
  ) =>
    podSpec(ctx, user, {
      restartPolicy: 'Never',
      volumes: [
        { name: 'backup', emptyDir: {} },
        { name: 'scripts', configMap: { name: scripts, defaultMode: 0o555 } },
      ],
      initContainers: [first].map(step =>
        container({
          name: step.name,
          image: step.image,
          command: ['/bin/sh', `/scripts/${step.script}`],
          env: step.env as never,
          resources: resources(1, 512),
          volumeMounts: [
            { name: 'backup', mountPath: '/backup' },
            { name: 'scripts', mountPath: '/scripts' },
          ],
        }),
      ),
      containers: [second].map(step =>
        container({
          name: step.name,
          image: step.image,
          command: ['/bin/sh', `/scripts/${step.script}`],
          env: step.env as never,
          resources: resources(1, 512),
          volumeMounts: [
            { name: 'backup', mountPath: '/backup' },
            { name: 'scripts', mountPath: '/scripts' },
          ],
        }),
      ),
    });
  const cronJob = (
    name: string,
    schedule: string,
    suspend: boolean,
    spec: object,
  ) =>
    namespaced(ctx, 'batch/v1', 'CronJob', name, 'metastore-backup', {
      spec: {
        schedule,
        suspend,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            template: {
              metadata: { labels: ctx.labels('metastore-backup') },
              spec,
            },
          },
        },
      },
    });
  const dump = {
    name: 'dump',
    image: VERSIONS.postgresImage,
    script: 'dump.sh',
    env: pgEnv,
  };
  const upload = {
    name: 'upload',
    image: VERSIONS.awsCliImage,
    script: 'upload.sh',
    env: s3Env,
  };
  return [
    statefulSet(
      ctx,
      db,
      'metastore-db',
      1,
      podSpec(ctx, IMAGE_USERS.postgres, {
        containers: [
          container({
            name: 'postgres',
            image: VERSIONS.postgresImage,
            env: [
              { name: 'POSTGRES_USER', value: 'hive' },
              { name: 'POSTGRES_DB', value: 'metastore' },
              { name: 'POSTGRES_PASSWORD', ...password },
              { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
            ],
            ports: [{ name: 'postgres', containerPort: 5432 }],
            readinessProbe: {
              exec: {
                command: ['pg_isready', '-U', 'hive', '-d', 'metastore'],
              },
              periodSeconds: 10,
            },
            resources: resources(1, 1024),
            volumeMounts: [
              { name: 'data', mountPath: '/var/lib/postgresql/data' },
              // initdb and the server write their sockets here; /var/run/postgresql is root's.
              { name: 'tmp', mountPath: '/var/run/postgresql', subPath: 'run' },
            ],
          }),
        ],
      }),
      {
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: {
                requests: { storage: `${settings.databaseStorageGiB}Gi` },
              },
            },
          },
        ],
      },
    ),
    service(ctx, db, 'metastore-db', [{ name: 'postgres', port: 5432 }], true),
    deployment(
      ctx,
      ctx.name('metastore'),
      'hive-metastore',
      1,
      podSpec(ctx, IMAGE_USERS.hive, {
        containers: [
          container({
            name: 'metastore',
            image: VERSIONS.hiveImage,
            env: [
              { name: 'SERVICE_NAME', value: 'metastore' },
              { name: 'DB_DRIVER', value: 'postgres' },
              { name: 'DB_PASSWORD', ...password },
              {
                name: 'SERVICE_OPTS',
                value: [
                  '-Djavax.jdo.option.ConnectionDriverName=org.postgresql.Driver',
                  `-Djavax.jdo.option.ConnectionURL=jdbc:postgresql://${db}:5432/metastore`,
                  '-Djavax.jdo.option.ConnectionUserName=hive',
                  // Kubernetes expands $(DB_PASSWORD) from the env var above; no shell involved.
                  '-Djavax.jdo.option.ConnectionPassword=$(DB_PASSWORD)',
                  `-Dhive.metastore.warehouse.dir=${p.storage.warehouseDir}`,
                ].join(' '),
              },
              ...s3CredentialsEnv(p),
            ],
            ports: [{ name: 'thrift', containerPort: METASTORE_PORT }],
            readinessProbe: {
              tcpSocket: { port: METASTORE_PORT },
              periodSeconds: 10,
            },
            resources: resources(1, 2048),
          }),
        ],
      }),
    ),
    service(ctx, ctx.name('metastore'), 'hive-metastore', [
      { name: 'thrift', port: METASTORE_PORT },
    ]),
    namespaced(ctx, 'v1', 'ConfigMap', scripts, 'metastore-backup', {
      data: BACKUP_SCRIPTS,
    }),
    cronJob(
      ctx.name('metastore-backup'),
      settings.backupSchedule,
      false,
      jobPod(dump, upload, IMAGE_USERS.postgres),
    ),
    // Never runs on its schedule (suspended); a restore is `kubectl create job --from=cronjob/…`.
    cronJob(
      ctx.name('metastore-restore'),
      '0 0 1 1 *',
      true,
      jobPod(
        { ...upload, name: 'download', script: 'download.sh' },
        { ...dump, name: 'restore', script: 'restore.sh' },
        IMAGE_USERS.postgres,
      ),
    ),
  ];
}

export const hiveMetastore: Component<'hive-metastore'> = {
  spark(ctx) {
    return {
      conf: {
        'spark.sql.catalogImplementation': 'hive',
        'spark.hadoop.hive.metastore.uris': metastoreUri(ctx),
        ...(ctx.parameters.storage.warehouseDir
          ? { 'spark.sql.warehouse.dir': ctx.parameters.storage.warehouseDir }
          : {}),
      },
    };
  },
  objects: (ctx, settings) => metastoreObjects(ctx, settings),
};
