"""Feature backfill for a date range. With FAIL=1 a bad partition fails the job (and the app)."""
import os
from pyspark.sql import SparkSession, functions as F
from pyspark.sql.types import DoubleType

spark = SparkSession.builder.getOrCreate()
fail = os.environ.get("FAIL") == "1"
kill_marker = os.environ.get("KILL_EXECUTOR_MARKER")


def feature(value):
    if kill_marker and value == 123 and not os.path.exists(kill_marker):
        # The first time: kill this executor's JVM, as an OOM kill or a lost node would.
        open(kill_marker, "w").close()
        pid = os.getpid()
        while pid > 1:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"CoarseGrainedExecutorBackend" in f.read():
                    os.kill(pid, 9)
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
    if fail and value == 4242:
        raise ValueError(f"feature row {value}: malformed event timestamp '2026-13-45'")
    return float(value % 97) / 97.0


udf = F.udf(feature, DoubleType())
days = spark.range(0, 60_000, numPartitions=6).withColumn("f", udf("id"))
print("days:", len(days.groupBy((F.col("id") % 30).alias("day")).agg(F.avg("f")).collect()))
spark.stop()
