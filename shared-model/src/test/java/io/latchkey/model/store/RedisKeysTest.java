package io.latchkey.model.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.ClusterSlot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key names built from outside input are injective and cannot choose their Redis Cluster slot (issue 11 item 7). */
class RedisKeysTest {

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void throttleWhenKindOrSubjectHoldsAColonThenPairsThatCollidedBeforeHaveTheirOwnKeys() {
        // The names before escaping: one key for two different (kind, subject) pairs.
        assertThat("lk:{throttle:" + "a:b" + ":" + "c}").isEqualTo("lk:{throttle:" + "a" + ":" + "b:c}");

        assertThat(RedisKeys.loginThrottle("a:b", "c")).isNotEqualTo(RedisKeys.loginThrottle("a", "b:c"));
        assertThat(RedisKeys.subjectFamilies("alice:x")).isNotEqualTo(RedisKeys.subjectFamilies("alice"));
    }

    @Test
    void partWhenInputsDifferThenPartsDiffer() {
        List<String> inputs = List.of(":", "%3A", "%253A", "%", "%25", "{", "%7B", "}", "%7D", "a:b", "a%3Ab", "", "plain",
                "{x}", "%7Bx%7D", "a::b", "a:%3Ab");
        Map<String, String> byPart = new HashMap<>();
        for (String input : inputs) {
            String previous = byPart.put(RedisKeys.part(input), input);
            assertThat(previous).as("'%s' and '%s' give one part", previous, input).isNull();
            assertThat(RedisKeys.part(input)).doesNotContain(":", "{", "}");
        }
    }

    @Test
    void partWhenInputIsARandomIdOrHashThenUnchanged() {
        assertThat(RedisKeys.part("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).isEqualTo("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assertThat(RedisKeys.part(HASH)).isEqualTo(HASH);
        assertThat(RedisKeys.subjectSessions("8d1f6c1e-0b9a-4c55")).isEqualTo("lk:{subject:8d1f6c1e-0b9a-4c55}:sessions");
    }

    @Test
    void familyWhenInputClosesTheHashTagThenItCannotJoinAnotherFamilysSlot() {
        // Before escaping, "lk:{fam:victim}x}" hashed as "fam:victim": the victim family's slot.
        String hostile = "victim}x";
        assertThat(ClusterSlot.of("lk:{fam:" + hostile + "}")).isEqualTo(ClusterSlot.of(RedisKeys.family("victim")));

        int slot = ClusterSlot.of(RedisKeys.family(hostile));
        assertThat(slot).isEqualTo(ClusterSlot.of("fam:victim%7Dx")).isNotEqualTo(ClusterSlot.of(RedisKeys.family("victim")));
        // Every key of the family still shares its slot, so the redemption and rotation scripts stay single-slot.
        assertThat(List.of(RedisKeys.code(hostile, HASH), RedisKeys.codeTombstone(hostile, HASH), RedisKeys.refreshToken(hostile, HASH),
                RedisKeys.refreshTokenGrace(hostile, HASH)))
                .allSatisfy(key -> assertThat(ClusterSlot.of(key)).isEqualTo(slot));
    }

    @Test
    void keysWhenInputHoldsBracesOrColonsThenTheTagIsExactlyTheEscapedInput() {
        for (String hostile : List.of("a}b", "{b}", "x{", "}", "a:b}{c", "{}")) {
            assertThat(tag(RedisKeys.session(hostile))).isEqualTo("session:" + RedisKeys.part(hostile));
            assertThat(tag(RedisKeys.authorizationRequest(hostile))).isEqualTo("req:" + RedisKeys.part(hostile));
            assertThat(tag(RedisKeys.revokedAccessToken(hostile))).isEqualTo("jti:" + RedisKeys.part(hostile));
            assertThat(tag(RedisKeys.loginThrottle("account", hostile))).isEqualTo("throttle:account:" + RedisKeys.part(hostile));
            assertThat(tag(RedisKeys.subjectSessions(hostile))).isEqualTo("subject:" + RedisKeys.part(hostile));
            assertThat(tag(RedisKeys.subjectFamilies(hostile))).isEqualTo("subject:" + RedisKeys.part(hostile));
        }
    }

    /** The text Redis Cluster hashes: between the first '{' and the first '}' after it. */
    private static String tag(String key) {
        int open = key.indexOf('{');
        int close = key.indexOf('}', open + 1);
        assertThat(open).as(key).isGreaterThanOrEqualTo(0);
        assertThat(key.indexOf('{', open + 1)).as("one opening brace in " + key).isEqualTo(-1);
        return key.substring(open + 1, close);
    }
}
