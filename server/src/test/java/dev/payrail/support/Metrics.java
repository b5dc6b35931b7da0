package dev.payrail.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

/** Reads a server's own figures from {@code /actuator/prometheus}, as a monitoring system would. */
public final class Metrics {

    private Metrics() {}

    /**
     * The value of one metric (for example {@code payrail_outbox_published_total}), summed over its label
     * sets; 0 when the server has not registered it.
     */
    public static double scrape(Http http, String metric) {
        HttpResponse<String> response = http.get("/actuator/prometheus", Map.of());
        assertThat(response.statusCode()).as("GET /actuator/prometheus").isEqualTo(200);
        double sum = 0;
        for (String line : response.body().split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
