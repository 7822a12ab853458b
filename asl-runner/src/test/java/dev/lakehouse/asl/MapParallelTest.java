package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.assertJson;
import static dev.lakehouse.asl.support.TestSupport.machine;
import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.history.EventType;
import dev.lakehouse.asl.history.HistoryEvent;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.support.ManualTime;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MapParallelTest {
  private final ManualTime time = new ManualTime();

  @Test
  void specExample_mapWithItemSelectorAndResultPath() {
    String def =
        """
            {"StartAt":"Validate-All","States":{"Validate-All":{
              "Type":"Map","InputPath":"$.detail","ItemsPath":"$.shipped","MaxConcurrency":0,
              "ItemSelector":{"parcel.$":"$$.Map.Item.Value","courier.$":"$.delivery-partner","index.$":"$$.Map.Item.Index"},
              "ItemProcessor":{"StartAt":"Validate","States":{
                "Validate":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:ship-val","End":true}}},
              "ResultPath":"$.detail.shipped","End":true}}}""";
    Runner runner =
        Runner.builder()
            .handler(
                "arn:aws:lambda:us-east-1:123456789012:function:ship-val",
                inv ->
                    Json.object()
                        .put("prod", inv.parameters().at("/parcel/prod").asText())
                        .put("courier", inv.parameters().get("courier").asText())
                        .put("index", inv.parameters().get("index").asInt()))
            .build();
    Execution ex =
        runner.start(
            AslLoader.load(def, Map.of()),
            "e",
            q(
                """
            {'ship-date':'2016-03-14T01:59:00Z','detail':{'delivery-partner':'UQS','shipped':[
              {'prod':'R31','dest-code':9511,'quantity':1344},
              {'prod':'S39','dest-code':9511,'quantity':40},
              {'prod':'R31','dest-code':9833,'quantity':12}]}}"""));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertJson(
        ex.output(),
        """
            {'ship-date':'2016-03-14T01:59:00Z','detail':{'delivery-partner':'UQS','shipped':[
              {'prod':'R31','courier':'UQS','index':0},{'prod':'S39','courier':'UQS','index':1},
              {'prod':'R31','courier':'UQS','index':2}]}}""");
  }

  @Test
  void legacyIteratorAndParametersWithResultSelector() {
    StateMachine m =
        machine(
            "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.xs',"
                + "'Parameters':{'v.$':'$$.Map.Item.Value','k.$':'$.k'},"
                + "'Iterator':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},"
                + "'ResultSelector':{'count.$':'States.ArrayLength($)','all.$':'$'},'End':true}}}");
    Execution ex = Runner.builder().build().start(m, "e", q("{'xs':[1,2],'k':'K'}"));
    assertJson(ex.output(), "{'count':2,'all':[{'v':1,'k':'K'},{'v':2,'k':'K'}]}");
  }

  @Test
  void maxConcurrencyLimitsConcurrentHandlers() {
    AtomicInteger current = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    TaskHandler handler =
        inv -> {
          int now = current.incrementAndGet();
          maxSeen.accumulateAndGet(now, Math::max);
          calls.incrementAndGet();
          // Hold the slot until a second worker is in (or every item has started), so concurrency
          // is
          // really exercised; a third worker would show up in maxSeen.
          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          while (current.get() < 2 && calls.get() < 8 && System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          current.decrementAndGet();
          return inv.parameters();
        };
    StateMachine m =
        machine(
            "{'StartAt':'M','States':{'M':{'Type':'Map','MaxConcurrency':2,"
                + "'ItemProcessor':{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:t','End':true}}},'End':true}}}");
    Execution ex =
        Runner.builder().handler("arn:t", handler).build().start(m, "e", "[1,2,3,4,5,6,7,8]");
    assertJson(ex.output(), "[1,2,3,4,5,6,7,8]");
    assertThat(calls.get()).isEqualTo(8);
    assertThat(maxSeen.get()).isEqualTo(2);
  }

  @Test
  void maxConcurrencyZeroRunsAllAtOnce() {
    int items = 6;
    CountDownLatch allIn = new CountDownLatch(items);
    TaskHandler handler =
        inv -> {
          allIn.countDown();
          try {
            // Only completes if all six iterations are in flight together.
            if (!allIn.await(5, TimeUnit.SECONDS)) {
              throw new TaskFailedException("NotConcurrent", "iterations did not overlap");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return inv.parameters();
        };
    StateMachine m =
        machine(
            "{'StartAt':'M','States':{'M':{'Type':'Map',"
                + "'ItemProcessor':{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:t','End':true}}},'End':true}}}");
    Execution ex =
        Runner.builder().handler("arn:t", handler).build().start(m, "e", "[0,1,2,3,4,5]");
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void mapIterationFailureFailsTheMapAndIsCaughtByItsOwnErrorName() {
    StateMachine m =
        machine(
            "{'StartAt':'M','States':{'M':{'Type':'Map','MaxConcurrency':1,'ItemsPath':'$.xs',"
                + "'ItemProcessor':{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':["
                + "{'Variable':'$','NumericEquals':2,'Next':'Boom'}],'Default':'Ok'},"
                + "'Boom':{'Type':'Fail','Error':'Bad.Item','Cause':'item 2'},'Ok':{'Type':'Succeed'}}},"
                + "'Catch':[{'ErrorEquals':['Bad.Item'],'ResultPath':'$.error','Next':'Handled'}],'End':true},"
                + "'Handled':{'Type':'Pass','End':true}}}");
    Execution ex = Runner.builder().build().start(m, "e", q("{'xs':[1,2,3]}"));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertJson(ex.output(), "{'xs':[1,2,3],'error':{'Error':'Bad.Item','Cause':'item 2'}}");
    assertThat(ex.history())
        .filteredOn(e -> e.type() == EventType.MapIterationFailed)
        .extracting(HistoryEvent::scope)
        .containsExactly("M[1]");
  }

  @Test
  void parallelOutputIsInBranchOrderEvenWhenLaterBranchFinishesFirst() {
    CountDownLatch phoneDone = new CountDownLatch(1);
    String def =
        """
            {"StartAt":"LookupCustomerInfo","States":{"LookupCustomerInfo":{"Type":"Parallel","Branches":[
              {"StartAt":"LookupAddress","States":{"LookupAddress":{"Type":"Task","Resource":"arn:address","End":true}}},
              {"StartAt":"LookupPhone","States":{"LookupPhone":{"Type":"Task","Resource":"arn:phone","End":true}}}],
              "ResultSelector":{"address.$":"$[0].address","phone.$":"$[1].phone"},"ResultPath":"$.customer","End":true}}}""";
    Runner runner =
        Runner.builder()
            .handler(
                "arn:address",
                inv -> {
                  try {
                    phoneDone.await(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return Json.object()
                      .put("address", "1 Main St for " + inv.parameters().get("id").asText());
                })
            .handler(
                "arn:phone",
                inv -> {
                  phoneDone.countDown();
                  return Json.object().put("phone", "555-0100");
                })
            .build();
    Execution ex = runner.start(AslLoader.load(def, Map.of()), "e", q("{'id':'c1'}"));
    assertJson(
        ex.output(), "{'id':'c1','customer':{'address':'1 Main St for c1','phone':'555-0100'}}");
    assertThat(ex.history())
        .extracting(HistoryEvent::type)
        .contains(EventType.ParallelBranchStarted, EventType.ParallelBranchSucceeded);
  }

  @Test
  void parallelBranchFailureStopsSiblingsAndKeepsTheBranchError() throws Exception {
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch slowInterrupted = new CountDownLatch(1);
    StateMachine m =
        machine(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':["
                + "{'StartAt':'Slow','States':{'Slow':{'Type':'Task','Resource':'arn:slow','End':true}}},"
                + "{'StartAt':'Bad','States':{'Bad':{'Type':'Task','Resource':'arn:bad','End':true}}}],"
                + "'Catch':[{'ErrorEquals':['Branch.Error'],'Next':'Caught'}],'End':true},"
                + "'Caught':{'Type':'Pass','End':true}}}");
    Execution ex =
        Runner.builder()
            .handler(
                "arn:bad",
                inv -> {
                  try {
                    slowStarted.await(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  throw new TaskFailedException("Branch.Error", "nope");
                })
            .handler(
                "arn:slow",
                inv -> {
                  slowStarted.countDown();
                  try {
                    Thread.sleep(30_000);
                  } catch (InterruptedException e) {
                    slowInterrupted.countDown();
                  }
                  return null;
                })
            .build()
            .start(m, "e", "{}");
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertJson(ex.output(), "{'Error':'Branch.Error','Cause':'nope'}");
    assertThat(slowInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void retriedMapRunsAgainWithRetryCount() {
    AtomicInteger attempts = new AtomicInteger();
    StateMachine m =
        machine(
            "{'StartAt':'M','States':{'M':{'Type':'Map',"
                + "'ItemProcessor':{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:t','End':true}}},"
                + "'Retry':[{'ErrorEquals':['Flaky'],'IntervalSeconds':1,'MaxAttempts':1}],'End':true}}}");
    Execution ex =
        Runner.builder()
            .clock(time)
            .sleeper(time)
            .handler(
                "arn:t",
                inv -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new TaskFailedException("Flaky", "first call");
                  }
                  return inv.parameters();
                })
            .build()
            .start(m, "e", "[7]");
    assertJson(ex.output(), "[7]");
    assertThat(ex.history().stream().filter(e -> e.type() == EventType.MapIterationFailed).count())
        .isEqualTo(1);
    assertThat(
            ex.history().stream().filter(e -> e.type() == EventType.MapIterationSucceeded).count())
        .isEqualTo(1);
  }

  @Test
  void nestedMapInsideParallelRecordsScopes() {
    StateMachine m =
        machine(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':["
                + "{'StartAt':'M','States':{'M':{'Type':'Map','ItemProcessor':{'StartAt':'Inner','States':{"
                + "'Inner':{'Type':'Pass','Parameters':{'v.$':'States.MathAdd($, 1)'},'OutputPath':'$.v','End':true}}},'End':true}}}]"
                + ",'End':true}}}");
    Execution ex = Runner.builder().build().start(m, "e", "[1,2]");
    assertJson(ex.output(), "[[2,3]]");
    assertThat(ex.history())
        .filteredOn(e -> "Inner".equals(e.stateName()) && e.type() == EventType.StateEntered)
        .extracting(HistoryEvent::scope)
        .containsExactlyInAnyOrder("P.branch[0]/M[0]", "P.branch[0]/M[1]");
  }
}
