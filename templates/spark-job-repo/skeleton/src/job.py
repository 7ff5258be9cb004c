# ${{ values.name }}: ${{ values.description }}

import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F


def daily_counts(events: DataFrame) -> DataFrame:
    """Events per day and type: the job's transformation, kept pure so the test can call it."""
    return (
        events.withColumn("day", F.to_date("ts"))
        .groupBy("day", "type")
        .agg(F.count("*").alias("events"))
        .orderBy("day", "type")
    )


def main(argv: list[str]) -> None:
    spark = SparkSession.builder.appName("${{ values.name }}").getOrCreate()
    source = argv[1] if len(argv) > 1 else None
    if source:
        events = spark.read.parquet(source)
    else:
        events = spark.createDataFrame(
            [("2026-01-01 10:00:00", "view"), ("2026-01-01 11:00:00", "click")],
            "ts string, type string",
        )
    daily_counts(events).show()
    spark.stop()


if __name__ == "__main__":
    main(sys.argv)
