package dev.payrail;

import dev.payrail.embedded.StartupPreflight;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Entry point: one deployable that runs the roles named in {@code PAYRAIL_ROLES}. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PayrailApplication {

    public static void main(String[] args) {
        // Refuse a taken port or a data directory in use with one line, before Spring prints a wall of text.
        StartupPreflight.checkOrExit(args);
        try {
            SpringApplication.run(PayrailApplication.class, args);
        } catch (RuntimeException e) {
            // A refusal from inside Spring (settings, unreachable infrastructure) is one line and exit code 2;
            // anything else is a fault, already logged by Spring Boot with its stack trace.
            StartupPreflight.exitIfRefused(e);
            throw e;
        }
    }
}
