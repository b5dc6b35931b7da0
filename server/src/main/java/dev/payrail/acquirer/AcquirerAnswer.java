package dev.payrail.acquirer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** What an acquirer answered over HTTP: the status code and the JSON body, null when absent or not JSON. */
record AcquirerAnswer(int status, @Nullable JsonNode body) {

    /** A text field of the body, or null when there is no body or no such text field. */
    @Nullable String text(String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
