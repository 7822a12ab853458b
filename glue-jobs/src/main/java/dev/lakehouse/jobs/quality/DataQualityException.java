package dev.lakehouse.jobs.quality;

/** A data-quality check failed; the data was not promoted. The message is the report. */
public class DataQualityException extends RuntimeException {
  private final QualityGate.Report report;

  public DataQualityException(QualityGate.Report report) {
    super("data quality checks failed, nothing promoted: " + report);
    this.report = report;
  }

  public QualityGate.Report report() {
    return report;
  }
}
