package io.latchkey.k8s;

import io.latchkey.testing.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private Sentinel-managed Redis on loopback: one master, one replica and three Sentinels (quorum two),
 * each a real {@code redis-server} process ({@code --sentinel} for the Sentinels, so the redis-server
 * package is all it needs). The master can be killed to force a failover.
 */
final class TestRedisSentinel implements AutoCloseable {

    static final String MASTER_NAME = "latchkey";

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final int masterPort;
    private final int replicaPort;
    private final List<Integer> sentinelPorts = new ArrayList<>();
    private Process master;

    TestRedisSentinel() throws IOException {
        dir = Files.createTempDirectory("latchkey-test-sentinel");
        masterPort = TestRedis.freePort();
        replicaPort = TestRedis.freePort();
        try {
            master = redis("master", masterPort);
            redis("replica", replicaPort, "--replicaof", "127.0.0.1", Integer.toString(masterPort));
            await(() -> info(replicaPort, "replication").contains("master_link_status:up"), "the replica to sync");
            for (int i = 0; i < 3; i++) {
                int port = TestRedis.freePort();
                sentinelPorts.add(port);
                Path conf = dir.resolve("sentinel-" + port + ".conf");
                // Sentinel rewrites its file as it learns the topology, so each has its own, writable.
                Files.writeString(conf, String.join("\n",
                        "port " + port,
                        "bind 127.0.0.1",
                        "dir " + dir,
                        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
                        "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                        "sentinel failover-timeout " + MASTER_NAME + " 10000",
                        "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
                start("sentinel-" + port, List.of("redis-server", conf.toString(), "--sentinel"));
            }
            // Ready when every Sentinel has found the replica and the two other Sentinels.
            for (int port : sentinelPorts) {
                await(() -> {
                    String state = TestRedis.at(url(port)).command("SENTINEL", "MASTER", MASTER_NAME);
                    return state.contains("num-slaves\n1") && state.contains("num-other-sentinels\n2");
                }, "Sentinel " + port + " to see the replica and the other Sentinels");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The Sentinels' URLs, as quarkus.redis.hosts takes them with client-type sentinel. */
    List<String> sentinelUrls() {
        return sentinelPorts.stream().map(TestRedisSentinel::url).toList();
    }

    int masterPort() {
        return masterPort;
    }

    /** The port of the master as the first Sentinel that answers sees it. */
    int currentMasterPort() {
        for (int port : sentinelPorts) {
            try {
                String[] addr = TestRedis.at(url(port)).command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).split("\n");
                return Integer.parseInt(addr[1]);
            } catch (IllegalStateException unreachable) {
                // try the next one
            }
        }
        throw new IllegalStateException("no Sentinel answered");
    }

    /** Waits until the replica has every write the master has, so that a failover loses none of them. */
    void awaitReplicaCaughtUp() {
        await(() -> {
            long master = offset(info(masterPort, "replication"), "master_repl_offset:");
            return offset(info(replicaPort, "replication"), "slave_repl_offset:") >= master;
        }, "the replica to catch up with the master");
    }

    private static long offset(String info, String field) {
        for (String line : info.split("\\r?\\n")) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim());
            }
        }
        throw new IllegalStateException("no " + field + " in INFO replication");
    }

    /** SIGKILL, as a crashed node or a lost machine: no goodbye to the replica or the clients. */
    void killMaster() {
        master.destroyForcibly();
        try {
            master.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the Sentinels have promoted the replica. */
    void awaitFailover(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (currentMasterPort() == replicaPort && info(replicaPort, "replication").contains("role:master")) {
                return;
            }
            PackagedService.sleep(100);
        }
        throw new IllegalStateException("the Sentinels did not promote the replica within " + timeout);
    }

    private Process redis(String name, int port, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", Files.createDirectories(dir.resolve(name)).toString()));
        command.addAll(List.of(extra));
        Process p = start(name, command);
        await(() -> "PONG".equals(TestRedis.at(url(port)).command("PING")), name + " to answer PING");
        return p;
    }

    private Process start(String name, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private static String info(int port, String section) {
        return TestRedis.at(url(port)).command("INFO", section);
    }

    private static String url(int port) {
        return "redis://127.0.0.1:" + port;
    }

    interface Condition {
        boolean holds();
    }

    private static void await(Condition condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not answering yet
            }
            PackagedService.sleep(100);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }
}
