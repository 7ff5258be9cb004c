import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** The Spark backend (`@spark-k8s/plugin-spark-backend`). */
  spark?: {
    /**
     * Event-log locations (`spark.eventLog.dir` of your apps): each is a directory or an
     * S3-compatible bucket. Logs are read in one streaming pass with checkpoints; in-progress
     * logs are tailed.
     */
    eventLogs?: Array<{
      /** Unique name; the source id is `eventlog:<name>`. */
      name: string;
      /** A local or mounted directory, relative to the backend's working directory or absolute. */
      dir?: string;
      /** An S3-compatible bucket instead of a directory. */
      s3?: {
        bucket: string;
        /** Key prefix of the logs, e.g. `spark-events/`. */
        prefix?: string;
        region?: string;
        /** For MinIO, Ceph RGW and other S3-compatible stores, e.g. `http://minio.minio:9000`. */
        endpoint?: string;
        /** Path-style addressing, needed by most S3-compatible stores. */
        forcePathStyle?: boolean;
        /** Static credentials; without them the AWS SDK's default chain is used. */
        accessKeyId?: string;
        /** @visibility secret */
        secretAccessKey?: string;
      };
      /** How often the location is scanned; default every 30 seconds. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Save a checkpoint after this many MiB of one log; default 64. */
      checkpointMiB?: number;
    }>;
    /** Existing Spark History Servers to poll (`/api/v1`). */
    historyServers?: Array<{
      /** Unique name; the source id is `history-server:<name>`. */
      name: string;
      /** Base URL, e.g. `http://spark-history.spark:18080`. */
      url: string;
      /**
       * Bearer token for a History Server behind an authenticating proxy.
       * @visibility secret
       */
      token?: string;
      /** Default every 2 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Timeout of one request in milliseconds; default 30000. */
      timeoutMs?: number;
      /** Newest applications looked at per poll; default 200. */
      maxApps?: number;
    }>;
    /**
     * Watching Spark apps in the clusters of the `kubernetes:` config (the same clusters the
     * Backstage Kubernetes plugin shows).
     */
    kubernetes?: {
      /** Default true when `kubernetes.clusterLocatorMethods` lists clusters. */
      enabled?: boolean;
      /** Default every 30 seconds. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** How long one run keeps its watches open, in seconds; default 20. */
      watchSeconds?: number;
    };
    /**
     * Kubernetes objects read from manifest files instead of a live cluster: a snapshot saved
     * with `kubectl get sparkapplications,scheduledsparkapplications,pods -A -o yaml`, or the
     * demo data. Mapped exactly as the live Kubernetes source maps them.
     */
    kubernetesSnapshots?: Array<{
      /** Unique name; the source id is `kubernetes-snapshot:<name>`. */
      name: string;
      /** Directory of `.yaml`, `.yml` or `.json` files, relative to the backend's working directory. */
      dir: string;
      /** Cluster name the objects are recorded under; default `name`. */
      cluster?: string;
      /** How often the directory is re-read; default every minute (unchanged files are skipped). */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    }>;
    /** Matching apps to catalog owners. */
    attribution?: {
      /**
       * Team of apps no catalog Component claims, by Kubernetes namespace, e.g.
       * `payments: group:default/payments-data`.
       */
      namespaces?: { [namespace: string]: string };
      /** How often the catalog is re-read; default every minute. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** Used by the portal's permission policy (`SparkTeamPermissionPolicy`). */
    permissions?: {
      /** Groups whose members see every Spark app, e.g. `group:default/spark-sre`. */
      adminGroups?: string[];
    };
    /**
     * Extra `spark.redaction.regex`-style pattern (Java syntax) applied to every app's
     * environment on top of Spark's default and the app's own.
     */
    redactionRegex?: string;
  };
}
