// Proves a RocketMQ cluster stores and serves messages: sends N unique messages and reads them back (one JSON line per step).
// Run: java -cp '<home>/lib/*' MessageCheck.java send|receive|roundtrip|read --namesrv a:9876;b:9876 --topic T
//      [--count 1000] [--group G] [--timeout 60] [--cluster C (create the topic on C's masters first)] [--run-id R]
//      [--brokers a:10911,b:10911 --wait 60 (with --cluster: first wait up to --wait s until C lists every address)]
//      [--pause-ms 0 (send: pause between sends)] [--acl-file F (ACL 2.0: sign with F's accessKey/secretKey, RocketMQ's
//      conf/tools.yml format; a file, never the secret on the command line)]
//      [--stop-file F (send: stop early once F exists)] [--count-file F (receive: once F exists, it holds how many of
//      the run's messages to wait for; until then --count is the most)] [--commit true (receive: commit the group's
//      progress to the brokers, as a real consumer does; by default nothing is committed)]: clients running throughout an operation
// Exit codes: 0 all seen, 1 messages missing or not acknowledged, 2 usage or connection error.

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.acl.common.AclUtils;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.exception.RemotingException;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

public class MessageCheck {
  static final String BODY_PREFIX = "rmqd ";
  /** Signs every request (AclClientRPCHook) when --acl-file is given; null without ACL. */
  static RPCHook hook;

  public static void main(String[] argv) {
    Map<String, String> opts = new HashMap<>();
    String mode = argv.length > 0 ? argv[0] : "";
    for (int i = 1; i + 1 < argv.length; i += 2) opts.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    int code;
    try {
      code = run(mode, opts);
    } catch (IllegalArgumentException e) {
      System.out.println("{\"error\":" + json(e.getMessage()) + "}");
      code = 2;
    } catch (Exception e) {
      System.out.println("{\"error\":" + json(e.getClass().getSimpleName() + ": " + e.getMessage()) + "}");
      code = 2;
    }
    System.out.flush();
    // Client threads (netty, rebalance) are not daemons: leave explicitly.
    System.exit(code);
  }

  static int run(String mode, Map<String, String> opts) throws Exception {
    String namesrv = require(opts, "namesrv");
    String topic = require(opts, "topic");
    int count = Integer.parseInt(opts.getOrDefault("count", "1000"));
    long timeoutMs = Long.parseLong(opts.getOrDefault("timeout", "60")) * 1000L;
    String runId = opts.getOrDefault("run-id", UUID.randomUUID().toString().substring(0, 8));
    String group = opts.getOrDefault("group", "rmqd_verify_" + UUID.randomUUID().toString().replace("-", ""));
    if (opts.containsKey("acl-file")) {
      // AclUtils.getAclRPCHook (client/.../acl/common/AclUtils.java) is what mqadmin uses for conf/tools.yml.
      hook = AclUtils.getAclRPCHook(opts.get("acl-file"));
      if (hook == null) throw new IllegalArgumentException("cannot read accessKey and secretKey from " + opts.get("acl-file"));
    }
    if (opts.containsKey("cluster")) {
      List<String> brokers = opts.containsKey("brokers") ? Arrays.asList(opts.get("brokers").split(",")) : new ArrayList<>();
      long listedBy = System.currentTimeMillis() + Long.parseLong(opts.getOrDefault("wait", "0")) * 1000L;
      createTopicRetrying(namesrv, opts.get("cluster"), topic, brokers, listedBy);
    }
    switch (mode) {
      case "send":
        return send(namesrv, topic, runId, count, timeoutMs, Long.parseLong(opts.getOrDefault("pause-ms", "0")), opts.get("stop-file")).size() == 0 ? 0 : 1;
      case "receive":
        return receive(namesrv, topic, group, runId, count, timeoutMs, opts.get("count-file"), "true".equals(opts.get("commit")), null) == 0 ? 0 : 1;
      case "roundtrip": {
        // Reads exactly the queues the messages went to (assign): no waiting for a rebalance to hand them out.
        Set<MessageQueue> queues = new HashSet<>();
        int notAcked = send(namesrv, topic, runId, count, timeoutMs, 0, null, queues).size();
        int missing = queues.isEmpty() ? count : receive(namesrv, topic, group, runId, count, timeoutMs, null, false, queues);
        return notAcked == 0 && missing == 0 ? 0 : 1;
      }
      case "read":
        return readAll(namesrv, topic, group, timeoutMs);
      default:
        throw new IllegalArgumentException("usage: MessageCheck send|receive|roundtrip|read --namesrv a:9876 --topic T [--count N] [--group G] [--timeout s] [--cluster C] [--run-id R] [--pause-ms P]; got mode \"" + mode + "\"");
    }
  }

  static String require(Map<String, String> opts, String key) {
    String value = opts.get(key);
    if (value == null || value.isEmpty()) throw new IllegalArgumentException("missing --" + key);
    return value;
  }

  /**
   * createTopic, asked again (up to 5 times, 3 s apart) when a name server or broker does not answer in time: a
   * loaded name server that misses one 3 s deadline must not fail a deploy whose cluster is fine. Other errors at once.
   */
  static void createTopicRetrying(String namesrv, String cluster, String topic, List<String> brokers, long listedBy) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        createTopic(namesrv, cluster, topic, brokers, listedBy);
        return;
      } catch (RemotingException e) {
        if (attempt >= 5) throw e;
        Thread.sleep(3000);
      }
    }
  }

  /** Same effect as `mqadmin updateTopic -c cluster -t topic`: production configs turn autoCreateTopicEnable off. */
  static void createTopic(String namesrv, String cluster, String topic, List<String> brokers, long listedBy) throws Exception {
    DefaultMQAdminExt admin = new DefaultMQAdminExt(hook);
    admin.setNamesrvAddr(namesrv);
    admin.setInstanceName("rmqd_admin_" + UUID.randomUUID());
    admin.start();
    try {
      ClusterInfo info = listed(admin, cluster, brokers, listedBy);
      Set<String> names = info.getClusterAddrTable().get(cluster);
      if (names == null || names.isEmpty()) throw new IllegalArgumentException("cluster \"" + cluster + "\" has no brokers registered at " + namesrv);
      int created = 0;
      for (String name : names) {
        BrokerData data = info.getBrokerAddrTable().get(name);
        String master = data == null ? null : data.getBrokerAddrs().get(0L);
        if (master == null) continue;
        admin.createAndUpdateTopicConfig(master, new TopicConfig(topic, 4, 4, 6));
        created++;
      }
      if (created == 0) throw new IllegalArgumentException("cluster \"" + cluster + "\" has no master to create topic \"" + topic + "\" on");
    } finally {
      admin.shutdown();
    }
  }

  /**
   * Cluster info once the cluster lists every address of brokers, asked every 200 ms until listedBy (a broker
   * registers a moment after its start); past it, an error naming the addresses still missing.
   */
  static ClusterInfo listed(DefaultMQAdminExt admin, String cluster, List<String> brokers, long listedBy) throws Exception {
    while (true) {
      ClusterInfo info = admin.examineBrokerClusterInfo();
      Set<String> addrs = new HashSet<>();
      for (String name : info.getClusterAddrTable().getOrDefault(cluster, new HashSet<>())) {
        BrokerData data = info.getBrokerAddrTable().get(name);
        if (data != null) addrs.addAll(data.getBrokerAddrs().values());
      }
      List<String> missing = new ArrayList<>();
      for (String broker : brokers) if (!addrs.contains(broker)) missing.add(broker);
      if (missing.isEmpty()) return info;
      if (System.currentTimeMillis() >= listedBy) throw new IllegalArgumentException("cluster \"" + cluster + "\" does not list " + String.join(", ", missing));
      Thread.sleep(200);
    }
  }

  static List<Integer> send(String namesrv, String topic, String runId, int count, long timeoutMs, long pauseMs, String stopFile) throws Exception {
    return send(namesrv, topic, runId, count, timeoutMs, pauseMs, stopFile, new HashSet<>());
  }

  /**
   * Sends count messages synchronously, pauseMs apart (a steady stream during a rolling restart), fewer when stopFile
   * appears; without a pause, from SENDERS threads at once. Returns the messages not acknowledged with SEND_OK and
   * adds each queue a message went to into queues.
   */
  static List<Integer> send(String namesrv, String topic, String runId, int count, long timeoutMs, long pauseMs, String stopFile, Set<MessageQueue> queues) throws Exception {
    long started = System.currentTimeMillis();
    DefaultMQProducer producer = new DefaultMQProducer("rmqd_verify_producer", hook);
    producer.setNamesrvAddr(namesrv);
    producer.setInstanceName("rmqd_p_" + runId);
    producer.setSendMsgTimeout(10000);
    producer.start();
    SendResult[] results = new SendResult[count];
    int tried = count;
    long deadline = System.currentTimeMillis() + timeoutMs;
    try {
      if (pauseMs == 0 && stopFile == null) {
        sendAtOnce(producer, topic, runId, results, deadline);
      } else {
        for (int i = 0; i < count; i++) {
          if (stopFile != null && java.nio.file.Files.exists(java.nio.file.Paths.get(stopFile))) {
            tried = i;
            break;
          }
          if (pauseMs > 0 && i > 0) Thread.sleep(pauseMs);
          results[i] = sendOne(producer, topic, runId, i, deadline);
        }
      }
    } finally {
      producer.shutdown();
    }
    List<Integer> notAcked = new ArrayList<>();
    Map<String, Integer> perQueue = new TreeMap<>();
    String firstMsgId = null;
    String lastMsgId = null;
    for (int i = 0; i < tried; i++) {
      SendResult result = results[i];
      if (result == null || result.getSendStatus() != SendStatus.SEND_OK) {
        notAcked.add(i);
        continue;
      }
      if (firstMsgId == null) firstMsgId = result.getMsgId();
      lastMsgId = result.getMsgId();
      queues.add(result.getMessageQueue());
      perQueue.merge(result.getMessageQueue().getBrokerName() + "#" + result.getMessageQueue().getQueueId(), 1, Integer::sum);
    }
    System.out.println("{\"mode\":\"send\",\"runId\":" + json(runId) + ",\"topic\":" + json(topic) + ",\"sent\":" + (tried - notAcked.size())
        + ",\"notAcked\":" + notAcked.size() + ",\"firstNotAcked\":" + ints(notAcked) + ",\"firstMsgId\":" + json(firstMsgId)
        + ",\"lastMsgId\":" + json(lastMsgId) + ",\"perQueue\":" + counts(perQueue) + ",\"ms\":" + (System.currentTimeMillis() - started) + "}");
    return notAcked;
  }

  /** Without a pause between them, the messages go from SENDERS threads: a SYNC_MASTER answers each after its slave. */
  static final int SENDERS = 8;

  static void sendAtOnce(DefaultMQProducer producer, String topic, String runId, SendResult[] results, long deadline) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
    for (int n = 0; n < results.length; n++) {
      final int i = n;
      pool.execute(() -> {
        try {
          results[i] = sendOne(producer, topic, runId, i, deadline);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    pool.shutdown();
    // Each send gives up at the deadline; the margin covers the last one's own timeout (setSendMsgTimeout).
    if (!pool.awaitTermination(Math.max(0, deadline - System.currentTimeMillis()) + 15000, TimeUnit.MILLISECONDS)) pool.shutdownNow();
  }

  /** Retries until the deadline: right after topic creation the route may not be on the name server yet. */
  static SendResult sendOne(DefaultMQProducer producer, String topic, String runId, int i, long deadline) throws InterruptedException {
    Message msg = new Message(topic, "rmqd", runId + "-" + i, (BODY_PREFIX + runId + " " + i).getBytes(StandardCharsets.UTF_8));
    while (true) {
      try {
        return producer.send(msg);
      } catch (Exception e) {
        if (System.currentTimeMillis() > deadline) return null;
        Thread.sleep(500);
      }
    }
  }

  static DefaultLitePullConsumer consumer(String namesrv, String topic, String group) throws Exception {
    return consumer(namesrv, topic, group, false, null);
  }

  /**
   * With commit, the group's progress goes back to the brokers (every 5 s and at shutdown), as a real consumer's does.
   * With queues, it reads exactly those (assign) from the start; else it subscribes and waits for a rebalance, which
   * also follows queues that appear while it runs (clients kept running through an upgrade or a failover).
   */
  static DefaultLitePullConsumer consumer(String namesrv, String topic, String group, boolean commit, Set<MessageQueue> queues) throws Exception {
    DefaultLitePullConsumer consumer = new DefaultLitePullConsumer(group, hook);
    consumer.setNamesrvAddr(namesrv);
    consumer.setInstanceName("rmqd_c_" + group);
    // A new group with FIRST_OFFSET reads from the start of every queue; nothing is committed back.
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    consumer.setAutoCommit(commit);
    consumer.setPollTimeoutMillis(1000);
    if (queues == null) {
      consumer.subscribe(topic, "*");
    } else {
      consumer.assign(queues);
      // A round trip reads back what it just sent: bigger pulls, fewer round trips to the brokers (default 10).
      consumer.setPullBatchSize(64);
    }
    consumer.start();
    return consumer;
  }

  /**
   * Reads the topic from the beginning until all count messages of runId are seen (count from countFile once it
   * exists, when given); returns how many are missing.
   */
  static int receive(String namesrv, String topic, String group, String runId, int most, long timeoutMs, String countFile, boolean commit, Set<MessageQueue> queues) throws Exception {
    long started = System.currentTimeMillis();
    boolean[] seen = new boolean[most];
    int count = most;
    boolean known = countFile == null;
    String prefix = BODY_PREFIX + runId + " ";
    long deadline = System.currentTimeMillis() + timeoutMs;
    DefaultLitePullConsumer consumer = consumer(namesrv, topic, group, commit, queues);
    try {
      while ((!known || seenBelow(seen, count) < count) && System.currentTimeMillis() < deadline) {
        if (!known && java.nio.file.Files.exists(java.nio.file.Paths.get(countFile))) {
          count = Math.min(most, Integer.parseInt(new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get(countFile)), StandardCharsets.UTF_8).trim()));
          known = true;
        }
        for (MessageExt msg : consumer.poll()) {
          String body = new String(msg.getBody(), StandardCharsets.UTF_8);
          if (!body.startsWith(prefix)) continue;
          int i = Integer.parseInt(body.substring(prefix.length()).trim());
          if (i >= 0 && i < most) seen[i] = true;
        }
      }
    } finally {
      consumer.shutdown();
    }
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < count; i++) if (!seen[i]) missing.add(i);
    System.out.println("{\"mode\":\"receive\",\"runId\":" + json(runId) + ",\"topic\":" + json(topic) + ",\"group\":" + json(group)
        + ",\"sent\":" + count + ",\"received\":" + seenBelow(seen, count) + ",\"missing\":" + ints(missing) + ",\"missingCount\":" + missing.size()
        + ",\"ms\":" + (System.currentTimeMillis() - started) + "}");
    return missing.size();
  }

  static int seenBelow(boolean[] seen, int count) {
    int n = 0;
    for (int i = 0; i < count; i++) if (seen[i]) n++;
    return n;
  }

  /** Reads every message of the topic (for failover checks): stops after 5 s without new messages or at the timeout. */
  static int readAll(String namesrv, String topic, String group, long timeoutMs) throws Exception {
    Map<String, Integer> perRun = new TreeMap<>();
    int total = 0;
    long deadline = System.currentTimeMillis() + timeoutMs;
    long lastNew = System.currentTimeMillis();
    DefaultLitePullConsumer consumer = consumer(namesrv, topic, group);
    try {
      // The first poll may come before rebalancing assigned queues, so quiet time counts only after a first message.
      while (System.currentTimeMillis() < deadline && (total == 0 || System.currentTimeMillis() - lastNew < 5000)) {
        for (MessageExt msg : consumer.poll()) {
          String body = new String(msg.getBody(), StandardCharsets.UTF_8);
          String[] words = body.split(" ");
          perRun.merge(words.length == 3 && body.startsWith(BODY_PREFIX) ? words[1] : "(other)", 1, Integer::sum);
          total++;
          lastNew = System.currentTimeMillis();
        }
      }
    } finally {
      consumer.shutdown();
    }
    System.out.println("{\"mode\":\"read\",\"topic\":" + json(topic) + ",\"group\":" + json(group) + ",\"received\":" + total + ",\"perRun\":" + counts(perRun) + "}");
    return total > 0 ? 0 : 1;
  }

  static String ints(List<Integer> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < Math.min(10, values.size()); i++) out.append(i == 0 ? "" : ",").append(values.get(i));
    return out.append("]").toString();
  }

  static String counts(Map<String, Integer> values) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, Integer> entry : values.entrySet()) {
      out.append(out.length() > 1 ? "," : "").append(json(entry.getKey())).append(":").append(entry.getValue());
    }
    return out.append("}").toString();
  }

  static String json(String value) {
    if (value == null) return "null";
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append("\"").toString();
  }
}
