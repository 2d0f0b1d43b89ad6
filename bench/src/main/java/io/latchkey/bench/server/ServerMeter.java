package io.latchkey.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reads the CPU time and peak memory of the server processes under test from /proc: user plus system
 * time of each process and its descendants (a start script that forks a JVM is measured with it; the
 * PostgreSQL postmaster with every backend and helper it forked), and the peak resident set size (VmHWM)
 * of each. The time of a descendant that has exited counts too: its parent collected it into its own
 * cutime and cstime (PostgreSQL forks a backend per connection and reaps it when the connection closes).
 * An empty meter measures nothing, for a provider that runs elsewhere.
 *
 * <p>The processes are named by a supplier, read at every sample, so that a server restarted during a
 * run is followed; a phase across a restart, though, compares two different processes.
 */
public final class ServerMeter {

    /** Linux reports process times in USER_HZ ticks, which is 100 on every architecture Java runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Supplier<Map<String, Long>> pids;

    public ServerMeter(Map<String, Long> pids) {
        Map<String, Long> fixed = new LinkedHashMap<>(pids);
        this.pids = () -> fixed;
    }

    /** A meter of the processes {@code pids} names at each sample (a pid below 0: not running, nothing counted). */
    public ServerMeter(Supplier<Map<String, Long>> pids) {
        this.pids = pids;
    }

    public static ServerMeter none() {
        return new ServerMeter(Map.of());
    }

    public Map<String, Long> pids() {
        return Map.copyOf(pids.get());
    }

    /** CPU seconds of every process at one moment. */
    public record Sample(Map<String, Double> cpuSeconds) {

        public Map<String, Double> cpuSecondsSince(Sample before) {
            Map<String, Double> delta = new LinkedHashMap<>();
            cpuSeconds.forEach((name, now) -> delta.put(name, now - before.cpuSeconds.getOrDefault(name, 0.0)));
            return delta;
        }
    }

    public Sample sample() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.get().forEach((name, pid) -> cpu.put(name, treeCpuSeconds(pid)));
        return new Sample(cpu);
    }

    /** Peak resident memory of each process tree in MiB (the largest process of the tree). */
    public Map<String, Double> peakRssMib() {
        Map<String, Double> rss = new LinkedHashMap<>();
        pids.get().forEach((name, pid) -> rss.put(name, tree(pid).mapToLong(ServerMeter::peakRssKib).max().orElse(0) / 1024.0));
        return rss;
    }

    private static double treeCpuSeconds(long pid) {
        return tree(pid).mapToLong(ServerMeter::cpuTicks).sum() / TICKS_PER_SECOND;
    }

    /** The process and its descendants. */
    private static Stream<Long> tree(long pid) {
        if (pid < 0) {
            return Stream.empty();
        }
        return ProcessHandle.of(pid)
                .map(p -> Stream.concat(Stream.of(pid), p.descendants().map(ProcessHandle::pid)))
                .orElseGet(Stream::empty);
    }

    /**
     * utime + stime + cutime + cstime, fields 14 to 17 of /proc/PID/stat (counted after the command name's
     * closing parenthesis): the process's own time and that of its children that exited and were waited for.
     */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static long peakRssKib(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> l.replaceAll("\\D", ""))
                    .mapToLong(Long::parseLong)
                    .findFirst().orElse(0);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
