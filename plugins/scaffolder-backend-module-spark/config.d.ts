export interface Config {
  spark?: {
    /** Provisioning from Spark presets (`@spark-k8s/plugin-scaffolder-backend-module-spark`). */
    presets?: {
      /**
       * The folder of `<name>/preset.yaml` files, relative to the backend's working directory
       * or absolute; default `../../presets` (the repository's presets/ from packages/backend).
       */
      directory?: string;
      /**
       * The cluster `spark:kubernetes:apply` uses when a template names none: a cluster name of
       * `kubernetes.clusterLocatorMethods[].clusters[]`; default the first one.
       */
      defaultCluster?: string;
    };
    /** The price model of cost estimates (and, later, of the data plane's cost views). */
    cost?: {
      prices?: {
        /** Price of one vCPU for one hour; default 0.0252. */
        vcpuHour?: number;
        /** Price of one GiB of memory for one hour; default 0.014. */
        gibHour?: number;
        /** Price of one GPU for one hour; default 0.95. */
        gpuHour?: number;
      };
      /** Share taken off on spot capacity, 0..1; default 0.7. */
      spotDiscount?: number;
      /** ISO 4217 currency of the prices; default USD. */
      currency?: string;
    };
  };
}
