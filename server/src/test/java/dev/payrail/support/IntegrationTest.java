package dev.payrail.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application on a random port, in embedded mode: a real PostgreSQL and a real Kafka broker in a
 * fresh data directory under target/. Every class with this annotation shares one application context.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "payrail.data.dir=target/test-data/${random.uuid}")
public @interface IntegrationTest {}
