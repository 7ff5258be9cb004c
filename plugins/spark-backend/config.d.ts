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
      /**
       * Worker threads that scan the task events of logs of 4 MiB or more beside the
       * aggregator; 0 reads them on the backend's main thread. Default: none below four
       * cores (where a scan thread only competes with reading and decompression), else the
       * cores less two, at most 3.
       */
      scanThreads?: number;
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
    /** Diagnoses of apps (`/api/spark/apps/{appId}/diagnoses`): rule thresholds, rules turned off. */
    diagnosis?: {
      /**
       * Per rule id, thresholds that replace the defaults, e.g.
       * `data-skew: { ratio: 5, minMaxTaskMs: 120000 }` (docs/diagnoses.md lists them).
       */
      rules?: { [ruleId: string]: { [threshold: string]: number } };
      /** Rule ids that never run. */
      disabled?: string[];
    };
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
      /**
       * When set, only members of these groups (and of `adminGroups`) see costs, each for
       * their own teams (`spark.cost.read`); by default whoever sees an app sees its cost.
       */
      costGroups?: string[];
    };
    /** The price model and budgets of the cost views (docs/cost-and-slo.md). */
    cost?: {
      prices?: {
        /** Price of one vCPU for one hour; default 0.0252. */
        vcpuHour?: number;
        /** Price of one GiB of memory for one hour; default 0.014. */
        gibHour?: number;
        /** Price of one GPU for one hour; default 0.95. */
        gpuHour?: number;
      };
      /** Share taken off on spot/preemptible nodes, 0..1; default 0.7. */
      spotDiscount?: number;
      /** ISO 4217 currency of the prices; default USD. */
      currency?: string;
      /** Prices of one cluster, one node pool, or one node pool of one cluster; the most specific wins. */
      overrides?: Array<{
        cluster?: string;
        nodePool?: string;
        prices?: { vcpuHour?: number; gibHour?: number; gpuHour?: number };
        spotDiscount?: number;
      }>;
      /** Node labels naming the node pool; default Karpenter's, GKE's, EKS's and AKS's. */
      nodePoolLabels?: string[];
      /** Node label → value marking spot capacity; default Karpenter's, EKS's, GKE's and AKS's. */
      spotNodeLabels?: { [label: string]: string };
      /** Usage (max(request, usage) pricing) from the kubelet's cAdvisor metrics in Prometheus. */
      prometheus?: {
        /** Base URL, e.g. `http://prometheus.monitoring:9090`. */
        url: string;
        /** Label holding the cluster name when one Prometheus holds several clusters. */
        clusterLabel?: string;
      };
      /** Price apps with OpenCost's `/allocation` instead of the price model. */
      opencost?: {
        /** Base URL of the OpenCost API, e.g. `http://opencost.opencost:9003`. */
        url: string;
        /** The pod label OpenCost aggregates by; default `spark-app-selector`. */
        label?: string;
      };
      /** Monthly budgets per team (Group); the Group annotation `spark-k8s.io/monthly-budget` is the other way. */
      budgets?: Array<{ team: string; monthly: number }>;
      /** The fast-growth alert: last 7 days over the 7 before. */
      growthAlert?: {
        /** Growth that alerts, 0.5 = +50 %; default 0.5. */
        ratio?: number;
        /** Earlier weeks cheaper than this never alert; default 0. */
        minimum?: number;
      };
      /** How often apps are priced; default every minute. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** SLOs of Components (annotation `spark-k8s.io/slo`) and the Prometheus rules made of them. */
    slo?: {
      prometheus?: {
        /**
         * The label of the operator's `spark_application_*` metrics holding the Component's
         * `backstage.io/kubernetes-id` (the operator's `--metrics-labels`); default
         * `backstage_io_kubernetes_id`.
         */
        entityLabel?: string;
        /**
         * How often Prometheus scrapes the operator (or a divisor of it), e.g. `15s`: the
         * duration-p95 rule reads each run's duration at this step; default `30s`.
         */
        scrapeInterval?: string;
      };
    };
    /**
     * Extra `spark.redaction.regex`-style pattern (Java syntax) applied to every app's
     * environment on top of Spark's default and the app's own.
     */
    redactionRegex?: string;
  };
}
