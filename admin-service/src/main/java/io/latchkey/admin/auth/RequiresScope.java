package io.latchkey.admin.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource class (or method) that answers only to one of Latchkey's access tokens carrying this scope;
 * {@link AdminAuthFilter} checks it before the method runs. A resource without it checks its callers itself.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresScope {
    AdminScope value();
}
