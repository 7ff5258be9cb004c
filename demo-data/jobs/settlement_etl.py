"""Daily settlement ETL: joins card authorisations with settlements and writes the ledger."""
import os
from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.getOrCreate()
out = os.environ["OUTPUT_DIR"]
auths = spark.range(0, 400_000, numPartitions=8).select(
    F.col("id").alias("auth_id"),
    (F.col("id") % 5000).alias("merchant_id"),
    (F.rand(7) * 200).cast("decimal(12,2)").alias("amount"),
)
settlements = auths.sample(fraction=0.97, seed=3).select(
    "auth_id", (F.col("amount") * 0.985).cast("decimal(12,2)").alias("settled")
)
ledger = (
    auths.join(settlements, "auth_id", "left")
    .groupBy("merchant_id")
    .agg(
        F.count("*").alias("authorisations"),
        F.sum("amount").alias("authorised"),
        F.sum("settled").alias("settled"),
        F.sum(F.when(F.col("settled").isNull(), 1).otherwise(0)).alias("unsettled"),
    )
)
ledger.write.mode("overwrite").parquet(os.path.join(out, "ledger"))
print("merchants:", spark.read.parquet(os.path.join(out, "ledger")).count())
spark.stop()
