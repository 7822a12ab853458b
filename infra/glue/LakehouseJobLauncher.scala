// Alternative script location (lakehouse:glueEntryPoint=script): --class names one of these objects, each of which
// hands its arguments to the Java main in the job jar (--extra-jars). Use it where a Glue version insists that the
// entry class be defined in the script itself. See docs/infra.md.
object LakehouseBronzeIngestJob {
  def main(args: Array[String]): Unit = dev.lakehouse.jobs.BronzeIngestJob.main(args)
}

object LakehouseSilverJob {
  def main(args: Array[String]): Unit = dev.lakehouse.jobs.SilverJob.main(args)
}

object LakehouseGoldJob {
  def main(args: Array[String]): Unit = dev.lakehouse.jobs.GoldJob.main(args)
}

object LakehouseCompactionJob {
  def main(args: Array[String]): Unit = dev.lakehouse.jobs.CompactionJob.main(args)
}

object LakehouseKafkaStreamJob {
  def main(args: Array[String]): Unit = dev.lakehouse.jobs.KafkaStreamJob.main(args)
}
