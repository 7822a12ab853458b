// Script location of every lakehouse Glue job (lakehouse:glueEntryPoint=jar, the default).
//
// Glue runs Scala/Java Spark jobs by compiling the script at ScriptLocation and then calling the main method of the
// class named by --class. Our jobs are plain Java classes in the shaded job jar, passed with --extra-jars (which Glue
// puts on the driver and executor classpath, first because of --user-jars-first), so --class names the Java main
// directly, e.g. dev.lakehouse.jobs.BronzeIngestJob, and this script only has to compile. See docs/infra.md.
object LakehouseJobStub
