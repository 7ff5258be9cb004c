"""A Spark job whose event log is large: many small tasks over DataFrame stages, so every task
end carries SQL accumulators, shuffle and executor metrics like a production job's.

TASKS (environment, default 240000) tasks in total over three jobs."""
import os

from pyspark.sql import SparkSession, functions as F

tasks = int(os.environ.get("TASKS", "240000"))
per_job = tasks // 3

spark = SparkSession.builder.appName("eventlog-bench-large").getOrCreate()
for job in range(3):
    # Map stage with per_job - 200 tasks, then a 200-partition shuffle stage (AQE off keeps it).
    (
        spark.range(0, per_job * 4, 1, per_job - 200)
        .select((F.col("id") % 997).alias("k"), (F.col("id") * job).alias("v"))
        .groupBy("k")
        .agg(F.sum("v").alias("total"), F.count("*").alias("rows"))
        .write.mode("overwrite")
        .format("noop")
        .save()
    )
spark.stop()
