package dev.payrail.platform;

import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * One line when the node has done all its start-up work (the demo data, the first admin account and the other
 * start-up tasks run after Spring's "Started" line): from here on it serves with every role it was given.
 */
@Component
class ReadyLine {

    private static final Logger log = LoggerFactory.getLogger(ReadyLine.class);

    @EventListener(ApplicationReadyEvent.class)
    void ready(ApplicationReadyEvent event) {
        Environment env = event.getApplicationContext().getEnvironment();
        log.info("Payrail ready on port {} with roles {}", env.getProperty("local.server.port", "?"),
                Role.active(env).stream().map(Role::wireName).sorted()
                        .collect(Collectors.joining(",")));
    }
}
