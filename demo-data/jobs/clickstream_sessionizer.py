"""Streams page views into sessions; the driver dies mid-stream, so its event log stays in progress."""
import os, signal, time
from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.getOrCreate()
views = (
    spark.readStream.format("rate").option("rowsPerSecond", 200).load()
    .withColumn("user_id", F.col("value") % 500)
)
sessions = views.groupBy(F.window("timestamp", "10 seconds"), "user_id").count()
query = (
    sessions.writeStream.outputMode("update").format("memory").queryName("sessions")
    .trigger(processingTime="2 seconds").start()
)
deadline = time.time() + float(os.environ.get("RUN_SECONDS", "20"))
while time.time() < deadline and query.isActive:
    time.sleep(1)
print("batches:", query.lastProgress and query.lastProgress["batchId"])
# A streaming driver is never stopped cleanly in this demo: kill the JVM as a node loss would.
os.kill(os.getppid(), signal.SIGKILL)
