package io.latchkey.bench.report;

import io.latchkey.bench.server.LatchkeyStack;
import java.util.List;

/**
 * The directory at a large size: its imports (a Latchkey realm file first; a Keycloak export of the same
 * users if that failed), and which targets to compare for the login at that size and at the benchmark
 * realm's.
 *
 * @param small the target that ran the interactive login with the benchmark realm's 64 users
 * @param large the target that ran it with {@code users} users, or null if no import succeeded
 */
public record DirectoryResult(long users, List<LatchkeyStack.ImportRun> imports, String small, String large) {
}
