"""An ad-hoc notebook query in the shared sandbox namespace: many tiny tasks (96 partitions of ~200 rows)."""
from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.getOrCreate()
df = spark.range(0, 20_000, numPartitions=96).withColumn("bucket", F.col("id") % 10)
print("buckets:", df.groupBy("bucket").count().count())
spark.stop()
