package dev.payrail.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The audit log holds every change the tests make: after each {@link IntegrationTest} class, no admin change of it
 * (nor of any class before it in the shared context) is one that recorded no entry of its own, which
 * {@code AuditSafetyNet} would have written as {@code unrecorded_change} with its method and path.
 */
public final class EveryChangeAudited implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        JdbcClient jdbc = SpringExtension.getApplicationContext(context).getBean(JdbcClient.class);
        assertThat(unrecordedChanges(jdbc))
                .as("admin changes that recorded no audit entry, found after %s", context.getDisplayName())
                .isEmpty();
    }

    /** The admin changes so far that recorded no entry of their own: "METHOD path" of each. */
    public static List<String> unrecordedChanges(JdbcClient jdbc) {
        return jdbc.sql("select target_id from audit_log where action = 'unrecorded_change'").query(String.class).list();
    }
}
