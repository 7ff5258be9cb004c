import {
  scalaBinaryVersion,
  sparkMinorVersion,
  type SparkVersion,
} from '@spark-k8s/plugin-spark-common';

/**
 * Versions of the images and Maven artifacts presets use, per Spark minor version where the
 * artifact is built per Spark line. A missing entry means the component does not support that
 * Spark line (its artifact is not published for it).
 */
export const VERSIONS = {
  airflowImage: 'apache/airflow:3.1.3',
  postgresImage: 'postgres:17.6',
  hiveImage: 'apache/hive:4.0.1',
  awsCliImage: 'amazon/aws-cli:2.31.8',
  icebergRestImage: 'apache/iceberg-rest-fixture:1.10.0',
  celebornImage: 'apache/celeborn:0.5.4',
  /** hadoop-aws matching the Hadoop client each Spark line bundles. */
  hadoopAws: { '3.5': '3.3.4', '4.1': '3.4.1', '4.3': '3.4.2' } as Record<
    string,
    string
  >,
  /** Spark 3.5 distributions do not bundle the Connect server; Spark 4 does. */
  sparkConnectPackage: { '3.5': true } as Record<string, boolean>,
  iceberg: { '3.5': '1.12.0', '4.1': '1.12.0' } as Record<string, string>,
  celebornClient: { '3.5': '0.5.4' } as Record<string, string>,
  rapids: { '3.5': '25.04.0', '4.1': '26.08.1', '4.3': '26.08.1' } as Record<
    string,
    string
  >,
};

/** apache/spark images with Python, as published on Docker Hub. */
export function defaultSparkImage(version: SparkVersion): string {
  return `apache/spark:${version}-python3`;
}

/** The Jupyter docker-stacks PySpark image of a Spark version (the client must match the server). */
export function jupyterImage(version: SparkVersion): string {
  return `quay.io/jupyter/pyspark-notebook:spark-${version}`;
}

export function hadoopAwsPackage(version: SparkVersion): string | undefined {
  const hadoop = VERSIONS.hadoopAws[sparkMinorVersion(version)];
  return hadoop ? `org.apache.hadoop:hadoop-aws:${hadoop}` : undefined;
}

export function sparkConnectPackage(version: SparkVersion): string | undefined {
  return VERSIONS.sparkConnectPackage[sparkMinorVersion(version)]
    ? `org.apache.spark:spark-connect_${scalaBinaryVersion(version)}:${version}`
    : undefined;
}

export function icebergPackages(version: SparkVersion): string[] | undefined {
  const minor = sparkMinorVersion(version);
  const iceberg = VERSIONS.iceberg[minor];
  if (!iceberg) return undefined;
  return [
    `org.apache.iceberg:iceberg-spark-runtime-${minor}_${scalaBinaryVersion(
      version,
    )}:${iceberg}`,
    `org.apache.iceberg:iceberg-aws-bundle:${iceberg}`,
  ];
}

export function celebornClientPackage(
  version: SparkVersion,
): string | undefined {
  const celeborn = VERSIONS.celebornClient[sparkMinorVersion(version)];
  return celeborn
    ? `org.apache.celeborn:celeborn-client-spark-3-shaded_${scalaBinaryVersion(
        version,
      )}:${celeborn}`
    : undefined;
}

export function rapidsPackage(version: SparkVersion): string | undefined {
  const rapids = VERSIONS.rapids[sparkMinorVersion(version)];
  return rapids
    ? `com.nvidia:rapids-4-spark_${scalaBinaryVersion(version)}:${rapids}`
    : undefined;
}
