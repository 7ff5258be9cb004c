import {
  container,
  deployment,
  IMAGE_USERS,
  podSpec,
  resources,
  s3CredentialsEnv,
  service,
  type RenderContext,
} from '../objects';
import { icebergPackages, VERSIONS } from '../versions';
import { metastoreObjects, metastoreUri } from './hiveMetastore';
import { MissingParameterError, type Component } from './types';

/** Tables are `lake.<db>.<table>` in Spark SQL. */
export const ICEBERG_CATALOG = 'lake';

function restUri(ctx: RenderContext): string {
  return `http://${ctx.name('iceberg-rest')}:8181`;
}

/**
 * Iceberg tables on S3-compatible storage: the runtime, the session extensions and a catalog,
 * either an Iceberg REST catalog in the namespace or a Hive Metastore (`iceberg.catalog`).
 */
export const iceberg: Component<'iceberg'> = {
  unsupported(ctx) {
    if (!ctx.parameters.storage.warehouseDir) {
      throw new MissingParameterError('storage.warehouseDir', 'iceberg');
    }
    return icebergPackages(ctx.parameters.sparkVersion)
      ? undefined
      : `the Iceberg Spark runtime is not published for Spark ${ctx.parameters.sparkVersion}`;
  },
  spark(ctx) {
    const p = ctx.parameters;
    const catalog = `spark.sql.catalog.${ICEBERG_CATALOG}`;
    return {
      packages: icebergPackages(p.sparkVersion),
      conf: {
        'spark.sql.extensions':
          'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
        [catalog]: 'org.apache.iceberg.spark.SparkCatalog',
        [`${catalog}.type`]: p.iceberg.catalog,
        [`${catalog}.uri`]:
          p.iceberg.catalog === 'rest' ? restUri(ctx) : metastoreUri(ctx),
        [`${catalog}.warehouse`]: p.storage.warehouseDir!,
        [`${catalog}.io-impl`]: 'org.apache.iceberg.aws.s3.S3FileIO',
        ...(p.storage.endpoint
          ? {
              [`${catalog}.s3.endpoint`]: p.storage.endpoint,
              [`${catalog}.s3.path-style-access`]: 'true',
            }
          : {}),
        'spark.sql.defaultCatalog': ICEBERG_CATALOG,
      },
    };
  },
  objects(ctx) {
    const p = ctx.parameters;
    if (p.iceberg.catalog === 'hive') {
      return metastoreObjects(ctx, {
        backupSchedule: '0 2 * * *',
        databaseStorageGiB: 10,
      });
    }
    const name = ctx.name('iceberg-rest');
    return [
      deployment(
        ctx,
        name,
        'iceberg-rest',
        1,
        podSpec(ctx, IMAGE_USERS.icebergRest, {
          containers: [
            container({
              name: 'iceberg-rest',
              image: VERSIONS.icebergRestImage,
              env: [
                {
                  name: 'CATALOG_WAREHOUSE',
                  value: p.storage.warehouseDir!.replace(/^s3a:/, 's3:'),
                },
                {
                  name: 'CATALOG_IO__IMPL',
                  value: 'org.apache.iceberg.aws.s3.S3FileIO',
                },
                ...(p.storage.endpoint
                  ? [
                      {
                        name: 'CATALOG_S3_ENDPOINT',
                        value: p.storage.endpoint,
                      },
                      { name: 'CATALOG_S3_PATH__STYLE__ACCESS', value: 'true' },
                    ]
                  : []),
                ...s3CredentialsEnv(p),
              ],
              ports: [{ name: 'http', containerPort: 8181 }],
              resources: resources(1, 1024),
            }),
          ],
        }),
      ),
      service(ctx, name, 'iceberg-rest', [{ name: 'http', port: 8181 }]),
    ];
  },
};
