package dev.cutover.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that needs the lab (PostgreSQL 13 and 15, PgBouncer, sshd, root). Tagged {@code lab} so
 * {@code scripts/test --quick} can leave it out; {@code scripts/test} runs it and fails when the
 * lab cannot start.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("lab")
@ExtendWith(LabExtension.class)
public @interface LabTest {
}
