// Health checks of one broker instance for the service module's guard/health: registered, partners-up, in-sync (one JVM, admin API).
// Run: java -cp '<home>/lib/*' BrokerHealth.java registered --namesrv 'a:9876;b:9876' --cluster C --broker broker-a --id 0 --addr 10.0.0.1:10911
//      java -cp '<home>/lib/*' BrokerHealth.java partners-up --namesrv … --broker broker-a --id 0 --members 0,1
//      java -cp '<home>/lib/*' BrokerHealth.java in-sync --namesrv … --broker broker-a --id 1
//      java -cp '<home>/lib/*' BrokerHealth.java healthy --namesrv … --cluster C --broker broker-a --id 1 --addr ip:port (registered, and in-sync for a slave)
// Controller mode (RocketMQ assigns ids and elects the master), a member is named by its address:
//      java -cp '<home>/lib/*' BrokerHealth.java member-healthy --namesrv … --broker broker-a --addr ip:port (registered under any id, in sync unless master)
//      java -cp '<home>/lib/*' BrokerHealth.java members-up --namesrv … --broker broker-a --addr ip:port --members 0,1 (all registered, slaves in sync if it is master)
// Any mode takes --wait SECONDS (ask again until it passes or the time is up), and with ACL 2.0 on --acl-file F: sign
// as the user of F (RocketMQ's conf/tools.yml format: accessKey, secretKey; the secret is never a command-line word).
// Prints one line saying why; exit codes: 0 healthy, 1 not (the line says what is missing), 2 usage or connection error.

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.rocketmq.acl.common.AclUtils;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.HARuntimeInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

public class BrokerHealth {
  public static void main(String[] argv) {
    Map<String, String> opts = new HashMap<>();
    String mode = argv.length > 0 ? argv[0] : "";
    for (int i = 1; i + 1 < argv.length; i += 2) opts.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    int code;
    DefaultMQAdminExt admin = null;
    try {
      admin = new DefaultMQAdminExt(aclHook(opts), 5000);
      admin.setNamesrvAddr(require(opts, "namesrv"));
      admin.setInstanceName("rmqd_health_" + UUID.randomUUID().toString().substring(0, 8));
      admin.start();
      // --wait S: ask again every 2 s for up to S seconds. A name server may drop a quickly restarted broker when
      // the old connection's close arrives after the new registration; it is back at the next one (every 30 s).
      long deadline = System.currentTimeMillis() + 1000L * Long.parseLong(opts.getOrDefault("wait", "0"));
      String verdict = check(admin, mode, opts);
      while (verdict != null && System.currentTimeMillis() < deadline) {
        Thread.sleep(2000);
        verdict = check(admin, mode, opts);
      }
      System.out.println(verdict == null ? "ok" : verdict);
      code = verdict == null ? 0 : 1;
    } catch (IllegalArgumentException e) {
      System.out.println(e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.out.println("cannot ask RocketMQ (" + opts.get("namesrv") + "): " + e.getClass().getSimpleName() + ": " + e.getMessage());
      code = 2;
    }
    if (admin != null) admin.shutdown();
    System.out.flush();
    System.exit(code); // client threads are not daemons
  }

  /** Returns null when healthy, otherwise the reason. */
  static String check(DefaultMQAdminExt admin, String mode, Map<String, String> opts) throws Exception {
    String broker = require(opts, "broker");
    if (mode.equals("member-healthy")) return memberHealthy(admin, broker, require(opts, "addr"));
    if (mode.equals("members-up")) return membersUp(admin, broker, require(opts, "addr"), require(opts, "members"));
    long id = Long.parseLong(require(opts, "id"));
    switch (mode) {
      case "registered":
        return registered(admin, require(opts, "cluster"), broker, id, require(opts, "addr"));
      case "partners-up":
        return partnersUp(admin, broker, id, require(opts, "members"));
      case "in-sync":
        return inSync(admin, broker, id);
      case "healthy": {
        // What a restarted instance must reach before the next one may go: registered, and in sync for a slave.
        String missing = registered(admin, require(opts, "cluster"), broker, id, require(opts, "addr"));
        return missing != null || id == 0 ? missing : inSync(admin, broker, id);
      }
      default:
        throw new IllegalArgumentException("usage: BrokerHealth registered|partners-up|in-sync|healthy --namesrv a:9876 --broker NAME --id N [--cluster C --addr ip:port] [--members 0,1]; got \"" + mode + "\"");
    }
  }

  /** AclUtils.getAclRPCHook (client/.../acl/common/AclUtils.java): what mqadmin makes of conf/tools.yml; null without. */
  static RPCHook aclHook(Map<String, String> opts) {
    String file = opts.get("acl-file");
    if (file == null) return null;
    RPCHook hook = AclUtils.getAclRPCHook(file);
    if (hook == null) throw new IllegalArgumentException("cannot read accessKey and secretKey from " + file);
    return hook;
  }

  static String require(Map<String, String> opts, String key) {
    String value = opts.get(key);
    if (value == null || value.isEmpty()) throw new IllegalArgumentException("missing --" + key);
    return value;
  }

  static String label(String broker, long id) {
    return broker + ":" + id;
  }

  /** The registered addresses of a broker group by id (empty when the group is unknown to the name servers). */
  static Map<Long, String> members(DefaultMQAdminExt admin, String broker) throws Exception {
    ClusterInfo info = admin.examineBrokerClusterInfo();
    BrokerData data = info.getBrokerAddrTable() == null ? null : info.getBrokerAddrTable().get(broker);
    return data == null || data.getBrokerAddrs() == null ? new HashMap<>() : data.getBrokerAddrs();
  }

  static String registered(DefaultMQAdminExt admin, String cluster, String broker, long id, String addr) throws Exception {
    ClusterInfo info = admin.examineBrokerClusterInfo();
    Set<String> names = info.getClusterAddrTable() == null ? null : info.getClusterAddrTable().get(cluster);
    if (names == null || !names.contains(broker)) return label(broker, id) + " is not registered: cluster " + cluster + " has no group " + broker;
    String found = members(admin, broker).get(id);
    if (found == null) return label(broker, id) + " is not registered in cluster " + cluster;
    if (!found.equals(addr)) return label(broker, id) + " is registered at " + found + ", not at " + addr;
    return null;
  }

  static String partnersUp(DefaultMQAdminExt admin, String broker, long id, String declared) throws Exception {
    Map<Long, String> up = members(admin, broker);
    for (String each : declared.split(",")) {
      long other = Long.parseLong(each.trim());
      if (other == id || up.containsKey(other)) continue;
      String role = other == 0 ? "master" : "slave";
      return broker + "'s " + role + " " + label(broker, other) + " is not registered; restarting " + label(broker, id) + " would take both members of the group down";
    }
    if (id != 0) return null;
    List<String> lagging = laggingSlaves(admin, up);
    if (lagging.isEmpty()) return null;
    return broker + "'s slave " + String.join(", ", lagging) + " is not in sync with the master; restarting " + label(broker, id) + " could lose acknowledged messages";
  }

  /** The id a member registered under (controller mode: 0 while master, its controller-assigned id as slave), or null. */
  static Long idAt(DefaultMQAdminExt admin, String broker, String addr) throws Exception {
    for (Map.Entry<Long, String> e : members(admin, broker).entrySet()) if (e.getValue().equals(addr)) return e.getKey();
    return null;
  }

  static String memberHealthy(DefaultMQAdminExt admin, String broker, String addr) throws Exception {
    Long id = idAt(admin, broker, addr);
    if (id == null) return broker + " member at " + addr + " is not registered";
    return id == 0 ? null : inSync(admin, broker, id);
  }

  static String membersUp(DefaultMQAdminExt admin, String broker, String addr, String declared) throws Exception {
    Map<Long, String> up = members(admin, broker);
    int want = declared.split(",").length;
    if (up.size() < want) {
      return broker + " has " + up.size() + " of " + want + " members registered " + up.values() + "; restarting " + addr + " would take the group down";
    }
    if (!Long.valueOf(0L).equals(idAt(admin, broker, addr))) return null;
    List<String> lagging = laggingSlaves(admin, up);
    if (lagging.isEmpty()) return null;
    return broker + "'s slave " + String.join(", ", lagging) + " is not in sync with the master " + addr + "; restarting the master could lose acknowledged messages";
  }

  static String inSync(DefaultMQAdminExt admin, String broker, long id) throws Exception {
    Map<Long, String> up = members(admin, broker);
    if (!up.containsKey(id)) return label(broker, id) + " is not registered";
    if (!up.containsKey(0L)) return broker + "'s master " + label(broker, 0) + " is not registered";
    Map<Long, String> self = new HashMap<>();
    self.put(0L, up.get(0L));
    self.put(id, up.get(id));
    List<String> lagging = laggingSlaves(admin, self);
    return lagging.isEmpty() ? null : label(broker, id) + " is not in sync with its master " + up.get(0L);
  }

  /**
   * Slaves of the group that the master does not report in sync. haStatus names a slave by its HA connection
   * (ip:ephemeral port), so slaves are matched by IP, one in-sync connection per slave on that IP.
   */
  static List<String> laggingSlaves(DefaultMQAdminExt admin, Map<Long, String> up) throws Exception {
    List<String> lagging = new ArrayList<>();
    String master = up.get(0L);
    if (master == null) return lagging;
    HARuntimeInfo ha = admin.getBrokerHAStatus(master);
    Map<String, Integer> inSyncByIp = new HashMap<>();
    if (ha.getHaConnectionInfo() != null) {
      for (HARuntimeInfo.HAConnectionRuntimeInfo c : ha.getHaConnectionInfo()) {
        if (c.isInSync()) inSyncByIp.merge(ipOf(c.getAddr()), 1, Integer::sum);
      }
    }
    for (Map.Entry<Long, String> e : up.entrySet()) {
      if (e.getKey() == 0L) continue;
      String ip = ipOf(e.getValue());
      int left = inSyncByIp.getOrDefault(ip, 0);
      if (left > 0) inSyncByIp.put(ip, left - 1);
      else lagging.add(e.getKey() + "@" + e.getValue());
    }
    return lagging;
  }

  static String ipOf(String addr) {
    String a = addr.startsWith("/") ? addr.substring(1) : addr;
    int colon = a.lastIndexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }
}
