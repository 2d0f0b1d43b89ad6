package io.latchkey.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** A private three-node Redis Cluster on loopback (redis-server in cluster mode, redis-cli --cluster create). */
public final class TestRedisCluster implements AutoCloseable {

    private final List<Process> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    public TestRedisCluster() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("latchkey-test-cluster");
        while (ports.size() < 3) {
            // Each node also listens on port + 10000 for the cluster bus.
            int port = ThreadLocalRandom.current().nextInt(20000, 45000);
            if (free(port) && free(port + 10000) && !ports.contains(port)) {
                ports.add(port);
            }
        }
        for (int port : ports) {
            Path nodeDir = Files.createDirectories(dir.resolve(Integer.toString(port)));
            nodes.add(new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--save", "", "--appendonly", "no",
                    "--dir", nodeDir.toString())
                    .redirectErrorStream(true).redirectOutput(nodeDir.resolve("redis.log").toFile()).start());
        }
        for (int port : ports) {
            awaitAnswer(port, "PING", "PONG");
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        ports.forEach(p -> create.add("127.0.0.1:" + p));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process p = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(dir.resolve("create.log").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            close();
            throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(dir.resolve("create.log")));
        }
        for (int port : ports) {
            awaitClusterOk(port);
        }
    }

    /** The seed URLs, comma-separated, as {@code quarkus.redis.hosts} takes them. */
    public List<String> urls() {
        return ports.stream().map(p -> "redis://127.0.0.1:" + p).toList();
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitAnswer(int port, String command, String expected) throws InterruptedException {
        TestRedis probe = TestRedis.at("redis://127.0.0.1:" + port);
        for (int i = 0; i < 100; i++) {
            try {
                if (probe.command(command).contains(expected)) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("redis-server on " + port + " did not answer " + command);
    }

    private static void awaitClusterOk(int port) throws InterruptedException {
        TestRedis probe = TestRedis.at("redis://127.0.0.1:" + port);
        for (int i = 0; i < 200; i++) {
            if (probe.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the cluster did not reach cluster_state:ok");
    }

    @Override
    public void close() {
        nodes.forEach(Process::destroyForcibly);
    }
}
