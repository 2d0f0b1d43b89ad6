package io.latchkey.model.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The htu comparison form (RFC 9449 §4.3 with RFC 3986 §6.2.2 and §6.2.3). */
class HttpUrisTest {

    @Test
    void normalizeDropsQueryFragmentDefaultPortAndCaseAndDecodesUnreservedEscapes() {
        assertThat(HttpUris.normalize("HTTPS://Id.Example.com:443/a/%7euser/%2f?q=1#f")).contains("https://id.example.com/a/~user/%2F");
        assertThat(HttpUris.normalize("http://localhost:80")).contains("http://localhost/");
        assertThat(HttpUris.normalize("http://localhost:8080/a/./b/../c/")).contains("http://localhost:8080/a/c/");
    }

    @Test
    void normalizeRefusesWhatIsNoHttpUrl() {
        assertThat(HttpUris.normalize("ftp://id.example.com/token")).isEmpty();
        assertThat(HttpUris.normalize("https://u:p@id.example.com/token")).isEmpty();
        assertThat(HttpUris.normalize("/token")).isEmpty();
        assertThat(HttpUris.normalize("https://id.example.com/%zz")).isEmpty();
        assertThat(HttpUris.normalize("https://id.example.com/%4")).isEmpty();
    }
}
