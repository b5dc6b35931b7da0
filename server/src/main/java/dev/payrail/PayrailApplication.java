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
        SpringApplication.run(PayrailApplication.class, args);
    }
}
