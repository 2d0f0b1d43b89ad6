package io.latchkey.model.realm;

/** A realm file that cannot be loaded; the message names the file, the place and what was expected. */
public class RealmException extends RuntimeException {
    public RealmException(String message, Throwable cause) {
        super(message, cause);
    }
}
