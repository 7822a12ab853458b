package dev.lakehouse.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run of a Glue job at a time per home, across threads and processes, as Glue's
 * MaxConcurrentRuns = 1 gives the silver and gold jobs on AWS. Locally a second run waits for the
 * first instead of failing: two silver runs of one entity would read the same bronze batch.
 */
final class JobLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();

  private final ReentrantLock threadLock;
  private final FileChannel channel;
  private final FileLock processLock;

  private JobLock(ReentrantLock threadLock, FileChannel channel, FileLock processLock) {
    this.threadLock = threadLock;
    this.channel = channel;
    this.processLock = processLock;
  }

  /** Blocks until this process holds the job's lock. */
  static JobLock acquire(Path locks, String jobName) {
    Path file = locks.resolve(jobName + ".lock").toAbsolutePath();
    // A file lock belongs to the whole JVM, so threads of one process queue on a lock of their own
    // first.
    ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock(true));
    threadLock.lock();
    try {
      Files.createDirectories(locks);
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new JobLock(threadLock, channel, channel.lock());
    } catch (IOException e) {
      threadLock.unlock();
      throw new UncheckedIOException("cannot lock " + file, e);
    } catch (RuntimeException e) {
      threadLock.unlock();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      processLock.release();
      channel.close();
    } catch (IOException ignored) {
      // closing the channel releases the lock in any case
    } finally {
      threadLock.unlock();
    }
  }
}
