package dev.payrail.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unexpected faults. Each gets an id that the client sees in its 500 answer and the operator finds in one log
 * entry with the stack, so a report can be matched to its cause without the answer revealing anything internal.
 */
public final class Incidents {

    private static final Logger log = LoggerFactory.getLogger(Incidents.class);

    private Incidents() {}

    /**
     * Logs the fault and returns its incident id. {@code where} must not carry request values (a method and a
     * route pattern, not the URI), so that a hostile request cannot write itself into the log.
     */
    public static String record(Throwable fault, String where) {
        String id = Ids.next().toString();
        log.error("incident {}: unexpected {} in {}", id, fault.getClass().getName(), where, fault);
        return id;
    }
}
