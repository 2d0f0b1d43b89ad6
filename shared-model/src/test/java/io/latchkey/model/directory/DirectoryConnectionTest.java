package io.latchkey.model.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DirectoryConnectionTest {

    @Test
    void jdbcUrlWhenTheUrlAsksForTlsThenMigrationsAskForItToo() {
        DirectoryConnection connection = new DirectoryConnection(
                "postgresql://app:s3cret@db.example.com:5433/latchkey?sslmode=verify-full", Optional.empty(), Optional.empty());
        assertThat(connection.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5433/latchkey?sslmode=verify-full");
        assertThat(connection.user()).isEqualTo("app");
        assertThat(connection.password()).isEqualTo("s3cret");
        assertThat(connection.describe()).doesNotContain("s3cret");
    }

    @Test
    void settingsWhenUserAndPasswordAreGivenApartThenTheyWin() {
        DirectoryConnection connection = new DirectoryConnection("vertx-reactive:postgresql://localhost/latchkey",
                Optional.of("latchkey"), Optional.of("from-a-secret"));
        assertThat(connection.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/latchkey?sslmode=disable");
        assertThat(connection.user()).isEqualTo("latchkey");
        assertThat(connection.password()).isEqualTo("from-a-secret");
    }
}
