import { z } from 'zod';

/**
 * Field types of the preset schemas. Every string a user can type is bounded by a pattern that
 * admits no newline, quote, `$`, backtick, `;` or space, so a value can never become YAML,
 * shell or a Spark conf line of its own.
 */

/**
 * Longest environment name: object names add suffixes such as `-metastore-restore`, and a
 * CronJob's name must stay within 52 characters.
 *
 * @public
 */
export const MAX_NAME_LENGTH = 30;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A Kubernetes DNS-1123 label (namespace and object names).
 *
 * @public
 */
export function dnsLabel(max = 63) {
  return z
    .string()
    .min(1)
    .max(max, {
      message: `must be at most ${max} characters (a DNS-1123 label)`,
    })
    .regex(DNS_LABEL, {
      message:
        'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    });
}

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A DNS-1035 label (what Service names must be): like DNS-1123 but starting with a letter.
 * Environment names are one, as they prefix Service names.
 *
 * @public
 */
export function dns1035Label(max = 63) {
  return z
    .string()
    .min(1)
    .max(max, {
      message: `must be at most ${max} characters`,
    })
    .regex(DNS_1035_LABEL, {
      message:
        'must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
    });
}

/**
 * A container image reference: `registry/repository:tag` or `@sha256:` digest.
 *
 * @public
 */
export const imageReference = z
  .string()
  .max(255)
  .regex(
    /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
    {
      message:
        'must be a container image reference such as "apache/spark:4.3.0-python3"',
    },
  );

/**
 * An S3-compatible object-store location, `s3a://bucket/prefix`.
 *
 * @public
 */
export const s3Uri = z
  .string()
  .max(512)
  .regex(/^s3a:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9._=-]+)*\/?$/, {
    message:
      'must be an S3 location such as "s3a://bucket/prefix" (letters, digits, ".", "_", "=", "-" and "/" only)',
  });

/**
 * An HTTP(S) endpoint without path or query, e.g. `http://minio.storage:9000`.
 *
 * @public
 */
export const httpEndpoint = z
  .string()
  .max(255)
  .regex(/^https?:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$/, {
    message:
      'must be an http(s) endpoint such as "http://minio.storage:9000" (no path, query or credentials)',
  });

/**
 * A job's application file: `local://`, `s3a://` or `https://` with a safe path.
 *
 * @public
 */
export const applicationFile = z
  .string()
  .max(512)
  .regex(/^(local:\/\/\/|s3a:\/\/|https:\/\/)[A-Za-z0-9._=\/-]+$/, {
    message:
      'must be a local:///, s3a:// or https:// path (letters, digits, ".", "_", "=", "-" and "/" only)',
  });

/**
 * A command-line argument of a Spark job: no spaces, quotes or shell metacharacters.
 *
 * @public
 */
export const jobArgument = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9_.,:=\/@%+-]*$/, {
    message:
      'may contain only letters, digits and _ . , : = / @ % + - (no spaces, quotes or shell characters)',
  });

/**
 * A Java/Scala class name, e.g. `org.apache.spark.examples.SparkPi`.
 *
 * @public
 */
export const javaClassName = z
  .string()
  .max(255)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, {
    message: 'must be a Java class name such as "com.example.jobs.Daily"',
  });

/**
 * A standard five-field cron expression or one of `@hourly`, `@daily`, `@weekly`, `@monthly`.
 *
 * @public
 */
export const cronSchedule = z
  .string()
  .max(100)
  .regex(/^(@(hourly|daily|weekly|monthly)|[0-9*\/,-]+( [0-9*\/,-]+){4})$/, {
    message:
      'must be a five-field cron expression such as "0 3 * * *" or one of @hourly, @daily, @weekly, @monthly',
  });

/**
 * A Spark conf key of a preset override, e.g. `spark.sql.shuffle.partitions`.
 *
 * @public
 */
export const sparkConfKey = z
  .string()
  .max(200)
  .regex(/^spark\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, {
    message:
      'must be a Spark conf key such as "spark.sql.shuffle.partitions" (letters, digits, "_", "-" between dots)',
  });

/**
 * A Spark conf value of a preset override: one line, no quotes or shell characters.
 *
 * @public
 */
export const sparkConfValue = z
  .string()
  .max(1000)
  .regex(/^[A-Za-z0-9_.,:=\/@%+*#-]*$/, {
    message:
      'may contain only letters, digits and _ . , : = / @ % + * # - (one line, no spaces, quotes or shell characters)',
  });

/**
 * A Backstage entity reference such as `group:default/team-a`.
 *
 * @public
 */
export const entityRef = z
  .string()
  .max(253)
  .regex(/^([a-z]+:)?([a-z0-9-]+\/)?[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/i, {
    message: 'must be an entity reference such as "group:default/team-a"',
  });
