package dev.payrail.acquirer;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP request to an acquirer, as a mapper builds it: the port operation it serves (for metrics and logs),
 * the method, the path below the acquirer's base URL, and the JSON body of a POST. The body of an authorization
 * holds the card number, so {@link #toString()} leaves it out.
 */
record AcquirerRequest(String operation, Method method, String path, @Nullable String body) {

    static final String AUTHORIZE = "authorize";
    static final String REFUND = "refund";
    static final String VOID = "void";
    static final String INQUIRE = "inquire";

    enum Method { GET, POST }

    static AcquirerRequest get(String operation, String path) {
        return new AcquirerRequest(operation, Method.GET, path, null);
    }

    static AcquirerRequest post(String operation, String path, String body) {
        return new AcquirerRequest(operation, Method.POST, path, body);
    }

    @Override
    public String toString() {
        return operation + " (" + method + " " + path + ")";
    }
}
